"""People of December 2026 (and some of October 2022), played through the real bot against the
Bot API stand-in: a scared student with an electronic summons, a conscientious objector, an IT
worker, a reservist called to training assemblies, a father of three. Each test asserts on what
the person reads: the lines per call-up, the grounds with their acts, the dates, the documents."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

import rules
from tests.bot_harness import Person, answer_until_review, bundled_rules, settle
from tests.botapi import BotAPIStandIn, TelegramClient, utf16_len
from tests.test_bot_interview import label, persona
from tests.test_verdict_screen import assert_only_asked_grounds, detail, finish, safe

RS = bundled_rules()  # loaded once per process, shared by the modules
DEC_4 = dt.date(2026, 12, 4)  # "today" for these people: pinned with /check, so dates are fixed
OCT_10 = dt.date(2022, 10, 10)


def someone(api: BotAPIStandIn, lang: str) -> Person:
    return Person(api, TelegramClient(api), language_code=lang)


def band(age: int, as_of: dt.date) -> str:
    lo, hi = next(b for b in RS.age_bands(as_of) if b[0] <= age <= b[1])
    return f"age_{lo}_{hi}"


def young_man(lang: str, age: int, as_of: dt.date = DEC_4, **override: str) -> dict[str, str]:
    """A man of conscription age, never served, not in the reserve, in Russia, no children."""
    picks = {"military_status": "not_in_reserve", "age": band(age, as_of),
             "conscientious_objector": "not_objector", **override}
    answers = persona(lang, as_of, **picks)
    # Asked of him though he has no child (docs/findings-personas-2026-12.md, P-03).
    answers["wife_pregnant_22w"] = label(RS, "wife_pregnant_22w", "not_pregnant", lang, as_of)
    return answers


@pytest.mark.asyncio
async def test_a_scared_student_of_19_with_an_e_summons_reads_its_dates_then_gets_the_deferral(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    """In Russian. From the greeting, "What is this notice?": a summons to the medical board
    posted in the register four days ago. He reads when it counts as served and the exit ban;
    then the questions: a full-time student gets the conscription deferral of 53-FZ Art. 24,
    is outside mobilization, and is offered the written deferral request."""
    p = someone(api, "ru")
    await p.say("/start")
    await p.press("Что это за повестка?")
    await p.press(label_of(p, "реестре"))
    await p.press(label_of(p, "Медкомиссия"))
    today = rules.today_in_moscow()
    posted = today - dt.timedelta(days=4)
    await p.press(label_of(p, posted.strftime("%d.%m")))
    dates = p.text()
    assert f"Размещена или вручена {posted:%d.%m.%Y}" in dates
    served = posted + dt.timedelta(days=7)
    assert served.strftime("%d.%m.%Y") in dates  # served on the 7th day at the latest
    assert "выезд" in dates.lower()  # the exit ban from posting
    assert utf16_len(dates) <= 4096
    safe(dates)
    await p.press("▶ Начать проверку")
    answers = young_man("ru", 19, today, student="full_time")
    answers["student_programme"] = label(RS, "student_programme", "accredited", "ru", today)
    answers["student_first_time"] = label(RS, "student_first_time", "first_time", "ru", today)
    asked = await answer_until_review(p, RS, answers, "ru")
    assert "reserved_by_employer" not in asked  # a conscript has no employer's reservation
    verdict = await finish(p, "ru")
    assert "Призыв на срочную службу: отсрочка — Очное обучение" in verdict
    assert "подп. «а» п. 2 ст. 24 Закона № 53-ФЗ" in verdict
    assert "Мобилизация: не подлежит призыву — Не состоит в запасе" in verdict
    grounds = await detail(p, "Все основания", "◀ К результату")
    assert_only_asked_grounds(RS, grounds, asked, "ru")
    safe(verdict + grounds)
    await p.press("📝 Документы")
    assert "Заявление об отсрочке или освобождении от призыва" in p.buttons()
    text = await pdf_of(api, p, "Заявление об отсрочке или освобождении от призыва")
    assert "очной форме" in text and "подп. «а» п. 2 ст. 24 Закона № 53-ФЗ" in text
    # A deferral ground: the request asks for a deferral, not "отсрочку (освобождение)" (P-15).
    assert "Предоставить мне отсрочку от призыва" in text and "освобожд" not in text


@pytest.mark.asyncio
async def test_a_conscientious_objector_sees_the_filing_deadline_and_gets_the_application(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    """In English, as of 4 December 2026: the next deadline is the day before 1 April 2027, on
    "What to do" and in the application itself."""
    p = someone(api, "en")
    await p.say("/check 2026-12-04")
    answers = young_man("en", 20, conscientious_objector="objector")
    asked = await answer_until_review(p, RS, answers, "en")
    assert "conscientious_objector" in asked
    verdict = await finish(p, "en")
    ground = RS.ground_by_id["alternative_service"].ground
    # (Its outcome word is in question: finding P-01; the line names the ground whatever it is.)
    assert re.search(rf"^Conscription: [^\n]+ — {re.escape(ground.title.en)}$", verdict, re.M)
    assert "Constitution Art. 59(3)" in verdict
    assert "Mobilization: not subject" in verdict
    todo = await detail(p, "What to do", "◀ Back to the result")
    assert "March 31, 2027: Last day to apply for alternative civilian service" in todo
    assert "autobiography" in todo
    safe(verdict + todo)
    await p.press("📝 Documents")
    assert "Application for alternative civilian service" in p.buttons()
    text = await pdf_of(api, p, "Application for alternative civilian service")
    assert "альтернативной гражданской службой" in text
    assert "31.03.2027" in text  # the last day of the nearest deadline
    assert "Автобиография" in text


@pytest.mark.asyncio
async def test_an_it_worker_of_24_learns_conscription_not_mobilization_is_his_concern(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    """In Russian, today: never served, category A, an accredited IT company. Mobilization does
    not take him (not in the reserve), so he is never asked about his employer's reservation;
    conscription has the IT deferral with its decree."""
    p = someone(api, "ru")
    await p.say("/check 2026-12-04")
    answers = young_man("ru", 24, sector="it")
    answers["accredited_employer"] = label(RS, "accredited_employer", "qualifies", "ru", DEC_4)
    answers["higher_education"] = label(RS, "higher_education", "has_degree", "ru", DEC_4)
    asked = await answer_until_review(p, RS, answers, "ru")
    assert "reserved_by_employer" not in asked and "on_employer_list" not in asked
    verdict = await finish(p, "ru")
    assert re.search(r"^Призыв на срочную службу: [^\n]+ — IT-специалист аккредитованной "
                     r"компании$", verdict, re.M)
    assert "Мобилизация: не подлежит призыву — Не состоит в запасе" in verdict
    assert "Указ" in verdict and "490" in verdict  # Decree 83 and Resolution 490 of 2022
    grounds = await detail(p, "Все основания", "◀ К результату")
    assert_only_asked_grounds(RS, grounds, asked, "ru")
    safe(verdict + grounds)


@pytest.mark.asyncio
async def test_a_reservist_of_28_called_to_training_assemblies_reads_the_notice_and_the_law(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    """In Russian: a paper summons to a training assembly, signed for yesterday. The notice tells
    him assemblies are not mobilization and what the law requires; the verdict gives the
    assemblies' line with 53-FZ Art. 54 and never sends him to the voenkomat to ask."""
    p = someone(api, "ru")
    await p.say("/start")
    await p.press("Что это за повестка?")
    await p.press(label_of(p, "под подпись"))
    await p.press(label_of(p, "Военные сборы"))
    await p.press(label_of(p, "Вчера"))
    notice = p.text()
    assert "Сборы — это не мобилизация" in notice
    await p.press("Что требует закон")
    law = p.text()
    assert "ст. 54–55 Закона № 53-ФЗ" in law
    assert "заказным письмом с описью вложения" in law
    safe(notice + law)
    await p.press("▶ Начать проверку")
    answers = persona("ru", DEC_4, age=band(28, rules.today_in_moscow()), sector="other")
    asked = await answer_until_review(p, RS, answers, "ru")
    assert "abroad" not in asked  # living abroad does not take a man out of the reserve
    verdict = await finish(p, "ru")
    assert "Военные сборы: могут призвать" in verdict
    assert "ст. 54 Закона № 53-ФЗ" in verdict
    # Below the assemblies' line, mobilization's "can be called up" says when it holds: the
    # call-up ended in October 2022 (finding P-04), as the headline says it when it leads.
    assert ("\nМобилизация: могут призвать\n\nЭто если призыв по указу № 647 идёт или будет "
            "возобновлён.\n") in verdict
    assert "п. 2 ст. 17 Закона № 31-ФЗ" in verdict
    todo = await detail(p, "Что делать", "◀ К результату")
    assert "Личный визит в военкомат может закончиться тем, что повестку вручат" in todo
    safe(verdict + todo)


@pytest.mark.asyncio
@pytest.mark.parametrize("as_of", [OCT_10, DEC_4], ids=["2022-10-10", "2026-12-04"])
async def test_a_reservist_of_45_father_of_three_is_told_the_directive_is_no_law(
    api: BotAPIStandIn, bot: list[object], as_of: dt.date
) -> None:
    """In English. Mobilization: the General Staff directive of 04.10.2022, which a commission
    may ignore; training assemblies: exempt (53-FZ Art. 55). The same in 2022 and today."""
    p = someone(api, "en")
    await p.say(f"/check {as_of.isoformat()}")
    answers = persona("en", as_of, age=band(45, as_of), children_under_16="c3",
                      sector="other")
    answers["raises_children_alone"] = label(RS, "raises_children_alone", "not_alone", "en",
                                             as_of)
    answers["wife_pregnant_22w"] = label(RS, "wife_pregnant_22w", "not_pregnant", "en", as_of)
    asked = await answer_until_review(p, RS, answers, "en")
    assert {"children_under_16", "raises_children_alone", "wife_pregnant_22w"} <= set(asked)
    verdict = await finish(p, "en")
    assert "Mobilization: protection not by law — Three children under 16\n" in verdict
    assert "General Staff directive of 04.10.2022" in verdict
    assert "a commission may ignore" in verdict
    assert "Training assemblies: not subject" in verdict
    assert "53-FZ Art. 55" in verdict
    assert f"As of {as_of:%B} {as_of.day}, {as_of.year}" in verdict
    grounds = await detail(p, "All grounds", "◀ Back to the result")
    assert_only_asked_grounds(RS, grounds, asked, "en")
    safe(verdict + grounds)


# --- helpers -----------------------------------------------------------------------------------


def label_of(p: Person, part: str) -> str:
    """The one button on the screen whose label holds `part` (the notice's options)."""
    found = [b for b in p.buttons() if part.lower() in b.lower()]
    assert len(found) == 1, (part, p.buttons())
    return found[0]


async def pdf_of(api: BotAPIStandIn, p: Person, title: str) -> str:
    """Press a document's button; the PDF the bot sends, as text."""
    before = len(api.chat(p.chat.id).bot_messages)
    await p.press(title)
    await api.wait_for(lambda: len(api.chat(p.chat.id).bot_messages) > before, timeout=15)
    await settle(api)
    sent = api.chat(p.chat.id).bot_messages[before:]
    assert len(sent) == 1 and sent[0].kind == "document", [m.kind for m in sent]
    data = api.file(sent[0].content["document"]["file_id"]).content
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())
