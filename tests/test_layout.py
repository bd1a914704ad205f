"""The layout the README promises: `interview/` is channel-free, `rules/` knows only the law, and no
two modules of the project import each other (directly or round a loop)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("rules", "interview", "bot", "offline", "locales")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every module this file imports, type-checking-only imports included (a loop through them
    is still a loop a reader has to follow)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
                if node.module is None:
                    found.update(f"{base}.{alias.name}" for alias in node.names)
            else:
                target = node.module or ""
            found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges[name] = {m for m in imports_of(path) if m in modules and m != name}
    return edges


def test_the_interview_imports_neither_telegram_nor_the_bot() -> None:
    for path in (ROOT / "interview").rglob("*.py"):
        bad = {m for m in imports_of(path) if m.split(".")[0] in {"telegram", "bot", "offline"}}
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_the_rules_import_nothing_of_the_channels_or_the_interview() -> None:
    for path in (ROOT / "rules").rglob("*.py"):
        bad = {m for m in imports_of(path)
               if m.split(".")[0] in {"telegram", "bot", "offline", "interview", "locales"}}
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_no_two_modules_import_each_other() -> None:
    edges = graph()
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    loops: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                loops.append([*path[path.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert not loops, f"import loops: {loops}"
