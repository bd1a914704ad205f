"""The screens' buttons, once for every channel: for each kind of screen, its rows of navigation
buttons in order, each button's text (a catalog msgid) and when it shows.

The Python flow (interview/flow.py) builds its rows from this description, and the offline page
reads the same description serialised into it (offline/build.py → PAGE.screens; offline/model.js),
so the page offers what the bot offers. tests/test_page_equals_bot.py holds them equal.

A row lists button ids; an id starting with "@" is a slot the flow fills (the answers of a
question, the review's numbered change buttons, the page's date form). A button that only one
channel shows says which, and why, in `only` and `why`: nothing else differs between the bot and
the page."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Literal

from .i18n import N_

Channel = Literal["bot", "page"]
CHANNELS: tuple[Channel, ...] = ("bot", "page")


@dataclass(frozen=True)
class Nav:
    """One navigation button: its text, the terminal's letter, and the condition or channel it
    needs (both None: always, everywhere)."""

    msgid: str
    key: str = ""
    answer: bool = False  # reads as an answer to the question (the terminal numbers it)
    when: str | None = None  # a named condition the screen supplies, e.g. "checklist"
    only: Channel | None = None
    why: str = ""  # why only one channel shows it


# The language switch names the other language in that language: the same on every channel, and
# not translated (a person who cannot read the current language must still find theirs).
LANGUAGE_SWITCH: dict[str, str] = {"ru": "🌐 English", "en": "🌐 Русский"}
LANGUAGE_NAMES: dict[str, str] = {"ru": "Русский", "en": "English"}

NAV: dict[str, Nav] = {
    # The greeting.
    "start": Nav(N_("▶ Start"), "s"),
    "notice": Nav(N_("What is this notice?"), "n"),
    "serving": Nav(N_("Already serving or mobilized"), "a"),
    "summons_page": Nav(N_("A summons in hand"), "m"),
    "get_help_page": Nav(N_("Get help"), "h"),
    "offline_file": Nav(N_("📄 A copy that works without Telegram (a file)"), only="bot",
                        why="the page is that file already"),
    "privacy": Nav(N_("Privacy"), "p"),
    "about_page": Nav(N_("About this page"), only="page",
                      why="the bot says this on /about"),
    "lang": Nav("", "l"),  # label: LANGUAGE_SWITCH
    # A static page (privacy, a guide, help).
    "start_questions": Nav(N_("▶ Start the questions"), "s"),
    "back_page": Nav(N_("◀ Back"), only="page",
                     why="the bot opens a page as a new message below the one it came from, "
                         "which stays in the chat; the page replaces the screen"),
    "lang_ru": Nav("", only="bot", why="the bot's /language; the page switches with `lang`"),
    "lang_en": Nav("", only="bot", why="the bot's /language; the page switches with `lang`"),
    # A question and the review.
    "done": Nav(N_("✔ Done"), when="checklist", answer=True),
    "dont_know": Nav(N_("I don't know"), when="dont_know", answer=True),
    "back": Nav(N_("◀ Back"), "b"),
    "restart": Nav(N_("↺ Start over"), "r"),
    "see_result": Nav(N_("✅ See the result"), "v"),
    # The verdict and the screens under it.
    "grounds": Nav(N_("All grounds"), "g"),
    "todo": Nav(N_("What to do"), "w"),
    "caveats": Nav(N_("Caveats"), "c"),
    "get_help": Nav(N_("Get help"), "h"),
    "summons": Nav(N_("A summons in hand"), "s"),
    "documents": Nav(N_("📝 Documents"), "f", when="documents"),
    # One written document: the bot sends it as a PDF; the page shows it as a sheet to print.
    "print": Nav(N_("🖨 Print or save as PDF"), only="page",
                 why="the bot sends the document as a PDF file"),
    "copy_text": Nav(N_("Copy the text"), only="page",
                     why="the bot sends the document as a PDF file"),
    "delete": Nav(N_("🗑 Delete this conversation"), "d", only="bot",
                  why="the page keeps nothing: closing it forgets the answers"),
    "to_result": Nav(N_("◀ Back to the result"), "b"),
    "previous_page": Nav(N_("◀ Previous page"), "-", when="previous_page", only="bot",
                         why="Telegram's message limit; the page shows a screen whole"),
    "next_page": Nav(N_("Next page ({page} of {pages}) ▶"), "+", when="next_page", only="bot",
                     why="Telegram's message limit; the page shows a screen whole"),
    "change_answer": Nav(N_("◀ Change the answer"), "b"),
    "change_answers": Nav(N_("✏️ Change an answer"), "e"),  # the verdict back to the review
    "guide_help": Nav(N_("Get help"), "h", when="guide"),  # under a guide (summons, service)
    # A long guide: its first part fits one phone screen (at most 2,000 characters, on the page
    # too), the rest one press away.
    "previous_part": Nav(N_("◀ Previous page"), "-", when="previous_part"),
    "read_on": Nav(N_("Read on ▶"), "+", when="read_on"),
    # "What is this notice?" (interview/notice_screens.py): its questions reuse back, restart
    # and lang; the date question turns pages of days; the answer has two screens.
    "earlier": Nav(N_("◀ Earlier"), "-", when="earlier"),
    "later": Nav(N_("Later ▶"), "+", when="later"),
    "dont_know_date": Nav(N_("I don't know the date"), answer=True),
    "notice_law": Nav(N_("What the law requires"), "w", when="dates_shown"),
    "notice_dates": Nav(N_("◀ The dates"), "w", when="law_shown"),
    # Back from the dates to the date question; on the law view "◀ The dates" is the one back.
    "notice_back": Nav(N_("◀ Back"), "b", when="dates_shown"),
    "another_notice": Nav(N_("↺ Another notice"), "n"),
    # Out-of-date buttons and the deleted conversation.
    "start_again": Nav(N_("Start again")),
}

# The rows under the verdict and every screen under it.
_END: tuple[tuple[str, ...], ...] = (("restart", "delete"), ("offline_file",), ("privacy", "lang"))

SCREENS: dict[str, tuple[tuple[str, ...], ...]] = {
    "greeting": (("start",), ("notice",), ("serving",), ("summons_page", "get_help_page"), ("offline_file",),
                 ("@date",), ("privacy", "about_page", "lang")),
    "page": (("start_questions", "lang"), ("back_page",)),
    "guide": (("previous_part", "read_on"), ("get_help_page",), ("start_questions", "lang"),
              ("back_page",)),
    "language": (("lang_ru", "lang_en"),),
    "question": (("@answers",), ("done",), ("dont_know",), ("back", "restart"), ("lang",)),
    "review": (("see_result",), ("@changes",), ("back", "restart"), ("lang",)),
    "verdict": (("grounds", "todo"), ("caveats", "get_help"), ("summons", "change_answers"),
                ("documents",), *_END),
    "detail": (("previous_page", "next_page"), ("documents",), ("to_result", "guide_help"), *_END),
    # The written documents that fit, a button each.
    "documents": (("@documents",), ("to_result",), *_END),
    # One of them: the bot sends it as a PDF below (no buttons); the page shows a print view.
    "paper": (("print", "copy_text"), ("back_page",)),
    "service": (("read_on",), ("get_help", "change_answer"), *_END),
    "start_again": (("start_again",),),
    "notice_question": (("@answers",), ("back", "restart"), ("lang",)),
    "notice_date": (("@days",), ("earlier", "later"), ("dont_know_date",), ("back", "restart"),
                    ("lang",)),
    "notice_answer": (("notice_law", "notice_dates"), ("summons_page", "get_help_page"),
                      ("start_questions",), ("notice_back", "another_notice"), ("lang",)),
}

# Slots that only one channel fills.
SLOT_ONLY: dict[str, Channel] = {"@date": "page"}  # the bot's /check YYYY-MM-DD


def shown(button: str, channel: Channel, flags: Collection[str] = ()) -> bool:
    """Whether `button` (an id or a slot) shows on `channel` given the screen's true conditions."""
    if button.startswith("@"):
        return SLOT_ONLY.get(button, channel) == channel
    nav = NAV[button]
    return (nav.only is None or nav.only == channel) and (nav.when is None or nav.when in flags)


def layout(screen: str, channel: Channel, flags: Collection[str] = ()) -> list[list[str]]:
    """The rows of `screen` on `channel`: button ids and slots, empty rows dropped."""
    rows = [[b for b in row if shown(b, channel, flags)] for row in SCREENS[screen]]
    return [row for row in rows if row]


def channel_of(button: str) -> Channel | None:
    """The one channel that shows `button`, or None when every channel does."""
    return NAV[button].only if button in NAV else SLOT_ONLY.get(button)


def serialise(gettext_by_lang: dict[str, Any], channel: Channel = "page") -> dict[str, Any]:
    """The description as `channel` reads it: each screen's rows with only the buttons and slots
    it shows (their conditions kept), and each button's text in every language
    (`gettext_by_lang`: lang → gettext) and condition."""
    nav: dict[str, Any] = {}
    for bid, b in NAV.items():
        if b.only not in (None, channel):
            continue
        labels = ({lang: LANGUAGE_SWITCH[lang] for lang in gettext_by_lang} if bid == "lang"
                  else {lang: g(b.msgid) for lang, g in gettext_by_lang.items()})
        nav[bid] = {"label": labels, **({"when": b.when} if b.when else {})}
    shown: dict[str, list[list[str]]] = {}
    for kind, rows in SCREENS.items():
        kept = [[x for x in row if x in nav or (x.startswith("@") and
                                                SLOT_ONLY.get(x, channel) == channel)]
                for row in rows]
        if any(kept):
            shown[kind] = [row for row in kept if row]
    return {"screens": shown, "nav": nav}
