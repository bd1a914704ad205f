"""Conditions compiled once at load into closures over three values: FALSE, UNKNOWN, TRUE.

A missing fact is UNKNOWN. `all` is the minimum of its parts and `any` the maximum (Kleene logic),
which is exact here because the leaves of one condition name different facts (checked at load).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from .age import FALSE, TRUE, UNKNOWN, AgeLimits, birth_interval
from .facts import FACTS, Facts
from .models import AgeLimit, All, Any_, Condition, ConscriptionAge, FactAtLeast, FactIn, FactIs


class Context:
    """One evaluation: the day and the age-limit result, computed at most once."""

    __slots__ = ("_age", "_born", "_cons", "as_of", "facts", "limits")

    def __init__(self, as_of: dt.date, limits: AgeLimits, facts: Facts) -> None:
        self.as_of = as_of
        self.limits = limits
        self.facts = facts
        self._age: tuple[int, tuple[str, ...]] | None = None
        self._cons: tuple[int, tuple[str, ...], int, tuple[str, ...]] | None = None
        self._born: tuple[tuple[dt.date, dt.date], str | None] | None = None

    def born(self) -> tuple[tuple[dt.date, dt.date], str | None]:
        """The birth interval the facts allow and the key that would narrow it (age.py)."""
        if self._born is None:
            self._born = birth_interval(self.facts, self.as_of)
        return self._born

    def age(self) -> tuple[int, tuple[str, ...]]:
        if self._age is None:
            self._age = self.limits.evaluate(self.facts, self.as_of, self.born())
        return self._age

    def conscription(self) -> tuple[int, tuple[str, ...], int, tuple[str, ...]]:
        """(under the minimum, its needs, over the maximum, its needs) of conscription age."""
        if self._cons is None:
            self._cons = self.limits.conscription.evaluate(self.facts, self.as_of, self.born())
        return self._cons


Eval = Callable[[Facts, Context], int]
Needs = Callable[[Facts, Context], tuple[str, ...]]


@dataclass(frozen=True)
class Compiled:
    eval: Eval
    needs: Needs  # the unknown facts of the undecided leaves; call only when eval gave UNKNOWN
    facts: frozenset[str]  # every fact the condition reads


BIRTH_FACTS = frozenset({"birth_date", "birth_year", "birth_month", "age"})


class ConditionError(ValueError):
    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


def compile_condition(cond: Condition, loc: tuple[str | int, ...] = ()) -> Compiled:
    return _compile(cond, loc)


def _leaf(key: str, loc: tuple[str | int, ...]) -> None:
    if key not in FACTS:
        raise ConditionError((*loc, "fact"), f"unknown fact {key!r}")


def _compile(cond: Condition, loc: tuple[str | int, ...]) -> Compiled:
    if isinstance(cond, FactIs):
        return _compile_is(cond, loc)
    if isinstance(cond, FactIn):
        return _compile_in(cond, loc)
    if isinstance(cond, FactAtLeast):
        return _compile_at_least(cond, loc)
    if isinstance(cond, AgeLimit):
        # A serviceman has no reserve age limit (AgeLimits.evaluate), so his status is read too.
        keys = frozenset({"sex", "rank", "birth_date", "birth_year", "birth_month", "age",
                          "military_status"})
        return Compiled(lambda f, c: c.age()[0], lambda f, c: c.age()[1], keys)
    if isinstance(cond, ConscriptionAge):
        if cond.conscription_age == "under":
            return Compiled(lambda f, c: c.conscription()[0], lambda f, c: c.conscription()[1],
                            BIRTH_FACTS)
        return Compiled(lambda f, c: c.conscription()[2], lambda f, c: c.conscription()[3],
                        BIRTH_FACTS)
    if isinstance(cond, All):
        return _compile_group([_compile(p, (*loc, "all", i)) for i, p in enumerate(cond.all)],
                              loc, is_all=True)
    if isinstance(cond, Any_):
        return _compile_group([_compile(p, (*loc, "any", i)) for i, p in enumerate(cond.any)],
                              loc, is_all=False)
    raise ConditionError(loc, "unknown condition")  # pragma: no cover - the union is closed


def _compile_is(cond: FactIs, loc: tuple[str | int, ...]) -> Compiled:
    key, target = cond.fact, cond.is_
    _leaf(key, loc)
    spec = FACTS[key]
    ok = (
        (spec.kind == "bool" and type(target) is bool)
        or (spec.kind == "int" and type(target) is int)
        or (spec.kind == "enum" and type(target) is str and target in spec.values)
    )
    if not ok:
        allowed = ", ".join(spec.values) if spec.kind == "enum" else spec.kind
        raise ConditionError((*loc, "is"), f"{target!r} is not a value of {key} ({allowed})")

    def ev(f: Facts, c: Context) -> int:
        v = f.get(key)
        if v is None:
            return UNKNOWN
        return TRUE if v == target else FALSE

    return Compiled(ev, lambda f, c: (key,), frozenset({key}))


def _compile_in(cond: FactIn, loc: tuple[str | int, ...]) -> Compiled:
    key = cond.fact
    _leaf(key, loc)
    spec = FACTS[key]
    if spec.kind != "enum":
        raise ConditionError((*loc, "in"), f"'in' needs an enum fact; {key} is {spec.kind}")
    for i, value in enumerate(cond.in_):
        if value not in spec.values:
            raise ConditionError((*loc, "in", i), f"{value!r} is not a value of {key}")
    targets = frozenset(cond.in_)
    whole = targets >= set(spec.values)

    def ev(f: Facts, c: Context) -> int:
        v = f.get(key)
        if v is None:
            return TRUE if whole else UNKNOWN
        return TRUE if v in targets else FALSE

    return Compiled(ev, lambda f, c: (key,), frozenset({key}))


def _compile_at_least(cond: FactAtLeast, loc: tuple[str | int, ...]) -> Compiled:
    key, n = cond.fact, cond.at_least
    _leaf(key, loc)
    spec = FACTS[key]
    if spec.kind != "int":
        raise ConditionError((*loc, "at_least"), f"'at_least' needs an integer fact; {key} is not")
    always = n <= spec.minimum

    def ev(f: Facts, c: Context) -> int:
        v = f.get(key)
        if v is None:
            return TRUE if always else UNKNOWN
        return TRUE if v >= n else FALSE  # type: ignore[operator]

    return Compiled(ev, lambda f, c: (key,), frozenset({key}))


def _compile_group(parts: list[Compiled], loc: tuple[str | int, ...], is_all: bool) -> Compiled:
    seen: set[str] = set()
    for part in parts:
        if seen & part.facts:
            dup = ", ".join(sorted(seen & part.facts))
            raise ConditionError(loc, f"a condition names {dup} twice; use 'in' or split it")
        seen |= part.facts
    evals = tuple(p.eval for p in parts)
    stop = FALSE if is_all else TRUE
    start = TRUE if is_all else FALSE

    def ev(f: Facts, c: Context) -> int:
        result = start
        for e in evals:
            v = e(f, c)
            if v == stop:
                return stop
            if v == UNKNOWN:
                result = UNKNOWN
        return result

    def needs(f: Facts, c: Context) -> tuple[str, ...]:
        out: list[str] = []
        for p in parts:
            if p.eval(f, c) == UNKNOWN:
                out.extend(p.needs(f, c))
        return tuple(out)

    return Compiled(ev, needs, frozenset(seen))


def _literal(value: object) -> str:
    # Validated rule values are str, bool or int, whose repr is a Python literal.
    assert type(value) in (str, bool, int)
    return repr(value)


def expression(cond: Condition, consts: dict[str, object]) -> str:
    """The condition as one Python expression over the locals `v_<fact>` (the fact values) and
    `ctx`; the engine compiles every ground's expression into one function at load, which keeps
    `evaluate` free of a call per leaf. Kleene logic: `all` is min, `any` is max."""
    if isinstance(cond, FactIs):
        v = f"v_{cond.fact}"
        test = f"{v} is {cond.is_!r}" if type(cond.is_) is bool else f"{v} == {_literal(cond.is_)}"
        return f"({UNKNOWN} if {v} is None else {TRUE} if {test} else 0)"
    if isinstance(cond, FactIn):
        v = f"v_{cond.fact}"
        members = ", ".join(_literal(x) for x in sorted(set(cond.in_)))
        whole = set(cond.in_) >= set(FACTS[cond.fact].values)
        unknown = TRUE if whole else UNKNOWN
        # `x in {...}` of literals compiles to a constant frozenset.
        return f"({unknown} if {v} is None else {TRUE} if {v} in {{{members}}} else 0)"
    if isinstance(cond, FactAtLeast):
        unknown = TRUE if cond.at_least <= FACTS[cond.fact].minimum else UNKNOWN
        return (f"({unknown} if v_{cond.fact} is None else "
                f"{TRUE} if v_{cond.fact} >= {int(cond.at_least)} else 0)")
    if isinstance(cond, AgeLimit):
        return "age_status"
    if isinstance(cond, ConscriptionAge):
        return f"cons_{cond.conscription_age}"
    if isinstance(cond, All):
        return "min(" + ", ".join(expression(p, consts) for p in cond.all) + ")"
    if isinstance(cond, Any_):
        return "max(" + ", ".join(expression(p, consts) for p in cond.any) + ")"
    raise ConditionError((), "unknown condition")  # pragma: no cover


def needs_expression(cond: Condition, consts: dict[str, object]) -> str:
    """The unknown facts of the undecided leaves as one Python expression giving a list, as
    Compiled.needs gives them (evaluate only when the condition is unknown): a leaf names its
    fact, an age leaf its own keys, a group the needs of its unknown parts, in order."""
    if isinstance(cond, FactIs | FactIn | FactAtLeast):
        return f"[{cond.fact!r}]"
    if isinstance(cond, AgeLimit):
        return "list(ctx.age()[1])"
    if isinstance(cond, ConscriptionAge):
        return f"list(ctx.conscription()[{1 if cond.conscription_age == 'under' else 3}])"
    parts = cond.all if isinstance(cond, All) else cond.any
    return "(" + " + ".join(
        f"({needs_expression(p, consts)} if {expression(p, consts)} == {UNKNOWN} else [])"
        for p in parts) + ")"


def compile_statuses(conds: list[Condition]) -> Callable[[Facts, Context], tuple[int, ...]]:
    """One function giving the status of every condition, in order."""
    consts: dict[str, object] = {}
    exprs = [expression(c, consts) for c in conds]
    used = sorted({k for k in FACTS if any(f"v_{k} " in e for e in exprs)})
    lines = ["def statuses(f, ctx, min=min, max=max):", "    g = f.get"]
    if any("age_status" in e for e in exprs):
        lines.append("    age_status = ctx.age()[0]")
    if any("cons_" in e for e in exprs):
        lines.append("    cons_under, _, cons_over, _ = ctx.conscription()")
    lines += [f"    v_{k} = g({k!r})" for k in used]
    lines.append("    return (" + "".join(f"\n        {e}," for e in exprs) + "\n    )")
    namespace: dict[str, object] = dict(consts)
    exec("\n".join(lines), namespace)
    return namespace["statuses"]  # type: ignore[return-value]
