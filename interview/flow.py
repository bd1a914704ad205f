"""The interview as a function of the pressed button: state in, view out. No legal logic here:
the rules module says what to ask next and what the verdict is; no I/O and nothing stored."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from rules import FACTS, FactsError, RuleSet, today_in_moscow, validate_facts
from rules.models import Question

from . import notice_screens, papers, progress, render, screens
from .html_text import esc
from .i18n import Tr, tr
from .state_codec import FactValue, State, code_value, value_code
from .views import NEW_MESSAGE, PAGE_PART, Button, Detail, Page, Screen, View

FACT_KEYS: tuple[str, ...] = tuple(FACTS)
FACT_INDEX: dict[str, int] = {k: i for i, k in enumerate(FACT_KEYS)}
FRESH = 1  # the VERDICT option of the review's "see the result" (not a re-render): counted once
# A question opened from the review (its ✏️): in `option` of ASK and BACK, above the fact index of
# TOGGLE; its "◀ Back" returns to the review. An answer goes on as any answer does.
FROM_REVIEW = 64
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


def _with(state: State, screen: Screen, question: int = 0, option: int = 0,
          facts: Mapping[str, FactValue] | None = None,
          dont_know: frozenset[str] | None = None) -> State:
    # Every button of every screen is a state made here: built directly, at half the cost of
    # dataclasses.replace.
    return State(state.lang, int(screen), state.rules_version, question, option,
                 state.facts if facts is None else facts,
                 state.dont_know if dont_know is None else dont_know,
                 state.as_of, state.first_message_id, state.newest_message_id)


def _bare(state: State, screen: Screen, option: int = 0) -> State:
    """A state that carries no answers: for pages, which do not need them."""
    return _with(state, screen, option=option, facts={}, dont_know=frozenset())


def lang_toggle(state: State) -> Button:
    other = "en" if state.lang == "ru" else "ru"
    return Button(screens.LANGUAGE_SWITCH[state.lang], dataclasses.replace(state, lang=other),
                  kind="lang", key=screens.NAV["lang"].key, nav="lang")


def rows_of(t: Tr, screen: str, targets: Mapping[str, State], *,
            flags: Collection[str] = (), slots: Mapping[str, list[list[Button]]] | None = None,
            formats: Mapping[str, Mapping[str, object]] | None = None) -> list[list[Button]]:
    """The screen's rows as interview/screens.py lays them out for the bot: each button pressed
    leads to its state in `targets` ("lang": the state the language switch re-shows); a slot
    ("@answers") stands alone in its row and is replaced by its rows."""
    out: list[list[Button]] = []
    for ids in screens.layout(screen, "bot", flags):
        if ids[0].startswith("@"):
            out += (slots or {}).get(ids[0], [])
            continue
        row: list[Button] = []
        for bid in ids:
            nav = screens.NAV[bid]
            if bid == "lang":
                row.append(lang_toggle(targets[bid]))
                continue
            if bid in ("lang_ru", "lang_en"):
                lang = bid[-2:]
                row.append(Button(screens.LANGUAGE_NAMES[lang],
                                  dataclasses.replace(targets[bid], lang=lang), nav=bid))
                continue
            label = t.gettext(nav.msgid)
            if formats and bid in formats:
                label = label.format(**formats[bid])
            row.append(Button(label, targets[bid], kind="answer" if nav.answer else "nav",
                              key=nav.key, nav=bid))
        out.append(row)
    return out


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
                rows_of(t, "start_again", {"start_again": fresh}),
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
    if screen == Screen.PAPER:
        return paper(env, state)
    if screen == Screen.BACK:
        return _back(env, state)
    if screen == Screen.NOTICE:
        return notice_screens.press(rs, state, rows_of) or _stale(env, state)
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
        index = state.option % FROM_REVIEW
        key = FACT_KEYS[index] if index < len(FACT_KEYS) else ""
        if key not in q.facts:
            return _stale(env, state)
        if facts.get(key) is True:
            facts.pop(key)
        else:
            facts[key] = True
        dont_know.difference_update(q.facts)
        # Stay on the checklist until "Done".
        return ask(env, _with(state, Screen.ASK, question_code(q),
                              state.option - index, facts=facts,
                              dont_know=frozenset(dont_know)), q)
    elif screen == Screen.CHECK_DONE:
        for k in q.facts:
            facts.setdefault(k, False)
            dont_know.discard(k)
    else:
        return _stale(env, state)
    settled = progress.settle(rs, facts, state.as_of, frozenset(dont_know), keep=q.facts)
    if settled is None:
        return _stale(env, state)
    return ask(env, _with(state, Screen.ASK, facts=settled[0], dont_know=settled[1]))


def _back(env: Env, state: State) -> View:
    """The question before the one shown (`question`; 0: before the review or the service
    screen), with its answer marked ●; the answers after it are kept, so the same answer again
    goes on to the first question not yet answered. From a question opened on the review: the
    review (a checklist's ticks count as "Done")."""
    rs = env.rules
    shown = question_of(rs, state.question) if state.question else None
    if state.option & FROM_REVIEW and shown is not None:
        facts = state.facts_dict()
        if shown.kind == "checklist" and not all(k in state.dont_know for k in shown.facts):
            for k in shown.facts:
                facts.setdefault(k, False)
        settled = progress.settle(rs, facts, state.as_of, state.dont_know, keep=shown.facts)
        if settled is None:
            return _stale(env, state)
        return ask(env, _with(state, Screen.ASK, facts=settled[0], dont_know=settled[1]))
    path = rs.path(state.facts, state.as_of, state.dont_know)
    cut = path.index(shown.id) if shown is not None and shown.id in path else len(path)
    if cut == 0:
        return greeting(env, _with(state, Screen.GREETING))
    target = rs.question_by_id[path[cut - 1]]
    return ask(env, _with(state, Screen.ASK, question_code(target)), target)


def _stale(env: Env, state: State) -> View:
    t = tr(state.lang)
    fresh = _with(state, Screen.RESTART, facts={}, dont_know=frozenset())
    return View([render.neutral_header(t) + "\n\n" + esc(t.gettext(
        "This button no longer fits the questions. Please start again."))],
        rows_of(t, "start_again", {"start_again": fresh}),
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
    return View([text], rows_of(t, "start_again", {"start_again": _with(
        state, Screen.RESTART, facts={}, dont_know=frozenset())}), new_message=True,
        delete_range=(state.first_message_id, 0))


# --- views -----------------------------------------------------------------------------------------


def greeting(env: Env, state: State) -> View:
    t = tr(state.lang)
    state = _bare(state, Screen.GREETING)
    counts = progress.greeting_counts(env.rules, state.as_of)
    return View([render.greeting(t, counts)], rows_of(t, "greeting", {
        "start": _bare(state, Screen.RESTART),
        "notice": notice_screens.start(state),
        "serving": _opens(state, Page.CALLED_UP),
        "summons_page": _opens(state, Page.SUMMONS),
        "get_help_page": _opens(state, Page.GET_HELP),
        "offline_file": _opens(state, Page.OFFLINE),
        "privacy": _opens(state, Page.PRIVACY),
        "lang": state,
    }))


def _opens(state: State, which: Page) -> State:
    """A page opened as a new message below this one (which stays, with its buttons)."""
    return _bare(state, Screen.PAGE, which + NEW_MESSAGE)


def page(env: Env, state: State, which: Page, new_message: bool = False, part: int = 0) -> View:
    if which == Page.OFFLINE:  # the handler sends the document in the person's language
        return View([], new_message=True, offline=True)
    t = tr(state.lang)
    # A summons page opened from a notice carries the notice's purpose (1-based) in `question`,
    # so the guide fits that call-up; every other page carries none.
    purpose = state.question if which == Page.SUMMONS else 0
    state = _with(state, Screen.PAGE, question=purpose, facts={}, dont_know=frozenset())
    if which == Page.CALLED_UP:  # on one phone screen, the details one press away
        parts = render.called_up_pages(t, env.rules, state.as_of)
        part = min(part, len(parts) - 1)
        text = parts[part]
    else:
        part = 0
        text = render.page(t, PAGE_NAMES[which], env.rules, version=env.version,
                           handles=env.handles, as_of=state.as_of,
                           mechanism=notice_screens.purpose_mechanism(env.rules, purpose))
    here = _with(state, Screen.PAGE, question=purpose, option=int(which) + PAGE_PART * part)
    if which == Page.LANGUAGE:
        greet = _bare(state, Screen.GREETING)
        buttons = rows_of(t, "language", {"lang_ru": greet, "lang_en": greet})
    elif which in GUIDE_PAGES:  # where to get help is one press away from every entry
        flags = set()
        if part > 0:
            flags.add("previous_part")
        if which == Page.CALLED_UP and part + 1 < len(parts):
            flags.add("read_on")
        buttons = rows_of(t, "guide", {
            "previous_part": _bare(state, Screen.PAGE, int(which) + PAGE_PART * max(part - 1, 0)),
            "read_on": _bare(state, Screen.PAGE, int(which) + PAGE_PART * (part + 1)),
            "get_help_page": _bare(state, Screen.PAGE, int(Page.GET_HELP)),
            "start_questions": _bare(state, Screen.RESTART), "lang": here}, flags=flags)
    else:
        buttons = rows_of(t, "page", {"start_questions": _bare(state, Screen.RESTART),
                                      "lang": here})
    return View([text], buttons, new_message=new_message)


def ask(env: Env, state: State, q: Question | None = None) -> View:
    """Show question `q`, or the planner's next; the review when nothing is left to ask."""
    rs = env.rules
    facts, dont_know = state.facts, state.dont_know
    if facts.get("military_status") == SERVING and (q is None or
                                                    "military_status" not in q.facts):
        return service(env, state)
    snap = rs.snapshot(facts, state.as_of, dont_know)
    if q is None:
        q = snap.next
        if q is None:
            return review(env, _with(state, Screen.REVIEW))
    t = tr(state.lang)
    path = snap.path
    number = path.index(q.id) + 1 if q.id in path else len(path) + 1
    # "of at most M": the longest the interview can still be, from the answers before this
    # question only, so it is the same however the question is reached (forward, back, ✏️).
    earlier, unknown = progress.before(rs, path[:number - 1], facts, dont_know)
    total = max(number, progress.total_bound(rs, earlier, unknown, state.as_of, q, number - 1))
    qcode = question_code(q)
    edit = state.option & FROM_REVIEW if state.screen == Screen.ASK else 0
    here = _with(state, Screen.ASK, qcode, edit)
    answers: list[list[Button]] = []
    current = rs.answer_label(q, facts, state.as_of, state.lang)
    for choice in rs.choices(q, facts, state.as_of, state.lang):
        if q.kind == "checklist":
            ticked = facts.get(choice.id) is True
            answers.append([Button(("☑ " if ticked else "☐ ") + choice.label,
                                _with(state, Screen.TOGGLE, qcode, FACT_INDEX[choice.id] + edit),
                                kind="answer")])
            continue
        key = q.facts[0]
        code = value_code(key, choice.set[key])
        mark = "● " if current is not None and choice.label == current else ""
        answers.append([Button(mark + choice.label, _with(state, Screen.ANSWER, qcode, code),
                               kind="answer")])
    flags = {"checklist"} if q.kind == "checklist" else set()
    if q.dont_know:
        flags.add("dont_know")
    rows = rows_of(t, "question", {
        "done": _with(state, Screen.CHECK_DONE, qcode),
        "dont_know": _with(state, Screen.DONT_KNOW, qcode),
        "back": _with(state, Screen.BACK, qcode, edit),
        "restart": _bare(state, Screen.RESTART),
        "lang": here,
    }, flags=flags, slots={"@answers": answers})
    text = render.question(t, q, number, total, state.as_of, today_in_moscow())
    return View([text], rows)


def review(env: Env, state: State) -> View:
    rs = env.rules
    t = tr(state.lang)
    path = rs.path(state.facts, state.as_of, state.dont_know)
    rows_text: list[tuple[int, str, str]] = []
    unknown: list[int] = []  # "I don't know": one line for all (their ✏️ buttons stay)
    change_buttons: list[Button] = []
    for n, qid in enumerate(path, start=1):
        q = rs.question_by_id[qid]
        if all(k in state.dont_know for k in q.facts):
            unknown.append(n)
        else:
            answer = rs.answer_label(q, state.facts, state.as_of, state.lang) or ""
            if q.kind == "checklist" and not answer:
                answer = t.gettext("None of these")
            rows_text.append((n, (q.review or q.text).get(state.lang), answer))
        change_buttons.append(Button(f"✏️ {n}", _with(state, Screen.ASK, question_code(q),
                                                      FROM_REVIEW),
                                     kind="change"))
    rows = rows_of(t, "review", {
        "see_result": _with(state, Screen.VERDICT, option=FRESH),
        "back": _with(state, Screen.BACK),
        "restart": _bare(state, Screen.RESTART),
        "lang": _with(state, Screen.REVIEW),
    }, slots={"@changes": [change_buttons[i:i + 5] for i in range(0, len(change_buttons), 5)]})
    return View([render.review(t, rows_text, state.as_of, today_in_moscow(), unknown)], rows)


def _end_targets(state: State, here: State) -> dict[str, State]:
    """Start over, delete, the file, privacy, language: under the verdict and every screen under
    it (screens.SCREENS' last rows); `here` is what the language switch re-shows."""
    return {"restart": _bare(state, Screen.RESTART), "delete": _bare(state, Screen.DELETE),
            "offline_file": _opens(state, Page.OFFLINE), "privacy": _opens(state, Page.PRIVACY),
            "lang": here}


def _detail(state: State, which: Detail) -> State:
    return _with(state, Screen.DETAIL, option=int(which))


def verdict(env: Env, state: State) -> View:
    """The verdict: one message on one phone screen, the details one press away."""
    rs = env.rules
    if state.facts.get("military_status") == SERVING:
        return service(env, state)
    t = tr(state.lang)
    v = rs.evaluate(state.facts, state.as_of, state.lang, state.dont_know)
    blind = _blind(rs, state.as_of)
    rows = rows_of(t, "verdict", {
        "grounds": _detail(state, Detail.GROUNDS), "todo": _detail(state, Detail.TODO),
        "caveats": _detail(state, Detail.CAVEATS), "get_help": _detail(state, Detail.HELP),
        "summons": _detail(state, Detail.SUMMONS),
        "change_answers": _with(state, Screen.REVIEW),
        "documents": _detail(state, Detail.DOCUMENTS),
        **_end_targets(state, _with(state, Screen.VERDICT)),
    }, flags={"documents"})
    return View([render.verdict(t, v, blind)], rows, ends_interview=True, outcome=v.outcome)


_BLIND: dict[tuple[int, str, dt.date], dict[str, frozenset[str]]] = {}


def _blind(rs: RuleSet, day: dt.date) -> dict[str, frozenset[str]]:
    """Each ground's open facts when nothing is known (render._deciding), per rule base and day."""
    key = (id(rs), rs.version, day)
    found = _BLIND.get(key)
    if found is None:
        if len(_BLIND) > 64:
            _BLIND.clear()
        v = rs.evaluate({}, day)
        found = _BLIND[key] = {g.id: frozenset(g.needs) for m in (v, *v.mechanisms.values())
                               for g in m.grounds}
    return found


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
    if which == Detail.DOCUMENTS:
        return documents(env, state)
    if which == Detail.HELP:
        texts = [render.help_screen(t, rs)]
    elif which == Detail.SUMMONS:  # the guide for the call-up the verdict puts first
        v = rs.evaluate(state.facts, state.as_of, state.lang, state.dont_know)
        texts = [render.summons_text(t, rs, state.as_of, render.summons_mechanism(v))]
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

    def turn_to(n: int) -> State:
        return _with(state, Screen.DETAIL, option=int(which) + PAGE_STEP * n)

    flags = {"previous_page"} if number > 0 else set()
    if number + 1 < len(texts):
        flags.add("next_page")
    if which in GUIDE_DETAILS:
        flags.add("guide")
    if which == Detail.TODO:
        flags.add("documents")
    rows = rows_of(t, "detail", {
        "previous_page": turn_to(number - 1), "next_page": turn_to(number + 1),
        "documents": _detail(state, Detail.DOCUMENTS),
        "to_result": _with(state, Screen.VERDICT), "guide_help": _detail(state, Detail.HELP),
        **_end_targets(state, turn_to(number)),
    }, flags=flags, formats={"next_page": {"page": number + 2, "pages": len(texts)}})
    return View([texts[number]], rows, ends_interview=True)


def documents(env: Env, state: State) -> View:
    """The written documents that fit the verdict, a button each; a press sends one as a PDF."""
    rs = env.rules
    t = tr(state.lang)
    v = papers.verdict_for(rs, state.facts, state.as_of, state.dont_know)
    fits = papers.offered(rs, v) if rs.documents is not None else []
    choices = [[Button(f.document.doc.title.get(state.lang),
                       _with(state, Screen.PAPER, f.document.code), kind="answer")] for f in fits]
    here = _detail(state, Detail.DOCUMENTS)
    rows = rows_of(t, "documents", {"to_result": _with(state, Screen.VERDICT),
                                    **_end_targets(state, here)},
                   slots={"@documents": choices})
    return View([render.documents_screen(t, [f.document.doc.title.get(state.lang) for f in fits])],
                rows, ends_interview=True)


def paper(env: Env, state: State) -> View:
    """One written document, built from the verdict of these answers (sent as a PDF by the bot,
    shown as text by the terminal); refused when it does not fit them."""
    rs = env.rules
    t = tr(state.lang)
    book = rs.documents
    compiled = book.by_code(state.question) if book is not None else None
    v = papers.verdict_for(rs, state.facts, state.as_of, state.dont_know)
    built = papers.build(rs, v, compiled.kind, state.lang) if compiled is not None else None
    if built is None:  # a button from before a reload, or forged: the list as it is now
        view = documents(env, _with(state, Screen.DETAIL, option=int(Detail.DOCUMENTS)))
        return dataclasses.replace(
            view, alert=t.gettext("This document does not fit these answers."))
    return View([render.paper_text(t, built)], new_message=True, paper=built)


def service(env: Env, state: State) -> View:
    """Already serving or mobilized: what service means now, discharge and complaints; never a
    call-up verdict."""
    rs = env.rules
    t = tr(state.lang)
    parts = render.called_up_pages(t, rs, state.as_of)
    rows = rows_of(t, "service", {
        "read_on": _detail(state, Detail.SERVICE),
        "get_help": _detail(state, Detail.HELP), "change_answer": _with(state, Screen.BACK),
        **_end_targets(state, _with(state, Screen.VERDICT)),
    }, flags={"read_on"} if len(parts) > 1 else set())
    return View([parts[0]], rows, ends_interview=True, outcome="serving")
