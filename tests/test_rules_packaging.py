"""`pip install .` (not only -e) ships the rule base's YAML (issue 2: several top-level packages,
data files listed explicitly)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import rules

ROOT = Path(__file__).resolve().parent.parent


def bdist_wheel_available() -> bool:
    """setuptools builds wheels itself from 70.1; before that it needs the `wheel` package."""
    if importlib.util.find_spec("setuptools") is None:
        return False
    if importlib.util.find_spec("wheel") is not None:
        return True
    from importlib.metadata import version

    major, minor = (int(x) for x in version("setuptools").split(".")[:2])
    return (major, minor) >= (70, 1)


def source_copy(tmp_path: Path) -> Path:
    """The project's packaging inputs, copied so the build leaves no files in the work tree."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ROOT / "pyproject.toml", src)
    readme = ROOT / "README.md"
    if readme.is_file():
        shutil.copy(readme, src)
    else:  # the README is not written yet; the metadata needs the file
        (src / "README.md").write_text("exempt-bot\n", encoding="utf-8")
    for package in ("rules", "interview", "bot", "locales", "offline"):
        if (ROOT / package).is_dir():
            shutil.copytree(ROOT / package, src / package,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return src


def built_files(tmp_path: Path) -> list[str]:
    src = source_copy(tmp_path)
    out = tmp_path / "out"
    if bdist_wheel_available():
        run = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation",
             "--no-index", "-q", "-w", str(out)],
            cwd=src, capture_output=True, text=True, timeout=120, check=False,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        (wheel,) = out.glob("*.whl")
        return zipfile.ZipFile(wheel).namelist()
    if importlib.util.find_spec("setuptools") is None:
        pytest.skip("no build backend (setuptools) in this environment")
    # Without bdist_wheel (setuptools < 70.1 and no `wheel` package) build the wheel's payload:
    # build_py copies exactly the packages and package data a wheel would hold.
    run = subprocess.run(
        [sys.executable, "-c", "from setuptools import setup; setup()", "-q", "build_py",
         "--build-lib", str(out)],
        cwd=src, capture_output=True, text=True, timeout=120, check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()]


def test_the_built_package_ships_every_yaml_file_of_the_rule_base(tmp_path: Path) -> None:
    names = set(built_files(tmp_path))
    data = rules.DEFAULT_RULES_DIR
    expected = {f"rules/data/{p.relative_to(data).as_posix()}" for p in data.rglob("*.yaml")}
    assert "rules/data/grounds.yaml" in names
    assert any(n.startswith("rules/data/tests/") and n.endswith(".yaml") for n in names)
    assert expected <= names, sorted(expected - names)
    assert "rules/py.typed" in names
    assert "rules/__main__.py" in names
    assert not any(n.startswith("tests/") for n in names)


def test_the_built_package_ships_the_catalogs_and_the_bot(tmp_path: Path) -> None:
    names = set(built_files(tmp_path))
    assert "locales/ru/LC_MESSAGES/messages.po" in names
    assert "locales/en/LC_MESSAGES/messages.po" in names
    assert "bot/__main__.py" in names and "bot/py.typed" in names
    assert "interview/flow.py" in names and "interview/py.typed" in names
    # The documents' font and its licence (OFL: the licence travels with the font).
    for name in ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LICENSE.txt"):
        assert f"interview/fonts/{name}" in names
