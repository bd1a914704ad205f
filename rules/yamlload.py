"""Strict YAML reading: duplicate keys, aliases and unparsable scalars are errors with a line number.

PyYAML silently keeps the last of two equal keys and expands aliases; a rule base must not do either.
We compose the node tree with libyaml when available (ten times faster than pure Python) and build
plain Python objects ourselves, recording the line of every mapping value and sequence item.
"""

from __future__ import annotations

import contextlib
import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

Loc = tuple[str | int, ...]
ALIAS_MESSAGE = "YAML aliases are not allowed"
# A rule file nests a handful of levels (the deepest condition about ten); anything far deeper is
# a mistake or an attack on the recursion below.
MAX_DEPTH = 40
# Ages, years, counts: no number in a rule base comes near this. Bigger ones would cost time to
# print (Python refuses to print ints over 4,300 digits at all).
MAX_INT = 10**9

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.constructor.SafeConstructor()


@dataclass
class RuleBaseError(Exception):
    """One problem in the rule base, located by file, line and field."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


@dataclass
class RuleBaseErrors(Exception):
    """All problems found; nothing is loaded when there is any."""

    errors: list[RuleBaseError] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


@dataclass
class YamlDoc:
    file: str
    data: Any
    lines: dict[Loc, int]

    def line_of(self, loc: Loc) -> int | None:
        """The line of the deepest located prefix of `loc`."""
        for n in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:n]))
            if line is not None:
                return line
        return None


def field_path(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _shown(value: str, limit: int = 40) -> str:
    """A scalar as an error message quotes it: short, whatever its size."""
    return repr(value) if len(value) <= limit else repr(value[:limit]) + f"… ({len(value)} characters)"


def decode(data: bytes, file: str) -> str:
    """A rule file's bytes as text; anything but UTF-8 is an error at its line."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16's byte order mark
            raise RuleBaseError(file, line, "", "not UTF-8 text but UTF-16 (it starts with a UTF-16 "
                                "byte order mark): save it as UTF-8") from None
        raise RuleBaseError(
            file, line, "", f"not UTF-8 text (byte {exc.start} cannot be read as UTF-8)") from None


def _line_at(text: str, index: int) -> int:
    """The 1-based line of a character, counting line breaks as YAML does."""
    return len(_LINE_BREAK.findall(text, 0, max(index, 0))) + 1


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _syntax_error(exc: Exception, text: str, file: str) -> RuleBaseError:
    """Whatever the YAML reader, scanner, parser or composer raised, as file, line and what is
    wrong (their own text holds "<unicode string>" and, for a reader error, no line)."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        what = ", ".join(str(part) for part in (exc.context, exc.problem) if part)
        if mark is None:
            return RuleBaseError(file, None, "", f"not valid YAML: {what}")
        lines = _LINE_BREAK.split(text)
        at = lines[mark.line][mark.column:mark.column + 1] if mark.line < len(lines) else ""
        if at == "\t" and "tab" not in what:
            what += " (a tab: YAML indents with spaces only)"
        return RuleBaseError(file, mark.line + 1, "",
                             f"not valid YAML (column {mark.column + 1}): {what}")
    if isinstance(exc, yaml.reader.ReaderError):
        # The reader stops at the first character it refuses; its position counts bytes in
        # libyaml and characters in pure Python, so find the character itself.
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return RuleBaseError(file, _line_at(text, text.find(char)), "",
                             f"character U+{ord(char):04X} is not allowed in YAML ({exc.reason})")
    bad = _SURROGATE.search(text)
    if bad is not None:  # libyaml encodes the text to UTF-8 first, which a lone surrogate fails
        return RuleBaseError(file, _line_at(text, bad.start()), "",
                             f"character U+{ord(bad.group()):04X} is not valid text")
    return RuleBaseError(file, None, "", f"not valid YAML ({type(exc).__name__})")


_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_yaml(text: str, file: str) -> YamlDoc:
    try:
        root = yaml.compose(text, Loader=_Loader)
    except RecursionError:  # the pure-Python composer recurses per level (libyaml stops at 1,000)
        raise RuleBaseError(file, None, "", f"nested deeper than {MAX_DEPTH} levels") from None
    except Exception as exc:  # whatever the parser raises is a located load error
        raise _syntax_error(exc, text, file) from None
    lines: dict[Loc, int] = {}
    seen: set[int] = set()
    if root is None:  # empty, or only comments: the top of the file is line 1
        return YamlDoc(file, None, {(): 1})
    try:
        data = _build(root, (), lines, seen, file)
    except RuleBaseError as exc:
        if exc.message == ALIAS_MESSAGE:
            exc.line = next(iter(alias_lines(text)), exc.line)
        raise
    return YamlDoc(file, data, lines)


def alias_lines(text: str) -> list[int]:
    """Lines of the aliases, in document order (the composed tree only knows the anchors).
    Stops at the first syntax error: what it found before is returned, and the error itself is
    parse_yaml's to report."""
    if "*" not in text:
        return []
    found: list[int] = []
    with contextlib.suppress(Exception):  # a broken file: see the docstring
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) and event.start_mark is not None:
                found.append(event.start_mark.line + 1)
    return found


def _build(node: yaml.Node, loc: Loc, lines: dict[Loc, int], seen: set[int], file: str,
           depth: int = 0) -> Any:
    line = node.start_mark.line + 1
    lines[loc] = line
    if depth > MAX_DEPTH:
        raise RuleBaseError(file, line, field_path(loc), f"nested deeper than {MAX_DEPTH} levels")
    if id(node) in seen:
        # libyaml's composer hands back the anchored node itself for an alias.
        raise RuleBaseError(file, line, field_path(loc), ALIAS_MESSAGE)
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise RuleBaseError(file, line, field_path(loc), "YAML merge keys are not allowed")
            key = _build(key_node, loc, {}, seen, file, depth + 1)
            if not isinstance(key, str | int):
                raise RuleBaseError(
                    file, key_node.start_mark.line + 1, field_path(loc), "keys must be strings"
                )
            if isinstance(key, bool):
                raise RuleBaseError(
                    file,
                    key_node.start_mark.line + 1,
                    field_path(loc),
                    f"key {key_node.value!r} reads as a boolean in YAML 1.1: quote it",
                )
            if key in out:
                raise RuleBaseError(
                    file,
                    key_node.start_mark.line + 1,
                    field_path((*loc, key)),
                    "duplicate key",
                )
            out[key] = _build(value_node, (*loc, key), lines, seen, file, depth + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*loc, i), lines, seen, file, depth + 1)
                for i, item in enumerate(node.value)]
    try:
        value = _constructor.construct_object(node, deep=True)
    except Exception as exc:  # ValueError, ConstructorError, OverflowError: whatever it is
        reason = "a number too large" if "digits" in str(exc) else str(exc)[:200]
        raise RuleBaseError(
            file, line, field_path(loc), f"cannot read {_shown(node.value)}: {reason}"
        ) from None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
        raise RuleBaseError(file, line, field_path(loc),
                            f"the number {_shown(node.value)} is too large (over {MAX_INT:,})")
    if isinstance(value, float) and not math.isfinite(value):
        raise RuleBaseError(file, line, field_path(loc), f"{_shown(node.value)} is not a number")
    return value
