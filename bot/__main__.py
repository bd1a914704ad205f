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


def _date(text: str) -> dt.date:
    from rules.isodate import parse_day

    try:
        return parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def version_text() -> str:
    """`exempt-bot --version`: the program and the bundled rule base (cheap: no rules loaded)."""
    from importlib.metadata import PackageNotFoundError, version

    from rules.loader import DEFAULT_RULES_DIR, rules_version

    try:
        program = version("exempt-bot")
    except PackageNotFoundError:
        program = "dev"
    return f"exempt-bot {program} (bundled rules version {rules_version(DEFAULT_RULES_DIR)})"


class _Version(argparse.Action):
    """--version, computed only when asked for."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="print the version of the program and of its rule base, and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(version_text())
        parser.exit()


EPILOG = """without a command: `run` when TELEGRAM_BOT_TOKEN is set, else `chat`.
Settings come from the environment (see README): TELEGRAM_BOT_TOKEN, BOT_SECRET,
BOT_ADMIN_IDS, RULES_PATH, BOT_DEFAULT_LANGUAGE, BOT_OFFICIAL_HANDLES, LOG_LEVEL, STATE_DIR,
WEBHOOK_URL, WEBHOOK_LISTEN, WEBHOOK_SECRET (and TELEGRAM_API_BASE_URL for a local Bot API).
Each command has its own --help."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="exempt-bot", description=__doc__, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action=_Version)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser(
        "run", help="poll Telegram (needs TELEGRAM_BOT_TOKEN)",
        description="Run the bot by long polling: every token in TELEGRAM_BOT_TOKEN, one "
                    "process. Stops cleanly on SIGTERM or SIGINT; SIGHUP reloads the rule base.")
    run.add_argument("--force", action="store_true",
                     help="start polling even when a webhook is set for the token (the webhook "
                          "is removed)")
    sub.add_parser(
        "webhook", help="register the webhook and serve it (WEBHOOK_URL, WEBHOOK_SECRET, "
                        "WEBHOOK_LISTEN)",
        description="Register WEBHOOK_URL with Telegram and serve it on WEBHOOK_LISTEN; every "
                    "request must carry WEBHOOK_SECRET.")
    chat = sub.add_parser(
        "chat", help="the same interview in this terminal",
        description="The same screens as in Telegram, in this terminal: numbers answer, "
                    "letters press the other buttons, q quits. Nothing is written anywhere.")
    chat.add_argument("--lang", choices=("ru", "en"),
                      help="the chat's language (default: BOT_DEFAULT_LANGUAGE)")
    chat.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD",
                      help="check as of this day, e.g. the day of a call-up (default: today in "
                           "Moscow)")
    off = sub.add_parser(
        "offline", help="write the offline page: one HTML file with the whole interview, for "
                        "when Telegram is not reachable",
        description="Write one self-contained HTML file with the whole interview and the rule "
                    "base: it opens from disk in any browser, connects nowhere, stores nothing.")
    off.add_argument("--lang", choices=("ru", "en"), default="ru",
                     help="the language it opens in (both are inside; default ru)")
    off.add_argument("-o", "--output", type=Path, default=Path("spravka.html"),
                     help="where to write it (default: spravka.html, a neutral name)")
    paper = sub.add_parser(
        "paper", help="the written documents (requests, complaints) that fit some facts: list "
                      "them, or write one as a PDF",
        description="List the written documents that fit the facts (--list), or write one as an "
                    "A4 PDF with blank lines for name, date of birth, address and passport. Facts "
                    "are a JSON object as for `python -m rules evaluate`. Exit 2: bad facts, an "
                    "unknown kind, or one that does not fit (nothing is written).")
    paper.add_argument("kind", nargs="?", help="the document kind, e.g. mobilization-deferral")
    paper.add_argument("--list", action="store_true", help="list the documents that fit")
    paper.add_argument("--json", action="store_true", help="with --list: JSON [{kind, title}]")
    paper.add_argument("--facts", required=True, help="JSON file with the facts, or - for stdin")
    paper.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD",
                       help="the day the verdict is for (default: today in Moscow)")
    paper.add_argument("--lang", choices=("ru", "en"),
                       help="the titles' language (default: BOT_DEFAULT_LANGUAGE); the document "
                            "itself is in Russian")
    paper.add_argument("-o", "--output", type=Path, help="the PDF to write")
    return p


def main(argv: list[str] | None = None) -> int:
    start_signals.install()
    try:
        return _main(argv)
    except BaseException:
        # SIGINT before the bot serves: nothing to finish, no traceback, even when a library
        # turned the KeyboardInterrupt into an error of its own.
        if not start_signals.interrupted():
            raise
        start_signals.end_interrupted()


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
    if command == "paper":
        if args.list == (args.kind is not None):
            print("give either --list or a document kind", file=sys.stderr)
            return 2
        from interview.paper_cli import run_paper

        return run_paper(ruleset, args.kind, args.facts, args.as_of,
                         args.lang or settings.bot_default_language, as_json=args.json,
                         output=args.output)
    if command == "offline":
        from offline.cli import write_page

        return write_page(ruleset, args.output, args.lang, tuple(settings.bot_official_handles))
    if command == "chat":
        from interview.terminal import run_chat

        from .app import bot_version

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
