"""Admission: which updates are handled at all. Runs before every handler, costs no API call for
what it drops, so a flood from one chat is shed before it takes an update slot for long.

- Private chats: a token bucket per chat. An excess button press gets one short "wait a moment"
  answer per episode (so Telegram stops the spinner); everything else over the budget is dropped.
- Groups: a command repeated in the same group within `GROUP_COOLDOWN` seconds is dropped
  silently, as is the bot being re-added (the same answer again would only repeat itself);
  button presses share a small per-group bucket. What still exceeds the group's 20 a minute is
  dropped by the rate limiter, never queued.
- State buttons (the interview's) pressed outside a private chat, and any press without a chat,
  do nothing but say so.

Memory is keyed by salted hashes of chat ids (`ratelimit.ChatMemory`): no id is kept.
"""

from __future__ import annotations

import logging
import time

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from interview.i18n import N_, pick_language, tr
from interview.state_codec import is_state_data

from .ratelimit import ChatMemory, Clock, TokenBuckets

log = logging.getLogger(__name__)

PRIVATE_BURST = 20  # presses or messages at once: double taps, a quick run through answers
PRIVATE_PER_SECOND = 2.0  # sustained: faster than anyone reads a question
GROUP_COOLDOWN = 30.0  # seconds before the same command is answered again in one group
GROUP_PRESS_BURST = 4
GROUP_PRESSES_PER_SECOND = 1 / 5
TOO_FAST = N_("Too many presses at once. Please wait a moment.")
PRIVATE_ONLY = N_("These buttons work only in a private chat with the bot.")


class Gate:
    """The admission state of one bot account; `admit` is the handler (group -2)."""

    def __init__(self, default_language: str, *, clock: Clock = time.monotonic) -> None:
        self._default_language = default_language
        self._clock = clock
        self._private = TokenBuckets(PRIVATE_BURST, PRIVATE_PER_SECOND, clock=clock)
        self._warned: ChatMemory[bool] = ChatMemory(PRIVATE_BURST / PRIVATE_PER_SECOND * 2,
                                                     clock=clock)
        self._commands: ChatMemory[float] = ChatMemory(GROUP_COOLDOWN * 2, clock=clock)
        self._group_presses = TokenBuckets(GROUP_PRESS_BURST, GROUP_PRESSES_PER_SECOND,
                                           clock=clock)
        self.dropped = 0  # anonymous count

    async def admit(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not isinstance(update, Update):
            return
        chat = update.effective_chat
        if chat is None:
            if update.callback_query is not None:
                # A press without a chat (an inline message): no button of ours works there.
                await self._answer(update, PRIVATE_ONLY)
                self._drop()
            return
        if chat.type == ChatType.PRIVATE:
            if self._private.take(chat.id):
                self._warned.discard(chat.id)
                return
            await self._refuse_press(update, chat.id)
        elif update.callback_query is not None:
            await self._group_press(update, chat.id)
        else:
            # The same command is answered again once the group's language changed.
            runtime = context.application.bot_data.get("runtime")
            lang = runtime.shared.groups.get(chat.id) if runtime is not None else None
            self._group_update(update, chat.id, lang or "")

    def _drop(self) -> None:
        self.dropped += 1
        raise ApplicationHandlerStop

    async def _refuse_press(self, update: Update, chat_id: int) -> None:
        query = update.callback_query
        if query is not None and not self._warned.get(chat_id):
            self._warned.set(chat_id, True)
            await self._answer(update, TOO_FAST)
        self._drop()

    async def _group_press(self, update: Update, chat_id: int) -> None:
        if not self._group_presses.take(chat_id):
            self._drop()
        query = update.callback_query
        assert query is not None
        if is_state_data(query.data or ""):
            # An interview's button copied or forwarded into a group: its data never acts here.
            await self._answer(update, PRIVATE_ONLY)
            self._drop()

    def _group_update(self, update: Update, chat_id: int, lang: str) -> None:
        kind = _command(update)
        if kind is None:
            return
        key = f"{chat_id}/{lang}/{kind}"
        now = self._clock()
        last = self._commands.get(key)
        if last is not None and now - last < GROUP_COOLDOWN:
            self._drop()
        self._commands.set(key, now)

    async def _answer(self, update: Update, text: str) -> None:
        query = update.callback_query
        if query is None:
            return
        user = update.effective_user
        t = tr(pick_language(None, user.language_code if user else None,
                             self._default_language))
        try:
            await query.answer(t.gettext(text))
        except TelegramError as exc:
            log.info("could not answer a refused press: %s", exc.message)


def _command(update: Update) -> str | None:
    """What a group update asks for, as the cooldown counts it: "/help@bot x" -> "help",
    "added" for the bot being added, None for what the gate lets through uncounted. /language
    acts only for admins, so who asks and for what is part of it: a member's refused attempt does
    not silence the admin who follows."""
    if update.my_chat_member is not None:
        return "added"
    message = update.message
    words = (message.text or "").split() if message is not None else []
    if not words or not words[0].startswith("/") or len(words[0]) < 2:
        return None
    name = words[0][1:].split("@", 1)[0].lower()[:32]
    if name == "language":
        sender = update.effective_user.id if update.effective_user else 0
        return f"{name}/{sender}/{' '.join(words[1:2]).lower()[:8]}"
    return name
