"""The rule set: evaluation "as of" a day, the interview planner, and the texts a front end shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from .age import TRUE, UNKNOWN, AgeLimits
from .compiled import CompiledGround, CompiledText
from .conditions import Context, compile_statuses
from .dates import RULES as DATE_RULES
from .daycode import DayFunction, ScopeFunction, compile_day, compile_scope
from .documents import DocumentBook
from .facts import Facts, facts_key, validate_facts
from .guides import CompiledGuide, GuideOut
from .models import (
    LANGS,
    MECHANISMS,
    Act,
    AgeLimitPeriod,
    Confidence,
    ConscriptionAgePeriod,
    Deadline,
    Question,
    Resource,
    RuleTest,
)
from .notice import NoticeAnswers, NoticeBook, NoticeError, NoticeOut
from .verdict import STRENGTH, BasisOut, DateOut, GroundOut, MechanismOut, TextOut, Verdict

MOSCOW = dt.timezone(dt.timedelta(hours=3), "MSK")  # no DST since 2014
CONFIDENCE_ORDER: dict[str, int] = {"V": 2, "P": 1, "M": 0}
OUTCOME_BY_STRENGTH: dict[int, str] = {v: k for k, v in reversed(STRENGTH.items())}
OTHER_MECHANISMS = MECHANISMS[1:]  # besides mobilization, whose answer is the verdict's own


def implied(facts: Facts) -> Facts:
    """Facts the contract forces: with no children under 16 he raises none alone; a woman has no
    pregnant wife. Without this the planner would ask questions with only one possible answer."""
    extra: Facts = {}
    if facts.get("children_under_16") == 0 and "raises_children_alone" not in facts:
        extra["raises_children_alone"] = False
    if facts.get("sex") == "female" and "wife_pregnant_22w" not in facts:
        extra["wife_pregnant_22w"] = False
    return {**facts, **extra} if extra else facts


# The most common answers, for estimating how long an interview will be (not for any verdict):
# a man in the reserve, fit, without record, studies, children, special duties or employer.
USUAL: dict[str, Any] = {
    "sex": "male", "military_status": "reserve", "citizen": True, "rank": "soldier",
    "fitness": "A", "conviction": "none", "student": "none", "children_under_16": 0,
    "sector": "none",
}


def _first(item: tuple[int, Any, Any, Any]) -> int:
    return item[0]


def _rank_key(c: CompiledText) -> tuple[int, int]:
    return (c.rank, c.order)


def _asked(needs: tuple[str, ...], dont_know: Collection[str]) -> bool:
    """Whether the person was asked one of these open facts (and did not know it)."""
    return any(k in dont_know for k in needs)


def today_in_moscow() -> dt.date:
    return dt.datetime.now(MOSCOW).date()


def weakest(labels: list[Confidence]) -> Confidence:
    return min(labels, key=lambda c: CONFIDENCE_ORDER[c])


@dataclass(frozen=True)
class Snapshot:
    """An interview's position: questions asked (ids, in order), the next one, and an upper
    bound of the questions still to come."""

    path: list[str]
    next: Question | None
    to_come: int


@dataclass(frozen=True)
class Choice:
    """One answer button of a question, as a front end shows it."""

    id: str
    label: str
    set: Mapping[str, Any]


@dataclass
class DayPlan:
    """What is fixed for one as-of day, compiled: see daycode.py."""

    run: DayFunction
    iso: str


class RuleSet:
    """A validated, tested rule base. Immutable once built: a reload builds a new one."""

    def __init__(
        self,
        *,
        version: str,
        acts: dict[str, Act],
        grounds: list[CompiledGround],
        age_limits: list[AgeLimitPeriod],
        questions: list[Question],
        caveats: list[CompiledText],
        notes: list[CompiledText],
        steps: list[CompiledText],
        bases: dict[str, dict[str, BasisOut]],
        mechanism_bases: dict[str, dict[str, dict[str, BasisOut]]] | None = None,
        conscription_age: list[ConscriptionAgePeriod] | None = None,
        official: list[Resource],
        independent: list[Resource],
        tests: list[RuleTest],
        guides: dict[str, CompiledGuide] | None = None,
        documents: DocumentBook | None = None,
        notices: NoticeBook | None = None,
    ) -> None:
        self.version = version
        self.acts = acts
        # Every mechanism's grounds, in rule-base order (`order` indexes the status tuple).
        self.grounds = grounds
        self.ground_by_id = {g.ground.id: g for g in grounds}
        self.by_mechanism: dict[str, list[CompiledGround]] = {
            m: [g for g in grounds if g.ground.mechanism == m] for m in MECHANISMS}
        self._deadlines: dict[str, dict[str, Deadline]] = {m: {g.ground.id: g.ground.deadline for g in grounds
                               if g.ground.deadline and g.ground.mechanism == m}
                           for m in MECHANISMS}
        self.age_limits = AgeLimits(age_limits, conscription_age)
        self.age_periods = age_limits
        self.conscription_periods = conscription_age or []
        self.questions = questions
        self.question_by_id = {q.id: q for q in questions}
        # Question.facts is computed; the planner reads it constantly.
        self._facts_of = {q.id: q.facts for q in questions}
        self._question_facts = [(q, q.facts) for q in questions]
        self.caveats = caveats
        self.notes = notes
        self.steps = steps
        # Mechanisms whose texts depend on open facts (Step.missing): their texts are not cached.
        self._text_missing: dict[str, bool] = {m: any(c.missing is not None and c.mechanism == m
                                     for c in (*caveats, *notes, *steps)) for m in MECHANISMS}
        self._scoped: dict[dt.date, ScopeFunction] = {}
        self._scope_code: dict[tuple[tuple[int, ...], ...], ScopeFunction] = {}
        self._outside: dict[tuple[str, tuple[str, ...], str], MechanismOut] = {}
        self._fixed_texts: dict[tuple[dt.date, str, str, str], tuple[
            tuple[TextOut, ...], tuple[TextOut, ...], tuple[TextOut, ...]]] = {}
        self.bases = bases  # mobilization's (Verdict.basis)
        self.mechanism_bases = mechanism_bases or {"mobilization": bases}
        self.official = official
        self.independent = independent
        self.tests = tests
        self.guides: dict[str, CompiledGuide] = guides or {}
        self.documents = documents
        self.notices = notices  # "What is this notice?" (notices.yaml); None in a bare RuleSet
        # Every ground's status from one generated function, for the plain `_assess` (the
        # verdict itself runs the per-day functions of daycode.py).
        self._statuses = compile_statuses([g.ground.when for g in grounds])
        self._by_day: dict[tuple[dt.date, str], list[CompiledGround]] = {}
        self._texts_by_day: dict[tuple[dt.date, str, str], list[CompiledText]] = {}
        self._ground_out: dict[tuple[int, str, tuple[str, ...]], GroundOut] = {}
        self._plans: dict[tuple[dt.date, str], DayPlan] = {}
        self._typical: dict[tuple[Any, ...], int] = {}
        self._paths: dict[tuple[Any, ...], list[Question]] = {}
        # What each set of answers leaves open: interviews share their first answers, and the
        # planner replays a path's prefixes for every state (bounded like the paths).
        self._wanted: dict[tuple[Any, ...], frozenset[str]] = {}
        self._snapshots: dict[tuple[Any, ...], Snapshot] = {}
        self._compiled: dict[tuple[tuple[int, ...], tuple[str, ...], tuple[str, ...]],
                             DayFunction] = {}
        for g in grounds:
            g.applies_out = {lang: self._ground_result(g, TRUE, (), lang) for lang in LANGS}
            g.possible_out = {lang: self._ground_result(g, UNKNOWN, g.static_needs, lang)
                              for lang in LANGS}
        self._retro: dict[tuple[str, str], TextOut] = {
            (g.ground.id, lang): TextOut.build(
                id=f"{g.ground.id}_retroactive", text=g.ground.retroactive.note.get(lang)
            )
            for g in grounds
            if g.ground.retroactive
            for lang in LANGS
        }

    def _in_force(self, day: dt.date, mech: str = "mobilization") -> list[CompiledGround]:
        key = (day, mech)
        grounds = self._by_day.get(key)
        if grounds is None:
            if len(self._by_day) > 4096:
                self._by_day.clear()
            grounds = self._by_day[key] = [g for g in self.by_mechanism[mech] if g.in_force(day)]
        return grounds

    def _texts_on(self, day: dt.date, outcome: str, mech: str = "mobilization"
                  ) -> list[CompiledText]:
        """Caveats, notes and steps in force on `day` for `outcome` that need no condition on
        the facts (steps tied to open facts are checked per verdict)."""
        key = (day, outcome, mech)
        found = self._texts_by_day.get(key)
        if found is None:
            if len(self._texts_by_day) > 4096:
                self._texts_by_day.clear()
            found = self._texts_by_day[key] = [
                c for c in (*self.caveats, *self.notes, *self.steps)
                if c.mechanism == mech and c.on(day) and c.source is None
                and (c.outcomes is None or outcome in c.outcomes)]
        return found

    def _relevant(self, fixed: list[CompiledText], conditional: list[CompiledText],
                  outcome: str, missing: Collection[str], lang: str,
                  facts: Facts | None = None, ctx: Context | None = None
                  ) -> tuple[tuple[TextOut, ...], tuple[TextOut, ...], tuple[TextOut, ...]]:
        """Caveats, notes and steps, each relevant ones only, in rank order (by the answers,
        for those whose rank depends on them)."""
        items = [c for c in fixed if c.missing is None or not c.missing.isdisjoint(missing)]
        items += [c for c in conditional if c.shown_for(outcome, missing)]

        def rank(c: CompiledText) -> tuple[int, int]:
            if facts is not None and ctx is not None:
                for cond, value, _ in c.rank_if:
                    if cond.eval(facts, ctx) == TRUE:
                        return (value, c.order)
            return _rank_key(c)

        items.sort(key=rank)
        by_kind: dict[str, list[TextOut]] = {"caveat": [], "note": [], "step": []}
        for c in items:
            by_kind[c.kind].append(c.texts[lang])
        return tuple(by_kind["caveat"]), tuple(by_kind["note"]), tuple(by_kind["step"])

    def relevant_plain(self, facts: Facts, day: dt.date, outcome: str, missing: Collection[str],
                       lang: str, mech: str = "mobilization",
                       ) -> tuple[tuple[TextOut, ...], tuple[TextOut, ...], tuple[TextOut, ...]]:
        """The same selection as the verdict's, by the plain condition closures (for the test
        that holds the generated per-day code to it)."""
        facts = implied(facts)
        ctx = Context(day, self.age_limits, facts)
        conditional = [c for c in (*self.caveats, *self.notes, *self.steps)
                       if c.mechanism == mech and c.on(day) and c.when is not None
                       and c.when.eval(facts, ctx) == TRUE]
        return self._relevant(self._texts_on(day, outcome, mech), conditional, outcome, missing,
                              lang, facts, ctx)

    # --- evaluation ---------------------------------------------------------------------------

    def evaluate(
        self, facts: Mapping[str, Any], as_of: dt.date | None = None, lang: str = "en",
        dont_know: Collection[str] | None = None,
    ) -> Verdict:
        """The verdict for these facts on `as_of` (default: today in Moscow), texts in `lang`.

        `dont_know`: the facts the person was asked and did not know. Given, a ground that
        could still apply is listed only when one of its open facts was asked; the others were
        skipped by the interview because the outcome was settled (counted in `skipped`)."""
        day = as_of or today_in_moscow()
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {', '.join(LANGS)}")
        return self._verdict(validate_facts(facts, day), day, lang, dont_know)

    def _assess(
        self, facts: Facts, day: dt.date, mech: str = "mobilization"
    ) -> tuple[str, list[tuple[int, CompiledGround, int, tuple[str, ...]]], tuple[str, ...],
               Context, tuple[int, ...]]:
        """Outcome; the applying and possible grounds as (sort key, ground, status, needs);
        `missing`; the context; and the status of every ground by position (one mechanism)."""
        facts = implied(facts)
        ctx = Context(day, self.age_limits, facts)
        statuses = self._statuses(facts, ctx)
        found: list[tuple[int, CompiledGround, int, tuple[str, ...]]] = []
        best = 0
        any_possible = False
        for cg in self._in_force(day, mech):
            status = statuses[cg.order]
            if status == TRUE:
                if cg.strength > best:
                    best = cg.strength
                found.append((cg.sort_applies, cg, TRUE, ()))
            elif status == UNKNOWN:
                any_possible = True
                if cg.static_needs:
                    needs = cg.static_needs
                elif cg.flat_needs:
                    needs = tuple(k for k in cg.flat_needs if k not in facts)
                else:
                    needs = tuple(sorted(set(cg.cond.needs(facts, ctx))))
                found.append((cg.sort_possible, cg, UNKNOWN, needs))
        outcome = OUTCOME_BY_STRENGTH[best] if best else (
            "undetermined" if any_possible else "subject")
        outside = [x for x in found if x[2] == TRUE and x[1].ground.scope]
        if mech != "mobilization" and outside:
            # Outside the mechanism: the first reason, in verdict order (RuleSet._out_of_scope).
            return "not_subject", [min(outside, key=_first)], (), ctx, statuses
        missing: set[str] = set()
        for _, cg, status, needs in found:
            if status == UNKNOWN and cg.strength > best:
                missing.update(needs)
        return outcome, found, tuple(sorted(missing)), ctx, statuses

    def _verdict(self, facts: Facts, day: dt.date, lang: str,
                 dont_know: Collection[str] | None = None) -> Verdict:
        """The same reasoning as `_assess`, run by the day's generated function (daycode.py)."""
        facts = implied(facts)
        plan = self._plan(day)
        ctx = Context(day, self.age_limits, facts)
        best, any_possible, grounds, missing, advice, conditional, retro = plan.run(
            facts, ctx, lang)
        outcome = OUTCOME_BY_STRENGTH[best] if best else (
            "undetermined" if any_possible else "subject")
        caveats, notes, steps = self._relevant(self._texts_on(day, outcome), conditional,
                                               outcome, missing, lang, facts, ctx)
        if retro:
            notes = notes + tuple(retro)
        skipped = 0
        if dont_know is not None and any_possible:
            shown = [g for g in grounds if g.status == "applies"
                     or _asked(g.needs, dont_know)]
            skipped = len(grounds) - len(shown)
            grounds = shown
        basis = self.bases.get(outcome)
        basis_out = basis[lang] if basis else None
        grounds_t = tuple(grounds)
        missing_t = tuple(sorted(missing))
        mechanisms = {"mobilization": MechanismOut.build(
            id="mobilization", outcome=outcome, concerns=True, until=None, grounds=grounds_t,
            missing=missing_t, caveats=caveats, notes=notes, steps=steps, basis=basis_out,
            dates=())}
        outside = self._outside
        for mech, hits in zip(OTHER_MECHANISMS, self._scope(day)(facts, ctx), strict=True):
            if hits:
                out = outside.get((mech, hits, lang))
                mechanisms[mech] = out if out is not None else self._out_of_scope(mech, hits, lang)
            else:
                mechanisms[mech] = self._mechanism(mech, facts, ctx, day, lang, dont_know)
        return Verdict.build(
            outcome=outcome,
            as_of=plan.iso,
            rules_version=self.version,
            grounds=grounds_t,
            advice=tuple(advice),
            missing=missing_t,
            caveats=caveats,
            notes=notes,
            steps=steps,
            basis=basis_out,
            skipped=skipped,
            mechanisms=mechanisms,
        )

    def _scope(self, day: dt.date) -> ScopeFunction:
        """The scope test of every mechanism besides mobilization on `day`: for each (in
        OTHER_MECHANISMS order) the id of its first applying scope ground in verdict order, as a
        tuple (empty: the mechanism concerns the person)."""
        found = self._scoped.get(day)
        if found is None:
            if len(self._scoped) > 4096:
                self._scoped.clear()
            lists = [sorted((g for g in self._in_force(day, m) if g.ground.scope),
                            key=lambda g: (-g.strength, g.order)) for m in OTHER_MECHANISMS]
            ids = tuple(tuple(g.order for g in gs) for gs in lists)
            found = self._scope_code.get(ids)
            if found is None:
                found = self._scope_code[ids] = compile_scope(lists)
            self._scoped[day] = found
        return found

    def _out_of_scope(self, mech: str, hits: tuple[str, ...], lang: str) -> MechanismOut:
        """A mechanism that does not concern the person: only the (first) ground that puts him
        outside it, nothing missing, no texts (a front end does not list it)."""
        key = (mech, hits, lang)
        out = self._outside.get(key)
        if out is None:
            out = self._outside[key] = MechanismOut.build(
                id=mech, outcome="not_subject", concerns=False, until=None,
                grounds=tuple(self.ground_by_id[i].applies_out[lang] for i in hits),
                missing=(), caveats=(), notes=(), steps=(), basis=None, dates=())
        return out

    def _mechanism(self, mech: str, facts: Facts, ctx: Context, day: dt.date, lang: str,
                   dont_know: Collection[str] | None) -> MechanismOut:
        """One mechanism besides mobilization that concerns the person (no scope ground applies:
        see `_scope`), by its day's generated function."""
        best, any_possible, grounds, missing, _, conditional, _ = self._plan(day, mech).run(
            facts, ctx, lang)
        outcome = OUTCOME_BY_STRENGTH[best] if best else (
            "undetermined" if any_possible else "subject")
        fixed = self._texts_on(day, outcome, mech)
        if conditional or self._text_missing[mech] or any(c.rank_if for c in fixed):
            caveats, notes, steps = self._relevant(fixed, conditional, outcome, missing, lang,
                                                   facts, ctx)
        else:  # the same texts for every verdict with this outcome on this day
            key = (day, outcome, mech, lang)
            texts = self._fixed_texts.get(key)
            if texts is None:
                if len(self._fixed_texts) > 4096:
                    self._fixed_texts.clear()
                texts = self._fixed_texts[key] = self._relevant(
                    self._texts_on(day, outcome, mech), [], outcome, (), lang)
            caveats, notes, steps = texts
        concerns = True  # (no scope ground applies: checked above)
        dates: list[DateOut] = []
        deadlines = self._deadlines[mech]
        for g in grounds if deadlines else ():
            deadline = deadlines.get(g.id)
            if deadline is not None:
                dates.append(DateOut.build(
                    id=deadline.id, date=DATE_RULES[deadline.rule](day).isoformat(),
                    text=deadline.text.get(lang)))
        until = self._until(mech, outcome, grounds, facts, day)
        if dont_know is not None and any_possible:
            grounds = [g for g in grounds if g.status == "applies" or _asked(g.needs, dont_know)]
        basis = self.mechanism_bases.get(mech, {}).get(outcome)
        return MechanismOut.build(
            id=mech, outcome=outcome, concerns=concerns, until=until, grounds=tuple(grounds),
            missing=tuple(sorted(missing)), caveats=caveats, notes=notes, steps=steps,
            basis=basis[lang] if basis else None, dates=tuple(dates))

    def _until(self, mech: str, outcome: str, grounds: list[GroundOut], facts: Facts,
               day: dt.date) -> str | None:
        """The last day of this outcome where a date fixes it: conscription ends with the
        conscription age, and "under age" with the 18th birthday (both need the birth date)."""
        born = facts.get("birth_date")
        if mech != "conscription" or not isinstance(born, str):
            return None
        cons = self.age_limits.conscription
        birth = dt.date.fromisoformat(born)
        if outcome == "not_subject":
            if any(g.id == "conscription_under_age" and g.status == "applies" for g in grounds):
                return (cons.first_day(birth) - dt.timedelta(days=1)).isoformat()
            return None
        if outcome in ("subject", "conditional"):
            last = cons.last_day(birth, day)
            return last.isoformat() if last is not None else None
        return None

    def _possible_out(self, cg: CompiledGround, needs: tuple[str, ...], lang: str) -> GroundOut:
        key = (cg.order, lang, needs)
        out = self._ground_out.get(key)
        if out is None:
            out = self._ground_out[key] = self._ground_result(cg, UNKNOWN, needs, lang)
        return out

    def _plan(self, day: dt.date, mech: str = "mobilization") -> DayPlan:
        plan = self._plans.get((day, mech))
        if plan is None:
            if len(self._plans) > 1024:
                self._plans.clear()
            grounds = sorted(self._in_force(day, mech), key=lambda g: (-g.strength, g.order))
            retro: dict[str, dict[str, TextOut]] = {
                g.ground.id: {lang: self._retro[(g.ground.id, lang)] for lang in LANGS}
                for g in grounds
                if g.ground.retroactive is not None and day < g.ground.retroactive.signed
            }
            advised = [(g, g.ground.advice) for g in grounds if g.ground.advice is not None]
            conditional = [c for c in (*self.caveats, *self.notes, *self.steps)
                           if c.mechanism == mech and c.on(day) and c.source is not None]
            # Days between the same date boundaries share one compiled function.
            signature = (tuple(g.order for g in grounds), tuple(retro),
                         tuple(c.id for c in conditional))
            run = self._compiled.get(signature)
            if run is None:
                run = self._compiled[signature] = compile_day(
                    grounds, advised, conditional, retro, self._possible_out)
            plan = self._plans[(day, mech)] = DayPlan(run=run, iso=day.isoformat())
        return plan

    def _ground_result(
        self, cg: CompiledGround, status: int, needs: tuple[str, ...], lang: str
    ) -> GroundOut:
        g = cg.ground
        return GroundOut.build(
            id=g.id,
            outcome=g.outcome,
            status="applies" if status == TRUE else "possible",
            title=g.title.get(lang),
            explanation=g.explanation.get(lang),
            todo=g.todo.get(lang),
            note=g.note.get(lang) if g.note else None,
            confidence=cg.confidence,
            citations=cg.citations[lang],
            needs=needs,
        )

    # --- the interview planner ----------------------------------------------------------------

    def next_question(
        self,
        facts: Mapping[str, Any],
        as_of: dt.date | None = None,
        dont_know: frozenset[str] = frozenset(),
    ) -> Question | None:
        """The next question, in a stable order, whose answer can still change the outcome or
        `missing`; None when none can."""
        day = as_of or today_in_moscow()
        return self._next(validate_facts(facts, day), day, dont_know)

    def _missing(self, facts: Facts, day: dt.date) -> frozenset[str]:
        """Every mechanism's `missing`, by the day's compiled reasoning: a question is worth
        asking when its answer can change any mechanism's outcome."""
        key = (facts_key(facts), day)
        found = self._wanted.get(key)
        if found is None:
            if len(self._wanted) > 8192:
                self._wanted.clear()
            found = self._wanted[key] = frozenset(self._missing_now(facts, day))
        return found

    def _missing_now(self, facts: Facts, day: dt.date) -> set[str]:
        facts = implied(facts)
        ctx = Context(day, self.age_limits, facts)
        wanted = set(self._plan(day).run(facts, ctx, "en")[3])
        for mech, hits in zip(OTHER_MECHANISMS, self._scope(day)(facts, ctx), strict=True):
            if not hits:  # outside it, nothing is missing
                wanted |= self._plan(day, mech).run(facts, ctx, "en")[3]
        return wanted

    def _next(self, facts: Facts, day: dt.date, dont_know: frozenset[str]) -> Question | None:
        wanted = self._missing(facts, day)
        if not wanted:
            return None
        for q, keys in self._question_facts:
            for key in keys:
                if key in wanted and key not in facts and key not in dont_know:
                    return q
        return None

    def path(
        self,
        facts: Mapping[str, Any],
        as_of: dt.date | None = None,
        dont_know: frozenset[str] = frozenset(),
    ) -> list[str]:
        """The question ids asked to reach this state, in order."""
        day = as_of or today_in_moscow()
        return [q.id for q in self._path(validate_facts(facts, day), day, dont_know)]

    def _path(self, facts: Facts, day: dt.date, dont_know: frozenset[str]) -> list[Question]:
        """The questions asked to reach these answers (not to be changed by the caller: many
        interviews share their first answers, so paths are kept, a bounded number)."""
        key = (facts_key(facts), frozenset(dont_know), day)
        found = self._paths.get(key)
        if found is None:
            if len(self._paths) > 8192:
                self._paths.clear()
            found = self._paths[key] = self._walk(facts, day, dont_know)
        return found

    def _walk(self, facts: Facts, day: dt.date, dont_know: frozenset[str]) -> list[Question]:
        asked: list[Question] = []
        partial: Facts = {}
        unknown: set[str] = set()
        while True:
            q = self._next(partial, day, frozenset(unknown))
            keys = self._facts_of[q.id] if q is not None else ()
            if q is None or not all(k in facts or k in dont_know for k in keys):
                return asked
            asked.append(q)
            for key in keys:
                if key in facts:
                    partial[key] = facts[key]
                else:
                    unknown.add(key)

    def relevant(
        self,
        facts: Mapping[str, Any],
        as_of: dt.date | None = None,
        dont_know: frozenset[str] = frozenset(),
    ) -> tuple[Facts, frozenset[str]]:
        """Only the answers on the current path: after an answer is changed, answers to questions
        that no longer matter are dropped so they cannot sway the verdict unseen."""
        day = as_of or today_in_moscow()
        valid = validate_facts(facts, day)
        keys = {k for q in self._path(valid, day, dont_know) for k in q.facts}
        return (
            {k: v for k, v in valid.items() if k in keys},
            frozenset(k for k in dont_know if k in keys),
        )

    def progress(
        self,
        facts: Mapping[str, Any],
        as_of: dt.date | None = None,
        dont_know: frozenset[str] = frozenset(),
    ) -> tuple[int, int]:
        """Questions answered, and an upper bound of those still to come on this branch."""
        snap = self.snapshot(facts, as_of, dont_know)
        return len(snap.path), snap.to_come

    def snapshot(
        self,
        facts: Mapping[str, Any],
        as_of: dt.date | None = None,
        dont_know: frozenset[str] = frozenset(),
    ) -> Snapshot:
        """Where an interview stands: the path, the next question and the progress, at once (a
        front end needs all three for every screen)."""
        day = as_of or today_in_moscow()
        valid = validate_facts(facts, day)
        key = (facts_key(valid), frozenset(dont_know), day)
        found = self._snapshots.get(key)
        if found is None:  # every screen asks, and the question counts ask for each answer
            if len(self._snapshots) > 8192:
                self._snapshots.clear()
            found = self._snapshots[key] = self._snapshot(valid, day, key[1])
        return Snapshot(list(found.path), found.next, found.to_come)

    def _snapshot(self, valid: Facts, day: dt.date, dont_know: frozenset[str]) -> Snapshot:
        path = self._path(valid, day, dont_know)
        wanted = self._missing(valid, day)
        nxt = None
        for q, keys in self._question_facts:
            if any(k in wanted and k not in valid and k not in dont_know for k in keys):
                nxt = q
                break
        # Narrowing the birth date can bring up the finer questions, and the rank and sex that
        # decide which limit applies: count them so the bound never grows.
        # (Not when the person did not know: then nothing finer is asked.)
        open_ = wanted - dont_know
        if "age" in open_:
            wanted |= {"birth_year", "birth_month", "rank", "sex"}
        if "birth_year" in open_:
            wanted |= {"birth_month", "rank", "sex"}
        if "birth_month" in open_:
            wanted |= {"rank", "sex"}
        to_come = sum(
            1
            for _, keys in self._question_facts
            if any(k in wanted and k not in valid and k not in dont_know for k in keys)
        )
        return Snapshot([q.id for q in path], nxt, to_come)

    def typical_total(
        self,
        facts: Mapping[str, Any],
        as_of: dt.date | None = None,
        dont_know: frozenset[str] = frozenset(),
    ) -> int:
        """How many questions this interview will take if the rest are answered the most common
        way (USUAL; otherwise "no", or the first option): the "of about M" of the progress."""
        day = as_of or today_in_moscow()
        valid = validate_facts(facts, day)
        key = (facts_key(valid), dont_know, day)
        found = self._typical.get(key)
        if found is not None:
            return found
        asked = len(self._path(valid, day, dont_know))
        partial = dict(valid)
        extra = 0
        while (q := self._next(partial, day, dont_know)) is not None and extra < 64:
            extra += 1
            for k in q.facts:
                if k in partial:
                    continue
                options = [c.set for c in self.choices(q, partial, day, "en")]
                usual = USUAL.get(k)
                pick = next((o for o in options if o.get(k) == usual), None) if usual is not None \
                    else next((o for o in options if o.get(k) is False), None)
                if q.kind == "checklist":
                    partial[k] = False
                elif k in ("birth_year", "birth_month"):
                    partial.update(options[-1])  # the youngest: below the age limit
                else:
                    partial.update(pick or options[0])
        if len(self._typical) > 4096:
            self._typical.clear()
        total = self._typical[key] = asked + extra
        return total

    # --- what a front end shows ---------------------------------------------------------------

    def age_bands(self, as_of: dt.date) -> list[tuple[int, int]]:
        return self.age_limits.bands(as_of)

    def _band_of(self, age: int, as_of: dt.date) -> tuple[int, int]:
        for lo, hi in self.age_bands(as_of):
            if lo <= age <= hi:
                return lo, hi
        return age, age

    def choices(self, question: Question, facts: Mapping[str, Any], as_of: dt.date,
                lang: str) -> list[Choice]:
        """The answer buttons for a question (age bands and birth years depend on the day)."""
        if question.kind == "choice":
            return [Choice(o.id, o.label.get(lang), o.set) for o in question.options]
        if question.kind == "checklist":
            return [Choice(i.fact, i.label.get(lang), {i.fact: True}) for i in question.items]
        if question.kind == "age":
            bands = self.age_bands(as_of)
            return [
                Choice(f"age_{lo}_{hi}", self._band_label(question, lo, hi, i, len(bands), lang),
                       {"age": hi if i == 0 else lo})
                for i, (lo, hi) in enumerate(bands)
            ]
        age = facts.get("age")
        lo, hi = self._band_of(age, as_of) if isinstance(age, int) else (0, 100)
        first, last = as_of.year - hi - 1, as_of.year - lo
        return [Choice(f"y{y}", str(y), {"birth_year": y}) for y in range(first, last + 1)]

    def _band_label(self, q: Question, lo: int, hi: int, index: int, count: int, lang: str) -> str:
        assert q.bands is not None
        if index == 0:
            return q.bands.under.get(lang).format(hi=hi + 1, lo=lo)
        if index == count - 1:
            return q.bands.over.get(lang).format(lo=lo, hi=hi)
        if lo == hi:
            return q.bands.exact.get(lang).format(lo=lo, hi=hi)
        return q.bands.range.get(lang).format(lo=lo, hi=hi)

    def answer_label(self, question: Question, facts: Mapping[str, Any], as_of: dt.date,
                     lang: str) -> str | None:
        """How an answer reads on the review screen; None when the facts hold no answer."""
        if question.kind == "checklist":
            ticked = [i.label.get(lang) for i in question.items if facts.get(i.fact) is True]
            if ticked:
                return "; ".join(ticked)
            if all(facts.get(i.fact) is False for i in question.items):
                return question.none_label.get(lang) if question.none_label else ""
            return None
        if question.kind == "age":
            age = facts.get("age")
            if not isinstance(age, int):
                return None
            bands = self.age_bands(as_of)
            for i, (lo, hi) in enumerate(bands):
                if lo <= age <= hi:
                    return self._band_label(question, lo, hi, i, len(bands), lang)
            return str(age)
        for choice in self.choices(question, facts, as_of, lang):
            if all(facts.get(k) == v and type(facts.get(k)) is type(v)
                   for k, v in choice.set.items()):
                return choice.label
        return None

    def resources(self) -> list[Resource]:
        return [*self.official, *self.independent]

    def notice(self, answers: NoticeAnswers, as_of: dt.date, lang: str) -> NoticeOut:
        """What a notice is and the dates that follow (rules/notice.py; answers from
        `self.notices.answers`, which checks them)."""
        if self.notices is None:
            raise NoticeError("this rule base has no notices")
        return self.notices.notice(answers, as_of, lang)

    def guide(self, id: str, as_of: dt.date, mechanism: str = "unknown") -> GuideOut:
        """A guide's sections in force on `as_of` for the call-up `mechanism` (a notice
        mechanism's id; "unknown" when none is in view); KeyError for an unknown id."""
        return self.guides[id].on(as_of, mechanism)
