"""Signals while the process starts, before the event loop's handlers take over.

Until `wait_for_signals` runs, SIGHUP's default action would end the process (and systemd counts
that a clean exit, so no restart), and SIGINT would print a traceback from whatever was loading.
`install()` is the first thing `main` does: a SIGHUP is then remembered, and taken over (one
reload) once the loop handles the signal; SIGINT ends the start quietly (see `main`).
"""

from __future__ import annotations

import signal
from types import FrameType

_hup_pending = False


def _remember_hup(signum: int, frame: FrameType | None) -> None:
    global _hup_pending
    _hup_pending = True


def install() -> None:
    signal.signal(signal.SIGHUP, _remember_hup)
    # Python's own handler (KeyboardInterrupt), unless the parent chose to ignore SIGINT (a job
    # started in the background): that choice stands.
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def take_hup() -> bool:
    """Whether a SIGHUP came during the start (then forgotten: it asks for one reload)."""
    global _hup_pending
    pending, _hup_pending = _hup_pending, False
    return pending
