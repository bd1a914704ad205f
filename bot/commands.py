"""The command menus a person sees, per scope and language (set in post_init and for admins)."""

from __future__ import annotations

from telegram import BotCommand

from interview.i18n import N_, tr

PRIVATE_COMMANDS = [
    ("check", N_("Start the questions")),
    ("language", N_("Choose Russian or English")),
    ("help", N_("What this bot does")),
    ("privacy", N_("What is kept, and how to clean up")),
    ("sources", N_("The laws the answers rest on")),
    ("offline", N_("The questions as a file that works without the internet")),
    ("about", N_("Version and official addresses")),
]


def command_list(lang: str, entries: list[tuple[str, str]] = PRIVATE_COMMANDS) -> list[BotCommand]:
    t = tr(lang)
    return [BotCommand(name, t.gettext(text)) for name, text in entries]
