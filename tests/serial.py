"""Tests marked `serial` (they measure latencies) run while no other xdist worker runs a test.

Every test holds a shared lock on a file all workers of the run see, a serial test the exclusive
one; a second lock, taken first, keeps new tests from starting while a serial test waits for its
turn. Serial tests are collected first and keep the exclusive lock from one to the next, so the
other workers wait once, not once per serial test behind whatever long test they started.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

import pytest


def is_serial(item: pytest.Item | None) -> bool:
    return item is not None and item.get_closest_marker("serial") is not None


class Turns:
    def __init__(self, shared: Path) -> None:
        self._turn: IO[str] = (shared / "serial.turn").open("a")
        self._run: IO[str] = (shared / "serial.run").open("a")
        self.held: bool | None = None  # None: nothing held; else whether exclusively

    def enter(self, serial: bool) -> None:
        if self.held == serial:
            return
        self.leave()
        fcntl.flock(self._turn, fcntl.LOCK_EX if serial else fcntl.LOCK_SH)
        fcntl.flock(self._run, fcntl.LOCK_EX if serial else fcntl.LOCK_SH)
        if not serial:
            fcntl.flock(self._turn, fcntl.LOCK_UN)
        self.held = serial

    def leave(self) -> None:
        if self.held is not None:
            fcntl.flock(self._run, fcntl.LOCK_UN)
            fcntl.flock(self._turn, fcntl.LOCK_UN)
            self.held = None


_turns: list[Turns] = []


def collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not is_serial(item))  # stable: the rest keep their order


def runtest_setup(item: pytest.Item) -> None:
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return
    if not _turns:
        factory: pytest.TempPathFactory = item.config._tmp_path_factory  # type: ignore[attr-defined]
        _turns.append(Turns(factory.getbasetemp().parent))  # one directory for the whole run
    _turns[0].enter(is_serial(item))


def runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    # A serial test keeps the exclusive lock for the serial test after it; every other test
    # lets go, so that a serial one waiting for its turn gets it.
    if _turns and not (is_serial(item) and is_serial(nextitem)):
        _turns[0].leave()
