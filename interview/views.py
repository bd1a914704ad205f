"""What a screen is, independent of Telegram: message texts (HTML) and buttons carrying states."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Literal

from .papers import Paper
from .state_codec import State


class Screen(IntEnum):
    """What a button does (4 bits in the state). Values are a contract with buttons already sent:
    append, never renumber."""

    GREETING = 0  # show the greeting
    ASK = 1  # show question `question` (FACTS index + 1; 0 = the planner's next)
    ANSWER = 2  # set fact `question` to the value coded `option`, then ask the next
    DONT_KNOW = 3  # the person does not know question `question`
    BACK = 4  # forget the last answered question and ask it again
    RESTART = 5  # a fresh interview
    REVIEW = 6  # all answers, each with a button to change it
    VERDICT = 7  # the verdict
    DELETE = 8  # delete this conversation
    PAGE = 9  # a static page: `option` is a Page; +64 opens it as a new message
    TOGGLE = 10  # checklist: tick or untick fact `question`
    CHECK_DONE = 11  # checklist `question`: what is not ticked does not apply
    DETAIL = 12  # a screen under the verdict: `option` is a Detail; carries the answers
    NOTICE = 13  # "What is this notice?": answers in `question` and `option` (notice_screens.py)
    PAPER = 14  # send written document `question` (rules.models.DOCUMENT_KINDS index + 1)


class Detail(IntEnum):
    """The screens one press away from the verdict, shown in its place with a way back."""

    GROUNDS = 0
    TODO = 1
    CAVEATS = 2
    HELP = 3
    SUMMONS = 4
    DOCUMENTS = 5  # the written documents that fit the verdict, one button each
    SERVICE = 6  # the rest of the service screen


class Page(IntEnum):
    """Pages that hold no answers (their buttons carry none either)."""

    HELP = 0
    PRIVACY = 1
    SOURCES = 2
    ABOUT = 3
    CALLED_UP = 4
    LANGUAGE = 5
    OFFLINE = 6  # sends the offline page as a document
    GET_HELP = 7
    SUMMONS = 8


NEW_MESSAGE = 64  # added to a PAGE's option: open it below instead of replacing this message
PAGE_PART = 16  # a PAGE's option carries its part (a long guide's next page) above its Page code

ButtonKind = Literal["answer", "change", "nav", "lang", "link"]  # "change": a numbered review row


@dataclass(frozen=True)
class Button:
    label: str
    state: State | None = None
    url: str | None = None
    kind: ButtonKind = "nav"
    key: str = ""  # the terminal's letter for a navigation button
    nav: str = ""  # its id in interview/screens.py (empty for answers and links)


@dataclass
class View:
    """One or more messages (HTML); the buttons go under the last. `new_message` sends the first
    text as a new message instead of editing the pressed one."""

    texts: list[str]
    buttons: list[list[Button]] = field(default_factory=list)
    new_message: bool = False
    alert: str | None = None  # shown as the answer to the button press
    delete_range: tuple[int, int] | None = None  # message ids to delete, inclusive
    ends_interview: bool = False  # the verdict: only navigation letters act after it
    outcome: str | None = None  # the verdict's outcome, for the anonymous counts
    offline: bool = False  # send the offline page (a document) instead of texts
    paper: Paper | None = None  # send this written document as a PDF instead of texts
