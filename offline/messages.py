"""The catalog messages the offline page shows, by key: the page's JavaScript names texts by these
keys and the build resolves them from the bot's gettext catalogs (locales/), so every text has one
copy. Where the bot says the same thing, the msgid is the bot's own."""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    return message


MESSAGES: dict[str, str] = {
    # Shared with the bot's screens.
    "header": N_("Reference note"),
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
    "last_question": N_("Question {number} · the last one"),
    "privacy": N_("Privacy"),
    "greeting_what": N_("This bot checks, in a few button questions, whether a person can be "
                        "called up under the partial mobilization of 21 September 2022 "
                        "(Decree No. 647), and which legal grounds protect them."),
    "greeting_scope": N_("It does not cover regular conscription, electronic summonses or the "
                         "2026 “special training” of reservists. It is not legal advice."),
    "called_up": N_("Asking about someone already called up"),
    "depends_on": N_("It depends on: {things}."),
    "ground_depends": N_("Depends on: {things}."),
    "grounds_apply": N_("Grounds that apply"),
    "grounds_may_apply": N_("Grounds that may apply"),
    "worth_checking": N_("Worth checking"),
    "what_next": N_("What to do next"),
    "keep_in_mind": N_("Please keep in mind"),
    "get_help_title": N_("Where else to get help"),
    "as_of_version": N_("As of {date} · rules version {version}"),
    "what_to_do": N_("What to do:"),
    "confirmed": N_("confirmed in the published text"),
    "reported": N_("reported, not confirmed in the published text"),
    "not_public": N_("the act itself is not public"),
    "handles": N_("Official addresses of this bot and its mirrors: {handles}"),
    "step_documents": N_("Gather the documents named above, originals and copies."),
    "step_not_automatic": N_("A deferral is not automatic: the mobilization commission "
                             "(prizyvnaya komissiya po mobilizatsii) decides."),
    "step_summons": N_("If a summons has come: report to the voenkomat or assembly point by its "
                       "date with the documents, hand in a written request citing the ground, "
                       "and keep a copy stamped as received."),
    "step_not_sign": N_("Do not sign for someone else's summons."),
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
    "offline_as_of": N_("Checking as of {date}"),
    "offline_date_label": N_("Check as of another date (for example, the day of a call-up):"),
    "offline_date_apply": N_("Use this date"),
    "offline_date_today": N_("Today"),
    "offline_date_bad": N_("Please give the date as YYYY-MM-DD, between 2022-01-01 and a few "
                           "years ahead, e.g. /check 2022-10-10."),
    "offline_all_grounds": N_("All grounds"),
    "offline_what_to_do": N_("What to do"),
    "offline_caveats": N_("Caveats"),
    "offline_get_help": N_("Get help"),
    "offline_to_result": N_("◀ To the result"),
    "offline_more": N_("Other grounds and details are one press away below."),
    "offline_no_script": N_("This page needs JavaScript to ask the questions. Open the file in "
                            "a browser such as Chrome, Firefox or Safari."),
}


def progress(t: Any, n: int) -> str:
    """The progress line's plural form for `n` questions to come (the bot's own message)."""
    return str(t.ngettext("Question {number} · about {remaining} more to go",
                          "Question {number} · about {remaining} more to go", n))
