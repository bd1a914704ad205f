"""What is rendered is validated, not only what is evaluated (issue 9, item 3).

A rule file that passes every logical check can still break every interview that shows one of its
texts. Each test copies the bundled rule base, breaks one text or one limit, and expects a load
error naming file, line and field; the bundled rule base itself renders cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest

import rules
from rules.textcheck import BUTTON_MAX, SCREEN_MAX, TEXT_MAX
from tests.test_rules_loader import copy_rules, line_of, mutate
from tests.test_rules_loader import load_error as load_error_after_tests


def load_error(root: Path) -> str:
    return load_error_after_tests(root, run_tests=False)


BAND_UNDER = 'under: {ru: "Младше {hi}", en: "Under {hi}"}'


def age_question_index() -> int:
    return next(i for i, q in enumerate(rules.load(run_tests=False).questions) if q.kind == "age")


@pytest.mark.parametrize(
    ("label", "complaint"),
    [
        ("under {oops}", "unknown format field {oops}: this text may use {lo}, {hi}"),
        ("under {hi:>200000000}", "format field {hi} may not have a format spec"),
        ("under {hi!r}", "format field {hi} may not have a format spec or conversion"),
        ("under {hi.__class__}", "unknown format field {hi.__class__}"),
        ("under {0}", "unknown format field {0}"),
        ("under {", "cannot be formatted"),
        ("under }", "cannot be formatted"),
    ],
)
def test_a_band_label_that_would_break_the_age_question_is_a_load_error(
        tmp_path: Path, label: str, complaint: str) -> None:
    root, text = mutate(tmp_path, "questions.yaml", BAND_UNDER,
                        f'under: {{ru: "младше {{hi}}", en: "{label}"}}')
    message = load_error(root)
    line = line_of(text, label)
    assert (f"questions.yaml:{line}: questions[{age_question_index()}].bands.under.en: "
            f"{complaint}") in message


def test_a_band_label_rendered_too_long_for_a_button_is_a_load_error(tmp_path: Path) -> None:
    # 62 characters of text plus a three-digit sample age: 65, over the button limit.
    label = "x" * (BUTTON_MAX - 2) + "{hi}"
    root, _ = mutate(tmp_path, "questions.yaml", BAND_UNDER,
                     f'under: {{ru: "{label}", en: "under {{hi}}"}}')
    message = load_error(root)
    assert (f"questions[{age_question_index()}].bands.under.ru: {BUTTON_MAX + 1} characters, "
            f"more than {BUTTON_MAX} for a button label") in message


def test_a_question_too_long_for_one_message_is_a_load_error(tmp_path: Path) -> None:
    old = 'ru: "О ком вы спрашиваете?"'
    root, text = mutate(tmp_path, "questions.yaml", old, f'ru: "{"а" * 6000}"')
    message = load_error(root)
    line = line_of(text, "а" * 100)
    assert (f"questions.yaml:{line}: questions[0].text.ru: 6000 characters, more than "
            f"{TEXT_MAX} for one text") in message


def test_an_option_label_too_long_for_a_button_is_a_load_error(tmp_path: Path) -> None:
    old = 'label: {ru: "О мужчине", en: "A man"}'
    root, text = mutate(tmp_path, "questions.yaml", old,
                        f'label: {{ru: "О мужчине", en: "{"m" * 100}"}}')
    message = load_error(root)
    assert (f"questions.yaml:{line_of(text, 'm' * 100)}: questions[0].options[0].label.en: "
            f"100 characters, more than {BUTTON_MAX} for a button label") in message


def test_a_question_whose_texts_together_overflow_one_screen_is_a_load_error(
        tmp_path: Path) -> None:
    # Each text alone is within its limit; text and help together are not.
    old = 'ru: "О ком вы спрашиваете?"'
    root, text = mutate(tmp_path, "questions.yaml", old, f'ru: "{"б" * TEXT_MAX}"')
    path = root / "questions.yaml"
    help_old = 'ru: "Можно спрашивать о себе'
    text = text.replace(help_old, f'ru: "{"в" * TEXT_MAX} Можно спрашивать о себе', 1)
    path.write_text(text, encoding="utf-8")
    message = load_error(root)
    assert "questions.yaml:" in message
    assert "questions[0]: its ru texts take" in message
    assert f"more than {SCREEN_MAX} for one screen" in message


def test_a_ground_text_with_braces_is_a_load_error(tmp_path: Path) -> None:
    rs = rules.load(run_tests=False)
    title = rs.grounds[0].ground.title.en
    root, text = mutate(tmp_path, "grounds.yaml", f'en: "{title}"', f'en: "{title} {{oops}}"')
    message = load_error(root)
    assert (f"grounds.yaml:{line_of(text, '{oops}')}: grounds[0].title.en: braces are not "
            "allowed in this text") in message


def test_a_caveat_too_long_is_a_load_error(tmp_path: Path) -> None:
    root = copy_rules(tmp_path)
    path = root / "caveats.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "    text:\n      ru: \""
    assert marker in text
    text = text.replace(marker, marker + "г" * TEXT_MAX, 1)
    path.write_text(text, encoding="utf-8")
    message = load_error(root)
    line = line_of(text, "г" * 50)
    assert f"caveats.yaml:{line}: caveats[0].text.ru: " in message
    assert f"more than {TEXT_MAX} for one text" in message


def test_the_bundled_rule_base_renders_cleanly() -> None:
    from rules.models import FILE_MODELS
    from rules.textcheck import check_texts, walk_texts
    from rules.yamlload import parse_yaml

    owners: set[str] = set()
    for name, model in FILE_MODELS.items():
        doc = parse_yaml((rules.DEFAULT_RULES_DIR / name).read_text(encoding="utf-8"), name)
        value = model.model_validate(doc.data, by_alias=True)
        assert check_texts(value) == []
        owners |= {owner for _, owner, _, _ in walk_texts(value)}
    # The walk finds the texts of every kind without being told where they are.
    assert {"Question", "Option", "ChecklistItem", "BandLabels", "Ground", "Citation", "Caveat",
            "Note", "Act", "Resource"} <= owners


# --- what cannot even be read -------------------------------------------------------------------


def test_a_600_deep_yaml_file_is_a_load_error_not_a_crash(tmp_path: Path) -> None:
    root = copy_rules(tmp_path)
    (root / "tests" / "deep.yaml").write_text(
        "tests:\n  - name: deep\n    facts: " + "[" * 600 + "]" * 600 + "\n", encoding="utf-8")
    message = load_error(root)
    assert "tests/deep.yaml:3: tests[0].facts" in message and "nested deeper than" in message


def test_a_deep_block_yaml_file_is_a_load_error_not_a_crash(tmp_path: Path) -> None:
    root = copy_rules(tmp_path)
    deep = "".join("  " * i + f"k{i}:\n" for i in range(600)) + "  " * 600 + "x: 1\n"
    (root / "tests" / "deep.yaml").write_text(deep, encoding="utf-8")
    assert "tests/deep.yaml:" in load_error(root)


def test_a_4300_digit_integer_is_a_load_error_not_a_crash(tmp_path: Path) -> None:
    rs = rules.load(run_tests=False)
    root, text = mutate(tmp_path, "age_limits.yaml", "limit: 50}", "limit: " + "9" * 4300 + "}")
    message = load_error(root)
    assert f"age_limits.yaml:{line_of(text, '9' * 4300)}: age_limits[1].male.soldier[0].limit" in message
    assert "is too large" in message
    assert len(message) < 2000  # the number is not quoted whole
    assert rs.age_limits  # the bundled one still loads


def test_a_4301_digit_integer_is_a_load_error_not_a_crash(tmp_path: Path) -> None:
    root, text = mutate(tmp_path, "age_limits.yaml", "limit: 50}", "limit: " + "9" * 4301 + "}")
    message = load_error(root)
    assert f"age_limits.yaml:{line_of(text, '9' * 4301)}: age_limits[1].male.soldier[0].limit" in message
    assert len(message) < 2000


def test_a_file_that_is_not_utf8_is_a_load_error_naming_the_line(tmp_path: Path) -> None:
    root = copy_rules(tmp_path)
    path = root / "caveats.yaml"
    data = path.read_bytes()
    lines = data.split(b"\n")
    lines[4] += b" \xff\xfe"
    path.write_bytes(b"\n".join(lines))
    assert "caveats.yaml:5: not UTF-8 text" in load_error(root)


def test_a_utf16_file_is_a_load_error(tmp_path: Path) -> None:
    root = copy_rules(tmp_path)
    path = root / "acts.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    assert "acts.yaml:1: not UTF-8 text" in load_error(root)


def test_a_special_file_among_the_rule_files_is_refused_not_read(tmp_path: Path) -> None:
    import os

    root = copy_rules(tmp_path)
    os.mkfifo(root / "tests" / "pipe.yaml")  # reading it would wait for ever
    assert "tests/pipe.yaml: not a plain file" in load_error(root)


def test_a_linked_yaml_file_elsewhere_is_not_read_for_the_version(tmp_path: Path) -> None:
    root = copy_rules(tmp_path)
    (root / "notes").mkdir()
    (root / "notes" / "zero.yaml").symlink_to("/dev/zero")  # never ends if read
    assert rules.rules_version(root) == rules.rules_version(rules.DEFAULT_RULES_DIR)
