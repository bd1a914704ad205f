"""The offline page in a real browser: `exempt-bot offline` writes the file, headless Chromium (the
system's, driven by Playwright) opens it from disk with every request blocked, and a person goes
through interviews in Russian and in English to a cited verdict; nothing is stored and no request
is even attempted.

Without a Chromium on the machine the browser tests are skipped with one line naming the package to
install; CI installs Debian's `chromium` and sets EXEMPT_REQUIRE_BROWSER=1 (.ci/run), which turns
that skip into a failure."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import rules
from interview import papers, render, screens
from interview.i18n import tr
from offline.build import BUDGET, DEFAULT_NAME
from offline.messages import MESSAGES
from tests.bot_harness import bundled_rules
from tests.browser import chromium

ROOT = Path(__file__).resolve().parent.parent
RS = bundled_rules()  # loaded once per process, shared by the modules
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
PHONE: Any = {"width": 360, "height": 740}  # a small phone, as Playwright's ViewportSize


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The file as `exempt-bot offline` writes it on a fresh install (default name, no token)."""
    out = tmp_path_factory.mktemp("offline")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-m", "bot", "offline"], cwd=out, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    path = out / DEFAULT_NAME
    assert path.stat().st_size <= BUDGET
    return path


@dataclass
class Browser:
    page: Any
    context: Any
    attempted: list[str] = field(default_factory=list)  # every request but the file itself
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def browser(page_file: Path) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=FLAGS, headless=True)
        context = b.new_context(viewport=PHONE, service_workers="block")
        here = Browser(page=None, context=context)
        # The network is blocked: any request other than the page's own file is refused and
        # recorded (CSP should stop every one before it is even attempted).
        context.route("**/*", lambda route: route.continue_()
                      if route.request.url == page_file.as_uri() else route.abort())
        page = context.new_page()
        page.on("request", lambda r: None if r.url == page_file.as_uri()
                else here.attempted.append(r.url))
        page.on("pageerror", lambda e: here.errors.append(str(e)))
        page.on("console", lambda m: here.errors.append(m.text) if m.type == "error" else None)
        page.goto(page_file.as_uri())
        here.page = page
        yield here
        b.close()


def msg(lang: str, key: str) -> str:
    """A page message, or a button's label (interview/screens.py)."""
    return tr(lang).gettext(MESSAGES[key] if key in MESSAGES else screens.NAV[key].msgid)


def click(page: Any, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


@dataclass
class Interview:
    """What the person answered, tracked as the bot's flow would (RuleSet.relevant)."""

    lang: str
    as_of: dt.date
    facts: dict[str, Any] = field(default_factory=dict)
    dont_know: set[str] = field(default_factory=set)
    asked: list[str] = field(default_factory=list)

    def settle(self) -> None:
        facts, dk = RS.relevant(self.facts, self.as_of, frozenset(self.dont_know))
        self.facts, self.dont_know = dict(facts), set(dk)


def answer_questions(page: Any, iv: Interview, picks: dict[str, Any]) -> None:
    """Answer each question on screen from `picks` (an option id, a list of ticked facts, or
    "?" for I don't know; the first option otherwise) until the review."""
    lang = iv.lang
    other = screens.LANGUAGE_SWITCH[lang]
    for _ in range(40):
        assert page.get_by_role("button", name=other, exact=True).count() == 1  # on every screen
        heading = page.locator("h1").inner_text()
        if heading == msg(lang, "review_title"):
            return
        q = next(q for q in RS.questions if q.text.get(lang) == heading)
        iv.asked.append(q.id)
        pick = picks.get(q.id)
        if pick == "?":
            click(page, msg(lang, "dont_know"))
            iv.facts = {k: v for k, v in iv.facts.items() if k not in q.facts}
            iv.dont_know |= set(q.facts)
        elif q.kind == "checklist":
            for item in q.items:
                if item.fact in (pick or []):
                    click(page, "☐ " + item.label.get(lang))
            click(page, msg(lang, "done"))
            iv.facts.update({i.fact: i.fact in (pick or []) for i in q.items})
        else:
            options = RS.choices(q, iv.facts, iv.as_of, lang)
            choice = next((c for c in options if c.id == pick), options[0])
            # The answer given before (back to this question) shows marked, as in the bot.
            marked = page.get_by_role("button", name="● " + choice.label, exact=True).count()
            click(page, ("● " if marked else "") + choice.label)
            iv.facts.update(choice.set)
            iv.dont_know -= set(q.facts)
        iv.settle()
    raise AssertionError("the interview did not reach the review")


def check_verdict(page: Any, iv: Interview) -> rules.Verdict:
    """The verdict on screen is the Python engine's for the same answers, with its citation."""
    click(page, msg(iv.lang, "see_result"))
    v = RS.evaluate(iv.facts, iv.as_of, iv.lang, frozenset(iv.dont_know))
    t = tr(iv.lang)
    # The lines of the mechanisms that concern the person, the most pressing first (in bold), as
    # the bot shows them; mobilization's headline when the screen is about it.
    lines = [render.mechanism_line(t, m) for m in render.mechanisms(v)]
    if lines:
        bold = render.mechanism_parts(t, render.mechanisms(v)[0])[0]
        assert page.locator("p.mechanisms strong").inner_text() == bold
        assert page.locator("p.mechanisms").inner_text().split("\n") == lines
    if render.focus(v) is v:
        assert page.locator("h1").inner_text() == t.gettext(render.OUTCOME_HEADLINE[v.outcome])
    shown = page.locator("main").inner_text()
    if v.applying:
        top = v.applying[0]
        assert top.title in shown
        assert top.citations[0].label in shown
        cite = page.get_by_role("link", name=top.citations[0].label).first
        if top.citations[0].url:
            assert cite.get_attribute("href") == top.citations[0].url
            assert cite.get_attribute("rel") == "noopener noreferrer"
    assert f"{v.rules_version}" in shown
    # The page's API gives the same answer as `rules.evaluate`.
    api = page.evaluate("([f, d, k]) => window.exemptRules.evaluate(f, d, k)",
                        [iv.facts, iv.as_of.isoformat(), sorted(iv.dont_know)])
    assert api["outcome"] == v.outcome
    assert [(g["id"], g["status"]) for g in api["grounds"]] == [(g.id, g.status) for g in v.grounds]
    return v


def nothing_stored(b: Browser) -> None:
    assert b.context.cookies() == []
    stored = b.page.evaluate("""async () => [
        localStorage.length, sessionStorage.length,
        (await indexedDB.databases()).length, document.cookie,
        (await caches.keys().catch(() => [])).length]""")
    assert stored == [0, 0, 0, "", 0]
    assert b.attempted == []
    assert b.errors == []


def test_the_file_is_self_contained_and_forbids_connections(page_file: Path) -> None:
    html = page_file.read_text(encoding="utf-8")
    assert len(html.encode()) <= BUDGET
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp is not None
    policy = csp.group(1)
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    # Nothing that loads: no external script, style, image, frame or font.
    assert not re.search(r"<(script|link|img|iframe|object|embed|source)[^>]*\b(src|href)=", html)
    for word in ("localStorage", "sessionStorage", "indexedDB", "document.cookie", "fetch(",
                 "XMLHttpRequest", "WebSocket", "sendBeacon"):
        assert word not in html, word


def father_of_four(page: Any) -> Interview:
    """A young reservist, fit, father of four, answered in Russian on the page up to the review."""
    click(page, msg("ru", "start"))
    iv = Interview("ru", rules.today_in_moscow())
    bands = RS.age_bands(iv.as_of)
    answer_questions(page, iv, {
        "sex": "male", "military_status": "reserve", "citizen": "citizen",
        "age": f"age_{bands[0][0]}_{bands[0][1]}", "rank": "soldier", "fitness": "a",
        "conviction": "none", "reserved_by_employer": "not_reserved", "student": "none",
        "children_under_16": "c4plus"})
    return iv


def test_a_russian_interview_reaches_a_cited_deferral_offline(browser: Browser) -> None:
    page = browser.page
    assert page.get_by_role("button", name="🌐 English", exact=True).count() == 1
    iv = father_of_four(page)
    assert iv.asked[:3] == ["sex", "military_status", "citizen"]
    v = check_verdict(page, iv)
    assert v.outcome == "deferral" and v.applying[0].id == "four_children"
    # Details one press away, and back to the result.
    click(page, msg("ru", "grounds"))
    assert RS.ground_by_id["four_children"].ground.explanation.ru in page.locator("main").inner_text()
    click(page, msg("ru", "to_result"))
    click(page, msg("ru", "caveats"))
    click(page, msg("ru", "to_result"))
    click(page, msg("ru", "todo"))
    assert v.steps[0].text in page.locator("main").inner_text()
    click(page, msg("ru", "to_result"))
    click(page, msg("ru", "privacy"))
    assert msg("ru", "offline_private") in page.locator("main").inner_text()
    nothing_stored(browser)


def test_the_documents_that_fit_open_as_a_sheet_to_print_or_copy(browser: Browser) -> None:
    """The verdict's "Documents" lists what the bot offers; a document opens as one sheet with
    the bot's text (its addressee, the law it cites) and printing shows that sheet alone."""
    page = browser.page
    iv = father_of_four(page)
    check_verdict(page, iv)
    v = papers.verdict_for(RS, iv.facts, iv.as_of, iv.dont_know)
    fits = papers.offered(RS, v)
    assert fits, "four children under 16 give a deferral a written request can claim"
    click(page, msg("ru", "documents"))
    titles = [f.document.doc.title.get("ru") for f in fits]
    assert page.locator("button.answer").all_inner_texts() == titles
    paper = papers.build(RS, v, fits[0].document.kind, "ru")
    assert paper is not None
    click(page, titles[0])
    sheet = page.locator("pre.sheet")
    text = sheet.inner_text()
    assert text.strip() == papers.plain_text(paper).strip()
    assert paper.to[0] in text and paper.basis in text and "ст." in paper.basis
    assert page.get_by_role("button", name=msg("ru", "print"), exact=True).count() == 1
    # "Copy the text": on the clipboard where the browser allows it, and selected either way.
    click(page, msg("ru", "copy_text"))
    page.wait_for_function("() => String(window.getSelection()).length > 0")
    assert page.evaluate("() => String(window.getSelection())").strip() == text.strip()
    # Printed (or saved as PDF), the sheet alone shows.
    page.emulate_media(media="print")
    assert sheet.is_visible()
    for hidden in ("header", "nav", "h1"):
        assert not page.locator(hidden).first.is_visible(), hidden
    page.emulate_media(media="screen")
    click(page, msg("ru", "back_page"))
    assert page.locator("button.answer").all_inner_texts() == titles
    nothing_stored(browser)


def test_an_english_interview_as_of_a_past_date_with_unknowns_back_and_a_change(
    browser: Browser,
) -> None:
    page = browser.page
    click(page, "🌐 English")
    assert page.locator("html").get_attribute("lang") == "en"
    day = dt.date(2022, 10, 10)
    page.locator("#as-of").fill(day.isoformat())
    click(page, msg("en", "offline_date_apply"))
    checking = msg("en", "as_of_past").format(date=tr("en").date(day))
    click(page, msg("en", "start"))
    iv = Interview("en", day)
    assert checking in page.locator("main").inner_text()
    # A first answer, taken back.
    click(page, RS.question_by_id["sex"].options[0].label.en)
    click(page, msg("en", "back"))
    assert page.locator("h1").inner_text() == RS.question_by_id["sex"].text.en
    assert checking in page.locator("main").inner_text()
    answer_questions(page, iv, {"sex": "male", "military_status": "?", "citizen": "?",
                                "fitness": "?", "student": "full_time"})
    assert "military_status" in iv.dont_know
    # The review lists every answer with a change button; change the first to a woman.
    review = page.locator("main").inner_text()
    assert msg("en", "dont_know") in review
    click(page, "✏️ 1")
    female = next(c for c in RS.choices(RS.question_by_id["sex"], {}, day, "en") if c.id == "female")
    click(page, female.label)
    iv.facts.update(female.set)
    iv.settle()
    answer_questions(page, iv, {"military_status": "reserve", "citizen": "citizen"})
    v = check_verdict(page, iv)
    assert v.as_of == "2022-10-10"
    assert tr("en").date(day) in page.locator("main").inner_text()
    nothing_stored(browser)


def headings(page: Any) -> list[str]:
    return [x.strip() for x in page.locator("main h2").all_inner_texts()]


def test_guides_follow_the_date_and_serving_men_get_the_service_screen(browser: Browser) -> None:
    """A summons in hand shows the guide's sections in force on the day checked; a man already
    serving gets the already-serving guide, never a call-up verdict."""
    page = browser.page
    day = dt.date(2022, 10, 10)
    page.locator("#as-of").fill(day.isoformat())
    click(page, msg("ru", "offline_date_apply"))
    click(page, msg("ru", "summons"))
    guide = RS.guide("summons", day)
    assert page.locator("h1").inner_text() == guide.title.ru
    assert headings(page) == [s.heading.ru for s in guide.sections]
    today = RS.guide("summons", rules.today_in_moscow())
    assert len(today.sections) != len(guide.sections)  # the date matters here
    click(page, msg("ru", "back"))
    click(page, msg("ru", "start"))
    click(page, RS.question_by_id["sex"].options[0].label.ru)
    serving = next(o for o in RS.question_by_id["military_status"].options
                   if o.set.get("military_status") == "serving_contract")
    click(page, serving.label.ru)
    service = RS.guide("already_serving", day)
    assert page.locator("h1").inner_text() == service.title.ru
    shown = page.locator("main").inner_text()
    assert not any(tr("ru").gettext(h) in shown for h in render.OUTCOME_HEADLINE.values())
    click(page, msg("ru", "change_answer"))
    assert page.locator("h1").inner_text() == RS.question_by_id["military_status"].text.ru
    nothing_stored(browser)


def test_the_page_cannot_connect_even_when_asked_to(browser: Browser) -> None:
    """The policy, not just the page's good manners: a fetch from inside is refused before any
    request is made."""
    result = browser.page.evaluate("""() => fetch('https://example.org/x')
        .then(() => 'connected', () => 'refused')""")
    assert result == "refused"
    assert browser.attempted == []
    browser.errors.clear()  # the refused fetch logs a CSP violation; that is the point
