"""A strict, in-process stand-in for the Telegram Bot API, for tests.

``BotAPIStandIn`` serves the Bot API over real HTTP on 127.0.0.1, from a background thread, so the
bot under test talks to it through python-telegram-bot's own HTTP stack
(``ApplicationBuilder().base_url(api.base_url).base_file_url(api.base_file_url)``), whether the bot
runs in the test's event loop or in a subprocess that a test kills and restarts.

It keeps Telegram's side of the world: users and chats, each chat's messages as each bot sees them,
the update queue (``getUpdates`` long polling with offset confirmation, or webhook delivery),
callback queries, command lists, descriptions and files (getFile gives a path for the asking bot
only, valid an hour by the stand-in's clock; the file server answers GET on it and records each
download, see ``downloads``). Where a bot can plausibly get something
wrong it answers as Telegram does, with Telegram's own error descriptions: entity parsing, text
limits, keyboards, edits that change nothing, double answers, chats it cannot write to, flood
control. ``tests.botapi.client.TelegramClient`` plays the users.

Deliberate simplifications, so that nobody relies on them by accident:

- Every bot has its own view of a chat's history (its own message ids). A user message goes to one
  bot (the client's), even in a group that two bots share.
- Unknown or unimplemented methods answer 404 "Not Found", as Telegram answers unknown methods.
- Descriptions marked "wording unverified" below are plausible but were not seen from Telegram.
- Limits follow the documentation: 4096 characters of text after entity parsing (counted in code
  points, as measured against Telegram), 1024 for captions, entities beyond the first 100 are
  dropped (Telegram ignores them; ``MessageRecord.entities_parsed`` keeps the full count).
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import http.server
import itertools
import json
import mimetypes
import re
import select
import socket
import socketserver
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

JSON = dict[str, Any]
T = TypeVar("T")

# --------------------------------------------------------------------------------------------
# Telegram's numbers and words
# --------------------------------------------------------------------------------------------

ANONYMOUS_ADMIN_ID = 1087968824
"""The user Telegram shows as the sender of an anonymous group administrator's messages."""

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_ENTITIES = 100
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_COMMANDS = 100
MAX_COMMAND_LENGTH = 32
MAX_COMMAND_DESCRIPTION_LENGTH = 256
MAX_DESCRIPTION_LENGTH = 512
MAX_SHORT_DESCRIPTION_LENGTH = 120
MAX_DELETE_MESSAGES = 100
DELETE_WINDOW_SECONDS = 48 * 3600
MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024
# getFile: "It is guaranteed that the link will be valid for at least 1 hour. When the link
# expires, a new one can be requested by calling getFile again." The stand-in keeps it exactly
# that long (by its clock, see advance_clock), so a bot that keeps a path for later is caught.
FILE_LINK_LIFETIME = 3600.0

UPDATE_TYPES = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "message_reaction",
    "message_reaction_count",
    "inline_query",
    "chosen_inline_result",
    "callback_query",
    "shipping_query",
    "pre_checkout_query",
    "purchased_paid_media",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
)
NOT_DELIVERED_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

UNAUTHORIZED = "Unauthorized"
NOT_FOUND = "Not Found"
CHAT_NOT_FOUND = "Bad Request: chat not found"
CHAT_ID_EMPTY = "Bad Request: chat_id is empty"
USER_NOT_FOUND = "Bad Request: user not found"
MESSAGE_TEXT_EMPTY = "Bad Request: message text is empty"
MESSAGE_TOO_LONG = "Bad Request: message is too long"
CAPTION_TOO_LONG = "Bad Request: message caption is too long"
CANT_PARSE_ENTITIES = "Bad Request: can't parse entities: {}"
UNSUPPORTED_PARSE_MODE = "Bad Request: unsupported parse_mode"
BUTTON_DATA_INVALID = "Bad Request: BUTTON_DATA_INVALID"
BUTTON_TEXT_INVALID = "Bad Request: BUTTON_TEXT_INVALID"
BUTTON_URL_INVALID = "Bad Request: inline keyboard button URL '{url}' is invalid: {reason}"
TEXT_BUTTONS_UNALLOWED = (
    "Bad Request: can't parse inline keyboard button: "
    "Text buttons are unallowed in the inline keyboard"
)
BUTTON_TEXT_NOT_STRING = (
    'Bad Request: can\'t parse inline keyboard button: Field "text" must be of type String'
)
REPLY_MARKUP_UNPARSABLE = "Bad Request: can't parse reply keyboard markup JSON object"
INLINE_KEYBOARD_NOT_ARRAY = (  # wording unverified
    'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array'
)
INLINE_KEYBOARD_EXPECTED = "Bad Request: inline keyboard expected"  # wording unverified
MESSAGE_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
MESSAGE_TO_EDIT_NOT_FOUND = "Bad Request: message to edit not found"
MESSAGE_CANT_BE_EDITED = "Bad Request: message can't be edited"
NO_TEXT_TO_EDIT = "Bad Request: there is no text in the message to edit"
NO_CAPTION_TO_EDIT = "Bad Request: there is no caption in the message to edit"  # unverified
MESSAGE_IDENTIFIER_NOT_SPECIFIED = "Bad Request: message identifier is not specified"
MESSAGE_TO_DELETE_NOT_FOUND = "Bad Request: message to delete not found"
MESSAGE_CANT_BE_DELETED = "Bad Request: message can't be deleted"
MESSAGE_CANT_BE_DELETED_FOR_EVERYONE = "Bad Request: message can't be deleted for everyone"
MESSAGE_IDS_NOT_SPECIFIED = "Bad Request: message identifiers are not specified"
TOO_MANY_MESSAGE_IDS = "Bad Request: too many message identifiers specified"
INVALID_MESSAGE_ID = "Bad Request: invalid message identifier specified"
REPLY_MESSAGE_NOT_FOUND = "Bad Request: message to be replied not found"
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
CALLBACK_ANSWER_TOO_LONG = "Bad Request: MESSAGE_TOO_LONG"
CANT_INITIATE = "Forbidden: bot can't initiate conversation with a user"
BLOCKED_BY_USER = "Forbidden: bot was blocked by the user"
NOT_A_MEMBER = "Forbidden: bot is not a member of the {kind} chat"
KICKED_FROM = "Forbidden: bot was kicked from the {kind} chat"
GROUP_UPGRADED = "Bad Request: group chat was upgraded to a supergroup chat"
TOO_MANY_REQUESTS = "Too Many Requests: retry after {}"
CONFLICT_OTHER_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
CONFLICT_SET_WEBHOOK = "Conflict: terminated by setWebhook request"
CONFLICT_WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
WEBHOOK_HTTPS_REQUIRED = "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
WEBHOOK_PORT = "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
SECRET_TOKEN_INVALID = "Bad Request: secret token contains unallowed characters"
COMMAND_EMPTY = "Bad Request: command must be non-empty"
COMMAND_TOO_LONG = f"Bad Request: command length must not exceed {MAX_COMMAND_LENGTH}"
COMMAND_INVALID = "Bad Request: BOT_COMMAND_INVALID"
COMMAND_DESCRIPTION_EMPTY = "Bad Request: command description must be non-empty"
COMMAND_DESCRIPTION_TOO_LONG = (
    f"Bad Request: command description length must not exceed {MAX_COMMAND_DESCRIPTION_LENGTH}"
)
TOO_MANY_COMMANDS = "Bad Request: BOT_COMMANDS_TOO_MUCH"
COMMANDS_UNPARSABLE = "Bad Request: can't parse commands JSON object"  # wording unverified
SCOPE_UNPARSABLE = "Bad Request: can't parse BotCommandScope JSON object"  # wording unverified
SCOPE_NOT_IN_PRIVATE = "Bad Request: can't use specified scope in private chats"
INVALID_LANGUAGE_CODE = "Bad Request: invalid language code specified"
DESCRIPTION_TOO_LONG = "Bad Request: description is too long"  # wording unverified
SHORT_DESCRIPTION_TOO_LONG = "Bad Request: short description is too long"  # wording unverified
NO_ADMINS_IN_PRIVATE = "Bad Request: there are no administrators in the private chat"
LEAVE_PRIVATE = "Bad Request: chat member status can't be changed in private chats"  # unverified
INVALID_FILE_ID = "Bad Request: invalid file_id"
FILE_ID_MISSING = "Bad Request: file_id not specified"
NO_DOCUMENT = "Bad Request: there is no document in the request"
WRONG_FILE_ID_OR_URL = "Bad Request: wrong file identifier/HTTP URL specified"
URL_CONTENT_FAILED = "Bad Request: failed to get HTTP URL content"
FILE_EMPTY = "Bad Request: file must be non-empty"
FILE_TOO_BIG = "Bad Request: file is too big"
WRONG_CHAT_ACTION = "Bad Request: wrong parameter action in request"

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

# --------------------------------------------------------------------------------------------
# Plain data: the world the stand-in keeps
# --------------------------------------------------------------------------------------------


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(
        self, description: str, error_code: int = 400, parameters: JSON | None = None
    ) -> None:
        super().__init__(description)
        self.description = description
        self.error_code = error_code
        self.parameters = parameters

    def envelope(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


class WaitTimeout(AssertionError):
    """``wait_until``/``wait_for`` gave up; the message lists the bot's latest calls."""


@dataclass(frozen=True)
class BotInfo:
    """A bot account. Its token must start with ``f"{id}:"``, as Telegram's tokens do."""

    id: int
    username: str
    first_name: str
    last_name: str | None = None
    can_join_groups: bool = True
    can_read_all_group_messages: bool = False
    supports_inline_queries: bool = False

    def user_json(self) -> JSON:
        user: JSON = {"id": self.id, "is_bot": True, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        user["username"] = self.username
        return user

    def get_me_json(self) -> JSON:
        return {
            **self.user_json(),
            "can_join_groups": self.can_join_groups,
            "can_read_all_group_messages": self.can_read_all_group_messages,
            "supports_inline_queries": self.supports_inline_queries,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def as_user(self) -> UserInfo:
        return UserInfo(
            id=self.id,
            first_name=self.first_name,
            last_name=self.last_name,
            username=self.username,
            is_bot=True,
        )


DEFAULT_TOKEN = "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
DEFAULT_BOT = BotInfo(id=123456, username="exempt_test_bot", first_name="Exempt")


@dataclass
class UserInfo:
    """A Telegram user (mutable: a test may change ``language_code`` between messages)."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False
    is_premium: bool | None = None

    def to_json(self) -> JSON:
        user: JSON = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        if self.is_premium:
            user["is_premium"] = True
        return user


@dataclass
class Member:
    """A user's standing in a group: creator, administrator, member, left or kicked."""

    user: UserInfo
    status: str = "member"
    is_anonymous: bool = False
    can_delete_messages: bool = True
    custom_title: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.status in ("creator", "administrator")

    @property
    def is_present(self) -> bool:
        return self.status in ("creator", "administrator", "member", "restricted")

    def to_json(self) -> JSON:
        member: JSON = {"status": self.status, "user": self.user.to_json()}
        if self.status == "creator":
            member["is_anonymous"] = self.is_anonymous
        elif self.status == "administrator":
            member.update(
                can_be_edited=False,
                is_anonymous=self.is_anonymous,
                can_manage_chat=True,
                can_delete_messages=self.can_delete_messages,
                can_manage_video_chats=True,
                can_restrict_members=True,
                can_promote_members=False,
                can_change_info=True,
                can_invite_users=True,
                can_post_stories=False,
                can_edit_stories=False,
                can_delete_stories=False,
                can_pin_messages=True,
                can_manage_topics=False,
            )
        elif self.status == "kicked":
            member["until_date"] = 0
        if self.custom_title and self.is_admin:
            member["custom_title"] = self.custom_title
        return member


@dataclass
class ChatInfo:
    """A chat as Telegram knows it. Private chats have the user's id; groups negative ids."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    members: dict[int, Member] = field(default_factory=dict)
    migrated_to: int | None = None
    migrated_from: int | None = None

    @property
    def is_private(self) -> bool:
        return self.type == "private"

    @property
    def kind(self) -> str:
        """The word Telegram uses for this chat in membership errors: group or supergroup."""
        return "supergroup" if self.type == "supergroup" else "group"

    def to_json(self) -> JSON:
        chat: JSON = {"id": self.id, "type": self.type}
        if self.title is not None:
            chat["title"] = self.title
        if self.username:
            chat["username"] = self.username
        if self.first_name is not None:
            chat["first_name"] = self.first_name
        if self.last_name:
            chat["last_name"] = self.last_name
        return chat

    def full_info_json(self) -> JSON:
        info = self.to_json()
        info.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": True,
                "limited_gifts": True,
                "unique_gifts": True,
                "premium_subscription": True,
                "gifts_from_channels": True,
            },
        )
        if not self.is_private:
            info["permissions"] = {
                "can_send_messages": True,
                "can_send_audios": True,
                "can_send_documents": True,
                "can_send_photos": True,
                "can_send_videos": True,
                "can_send_video_notes": True,
                "can_send_voice_notes": True,
                "can_send_polls": True,
                "can_send_other_messages": True,
                "can_add_web_page_previews": True,
                "can_change_info": False,
                "can_invite_users": True,
                "can_pin_messages": False,
                "can_manage_topics": False,
            }
        if self.migrated_from is not None and self.type == "supergroup":
            info["migrated_from_chat_id"] = self.migrated_from
        return info


@dataclass
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content: bytes
    mime_type: str

    def __repr__(self) -> str:
        return f"UploadedFile({self.filename!r}, {len(self.content)} bytes, {self.mime_type!r})"


@dataclass
class FileRecord:
    """A file a bot can fetch with getFile and download."""

    file_id: str
    file_unique_id: str
    content: bytes
    file_name: str | None = None
    mime_type: str | None = None
    file_path: str | None = None
    file_path_issued: float = 0.0  # stand-in clock time when getFile issued file_path

    @property
    def file_size(self) -> int:
        return len(self.content)

    def document_json(self) -> JSON:
        document: JSON = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
        }
        if self.file_name:
            document["file_name"] = self.file_name
        if self.mime_type:
            document["mime_type"] = self.mime_type
        return document


@dataclass
class Download:
    """A GET of ``/file/bot<token>/<file_path>``, answered or not."""

    token: str
    file_path: str
    status: int
    time: float


@dataclass
class MessageRecord:
    """One message of a chat, as one bot sees it, in its current state.

    ``text`` is the text after entity parsing (the caption for media); ``html`` is the raw
    ``text``/``caption`` parameter as the bot sent it (whatever its parse_mode); ``history``
    keeps earlier texts of edited messages.
    """

    message_id: int
    chat_id: int
    from_bot: bool
    sender: UserInfo
    date: int
    kind: str = "text"
    text: str | None = None
    html: str | None = None
    parse_mode: str | None = None
    entities: list[JSON] = field(default_factory=list)
    entities_parsed: int = 0
    reply_markup: JSON | None = None
    content: JSON = field(default_factory=dict)
    sender_chat_id: int | None = None
    reply_to_message_id: int | None = None
    deleted: bool = False
    edited: bool = False
    edit_date: int | None = None
    disable_notification: bool = False
    protect_content: bool = False
    link_preview_options: JSON | None = None
    delivered: bool = True
    history: list[str] = field(default_factory=list)

    @property
    def entities_count(self) -> int:
        return len(self.entities)

    @property
    def is_service(self) -> bool:
        return self.kind == "service"

    @property
    def inline_keyboard(self) -> list[list[JSON]]:
        if not self.reply_markup:
            return []
        return cast("list[list[JSON]]", self.reply_markup.get("inline_keyboard") or [])

    @property
    def buttons(self) -> list[list[str]]:
        """The visible texts of the inline keyboard, row by row."""
        return [[str(button.get("text")) for button in row] for row in self.inline_keyboard]

    def button(self, text: str) -> JSON:
        """The inline button with this visible text (``LookupError`` lists the others)."""
        for row in self.inline_keyboard:
            for candidate in row:
                if candidate.get("text") == text:
                    return candidate
        raise LookupError(
            f"no button {text!r} on message {self.message_id} in chat {self.chat_id}; "
            f"buttons: {self.buttons}"
        )

    def entities_of(self, entity_type: str) -> list[str]:
        """The pieces of ``text`` that carry entities of this type (e.g. "bold")."""
        text = self.text or ""
        return [
            utf16_slice(text, entity["offset"], entity["length"])
            for entity in self.entities
            if entity["type"] == entity_type
        ]


@dataclass
class ChatView:
    """One chat as one bot sees it: ``api.chat(chat_id)``."""

    bot_id: int
    chat: ChatInfo
    messages: list[MessageRecord] = field(default_factory=list)
    next_message_id: int = 1

    def message(self, message_id: int) -> MessageRecord:
        for message in self.messages:
            if message.message_id == message_id:
                return message
        raise LookupError(f"no message {message_id} in chat {self.chat.id}")

    def find(self, message_id: int | None) -> MessageRecord | None:
        if message_id is None:
            return None
        for message in self.messages:
            if message.message_id == message_id:
                return message
        return None

    @property
    def visible_messages(self) -> list[MessageRecord]:
        return [message for message in self.messages if not message.deleted]

    @property
    def bot_messages(self) -> list[MessageRecord]:
        """The bot's messages that are still there."""
        return [m for m in self.messages if m.from_bot and not m.deleted]

    @property
    def last_bot_message(self) -> MessageRecord | None:
        messages = self.bot_messages
        return messages[-1] if messages else None


@dataclass
class CallbackAnswer:
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None
    time: float


@dataclass
class CallbackQueryRecord:
    id: str
    chat_id: int
    message_id: int
    user_id: int
    data: str
    created: float
    answer: CallbackAnswer | None = None

    @property
    def answered(self) -> bool:
        return self.answer is not None


@dataclass
class Call:
    """A recorded Bot API request. ``method, params = call`` unpacks the two main fields."""

    token: str
    method: str
    params: dict[str, Any]
    time: float
    error_code: int | None = None
    description: str | None = None
    result: Any = None
    done: bool = False
    abandoned: bool = False
    """A long poll whose client went away (PTB stopping, a killed process) before the answer."""
    body_size: int = 0
    """Bytes of the HTTP request body (what the bot put on the wire for this call)."""

    @property
    def ok(self) -> bool:
        return self.done and self.error_code is None

    @property
    def uploads(self) -> list[UploadedFile]:
        """The files this request uploaded (multipart parts with a file name)."""
        return [value for value in self.params.values() if isinstance(value, UploadedFile)]

    def __iter__(self) -> Iterator[Any]:
        return iter((self.method, self.params))


@dataclass
class WebhookDelivery:
    url: str
    update_id: int
    status: int | None
    error: str | None
    secret_token_sent: str | None
    time: float


@dataclass
class _Webhook:
    url: str
    secret_token: str | None
    max_connections: int
    ip_address: str | None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class _Injection:
    remaining: int
    error: ApiError
    methods: frozenset[str] | None
    chat_id: int | None = None  # only calls naming this chat (Telegram's flood control is per chat)
    until: float | None = None  # stand-in clock: every call until then, whatever the count


@dataclass
class _Poll:
    aborted: str | None = None


@dataclass
class _BotState:
    token: str
    info: BotInfo
    next_update_id: int = 10_000
    updates: list[JSON] = field(default_factory=list)
    allowed_updates: list[str] | None = None
    dropped_updates: list[JSON] = field(default_factory=list)
    handed_out: dict[int, int] = field(default_factory=dict)
    polls: list[_Poll] = field(default_factory=list)
    webhook: _Webhook | None = None
    webhook_retry_at: float = 0.0
    webhook_deliveries: list[WebhookDelivery] = field(default_factory=list)
    commands: dict[tuple[tuple[Any, ...], str], list[JSON]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    short_descriptions: dict[str, str] = field(default_factory=dict)
    callback_queries: dict[str, CallbackQueryRecord] = field(default_factory=dict)
    files: dict[str, FileRecord] = field(default_factory=dict)
    files_by_path: dict[str, FileRecord] = field(default_factory=dict)
    views: dict[int, ChatView] = field(default_factory=dict)
    seen_chats: set[int] = field(default_factory=set)
    blocked_by: set[int] = field(default_factory=set)
    not_started: set[int] = field(default_factory=set)
    injections: list[_Injection] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Text: UTF-16 arithmetic, entity parsing as Telegram (tdlib) does it
# --------------------------------------------------------------------------------------------


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def utf16_slice(text: str, offset: int, length: int) -> str:
    encoded = text.encode("utf-16-le")
    return encoded[offset * 2 : (offset + length) * 2].decode("utf-16-le", errors="replace")


def _u16_offsets(text: str) -> list[int]:
    """UTF-16 offset of every code point index of ``text`` (and of its end)."""
    offsets = [0]
    total = 0
    for char in text:
        total += 2 if ord(char) > 0xFFFF else 1
        offsets.append(total)
    return offsets


class EntityParseError(Exception):
    """An entity parsing failure, worded as tdlib words it."""


@dataclass
class FormattedText:
    text: str
    entities: list[JSON]
    entities_parsed: int


_TDLIB_SPACES = " \t\r\n\0\v\f"


def _is_space(char: str) -> bool:
    # tdlib reads a NUL-terminated buffer; the end of the text behaves as a space.
    return char == "" or char in _TDLIB_SPACES


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _decode_html_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Telegram's HTML entities: &lt; &gt; &amp; &quot; and numeric ones; others stay text."""
    n = len(text)
    end = pos + 1
    if end < n and text[end] == "#":
        end += 1
        code = 0
        if end < n and text[end] == "x":
            end += 1
            while end < n and text[end] in "0123456789abcdefABCDEF":
                code = code * 16 + int(text[end], 16)
                end += 1
                if code >= 0x10FFFF:
                    return None
        else:
            while end < n and "0" <= text[end] <= "9":
                code = code * 10 + int(text[end])
                end += 1
                if code >= 0x10FFFF:
                    return None
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    else:
        while end < n and text[end].isascii() and text[end].isalpha():
            end += 1
        named = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}.get(text[pos + 1 : end])
        if named is None:
            return None
        char = named
    if end < n and text[end] == ";":
        end += 1
    return char, end


_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SIMPLE_TAG_ENTITIES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}

UserLookup = Callable[[int], UserInfo | None]


def _link_entity(url: str, offset: int, length: int, users: UserLookup | None) -> JSON | None:
    match = re.fullmatch(r"tg://user\?id=(\d+)", url.strip())
    if match:
        user_id = int(match.group(1))
        user = users(user_id) if users else None
        user_json = user.to_json() if user else {"id": user_id, "is_bot": False, "first_name": ""}
        return {"type": "text_mention", "offset": offset, "length": length, "user": user_json}
    normalized, _reason = check_link(url)
    if normalized is None:
        return None  # Telegram drops links it cannot use, without an error
    return {"type": "text_link", "offset": offset, "length": length, "url": normalized}


def parse_html(text: str, users: UserLookup | None = None) -> tuple[str, list[JSON]]:
    """Parse Telegram-flavoured HTML into (text, entities); ``EntityParseError`` as tdlib words it.

    A transcription of tdlib's ``parse_html``: only the documented tags, only &lt; &gt; &amp;
    &quot; and numeric entities (any other ``&name;`` stays literal text), byte offsets in errors.
    """
    out: list[str] = []
    u16 = 0
    entities: list[JSON] = []
    # (tag, argument, utf16 offset, index into out)
    nested: list[tuple[str, str, int, int]] = []
    n = len(text)
    i = 0

    def at(index: int) -> str:
        return text[index] if index < n else ""

    while i < n:
        char = text[i]
        if char == "&":
            decoded = _decode_html_entity(text, i)
            if decoded is not None:
                out.append(decoded[0])
                u16 += utf16_len(decoded[0])
                i = decoded[1]
                continue
        if char != "<":
            out.append(char)
            u16 += 2 if ord(char) > 0xFFFF else 1
            i += 1
            continue

        begin = i
        i += 1
        if at(i) != "/":
            while not _is_space(at(i)) and at(i) != ">":
                i += 1
            if i >= n:
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                )
            tag = text[begin + 1 : i].lower()
            if tag not in _HTML_TAGS:
                raise EntityParseError(
                    f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                )
            argument = ""
            while at(i) != ">":
                while i < n and _is_space(at(i)):
                    i += 1
                if at(i) == ">":
                    break
                attribute_begin = i
                while not _is_space(at(i)) and at(i) not in "=>":
                    i += 1
                attribute = text[attribute_begin:i].lower()
                if not attribute:
                    raise EntityParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset '
                        f"{_byte_offset(text, begin)}"
                    )
                while i < n and _is_space(at(i)):
                    i += 1
                if i >= n:
                    raise EntityParseError(
                        f'Unclosed start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                    )
                if at(i) != "=":
                    if tag == "blockquote" and attribute == "expandable":
                        argument = "1"
                    continue
                i += 1
                while i < n and _is_space(at(i)):
                    i += 1
                if i >= n:
                    raise EntityParseError(
                        f'Unclosed start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                    )
                if at(i) not in "'\"":
                    token_begin = i
                    while at(i) and ((at(i).isascii() and at(i).isalnum()) or at(i) in ".-"):
                        i += 1
                    value = text[token_begin:i].lower()
                    if not _is_space(at(i)) and at(i) != ">":
                        raise EntityParseError(
                            "Unexpected end of name token at byte offset "
                            f"{_byte_offset(text, token_begin)}"
                        )
                else:
                    quote = at(i)
                    i += 1
                    value_chars: list[str] = []
                    while i < n and at(i) != quote:
                        if at(i) == "&":
                            decoded = _decode_html_entity(text, i)
                            if decoded is not None:
                                value_chars.append(decoded[0])
                                i = decoded[1]
                                continue
                        value_chars.append(at(i))
                        i += 1
                    if at(i) == quote:
                        i += 1
                    value = "".join(value_chars)
                if i >= n:
                    raise EntityParseError(
                        f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                    )
                if tag == "a" and attribute == "href":
                    argument = value
                elif tag == "code" and attribute == "class" and value.startswith("language-"):
                    argument = value[len("language-") :]
                elif tag == "span" and attribute == "class" and value.startswith("tg-"):
                    argument = value[len("tg-") :]
                elif tag == "tg-emoji" and attribute == "emoji-id":
                    argument = value
                elif tag == "blockquote" and attribute == "expandable":
                    argument = "1"
            if tag == "span" and argument != "spoiler":
                raise EntityParseError(
                    'Tag "span" must have class "tg-spoiler" at byte offset '
                    f"{_byte_offset(text, begin)}"
                )
            if tag == "tg-emoji" and not argument.isdigit():
                raise EntityParseError("Invalid custom emoji identifier specified")
            nested.append((tag, argument, u16, len(out)))
        else:
            if not nested:
                raise EntityParseError(
                    f"Unexpected end tag at byte offset {_byte_offset(text, begin)}"
                )
            while not _is_space(at(i)) and at(i) != ">":
                i += 1
            end_tag = text[begin + 2 : i].lower()
            while i < n and _is_space(at(i)):
                i += 1
            if at(i) != ">":
                raise EntityParseError(
                    f"Unclosed end tag at byte offset {_byte_offset(text, begin)}"
                )
            tag, argument, offset, out_begin = nested[-1]
            if end_tag and end_tag != tag:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
                    f'expected "</{tag}>", found "</{end_tag}>"'
                )
            length = u16 - offset
            if length > 0:
                entity: JSON | None
                if tag in _SIMPLE_TAG_ENTITIES:
                    entity = {"type": _SIMPLE_TAG_ENTITIES[tag], "offset": offset, "length": length}
                elif tag == "a":
                    url = argument or "".join(out[out_begin:])
                    entity = _link_entity(url, offset, length, users)
                elif tag == "tg-emoji":
                    entity = {
                        "type": "custom_emoji",
                        "offset": offset,
                        "length": length,
                        "custom_emoji_id": argument,
                    }
                elif tag == "blockquote":
                    entity = {
                        "type": "expandable_blockquote" if argument else "blockquote",
                        "offset": offset,
                        "length": length,
                    }
                elif tag == "code":
                    entity = {"type": "code", "offset": offset, "length": length}
                    if argument:  # only kept if a <pre> closes around exactly this <code>
                        entity["_language"] = argument
                else:  # pre
                    entity = {"type": "pre", "offset": offset, "length": length}
                    last = entities[-1] if entities else None
                    if (
                        last is not None
                        and last["type"] == "code"
                        and last["offset"] == offset
                        and last["length"] == length
                    ):
                        entities.pop()
                        if last.get("_language"):
                            entity["language"] = last["_language"]
                if entity is not None:
                    entities.append(entity)
            nested.pop()
        i += 1  # the closing '>'

    if nested:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{nested[-1][0]}"')
    for entity in entities:
        entity.pop("_language", None)
    return "".join(out), entities


_MD2_TYPE_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "pre_code": "PreCode",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


def parse_markdown_v2(text: str, users: UserLookup | None = None) -> tuple[str, list[JSON]]:
    """Parse MarkdownV2 as tdlib does (``EntityParseError`` with tdlib's wording)."""
    out: list[str] = []
    u16 = 0
    entities: list[JSON] = []
    # (type, argument, utf16 offset, byte offset of the opening, index into out)
    nested: list[tuple[str, str, int, int, int]] = []
    quote_start: int | None = None
    quote_expandable = False
    n = len(text)
    i = 0

    def at(index: int) -> str:
        return text[index] if index < n else ""

    def emit(chars: str) -> None:
        nonlocal u16
        out.append(chars)
        u16 += utf16_len(chars)

    def close_quote() -> None:
        nonlocal quote_start
        if quote_start is not None:
            end = u16
            if out and out[-1] == "\n":
                end -= 1
            if end > quote_start:
                kind = "expandable_blockquote" if quote_expandable else "blockquote"
                entities.append({"type": kind, "offset": quote_start, "length": end - quote_start})
        quote_start = None

    while i < n:
        char = text[i]
        line_start = i == 0 or text[i - 1] == "\n"
        in_code = bool(nested) and nested[-1][0] in ("code", "pre", "pre_code")
        if not in_code and line_start:
            if char == ">" or text.startswith("**>", i):
                expandable = text.startswith("**>", i)
                if quote_start is None:
                    quote_start = u16
                    quote_expandable = expandable
                i += 3 if expandable else 1
                continue
            if quote_start is not None:
                close_quote()
        if char == "\\" and 0 < ord(at(i + 1) or "\0") <= 126:
            emit(text[i + 1])
            i += 2
            continue
        if (
            quote_start is not None
            and quote_expandable
            and text.startswith("||", i)
            and (i + 2 == n or at(i + 2) == "\n")
            and not (nested and nested[-1][0] == "spoiler")
        ):
            i += 2
            continue
        reserved = "`" if in_code else "_*[]()~`>#+-=|{}.!"
        if char not in reserved:
            emit(char)
            i += 1
            continue

        ends_entity = False
        if nested:
            current = nested[-1][0]
            ends_entity = {
                "bold": char == "*",
                "italic": char == "_" and at(i + 1) != "_",
                "code": char == "`",
                "pre": text.startswith("```", i),
                "pre_code": text.startswith("```", i),
                "text_link": char == "]",
                "underline": text.startswith("__", i),
                "strikethrough": char == "~",
                "spoiler": text.startswith("||", i),
                "custom_emoji": char == "]",
            }[current]

        if not ends_entity:
            entity_type: str
            argument = ""
            byte_offset = _byte_offset(text, i)
            if char == "_":
                if at(i + 1) == "_":
                    entity_type = "underline"
                    i += 1
                else:
                    entity_type = "italic"
            elif char == "*":
                entity_type = "bold"
            elif char == "~":
                entity_type = "strikethrough"
            elif char == "|" and at(i + 1) == "|":
                entity_type = "spoiler"
                i += 1
            elif char == "[":
                entity_type = "text_link"
            elif char == "`":
                if text.startswith("```", i):
                    i += 3
                    entity_type = "pre"
                    language_end = i
                    while not _is_space(at(language_end)) and at(language_end) != "`":
                        language_end += 1
                    if i != language_end and language_end < n and at(language_end) != "`":
                        entity_type = "pre_code"
                        argument = text[i:language_end]
                        i = language_end
                    if at(i) in "\r\n" and at(i):
                        if at(i + 1) in "\r\n" and at(i + 1) and at(i) != at(i + 1):
                            i += 2
                        else:
                            i += 1
                    i -= 1
                else:
                    entity_type = "code"
            elif char == "!" and at(i + 1) == "[":
                entity_type = "custom_emoji"
                i += 1
            else:
                raise EntityParseError(
                    f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
                )
            nested.append((entity_type, argument, u16, byte_offset, len(out)))
            i += 1
            continue

        entity_type, argument, offset, _byte, out_begin = nested.pop()
        skip = u16 == offset
        entity: JSON | None = None
        if entity_type in ("underline", "spoiler"):
            i += 1
        elif entity_type in ("pre", "pre_code"):
            i += 2
        elif entity_type in ("text_link", "custom_emoji"):
            if at(i + 1) != "(":
                if entity_type == "custom_emoji":
                    raise EntityParseError("Custom emoji entity must contain a tg://emoji URL")
                url = "".join(out[out_begin:])
            else:
                i += 2
                url_begin = i
                url_chars: list[str] = []
                while i < n and at(i) != ")":
                    if at(i) == "\\" and 0 < ord(at(i + 1) or "\0") <= 126:
                        url_chars.append(at(i + 1))
                        i += 2
                        continue
                    url_chars.append(at(i))
                    i += 1
                if at(i) != ")":
                    raise EntityParseError(
                        f"Can't find end of a URL at byte offset {_byte_offset(text, url_begin)}"
                    )
                url = "".join(url_chars)
            if not skip:
                if entity_type == "custom_emoji":
                    match = re.fullmatch(r"tg://emoji\?id=(\d+)", url)
                    if match is None:
                        raise EntityParseError("Custom emoji URL must have an emoji identifier")
                    entity = {
                        "type": "custom_emoji",
                        "offset": offset,
                        "length": u16 - offset,
                        "custom_emoji_id": match.group(1),
                    }
                else:
                    entity = _link_entity(url, offset, u16 - offset, users)
        if not skip and entity is None and entity_type not in ("text_link", "custom_emoji"):
            entity = {
                "type": "pre" if entity_type == "pre_code" else entity_type,
                "offset": offset,
                "length": u16 - offset,
            }
            if entity_type == "pre_code":
                entity["language"] = argument
        if entity is not None:
            entities.append(entity)
        i += 1

    if nested:
        entity_type, _argument, _offset, byte_offset, _out_begin = nested[-1]
        raise EntityParseError(
            f"Can't find end of {_MD2_TYPE_NAMES[entity_type]} entity at byte offset {byte_offset}"
        )
    close_quote()
    return "".join(out), entities


def parse_markdown(text: str, users: UserLookup | None = None) -> tuple[str, list[JSON]]:
    """Parse legacy Markdown (``parse_mode="Markdown"``) as tdlib does."""
    out: list[str] = []
    u16 = 0
    entities: list[JSON] = []
    n = len(text)
    i = 0

    def at(index: int) -> str:
        return text[index] if index < n else ""

    while i < n:
        char = text[i]
        if char == "\\" and at(i + 1) in ("_", "*", "`", "["):
            out.append(text[i + 1])
            u16 += 1
            i += 2
            continue
        if char not in "_*`[":
            out.append(char)
            u16 += 2 if ord(char) > 0xFFFF else 1
            i += 1
            continue
        begin = i
        end_char = "]" if char == "[" else char
        is_pre = False
        language = ""
        i += 1
        if char == "`" and at(i) == "`" and at(i + 1) == "`":
            i += 2
            is_pre = True
            language_end = i
            while not _is_space(at(language_end)) and at(language_end) != "`":
                language_end += 1
            if i != language_end and language_end < n and at(language_end) != "`":
                language = text[i:language_end]
                i = language_end
            if at(i) in ("\n", "\r"):
                if at(i + 1) in ("\n", "\r") and at(i) != at(i + 1):
                    i += 2
                else:
                    i += 1
        offset = u16
        out_begin = len(out)
        while i < n and (
            at(i) != end_char or (is_pre and not (at(i + 1) == "`" and at(i + 2) == "`"))
        ):
            out.append(text[i])
            u16 += 2 if ord(text[i]) > 0xFFFF else 1
            i += 1
        if i >= n:
            raise EntityParseError(
                f"Can't find end of the entity starting at byte offset {_byte_offset(text, begin)}"
            )
        length = u16 - offset
        if length > 0:
            if char == "_":
                entities.append({"type": "italic", "offset": offset, "length": length})
            elif char == "*":
                entities.append({"type": "bold", "offset": offset, "length": length})
            elif char == "[":
                if at(i + 1) == "(":
                    i += 2
                    url_begin = i
                    while i < n and at(i) != ")":
                        i += 1
                    url = text[url_begin:i]
                else:
                    url = "".join(out[out_begin:])
                entity = _link_entity(url, offset, length, users)
                if entity is not None:
                    entities.append(entity)
            elif is_pre:
                pre: JSON = {"type": "pre", "offset": offset, "length": length}
                if language:
                    pre["language"] = language
                entities.append(pre)
            else:
                entities.append({"type": "code", "offset": offset, "length": length})
        if is_pre:
            i += 2
        i += 1
    return "".join(out), entities


_HOST_LABEL = re.compile(r"(?!-)[\w-]{1,63}(?<!-)", re.UNICODE)


def check_link(url: str) -> tuple[str | None, str]:
    """Check a link the way tdlib's ``check_link`` roughly does: (normalized URL, or None and why).

    http(s) links need a real-looking host (``localhost`` is refused: "Wrong HTTP URL"); tg:// and
    ton:// links pass; other schemes are refused. A link without a scheme gets ``http://``.
    """
    url = url.strip()
    if not url:
        return None, "Wrong HTTP URL"
    scheme_match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", url)
    if scheme_match:
        scheme = scheme_match.group(1).lower()
        rest = url[scheme_match.end() :]
    elif re.match(r"(tg|ton|tonsite):", url, re.IGNORECASE):
        return url, ""
    else:
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:(?!\d)", url):
            return None, "Unsupported URL protocol"
        scheme, rest = "http", url
        url = "http://" + url
    if scheme in ("tg", "ton", "tonsite"):
        return (url, "") if rest else (None, "Wrong URL")
    if scheme not in ("http", "https"):
        return None, "Unsupported URL protocol"
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    host_port = authority.rsplit("@", 1)[-1]
    host, _, port = host_port.partition(":")
    if port and (not port.isdigit() or not 0 < int(port) < 65536):
        return None, "Wrong port number specified in the URL"
    host = host.rstrip(".").lower()
    if re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}", host):
        if all(int(part) <= 255 for part in host.split(".")):
            return url, ""
        return None, "Wrong HTTP URL"
    labels = host.split(".")
    if (
        len(labels) < 2
        or not all(_HOST_LABEL.fullmatch(label) for label in labels)
        or not (labels[-1].isalpha() or labels[-1].startswith("xn--"))
        or len(labels[-1]) < 2
    ):
        return None, "Wrong HTTP URL"
    return url, ""


_AUTO_ENTITIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("url", re.compile(r"(?<![\w@/.])https?://[^\s<>\"]+", re.IGNORECASE)),
    (
        "bot_command",
        re.compile(r"(?<![\w/<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z][A-Za-z0-9_]{2,31})?(?![\w@/])"),
    ),
    ("mention", re.compile(r"(?<![\w@/])@[A-Za-z][A-Za-z0-9_]{3,31}(?![\w@])")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d_]\w*")),
    ("email", re.compile(r"(?<![\w.@])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")),
)
_OPAQUE_ENTITY_TYPES = frozenset(
    {"code", "pre", "text_link", "text_mention", "custom_emoji", "url", "email", "mention"}
)


def detect_entities(text: str, existing: Sequence[JSON] = ()) -> list[JSON]:
    """The entities Telegram finds by itself: URLs, /commands, @mentions, #hashtags, e-mails."""
    offsets = _u16_offsets(text)
    taken = [
        (e["offset"], e["offset"] + e["length"])
        for e in existing
        if e["type"] in _OPAQUE_ENTITY_TYPES
    ]
    found: list[JSON] = []
    for entity_type, pattern in _AUTO_ENTITIES:
        for match in pattern.finditer(text):
            start, end = match.span()
            if entity_type == "url":
                while end > start and text[end - 1] in ".,;:!?)'\"":
                    end -= 1
            u_start, u_end = offsets[start], offsets[end]
            if any(u_start < t_end and t_start < u_end for t_start, t_end in taken):
                continue
            taken.append((u_start, u_end))
            found.append({"type": entity_type, "offset": u_start, "length": u_end - u_start})
    return sorted(found, key=lambda e: (e["offset"], -e["length"]))


_ENTITY_TYPES = frozenset(
    {
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "blockquote",
        "expandable_blockquote",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
    }
)


def _explicit_entities(raw: Any, text: str) -> list[JSON]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise ApiError("Bad Request: can't parse entities JSON object") from None
    if not isinstance(raw, list):
        raise ApiError("Bad Request: can't parse entities JSON object")
    total = utf16_len(text)
    entities: list[JSON] = []
    for item in raw:
        if not isinstance(item, dict) or item.get("type") not in _ENTITY_TYPES:
            continue
        try:
            offset, length = int(item["offset"]), int(item["length"])
        except (KeyError, TypeError, ValueError):
            continue
        end = min(offset + length, total)
        if offset < 0 or end <= offset:
            continue
        entity = {k: v for k, v in item.items() if k not in ("offset", "length")}
        entity.update(offset=offset, length=end - offset)
        entities.append(entity)
    return entities


_STRIPPED = " \t\r\n\v\f"
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean_input(text: str) -> str:
    """As tdlib's clean_input_string: carriage returns go, other control characters become
    spaces (tabs and newlines stay)."""
    return _CONTROL_CHARACTERS.sub(" ", text.replace("\r", ""))


def _strip_formatted(text: str, entities: list[JSON]) -> tuple[str, list[JSON]]:
    """Telegram trims leading and trailing whitespace; entities follow the text."""
    stripped_left = text.lstrip(_STRIPPED)
    left = len(text) - len(stripped_left)
    stripped = stripped_left.rstrip(_STRIPPED)
    if left == 0 and len(stripped) == len(text):
        return text, entities
    shift = utf16_len(text[:left])
    total = utf16_len(stripped)
    kept: list[JSON] = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, total)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def format_text(
    raw: str,
    parse_mode: str | None = None,
    entities: Any = None,
    *,
    users: UserLookup | None = None,
) -> FormattedText:
    """Text and entities as Telegram stores them for a ``text``/``caption`` with this formatting.

    Raises ``ApiError`` ("can't parse entities: ...", "unsupported parse_mode") like Telegram.
    Does not check lengths; the caller knows whether it formats a text or a caption.
    """
    mode = (parse_mode or "").strip().lower()
    raw = _clean_input(raw)
    try:
        if mode == "html":
            text, found = parse_html(raw, users)
        elif mode == "markdownv2":
            text, found = parse_markdown_v2(raw, users)
        elif mode == "markdown":
            text, found = parse_markdown(raw, users)
        elif mode in ("", "none"):
            text = raw
            found = _explicit_entities(entities, raw) if entities not in (None, "") else []
        else:
            raise ApiError(UNSUPPORTED_PARSE_MODE)
    except EntityParseError as error:
        raise ApiError(CANT_PARSE_ENTITIES.format(error)) from None
    text, found = _strip_formatted(text, found)
    found = found + detect_entities(text, found)
    found.sort(key=lambda e: (e["offset"], -e["length"]))
    return FormattedText(text=text, entities=found[:MAX_ENTITIES], entities_parsed=len(found))


# --------------------------------------------------------------------------------------------
# Request decoding
# --------------------------------------------------------------------------------------------

# Parameters whose form value is the string itself (everything else is JSON-encoded by clients).
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "url",
        "secret_token",
        "language_code",
        "description",
        "short_description",
        "file_id",
        "ip_address",
        "inline_message_id",
        "action",
        "business_connection_id",
        "message_effect_id",
        "title",
        "name",
        "emoji",
        "custom_title",
        "query",
        "document",
        "photo",
        "sticker",
        "thumbnail",
    }
)


def _decoded_view(params: Mapping[str, Any]) -> dict[str, Any]:
    view: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, str) and key not in _STRING_PARAMS:
            try:
                view[key] = json.loads(value)
            except ValueError:
                view[key] = value
        else:
            view[key] = value
    return view


def _unescape_form_param(value: str) -> str:
    return re.sub(r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), value)


def _parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if match is None:
        raise ApiError("Bad Request: multipart boundary is not specified")  # wording unverified
    delimiter = b"--" + match.group(1).encode("latin-1")
    params: dict[str, Any] = {}
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.removeprefix(b"\r\n")
        head, _, data = chunk.partition(b"\r\n\r\n")
        data = data.removesuffix(b"\r\n")
        headers = head.decode("utf-8", errors="replace")
        name = re.search(r'\bname="([^"]*)"', headers)
        if name is None:
            continue
        filename = re.search(r'\bfilename="([^"]*)"', headers)
        mime = re.search(r"(?im)^content-type:\s*([^\r\n;]+)", headers)
        key = _unescape_form_param(name.group(1))
        if filename is not None:
            params[key] = UploadedFile(
                filename=_unescape_form_param(filename.group(1)),
                content=data,
                mime_type=mime.group(1).strip() if mime else "application/octet-stream",
            )
        else:
            params[key] = data.decode("utf-8", errors="replace")
    return params


def _decode_params(content_type: str, body: bytes, query: str) -> dict[str, Any]:
    params: dict[str, Any] = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return params
    if media_type == "application/json":
        try:
            decoded = json.loads(body)
        except ValueError:
            raise ApiError("Bad Request: can't parse JSON encoded request") from None
        if not isinstance(decoded, dict):
            raise ApiError("Bad Request: can't parse JSON encoded request")
        params.update(decoded)
    elif media_type == "multipart/form-data":
        params.update(_parse_multipart(content_type, body))
    else:
        pairs = urllib.parse.parse_qsl(
            body.decode("utf-8", errors="replace"), keep_blank_values=True
        )
        params.update(pairs)
    return params


def _opt_int(params: Mapping[str, Any], name: str) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return int(value)
    try:
        return int(str(value).strip())
    except ValueError:
        return None  # Telegram reads garbage as 0, which names nothing


def _opt_float(params: Mapping[str, Any], name: str) -> float:
    value = params.get(name)
    try:
        return float(value) if value not in (None, "") else 0.0
    except (TypeError, ValueError):
        return 0.0


def _opt_bool(params: Mapping[str, Any], name: str) -> bool:
    value = params.get(name)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    return isinstance(value, str) and value.strip().lower() in ("true", "1")


def _opt_str(params: Mapping[str, Any], name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, UploadedFile):
        return None
    return json.dumps(value) if isinstance(value, dict | list) else str(value)


def _opt_json(params: Mapping[str, Any], name: str, unparsable: str) -> Any:
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError(unparsable) from None
    return value


# --------------------------------------------------------------------------------------------
# The stand-in
# --------------------------------------------------------------------------------------------

_METHODS: dict[str, tuple[str, bool, str]] = {}  # lower name -> (name, mutating, attribute)

Handler = TypeVar("Handler", bound=Callable[..., Any])


def _api(name: str, *, mutating: bool = True) -> Callable[[Handler], Handler]:
    """Register a Bot API method implementation (``mutating``: subject to flood injection)."""

    def register(function: Handler) -> Handler:
        _METHODS[name.lower()] = (name, mutating, function.__name__)
        return function

    return register


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    standin: BotAPIStandIn

    def __init__(self, address: tuple[str, int], standin: BotAPIStandIn) -> None:
        self.standin = standin
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _RequestHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host name (socket.getfqdn), which can take a while.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = (
            str(self.server_address[0]),
            int(self.server_address[1]),
        )


class _RequestHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm meets the
        # client's delayed ACK and every answer waits ~40 ms.
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        try:
            body = self._read_body()
            status, content_type, payload = self.server.standin._handle_http(
                self.command,
                self.path,
                self.headers.get("Content-Type", ""),
                body,
                self.connection,
            )
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            self.close_connection = True


class BotAPIStandIn:
    """A strict Telegram Bot API on 127.0.0.1 (see the module docstring). A context manager."""

    def __init__(
        self,
        tokens: Mapping[str, BotInfo] | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        auto_deliver_webhooks: bool = True,
        webhook_retry_delay: float = 0.2,
        strict_webhook_url: bool = False,
        callback_query_timeout: float | None = None,
        max_long_poll: float = 50.0,
    ) -> None:
        """``tokens`` maps each bot token to its account (default: one bot, ``DEFAULT_TOKEN``).

        ``strict_webhook_url`` applies Telegram's HTTPS-and-port rules to setWebhook (off by
        default, since the bot under test listens on plain http://127.0.0.1).
        ``callback_query_timeout``: seconds after which a press can no longer be answered
        (None: never, which keeps slow test machines out of the picture).
        """
        tokens = dict(tokens) if tokens is not None else {DEFAULT_TOKEN: DEFAULT_BOT}
        if not tokens:
            raise ValueError("at least one bot token is needed")
        self._bots: dict[str, _BotState] = {}
        for token, info in tokens.items():
            if not re.fullmatch(r"\d+:[A-Za-z0-9_-]+", token) or token.split(":")[0] != str(
                info.id
            ):
                raise ValueError(f"token {token!r} must look like '{info.id}:<secret>'")
            self._bots[token] = _BotState(token=token, info=info)
        self.host = host
        self._requested_port = port
        self.auto_deliver_webhooks = auto_deliver_webhooks
        self.webhook_retry_delay = webhook_retry_delay
        self.strict_webhook_url = strict_webhook_url
        self.callback_query_timeout = callback_query_timeout
        self.max_long_poll = max_long_poll

        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._async_waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._calls: list[Call] = []
        self._downloads: list[Download] = []
        self._users: dict[int, UserInfo] = {}
        self._chats: dict[int, ChatInfo] = {}
        self._clock_offset = 0.0
        self._ids = itertools.count(1)
        self._closing = False
        self._httpd: _HTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._webhook_description: dict[str, str] = {}
        for bot in self._bots.values():
            self._users[bot.info.id] = bot.info.as_user()

    # ---- lifecycle ------------------------------------------------------------------------

    def start(self) -> BotAPIStandIn:
        if self._httpd is not None:
            return self
        self._closing = False
        self._httpd = _HTTPServer((self.host, self._requested_port), self)
        serve = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.01},  # how long `close` waits for it to notice
            name="botapi-standin-http",
            daemon=True,
        )
        serve.start()
        self._threads = [serve]
        for bot in self._bots.values():
            worker = threading.Thread(
                target=self._webhook_worker,
                args=(bot,),
                name=f"botapi-standin-webhook-{bot.info.id}",
                daemon=True,
            )
            worker.start()
            self._threads.append(worker)
        return self

    def close(self) -> None:
        httpd = self._httpd
        if httpd is None:
            return
        with self._lock:
            self._closing = True
            for bot in self._bots.values():
                for poll in bot.polls:
                    poll.aborted = poll.aborted or ""
            self._touch()
        httpd.shutdown()
        with httpd.connections_lock:
            for connection in list(httpd.connections):
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
        httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=2)
        self._httpd = None

    def __enter__(self) -> BotAPIStandIn:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the stand-in is not running; use it as a context manager")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``: PTB appends the token."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url(...)``: PTB appends the token."""
        return f"{self.url}/file/bot"

    @property
    def token(self) -> str:
        """The first bot's token (the only one, usually)."""
        return next(iter(self._bots))

    @property
    def tokens(self) -> list[str]:
        return list(self._bots)

    def bot_info(self, token: str | None = None) -> BotInfo:
        return self._bot(token).info

    def now(self) -> float:
        """The stand-in's clock: real time plus whatever ``advance_clock`` added."""
        return time.time() + self._clock_offset

    def advance_clock(self, seconds: float) -> None:
        """Move the stand-in's clock (message ages, callback query expiry) forward."""
        with self._lock:
            self._clock_offset += seconds
            self._touch()

    # ---- internals shared by everything -------------------------------------------------------

    def _bot(self, token: str | None) -> _BotState:
        if token is None:
            return self._bots[self.token]
        try:
            return self._bots[token]
        except KeyError:
            raise KeyError(f"unknown bot token {token!r}") from None

    def _touch(self) -> None:
        """Wake everybody who waits for a change (lock held)."""
        self._changed.notify_all()
        for loop, event in list(self._async_waiters):
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # loop closed
                self._async_waiters.discard((loop, event))

    def _new_id(self) -> int:
        return next(self._ids)

    def _view(self, bot: _BotState, chat: ChatInfo) -> ChatView:
        view = bot.views.get(chat.id)
        if view is None:
            view = bot.views[chat.id] = ChatView(bot_id=bot.info.id, chat=chat)
        return view

    def _lookup_user(self, user_id: int) -> UserInfo | None:
        return self._users.get(user_id)

    # ---- HTTP ---------------------------------------------------------------------------------

    def _handle_http(
        self,
        verb: str,
        raw_path: str,
        content_type: str,
        body: bytes,
        connection: socket.socket | None = None,
    ) -> tuple[int, str, bytes]:
        split = urllib.parse.urlsplit(raw_path)
        path = urllib.parse.unquote(split.path)
        if path.startswith("/file/bot"):
            token, _, file_path = path[len("/file/bot") :].partition("/")
            return self._download(verb, token, file_path)
        if not path.startswith("/bot"):
            return self._json_response(ApiError(NOT_FOUND, 404).envelope())
        token, _, method = path[len("/bot") :].partition("/")
        if not method or "/" in method:
            return self._json_response(ApiError(NOT_FOUND, 404).envelope())
        try:
            params = _decode_params(content_type, body, split.query)
        except ApiError as error:
            return self._json_response(error.envelope())
        return self._json_response(
            self._call(token, method, params, connection, body_size=len(body))
        )

    @staticmethod
    def _json_response(envelope: JSON) -> tuple[int, str, bytes]:
        status = 200 if envelope.get("ok") else int(envelope.get("error_code", 500))
        payload = json.dumps(envelope, ensure_ascii=False).encode("utf-8")
        return status, "application/json", payload

    def _download(self, verb: str, token: str, file_path: str) -> tuple[int, str, bytes]:
        """Telegram's file server: GET only, the path getFile gave this bot, while it is valid."""
        with self._lock:
            bot = self._bots.get(token)
            record = bot.files_by_path.get(file_path) if bot is not None else None
            if bot is None:
                answer = self._json_response(ApiError(UNAUTHORIZED, 401).envelope())
            elif verb != "GET":
                answer = 405, "text/plain", b"Method Not Allowed"  # wording unverified
            elif record is None or self.now() - record.file_path_issued > FILE_LINK_LIFETIME:
                answer = self._json_response(ApiError(NOT_FOUND, 404).envelope())
            else:
                answer = 200, record.mime_type or "application/octet-stream", record.content
            self._downloads.append(Download(token, file_path, answer[0], self.now()))
            self._touch()
            return answer

    def _call(
        self,
        token: str,
        method: str,
        params: dict[str, Any],
        connection: socket.socket | None = None,
        *,
        body_size: int = 0,
    ) -> JSON:
        entry = _METHODS.get(method.lower())
        name = entry[0] if entry else method
        call = Call(
            token=token,
            method=name,
            params=_decoded_view(params),
            time=self.now(),
            body_size=body_size,
        )
        try:
            with self._lock:
                self._calls.append(call)
                bot = self._bots.get(token)
                if bot is None:
                    raise ApiError(UNAUTHORIZED, 401)
                if entry is None:
                    raise ApiError(NOT_FOUND, 404)
                self._check_injections(bot, name, params, mutating=entry[1])
                if name != "getUpdates":
                    result = getattr(self, entry[2])(bot, params)
            if name == "getUpdates":
                result = self._get_updates(bot, params, connection, call)
        except ApiError as error:
            with self._lock:
                call.error_code, call.description = error.error_code, error.description
                call.done = True
                self._touch()
            return error.envelope()
        envelope: JSON = {"ok": True, "result": result}
        if name in ("setWebhook", "deleteWebhook"):
            with self._lock:
                envelope["description"] = self._webhook_description.pop(token, "")
        with self._lock:
            call.result = result
            call.done = True
            self._touch()
        return envelope

    def _check_injections(
        self, bot: _BotState, name: str, params: Mapping[str, Any], *, mutating: bool
    ) -> None:
        for injection in bot.injections:
            applies = (
                name.lower() in injection.methods if injection.methods is not None else mutating
            )
            if injection.chat_id is not None:
                applies = applies and _opt_int(params, "chat_id") == injection.chat_id
            if injection.until is not None:
                if applies and self.now() < injection.until:
                    left = max(1, round(injection.until - self.now()))
                    error = injection.error
                    if error.error_code == 429:  # Telegram says how long is left
                        error = ApiError(TOO_MANY_REQUESTS.format(left), 429,
                                         {"retry_after": left})
                    raise error
                continue
            if applies and injection.remaining > 0:
                injection.remaining -= 1
                raise injection.error
        now = self.now()
        bot.injections = [
            i for i in bot.injections
            if (i.until is not None and now < i.until) or (i.until is None and i.remaining > 0)
        ]

    # ---- updates: queueing, long polling, webhooks --------------------------------------------

    def push_update(self, update: JSON, token: str | None = None) -> JSON | None:
        """Queue an update for the bot (an ``update_id`` is assigned). None if filtered out.

        Telegram drops updates whose type the bot did not subscribe to (``allowed_updates``).
        """
        with self._lock:
            bot = self._bot(token)
            kind = next((key for key in update if key != "update_id"), "")
            allowed = bot.allowed_updates
            subscribed = kind not in NOT_DELIVERED_BY_DEFAULT if not allowed else kind in allowed
            if not subscribed:
                bot.dropped_updates.append(update)
                return None
            queued = {"update_id": bot.next_update_id, **update}
            bot.next_update_id += 1
            bot.updates.append(queued)
            self._note_chats(bot, update)
            self._touch()
            return queued

    def _note_chats(self, bot: _BotState, update: JSON) -> None:
        for value in update.values():
            if not isinstance(value, dict):
                continue
            chat = value.get("chat") or (value.get("message") or {}).get("chat")
            if isinstance(chat, dict) and "id" in chat:
                bot.seen_chats.add(int(chat["id"]))

    def _confirm(self, bot: _BotState, offset: int | None) -> None:
        if not offset:
            return
        if offset < 0:
            bot.updates = bot.updates[offset:]
        else:
            bot.updates = [u for u in bot.updates if u["update_id"] >= offset]

    def _get_updates(
        self,
        bot: _BotState,
        params: dict[str, Any],
        connection: socket.socket | None = None,
        call: Call | None = None,
    ) -> list[JSON]:
        offset = _opt_int(params, "offset")
        limit = _opt_int(params, "limit") or 100
        limit = 100 if limit <= 0 or limit > 100 else limit
        timeout = max(0.0, min(_opt_float(params, "timeout"), self.max_long_poll))
        allowed = _opt_json(params, "allowed_updates", "Bad Request: can't parse allowed_updates")
        with self._changed:
            if bot.webhook is not None:
                raise ApiError(CONFLICT_WEBHOOK_ACTIVE, 409)
            if isinstance(allowed, list):
                bot.allowed_updates = [str(kind) for kind in allowed if kind in UPDATE_TYPES]
            self._confirm(bot, offset)
            for other in bot.polls:
                other.aborted = other.aborted or CONFLICT_OTHER_POLL
            poll = _Poll()
            bot.polls.append(poll)
            self._touch()
            deadline = time.monotonic() + timeout
            try:
                while True:
                    if connection is not None and _peer_closed(connection):
                        if call is not None:
                            call.abandoned = True
                        return []  # nobody reads this answer; nothing was handed out
                    if poll.aborted is not None:
                        if self._closing:
                            return []
                        raise ApiError(poll.aborted, 409)
                    batch = bot.updates[:limit]
                    remaining = deadline - time.monotonic()
                    if batch or remaining <= 0:
                        for update in batch:
                            update_id = update["update_id"]
                            bot.handed_out[update_id] = bot.handed_out.get(update_id, 0) + 1
                        return [json.loads(json.dumps(update)) for update in batch]
                    self._changed.wait(min(remaining, 0.1))
            finally:
                bot.polls.remove(poll)
                self._touch()

    def _webhook_worker(self, bot: _BotState) -> None:
        while True:
            with self._changed:
                while not self._closing and not (
                    self.auto_deliver_webhooks
                    and bot.webhook is not None
                    and bot.updates
                    and time.monotonic() >= bot.webhook_retry_at
                ):
                    self._changed.wait(0.05)
                if self._closing or bot.webhook is None:
                    return  # (the webhook is never None here unless closing)
                update = bot.updates[0]
                webhook = bot.webhook
            status, error = self._post_update(webhook, update)
            with self._changed:
                bot.webhook_deliveries.append(
                    WebhookDelivery(
                        url=webhook.url,
                        update_id=update["update_id"],
                        status=status,
                        error=error,
                        secret_token_sent=webhook.secret_token,
                        time=self.now(),
                    )
                )
                if error is None and bot.updates and bot.updates[0] is update:
                    bot.updates.pop(0)
                    bot.webhook_retry_at = 0.0
                elif error is not None:
                    webhook.last_error_date = int(self.now())
                    webhook.last_error_message = error
                    bot.webhook_retry_at = time.monotonic() + self.webhook_retry_delay
                self._touch()

    @staticmethod
    def _post_update(
        webhook: _Webhook, update: JSON, timeout: float = 10.0
    ) -> tuple[int | None, str | None]:
        """POST one update the way Telegram does; (HTTP status, error message or None)."""
        split = urllib.parse.urlsplit(webhook.url)
        connection_class = (
            http.client.HTTPSConnection if split.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(split.hostname or "", split.port, timeout=timeout)
        headers = {"Content-Type": "application/json"}
        if webhook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secret_token
        path = split.path or "/"
        if split.query:
            path += "?" + split.query
        try:
            connection.request("POST", path, body=json.dumps(update).encode(), headers=headers)
            response = connection.getresponse()
            response.read()
        except ConnectionRefusedError:
            return None, "Connection refused"
        except TimeoutError:
            return None, "Read timeout expired"
        except OSError as error:
            return None, f"Connection error: {error}"
        finally:
            connection.close()
        if 200 <= response.status < 300:
            return response.status, None
        return response.status, (
            f"Wrong response from the webhook: {response.status} {response.reason}"
        )

    def deliver_webhook(self, token: str | None, update: JSON) -> int | None:
        """POST ``update`` to the bot's webhook now, with the secret token header; the HTTP status.

        The update is not queued (``update_id`` is assigned if missing). Blocks until the webhook
        answers: from async code whose event loop serves the webhook, use ``adeliver_webhook``.
        """
        with self._lock:
            bot = self._bot(token)
            if bot.webhook is None:
                raise RuntimeError("no webhook is set for this bot")
            webhook = bot.webhook
            if "update_id" not in update:
                update = {"update_id": bot.next_update_id, **update}
                bot.next_update_id += 1
            self._note_chats(bot, update)
        status, error = self._post_update(webhook, update)
        with self._lock:
            bot.webhook_deliveries.append(
                WebhookDelivery(
                    url=webhook.url,
                    update_id=update["update_id"],
                    status=status,
                    error=error,
                    secret_token_sent=webhook.secret_token,
                    time=self.now(),
                )
            )
            self._touch()
        return status

    async def adeliver_webhook(self, token: str | None, update: JSON) -> int | None:
        return await asyncio.to_thread(self.deliver_webhook, token, update)

    def webhook_deliveries(self, token: str | None = None) -> list[WebhookDelivery]:
        with self._lock:
            return list(self._bot(token).webhook_deliveries)

    def pending_updates(self, token: str | None = None) -> list[JSON]:
        """Updates not yet confirmed (getUpdates offset) or acknowledged (webhook 2xx)."""
        with self._lock:
            return list(self._bot(token).updates)

    def dropped_updates(self, token: str | None = None) -> list[JSON]:
        """Updates discarded because the bot's ``allowed_updates`` excluded their type."""
        with self._lock:
            return list(self._bot(token).dropped_updates)

    def times_fetched(self, update_id: int, token: str | None = None) -> int:
        """How many getUpdates answers carried this update (more than 1: it was re-delivered)."""
        with self._lock:
            return self._bot(token).handed_out.get(update_id, 0)

    def allowed_updates(self, token: str | None = None) -> list[str] | None:
        with self._lock:
            return self._bot(token).allowed_updates

    # ---- failure injection --------------------------------------------------------------------

    def inject_error(
        self,
        token: str | None = None,
        *,
        description: str,
        error_code: int = 400,
        count: int = 1,
        methods: Sequence[str] | None = None,
        parameters: JSON | None = None,
        chat_id: int | None = None,
        seconds: float | None = None,
    ) -> None:
        """Answer the next ``count`` calls with this error: calls to ``methods`` if given, else
        the next mutating calls (send*, edit*, delete*, answer*, set/deleteMy*, leaveChat...);
        with ``chat_id``, only calls naming that chat; with ``seconds``, every such call for that
        long instead of ``count`` calls."""
        with self._lock:
            self._bot(token).injections.append(
                _Injection(
                    remaining=count,
                    error=ApiError(description, error_code, parameters),
                    methods=frozenset(m.lower() for m in methods) if methods else None,
                    chat_id=chat_id,
                    until=self.now() + seconds if seconds is not None else None,
                )
            )

    def inject_429(
        self,
        token: str | None = None,
        count: int = 1,
        retry_after: int = 1,
        methods: Sequence[str] | None = None,
        chat_id: int | None = None,
        seconds: float | None = None,
    ) -> None:
        """Flood control: the next ``count`` mutating calls (to ``chat_id`` only, if given)
        answer 429 with ``retry_after``; with ``seconds``, every such call for that long, each
        told how much of it is left."""
        self.inject_error(
            token,
            description=TOO_MANY_REQUESTS.format(retry_after),
            error_code=429,
            count=count,
            methods=methods,
            parameters={"retry_after": retry_after},
            chat_id=chat_id,
            seconds=seconds,
        )

    # ---- what tests look at -------------------------------------------------------------------

    def calls(self, token: str | None = None, method: str | None = None) -> list[Call]:
        """Recorded requests in order (all bots unless ``token``), optionally of one method."""
        with self._lock:
            return [
                call
                for call in self._calls
                if (token is None or call.token == token)
                and (method is None or call.method.lower() == method.lower())
            ]

    def downloads(self, token: str | None = None) -> list[Download]:
        """Requests to the file server (``/file/bot<token>/...``) in order, all bots unless
        ``token``."""
        with self._lock:
            return [d for d in self._downloads if token is None or d.token == token]

    def chat(self, chat_id: int | ChatInfo, token: str | None = None) -> ChatView:
        """The chat as the bot sees it (its messages, deleted ones flagged)."""
        with self._lock:
            chat = self._chats.get(chat_id.id if isinstance(chat_id, ChatInfo) else chat_id)
            if chat is None:
                raise KeyError(f"no chat {chat_id}")
            return self._view(self._bot(token), chat)

    def bot_messages(
        self, chat_id: int | ChatInfo, token: str | None = None
    ) -> list[MessageRecord]:
        with self._lock:
            return self.chat(chat_id, token).bot_messages

    def last_bot_message(
        self, chat_id: int | ChatInfo, token: str | None = None
    ) -> MessageRecord | None:
        with self._lock:
            return self.chat(chat_id, token).last_bot_message

    def visible_text(
        self,
        chat_id: int | ChatInfo,
        token: str | None = None,
        *,
        include_user: bool = False,
        separator: str = "\n\n",
    ) -> str:
        """What the user sees now: the texts (and captions) of the bot's undeleted messages."""
        with self._lock:
            view = self.chat(chat_id, token)
            return separator.join(
                message.text or ""
                for message in view.visible_messages
                if (message.from_bot or include_user) and message.text
            )

    def callback_query(self, query_id: str, token: str | None = None) -> CallbackQueryRecord:
        with self._lock:
            return self._bot(token).callback_queries[query_id]

    def answer_for(self, query_id: str, token: str | None = None) -> CallbackAnswer | None:
        """How the bot answered this press, or None while it has not."""
        with self._lock:
            return self._bot(token).callback_queries[query_id].answer

    def commands(
        self,
        scope: JSON | None = None,
        language_code: str = "",
        token: str | None = None,
    ) -> list[JSON]:
        """The command list stored for exactly this scope and language (like getMyCommands)."""
        with self._lock:
            key = self._scope_key(scope or {"type": "default"})
            return list(self._bot(token).commands.get((key, language_code), []))

    def commands_for(
        self,
        chat_id: int | ChatInfo,
        user_id: int | UserInfo | None = None,
        language_code: str | None = None,
        token: str | None = None,
    ) -> list[JSON]:
        """The commands a user's client shows in this chat, by Telegram's documented scope order."""
        with self._lock:
            bot = self._bot(token)
            chat = self._chats[chat_id.id if isinstance(chat_id, ChatInfo) else chat_id]
            uid = user_id.id if isinstance(user_id, UserInfo) else user_id
            if chat.is_private:
                scopes: list[tuple[Any, ...]] = [
                    ("chat", chat.id),
                    ("all_private_chats",),
                    ("default",),
                ]
            else:
                member = chat.members.get(uid) if uid is not None else None
                is_admin = member is not None and member.is_admin
                scopes = []
                if uid is not None:
                    scopes.append(("chat_member", chat.id, uid))
                if is_admin:
                    scopes.append(("chat_administrators", chat.id))
                scopes.append(("chat", chat.id))
                if is_admin:
                    scopes.append(("all_chat_administrators",))
                scopes += [("all_group_chats",), ("default",)]
            for key in scopes:
                for language in ([language_code] if language_code else []) + [""]:
                    found = bot.commands.get((key, language))
                    if found:
                        return list(found)
            return []

    def description(self, language_code: str = "", token: str | None = None) -> str:
        with self._lock:
            return self._bot(token).descriptions.get(language_code, "")

    def short_description(self, language_code: str = "", token: str | None = None) -> str:
        with self._lock:
            return self._bot(token).short_descriptions.get(language_code, "")

    def webhook_url(self, token: str | None = None) -> str | None:
        with self._lock:
            webhook = self._bot(token).webhook
            return webhook.url if webhook else None

    def file(self, file_id: str, token: str | None = None) -> FileRecord:
        with self._lock:
            return self._bot(token).files[file_id]

    def forget_file(self, file_id: str, token: str | None = None) -> None:
        """Telegram no longer knows the file: sending it by ``file_id`` fails with "wrong file
        identifier" (as an id from another bot account, or a made-up one, does)."""
        with self._lock:
            record = self._bot(token).files.pop(file_id)
            if record.file_path is not None:
                self._bot(token).files_by_path.pop(record.file_path, None)

    # ---- test-side controls of the world ------------------------------------------------------

    def register_user(self, user: UserInfo) -> UserInfo:
        with self._lock:
            self._users[user.id] = user
            return user

    def register_chat(self, chat: ChatInfo) -> ChatInfo:
        with self._lock:
            self._chats[chat.id] = chat
            return chat

    def user(self, user_id: int) -> UserInfo:
        with self._lock:
            return self._users[user_id]

    def chat_info(self, chat_id: int) -> ChatInfo:
        with self._lock:
            return self._chats[chat_id]

    def store_file(
        self,
        content: bytes,
        filename: str | None = None,
        mime_type: str | None = None,
        token: str | None = None,
    ) -> FileRecord:
        """A file the bot can fetch by its ``file_id`` (users' uploads are made of these)."""
        with self._lock:
            return self._store_file(self._bot(token), content, filename, mime_type)

    def new_id(self) -> int:
        """A fresh small number, for the client's user and chat ids."""
        with self._lock:
            return self._new_id()

    def introduce_chat(self, chat_id: int | ChatInfo, token: str | None = None) -> None:
        """Let the bot know a chat without an update (getChat and chat scopes then find it)."""
        with self._lock:
            self._bot(token).seen_chats.add(
                chat_id.id if isinstance(chat_id, ChatInfo) else chat_id
            )

    def mark_never_started(self, user_id: int | UserInfo, token: str | None = None) -> None:
        """The user never pressed Start: sending to them gives 403 "can't initiate conversation".

        Cleared when the user writes to the bot."""
        with self._lock:
            self._bot(token).not_started.add(
                user_id.id if isinstance(user_id, UserInfo) else user_id
            )

    def mark_old(
        self,
        chat_id: int | ChatInfo,
        message_ids: Sequence[int] | None = None,
        *,
        hours: float = 49,
        token: str | None = None,
    ) -> None:
        """Backdate messages (all of the chat's by default) so that the 48-hour rules apply."""
        with self._lock:
            view = self.chat(chat_id, token)
            for message in view.messages:
                if message_ids is None or message.message_id in message_ids:
                    message.date -= int(hours * 3600)
            self._touch()

    def set_blocked(self, user_id: int | UserInfo, blocked: bool, token: str | None = None) -> None:
        """The user blocks (or unblocks) the bot; no update is sent (the client sends one)."""
        with self._lock:
            uid = user_id.id if isinstance(user_id, UserInfo) else user_id
            bot = self._bot(token)
            if blocked:
                bot.blocked_by.add(uid)
            else:
                bot.blocked_by.discard(uid)
            self._touch()

    def is_blocked(self, user_id: int | UserInfo, token: str | None = None) -> bool:
        with self._lock:
            uid = user_id.id if isinstance(user_id, UserInfo) else user_id
            return uid in self._bot(token).blocked_by

    # ---- users acting (the client calls these) ------------------------------------------------

    def message_json(self, message: MessageRecord, token: str | None = None) -> JSON:
        """The message as Telegram presents it in updates and results."""
        with self._lock:
            return self._message_json(self._bot(token), message)

    def _message_json(
        self, bot: _BotState, message: MessageRecord, *, nested: bool = False
    ) -> JSON:
        chat = self._chats[message.chat_id]
        data: JSON = {"message_id": message.message_id}
        data["from"] = bot.info.user_json() if message.from_bot else message.sender.to_json()
        if message.sender_chat_id is not None:
            data["sender_chat"] = self._chats[message.sender_chat_id].to_json()
        data["date"] = message.date
        data["chat"] = chat.to_json()
        if message.reply_to_message_id is not None and not nested:
            replied = self._view(bot, chat).find(message.reply_to_message_id)
            if replied is not None and not replied.deleted:
                data["reply_to_message"] = self._message_json(bot, replied, nested=True)
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        if message.protect_content:
            data["has_protected_content"] = True
        if message.kind == "text":
            data["text"] = message.text or ""
            if message.entities:
                data["entities"] = [dict(e) for e in message.entities]
            if message.link_preview_options:
                data["link_preview_options"] = message.link_preview_options
        data.update(json.loads(json.dumps(message.content)))
        if message.kind != "text" and message.text:
            data["caption"] = message.text
            if message.entities:
                data["caption_entities"] = [dict(e) for e in message.entities]
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            data["reply_markup"] = json.loads(json.dumps(message.reply_markup))
        return data

    def post_user_message(
        self,
        chat: ChatInfo | int,
        user: UserInfo | int,
        *,
        kind: str = "text",
        text: str | None = None,
        entities: list[JSON] | None = None,
        content: JSON | None = None,
        reply_to: int | None = None,
        sender_chat: bool = False,
        token: str | None = None,
    ) -> MessageRecord:
        """A user's message arrives in a chat: stored, and queued for the bot if it may see it.

        In groups the bot's privacy mode applies (unless it is an administrator or reads all
        messages): it gets commands, mentions of it, replies to it and service messages only.
        """
        with self._lock:
            bot = self._bot(token)
            chat_info = self._chats[chat.id if isinstance(chat, ChatInfo) else chat]
            sender = self._users[user.id if isinstance(user, UserInfo) else user]
            view = self._view(bot, chat_info)
            message = MessageRecord(
                message_id=view.next_message_id,
                chat_id=chat_info.id,
                from_bot=False,
                sender=sender,
                date=int(self.now()),
                kind=kind,
                text=text,
                html=text,
                entities=list(entities or []),
                entities_parsed=len(entities or []),
                content=dict(content or {}),
                sender_chat_id=chat_info.id if sender_chat else None,
                reply_to_message_id=reply_to,
            )
            view.next_message_id += 1
            view.messages.append(message)
            if chat_info.is_private:
                bot.not_started.discard(sender.id)
            message.delivered = self._bot_sees(bot, chat_info, message)
            if message.delivered:
                self.push_update({"message": self._message_json(bot, message)}, bot.token)
            self._touch()
            return message

    def _bot_sees(self, bot: _BotState, chat: ChatInfo, message: MessageRecord) -> bool:
        if chat.is_private:
            return True
        membership = chat.members.get(bot.info.id)
        if membership is None or not membership.is_present:
            return False
        if message.kind == "service" or membership.is_admin:
            return True
        if bot.info.can_read_all_group_messages:
            return True
        text = message.text or ""
        username = bot.info.username.lower()
        for entity in message.entities:
            piece = utf16_slice(text, entity["offset"], entity["length"]).lower()
            if entity["type"] == "bot_command":
                _, at_sign, target = piece.partition("@")
                return not at_sign or target == username
            if entity["type"] == "mention" and piece == "@" + username:
                return True
        if message.reply_to_message_id is not None:
            replied = self._view(bot, chat).find(message.reply_to_message_id)
            return replied is not None and replied.from_bot
        return False

    def user_edits_message(
        self,
        chat: ChatInfo | int,
        user: UserInfo | int,
        message_id: int,
        text: str,
        entities: list[JSON] | None = None,
        token: str | None = None,
    ) -> MessageRecord:
        """The user edits their text message: ``edited_message`` update (if the bot saw it)."""
        with self._lock:
            bot = self._bot(token)
            chat_info = self._chats[chat.id if isinstance(chat, ChatInfo) else chat]
            message = self._view(bot, chat_info).message(message_id)
            uid = user.id if isinstance(user, UserInfo) else user
            if message.from_bot or message.sender.id != uid:
                raise ValueError(f"user {uid} cannot edit message {message_id}")
            if message.text is not None:
                message.history.append(message.text)
            message.text = text
            message.html = text
            message.entities = list(entities or [])
            message.edited = True
            message.edit_date = int(self.now())
            if self._bot_sees(bot, chat_info, message):
                self.push_update({"edited_message": self._message_json(bot, message)}, bot.token)
            self._touch()
            return message

    def user_presses(
        self,
        chat: ChatInfo | int,
        user: UserInfo | int,
        message_id: int,
        data: str,
        token: str | None = None,
    ) -> str:
        """The user presses a callback button: a ``callback_query`` update; the query id.

        Any ``data`` is accepted (to test forged or stale data); ``press_button`` in the client
        presses buttons that are really there.
        """
        with self._lock:
            bot = self._bot(token)
            chat_info = self._chats[chat.id if isinstance(chat, ChatInfo) else chat]
            message = self._view(bot, chat_info).find(message_id)
            if message is None or message.deleted:
                raise LookupError(f"message {message_id} is not in chat {chat_info.id}")
            sender = self._users[user.id if isinstance(user, UserInfo) else user]
            query_id = str(4_000_000_000_000_000 + self._new_id() * 7919)
            bot.callback_queries[query_id] = CallbackQueryRecord(
                id=query_id,
                chat_id=chat_info.id,
                message_id=message_id,
                user_id=sender.id,
                data=data,
                created=self.now(),
            )
            self.push_update(
                {
                    "callback_query": {
                        "id": query_id,
                        "from": sender.to_json(),
                        "message": self._message_json(bot, message),
                        "chat_instance": str(abs(hash((bot.info.id, chat_info.id))) % 10**18),
                        "data": data,
                    }
                },
                bot.token,
            )
            return query_id

    def user_sends_document(
        self,
        chat: ChatInfo | int,
        user: UserInfo | int,
        filename: str,
        data: bytes,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
        token: str | None = None,
    ) -> MessageRecord:
        """The user sends a file: a document message; the bot can getFile and download it."""
        if not data:
            raise ValueError("Telegram apps do not send an empty file")
        with self._lock:
            bot = self._bot(token)
            record = self._store_file(bot, data, filename, mime_type or _guess_mime(filename))
            return self.post_user_message(
                chat,
                user,
                kind="document",
                text=caption,
                entities=detect_entities(caption) if caption else None,
                content={"document": record.document_json()},
                token=bot.token,
            )

    def change_bot_membership(
        self,
        chat: ChatInfo | int,
        by: UserInfo | int,
        status: str,
        *,
        can_delete_messages: bool = True,
        token: str | None = None,
    ) -> None:
        """Change the bot's status in a chat; the bot gets ``my_chat_member`` (old -> new)."""
        with self._lock:
            bot = self._bot(token)
            chat_info = self._chats[chat.id if isinstance(chat, ChatInfo) else chat]
            actor = self._users[by.id if isinstance(by, UserInfo) else by]
            bot_user = self._users[bot.info.id]
            if chat_info.is_private:
                old = Member(bot_user, "kicked" if bot.info.id in bot.blocked_by else "member")
                if status == "kicked":
                    bot.blocked_by.add(actor.id)
                else:
                    bot.blocked_by.discard(actor.id)
                new = Member(bot_user, status)
            else:
                old = chat_info.members.get(bot.info.id) or Member(bot_user, "left")
                new = Member(bot_user, status, can_delete_messages=can_delete_messages)
                chat_info.members[bot.info.id] = new
            bot.seen_chats.add(chat_info.id)
            self.push_update(
                {
                    "my_chat_member": {
                        "chat": chat_info.to_json(),
                        "from": actor.to_json(),
                        "date": int(self.now()),
                        "old_chat_member": old.to_json(),
                        "new_chat_member": new.to_json(),
                    }
                },
                bot.token,
            )

    # ---- waiting --------------------------------------------------------------------------------

    def _timeout_message(self, what: str | None, timeout: float) -> str:
        recent = self._calls[-12:]
        lines = [f"gave up after {timeout}s waiting for {what or 'the condition'}; last calls:"]
        for call in recent:
            outcome = "ok" if call.ok else f"{call.error_code} {call.description}"
            if not call.done:
                outcome = "pending"
            lines.append(f"  {call.method} {call.params!r:.200} -> {outcome}")
        return "\n".join(lines)

    def wait_until(
        self, predicate: Callable[[], T | None], timeout: float = 5.0, message: str | None = None
    ) -> T:
        """Block until ``predicate()`` is truthy (re-checked on every change); return its value.

        For sync tests (e.g. with the bot in a subprocess). In async tests use ``wait_for``.
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            raise RuntimeError(
                "wait_until would block the event loop the bot runs in; use `await api.wait_for`"
            )
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise WaitTimeout(self._timeout_message(message, timeout))
                self._changed.wait(min(remaining, 0.05))

    async def wait_for(
        self,
        predicate: Callable[[], T | None],
        timeout: float = 5.0,
        message: str | None = None,
    ) -> T:
        """Await until ``predicate()`` is truthy, without blocking the event loop; its value."""
        loop = asyncio.get_running_loop()
        event = asyncio.Event()
        key = (loop, event)
        with self._lock:
            self._async_waiters.add(key)
        try:
            deadline = loop.time() + timeout
            while True:
                event.clear()
                with self._lock:
                    value = predicate()
                if value:
                    return value
                remaining = deadline - loop.time()
                if remaining <= 0:
                    with self._lock:
                        raise WaitTimeout(self._timeout_message(message, timeout))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), min(remaining, 0.05))
        finally:
            with self._lock:
                self._async_waiters.discard(key)

    # ---- method helpers -------------------------------------------------------------------------

    def _resolve_chat(self, raw: Any) -> ChatInfo:
        if raw is None or raw == "":
            raise ApiError(CHAT_ID_EMPTY)
        if isinstance(raw, str) and raw.strip().startswith("@"):
            username = raw.strip()[1:].lower()
            for chat in self._chats.values():
                if not chat.is_private and (chat.username or "").lower() == username:
                    return chat
            raise ApiError(CHAT_NOT_FOUND)
        try:
            chat_id = int(raw)
        except (TypeError, ValueError):
            raise ApiError(CHAT_NOT_FOUND) from None
        found = self._chats.get(chat_id)
        if found is None:
            raise ApiError(CHAT_NOT_FOUND)
        return found

    def _known_chat(self, bot: _BotState, raw: Any) -> ChatInfo:
        chat = self._resolve_chat(raw)
        if chat.id not in bot.seen_chats:
            raise ApiError(CHAT_NOT_FOUND)
        return chat

    def _check_can_send(self, bot: _BotState, chat: ChatInfo) -> None:
        if chat.migrated_to is not None:
            raise ApiError(GROUP_UPGRADED, 400, {"migrate_to_chat_id": chat.migrated_to})
        if chat.is_private:
            if chat.id in bot.blocked_by:
                raise ApiError(BLOCKED_BY_USER, 403)
            if chat.id in bot.not_started:
                raise ApiError(CANT_INITIATE, 403)
            return
        membership = chat.members.get(bot.info.id)
        if membership is not None and membership.status == "kicked":
            raise ApiError(KICKED_FROM.format(kind=chat.kind), 403)
        if membership is None or not membership.is_present:
            raise ApiError(NOT_A_MEMBER.format(kind=chat.kind), 403)

    def _formatted(
        self,
        params: Mapping[str, Any],
        field_name: str,
        entities_name: str,
        *,
        limit: int,
        required: bool,
    ) -> FormattedText | None:
        raw = _opt_str(params, field_name)
        if raw is None or raw == "":
            if required:
                raise ApiError(MESSAGE_TEXT_EMPTY)
            return None
        formatted = format_text(
            raw,
            _opt_str(params, "parse_mode"),
            params.get(entities_name),
            users=self._lookup_user,
        )
        if required and not formatted.text:
            raise ApiError(MESSAGE_TEXT_EMPTY)
        if len(formatted.text) > limit:
            raise ApiError(MESSAGE_TOO_LONG if field_name == "text" else CAPTION_TOO_LONG)
        return formatted

    def _reply_markup(self, params: Mapping[str, Any], *, inline_only: bool = False) -> JSON | None:
        markup = _opt_json(params, "reply_markup", REPLY_MARKUP_UNPARSABLE)
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(REPLY_MARKUP_UNPARSABLE)
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
                raise ApiError(INLINE_KEYBOARD_NOT_ARRAY)
            for row in rows:
                for button in row:
                    self._check_inline_button(button)
            return markup
        if inline_only:
            raise ApiError(INLINE_KEYBOARD_EXPECTED)
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
                raise ApiError(REPLY_MARKUP_UNPARSABLE)
            for row in rows:
                for button in row:
                    text = button.get("text") if isinstance(button, dict) else button
                    if not isinstance(text, str) or not text.strip():
                        raise ApiError(BUTTON_TEXT_INVALID)
            return markup
        if "remove_keyboard" in markup or "force_reply" in markup:
            return markup
        raise ApiError(REPLY_MARKUP_UNPARSABLE)

    @staticmethod
    def _check_inline_button(button: Any) -> None:
        if not isinstance(button, dict):
            raise ApiError(REPLY_MARKUP_UNPARSABLE)
        text = button.get("text")
        if not isinstance(text, str):
            raise ApiError(BUTTON_TEXT_NOT_STRING)
        if not text.strip():
            raise ApiError(BUTTON_TEXT_INVALID)
        actions = [
            key
            for key in (
                "url",
                "callback_data",
                "web_app",
                "login_url",
                "switch_inline_query",
                "switch_inline_query_current_chat",
                "switch_inline_query_chosen_chat",
                "copy_text",
                "callback_game",
                "pay",
            )
            if key in button
        ]
        if not actions:
            raise ApiError(TEXT_BUTTONS_UNALLOWED)
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
                raise ApiError(BUTTON_DATA_INVALID)
        if "url" in button:
            url = button["url"]
            normalized, reason = check_link(str(url))
            if normalized is None:
                raise ApiError(BUTTON_URL_INVALID.format(url=url, reason=reason))

    def _reply_target(self, view: ChatView, params: Mapping[str, Any]) -> int | None:
        reply = _opt_json(params, "reply_parameters", "Bad Request: can't parse reply parameters")
        if isinstance(reply, dict):
            message_id = _opt_int(reply, "message_id")
            allow_without = _opt_bool(reply, "allow_sending_without_reply")
            other_chat = reply.get("chat_id")
            if other_chat not in (None, view.chat.id, str(view.chat.id)):
                raise ApiError(REPLY_MESSAGE_NOT_FOUND)  # replies across chats: not modelled
        else:
            message_id = _opt_int(params, "reply_to_message_id")
            allow_without = _opt_bool(params, "allow_sending_without_reply")
        if not message_id:
            return None
        target = view.find(message_id)
        if target is None or target.deleted:
            if allow_without:
                return None
            raise ApiError(REPLY_MESSAGE_NOT_FOUND)
        return message_id

    def _link_preview(self, params: Mapping[str, Any]) -> JSON | None:
        options = _opt_json(
            params, "link_preview_options", "Bad Request: can't parse link preview options"
        )
        if isinstance(options, dict):
            return options
        if _opt_bool(params, "disable_web_page_preview"):
            return {"is_disabled": True}
        return None

    def _new_bot_message(
        self,
        bot: _BotState,
        chat: ChatInfo,
        params: Mapping[str, Any],
        *,
        kind: str,
        formatted: FormattedText | None,
        raw_field: str,
        content: JSON | None = None,
    ) -> JSON:
        view = self._view(bot, chat)
        reply_to = self._reply_target(view, params)
        message = MessageRecord(
            message_id=view.next_message_id,
            chat_id=chat.id,
            from_bot=True,
            sender=self._users[bot.info.id],
            date=int(self.now()),
            kind=kind,
            text=formatted.text if formatted else None,
            html=_opt_str(params, raw_field),
            parse_mode=_opt_str(params, "parse_mode"),
            entities=formatted.entities if formatted else [],
            entities_parsed=formatted.entities_parsed if formatted else 0,
            reply_markup=self._reply_markup(params),
            content=content or {},
            reply_to_message_id=reply_to,
            disable_notification=_opt_bool(params, "disable_notification"),
            protect_content=_opt_bool(params, "protect_content"),
            link_preview_options=self._link_preview(params) if kind == "text" else None,
        )
        view.next_message_id += 1
        view.messages.append(message)
        bot.seen_chats.add(chat.id)
        return self._message_json(bot, message)

    def _editable(self, bot: _BotState, params: Mapping[str, Any]) -> MessageRecord:
        if params.get("inline_message_id"):
            raise ApiError(MESSAGE_TO_EDIT_NOT_FOUND)  # inline messages are not modelled
        message_id = _opt_int(params, "message_id")
        if params.get("chat_id") in (None, ""):
            raise ApiError(MESSAGE_IDENTIFIER_NOT_SPECIFIED if not message_id else CHAT_ID_EMPTY)
        chat = self._resolve_chat(params.get("chat_id"))
        if chat.migrated_to is not None:
            raise ApiError(GROUP_UPGRADED, 400, {"migrate_to_chat_id": chat.migrated_to})
        message = self._view(bot, chat).find(message_id)
        if message is None or message.deleted:
            raise ApiError(MESSAGE_TO_EDIT_NOT_FOUND)
        if not message.from_bot:
            raise ApiError(MESSAGE_CANT_BE_EDITED)
        return message

    def _finish_edit(self, bot: _BotState, message: MessageRecord) -> JSON:
        message.edited = True
        message.edit_date = int(self.now())
        return self._message_json(bot, message)

    def _deletable(self, bot: _BotState, chat: ChatInfo, message: MessageRecord) -> str | None:
        """None if the bot may delete the message, else Telegram's reason."""
        too_old = self.now() - message.date > DELETE_WINDOW_SECONDS
        if chat.is_private:
            return MESSAGE_CANT_BE_DELETED_FOR_EVERYONE if too_old else None
        membership = chat.members.get(bot.info.id)
        can_delete_any = (
            membership is not None
            and membership.is_admin
            and (membership.can_delete_messages or chat.type == "group")
        )
        if can_delete_any:
            return None
        if too_old or not message.from_bot:
            return MESSAGE_CANT_BE_DELETED
        return None

    def _store_file(
        self, bot: _BotState, content: bytes, filename: str | None, mime_type: str | None
    ) -> FileRecord:
        number = self._new_id()
        record = FileRecord(
            file_id=f"BQACAgIAAxkBAAI{number:06d}{bot.info.id}",
            file_unique_id=f"AgAD{number:06d}",
            content=content,
            file_name=filename,
            mime_type=mime_type,
        )
        bot.files[record.file_id] = record
        return record

    def _scope_key(self, scope: Any, bot: _BotState | None = None) -> tuple[Any, ...]:
        if scope is None:
            return ("default",)
        if not isinstance(scope, dict):
            raise ApiError(SCOPE_UNPARSABLE)
        scope_type = scope.get("type")
        if scope_type in (
            "default",
            "all_private_chats",
            "all_group_chats",
            "all_chat_administrators",
        ):
            return (scope_type,)
        if scope_type in ("chat", "chat_administrators", "chat_member"):
            chat = (
                self._known_chat(bot, scope.get("chat_id"))
                if bot
                else self._resolve_chat(scope.get("chat_id"))
            )
            if scope_type != "chat" and chat.is_private:
                raise ApiError(SCOPE_NOT_IN_PRIVATE)
            if scope_type == "chat_member":
                user_id = _opt_int(scope, "user_id")
                if user_id is None or user_id not in self._users:
                    raise ApiError(USER_NOT_FOUND)
                return (scope_type, chat.id, user_id)
            return (scope_type, chat.id)
        raise ApiError(SCOPE_UNPARSABLE)

    def _commands_target(
        self, bot: _BotState, params: Mapping[str, Any]
    ) -> tuple[tuple[Any, ...], str]:
        scope = _opt_json(params, "scope", SCOPE_UNPARSABLE)
        language = _opt_str(params, "language_code") or ""
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise ApiError(INVALID_LANGUAGE_CODE)
        return self._scope_key(scope, bot), language

    # ---- Bot API methods ------------------------------------------------------------------------

    @_api("getMe", mutating=False)
    def _m_get_me(self, bot: _BotState, params: dict[str, Any]) -> JSON:
        return bot.info.get_me_json()

    @_api("logOut", mutating=False)
    def _m_log_out(self, bot: _BotState, params: dict[str, Any]) -> bool:
        return True

    @_api("close", mutating=False)
    def _m_close(self, bot: _BotState, params: dict[str, Any]) -> bool:
        return True

    @_api("getUpdates", mutating=False)
    def _m_get_updates(self, bot: _BotState, params: dict[str, Any]) -> list[JSON]:
        raise AssertionError("getUpdates is served by _get_updates outside the lock")

    @_api("setWebhook", mutating=False)
    def _m_set_webhook(self, bot: _BotState, params: dict[str, Any]) -> bool:
        url = (_opt_str(params, "url") or "").strip()
        if not url:
            return self._m_delete_webhook(bot, params)
        split = urllib.parse.urlsplit(url)
        if self.strict_webhook_url:
            if split.scheme != "https":
                raise ApiError(WEBHOOK_HTTPS_REQUIRED)
            if (split.port or 443) not in (80, 88, 443, 8443):
                raise ApiError(WEBHOOK_PORT)
        elif split.scheme not in ("http", "https") or not split.hostname:
            raise ApiError(WEBHOOK_HTTPS_REQUIRED)
        secret = _opt_str(params, "secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ApiError(SECRET_TOKEN_INVALID)
        allowed = _opt_json(params, "allowed_updates", "Bad Request: can't parse allowed_updates")
        if isinstance(allowed, list):
            bot.allowed_updates = [str(kind) for kind in allowed if kind in UPDATE_TYPES]
        if _opt_bool(params, "drop_pending_updates"):
            bot.updates.clear()
        previous = bot.webhook
        bot.webhook = _Webhook(
            url=url,
            secret_token=secret,
            max_connections=_opt_int(params, "max_connections") or 40,
            ip_address=_opt_str(params, "ip_address"),
        )
        bot.webhook_retry_at = 0.0
        for poll in bot.polls:
            poll.aborted = CONFLICT_SET_WEBHOOK
        same = previous is not None and previous.url == url
        self._webhook_description[bot.token] = (
            "Webhook is already set" if same else "Webhook was set"
        )
        return True

    @_api("deleteWebhook", mutating=False)
    def _m_delete_webhook(self, bot: _BotState, params: dict[str, Any]) -> bool:
        if _opt_bool(params, "drop_pending_updates"):
            bot.updates.clear()
        existed = bot.webhook is not None
        bot.webhook = None
        self._webhook_description[bot.token] = (
            "Webhook was deleted" if existed else "Webhook is already deleted"
        )
        return True

    @_api("getWebhookInfo", mutating=False)
    def _m_get_webhook_info(self, bot: _BotState, params: dict[str, Any]) -> JSON:
        info: JSON = {
            "url": bot.webhook.url if bot.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(bot.updates),
        }
        if bot.webhook is not None:
            info["max_connections"] = bot.webhook.max_connections
            if bot.webhook.ip_address:
                info["ip_address"] = bot.webhook.ip_address
            if bot.allowed_updates:
                info["allowed_updates"] = list(bot.allowed_updates)
            if bot.webhook.last_error_date is not None:
                info["last_error_date"] = bot.webhook.last_error_date
                info["last_error_message"] = bot.webhook.last_error_message
        return info

    @_api("sendMessage")
    def _m_send_message(self, bot: _BotState, params: dict[str, Any]) -> JSON:
        _opt_json(params, "reply_markup", REPLY_MARKUP_UNPARSABLE)
        formatted = self._formatted(
            params, "text", "entities", limit=MAX_TEXT_LENGTH, required=True
        )
        chat = self._resolve_chat(params.get("chat_id"))
        self._check_can_send(bot, chat)
        return self._new_bot_message(
            bot, chat, params, kind="text", formatted=formatted, raw_field="text"
        )

    @_api("sendDocument")
    def _m_send_document(self, bot: _BotState, params: dict[str, Any]) -> JSON:
        _opt_json(params, "reply_markup", REPLY_MARKUP_UNPARSABLE)
        formatted = self._formatted(
            params, "caption", "caption_entities", limit=MAX_CAPTION_LENGTH, required=False
        )
        document = params.get("document")
        if isinstance(document, str) and document.startswith("attach://"):
            document = params.get(document[len("attach://") :])
        if document is None or document == "":
            raise ApiError(NO_DOCUMENT)
        chat = self._resolve_chat(params.get("chat_id"))
        self._check_can_send(bot, chat)
        if isinstance(document, UploadedFile):
            if not document.content:
                raise ApiError(FILE_EMPTY)
            record = self._store_file(bot, document.content, document.filename, document.mime_type)
        elif isinstance(document, str) and document in bot.files:
            record = bot.files[document]
        elif isinstance(document, str) and re.match(r"https?://", document):
            raise ApiError(URL_CONTENT_FAILED)
        else:
            raise ApiError(WRONG_FILE_ID_OR_URL)
        return self._new_bot_message(
            bot,
            chat,
            params,
            kind="document",
            formatted=formatted,
            raw_field="caption",
            content={"document": record.document_json()},
        )

    @_api("sendChatAction")
    def _m_send_chat_action(self, bot: _BotState, params: dict[str, Any]) -> bool:
        if (_opt_str(params, "action") or "").lower() not in CHAT_ACTIONS:
            raise ApiError(WRONG_CHAT_ACTION)
        chat = self._resolve_chat(params.get("chat_id"))
        self._check_can_send(bot, chat)
        return True

    @_api("editMessageText")
    def _m_edit_message_text(self, bot: _BotState, params: dict[str, Any]) -> JSON:
        _opt_json(params, "reply_markup", REPLY_MARKUP_UNPARSABLE)
        formatted = self._formatted(
            params, "text", "entities", limit=MAX_TEXT_LENGTH, required=True
        )
        assert formatted is not None
        message = self._editable(bot, params)
        markup = self._reply_markup(params, inline_only=True)
        if message.kind != "text":
            raise ApiError(NO_TEXT_TO_EDIT)
        if (formatted.text, formatted.entities, markup) == (
            message.text,
            message.entities,
            message.reply_markup,
        ):
            raise ApiError(MESSAGE_NOT_MODIFIED)
        if message.text is not None:
            message.history.append(message.text)
        message.text = formatted.text
        message.html = _opt_str(params, "text")
        message.parse_mode = _opt_str(params, "parse_mode")
        message.entities = formatted.entities
        message.entities_parsed = formatted.entities_parsed
        message.reply_markup = markup  # an edit without reply_markup removes the keyboard
        preview = self._link_preview(params)
        if preview is not None:
            message.link_preview_options = preview
        return self._finish_edit(bot, message)

    @_api("editMessageCaption")
    def _m_edit_message_caption(self, bot: _BotState, params: dict[str, Any]) -> JSON:
        _opt_json(params, "reply_markup", REPLY_MARKUP_UNPARSABLE)
        formatted = self._formatted(
            params, "caption", "caption_entities", limit=MAX_CAPTION_LENGTH, required=False
        )
        message = self._editable(bot, params)
        markup = self._reply_markup(params, inline_only=True)
        if message.kind == "text":
            raise ApiError(NO_CAPTION_TO_EDIT)
        text = formatted.text if formatted else None
        entities = formatted.entities if formatted else []
        if (text, entities, markup) == (message.text, message.entities, message.reply_markup):
            raise ApiError(MESSAGE_NOT_MODIFIED)
        if message.text is not None:
            message.history.append(message.text)
        message.text, message.entities, message.reply_markup = text, entities, markup
        message.html = _opt_str(params, "caption")
        return self._finish_edit(bot, message)

    @_api("editMessageReplyMarkup")
    def _m_edit_message_reply_markup(self, bot: _BotState, params: dict[str, Any]) -> JSON:
        _opt_json(params, "reply_markup", REPLY_MARKUP_UNPARSABLE)
        message = self._editable(bot, params)
        markup = self._reply_markup(params, inline_only=True)
        if markup == message.reply_markup:
            raise ApiError(MESSAGE_NOT_MODIFIED)
        message.reply_markup = markup
        return self._finish_edit(bot, message)

    @_api("deleteMessage")
    def _m_delete_message(self, bot: _BotState, params: dict[str, Any]) -> bool:
        chat = self._resolve_chat(params.get("chat_id"))
        message = self._view(bot, chat).find(_opt_int(params, "message_id"))
        if message is None or message.deleted:
            raise ApiError(MESSAGE_TO_DELETE_NOT_FOUND)
        reason = self._deletable(bot, chat, message)
        if reason is not None:
            raise ApiError(reason)
        message.deleted = True
        return True

    @_api("deleteMessages")
    def _m_delete_messages(self, bot: _BotState, params: dict[str, Any]) -> bool:
        ids = _opt_json(params, "message_ids", MESSAGE_IDS_NOT_SPECIFIED)
        if not isinstance(ids, list) or not ids:
            raise ApiError(MESSAGE_IDS_NOT_SPECIFIED)
        if len(ids) > MAX_DELETE_MESSAGES:
            raise ApiError(TOO_MANY_MESSAGE_IDS)
        try:
            numbers = [int(i) for i in ids]
        except (TypeError, ValueError):
            raise ApiError(INVALID_MESSAGE_ID) from None
        if any(number <= 0 for number in numbers):
            raise ApiError(INVALID_MESSAGE_ID)
        chat = self._resolve_chat(params.get("chat_id"))
        view = self._view(bot, chat)
        for number in numbers:
            message = view.find(number)
            # Messages that cannot be found or deleted are skipped, as Telegram documents.
            if (
                message is not None
                and not message.deleted
                and self._deletable(bot, chat, message) is None
            ):
                message.deleted = True
        return True

    @_api("answerCallbackQuery")
    def _m_answer_callback_query(self, bot: _BotState, params: dict[str, Any]) -> bool:
        query = bot.callback_queries.get(_opt_str(params, "callback_query_id") or "")
        if query is None or query.answered:
            raise ApiError(QUERY_TOO_OLD)
        if (
            self.callback_query_timeout is not None
            and self.now() - query.created > self.callback_query_timeout
        ):
            raise ApiError(QUERY_TOO_OLD)
        text = _opt_str(params, "text")
        if text is not None and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise ApiError(CALLBACK_ANSWER_TOO_LONG)
        query.answer = CallbackAnswer(
            text=text,
            show_alert=_opt_bool(params, "show_alert"),
            url=_opt_str(params, "url"),
            cache_time=_opt_int(params, "cache_time"),
            time=self.now(),
        )
        return True

    @_api("setMyCommands")
    def _m_set_my_commands(self, bot: _BotState, params: dict[str, Any]) -> bool:
        commands = _opt_json(params, "commands", COMMANDS_UNPARSABLE)
        commands = [] if commands is None else commands
        if not isinstance(commands, list):
            raise ApiError(COMMANDS_UNPARSABLE)
        checked: list[JSON] = []
        for item in commands:
            if not isinstance(item, dict):
                raise ApiError(COMMANDS_UNPARSABLE)
            command, description = item.get("command"), item.get("description")
            if not isinstance(command, str) or not isinstance(description, str):
                raise ApiError(COMMANDS_UNPARSABLE)
            command, description = command.strip(), description.strip()
            if not command:
                raise ApiError(COMMAND_EMPTY)
            if len(command) > MAX_COMMAND_LENGTH:
                raise ApiError(COMMAND_TOO_LONG)
            if not re.fullmatch(r"[a-z0-9_]+", command):
                raise ApiError(COMMAND_INVALID)
            if not description:
                raise ApiError(COMMAND_DESCRIPTION_EMPTY)
            if len(description) > MAX_COMMAND_DESCRIPTION_LENGTH:
                raise ApiError(COMMAND_DESCRIPTION_TOO_LONG)
            checked.append({"command": command, "description": description})
        if len(checked) > MAX_COMMANDS:
            raise ApiError(TOO_MANY_COMMANDS)
        key = self._commands_target(bot, params)
        if checked:
            bot.commands[key] = checked
        else:
            bot.commands.pop(key, None)
        return True

    @_api("getMyCommands", mutating=False)
    def _m_get_my_commands(self, bot: _BotState, params: dict[str, Any]) -> list[JSON]:
        return [dict(c) for c in bot.commands.get(self._commands_target(bot, params), [])]

    @_api("deleteMyCommands")
    def _m_delete_my_commands(self, bot: _BotState, params: dict[str, Any]) -> bool:
        bot.commands.pop(self._commands_target(bot, params), None)
        return True

    def _language(self, params: Mapping[str, Any]) -> str:
        language = _opt_str(params, "language_code") or ""
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise ApiError(INVALID_LANGUAGE_CODE)
        return language

    @_api("setMyDescription")
    def _m_set_my_description(self, bot: _BotState, params: dict[str, Any]) -> bool:
        language = self._language(params)
        text = _opt_str(params, "description") or ""
        if len(text) > MAX_DESCRIPTION_LENGTH:
            raise ApiError(DESCRIPTION_TOO_LONG)
        if text:
            bot.descriptions[language] = text
        else:
            bot.descriptions.pop(language, None)
        return True

    @_api("getMyDescription", mutating=False)
    def _m_get_my_description(self, bot: _BotState, params: dict[str, Any]) -> JSON:
        return {"description": bot.descriptions.get(self._language(params), "")}

    @_api("setMyShortDescription")
    def _m_set_my_short_description(self, bot: _BotState, params: dict[str, Any]) -> bool:
        language = self._language(params)
        text = _opt_str(params, "short_description") or ""
        if len(text) > MAX_SHORT_DESCRIPTION_LENGTH:
            raise ApiError(SHORT_DESCRIPTION_TOO_LONG)
        if text:
            bot.short_descriptions[language] = text
        else:
            bot.short_descriptions.pop(language, None)
        return True

    @_api("getMyShortDescription", mutating=False)
    def _m_get_my_short_description(self, bot: _BotState, params: dict[str, Any]) -> JSON:
        return {"short_description": bot.short_descriptions.get(self._language(params), "")}

    @_api("getChat", mutating=False)
    def _m_get_chat(self, bot: _BotState, params: dict[str, Any]) -> JSON:
        return self._known_chat(bot, params.get("chat_id")).full_info_json()

    @_api("getChatMember", mutating=False)
    def _m_get_chat_member(self, bot: _BotState, params: dict[str, Any]) -> JSON:
        chat = self._known_chat(bot, params.get("chat_id"))
        user_id = _opt_int(params, "user_id")
        user = self._users.get(user_id) if user_id is not None else None
        if user is None:
            raise ApiError(USER_NOT_FOUND)
        if chat.is_private:
            if user.id not in (chat.id, bot.info.id):
                raise ApiError(USER_NOT_FOUND)
            status = "kicked" if user.id == bot.info.id and chat.id in bot.blocked_by else "member"
            return Member(user, status).to_json()
        member = chat.members.get(user.id)
        return (member or Member(user, "left")).to_json()

    @_api("getChatAdministrators", mutating=False)
    def _m_get_chat_administrators(self, bot: _BotState, params: dict[str, Any]) -> list[JSON]:
        chat = self._known_chat(bot, params.get("chat_id"))
        if chat.is_private:
            raise ApiError(NO_ADMINS_IN_PRIVATE)
        membership = chat.members.get(bot.info.id)
        if membership is None or not membership.is_present:
            raise ApiError(NOT_A_MEMBER.format(kind=chat.kind), 403)
        return [member.to_json() for member in chat.members.values() if member.is_admin]

    @_api("getChatMemberCount", mutating=False)
    def _m_get_chat_member_count(self, bot: _BotState, params: dict[str, Any]) -> int:
        chat = self._known_chat(bot, params.get("chat_id"))
        if chat.is_private:
            return 2
        return sum(1 for member in chat.members.values() if member.is_present)

    @_api("leaveChat")
    def _m_leave_chat(self, bot: _BotState, params: dict[str, Any]) -> bool:
        chat = self._resolve_chat(params.get("chat_id"))
        if chat.is_private:
            raise ApiError(LEAVE_PRIVATE)
        membership = chat.members.get(bot.info.id)
        if membership is None or not membership.is_present:
            raise ApiError(NOT_A_MEMBER.format(kind=chat.kind), 403)
        self.change_bot_membership(chat, bot.info.id, "left", token=bot.token)
        return True

    @_api("getFile", mutating=False)
    def _m_get_file(self, bot: _BotState, params: dict[str, Any]) -> JSON:
        file_id = _opt_str(params, "file_id") or ""
        if not file_id:
            raise ApiError(FILE_ID_MISSING)
        record = bot.files.get(file_id)  # a file id works only for the bot it was given to
        if record is None:
            raise ApiError(INVALID_FILE_ID)
        if record.file_size > MAX_DOWNLOAD_SIZE:
            raise ApiError(FILE_TOO_BIG)
        if record.file_path is None or self.now() - record.file_path_issued > FILE_LINK_LIFETIME:
            if record.file_path is not None:  # the expired link stops working for good
                bot.files_by_path.pop(record.file_path, None)
            suffix = ""
            if record.file_name and "." in record.file_name:
                suffix = "." + record.file_name.rsplit(".", 1)[1]
            record.file_path = f"documents/file_{self._new_id()}{suffix}"
            record.file_path_issued = self.now()
            bot.files_by_path[record.file_path] = record
        return {
            "file_id": record.file_id,
            "file_unique_id": record.file_unique_id,
            "file_size": record.file_size,
            "file_path": record.file_path,
        }


def _peer_closed(connection: socket.socket) -> bool:
    """Whether the client closed its end (readable with nothing to read)."""
    try:
        readable, _, _ = select.select([connection], [], [], 0)
        if not readable:
            return False
        return connection.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


def _guess_mime(filename: str) -> str:
    return mimetypes.guess_type(filename, strict=False)[0] or "application/octet-stream"
