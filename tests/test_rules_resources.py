"""Where to get help (resources.yaml): every entry sourced and dated, its legal status in Russia
stated with its date, undesirable organisations flagged with a plain warning, state channels labelled
as the state's, and the whole list fits one Telegram message per language.

Loader checks are tested the way tests/test_rules_loader.py does: copy the rule base, change one
thing, expect the error to name file, line and field."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

import interview.render
import rules
from interview.html_text import visible_length
from interview.i18n import tr
from rules import RuleBaseErrors
from rules.models import LANGS, Resource

TELEGRAM_LIMIT = 4096
# Heading, bullets, separators and labels a renderer adds around the data, per entry and once.
RENDER_ALLOWANCE_ONCE = 300
RENDER_ALLOWANCE_PER_ENTRY = 60

CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def entries() -> list[Resource]:
    return rules.load().resources()


def mutate(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    root = tmp_path / "rules"
    shutil.copytree(rules.DEFAULT_RULES_DIR, root)
    path = root / "resources.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in resources.yaml: the rule base changed, update the test"
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return root, text


def load_error(root: Path) -> str:
    with pytest.raises(RuleBaseErrors) as info:
        rules.load(root, run_tests=False)
    return str(info.value)


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not found")


def first_with(pred: str) -> Resource:
    for res in entries():
        if pred == "undesirable" and res.risk:
            return res
        if pred == "foreign_agent" and res.legal_status and res.legal_status.kind == pred:
            return res
    pytest.skip(f"no {pred} entry in the bundled list")


# --- the bundled list -------------------------------------------------------------------------


def test_the_list_has_state_channels_first_then_independent_help() -> None:
    rs = rules.load()
    assert {r.kind for r in rs.official} == {"state"}
    assert rs.independent, "independent help is the point of the Get help screen"
    assert all(r.kind != "state" for r in rs.independent)
    assert rs.resources()[: len(rs.official)] == rs.official


def test_every_entry_has_a_source_a_checked_date_and_a_way_to_reach_it() -> None:
    for res in entries():
        assert res.source.startswith("https://"), res.id
        assert dt.date(2022, 9, 21) <= res.checked <= dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
        assert res.contacts(), res.id
        for shown, href in res.contacts():
            assert shown
            assert href is None or href.startswith("https://"), (res.id, href)


def test_every_legal_status_gives_its_date_and_its_own_source() -> None:
    for res in entries():
        status = res.legal_status
        if status is None:
            continue
        assert status.source.startswith("https://"), res.id
        assert status.since <= res.checked, res.id
        for lang in LANGS:
            assert status.since.strftime("%d.%m.%Y") in status.get(lang), (res.id, lang)


def test_undesirable_organisations_carry_the_risk_flag_and_a_warning_naming_the_articles() -> None:
    for res in entries():
        undesirable = res.legal_status is not None and res.legal_status.kind == "undesirable"
        assert res.risk is undesirable, res.id
        if undesirable:
            assert res.warning is not None, res.id
            for lang in LANGS:
                assert "284.1" in res.warning.get(lang) and "20.33" in res.warning.get(lang)
        else:
            assert res.warning is None, res.id


def test_state_channels_say_they_are_the_states_own() -> None:
    for res in rules.load().official:
        assert "государ" in res.text.ru.lower(), res.id
        assert "state" in res.text.en.lower(), res.id


def test_the_russian_texts_are_russian_and_the_english_are_english() -> None:
    for res in entries():
        parts = [res.title, res.text, *(x for x in (res.warning,) if x)]
        if res.legal_status:
            parts.append(res.legal_status.text)
        for part in parts:
            assert CYRILLIC.search(part.ru), (res.id, part.ru)
            # Names may keep a Russian spelling in brackets; the sentence itself is English.
            outside = re.sub(r"«[^»]*»|\([^)]*\)", "", part.en)
            assert not CYRILLIC.search(outside), (res.id, part.en)


def test_ids_are_unique() -> None:
    ids = [r.id for r in entries()]
    assert len(ids) == len(set(ids))


# --- one Telegram message per language ----------------------------------------------------------


def plain_screen(lang: str) -> str:
    """Everything the Get help screen can show, as plain text, whatever the renderer's layout."""
    blocks = []
    for res in entries():
        lines = [res.title.get(lang), res.text.get(lang)]
        lines += [shown for shown, _href in res.contacts()]
        if res.legal_status:
            lines.append(res.legal_status.get(lang))
        if res.warning:
            lines.append(res.warning.get(lang))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


@pytest.mark.parametrize("lang", LANGS)
def test_the_whole_list_fits_one_telegram_message(lang: str) -> None:
    text = plain_screen(lang)
    units = len(text.encode("utf-16-le")) // 2
    allowance = RENDER_ALLOWANCE_ONCE + RENDER_ALLOWANCE_PER_ENTRY * len(entries())
    assert units + allowance <= TELEGRAM_LIMIT, (lang, units, allowance)


@pytest.mark.parametrize("lang", LANGS)
def test_the_rendered_help_list_fits_one_telegram_message(lang: str) -> None:
    # The Get help screen (issue 7) replaces the list at the end of the verdict.
    render = interview.render.help_screen
    markup = render(tr(lang), rules.load())
    assert visible_length(markup) <= TELEGRAM_LIMIT
    for res in entries():
        assert res.title.get(lang) in markup or res.title.get(lang).replace('"', "&quot;") in markup


# --- the loader refuses what a careful reader could not trust -----------------------------------


def test_an_entry_without_a_checked_date_is_refused(tmp_path: Path) -> None:
    root, _text = mutate(tmp_path, "    checked: 2026-11-29\n", "")
    message = load_error(root)
    assert re.search(r"resources\.yaml:\d+: official\[0\]\.checked: required key is missing",
                     message), message


def test_an_entry_without_a_source_is_refused(tmp_path: Path) -> None:
    root, _text = mutate(tmp_path, "    source: \"https://mel.fm/", "    sourc: \"https://mel.fm/")
    message = load_error(root)
    assert "resources.yaml" in message and "source" in message, message


def test_a_checked_date_in_the_future_is_refused(tmp_path: Path) -> None:
    future = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30)).isoformat()
    root, text = mutate(tmp_path, "    checked: 2026-11-29\n", f"    checked: {future}\n")
    message = load_error(root)
    assert f"resources.yaml:{line_of(text, future)}: official[0].checked:" in message, message


def test_an_independent_entry_cannot_pass_for_a_state_channel(tmp_path: Path) -> None:
    rs = rules.load()
    res = rs.independent[0]
    root, _text = mutate(tmp_path, f"    kind: {res.kind}\n", "    kind: state\n")
    message = load_error(root)
    assert "independent[0].kind: a state channel goes under `official`" in message, message


def test_a_status_whose_text_misses_its_date_is_refused(tmp_path: Path) -> None:
    res = first_with("foreign_agent")
    assert res.legal_status is not None
    shown = res.legal_status.since.strftime("%d.%m.%Y")
    root, _text = mutate(tmp_path, shown, "01.01.2000")
    message = load_error(root)
    assert f"must give the date {shown}" in message, message


def test_an_undesirable_status_without_the_risk_flag_is_refused(tmp_path: Path) -> None:
    first_with("foreign_agent")
    root, _text = mutate(tmp_path, "      kind: foreign_agent\n", "      kind: undesirable\n")
    message = load_error(root)
    assert "risk must be true exactly when the status is undesirable" in message, message
    assert "an undesirable organisation needs a risk warning" in message, message


def make_undesirable(tmp_path: Path, warning: str) -> tuple[Path, str]:
    """The first independent entry, turned undesirable with the risk flag and `warning`."""
    res = rules.load().independent[0]
    assert res.legal_status is not None
    root, text = mutate(tmp_path, f"      kind: {res.legal_status.kind}\n", "      kind: undesirable\n")
    path = root / "resources.yaml"
    text = text.replace(f"    kind: {res.kind}\n", f"    kind: {res.kind}\n    risk: true\n{warning}", 1)
    path.write_text(text, encoding="utf-8")
    return root, text


def test_a_warning_that_does_not_name_the_articles_is_refused(tmp_path: Path) -> None:
    root, _text = make_undesirable(tmp_path, "    warning: {ru: \"Это опасно.\", en: \"Risky.\"}\n")
    message = load_error(root)
    assert "independent[0].warning.ru: the warning must name Art. 284.1" in message, message
    assert "independent[0].warning.en: the warning must name Art. 284.1" in message, message


def test_an_undesirable_entry_with_flag_and_warning_loads(tmp_path: Path) -> None:
    warning = ("    warning: {ru: \"Риск: ст. 284.1 УК РФ и ст. 20.33 КоАП РФ.\",\n"
               "              en: \"Risk: Criminal Code Art. 284.1, CoAP Art. 20.33.\"}\n")
    root, _text = make_undesirable(tmp_path, warning)
    res = rules.load(root, run_tests=False).independent[0]
    assert res.risk and res.warning is not None and "284.1" in res.warning.ru


def test_a_risk_flag_without_an_undesirable_status_is_refused(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "    kind: state\n", "    kind: state\n    risk: true\n")
    message = load_error(root)
    assert f"resources.yaml:{line_of(text, '    risk: true')}: official[0].risk:" in message, message


def test_a_telegram_handle_becomes_a_t_me_link_and_a_malformed_one_is_refused(
        tmp_path: Path) -> None:
    root, _text = mutate(tmp_path, '    email: "legal@ovdinfo.org"\n',
                         '    email: "legal@ovdinfo.org"\n    telegram: "@Example_bot"\n')
    res = next(r for r in rules.load(root, run_tests=False).independent if r.id == "ovd_info")
    assert ("@Example_bot", "https://t.me/Example_bot") in res.contacts()
    assert ("legal@ovdinfo.org", None) in res.contacts()
    bad = tmp_path / "bad"
    bad.mkdir()
    root, _text = mutate(bad, '    email: "legal@ovdinfo.org"\n',
                         '    email: "legal@ovdinfo.org"\n    telegram: "t.me/x"\n')
    assert "telegram" in load_error(root)
