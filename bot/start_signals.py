"""Signals while the process starts, before the event loop's handlers take over.

Until `wait_for_signals` runs, SIGHUP's default action would end the process (and systemd counts
that a clean exit, so no restart), and SIGINT would print a traceback from whatever was loading.
`install()` is the first thing `main` does: a SIGHUP is then remembered, and taken over (one
reload) once the loop handles the signal; SIGINT ends the start quietly (see `main`), wherever
it lands: inside a library that wraps the KeyboardInterrupt in its own error, or in a finalizer
where Python can only print it and go on.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType
from typing import Any, NoReturn

INTERRUPTED = 130  # the status a shell gives a process that SIGINT ended

_hup_pending = False
_interrupted = False


def _remember_hup(signum: int, frame: FrameType | None) -> None:
    global _hup_pending
    _hup_pending = True


def _interrupt(signum: int, frame: FrameType | None) -> None:
    global _interrupted
    _interrupted = True  # remembered: a library may re-raise it as an error of its own
    raise KeyboardInterrupt


def end_interrupted() -> NoReturn:
    """End a start that SIGINT interrupted: one line, status 130. Nothing is held yet that an
    ending must finish (no update taken, nothing written), and a normal exit is not reliable
    here: after some interrupted starts (3 in 40 under load) the interpreter ended itself by
    SIGINT (-2) after `main` returned 130."""
    sys.stdout.flush()
    print("interrupted", file=sys.stderr, flush=True)
    os._exit(INTERRUPTED)


def _unraisable(args: Any) -> None:
    # Raised in a finalizer or a compiled library's callback, it would be printed and lost while
    # the start went on; raised again from here, it would be printed too: end here.
    if args.exc_type is not None and issubclass(args.exc_type, KeyboardInterrupt):
        end_interrupted()
    sys.__unraisablehook__(args)


def install() -> None:
    signal.signal(signal.SIGHUP, _remember_hup)
    # A KeyboardInterrupt, unless the parent chose to ignore SIGINT (a job started in the
    # background): that choice stands.
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, _interrupt)
        sys.unraisablehook = _unraisable


def interrupted() -> bool:
    """Whether a SIGINT came during the start."""
    return _interrupted


def take_hup() -> bool:
    """Whether a SIGHUP came during the start (then forgotten: it asks for one reload)."""
    global _hup_pending
    pending, _hup_pending = _hup_pending, False
    return pending
