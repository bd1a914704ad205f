"""Logs never hold the token (issue 3, "Nothing kept"): messages, arguments, tracebacks and stack
info are redacted at every level, and the chatty HTTP loggers stay at WARNING."""

from __future__ import annotations

import importlib.util
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from bot.log_redaction import PINNED_LOGGERS, REDACTED, Redactor, install_logging

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"
TOKEN2 = "987654321:ZZx_y-zTcvCH1vGWJxfSeofSAs0K5PALDsaw"
SECRET_PART = TOKEN.split(":", 1)[1]
# Token-shaped but not configured (an old token, another bot's).
STRAY = "555000111:QQwertyuiopASDFGHJKLzxcvbnm0123456789"
LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR"]

# A module whose source lines hold the token, so a traceback or stack dump prints it.
MODULE_SOURCE = f'''
import logging


def fail():
    url = "https://api.telegram.org/bot{TOKEN}/getMe"
    raise RuntimeError("request failed: " + url)


def fail_chained():
    try:
        fail()
    except RuntimeError as exc:
        raise ValueError("token {TOKEN} rejected") from exc


def log_with_stack(logger):
    logger.error("stack follows for {TOKEN}", stack_info=True)
'''


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers = root.handlers[:]
    filters = {h: h.filters[:] for h in handlers}
    level = root.level
    pinned = {name: logging.getLogger(name).level for name in PINNED_LOGGERS}
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for handler, saved in filters.items():
        handler.filters[:] = saved
    root.setLevel(level)
    for name, saved_level in pinned.items():
        logging.getLogger(name).setLevel(saved_level)


@pytest.fixture
def token_module(tmp_path: Path) -> ModuleType:
    path = tmp_path / "token_module.py"
    path.write_text(MODULE_SOURCE, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("token_module", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def emit_everything(module: ModuleType) -> None:
    log = logging.getLogger("bot.handlers")
    for level in (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR):
        log.log(level, f"f-string with {TOKEN} inside")
        log.log(level, "a %%-arg: %s and %r", TOKEN, TOKEN2)
        log.log(level, "GET https://api.telegram.org/bot%s/getMe", TOKEN)
        log.log(level, "dict arg %(token)s", {"token": TOKEN})
    log.error("stray https://api.telegram.org/bot%s/getUpdates and %s", STRAY, STRAY)
    log.error("percent-encoded 123456789%%3A%s", SECRET_PART)
    log.error("truncated URL https://api.telegram.org/bot123456789:AAHdq")
    try:
        module.fail()
    except RuntimeError:
        log.exception("a failure")
    try:
        module.fail_chained()
    except ValueError as exc:
        log.error("chained: %s", exc, exc_info=True)
    module.log_with_stack(log)
    # Broken %-args: logging's error report would otherwise print them raw.
    log.error("two args wanted %s %s", TOKEN)
    # Library loggers still go through the same handler at WARNING and above.
    logging.getLogger("telegram.ext.Application").warning("bad token %s", TOKEN)
    logging.getLogger("httpx").error(f"HTTP Request: POST https://api.telegram.org/bot{TOKEN}/x")


@pytest.mark.parametrize("level", LEVELS)
def test_token_never_reaches_the_output(
    level: str, token_module: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    install_logging(level, [TOKEN, TOKEN2])
    emit_everything(token_module)
    err = capsys.readouterr().err
    assert REDACTED in err
    for secret in (TOKEN, TOKEN2, SECRET_PART, TOKEN2.split(":")[1], STRAY, "AAHdq"):
        assert secret not in err
    # The lines are there, only the tokens are gone.
    assert "f-string with [REDACTED] inside" in err
    assert "https://api.telegram.org/bot[REDACTED]/getMe" in err
    assert "Traceback (most recent call last)" in err
    assert "The above exception was the direct cause" in err
    assert "Stack (most recent call last)" in err
    assert "RuntimeError: request failed" in err
    if level == "DEBUG":
        assert "DEBUG bot.handlers: f-string with [REDACTED] inside" in err
    else:
        assert "DEBUG bot.handlers" not in err


def test_other_root_handlers_see_redacted_records(
    token_module: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    # caplog's handler sits on the root logger before install_logging runs.
    install_logging("DEBUG", [TOKEN])
    emit_everything(token_module)
    assert caplog.records
    assert REDACTED in caplog.text
    assert TOKEN not in caplog.text
    assert SECRET_PART not in caplog.text


@pytest.mark.parametrize("level", LEVELS)
def test_chatty_loggers_stay_at_warning(level: str, capsys: pytest.CaptureFixture[str]) -> None:
    install_logging(level, [TOKEN])
    for name in PINNED_LOGGERS:
        logger = logging.getLogger(name)
        assert logger.level == max(logging.WARNING, logging.getLevelNamesMapping()[level])
        assert not logger.isEnabledFor(logging.INFO)
    logging.getLogger("httpx").info("HTTP Request: POST https://example/bot%s/getMe", TOKEN)
    logging.getLogger("httpcore.connection").debug("connect_tcp.started")
    logging.getLogger("telegram.ext.Updater").info("Start polling")
    err = capsys.readouterr().err
    assert "HTTP Request" not in err
    assert "connect_tcp" not in err
    assert "Start polling" not in err


def test_httpx_stays_at_warning_after_debug() -> None:
    install_logging("DEBUG", [TOKEN])
    assert logging.getLogger("httpx").level == logging.WARNING
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger().level == logging.DEBUG


def test_installing_twice_keeps_one_handler(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    before = len(root.handlers)
    install_logging("INFO", [TOKEN])
    install_logging("INFO", [TOKEN2])
    assert len(root.handlers) == before + 1
    logging.getLogger("bot").error("once %s", TOKEN2)
    err = capsys.readouterr().err
    assert err.count("once") == 1
    assert TOKEN2 not in err


def test_writes_to_stderr_in_a_plain_format(capsys: pytest.CaptureFixture[str]) -> None:
    install_logging("INFO", [])
    logging.getLogger("bot.app").info("started")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.rstrip().endswith("INFO bot.app: started")


@pytest.mark.parametrize("level", ["TRACE", "CRITICAL", "", "10"])
def test_bad_level(level: str) -> None:
    with pytest.raises(ValueError):
        install_logging(level, [TOKEN])


def test_redactor() -> None:
    redact = Redactor([TOKEN, ""])
    assert redact(f"x {TOKEN} y") == f"x {REDACTED} y"
    assert redact(f"bot{TOKEN}/getMe") == f"bot{REDACTED}/getMe"
    assert redact("123456789%3A" + SECRET_PART) == REDACTED
    assert redact(STRAY) == REDACTED
    # An empty token must not redact everything; ordinary text is left alone.
    text = "user 42 pressed 3:10, rules 1a2b3c4d, at 12:30:15"
    assert redact(text) == text


def test_stderr_is_the_one_at_install_time(capsys: pytest.CaptureFixture[str]) -> None:
    install_logging("INFO", [TOKEN])
    handler = logging.getLogger().handlers[-1]
    assert isinstance(handler, logging.StreamHandler)
    assert handler.stream is sys.stderr
