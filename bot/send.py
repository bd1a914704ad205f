"""Sending and editing messages without parsing Telegram's answer.

python-telegram-bot turns every returned Message, with its keyboard and entities, back into
objects; for a screen of a dozen buttons that is most of an update's CPU, and the bot never reads
the result beyond the message id. So screens go out through the bot's request layer (rate limiter,
retries and errors included) with the keyboard as plain JSON. The tests pin this against the
stand-in, so a library change that breaks it fails loudly.
"""

from __future__ import annotations

from typing import Any

from telegram import Bot

from .runtime import Runtime
from .views import Button

JSON = dict[str, Any]
# What every message gets: HTML, silent, no link previews (a lock screen shows nothing telling).
COMMON: JSON = {
    "parse_mode": "HTML",
    "disable_notification": True,
    "link_preview_options": {"is_disabled": True},
}


def markup(rt: Runtime, rows: list[list[Button]]) -> JSON | None:
    if not rows:
        return None
    encode = rt.codec.encode
    return {"inline_keyboard": [
        [{"text": b.label, "url": b.url} if b.url else
         {"text": b.label, "callback_data": encode(b.state)}  # type: ignore[arg-type]
         for b in row]
        for row in rows
    ]}


async def _call(bot: Bot, method: str, params: JSON) -> Any:
    # Bot._post is python-telegram-bot's request path (rate limiter, errors) minus the parsing.
    return await bot._post(method, api_kwargs={k: v for k, v in params.items() if v is not None})


async def send(bot: Bot, chat_id: int, text: str, keyboard: JSON | None = None) -> int:
    """Send a message; its id."""
    result = await _call(bot, "sendMessage", {**COMMON, "chat_id": chat_id, "text": text,
                                              "reply_markup": keyboard})
    return int(result["message_id"])


async def edit(bot: Bot, chat_id: int, message_id: int, text: str,
               keyboard: JSON | None = None) -> None:
    await _call(bot, "editMessageText", {**COMMON, "chat_id": chat_id, "message_id": message_id,
                                         "text": text, "reply_markup": keyboard})
