"""Benchmark building one written document: the verdict, the content and the PDF, as a press of a
document button does it (the bot renders the PDF off the event loop).

Over every kind that fits a few typical fact sets; the first build of a process also cuts the
font (reported apart). Run: python bench/documents_bench.py [--rounds 20]
Budget (issue 15): median <= 100 ms per document on the project VM.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from typing import Any

import rules
from interview import papers
from interview.pdf import render_pdf

OCT_10 = dt.date(2022, 10, 10)
CASES: list[tuple[str, dict[str, Any], dt.date]] = [
    ("father of four, category G", {
        "sex": "male", "military_status": "reserve", "citizen": True, "age": 35,
        "rank": "soldier", "fitness": "G", "conviction": "none", "student": "none",
        "children_under_16": 4, "sector": "none"}, OCT_10),
    ("student", {
        "sex": "male", "military_status": "reserve", "citizen": True, "age": 22,
        "rank": "soldier", "fitness": "A", "conviction": "none", "student": "full_time",
        "student_programme": "accredited", "student_first_time": True}, OCT_10),
    ("no ground", {
        "sex": "male", "military_status": "reserve", "citizen": True, "age": 30,
        "rank": "soldier", "fitness": "A", "conviction": "none", "student": "none",
        "children_under_16": 0, "sector": "none"}, OCT_10),
    ("conscript, category G", {
        "sex": "male", "military_status": "not_in_reserve", "citizen": True, "age": 20,
        "fitness": "G", "conviction": "none", "student": "none",
        "conscientious_objector": False}, dt.date(2026, 12, 4)),
    ("conscientious objector", {
        "sex": "male", "military_status": "not_in_reserve", "citizen": True, "age": 20,
        "fitness": "A", "conviction": "none", "student": "none",
        "conscientious_objector": True}, dt.date(2026, 12, 4)),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    rs = rules.load(run_tests=False)
    first = time.perf_counter()
    v = papers.verdict_for(rs, CASES[0][1], CASES[0][2])
    paper = papers.build(rs, v, "mobilization-deferral", "ru")
    assert paper is not None
    render_pdf(paper)
    print(f"first document of the process (font cut included): "
          f"{(time.perf_counter() - first) * 1000:.0f} ms")
    times: list[float] = []
    sizes: list[int] = []
    for _ in range(args.rounds):
        for _name, facts, as_of in CASES:
            verdict = papers.verdict_for(rs, facts, as_of)
            for found in papers.offered(rs, verdict):
                start = time.perf_counter()
                verdict = papers.verdict_for(rs, facts, as_of)
                built = papers.build(rs, verdict, found.document.kind, "ru")
                assert built is not None
                data = render_pdf(built)
                times.append(time.perf_counter() - start)
                sizes.append(len(data))
    times.sort()
    ms = [t * 1000 for t in times]
    print(f"{len(ms)} documents: median {statistics.median(ms):.1f} ms, "
          f"p90 {ms[int(0.9 * len(ms))]:.1f} ms, max {ms[-1]:.1f} ms; "
          f"size {min(sizes) // 1024}-{max(sizes) // 1024} KB")


if __name__ == "__main__":
    main()
