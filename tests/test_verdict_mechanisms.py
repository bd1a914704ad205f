"""The verdict opens with one line per mechanism that concerns the person (conscription, the
reservists' assemblies, mobilization), the most pressing first; each mechanism's grounds, steps and
caveats one press away. Driven through the real bot and the strict Bot API stand-in."""

from __future__ import annotations

import datetime as dt

import pytest

import rules
from interview import render
from interview.i18n import tr
from tests.bot_harness import answer_until_review, bundled_rules
from tests.botapi import BotAPIStandIn
from tests.test_bot_interview import label, persona
from tests.test_verdict_screen import detail, finish, person, safe

pytestmark = pytest.mark.asyncio

RS = bundled_rules()  # loaded once per process, shared by the modules
TODAY = rules.today_in_moscow()
NAMES = {lang: {k: tr(lang).gettext(v) for k, v in render.MECHANISM_NAMES.items()}
         for lang in ("ru", "en")}


def band(age: int, day: dt.date = TODAY) -> str:
    lo, hi = next(b for b in RS.age_bands(day) if b[0] <= age <= b[1])
    return f"age_{lo}_{hi}"


def lines(verdict: str) -> list[str]:
    """The mechanism lines: after the neutral first line, up to the first empty line."""
    out = []
    for line in verdict.split("\n")[1:]:
        if not line.strip():
            break
        out.append(line)
    return out


def mechanism_of(line: str, lang: str) -> str | None:
    return next((k for k, name in NAMES[lang].items() if line.startswith(name + ":")), None)


async def test_a_student_of_nineteen_hears_about_conscription_first(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api, "ru")
    await p.say("/check")
    answers = persona("ru", military_status="not_in_reserve", age=band(19), student="full_time")
    answers["student_programme"] = label(RS, "student_programme", "accredited", "ru")
    answers["student_first_time"] = label(RS, "student_first_time", "first_time", "ru")
    await answer_until_review(p, RS, answers, "ru")
    verdict = await finish(p, "ru")
    shown = lines(verdict)
    assert [mechanism_of(x, "ru") for x in shown] == ["conscription", "mobilization"], verdict
    assert shown[0].startswith("Призыв на срочную службу: отсрочка — Очное обучение"), verdict
    assert shown[1].startswith("Мобилизация: не подлежит"), verdict
    # What follows explains the conscription deferral: its ground and 53-FZ, not Decree 647.
    assert RS.ground_by_id["conscription_student"].ground.title.ru in verdict
    assert "53-ФЗ" in verdict
    assert "Не подлежит призыву по этой мобилизации" not in verdict
    # Each mechanism's grounds one press away, under its own line, and the way back.
    grounds = await detail(p, "Все основания", "◀ К результату")
    assert shown[0] in grounds and shown[1] in grounds
    assert grounds.index(shown[0]) < grounds.index(shown[1])
    todo = await detail(p, "Что делать", "◀ К результату")
    assert shown[0] in todo and shown[1] in todo
    caveats = await detail(p, "Оговорки", "◀ К результату")
    assert shown[0] in caveats
    assert p.text() == verdict  # back on the verdict
    safe(verdict + grounds + todo)


async def test_a_woman_sees_no_conscription_line(api: BotAPIStandIn, bot: list[object]) -> None:
    p = person(api, "en")
    await p.say("/check")
    answers = persona("en", sex="female", age=band(35))
    await answer_until_review(p, RS, answers, "en")
    verdict = await finish(p, "en")
    shown = [mechanism_of(x, "en") for x in lines(verdict)]
    assert "mobilization" in shown and None not in shown, verdict
    assert "Conscription" not in verdict
    grounds = await detail(p, "All grounds", "◀ Back to the result")
    assert "Conscription:" not in grounds


async def test_a_reservist_of_thirty_five_sees_mobilization_and_the_assemblies(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api, "en")
    await p.say("/check")
    await answer_until_review(p, RS, persona("en", age=band(35)), "en")
    verdict = await finish(p, "en")
    shown = lines(verdict)
    assert sorted(mechanism_of(x, "en") or x for x in shown) == ["assemblies", "mobilization"], \
        verdict
    assert "Conscription:" not in verdict
    # The first line is in bold: the most pressing one.
    msg = p.with_buttons()
    top = shown[0].split(" — ")[0]  # the outcome in bold; the ground after it, plain
    assert any(e["type"] == "bold" and (msg.text or "")[e["offset"]:e["offset"] + e["length"]]
               == top for e in msg.entities), msg.entities
    caveats = await detail(p, "Caveats", "◀ Back to the result")
    assert all(x in caveats for x in shown) or len(shown) == 1
