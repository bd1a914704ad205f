""""What is this notice?" on the offline page equals the bot's: offline/notice.js under Node, over
the data the page embeds (NoticeBook.as_data), gives on random answers at days across 2022-2028 the
same mechanism, lines, texts, dates and citations as rules/notice.py, and refuses the same bad
answers. Node is required (CI installs it)."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import rules
from rules.notice import NoticeBook, NoticeError

ROOT = Path(__file__).resolve().parent.parent
NOTICE_JS = ROOT / "offline" / "notice.js"
DRIVER_JS = Path(__file__).resolve().parent / "offline_notice_driver.js"
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
    return data


def test_the_page_computes_every_notice_as_the_bot_does(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the differential test needs it (.ci/run installs it)")
    b = book()
    data = tmp_path / "notices.json"
    data.write_text(json.dumps(b.as_data(), ensure_ascii=False), encoding="utf-8")
    batch = cases(b, CASES)
    done = subprocess.run([node, str(DRIVER_JS), str(NOTICE_JS), str(data)],
                          input=json.dumps(batch), capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    js = json.loads(done.stdout)
    errors = 0
    for c, got in zip(batch, js, strict=True):
        want = python_side(b, c)
        if "error" in want:
            errors += 1
            assert "error" in got, c
            continue
        assert got == want, c
    assert 0 < errors < CASES // 5  # both refuse a date after the as-of day and an unknown source
