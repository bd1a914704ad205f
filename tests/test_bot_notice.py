""""What is this notice?" in Telegram: from /start a person answers where the summons came from,
what it calls them to and the day it was posted, with buttons only, and reads the mechanism and
the dates computed from that day, in Russian and English (the real bot against the stand-in)."""

from __future__ import annotations

import datetime as dt

import pytest

import rules
from tests.bot_harness import Person
from tests.botapi import BotAPIStandIn, TelegramClient

pytestmark = pytest.mark.asyncio

TODAY = rules.today_in_moscow()


def d(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


async def test_an_e_summons_to_the_medical_board_a_week_old_is_conscription_with_its_dates(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = Person(api, TelegramClient(api), language_code="en")
    await p.say("/start")
    await p.press("What is this notice?")
    assert "Where did it come from?" in p.text()
    await p.press("In the register or on Gosuslugi")
    assert "What is it for?" in p.text()
    await p.press("Medical or conscription board")
    assert "On what day was it posted" in p.text()
    posted = TODAY - dt.timedelta(days=7)
    await p.press(posted.strftime("%d.%m"))
    shown = p.text()
    assert "Conscription" in shown
    assert f"Posted or handed over on {d(posted)}, 7 days before {d(TODAY)}." in shown
    # Day 7, the exit ban from posting, the 30-day limit and day 20 after it.
    assert f"Counts as served on {d(TODAY)} at the latest" in shown
    assert f"leaving Russia is banned from {d(posted)}" in shown
    assert f"The reporting date on it is {d(posted + dt.timedelta(days=30))} at the latest" in shown
    assert f"from {d(posted + dt.timedelta(days=50))}" in shown
    assert "127-FZ of 14.04.2023" in shown and "412-FZ" in shown
    assert "checked against the sources" in shown  # each date says how well it is checked
    assert p.api.visible_text(p.chat.id) and len(shown) <= 4096
    await p.press("What the law requires")
    law = p.text()
    assert "53-FZ Art. 31 p.1" in law and "must report at the time and place" in law
    assert "registered post with a list of contents" in law  # in writing, never "go and ask"
    await p.press("◀ The dates")
    assert f"Counts as served on {d(TODAY)} at the latest" in p.text()


async def test_a_paper_special_assembly_summons_in_russian_without_a_date(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = Person(api, TelegramClient(api), language_code="ru")
    await p.say("/start")
    await p.press("Что это за повестка?")
    await p.press("Бумажную вручили под подпись")
    await p.press("Специальные сборы")
    await p.press("◀ Раньше")  # older days are a press away; the date is still not known
    assert (TODAY - dt.timedelta(days=25)).strftime("%d.%m") in p.buttons()
    await p.press("Не знаю дату")
    shown = p.text()
    assert "Военные и специальные сборы" in shown
    assert "День размещения или вручения неизвестен." in shown
    assert "Вручена в день, когда в её получении расписались." in shown
    await p.press("Что требует закон")
    law = p.text()
    assert "контрактом о пребывании в мобилизационном людском резерве" in law
    assert "спорно" in law  # "own region only" is contested
    await p.press("🌐 English")  # the answers survive a language switch
    assert "Reservists' assemblies" in p.text()
    assert "mobilization human reserve" in p.text()


async def test_back_and_another_notice_walk_the_questions_backwards(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = Person(api, TelegramClient(api), language_code="en")
    await p.say("/start")
    await p.press("What is this notice?")
    await p.press("By registered post")
    await p.press("Mobilization call-up")
    await p.press(f"Today, {TODAY.strftime('%d.%m')}")
    shown = p.text()
    assert "Mobilization (Decree 647)" in shown
    assert f"Served on {d(TODAY)} if that day the registered letter was received" in shown
    await p.press("◀ Back")
    assert "On what day was it posted" in p.text()
    await p.press("◀ Back")
    assert "What is it for?" in p.text()
    await p.press("◀ Back")
    assert "Where did it come from?" in p.text()
    await p.press("◀ Back")
    assert "Decree No. 647" in p.text() and "What is this notice?" in p.buttons()
