"""The gettext catalogs: complete in both languages, never stale, plurals and placeholders right."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import rules
from interview.i18n import tr

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"gettext": None, "ngettext": (1, 2), "N_": None}


def catalog(lang: str):
    with (ROOT / "locales" / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


def source_ids() -> set[str]:
    found = set()
    for package in ("interview", "bot", "offline"):  # babel.cfg: the channels and the interview
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / package), method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_message_in_the_code_is_in_the_catalog(lang: str) -> None:
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(lang) if m.id}
    missing = source_ids() - ids
    assert not missing, f"run the pybabel extract/update workflow (README): {sorted(missing)[:5]}"


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_catalog_holds_no_message_the_code_no_longer_uses(lang: str) -> None:
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(lang) if m.id}
    assert not ids - source_ids()


def test_every_russian_entry_is_translated_and_not_fuzzy() -> None:
    bad = [
        m.id for m in catalog("ru")
        if m.id and (m.fuzzy or not m.string
                     or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert not bad


def test_russian_placeholders_match_the_english() -> None:
    for m in catalog("ru"):
        if not m.id:
            continue
        english = m.id if isinstance(m.id, str) else m.id[0]
        want = set(re.findall(r"\{(\w+)\}", english))
        for text in (m.string,) if isinstance(m.string, str) else m.string:
            assert set(re.findall(r"\{(\w+)\}", text)) == want, english


# The greeting's counts stand after a colon and "не больше"/"до", so no noun agrees with them.
@pytest.mark.parametrize("n", [1, 2, 5, 11, 21, 24])
def test_the_russian_greeting_needs_no_plural_form(n: int) -> None:
    t = tr("ru")
    text = t.gettext("Button questions: at most {known} if the answers are known, up to {most} "
                     "with “I don't know”; an answer that settles it ends them sooner.")
    assert text.format(known=n, most=n + 3).startswith(
        f"Вопросов с кнопками: не больше {n}, если ответы известны, и до {n + 3} с ответами")


def test_dates_are_written_the_russian_way() -> None:
    import datetime as dt

    # CLDR puts a narrow no-break space before "г."
    assert tr("ru").date(dt.date(2022, 10, 10)).replace("\u202f", " ") == "10 октября 2022 г."
    assert tr("en").date(dt.date(2022, 10, 10)) == "October 10, 2022"


def test_every_rule_base_text_has_both_languages() -> None:
    rs = rules.load()
    texts = []
    for cg in rs.grounds:
        g = cg.ground
        texts += [g.title, g.explanation, g.todo] + ([g.note] if g.note else [])
    for q in rs.questions:
        texts += [q.text] + ([q.help] if q.help else [])
        texts += [o.label for o in q.options] + [i.label for i in q.items]
    for t in texts:
        assert t.ru.strip() and t.en.strip()
        assert t.ru != t.en or t.ru.isdigit()
