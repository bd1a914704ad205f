"""The verdict: what `RuleSet.evaluate` returns and `python -m rules evaluate --json` prints."""

from __future__ import annotations

from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict

from .models import Confidence, GroundOutcome, Outcome

Status = Literal["applies", "possible"]

# Strongest first; "subject" and "undetermined" are the two "nothing applies" results.
STRENGTH: dict[str, int] = {
    "not_subject": 3,
    "deferral": 2,
    "conditional": 1,
    "subject": 0,
    "undetermined": 0,
}


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)

    @classmethod
    def build(cls, **values: Any) -> Self:
        """Construct without validation, faster than `model_construct` (the engine builds
        verdicts from data validated at load; this keeps `evaluate` within its budget)."""
        obj = object.__new__(cls)
        setattr_ = object.__setattr__
        setattr_(obj, "__dict__", values)
        fields = _FIELDS_SET.get(cls)
        if fields is None:
            fields = _FIELDS_SET[cls] = set(cls.model_fields)
        setattr_(obj, "__pydantic_fields_set__", fields)
        setattr_(obj, "__pydantic_extra__", None)
        setattr_(obj, "__pydantic_private__", None)
        return obj


_FIELDS_SET: dict[type, set[str]] = {}


class CitationOut(Out):
    act: str
    article: str | None
    point: str | None
    item: str | None
    label: str
    date: str | None
    url: str | None
    confidence: Confidence
    published: bool  # the act itself is public (not a directive, decision or statement)
    confirmed: bool  # [V] and seen in the official text or a verbatim legal-database excerpt
    kind: str  # "published" act, "unpublished" directive/letter, or official "statement"
    by: str | None  # who reported the unpublished act, or who made the statement


class GroundOut(Out):
    id: str
    outcome: GroundOutcome
    status: Status
    title: str
    explanation: str
    todo: str
    note: str | None
    confidence: Confidence  # its weakest essential element
    citations: tuple[CitationOut, ...]
    needs: tuple[str, ...]


class AdviceOut(Out):
    ground_id: str
    text: str


class TextOut(Out):
    id: str
    text: str


class BasisOut(Out):
    """The rule a verdict rests on when no ground applies (a "subject" verdict)."""

    title: str
    citations: tuple[CitationOut, ...]


class DateOut(Out):
    """A date the law fixes for this person, computed from the facts and the as-of day (e.g. the
    next deadline to apply for alternative civilian service)."""

    id: str
    date: str  # ISO YYYY-MM-DD
    text: str  # what the date is, in the verdict's language


class WithGrounds(Out):
    """An answer with its grounds listed, applying first: which apply and which are possible."""

    grounds: tuple[GroundOut, ...]

    @property
    def applying(self) -> tuple[GroundOut, ...]:
        return tuple(g for g in self.grounds if g.status == "applies")

    @property
    def possible(self) -> tuple[GroundOut, ...]:
        return tuple(g for g in self.grounds if g.status == "possible")


class MechanismOut(WithGrounds):
    """One call-up mechanism's answer: mobilization (Decree 647), conscription (53-FZ) or the
    reservists' assemblies (training and special). Exempt counts as "not_subject"."""

    id: str  # "mobilization", "conscription" or "assemblies"
    outcome: Outcome
    concerns: bool  # False: the mechanism cannot concern the person (a woman and conscription)
    until: str | None  # the last day of this outcome where the law fixes it by date (ISO), or None
    grounds: tuple[GroundOut, ...]  # applying, then possible (as Verdict.grounds)
    missing: tuple[str, ...]  # facts that could still change this mechanism's outcome
    caveats: tuple[TextOut, ...]
    notes: tuple[TextOut, ...]
    steps: tuple[TextOut, ...]
    basis: BasisOut | None  # for "subject": the rule that makes it so
    dates: tuple[DateOut, ...]


class Verdict(WithGrounds):
    outcome: Outcome
    as_of: str
    rules_version: str
    grounds: tuple[GroundOut, ...]  # applying, then possible; see `skipped`
    advice: tuple[AdviceOut, ...]
    missing: tuple[str, ...]
    caveats: tuple[TextOut, ...]  # only the relevant ones, most important first
    notes: tuple[TextOut, ...]  # date notes, relevant ones, most important first
    steps: tuple[TextOut, ...]  # next steps, relevant ones, in rank order
    basis: BasisOut | None  # for "subject": the rule that makes it so
    skipped: int  # possible grounds not listed: their facts were never asked (settled before)
    # Every mechanism by id ("mobilization", "conscription", "assemblies"); "mobilization" repeats
    # the fields above.
    mechanisms: dict[str, MechanismOut]
