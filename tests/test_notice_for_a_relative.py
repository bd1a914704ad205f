"""Finding P-16 (docs/findings-personas-2026-12.md): many ask about a son's or a husband's
summons, not their own. "What is this notice?" asks its questions without "you" (the summons may
be the asker's or a relative's), its serving lines say who signed or opened it without "you", and
its answer says once that the "you" of the lines below is the person the summons is addressed to;
the documents screen says that the person asked about signs them, not a relative. The same in
the bot's flow (Telegram and the terminal chat) and on the offline page (offline/model.js)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest

from interview import flow, render, screens
from interview import notice_screens as ns
from interview.html_text import to_plain
from interview.i18n import tr
from interview.state_codec import State
from interview.views import Screen, View
from offline.build import model_script
from tests.bot_harness import bundled_rules
from tests.jsengine import JSEngine
from tests.test_page_equals_bot import REPLAY
from tests.test_rules_personas_2026_12 import to_verdict, young_picks

RS = bundled_rules()  # loaded once per process, shared by the modules
ENV = flow.Env(RS, "test", ())
DEC_4 = dt.date(2026, 12, 4)
# Words that address the reader: "you", "your"; «вы», «вам», «вас», «ваш…»; "my", «мой…».
YOU = {"en": re.compile(r"\b(you|your|yours|my)\b", re.I),
       "ru": re.compile(r"(?<![а-яё])(вы|вам|вас|вами|ваш[а-яё]*|мо[йяеёи][а-яё]*)(?![а-яё])",
                        re.I)}
YOU_LINE = {"en": "“You” below means the person the summons is addressed to.",
            "ru": "Ниже «вы» — это тот, кому адресована повестка."}
SIGNS = {"en": "The person you asked about signs them personally, not a relative on their behalf.",
         "ru": "Подписывает их сам человек, о котором вы спрашивали, — не родственник за него."}
LANGS = ("en", "ru")

# The page's screens as text: the model's content trees flattened, a paragraph a line.
PAGE_TEXT = """
function flatText(node) {
  if (node === null || node === undefined) return "";
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map(flatText).join("");
  var inner = node.k.map(flatText).join("");
  return /^(p|h1|h2|h3|li|div)$/.test(node.t) ? inner + "\\n" : inner;
}
function screenText(v) { return v.body.map(flatText).join(""); }
function buttonsOf(M) {
  var all = [];
  M.view().rows.forEach(function (row) { row.forEach(function (b) { if (!b.slot) all.push(b); }); });
  return all;
}
function pressId(M, id) {
  var found = buttonsOf(M).filter(function (b) { return b.id === id; })[0];
  if (!found) throw new Error("no button " + id);
  return M.press(found);
}
function pressAnswer(M, n) {
  return M.press(buttonsOf(M).filter(function (b) { return b.cls === "answer"; })[n]);
}
// "What is this notice?" from the greeting: the question screens and the answer, as text.
function noticeWalk(lang, asOf, source, purpose, ago) {
  var M = exemptModel(E, PAGE, lang, asOf), out = [];
  out.push(screenText(pressId(M, "notice")));
  out.push(screenText(pressAnswer(M, source)));
  out.push(screenText(pressAnswer(M, purpose)));
  var answer = pressAnswer(M, ago);
  out.push(screenText(answer));
  out.push(screenText(pressId(M, "notice_law")));
  return out;
}
// The bot's presses to the verdict (test_page_equals_bot's replay), then its documents screen.
function documentsText(lang, asOf, presses, shared) {
  var M = exemptModel(E, PAGE, lang, asOf);
  presses.forEach(function (p) {
    M.press(buttonsOf(M).filter(function (b) { return shared.indexOf(b.id || null) >= 0; })[p]);
  });
  return screenText(pressId(M, "documents"));
}
"""


@pytest.fixture(scope="module")
def page() -> Iterator[JSEngine]:
    with JSEngine(RS) as js:
        js.load(model_script(RS, "ru") + "\nE = exemptEngine(EXEMPT_COMPILED);" + REPLAY
                + PAGE_TEXT)
        yield js


def text(view: View) -> str:
    return "\n".join(to_plain(t) for t in view.texts)


def answers(view: View) -> list[State]:
    return [b.state for row in view.buttons for b in row
            if b.kind == "answer" and b.state is not None]


def bot_walk(lang: str, source: int, purpose: int, ago: int) -> list[str]:
    """The bot's notice screens for the source, purpose and day (0-based places; a day of -1:
    "I don't know the date"), as text: the three questions, the answer's dates and its law."""
    state = ns.start(flow.new_state(RS, lang, DEC_4, 1, Screen.GREETING))
    out = []
    for pick in (source, purpose, ago):
        view = flow.press(ENV, state)
        out.append(text(view))
        chosen = (answers(view)[pick] if pick >= 0 else
                  next(b.state for row in view.buttons for b in row if b.nav == "dont_know_date"))
        assert chosen is not None
        state = chosen
    view = flow.press(ENV, state)
    out.append(text(view))
    law = next(b.state for row in view.buttons for b in row if b.nav == "notice_law")
    assert law is not None
    out.append(text(flow.press(ENV, law)))
    return out


def sources_and_purposes() -> tuple[int, int]:
    book = RS.notices
    assert book is not None
    return len(book.data.sources), len(book.data.purposes)


@pytest.mark.parametrize("lang", LANGS)
def test_the_notice_questions_do_not_say_you_so_a_mother_can_answer_them(lang: str) -> None:
    n_sources, n_purposes = sources_and_purposes()
    for source in range(n_sources):
        where, what, when, *_ = bot_walk(lang, source, 0, 1)
        for question in (where, what, when):
            assert not YOU[lang].search(question), question
    # The answers offered are the summons's, not the asker's ("On paper, against my signature").
    book = RS.notices
    assert book is not None
    labels = [c.label.get(lang) for c in [*book.data.sources, *book.data.purposes]]
    assert not [x for x in labels if YOU[lang].search(x.replace("I don't know", ""))], labels
    assert n_purposes > 1


@pytest.mark.parametrize("lang", LANGS)
def test_the_serving_lines_do_not_say_you_and_the_answer_says_whom_you_means(lang: str) -> None:
    n_sources, _ = sources_and_purposes()
    book = RS.notices
    assert book is not None
    served = [line for line in book.data.dates if line.id.startswith("served_")]
    assert {line.id for line in served} >= {"served_paper", "served_post", "served_register"}
    for line in served:
        for shown in (line.text, line.rule):
            if shown is not None:
                assert not YOU[lang].search(shown.get(lang)), (line.id, shown.get(lang))
    for source in range(n_sources):
        for ago in (0, 7, -1):  # the serving lines with a date, and without one
            *_, dates, law = bot_walk(lang, source, 1, ago)
            for answer in (dates, law):
                # Once, above the lines, which may say "you" (to report, the bans).
                assert answer.count(YOU_LINE[lang]) == 1, answer
                assert answer.index(YOU_LINE[lang]) < answer.index("• "), answer


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_asks_and_answers_the_notice_in_the_same_words(page: JSEngine,
                                                                lang: str) -> None:
    n_sources, _ = sources_and_purposes()
    for source in range(n_sources):
        bot = bot_walk(lang, source, 1, 3)
        got = page.call("noticeWalk", lang, DEC_4.isoformat(), source, 1, 3)
        t = tr(lang)
        where, what, when, dates, law = got
        assert t.gettext("Where did it come from?") in where
        assert t.gettext("What is it for?") in what
        assert t.gettext("On what day was it posted in the register or handed over?") in when
        for question in (where, what, when):
            assert not YOU[lang].search(question), question
        for answer in (dates, law):
            assert answer.count(YOU_LINE[lang]) == 1, answer
        # The bot's question lines, word for word.
        for bot_screen, page_screen in zip(bot[:3], got[:3], strict=True):
            bot_lines = [ln for ln in bot_screen.splitlines()[3:] if ln.strip()]
            assert all(ln in page_screen for ln in bot_lines), (bot_lines, page_screen)


@pytest.mark.parametrize("lang", LANGS)
def test_the_documents_screen_says_the_person_signs_them_not_a_relative(page: JSEngine,
                                                                       lang: str) -> None:
    t = tr(lang)
    assert SIGNS[lang] in to_plain(render.documents_screen(t, ["x"]))
    # In the flow: an objector's verdict offers the application for alternative service.
    bot, presses = to_verdict(lang, DEC_4, young_picks(conscientious_objector="objector"))
    documents = next(b for b in bot.buttons() if b.nav == "documents")
    bot.press(documents)
    shown = text(bot.view)
    assert SIGNS[lang] in shown, shown
    everyone = [None, *(bid for bid in screens.NAV if screens.channel_of(bid) is None)]
    on_page = page.call("documentsText", lang, DEC_4.isoformat(), presses, everyone)
    assert SIGNS[lang] in on_page, on_page
