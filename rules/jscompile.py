"""The loaded rule base compiled to JavaScript, for the offline page (offline/).

One source of law, two targets: as daycode.py turns every condition into a Python expression, this
module turns the same validated conditions into JavaScript expressions over the facts, and writes the
rule base's engine data (grounds with their dates and strengths, age-limit periods, questions,
caveat windows) as a JSON literal. The hand-written runtime (offline/engine.js) evaluates them with
the same reasoning as `RuleSet._assess`; tests/test_offline_engine.py holds the two equal.

No text a person reads is written here: the page takes texts from the rule base and the catalogs by
id (offline/build.py).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from .age import TRUE, UNKNOWN
from .compiled import CompiledGround, CompiledText
from .engine import USUAL, RuleSet
from .facts import FACTS, LEGACY_IMPLIES
from .models import (
    MECHANISMS,
    AgeLimit,
    AgeLimitPeriod,
    All,
    Any_,
    Condition,
    ConscriptionAge,
    FactAtLeast,
    FactIn,
    FactIs,
)


def js_literal(value: Any) -> str:
    """JSON as a JavaScript literal that is safe inside an HTML <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    # "<" only occurs inside strings: escaping it rules out "</script>" and "<!--".
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _value(value: bool | int | str) -> str:
    assert type(value) in (bool, int, str)
    return json.dumps(value)


def _fact(key: str) -> str:
    assert key in FACTS  # validated at load; keys are identifiers
    return f"f.{key}"


def expression(cond: Condition) -> str:
    """The condition as one JavaScript expression over `f` (the facts, a null-prototype object)
    and `age` (the age-limit status) and `cons` (conscription age: [under, its needs, over, its
    needs]): 0 false, 1 unknown, 2 true (Kleene: all = min, any = max), exactly as
    conditions.expression."""
    # Through the three helpers of compile_rules (I, N, L): the page carries less.
    if isinstance(cond, FactIs):
        return f"I({_fact(cond.fact)},{_value(cond.is_)})"
    if isinstance(cond, FactIn):
        whole = set(cond.in_) >= set(FACTS[cond.fact].values)
        unknown = TRUE if whole else UNKNOWN
        members = ",".join(_value(x) for x in sorted(set(cond.in_)))
        return f"N({_fact(cond.fact)},[{members}],{unknown})"
    if isinstance(cond, FactAtLeast):
        unknown = TRUE if cond.at_least <= FACTS[cond.fact].minimum else UNKNOWN
        return f"L({_fact(cond.fact)},{int(cond.at_least)},{unknown})"
    if isinstance(cond, AgeLimit):
        return "age"
    if isinstance(cond, ConscriptionAge):
        return "cons[0]" if cond.conscription_age == "under" else "cons[2]"
    if isinstance(cond, All):
        return "Math.min(" + ",".join(expression(p) for p in cond.all) + ")"
    if isinstance(cond, Any_):
        return "Math.max(" + ",".join(expression(p) for p in cond.any) + ")"
    raise ValueError("unknown condition")  # pragma: no cover - the union is closed


def needs_expression(cond: Condition) -> str:
    """The unknown facts of the undecided leaves, as conditions.Compiled.needs gives them (called
    only when the condition is unknown): a leaf names its fact, the age limit its own keys, a
    group the needs of its unknown parts, in order."""
    if isinstance(cond, FactIs | FactIn | FactAtLeast):
        return f"[{_value(cond.fact)}]"
    if isinstance(cond, AgeLimit):
        return "ageNeeds()"
    if isinstance(cond, ConscriptionAge):
        return "cons[1]" if cond.conscription_age == "under" else "cons[3]"
    parts = cond.all if isinstance(cond, All) else cond.any
    return "[].concat(" + ",".join(
        f"{expression(p)}==={UNKNOWN}?{needs_expression(p)}:[]" for p in parts) + ")"


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _limits(period: AgeLimitPeriod, rs: RuleSet) -> dict[str, Any]:
    out: dict[str, Any] = {"from": _day(period.valid_from), "until": _day(period.valid_until)}
    for sex in FACTS["sex"].values:
        table: dict[str, list[list[int | None]]] = {}
        for rank in FACTS["rank"].values:
            entries = rs.age_limits.limit_entries(period, sex, rank)
            table[rank] = [[e.born_from, e.born_until, e.limit] for e in entries]
        out[sex] = table
    return out


def _compact(item: dict[str, Any]) -> dict[str, Any]:
    """Without the keys at their defaults (null, false, mobilization): the page carries less;
    the runtime reads an absent key as its default."""
    return {k: v for k, v in item.items()
            if v is not None and v is not False and v != "mobilization"}


def _ground(cg: CompiledGround) -> dict[str, Any]:
    g = cg.ground
    return _compact({
        "id": g.id,
        "outcome": g.outcome,
        "strength": cg.strength,
        "order": cg.order,
        "from": _day(g.valid_from),
        "until": _day(g.valid_until),
        "retro": _day(g.retroactive.signed) if g.retroactive else None,
        # The same shortcuts as the Python engine, which decide the order of `needs`.
        "static": list(cg.static_needs) or None,
        "flat": list(cg.flat_needs) or None,
        "mechanism": g.mechanism,
        "scope": g.scope,
        "deadline": [g.deadline.id, g.deadline.rule] if g.deadline else None,
    })


def engine_data(rs: RuleSet) -> dict[str, Any]:
    """What the runtime needs of the rule base besides the compiled conditions."""
    return {
        "version": rs.version,
        "facts": [[s.key, s.kind, list(s.values), s.minimum, s.maximum] for s in FACTS.values()],
        # Old keys still accepted: [key, value, {today's key: value}] (facts.LEGACY_IMPLIES).
        "legacy": [[k, v, implied] for (k, v), implied in LEGACY_IMPLIES.items()],
        "ageLimits": [_limits(p, rs) for p in rs.age_periods],
        "conscriptionAge": [[_day(p.valid_from), _day(p.valid_until), p.minimum, p.maximum]
                            for p in rs.conscription_periods],
        "mechanisms": list(MECHANISMS),
        "grounds": [_ground(cg) for cg in rs.grounds],
        "questions": [
            {"id": q.id, "kind": q.kind, "facts": list(q.facts), "dontKnow": q.dont_know,
             "options": [{"id": o.id, "set": o.set} for o in q.options]}
            for q in rs.questions
        ],
        # Caveats, date notes and next steps, with what makes each relevant and its rank.
        "texts": [
            _compact({"id": c.id, "kind": c.kind, "rank": c.rank, "order": c.order,
                      "from": _day(c.start), "until": _day(c.until),
                      "outcomes": sorted(c.outcomes) if c.outcomes is not None else None,
                      "missing": sorted(c.missing) if c.missing is not None else None,
                      "mechanism": c.mechanism})
            for c in _texts(rs)
        ],
        "bases": sorted(rs.bases),  # the outcomes that rest on a rule of their own
        "mechanismBases": {m: sorted(b) for m, b in rs.mechanism_bases.items()},
        "usual": USUAL,  # the most common answers: the progress line's estimate
    }


def _texts(rs: RuleSet) -> list[CompiledText]:
    return [*rs.caveats, *rs.notes, *rs.steps]


def compile_rules(rs: RuleSet, name: str = "EXEMPT_COMPILED",
                  data_literal: Callable[[Any], str] = js_literal) -> str:
    """JavaScript that defines `var <name>`: the engine data (written by `data_literal`: the
    offline page packs it) and the compiled conditions.

    statuses(f, age, cons): every ground's status, by rule-base order. needs[i](f, age, ageNeeds,
    cons): the needs of ground i when it is unknown and has no static shortcut. advice[i](f, age,
    cons): the status of ground i's advice condition. texts[j](f, age, cons): the condition of
    caveat, note or step j (data.texts); rankIf[j]: its [condition, rank] pairs."""
    grounds = rs.grounds
    # I: a fact is a value; N: a fact is one of values (`u` when unknown: 2 if the list is every
    # value); L: an integer fact is at least n. 0 false, 1 unknown, 2 true.
    helpers = (
        f"function I(v,x){{return v===undefined?{UNKNOWN}:v===x?{TRUE}:0;}}"
        f"function N(v,xs,u){{return v===undefined?u:xs.indexOf(v)>=0?{TRUE}:0;}}"
        f"function L(v,n,u){{return v===undefined?u:v>=n?{TRUE}:0;}}")
    lines = [f"var {name}=(function(){{{helpers}return{{", f"data:{data_literal(engine_data(rs))},"]
    lines.append("statuses:function(f,age,cons){return[" +
                 ",".join(expression(cg.ground.when) for cg in grounds) + "];},")
    needs = []
    for cg in grounds:
        if cg.static_needs or cg.flat_needs:
            needs.append("null")
        else:
            needs.append(
                f"function(f,age,ageNeeds,cons){{return {needs_expression(cg.ground.when)};}}")
    lines.append("needs:[" + ",".join(needs) + "],")
    advice = [
        f"function(f,age,cons){{return {expression(cg.ground.advice.when)};}}"
        if cg.ground.advice is not None else "null"
        for cg in grounds
    ]
    lines.append("advice:[" + ",".join(advice) + "],")
    texts = [
        f"function(f,age,cons){{return {expression(c.source)};}}" if c.source is not None
        else "null"
        for c in _texts(rs)
    ]
    lines.append("texts:[" + ",".join(texts) + "],")
    # A text's rank by the answers: [[condition, rank], ...], the first that holds wins.
    rank_if = [
        "[" + ",".join(f"[function(f,age,cons){{return {expression(src)};}},{rank}]"
                       for _, rank, src in c.rank_if) + "]"
        for c in _texts(rs)
    ]
    lines.append("rankIf:[" + ",".join(rank_if) + "]")
    lines.append("};})();")
    return "\n".join(lines) + "\n"


__all__ = ["compile_rules", "engine_data", "expression", "js_literal", "needs_expression"]
