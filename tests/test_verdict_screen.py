"""The answer on one phone screen: what a person sees, driven through the real bot and the strict
Bot API stand-in. Random button walks in both languages (one message per verdict, at most 2,000
visible characters; every press answered in the message pressed or by one new message; Telegram
refuses nothing), and chosen interviews asserting what each person reads."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import re

import pytest

import rules
from interview import render
from interview.i18n import tr
from rules import RuleSet
from tests.bot_harness import (
    TOO_FAST_TEXTS,
    Person,
    answer_until_review,
    bundled_rules,
    handled,
    question_shown,
)
from tests.botapi import BotAPIStandIn, Call, MessageRecord, TelegramClient, utf16_len
from tests.test_bot_interview import label, persona

pytestmark = pytest.mark.asyncio

RS = bundled_rules()  # loaded once per process, shared by the modules
TODAY = rules.today_in_moscow()
LIMIT = 2000
VERDICT_MARKS = {"en": ("All grounds", "What to do"), "ru": ("Все основания", "Что делать")}
# The voenkomat as a place to clarify or ask anything (it may hand over a summons there).
CLARIFY_AT_VOENKOMAT = re.compile(
    r"(уточн\w*|спрос\w*|узна\w*)[^.]{0,60}военкомат|военкомат\w*[^.]{0,30}(уточн|спрос|узна)"
    r"|(clarify|ask|check)[^.]{0,60}voenkomat|or the voenkomat", re.I)
HR_ABOUT_RECORD = re.compile(r"(HR|отдел\w* кадров)[^.]{0,80}(судимост|гражданств|criminal|citizen)"
                             r"|(судимост|гражданств|criminal|citizen)[^.]{0,80}(HR|отдел\w* кадров)",
                             re.I)


def person(api: BotAPIStandIn, lang: str) -> Person:
    return Person(api, TelegramClient(api), language_code=lang)


class Walker:
    """One person pressing buttons in their own chat (at the person's pace), checking how each
    press was answered. Several may walk at once."""

    def __init__(self, api: BotAPIStandIn, p: Person) -> None:
        self.api = api
        self.p = p
        self.queries: set[str] = set()

    def _mine(self, c: Call) -> bool:
        return (str(c.params.get("chat_id")) == str(self.p.chat.id)
                or c.params.get("callback_query_id") in self.queries)

    async def say(self, text: str) -> None:
        await self.p.pace.next()
        self.p.people.send_text(self.p.chat, self.p.user, text)
        await self.api.wait_for(lambda: self.api.last_bot_message(self.p.chat.id), timeout=20)
        await handled(self.api)

    async def press(self, msg: MessageRecord, text: str) -> None:
        await self.p.pace.next()
        before = len(self.api.calls())
        query = self.p.people.press_button(self.p.chat, self.p.user, msg, text)
        self.queries.add(query)
        await self.api.wait_for(lambda: self.api.answer_for(query) is not None, timeout=20)
        # The bot runs in this process: once it has handled every update, this press's screen
        # (or its lack) and anything after it are all in.
        await handled(self.api)
        calls = [c for c in self.api.calls()[before:] if self._mine(c)]
        refused = [(c.method, c.description) for c in calls if c.error_code is not None]
        assert not refused, f"Telegram refused {refused} after pressing {text!r}"
        answer = self.api.answer_for(query)
        assert answer is not None and answer.text not in TOO_FAST_TEXTS
        sent = [c for c in calls if c.method == "sendMessage"]
        edits = [c for c in calls if c.method == "editMessageText"]
        deletes = [c for c in calls if c.method in ("deleteMessages", "deleteMessage")]
        assert len(sent) + len(edits) <= 1, f"{text!r} was answered with {len(sent)} new " \
            f"messages and {len(edits)} edits"
        for c in edits:
            assert int(c.params["message_id"]) == msg.message_id, \
                f"{text!r} edited message {c.params['message_id']}, not the one pressed"
        if deletes:
            assert len(sent) == 1

    def newest(self) -> MessageRecord:
        return self.p.with_buttons()


def check_verdict(msg: MessageRecord, lang: str) -> None:
    text = msg.text or ""
    assert utf16_len(text) <= LIMIT, f"a verdict of {utf16_len(text)} characters:\n{text}"
    assert not CLARIFY_AT_VOENKOMAT.search(text), text
    assert not HR_ABOUT_RECORD.search(text), text


async def random_walk(api: BotAPIStandIn, lang: str, rng: random.Random, walk: int) -> int:
    """One person's walk of 45 presses; the number of verdicts seen on the way."""
    w = Walker(api, person(api, lang))
    verdicts = 0
    await w.say("/start" if walk % 2 else f"/check {'2022-10-10' if walk % 3 else ''}".strip())
    for _ in range(45):
        msg = w.newest()
        labels = [b for row in msg.buttons for b in row
                  if "callback_data" in msg.button(b)]
        # Prefer answering: a walk should reach verdicts, not only wander.
        answers = [b for b in labels if not b.startswith(("◀", "↺", "🌐", "🗑"))]
        pick_from = answers if answers and rng.random() < 0.85 else labels
        if rng.random() > 0.03:
            pick_from = [b for b in pick_from if not b.startswith("🗑")] or pick_from
        choice = rng.choice(pick_from)
        await w.press(msg, choice)
        shown = w.newest()
        marks = VERDICT_MARKS[lang]
        if any(b == marks[0] for row in shown.buttons for b in row):
            verdicts += 1
            check_verdict(shown, lang)
    return verdicts


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_random_button_walks_answer_every_press_in_one_message_and_fit_the_screen(
    api: BotAPIStandIn, bot: list[object], lang: str
) -> None:
    # Seven people walk at once, each in their own chat, each with their own random choices.
    seed = 7 if lang == "ru" else 11
    found = await asyncio.gather(*(random_walk(api, lang, random.Random(f"{seed}/{walk}"), walk)
                                   for walk in range(7)))
    print(f"verdicts seen per walk: {found}")
    assert sum(found) >= 4, found  # the walks do reach verdicts (and wander from them)


# --- chosen interviews ----------------------------------------------------------------------------


async def finish(p: Person, lang: str) -> str:
    """From the review, see the result; its text (the verdict is one message)."""
    await p.press("✅ See the result" if lang == "en" else "✅ Показать результат")
    msg = p.with_buttons()
    check_verdict(msg, lang)
    return msg.text or ""


NEXT_PAGE = ("Next page", "Следующая страница")


async def detail(p: Person, button: str, back: str) -> str:
    """Open a screen under the verdict, read every page of it, and go back."""
    await p.press(button)
    pages = [p.text()]
    while (turn := next((b for b in p.buttons() if b.startswith(NEXT_PAGE)), None)) is not None:
        await p.press(turn)
        pages.append(p.text())
        assert len(pages) < 10
    for text in pages:
        assert utf16_len(text) <= 4096
    assert back in p.buttons()
    await p.press(back)
    return "\n".join(pages)


def section(detail_text: str, mechanism: str, lang: str) -> str:
    """One mechanism's part of a detail screen (they are grouped under the mechanisms' lines)."""
    name = tr(lang).gettext(render.MECHANISM_NAMES[mechanism]) + ": "
    start = detail_text.index("\n" + name)
    end = detail_text.find("━━━", start)
    return detail_text[start:end if end > 0 else None]


def listed_grounds(rs: RuleSet, text: str, lang: str) -> list[str]:
    return [cg.ground.id for cg in rs.grounds if cg.ground.title.get(lang) in text]


def asked_facts(rs: RuleSet, asked: list[str]) -> set[str]:
    return {k for qid in asked for k in rs.question_by_id[qid].facts}


def assert_only_asked_grounds(rs: RuleSet, all_grounds: str, asked: list[str],
                              lang: str) -> None:
    facts = asked_facts(rs, asked)
    for gid in listed_grounds(rs, all_grounds, lang):
        cg = rs.ground_by_id[gid]
        reads = set(cg.cond.facts) - {"birth_date"}
        assert reads & (facts | {"age"} if "age" in facts else facts), \
            f"{gid} is listed but none of its facts was asked"


def safe(text: str) -> None:
    assert not CLARIFY_AT_VOENKOMAT.search(text), text
    assert not HR_ABOUT_RECORD.search(text), text


async def test_already_mobilized_today_gets_a_screen_about_service_never_not_subject(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api, "ru")
    await p.say("/check")
    await p.press(label(RS, "sex", "male", "ru"))
    await p.press(label(RS, "military_status", "serving_contract", "ru"))
    text = p.text()
    assert "не подлежит" not in text.lower()
    assert "Указ" in text or "указ" in text
    assert "◀ Изменить ответ" in p.buttons() and "Где получить помощь" in p.buttons()
    help_text = await detail(p, "Где получить помощь", "◀ К результату")
    assert "Где получить помощь" in help_text
    assert "не подлежит" not in p.text().lower()  # back on the service screen
    safe(text)


async def test_already_mobilized_as_of_2022_10_10_is_asked_on_that_date(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api, "en")
    await p.say("/check 2022-10-10")
    first = p.text()
    assert "Checked as of October 10, 2022" in first
    await p.press(label(RS, "sex", "male", "en", dt.date(2022, 10, 10)))
    assert "Checked as of October 10, 2022: answer as things stood on that day." in p.text()
    assert RS.question_by_id["military_status"].text.en in p.text()
    await p.press(label(RS, "military_status", "serving_contract", "en", dt.date(2022, 10, 10)))
    text = p.text()
    assert "not subject" not in text.lower()
    assert "Decree" in text
    safe(text)


async def test_an_it_specialist_on_the_employer_list_sees_the_conditional_deferral_and_its_source(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    day = dt.date(2022, 10, 10)
    p = person(api, "en")
    await p.say("/check 2022-10-10")
    answers = persona("en", day, sector="it")
    answers["accredited_employer"] = label(RS, "accredited_employer", "qualifies", "en", day)
    answers["higher_education"] = label(RS, "higher_education", "has_degree", "en", day)
    answers["on_employer_list"] = label(RS, "on_employer_list", "on_list", "en", day)
    asked = await answer_until_review(p, RS, answers, "en")
    verdict = await finish(p, "en")
    it = RS.ground_by_id["it_telecom_media"].ground
    assert "Protection is possible, but not by law." in verdict
    assert it.title.en in verdict
    assert "official statement, not a law" in verdict  # the MoD announcement is no law
    grounds = await detail(p, "All grounds", "◀ Back to the result")
    assert "checked against the sources" in grounds
    assert_only_asked_grounds(RS, grounds, asked, "en")
    todo = await detail(p, "What to do", "◀ Back to the result")
    assert it.todo.en in todo
    safe(verdict + grounds + todo)


async def test_a_man_with_category_v_is_told_it_does_not_exempt_first(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api, "ru")
    await p.say("/check")
    asked = await answer_until_review(p, RS, persona("ru", fitness="v"), "ru")
    verdict = await finish(p, "ru")
    assert "\nМобилизация: могут призвать\n" in verdict
    assert "п. 2 ст. 17 Закона № 31-ФЗ" in verdict  # the rule that makes it so, cited
    assert "опубликованный акт" in verdict
    category_v = next(c for c in RS.caveats if c.id == "category_v").texts["ru"].text
    caveats = await detail(p, "Оговорки", "◀ К результату")
    mobilization = section(caveats, "mobilization", "ru")
    # The top caveat under mobilization's line.
    assert mobilization.strip().split("\n\n")[1].startswith("• " + category_v[:60])
    assert caveats.index(category_v[:40]) < caveats.index("Указ № 647 написан")
    assert caveats.count("не применяются автоматически") <= 1
    grounds = await detail(p, "Все основания", "◀ К результату")
    assert_only_asked_grounds(RS, grounds, asked, "ru")
    safe(verdict + caveats + grounds)


async def test_a_full_time_student_gets_the_deferral_with_the_decree(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api, "ru")
    await p.say("/check")
    answers = persona("ru", student="full_time")
    answers["student_programme"] = label(RS, "student_programme", "accredited", "ru")
    answers["student_first_time"] = label(RS, "student_first_time", "first_time", "ru")
    asked = await answer_until_review(p, RS, answers, "ru")
    verdict = await finish(p, "ru")
    student = RS.ground_by_id["student"].ground
    assert "\nМобилизация: отсрочка — " + student.title.ru.split(": ")[0] in verdict
    assert student.title.ru in verdict
    assert "Указ" in verdict
    assert "Что делать сейчас" in verdict
    todo = await detail(p, "Что делать", "◀ К результату")
    assert section(todo, "mobilization", "ru").count("не применяются автоматически") <= 1
    grounds = await detail(p, "Все основания", "◀ К результату")
    assert_only_asked_grounds(RS, grounds, asked, "ru")
    safe(verdict + grounds)


async def test_a_woman_in_the_reserve_is_never_asked_a_fathers_question_and_sees_the_statement(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api, "en")
    await p.say("/check")
    answers = persona("en", sex="female", children_under_16="c3")
    answers["raises_children_alone"] = "FATHER-ONLY QUESTION ASKED OF A WOMAN"
    answers["wife_pregnant_22w"] = "FATHER-ONLY QUESTION ASKED OF A WOMAN"
    asked = await answer_until_review(p, RS, answers, "en")
    assert "wife_pregnant_22w" not in asked
    verdict = await finish(p, "en")
    women = RS.ground_by_id["women"].ground
    assert women.title.en in verdict
    assert "official statement, not a law" in verdict
    assert " he " not in f" {verdict} ".replace("\n", " ")
    grounds = await detail(p, "All grounds", "◀ Back to the result")
    assert_only_asked_grounds(RS, grounds, asked, "en")
    safe(verdict + grounds)


async def test_a_man_who_answers_i_dont_know_everywhere_is_told_what_to_look_up_not_where_to_go(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api, "en")
    await p.say("/check")
    asked: list[str] = []
    for _ in range(30):
        text = p.text()
        if "Check your answers" in text:
            break
        qid = question_shown(RS, text, "en")
        assert qid is not None, text
        asked.append(qid)
        if "I don't know" in p.buttons():
            await p.press("I don't know")
        elif qid == "sex":
            await p.press(label(RS, "sex", "male", "en"))
        else:
            raise AssertionError(f"{qid} offers no “I don't know”")
    review = p.text()
    assert "I don't know" in review
    verdict = await finish(p, "en")
    assert verdict.split("\n")[1:4] == ["Conscription: not clear yet",
                                         "Training assemblies: not clear yet",
                                         "Mobilization: not clear yet"], verdict
    assert "It depends on" in verdict and " and " in verdict
    assert "certificate of study" in verdict  # the papers that answer it, not a visit
    todo = await detail(p, "What to do", "◀ Back to the result")
    assert "military ID" in section(todo, "mobilization", "en")
    assert "registered post" in todo
    assert "summons handed over right there" in todo
    grounds = await detail(p, "All grounds", "◀ Back to the result")
    assert_only_asked_grounds(RS, grounds, asked, "en")
    safe(verdict + todo + grounds)


async def test_start_on_the_already_called_up_page_opens_the_questions_in_that_page(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api, "en")
    w = Walker(api, p)
    await p.say("/start")
    greeting = p.with_buttons()
    await w.press(greeting, "Already serving or mobilized")
    page = p.with_buttons()
    assert page.message_id != greeting.message_id
    await w.press(page, "▶ Start the questions")
    assert RS.question_by_id["sex"].text.en in (api.chat(p.chat.id).message(
        page.message_id).text or "")
    assert "Decree No. 647" in (api.chat(p.chat.id).message(greeting.message_id).text or "")
    await w.press(greeting, "▶ Start")  # the greeting's own Start still works, in its place
