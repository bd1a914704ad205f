""""What is this notice?" in the rule base (notices.yaml, rules/notice.py): the dates computed at
the legal boundaries, and the loader naming file, line and field for a broken notices file or a
failing notice test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rules.notice import NoticeBook, NoticeError, next_listed
from tests.bot_harness import bundled_rules
from tests.test_rules_loader import line_of, load_error, mutate

RS = bundled_rules()  # loaded once per process, shared by the modules


def _book() -> NoticeBook:
    assert RS.notices is not None, "the bundled rule base has notices.yaml"
    return RS.notices


BOOK = _book()


def dates(source: str, purpose: str, posted: dt.date | None, as_of: dt.date,
          lang: str = "en") -> dict[str, str | None]:
    out = RS.notice(BOOK.answers(source, purpose, posted, as_of), as_of, lang)
    return {line.id: line.date for line in out.dates}


def test_the_bundled_notices_have_tests_at_every_boundary_and_they_pass() -> None:
    names = " ".join(t.name for t in BOOK.tests)
    for boundary in ("day 7", "2025-12-31", "2026-01-01", "2024-10-31", "2024-11-01"):
        assert boundary in names
    assert len(BOOK.tests) >= 10


@pytest.mark.parametrize("posted,served", [
    (dt.date(2026, 11, 27), "2026-12-04"),
    (dt.date(2026, 2, 22), "2026-03-01"),  # across a February end
    (dt.date(2024, 11, 1), "2024-11-08"),  # the register's first day
])
def test_an_e_summons_counts_as_served_on_day_7(posted: dt.date, served: str) -> None:
    got = dates("electronic", "medical", posted, posted + dt.timedelta(days=3))
    assert got["served_register"] == served
    assert got["exit_ban_posted"] == posted.isoformat()


def test_the_30_day_limit_and_day_20_start_with_summonses_posted_in_2026() -> None:
    before = dates("electronic", "medical", dt.date(2025, 12, 31), dt.date(2026, 1, 2))
    after = dates("electronic", "medical", dt.date(2026, 1, 1), dt.date(2026, 1, 2))
    assert "report_limit" not in before and "restrictions_latest" not in before
    assert after["report_limit"] == "2026-01-31"
    assert after["restrictions_latest"] == "2026-02-20"  # the 20th day after day 30


def test_an_unknown_posting_date_shows_the_rules_without_dates() -> None:
    out = RS.notice(BOOK.answers("electronic", "medical", None, dt.date(2026, 12, 4)),
                    dt.date(2026, 12, 4), "ru")
    served = next(line for line in out.dates if line.id == "served_register")
    assert served.date is None and "7-й день" in served.text and "{date}" not in served.text


def test_each_purpose_names_its_mechanism() -> None:
    day = dt.date(2026, 12, 4)
    got = {p: RS.notice(BOOK.answers("paper", p, day, day), day, "en").mechanism
           for p in BOOK.purposes}
    assert got == {"clarify": "registration", "medical": "conscription",
                   "dispatch": "conscription", "training": "assemblies",
                   "special": "assemblies", "mobilization": "mobilization",
                   "dont_know": "unknown"}


def test_every_answer_is_cited_and_no_line_sends_a_person_to_the_voenkomat_to_ask() -> None:
    day = dt.date(2026, 12, 4)
    for source in BOOK.sources:
        for purpose in BOOK.purposes:
            for lang in ("ru", "en"):
                out = RS.notice(BOOK.answers(source, purpose, day, day), day, lang)
                for line in out.requirements + out.dates:
                    assert line.citations, line.id
                text = " ".join(line.text for line in out.lines()).lower()
                assert "clarify at the voenkomat" not in text
                assert "уточните в военкомате" not in text


def test_bad_answers_are_refused_with_a_reason() -> None:
    day = dt.date(2026, 12, 4)
    with pytest.raises(NoticeError, match="after the as-of date"):
        BOOK.answers("paper", "medical", day + dt.timedelta(days=1), day)
    with pytest.raises(NoticeError, match="unknown source"):
        BOOK.answers("pigeon", "medical", day, day)


def test_the_next_alternative_service_deadline_is_strictly_after_the_day() -> None:
    assert next_listed(["04-01", "10-01"], dt.date(2026, 3, 31)) == dt.date(2026, 4, 1)
    assert next_listed(["04-01", "10-01"], dt.date(2026, 4, 1)) == dt.date(2026, 10, 1)
    assert next_listed(["04-01", "10-01"], dt.date(2026, 10, 1)) == dt.date(2027, 4, 1)


def test_an_unknown_mechanism_is_an_error_with_file_line_and_field(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "notices.yaml", "mechanism: assemblies",
                        "mechanism: assemblys")
    err = load_error(root)
    assert f"notices.yaml:{line_of(text, 'mechanism: assemblys')}: purposes[3].mechanism:" in err
    assert "unknown mechanism 'assemblys'" in err


def test_a_date_line_without_its_date_is_an_error(tmp_path: Path) -> None:
    old = 'en: "Served on {date}, the day it was signed for."'
    root, text = mutate(tmp_path, "notices.yaml", old, 'en: "Served the day it was signed."')
    err = load_error(root)
    assert f"notices.yaml:{line_of(text, 'Served the day it was signed.')}: dates[0].text.en:" in err
    assert "must name the date" in err


def test_a_failing_notice_test_names_its_file_line_and_what_differs(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "tests/notices.yaml", "served_register: 2026-12-04",
                        "served_register: 2026-12-05")
    err = load_error(root)
    line = line_of(text, "- name: e-summons posted 2026-11-27")
    assert f"tests/notices.yaml:{line}: notice_tests[0]:" in err
    assert "served_register on 2026-12-04, expected 2026-12-05" in err


def test_a_notice_test_naming_an_unknown_line_is_an_error(tmp_path: Path) -> None:
    root, _ = mutate(tmp_path, "tests/notices.yaml", "served_register: 2026-12-04",
                     "served_by_pigeon: 2026-12-04")
    assert "unknown line 'served_by_pigeon'" in load_error(root, run_tests=False)
