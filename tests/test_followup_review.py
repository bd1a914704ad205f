"""Findings of the Russian and legal review, second round: what a person sees on the verdict, the
All grounds screen and the guides, driven through the bot and the stand-in or the rule base."""

from __future__ import annotations

import datetime as dt
import re

import pytest

import rules
from interview import render
from interview.i18n import tr
from tests.bot_harness import answer_until_review, bundled_rules, question_shown
from tests.botapi import BotAPIStandIn, utf16_len
from tests.test_bot_interview import label, persona
from tests.test_verdict_screen import detail, finish, person
from tests.test_verdict_screen import section as mechanism_section

RS = bundled_rules()  # loaded once per process, shared by the modules
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


@pytest.mark.asyncio
async def test_an_it_worker_today_is_first_told_the_2022_lists_cannot_be_relied_on(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api, "en")
    await p.say("/check")
    answers = persona("en", sector="it")
    answers["accredited_employer"] = label(RS, "accredited_employer", "qualifies", "en")
    answers["higher_education"] = label(RS, "higher_education", "has_degree", "en")
    answers["on_employer_list"] = label(RS, "on_employer_list", "on_list", "en")
    await answer_until_review(p, RS, answers, "en")
    verdict = await finish(p, "en")
    # The assemblies are the more pressing today; under mobilization's line on the Caveats
    # screen, the lists' warning comes first.
    assert "Mobilization: protection not by law — IT" in verdict
    caveats = mechanism_section(await detail(p, "Caveats", "◀ Back to the result"), "mobilization", "en")
    lists = next(c for c in RS.caveats if c.id == "sector_lists_2022").texts["en"].text
    assert caveats.strip().split("\n\n")[1].startswith("• " + lists[:60]), caveats


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
        await finish(p, lang)
        # Mobilization's steps, under its line on the "What to do" screen.
        steps = mechanism_section(await detail(p, "What to do" if lang == "en" else "Что делать",
                                     "◀ Back to the result" if lang == "en" else "◀ К результату"),
                        "mobilization", lang)
        steps = steps[:steps.find("\n\n", steps.find("1. "))]
        assert mod in steps and "1. " + ("If a summons" if lang == "en" else "Если придёт") in steps
        assert deferral not in steps.lower()


@pytest.mark.asyncio
@pytest.mark.parametrize(("lang", "dont_know", "more"), [
    ("en", "I don't know", re.compile(r" and (\d+) more things")),
    ("ru", "Не знаю", re.compile(r" и ещё от (\d+) обстоятельств"))], ids=["en", "ru"])
async def test_i_dont_know_everywhere_names_three_facts_and_counts_the_rest(
    api: BotAPIStandIn, bot: list[object], lang: str, dont_know: str, more: re.Pattern[str]
) -> None:
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


# --- guides: a past as-of date shows only what was in force then ----------------------------------

GUIDE_DAYS = [dt.date(2022, 9, 21), dt.date(2022, 10, 10), dt.date(2023, 6, 1),
              dt.date(2025, 1, 1), TODAY]
# A later fact, as each language writes it, and the day it became true.
LATER_FACTS = [
    (("Since April 2023", "С апреля 2023"), dt.date(2023, 4, 14)),  # the law of 14.04.2023
    (("127-FZ of 14.04.2023", "закон № 127-ФЗ от 14.04.2023"), dt.date(2023, 4, 14)),
    (("269-FZ", "269-ФЗ"), dt.date(2023, 6, 24)),  # service age limit 65/70
    (("Constitutional Court", "Конституционн"), dt.date(2024, 11, 22)),
    (("news report of 13.02.2026", "материал от 13.02.2026"), dt.date(2026, 2, 13)),
    (("December 2023", "декабре 2023"), dt.date(2023, 12, 14)),
    (("Electronic summons", "Электронная повестка"), dt.date(2024, 11, 1)),
    (("2026 special assemblies", "специальных сборов 2026"), dt.date(2025, 12, 30)),
]


def guide_text(gid: str, day: dt.date, lang: str) -> str:
    guide = RS.guide(gid, day)
    parts = [guide.title.get(lang)]
    for section in guide.sections:
        parts.append(section.heading.get(lang))
        parts += [item.get(lang) for item in section.items]
        parts += [c.label for c in section.cites(lang)]
    return "\n".join(parts)


@pytest.mark.parametrize("day", GUIDE_DAYS, ids=str)
def test_the_guides_show_no_fact_later_than_the_day_checked(day: dt.date) -> None:
    for lang_index, lang in enumerate(("en", "ru")):
        for gid in ("summons", "already_serving"):
            text = guide_text(gid, day, lang)
            for words, since in LATER_FACTS:
                if day < since:
                    assert words[lang_index] not in text, (gid, day, words[lang_index])
        # Each screen still makes sense that day: how a summons is served and what to do; the
        # grounds for discharge and every complaint route.
        summons = guide_text("summons", day, lang)
        serving = guide_text("already_serving", day, lang)
        if lang == "en":
            assert "How it may be served" in summons and "What to do now" in summons
            assert "Decree 647 p.5" in serving and "rare" in serving
            for route in ("unit commander", "military prosecutor", "court"):
                assert route in serving
        else:
            assert "Как могут вручить" in summons and "Что сделать сейчас" in summons
            assert "п. 5" in serving and "Командиру части" in serving


def test_the_later_facts_are_shown_once_in_force() -> None:
    for lang_index, lang in enumerate(("en", "ru")):
        text = guide_text("summons", TODAY, lang) + guide_text("already_serving", TODAY, lang)
        for words, _since in LATER_FACTS:
            assert words[lang_index] in text, words[lang_index]
