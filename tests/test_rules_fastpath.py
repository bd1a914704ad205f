"""The generated per-day verdict (rules/daycode.py) reasons exactly as the plain engine does."""

from __future__ import annotations

import datetime as dt
import random

import rules
from bench.rules_bench import random_facts
from rules.conditions import Context
from rules.engine import implied
from rules.facts import validate_facts

DAYS = [dt.date(2022, 9, 20), dt.date(2022, 9, 21), dt.date(2022, 10, 3), dt.date(2022, 10, 4),
        dt.date(2022, 11, 14), dt.date(2022, 11, 15), dt.date(2024, 1, 1), dt.date(2026, 11, 26),
        dt.date(2028, 1, 1)]


def test_the_fast_verdict_equals_the_plain_assessment_on_random_facts() -> None:
    rs = rules.load()
    rng = random.Random(2022)
    for i in range(3000):
        day = DAYS[i % len(DAYS)]
        facts = validate_facts(random_facts(rng, day), day)
        outcome, found, missing, _, _ = rs._assess(facts, day)
        verdict = rs.evaluate(facts, day)
        assert verdict.outcome == outcome
        assert verdict.missing == missing
        plain = sorted(found, key=lambda f: f[0])
        assert [(g.id, g.status, g.needs) for g in verdict.grounds] == [
            (cg.ground.id, "applies" if status == 2 else "possible", needs)
            for _, cg, status, needs in plain
        ]
        ctx = Context(day, rs.age_limits, implied(facts))
        advice = [cg.ground.id for cg in rs.grounds
                  if cg.in_force(day) and cg.cond.eval(implied(facts), ctx) == 0
                  and cg.advice is not None and cg.advice.eval(implied(facts), ctx) == 2]
        assert [a.ground_id for a in verdict.advice] == advice
        caveats, notes, steps = rs.relevant_plain(facts, day, outcome, missing, "en")
        assert verdict.caveats == caveats
        assert verdict.notes[:len(notes)] == notes  # retroactive notes follow
        assert verdict.steps == steps
        for mech in ("conscription", "assemblies"):
            m_outcome, m_found, m_missing, _, _ = rs._assess(facts, day, mech)
            m = verdict.mechanisms[mech]
            assert (m.outcome, m.missing) == (m_outcome, m_missing), mech
            assert [(g.id, g.status, g.needs) for g in m.grounds] == [
                (cg.ground.id, "applies" if status == 2 else "possible", needs)
                for _, cg, status, needs in sorted(m_found, key=lambda f: f[0])
            ]
            if not m.concerns:  # outside the mechanism: no texts (RuleSet._out_of_scope)
                assert (m.caveats, m.notes, m.steps) == ((), (), ())
                continue
            assert (m.caveats, m.notes, m.steps) == rs.relevant_plain(
                facts, day, m_outcome, m_missing, "en", mech)
