"""Plays Telegram users against a ``BotAPIStandIn``: people, chats, and what they do in them.

Every action produces the update Telegram would send (``message`` with its ``bot_command``
entities, ``edited_message``, ``callback_query``, ``my_chat_member``, service messages), queued for
the bot's ``getUpdates`` or delivered to its webhook.

    people = TelegramClient(api)
    ivan = people.user("Ivan", language_code="ru")
    chat = people.private_chat(ivan)
    people.send_text(chat, ivan, "/start check_ru")
    menu = await api.wait_for(lambda: api.last_bot_message(chat))
    query_id = people.press_button(chat, ivan, menu, "Да")
    await api.wait_for(lambda: api.answer_for(query_id))
"""

from __future__ import annotations

from collections.abc import Iterable

from tests.botapi.server import (
    ANONYMOUS_ADMIN_ID,
    BotAPIStandIn,
    BotInfo,
    ChatInfo,
    Member,
    MessageRecord,
    UserInfo,
    detect_entities,
)

ChatRef = ChatInfo | int
UserRef = UserInfo | int
MessageRef = MessageRecord | int


class TelegramClient:
    """Users, chats and their actions, aimed at one bot (``token``; default: the first bot)."""

    def __init__(self, api: BotAPIStandIn, token: str | None = None) -> None:
        self.api = api
        self.token = token if token is not None else api.token
        self.anonymous_admin = api.register_user(
            UserInfo(
                id=ANONYMOUS_ADMIN_ID,
                first_name="Group",
                username="GroupAnonymousBot",
                is_bot=True,
            )
        )

    @property
    def bot(self) -> BotInfo:
        return self.api.bot_info(self.token)

    # ---- people and chats ---------------------------------------------------------------------

    def user(
        self,
        first_name: str = "Test",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ru",
        is_premium: bool | None = None,
        user_id: int | None = None,
    ) -> UserInfo:
        """A new user (``language_code`` is what their Telegram app sends; None: nothing)."""
        return self.api.register_user(
            UserInfo(
                id=user_id if user_id is not None else 700_000_000 + self.api.new_id(),
                first_name=first_name,
                last_name=last_name,
                username=username,
                language_code=language_code,
                is_premium=is_premium,
            )
        )

    def user_language_code(self, user: UserRef, language_code: str | None) -> UserInfo:
        """The user switches their app's language; later updates carry the new code."""
        person = self._user(user)
        person.language_code = language_code
        return person

    def private_chat(self, user: UserRef) -> ChatInfo:
        """The user's private chat with the bot (its id is the user's id)."""
        person = self._user(user)
        try:
            return self.api.chat_info(person.id)
        except KeyError:
            return self.api.register_chat(
                ChatInfo(
                    id=person.id,
                    type="private",
                    first_name=person.first_name,
                    last_name=person.last_name,
                    username=person.username,
                )
            )

    def group(
        self,
        title: str = "Test group",
        *,
        creator: UserRef,
        admins: Iterable[UserRef] = (),
        anonymous_admins: Iterable[UserRef] = (),
        members: Iterable[UserRef] = (),
        supergroup: bool = False,
        username: str | None = None,
        bot_status: str | None = None,
    ) -> ChatInfo:
        """A group (or supergroup) with these people in it.

        The bot is not in it unless ``bot_status`` ("member" or "administrator") puts it there
        silently; ``add_bot_to_group`` adds it with the updates Telegram sends.
        """
        number = self.api.new_id()
        chat_id = -(1_002_000_000_000 + number) if supergroup else -(4_000_000_000 + number)
        chat = ChatInfo(
            id=chat_id,
            type="supergroup" if supergroup else "group",
            title=title,
            username=username if supergroup else None,
        )
        owner = self._user(creator)
        chat.members[owner.id] = Member(owner, "creator")
        for person in map(self._user, admins):
            chat.members[person.id] = Member(person, "administrator")
        for person in map(self._user, anonymous_admins):
            chat.members[person.id] = Member(person, "administrator", is_anonymous=True)
        for person in map(self._user, members):
            chat.members.setdefault(person.id, Member(person, "member"))
        self.api.register_chat(chat)
        if bot_status is not None:
            bot_user = self.api.user(self.bot.id)
            chat.members[bot_user.id] = Member(bot_user, bot_status)
            self.api.introduce_chat(chat, self.token)
        return chat

    def supergroup(self, title: str = "Test supergroup", **kwargs: object) -> ChatInfo:
        return self.group(title, supergroup=True, **kwargs)  # type: ignore[arg-type]

    # ---- membership ---------------------------------------------------------------------------

    def add_bot_to_group(
        self,
        chat: ChatRef,
        by: UserRef,
        *,
        as_admin: bool = False,
        can_delete_messages: bool = True,
    ) -> MessageRecord:
        """``by`` adds the bot: ``my_chat_member`` (left -> member/administrator), then the
        ``new_chat_members`` service message (returned)."""
        group = self._chat(chat)
        self.api.change_bot_membership(
            group,
            by,
            "administrator" if as_admin else "member",
            can_delete_messages=can_delete_messages,
            token=self.token,
        )
        return self.api.post_user_message(
            group,
            by,
            kind="service",
            content={"new_chat_members": [self.bot.user_json()]},
            token=self.token,
        )

    def remove_bot_from_group(self, chat: ChatRef, by: UserRef) -> None:
        """``by`` removes the bot: ``my_chat_member`` (-> left in groups, kicked in
        supergroups)."""
        group = self._chat(chat)
        status = "kicked" if group.type == "supergroup" else "left"
        self.api.change_bot_membership(group, by, status, token=self.token)

    def join_group(self, chat: ChatRef, user: UserRef) -> MessageRecord:
        """The user joins: a ``new_chat_members`` service message."""
        group = self._chat(chat)
        person = self._user(user)
        group.members[person.id] = Member(person, "member")
        return self.api.post_user_message(
            group,
            person,
            kind="service",
            content={"new_chat_members": [person.to_json()]},
            token=self.token,
        )

    def block_bot(self, user: UserRef) -> None:
        """The user blocks the bot: ``my_chat_member`` (member -> kicked); sends then get 403."""
        self.api.change_bot_membership(self.private_chat(user), user, "kicked", token=self.token)

    def unblock_bot(self, user: UserRef) -> None:
        """The user unblocks (restarts) the bot: ``my_chat_member`` (kicked -> member)."""
        self.api.change_bot_membership(self.private_chat(user), user, "member", token=self.token)

    def migrate_group_to_supergroup(self, chat: ChatRef, by: UserRef) -> ChatInfo:
        """The group becomes a supergroup with a new id: a ``migrate_to_chat_id`` message in the
        old group, a ``migrate_from_chat_id`` one in the new supergroup (returned). Sending to the
        old id then fails with "group chat was upgraded to a supergroup chat" (``ChatMigrated``).
        """
        group = self._chat(chat)
        if group.type != "group":
            raise ValueError(f"chat {group.id} is a {group.type}, not a group")
        new = ChatInfo(
            id=-(1_002_000_000_000 + self.api.new_id()),
            type="supergroup",
            title=group.title,
            migrated_from=group.id,
        )
        for user_id, member in group.members.items():
            new.members[user_id] = Member(
                member.user,
                member.status,
                is_anonymous=member.is_anonymous,
                can_delete_messages=member.can_delete_messages,
                custom_title=member.custom_title,
            )
        self.api.register_chat(new)
        self.api.post_user_message(
            group,
            by,
            kind="service",
            content={"migrate_to_chat_id": new.id},
            token=self.token,
        )
        group.migrated_to = new.id
        self.api.post_user_message(
            new,
            by,
            kind="service",
            content={"migrate_from_chat_id": group.id},
            token=self.token,
        )
        return new

    # ---- messages -----------------------------------------------------------------------------

    def send_text(
        self,
        chat: ChatRef,
        user: UserRef,
        text: str,
        *,
        reply_to: MessageRef | None = None,
        anonymous: bool = False,
    ) -> MessageRecord:
        """The user writes ``text`` (``/cmd`` and ``/cmd@bot`` get ``bot_command`` entities).

        ``anonymous=True`` (or ``user=client.anonymous_admin``) sends as an anonymous group
        administrator: ``from`` is GroupAnonymousBot and ``sender_chat`` is the group.
        In groups, privacy mode decides whether the bot receives it (``MessageRecord.delivered``).
        """
        place = self._chat(chat)
        sender = self._sender(place, user, anonymous=anonymous)
        return self.api.post_user_message(
            place,
            sender,
            text=text,
            entities=detect_entities(text),
            reply_to=self._message_id(reply_to),
            sender_chat=sender.id == ANONYMOUS_ADMIN_ID,
            token=self.token,
        )

    def edit_text(
        self, chat: ChatRef, user: UserRef, message: MessageRef, text: str
    ) -> MessageRecord:
        """The user edits their message: an ``edited_message`` update."""
        return self.api.user_edits_message(
            self._chat(chat),
            self._user(user),
            self._message_id(message) or 0,
            text,
            detect_entities(text),
            token=self.token,
        )

    def send_sticker(
        self,
        chat: ChatRef,
        user: UserRef,
        emoji: str = "👍",
        *,
        reply_to: MessageRef | None = None,
    ) -> MessageRecord:
        place = self._chat(chat)
        sender = self._sender(place, user)
        record = self.api.store_file(
            b"RIFF\x00\x00\x00\x00WEBPVP8 ", "sticker.webp", "image/webp", token=self.token
        )
        sticker = {
            "file_id": record.file_id,
            "file_unique_id": record.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "set_name": "TestStickers",
            "file_size": record.file_size,
        }
        return self.api.post_user_message(
            place,
            sender,
            kind="sticker",
            content={"sticker": sticker},
            reply_to=self._message_id(reply_to),
            sender_chat=sender.id == ANONYMOUS_ADMIN_ID,
            token=self.token,
        )

    def send_photo(
        self,
        chat: ChatRef,
        user: UserRef,
        *,
        caption: str | None = None,
        data: bytes = b"\xff\xd8\xff\xe0fake-jpeg\xff\xd9",
        width: int = 1280,
        height: int = 960,
    ) -> MessageRecord:
        """A photo (three sizes, the largest downloadable), with an optional caption."""
        place = self._chat(chat)
        sender = self._sender(place, user)
        sizes = []
        for scale in (0.07, 0.25, 1.0):
            record = self.api.store_file(data, "photo.jpg", "image/jpeg", token=self.token)
            sizes.append(
                {
                    "file_id": record.file_id,
                    "file_unique_id": record.file_unique_id,
                    "file_size": record.file_size,
                    "width": max(1, int(width * scale)),
                    "height": max(1, int(height * scale)),
                }
            )
        return self.api.post_user_message(
            place,
            sender,
            kind="photo",
            text=caption,
            entities=detect_entities(caption) if caption else None,
            content={"photo": sizes},
            sender_chat=sender.id == ANONYMOUS_ADMIN_ID,
            token=self.token,
        )

    def send_document(
        self,
        chat: ChatRef,
        user: UserRef,
        filename: str,
        data: bytes,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> MessageRecord:
        """The user sends a file; the bot can ``get_file`` and download these bytes."""
        place = self._chat(chat)
        self._sender(place, user)
        return self.api.user_sends_document(
            place, user, filename, data, mime_type=mime_type, caption=caption, token=self.token
        )

    def press(self, chat: ChatRef, user: UserRef, message: MessageRef, callback_data: str) -> str:
        """The user presses a callback button with this data (not checked against the
        keyboard, so stale or forged data can be tested); returns the callback query id."""
        return self.api.user_presses(
            self._chat(chat),
            self._user(user),
            self._message_id(message) or 0,
            callback_data,
            token=self.token,
        )

    def press_button(
        self, chat: ChatRef, user: UserRef, message: MessageRef, button_text: str
    ) -> str:
        """The user presses the button labelled ``button_text`` in the message's current
        keyboard; returns the callback query id. ``LookupError`` lists the buttons there are."""
        place = self._chat(chat)
        record = self.api.chat(place, self.token).message(self._message_id(message) or 0)
        if record.deleted:
            raise LookupError(f"message {record.message_id} was deleted")
        button = record.button(button_text)
        if "callback_data" not in button:
            kinds = sorted(set(button) - {"text"})
            raise ValueError(f"button {button_text!r} is not a callback button: {kinds}")
        return self.press(place, user, record, str(button["callback_data"]))

    # ---- helpers ------------------------------------------------------------------------------

    def _user(self, user: UserRef) -> UserInfo:
        return user if isinstance(user, UserInfo) else self.api.user(user)

    def _chat(self, chat: ChatRef) -> ChatInfo:
        return chat if isinstance(chat, ChatInfo) else self.api.chat_info(chat)

    @staticmethod
    def _message_id(message: MessageRef | None) -> int | None:
        if message is None:
            return None
        return message.message_id if isinstance(message, MessageRecord) else int(message)

    def _sender(self, chat: ChatInfo, user: UserRef, *, anonymous: bool = False) -> UserInfo:
        person = self._user(user)
        if chat.is_private:
            if person.id != chat.id:
                raise ValueError(f"user {person.id} cannot write in {chat.id}'s private chat")
            if self.api.is_blocked(person, self.token):
                self.unblock_bot(person)  # writing to a blocked bot restarts it
            return person
        if person.id == ANONYMOUS_ADMIN_ID:
            return person
        member = chat.members.get(person.id)
        if member is None or not member.is_present:
            raise ValueError(f"user {person.id} is not a member of chat {chat.id}")
        if anonymous:
            if not (member.is_admin and member.is_anonymous):
                raise ValueError(f"user {person.id} is not an anonymous admin of {chat.id}")
            return self.anonymous_admin
        return person
