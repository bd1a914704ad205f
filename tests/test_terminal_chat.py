"""The terminal chat: the same interview, driven through piped stdin to a verdict."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def chat(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "bot", "chat", *args], input=stdin, env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


# sex: man, status: reserve, citizen: yes, age: the youngest band (no rank then), fitness: A,
# conviction: none, reserved: no, student: none, children: 0, disabled child: no, family duties:
# Done, sector: none
ANSWERS = "1\n1\n1\n1\n1\n1\n2\n1\n1\n2\n5\n1\n"


def test_english_chat_reaches_a_verdict_and_quits_with_q() -> None:
    out = chat(ANSWERS + "1\nq\n", "--lang", "en", "--as-of", "2022-10-10")
    assert out.returncode == 0, out.stderr
    assert "Who are you asking about?" in out.stdout
    assert "Check your answers" in out.stdout
    assert "None of the grounds we know applies" in out.stdout
    assert "As of October 10, 2022" in out.stdout


def test_russian_chat_reaches_a_verdict_and_ends_at_end_of_input() -> None:
    out = chat(ANSWERS + "1\n", "--lang", "ru", "--as-of", "2022-10-10")
    assert out.returncode == 0, out.stderr
    assert "О ком вы спрашиваете?" in out.stdout
    assert "Проверьте ответы" in out.stdout
    assert "По состоянию на 10 октября 2022" in out.stdout


def test_invalid_input_reprompts_and_letters_navigate() -> None:
    out = chat("7\nx\n1\nb\n2\nr\nq\n", "--lang", "en")
    assert out.returncode == 0
    assert out.stdout.count("Please type one of the numbers or letters shown.") == 2
    # Back from the second question shows the first again; r starts over.
    assert out.stdout.count("Who are you asking about?") >= 3


def test_after_the_verdict_only_letters_act() -> None:
    out = chat(ANSWERS + "1\n1\nq\n", "--lang", "en", "--as-of", "2022-10-10")
    assert out.returncode == 0
    tail = out.stdout.split("None of the grounds we know applies", 1)[1]
    assert "Please type one of the numbers or letters shown." in tail


def test_bare_command_without_a_token_runs_the_chat_and_says_how_to_connect() -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run([sys.executable, "-m", "bot"], input="q\n", env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    assert "TELEGRAM_BOT_TOKEN" in out.stdout
