"""`exempt-bot` (or `python -m bot`): run the bot, or the terminal chat without a token."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import start_signals

if TYPE_CHECKING:  # the heavy imports wait until the start's signal handlers are in place
    import rules

    from .config import Settings

# What a shell reports for a process ended by SIGINT (128 + 2).
INTERRUPTED = 130


def _date(text: str) -> dt.date:
    from rules.isodate import parse_day

    try:
        return parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="exempt-bot", description=__doc__)
    sub = p.add_subparsers(dest="command")
    run = sub.add_parser("run", help="poll Telegram (needs TELEGRAM_BOT_TOKEN)")
    run.add_argument("--force", action="store_true",
                     help="start polling even when a webhook is set for the token")
    sub.add_parser("webhook", help="register the webhook and serve it (WEBHOOK_URL, "
                   "WEBHOOK_SECRET, WEBHOOK_LISTEN)")
    chat = sub.add_parser("chat", help="the same interview in this terminal")
    chat.add_argument("--lang", choices=("ru", "en"))
    chat.add_argument("--as-of", type=_date, help="YYYY-MM-DD (default: today in Moscow)")
    off = sub.add_parser("offline", help="write the offline page: one HTML file with the whole "
                         "interview, for when Telegram is not reachable")
    off.add_argument("--lang", choices=("ru", "en"), default="ru",
                     help="the language it opens in (both are inside; default ru)")
    off.add_argument("-o", "--output", type=Path, default=Path("spravka.html"),
                     help="where to write it (default: spravka.html, a neutral name)")
    return p


def main(argv: list[str] | None = None) -> int:
    start_signals.install()
    try:
        return _main(argv)
    except KeyboardInterrupt:  # SIGINT before the bot serves: nothing to finish, no traceback
        print("interrupted", file=sys.stderr)
        return INTERRUPTED


def _main(argv: list[str] | None) -> int:
    import asyncio

    import rules

    from .config import ConfigError, load_settings
    from .log_redaction import install_logging

    # Durations as timedelta: python-telegram-bot's coming default (it warns without this).
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    install_logging(settings.log_level, [t.get_secret_value() for t in settings.telegram_bot_tokens])
    command = args.command or ("run" if settings.telegram_bot_tokens else "chat")
    try:
        ruleset = rules.load(settings.rules_path)
    except rules.RuleBaseErrors as exc:
        print(f"invalid rule base:\n{exc}", file=sys.stderr)
        return 1
    if command == "offline":
        from offline.cli import write_page

        return write_page(ruleset, args.output, args.lang, tuple(settings.bot_official_handles))
    if command == "chat":
        from .app import bot_version
        from .terminal import run_chat

        if args.command is None:
            print("No TELEGRAM_BOT_TOKEN is set: running the terminal chat. "
                  "Set TELEGRAM_BOT_TOKEN to connect to Telegram (see README).\n")
        lang = getattr(args, "lang", None) or settings.bot_default_language
        try:
            return run_chat(ruleset, lang, getattr(args, "as_of", None), version=bot_version(),
                            handles=tuple(settings.bot_official_handles))
        except BrokenPipeError:  # the reader went away (e.g. `| head`): nothing left to do
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    if not settings.telegram_bot_tokens:
        print("TELEGRAM_BOT_TOKEN is not set: it is needed to run the bot "
              "(or run `exempt-bot chat`).", file=sys.stderr)
        return 2
    if command == "webhook":
        from .webhook import serve_webhook

        try:
            return asyncio.run(serve_webhook(settings, ruleset))
        except ConfigError as exc:
            print(f"configuration error: {exc}", file=sys.stderr)
            return 2
    return asyncio.run(run_polling(settings, ruleset, force=getattr(args, "force", False)))


async def run_polling(settings: Settings, ruleset: rules.RuleSet, *, force: bool) -> int:
    from .polling import serve_polling

    return await serve_polling(settings, ruleset, force=force)


if __name__ == "__main__":
    sys.exit(main())
