"""Shared test setup: the project's packages importable when they are not installed, and the
end-to-end fixtures."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent

if importlib.util.find_spec("rules") is None:  # pragma: no cover - depends on the environment
    sys.path.insert(0, str(ROOT))

# python-telegram-bot 22.2+ warns that durations become timedelta; opt in, as the bot does.
os.environ.setdefault("PTB_TIMEDELTA", "1")

# Every bot a test starts builds two HTTP clients, and each loads the CA bundle into a new TLS
# context (about 20 ms of CPU; some 900 starts a run). The tests speak plain HTTP to 127.0.0.1, so
# the default context is built once per process and shared: the same settings, not a stand-in.
def _shared_default_tls_context() -> None:
    import functools

    import httpx._transports.default as transports

    build = transports.create_ssl_context  # type: ignore[attr-defined]
    cached = functools.lru_cache(maxsize=1)(lambda: build())

    def create_ssl_context(verify: Any = True, cert: Any = None, trust_env: bool = True) -> Any:
        if verify is True and cert is None and trust_env:
            return cached()
        return build(verify=verify, cert=cert, trust_env=trust_env)

    transports.create_ssl_context = create_ssl_context  # type: ignore[attr-defined]


_shared_default_tls_context()

# After the path and environment are set up: the harness imports the project and the library.
import rules  # noqa: E402
from tests import browser, serial  # noqa: E402
from tests.bot_harness import running_bot  # noqa: E402
from tests.botapi import BotAPIStandIn  # noqa: E402


# Parallel workers (pytest-xdist, pyproject.toml) share the machine; latency tests run alone.
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    # One worker more than the cores: a third of the suite's wall time is waiting (people's pace
    # between presses, a 429's retry-after, sockets), which a third worker fills. Measured on
    # 2 cores: 240 s with 2 workers, 202 s with 3, 207 s with 4.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) + 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    serial.collection_modifyitems(items)


@pytest.hookimpl(tryfirst=True)  # before the test's fixtures are set up
def pytest_runtest_setup(item: pytest.Item) -> None:
    serial.runtest_setup(item)


@pytest.hookimpl(trylast=True)  # after they are torn down
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    serial.runtest_teardown(item, nextitem)


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
