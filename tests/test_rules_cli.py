"""`python -m rules` (issue 2, section 7): check, test, evaluate, graph and the exit codes
0 (done), 1 (invalid rule base or failing rule tests), 2 (bad arguments or bad facts)."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import rules
from rules import RuleSet
from rules.cli import main

ROOT = Path(__file__).resolve().parent.parent

FACTS: dict[str, Any] = {
    "sex": "male", "birth_date": "1992-05-01", "citizen": True, "military_status": "reserve",
    "rank": "soldier", "fitness": "A", "conviction": "none", "student": "none",
    "student_program_ok": False, "children_under_16": 4, "raises_children_alone": False,
    "wife_pregnant_22w": False, "disabled_child": False, "cares_for_relative": False,
    "guardian_of_sibling": False, "mother_alone_with_4_under_8": False,
    "parliament_member": False, "reserved_by_employer": False, "sector": "it",
    "accredited_employer": True, "higher_education": True, "on_employer_list": False,
}


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, "-m", "rules", *args], input=stdin, capture_output=True, text=True,
        cwd=ROOT, env=env, timeout=60, check=False,
    )


@pytest.fixture(scope="module")
def rs() -> RuleSet:
    return rules.load()


@pytest.fixture()
def broken_rules(tmp_path: Path) -> Path:
    """A copy of the rule base with one failing rule test."""
    root = tmp_path / "rules"
    shutil.copytree(rules.DEFAULT_RULES_DIR, root)
    path = root / "tests" / "health.yaml"
    text = path.read_text(encoding="utf-8")
    old = "{outcome: not_subject, applies: [unfit]"
    assert old in text
    path.write_text(text.replace(old, "{outcome: deferral, applies: [unfit]", 1), encoding="utf-8")
    return root


# --- check and test ------------------------------------------------------------------------------


def test_check_validates_the_bundled_rule_base(rs: RuleSet) -> None:
    run = cli("check")
    assert run.returncode == 0, run.stderr
    assert rs.version in run.stdout


def test_test_runs_the_rule_tests_and_passes(rs: RuleSet) -> None:
    run = cli("test")
    assert run.returncode == 0, run.stdout + run.stderr
    notice_tests = len(rs.notices.tests) if rs.notices else 0
    assert f"{len(rs.tests) + notice_tests} passed, 0 failed" in run.stdout


def test_test_exits_1_and_names_a_failing_rule_test(broken_rules: Path) -> None:
    run = cli("test", "--rules", str(broken_rules))
    assert run.returncode == 1
    assert "FAIL Category D (unfit) means retirement and no call-up" in run.stdout


def test_check_ignores_failing_rule_tests(broken_rules: Path) -> None:
    assert cli("check", "--rules", str(broken_rules)).returncode == 0


def test_an_invalid_rule_base_exits_1_with_file_line_and_field(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    shutil.copytree(rules.DEFAULT_RULES_DIR, root)
    path = root / "grounds.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    outcome: not_subject\n",
                                 "    outcome: not_subject\n    colour: red\n", 1), "utf-8")
    run = cli("evaluate", "--facts", "-", "--rules", str(root), stdin="{}")
    assert run.returncode == 1
    assert "grounds.yaml:12: grounds[0].colour: unknown key" in run.stderr


def test_a_missing_rule_base_directory_exits_1(tmp_path: Path) -> None:
    run = cli("check", "--rules", str(tmp_path / "nowhere"))
    assert run.returncode == 1
    assert "not a directory" in run.stderr


# --- evaluate ------------------------------------------------------------------------------------


def test_evaluate_json_from_stdin_equals_the_python_verdict(rs: RuleSet) -> None:
    run = cli("evaluate", "--facts", "-", "--as-of", "2022-11-01", "--json",
              stdin=json.dumps(FACTS))
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data == rs.evaluate(FACTS, dt.date(2022, 11, 1)).model_dump(mode="json")
    assert data["outcome"] == "deferral"
    assert data["advice"]  # the IT advice: not on the list


def test_evaluate_json_in_russian_equals_the_python_verdict(rs: RuleSet, tmp_path: Path) -> None:
    facts_file = tmp_path / "facts.json"
    facts_file.write_text(json.dumps({**FACTS, "fitness": None}), encoding="utf-8")
    run = cli("evaluate", "--facts", str(facts_file), "--as-of", "2022-10-10", "--lang", "ru",
              "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    expected = rs.evaluate({**FACTS, "fitness": None}, dt.date(2022, 10, 10), "ru")
    assert data == expected.model_dump(mode="json")
    assert data["missing"] == ["fitness"]


def test_evaluate_prints_a_readable_verdict_by_default() -> None:
    run = cli("evaluate", "--facts", "-", "--as-of", "2022-10-10",
              stdin=json.dumps({**FACTS, "fitness": "D"}))
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("outcome: not_subject")
    assert "Category D" in run.stdout


def test_evaluate_defaults_to_today_in_moscow() -> None:
    run = cli("evaluate", "--facts", "-", "--json", stdin="{}")
    assert run.returncode == 0, run.stderr
    today = rules.today_in_moscow()
    assert json.loads(run.stdout)["as_of"] in {today.isoformat(),
                                               (today + dt.timedelta(days=1)).isoformat()}


def test_bad_facts_exit_2_naming_the_key() -> None:
    run = cli("evaluate", "--facts", "-", "--as-of", "2022-10-10", stdin='{"fitness": "E"}')
    assert run.returncode == 2
    assert "fitness" in run.stderr
    assert run.stdout == ""


def test_bad_json_exits_2() -> None:
    run = cli("evaluate", "--facts", "-", stdin="{not json")
    assert run.returncode == 2
    assert "not valid JSON" in run.stderr


def test_a_bad_as_of_date_exits_2() -> None:
    run = cli("evaluate", "--facts", "-", "--as-of", "2022-13-01", stdin="{}")
    assert run.returncode == 2
    assert "--as-of" in run.stderr and "2022-13-01" in run.stderr


def test_an_unknown_subcommand_exits_2() -> None:
    run = cli("frobnicate")
    assert run.returncode == 2
    assert "usage:" in run.stderr


# The same contract in-process (rules.cli.main is what `python -m rules` runs), for the variants.


def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
             args: list[str], stdin: str = "{}") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        code = main(args)
    except SystemExit as exc:  # argparse
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("stdin", "needle"),
    [
        ('{"fitness": "E"}', "fitness"),
        ('{"children": 4}', "children"),
        ('{"citizen": "yes"}', "citizen"),
        ('{"birth_date": "1992-02-30"}', "birth_date"),
        ('{"raises_children_alone": true, "children_under_16": 0}', "raises_children_alone"),
        ('{"sex": "female", "wife_pregnant_22w": false}', "wife_pregnant_22w"),
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('"fitness"', "JSON object"),
    ],
)
def test_every_kind_of_bad_facts_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], stdin: str, needle: str
) -> None:
    code, out, err = run_main(monkeypatch, capsys,
                              ["evaluate", "--facts", "-", "--as-of", "2022-10-10"], stdin)
    assert code == 2
    assert needle in err
    assert out == ""


@pytest.mark.parametrize(
    "args",
    [
        ["evaluate", "--facts", "-", "--as-of", "2022-13-01"],
        ["evaluate", "--facts", "-", "--as-of", "10.10.2022"],
        ["evaluate", "--facts", "-", "--lang", "de"],
        ["evaluate"],
        ["graph", "--format", "png"],
        ["frobnicate"],
        [],
    ],
)
def test_every_kind_of_bad_arguments_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    code, _, err = run_main(monkeypatch, capsys, args)
    assert code == 2
    assert "usage:" in err


def test_an_unreadable_facts_file_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run_main(monkeypatch, capsys,
                            ["evaluate", "--facts", str(tmp_path / "missing.json")])
    assert code == 2
    assert "cannot read facts" in err


@pytest.mark.parametrize("command", [["check"], ["test"], ["graph"], ["evaluate", "--facts", "-"]])
def test_every_command_exits_1_on_an_invalid_rule_base(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    command: list[str],
) -> None:
    code, _, err = run_main(monkeypatch, capsys, [*command, "--rules", str(tmp_path / "nowhere")])
    assert code == 1
    assert "not a directory" in err


# --- graph ---------------------------------------------------------------------------------------


def test_graph_prints_mermaid_by_default_with_every_ground(rs: RuleSet) -> None:
    run = cli("graph")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("flowchart")
    for gid in rs.ground_by_id:
        assert f"g_{gid}" in run.stdout
    assert "f_fitness --> g_unfit" in run.stdout


def test_graph_prints_dot(rs: RuleSet) -> None:
    run = cli("graph", "--format", "dot")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("digraph")
    assert run.stdout.rstrip().endswith("}")
    assert '"fact:fitness" -> "unfit";' in run.stdout
    for gid in rs.ground_by_id:
        assert f'"{gid}"' in run.stdout


# --- hostile input (issue 9): a clear message and exit 2, never a traceback ----------------------


def run_bytes(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
              args: list[str], stdin: bytes) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    try:
        code = main(args)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("stdin", "needle"),
    [
        (b'{"age": ' + b"9" * 5000 + b"}", "too large"),
        (b'{"age": ' + b"9" * 13 + b"}", "too large"),
        (b"[" * 20000 + b"]" * 20000, "nested too deeply"),
        (b'{"sex": ' + b"[" * 5000 + b"]" * 5000 + b"}", "nested too deeply"),
        (b'{"sex": "\xff\xfe"}', "not UTF-8"),
        ("{\"sex\": \"male\"}".encode("utf-16"), "not UTF-8"),
        (b'{"age": 30, "age": 40}', "key 'age' appears twice"),
        (b'{"age": NaN}', "NaN is not a number"),
        (b'{"age": Infinity}', "Infinity is not a number"),
        (b'{"sex": "' + b"x" * 70000 + b'"}', "larger than 64 KiB"),
        (b'{"birth_date": "1992-W18-5"}', "birth_date"),
        (b'{"birth_date": "0001-01-01"}', "birth_date"),
    ],
)
def test_hostile_facts_exit_2_with_a_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], stdin: bytes, needle: str
) -> None:
    code, out, err = run_bytes(monkeypatch, capsys,
                               ["evaluate", "--facts", "-", "--as-of", "2022-10-10"], stdin)
    assert code == 2, err
    assert needle in err
    assert "Traceback" not in err and out == ""


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2022-W40-1", "20221010",
                                 "2022-10-10T00:00", "+2022-10-10"])
def test_an_as_of_outside_yyyy_mm_dd_or_a_sane_range_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], day: str
) -> None:
    code, out, err = run_main(monkeypatch, capsys, ["evaluate", "--facts", "-", "--as-of", day])
    assert code == 2
    assert "--as-of" in err and "usage:" in err
    assert out == ""


@pytest.mark.parametrize("day", ["2021-12-31", "2029-01-01", "1900-01-01", "2199-12-31"])
def test_an_as_of_outside_the_days_the_rule_base_covers_exits_2_naming_the_range(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], day: str
) -> None:
    code, out, err = run_main(monkeypatch, capsys, ["evaluate", "--facts", "-", "--as-of", day])
    assert code == 2 and out == ""
    assert "--as-of" in err and "2022-01-01..2028-12-31" in err


@pytest.mark.parametrize("day", ["2022-01-01", "2028-12-31"])
def test_the_ends_of_the_date_range_evaluate(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], day: str
) -> None:
    facts = '{"sex": "male", "birth_date": "1900-01-01", "military_status": "reserve"}'
    code, out, err = run_main(monkeypatch, capsys,
                              ["evaluate", "--facts", "-", "--as-of", day, "--json"], facts)
    assert code == 0, err
    assert json.loads(out)["as_of"] == day


def test_non_utf8_facts_through_a_real_pipe_exit_2_without_a_traceback() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "rules", "evaluate", "--facts", "-"],
                         input=b'{"sex": "\xc3"}', capture_output=True, cwd=ROOT, env=env,
                         timeout=60, check=False)
    assert run.returncode == 2
    assert b"not UTF-8" in run.stderr and b"Traceback" not in run.stderr


def test_a_directory_as_the_facts_file_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run_main(monkeypatch, capsys, ["evaluate", "--facts", str(tmp_path)])
    assert code == 2
    assert "cannot read facts" in err


# --- issue 14: the mechanisms and the facts listing ---------------------------------------------


def test_evaluate_json_gives_every_mechanism_with_its_contract_fields(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = json.dumps({"sex": "male", "citizen": True, "military_status": "not_in_reserve",
                        "birth_date": "2007-05-01", "conscientious_objector": True})
    code, out, err = run_main(monkeypatch, capsys, ["evaluate", "--facts", "-", "--as-of",
                                                    "2026-12-04", "--json"], facts)
    assert code == 0, err
    data = json.loads(out)
    assert data["outcome"] == data["mechanisms"]["mobilization"]["outcome"] == "not_subject"
    cons = data["mechanisms"]["conscription"]
    assert cons["outcome"] == "conditional" and cons["concerns"] is True
    assert cons["until"] == "2037-04-30"  # the day before his 30th birthday
    assert [g["id"] for g in cons["grounds"] if g["status"] == "applies"] == [
        "alternative_service"]
    assert all(c["act"] and c["label"] for g in cons["grounds"] for c in g["citations"])
    assert cons["dates"] == [{"id": "alternative_service_deadline", "date": "2027-03-31",
                              "text": "Last day to apply for alternative civilian service. "
                              "The nearest dispatch's deadline has passed: without a deferral "
                              "he can be sent on it; talk to a lawyer."}]
    assert data["mechanisms"]["assemblies"]["concerns"] is False


def test_evaluate_text_lists_the_other_mechanisms(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = json.dumps({"sex": "female"})
    code, out, _ = run_main(monkeypatch, capsys, ["evaluate", "--facts", "-", "--as-of",
                                                  "2026-12-04"], facts)
    assert code == 0
    assert "== conscription: not_subject (does not concern)" in out
    assert "Women are not conscripted" in out


def test_contradictory_new_facts_exit_2_naming_both(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = json.dumps({"military_status": "not_in_reserve", "reserve_contract": True})
    code, out, err = run_main(monkeypatch, capsys, ["evaluate", "--facts", "-"], facts)
    assert code == 2 and out == ""
    assert "reserve_contract" in err and "military_status" in err


def test_facts_json_lists_every_fact_with_type_values_and_meaning(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_main(monkeypatch, capsys, ["facts", "--json"])
    assert code == 0, err
    items = json.loads(out)
    assert [i["name"] for i in items] == list(rules.FACTS)
    by_name = {i["name"]: i for i in items}
    assert by_name["abroad"]["values"] == ["no", "deregistered", "registered"]
    assert by_name["abroad"]["question"] == "abroad"
    assert by_name["children_under_16"]["minimum"] == 0
    assert by_name["birth_date"]["format"] == "YYYY-MM-DD"
    assert by_name["student_program_ok"]["legacy"] is True
    assert all(len(i["meaning"]) > 20 for i in items)
    code, text, _ = run_main(monkeypatch, capsys, ["facts"])
    assert code == 0 and "conscientious_objector (bool: true|false)" in text
