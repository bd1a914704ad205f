"""Reloading the rule base without a restart: validate and test first, swap atomically after.

A bad rule base never takes the bot down: on any error the rules in force stay and the error
names file, line and field. Interviews in flight keep working where their answers still fit (the
buttons carry the answers; see flow._upgrade).
"""

from __future__ import annotations

import asyncio
import gc
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import rules
from interview import progress
from rules import RuleSet
from rules.models import FILE_MODELS

from .runtime import RulesHolder

MAX_UPLOAD = 1024 * 1024
UPLOAD_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.yaml$")


@dataclass
class ReloadResult:
    ok: bool
    old_version: str
    new_version: str = ""
    grounds: int = 0
    tests: int = 0
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rolled_back: bool = False  # an uploaded file was put in place, failed, and was taken out


def diff(old: RuleSet, new: RuleSet) -> tuple[list[str], list[str], list[str]]:
    """Grounds added, removed and changed (any field of the ground, its text or dates)."""
    before = {cg.ground.id: cg.ground for cg in old.grounds}
    after = {cg.ground.id: cg.ground for cg in new.grounds}
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(k for k in set(before) & set(after) if before[k] != after[k])
    return added, removed, changed


def _load(path: Path | None) -> RuleSet:
    rs = rules.load(path, run_tests=True)
    warm(rs)
    return rs


def warm(rs: RuleSet) -> None:
    """Work out today's question counts here, off the event loop: the greeting states it, and
    exploring the planner's tree takes about half a second the first time for a rule base and day."""
    progress.greeting_counts(rs, rules.today_in_moscow())


def settle_heap() -> None:
    """Move what lives as long as the process (the rule base, its compiled code, the pages, the
    catalogs) out of the garbage collector's scans, which would otherwise walk all of it on
    every full collection while updates come in. After a reload, the rule base it replaced is
    collected first (unfrozen, its cycles would stay)."""
    gc.unfreeze()
    freeze_served()


def freeze_served() -> None:
    """At start: collect what start-up left behind, then freeze the rest. What an earlier start
    in this process froze stays frozen (nothing of it is to be freed), so this walks only what
    is new, not the whole heap."""
    gc.collect()
    gc.freeze()


async def reload(holder: RulesHolder) -> ReloadResult:
    """Re-read the rule base from its path, validate, test, then swap it in."""
    async with holder.lock:
        return await _reload_locked(holder)


async def _reload_locked(holder: RulesHolder) -> ReloadResult:
    old = holder.current
    old_version = old.version
    try:
        new = await asyncio.to_thread(_load, holder.path)
    except rules.RuleBaseErrors as exc:
        return ReloadResult(False, old.version, errors=[str(e) for e in exc.errors])
    holder.current = new  # one assignment: handlers that started keep the old object
    added, removed, changed = diff(old, new)
    del old
    settle_heap()  # a full collection, once per reload: the old rule base goes
    return ReloadResult(True, old_version, new.version, len(new.grounds), len(new.tests),
                        added, removed, changed)


class UploadRefused(Exception):
    """A rules file an admin sent that cannot be taken; the message says why."""


def target_of(root: Path, name: str) -> Path:
    """Where an uploaded file goes: a top-level rule file by its name, else a test file."""
    if "/" in name or "\\" in name or not UPLOAD_NAME.fullmatch(name):
        raise UploadRefused("name")
    if (root / name).exists() or name in FILE_MODELS:
        return root / name
    return root / rules.loader.TESTS_DIR / name


def rule_files(root: Path) -> list[Path]:
    """The files the loader reads, relative to `root`. A symbolic link or anything but a plain
    file among them is refused: following one could copy or read any file the bot can (or a
    device that never ends)."""
    tests = root / rules.loader.TESTS_DIR
    if tests.is_symlink():
        raise UploadRefused("symlink")
    found = [*root.glob("*.yaml"), *(tests.glob("*.yaml") if tests.is_dir() else [])]
    for path in found:
        if path.is_symlink() or not path.is_file():
            raise UploadRefused("symlink")
    return [path.relative_to(root) for path in found]


def check_upload(holder: RulesHolder, name: str, data: bytes) -> Path:
    """Validate and test the whole rule base as it will be with the new file in place, in a
    temporary copy of the files the loader reads. Returns where the file goes; raises
    UploadRefused or RuleBaseErrors. Call it under the holder's lock (see `upload`)."""
    if holder.path is None:
        raise UploadRefused("no_path")
    if len(data) > MAX_UPLOAD:
        raise UploadRefused("size")
    root = holder.path
    target = target_of(root, name)
    if target.is_symlink():
        raise UploadRefused("symlink")
    with tempfile.TemporaryDirectory(prefix="rules-check-") as tmp:
        copy = Path(tmp) / "rules"
        for rel in rule_files(root):
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / rel, copy / rel, follow_symlinks=False)
        dest = copy / target.relative_to(root)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        # Bytes that are not UTF-8 or not YAML are the loader's to report, at their line.
        rules.load(copy, run_tests=True)
    return target


def install(target: Path, data: bytes) -> None:
    """Put the checked file in place atomically (a reader never sees half a file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    Path(tmp).replace(target)  # os.replace: atomic on one filesystem


async def upload(holder: RulesHolder, name: str, data: bytes) -> ReloadResult:
    """An admin's rules file: checked, installed and reloaded under one lock, so two files sent
    together are checked one after the other, each against the directory as the other left it.
    Raises UploadRefused or RuleBaseErrors when the file is refused (nothing changed)."""
    async with holder.lock:
        target = await asyncio.to_thread(check_upload, holder, name, data)
        return await install_and_reload(holder, target, data)


async def install_and_reload(holder: RulesHolder, target: Path, data: bytes) -> ReloadResult:
    """Install a checked file and reload; if the reload fails after all (the directory changed
    on disk since the check), put the previous file back. Under the holder's lock."""
    previous = await asyncio.to_thread(_swap_in, target, data)
    result = await _reload_locked(holder)
    if not result.ok:
        await asyncio.to_thread(_put_back, target, previous)
        result.rolled_back = True
    return result


def _swap_in(target: Path, data: bytes) -> bytes | None:
    """Install `data`; the file's previous bytes (None when it is new)."""
    previous = target.read_bytes() if target.is_file() else None
    install(target, data)
    return previous


def _put_back(target: Path, previous: bytes | None) -> None:
    if previous is None:
        target.unlink(missing_ok=True)
    else:
        install(target, previous)
