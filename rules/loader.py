"""Loading a rule base directory: strict parsing, cross-reference checks, its own tests, version."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .age import RANKS, SEXES
from .compiled import CompiledGround, CompiledText
from .conditions import Compiled, ConditionError, compile_condition
from .documents import CompiledDocument, DocumentBook, caption, form_texts, ru_texts
from .engine import RuleSet, weakest
from .facts import BIRTH_KEYS, FACTS, FactsError, check_value
from .guides import TELEGRAM_MESSAGE_LIMIT, CompiledGuide, CompiledSection
from .models import (
    DOCUMENT_KINDS,
    FILE_MODELS,
    LANGS,
    ActsFile,
    AgeLimit,
    AgeLimitsFile,
    All,
    Any_,
    BirthYearLimit,
    Caveat,
    CaveatsFile,
    Condition,
    ConscriptionAge,
    DocumentsFile,
    GroundsFile,
    GuidesFile,
    Note,
    NoticesFile,
    NoticeTest,
    QuestionsFile,
    Resource,
    ResourcesFile,
    RuleTest,
    Step,
    StepsFile,
    TestsFile,
)
from .notice import NoticeBook, build_notices, check_notice_test, check_test_refs
from .textcheck import check_texts, render, visible_length
from .verdict import STRENGTH, BasisOut, CitationOut, MechanismOut, TextOut
from .yamlload import (
    Loc,
    RuleBaseError,
    RuleBaseErrors,
    YamlDoc,
    decode,
    field_path,
    parse_yaml,
)

DEFAULT_RULES_DIR = Path(__file__).resolve().parent / "data"
TESTS_DIR = "tests"
# A link could make the rule base read any file the process can (or a device that never ends).
NOT_PLAIN = "not a plain file: symbolic links and special files are not followed"
# Front ends link to these guides from the greeting and the verdict.
REQUIRED_GUIDES = ("already_serving", "summons")
# The call-ups a guide section may be for: the mechanisms of the verdict and of notices.yaml,
# "unknown" being a guide opened with none in view.
GUIDE_MECHANISMS = ("registration", "conscription", "assemblies", "mobilization", "unknown")


def rules_version(root: Path) -> str:
    """First 8 hex digits of SHA-256 over the sorted (relative path, LF-normalised bytes)."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.yaml"), key=lambda p: p.relative_to(root).as_posix()):
        if path.is_symlink() or not path.is_file():  # never followed (see NOT_PLAIN)
            continue
        rel = path.relative_to(root).as_posix()
        data = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        digest.update(rel.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()[:8]


class _Collector:
    def __init__(self) -> None:
        self.errors: list[RuleBaseError] = []

    def add(self, doc: YamlDoc, loc: Loc, message: str) -> None:
        self.errors.append(RuleBaseError(doc.file, doc.line_of(loc), field_path(loc), message))


def _clean_loc(data: Any, loc: tuple[Any, ...]) -> tuple[Loc, bool]:
    """Drop pydantic's union-member markers from a location; say whether one was dropped."""
    out: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            out.append(part)
            node = node[part]
        elif last and isinstance(part, str | int):
            out.append(part)
        else:
            return tuple(out), True
    return tuple(out), False


def _validate(doc: YamlDoc, model: type[Any], errs: _Collector) -> Any | None:
    if not isinstance(doc.data, dict):
        found = ("nothing (the file is empty)" if doc.data is None
                 else "a list" if isinstance(doc.data, list) else "a single value")
        errs.add(doc, (), f"expected a mapping at the top of the file, found {found}")
        return None
    try:
        return model.model_validate(doc.data, by_alias=True)
    except ValidationError as exc:
        reported: set[Loc] = set()
        for e in exc.errors():
            loc, in_union = _clean_loc(doc.data, tuple(e["loc"]))
            if loc in reported:
                continue
            reported.add(loc)
            if in_union:
                msg = "not a valid form here" + (
                    " (a condition is one of {fact, is}, {fact, in}, {fact, at_least},"
                    " {age_limit}, {all}, {any})"
                    if loc and loc[-1] in ("when",)
                    else f" ({e['msg']})"
                )
            elif e["type"] == "extra_forbidden":
                msg = "unknown key"
            elif e["type"] == "missing":
                msg = "required key is missing"
            elif e["type"] == "string_type" and isinstance(e.get("input"), bool):
                msg = "a boolean where a string is meant (YAML 1.1 reads yes/no/on/off so): quote it"
            else:
                msg = e["msg"]
            errs.add(doc, loc, msg)
        return None


def load(path: str | Path | None = None, *, run_tests: bool = True) -> RuleSet:
    """Load, validate and (by default) test a rule base; raise RuleBaseErrors naming every problem."""
    root = Path(path) if path is not None else DEFAULT_RULES_DIR
    if not root.is_dir():
        raise RuleBaseErrors([RuleBaseError(str(root), None, "", "not a directory")])
    errs = _Collector()
    docs: dict[str, YamlDoc] = {}
    names = [*FILE_MODELS]
    present = {p.name for p in root.glob("*.yaml")}
    for extra in sorted(present - set(names)):
        errs.errors.append(RuleBaseError(extra, None, "", "unknown file in the rule base"))
    test_files = sorted((root / TESTS_DIR).glob("*.yaml")) if (root / TESTS_DIR).is_dir() else []
    if not test_files:
        errs.errors.append(RuleBaseError(f"{TESTS_DIR}/", None, "", "the rule base has no tests"))
    sources = [(n, root / n) for n in names] + [
        (f"{TESTS_DIR}/{p.name}", p) for p in test_files
    ]
    if (root / TESTS_DIR).is_symlink():
        errs.errors.append(RuleBaseError(f"{TESTS_DIR}/", None, "", NOT_PLAIN))
        sources = [(n, f) for n, f in sources if not n.startswith(f"{TESTS_DIR}/")]
    for name, file in sources:
        if file.is_symlink() or (file.exists() and not file.is_file()):
            errs.errors.append(RuleBaseError(name, None, "", NOT_PLAIN))
            continue
        try:
            data = file.read_bytes()
        except FileNotFoundError:
            errs.errors.append(RuleBaseError(name, None, "", "file is missing"))
            continue
        except OSError as exc:
            errs.errors.append(RuleBaseError(name, None, "", f"cannot read: {exc.strerror}"))
            continue
        try:
            docs[name] = parse_yaml(decode(data, name), name)
        except RuleBaseError as exc:
            errs.errors.append(exc)
    parsed: dict[str, Any] = {}
    for name, doc in docs.items():
        model = FILE_MODELS.get(name, TestsFile)
        value = _validate(doc, model, errs)
        if value is not None:
            parsed[name] = value
    if errs.errors:
        raise RuleBaseErrors(errs.errors)
    # What a person reads, rendered; reported with the cross-reference checks below, unless a
    # text could not even be formatted (building would format it).
    unformattable = False
    for name, value in parsed.items():
        for problem in check_texts(value):
            errs.add(docs[name], problem.loc, problem.message)
            unformattable |= problem.unformattable
    if unformattable:
        raise RuleBaseErrors(errs.errors)
    ruleset = _build(root, docs, parsed, errs)
    if errs.errors or ruleset is None:
        raise RuleBaseErrors(errs.errors)
    if run_tests:
        failures = run_rule_tests(ruleset, docs)
        if failures:
            raise RuleBaseErrors(failures)
    return ruleset


def _compile(cond: Condition, doc: YamlDoc, loc: Loc, errs: _Collector) -> Compiled | None:
    try:
        return compile_condition(cond, loc)
    except ConditionError as exc:
        errs.add(doc, exc.loc, str(exc))
        return None


def _check_resource(res: Resource, official: bool, doc: YamlDoc, loc: Loc,
                    errs: _Collector) -> None:
    """A help entry must be reachable, sourced, dated, and say plainly what the state declared."""
    if official != (res.kind == "state"):
        errs.add(doc, (*loc, "kind"), "an `official` entry must be of kind `state`" if official
                 else "a state channel goes under `official`")
    if not res.contacts():
        errs.add(doc, (*loc, "url"), "no contact: give url, telegram, email or phone")
    # A day of slack: a checked-on date written in Moscow may be "tomorrow" in UTC.
    if res.checked > dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1):
        errs.add(doc, (*loc, "checked"), "checked-on date is in the future")
    status = res.legal_status
    if status is not None:
        sloc = (*loc, "legal_status")
        if status.since > res.checked:
            errs.add(doc, (*sloc, "since"), "status date is after the checked-on date")
        shown = status.since.strftime("%d.%m.%Y")
        for lang in LANGS:
            if shown not in status.text.get(lang):
                errs.add(doc, (*sloc, "text", lang), f"must give the date {shown}")
    undesirable = status is not None and status.kind == "undesirable"
    if res.risk != undesirable:
        errs.add(doc, (*loc, "risk"), "risk must be true exactly when the status is undesirable")
    if undesirable:
        if res.warning is None:
            errs.add(doc, (*loc, "warning"), "an undesirable organisation needs a risk warning")
        else:
            for lang in LANGS:
                if "284.1" not in res.warning.get(lang) or "20.33" not in res.warning.get(lang):
                    errs.add(doc, (*loc, "warning", lang),
                             "the warning must name Art. 284.1 of the Criminal Code and "
                             "Art. 20.33 of the Code of Administrative Offences")
    elif res.warning is not None:
        errs.add(doc, (*loc, "warning"), "a risk warning only goes with an undesirable status")


def _build(root: Path, docs: dict[str, YamlDoc], parsed: dict[str, Any],
           errs: _Collector) -> RuleSet | None:
    acts_file: ActsFile = parsed["acts.yaml"]
    limits_file: AgeLimitsFile = parsed["age_limits.yaml"]
    grounds_file: GroundsFile = parsed["grounds.yaml"]
    questions_file: QuestionsFile = parsed["questions.yaml"]
    caveats_file: CaveatsFile = parsed["caveats.yaml"]
    resources_file: ResourcesFile = parsed["resources.yaml"]
    steps_file: StepsFile = parsed["steps.yaml"]
    acts = acts_file.acts

    def citations_out(doc: YamlDoc, loc: Loc, cites: list[Any]) -> dict[str, tuple[CitationOut, ...]]:
        out: dict[str, list[CitationOut]] = {lang: [] for lang in LANGS}
        for i, c in enumerate(cites):
            act = acts.get(c.act)
            if act is None:
                errs.add(doc, (*loc, i, "act"), f"unknown act {c.act!r} (not in acts.yaml)")
                continue
            date = c.date or act.date
            for lang in LANGS:
                out[lang].append(CitationOut.build(
                    act=c.act, article=c.article, point=c.point, item=c.item,
                    label=c.label.get(lang), date=date.isoformat() if date else None,
                    url=c.url or act.url, confidence=c.confidence, published=act.published,
                    confirmed=c.confidence == "V" and c.verbatim, kind=act.label_kind,
                    by=act.by.get(lang) if act.by else None,
                ))
        return {lang: tuple(v) for lang, v in out.items()}

    # Age limits
    ldoc = docs["age_limits.yaml"]
    for i, period in enumerate(limits_file.age_limits):
        loc: Loc = ("age_limits", i)
        if period.valid_from and period.valid_until and period.valid_from > period.valid_until:
            errs.add(ldoc, (*loc, "valid_until"), "ends before it starts")
        if i:
            prev = limits_file.age_limits[i - 1]
            if prev.valid_until is None or period.valid_from is None or (
                period.valid_from != prev.valid_until + dt.timedelta(days=1)
            ):
                errs.add(ldoc, (*loc, "valid_from"), "periods must follow each other day by day")
        for sex in SEXES:
            table = period.male if sex == "male" else period.female
            for rank in sorted(set(RANKS) - set(table)):
                errs.add(ldoc, (*loc, sex), f"no limit for rank {rank}")
            for rank, value in table.items():
                if rank not in RANKS:
                    errs.add(ldoc, (*loc, sex, rank), f"unknown rank {rank!r}")
                elif isinstance(value, list):
                    _check_years(value, ldoc, (*loc, sex, rank), errs)
        citations_out(ldoc, (*loc, "citations"), period.citations)
    for i, cperiod in enumerate(limits_file.conscription_age):
        loc = ("conscription_age", i)
        if cperiod.minimum >= cperiod.maximum:
            errs.add(ldoc, (*loc, "maximum"), "the maximum must exceed the minimum")
        if cperiod.minimum != limits_file.conscription_age[-1].minimum:
            errs.add(ldoc, (*loc, "minimum"), "every period has the same minimum")
        if i:
            before = limits_file.conscription_age[i - 1]
            if before.valid_until is None or cperiod.valid_from is None or (
                cperiod.valid_from != before.valid_until + dt.timedelta(days=1)
            ):
                errs.add(ldoc, (*loc, "valid_from"), "periods must follow each other day by day")
        citations_out(ldoc, (*loc, "citations"), cperiod.citations)

    # Grounds
    gdoc = docs["grounds.yaml"]
    grounds: list[CompiledGround] = []
    seen: set[str] = set()
    age_conf = weakest([p.confidence for p in limits_file.age_limits])
    for i, g in enumerate(grounds_file.grounds):
        loc = ("grounds", i)
        if g.id in seen:
            errs.add(gdoc, (*loc, "id"), f"duplicate ground id {g.id!r}")
        seen.add(g.id)
        if g.valid_from and g.valid_until and g.valid_from > g.valid_until:
            errs.add(gdoc, (*loc, "valid_until"), "ends before it starts")
        if g.scope and g.outcome != "not_subject":
            errs.add(gdoc, (*loc, "scope"), "a ground outside a mechanism's scope is not_subject")
        if g.mechanism == "mobilization" and (g.scope or g.deadline):
            errs.add(gdoc, (*loc, "mechanism"),
                     "mobilization always concerns the person and gives no dates")
        cond = _compile(g.when, gdoc, (*loc, "when"), errs)
        advice = _compile(g.advice.when, gdoc, (*loc, "advice", "when"), errs) if g.advice else None
        cites = citations_out(gdoc, (*loc, "citations"), g.citations)
        labels = [c.confidence for c in g.citations]
        kinds = _leaf_kinds(g.when)
        if "age_limit" in kinds:
            labels.append(age_conf)
        if "conscription_age" in kinds:
            labels.append(weakest([p.confidence for p in limits_file.conscription_age]))
        if cond is not None:
            grounds.append(CompiledGround(
                ground=g, cond=cond, advice=advice, strength=STRENGTH[g.outcome], order=i,
                confidence=weakest(labels), citations=cites,
            ))

    # Questions
    qdoc = docs["questions.yaml"]
    asked: dict[str, str] = {}
    qids: set[str] = set()
    for i, q in enumerate(questions_file.questions):
        loc = ("questions", i)
        if q.id in qids:
            errs.add(qdoc, (*loc, "id"), f"duplicate question id {q.id!r}")
        qids.add(q.id)
        _check_question(q, qdoc, loc, errs)
        for key in q.facts:
            if key in asked:
                errs.add(qdoc, (*loc, "id"), f"fact {key} is already asked by {asked[key]}")
            asked.setdefault(key, q.id)
    used = {k for cg in grounds for k in cg.cond.facts} - {"birth_date"}
    for key in sorted(used - set(asked)):
        errs.add(qdoc, ("questions",), f"fact {key} decides a ground but no question asks it")

    # Caveats, notes and next steps
    cdoc = docs["caveats.yaml"]
    sdoc = docs["steps.yaml"]
    caveats: list[CompiledText] = []
    notes: list[CompiledText] = []
    steps: list[CompiledText] = []
    sections: list[tuple[YamlDoc, str, str, Sequence[Caveat | Note | Step], list[CompiledText]]] = [
        (cdoc, "caveats", "caveat", caveats_file.caveats, caveats),
        (cdoc, "notes", "note", caveats_file.notes, notes),
        (sdoc, "steps", "step", steps_file.steps, steps),
    ]
    for doc, section, kind, items, target in sections:
        ids: set[str] = set()
        for i, item in enumerate(items):
            loc = (section, i)
            if item.id in ids:
                errs.add(doc, (*loc, "id"), f"duplicate id {item.id!r}")
            ids.add(item.id)
            if item.from_ and item.until and item.from_ > item.until:
                errs.add(doc, (*loc, "until"), "ends before it starts")
            when = _compile(item.when, doc, (*loc, "when"), errs) if item.when else None
            rank_if = []
            for j, r in enumerate(getattr(item, "rank_if", None) or []):
                cond = _compile(r.when, doc, (*loc, "rank_if", j, "when"), errs)
                if cond is not None:
                    rank_if.append((cond, r.rank, r.when))
            open_facts = getattr(item, "missing", None)
            for j, key in enumerate(open_facts or []):
                if key not in FACTS:
                    errs.add(doc, (*loc, "missing", j), f"unknown fact {key!r}")
            target.append(CompiledText(
                id=item.id,
                texts={lang: TextOut.build(id=item.id, text=item.text.get(lang))
                       for lang in LANGS},
                start=item.from_, until=item.until,
                outcomes=frozenset(item.outcomes) if item.outcomes else None, when=when,
                source=item.when, kind=kind, rank=item.rank, order=i,
                missing=frozenset(open_facts) if open_facts else None,
                rank_if=tuple(rank_if),
                mechanism=item.mechanism,
            ))
    mechanism_bases: dict[str, dict[str, dict[str, BasisOut]]] = {}
    for i, basis in enumerate(steps_file.bases):
        bases = mechanism_bases.setdefault(basis.mechanism, {})
        if basis.outcome in bases:
            errs.add(sdoc, ("bases", i, "outcome"),
                     f"a second basis for {basis.outcome} ({basis.mechanism})")
        cites = citations_out(sdoc, ("bases", i, "citations"), basis.citations)
        bases[basis.outcome] = {lang: BasisOut.build(title=basis.title.get(lang),
                                                     citations=cites[lang]) for lang in LANGS}

    # Resources
    rdoc = docs["resources.yaml"]
    rids: set[str] = set()
    for kind in ("official", "independent"):
        for i, res in enumerate(getattr(resources_file, kind)):
            if res.id in rids:
                errs.add(rdoc, (kind, i, "id"), f"duplicate id {res.id!r}")
            rids.add(res.id)
            _check_resource(res, kind == "official", rdoc, (kind, i), errs)

    # Guides
    guides = _build_guides(docs["guides.yaml"], parsed["guides.yaml"], citations_out, errs)
    notices_file: NoticesFile = parsed["notices.yaml"]
    notices = build_notices(docs["notices.yaml"], notices_file, citations_out, errs)

    # Written documents
    documents = _build_documents(
        docs["documents.yaml"], parsed["documents.yaml"],
        {g.id: g.citations for g in grounds_file.grounds},
        {g.deadline.id for g in grounds_file.grounds if g.deadline}, citations_out, errs)

    # Tests refer to grounds and facts
    tests: list[RuleTest] = []
    names: set[str] = set()
    for name, value in parsed.items():
        if not isinstance(value, TestsFile):
            continue
        tdoc = docs[name]
        for i, t in enumerate(value.tests):
            loc = ("tests", i)
            if t.name in names:
                errs.add(tdoc, (*loc, "name"), f"duplicate test name {t.name!r}")
            names.add(t.name)
            exps: list[Any] = [t.expect, *(t.expect.mechanisms or {}).values()]
            if t.expect.outcome is None and not t.expect.mechanisms:
                errs.add(tdoc, (*loc, "expect"), "expects nothing: give outcome or mechanisms")
            if (t.expect.outcome is None) != (t.expect.applies is None):
                errs.add(tdoc, (*loc, "expect"), "outcome and applies go together")
            for exp in exps:
                for gid in [*(exp.applies or []), *(exp.possible or [])]:
                    if gid not in seen:
                        errs.add(tdoc, (*loc, "expect"), f"unknown ground {gid!r}")
                for key in exp.missing or []:
                    if key not in FACTS:
                        errs.add(tdoc, (*loc, "expect", "missing"), f"unknown fact {key!r}")
            tests.append(t)
        for i, nt in enumerate(value.notice_tests):
            if nt.name in names:
                errs.add(tdoc, ("notice_tests", i, "name"), f"duplicate test name {nt.name!r}")
            names.add(nt.name)
            check_test_refs(tdoc, ("notice_tests", i), notices, nt, errs)
            notices.tests.append(nt)

    if errs.errors:
        return None
    return RuleSet(
        version=rules_version(root), acts=acts, grounds=grounds,
        age_limits=limits_file.age_limits, questions=questions_file.questions,
        caveats=caveats, notes=notes, steps=steps,
        bases=mechanism_bases.get("mobilization", {}), mechanism_bases=mechanism_bases,
        conscription_age=limits_file.conscription_age,
        official=resources_file.official,
        independent=resources_file.independent, tests=tests, guides=guides,
        documents=documents,
        notices=notices,
    )


def _build_guides(doc: YamlDoc, guides_file: GuidesFile, citations_out: Any,
                  errs: _Collector) -> dict[str, CompiledGuide]:
    guides: dict[str, CompiledGuide] = {}
    for i, guide in enumerate(guides_file.guides):
        loc: Loc = ("guides", i)
        if guide.id in guides:
            errs.add(doc, (*loc, "id"), f"duplicate guide id {guide.id!r}")
            continue
        sections = []
        for j, section in enumerate(guide.sections):
            sloc = (*loc, "sections", j)
            if section.from_ and section.until and section.from_ > section.until:
                errs.add(doc, (*sloc, "until"), "ends before it starts")
            for mech in section.mechanisms or ():
                if mech not in GUIDE_MECHANISMS:
                    errs.add(doc, (*sloc, "mechanisms"), f"unknown call-up {mech!r}")
            sections.append(CompiledSection(
                section=section, citations=citations_out(doc, (*sloc, "citations"), section.citations)))
        compiled = CompiledGuide(id=guide.id, title=guide.title, sections=tuple(sections))
        lang, day, length = compiled.longest()
        if length > TELEGRAM_MESSAGE_LIMIT:
            errs.add(doc, (*loc, "sections"),
                     f"too long for one Telegram message: about {length} visible characters in"
                     f" {lang} on {day.isoformat()} (at most {TELEGRAM_MESSAGE_LIMIT})")
        guides[guide.id] = compiled
    for gid in REQUIRED_GUIDES:
        if gid not in guides:
            errs.add(doc, ("guides",), f"guide {gid!r} is missing (front ends link to it)")
    return guides


# Telegram's limit for a document's caption (visible characters after entity parsing).
CAPTION_LIMIT = 1024
SAMPLE_DATE = "30.09.2027"  # as wide as any deadline prints


def _build_documents(doc: YamlDoc, file: DocumentsFile, ground_citations: Mapping[str, list[Any]],
                     deadline_ids: set[str], citations_out: Any,
                     errs: _Collector) -> DocumentBook:
    """The templates, checked: kinds and files once each, every kind of the contract present,
    grounds that exist, Russian texts without stray {fields}, captions that fit Telegram."""
    for gid, entry in file.grounds.items():
        if gid not in ground_citations:
            errs.add(doc, ("grounds", gid), f"unknown ground {gid!r} (not in grounds.yaml)")
            continue
        cited = {(c.act, c.article) for c in ground_citations[gid]}
        for j, ref in enumerate(entry.omit):
            if (ref.act, ref.article) not in cited:
                errs.add(doc, ("grounds", gid, "omit", j),
                         f"{ref.act} Art. {ref.article} is not among the ground's citations")
    for loc, text in form_texts(file.form):
        _check_ru(doc, loc, text, None, errs)
    compiled: dict[str, CompiledDocument] = {}
    files: set[str] = set()
    for i, d in enumerate(file.documents):
        dloc: Loc = ("documents", i)
        if d.kind in compiled:
            errs.add(doc, (*dloc, "kind"), f"duplicate document kind {d.kind!r}")
            continue
        if d.file in files:
            errs.add(doc, (*dloc, "file"), f"file name {d.file!r} is used twice")
        files.add(d.file)
        if isinstance(d.grounds, list):
            for j, gid in enumerate(d.grounds):
                if gid not in file.grounds:
                    errs.add(doc, (*dloc, "grounds", j),
                             f"ground {gid!r} has no entry in the `grounds` table of this file")
        elif d.grounds is None and (d.possible or d.optional_grounds):
            errs.add(doc, (*dloc, "grounds"), "possible and optional_grounds need `grounds`")
        computed = d.deadline is not None and d.deadline.date is not None
        if computed and d.deadline is not None and d.deadline.date not in deadline_ids:
            errs.add(doc, (*dloc, "deadline", "date"),
                     f"{d.deadline.date!r} is no ground's deadline in grounds.yaml")
        fields: dict[str, object] | None = {"date": SAMPLE_DATE} if computed else None
        for tloc, text in ru_texts(d):
            _check_ru(doc, (*dloc, *tloc), text, fields if tloc == ("deadline", "text") else None,
                      errs)
        for lang in LANGS:
            explanation = d.explanation.get(lang)
            if "{date}" in explanation and not computed:
                errs.add(doc, (*dloc, "explanation", lang),
                         "{date} is only given to a document whose deadline names a date")
                continue
            shown = caption(d, file.form, lang, SAMPLE_DATE)
            length = visible_length(d.title.get(lang)) + 2 + visible_length(shown)
            if length > CAPTION_LIMIT:
                errs.add(doc, (*dloc, "explanation", lang),
                         f"title and explanation take {length} characters, more than the "
                         f"{CAPTION_LIMIT} of a Telegram caption")
        if d.wording and d.grounds is None:
            errs.add(doc, (*dloc, "wording"), "`wording` by outcome needs `grounds`")
        compiled[d.kind] = CompiledDocument(
            doc=d, code=DOCUMENT_KINDS.index(d.kind) + 1,
            citations=citations_out(doc, (*dloc, "citations"), d.citations),
            wording_citations={outcome: citations_out(doc, (*dloc, "wording", outcome, "citations"),
                                                      w.citations)
                               for outcome, w in d.wording.items()})
    for kind in DOCUMENT_KINDS:
        if kind not in compiled:
            errs.add(doc, ("documents",), f"document kind {kind!r} is missing (front ends offer it)")
    ordered = {kind: compiled[kind] for kind in DOCUMENT_KINDS if kind in compiled}
    return DocumentBook(form=file.form, grounds=dict(file.grounds), documents=ordered)


def _check_ru(doc: YamlDoc, loc: Loc, text: str, fields: dict[str, object] | None,
              errs: _Collector) -> None:
    try:
        render(text, fields)
    except ValueError as exc:
        errs.add(doc, loc, str(exc))
        return
    if fields and not all("{" + name + "}" in text for name in fields):
        errs.add(doc, loc, "must give " + ", ".join("{" + f + "}" for f in fields))


def _leaf_kinds(cond: Condition) -> set[str]:
    """The age leaves a condition holds ("age_limit", "conscription_age")."""
    if isinstance(cond, All | Any_):
        return set().union(*(_leaf_kinds(p) for p in (cond.all if isinstance(cond, All)
                                                       else cond.any)))
    if isinstance(cond, AgeLimit):
        return {"age_limit"}
    if isinstance(cond, ConscriptionAge):
        return {"conscription_age"}
    return set()


def _check_years(entries: list[BirthYearLimit], doc: YamlDoc, loc: Loc, errs: _Collector) -> None:
    """Birth-year entries must cover every year once, in order, with limits never falling."""
    for j, entry in enumerate(entries):
        first, last = j == 0, j == len(entries) - 1
        if (entry.born_from is None) != first or (entry.born_until is None) != last:
            errs.add(doc, (*loc, j), "entries must run from an open start to an open end")
            return
        if j and entry.born_from != (entries[j - 1].born_until or 0) + 1:
            errs.add(doc, (*loc, j, "born_from"), "must follow the previous entry's born_until")
        if j and entry.limit < entries[j - 1].limit:
            errs.add(doc, (*loc, j, "limit"), "a later birth year cannot have a lower limit")


def _check_question(q: Any, doc: YamlDoc, loc: Loc, errs: _Collector) -> None:
    if q.kind == "choice":
        if len(q.options) < 2:
            errs.add(doc, (*loc, "options"), "a choice needs at least two options")
        ids: set[str] = set()
        for j, option in enumerate(q.options):
            if option.id in ids:
                errs.add(doc, (*loc, "options", j, "id"), f"duplicate option id {option.id!r}")
            ids.add(option.id)
            for key, value in option.set.items():
                if key not in FACTS or key in ("age", "birth_year", "birth_date"):
                    errs.add(doc, (*loc, "options", j, "set", key), f"cannot set fact {key!r}")
                    continue
                try:
                    check_value(FACTS[key], value)
                except FactsError as exc:
                    errs.add(doc, (*loc, "options", j, "set", key), str(exc))
    elif q.kind == "checklist":
        if not q.items:
            errs.add(doc, (*loc, "items"), "a checklist needs items")
        if q.review is None:
            errs.add(doc, (*loc, "review"), "a checklist needs a review text: what it asks, "
                     "as the review of answers names it")
        for j, item in enumerate(q.items):
            spec = FACTS.get(item.fact)
            if spec is None or spec.kind != "bool":
                errs.add(doc, (*loc, "items", j, "fact"), f"{item.fact!r} is not a yes/no fact")
    elif q.kind == "age" and q.bands is None:
        errs.add(doc, (*loc, "bands"), "an age question needs band labels")
    if q.kind != "choice" and q.options:
        errs.add(doc, (*loc, "options"), f"a {q.kind} question takes no options")
    if q.kind != "checklist" and q.items:
        errs.add(doc, (*loc, "items"), f"a {q.kind} question takes no items")


def run_rule_tests(ruleset: RuleSet, docs: dict[str, YamlDoc] | None = None) -> list[RuleBaseError]:
    """Run the rule base's own tests; each failure names its file, line and test."""
    failures: list[RuleBaseError] = []
    for name, doc in (docs or {}).items():
        if not name.startswith(f"{TESTS_DIR}/") or not isinstance(doc.data, dict):
            continue
        for i, raw in enumerate(doc.data.get("tests") or []):
            test = RuleTest.model_validate(raw, by_alias=True)
            problem = check_rule_test(ruleset, test)
            if problem:
                loc: Loc = ("tests", i)
                failures.append(RuleBaseError(
                    name, doc.line_of(loc), field_path(loc), f"{test.name}: {problem}"
                ))
        failures += _run_notice_tests(ruleset.notices, name, doc)
    return failures


def _run_notice_tests(book: NoticeBook | None, name: str, doc: YamlDoc) -> list[RuleBaseError]:
    failures: list[RuleBaseError] = []
    for i, raw in enumerate(doc.data.get("notice_tests") or [] if book else []):
        test = NoticeTest.model_validate(raw, by_alias=True)
        problem = check_notice_test(book, test) if book else None
        if problem:
            loc: Loc = ("notice_tests", i)
            failures.append(RuleBaseError(
                name, doc.line_of(loc), field_path(loc), f"{test.name}: {problem}"))
    return failures


def rule_test_facts(test: RuleTest) -> dict[str, Any]:
    """Test facts as JSON would give them (YAML reads an unquoted date as a date)."""
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in test.facts.items()}


def check_rule_test(ruleset: RuleSet, test: RuleTest) -> str | None:
    try:
        verdict = ruleset.evaluate(rule_test_facts(test), test.as_of)
    except FactsError as exc:
        return f"bad facts: {exc}"
    problems: list[str] = []
    exp = test.expect
    if exp.outcome is not None:
        _compare(verdict.mechanisms["mobilization"], exp, "", problems)
    for mech, mexp in (exp.mechanisms or {}).items():
        out = verdict.mechanisms[mech]
        _compare(out, mexp, f"{mech}: ", problems)
        if mexp.concerns is not None and out.concerns != mexp.concerns:
            problems.append(f"{mech}: concerns {out.concerns}, expected {mexp.concerns}")
        if mexp.until is not None and out.until != mexp.until.isoformat():
            problems.append(f"{mech}: until {out.until}, expected {mexp.until.isoformat()}")
        if mexp.no_until and out.until is not None:
            problems.append(f"{mech}: until {out.until}, expected none")
        if mexp.dates is not None:
            dates = {d.id: d.date for d in out.dates}
            want = {k: v.isoformat() for k, v in mexp.dates.items()}
            if dates != want:
                problems.append(f"{mech}: dates {dates}, expected {want}")
    return "; ".join(problems) or None


def _compare(out: MechanismOut, exp: Any, prefix: str, problems: list[str]) -> None:
    if exp.outcome is not None and out.outcome != exp.outcome:
        problems.append(f"{prefix}outcome {out.outcome}, expected {exp.outcome}")
    if exp.applies is not None:
        applies = sorted(g.id for g in out.applying)
        if applies != sorted(exp.applies):
            problems.append(f"{prefix}applying grounds {applies}, expected {sorted(exp.applies)}")
    if exp.possible is not None:
        possible = sorted(g.id for g in out.possible)
        if possible != sorted(exp.possible):
            problems.append(f"{prefix}possible grounds {possible}, expected {sorted(exp.possible)}")
    if exp.missing is not None and list(out.missing) != sorted(exp.missing):
        problems.append(f"{prefix}missing {list(out.missing)}, expected {sorted(exp.missing)}")


__all__ = ["BIRTH_KEYS", "DEFAULT_RULES_DIR", "load", "rules_version"]
