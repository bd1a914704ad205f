"""Shared test setup: make the project's packages importable when they are not installed."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if importlib.util.find_spec("rules") is None:  # pragma: no cover - depends on the environment
    sys.path.insert(0, str(ROOT))

# python-telegram-bot 22.2+ warns that durations become timedelta; opt in, as the bot does.
os.environ.setdefault("PTB_TIMEDELTA", "1")
