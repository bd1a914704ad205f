"""The Bot API stand-in, driven through python-telegram-bot's real HTTP stack (no network)."""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    ReplyParameters,
    TelegramObject,
    Update,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from tests.botapi import (
    ANONYMOUS_ADMIN_ID,
    DEFAULT_BOT,
    DEFAULT_TOKEN,
    BotAPIStandIn,
    BotInfo,
    TelegramClient,
    UploadedFile,
    WaitTimeout,
    format_text,
    parse_html,
    parse_markdown,
    parse_markdown_v2,
)

TOKEN = DEFAULT_TOKEN
OTHER_TOKEN = "654321:BBHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
OTHER_BOT = BotInfo(id=654321, username="exempt_other_bot", first_name="Other")
NOT_MODIFIED = (
    "Message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


@pytest.fixture(autouse=True)
def _timedelta_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without it PTB 22.8 warns (PTBDeprecationWarning) while *constructing* RetryAfter, and the
    # project's filterwarnings=error::DeprecationWarning turns every 429 into that warning.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
def api() -> Iterator[BotAPIStandIn]:
    with BotAPIStandIn(tokens={TOKEN: DEFAULT_BOT, OTHER_TOKEN: OTHER_BOT}) as stand_in:
        yield stand_in


@pytest.fixture
def people(api: BotAPIStandIn) -> TelegramClient:
    return TelegramClient(api)


@pytest.fixture
async def bot(api: BotAPIStandIn) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=api.base_url, base_file_url=api.base_file_url) as direct:
        yield direct


def builder(api: BotAPIStandIn, token: str = TOKEN) -> ApplicationBuilder:  # type: ignore[type-arg]
    return ApplicationBuilder().token(token).base_url(api.base_url).base_file_url(api.base_file_url)


@contextlib.asynccontextmanager
async def polling(app: Application) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


def echo_app(api: BotAPIStandIn) -> Application:  # type: ignore[type-arg]
    """A tiny bot: /start shows a keyboard, a press edits the message."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html(
            f"<b>Привет!</b> args={context.args}",
            reply_markup=InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton("Да", callback_data="v1:yes")],
                    [InlineKeyboardButton("Нет", callback_data="v1:no")],
                ]
            ),
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer(f"got {query.data}")
        await query.edit_message_text(f"Вы выбрали: <i>{query.data}</i>", parse_mode="HTML")

    app = builder(api).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed, pattern=r"^v1:"))
    return app


# ---- the real stack, end to end ------------------------------------------------------------


async def test_polling_bot_keyboard_press_and_edit(
    api: BotAPIStandIn, people: TelegramClient
) -> None:
    ivan = people.user("Ivan", language_code="ru")
    chat = people.private_chat(ivan)
    async with polling(echo_app(api)):
        people.send_text(chat, ivan, "/start@exempt_test_bot check_ru")
        menu = await api.wait_for(lambda: api.last_bot_message(chat), message="the menu")
        assert menu.text == "Привет! args=['check_ru']"
        assert menu.entities_of("bold") == ["Привет!"]
        assert menu.html == "<b>Привет!</b> args=['check_ru']"
        assert menu.buttons == [["Да"], ["Нет"]]

        query_id = people.press_button(chat, ivan, menu, "Нет")
        await api.wait_for(lambda: api.answer_for(query_id) and menu.edited, message="the edit")

    assert menu.text == "Вы выбрали: v1:no"
    assert menu.entities_of("italic") == ["v1:no"]
    assert menu.reply_markup is None  # an edit without reply_markup drops the keyboard
    assert menu.history == ["Привет! args=['check_ru']"]
    answer = api.answer_for(query_id)
    assert answer is not None and answer.text == "got v1:no"
    assert len(api.calls(TOKEN, "answerCallbackQuery")) == 1
    assert api.visible_text(chat) == "Вы выбрали: v1:no"
    fetched = [update for call in api.calls(TOKEN, "getUpdates") for update in call.result or []]
    entity = fetched[0]["message"]["entities"][0]
    assert entity == {"type": "bot_command", "offset": 0, "length": len("/start@exempt_test_bot")}
    assert not [c for c in api.calls() if c.error_code], "no call failed"
    # Stopping the updater abandons its long poll; the stand-in noticed the client went away.
    assert not api.pending_updates()


async def test_strictness_surfaces_as_bad_request(
    api: BotAPIStandIn, people: TelegramClient, bot: Bot
) -> None:
    ivan = people.user("Ivan")
    chat = people.private_chat(ivan)
    people.send_text(chat, ivan, "/start")

    async def bad(coroutine: Any) -> str:
        with pytest.raises(BadRequest) as raised:
            await coroutine
        return raised.value.message

    assert await bad(bot.send_message(chat.id, "x" * 4097)) == "Message is too long"
    await bot.send_message(chat.id, "x" * 4096)
    await bot.send_message(chat.id, "<b>" + "я" * 4096 + "</b>", parse_mode="HTML")
    assert await bad(bot.send_message(chat.id, " \n ")) == "Message text is empty"
    assert await bad(bot.send_message(chat.id, "<b> </b>", parse_mode="HTML")) == (
        "Message text is empty"
    )
    # PTB capitalizes descriptions with str.capitalize(), which lowercases everything after.
    assert await bad(bot.send_message(chat.id, "<b>bold", parse_mode="HTML")) == (
        "Can't parse entities: can't find end tag corresponding to start tag \"b\""
    )
    assert await bad(bot.send_message(chat.id, "1 < 2", parse_mode="HTML")) == (
        'Can\'t parse entities: unsupported start tag "" at byte offset 2'
    )
    assert await bad(bot.send_message(chat.id, "a <br/> b", parse_mode="HTML")) == (
        'Can\'t parse entities: unsupported start tag "br/" at byte offset 2'
    )
    assert (await bad(bot.send_message(chat.id, "<b>x</i>", parse_mode="HTML"))).startswith(
        "Can't parse entities: unmatched end tag at byte offset 4"
    )
    assert await bad(bot.send_message(chat.id, "1.5", parse_mode="MarkdownV2")) == (
        "Can't parse entities: character '.' is reserved and must be escaped with the "
        "preceding '\\'"
    )
    assert await bad(bot.send_message(chat.id, "x", parse_mode="html5")) == (
        "Unsupported parse_mode"
    )

    def keyboard(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data=data)]])

    assert await bad(bot.send_message(chat.id, "k", reply_markup=keyboard("a" * 65))) == (
        "Button_data_invalid"
    )
    assert await bad(bot.send_message(chat.id, "k", reply_markup=keyboard("я" * 33))) == (
        "Button_data_invalid"  # 66 bytes: the limit is in bytes, not characters
    )
    await bot.send_message(chat.id, "k", reply_markup=keyboard("я" * 32))
    local = InlineKeyboardMarkup([[InlineKeyboardButton("site", url="http://localhost:5173/x")]])
    assert await bad(bot.send_message(chat.id, "k", reply_markup=local)) == (
        "Inline keyboard button url 'http://localhost:5173/x' is invalid: wrong http url"
    )
    text_only = {"inline_keyboard": [[{"text": "no action"}]]}
    assert await bad(bot.send_message(chat.id, "k", reply_markup=text_only)) == (  # type: ignore[arg-type]
        "Can't parse inline keyboard button: text buttons are unallowed in the inline keyboard"
    )

    sent = await bot.send_message(chat.id, "same", reply_markup=keyboard("v1:a"))
    assert await bad(sent.edit_text("same", reply_markup=keyboard("v1:a"))) == NOT_MODIFIED
    assert await bad(sent.edit_reply_markup(keyboard("v1:a"))) == NOT_MODIFIED
    await sent.edit_text("same", reply_markup=keyboard("v1:b"))
    assert await bad(bot.edit_message_text("t", chat_id=chat.id, message_id=999)) == (
        "Message to edit not found"
    )
    assert await bad(bot.edit_message_text("t", chat_id=chat.id, message_id=1)) == (
        "Message can't be edited"  # message 1 is the user's /start
    )
    assert await bad(bot.delete_message(chat.id, 999)) == "Message to delete not found"

    query_id = people.press(chat, ivan, sent.message_id, "v1:b")
    assert await bot.answer_callback_query(query_id, text="fine")
    raw = api.calls(TOKEN, "answerCallbackQuery")
    assert await bad(bot.answer_callback_query(query_id)) == (
        "Query is too old and response timeout expired or query id is invalid"
    )
    assert api.calls(TOKEN, "answerCallbackQuery")[-1].description == (
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )
    assert len(raw) == 1
    other = people.press(chat, ivan, sent.message_id, "v1:b")
    assert await bad(bot.answer_callback_query(other, text="x" * 201)) == "Message_too_long"
    assert await bot.answer_callback_query(other, text="x" * 200)
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.get_chat(-100999)


async def test_flood_429_then_success_with_rate_limiter(
    api: BotAPIStandIn, people: TelegramClient
) -> None:
    ivan = people.user("Ivan")
    chat = people.private_chat(ivan)
    app = builder(api).rate_limiter(AIORateLimiter(max_retries=3)).build()
    api.inject_429(TOKEN, count=1, retry_after=1)
    async with app:
        started = time.monotonic()
        message = await app.bot.send_message(chat.id, "after the flood")
        elapsed = time.monotonic() - started
    sends = api.calls(TOKEN, "sendMessage")
    assert [call.error_code for call in sends] == [429, None]
    assert sends[0].description == "Too Many Requests: retry after 1"
    assert elapsed >= 1.0  # AIORateLimiter waited retry_after + 0.1 s
    assert message.text == "after the flood"

    api.inject_429(TOKEN, retry_after=3)  # without a rate limiter the 429 reaches the caller
    async with Bot(TOKEN, base_url=api.base_url) as plain:
        with pytest.raises(RetryAfter):
            await plain.send_message(chat.id, "too soon")
        assert await plain.get_me()  # reads are not flood-injected


async def test_tokens_and_methods(api: BotAPIStandIn, people: TelegramClient, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "exempt_test_bot", True)
    async with Bot(OTHER_TOKEN, base_url=api.base_url) as other:
        assert (await other.get_me()).username == "exempt_other_bot"
    with pytest.raises(InvalidToken):
        await Bot("999:nope", base_url=api.base_url).initialize()
    unknown = api.calls(method="getMe")[-1]
    assert (unknown.error_code, unknown.description) == (401, "Unauthorized")
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": 1})
    assert api.calls(TOKEN, "sendTelepathy")[0].error_code == 404
    assert await bot.close() and await bot.log_out()


async def test_two_bots_keep_separate_views(api: BotAPIStandIn) -> None:
    first, second = TelegramClient(api), TelegramClient(api, OTHER_TOKEN)
    olga = first.user("Olga")
    chat = first.private_chat(olga)
    first.send_text(chat, olga, "/start")
    second.send_text(chat, olga, "/help")
    assert [m.text for m in api.chat(chat).messages] == ["/start"]
    assert [m.text for m in api.chat(chat, OTHER_TOKEN).messages] == ["/help"]
    async with Bot(OTHER_TOKEN, base_url=api.base_url) as other:
        updates = await other.get_updates()
    assert [u.message.text for u in updates if u.message] == ["/help"]
    assert api.calls(OTHER_TOKEN, "getUpdates") and not api.calls(TOKEN, "getUpdates")


async def test_message_state_is_recorded(
    api: BotAPIStandIn, people: TelegramClient, bot: Bot
) -> None:
    ivan = people.user("Ivan", language_code="ru")
    chat = people.private_chat(ivan)
    people.send_text(chat, ivan, "/start")
    people.user_language_code(ivan, "en")
    people.send_text(chat, ivan, "/help")
    first, second = await bot.get_updates()
    assert first.effective_user is not None and first.effective_user.language_code == "ru"
    assert second.effective_user is not None and second.effective_user.language_code == "en"
    sent = await bot.send_message(
        chat.id,
        "Статья <b>24</b> https://e.org",
        parse_mode="HTML",
        disable_notification=True,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        reply_markup=_keyboard("v1:x"),
        reply_parameters=ReplyParameters(message_id=first.effective_message.message_id),  # type: ignore[union-attr]
    )
    record = api.chat(chat).message(sent.message_id)
    assert (record.text, record.html) == (
        "Статья 24 https://e.org",
        "Статья <b>24</b> https://e.org",
    )
    assert (record.entities_count, record.entities_of("url")) == (2, ["https://e.org"])
    assert record.reply_markup == {"inline_keyboard": [[{"text": "b", "callback_data": "v1:x"}]]}
    assert record.disable_notification and record.link_preview_options == {"is_disabled": True}
    assert sent.reply_to_message is not None and sent.reply_to_message.text == "/start"
    await sent.delete()
    assert record.deleted and api.visible_text(chat) == ""
    assert api.visible_text(chat, include_user=True) == "/start\n\n/help"


# ---- updates: getUpdates semantics, allowed_updates, webhooks -------------------------------


async def test_get_updates_offset_and_long_polling(
    api: BotAPIStandIn, people: TelegramClient, bot: Bot
) -> None:
    ivan = people.user("Ivan")
    chat = people.private_chat(ivan)
    for text in ("one", "two", "three"):
        people.send_text(chat, ivan, text)
    first = await bot.get_updates()
    assert [u.message.text for u in first if u.message] == ["one", "two", "three"]
    again = await bot.get_updates()  # nothing confirmed yet: the same updates again
    assert [u.update_id for u in again] == [u.update_id for u in first]
    assert api.times_fetched(first[0].update_id) == 2
    assert [u.message.text for u in await bot.get_updates(offset=-1) if u.message] == ["three"]
    assert await bot.get_updates(offset=first[-1].update_id + 1) == ()
    assert not api.pending_updates()

    async def arrives_later() -> None:
        await asyncio.sleep(0.2)
        people.send_text(chat, ivan, "late")

    started = time.monotonic()
    _, late = await asyncio.gather(arrives_later(), bot.get_updates(timeout=5))
    assert [u.message.text for u in late if u.message] == ["late"]
    assert time.monotonic() - started < 2  # the long poll returned as soon as it arrived

    waiting = asyncio.create_task(bot.get_updates(offset=late[0].update_id + 1, timeout=5))
    await api.wait_for(lambda: any(not c.done for c in api.calls(TOKEN, "getUpdates")))
    async with Bot(TOKEN, base_url=api.base_url) as second_instance:
        await second_instance.get_updates(timeout=0)
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await waiting


async def test_allowed_updates_are_honoured(
    api: BotAPIStandIn, people: TelegramClient, bot: Bot
) -> None:
    ivan = people.user("Ivan")
    chat = people.private_chat(ivan)
    await bot.get_updates(allowed_updates=["message"])
    sent = await bot.send_message(chat.id, "menu", reply_markup=_keyboard("x"))
    people.press(chat, ivan, sent.message_id, "x")
    people.send_text(chat, ivan, "hello")
    updates = await bot.get_updates()
    assert [u.message.text for u in updates if u.message] == ["hello"]
    assert list(api.dropped_updates()[0]) == ["callback_query"]
    await bot.get_updates(offset=updates[-1].update_id + 1, allowed_updates=[])
    assert api.allowed_updates() == []  # [] restores the default set


class _Receiver(http.server.ThreadingHTTPServer):
    """A webhook endpoint that records what arrives and answers ``status``."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.status = 200

        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), json.loads(body)))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


async def test_webhook_delivery_retry_and_secret(
    api: BotAPIStandIn, people: TelegramClient, bot: Bot
) -> None:
    receiver = _Receiver()
    try:
        ivan = people.user("Ivan")
        chat = people.private_chat(ivan)
        assert await bot.set_webhook(receiver.url, secret_token="s3cr3t-_", allowed_updates=[])
        with pytest.raises(BadRequest, match="Secret token contains unallowed characters"):
            await bot.set_webhook(receiver.url, secret_token="not/base64=")
        info = await bot.get_webhook_info()
        assert (info.url, info.pending_update_count) == (receiver.url, 0)
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()

        people.send_text(chat, ivan, "/start")
        await api.wait_for(lambda: receiver.received)
        headers, update = receiver.received[0]
        assert headers["X-Telegram-Bot-Api-Secret-Token"] == "s3cr3t-_"
        assert headers["Content-Type"] == "application/json"
        assert update["message"]["text"] == "/start"

        receiver.status = 500
        people.send_text(chat, ivan, "while down")
        await api.wait_for(lambda: any(d.status == 500 for d in api.webhook_deliveries()))
        info = await bot.get_webhook_info()
        assert info.pending_update_count == 1
        assert (
            info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
        )
        receiver.status = 200
        await api.wait_for(lambda: not api.pending_updates(), message="the retry")
        assert [u["message"]["text"] for _, u in receiver.received][-1] == "while down"

        status = await api.adeliver_webhook(TOKEN, {"message": update["message"]})
        assert status == 200 and receiver.received[-1][1]["update_id"] > update["update_id"]
        assert await bot.delete_webhook()
        assert api.calls(TOKEN, "deleteWebhook")[-1].result is True
        assert await bot.get_updates() == ()
    finally:
        receiver.shutdown()
        receiver.server_close()


# ---- chats, groups and what the bot may do in them ------------------------------------------


async def test_groups_privacy_anonymous_admins_and_migration(
    api: BotAPIStandIn, people: TelegramClient, bot: Bot
) -> None:
    owner, admin, member = people.user("Owner"), people.user("Admin"), people.user("Member")
    group = people.group("Призыв", creator=owner, anonymous_admins=[admin], members=[member])
    with pytest.raises(Forbidden, match=r"^Forbidden: bot is not a member of the group chat$"):
        await bot.send_message(group.id, "hi")
    people.add_bot_to_group(group, owner)
    assert people.send_text(group, member, "just chatting").delivered is False  # privacy mode
    assert people.send_text(group, member, "/start@exempt_test_bot").delivered
    assert not people.send_text(group, member, "/start@someone_else_bot").delivered
    assert people.send_text(group, admin, "/check", anonymous=True).delivered

    updates = await bot.get_updates()
    kinds = [next(k for k in u.to_dict() if k != "update_id") for u in updates]
    assert kinds == ["my_chat_member", "message", "message", "message"]
    joined = updates[0].my_chat_member
    assert joined is not None
    assert (joined.old_chat_member.status, joined.new_chat_member.status) == ("left", "member")
    assert updates[1].message is not None and updates[1].message.new_chat_members[0].id == 123456
    anonymous = updates[3].message
    assert anonymous is not None and anonymous.from_user is not None
    assert anonymous.from_user.id == ANONYMOUS_ADMIN_ID
    assert anonymous.sender_chat is not None and anonymous.sender_chat.id == group.id

    admins = await bot.get_chat_administrators(group.id)
    assert {(a.user.first_name, a.status, getattr(a, "is_anonymous", None)) for a in admins} == {
        ("Owner", "creator", False),
        ("Admin", "administrator", True),
    }
    assert (await bot.get_chat_member(group.id, member.id)).status == "member"
    assert (await bot.get_chat(group.id)).title == "Призыв"

    supergroup = people.migrate_group_to_supergroup(group, owner)
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(group.id, "hello?")
    assert migrated.value.new_chat_id == supergroup.id
    assert await bot.send_message(supergroup.id, "hello again")
    migration = await bot.get_updates(offset=updates[-1].update_id + 1)
    old_side, new_side = (u.message for u in migration if u.message)
    assert (old_side.migrate_to_chat_id, new_side.migrate_from_chat_id) == (supergroup.id, group.id)

    assert await bot.leave_chat(supergroup.id)
    left = (await bot.get_updates(offset=migration[-1].update_id + 1))[-1].my_chat_member
    assert left is not None and left.new_chat_member.status == "left"
    people.add_bot_to_group(supergroup, owner)
    people.remove_bot_from_group(supergroup, owner)
    with pytest.raises(Forbidden, match=r"^Forbidden: bot was kicked from the supergroup chat$"):
        await bot.send_message(supergroup.id, "still here?")


async def test_private_chat_limits(api: BotAPIStandIn, people: TelegramClient, bot: Bot) -> None:
    anna, boris = people.user("Anna"), people.user("Boris")
    chat = people.private_chat(anna)
    api.mark_never_started(boris)
    people.private_chat(boris)
    with pytest.raises(
        Forbidden, match=r"^Forbidden: bot can.t initiate conversation with a user$"
    ):
        await bot.send_message(boris.id, "hello")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.get_chat(anna.id)  # the bot has never seen her
    people.send_text(chat, anna, "/start")
    assert (await bot.get_chat(anna.id)).first_name == "Anna"
    people.block_bot(anna)
    with pytest.raises(Forbidden, match=r"^Forbidden: bot was blocked by the user$"):
        await bot.send_message(anna.id, "are you there?")
    people.send_text(chat, anna, "/start")  # writing again restarts the bot
    old = await bot.send_message(anna.id, "old")
    new = await bot.send_message(anna.id, "new")
    api.mark_old(chat, [old.message_id])
    with pytest.raises(BadRequest, match="Message can't be deleted for everyone"):
        await old.delete()
    assert await bot.delete_messages(anna.id, [old.message_id, new.message_id, 999])
    assert [m.text for m in api.chat(chat).bot_messages] == ["old"]  # skipped, still visible
    with pytest.raises(BadRequest, match="Too many message identifiers specified"):
        await bot.delete_messages(anna.id, list(range(1, 102)))
    kinds = [next(k for k in u.to_dict() if k != "update_id") for u in await bot.get_updates()]
    assert kinds == ["message", "my_chat_member", "my_chat_member", "message"]


async def test_commands_and_descriptions(
    api: BotAPIStandIn, people: TelegramClient, bot: Bot
) -> None:
    owner = people.user("Owner")
    group = people.group("G", creator=owner)
    commands = [BotCommand("start", "Начать"), BotCommand("help", "Помощь")]
    assert await bot.set_my_commands(commands, language_code="ru")
    assert await bot.set_my_commands([("start", "Start")])
    assert await bot.set_my_commands([("check", "Check")], scope=BotCommandScopeAllGroupChats())
    assert [c.command for c in await bot.get_my_commands(language_code="ru")] == ["start", "help"]
    assert [c.description for c in await bot.get_my_commands()] == ["Start"]
    assert await bot.get_my_commands(language_code="de") == ()
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.set_my_commands(commands, scope=BotCommandScopeChat(group.id))
    people.add_bot_to_group(group, owner)
    assert await bot.set_my_commands([("only_here", "x")], scope=BotCommandScopeChat(group.id))
    assert [c["command"] for c in api.commands_for(group, owner, "ru")] == ["only_here"]
    ivan = people.user("Ivan")
    assert [c["description"] for c in api.commands_for(people.private_chat(ivan), ivan, "ru")] == [
        "Начать",
        "Помощь",
    ]
    assert await bot.delete_my_commands(scope=BotCommandScopeChat(group.id))
    assert [c["command"] for c in api.commands_for(group, owner, "en")] == ["check"]

    for bad_commands, message in [
        ([("Start", "x")], "Bot_command_invalid"),
        ([("with-dash", "x")], "Bot_command_invalid"),
        ([("x" * 33, "x")], "Command length must not exceed 32"),
        ([("ok", " ")], "Command description must be non-empty"),
        ([("ok", "x" * 257)], "Command description length must not exceed 256"),
        ([(f"c{i}", "x") for i in range(101)], "Bot_commands_too_much"),
    ]:
        with pytest.raises(BadRequest) as raised:
            await bot.set_my_commands(bad_commands)
        assert raised.value.message == message
    with pytest.raises(BadRequest, match="Invalid language code specified"):
        await bot.set_my_commands(commands, language_code="rus")

    assert await bot.set_my_description("Проверка освобождения", language_code="ru")
    assert await bot.set_my_short_description("Short")
    assert (await bot.get_my_description("ru")).description == "Проверка освобождения"
    assert (await bot.get_my_short_description()).short_description == "Short"
    assert api.short_description() == "Short"


async def test_documents_both_ways(api: BotAPIStandIn, people: TelegramClient, bot: Bot) -> None:
    ivan = people.user("Ivan")
    chat = people.private_chat(ivan)
    payload = b"%PDF-1.4\r\n\x00\xff\xfe binary\r\n--not-a-boundary\r\n"
    people.send_document(chat, ivan, "повестка.pdf", payload, caption="вот")
    (update,) = await bot.get_updates()
    assert update.message is not None and update.message.document is not None
    assert update.message.document.file_name == "повестка.pdf"
    assert update.message.document.mime_type == "application/pdf"
    assert update.message.caption == "вот"
    telegram_file = await update.message.document.get_file()
    assert telegram_file.file_path is not None
    assert telegram_file.file_path.startswith(api.base_file_url + TOKEN + "/documents/")
    assert bytes(await telegram_file.download_as_bytearray()) == payload

    sent = await bot.send_document(
        chat.id, payload, filename="отчёт.pdf", caption="<b>Итог</b>", parse_mode="HTML"
    )
    assert sent.document is not None and sent.caption == "Итог"
    record = api.chat(chat).message(sent.message_id)
    assert (record.kind, record.text, record.entities_of("bold")) == ("document", "Итог", ["Итог"])
    uploaded = api.calls(TOKEN, "sendDocument")[0].params["document"]
    assert isinstance(uploaded, UploadedFile)
    assert (uploaded.filename, uploaded.content) == ("отчёт.pdf", payload)
    assert api.file(sent.document.file_id).content == payload
    again = await bot.send_document(chat.id, sent.document.file_id)  # resend by file_id
    assert again.document is not None and again.document.file_id == sent.document.file_id
    with pytest.raises(BadRequest, match="Wrong file identifier/http url specified"):
        await bot.send_document(chat.id, "no-such-file-id")
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("no-such-file-id")


async def test_files_are_fetched_as_from_telegram(
    api: BotAPIStandIn, people: TelegramClient, bot: Bot
) -> None:
    """getFile and the file server as documented: a path for this bot only, valid an hour, by
    GET; an expired path is gone and getFile gives a new one."""
    ivan = people.user("Ivan")
    chat = people.private_chat(ivan)
    with pytest.raises(ValueError, match="empty file"):
        people.send_document(chat, ivan, "empty.yaml", b"")
    people.send_document(chat, ivan, "rules.yaml", b"a: 1\n")
    (update,) = await bot.get_updates()
    assert update.message is not None and update.message.document is not None
    file_id = update.message.document.file_id
    with pytest.raises(BadRequest, match="File_id not specified"):
        await bot.get_file("")
    async with Bot(OTHER_TOKEN, base_url=api.base_url, base_file_url=api.base_file_url) as other:
        with pytest.raises(BadRequest, match="Invalid file_id"):
            await other.get_file(file_id)  # file ids are per bot
    first = await bot.get_file(file_id)
    assert first.file_path is not None and first.file_path.endswith(".yaml")
    assert bytes(await first.download_as_bytearray()) == b"a: 1\n"
    relative = first.file_path.removeprefix(api.base_file_url + TOKEN + "/")
    url = f"{api.base_file_url}{OTHER_TOKEN}/{relative}"
    assert await asyncio.to_thread(http_status, url) == 404  # another bot's token
    url = f"{api.base_file_url}{TOKEN}/{relative}"
    assert await asyncio.to_thread(http_status, url, b"x") == 405  # POST
    api.advance_clock(3601)
    assert await asyncio.to_thread(http_status, url) == 404  # the link expired
    second = await bot.get_file(file_id)
    assert second.file_path != first.file_path
    assert bytes(await second.download_as_bytearray()) == b"a: 1\n"
    assert [d.status for d in api.downloads(TOKEN)] == [200, 405, 404, 200]
    assert [d.status for d in api.downloads(OTHER_TOKEN)] == [404]


def http_status(url: str, data: bytes | None = None) -> int:
    try:
        with urllib.request.urlopen(url, data=data, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


async def test_a_file_id_works_only_for_the_bot_that_uploaded_it(
    api: BotAPIStandIn, people: TelegramClient, bot: Bot
) -> None:
    ivan = people.user("Ivan")
    chat = people.private_chat(ivan)
    payload = b"<!doctype html>" + b"x" * 10_000
    sent = await bot.send_document(chat.id, payload, filename="page.html")
    assert sent.document is not None and sent.document.file_unique_id
    upload, = api.calls(TOKEN, "sendDocument")
    assert [u.content for u in upload.uploads] == [payload] and upload.body_size > len(payload)
    again = await bot.send_document(chat.id, sent.document.file_id, caption="again")
    assert again.document is not None
    assert (again.document.file_id, again.document.file_unique_id, again.document.file_size) == (
        sent.document.file_id, sent.document.file_unique_id, len(payload))
    by_id = api.calls(TOKEN, "sendDocument")[1]
    assert by_id.uploads == [] and by_id.body_size < 1000
    async with Bot(OTHER_TOKEN, base_url=api.base_url, base_file_url=api.base_file_url) as other:
        with pytest.raises(BadRequest, match="Wrong file identifier/http url specified"):
            await other.send_document(chat.id, sent.document.file_id)
    api.forget_file(sent.document.file_id)
    with pytest.raises(BadRequest, match="Wrong file identifier/http url specified"):
        await bot.send_document(chat.id, sent.document.file_id)
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file(sent.document.file_id)


async def test_every_generated_update_parses_cleanly(
    api: BotAPIStandIn, people: TelegramClient, bot: Bot
) -> None:
    owner, member = people.user("Owner", username="owner_user"), people.user("M")
    chat = people.private_chat(owner)
    group = people.group("G", creator=owner, members=[member])
    people.send_text(chat, owner, "/start with #tag and @owner_user https://example.org/x.")
    message = await bot.send_message(chat.id, "<a href='https://t.me/x'>link</a>", "HTML")
    people.edit_text(chat, owner, 1, "edited")
    people.send_sticker(chat, owner)
    people.send_photo(chat, owner, caption="photo")
    people.send_document(chat, owner, "a.txt", b"text")
    people.press(chat, owner, message.message_id, "data")
    people.add_bot_to_group(group, owner, as_admin=True)
    people.send_text(group, member, "hello", reply_to=1)
    people.join_group(group, people.user("New"))
    people.migrate_group_to_supergroup(group, owner)
    people.block_bot(owner)
    updates = await bot.get_updates()
    assert len(updates) == 13

    def check(obj: object, path: str) -> None:
        if isinstance(obj, TelegramObject):
            assert not obj.api_kwargs, f"{path} has unknown fields {obj.api_kwargs}"
            for name, value in obj._get_attrs(recursive=False).items():
                check(value, f"{path}.{name}")
        elif isinstance(obj, list | tuple):
            for index, value in enumerate(obj):
                check(value, f"{path}[{index}]")

    for update in updates:
        check(update, f"update {update.update_id}")
    check(message, "sent message")
    text = updates[0].message
    assert text is not None
    assert [e.type for e in text.entities] == ["bot_command", "hashtag", "mention", "url"]
    assert text.parse_entities()[text.entities[3]] == "https://example.org/x"
    assert message.entities[0].url == "https://t.me/x"


# ---- text formatting, as Telegram parses it ---------------------------------------------------


def test_html_parsing_follows_telegram() -> None:
    text, entities = parse_html(
        '<b>Жир <i>и&nbsp;курсив</i></b> 😀 <a href="https://e.org">ссылка</a> &lt;&#33;&#x21;'
    )
    assert text == "Жир и&nbsp;курсив 😀 ссылка <!!"
    assert entities == [
        {"type": "italic", "offset": 4, "length": 13},
        {"type": "bold", "offset": 0, "length": 17},
        {"type": "text_link", "offset": 21, "length": 6, "url": "https://e.org"},
    ]  # the emoji is two UTF-16 units, so the link starts at 21
    text, entities = parse_html('<pre><code class="language-python">x = 1</code></pre>')
    assert entities == [{"type": "pre", "offset": 0, "length": 5, "language": "python"}]
    _, entities = parse_html("<blockquote expandable>q</blockquote><tg-spoiler>s</tg-spoiler>")
    assert [e["type"] for e in entities] == ["expandable_blockquote", "spoiler"]
    _, entities = parse_html('<span class="tg-spoiler">s</span><a href="localhost">x</a>')
    assert [e["type"] for e in entities] == ["spoiler"]  # unusable links vanish silently
    with pytest.raises(Exception, match='Tag "span" must have class "tg-spoiler"'):
        parse_html("<span>x</span>")
    with pytest.raises(Exception, match="Unclosed start tag at byte offset 13"):  # bytes, not chars
        parse_html("Привет <b")


def test_markdown_and_entity_limits() -> None:
    text, entities = parse_markdown_v2(r"*bold* _it_ __u__ ~s~ ||sp|| `c` [l](https://e.org) 1\.5")
    assert text == "bold it u s sp c l 1.5"
    assert [e["type"] for e in entities] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "text_link",
    ]
    with pytest.raises(Exception, match="Can't find end of Bold entity at byte offset 0"):
        parse_markdown_v2("*open")
    text, entities = parse_markdown("*b* _i_ `c` [t](https://e.org)")
    assert text == "b i c t"
    assert [e["type"] for e in entities] == ["bold", "italic", "code", "text_link"]
    many = format_text(" ".join(["<b>x</b>"] * 150), "HTML")
    assert (len(many.entities), many.entities_parsed) == (100, 150)  # extra entities ignored
    stripped = format_text("\r\n  <b>hi</b>  \r\n", "HTML")
    assert (stripped.text, stripped.entities) == (
        "hi",
        [{"type": "bold", "offset": 0, "length": 2}],
    )


# ---- waiting, and a bot in another process that gets killed -----------------------------------


async def test_wait_helpers(api: BotAPIStandIn) -> None:
    with pytest.raises(RuntimeError, match=r"use `await api\.wait_for`"):
        api.wait_until(lambda: True)
    with pytest.raises(WaitTimeout, match="the impossible"):
        await api.wait_for(lambda: False, timeout=0.1, message="the impossible")
    assert await api.wait_for(lambda: 42) == 42


BOT_SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from telegram.ext import ApplicationBuilder, CommandHandler

    async def start(update, context):
        await update.message.reply_text(f"pid {context.bot_data['pid']}")

    async def hang(update, context):
        await asyncio.sleep(3600)

    base_url, file_url, token, pid = sys.argv[1:]
    app = ApplicationBuilder().token(token).base_url(base_url).base_file_url(file_url).build()
    app.bot_data["pid"] = pid
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("hang", hang, block=False))
    app.run_polling(poll_interval=0, timeout=1)
    """
)


def test_bot_in_a_subprocess_survives_kill_9(
    api: BotAPIStandIn, people: TelegramClient, tmp_path: Path
) -> None:
    script = tmp_path / "bot.py"
    script.write_text(BOT_SCRIPT)
    ivan = people.user("Ivan")
    chat = people.private_chat(ivan)
    env = {**os.environ, "PTB_TIMEDELTA": "true"}

    def launch(label: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, str(script), api.base_url, api.base_file_url, TOKEN, label],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    first = launch("one")
    try:
        people.send_text(chat, ivan, "/start")
        reply = api.wait_until(lambda: api.last_bot_message(chat), timeout=15)
        assert reply.text == "pid one"
        hung = people.send_text(chat, ivan, "/hang")
        hang_id = api.pending_updates()[-1]["update_id"]
        assert hung.delivered
        # PTB confirms an update with its next long poll, before the handler finishes ...
        api.wait_until(lambda: api.times_fetched(hang_id) and not api.pending_updates())
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    people.send_text(chat, ivan, "/start")  # arrives while no bot is running
    second = launch("two")
    try:
        api.wait_until(lambda: len(api.bot_messages(chat)) == 2, timeout=15)
    finally:
        second.send_signal(signal.SIGKILL)
        second.wait()
    assert [m.text for m in api.bot_messages(chat)] == ["pid one", "pid two"]
    # ... so an update whose handler was killed mid-way is not delivered again.
    assert api.times_fetched(hang_id) == 1


def _keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data=data)]])
