"""What a person sees on the legal points of the December 2026 persona walk-through
(docs/findings-personas-2026-12.md: P-01, P-02, P-03, P-05, P-12, P-14), each test named after the
legal fact it checks (/work/shared/research/legal-facts.md, LF §n). The rule facts themselves are
tested beside the rules (rules/data/tests/conscription.yaml); here, the words on the screens, in the
bot and, where the page must say the same, on the offline page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from interview import flow, render
from interview.html_text import to_plain
from interview.i18n import tr
from interview.state_codec import State
from interview.views import Screen
from offline.build import model_script
from tests.bot_harness import bundled_rules
from tests.jsengine import JSEngine
from tests.test_bot_interview import label
from tests.test_page_equals_bot import REPLAY, Bot, Screenful, page_screens

RS = bundled_rules()  # loaded once per process, shared by the modules
ENV = flow.Env(RS, "test", ())
DEC_4 = dt.date(2026, 12, 4)

# A man of conscription age, never served, in Russia, fit, nothing else (as_of 4 December 2026).
YOUNG: dict[str, Any] = {
    "sex": "male", "citizen": True, "military_status": "not_in_reserve", "abroad": "no",
    "fitness": "A", "conviction": "none", "student": "none", "children_under_16": 0,
    "cares_for_relative": False, "guardian_of_sibling": False, "parliament_member": False,
    "sector": "none", "academic_degree": False, "relative_died_in_service": False,
    "conscientious_objector": False, "birth_date": "2006-05-01",
}
# A reservist of 35, a soldier, fit, not reserved, no children, no contract.
RESERVIST: dict[str, Any] = {
    "sex": "male", "citizen": True, "military_status": "reserve", "rank": "soldier",
    "fitness": "A", "conviction": "none", "reserved_by_employer": False, "student": "none",
    "children_under_16": 0, "disabled_child": False, "cares_for_relative": False,
    "guardian_of_sibling": False, "mother_alone_with_4_under_8": False,
    "parliament_member": False, "sector": "none", "reserve_contract": False,
    "birth_date": "1991-03-01",
}


def verdict_text(facts: dict[str, Any], lang: str, as_of: dt.date = DEC_4) -> str:
    return to_plain(render.verdict(tr(lang), RS.evaluate(facts, as_of, lang)))


def screen_text(which: str, facts: dict[str, Any], lang: str, as_of: dt.date = DEC_4) -> str:
    v = RS.evaluate(facts, as_of, lang)
    screen = {"grounds": render.grounds_screen, "todo": render.todo_screen,
              "caveats": render.caveats_screen}[which]
    return "\n".join(to_plain(p) for p in screen(tr(lang), v))


# --- the bot and the page, walked with the same presses ---------------------------------------


@pytest.fixture(scope="module")
def page() -> Iterator[JSEngine]:
    with JSEngine(RS) as js:
        js.load(model_script(RS, "ru") + "\nE = exemptEngine(EXEMPT_COMPILED);" + REPLAY)
        yield js


def to_verdict(lang: str, as_of: dt.date, picks: dict[str, str]) -> tuple[Bot, list[int | str]]:
    """Press through the bot's flow to the verdict: `picks` gives each question's option id
    (checklists are left empty); returns the bot at its verdict and the presses made."""
    start: State = flow.new_state(RS, lang, as_of, 0, Screen.GREETING)
    bot = Bot(start, flow.press(ENV, start))
    presses: list[int | str] = []
    facts: dict[str, object] = {}
    for _ in range(60):
        seen = bot.seen()
        buttons = bot.buttons()
        if seen.kind == "verdict":
            return bot, presses
        if seen.kind == "question":
            q = RS.question_by_id[seen.question or ""]
            if q.kind == "checklist":
                want = tr(lang).gettext("✔ Done")
            else:
                want = label(RS, q.id, picks[q.id], lang, as_of, facts)
        elif seen.kind == "review":
            want = tr(lang).gettext("✅ See the result")
        else:
            want = next(b.label for b in buttons if b.nav in ("start", "start_questions"))
        index = [b.label for b in buttons].index(want)
        presses.append(index)
        bot.press(buttons[index])
    raise AssertionError("no verdict after 60 presses")


def young_picks(**override: str) -> dict[str, str]:
    lo, hi = next(b for b in RS.age_bands(DEC_4) if b[0] <= 20 <= b[1])
    return {"sex": "male", "military_status": "not_in_reserve", "citizen": "citizen",
            "abroad": "in_russia", "age": f"age_{lo}_{hi}", "fitness": "a", "conviction": "none",
            "student": "none", "children_under_16": "c0", "sector": "none",
            "conscientious_objector": "not_objector", **override}


# --- P-01: published law is not "protection not by law" ---------------------------------------


@pytest.mark.parametrize(("lang", "line", "short", "unpublished"), [
    ("en", "Conscription: protection on conditions — Right to alternative civilian service",
     "Right to alternative civilian service — by law, on conditions",
     "Right to alternative civilian service — not a published law"),
    ("ru", "Призыв на срочную службу: защита при соблюдении условий — "
           "Право на альтернативную гражданскую службу",
     "Право на альтернативную гражданскую службу — по закону, при соблюдении условий",
     "Право на альтернативную гражданскую службу — нет в опубликованном законе"),
])
def test_alternative_service_rests_on_constitution_art_59_and_113_fz_so_it_is_protection_on_conditions(
        page: JSEngine, lang: str, line: str, short: str, unpublished: str) -> None:
    """Constitution Art. 59(3) and 113-FZ are published law (LF §14): the objector's line says
    "on conditions", never "not by law", in the bot and on the page alike."""
    bot, presses = to_verdict(lang, DEC_4, young_picks(conscientious_objector="objector"))
    mine = bot.seen()
    assert mine.mechanisms and mine.mechanisms[0] == line, mine.mechanisms
    theirs = page_screens(page, lang, DEC_4, presses)[-1]
    assert isinstance(theirs, Screenful) and theirs == mine, (theirs, mine)
    text = to_plain(bot.view.texts[0])
    assert "not by law" not in text and "не по закону" not in text
    grounds = screen_text("grounds", {**YOUNG, "conscientious_objector": True}, lang)
    assert short in grounds and unpublished not in grounds


def test_the_it_deferral_rests_on_decree_83_and_resolution_490_so_it_is_protection_on_conditions(
) -> None:
    """Decree 83 and Resolution 490 are published acts (LF §14): an IT specialist at an
    accredited company reads "deferral on conditions", not "not by law"."""
    facts = {**YOUNG, "sector": "it", "accredited_employer": True, "higher_education": True}
    text = verdict_text(facts, "en")
    assert ("Conscription: protection on conditions — IT specialist at an accredited company"
            in text), text
    assert "not by law" not in text


def test_the_unpublished_fathers_of_three_directive_is_still_protection_not_by_law() -> None:
    """The General Staff directive of 04.10.2022 is unpublished and recommendatory (LF §12.5):
    it keeps its "not by law" words."""
    facts = {**RESERVIST, "children_under_16": 3, "wife_pregnant_22w": False,
             "raises_children_alone": False}
    text = verdict_text(facts, "en", dt.date(2022, 10, 10))
    assert "Mobilization: protection not by law" in text, text
    assert "Protection is possible, but not by law." in text


def test_no_mobilization_ground_is_conditional_on_published_acts_only() -> None:
    """The mobilization headline has no "on conditions" words (render.verdict): every conditional
    mobilization ground rests on an unpublished act or a statement (LF §5, §7.2, §12.5, §12.7)."""
    for cg in RS.grounds:
        g = cg.ground
        if g.mechanism == "mobilization" and g.outcome == "conditional":
            assert any(c.kind != "published" for c in cg.citations["en"]), g.id


# --- P-02: the objector's deadline, and the dispatch it can no longer reach ---------------------


@pytest.mark.parametrize(("lang", "first"), [
    ("en", "1. March 31, 2027: Last day to apply for alternative civilian service."),
    ("ru", "1. 31 марта 2027\u202fг.: Последний день подачи заявления на АГС."),
])
def test_113_fz_art_11_the_objector_s_first_step_is_his_filing_deadline(lang: str,
                                                                        first: str) -> None:
    """113-FZ Art. 11 (LF §14): the application is filed before 1 April (for the October-December
    dispatch) or before 1 October (for the April-July one); on 4 December 2026 the next last
    day is 31 March 2027, and it is the verdict's first step."""
    text = verdict_text({**YOUNG, "conscientious_objector": True}, lang)
    assert first in text, text


@pytest.mark.parametrize(("lang", "passed", "window"), [
    ("en", "The nearest dispatch's deadline has passed: without a deferral he can be sent on it",
     "before 1 October for dispatch 1 April–15 July of the next year"),
    ("ru", "Для ближайшей отправки срок уже прошёл: без отсрочки могут отправить служить",
     "до 1 октября — для отправки с 1 апреля по 15 июля следующего года"),
])
def test_113_fz_art_11_an_application_filed_now_misses_the_nearest_dispatch(
        lang: str, passed: str, window: str) -> None:
    """Each deadline is six months before its dispatch (LF §14; 412-FZ dispatch 1 April-15 July
    and 1 October-31 December), so on any day the nearest dispatch's deadline has passed: the
    verdict says so plainly, and What to do gives the dispatch as 412-FZ does."""
    facts = {**YOUNG, "conscientious_objector": True}
    text = verdict_text(facts, lang)
    assert passed in text, text
    todo = screen_text("todo", facts, lang)
    assert window in todo
    assert "April–June" not in todo and "апреле–июне" not in todo


# --- P-03: the pregnancy limb needs a child ------------------------------------------------------


def test_53_fz_art_24_p1_zh_a_childless_conscript_is_not_asked_about_his_wife_s_pregnancy() -> None:
    """53-FZ Art. 24 p.1(ж) (LF §14): a child *and* a wife at least 26 weeks pregnant. With no
    child under 16 neither the pregnancy nor a disabled child (p.1(е): under 3) can change his
    conscription, so neither is asked; with one child both are."""
    facts = {**{k: v for k, v in YOUNG.items() if k != "birth_date"}, "age": 20,
             "mother_alone_with_4_under_8": False}
    childless = RS.path(facts, DEC_4)
    assert RS.next_question(facts, DEC_4) is None  # the whole interview
    assert "children_under_16" in childless
    assert "wife_pregnant_22w" not in childless and "disabled_child" not in childless
    one = {**facts, "children_under_16": 1, "raises_children_alone": False,
           "wife_pregnant_22w": False, "disabled_child": False}
    with_child = RS.path(one, DEC_4)
    assert RS.next_question(one, DEC_4) is None
    assert "wife_pregnant_22w" in with_child and "disabled_child" in with_child


def test_53_fz_art_24_and_31_fz_art_18_the_pregnancy_question_names_both_thresholds() -> None:
    """31-FZ Art. 18 p.1 item 5: 22 weeks with three children under 16 (mobilization, LF §12.2);
    53-FZ Art. 24 p.1(ж): 26 weeks with a child (conscription, LF §14)."""
    q = RS.question_by_id["wife_pregnant_22w"]
    assert q.help is not None
    for lang in ("en", "ru"):
        help_text = q.help.get(lang)
        assert "22" in help_text and "26" in help_text, help_text


# --- P-05: the man abroad ------------------------------------------------------------------------


def test_deregistration_does_not_end_the_reserve_and_no_question_about_abroad_is_promised() -> None:
    """53-FZ Art. 53 p.3 (LF §14): the reserve ends at the age limit or with unfitness, so living
    abroad changes no reservist's outcome and he is not asked about it: the help must not
    promise that a later question asks."""
    q = RS.question_by_id["military_status"]
    assert q.help is not None
    assert "later question" not in q.help.en and "отдельный вопрос" not in q.help.ru
    assert "deregistration does not take anyone out of the reserve" in q.help.en
    assert "abroad" not in RS.path(RESERVIST, DEC_4)


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "Lives abroad? Check the register of summonses before any trip to Russia"),
    ("ru", "Живёт за границей? Перед поездкой в Россию проверьте реестр повесток"),
])
def test_127_fz_register_a_reservist_abroad_checks_the_register_before_a_trip_to_russia(
        lang: str, words: str) -> None:
    """127-FZ (LF §12.7, §14): the exit ban runs from a summons' posting in the register; its
    reach to reservists' summonses is not settled, hence "may be banned". A reservist is not asked
    where he lives, so every reservist reads it, on the verdict and under What to do."""
    text = verdict_text(RESERVIST, lang)
    assert words in text, text
    todo = screen_text("todo", RESERVIST, lang)
    assert words in todo


# --- P-12: three minor children, under 18 --------------------------------------------------------


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "three or more children under 16, though the law, as reported, says minors "
           "(under 18)"),
    ("ru", "трёх и более детей младше 16 лет, а закон, по сообщениям, — несовершеннолетних (до 18)"),
])
def test_53_fz_art_55_three_or_more_minor_children_means_under_18(lang: str, words: str) -> None:
    """53-FZ Art. 55 as reported (LF §14, [P]): three or more *minor* children exempt from
    training assemblies. A father of two under 16 (and perhaps one of 17) reads that the rule
    counts children under 18, which the bot's question does not."""
    facts = {**RESERVIST, "children_under_16": 2, "raises_children_alone": False,
             "wife_pregnant_22w": False}
    assert words in verdict_text(facts, lang)
    assert words in screen_text("caveats", facts, lang)


# --- P-14: conscription to 30 --------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "now", "stale"), [
    ("en", "regular conscription still does (up to age 30 since 2024)",
     "up to age 27, up to 30 from 2024"),
    ("ru", "обычный призыв на срочную службу продолжается (с 2024 года — до 30 лет)",
     "до 27 лет, с 1 января 2024 года — до 30"),
])
def test_439_fz_conscription_age_runs_to_30_and_what_to_do_no_longer_says_27(
        lang: str, now: str, stale: str) -> None:
    """439-FZ (LF §12.1, §14): conscription to 30 from 01.01.2024; whoever turned 27 before 2024
    is in the reserve."""
    todo = screen_text("todo", YOUNG, lang)
    assert now in todo, todo
    assert stale not in todo
