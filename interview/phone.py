"""How much text fits a line on a small phone: the measure the screens are written to.

The rule: a 360-px-wide phone (the narrowest common Android width) at Telegram's default text
size (16 px). A message bubble leaves ~290 px for text after the screen margins, the bubble's own
padding and the space kept free on the other side; Roboto's average advance over mixed Russian and
English text is ~8.5 px regular and ~9.5 px bold, so a line holds ~32 regular or ~30 bold
characters. Lines break between words, so a text's line count is that of a greedy word wrap at
that width. Estimated from those metrics, not photographed on a device; button labels have their
own measure (rules.textcheck.BUTTON_MAX)."""

from __future__ import annotations

BOLD_LINE = 30  # characters of a bold line (headlines are bold)
HEADLINE_LINES = 2  # a headline fits two lines


def wrap(text: str, width: int = BOLD_LINE) -> list[str]:
    """The lines a phone shows `text` in, broken between words (a word longer than a line is
    broken where it must be)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while len(word) > width:
            lines.append(word[:width])
            word = word[width:]
        current = word
    if current:
        lines.append(current)
    return lines


def fits_headline(text: str) -> bool:
    return len(wrap(text, BOLD_LINE)) <= HEADLINE_LINES
