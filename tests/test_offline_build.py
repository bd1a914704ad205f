"""Building the offline page: one copy of every text (the page's scripts name texts by key; the
build takes them from the catalogs and the rule base), a size budget the build enforces, and a wheel
that ships the page's parts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interview import screens
from interview.i18n import tr
from offline import cli
from offline.build import BUDGET, SCRIPTS, build_html, compiled_rules, page_data, shipped_js
from offline.messages import MESSAGES
from tests.bot_harness import bundled_rules
from tests.test_rules_packaging import bdist_wheel_available, built_files

ROOT = Path(__file__).resolve().parent.parent
ASSETS = [ROOT / "offline" / name for name in ("engine.js", "notice.js", "model.js", "ui.js",
                                              "page.css")]
RS = bundled_rules()  # loaded once per process, shared by the modules


def rule_base_texts() -> set[str]:
    texts: set[str] = set()
    for q in RS.questions:
        texts |= {q.text.ru, q.text.en, *(o.label.en for o in q.options)}
    for cg in RS.grounds:
        g = cg.ground
        texts |= {g.title.en, g.title.ru, g.explanation.en, g.todo.en}
    texts |= {c.texts["en"].text for c in RS.caveats}
    return texts


def test_the_page_scripts_hold_no_text_a_person_reads() -> None:
    """Texts live in the catalogs and the rule base only; the scripts refer to them by key."""
    sources = "\n".join(p.read_text(encoding="utf-8") for p in ASSETS)
    msgids = [*MESSAGES.values(), *(nav.msgid for nav in screens.NAV.values() if nav.msgid)]
    catalog = {tr(lang).gettext(msgid) for msgid in msgids for lang in ("ru", "en")}
    words = [t for t in catalog | rule_base_texts() if len(t) >= 12]
    copied = [t for t in words if t in sources]
    assert not copied, copied[:3]
    # No Cyrillic at all in the hand-written parts: every Russian word comes from the build.
    assert not re.search(r"[а-яё]{3,}", sources, re.I)


def test_every_key_the_page_uses_is_resolved_from_the_catalogs() -> None:
    model = (ROOT / "offline" / "model.js").read_text(encoding="utf-8")
    used = set(re.findall(r'\bm\("([a-z_]+)"', model))
    assert used and used <= set(MESSAGES), sorted(used - set(MESSAGES))
    data = page_data(RS, "ru")
    for lang in ("ru", "en"):
        assert set(data["texts"][lang]["m"]) == set(MESSAGES)
    # The buttons come with the screens' description, every one the page may show in both
    # languages, the Russian page speaking Russian where the catalog does.
    labels = set(re.findall(r'\bnavLabel\("([a-z_]+)"', model))
    nav = data["screens"]["nav"]
    assert labels <= set(nav)
    assert {b for rows in screens.SCREENS.values() for row in rows for b in row
            if not b.startswith("@") and screens.channel_of(b) != "bot"} == set(nav)
    start = screens.NAV["start"].msgid
    assert nav["start"]["label"]["ru"] == tr("ru").gettext(start) != start
    assert nav["lang"]["label"] == {"ru": "🌐 English", "en": "🌐 Русский"}


def test_the_build_refuses_a_page_over_the_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert len(build_html(RS, "en").encode()) <= BUDGET
    monkeypatch.setattr(cli, "BUDGET", 10 * 1024)
    target = tmp_path / "spravka.html"
    assert cli.write_page(RS, target, "en") == 1
    assert not target.exists()
    assert "over the 10 KB budget" in capsys.readouterr().err


def test_the_built_package_ships_the_page_parts(tmp_path: Path) -> None:
    if not bdist_wheel_available():  # pragma: no cover - the test extras bring setuptools>=77
        pytest.fail("setuptools cannot build wheels here")
    names = built_files(tmp_path)
    for part in ("offline/engine.js", "offline/model.js", "offline/ui.js", "offline/unpack.js",
                 "offline/page.css", "offline/pack.py",
                 "offline/build.py", "rules/jscompile.py"):
        assert part in names, part


def test_the_shipped_scripts_keep_to_es5_syntax() -> None:
    """Modest phone browsers parse ES5 only: one newer construct and the whole script fails. The
    scripts as the page carries them (minified) and the compiled rule base, not the data."""
    code = "\n".join([*(shipped_js(name) for name in ("unpack.js", *SCRIPTS, "ui.js")),
                      compiled_rules(RS)])
    code = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', code)  # string literals may say anything
    for construct in (r"=>", "`", r"\blet\s", r"\bconst\s", r"\bclass\s", r"\.\.\.",
                      r"Object\.assign", r"\bfor\s*\([^;)]*\bof\b",
                      # ES2015 library calls an ES5 browser lacks (BigInt is feature-tested)
                      r"Number\.is", r"\.repeat\(", r"\.includes\(", r"\.startsWith\(",
                      r"\.endsWith\(", r"Array\.from", r"\.find(Index)?\(", r"\bSymbol\b",
                      r"\bPromise\b", r"\bnew (Map|Set)\b"):
        assert not re.search(construct, code), construct
