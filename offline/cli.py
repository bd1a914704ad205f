"""`exempt-bot offline`: write the offline page to a file."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from rules import RuleSet

from .build import BUDGET, build_page


def write_page(rs: RuleSet, path: Path, lang: str, handles: Sequence[str] = ()) -> int:
    page = build_page(rs, lang, handles)
    if page.size > BUDGET:  # a phone on a slow link must still get it whole
        print(f"the page would be {page.size // 1024} KB, over the {BUDGET // 1024} KB budget; "
              "not written", file=sys.stderr)
        return 1
    try:
        path.write_bytes(page.html)
    except OSError as exc:
        print(f"cannot write {path}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {path}: {page.size / 1024:.0f} KB, opens in {lang}, rules {page.rules_version}")
    return 0
