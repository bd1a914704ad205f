"""The written documents on the offline page: the same documents fit as in the bot and say the
same, word for word (offline/papers.js on V8 against interview/papers.py, over many interviews),
and a person in a real browser opens one, copies its text and prints it on one A4 page."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

import rules
from interview import papers
from offline.build import _documents, texts
from rules import FactsError
from rules.jscompile import js_literal as json_literal
from tests.jsengine import ROOT, JSEngine
from tests.test_offline_engine import make_cases
from tests.test_offline_page import (  # noqa: F401 (fixtures)
    Browser,
    Interview,
    answer_questions,
    browser,
    check_verdict,
    click,
    msg,
    nothing_stored,
    page_file,
)

RS = rules.load()
PAPERS_JS = ROOT / "offline" / "papers.js"
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
        js.load(PAPERS_JS)
        js.load("var P = exemptPapers(" + json_literal(_documents(RS)) + ");")
        js.load(DRIVER)
        got = js.call("documentsOf", cases, texts(RS, "en")["documents"])
    kinds: set[str] = set()
    for case, js in zip(cases, got, strict=True):
        want = python_documents(case, "en")
        assert js == want, case
        kinds |= set(js)
    # The random interviews reach the kinds of both verdicts.
    assert {"mobilization-deferral", "medical-examination", "court-claim",
            "conscription-deferral", "alternative-service", "appeal-commission"} <= kinds


def test_a_person_opens_a_document_copies_it_and_prints_it_on_one_page(
    browser: Browser,  # noqa: F811 (the fixture imported above)
) -> None:
    page = browser.page
    browser.context.grant_permissions(["clipboard-read", "clipboard-write"])
    click(page, msg("ru", "start"))
    iv = Interview("ru", rules.today_in_moscow())
    bands = RS.age_bands(iv.as_of)
    answer_questions(page, iv, {
        "sex": "male", "military_status": "reserve", "citizen": "citizen",
        "age": f"age_{bands[0][0]}_{bands[0][1]}", "rank": "soldier", "fitness": "a",
        "conviction": "none", "reserved_by_employer": "not_reserved", "student": "none",
        "children_under_16": "c4plus"})
    check_verdict(page, iv)
    click(page, msg("ru", "documents"))
    v = papers.verdict_for(RS, iv.facts, iv.as_of, iv.dont_know)
    offered = [f.document.doc.title.ru for f in papers.offered(RS, v)]
    buttons = page.locator("nav button.answer").all_inner_texts()
    assert buttons == offered
    paper = papers.build(RS, v, "mobilization-deferral", "ru")
    assert paper is not None
    click(page, paper.title)
    sheet = page.locator("article.paper").inner_text()
    assert paper.heading in sheet and paper.grounds[0] in sheet
    assert paper.caption in page.locator("main").inner_text()
    click(page, msg("ru", "documents_copy"))
    page.get_by_text(msg("ru", "documents_copied")).wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == papers.plain_text(paper)
    # "Print or save as PDF": only the sheet is printed, on one A4 page.
    page.emulate_media(media="print")
    assert not page.locator("nav").is_visible() and not page.locator("header").is_visible()
    printed = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    assert len(printed.pages) == 1
    text = " ".join((printed.pages[0].extract_text() or "").split())
    for line in (paper.heading, *paper.requests):
        assert " ".join(line.split()) in text
    assert msg("ru", "documents_copy") not in text
    page.emulate_media(media="screen")
    click(page, msg("ru", "documents_back"))
    click(page, msg("ru", "to_result"))
    nothing_stored(browser)
