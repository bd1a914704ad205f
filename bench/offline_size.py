"""What the offline page's bytes are: each part as plain JSON or source, and as the page carries
it (the data packed by offline/pack.py, the scripts through rjsmin). Packed parts refer to the
shared tables (strings used more than once, recurring key lists), which are listed as their own
rows. Fonts and images: the page has none.

Run: python -m bench.offline_size [--lang ru|en]
"""

from __future__ import annotations

import argparse
import re
from typing import Any

import rules
from offline import build
from offline.pack import pack
from rules.jscompile import compile_rules, engine_data, js_literal


def size(text: str) -> int:
    return len(text.encode())


def child(packed: dict[str, Any], node: Any, key: str) -> Any:
    """A packed object's member: a plain object's, or a keyed array's (its key list's place)."""
    if isinstance(node, dict):
        return node[key]
    return node[1 + packed["k"][-2 - node[0]].index(key)]


def rows(lang: str) -> list[tuple[str, int | None, int]]:
    """(part, bytes as plain JSON or source, bytes as the page carries it)."""
    rs = rules.load()
    data = build.page_data(rs, lang)
    packed = pack(data)
    out: list[tuple[str, int | None, int]] = []
    for code in sorted(data["texts"], key=lambda c: c != lang):
        raw, shipped = data["texts"][code], child(packed, child(packed, packed["d"], "texts"), code)
        out.append((f"texts.{code} (both languages ride in every page)",
                    size(js_literal(raw)), size(js_literal(shipped))))
        for key in sorted(raw, key=lambda k: -size(js_literal(raw[k]))):
            part = child(packed, shipped, key)
            out.append((f"  {key}", size(js_literal(raw[key])), size(js_literal(part))))
    for key, label in (("papers", "papers (the written documents' templates)"),
                       ("notices", "notices (notices.yaml)"), ("screens", "screens (buttons)")):
        out.append((label, size(js_literal(data[key])), size(js_literal(child(packed, packed["d"], key)))))
    rest = {k: v for k, v in data.items() if k not in ("texts", "papers", "notices", "screens")}
    out.append(("lang, version, rule date", size(js_literal(rest)),
                sum(size(js_literal(child(packed, packed["d"], k))) + len(k) + 4 for k in rest)))
    out.append(("shared strings (page data)", None, size(js_literal(packed["s"]))))
    out.append(("shared key lists (page data)", None, size(js_literal(packed["k"]))))
    compiled = compile_rules(rs)
    shipped_compiled = build.compiled_rules(rs)
    plain_data = size(js_literal(engine_data(rs)))
    packed_data = size(build.packed_literal(engine_data(rs)))
    out.append(("compiled rule base: data", plain_data, packed_data))
    out.append(("compiled rule base: code", size(compiled) - plain_data,
                size(shipped_compiled) - packed_data))
    for name in ("unpack.js", *build.SCRIPTS, "ui.js"):
        out.append((name, size(build._asset(name)), size(build.shipped_js(name))))
    css = build._asset("page.css")
    out.append(("page.css", size(css), size(build._minify_css(css))))
    html = build.build_html(rs, lang)
    script = html.split("<script>", 1)[1].rsplit("</script>", 1)[0]
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    assert style is not None
    out.append(("HTML around them (head, policy, title)", None,
                size(html) - size(script) - size(style.group(1))))
    out.append(("total", None, size(html)))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="ru", choices=["ru", "en"])
    args = parser.parse_args(argv)
    print(f"| part (page in {args.lang}) | plain | as shipped |\n|---|---:|---:|")
    for name, plain, shipped in rows(args.lang):
        cell = f"{plain:,}" if plain is not None else ""
        print(f"| {name} | {cell} | {shipped:,} |")


if __name__ == "__main__":
    main()
