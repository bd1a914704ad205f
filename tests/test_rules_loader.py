"""Loading and validation (issue 2, section 6): every error names file, line and field; nothing is
loaded on error; the rule base's own tests gate the load; the version.

Each test copies the bundled rule base to a temporary directory and changes one thing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import rules
from rules import RuleBaseError, RuleBaseErrors, rules_version


def copy_rules(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(rules.DEFAULT_RULES_DIR, root)
    return root


def mutate(tmp_path: Path, file: str, old: str, new: str) -> tuple[Path, str]:
    """Copy the rule base and replace the first `old` in `file` by `new`."""
    root = copy_rules(tmp_path)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}: the rule base changed, update the test"
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return root, text


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not found")


def load_error(root: Path, *, run_tests: bool = True) -> str:
    with pytest.raises(RuleBaseErrors) as info:
        rules.load(root, run_tests=run_tests)
    assert info.value.errors, "an error must name at least one problem"
    return str(info.value)


# --- the bundled rule base --------------------------------------------------------------------


def test_the_bundled_rule_base_loads_and_passes_its_own_tests() -> None:
    rs = rules.load()
    assert len(rs.tests) >= 50
    assert len(rs.by_mechanism["mobilization"]) == 27
    assert len(rs.by_mechanism["conscription"]) >= 15
    assert len(rs.by_mechanism["assemblies"]) >= 4
    assert rules.DEFAULT_RULES_DIR.is_dir()
    assert (rules.DEFAULT_RULES_DIR / "grounds.yaml").is_file()


def test_the_rule_tests_cover_every_ground() -> None:
    rs = rules.load()
    applied = {g for t in rs.tests for g in t.expect.applies or []}
    applied |= {g for t in rs.tests for m in (t.expect.mechanisms or {}).values()
                for g in m.applies or []}
    assert applied == set(rs.ground_by_id)


def test_the_rule_tests_check_both_sides_of_every_dated_boundary() -> None:
    rs = rules.load()
    days = {t.as_of for t in rs.tests}
    import datetime as dt

    one = dt.timedelta(days=1)
    boundaries = {cg.ground.valid_from for cg in rs.grounds if cg.ground.valid_from}
    boundaries |= {cg.ground.valid_until + one for cg in rs.grounds if cg.ground.valid_until}
    boundaries |= {p.valid_from for p in rs.age_periods if p.valid_from}
    boundaries |= {p.valid_from for p in rs.conscription_periods if p.valid_from}
    for first_day in sorted(boundaries):
        assert first_day in days and first_day - one in days, first_day


def test_a_copy_of_the_rule_base_loads_from_any_directory(tmp_path: Path) -> None:
    rs = rules.load(copy_rules(tmp_path))
    assert rs.version == rules.load().version


# --- validation errors name file, line and field ------------------------------------------------


def test_an_unknown_key_is_an_error_with_file_line_and_field(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "grounds.yaml", "    outcome: not_subject\n",
                        "    outcome: not_subject\n    colour: red\n")
    line = line_of(text, "colour: red")
    assert f"grounds.yaml:{line}: grounds[0].colour: unknown key" in load_error(root)


def test_a_duplicate_yaml_key_is_an_error(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "grounds.yaml", "    outcome: not_subject\n",
                        "    outcome: not_subject\n    outcome: deferral\n")
    line = line_of(text, "outcome: deferral")
    assert f"grounds.yaml:{line}: grounds[0].outcome: duplicate key" in load_error(root)


def test_a_duplicate_key_in_a_flow_mapping_is_an_error(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "grounds.yaml", "when: {fact: fitness, is: D}",
                        "when: {fact: fitness, is: D, is: G}")
    line = line_of(text, "is: D, is: G")
    assert f"grounds.yaml:{line}: grounds[5].when.is: duplicate key" in load_error(root)


def test_a_yaml_alias_is_an_error_at_the_alias(tmp_path: Path) -> None:
    """Regression (rules/yamlload.py): libyaml hands back the anchored node for an alias, so
    the line reported used to be the anchor's (grounds[0].title), not the alias's."""
    root = copy_rules(tmp_path)
    path = root / "grounds.yaml"
    text = path.read_text(encoding="utf-8")
    first = '    title:\n      ru: "Нет гражданства России"'
    second = '    title:\n      ru: "Не состоит в запасе"\n      en: "Not in the reserve"'
    assert first in text and second in text
    text = text.replace(first, '    title: &t\n      ru: "Нет гражданства России"', 1)
    text = text.replace(second, "    title: *t", 1)
    path.write_text(text, encoding="utf-8")
    message = load_error(root)
    assert "grounds[1].title: YAML aliases are not allowed" in message
    assert f"grounds.yaml:{line_of(text, 'title: *t')}: grounds[1].title" in message


def test_a_yaml_merge_key_is_an_error(tmp_path: Path) -> None:
    root, _text = mutate(tmp_path, "grounds.yaml", "    outcome: not_subject\n",
                        "    outcome: not_subject\n    <<: {valid_from: null}\n")
    message = load_error(root)
    assert "grounds.yaml:" in message and "merge keys are not allowed" in message


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "true"])
def test_a_yaml_boolean_as_an_option_id_is_an_error(tmp_path: Path, word: str) -> None:
    root, text = mutate(tmp_path, "questions.yaml", '- id: "reserved"', f"- id: {word}")
    line = line_of(text, f"- id: {word}")
    message = load_error(root)
    assert re.search(rf"questions\.yaml:{line}: questions\[\d+\]\.options\[0\]\.id: "
                     r"a boolean where a string is meant", message), message


def test_a_quoted_yes_is_a_valid_option_id(tmp_path: Path) -> None:
    root, _ = mutate(tmp_path, "questions.yaml", '- id: "reserved"', '- id: "yes"')
    rs = rules.load(root)
    q = rs.question_by_id["reserved_by_employer"]
    assert q.options[0].id == "yes"


@pytest.mark.parametrize("bad", ["2022-13-01", "2022-02-30"])
def test_a_bad_date_is_an_error(tmp_path: Path, bad: str) -> None:
    root, text = mutate(tmp_path, "grounds.yaml", "valid_until: 2022-11-14",
                        f"valid_until: {bad}")
    line = line_of(text, f"valid_until: {bad}")
    message = load_error(root)
    assert f"grounds.yaml:{line}: grounds[7].valid_until: cannot read '{bad}'" in message


def test_a_date_as_text_is_an_error(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "grounds.yaml", "valid_until: 2022-11-14",
                        'valid_until: "14.11.2022"')
    line = line_of(text, '"14.11.2022"')
    assert f"grounds.yaml:{line}: grounds[7].valid_until:" in load_error(root)


def test_a_bad_date_in_a_rule_test_is_an_error(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "tests/health.yaml", "as_of: 2022-10-10", "as_of: 2022-10-32")
    line = line_of(text, "2022-10-32")
    assert f"tests/health.yaml:{line}: tests[0].as_of: cannot read" in load_error(root)


def test_a_condition_on_an_undefined_fact_is_an_error(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "grounds.yaml", "when: {fact: fitness, is: D}",
                        "when: {fact: fitnes, is: D}")
    line = line_of(text, "fact: fitnes,")
    message = load_error(root)
    assert f"grounds.yaml:{line}: grounds[5].when.fact: unknown fact 'fitnes'" in message


def test_a_condition_on_an_undefined_value_is_an_error(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "grounds.yaml", "when: {fact: fitness, is: D}",
                        "when: {fact: fitness, is: E}")
    line = line_of(text, "is: E}")
    assert f"grounds.yaml:{line}: grounds[5].when.is:" in load_error(root)


def test_a_condition_naming_one_fact_twice_is_an_error(tmp_path: Path) -> None:
    root, text = mutate(
        tmp_path, "grounds.yaml", "when: {fact: fitness, is: D}",
        "when: {any: [{fact: fitness, is: D}, {fact: fitness, is: G}]}")
    line = line_of(text, "{any: [{fact: fitness")
    message = load_error(root)
    assert f"grounds.yaml:{line}: grounds[5].when:" in message
    assert "fitness twice" in message


def test_a_malformed_condition_is_an_error(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "grounds.yaml", "when: {fact: fitness, is: D}",
                        "when: {fact: fitness, equals: D}")
    line = line_of(text, "equals: D")
    assert f"grounds.yaml:{line}: grounds[5].when:" in load_error(root)


def test_a_citation_of_an_undefined_act_is_an_error(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "grounds.yaml", "      - act: 53-FZ\n        article: \"53\"",
                        "      - act: 54-FZ\n        article: \"53\"")
    line = line_of(text, "act: 54-FZ")
    message = load_error(root)
    assert re.search(rf"grounds\.yaml:{line}: grounds\[\d+\]\.citations\[0\]\.act: "
                     r"unknown act '54-FZ'", message), message


def test_an_age_limit_citation_of_an_undefined_act_is_an_error(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "age_limits.yaml", "- act: 326-FZ", "- act: 327-FZ")
    line = line_of(text, "act: 327-FZ")
    message = load_error(root)
    assert f"age_limits.yaml:{line}: age_limits[1].citations[0].act: unknown act" in message


def test_a_rule_test_naming_an_undefined_ground_is_an_error(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "tests/health.yaml", "applies: [unfit]", "applies: [unfitt]")
    line = line_of(text, "applies: [unfitt]")
    message = load_error(root)
    assert f"tests/health.yaml:{line}: tests[0].expect: unknown ground 'unfitt'" in message


def test_a_rule_test_missing_an_undefined_fact_is_an_error(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "tests/health.yaml", "applies: [unfit], possible: [], missing: []",
                        "applies: [unfit], possible: [], missing: [fitnes]")
    line = line_of(text, "missing: [fitnes]")
    message = load_error(root)
    assert f"tests/health.yaml:{line}: tests[0].expect.missing: unknown fact 'fitnes'" in message


def test_a_rule_test_with_an_undefined_fact_fails_as_bad_facts(tmp_path: Path) -> None:
    root, _text = mutate(tmp_path, "tests/health.yaml", "fitness: D,", "fitnes: D,")
    message = load_error(root)
    assert "tests/health.yaml:" in message and "bad facts: fitnes: unknown fact" in message


def test_a_question_setting_an_undefined_fact_is_an_error(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "questions.yaml", "set: {reserved_by_employer: true}",
                        "set: {reserved_by_employr: true}")
    line = line_of(text, "reserved_by_employr")
    message = load_error(root)
    assert re.search(rf"questions\.yaml:{line}: questions\[\d+\]\.options\[0\]\.set\."
                     r"reserved_by_employr: cannot set fact", message), message


def test_a_missing_english_translation_is_an_error(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "grounds.yaml", '      en: "Not a Russian citizen"\n', "")
    line = line_of(text, 'ru: "Нет гражданства России"')  # where the title mapping starts
    assert f"grounds.yaml:{line}: grounds[0].title.en: required key is missing" in \
        load_error(root)


def test_a_missing_russian_translation_is_an_error(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "questions.yaml",
                        'label: {ru: "Да, есть", en: "Yes, a Russian citizen"}',
                        'label: {en: "Yes, a Russian citizen"}')
    line = line_of(text, 'label: {en: "Yes, a Russian citizen"}')
    message = load_error(root)
    assert re.search(rf"questions\.yaml:{line}: questions\[\d+\]\.options\[0\]\.label\.ru: "
                     r"required key is missing", message), message


def test_an_empty_translation_is_an_error(tmp_path: Path) -> None:
    root, _text = mutate(tmp_path, "caveats.yaml", "        rank: 1\n    text:\n      ru:",
                        '        rank: 1\n    text:\n      en: " "\n      xx:')
    message = load_error(root)
    assert "caveats.yaml:" in message and "caveats[4].text" in message


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    root, _text = mutate(tmp_path, "resources.yaml", "official:", "official: [")
    message = load_error(root)
    assert re.search(r"resources\.yaml:\d+: not valid YAML", message), message


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    root = copy_rules(tmp_path)
    (root / "caveats.yaml").unlink()
    assert "caveats.yaml: file is missing" in load_error(root)


def test_an_unknown_file_is_an_error(tmp_path: Path) -> None:
    root = copy_rules(tmp_path)
    (root / "extra.yaml").write_text("extra: []\n", encoding="utf-8")
    assert "extra.yaml: unknown file in the rule base" in load_error(root)


def test_a_rule_base_without_tests_is_refused(tmp_path: Path) -> None:
    root = copy_rules(tmp_path)
    shutil.rmtree(root / "tests")
    assert "the rule base has no tests" in load_error(root)


def test_a_missing_directory_is_an_error(tmp_path: Path) -> None:
    assert "not a directory" in load_error(tmp_path / "nowhere")


def test_every_error_is_reported_at_once(tmp_path: Path) -> None:
    root, _ = mutate(tmp_path, "grounds.yaml", "    outcome: not_subject\n",
                     "    outcome: not_subject\n    colour: red\n")
    questions = root / "questions.yaml"
    questions.write_text(questions.read_text(encoding="utf-8").replace(
        '- id: "reserved"', "- id: yes", 1), encoding="utf-8")
    with pytest.raises(RuleBaseErrors) as info:
        rules.load(root)
    files = {e.file for e in info.value.errors}
    assert files == {"grounds.yaml", "questions.yaml"}
    for error in info.value.errors:
        assert isinstance(error, RuleBaseError)
        assert error.line and error.field and error.message


# --- the rule base's own tests gate the load ----------------------------------------------------


def test_a_failing_rule_test_makes_load_raise_and_names_the_test(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "tests/health.yaml", "{outcome: not_subject, applies: [unfit]",
                        "{outcome: deferral, applies: [unfit]")
    line = line_of(text, "- name:")
    message = load_error(root)
    assert f"tests/health.yaml:{line}: tests[0]:" in message
    assert "outcome not_subject, expected deferral" in message


def test_a_failing_rule_test_still_loads_without_running_the_tests(tmp_path: Path) -> None:
    root, _ = mutate(tmp_path, "tests/health.yaml", "{outcome: not_subject, applies: [unfit]",
                     "{outcome: deferral, applies: [unfit]")
    rs = rules.load(root, run_tests=False)
    assert len(rs.tests) == len(rules.load().tests)


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("applies: [unfit]", "applies: [unfit, retired]", "applying grounds"),
        ("applies: [unfit], possible: []", "applies: [unfit], possible: [retired]",
         "possible grounds"),
        ("possible: [], missing: []", "possible: [], missing: [fitness]", "missing"),
    ],
)
def test_each_expectation_of_a_rule_test_is_checked(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    root, _ = mutate(tmp_path, "tests/health.yaml", old, new)
    message = load_error(root)
    assert "tests/health.yaml:" in message and problem in message


def test_a_duplicate_rule_test_name_is_an_error(tmp_path: Path) -> None:
    root, _text = mutate(tmp_path, "tests/health.yaml",
                        "Category G (temporarily unfit) gives a deferral",
                        "Category D (unfit) means retirement and no call-up")
    message = load_error(root)
    assert "duplicate test name" in message


# --- the version -------------------------------------------------------------------------------


def test_the_version_is_8_hex_digits_and_appears_in_every_verdict() -> None:
    rs = rules.load()
    assert re.fullmatch(r"[0-9a-f]{8}", rs.version)
    assert rs.version == rules_version(rules.DEFAULT_RULES_DIR)
    assert rs.evaluate({}, None).rules_version == rs.version


def test_the_version_changes_when_one_yaml_byte_changes(tmp_path: Path) -> None:
    root, _ = mutate(tmp_path, "caveats.yaml", "# Caveats and date notes", "# Caveats and Date notes")
    assert rules_version(root) != rules_version(rules.DEFAULT_RULES_DIR)
    assert rules.load(root).version == rules_version(root)


def test_the_version_changes_when_a_test_file_is_added(tmp_path: Path) -> None:
    root = copy_rules(tmp_path)
    before = rules_version(root)
    shutil.copy(root / "tests" / "health.yaml", root / "tests" / "zz_copy.yaml")
    assert rules_version(root) != before


def test_the_version_ignores_crlf_line_endings(tmp_path: Path) -> None:
    root = copy_rules(tmp_path)
    for path in root.rglob("*.yaml"):
        data = path.read_bytes()
        assert b"\r\n" not in data
        path.write_bytes(data.replace(b"\n", b"\r\n"))
    assert rules_version(root) == rules_version(rules.DEFAULT_RULES_DIR)
    rs = rules.load(root)
    assert rs.version == rules.load().version


def test_the_version_does_not_depend_on_the_directory(tmp_path: Path) -> None:
    a = copy_rules(tmp_path / "a")
    b = copy_rules(tmp_path / "b")
    assert rules_version(a) == rules_version(b) == rules_version(rules.DEFAULT_RULES_DIR)


def test_a_renamed_test_file_changes_the_version(tmp_path: Path) -> None:
    root = copy_rules(tmp_path)
    before = rules_version(root)
    (root / "tests" / "health.yaml").rename(root / "tests" / "fitness.yaml")
    assert rules_version(root) != before


@pytest.mark.parametrize(("text", "line", "what"), [
    ("", 1, "found nothing (the file is empty)"),
    ("a: *\n b: [\n", 1, "while scanning an alias"),
    ("a: 1\r\nb: \x07\n", 2, "character U+0007 is not allowed"),
    ("a: 1\nb: \ud800\n", 2, "not UTF-8 text"),  # a surrogate's bytes are not UTF-8
    ("- 1\n", 1, "expected a mapping at the top of the file, found a list"),
])
def test_whatever_the_yaml_parser_raises_is_a_load_error_with_a_line(
        tmp_path: Path, text: str, line: int, what: str) -> None:
    """Issue 17: scanner, reader and encoder errors (and an empty file) never escape the loader
    and always name a line; the yaml module's own wording ("<unicode string>") does not show."""
    root = copy_rules(tmp_path)
    (root / "resources.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
    message = load_error(root, run_tests=False)
    assert f"resources.yaml:{line}: " in message and what in message, message
    assert "<unicode string>" not in message
    assert rules.yamlload.alias_lines(text) == []  # a broken file: no alias found, no exception


def test_a_lone_surrogate_in_text_is_an_error_at_its_line() -> None:
    # Text from elsewhere than a file (libyaml would fail encoding it to UTF-8).
    with pytest.raises(RuleBaseError, match=r"^x\.yaml:2: character U\+D800 is not valid text"):
        rules.yamlload.parse_yaml("a: 1\nb: \ud800\n", "x.yaml")
