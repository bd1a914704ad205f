"""The offline page's data packed (offline/pack.py) and restored by the page's own unpacker
(offline/unpack.js, as the page ships it, on V8 from PyPI): the page's whole data in both languages
comes back exactly, and so do the cases the packing has to escape."""

from __future__ import annotations

import json
from typing import Any

import pytest

from offline.build import build_html, compiled_rules, page_data, shipped_js
from offline.pack import pack
from rules.jscompile import engine_data, js_literal
from tests.bot_harness import bundled_rules
from tests.jsengine import JSEngine

RS = bundled_rules()  # loaded once per process, shared by the modules

AWKWARD: list[Any] = [
    {"a": "~", "b": "~~x", "c": ["~1", "~1", "~1"], "d": "~1"},  # strings like references
    [[-3, "x"], [-1], [-2.5, 0], [0, -1], []],  # arrays like packed objects
    {"x": {"p": 1, "q": None}, "y": {"p": 2, "q": [True, False]}, "z": {"q": 3, "p": 4}},
    {"": {}, "n": [{}, {}], "same": [{"k": "v"}, {"k": "v"}, {"k": "v"}]},
    ["повестка", "повестка", "повестка", "\u2028</script>", "\u2028</script>"],
    {"12": "a", "2": "b", "k": "c"},  # integer-like keys keep JavaScript's order
    [0, -0.5, 1e3, None, True, False, "", "", ""],
]


def restored(js: JSEngine, data: Any) -> Any:
    return js.value("exemptUnpack(" + js_literal(pack(data)) + ")")


@pytest.fixture(scope="module")
def js() -> Any:
    with JSEngine(RS) as engine:
        engine.load(shipped_js("unpack.js"))
        yield engine


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_page_data_comes_back_exactly(js: JSEngine, lang: str) -> None:
    data = page_data(RS, lang, ["@helper"])
    assert restored(js, data) == json.loads(js_literal(data))
    packed = len(js_literal(pack(data)).encode())
    assert packed < 0.9 * len(js_literal(data).encode())  # it still saves what it is for


@pytest.mark.parametrize("case", AWKWARD)
def test_awkward_data_comes_back_exactly(js: JSEngine, case: Any) -> None:
    assert restored(js, case) == case


def test_the_page_carries_the_packed_data_and_no_script_end() -> None:
    html = build_html(RS, "ru")
    assert "var PAGE=exemptUnpack({" in html
    assert html.count("</script>") == 1 and html.count("<!--") == 0


def test_the_compiled_rule_base_data_comes_back_exactly(js: JSEngine) -> None:
    """The page packs the compiled rule base's data too (build.compiled_rules)."""
    assert "data:exemptUnpack(" in compiled_rules(RS)
    assert js.value("EXEMPT_COMPILED.data") == json.loads(js_literal(engine_data(RS)))
