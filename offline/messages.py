"""The catalog messages the offline page shows, by key: the page's JavaScript names texts by these
keys and the build resolves them from the bot's gettext catalogs (locales/), so every text has one
copy. Where the bot says the same thing, the msgid is the interview's own (interview/render.py);
the buttons' texts come with the screens' description (interview/screens.py), not from here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from interview.i18n import N_  # the marker Babel extracts by (babel.cfg, -k N_)
from interview.render import OUTCOME_DETAIL

MESSAGES: dict[str, str] = {
    # The bot's own screens (interview/render.py, interview/flow.py).
    "header": N_("Note"),
    "review_title": N_("Check your answers"),
    "review_hint": N_("Press a numbered button to change that answer, or see the result."),
    "none_of_these": N_("None of these"),
    "blind": N_("Every ground still open depends on an answer that was “I don't know”: see “All "
                "grounds”."),
    "counts": N_("Button questions: at most {known} if the answers are known, up to {most} with "
                 "“I don't know”; an answer that settles it ends them sooner."),
    "tick_hint": N_("Tick everything that applies, then press “Done”."),
    # Neutral words: the greeting is the bot's and the page's (neither calls itself a bot).
    "greeting_what": N_("Here you can check whether a person can be called up for military service, "
                        "to reservists' assemblies or under the partial mobilization of 21 September "
                        "2022 (Decree No. 647), and which legal grounds protect them."),
    "greeting_scope": N_("The answer is given for each of these separately; where the law is vague or "
                         "unpublished, it says so. It is not legal advice."),
    "progress": N_("Question {number} of at most {total}"),
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
    "until": N_(", until {date}"),
    "still_open": N_("What is still open"),
    "do_now": N_("What to do now"),
    "important": N_("Important"),
    "as_of_version": N_("As of {date} · rules version {version}"),
    "grounds_apply": N_("Grounds that apply"),
    "grounds_may_apply": N_("Grounds that may apply"),
    "no_ground": N_("No ground applies to these answers."),
    "worth_checking": N_("Worth checking"),
    "help_title": N_("Where to get help"),
    "checked_on": N_("Checked on {date}"),
    # The sentence under a headline (render.OUTCOME_DETAIL): "outcome_detail_subject" etc.
    **{f"outcome_detail_{outcome}": msgid for outcome, msgid in OUTCOME_DETAIL.items()},
    # "What is this notice?" (interview/notice_screens.py).
    "notice_title": N_("What is this notice?"),
    "notice_where": N_("Where did it come from?"),
    "notice_what": N_("What is it for?"),
    "notice_purpose_hint": N_("The purpose is printed on the summons, next to the date and "
                              "time to report."),
    "notice_when": N_("On what day was it posted in the register or handed over?"),
    "notice_when_hint": N_("For an electronic summons: the day it appeared in the register or "
                           "on Gosuslugi. For a paper one: the day it was signed for. The last "
                           "{n} days are offered."),
    "notice_today": N_("Today, {date}"),
    "notice_yesterday": N_("Yesterday, {date}"),
    "notice_posted_today": N_("Posted or handed over on {date}, the day of this check."),
    "notice_no_date": N_("The day it was posted or handed over is not known."),
    "notice_dates": N_("Dates"),
    "notice_law": N_("What the law requires"),
    "notice_caveats": N_("Caveats"),
    "notice_you": N_("“You” below means the person the summons is addressed to."),
    "notice_footer": N_("Not legal advice. Nothing you answered is stored."),
    # The written documents (interview/render.py documents_screen); the page prints them.
    "documents_title": N_("Documents"),
    "documents_none": N_("No written document fits these answers: a request needs a ground the "
                         "law gives."),
    "documents_intro": N_("Requests and complaints built from your answers, in Russian, to print "
                          "or save as PDF. Each leaves blank lines for the name, date of birth, "
                          "address and passport: fill them in by hand. They are never asked here, "
                          "and nothing is kept. The person you asked about signs them personally, "
                          "not a relative on their behalf. Choose one:"),
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
    "offline_date_label": N_("Check as of another date (for example, the day of a call-up):"),
    "offline_date_apply": N_("Use this date"),
    "offline_date_today": N_("Today"),
    # The page's own words where the bot's would name a command or call the page a bot.
    "offline_date_bad": N_("Please choose a date from 1 January 2022 up to a few years ahead."),
    "handles": N_("Official addresses of the Telegram bot and its mirrors: {handles}"),
    "offline_no_script": N_("This page needs JavaScript to ask the questions. Open the file in "
                            "a browser such as Chrome, Firefox or Safari."),
}

# Messages with a number, by the bot's own msgids: the build resolves each for n = 0..MAX_N.
PLURALS: dict[str, Callable[[Any, int], str]] = {
    "more_grounds": lambda t, n: str(t.ngettext(
        "{n} more ground applies: see “All grounds”.",
        "{n} more grounds apply: see “All grounds”.", n)),
    "more_things": lambda t, n: str(t.ngettext(
        "{n} more thing (see “All grounds”)", "{n} more things (see “All grounds”)", n)),
    "notice_posted": lambda t, n: str(t.ngettext(
        "Posted or handed over on {date}, {n} day before {as_of}.",
        "Posted or handed over on {date}, {n} days before {as_of}.", n)),
    "skipped": lambda t, n: str(t.ngettext(
        "{n} other ground was not checked: the answers already settle the outcome.",
        "{n} other grounds were not checked: the answers already settle the outcome.", n)),
}
MAX_N = 64
