"""The system's Chromium for the offline page's browser tests (Playwright drives it; it downloads
none). Without it those tests are skipped, and the run says once what to install; with
EXEMPT_REQUIRE_BROWSER set (CI, .ci/run) they fail instead."""

from __future__ import annotations

import os
import shutil

import pytest

MISSING = "Chromium not found: install Debian's `chromium` package (apt-get install chromium)"


def required() -> bool:
    return os.environ.get("EXEMPT_REQUIRE_BROWSER", "") not in ("", "0")


def chromium() -> str:
    """The browser's path; skips the test (or fails it, when required) without one."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if required():
            pytest.fail(MISSING + "; EXEMPT_REQUIRE_BROWSER is set", pytrace=False)
        pytest.skip(MISSING)
    return found
