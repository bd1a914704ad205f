"""Thin Telegram handlers: parse the update, ask `flow` for the view, send it. No legal logic and
nothing about the person is kept (no user_data, chat_data or logs of answers)."""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from typing import Any, cast

from telegram import Message, Update
from telegram.error import BadRequest, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from interview import flow
from interview.html_text import esc
from interview.i18n import pick_language, tr
from interview.render import neutral_header
from interview.state_codec import InvalidState, is_state_data
from interview.views import Page, Screen, View
from rules import today_in_moscow

from . import offline_file, paper_file, send
from .ratelimit import Dropped
from .runtime import Runtime

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
_TAG = re.compile(r"<[^>]+>")
EARLIEST_AS_OF = dt.date(2022, 1, 1)
DELETE_CAP = 1000  # message ids one Delete removes at most: an interview is far shorter


def runtime(context: Context) -> Runtime:
    return cast(Runtime, context.application.bot_data["runtime"])


def language_of(update: Update, rt: Runtime) -> str:
    user = update.effective_user
    return pick_language(None, user.language_code if user else None, rt.default_language)


async def send_view(context: Context, chat_id: int, view: View, rt: Runtime,
                    newest: int = 0) -> int:
    """Send every text of the view as new messages; the buttons go under the last. The last
    message's id."""
    sent = 0
    for n, text in enumerate(view.texts):
        last = n == len(view.texts) - 1
        sent = await send.send(context.bot, chat_id, text,
                               send.markup(rt, view.buttons, chat_id, newest) if last else None)
    return sent


def count_start(rt: Runtime, lang: str) -> None:
    """Anonymous counts only: how many, never who."""
    rt.stats.started += 1
    rt.stats.languages[lang] += 1


# --- commands in private chats ---------------------------------------------------------------------


async def start(update: Update, context: Context) -> None:
    rt = runtime(context)
    message = update.effective_message
    assert message is not None
    args = context.args or []
    payload = args[0] if args else ""
    lang = language_of(update, rt)
    env = rt.env()
    if payload in ("check_ru", "check_en"):
        lang = payload[-2:]
        state = flow.new_state(env.rules, lang, today_in_moscow(), message.message_id)
        view = flow.ask(env, state)
        count_start(rt, lang)
    else:
        state = flow.new_state(env.rules, lang, today_in_moscow(), message.message_id,
                               Screen.GREETING)
        view = flow.greeting(env, state)
    await send_view(context, message.chat_id, view, rt)


async def check(update: Update, context: Context) -> None:
    rt = runtime(context)
    message = update.effective_message
    assert message is not None
    lang = language_of(update, rt)
    t = tr(lang)
    as_of = today_in_moscow()
    if context.args:
        try:
            as_of = dt.date.fromisoformat(context.args[0])
        except ValueError:
            as_of = None  # type: ignore[assignment]
        latest = today_in_moscow() + dt.timedelta(days=365 * 5)
        if as_of is None or not EARLIEST_AS_OF <= as_of <= latest:
            await message.reply_text(
                neutral_header(t) + "\n\n" + esc(t.gettext(
                    "Please give the date as YYYY-MM-DD, between 2022-01-01 and a few years "
                    "ahead, e.g. /check 2022-10-10.")), do_quote=False)
            return
    env = rt.env()
    state = flow.new_state(env.rules, lang, as_of, message.message_id)
    count_start(rt, lang)
    await send_view(context, message.chat_id, flow.ask(env, state), rt)


async def show_page(update: Update, context: Context, which: Page) -> None:
    rt = runtime(context)
    message = update.effective_message
    assert message is not None
    env = rt.env()
    state = flow.new_state(env.rules, language_of(update, rt), today_in_moscow(),
                           message.message_id, Screen.PAGE)
    view = flow.page(env, state, which)
    await send_view(context, message.chat_id, view, rt)


async def help_command(update: Update, context: Context) -> None:
    await show_page(update, context, Page.HELP)


async def privacy_command(update: Update, context: Context) -> None:
    await show_page(update, context, Page.PRIVACY)


async def sources_command(update: Update, context: Context) -> None:
    await show_page(update, context, Page.SOURCES)


async def about_command(update: Update, context: Context) -> None:
    await show_page(update, context, Page.ABOUT)


async def language_command(update: Update, context: Context) -> None:
    await show_page(update, context, Page.LANGUAGE)


async def hint(update: Update, context: Context) -> None:
    """Unknown text, stickers, photos, unknown commands and edited messages: a short hint."""
    rt = runtime(context)
    message = update.effective_message
    if message is None:
        return
    t = tr(language_of(update, rt))
    await send.send(
        context.bot,
        message.chat_id,
        neutral_header(t) + "\n\n" + esc(t.gettext(
            "Please answer with the buttons. Type /check to start the questions or /help "
            "for what this bot does.")),
    )


# --- button presses --------------------------------------------------------------------------------


async def button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    rt = runtime(context)
    data = query.data or ""
    message = query.message
    chat_id = message.chat.id if message else (update.effective_chat.id
                                                 if update.effective_chat else None)
    try:
        if not is_state_data(data) or chat_id is None:
            raise InvalidState("not a state")
        state = rt.codec.decode(data, chat_id)  # sealed for this chat only
    except InvalidState as exc:
        log.info("rejected button data: %s", exc.reason)
        t = tr(language_of(update, rt))
        await _answer(query, t.gettext("This button is not valid. Type /check to start again."))
        return
    view = flow.press(rt.env(), state)
    if state.screen == Screen.RESTART:
        count_start(rt, state.lang)
    elif state.screen == Screen.VERDICT and view.ends_interview and state.option == flow.FRESH:
        rt.stats.verdicts[view.outcome or "?"] += 1
    await _answer(query, view.alert)
    # The newest message of the interview known so far: its buttons carry it on (send.markup).
    pressed = message.message_id if isinstance(message, Message) else 0
    newest = max(state.newest_message_id, pressed)
    if view.offline:
        sent = await offline_file.send_offline(context.bot, rt, chat_id, state.lang)
        await _restamp(context, rt, message, sent)
        return
    if view.paper is not None:
        sent = await paper_file.send_paper(context.bot, chat_id, view.paper)
        await _restamp(context, rt, message, sent)
        return
    if view.delete_range is not None and isinstance(message, Message):
        await delete_range(context, chat_id, state.first_message_id, newest)
        await send_view(context, chat_id, view, rt)
        return
    if view.new_message or not isinstance(message, Message):
        sent = await send_view(context, chat_id, view, rt, newest)
        await _restamp(context, rt, message, sent)
        return
    first, rest = view.texts[0], view.texts[1:]
    await edit(context, message, first,
               send.markup(rt, view.buttons, chat_id, newest) if not rest else None)
    for n, text in enumerate(rest):
        last = n == len(rest) - 1
        await send.send(context.bot, chat_id, text,
                        send.markup(rt, view.buttons, chat_id, newest) if last else None)


async def _restamp(context: Context, rt: Runtime, message: object, sent: int) -> None:
    """The pressed message's buttons learn the id of the message the press opened below."""
    if not isinstance(message, Message) or not sent or message.reply_markup is None:
        return
    try:
        await send.restamp(context.bot, rt, message.chat.id, message.message_id,
                           message.reply_markup.to_dict(), sent)
    except BadRequest as exc:
        # The pressed message gone or unchanged: Delete there can only miss what it never had.
        log.info("could not update the pressed message's buttons: %s", exc.message)


async def _answer(query: Any, text: str | None) -> None:
    try:
        await query.answer(text=text[:200] if text else None)
    except BadRequest as exc:
        # A press answered too late (e.g. after a restart) is harmless: go on with the edit.
        if "query is too old" not in str(exc).lower() and "query id is invalid" not in str(
                exc).lower():
            raise


def _plain(markup: str) -> str:
    return html.unescape(_TAG.sub("", markup))


async def edit(context: Context, message: Message, text: str, markup: send.JSON | None) -> None:
    """Edit in place; never to identical content (double taps race, so also tolerate it)."""
    if message.text == _plain(text).strip():  # the keyboard compared only then: it costs
        current = message.reply_markup.to_dict() if message.reply_markup else None
        if current == markup:
            return
    try:
        await send.edit(context.bot, message.chat.id, message.message_id, text, markup)
    except BadRequest as exc:
        if "message is not modified" not in str(exc).lower():
            raise


async def delete_range(context: Context, chat_id: int, first: int, last: int) -> None:
    """Delete the interview's messages, first to last (capped at `DELETE_CAP` ids, the newest
    kept in the cap), 100 ids per call (Telegram's limit)."""
    if first <= 0 or first > last:
        return
    ids = list(range(max(first, last - DELETE_CAP + 1), last + 1))
    for i in range(0, len(ids), 100):
        try:
            await context.bot.delete_messages(chat_id, ids[i:i + 100])
        except BadRequest as exc:
            # Messages already gone or older than 48 hours: say so in the reply, not here.
            log.info("delete_messages: %s", exc.message)


# --- errors ------------------------------------------------------------------------------------------


async def on_error(update: object, context: Context) -> None:
    """Log without user data and apologise in the person's language; the bot keeps running."""
    err = context.error
    if isinstance(err, Dropped):  # a flood's reply shed on purpose (ratelimit.py): not an error
        log.info("a reply was dropped: its chat is over its rate limit")
        return
    log.error("error while handling an update: %s", type(err).__name__,
              exc_info=(type(err), err, err.__traceback__) if err else None)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != "private":
        return
    rt = runtime(context)
    t = tr(language_of(update, rt))
    text = t.gettext("Sorry, something went wrong on our side. Please press the button again "
                     "or type /check.")
    if isinstance(err, RetryAfter):
        text = t.gettext("Telegram is busy right now. Please try again in a minute.")
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text[:200])
        else:
            await send.send(context.bot, update.effective_chat.id, esc(text))
    except TelegramError:
        log.warning("could not send the apology")
