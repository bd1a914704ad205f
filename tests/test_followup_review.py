"""Findings of the Russian and legal review, second round: what a person sees on the verdict, the
All grounds screen and the guides, driven through the bot and the stand-in or the rule base."""

from __future__ import annotations

import datetime as dt
import re

import pytest

import rules
from bot import render
from bot.i18n import tr
from tests.bot_harness import answer_until_review, question_shown
from tests.botapi import BotAPIStandIn, utf16_len
from tests.test_bot_interview import label, persona
from tests.test_verdict_screen import detail, finish, person

RS = rules.load()
TODAY = rules.today_in_moscow()


def caveat_ids(facts: dict[str, object], day: dt.date) -> list[str]:
    return [c.id for c in RS.evaluate(facts, day).caveats]


# --- caveats: relevance and rank ----------------------------------------------------------------


def test_the_conscription_age_30_note_is_for_men_only() -> None:
    woman = {"sex": "female", "military_status": "reserve", "citizen": True, "age": 35}
    assert "conscription_age_30" not in caveat_ids(woman, TODAY)
    man = {**woman, "sex": "male"}
    assert "conscription_age_30" in caveat_ids(man, TODAY)
    # Like the other men-only notes (age_limits_2024): not for a person whose sex is not known.
    unknown = {k: v for k, v in man.items() if k != "sex"}
    assert "conscription_age_30" not in caveat_ids(unknown, TODAY)
    assert "age_limits_2024" not in caveat_ids({**unknown, "age": 47}, TODAY)


def test_the_2022_sector_lists_caveat_comes_first_for_an_it_worker_today() -> None:
    it = {"sex": "male", "military_status": "reserve", "citizen": True, "age": 30, "sector": "it",
          "accredited_employer": True, "higher_education": True, "on_employer_list": True}
    assert caveat_ids(it, TODAY)[0] == "sector_lists_2022"
    assert caveat_ids(it, dt.date(2022, 10, 10))[0] == "deferral_not_automatic"


# --- the bot's screens --------------------------------------------------------------------------


def steps_of(verdict: str, lang: str) -> str:
    start = verdict.index("What to do now" if lang == "en" else "Что делать сейчас")
    end = verdict.find("Important" if lang == "en" else "Важно", start)
    return verdict[start:end if end > 0 else None]


@pytest.mark.asyncio
async def test_a_woman_s_steps_cite_the_ministry_s_statements_not_a_deferral(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    for lang, deferral, mod in (("en", "deferral", "Ministry of Defence"),
                                ("ru", "отсрочк", "Минобороны")):
        p = person(api, lang)
        await p.say("/check")
        await answer_until_review(p, RS, persona(lang, sex="female"), lang)
        steps = steps_of(await finish(p, lang), lang)
        assert mod in steps and "1. " + ("If a summons" if lang == "en" else "Если придёт") in steps
        assert deferral not in steps.lower()


@pytest.mark.asyncio
async def test_i_dont_know_everywhere_names_three_facts_and_counts_the_rest(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    for lang, dont_know, more in (("en", "I don't know", re.compile(r" and (\d+) more things")),
                                  ("ru", "Не знаю", re.compile(r" и ещё от (\d+) обстоятельств"))):
        p = person(api, lang)
        await p.say("/check")
        for _ in range(40):
            if any(b.startswith("✅") for b in p.buttons()):  # the review
                break
            assert question_shown(RS, p.text(), lang) is not None
            if dont_know in p.buttons():
                await p.press(dont_know)
            else:
                await p.press(label(RS, "sex", "male", lang))
        verdict = await finish(p, lang)
        head = verdict.split("\n\n")[0]
        found = more.search(head)
        assert found and int(found.group(1)) >= 10, head
        assert head.count(",") <= 4, head  # three facts, not twenty
        assert utf16_len(verdict) <= 2000
        grounds = await detail(p, "All grounds" if lang == "en" else "Все основания",
                               "◀ Back to the result" if lang == "en" else "◀ К результату")
        assert grounds


def test_all_grounds_calls_the_already_serving_ground_service_not_not_subject() -> None:
    for lang in ("en", "ru"):
        t = tr(lang)
        v = RS.evaluate({"sex": "male", "military_status": "serving_contract"}, TODAY, lang=lang)
        assert any(g.id == "already_serving" for g in v.grounds)
        screen = "\n".join(render.grounds_screen(t, v))
        title = RS.ground_by_id["already_serving"].ground.title.get(lang)
        line = next(ln for ln in screen.splitlines() if title in ln)
        assert ("not subject" if lang == "en" else "не подлежит") not in line.lower(), line
        assert ("already in service" if lang == "en" else "уже на службе") in line
        listing = "\n".join(render.group_grounds(t, RS))
        line = next(ln for ln in listing.splitlines() if title in ln)
        assert ("already in service" if lang == "en" else "уже на службе") in line, line
