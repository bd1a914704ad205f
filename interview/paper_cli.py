"""`exempt-bot paper`: the written documents that fit some facts, listed or written as a PDF.

Facts are read as `python -m rules evaluate` reads them (a flat JSON object, strictly); bad facts,
an unknown kind or one that does not fit the facts exit 2 with a message, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from rules import FactsError, RuleSet
from rules.cli import FactsInput, read_facts
from rules.models import DOCUMENT_KINDS

from . import papers
from .pdf import render_pdf

BAD_INPUT = 2


def run_paper(rs: RuleSet, kind: str | None, facts_source: str, as_of: dt.date | None,
              lang: str, *, as_json: bool = False, output: Path | None = None,
              out: TextIO | None = None, err: TextIO | None = None) -> int:
    """`kind` None lists the documents that fit; otherwise writes that one to `output`."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        facts = read_facts(facts_source)
        verdict = papers.verdict_for(rs, facts, as_of)
    except FactsInput as exc:
        print(exc, file=err)
        return BAD_INPUT
    except FactsError as exc:
        print(f"bad facts: {exc}", file=err)
        return BAD_INPUT
    fits = papers.offered(rs, verdict)
    if kind is None:
        listed = [{"kind": f.document.kind, "title": f.document.doc.title.get(lang)} for f in fits]
        if as_json:
            print(json.dumps(listed, ensure_ascii=False, indent=2), file=out)
        elif not listed:
            print("no document fits these facts", file=out)
        else:
            width = max(len(d["kind"]) for d in listed)
            for d in listed:
                print(f"{d['kind']:<{width}}  {d['title']}", file=out)
        return 0
    if kind not in DOCUMENT_KINDS:
        print(f"unknown document kind {kind!r}; the kinds are: {', '.join(DOCUMENT_KINDS)}",
              file=err)
        return BAD_INPUT
    paper = papers.build(rs, verdict, kind, lang)
    if paper is None:
        fitting = ", ".join(f.document.kind for f in fits) or "none"
        print(f"{kind} does not fit these facts (as of {verdict.as_of}); the documents that fit: "
              f"{fitting}", file=err)
        return BAD_INPUT
    if output is None:
        print("give the file to write with -o FILE.pdf", file=err)
        return BAD_INPUT
    data = render_pdf(paper)
    try:
        _write(output, data)
    except OSError as exc:
        print(f"cannot write {output}: {exc.strerror or exc}", file=err)
        return BAD_INPUT
    print(f"{output}: {paper.title} ({len(data) // 1024} KB)", file=out)
    return 0


def _write(path: Path, data: bytes) -> None:
    """Whole or not at all: a temporary file beside it, renamed over it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".paper-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
