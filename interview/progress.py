"""How many questions an interview can still take, from the planner's own tree of answers.

The greeting states the most questions an interview takes when every answer is known, and with
"I don't know" answers (the longest interview). Each question says "question N of at most M":
the questions before it and the longest the rest can be, counted from the answers given before
it only, so a question shows the same M however it is reached (forward, by Back, by ✏️). M is an
exact maximum over every answer a person can press (each option, "I don't know", every set of
ticks on a checklist), so going forward it never grows: an answer only removes branches.

The tree is explored depth first with the planner's `to_come` (questions whose facts the verdict
still depends on: a bound of what can be asked) to prune branches that cannot beat the longest
found; the results are kept per rule base, day and answers, a bounded number."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from rules import FactsError, RuleSet
from rules.facts import facts_key
from rules.models import Question

# Not knowing the age means not knowing the birth year or month either (and the year's buttons
# would otherwise span a century).
ALSO_UNKNOWN: dict[str, tuple[str, ...]] = {"age": ("birth_year", "birth_month"),
                                            "birth_year": ("birth_month",)}
SERVING = "serving_contract"  # already serving or mobilized: a screen about service, no verdict

Facts = dict[str, Any]
Key = tuple[str, int, int | tuple[Any, ...], frozenset[str], dt.date]
_LONGEST: dict[Key, int] = {}
_SHORTEST: dict[Key, int | None] = {}
_CACHE_LIMIT = 50_000
_GREETING: dict[tuple[str, dt.date], tuple[int, int]] = {}  # (rules version, day)
NO_VERDICT = 10_000  # the shortest path from a state that can only end on the service screen


def _key(rs: RuleSet, facts: Mapping[str, Any], dont_know: frozenset[str], day: dt.date) -> Key:
    return (rs.version, id(rs), facts_key(facts), dont_know, day)


def next_question(rs: RuleSet, facts: Mapping[str, Any], dont_know: frozenset[str],
                  day: dt.date) -> Question | None:
    """The question the flow shows next; None at the review or on the service screen."""
    if facts.get("military_status") == SERVING:
        return None
    return rs.snapshot(facts, day, dont_know).next


def answers(rs: RuleSet, q: Question, facts: Mapping[str, Any], dont_know: frozenset[str],
            day: dt.date) -> Iterator[tuple[Facts, frozenset[str]]]:
    """Every state one press on question `q` can lead to (as the flow's `_answer` makes it)."""
    if q.kind == "checklist":
        items = list(q.facts)
        for n in range(len(items) + 1):
            for ticked in itertools.combinations(items, n):
                yield {**facts, **{k: k in ticked for k in items}}, dont_know - set(items)
    else:
        for choice in rs.choices(q, facts, day, "en"):
            rest = {k: v for k, v in facts.items() if k not in q.facts}
            yield {**rest, **choice.set}, dont_know - set(q.facts)
    if q.dont_know:
        unknown = {*q.facts, *(x for f in q.facts for x in ALSO_UNKNOWN.get(f, ()))}
        yield {k: v for k, v in facts.items() if k not in unknown}, dont_know | unknown


def settle(rs: RuleSet, facts: Facts, day: dt.date, dont_know: frozenset[str],
           keep: Sequence[str]) -> tuple[Facts, frozenset[str]] | None:
    """Only the answers on the path count; a changed answer voids the earlier ones it
    contradicts (a woman has no pregnant wife; without a reserve, no reserve contract). None
    when the answer itself does not fit. `facts` is changed."""
    while True:
        try:
            kept, dk = rs.relevant(facts, day, dont_know)
            return dict(kept), frozenset(dk)
        except FactsError as e:
            void = [k for k in e.keys if k in facts and k not in keep]
            if not void:
                return None
            for k in void:
                facts.pop(k)


def _children(rs: RuleSet, q: Question, facts: Mapping[str, Any], dont_know: frozenset[str],
              day: dt.date, known: bool = False) -> list[tuple[Facts, frozenset[str]]]:
    # As the flow answers: an answer to a question asked again voids what it contradicts.
    # `known`: without "I don't know" (the only answer that adds to dont_know).
    settled = (settle(rs, f, day, d, q.facts) for f, d in answers(rs, q, facts, dont_know, day)
               if not (known and d - dont_know))
    return [s for s in settled if s is not None]


def longest(rs: RuleSet, facts: Mapping[str, Any], dont_know: frozenset[str],
            day: dt.date) -> int:
    """The most questions still to be asked from this state, the next one included."""
    key = _key(rs, facts, dont_know, day)
    found = _LONGEST.get(key)
    if found is not None:
        return found
    q = next_question(rs, facts, dont_know, day)
    best = 0
    if q is not None:
        bound = rs.snapshot(facts, day, dont_know).to_come
        for to_come, f, d in _ranked(rs, _children(rs, q, facts, dont_know, day), day):
            if 1 + to_come <= best:
                break  # sorted: no later branch can be longer
            best = max(best, 1 + longest(rs, f, d, day))
            if best >= bound:
                break
    if len(_LONGEST) > _CACHE_LIMIT:
        _LONGEST.clear()
    _LONGEST[key] = best
    return best


def _ranked(rs: RuleSet, children: list[tuple[Facts, frozenset[str]]],
            day: dt.date) -> list[tuple[int, Facts, frozenset[str]]]:
    """The children, those with the most questions possibly to come first (stable)."""
    scored = [(rs.snapshot(f, day, d).to_come, f, d) for f, d in children]
    return sorted(scored, key=lambda x: -x[0])


def longest_known(rs: RuleSet, day: dt.date) -> list[tuple[Facts, frozenset[str]]]:
    """The states along a longest interview from the greeting when no answer is "I don't
    know" (its length: how many questions it asks). One search with the longest found so far
    as the bar every branch must be able to beat, and each state entered only at a depth
    greater than before: about a fifth of the states the per-state maximum above visits, which
    the bound prunes little here (it counts what "I don't know" would bring up)."""
    best: list[tuple[Facts, frozenset[str]]] = []
    deepest: dict[Key, int] = {}
    path: list[tuple[Facts, frozenset[str]]] = []

    def search(facts: Facts, dont_know: frozenset[str]) -> None:
        nonlocal best
        q = next_question(rs, facts, dont_know, day)
        if q is None:
            if len(path) > len(best):
                best = list(path)
            return
        for to_come, f, d in _ranked(rs, _children(rs, q, facts, dont_know, day, True), day):
            depth = len(path) + 1
            if depth + to_come <= len(best):
                break  # sorted: no later branch can be longer
            key = _key(rs, f, d, day)
            if deepest.get(key, -1) >= depth:
                continue  # entered before at least as deep: nothing longer from here
            deepest[key] = depth
            path.append((f, d))
            search(f, d)
            path.pop()

    search({}, frozenset())
    return best


def shortest(rs: RuleSet, facts: Mapping[str, Any], dont_know: frozenset[str], day: dt.date,
             depth: int) -> int:
    """The fewest questions from this state to a verdict (the service screen is not one), or
    NO_VERDICT when none is within `depth`."""
    key = _key(rs, facts, dont_know, day)
    found = _SHORTEST.get(key)
    if found is not None and found <= depth:
        return found
    if facts.get("military_status") == SERVING:
        return NO_VERDICT
    q = rs.snapshot(facts, day, dont_know).next
    if q is None:
        result = 0
    elif depth == 0:
        return NO_VERDICT
    else:
        result = min((1 + shortest(rs, f, d, day, depth - 1)
                      for f, d in _children(rs, q, facts, dont_know, day)),
                     default=NO_VERDICT)
        if result > depth:
            return NO_VERDICT  # not known beyond `depth`: do not keep it
    if len(_SHORTEST) > _CACHE_LIMIT:
        _SHORTEST.clear()
    _SHORTEST[key] = result
    return result


def interview_range(rs: RuleSet, day: dt.date) -> tuple[int, int]:
    """The fewest and the most questions an interview to a verdict takes on `day`."""
    most = longest(rs, {}, frozenset(), day)
    for depth in range(1, most + 1):  # iterative deepening: the shortest paths are short
        fewest = shortest(rs, {}, frozenset(), day, depth)
        if fewest < NO_VERDICT:
            return fewest, most
    return most, most


def greeting_counts(rs: RuleSet, day: dt.date) -> tuple[int, int]:
    """What the greeting says: the most questions an interview takes on `day` when every answer
    is known, and with "I don't know" answers (the first question's "of at most")."""
    # Kept apart from the tree's cache, which is emptied when full: exploring the whole tree
    # again costs seconds, and every greeting asks for it.
    key = (rs.version, day)
    found = _GREETING.get(key)
    if found is None:
        if len(_GREETING) > 64:
            _GREETING.clear()
        found = _GREETING[key] = (len(longest_known(rs, day)), longest(rs, {}, frozenset(), day))
    return found


def before(rs: RuleSet, earlier: Sequence[str], facts: Mapping[str, Any],
           dont_know: frozenset[str]) -> tuple[Facts, frozenset[str]]:
    """The answers to the questions `earlier` only (the path before the one shown): what the
    interview knew when that question was first asked, whatever was answered after it."""
    keys = {k for qid in earlier for k in rs.question_by_id[qid].facts}
    keys |= {x for k in keys & dont_know for x in ALSO_UNKNOWN.get(k, ())}
    return ({k: v for k, v in facts.items() if k in keys},
            frozenset(k for k in dont_know if k in keys))


def total_bound(rs: RuleSet, facts: Mapping[str, Any], dont_know: frozenset[str], day: dt.date,
                q: Question, answered: int) -> int:
    """The "of at most M" on question `q`: the questions answered before it plus the longest the
    rest can take, counted from the state before `q` is answered (ticks on a checklist do not
    move it)."""
    before = {k: v for k, v in facts.items() if k not in q.facts}
    unknown = frozenset(k for k in dont_know if k not in q.facts)
    return answered + max(1, longest(rs, before, unknown, day))
