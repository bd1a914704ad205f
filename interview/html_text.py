"""Telegram HTML: escaping, Telegram's length rules, splitting long texts, and plain text for the
terminal."""

from __future__ import annotations

import html
import re

MAX_CHARS = 4096  # after entity parsing
MAX_ENTITIES = 100

_TAG = re.compile(r"<(/?)([a-z-]+)([^>]*)>")
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)


def esc(text: str) -> str:
    """Escape dynamic text for parse_mode HTML (rule texts, labels, numbers)."""
    return html.escape(text, quote=False)


def b(text: str) -> str:
    return f"<b>{esc(text)}</b>"


def i(text: str) -> str:
    return f"<i>{esc(text)}</i>"


def link(label: str, url: str) -> str:
    return f'<a href="{html.escape(url, quote=True)}">{esc(label)}</a>'


def visible_length(markup: str) -> int:
    """Length as Telegram counts it: after entity parsing, in UTF-16 code units."""
    text = html.unescape(_TAG.sub("", markup))
    return len(text.encode("utf-16-le")) // 2


def entity_count(markup: str) -> int:
    return sum(1 for m in _TAG.finditer(markup) if not m.group(1))


def fits(markup: str) -> bool:
    return visible_length(markup) <= MAX_CHARS and entity_count(markup) <= MAX_ENTITIES


def pack(blocks: list[str], header: str = "", limit: int = MAX_CHARS - 200,
         sep: str = "\n\n") -> list[str]:
    """Join blocks into as few messages as fit, splitting only between blocks (a ground's block
    stays whole); a block too long on its own is cut at line breaks."""
    messages: list[str] = []
    current = header
    for block in _split_oversized(blocks, limit):
        candidate = f"{current}{sep}{block}" if current else block
        if visible_length(candidate) <= limit and entity_count(candidate) <= MAX_ENTITIES:
            current = candidate
        else:
            if current:
                messages.append(current)
            current = f"{header}{sep}{block}" if header else block
    if current:
        messages.append(current)
    return messages


def _split_oversized(blocks: list[str], limit: int) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if visible_length(block) <= limit and entity_count(block) <= MAX_ENTITIES // 2:
            out.append(block)
            continue
        part = ""
        for line in block.split("\n"):
            candidate = f"{part}\n{line}" if part else line
            if part and (visible_length(candidate) > limit
                         or entity_count(candidate) > MAX_ENTITIES // 2):
                out.append(part)
                part = line
            else:
                part = candidate
        if part:
            out.append(part)
    return out


def to_plain(markup: str) -> str:
    """The same message for a terminal: links as 'label (url)', tags dropped."""
    text = _LINK.sub(lambda m: f"{m.group(2)} ({html.unescape(m.group(1))})", markup)
    return html.unescape(_TAG.sub("", text))
