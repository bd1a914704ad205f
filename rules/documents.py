"""Written documents (documents.yaml): the templates compiled at load, and which of them fit a
verdict. Decided from the verdict only: a document that needs a ground fits only when one of its
grounds applies (or, with `possible`, may apply), so nobody without a ground is offered a
deferral request. Building the text and the PDF is the front ends' part (interview/papers.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .models import DOCUMENT_KINDS, Document, DocumentForm, DocumentGround, LText
from .verdict import CitationOut, GroundOut, Verdict
from .yamlload import Loc

# scope -> key of Verdict.mechanisms; the main verdict is mobilization's.
SCOPE_MECHANISM = {"conscription": "conscription"}


@dataclass(frozen=True)
class CompiledDocument:
    doc: Document
    code: int  # 1 + its position in DOCUMENT_KINDS: what a button carries
    citations: Mapping[str, tuple[CitationOut, ...]]  # by language
    # doc.wording's citations: by outcome, then by language
    wording_citations: Mapping[str, Mapping[str, tuple[CitationOut, ...]]] = field(
        default_factory=dict)

    @property
    def kind(self) -> str:
        return self.doc.kind


@dataclass(frozen=True)
class DocumentBook:
    form: DocumentForm
    grounds: Mapping[str, DocumentGround]
    documents: Mapping[str, CompiledDocument]  # by kind, in DOCUMENT_KINDS order

    def by_code(self, code: int) -> CompiledDocument | None:
        if not 1 <= code <= len(DOCUMENT_KINDS):
            return None
        return self.documents.get(DOCUMENT_KINDS[code - 1])


@dataclass(frozen=True)
class Fit:
    """A document that fits a verdict, with the grounds it states (in the verdict's order)."""

    document: CompiledDocument
    grounds: tuple[GroundOut, ...]


@dataclass(frozen=True)
class Wording:
    """What a fitting document asks and on which articles, for the grounds it states."""

    subject: str
    grounds_intro: str | None
    requests: tuple[str, ...]
    citations: Mapping[str, tuple[CitationOut, ...]]  # by language


def wording(found: Fit) -> Wording:
    """The document's own words for the one outcome its grounds lead to, else its general ones
    (a mix of deferral and exemption grounds, or no grounds)."""
    compiled = found.document
    doc = compiled.doc
    outcomes = {g.outcome for g in found.grounds}
    if len(outcomes) == 1 and (key := next(iter(outcomes))) in doc.wording:
        w = doc.wording[key]
        return Wording(w.subject, w.grounds_intro, tuple(w.requests),
                       compiled.wording_citations[key])
    return Wording(doc.subject, doc.grounds_intro, tuple(doc.requests), compiled.citations)


def caption(doc: Document, form: DocumentForm, lang: str, date: str) -> str:
    """The document's caption in `lang`: its explanation with the form's filing instructions and
    the deadline's `date` in (what a person reads, and what the loader measures)."""
    return (doc.explanation.get(lang).replace("{filing}", form.filing.get(lang))
            .replace("{date}", date))


def scope_verdict(verdict: Verdict, scope: str) -> tuple[str, tuple[GroundOut, ...]] | None:
    """(outcome, grounds) of the part of the verdict a scope reads; None when it has none (a
    mechanism the rule base does not give, or one that cannot concern the person)."""
    key = SCOPE_MECHANISM.get(scope)
    if key is None:
        return verdict.outcome, verdict.grounds
    mechanisms: Mapping[str, Any] = getattr(verdict, "mechanisms", None) or {}
    mech = mechanisms.get(key)
    if mech is None or not getattr(mech, "concerns", True):
        return None
    return str(mech.outcome), tuple(mech.grounds)


def fit(book: DocumentBook, verdict: Verdict, kind: str) -> Fit | None:
    """The document `kind` for this verdict, or None when it does not fit (or is unknown)."""
    compiled = book.documents.get(kind)
    if compiled is None:
        return None
    doc = compiled.doc
    parts = [part for scope in doc.scopes if (part := scope_verdict(verdict, scope)) is not None
             and (doc.outcomes is None or part[0] in doc.outcomes)]
    if not parts:
        return None
    if doc.deadline is not None and doc.deadline.date is not None and deadline_date(
            doc, verdict) is None:
        return None  # a deadline it must state, and the verdict does not give it
    if doc.grounds is None:
        return Fit(compiled, ())
    statuses = ("applies", "possible") if doc.possible else ("applies",)
    chosen = tuple(g for _, grounds in parts for g in grounds
                   if g.status in statuses and g.id in doc.grounds)
    if not chosen and not doc.optional_grounds:
        return None
    if any(g.outcome != "conditional" for g in chosen):
        # A ground in the law is stated alone: a directive known from reports adds nothing to it.
        chosen = tuple(g for g in chosen if g.outcome != "conditional")
    return Fit(compiled, chosen)


def fitting(book: DocumentBook, verdict: Verdict) -> list[Fit]:
    """Every document that fits, in DOCUMENT_KINDS order."""
    return [f for kind in book.documents if (f := fit(book, verdict, kind)) is not None]


def deadline_date(doc: Document, verdict: Verdict) -> dt.date | None:
    """The date a document's deadline names, as the verdict computed it (a ground's deadline in
    one of the mechanisms it reads); None when it names none or the verdict has none."""
    if doc.deadline is None or doc.deadline.date is None:
        return None
    mechanisms: Mapping[str, Any] = getattr(verdict, "mechanisms", None) or {}
    for scope in doc.scopes:
        mech = mechanisms.get(SCOPE_MECHANISM.get(scope, scope))
        for date in getattr(mech, "dates", ()) if mech is not None else ():
            if date.id == doc.deadline.date:
                return dt.date.fromisoformat(date.date)
    return None


def ru_texts(doc: Document) -> Iterator[tuple[Loc, str]]:
    """Every Russian-only text of a document with its YAML location (for the load checks)."""
    for key in ("to", "intro", "requests", "attachments"):
        for i, text in enumerate(getattr(doc, key)):
            yield (key, i), text
    for key in ("heading", "subject", "grounds_intro"):
        text = getattr(doc, key)
        if text is not None:
            yield (key,), text
    if doc.deadline is not None:
        yield ("deadline", "text"), doc.deadline.text
    for outcome, w in doc.wording.items():
        yield ("wording", outcome, "subject"), w.subject
        if w.grounds_intro is not None:
            yield ("wording", outcome, "grounds_intro"), w.grounds_intro
        for i, text in enumerate(w.requests):
            yield ("wording", outcome, "requests", i), text


def form_texts(form: DocumentForm) -> Iterator[tuple[Loc, str]]:
    """The form's Russian-only texts (`filing` is in both languages, checked as such)."""
    for name, value in form:
        if isinstance(value, LText):
            continue
        if isinstance(value, list):
            for i, text in enumerate(value):
                yield ("form", name, i), text
        else:
            yield ("form", name), value
