"""The written documents' templates as offline/papers.js reads them: the Russian body once, and
each ground's line and attachments as interview/papers.py states them (the same functions).

The page's model (offline/model.js) lists them and shows each as a sheet to print; tests hold
papers.js equal to the bot's documents."""

from __future__ import annotations

from typing import Any

from interview import papers
from rules import RuleSet


def documents_data(rs: RuleSet) -> dict[str, Any] | None:
    book = rs.documents
    if book is None:
        return None
    lang = papers.BODY_LANG
    # Only the grounds a document can state.
    stated = {gid for c in book.documents.values() for gid in c.doc.grounds or ()}
    grounds = {cg.ground.id: {
        "line": papers.ground_line(book, cg.ground.id, cg.ground.title.get(lang), cg.citations[lang]),
        "attachments": papers.ground_attachments(book, cg.ground.id),
    } for cg in rs.grounds if cg.ground.id in stated}
    docs = []
    for c in book.documents.values():
        d = c.doc
        docs.append({
            "kind": d.kind, "scopes": list(d.scopes), "file": d.file, "grounds": d.grounds,
            "possible": d.possible, "optional": d.optional_grounds, "outcomes": d.outcomes,
            "to": d.to, "heading": d.heading, "subject": d.subject, "intro": d.intro,
            "groundsIntro": d.grounds_intro, "requests": d.requests, "attachments": d.attachments,
            "deadline": d.deadline.model_dump() if d.deadline else None,
            "basis": papers.basis_line(c.citations[lang]),
            "wording": {outcome: {"subject": w.subject, "groundsIntro": w.grounds_intro,
                                  "requests": w.requests,
                                  "basis": papers.basis_line(c.wording_citations[outcome][lang])}
                        for outcome, w in d.wording.items()},
        })
    return {"form": book.form.model_dump(exclude={"filing"}), "grounds": grounds, "docs": docs}


def titles(rs: RuleSet, lang: str) -> dict[str, dict[str, str]]:
    """Each kind's title and caption in `lang`."""
    return {kind: {"title": c.doc.title.get(lang), "explanation": c.doc.explanation.get(lang)}
            for kind, c in (rs.documents.documents.items() if rs.documents else ())}


def page_texts(rs: RuleSet, lang: str) -> dict[str, Any]:
    """What the page's texts in `lang` carry for the documents: titles and captions (`papers`),
    and how to file them, which a caption says as {filing} (`filing`)."""
    return {"papers": titles(rs, lang),
            "filing": rs.documents.form.filing.get(lang) if rs.documents else ""}
