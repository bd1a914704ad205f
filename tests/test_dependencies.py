"""The lock CI installs from (requirements.lock) matches pyproject.toml (issue 9, item 6): every
requirement of the project and of its test extra is pinned there, at a version the requirement
admits, with hashes. A dependency added without `.ci/lock` fails here with what to run."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+?)(?:\s*;[^\\]*)?\s*\\?$")


def project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]  # type: ignore[no-any-return]


def locked() -> dict[str, tuple[Version, int]]:
    """name → (version, number of hashes) from requirements.lock."""
    out: dict[str, tuple[Version, int]] = {}
    current = ""
    for line in (ROOT / "requirements.lock").read_text("utf-8").splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            out[current] = (Version(match.group(2)), 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, hashes = out[current]
            out[current] = (version, hashes + 1)
    return out


def requirements() -> list[Requirement]:
    meta = project()
    deps = list(meta["dependencies"])  # type: ignore[call-overload]
    deps += meta["optional-dependencies"]["test"]  # type: ignore[index]
    return [Requirement(r) for r in deps]


def test_every_requirement_is_locked_at_a_version_it_admits() -> None:
    lock = locked()
    problems = []
    for req in requirements():
        name = canonicalize_name(req.name)
        if name not in lock:
            problems.append(f"{req} is not in requirements.lock")
        elif not req.specifier.contains(lock[name][0], prereleases=True):
            problems.append(f"{req} does not admit the locked {lock[name][0]}")
    assert not problems, "run .ci/lock:\n" + "\n".join(problems)


def test_every_locked_package_has_hashes() -> None:
    lock = locked()
    assert len(lock) > 20
    assert all(hashes for _, hashes in lock.values()), [n for n, (_, h) in lock.items() if not h]


def test_no_release_with_published_advisories_is_admitted() -> None:
    """aiohttp before 3.14.5 has published advisories; an install must not keep an old one."""
    aiohttp = next(r for r in requirements() if r.name == "aiohttp")
    assert not aiohttp.specifier.contains("3.14.4")
    assert aiohttp.specifier.contains("3.14.5")
    assert locked()["aiohttp"][0] >= Version("3.14.5")


def test_tools_that_can_break_ci_have_upper_bounds() -> None:
    for req in requirements():
        if canonicalize_name(req.name) in ("ruff", "mypy", "pytest", "pytest-asyncio", "sniffio",
                                           "types-pyyaml", "setuptools"):
            assert any(s.operator in ("<", "~=", "==") for s in req.specifier), str(req)


def test_declared_dependencies_are_used() -> None:
    """pydantic-settings was declared and never imported; nothing unused comes back."""
    sources = "\n".join(p.read_text("utf-8") for d in ("interview", "bot", "rules", "locales", "offline")
                        for p in (ROOT / d).rglob("*.py"))
    imports = {"python-telegram-bot": "telegram", "pyyaml": "yaml", "babel": "babel",
               "pydantic": "pydantic", "aiohttp": "aiohttp", "sniffio": None, "fpdf2": "fpdf",
               "rjsmin": "rjsmin"}
    for req in project()["dependencies"]:  # type: ignore[attr-defined]
        name = canonicalize_name(Requirement(req).name)
        assert name in imports, f"{name}: say here which module uses it"
        module = imports[name]
        if module is not None:
            assert re.search(rf"^\s*(import|from) {module}\b", sources, re.M), name
