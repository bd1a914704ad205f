"""The baseline for bot_bench.py: an echo bot with trivial handlers (a keyboard on /start, an edit
on a press), in two configurations:

- `same`: built with exempt-bot's own ApplicationBuilder options (defaults, rate limiter,
  concurrent updates, the forgetful Application class);
- `cheap`: python-telegram-bot's cheapest set-up: a rate limiter, one update at a time.

Run: python -m bench.echo_bot same|cheap (token and API URLs from the same variables as the bot).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
)

from bot.app import ALLOWED_UPDATES, CONCURRENT_UPDATES, ForgetfulApplication
from bot.backlog import UpdateQueue
from bot.ratelimit import ChatRateLimiter


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Press", callback_data="pressed")]])
    await context.bot.send_message(update.effective_chat.id, "Hello", reply_markup=keyboard)


async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text("Pressed")


def build(mode: str) -> Application:  # type: ignore[type-arg]
    builder: Any = (ApplicationBuilder().token(os.environ["TELEGRAM_BOT_TOKEN"])
               .base_url(os.environ["TELEGRAM_API_BASE_URL"])
               .base_file_url(os.environ["TELEGRAM_API_BASE_FILE_URL"]))
    rate = int(os.environ.get("BOT_RATE_LIMIT", "25"))
    if mode == "same":
        builder = (builder.application_class(ForgetfulApplication)
                   .defaults(Defaults(parse_mode=ParseMode.HTML, disable_notification=True,
                                      link_preview_options=LinkPreviewOptions(is_disabled=True)))
                   .rate_limiter(ChatRateLimiter(overall_max_rate=rate, max_retries=3,
                                                 max_waiting=CONCURRENT_UPDATES // 4))
                   .concurrent_updates(CONCURRENT_UPDATES)
                   .update_queue(UpdateQueue()))
    else:
        builder = builder.rate_limiter(AIORateLimiter(overall_max_rate=rate))
    app: Application = builder.build()  # type: ignore[type-arg]
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(press))
    return app


async def main(mode: str) -> None:
    app = build(mode)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        await stop.wait()
        await app.updater.stop()
        await app.stop()


if __name__ == "__main__":
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "cheap"))
