"""`python -m rules`: check, test, evaluate and graph a rule base.

Exit codes: 0 done; 1 invalid or unreadable rule base, or failing rule tests; 2 bad arguments or
bad facts (the message names the key).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

from .engine import RuleSet
from .factdocs import describe
from .facts import FactsError
from .isodate import parse_day
from .loader import check_rule_test, load
from .notice import check_notice_test
from .verdict import Verdict
from .yamlload import RuleBaseErrors

MAX_FACTS_BYTES = 64 * 1024  # a full set of facts is under 1 KiB
MAX_NUMBER_DIGITS = 12  # no fact is a number anywhere near this long
# The days the rule base answers for (issue 14): before 2022 and after 2028 it holds no law.
FIRST_DAY = dt.date(2022, 1, 1)
LAST_DAY = dt.date(2028, 12, 31)


def _date(text: str) -> dt.date:
    try:
        day = parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(
            f"{text} is outside the days the rule base covers, "
            f"{FIRST_DAY.isoformat()}..{LAST_DAY.isoformat()}")
    return day


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m rules", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    for name, text in (("check", "validate the rule base"),
                       ("test", "validate the rule base and run its tests")):
        s = sub.add_parser(name, help=text)
        s.add_argument("--rules", type=Path, help="rule base directory (default: bundled)")
    e = sub.add_parser("evaluate", help="evaluate facts (a JSON object) and print the verdict")
    e.add_argument("--rules", type=Path)
    e.add_argument("--facts", required=True, help="JSON file with the facts, or - for stdin")
    e.add_argument("--as-of", type=_date, help="YYYY-MM-DD (default: today in Moscow)")
    e.add_argument("--lang", choices=("ru", "en"), default="en")
    e.add_argument("--json", action="store_true", help="print the verdict as JSON")
    f = sub.add_parser("facts", help="list every fact: name, type, allowed values, meaning")
    f.add_argument("--rules", type=Path)
    f.add_argument("--json", action="store_true", help="print the list as JSON")
    g = sub.add_parser("graph", help="the grounds and the facts they hang on")
    g.add_argument("--rules", type=Path)
    g.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            rs = load(args.rules, run_tests=False)
            print(f"OK: rules {rs.version}, {len(rs.grounds)} grounds, "
                  f"{len(rs.questions)} questions, {len(rs.tests)} tests (not run)")
            return 0
        if args.command == "test":
            return _test(args.rules)
        rs = load(args.rules, run_tests=False)
    except RuleBaseErrors as exc:
        print(f"invalid rule base:\n{exc}", file=sys.stderr)
        return 1
    if args.command == "graph":
        print(graph(rs, args.format))
        return 0
    if args.command == "facts":
        print(facts_listing(rs, args.json))
        return 0
    return _evaluate(rs, args)


def _test(path: Path | None) -> int:
    started = time.perf_counter()
    rs = load(path, run_tests=False)
    failed = 0
    for test in rs.tests:
        problem = check_rule_test(rs, test)
        if problem:
            failed += 1
            print(f"FAIL {test.name}: {problem}")
    notice_tests = rs.notices.tests if rs.notices else []
    for ntest in notice_tests:  # "What is this notice?" (notices.yaml)
        problem = check_notice_test(rs.notices, ntest) if rs.notices else None
        if problem:
            failed += 1
            print(f"FAIL {ntest.name}: {problem}")
    total = len(rs.tests) + len(notice_tests)
    ms = (time.perf_counter() - started) * 1000
    print(f"{total - failed} passed, {failed} failed; rules {rs.version} ({ms:.0f} ms)")
    return 1 if failed else 0


class _FactsInput(ValueError):
    """Facts that cannot be read; the message says why."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _FactsInput(f"key {key[:40]!r} appears twice")
        out[key] = value
    return out


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _FactsInput(f"the number {text[:20]}… ({len(text)} digits) is too large")
    return int(text)


def _not_a_number(text: str) -> Any:
    raise _FactsInput(f"{text} is not a number JSON allows")


def _read_facts(source: str) -> dict[str, Any]:
    """The facts as a JSON object, read strictly: UTF-8, no duplicate keys, no NaN, no huge
    numbers, no deep nesting; _FactsInput otherwise."""
    try:
        if source == "-":
            stream = getattr(sys.stdin, "buffer", None)
            raw = stream.read(MAX_FACTS_BYTES + 1) if stream is not None else (
                sys.stdin.read(MAX_FACTS_BYTES + 1).encode("utf-8", "surrogateescape"))
        else:
            with Path(source).open("rb") as f:
                raw = f.read(MAX_FACTS_BYTES + 1)
    except OSError as exc:
        raise _FactsInput(f"cannot read facts: {exc.strerror or exc}") from None
    if len(raw) > MAX_FACTS_BYTES:
        raise _FactsInput(f"facts are larger than {MAX_FACTS_BYTES // 1024} KiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _FactsInput(f"facts are not UTF-8 text (byte {exc.start})") from None
    try:
        facts = json.loads(text, object_pairs_hook=_no_duplicates, parse_int=_int,
                           parse_constant=_not_a_number)
    except json.JSONDecodeError as exc:
        raise _FactsInput(f"facts are not valid JSON: {exc}") from None
    except RecursionError:
        raise _FactsInput("facts are nested too deeply: they are one flat JSON object") from None
    except _FactsInput as exc:
        raise _FactsInput(f"facts are not valid: {exc}") from None
    if not isinstance(facts, dict):
        raise _FactsInput("facts must be a JSON object")
    return facts


def _evaluate(rs: RuleSet, args: argparse.Namespace) -> int:
    try:
        facts = _read_facts(args.facts)
    except _FactsInput as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        verdict = rs.evaluate(facts, args.as_of, args.lang)
    except FactsError as exc:
        print(f"bad facts: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(verdict.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        print(render_text(verdict))
    return 0


def facts_listing(rs: RuleSet, as_json: bool) -> str:
    asked_by = {key: q.id for q in rs.questions for key in q.facts}
    items = describe(asked_by)
    if as_json:
        return json.dumps(items, ensure_ascii=False, indent=2)
    lines = []
    for item in items:
        values = item.get("values")
        shown = ("|".join(str(v).lower() for v in values) if values is not None
                 else item.get("format") or f"{item['minimum']}..{item['maximum']}")
        lines.append(f"{item['name']} ({item['type']}: {shown})\n  {item['meaning']}")
    return "\n".join(lines)


def render_text(v: Verdict) -> str:
    lines = [f"outcome: {v.outcome}  (as of {v.as_of}, rules {v.rules_version})"]
    for g in v.grounds:
        lines.append(f"\n[{g.status}] {g.title} ({g.outcome}, {g.confidence})")
        lines.append(f"  {g.explanation}")
        lines.append(f"  todo: {g.todo}")
        if g.note:
            lines.append(f"  note: {g.note}")
        for c in g.citations:
            mark = "confirmed" if c.confirmed else f"reported [{c.confidence}]"
            lines.append(f"  - {c.label} ({mark}){' ' + c.url if c.url else ''}")
        if g.needs:
            lines.append(f"  needs: {', '.join(g.needs)}")
    for a in v.advice:
        lines.append(f"\nadvice ({a.ground_id}): {a.text}")
    if v.missing:
        lines.append(f"\nmissing: {', '.join(v.missing)}")
    for n in v.notes:
        lines.append(f"\nnote: {n.text}")
    for caveat in v.caveats:
        lines.append(f"\ncaveat: {caveat.text}")
    for step in v.steps:
        lines.append(f"\nstep: {step.text}")
    for m in v.mechanisms.values():
        if m.id == "mobilization":
            continue
        head = f"\n== {m.id}: {m.outcome}" + ("" if m.concerns else " (does not concern)")
        lines.append(head + (f", until {m.until}" if m.until else ""))
        for g in m.grounds:
            lines.append(f"  [{g.status}] {g.title} ({g.outcome}, {g.confidence})")
        for d in m.dates:
            lines.append(f"  {d.text}: {d.date}")
        if m.missing:
            lines.append(f"  missing: {', '.join(m.missing)}")
    return "\n".join(lines)


def graph(rs: RuleSet, fmt: str) -> str:
    """Grounds and the facts they hang on, for reviewers."""
    edges = sorted({(cg.ground.id, f) for cg in rs.grounds for f in cg.cond.facts})
    facts = sorted({f for _, f in edges})
    if fmt == "dot":
        out = ["digraph rules {", "  rankdir=LR;", "  node [shape=box];"]
        for cg in rs.grounds:
            out.append(f'  "{cg.ground.id}" [label="{cg.ground.id}\\n{cg.ground.outcome}"];')
        for f in facts:
            out.append(f'  "fact:{f}" [label="{f}", shape=ellipse];')
        out += [f'  "fact:{f}" -> "{g}";' for g, f in edges]
        out.append("}")
        return "\n".join(out)
    out = ["flowchart LR"]
    for f in facts:
        out.append(f"  f_{f}([{f}])")
    for cg in rs.grounds:
        out.append(f"  g_{cg.ground.id}[{cg.ground.id}<br/>{cg.ground.outcome}]:::{cg.ground.outcome}")
    out += [f"  f_{f} --> g_{g}" for g, f in edges]
    out += ["  classDef not_subject fill:#d4f4dd,stroke:#2b8a3e",
            "  classDef deferral fill:#fff3bf,stroke:#e67700",
            "  classDef conditional fill:#ffe3e3,stroke:#c92a2a"]
    return "\n".join(out)


# Other front ends read facts the same way (`exempt-bot paper`).
FactsInput = _FactsInput
read_facts = _read_facts
