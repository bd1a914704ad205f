"""The interview as a function of the pressed button: state in, view out. No legal logic here:
the rules module says what to ask next and what the verdict is; no I/O and nothing stored."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from rules import FACTS, FactsError, RuleSet, today_in_moscow, validate_facts
from rules.models import Question

from . import progress, render
from .html_text import esc
from .i18n import Tr, tr
from .state_codec import State, code_value, value_code
from .views import NEW_MESSAGE, PAGE_PART, Button, Detail, Page, Screen, View

FACT_KEYS: tuple[str, ...] = tuple(FACTS)
FACT_INDEX: dict[str, int] = {k: i for i, k in enumerate(FACT_KEYS)}
FRESH = 1  # the VERDICT option of the review's "see the result" (not a re-render): counted once
PAGE_NAMES = {Page.HELP: "help", Page.PRIVACY: "privacy", Page.SOURCES: "sources",
              Page.ABOUT: "about", Page.CALLED_UP: "called_up", Page.LANGUAGE: "language",
              Page.GET_HELP: "get_help", Page.SUMMONS: "summons"}
ALSO_UNKNOWN = progress.ALSO_UNKNOWN
SERVING = progress.SERVING
GUIDE_PAGES = (Page.CALLED_UP, Page.SUMMONS)  # the pages of guides.yaml
GUIDE_DETAILS = (Detail.SUMMONS, Detail.SERVICE)  # the same guides under the verdict


@dataclass(frozen=True)
class Env:
    """What the flow needs besides the pressed state: the rule base read once per update."""

    rules: RuleSet
    version: str = ""
    handles: Sequence[str] = ()


def question_code(q: Question) -> int:
    return FACT_INDEX[q.facts[0]] + 1


def question_of(rs: RuleSet, code: int) -> Question | None:
    if not 1 <= code <= len(FACT_KEYS):
        return None
    key = FACT_KEYS[code - 1]
    return next((q for q in rs.questions if q.facts and q.facts[0] == key), None)


def new_state(rs: RuleSet, lang: str, as_of: dt.date, first_message_id: int,
              screen: Screen = Screen.ASK) -> State:
    return State(lang=lang, screen=int(screen), rules_version=rs.version, question=0, option=0,
                 facts={}, dont_know=frozenset(), as_of=as_of,
                 first_message_id=first_message_id)


def _with(state: State, screen: Screen, question: int = 0, option: int = 0, **changes: object
          ) -> State:
    return dataclasses.replace(state, screen=int(screen), question=question, option=option,
                               **changes)  # type: ignore[arg-type]


def _bare(state: State, screen: Screen, option: int = 0) -> State:
    """A state that carries no answers: for pages, which do not need them."""
    return _with(state, screen, option=option, facts={}, dont_know=frozenset())


def lang_toggle(state: State) -> Button:
    other = "en" if state.lang == "ru" else "ru"
    label = "English" if other == "en" else "Русский"
    return Button(f"🌐 {label}", dataclasses.replace(state, lang=other), kind="lang", key="l")


# --- entry ---------------------------------------------------------------------------------------


def press(env: Env, state: State) -> View:
    """The view a button press leads to."""
    rs = env.rules
    t = tr(state.lang)
    if state.rules_version != rs.version:
        upgraded = _upgrade(rs, state)
        if upgraded is None:
            fresh = new_state(rs, state.lang, state.as_of, state.first_message_id, Screen.RESTART)
            return View(
                [render.neutral_header(t) + "\n\n" + esc(t.gettext(
                    "The rules have been updated since these buttons were made, and some "
                    "answers no longer fit. Please start again."))],
                [[Button(t.gettext("Start again"), fresh)]],
                alert=t.gettext("The rules have been updated."),
            )
        state = upgraded
    screen = Screen(state.screen)
    if screen == Screen.GREETING:
        return greeting(env, state)
    if screen == Screen.PAGE:
        opens_new = state.option >= NEW_MESSAGE
        option = state.option % NEW_MESSAGE
        try:
            which = Page(option % PAGE_PART)
        except ValueError:
            return _stale(env, state)
        return page(env, state, which, new_message=opens_new, part=option // PAGE_PART)
    if screen == Screen.DELETE:
        return _delete(env, state)
    if screen == Screen.RESTART:
        return ask(env, _with(state, Screen.ASK, facts={}, dont_know=frozenset()))
    if screen == Screen.ASK:
        return ask(env, state, question_of(rs, state.question))
    if screen == Screen.REVIEW:
        return review(env, state)
    if screen == Screen.VERDICT:
        return verdict(env, state)
    if screen == Screen.DETAIL:
        return detail(env, state)
    if screen == Screen.BACK:
        return _back(env, state)
    return _answer(env, state, screen)


def _upgrade(rs: RuleSet, state: State) -> State | None:
    """Buttons made under an older rule base continue when every answer is still offered."""
    for key, value in state.facts.items():
        q = next((q for q in rs.questions if key in q.facts), None)
        if q is None:
            return None
        if q.kind == "choice" and not any(o.set.get(key) == value and
                                          type(o.set.get(key)) is type(value) for o in q.options):
            return None
    try:
        validate_facts(state.facts, state.as_of)
    except FactsError:
        return None
    if state.screen in (Screen.ANSWER, Screen.DONT_KNOW, Screen.TOGGLE, Screen.CHECK_DONE,
                        Screen.ASK) and state.question and question_of(rs, state.question) is None:
        return None
    return dataclasses.replace(state, rules_version=rs.version)


# --- transitions -----------------------------------------------------------------------------------


def _answer(env: Env, state: State, screen: Screen) -> View:
    rs = env.rules
    q = question_of(rs, state.question)
    if q is None:
        return _stale(env, state)
    facts = state.facts_dict()
    dont_know = set(state.dont_know)
    if screen == Screen.ANSWER:
        key = FACT_KEYS[state.question - 1]
        try:
            value = code_value(key, state.option)
        except ValueError:
            return _stale(env, state)
        choice = next((c for c in rs.choices(q, facts, state.as_of, state.lang)
                       if c.set.get(key) == value and type(c.set.get(key)) is type(value)), None)
        if choice is None:
            return _stale(env, state)
        for k in q.facts:
            facts.pop(k, None)
            dont_know.discard(k)
        facts.update(choice.set)
    elif screen == Screen.DONT_KNOW:
        if not q.dont_know:
            return _stale(env, state)
        for k in (*q.facts, *(x for f in q.facts for x in ALSO_UNKNOWN.get(f, ()))):
            facts.pop(k, None)
            dont_know.add(k)
    elif screen == Screen.TOGGLE:
        key = FACT_KEYS[state.option] if state.option < len(FACT_KEYS) else ""
        if key not in q.facts:
            return _stale(env, state)
        if facts.get(key) is True:
            facts.pop(key)
        else:
            facts[key] = True
        dont_know.difference_update(q.facts)
        # Stay on the checklist until "Done".
        return ask(env, _with(state, Screen.ASK, question_code(q), facts=facts,
                              dont_know=frozenset(dont_know)), q)
    elif screen == Screen.CHECK_DONE:
        for k in q.facts:
            facts.setdefault(k, False)
            dont_know.discard(k)
    else:
        return _stale(env, state)
    try:
        facts_v, dk = rs.relevant(facts, state.as_of, frozenset(dont_know))
    except FactsError:
        return _stale(env, state)
    return ask(env, _with(state, Screen.ASK, facts=facts_v, dont_know=dk))


def _back(env: Env, state: State) -> View:
    rs = env.rules
    path = rs.path(state.facts, state.as_of, state.dont_know)
    if not path:
        return greeting(env, _with(state, Screen.GREETING))
    last = rs.question_by_id[path[-1]]
    facts = {k: v for k, v in state.facts.items() if k not in last.facts}
    dont_know = frozenset(k for k in state.dont_know if k not in last.facts)
    return ask(env, _with(state, Screen.ASK, facts=facts, dont_know=dont_know))


def _stale(env: Env, state: State) -> View:
    t = tr(state.lang)
    fresh = _with(state, Screen.RESTART, facts={}, dont_know=frozenset())
    return View([render.neutral_header(t) + "\n\n" + esc(t.gettext(
        "This button no longer fits the questions. Please start again."))],
        [[Button(t.gettext("Start again"), fresh)]],
        alert=t.gettext("This button is out of date."))


def _delete(env: Env, state: State) -> View:
    t = tr(state.lang)
    text = "\n".join([
        render.neutral_header(t), "",
        esc(t.gettext("The messages of this conversation have been deleted.")),
        esc(t.gettext("What remains: messages older than 48 hours (Telegram does not "
                             "let a bot delete them) and the chat entry itself. To remove it, "
                             "hold the chat in the chat list, choose Delete and tick “Also "
                             "delete for …”. Do not tick “block bot”.")),
    ])
    return View([text], [[Button(t.gettext("Start again"), _with(
        state, Screen.RESTART, facts={}, dont_know=frozenset()))]], new_message=True,
        delete_range=(state.first_message_id, 0))


# --- views -----------------------------------------------------------------------------------------


def greeting(env: Env, state: State) -> View:
    t = tr(state.lang)
    state = _bare(state, Screen.GREETING)
    return View([render.greeting(t, progress.interview_range(env.rules, state.as_of))], [
        [Button(t.gettext("▶ Start"), _bare(state, Screen.RESTART), key="s")],
        [Button(t.gettext("Already serving or mobilized"),
                _bare(state, Screen.PAGE, Page.CALLED_UP + NEW_MESSAGE), key="a")],
        [Button(t.gettext("A summons in hand"),
                _bare(state, Screen.PAGE, Page.SUMMONS + NEW_MESSAGE), key="m"),
         Button(t.gettext("Get help"), _bare(state, Screen.PAGE, Page.GET_HELP + NEW_MESSAGE),
                key="h")],
        [offline_button(state)],
        [Button(t.gettext("Privacy"), _bare(state, Screen.PAGE, Page.PRIVACY + NEW_MESSAGE),
                key="p"),
         lang_toggle(state)],
    ])


def offline_button(state: State) -> Button:
    t = tr(state.lang)
    return Button(t.gettext("📄 A copy that works without Telegram (a file)"),
                  _bare(state, Screen.PAGE, Page.OFFLINE + NEW_MESSAGE))


def page(env: Env, state: State, which: Page, new_message: bool = False, part: int = 0) -> View:
    if which == Page.OFFLINE:  # the handler sends the document in the person's language
        return View([], new_message=True, offline=True)
    t = tr(state.lang)
    state = _bare(state, Screen.PAGE)
    buttons: list[list[Button]] = []
    if which == Page.CALLED_UP:  # on one phone screen, the details one press away
        parts = render.called_up_pages(t, env.rules, state.as_of)
        part = min(part, len(parts) - 1)
        text = parts[part]
        turn = []
        if part > 0:
            turn.append(Button(t.gettext("◀ Previous page"), _bare(
                state, Screen.PAGE, int(which) + PAGE_PART * (part - 1)), key="-"))
        if part + 1 < len(parts):
            turn.append(Button(t.gettext("Read on ▶"), _bare(
                state, Screen.PAGE, int(which) + PAGE_PART * (part + 1)), key="+"))
        if turn:
            buttons.append(turn)
    else:
        text = render.page(t, PAGE_NAMES[which], env.rules, version=env.version,
                           handles=env.handles, as_of=state.as_of)
    here = _bare(state, Screen.PAGE, int(which) + PAGE_PART * part)
    if which == Page.LANGUAGE:
        buttons.append([
            Button("Русский", dataclasses.replace(_bare(state, Screen.GREETING), lang="ru")),
            Button("English", dataclasses.replace(_bare(state, Screen.GREETING), lang="en")),
        ])
    else:
        start = _bare(state, Screen.RESTART)
        buttons.append([Button(t.gettext("▶ Start the questions"), start, key="s"),
                        lang_toggle(here)])
    if which in GUIDE_PAGES:  # a guide: where to get help is one press away from every entry
        buttons.insert(len(buttons) - 1, [Button(t.gettext("Get help"), _bare(
            state, Screen.PAGE, Page.GET_HELP), key="h")])
    return View([text], buttons, new_message=new_message)


def ask(env: Env, state: State, q: Question | None = None) -> View:
    """Show question `q`, or the planner's next; the review when nothing is left to ask."""
    rs = env.rules
    facts, dont_know = state.facts, state.dont_know
    if facts.get("military_status") == SERVING:
        return service(env, state)
    snap = rs.snapshot(facts, state.as_of, dont_know)
    if q is None:
        q = snap.next
        if q is None:
            return review(env, _with(state, Screen.REVIEW))
    t = tr(state.lang)
    path = snap.path
    number = path.index(q.id) + 1 if q.id in path else len(path) + 1
    # "of at most M": the longest the interview can still be, so the total never grows.
    total = max(number, progress.total_bound(rs, facts, dont_know, state.as_of, q, number - 1))
    qcode = question_code(q)
    here = _with(state, Screen.ASK, qcode)
    rows: list[list[Button]] = []
    current = rs.answer_label(q, facts, state.as_of, state.lang)
    for choice in rs.choices(q, facts, state.as_of, state.lang):
        if q.kind == "checklist":
            ticked = facts.get(choice.id) is True
            rows.append([Button(("☑ " if ticked else "☐ ") + choice.label,
                                _with(state, Screen.TOGGLE, qcode, FACT_INDEX[choice.id]),
                                kind="answer")])
            continue
        key = q.facts[0]
        code = value_code(key, choice.set[key])
        mark = "● " if current is not None and choice.label == current else ""
        rows.append([Button(mark + choice.label, _with(state, Screen.ANSWER, qcode, code),
                            kind="answer")])
    if q.kind == "checklist":
        rows.append([Button(t.gettext("✔ Done"), _with(state, Screen.CHECK_DONE, qcode),
                            kind="answer")])
    if q.dont_know:
        rows.append([Button(t.gettext("I don't know"), _with(state, Screen.DONT_KNOW, qcode),
                            kind="answer")])
    rows.append([Button(t.gettext("◀ Back"), _with(state, Screen.BACK), key="b"),
                 Button(t.gettext("↺ Start over"), _bare(state, Screen.RESTART), key="r")])
    rows.append([lang_toggle(here)])
    text = render.question(t, q, number, total, state.as_of, today_in_moscow())
    return View([text], rows)


def review(env: Env, state: State) -> View:
    rs = env.rules
    t = tr(state.lang)
    path = rs.path(state.facts, state.as_of, state.dont_know)
    rows_text: list[tuple[int, str, str]] = []
    change_buttons: list[Button] = []
    for n, qid in enumerate(path, start=1):
        q = rs.question_by_id[qid]
        if all(k in state.dont_know for k in q.facts):
            answer = t.gettext("I don't know")
        else:
            answer = rs.answer_label(q, state.facts, state.as_of, state.lang) or ""
            if q.kind == "checklist" and not answer:
                answer = t.gettext("None of these")
        rows_text.append((n, q.text.get(state.lang), answer))
        change_buttons.append(Button(f"✏️ {n}", _with(state, Screen.ASK, question_code(q)),
                                     kind="change"))
    here = _with(state, Screen.REVIEW)
    rows: list[list[Button]] = [
        [Button(t.gettext("✅ See the result"), _with(state, Screen.VERDICT, option=FRESH),
                key="v")]
    ]
    rows += [change_buttons[i:i + 5] for i in range(0, len(change_buttons), 5)]
    rows.append([Button(t.gettext("◀ Back"), _with(state, Screen.BACK), key="b"),
                 Button(t.gettext("↺ Start over"), _bare(state, Screen.RESTART), key="r")])
    rows.append([lang_toggle(here)])
    return View([render.review(t, rows_text, state.as_of, today_in_moscow())], rows)


def _end_rows(t: Tr, state: State) -> list[list[Button]]:
    """Start over, delete, privacy: under the verdict and every screen under it."""
    return [
        [Button(t.gettext("↺ Start over"), _bare(state, Screen.RESTART), key="r"),
         Button(t.gettext("🗑 Delete this conversation"), _bare(state, Screen.DELETE), key="d")],
        [offline_button(state)],
        [Button(t.gettext("Privacy"), _bare(state, Screen.PAGE, Page.PRIVACY + NEW_MESSAGE),
                key="p")],
    ]


def _detail_button(t: Tr, state: State, which: Detail, label: str, key: str) -> Button:
    return Button(label, _with(state, Screen.DETAIL, option=int(which)), key=key)


def verdict(env: Env, state: State) -> View:
    """The verdict: one message on one phone screen, the details one press away."""
    rs = env.rules
    if state.facts.get("military_status") == SERVING:
        return service(env, state)
    t = tr(state.lang)
    v = rs.evaluate(state.facts, state.as_of, state.lang, state.dont_know)
    here = _with(state, Screen.VERDICT)
    rows = [
        [_detail_button(t, state, Detail.GROUNDS, t.gettext("All grounds"), "g"),
         _detail_button(t, state, Detail.TODO, t.gettext("What to do"), "w")],
        [_detail_button(t, state, Detail.CAVEATS, t.gettext("Caveats"), "c"),
         _detail_button(t, state, Detail.HELP, t.gettext("Get help"), "h")],
        [_detail_button(t, state, Detail.SUMMONS, t.gettext("A summons in hand"), "s"),
         Button(t.gettext("✏️ Change an answer"), _with(state, Screen.REVIEW), key="e")],
        *_end_rows(t, state),
    ]
    rows[-1].append(lang_toggle(here))
    return View([render.verdict(t, v)], rows, ends_interview=True, outcome=v.outcome)


PAGE_STEP = 8  # a detail screen's page is carried in `option` above its Detail code


def detail(env: Env, state: State) -> View:
    """A screen under the verdict, in the verdict's place, with the way back to it; a long one
    comes in pages, each one message, turned in place."""
    rs = env.rules
    t = tr(state.lang)
    try:
        which = Detail(state.option % PAGE_STEP)
    except ValueError:
        return _stale(env, state)
    number = state.option // PAGE_STEP
    if which == Detail.HELP:
        texts = [render.help_screen(t, rs)]
    elif which == Detail.SUMMONS:
        texts = [render.summons_text(t, rs, state.as_of)]
    elif which == Detail.SERVICE:
        texts = render.called_up_pages(t, rs, state.as_of)[1:] or [
            render.called_up_text(t, rs, state.as_of)]
    else:
        v = rs.evaluate(state.facts, state.as_of, state.lang, state.dont_know)
        if which == Detail.GROUNDS:
            texts = render.grounds_screen(t, v)
        elif which == Detail.TODO:
            texts = render.todo_screen(t, v)
        else:
            texts = render.caveats_screen(t, v)
    number = min(number, len(texts) - 1)
    here = _with(state, Screen.DETAIL, option=int(which) + PAGE_STEP * number)
    rows = [[Button(t.gettext("◀ Back to the result"), _with(state, Screen.VERDICT), key="b")]]
    if which in GUIDE_DETAILS:
        rows[0].append(_detail_button(t, state, Detail.HELP, t.gettext("Get help"), "h"))
    turn = []
    if number > 0:
        turn.append(Button(t.gettext("◀ Previous page"), _with(
            state, Screen.DETAIL, option=int(which) + PAGE_STEP * (number - 1)), key="-"))
    if number + 1 < len(texts):
        turn.append(Button(t.gettext("Next page ({page} of {pages}) ▶").format(
            page=number + 2, pages=len(texts)), _with(
            state, Screen.DETAIL, option=int(which) + PAGE_STEP * (number + 1)), key="+"))
    if turn:
        rows.insert(0, turn)
    rows += _end_rows(t, state)
    rows[-1].append(lang_toggle(here))
    return View([texts[number]], rows, ends_interview=True)


def service(env: Env, state: State) -> View:
    """Already serving or mobilized: what service means now, discharge and complaints; never a
    call-up verdict."""
    rs = env.rules
    t = tr(state.lang)
    here = _with(state, Screen.VERDICT)
    parts = render.called_up_pages(t, rs, state.as_of)
    rows = [
        [_detail_button(t, state, Detail.HELP, t.gettext("Get help"), "h"),
         Button(t.gettext("◀ Change the answer"), _with(state, Screen.BACK), key="b")],
        *_end_rows(t, state),
    ]
    if len(parts) > 1:
        rows.insert(0, [_detail_button(t, state, Detail.SERVICE, t.gettext("Read on ▶"), "+")])
    rows[-1].append(lang_toggle(here))
    return View([parts[0]], rows, ends_interview=True, outcome="serving")
