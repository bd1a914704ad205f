"""Logging that never holds a bot token.

`install_logging` sends the root logger to stderr through a handler that redacts every configured
token, and anything shaped like one, from the message, its arguments, tracebacks and stack info:
a filter rewrites each record (so every handler on the root logger sees the redacted record) and
the formatter redacts its final string again (so nothing added while formatting slips through).

The `telegram`, `httpx` and `httpcore` loggers are pinned at WARNING (or above, with a stricter
LOG_LEVEL): at INFO and DEBUG they log the token URL, every request and every update.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Final, TextIO
from urllib.parse import quote

__all__ = [
    "LEVELS",
    "PINNED_LOGGERS",
    "REDACTED",
    "RedactingFilter",
    "RedactingFormatter",
    "Redactor",
    "install_logging",
]

REDACTED: Final = "[REDACTED]"
LEVELS: Final = ("DEBUG", "INFO", "WARNING", "ERROR")
PINNED_LOGGERS: Final = ("telegram", "httpx", "httpcore")
LOG_FORMAT: Final = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# Token-shaped text even when it is not (or no longer) configured: after "bot" in a Bot API URL
# any length (a truncated token still leaks), elsewhere digits, ":" and 35+ token characters,
# also with the colon percent-encoded.
_TOKEN_PATTERNS: Final = (
    r"(?<=bot)\d+:[A-Za-z0-9_-]+",
    r"\d+:[A-Za-z0-9_-]{35,}",
    r"\d+%3[Aa][A-Za-z0-9_-]{30,}",
)


class Redactor:
    """Replaces tokens in text with `REDACTED`."""

    def __init__(self, tokens: Iterable[str] = ()) -> None:
        literals: set[str] = set()
        for token in tokens:
            if token:
                literals.update((token, quote(token, safe="")))
        # Longest first, so a token is never half-replaced by a shorter one it contains.
        alternatives = [re.escape(t) for t in sorted(literals, key=len, reverse=True)]
        self._pattern = re.compile("|".join([*alternatives, *_TOKEN_PATTERNS]))

    def __call__(self, text: str) -> str:
        return self._pattern.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """Rewrites a record in place: message with its arguments merged, traceback and stack info
    already formatted, all redacted. Attach it to handlers: logger filters do not see records
    propagated from child loggers."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        redact = self.redactor
        try:
            message = record.getMessage()
        except Exception:  # bad %-args: logging's own error report would print them raw
            message = f"{record.msg!s} (unformattable arguments: {record.args!r})"
        record.msg = redact(message)
        record.args = None
        if record.exc_info:
            if not record.exc_text:
                record.exc_text = self._formatter.formatException(record.exc_info)
            # The text replaces the exception, so no formatter can render it unredacted.
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class RedactingFormatter(logging.Formatter):
    """Redacts the fully formatted line, traceback and stack included."""

    def __init__(self, redactor: Redactor, fmt: str = LOG_FORMAT) -> None:
        super().__init__(fmt)
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        return self.redactor(super().format(record))


class _RedactingHandler(logging.StreamHandler[TextIO]):
    """Marks the handler install_logging owns, so a second call replaces it."""


def install_logging(level: str, tokens: Sequence[str]) -> None:
    """Configure the root logger: stderr, a plain format, tokens redacted, noisy loggers pinned.

    Safe to call again (say with a new token list): the previous handler is replaced. Handlers
    already on the root logger (a test harness's) get the redacting filter too.
    """
    name = level.upper()
    if name not in LEVELS:
        raise ValueError(f"log level must be one of {', '.join(LEVELS)}")
    numeric = logging.getLevelNamesMapping()[name]
    redactor = Redactor(tokens)
    token_filter = RedactingFilter(redactor)

    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _RedactingHandler)]:
        root.removeHandler(old)
        old.close()
    for other in root.handlers:
        for stale in [f for f in other.filters if isinstance(f, RedactingFilter)]:
            other.removeFilter(stale)
        # First, so that handler's own filters already see the redacted record.
        other.filters.insert(0, token_filter)

    handler = _RedactingHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(redactor))
    handler.addFilter(token_filter)
    root.addHandler(handler)
    root.setLevel(numeric)

    for logger_name in PINNED_LOGGERS:
        logging.getLogger(logger_name).setLevel(max(logging.WARNING, numeric))
