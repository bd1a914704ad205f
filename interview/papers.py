"""A written document's content, from the verdict only: the template of documents.yaml filled
with the grounds that apply and their citations. Channel-free: the bot, the terminal and the PDF
renderer (pdf.py) read the same `Paper`.

Nothing about the person goes in: no name, date of birth, address or passport (blank lines for
them come from the template), and no answer beyond what the verdict's grounds state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from rules import RuleSet
from rules.documents import DocumentBook, Fit, caption, deadline_date, fit, fitting, wording
from rules.verdict import CitationOut, Verdict

BODY_LANG = "ru"  # the official language: every document is written in it


@dataclass(frozen=True)
class Paper:
    """What one document says, line by line (Russian), and how it is presented (`title`,
    `caption` in the person's language)."""

    kind: str
    code: int
    file: str
    title: str
    caption: str
    to: tuple[str, ...]
    sender: tuple[str, ...]
    heading: str
    subject: str
    intro: tuple[str, ...]
    grounds_heading: str
    grounds_intro: str | None
    grounds: tuple[str, ...]  # each: the fact, then its citations in parentheses
    basis_heading: str
    basis: str
    requests_heading: str
    requests: tuple[str, ...]
    deadline_heading: str
    deadline: str | None
    attachments_heading: str
    attachments: tuple[str, ...]
    date_line: str
    signature_line: str
    signature_hint: str
    receipt: tuple[str, ...]


class NoDocuments(LookupError):
    """The rule base has no document templates."""


def book_of(rs: RuleSet) -> DocumentBook:
    if rs.documents is None:
        raise NoDocuments("this rule base has no documents.yaml")
    return rs.documents


def verdict_for(rs: RuleSet, facts: Mapping[str, Any], as_of: dt.date | None,
                dont_know: Collection[str] = frozenset()) -> Verdict:
    """The verdict in the documents' language (FactsError on bad facts)."""
    return rs.evaluate(dict(facts), as_of, BODY_LANG, frozenset(dont_know))


def offered(rs: RuleSet, verdict: Verdict) -> list[Fit]:
    """The documents that fit this verdict, in the contract's order."""
    return fitting(book_of(rs), verdict)


def _cited(citations: tuple[CitationOut, ...]) -> str:
    # Published acts first: a commission reads a law; a directive known from reports follows.
    ordered = [c for c in citations if c.published] + [c for c in citations if not c.published]
    labels: list[str] = []
    for c in ordered:
        if c.label not in labels:
            labels.append(c.label)
    return "; ".join(labels)


def ground_line(book: DocumentBook, gid: str, title: str,
                citations: tuple[CitationOut, ...]) -> str:
    """How a document states a ground (Russian): its fact, or its title, then its citations."""
    entry = book.grounds.get(gid)
    fact = entry.fact if entry is not None else title.rstrip(".") + "."
    if entry is not None and entry.omit:
        left = {(ref.act, ref.article) for ref in entry.omit}
        citations = tuple(c for c in citations if (c.act, c.article) not in left)
    cited = _cited(citations)
    return f"{fact.rstrip('.')} ({cited})." if cited else fact


def ground_attachments(book: DocumentBook, gid: str) -> list[str]:
    entry = book.grounds.get(gid)
    return list(entry.attachments) if entry is not None else [book.form.default_attachment]


def basis_line(citations: tuple[CitationOut, ...]) -> str:
    return _cited(citations) + "."


def build(rs: RuleSet, verdict: Verdict, kind: str, lang: str) -> Paper | None:
    """The document `kind` for this verdict (evaluated in Russian, see `verdict_for`), its
    caption in `lang`; None when the kind is unknown or does not fit."""
    book = book_of(rs)
    found = fit(book, verdict, kind)
    if found is None:
        return None
    return paper_of(book, found, deadline_date(found.document.doc, verdict), lang)


def paper_of(book: DocumentBook, found: Fit, due: dt.date | None, lang: str) -> Paper:
    compiled = found.document
    doc = compiled.doc
    words = wording(found)
    form = book.form
    attachments: list[str] = list(doc.attachments)
    for g in found.grounds:
        attachments += [a for a in ground_attachments(book, g.id) if a not in attachments]
    shown_due = due.strftime("%d.%m.%Y") if due else ""
    deadline = doc.deadline.text.replace("{date}", shown_due) if doc.deadline else None
    return Paper(
        kind=doc.kind, code=compiled.code, file=doc.file, title=doc.title.get(lang),
        caption=caption(doc, form, lang, shown_due),
        to=tuple(doc.to), sender=tuple(form.sender), heading=doc.heading, subject=words.subject,
        intro=tuple(doc.intro), grounds_heading=form.grounds_heading,
        grounds_intro=words.grounds_intro if found.grounds else None,
        grounds=tuple(ground_line(book, g.id, g.title, g.citations) for g in found.grounds),
        basis_heading=form.basis_heading, basis=basis_line(words.citations[BODY_LANG]),
        requests_heading=form.requests_heading, requests=words.requests,
        deadline_heading=form.deadline_heading, deadline=deadline,
        attachments_heading=form.attachments_heading, attachments=tuple(attachments),
        date_line=form.date_line, signature_line=form.signature_line,
        signature_hint=form.signature_hint, receipt=tuple(form.receipt),
    )


def plain_text(paper: Paper) -> str:
    """The document as plain text, in reading order (the terminal, "copy text", tests)."""
    lines: list[str] = [*paper.to, *paper.sender, "", paper.heading, paper.subject, ""]
    lines += paper.intro
    if paper.grounds:
        lines.append(paper.grounds_intro or paper.grounds_heading)
        lines += [f"{n}. {g}" for n, g in enumerate(paper.grounds, 1)]
    lines += ["", f"{paper.basis_heading} {paper.basis}", "", paper.requests_heading]
    lines += [f"{n}. {r}" for n, r in enumerate(paper.requests, 1)]
    if paper.deadline:
        lines += ["", f"{paper.deadline_heading} {paper.deadline}"]
    if paper.attachments:
        lines += ["", paper.attachments_heading]
        lines += [f"{n}. {a}" for n, a in enumerate(paper.attachments, 1)]
    lines += ["", f"{paper.date_line}    {paper.signature_line}", paper.signature_hint, ""]
    lines += paper.receipt
    return "\n".join(lines) + "\n"
