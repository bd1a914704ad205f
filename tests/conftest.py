"""Shared test setup: the project's packages importable when they are not installed, and the
end-to-end fixtures."""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import os
import shutil
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

if importlib.util.find_spec("rules") is None:  # pragma: no cover - depends on the environment
    sys.path.insert(0, str(ROOT))

# python-telegram-bot 22.2+ warns that durations become timedelta; opt in, as the bot does.
os.environ.setdefault("PTB_TIMEDELTA", "1")

# After the path and environment are set up: the harness imports the project and the library.
import rules  # noqa: E402
from tests import browser  # noqa: E402
from tests.bot_harness import running_bot  # noqa: E402
from tests.botapi import BotAPIStandIn  # noqa: E402


# Parallel workers (pytest-xdist, pyproject.toml) share the machine. A test marked `serial`
# measures latencies, so it runs while no other worker runs a test: every test holds a shared lock
# on a file all workers see, a serial one the exclusive lock; a second lock, taken first, keeps
# new tests from starting while a serial one waits for its turn.
@pytest.fixture(autouse=True)
def _alone_when_serial(request: pytest.FixtureRequest,
                       tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    if "PYTEST_XDIST_WORKER" not in os.environ:
        yield
        return
    shared = tmp_path_factory.getbasetemp().parent  # one directory for the whole run
    serial = request.node.get_closest_marker("serial") is not None
    with (shared / "serial.turn").open("a") as turn, (shared / "serial.run").open("a") as run:
        fcntl.flock(turn, fcntl.LOCK_EX if serial else fcntl.LOCK_SH)
        try:
            fcntl.flock(run, fcntl.LOCK_EX if serial else fcntl.LOCK_SH)
        finally:
            if not serial:
                fcntl.flock(turn, fcntl.LOCK_UN)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(run, fcntl.LOCK_UN)
                fcntl.flock(turn, fcntl.LOCK_UN)


# The bot end to end: a strict Bot API stand-in on 127.0.0.1, and the bot polling it. Test modules
# that need another set-up define their own `api` or `bot`.
@pytest.fixture
def api() -> Iterator[BotAPIStandIn]:
    with BotAPIStandIn() as standin:
        yield standin


@pytest.fixture
async def bot(api: BotAPIStandIn) -> AsyncIterator[list[object]]:
    async with running_bot(api) as apps:
        yield apps


# A writable copy of the bundled rule base, for tests that reload, upload or break it.
@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(rules.DEFAULT_RULES_DIR, target)
    return target


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line, however many browser tests were skipped, saying what to install."""
    skipped = [r for r in terminalreporter.stats.get("skipped", [])
               if browser.MISSING in str(getattr(r, "longrepr", ""))]
    if skipped:
        terminalreporter.write_line(f"{len(skipped)} browser tests skipped: {browser.MISSING}")
