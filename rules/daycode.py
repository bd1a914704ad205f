"""The verdict's reasoning for one as-of day, generated as straight-line Python.

For a given day the grounds in force, their order (strongest first), the advice and caveats that
can show and the retroactive notes are all fixed, so `RuleSet.evaluate` runs one generated function
per day instead of looping over grounds: the same logic as `RuleSet._assess`, which the tests hold
it to. Source is built from validated rule data only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .conditions import Context, expression, needs_expression
from .facts import FACTS, Facts
from .models import All, FactAtLeast, FactIn, FactIs
from .verdict import AdviceOut, GroundOut, TextOut

if TYPE_CHECKING:
    from .compiled import CompiledGround, CompiledText

# (best strength, any possible, grounds, missing, advice, caveats/notes/steps whose condition
# holds, retro notes)
DayResult = tuple[int, bool, list[GroundOut], set[str], list[AdviceOut], list["CompiledText"],
                  list[TextOut]]
DayFunction = Callable[[Facts, Context, str], DayResult]


def _flat(cg: CompiledGround) -> bool:
    when = cg.ground.when
    return isinstance(when, All) and all(isinstance(p, FactIs | FactIn | FactAtLeast)
                                         for p in when.all)


def compile_day(
    grounds: Sequence[CompiledGround],
    advised: Sequence[tuple[CompiledGround, Any]],
    caveats: Sequence[CompiledText],
    retro: dict[str, dict[str, TextOut]],
    ground_out: Callable[[CompiledGround, tuple[str, ...], str], GroundOut],
) -> DayFunction:
    """`grounds`: those in force on the day, strongest first. `advised`: (ground, advice) in force.
    `caveats`: the caveats, notes and steps on `day` that carry a condition. `retro`: ground
    id -> note per language."""
    ns: dict[str, Any] = {"ground_out": ground_out}
    body: list[str] = []
    exprs: list[str] = []

    def const(name: str, value: Any) -> str:
        ns[name] = value
        return name

    for k, cg in enumerate(grounds):
        exprs.append(e := expression(cg.ground.when, {}))
        body.append(f"    s{k} = {e}")
    # The outcome: the strongest applying ground.
    by_strength: dict[int, list[int]] = {}
    for k, cg in enumerate(grounds):
        by_strength.setdefault(cg.strength, []).append(k)
    branches = []
    for strength in sorted(by_strength, reverse=True):
        test = " or ".join(f"s{k} == 2" for k in by_strength[strength])
        branches.append((strength, test))
    for n, (strength, test) in enumerate(branches):
        body.append(f"    {'if' if n == 0 else 'elif'} {test}:\n        best = {strength}")
    body.append("    else:\n        best = 0" if branches else "    best = 0")
    body += ["    out = []", "    missing = set()", "    possible = False"]
    for strength in sorted(by_strength, reverse=True):
        body.append("    pos = []")
        for k in by_strength[strength]:
            cg = grounds[k]
            applies = const(f"A{k}", cg.applies_out)
            body.append(f"    if s{k} == 2:\n        out.append({applies}[lang])")
            body.append(f"    elif s{k} == 1:\n        possible = True")
            if cg.static_needs:
                pos = const(f"P{k}", cg.possible_out)
                needs = const(f"N{k}", cg.static_needs)
                body.append(f"        pos.append({pos}[lang])")
                body.append(f"        if best < {strength}:\n            missing.update({needs})")
                continue
            if _flat(cg):
                keys = const(f"N{k}", tuple(sorted(cg.cond.facts)))
                body.append(f"        needs = tuple(x for x in {keys} if x not in f)")
            else:
                body.append("        needs = tuple(sorted(set("
                            f"{needs_expression(cg.ground.when, {})})))")
            body.append(f"        pos.append(ground_out(G{k}, needs, lang))")
            const(f"G{k}", cg)
            body.append(f"        if best < {strength}:\n            missing.update(needs)")
        body.append("    out += pos")
    body.append("    advice = []")
    index = {id(cg): k for k, cg in enumerate(grounds)}
    for j, (cg, adv) in enumerate(advised):
        k = index[id(cg)]
        out = const(f"ADV{j}", {lang: AdviceOut.build(ground_id=cg.ground.id, text=adv.text.get(lang))
                                for lang in ("ru", "en")})
        body.append(f"    if s{k} == 0 and {expression(adv.when, {})} == 2:\n"
                    f"        advice.append({out}[lang])")
    body.append("    caveats = []")
    for j, c in enumerate(caveats):
        assert c.source is not None
        caveat = const(f"CAV{j}", c)
        body.append(f"    if {expression(c.source, {})} == 2:\n        caveats.append({caveat})")
    body.append("    notes = []")
    for k, cg in enumerate(grounds):
        if cg.ground.id in retro:
            note = const(f"R{k}", retro[cg.ground.id])
            body.append(f"    if s{k}:\n        notes.append({note}[lang])")
    body.append("    return best, possible, out, missing, advice, caveats, notes")
    source = "\n".join(body)
    used = sorted(k for k in FACTS if f"v_{k} " in source)
    head = ["def run(f, ctx, lang, min=min, max=max):", "    g = f.get"]
    if "age_status" in source:
        head.append("    age_status = ctx.age()[0]")
    if "cons_" in source:
        head.append("    cons_under, _, cons_over, _ = ctx.conscription()")
    head += [f"    v_{k} = g({k!r})" for k in used]
    exec("\n".join(head) + "\n" + source, ns)
    return ns["run"]  # type: ignore[no-any-return]


ScopeFunction = Callable[[Facts, Context], tuple[tuple[str, ...], ...]]


def compile_scope(mechanisms: Sequence[Sequence[CompiledGround]]) -> ScopeFunction:
    """For each mechanism's scope grounds (in this order), the first that applies, as a tuple of
    its id (empty when none does): one generated function for all mechanisms. The age leaves are
    computed only when reached (a woman never needs her conscription age)."""
    body: list[str] = []
    for m, grounds in enumerate(mechanisms):
        body.append(f"    h{m} = ()")
        for n, cg in enumerate(grounds):
            test = (expression(cg.ground.when, {})
                    .replace("age_status", "ctx.age()[0]")
                    .replace("cons_under", "ctx.conscription()[0]")
                    .replace("cons_over", "ctx.conscription()[2]"))
            body.append(f"    {'if' if n == 0 else 'elif'} {test} == 2:\n"
                        f"        h{m} = ({cg.ground.id!r},)")
    body.append("    return (" + "".join(f"h{m}, " for m in range(len(mechanisms))) + ")")
    source = "\n".join(body)
    used = sorted(k for k in FACTS if f"v_{k} " in source)
    head = ["def scope(f, ctx, min=min, max=max):", "    g = f.get"]
    head += [f"    v_{k} = g({k!r})" for k in used]
    ns: dict[str, Any] = {}
    exec("\n".join(head) + "\n" + source, ns)
    return ns["scope"]  # type: ignore[no-any-return]
