""""What is this notice?" as screens (interview/notice_screens.py), without a channel: every
answer survives the trip through a button's state, and every reachable screen renders."""

from __future__ import annotations

import datetime as dt

from interview import flow
from interview import notice_screens as ns
from interview.html_text import visible_length
from interview.views import Screen
from tests.bot_harness import bundled_rules

RS = bundled_rules()  # loaded once per process, shared by the modules
ENV = flow.Env(RS)


def test_every_answer_round_trips_through_the_state_without_colliding() -> None:
    base = flow.new_state(RS, "en", dt.date(2026, 12, 4), 1, Screen.GREETING)
    dates = [0, *range(1, ns.MAX_DAYS_AGO + 2), ns.UNKNOWN_DATE,
             *(ns.PICKER + n for n in range(1, 3))]
    seen: dict[tuple[int, int], ns.Answers] = {}
    for source in range(5):
        for purpose in range(8):
            for date in dates:
                for second in (False, True):
                    a = ns.Answers(source, purpose, date, second and 1 <= date <= ns.UNKNOWN_DATE)
                    state = a.state(base)
                    assert 0 <= state.question < 64 and 0 <= state.option < 128
                    assert ns.Answers.of(state) == a
                    key = (state.question, state.option)
                    assert seen.setdefault(key, a) == a, f"{a} and {seen[key]} share a state"


def test_every_screen_reachable_from_the_greeting_renders_and_fits_one_message() -> None:
    for as_of in (dt.date(2024, 11, 5), dt.date(2026, 1, 5), dt.date(2026, 12, 4)):
        for lang in ("ru", "en"):
            start = ns.start(flow.new_state(RS, lang, as_of, 1, Screen.GREETING))
            todo, done = [start], set()
            while todo:
                state = todo.pop()
                if (state.screen, state.question, state.option, state.lang) in done:
                    continue
                done.add((state.screen, state.question, state.option, state.lang))
                view = flow.press(ENV, state)
                assert "no longer fits" not in view.texts[0], state
                assert visible_length(view.texts[0]) <= 4096
                todo += [b.state for row in view.buttons for b in row
                         if b.state is not None and b.state.screen == Screen.NOTICE
                         and b.kind != "lang"]
            assert len(done) > 4 * 7 * 60


def test_a_tampered_option_gets_the_polite_stale_answer() -> None:
    base = flow.new_state(RS, "en", dt.date(2026, 12, 4), 1, Screen.GREETING)
    bad = [ns.Answers(9, 1, 0, False), ns.Answers(0, 3, 0, False), ns.Answers(1, 1, 62, False)]
    for a in bad:
        view = flow.press(ENV, a.state(base))
        assert "This button no longer fits the questions" in view.texts[0]
