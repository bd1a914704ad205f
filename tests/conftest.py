"""Shared test setup: make the project's packages importable when they are not installed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if importlib.util.find_spec("rules") is None:  # pragma: no cover - depends on the environment
    sys.path.insert(0, str(ROOT))
