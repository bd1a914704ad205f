"""Pydantic models of the rule base's YAML files (strict: unknown keys and wrong types are errors)."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Lang = Literal["ru", "en"]
LANGS: tuple[Lang, ...] = ("ru", "en")
Outcome = Literal["not_subject", "deferral", "conditional", "subject", "undetermined"]
GroundOutcome = Literal["not_subject", "deferral", "conditional"]
Confidence = Literal["V", "P", "M"]
# The call-up mechanisms the rule base evaluates side by side; "mobilization" is Decree 647 and the
# verdict's own `outcome`.
Mechanism = Literal["mobilization", "conscription", "assemblies"]
MECHANISMS: tuple[Mechanism, ...] = ("mobilization", "conscription", "assemblies")

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*$", max_length=40)]
ActId = Annotated[str, StringConstraints(pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$", max_length=60)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class LText(Strict):
    """A text in both languages."""

    ru: Text
    en: Text

    def get(self, lang: str) -> str:
        return self.ru if lang == "ru" else self.en


# --- conditions -----------------------------------------------------------------------------


class FactIs(Strict):
    fact: str
    is_: bool | int | str = Field(alias="is")


class FactIn(Strict):
    fact: str
    in_: list[str] = Field(alias="in", min_length=1)


class FactAtLeast(Strict):
    fact: str
    at_least: int


class AgeLimit(Strict):
    age_limit: Literal["reached"]


class ConscriptionAge(Strict):
    """Conscription age (53-FZ Art. 22, dated in age_limits.yaml `conscription_age`): `under` the
    minimum age, or `over`: he reached the maximum in force at the time."""

    conscription_age: Literal["under", "over"]


class All(Strict):
    all: list[Condition] = Field(min_length=1)


class Any_(Strict):
    any: list[Condition] = Field(min_length=1)


Condition = FactIs | FactIn | FactAtLeast | AgeLimit | ConscriptionAge | All | Any_
All.model_rebuild()
Any_.model_rebuild()


# --- acts and citations -----------------------------------------------------------------------


ActKind = Literal["published", "unpublished", "statement"]


class Act(Strict):
    title: LText
    short: LText
    date: dt.date
    url: Url | None = None
    url_verified: bool = False  # the page at `url` was seen; otherwise it is plausible only
    published: bool
    # How a citation is labelled: a published law, decree or resolution; an unpublished
    # directive, decision or letter known from a report; or an official statement or explainer.
    # Default: "published" when `published`, else "unpublished".
    kind: ActKind | None = None
    by: LText | None = None  # who reported an unpublished act, or who made a statement

    @property
    def label_kind(self) -> ActKind:
        return self.kind or ("published" if self.published else "unpublished")


class Citation(Strict):
    act: ActId
    article: str | None = None
    point: str | None = None
    item: str | None = None
    label: LText
    confidence: Confidence
    verbatim: bool = False
    url: Url | None = None
    date: dt.date | None = None
    # Where the fact was read when it is not the act's own page, and on which day: every fact
    # added since November 2026 carries both, so a reviewer can re-check it.
    source: Url | None = None
    seen: dt.date | None = None


class Retroactive(Strict):
    signed: dt.date
    note: LText


class Advice(Strict):
    when: Condition
    text: LText


class Deadline(Strict):
    """A date the ground gives from the as-of day: `rule` names the computation (dates.py)."""

    id: Id
    rule: Literal["alternative_service"]
    text: LText


class Ground(Strict):
    id: Id
    mechanism: Mechanism = "mobilization"
    # The ground takes the person outside the mechanism altogether (a woman and conscription):
    # when it applies, the mechanism does not concern him (MechanismOut.concerns is false).
    scope: bool = False
    outcome: GroundOutcome
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    retroactive: Retroactive | None = None
    when: Condition
    title: LText
    explanation: LText
    todo: LText
    note: LText | None = None
    citations: list[Citation] = Field(min_length=1)
    advice: Advice | None = None
    deadline: Deadline | None = None  # listed (applying or possible): the verdict gives the date


# --- age limits -------------------------------------------------------------------------------


class BirthYearLimit(Strict):
    """A limit keyed on the year of birth (inclusive bounds; null = open)."""

    born_from: int | None = None
    born_until: int | None = None
    limit: int


RankLimits = dict[str, int | list[BirthYearLimit]]


class ConscriptionAgePeriod(Strict):
    """Conscription age in force from `valid_from` to `valid_until`: from `minimum` (inclusive) to
    `maximum` (exclusive: on the day he turns it he is no longer called up). Who reached the
    maximum in force at the time stays outside conscription when a later law raises it."""

    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    minimum: int = Field(ge=0, le=130)
    maximum: int = Field(ge=0, le=130)
    confidence: Confidence
    citations: list[Citation] = Field(min_length=1)


class AgeLimitPeriod(Strict):
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    male: RankLimits
    female: RankLimits
    confidence: Confidence
    citations: list[Citation] = Field(min_length=1)


# --- questions --------------------------------------------------------------------------------


class Option(Strict):
    id: Id
    label: LText
    set: dict[str, bool | int | str] = Field(min_length=1)


class ChecklistItem(Strict):
    fact: str
    label: LText


class BandLabels(Strict):
    under: LText
    range: LText
    exact: LText
    over: LText


class Question(Strict):
    id: Id
    kind: Literal["choice", "checklist", "age", "birth_year"]
    text: LText
    help: LText | None = None
    dont_know: bool = False
    options: list[Option] = Field(default_factory=list)
    items: list[ChecklistItem] = Field(default_factory=list)
    none_label: LText | None = None
    bands: BandLabels | None = None
    # The question as the review of answers names it, when the question alone does not say
    # what it asks ("Does any of this apply?"): required on a checklist, at most REVIEW_MAX.
    review: LText | None = None

    @cached_property
    def facts(self) -> tuple[str, ...]:
        """The fact keys this question sets, in a stable order (kept: the planner asks often)."""
        if self.kind == "checklist":
            return tuple(item.fact for item in self.items)
        if self.kind == "age":
            return ("age",)
        if self.kind == "birth_year":
            return ("birth_year",)
        keys: dict[str, None] = {}
        for option in self.options:
            keys.update(dict.fromkeys(option.set))
        return tuple(keys)


# --- caveats, notes, resources, tests ---------------------------------------------------------


DEFAULT_RANK = 50


class RankIf(Strict):
    """A caveat's rank for some answers: `rank` when `when` holds on the facts."""

    when: Condition
    rank: int = Field(ge=1, le=999)


class Caveat(Strict):
    """Shown when relevant: in its date window, for one of `outcomes`, and when `when` holds on
    the facts. `rank` orders the relevant ones (1 first): the verdict shows the first only;
    `rank_if` ranks it by the answers (the first whose condition holds wins over `rank`)."""

    id: Id
    text: LText
    rank: int = Field(default=DEFAULT_RANK, ge=1, le=999)
    rank_if: list[RankIf] | None = None
    from_: dt.date | None = Field(default=None, alias="from")
    until: dt.date | None = None
    outcomes: list[Outcome] | None = None
    when: Condition | None = None
    mechanism: Mechanism = "mobilization"


class Note(Caveat):
    """A date note: what the as-of date means (before the decree, a later law)."""


class Step(Strict):
    """A next step (steps.yaml). Relevant like a caveat; also, with `missing`, only when one of
    those facts is still open in the verdict. The verdict lists the relevant ones by rank."""

    id: Id
    rank: int = Field(ge=1, le=999)
    text: LText
    from_: dt.date | None = Field(default=None, alias="from")
    until: dt.date | None = None
    outcomes: list[Outcome] | None = None
    when: Condition | None = None
    missing: list[str] | None = None
    mechanism: Mechanism = "mobilization"


class Basis(Strict):
    """What an outcome rests on when no ground applies: a "subject" verdict cites the rule that
    makes a reservist subject to call-up."""

    outcome: Literal["subject"]
    mechanism: Mechanism = "mobilization"
    title: LText
    citations: list[Citation] = Field(min_length=1)


ResourceKind = Literal["lawyers", "human_rights", "already_mobilized", "state"]
StatusKind = Literal["foreign_agent", "undesirable"]
TelegramHandle = Annotated[str, StringConstraints(pattern=r"^@[A-Za-z][A-Za-z0-9_]{3,31}$")]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 ()-]{1,20}$")]


class LegalStatus(Strict):
    """What the Russian state has declared about an organisation, as a source shows it on a date.

    `text` says it in a sentence with the date (DD.MM.YYYY); the loader checks that it does."""

    kind: StatusKind
    since: dt.date
    text: LText
    source: Url

    def get(self, lang: str) -> str:
        return self.text.get(lang)


class Resource(Strict):
    """A place to get help. Contacts are those the organisation itself publishes."""

    id: Id
    kind: ResourceKind
    title: LText
    text: LText
    url: Url | None = None
    telegram: TelegramHandle | None = None
    email: Email | None = None
    phone: Phone | None = None
    # null: no designation found in the sources as of `checked`.
    legal_status: LegalStatus | None = None
    # True exactly when the status is "undesirable"; `warning` then tells the reader the risk.
    risk: bool = False
    warning: LText | None = None
    source: Url
    checked: dt.date

    def contacts(self) -> list[tuple[str, str | None]]:
        """(shown text, link or None) for each published contact, website first."""
        out: list[tuple[str, str | None]] = []
        if self.url:
            shown = self.url.split("://", 1)[1].removeprefix("www.").rstrip("/")
            out.append((shown, self.url))
        if self.telegram:
            out.append((self.telegram, "https://t.me/" + self.telegram[1:]))
        if self.email:
            out.append((self.email, None))
        if self.phone:
            out.append((self.phone, None))
        return out


class GuideSection(Strict):
    """One section of a guide screen: a heading, short items, the acts it rests on, a window."""

    heading: LText
    items: list[LText] = Field(min_length=1)
    citations: list[Citation] = Field(default_factory=list)
    from_: dt.date | None = Field(default=None, alias="from")
    until: dt.date | None = None
    # The call-ups the section is for (null: any): the ids of notices.yaml `mechanisms`, where
    # "unknown" stands for a guide opened without a call-up in view (from the greeting).
    mechanisms: list[Id] | None = None


class Guide(Strict):
    """A screen of practical guidance (a summons in hand; already serving) shown beside verdicts."""

    id: Id
    title: LText
    sections: list[GuideSection] = Field(min_length=1)


class MechanismExpectation(Strict):
    outcome: Outcome | None = None
    concerns: bool | None = None
    applies: list[Id] | None = None
    possible: list[Id] | None = None
    missing: list[str] | None = None
    until: dt.date | None = None
    no_until: bool = False  # `until` must be null
    dates: dict[Id, dt.date] | None = None  # every date the mechanism gives, by id


class Expectation(Strict):
    """The mobilization verdict (`outcome`, `applies`, ...) and, by name, other mechanisms'."""

    outcome: Outcome | None = None
    applies: list[Id] | None = None
    possible: list[Id] | None = None
    missing: list[str] | None = None
    mechanisms: dict[Mechanism, MechanismExpectation] | None = None


class RuleTest(Strict):
    name: Text
    as_of: dt.date
    facts: dict[str, Any]
    expect: Expectation


# --- written documents (documents.yaml) ------------------------------------------------------

# The kinds of document: a contract with front ends and buttons already sent (the bot carries a
# kind's position here): append, never reorder or remove.
DOCUMENT_KINDS: tuple[str, ...] = (
    "mobilization-deferral", "conscription-deferral", "alternative-service",
    "appeal-commission", "prosecutor-complaint", "court-claim", "medical-examination",
    "valid-reason", "register-extract",
)
DocumentKind = Literal[
    "mobilization-deferral", "conscription-deferral", "alternative-service",
    "appeal-commission", "prosecutor-complaint", "court-claim", "medical-examination",
    "valid-reason", "register-extract",
]
Scope = Literal["mobilization", "conscription"]
# A document's text, Russian only: it is printed on the paper as it is.
RuText = Annotated[str, StringConstraints(min_length=1, max_length=600, strip_whitespace=True)]
FileName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,40}\.pdf$")]


class DocumentForm(Strict):
    """What every document shares: the blanks a person fills by hand, the headings."""

    sender: list[RuText] = Field(min_length=1)
    grounds_heading: RuText
    basis_heading: RuText
    requests_heading: RuText
    attachments_heading: RuText
    deadline_heading: RuText
    date_line: RuText
    signature_line: RuText
    signature_hint: RuText
    default_attachment: RuText
    receipt: list[RuText] = Field(min_length=1)
    # How to file the printed copies, in the person's language: most captions say it as {filing}.
    filing: LText


class ArticleRef(Strict):
    act: ActId
    article: str


class DocumentGround(Strict):
    """A ground as a document states it: the fact in the first person, and what proves it.
    `omit`: articles of the verdict's citations that are no ground in a document (the AGS filing
    deadlines of 113-FZ Art. 11 are under "Срок:" there, not a reason for the request)."""

    fact: RuText
    attachments: list[RuText] = Field(default_factory=list)
    omit: list[ArticleRef] = Field(default_factory=list)


class DocumentWording(Strict):
    """A document's words when every ground it states leads to one outcome: a request that
    states only deferral grounds asks for a deferral and cites the deferral article, not
    "отсрочку (освобождение)" and both (finding P-15)."""

    subject: RuText
    grounds_intro: RuText | None = None
    requests: list[RuText] = Field(min_length=1)
    citations: list[Citation] = Field(min_length=1)


class DocumentDeadline(Strict):
    """A deadline a document states: `date`, when given, is the id of a ground's deadline
    (grounds.yaml), which the verdict computes; the text then says it as {date}."""

    date: Id | None = None
    text: RuText


class Document(Strict):
    kind: DocumentKind
    scope: Scope | list[Scope]  # the verdicts it reads; grounds from each
    file: FileName
    grounds: list[Id] | None = None
    possible: bool = False
    optional_grounds: bool = False
    outcomes: list[Outcome] | None = None  # the outcomes of its scope's verdict it fits
    title: LText
    explanation: LText
    to: list[RuText] = Field(min_length=1)
    heading: RuText
    subject: RuText
    intro: list[RuText] = Field(default_factory=list)
    grounds_intro: RuText | None = None
    requests: list[RuText] = Field(min_length=1)
    attachments: list[RuText] = Field(default_factory=list)
    deadline: DocumentDeadline | None = None
    citations: list[Citation] = Field(min_length=1)
    # By the one outcome all its stated grounds lead to; the words above serve a mix (or none).
    wording: dict[GroundOutcome, DocumentWording] = Field(default_factory=dict)

    @property
    def scopes(self) -> tuple[Scope, ...]:
        return tuple(self.scope) if isinstance(self.scope, list) else (self.scope,)


class DocumentsFile(Strict):
    form: DocumentForm
    grounds: dict[Id, DocumentGround]
    documents: list[Document] = Field(min_length=1)
# --- notices: "What is this notice?" (notices.yaml) ---------------------------------------------


class NoticeChoice(Strict):
    """A button answering where a notice came from."""

    id: Id
    label: LText


class NoticePurpose(NoticeChoice):
    """A button answering what a notice calls the person to, and the mechanism that means."""

    mechanism: Id


class NoticeMechanism(Strict):
    id: Id
    title: LText
    summary: LText


class NoticeItem(Strict):
    """One line of the answer, shown when it fits the answers: `sources`, `purposes` and
    `mechanisms` (null: any) and the posting date's window `from`..`until` (the as-of date when
    the posting date is unknown). A line under `dates` may give `days` (the posting date plus
    so many days) or `next` (the first of these month-day dates after the as-of date) and say
    it in `text` with {date}; `rule` says the same without a date, for an unknown posting date."""

    id: Id
    text: LText
    rule: LText | None = None
    days: int | None = Field(default=None, ge=0, le=400)
    next: list[Annotated[str, StringConstraints(pattern=r"^[01][0-9]-[0-3][0-9]$")]] | None = None
    sources: list[Id] | None = None
    purposes: list[Id] | None = None
    mechanisms: list[Id] | None = None
    from_: dt.date | None = Field(default=None, alias="from")
    until: dt.date | None = None
    citations: list[Citation] = Field(default_factory=list)


class NoticesFile(Strict):
    sources: list[NoticeChoice] = Field(min_length=2)
    purposes: list[NoticePurpose] = Field(min_length=2)
    mechanisms: list[NoticeMechanism] = Field(min_length=1)
    requirements: list[NoticeItem] = Field(min_length=1)
    dates: list[NoticeItem] = Field(min_length=1)
    caveats: list[NoticeItem] = Field(default_factory=list)


class NoticeAnswersIn(Strict):
    source: Id
    purpose: Id
    posted: dt.date | None = None  # null: the person does not know


class NoticeExpectation(Strict):
    mechanism: Id
    dates: dict[Id, dt.date | None] = Field(default_factory=dict)  # null: shown without a date
    absent: list[Id] = Field(default_factory=list)  # lines (of any kind) not shown


class NoticeTest(Strict):
    name: Text
    as_of: dt.date
    answers: NoticeAnswersIn
    expect: NoticeExpectation


# --- file roots -------------------------------------------------------------------------------


class ActsFile(Strict):
    acts: dict[ActId, Act]


class AgeLimitsFile(Strict):
    age_limits: list[AgeLimitPeriod] = Field(min_length=1)
    conscription_age: list[ConscriptionAgePeriod] = Field(min_length=1)


class GroundsFile(Strict):
    grounds: list[Ground] = Field(min_length=1)


class QuestionsFile(Strict):
    questions: list[Question] = Field(min_length=1)


class CaveatsFile(Strict):
    caveats: list[Caveat]
    notes: list[Note]


class StepsFile(Strict):
    steps: list[Step] = Field(min_length=1)
    bases: list[Basis] = Field(default_factory=list)


class ResourcesFile(Strict):
    official: list[Resource]
    independent: list[Resource]


class GuidesFile(Strict):
    guides: list[Guide] = Field(min_length=1)


class TestsFile(Strict):
    tests: list[RuleTest] = Field(default_factory=list)
    notice_tests: list[NoticeTest] = Field(default_factory=list)


FILE_MODELS: dict[str, type[Strict]] = {
    "acts.yaml": ActsFile,
    "age_limits.yaml": AgeLimitsFile,
    "grounds.yaml": GroundsFile,
    "questions.yaml": QuestionsFile,
    "caveats.yaml": CaveatsFile,
    "resources.yaml": ResourcesFile,
    "steps.yaml": StepsFile,
    "guides.yaml": GuidesFile,
    "documents.yaml": DocumentsFile,
    "notices.yaml": NoticesFile,
}
