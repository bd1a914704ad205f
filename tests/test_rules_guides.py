"""Guides (issue 8): a summons in hand and already serving, dated sections, each one Telegram
message per language on every day, every fact sourced; the loader refuses a guide that would not
fit, or a missing one."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import rules
from rules.guides import TELEGRAM_MESSAGE_LIMIT, GuideOut, utf16_len
from rules.models import LANGS
from tests.bot_harness import bundled_rules

RS = bundled_rules()  # loaded once per process, shared by the modules
DAYS = [dt.date(2022, 9, 21), dt.date(2022, 10, 10), dt.date(2023, 8, 1), dt.date(2024, 11, 1),
        dt.date(2026, 11, 29), dt.date(2028, 6, 1)]


def as_message(guide: GuideOut, lang: str) -> str:
    """The guide drawn as a front end would: title, headings, bullets, citation labels with dates."""
    lines = [guide.title.get(lang), ""]
    for section in guide.sections:
        lines.append(section.heading.get(lang))
        lines += [f"• {item.get(lang)}" for item in section.items]
        cites = section.cites(lang)
        if cites:
            lines.append("— " + "; ".join(f"{c.label}, {c.date}" for c in cites))
        lines.append("")
    return "\n".join(lines)


@pytest.mark.parametrize("gid", ["summons", "already_serving"])
@pytest.mark.parametrize("lang", LANGS)
def test_each_guide_fits_one_telegram_message_on_every_day(gid: str, lang: str) -> None:
    for day in [*DAYS, *RS.guides[gid].boundary_days()]:
        guide = RS.guide(gid, day)
        text = as_message(guide, lang)
        assert guide.sections, f"{gid} has nothing to show on {day}"
        assert utf16_len(text) <= guide.visible_length(lang) <= TELEGRAM_MESSAGE_LIMIT, (gid, day)


def test_sections_follow_their_dates() -> None:
    def headings(day: dt.date) -> list[str]:
        return [s.heading.en for s in RS.guide("summons", day).sections]

    during_call_up = headings(dt.date(2022, 10, 10))
    today = headings(dt.date(2026, 11, 29))
    assert "Electronic summons" not in during_call_up  # the register started on 01.11.2024
    assert "Electronic summons" in today
    assert "First: what kind of summons it is" not in during_call_up  # call-up stopped 28.10.2022
    assert "First: what kind of summons it is" in today
    assert RS.guide("summons", dt.date(2026, 11, 29)).as_of == "2026-11-29"


def test_discharge_guide_names_decree_647_point_5_and_every_complaint_route() -> None:
    guide = RS.guide("already_serving", dt.date(2026, 11, 29))
    text = as_message(guide, "en")
    assert "Decree 647 p.5" in text
    for route in ("unit commander", "military prosecutor", "court", "Gosuslugi"):
        assert route in text, route
    assert "rare" in text  # the honest caveat
    ru = as_message(guide, "ru")
    assert "военному прокурору" in ru.lower() and "командиру части" in ru.lower()


def test_submissions_are_in_writing_and_nobody_is_sent_to_the_voenkomat_to_ask() -> None:
    for gid in RS.guides:
        for day, mech in ((d, m) for d in DAYS for m in RS.guides[gid].mechanisms()):
            for section in RS.guide(gid, day, mech).sections:
                for item in section.items:
                    ru, en = item.ru.lower(), item.en.lower()
                    if "заявлени" in ru and "подайте" in ru:
                        assert "опись" in ru and "отметк" in ru, item.ru
                    if "apply in writing" in en or "application" in en:
                        assert "list of contents" in en and "stamped copy" in en, item.en
                    assert "сходите в военкомат" not in ru and "go to the voenkomat to ask" not in en


def test_every_guide_fact_has_a_source_a_date_seen_and_a_label() -> None:
    for guide in RS.guides.values():
        for compiled in guide.sections:
            for cite in compiled.section.citations:
                assert cite.confidence in ("V", "P", "M")
                if cite.confidence != "M":
                    assert cite.source or RS.acts[cite.act].url, cite.act
                    assert cite.seen is not None, cite.act


def test_an_unknown_guide_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        RS.guide("nonexistent", dt.date(2026, 1, 1))


def copy_rules(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(rules.DEFAULT_RULES_DIR, root)
    return root


def test_the_loader_refuses_a_guide_longer_than_one_message(tmp_path: Path) -> None:
    root = copy_rules(tmp_path)
    path = root / "guides.yaml"
    text = path.read_text(encoding="utf-8")
    old = '          - ru: "Сфотографируйте повестку.'
    assert old in text
    path.write_text(text.replace(old, f'          - ru: "{"очень длинно " * 120}.', 1),
                    encoding="utf-8")
    with pytest.raises(rules.RuleBaseErrors) as info:
        rules.load(root, run_tests=False)
    message = str(info.value)
    assert "guides.yaml:" in message and "too long for one Telegram message" in message
    assert " ru " in message


def test_the_loader_requires_both_guides(tmp_path: Path) -> None:
    root = copy_rules(tmp_path)
    path = root / "guides.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - id: already_serving", "  - id: already_serving_x", 1),
                    encoding="utf-8")
    with pytest.raises(rules.RuleBaseErrors) as info:
        rules.load(root, run_tests=False)
    assert "guide 'already_serving' is missing" in str(info.value)


@pytest.mark.parametrize("gid", ["summons", "already_serving"])
@pytest.mark.parametrize("lang", LANGS)
def test_the_bots_guide_screen_shows_every_section_in_one_message(gid: str, lang: str) -> None:
    # The bot drops blocks that do not fit one message: every section must survive its markup.
    import html
    import re

    from interview import render
    from interview.html_text import b
    from interview.i18n import tr

    for day in DAYS:
        guide = RS.guide(gid, day)
        screen = render.guide_screen(tr(lang), RS, gid, day)
        assert screen is not None
        for section in guide.sections:
            assert b(section.heading.get(lang)) in screen, (gid, lang, day)
        visible = html.unescape(re.sub(r"<[^>]+>", "", screen))
        assert utf16_len(visible) <= TELEGRAM_MESSAGE_LIMIT
