"""The offline page's JavaScript, run in this process on V8 embedded from PyPI (mini-racer): no
system Node or browser needed. A `JSEngine` holds one V8 context with the rule base compiled by
rules/jscompile.py (`EXEMPT_COMPILED`) and offline/engine.js over it (`E = exemptEngine(C)`), both
as the page ships them (offline.build: the data packed, the script minified);
more scripts (a test driver, the page's own code) can be loaded into the same context.

    with JSEngine(rules.load()) as js:
        verdict = js.call("E.evaluate", {"sex": "female"}, "2022-10-10")
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

from py_mini_racer import MiniRacer

from offline.build import compiled_rules, shipped_js
from rules import RuleSet

ROOT = Path(__file__).resolve().parent.parent


class JSEngine:
    """offline/engine.js over `rs`, compiled: `C` is the compiled rule base and `E` the engine
    in the context's global scope. Values cross as JSON, as they do between the page's parts."""

    def __init__(self, rs: RuleSet) -> None:
        self._v8 = MiniRacer()
        # Top-level `var`s of one script are globals that later scripts in the context see.
        self._v8.eval(shipped_js("unpack.js") + "\n" + compiled_rules(rs) + "\nvar C = EXEMPT_COMPILED;")
        self.load(shipped_js("engine.js"))
        self._v8.eval("var E = exemptEngine(C);")

    def load(self, script: Path | str) -> None:
        """Run a script file (or source text) in the context, as a page's <script> would."""
        source = script.read_text(encoding="utf-8") if isinstance(script, Path) else script
        self._v8.eval(source)

    def value(self, expression: str, timeout: float = 600.0) -> Any:
        """An expression's value in the context, decoded from JSON."""
        return self._v8.execute(expression, timeout_sec=timeout)

    def call(self, function: str, *args: Any, timeout: float = 600.0) -> Any:
        """Call a function of the context (such as "E.evaluate") with JSON arguments; returns its
        result decoded from JSON."""
        return self._v8.call(function, *args, timeout_sec=timeout)

    def close(self) -> None:
        self._v8.close()

    def __enter__(self) -> JSEngine:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


__all__ = ["JSEngine"]
