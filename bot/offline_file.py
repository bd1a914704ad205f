"""The offline page as a document the bot sends (/offline, and the button on the greeting and the
verdict): built once per rule base, in both opening languages, so its rules version is the bot's.

Built at start and again after each reload; a person asking between a reload and the rebuild gets
a page built for the rule base in force (`for_rules` checks the version). Uploaded once per rules
version, language and bot account, then sent by the file_id Telegram returned (file_ids.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Bot, Update

from interview.html_text import esc
from interview.i18n import N_, Tr, pick_language, tr
from offline.build import Page

from .file_ids import FileIds, send_document
from .offline_pages import page_document
from .runtime import Runtime

REBUILT = N_("Offline page rebuilt: {sizes}; built at {time} in {ms} ms.")
CAPTION = N_("Open this file in any browser (tap it, then “Open with…”). It works without the "
             "internet and keeps nothing.")


async def send_page(bot: Bot, chat_id: int, page: Page, ids: FileIds) -> int:
    """Send the page as a document with a one-line caption in its language; the message id.
    Uploaded once per rules version, language and bot account, then sent by its file_id."""
    t = tr(page.lang)
    message = await send_document(
        bot, ids, chat_id, page_document(page),
        caption=esc(t.gettext(CAPTION)), parse_mode="HTML", disable_notification=True)
    return int(message.message_id)


async def send_offline(bot: Bot, rt: Runtime, chat_id: int, lang: str) -> int:
    """The page for the rule base in force, opening in `lang`."""
    offline = rt.shared.offline
    page = await asyncio.to_thread(offline.for_rules, rt.rules, lang)
    return await send_page(bot, chat_id, page, offline.file_ids)


async def offline_command(update: Update, context: Any) -> None:
    """/offline in a private chat: the page as a document, in the person's language."""
    rt: Runtime = context.application.bot_data["runtime"]
    message = update.effective_message
    if message is None:
        return
    user = update.effective_user
    lang = pick_language(None, user.language_code if user else None, rt.default_language)
    await send_offline(context.bot, rt, message.chat_id, lang)


async def rebuild(rt: Runtime, t: Tr) -> str:
    """After a reload: build the page for the new rule base; the line for the admin's reply
    (size and build time)."""
    pages = await asyncio.to_thread(rt.shared.offline.build, rt.rules)
    sizes = ", ".join(f"{p.lang} {p.size / 1024:.0f} KB" for p in pages)
    return esc(t.gettext(REBUILT).format(
        sizes=sizes, time=pages[0].built.strftime("%Y-%m-%d %H:%M:%S UTC"),
        ms=f"{sum(p.seconds for p in pages) * 1000:.0f}"))
