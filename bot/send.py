"""Sending and editing messages without parsing Telegram's answer.

python-telegram-bot turns every returned Message, with its keyboard and entities, back into
objects; for a screen of a dozen buttons that is most of an update's CPU, and the bot never reads
the result beyond the message id. So screens go out through the bot's request layer (rate limiter,
retries and errors included) with the keyboard as plain JSON. The tests pin this against the
stand-in, so a library change that breaks it fails loudly.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from telegram import Bot

from interview.state_codec import InvalidState, State, is_state_data
from interview.views import Button

from .runtime import Runtime

JSON = dict[str, Any]
# What every message gets: HTML, silent, no link previews (a lock screen shows nothing telling).
COMMON: JSON = {
    "parse_mode": "HTML",
    "disable_notification": True,
    "link_preview_options": {"is_disabled": True},
}


def markup(rt: Runtime, rows: list[list[Button]], chat_id: int, newest: int = 0) -> JSON | None:
    """The keyboard, its states sealed for `chat_id`; `newest` is the newest message id the
    interview is known to have produced (it only ever grows: Delete reaches that far)."""
    if not rows:
        return None
    encode = rt.codec.encode

    def data(state: State) -> str:
        if newest > state.newest_message_id:
            state = dataclasses.replace(state, newest_message_id=newest)
        return encode(state, chat_id)

    return {"inline_keyboard": [
        [{"text": b.label, "url": b.url} if b.url else
         {"text": b.label, "callback_data": data(b.state)}  # type: ignore[arg-type]
         for b in row]
        for row in rows
    ]}


async def restamp(bot: Bot, rt: Runtime, chat_id: int, message_id: int,
                  keyboard: JSON | None, newest: int) -> None:
    """A press opened a new message below: the pressed message's buttons learn its id, so that
    Delete pressed there later removes the new one too. Same buttons, new data."""
    if not keyboard:
        return
    changed = False
    rows: list[list[JSON]] = []
    for row in keyboard.get("inline_keyboard", []):
        out = []
        for button in row:
            data = button.get("callback_data")
            if isinstance(data, str) and is_state_data(data):
                try:
                    state = rt.codec.decode(data, chat_id)
                except InvalidState:
                    state = None
                if state is not None and newest > state.newest_message_id:
                    button = {**button, "callback_data": rt.codec.encode(
                        dataclasses.replace(state, newest_message_id=newest), chat_id)}
                    changed = True
            out.append(button)
        rows.append(out)
    if changed:
        await _call(bot, "editMessageReplyMarkup", {"chat_id": chat_id, "message_id": message_id,
                                                    "reply_markup": {"inline_keyboard": rows}})


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
