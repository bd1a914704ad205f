"""The offline page asks and shows what the bot does: random walks press the same buttons in the
bot's flow (interview/flow.py, as Telegram and the terminal chat drive it) and in the page's model
(offline/model.js, the page's script without its DOM renderer, run in V8 from PyPI: mini-racer,
not a system Node), and every screen must match: which screen, the question asked and its
progress line, the buttons' labels in order, the answers on the review, the verdict's headline and
the grounds it names, and a written document's title and whole text (the bot sends it as a PDF,
the page shows it as a sheet to print).

Buttons only one channel offers are left out of the comparison exactly as interview/screens.py
marks them (the bot's "file" and "delete" buttons and its page turns; the page's date form,
"About this page", a document's "Print" and "Copy" and the "Back" from a page). A page the bot
opens as a new message leaves the message it came from in the chat; the page's "Back" returns to
it, so the walk does too."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import os
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

import rules
from interview import flow, render, screens
from interview.html_text import to_plain
from interview.i18n import tr
from interview.papers import plain_text
from interview.state_codec import State, code_value
from interview.views import Button, Screen, View
from offline.build import model_script
from tests.bot_harness import bundled_rules
from tests.jsengine import JSEngine

RS = bundled_rules()  # loaded once per process, shared by the modules
ENV = flow.Env(RS, "test", ())
# 2,000 walks (about 44,000 screens) take ~90 s of CPU, since the question counts explore the
# planner's tree on both sides (interview/progress.py, offline/progress.js): they run in chunks of
# 500 seeds, which the suite's workers share. PAGE_EQUALS_BOT_WALKS sets the total.
WALKS = int(os.environ.get("PAGE_EQUALS_BOT_WALKS", "2000"))
CHUNK = 500
MAX_STEPS = 40
# As-of dates across the rule base's history: the mobilization's first weeks, its aftermath, the
# years since, and today.
TODAY = rules.today_in_moscow()
DATES = [dt.date(2022, 9, 22), dt.date(2022, 12, 30), dt.date(2024, 10, 1), dt.date(2026, 3, 1),
         rules.today_in_moscow()]
QUESTION_SCREENS = (Screen.ANSWER, Screen.TOGGLE, Screen.DONT_KNOW, Screen.CHECK_DONE)

# Replays a walk's presses on the page's model in one call: the screen after each, as data.
REPLAY = """
function probe(v) {
  var buttons = [];
  v.rows.forEach(function (row) {
    row.forEach(function (b) { if (!b.slot) buttons.push([b.id || null, b.label]); });
  });
  return {kind: v.kind, question: v.question || null, progress: v.progress || null,
          answers: v.answers || null,
          mechanisms: v.mechanisms || null, note: v.note || null,
          headline: v.kind === "paper" ? v.body[0].k[0] : v.headline || null,
          why: v.kind === "paper" ? [v.text] : v.why || null,
          buttons: buttons};
}
function replay(lang, asOf, presses, shared) {
  var M = exemptModel(E, PAGE, lang, asOf), seen = [probe(M.view())];
  try {
    presses.forEach(function (p) {
      var all = seen[seen.length - 1].buttons, index = -1;
      if (p === "back_page") index = all.map(function (b) { return b[0]; }).indexOf("back_page");
      else index = all.map(function (b, i) { return shared.indexOf(b[0]) >= 0 ? i : -1; })
                      .filter(function (i) { return i >= 0; })[p];
      if (index === undefined || index < 0) throw new Error("no button " + p);
      seen.push(probe(M.press(index)));
    });
  } catch (e) {
    seen.push({error: String(e && e.stack || e)});
  }
  return seen;
}
"""


@pytest.fixture(scope="module")
def page() -> Iterator[JSEngine]:
    """The page's script but its renderer (the data, the engine, the model) in one V8 context."""
    with JSEngine(RS) as js:
        js.load(model_script(RS, "ru") + "\nE = exemptEngine(EXEMPT_COMPILED);" + REPLAY)
        yield js


@dataclass
class Screenful:
    """What a person sees on one screen, in the terms both channels share."""

    kind: str
    question: str | None
    progress: str | None
    headline: str | None
    why: list[str] | None
    labels: list[str]
    answers: list[str] | None = None  # the review's, in order
    mechanisms: list[str] | None = None  # the verdict's opening lines, one per mechanism
    note: str | None = None  # the verdict's sentence under its headline (render.OUTCOME_DETAIL)


# --- the bot --------------------------------------------------------------------------------------


def shared(button_id: str | None) -> bool:
    """Whether a button counts in the comparison: every channel shows it (answers included)."""
    return not button_id or screens.channel_of(button_id) is None


@dataclass
class Bot:
    """The flow as Telegram drives it: each press is the state a button carries; a page opened
    as a new message keeps the message above (and its state) in the chat."""

    state: State
    view: View
    above: State | None = None  # the message a page was opened below

    def buttons(self) -> list[Button]:
        return [b for row in self.view.buttons for b in row
                if b.state is not None and shared(b.nav)]

    def press(self, button: Button) -> None:
        assert button.state is not None
        nxt = flow.press(ENV, button.state)
        if nxt.new_message and nxt.delete_range is None:
            self.above = self.above or self.state
        elif not any(b.nav == "start_questions" for row in nxt.buttons for b in row):
            self.above = None  # the page below was left for the questions
        self.state, self.view = button.state, nxt

    def back_from_page(self) -> None:
        """The page's "Back": the message above, in the language chosen since."""
        assert self.above is not None
        lang = self.view_lang()
        self.state = dataclasses.replace(self.above, lang=lang)
        self.view, self.above = flow.press(ENV, self.state), None

    def view_lang(self) -> str:
        return next((b.state.lang for b in self.buttons() if b.nav != "lang" and b.state),
                    self.state.lang)  # a document has no buttons

    def seen(self) -> Screenful:
        navs = {b.nav for row in self.view.buttons for b in row}
        texts = [to_plain(t) for t in self.view.texts]
        asking = next((b.state for b in self.buttons()
                       if b.state and b.state.screen in QUESTION_SCREENS), None)
        question = progress = headline = why = answers = note = None
        mechanisms: list[str] | None = None
        if self.state.screen == Screen.NOTICE:  # "What is this notice?" (notice_screens.py)
            kind = ("notice_answer" if "another_notice" in navs else
                    "notice_date" if "dont_know_date" in navs else "notice_question")
            if kind == "notice_answer":  # the mechanism and every line, dates computed
                headline = texts[0].splitlines()[5]
                why = re.findall(r"^• (.*)$", texts[0], flags=re.M)
        elif self.view.paper is not None:  # a document (the page's print view): its whole text
            kind, headline, why = "paper", self.view.paper.title, [plain_text(self.view.paper)]
        elif asking is not None:
            q = flow.question_of(RS, asking.question)
            assert q is not None
            kind, question, progress = "question", q.id, texts[0].splitlines()[1]
        elif "see_result" in navs:
            kind = "review"
            answers = [html.unescape(a) for a in
                       re.findall(r"^ +→ <b>(.*?)</b>$", self.view.texts[0], flags=re.M)]
            # "I don't know", on one line with the numbers of those questions.
            answers += [f"{n} → {html.unescape(a)}" for n, a in
                        re.findall(r"^(\d[\d–, ]*) → <b>(.*?)</b>$", self.view.texts[0], flags=re.M)]
        elif self.view.outcome == "serving":
            kind = "service"
        elif self.view.outcome is not None:
            kind = "verdict"
            # One line per mechanism that concerns the person, then (when the screen is about
            # mobilization) an empty line and its headline; otherwise the first line heads it.
            shown = texts[0].splitlines()
            names = [tr(self.view_lang()).gettext(n) + ": "
                     for n in render.MECHANISM_NAMES.values()]
            end = 1
            while end < len(shown) and any(shown[end].startswith(n) for n in names):
                end += 1
            mechanisms = shown[1:end]
            mobilization = tr(self.view_lang()).gettext(render.MECHANISM_NAMES["mobilization"])
            bold = re.match(r"<b>(.*?)</b>", self.view.texts[0].split("\n")[1])
            headline = (shown[1] if not mechanisms else shown[end + 1]
                        if mechanisms[0].startswith(mobilization + ": ")
                        else html.unescape(bold.group(1)) if bold else None)
            why = [html.unescape(t) for t in
                   re.findall(r"^• <b>(.*?)</b>", self.view.texts[0], flags=re.M)]
            # No ground leads when "I don't know" alone left every open one open: a line says so.
            blind = tr(self.view_lang()).gettext(render.BLIND_LINE)
            if html.escape(blind, quote=False) in self.view.texts[0]:
                why.insert(0, blind)
            notes = {tr(self.view_lang()).gettext(n) for n in render.OUTCOME_DETAIL.values()}
            note = next((line for line in shown if line in notes), None)
        elif "to_result" in navs:
            kind = "detail"
        elif "start_questions" in navs:
            kind = "page"
        elif "start" in navs:
            kind = "greeting"
        else:
            kind = "other"
        return Screenful(kind, question, progress, headline, why,
                         [b.label for b in self.buttons()], answers, mechanisms, note)


# --- the page -------------------------------------------------------------------------------------


def page_screens(js: JSEngine, lang: str, as_of: dt.date, presses: list[int | str]
                 ) -> list[Screenful | str]:
    """The page's screens for the same presses: the n-th shared button, or "back_page"."""
    # Buttons with no id (answers, numbered changes) and those every channel shows count.
    everyone = [None, *(bid for bid in screens.NAV if screens.channel_of(bid) is None)]
    raw = js.call("replay", lang, as_of.isoformat(), presses, everyone)
    return [r["error"] if "error" in r else Screenful(
        r["kind"], r["question"], r["progress"], r["headline"], r["why"],
        [label for bid, label in r["buttons"] if shared(bid)], r["answers"], r["mechanisms"],
        r["note"]) for r in raw]


# --- the walk -------------------------------------------------------------------------------------


def weight(button: Button) -> float:
    """Mostly answer and go on; sometimes don't know, change, go back, switch language, restart,
    open a page or a detail."""
    if button.kind == "answer":
        return 2.0 if button.nav == "dont_know" else 8.0
    if button.kind == "change":
        return 0.8
    return {"see_result": 12.0, "lang": 0.6, "restart": 0.3, "start": 6.0,
            "start_questions": 2.0, "back": 1.2, "change_answer": 2.0}.get(button.nav, 1.0)


def walk(js: JSEngine, seed: int) -> tuple[str, list[tuple[str, Screenful]],
                                             list[Screenful | str]]:
    """A random walk through the bot, then the same presses on the page: (where it started, the
    bot's screens with the button pressed on each, the page's screens)."""
    rng = random.Random(seed)
    lang, as_of = rng.choice(["ru", "en"]), rng.choice(DATES)
    start = flow.new_state(RS, lang, as_of, 0, Screen.GREETING)
    bot = Bot(start, flow.press(ENV, start))
    trail: list[tuple[str, Screenful]] = []
    presses: list[int | str] = []
    for _ in range(MAX_STEPS):
        seen = bot.seen()
        if seen.kind == "verdict" and rng.random() < 0.3:
            break
        buttons = bot.buttons()
        # A page opened below: the page's own "Back" returns to the screen it came from.
        weights = [weight(b) for b in buttons] + ([1.5] if bot.above is not None else [])
        choice = rng.choices(range(len(weights)), weights)[0]
        if choice == len(buttons):
            trail.append(("(the page's Back)", seen))
            presses.append("back_page")
            bot.back_from_page()
        else:
            trail.append((buttons[choice].label, seen))
            presses.append(choice)
            bot.press(buttons[choice])
    trail.append(("", bot.seen()))
    return f"seed {seed}: {lang}, as of {as_of}", trail, page_screens(js, lang, as_of, presses)


def scripted(js: JSEngine, lang: str, as_of: dt.date, labels: list[str]
             ) -> tuple[list[tuple[str, Screenful]], list[Screenful | str]]:
    """The bot and the page, each pressing the buttons labelled so in turn."""
    start = flow.new_state(RS, lang, as_of, 0, Screen.GREETING)
    bot = Bot(start, flow.press(ENV, start))
    trail: list[tuple[str, Screenful]] = []
    presses: list[int | str] = []
    for wanted in labels:
        buttons = bot.buttons()
        index = next((n for n, b in enumerate(buttons) if b.label == wanted), -1)
        assert index >= 0, (trail[-1:], wanted, [b.label for b in buttons])
        trail.append((wanted, bot.seen()))
        presses.append(index)
        bot.press(buttons[index])
    trail.append(("", bot.seen()))
    return trail, page_screens(js, lang, as_of, presses)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_i_dont_know_man_and_changes_from_the_review_are_the_same_on_the_page(
        page: JSEngine, lang: str) -> None:
    """The persona findings' new screens (P-10, P-11, P-20): "I don't know" to everything, the
    review's one line for them and a verdict no ground leads; then a ✏️, its Back to the review,
    a changed answer and Back again."""
    t = tr(lang)
    dont_know, back, result = t.gettext("I don't know"), t.gettext("◀ Back"), t.gettext(
        "✅ See the result")
    man = RS.answer_label(RS.question_by_id["sex"], {"sex": "male"}, TODAY, lang) or ""
    to_review = [t.gettext("▶ Start"), man] + [dont_know] * 22
    trail, _ = scripted(page, lang, TODAY, to_review)
    assert trail[-1][1].kind == "review" and trail[-1][1].answers == [man, "2–23 → " + dont_know]
    trail, _ = scripted(page, lang, TODAY, [*to_review, result])
    assert trail[-1][1].why and trail[-1][1].why[0] == t.gettext(render.BLIND_LINE)
    conscript = RS.answer_label(RS.question_by_id["military_status"],
                                {"military_status": "not_in_reserve"}, TODAY, lang) or ""
    changes = ["✏️ 22", back, "✏️ 3", back, "✏️ 1", back, "✏️ 2", conscript, back, back]
    for walked in ([*to_review, result], [*to_review, *changes]):
        trail, theirs = scripted(page, lang, TODAY, walked)
        for n, (_pressed, mine) in enumerate(trail):
            assert n < len(theirs) and theirs[n] == mine, (
                [p for p, _ in trail[:n]], "bot:", mine, "page:",
                theirs[n] if n < len(theirs) else "nothing")


def test_the_page_offers_exactly_what_the_description_allows() -> None:
    """Every button only one channel shows is marked so in the description, with the reason."""
    for bid, nav in screens.NAV.items():
        assert (nav.only is None) == (nav.why == ""), bid
    for kind, rows in screens.SCREENS.items():
        for row in rows:
            slots = [b for b in row if b.startswith("@")]
            assert not slots or row == (slots[0],), (kind, row)  # a slot stands alone
            assert all(b.startswith("@") or b in screens.NAV for b in row), (kind, row)


@pytest.mark.parametrize("chunk", range(max(1, -(-WALKS // CHUNK))))
def test_random_walks_see_the_same_screens_on_the_page_and_in_the_bot(page: JSEngine,
                                                                       chunk: int) -> None:
    kinds: dict[str, int] = {}
    outcomes: set[str | None] = set()
    firsts: set[str] = set()  # the mechanisms seen first on a verdict
    steps = 0
    seeds = range(chunk * CHUNK, min(WALKS, (chunk + 1) * CHUNK))
    for seed in seeds:
        where, trail, theirs = walk(page, seed)
        steps += len(trail)
        for n, (_pressed, mine) in enumerate(trail):
            assert n < len(theirs) and theirs[n] == mine, (
                where, [p for p, _ in trail[:n]], "bot:", mine, "page:",
                theirs[n] if n < len(theirs) else "nothing")
            kinds[mine.kind] = kinds.get(mine.kind, 0) + 1
            if mine.kind == "verdict":
                outcomes.add(mine.headline)
                firsts.add((mine.mechanisms or ["-"])[0].split(":")[0])
    # The walks went everywhere that matters: every kind of screen, several outcomes.
    assert {"greeting", "question", "review", "verdict", "detail", "page", "service",
            "notice_question", "notice_date", "notice_answer", "paper"} <= set(kinds)
    assert len(outcomes) >= 4 if len(seeds) >= 500 else len(outcomes) >= 2, outcomes
    assert len(firsts) >= 2 if len(seeds) >= 500 else firsts, firsts
    print(f"{len(seeds)} walks, {steps} screens: {kinds}; first mechanisms {sorted(firsts)}")


def test_the_page_never_calls_itself_a_bot(page: JSEngine) -> None:
    """Nothing the page shows says "bot" (or «бот») but where it names the Telegram bot as
    somewhere else: where a newer copy comes from, and its official addresses."""
    for lang in ("ru", "en"):
        texts: dict[str, str] = page.value(f"PAGE.texts.{lang}.m")
        elsewhere = [texts["offline_newer"], texts["handles"]]
        for key, text in texts.items():
            if text not in elsewhere:
                assert not re.search(r"\bbots?\b|\bбот", text, flags=re.I), (lang, key, text)
        # What the page's own screens show: the greeting, privacy, about (and a bad date).
        shown = page.value(f"""(function () {{
            var M = exemptModel(E, PAGE, '{lang}', E.today()), out = [M.view()];
            var find = function (id) {{
              return [].concat.apply([], M.view().rows).filter(function (b) {{ return b.id === id; }})[0];
            }};
            ["privacy", "about_page"].forEach(function (id) {{
              out.push(JSON.parse(JSON.stringify(M.press(find(id)))));
              M.press(find("back_page"));
            }});
            out.push({{error: M.setAsOf("1999-01-01")}});
            return out;
        }})()""")
        assert [v.get("kind") for v in shown] == ["greeting", "page", "page", None]
        words = json.dumps(shown, ensure_ascii=False)
        for text in elsewhere:
            words = words.replace(json.dumps(text, ensure_ascii=False)[1:-1], "")
        assert not re.search(r"\bbots?\b|\bбот", words, flags=re.I), (lang, words)
        assert texts["offline_date_bad"] in words


# --- directed walks: verdicts the random walks seldom reach -----------------------------------------


def directed(js: JSEngine, lang: str, as_of: dt.date, wanted: dict[str, object]
             ) -> tuple[Screenful, Screenful | str]:
    """Answer every question as `wanted` says ("no" where it says nothing, else the first
    answer; every checklist item it sets true ticked), then see the result: the bot's verdict
    and the page's."""
    start = flow.new_state(RS, lang, as_of, 0, Screen.GREETING)
    bot = Bot(start, flow.press(ENV, start))
    presses: list[int | str] = []

    def pick(buttons: list[Button]) -> int:
        navs = [b.nav for b in buttons]
        for nav in ("start", "start_questions", "see_result"):
            if nav in navs:
                return navs.index(nav)
        states = [b.state for b in buttons]
        toggles = [n for n, s in enumerate(states) if s and s.screen == Screen.TOGGLE
                   and wanted.get(flow.FACT_KEYS[s.option]) is True
                   and bot.state.facts_dict().get(flow.FACT_KEYS[s.option]) is not True]
        if toggles:
            return toggles[0]
        done = [n for n, s in enumerate(states) if s and s.screen == Screen.CHECK_DONE]
        if done:
            return done[0]
        answers = [(n, s) for n, s in enumerate(states) if s and s.screen == Screen.ANSWER]
        key = flow.FACT_KEYS[answers[0][1].question - 1]
        values = [code_value(key, s.option) for _, s in answers]
        want = wanted.get(key, False if False in values else values[0])
        return next((n for (n, _), v in zip(answers, values, strict=True)
                     if v == want and type(v) is type(want)), answers[0][0])

    for _ in range(MAX_STEPS):
        if bot.seen().kind == "verdict":
            break
        choice = pick(bot.buttons())
        presses.append(choice)
        bot.press(bot.buttons()[choice])
    mine = bot.seen()
    assert mine.kind == "verdict", (wanted, mine)
    return mine, page_screens(js, lang, as_of, presses)[-1]


RESERVIST_28 = {"sex": "male", "citizen": True, "military_status": "reserve", "rank": "soldier",
                "fitness": "A", "conviction": False, "student": False, "children_under_16": 0,
                "reserved_by_employer": False, "sector": "other", "abroad": False}


@pytest.mark.parametrize(("as_of", "wanted", "outcome"), [
    # Today a reservist's assemblies lead; mobilization's "can be called up" needs its "if".
    (rules.today_in_moscow(), RESERVIST_28, "subject"),
    # In October 2022 mobilization leads: its headline and the sentence under it.
    (dt.date(2022, 10, 10), RESERVIST_28, "subject"),
    (dt.date(2022, 10, 10), {**RESERVIST_28, "sector": "it", "accredited_employer": True,
      "higher_education": True, "on_employer_list": True},
     "conditional"),
])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_sentence_under_the_headline_is_the_same_on_the_page(
        page: JSEngine, lang: str, as_of: dt.date, wanted: dict[str, object],
        outcome: str) -> None:
    mine, theirs = directed(page, lang, as_of, wanted)
    assert mine.note == tr(lang).gettext(render.OUTCOME_DETAIL[outcome]), mine
    assert theirs == mine
