"""What a person reads, checked at load: every text of the rule base rendered in both languages.

Evaluating a rule base proves its logic; a text can still break every interview that shows it
(a `{oops}` field, a `{hi:>200000000}` spec that costs a gigabyte, a question too long for one
Telegram message). So every `LText` in the parsed files is found generically (new files and
fields are covered when they land), rendered with sample values, and measured as Telegram counts:
UTF-16 code units after entity parsing (the bot escapes rule texts, so a text's own length).
"""

from __future__ import annotations

import functools
import string
import typing
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from .models import LANGS, LText
from .yamlload import Loc

# Format fields a text may hold, by (model, field); every other text holds no braces at all.
# The sample values are the widest the bot passes (ages and years up to three digits).
FORMAT_FIELDS: dict[tuple[str, str], dict[str, object]] = {
    **{("BandLabels", name): {"lo": 100, "hi": 100}
       for name in ("under", "range", "exact", "over")},
    ("NoticeItem", "text"): {"date": "31.12.2026"},  # a date line names its date
    # A document's caption may name its deadline's date (the loader checks it has one) and
    # the form's filing instructions (the loader measures the caption with them in).
    ("Document", "explanation"): {"date": "30.09.2027", "filing": "…"},
}

# Button labels must fit one line of a full-width inline button on a 360-px-wide phone (Telegram
# cuts a longer label with "…", losing the tail that tells options apart). The rule, from
# Telegram's defaults: the keyboard spans the screen less ~8 px each side, the label ~12 px
# padding each side, leaving ~320 px; the button font is 15 px medium, whose average advance over
# mixed Russian and English text is ~8.5–9 px, so ~36 characters fit. The bot puts a
# two-character mark (☑, ●) in front: 34 for the label. Estimated from those metrics, not
# photographed on a device.
BUTTON_MAX = 34
BUTTON_FIELDS: frozenset[tuple[str, str]] = frozenset({
    ("Option", "label"), ("ChecklistItem", "label"),
    *(("BandLabels", name) for name in ("under", "range", "exact", "over")),
    ("NoticeChoice", "label"), ("NoticePurpose", "label"),
})

# One text on its own: a paragraph a person reads on a phone.
TEXT_MAX = 1500
# A question as the review of answers names it: one line or two on a phone.
REVIEW_MAX = 90

# Telegram's limit for one message (visible characters after entity parsing).
MESSAGE_MAX = 4096
# What one screen's rule texts may take together, per language, leaving room for the bot's own
# header, progress line, labels and citations' dates (measured in tests/test_rules_render_check.py
# against the stand-in's 4,096-character limit).
SCREEN_MAX = 3000
# Models whose texts are shown together on one screen: all the texts inside one instance.
SCREENS: frozenset[str] = frozenset({"Question", "Ground", "GuideSection"})


@dataclass(frozen=True)
class TextProblem:
    loc: Loc
    message: str
    unformattable: bool = False  # its format fields are wrong (rendering it would fail)


def visible_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@functools.cache
def _text_fields(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(field name, YAML key) of the fields that can hold a text: the walk skips the rest (the
    rule tests' facts, conditions)."""
    return tuple((name, info.alias or name) for name, info in model.model_fields.items()
                 if _holds_text(info.annotation, set()))


def _holds_text(tp: object, seen: set[type]) -> bool:
    if tp is LText:
        return True
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if tp in seen:  # conditions nest themselves
            return False
        seen.add(tp)
        return any(_holds_text(info.annotation, seen) for info in tp.model_fields.values())
    return any(_holds_text(arg, seen) for arg in typing.get_args(tp))


def walk_texts(node: object, loc: Loc = (), owner: str = "",
               field: str = "") -> Iterator[tuple[Loc, str, str, LText]]:
    """Every LText under `node`: (YAML location, owning model's name, field name, text)."""
    if isinstance(node, LText):
        yield loc, owner, field, node
    elif isinstance(node, BaseModel):
        model = type(node)
        for name, key in _text_fields(model):
            yield from walk_texts(getattr(node, name), (*loc, key), model.__name__, name)
    elif isinstance(node, list | tuple):
        for i, item in enumerate(node):
            yield from walk_texts(item, (*loc, i), owner, field)
    elif isinstance(node, dict):
        for key, item in node.items():
            if isinstance(key, str | int):
                yield from walk_texts(item, (*loc, key), owner, field)


def render(text: str, fields: dict[str, object] | None) -> str:
    """The text as the bot shows it; ValueError says what is wrong with its format fields."""
    if not fields:
        if "{" in text or "}" in text:
            raise ValueError("braces are not allowed in this text (it takes no {fields})")
        return text
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:  # a lone { or }
        raise ValueError(f"cannot be formatted: {exc}") from None
    allowed = ", ".join("{" + f + "}" for f in fields)
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in fields:
            raise ValueError(f"unknown format field {{{name}}}: this text may use {allowed}")
        if spec or conversion:
            raise ValueError(f"format field {{{name}}} may not have a format spec or conversion "
                             f"(write {{{name}}})")
    return text.format(**fields)


def check_texts(root: BaseModel) -> list[TextProblem]:
    """Render every text of one parsed file in both languages; report each problem once."""
    problems: list[TextProblem] = []
    for loc, owner, field, ltext in walk_texts(root):
        key = (owner, field)
        limit = (BUTTON_MAX if key in BUTTON_FIELDS else
                 REVIEW_MAX if key == ("Question", "review") else TEXT_MAX)
        what = ("a button label" if key in BUTTON_FIELDS else
                "a review text" if key == ("Question", "review") else "one text")
        for lang in LANGS:
            where = (*loc, lang)
            try:
                shown = render(ltext.get(lang), FORMAT_FIELDS.get(key))
            except ValueError as exc:
                problems.append(TextProblem(where, str(exc), unformattable=True))
                continue
            length = visible_length(shown)
            if length > limit:
                problems.append(TextProblem(
                    where, f"{length} characters, more than {limit} for {what}"))
    problems += _check_screens(root)
    return problems


def _check_screens(node: object, loc: Loc = ()) -> list[TextProblem]:
    """Texts shown together must fit one message with the bot's own lines around them."""
    problems: list[TextProblem] = []
    if isinstance(node, BaseModel):
        model = type(node)
        if model.__name__ in SCREENS:
            texts = list(walk_texts(node))
            for lang in LANGS:
                total = sum(visible_length(t.get(lang)) for *_, t in texts)
                if total > SCREEN_MAX:
                    problems.append(TextProblem(loc, (
                        f"its {lang} texts take {total} characters together, more than "
                        f"{SCREEN_MAX} for one screen (a Telegram message holds {MESSAGE_MAX})")))
            return problems
        for name, key in _text_fields(model):
            problems += _check_screens(getattr(node, name), (*loc, key))
    elif isinstance(node, list | tuple):
        for i, item in enumerate(node):
            problems += _check_screens(item, (*loc, i))
    elif isinstance(node, dict):
        for key, item in node.items():
            if isinstance(key, str | int):
                problems += _check_screens(item, (*loc, key))
    return problems
