"""Group chats: commands only, never a personal question. /check answers with a button that opens
the private interview through a deep link carrying nothing but the language; nobody is replied to
or named, so nobody is marked as interested."""

from __future__ import annotations

import logging

from telegram import ChatMember, ChatMemberUpdated, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.helpers import create_deep_linked_url

from interview.html_text import b, esc
from interview.i18n import N_, tr
from interview.render import group_grounds, neutral_header

from . import send
from .handlers import Context, language_of, runtime
from .runtime import Runtime

log = logging.getLogger(__name__)

ANONYMOUS_ADMIN_ID = 1087968824  # GroupAnonymousBot: anonymous admins post as the group
GROUP_TYPES = (ChatType.GROUP, ChatType.SUPERGROUP)
LANGUAGE_CALLBACK = "gl:"  # ":" is outside the state codec's alphabet

GROUP_COMMANDS = [
    ("check", N_("Open the private check (nothing is asked here)")),
    ("grounds", N_("Grounds for exemption and deferral")),
    ("sources", N_("The laws the answers rest on")),
    ("help", N_("How to use this bot in a group")),
    ("language", N_("Group language (admins)")),
]


def group_language(rt: Runtime, chat_id: int) -> str:
    return rt.shared.groups.get(chat_id) or rt.default_language


async def is_group_admin(update: Update, context: Context) -> bool:
    message = update.effective_message
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None:
        return False
    # An anonymous admin posts as the group itself.
    if (message is not None and user.id == ANONYMOUS_ADMIN_ID and message.sender_chat is not None
            and message.sender_chat.id == chat.id):
        return True
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError:
        return False
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def _reply(context: Context, chat_id: int, text: str,
                 keyboard: send.JSON | None = None) -> None:
    # A new message, not a reply: nobody is marked as the one who asked.
    await send.send(context.bot, chat_id, text, keyboard)


async def check(update: Update, context: Context) -> None:
    rt = runtime(context)
    chat = update.effective_chat
    assert chat is not None
    lang = group_language(rt, chat.id)
    t = tr(lang)
    url = create_deep_linked_url(context.bot.username, f"check_{lang}")
    text = "\n".join([
        neutral_header(t), "",
        esc(t.gettext("The check happens in a private chat with the bot: nothing is asked or "
                      "shown here, and nothing is stored.")),
    ])
    button = {"inline_keyboard": [[{"text": t.gettext("▶ Open the private check"), "url": url}]]}
    await _reply(context, chat.id, text, button)


async def grounds(update: Update, context: Context) -> None:
    rt = runtime(context)
    chat = update.effective_chat
    assert chat is not None
    t = tr(group_language(rt, chat.id))
    for text in group_grounds(t, rt.rules):
        await _reply(context, chat.id, text)


async def sources(update: Update, context: Context) -> None:
    from interview.render import page

    rt = runtime(context)
    chat = update.effective_chat
    assert chat is not None
    t = tr(group_language(rt, chat.id))
    await _reply(context, chat.id, page(t, "sources", rt.rules, version=rt.version,
                                        handles=rt.handles))


def group_help_text(rt: Runtime, lang: str, username: str) -> str:
    t = tr(lang)
    lines = [neutral_header(t), "",
             esc(t.gettext("In a group the bot only answers these commands; the questions "
                           "themselves are asked in a private chat."))]
    for name, text in GROUP_COMMANDS:
        lines.append(f"/{name}@{esc(username)} — {esc(t.gettext(text))}")
    return "\n".join(lines)


async def help_command(update: Update, context: Context) -> None:
    rt = runtime(context)
    chat = update.effective_chat
    assert chat is not None
    await _reply(context, chat.id,
                 group_help_text(rt, group_language(rt, chat.id), context.bot.username))


async def language(update: Update, context: Context) -> None:
    rt = runtime(context)
    chat = update.effective_chat
    assert chat is not None
    t = tr(group_language(rt, chat.id))
    if not await is_group_admin(update, context):
        await _reply(context, chat.id, esc(t.gettext("Only the group's admins can change its "
                                                     "language.")))
        return
    args = [a.lower() for a in (context.args or [])]
    if args and args[0] in ("ru", "en"):
        rt.shared.groups.set(chat.id, args[0])
        await _reply(context, chat.id, esc(tr(args[0]).gettext(
            "Done: in this group the bot now answers in this language.")))
        return
    keyboard = {"inline_keyboard": [[
        {"text": "Русский", "callback_data": LANGUAGE_CALLBACK + "ru"},
        {"text": "English", "callback_data": LANGUAGE_CALLBACK + "en"},
    ]]}
    await _reply(context, chat.id, esc(t.gettext("Choose the group's language:")), keyboard)


async def language_button(update: Update, context: Context) -> None:
    rt = runtime(context)
    query = update.callback_query
    chat = update.effective_chat
    if query is None:
        return
    # A press without a chat (an inline message, or a message too old for Telegram to send) is
    # no group's button.
    t = tr(group_language(rt, chat.id) if chat is not None else language_of(update, rt))
    lang = (query.data or "")[len(LANGUAGE_CALLBACK):]
    if chat is None or chat.type not in GROUP_TYPES or lang not in ("ru", "en"):
        await query.answer(t.gettext("This button is not valid."))
        return
    if not await is_group_admin(update, context):
        await query.answer(t.gettext("Only the group's admins can change its language."))
        return
    rt.shared.groups.set(chat.id, lang)
    await query.answer()
    if query.message is not None:
        text = esc(tr(lang).gettext("Done: in this group the bot now answers in this language."))
        try:
            await send.edit(context.bot, chat.id, query.message.message_id, text)
        except TelegramError as exc:
            log.info("could not edit the language message: %s", exc.message)


async def added_to_group(update: Update, context: Context) -> None:
    """Introduce the bot once per addition to a group; never post in channels."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None or change.chat.type not in GROUP_TYPES:
        return
    was = change.old_chat_member.status
    now = change.new_chat_member.status
    absent = (ChatMember.LEFT, ChatMember.BANNED)
    present = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER)
    if was not in absent or now not in present:
        return
    rt = runtime(context)
    lang = group_language(rt, change.chat.id)
    t = tr(lang)
    text = "\n".join([
        neutral_header(t), "",
        b(t.gettext("Hello! I check whether a person can be called up under the 2022 partial "
                    "mobilization, and which legal grounds protect them.")),
        esc(t.gettext("I never ask personal questions in a group: /check gives a button that "
                      "opens a private chat, where nothing is stored.")),
        "", group_help_text(rt, lang, context.bot.username).split("\n", 2)[2],
    ])
    await _reply(context, change.chat.id, text)


async def migrated(update: Update, context: Context) -> None:
    """A group became a supergroup: its language choice follows it."""
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return
    runtime(context).shared.groups.migrate(message.chat.id, message.migrate_to_chat_id)
