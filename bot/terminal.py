"""The terminal chat: the same interview as in Telegram, for use without a token.

Numbered options are the answers only (1-based in the order shown, "I don't know" last);
navigation is letters: b back, r restart, q quit. Invalid input re-prompts. Works with piped stdin
and exits 0 on q or end of input. Nothing is written anywhere but the screen.
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


def run_chat(ruleset: rules.RuleSet, lang: str, as_of: dt.date | None = None, *,
             version: str = "", handles: tuple[str, ...] = (),
             stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    inp = stdin or sys.stdin
    out = stdout or sys.stdout
    env = flow.Env(ruleset, version, handles)
    t = tr(lang)
    state = flow.new_state(ruleset, lang, as_of or rules.today_in_moscow(), 0)
    print(to_plain(flow.greeting(env, flow._with(state, Screen.GREETING)).texts[0]), file=out)
    print(file=out)
    view = flow.ask(env, state)
    while True:
        _show(view, out, t.gettext)
        answers, letters = _choices(view)
        line = _read(inp, out, t.gettext("Your choice: "))
        if line is None:
            return 0
        choice = line.strip().lower()
        if choice == QUIT:
            return 0
        target: Button | None = None
        if choice.isdigit() and not view.ends_interview and 1 <= int(choice) <= len(answers):
            target = answers[int(choice) - 1]
        elif choice in letters:
            target = letters[choice]
        if target is None or target.state is None:
            print(t.gettext("Please type one of the numbers or letters shown."), file=out)
            continue
        view = flow.press(env, target.state)


def _read(inp: TextIO, out: TextIO, prompt: str) -> str | None:
    out.write(prompt)
    out.flush()
    line = inp.readline()
    if not line:
        out.write("\n")
        return None
    return line


def _choices(view: View) -> tuple[list[Button], dict[str, Button]]:
    answers = [b for row in view.buttons for b in row if b.kind == "answer" and b.state]
    # "I don't know" is numbered last; it is already last among the answers.
    # Nothing to delete on a terminal: the session holds nothing once it ends.
    letters = {b.key: b for row in view.buttons for b in row if b.key and b.kind != "answer"
               and not (b.state is not None and b.state.screen == Screen.DELETE)}
    return answers, letters


def _show(view: View, out: TextIO, gettext: Callable[[str], str]) -> None:
    for text in view.texts:
        print(to_plain(text), file=out)
        print(file=out)
    answers, letters = _choices(view)
    if not view.ends_interview:
        for n, b in enumerate(answers, start=1):
            print(f"  {n}. {b.label}", file=out)
    for key, b in sorted(letters.items()):
        print(f"  {key}) {b.label}", file=out)
    quit_label = gettext("Quit")
    print(f"  {QUIT}) {quit_label}", file=out)
