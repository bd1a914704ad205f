"""The terminal chat: the same interview as in Telegram, for use without a token.

It starts at the greeting, as /start does. Numbered options are the answers only (1-based in the
order shown, "I don't know" last); on the review screen a number changes that answer, the number
shown beside it. Everything else is a letter: the same buttons as in Telegram (b back, r restart,
g all grounds, …), and b returns from a page opened below. q quits. Invalid input re-prompts.
Works with piped stdin and exits 0 on q or end of input. Nothing is written anywhere but the
screen.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import TextIO

import rules

from . import flow
from .html_text import to_plain
from .i18n import tr
from .views import Button, Screen, View

QUIT = "q"
BACK = "b"


def run_chat(ruleset: rules.RuleSet, lang: str, as_of: dt.date | None = None, *,
             version: str = "", handles: tuple[str, ...] = (),
             stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    inp = stdin or sys.stdin
    out = stdout or sys.stdout
    env = flow.Env(ruleset, version, handles)
    state = flow.new_state(ruleset, lang, as_of or rules.today_in_moscow(), 0, Screen.GREETING)
    view = flow.greeting(env, state)
    below: View | None = None  # the screen a page opened below was opened from
    while True:
        t = tr(_language(view, lang))
        _show(view, out, t.gettext, back=below is not None)
        answers, letters = _choices(view)
        line = _read(inp, out, t.gettext("Your choice: "))
        if line is None:
            return 0
        choice = line.strip().lower()
        if choice == QUIT:
            return 0
        if choice == BACK and below is not None and BACK not in letters:
            view, below = below, None
            continue
        target: Button | None = None
        if choice.isdigit() and 1 <= int(choice) <= len(answers):
            target = answers[int(choice) - 1]
        elif choice in letters:
            target = letters[choice]
        if target is None or target.state is None:
            print(t.gettext("Please type one of the numbers or letters shown."), file=out)
            continue
        nxt = flow.press(env, target.state)
        # A page opened below: b comes back to where it was opened.
        below = (below or view) if nxt.new_message and nxt.delete_range is None else None
        view = nxt


def _read(inp: TextIO, out: TextIO, prompt: str) -> str | None:
    out.write(prompt)
    out.flush()
    line = inp.readline()
    if not line:
        out.write("\n")
        return None
    return line


def _language(view: View, default: str) -> str:
    for row in view.buttons:
        for b in row:
            if b.state is not None and b.kind != "lang":
                return b.state.lang
    return default


def _choices(view: View) -> tuple[list[Button], dict[str, Button]]:
    """Numbered buttons (answers; on the review, the numbered changes) and lettered ones."""
    changes = [b for row in view.buttons for b in row if b.kind == "change" and b.state]
    answers = changes or [b for row in view.buttons for b in row
                          if b.kind == "answer" and b.state]
    # Nothing to delete on a terminal: the session holds nothing once it ends.
    letters = {b.key: b for row in view.buttons for b in row
               if b.key and b.kind not in ("answer", "change")
               and not (b.state is not None and b.state.screen == Screen.DELETE)}
    return answers, letters


def _show(view: View, out: TextIO, gettext: Callable[[str], str], back: bool = False) -> None:
    for text in view.texts:
        print(to_plain(text), file=out)
        print(file=out)
    answers, letters = _choices(view)
    for n, b in enumerate(answers, start=1):
        print(f"  {n}. {b.label}", file=out)
    for key, b in sorted(letters.items()):
        print(f"  {key}) {b.label}", file=out)
    if back and BACK not in letters:
        print(f"  {BACK}) {gettext('◀ Back')}", file=out)
    quit_label = gettext("Quit")
    print(f"  {QUIT}) {quit_label}", file=out)
