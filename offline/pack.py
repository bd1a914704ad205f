"""The page's data without its repetitions, as offline/unpack.js restores it whole.

The page carries both languages' texts, and its data repeats itself: the same citation URL, kind
and date in both languages and in several grounds, the same keys in thousands of small objects
(every citation's label, url, kind...), texts shared by two grounds or both languages. Packing keeps
one copy: a string used more than once is written once in a table and referred to as "~" and its
index (base 36); an object whose keys recur in the same order is written as an array holding minus
(2 + its key list's index) and then its values. The rest is unchanged, so a reader of the file still
sees the texts. Lossless: `exemptUnpack(pack(x))` equals x (tests/test_offline_pack.py).

Escapes: a string that itself starts with "~" gets one more "~"; an array whose first item is a
negative number is written with -1 before it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rules.jscompile import js_literal

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _b36(n: int) -> str:
    out = ""
    while True:
        n, d = divmod(n, 36)
        out = DIGITS[d] + out
        if not n:
            return out


def _size(text: str) -> int:
    return len(js_literal(text).encode())


def _ref_size(index: int) -> int:
    return 3 + len(_b36(index))  # "~" and the index, in quotes


def pack(data: Any) -> dict[str, Any]:
    """{"s": the strings used more than once, "k": the recurring key lists, "d": the data}."""
    strings: Counter[str] = Counter()
    shapes: Counter[tuple[str, ...]] = Counter()

    def scan(v: Any) -> None:
        if isinstance(v, dict):
            shapes[tuple(v)] += 1
            for x in v.values():
                scan(x)
        elif isinstance(v, list):
            for x in v:
                scan(x)
        elif isinstance(v, str):
            strings[v] += 1

    scan(data)
    # A string goes in the table only where its references cost less than its copies.
    table: list[str] = []
    for s in sorted((s for s, n in strings.items() if n > 1), key=lambda s: (-strings[s], s)):
        n, size = strings[s], _size(s)
        if n * size > n * _ref_size(len(table)) + size + 1:
            table.append(s)
    index = {s: i for i, s in enumerate(table)}
    keys = [k for k, n in shapes.most_common() if n > 1 and k]
    key_index = {k: i for i, k in enumerate(keys)}

    def enc(v: Any) -> Any:
        if isinstance(v, dict):
            shape = key_index.get(tuple(v))
            if shape is not None:
                return [-2 - shape, *(enc(x) for x in v.values())]
            return {k: enc(x) for k, x in v.items()}
        if isinstance(v, list):
            out = [enc(x) for x in v]
            first = v[0] if v else None
            negative = isinstance(first, int | float) and not isinstance(first, bool) and first < 0
            return [-1, *out] if negative else out
        if isinstance(v, str):
            if v in index:
                return "~" + _b36(index[v])
            return "~" + v if v.startswith("~") else v
        return v

    return {"s": table, "k": [list(k) for k in keys], "d": enc(data)}


__all__ = ["pack"]
