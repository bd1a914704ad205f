"""The persona walk-through of December 2026 (docs/findings-personas-2026-12.md): what a person
sees, driven through the flow as the bot draws it. Each test is named after the legal fact it
checks; the facts are in /work/shared/research/legal-facts.md (§13, §14)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from interview import flow
from interview import notice_screens as ns
from interview.state_codec import State
from interview.views import Detail, Screen, View
from tests.bot_harness import bundled_rules

RS = bundled_rules()  # loaded once per process, shared by the modules
ENV = flow.Env(RS)
TODAY = dt.date(2026, 12, 4)
# notices.yaml, 1-based: sources paper 1, electronic 3; purposes medical 2, training 4,
# mobilization 6. A date of 2 is "yesterday".
PAPER, ELECTRONIC = 1, 3
MEDICAL, TRAINING, MOBILIZATION = 2, 4, 6

STUDENT: dict[str, Any] = {
    "sex": "male", "citizen": True, "birth_date": "2007-05-01", "military_status": "not_in_reserve",
    "student": "full_time", "student_programme": "accredited", "student_first_time": True,
}
RESERVIST: dict[str, Any] = {
    "sex": "male", "citizen": True, "birth_date": "1998-05-01", "military_status": "reserve",
    "rank": "soldier", "fitness": "A",
}


def base(lang: str, as_of: dt.date = TODAY) -> State:
    return flow.new_state(RS, lang, as_of, 1, Screen.GREETING)


def detail(lang: str, facts: dict[str, Any], which: Detail, as_of: dt.date = TODAY) -> str:
    state = dataclasses.replace(base(lang, as_of), screen=int(Screen.DETAIL), option=int(which),
                                facts=facts)
    return flow.press(ENV, state).texts[0]


def verdict(lang: str, facts: dict[str, Any], as_of: dt.date = TODAY) -> str:
    state = dataclasses.replace(base(lang, as_of), screen=int(Screen.VERDICT), facts=facts)
    return flow.press(ENV, state).texts[0]


def notice(lang: str, source: int, purpose: int, second: bool = False) -> View:
    return flow.press(ENV, ns.Answers(source, purpose, 2, second).state(base(lang)))


def press(view: View, nav: str) -> View:
    button = next(b for row in view.buttons for b in row if b.nav == nav)
    assert button.state is not None
    return flow.press(ENV, button.state)


def navs(view: View) -> list[str]:
    return [b.nav for row in view.buttons for b in row if b.nav]


# --- P-08 -----------------------------------------------------------------------------------------


def test_a_conscripts_application_goes_to_the_draft_commission_not_the_mobilization_one() -> None:
    """53-FZ: the призывная комиссия decides conscription; the commission for mobilization only
    mobilization (legal-facts §9, §14). From the student's verdict and from a conscription
    notice, the summons guide names the draft commission and conscription's own AGS rules."""
    for text in (detail("ru", STUDENT, Detail.SUMMONS),
                 press(notice("ru", ELECTRONIC, MEDICAL), "summons_page").texts[0]):
        assert "в призывную комиссию через военкомат" in text, text
        assert "комиссию по мобилизации" not in text, text
        assert "Мушуманского" not in text and "указ Президента о мобилизации" not in text
        assert "до 1 апреля" in text  # 113-FZ Art. 11, the conscription AGS window
        # what not reporting costs comes before the advice: Art. 328, evading call-up
        assert text.index("ч. 1 ст. 328 УК") < text.index("Что сделать сейчас")
    en = detail("en", STUDENT, Detail.SUMMONS)
    assert "conscription commission through the voenkomat" in en
    assert "mobilization call-up commission" not in en


def test_a_mobilization_summons_guide_keeps_the_mobilization_commission_and_the_dispute() -> None:
    text = press(notice("ru", ELECTRONIC, MOBILIZATION), "summons_page").texts[0]
    assert "в призывную комиссию по мобилизации" in text
    assert "через военкомат" not in text
    assert "юристы спорят" in text  # whether Art. 328 reaches mobilization is disputed


def test_with_no_call_up_in_view_the_guide_names_each_body_by_the_purpose_on_the_summons() -> None:
    greeting = flow.press(ENV, base("ru"))
    text = press(greeting, "summons_page").texts[0]
    assert "при призыве — в призывную комиссию, при мобилизации — в призывную комиссию по " \
        "мобилизации, на сборы — в военкомат" in text, text


# --- P-07 -----------------------------------------------------------------------------------------


def test_the_30_day_reporting_limit_of_412_fz_is_not_given_to_a_mobilization_summons() -> None:
    text = notice("en", ELECTRONIC, MOBILIZATION).texts[0]
    assert "by law at most 30 days" not in text, text
    assert "not settled" in text and "Report on the date the summons gives" in text
    conscription = notice("en", ELECTRONIC, MEDICAL).texts[0]
    assert "by law at most 30 days after posting" in conscription


# --- P-13 -----------------------------------------------------------------------------------------


def test_the_20_day_bans_are_not_settled_for_reservists_on_a_training_assembly_notice() -> None:
    text = notice("ru", PAPER, TRAINING).texts[0]
    assert "с 20-го дня" in text
    assert "на повестки тем, кто в запасе (сборы, мобилизация), не установлено" in text, text


# --- P-06 -----------------------------------------------------------------------------------------


def test_special_assemblies_concern_only_reserve_contract_holders_so_the_line_names_training() -> None:
    """Special assemblies (law of 04.11.2025, decree of 30.12.2025) concern reservists with a
    mobilization-reserve contract (legal-facts §14): the line claims training assemblies only,
    and the special-assemblies caveat comes first only for a contract holder."""
    training = next(c for c in RS.caveats if c.id == "training_assemblies").texts["ru"].text
    special = next(c for c in RS.caveats if c.id == "special_assemblies_contract").texts["ru"].text
    for contract in (False, None):
        facts = {**RESERVIST, "reserve_contract": contract} if contract is not None else RESERVIST
        text = verdict("ru", facts)
        assert "Военные сборы: " in text and "специальные сборы:" not in text.lower(), text
        important = text[text.index("Важно"):]
        assert training[:40] in important and special[:40] not in important, important
    holder = verdict("ru", {**RESERVIST, "reserve_contract": True})
    assert special[:40] in holder[holder.index("Важно"):]
    assert "Training assemblies: " in verdict("en", RESERVIST)


# --- P-17 -----------------------------------------------------------------------------------------


def test_the_notices_law_view_has_one_way_back_to_the_dates() -> None:
    dates = notice("en", ELECTRONIC, MEDICAL)
    law = press(dates, "notice_law")
    assert "notice_dates" in navs(law)
    assert "back" not in navs(law) and "notice_back" not in navs(law), navs(law)
    labels = [b.label for row in law.buttons for b in row]
    assert "◀ Back" not in labels and "◀ The dates" in labels
    assert "notice_back" in navs(dates)  # from the dates, back to the date question


# --- P-21 -----------------------------------------------------------------------------------------


def test_no_electronic_summons_or_special_assemblies_before_the_laws_that_made_them() -> None:
    """The register's e-summonses run from 01.11.2024 and special assemblies from the law of
    04.11.2025 (legal-facts §13): a verdict as of 10.10.2022 mentions neither."""
    old = verdict("en", STUDENT, dt.date(2022, 10, 10)) + detail(
        "en", STUDENT, Detail.CAVEATS, dt.date(2022, 10, 10))
    assert "electronic summons" not in old.lower(), old
    assert "special" not in old.lower(), old
    now = detail("en", STUDENT, Detail.CAVEATS)
    assert "electronic summons is not a separate mechanism" in now
    assert "(training and special)" in now
