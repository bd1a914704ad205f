"""The written documents in JavaScript (offline/papers.js, for the offline page's print view): the
same documents fit as in the bot and say the same, word for word, on V8 against
interview/papers.py over many interviews."""

from __future__ import annotations

from typing import Any

from interview import papers
from offline.build import shipped_js
from offline.papers_data import documents_data, page_texts
from rules import FactsError
from rules.jscompile import js_literal as json_literal
from tests.bot_harness import bundled_rules
from tests.jsengine import JSEngine
from tests.test_offline_engine import make_cases

RS = bundled_rules()  # loaded once per process, shared by the modules
# For each case: the verdict as the page computes it, then every document that fits, built.
DRIVER = """
function documentsOf(cases, texts) {
  return cases.map(function (c) {
    var v = E.evaluate(c.facts, c.as_of, c.dont_know), out = {};
    P.offered(v).forEach(function (kind) {
      var p = P.build(kind, v, texts);
      out[kind] = {text: P.plainText(p), caption: p.caption, file: p.file};
    });
    return out;
  });
}
"""


def python_documents(case: dict[str, Any], lang: str) -> dict[str, Any] | None:
    import datetime as dt

    try:
        v = papers.verdict_for(RS, case["facts"], dt.date.fromisoformat(case["as_of"]),
                               case["dont_know"])
    except FactsError:
        return None
    out = {}
    for f in papers.offered(RS, v):
        p = papers.build(RS, v, f.document.kind, lang)
        assert p is not None
        out[p.kind] = {"text": papers.plain_text(p), "caption": p.caption, "file": p.file}
    return out


def test_the_page_offers_and_words_every_document_as_the_bot_does() -> None:
    cases = [c for c in make_cases(RS, 600, seed=15) if python_documents(c, "en") is not None]
    with JSEngine(RS) as js:
        js.load(shipped_js("papers.js"))  # as the page carries it
        js.load("var P = exemptPapers(" + json_literal(documents_data(RS)) + ");")
        js.load(DRIVER)
        got = js.call("documentsOf", cases, page_texts(RS, "en"))
    kinds: set[str] = set()
    for case, js in zip(cases, got, strict=True):
        want = python_documents(case, "en")
        assert js == want, case
        kinds |= set(js)
    # The random interviews reach the kinds of both verdicts.
    assert {"mobilization-deferral", "medical-examination", "court-claim",
            "conscription-deferral", "alternative-service", "appeal-commission"} <= kinds
