"""The catalog messages the offline page shows, by key: the page's JavaScript names texts by these
keys and the build resolves them from the bot's gettext catalogs (locales/), so every text has one
copy. Where the bot says the same thing, the msgid is the interview's own (interview/render.py,
interview/flow.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from interview.i18n import N_  # the marker Babel extracts by (babel.cfg, -k N_)

MESSAGES: dict[str, str] = {
    # The bot's own screens (interview/render.py, interview/flow.py).
    "header": N_("Note"),
    "start": N_("▶ Start"),
    "back": N_("◀ Back"),
    "restart": N_("↺ Start over"),
    "dont_know": N_("I don't know"),
    "done": N_("✔ Done"),
    "see_result": N_("✅ See the result"),
    "review_title": N_("Check your answers"),
    "review_hint": N_("Press a numbered button to change that answer, or see the result."),
    "none_of_these": N_("None of these"),
    "tick_hint": N_("Tick everything that applies, then press “Done”."),
    "privacy": N_("Privacy"),
    "greeting_what": N_("This bot checks whether a person can be called up under the partial "
                        "mobilization of 21 September 2022 (Decree No. 647), and which legal "
                        "grounds protect them."),
    "greeting_scope": N_("It does not cover regular conscription or the "
                         "2026 “special assemblies” of reservists. It is not legal advice."),
    "serving": N_("Already serving or mobilized"),
    "summons": N_("A summons in hand"),
    "get_help": N_("Get help"),
    "as_of_today": N_("Checked as of today, {date}."),
    "as_of_past": N_("Checked as of {date}: answer as things stood on that day."),
    "published_act": N_("published act"),
    "statement": N_("official statement, not a law"),
    "unpublished_by": N_("unpublished document, known from {source}"),
    "unpublished": N_("unpublished document"),
    "and": N_("{first} and {last}"),
    "depends_on": N_("It depends on {things}."),
    "may_apply": N_("may apply"),
    "settled": N_("Other grounds were not checked because this one settles the answer."),
    "why": N_("Why"),
    "still_open": N_("What is still open"),
    "do_now": N_("What to do now"),
    "important": N_("Important"),
    "as_of_version": N_("As of {date} · rules version {version}"),
    "all_grounds": N_("All grounds"),
    "grounds_apply": N_("Grounds that apply"),
    "grounds_may_apply": N_("Grounds that may apply"),
    "no_ground": N_("No ground applies to these answers."),
    "what_to_do": N_("What to do"),
    "worth_checking": N_("Worth checking"),
    "caveats": N_("Caveats"),
    "help_title": N_("Where to get help"),
    "checked_on": N_("Checked on {date}"),
    "to_result": N_("◀ Back to the result"),
    "change_answer": N_("◀ Change the answer"),
    "handles": N_("Official addresses of this bot and its mirrors: {handles}"),
    # The page's own.
    "offline_what": N_("This page works without the internet: the questions and the rules are "
                       "inside this file."),
    "offline_private": N_("Nothing you enter leaves this device: the page makes no connections "
                          "and saves nothing. Closing the page forgets the answers."),
    "offline_delete": N_("To delete the file, remove it from Downloads (or the Files app) and "
                         "from the chat or mail it came in."),
    "offline_newer": N_("Rules and practice change. For a newer copy, send /offline to the bot, "
                        "or ask whoever gave you this file."),
    "offline_version": N_("Rules version {version} · rule base as of {date}"),
    "offline_about": N_("About this page"),
    "offline_date_label": N_("Check as of another date (for example, the day of a call-up):"),
    "offline_date_apply": N_("Use this date"),
    "offline_date_today": N_("Today"),
    "offline_date_bad": N_("Please give the date as YYYY-MM-DD, between 2022-01-01 and a few "
                           "years ahead, e.g. /check 2022-10-10."),
    # The written documents (interview/render.documents_screen; the page prints them).
    "documents": N_("📝 Documents"),
    "documents_title": N_("Documents"),
    "documents_none": N_("No written document fits these answers: a request needs a ground the "
                         "law gives."),
    "documents_page": N_("Requests and complaints built from your answers, in Russian. Each "
                         "leaves blank lines for your name, date of birth, address and passport: "
                         "fill them in by hand after printing. Print it or save it as PDF: "
                         "nothing leaves this device. Choose one:"),
    "documents_print": N_("🖨 Print or save as PDF"),
    "documents_copy": N_("Copy the text"),
    "documents_copied": N_("Copied. Paste it into a text editor to print it."),
    "documents_back": N_("◀ Back to the documents"),
    "offline_no_script": N_("This page needs JavaScript to ask the questions. Open the file in "
                            "a browser such as Chrome, Firefox or Safari."),
}

# Messages with a number, by the bot's own msgids: the build resolves each for n = 0..MAX_N.
PLURALS: dict[str, Callable[[Any, int], str]] = {
    "progress": lambda t, n: str(t.ngettext(
        "Question {number} of about {total}", "Question {number} of about {total}", n)),
    "typical": lambda t, n: str(t.ngettext(
        "It takes up to about {n} button question, often fewer.",
        "It takes up to about {n} button questions, often fewer.", n)),
    "more_grounds": lambda t, n: str(t.ngettext(
        "{n} more ground applies: see “All grounds”.",
        "{n} more grounds apply: see “All grounds”.", n)),
    "more_things": lambda t, n: str(t.ngettext(
        "{n} more thing (see “All grounds”)", "{n} more things (see “All grounds”)", n)),
    "skipped": lambda t, n: str(t.ngettext(
        "{n} other ground was not checked: the answers already settle the outcome.",
        "{n} other grounds were not checked: the answers already settle the outcome.", n)),
}
MAX_N = 64
