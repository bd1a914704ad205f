""""What is this notice?" on the offline page equals the bot's: offline/notice.js under Node, over
the data the page embeds (NoticeBook.as_data), gives on random answers at days across 2022-2028 the
same mechanism, lines, texts, dates and citations as rules/notice.py, and refuses the same bad
answers. The JavaScript runs on V8 from PyPI (tests/jsengine.py), as the page's other tests."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

import rules
from offline.build import shipped_js
from rules.notice import CITATION_SHOWN, KINDS, NoticeBook, NoticeError
from tests.jsengine import JSEngine

# One batch, as the page would call it: each case's answer or the error it raises.
DRIVER = """
function noticeBatch(cases) {
  return cases.map(function (c) {
    try { return N.notice(c.source, c.purpose, c.posted, c.as_of, c.lang); }
    catch (e) { return {error: e.message}; }
  });
}
"""
FIRST, LAST = dt.date(2022, 1, 1), dt.date(2028, 12, 31)
CASES = 3000


def book() -> NoticeBook:
    rs = rules.load()
    assert rs.notices is not None
    return rs.notices


def cases(b: NoticeBook, n: int) -> list[dict[str, Any]]:
    rng = random.Random(14)
    boundaries = b.boundary_days()
    out = []
    for _ in range(n):
        if rng.random() < 0.5:  # near a window's edge, where an off-by-one would show
            as_of = rng.choice(boundaries) + dt.timedelta(days=rng.randint(-2, 40))
        else:
            as_of = FIRST + dt.timedelta(days=rng.randint(0, (LAST - FIRST).days))
        as_of = min(max(as_of, FIRST), LAST)
        back = rng.choice([None, 0, 1, 6, 7, 8, rng.randint(0, 59), -1])
        posted = None if back is None else as_of - dt.timedelta(days=back)
        out.append({"source": rng.choice([*b.sources, "pigeon"] if rng.random() < 0.02
                                         else list(b.sources)),
                    "purpose": rng.choice(list(b.purposes)),
                    "posted": posted.isoformat() if posted else None,
                    "as_of": as_of.isoformat(), "lang": rng.choice(["ru", "en"])})
    return out


def python_side(b: NoticeBook, c: dict[str, Any]) -> dict[str, Any]:
    as_of = dt.date.fromisoformat(c["as_of"])
    posted = dt.date.fromisoformat(c["posted"]) if c["posted"] else None
    try:
        out = b.notice(b.answers(c["source"], c["purpose"], posted, as_of), as_of, c["lang"])
    except NoticeError:
        return {"error": True}
    data: dict[str, Any] = json.loads(out.model_dump_json())
    for kind in KINDS:  # the page carries what a citation line shows (NoticeBook.as_data)
        for line in data[kind]:
            line["citations"] = [{k: c[k] for k in CITATION_SHOWN} for c in line["citations"]]
    return data


def test_the_page_computes_every_notice_as_the_bot_does() -> None:
    b = book()
    batch = cases(b, CASES)
    with JSEngine(rules.load()) as js:
        js.load(shipped_js("notice.js"))  # as the page carries it
        js.load("var N = exemptNotice(" + json.dumps(b.as_data(), ensure_ascii=False) + ");")
        js.load(DRIVER)
        got_all = js.call("noticeBatch", batch)
    js_out: list[dict[str, Any]] = got_all
    errors = 0
    for c, got in zip(batch, js_out, strict=True):
        want = python_side(b, c)
        if "error" in want:
            errors += 1
            assert "error" in got, c
            continue
        assert got == want, c
    assert 0 < errors < CASES // 5  # both refuse a date after the as-of day and an unknown source
