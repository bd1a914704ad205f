"""Real people played through the real interfaces (the bot against the Bot API stand-in, the
terminal chat): what each of them reads, that nothing sends them to the voenkomat to ask, that a
woman is never spoken of as "him", and that Delete leaves nothing of the interview behind."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re

import pytest

from interview.terminal import run_chat
from tests.bot_harness import Person, answer_until_review, bundled_rules, question_shown
from tests.botapi import BotAPIStandIn, TelegramClient, utf16_len
from tests.test_bot_interview import label, persona
from tests.test_offline_page import Browser, browser, click, page_file  # noqa: F401 (fixtures)
from tests.test_verdict_screen import (
    assert_only_asked_grounds,
    detail,
    finish,
    safe,
)

RS = bundled_rules()  # loaded once per process, shared by the modules
OCT_10 = dt.date(2022, 10, 10)
# The person asked about spoken of as a man ("him", "кроме него"): wrong when it is a woman.
AS_A_MAN = {"en": re.compile(r"\b(he|him|his)\b", re.I),
            "ru": re.compile(r"кроме него|\bон\b|\bему\b")}


def someone(api: BotAPIStandIn, lang: str) -> Person:
    return Person(api, TelegramClient(api), language_code=lang)


@pytest.mark.asyncio
async def test_a_father_of_three_with_a_pregnant_wife_in_october_2022_then_deletes_everything(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    """31-FZ Art. 18 p.1 item 5; he reads every screen under the verdict, then deletes."""
    p = someone(api, "en")
    await p.say("/check 2022-10-10")
    answers = persona("en", OCT_10, children_under_16="c3")
    answers["raises_children_alone"] = label(RS, "raises_children_alone", "not_alone", "en",
                                             OCT_10)
    answers["wife_pregnant_22w"] = label(RS, "wife_pregnant_22w", "pregnant", "en", OCT_10)
    asked = await answer_until_review(p, RS, answers, "en")
    assert "wife_pregnant_22w" in asked
    verdict = await finish(p, "en")
    ground = RS.ground_by_id["three_children_pregnant_wife"].ground
    assert ground.title.en in verdict
    assert "31-FZ Art. 18 p.1 item 5" in verdict
    assert "October 10, 2022" in verdict
    seen = verdict
    for button in ("All grounds", "What to do", "Caveats", "Get help"):
        seen += await detail(p, button, "◀ Back to the result")
    assert_only_asked_grounds(RS, seen, asked, "en")
    safe(seen)
    await p.press("Privacy")  # a page of its own, under the verdict
    verdict_msg = next(m for m in api.chat(p.chat.id).bot_messages
                       if "All grounds" in [b for row in m.buttons for b in row])
    await p.press("🗑 Delete this conversation", verdict_msg)
    left = api.chat(p.chat.id).bot_messages
    assert len(left) == 1, [m.text for m in left]  # only the note saying what was deleted
    assert ground.title.en not in (left[0].text or "")
    assert not left[0].inline_keyboard or all(
        "callback_data" not in b or len(b["callback_data"]) < 64
        for row in left[0].inline_keyboard for b in row)


@pytest.mark.asyncio
@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_a_woman_doctor_in_the_reserve_is_never_spoken_of_as_him(
    api: BotAPIStandIn, bot: list[object], lang: str
) -> None:
    """Women with a medical specialty are in the reserve. The checklist's explanation and the
    questions she is asked speak of "the person", never of "him"."""
    p = someone(api, lang)
    await p.say("/check")
    answers = persona(lang, sex="female", children_under_16="c1")
    answers["raises_children_alone"] = "FATHER-ONLY QUESTION ASKED OF A WOMAN"
    answers["wife_pregnant_22w"] = "FATHER-ONLY QUESTION ASKED OF A WOMAN"
    answers["disabled_child"] = "FATHER-ONLY QUESTION ASKED OF A WOMAN"
    screens: list[str] = []
    for _ in range(30):
        text = p.text()
        if ("Check your answers" if lang == "en" else "Проверьте ответы") in text:
            break
        qid = question_shown(RS, text, lang)
        assert qid is not None, text
        screens.append(text)
        for part in answers[qid].split("|"):
            await p.press(part)
    assert any(RS.question_by_id["family_duties"].text.get(lang) in s for s in screens)
    for screen in screens:
        qid = question_shown(RS, screen, lang)
        if qid == "military_status":
            continue  # its explanation describes men and women alike, by name
        assert not AS_A_MAN[lang].search(screen), f"{qid} speaks of her as a man:\n{screen}"
        assert not re.search(r"(?<!\.)\.\.(?!\.)", screen), f"a doubled full stop:\n{screen}"
    verdict = await finish(p, lang)
    assert RS.ground_by_id["women"].ground.title.get(lang) in verdict
    caveats = await detail(p, *(("Caveats", "◀ Back to the result") if lang == "en"
                                else ("Оговорки", "◀ К результату")))
    assert "439" not in caveats  # the conscription age of men is not her concern
    if lang == "en":  # (Russian "он" also stands for a thing, as in "пункт 7 ... он о ...")
        assert not AS_A_MAN[lang].search(caveats), caveats
    safe(verdict + caveats)


@pytest.mark.asyncio
async def test_a_woman_doctor_of_47_an_officer_sees_progress_that_never_leaps(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    """For a woman of 45-49 the rank decides: a private is past the age limit, an officer is not.
    Progress must not say "question 5 of 5" and then "question 6 of 12": the total shown is the
    most the interview can still take, so it never grows."""
    p = someone(api, "en")
    await p.say("/check")
    answers = persona("en", sex="female", age="age_45_49", rank="junior_officer")
    answers["citizen"] = "I don't know"
    seen: list[tuple[int, int]] = []
    for _ in range(30):
        text = p.text()
        if "Check your answers" in text:
            break
        qid = question_shown(RS, text, "en")
        assert qid is not None, text
        found = re.search(r"Question (\d+) of at most (\d+)", text)
        assert found, text
        seen.append((int(found[1]), int(found[2])))
        for part in answers[qid].split("|"):
            await p.press(part)
    assert len(seen) > 5
    for (number, total), (_, later) in itertools.pairwise(seen):
        assert number <= total and later <= total, seen


@pytest.mark.asyncio
async def test_someone_holding_a_summons_reads_what_to_do_in_writing_and_starts_from_there(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = someone(api, "ru")
    await p.say("/start")
    greeting = p.with_buttons()
    await p.press("Повестка на руках")
    page = p.with_buttons()
    text = page.text or ""
    assert utf16_len(text) <= 4096
    assert "заказным письмом с описью вложения" in text
    assert "Не ходите в военкомат" in text  # going there to ask can end with a summons
    # The greeting stays above as it was; from the page, the questions are one press away.
    assert api.chat(p.chat.id).message(greeting.message_id).text == greeting.text
    assert page.message_id != greeting.message_id
    await p.press("▶ Начать проверку", page)
    shown = api.chat(p.chat.id).message(page.message_id).text or ""
    assert RS.question_by_id["sex"].text.ru in shown


@pytest.mark.asyncio
async def test_a_mother_asking_about_her_student_son_of_24_gets_the_decree_s_deferral(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    """She knows his age and his studies but not his fitness category."""
    p = someone(api, "ru")
    await p.say("/check")
    answers = persona("ru", student="full_time")
    answers["fitness"] = "Не знаю"
    answers["student_programme"] = label(RS, "student_programme", "accredited", "ru")
    answers["student_first_time"] = label(RS, "student_first_time", "first_time", "ru")
    asked = await answer_until_review(p, RS, answers, "ru")
    verdict = await finish(p, "ru")
    assert RS.ground_by_id["student"].ground.title.ru in verdict
    assert "Указ" in verdict
    grounds = await detail(p, "Все основания", "◀ К результату")
    assert_only_asked_grounds(RS, grounds, asked, "ru")
    safe(verdict + grounds)


@pytest.mark.asyncio
async def test_an_it_worker_at_an_accredited_company_is_not_promised_fewer_questions_than_asked(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    """Today, in Russian: the 2022 lists are no protection to count on. His interview is longer
    than the usual one, so the greeting must not have promised "at most N"."""
    p = someone(api, "ru")
    await p.say("/start")
    greeting = p.text()
    # He knows every answer: the greeting's "at most N if the answers are known" holds for him.
    promised = int(re.findall(r"не больше (\d+), если ответы известны", greeting)[0])
    await p.press("▶ Начать проверку")
    answers = persona("ru", sector="it")
    answers["accredited_employer"] = label(RS, "accredited_employer", "qualifies", "ru")
    answers["higher_education"] = label(RS, "higher_education", "has_degree", "ru")
    answers["on_employer_list"] = label(RS, "on_employer_list", "on_list", "ru")
    asked = await answer_until_review(p, RS, answers, "ru")
    assert "on_employer_list" in asked
    assert len(asked) <= promised, (len(asked), greeting)
    verdict = await finish(p, "ru")
    assert RS.ground_by_id["it_lists_after_call_up"].ground.title.ru in verdict
    grounds = await detail(p, "Все основания", "◀ К результату")
    assert_only_asked_grounds(RS, grounds, asked, "ru")
    safe(verdict + grounds)


def test_someone_who_answers_i_dont_know_everywhere_in_the_terminal_in_russian() -> None:
    """The terminal chat, as piped input: "Не знаю" wherever it is offered, the result, every
    screen under it; no traceback and no visit to the voenkomat to ask."""
    picks = ["s"]  # start from the greeting
    details = ["w", "b", "c", "b", "g", "b", "h", "b"]  # each screen under the result, and back
    out = io.StringIO()
    # Answers are numbered; "Не знаю" is always the last one, and a man is number 1.
    lines: list[str] = []

    class Reader(io.StringIO):
        def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
            screen = out.getvalue()[len("".join(lines)):]
            lines.append(screen)
            if picks:
                return picks.pop(0) + "\n"
            numbered: list[tuple[str, str]] = re.findall(r"^  (\d+)\. (.+)$", screen, re.M)
            if "Проверьте ответы" in screen:
                return "v\n"
            if numbered and numbered[-1][1] == "Не знаю":
                return numbered[-1][0] + "\n"
            if numbered:
                return "1\n"
            if details:  # the result and the screens under it
                return details.pop(0) + "\n"
            return ""  # end of input

    code = run_chat(RS, "ru", stdin=Reader(), stdout=out)
    assert code == 0
    shown = out.getvalue()
    assert "Traceback" not in shown
    assert "Призыв на срочную службу: пока не ясно" in shown
    result = shown[shown.index("Призыв на срочную службу: пока не ясно"):]
    assert "военный билет" in result  # the papers that answer it, not a visit
    depends = next(ln for ln in result.splitlines() if ln.startswith("Ответ зависит от того, "))
    assert depends.count("того,") == 1, depends  # one "от того, ..." governs every clause
    assert result.count("◀ К результату") == 4  # each of the four screens under it was shown
    assert "Введите один из показанных" not in result  # every letter typed was on the screen
    safe(result)


def test_a_mother_of_a_son_mobilized_in_2022_checks_on_the_offline_page_as_of_that_autumn(
    browser: Browser,  # noqa: F811 (the fixture imported above)
) -> None:
    """The offline page, on a phone, with the network blocked: she picks 10 October 2022, is told
    that date is now the one checked, and her son's service gets the screen about service (never
    "not subject to call-up")."""
    page = browser.page
    page.locator("input[type=date]").fill("2022-10-10")
    click(page, "Проверить на эту дату")
    assert "10 октября 2022" in page.inner_text("body")  # the choice is visibly taken
    page.get_by_role("button", name="▶ Начать проверку").click()
    assert "10 октября 2022" in page.inner_text("body")
    click(page, label(RS, "sex", "male", "ru", OCT_10))
    click(page, label(RS, "military_status", "serving_contract", "ru", OCT_10))
    shown = page.inner_text("body")
    assert "не подлежит" not in shown.lower()
    assert "Куда обращаться" in shown and "прокурор" in shown
    assert not browser.attempted and not browser.errors
