"""The offline page's engine equals the Python engine: the rule base compiled to JavaScript
(rules/jscompile.py) and run by offline/engine.js gives, on random fact sets with unknowns
at dates across 2022-2028, the same outcome, every ground's status and needs, missing facts, advice,
ranked caveats, notes and next steps, the basis, the grounds listed and skipped given what the
person did not know, next question, path, progress bound, relevant answers and both at once
(settle), and the same errors on bad facts.

The JavaScript runs on V8 embedded in this process (tests/jsengine.py, mini-racer from PyPI), one
call per batch of cases: no system Node is needed."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

import rules
from rules import FACTS, FactsError, RuleSet
from tests.jsengine import JSEngine

DRIVER_JS = Path(__file__).resolve().parent / "offline_driver.js"
FIRST, LAST = dt.date(2022, 1, 1), dt.date(2028, 12, 31)
CASES = 12_000
CHUNKS = 4  # of 3,000 cases, each with its own seed: the suite's workers share them


def run_js(rs: RuleSet, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    with JSEngine(rs) as js:
        js.load(DRIVER_JS)
        out: list[dict[str, Any]] = js.call("runCases", cases)
    return out


def run_py(rs: RuleSet, case: dict[str, Any]) -> dict[str, Any]:
    day = dt.date.fromisoformat(case["as_of"])
    facts, dk = case["facts"], frozenset(case["dont_know"])
    try:
        v = rs.evaluate(facts, day)
    except FactsError as exc:
        return {"error": {"keys": exc.keys, "message": str(exc)}}
    nxt = rs.next_question(facts, day, dk)
    snap = rs.snapshot(facts, day, dk)
    rel_facts, rel_dk = rs.relevant(facts, day, dk)
    kept = rs.snapshot(rel_facts, day, rel_dk)
    return {
        "verdict": verdict_ids(v),
        # As the interview shows it: given what the person did not know.
        "asked": verdict_ids(rs.evaluate(facts, day, dont_know=dk)),
        "next": nxt.id if nxt else None,
        "snapshot": {"path": snap.path, "next": snap.next.id if snap.next else None,
                     "to_come": snap.to_come},
        "relevant": {"facts": rel_facts, "dontKnow": sorted(rel_dk)},
        # Both in one pass, as the page's question counts take them (offline/progress.js).
        "settle": {"facts": rel_facts, "dontKnow": sorted(rel_dk),
                   "snapshot": {"path": kept.path, "next": kept.next.id if kept.next else None,
                                "to_come": kept.to_come}},
    }


def verdict_ids(v: rules.Verdict) -> dict[str, Any]:
    """Everything the verdict decides, by id (the page takes the texts by these ids)."""
    return {
        "outcome": v.outcome, "as_of": v.as_of, "rules_version": v.rules_version,
        "grounds": [{"id": g.id, "outcome": g.outcome, "status": g.status,
                     "needs": list(g.needs)} for g in v.grounds],
        "advice": [a.ground_id for a in v.advice],
        "missing": list(v.missing),
        "caveats": [c.id for c in v.caveats],
        "notes": [n.id for n in v.notes],
        "steps": [s.id for s in v.steps],
        "basis": v.outcome if v.basis is not None else None,
        "skipped": v.skipped,
        "mechanisms": {
            m: {"id": x.id, "outcome": x.outcome, "concerns": x.concerns, "until": x.until,
                "grounds": [{"id": g.id, "outcome": g.outcome, "status": g.status,
                             "needs": list(g.needs)} for g in x.grounds],
                "missing": list(x.missing),
                "caveats": [c.id for c in x.caveats], "notes": [n.id for n in x.notes],
                "steps": [s.id for s in x.steps],
                "basis": x.outcome if x.basis is not None else None,
                "dates": [[d.id, d.date] for d in x.dates]}
            for m, x in v.mechanisms.items()},
    }


def normalise(result: dict[str, Any]) -> dict[str, Any]:
    if "relevant" in result:  # a set on the Python side: order carries no meaning
        result["relevant"]["dontKnow"] = sorted(result["relevant"]["dontKnow"])
        result["settle"]["dontKnow"] = sorted(result["settle"]["dontKnow"])
    return result


# --- random cases ------------------------------------------------------------------------------


def boundary_days(rs: RuleSet) -> list[dt.date]:
    """Days where something changes, and the days either side: the dates a port gets wrong."""
    days: set[dt.date] = {dt.date(2024, 2, 28), dt.date(2024, 2, 29), dt.date(2028, 2, 29),
                          dt.date(2023, 2, 28), dt.date(2022, 9, 21)}
    marks = [d for cg in rs.grounds for d in (cg.ground.valid_from, cg.ground.valid_until,
                                              cg.ground.retroactive and cg.ground.retroactive.signed)]
    marks += [d for p in rs.age_periods for d in (p.valid_from, p.valid_until)]
    marks += [d for p in rs.conscription_periods for d in (p.valid_from, p.valid_until)]
    # The alternative-service filing deadlines (rules/dates.py).
    marks += [dt.date(y, m, d) for y in range(2022, 2029) for m, d in ((3, 31), (9, 30))]
    marks += [d for c in [*rs.caveats, *rs.notes] for d in (c.start, c.until)]
    for d in marks:
        if isinstance(d, dt.date):
            days.update(d + dt.timedelta(days=k) for k in (-1, 0, 1))
    return sorted(d for d in days if FIRST <= d <= LAST)


def random_day(r: random.Random, special: list[dt.date]) -> dt.date:
    if r.random() < 0.3:
        return r.choice(special)
    return FIRST + dt.timedelta(days=r.randrange((LAST - FIRST).days + 1))


def random_value(r: random.Random, key: str, day: dt.date) -> Any:
    spec = FACTS[key]
    if spec.kind == "bool":
        return r.random() < 0.5
    if spec.kind == "enum":
        return r.choice(spec.values)
    if key == "birth_year":
        return r.randint(day.year - 80, day.year - 16)
    if key == "age":
        return r.choice([r.randint(16, 80), r.randint(0, 130)])
    if key == "children_under_16":
        return r.choice([0, 0, 1, 2, 3, 3, 4, 5, r.randint(0, 100)])
    if spec.kind == "int":
        return r.randint(spec.minimum, spec.maximum)
    born = day - dt.timedelta(days=r.randint(16 * 365, 80 * 365))
    return born.isoformat()


BAD_VALUES: list[Any] = [1.5, "yes", True, False, -1, 101, 200, [], {"a": 1}, "", "2022-02-30",
                         "2022-W01-1", "2026-W53-4", "2022-W53-1", "22-01-2022", "it's", 7]


def random_facts(r: random.Random, day: dt.date) -> tuple[dict[str, Any], list[str]]:
    facts: dict[str, Any] = {}
    known = r.random()  # how much of the interview is answered
    for key in FACTS:
        if r.random() < known:
            facts[key] = random_value(r, key, day)
        elif r.random() < 0.05:
            facts[key] = None  # null means unknown
    # Birth data that agree, mostly; sometimes in the finer forms.
    if "birth_date" in facts and isinstance(facts["birth_date"], str) and r.random() < 0.9:
        born = dt.date.fromisoformat(facts["birth_date"])
        facts["birth_year"] = born.year
        facts["birth_month"] = born.month if r.random() < 0.7 else facts.get("birth_month")
        if r.random() < 0.5:
            del facts["birth_date"]
    if isinstance(facts.get("birth_month"), int) and "birth_year" not in facts and r.random() < 0.9:
        facts["birth_year"] = random_value(r, "birth_year", day)
    if facts.get("sex") == "female" and r.random() < 0.9:
        facts.pop("wife_pregnant_22w", None)
    if facts.get("children_under_16") == 0 and r.random() < 0.9:
        facts.pop("raises_children_alone", None)
    if r.random() < 0.03:  # a bad value or an unknown key
        if r.random() < 0.8:
            facts[r.choice(list(FACTS))] = r.choice(BAD_VALUES)
        else:
            facts["height"] = 180
    order = list(facts.items())
    r.shuffle(order)
    absent = [k for k in FACTS if facts.get(k) is None]
    dont_know = [k for k in absent if r.random() < 0.3]
    return dict(order), dont_know


def walk(r: random.Random, rs: RuleSet, day: dt.date) -> tuple[dict[str, Any], list[str]]:
    """An interview as a person goes through it: the planner's questions, random answers,
    "I don't know" now and then, stopped at a random point."""
    facts: dict[str, Any] = {}
    dont_know: set[str] = set()
    steps = r.randint(0, 25) if r.random() < 0.6 else 100  # often to the end
    negative = r.random() < 0.3  # "none of these" people: the "can be called up" verdicts
    for _ in range(steps):
        q = rs.next_question(facts, day, frozenset(dont_know))
        if q is None:
            break
        if q.dont_know and not negative and r.random() < 0.2:
            dont_know.update(q.facts)
            continue
        if q.kind == "checklist":
            for item in q.items:
                facts[item.fact] = not negative and r.random() < 0.3
            continue
        choices = rs.choices(q, facts, day, "en")
        if negative and q.kind == "choice":  # the answer that grants nothing, where there is one
            subject = [c for c in choices if rs.evaluate({**facts, **c.set}, day).outcome
                       in ("subject", "undetermined")]
            choices = subject or choices
        facts.update(r.choice(choices).set)
    return facts, sorted(dont_know)


def make_cases(rs: RuleSet, n: int, seed: int) -> list[dict[str, Any]]:
    r = random.Random(seed)
    special = boundary_days(rs)
    cases = []
    for i in range(n):
        day = random_day(r, special)
        facts, dont_know = walk(r, rs, day) if i % 3 == 0 else random_facts(r, day)
        cases.append({"facts": facts, "as_of": day.isoformat(), "dont_know": dont_know})
    return cases


def differences(rs: RuleSet, cases: list[dict[str, Any]]) -> tuple[int, list[str], dict[str, int]]:
    js = run_js(rs, cases)
    assert len(js) == len(cases)
    diffs: list[str] = []
    tally = {"errors": 0, "outcomes": 0, "grounds": 0, "with_unknowns": 0}
    outcomes: set[str] = set()
    for case, got in zip(cases, js, strict=True):
        want = normalise(run_py(rs, case))
        got = normalise(got)
        if "error" in want:
            tally["errors"] += 1
        else:
            outcomes.add(want["verdict"]["outcome"])
            tally["grounds"] += len(want["verdict"]["grounds"])
            if want["verdict"]["missing"] or case["dont_know"]:
                tally["with_unknowns"] += 1
        if got != want and len(diffs) < 5:
            diffs.append(f"case {json.dumps(case)}\n  python: {json.dumps(want)}\n  js:     "
                         f"{json.dumps(got)}")
        elif got != want:
            diffs.append("")
    tally["outcomes"] = len(outcomes)
    return len(diffs), diffs[:5], tally


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_the_compiled_engine_equals_the_python_engine_on_random_fact_sets(chunk: int) -> None:
    rs = rules.load()
    cases = make_cases(rs, CASES // CHUNKS, seed=647 + chunk)
    count, examples, tally = differences(rs, cases)
    print(f"\noffline engine: {len(cases)} cases, {count} differences; {tally}")
    assert count == 0, "\n".join(examples)
    # Each batch exercises what it claims to: every outcome, bad facts, unknowns.
    assert tally["outcomes"] == 5
    assert tally["errors"] >= 100
    assert tally["with_unknowns"] >= len(cases) // 2


def test_the_page_engine_follows_the_loaded_rule_base_not_a_copy(tmp_path: Path) -> None:
    """Compiled from whatever rule base is loaded: change a ground's dates and an age limit in a
    copy and the JavaScript follows."""
    data = tmp_path / "rules"
    shutil.copytree(rules.DEFAULT_RULES_DIR, data)
    grounds = data / "grounds.yaml"
    text = grounds.read_text(encoding="utf-8")
    # The first ground ends in 2025 in this copy.
    grounds.write_text(text.replace("valid_until: null", "valid_until: 2025-06-30", 1),
                       encoding="utf-8")
    limits = data / "age_limits.yaml"
    limits.write_text(limits.read_text(encoding="utf-8").replace("soldier: 50", "soldier: 47", 1),
                      encoding="utf-8")
    changed = rules.load(data, run_tests=False)
    assert changed.version != rules.load().version
    cases = make_cases(changed, 1500, seed=21)
    cases.append({"facts": {"citizen": False}, "as_of": "2025-07-01", "dont_know": []})
    count, examples, _ = differences(changed, cases)
    assert count == 0, "\n".join(examples)
    verdicts = run_js(changed, cases[-1:])
    assert verdicts[0]["verdict"]["rules_version"] == changed.version


@pytest.mark.parametrize(("facts", "message"), [
    ({"age": True}, "age: expected an integer, got True"),
    ({"sex": "man"}, "sex: expected one of male, female, got 'man'"),
    ({"birth_date": "2022-02-30"}, "birth_date: '2022-02-30' is not a valid date YYYY-MM-DD"),
    ({"height": 180}, "height: unknown fact"),
    ({"sex": "female", "wife_pregnant_22w": True}, "wife_pregnant_22w does not apply to a woman"),
])
def test_bad_facts_get_the_same_message_from_both_engines(facts: dict[str, Any], message: str) -> None:
    rs = rules.load()
    case = {"facts": facts, "as_of": "2022-10-10", "dont_know": []}
    got = run_js(rs, [case])[0]
    assert got == run_py(rs, case)
    assert got["error"]["message"] == message
