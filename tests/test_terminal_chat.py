"""The terminal chat: the same interview, driven through piped stdin to a verdict."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def chat(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "bot", "chat", *args], input=stdin, env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


# s: start from the greeting; sex: man, status: reserve, citizen: yes, age: the youngest band (no
# rank then), fitness: A, conviction: none, reserved: no, student: none, children: 0, disabled
# child: no, family duties: Done, sector: none
ANSWERS = "s\n1\n1\n1\n1\n1\n1\n2\n1\n1\n2\n5\n1\n"


def test_english_chat_reaches_a_verdict_and_quits_with_q() -> None:
    out = chat(ANSWERS + "v\nq\n", "--lang", "en", "--as-of", "2022-10-10")
    assert out.returncode == 0, out.stderr
    # The greeting comes first, as in Telegram.
    assert re.search(r"Button questions: at most \d+ if the answers are known, up to \d+ with",
                     out.stdout)
    assert "Who are you asking about?" in out.stdout
    assert "Check your answers" in out.stdout
    assert "Can be called up" in out.stdout
    assert "As of October 10, 2022" in out.stdout


def test_russian_chat_reaches_a_verdict_and_ends_at_end_of_input() -> None:
    out = chat(ANSWERS + "v\n", "--lang", "ru", "--as-of", "2022-10-10")
    assert out.returncode == 0, out.stderr
    assert "О ком вы спрашиваете?" in out.stdout
    assert "Проверьте ответы" in out.stdout
    assert "По состоянию на 10 октября 2022" in out.stdout


def test_invalid_input_reprompts_and_letters_navigate() -> None:
    out = chat("s\n7\nx\n1\nb\n2\nr\nq\n", "--lang", "en")
    assert out.returncode == 0
    assert out.stdout.count("Please type one of the numbers or letters shown.") == 2
    # Back from the second question shows the first again; r starts over.
    assert out.stdout.count("Who are you asking about?") >= 3


def test_the_number_typed_on_the_review_changes_the_answer_shown_with_that_number() -> None:
    out = chat(ANSWERS + "5\n", "--lang", "en", "--as-of", "2022-10-10")
    review = out.stdout.split("Check your answers", 1)[1]
    line = next(ln for ln in review.split("\n") if ln.startswith("5. "))
    assert "What is the fitness category" in line
    assert "What is the fitness category" in review.split("Your choice:", 1)[1]


def test_every_screen_under_the_verdict_is_reached_and_leads_back() -> None:
    out = chat(ANSWERS + "v\ng\nb\nw\nb\nc\nb\nh\nb\ns\nb\np\nb\nq\n", "--lang", "en",
               "--as-of", "2022-10-10")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    for title in ("All grounds", "What to do", "Caveats", "Where to get help", "A summons in hand",
                  "What the server keeps: no answers."):
        assert title in text
    assert text.count("Can be called up") == 7  # the verdict, then back to it six times
    assert "Please type one of the numbers or letters shown." not in text


def test_the_greeting_pages_are_reached_and_lead_back() -> None:
    out = chat("a\nb\nm\nb\nh\nb\np\nb\ns\nq\n", "--lang", "ru")
    assert out.returncode == 0, out.stderr
    assert "Уже на службе или мобилизован" in out.stdout
    assert "Повестка на руках" in out.stdout
    assert "Где получить помощь" in out.stdout
    assert "Ваших ответов на сервере нет." in out.stdout
    assert out.stdout.count("Вопросов с кнопками:") == 5  # the greeting, then back to it four times
    assert "О ком вы спрашиваете?" in out.stdout
    assert "Введите один из показанных" not in out.stdout


def test_bare_command_without_a_token_runs_the_chat_and_says_how_to_connect() -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run([sys.executable, "-m", "bot"], input="q\n", env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    assert "TELEGRAM_BOT_TOKEN" in out.stdout


def test_version_and_help_name_every_command_and_option() -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["PYTHONPATH"] = str(ROOT)

    def run(*args: str) -> str:
        out = subprocess.run([sys.executable, "-m", "bot", *args], env=env, cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        return out.stdout

    import rules

    assert re.fullmatch(r"exempt-bot \S+ \(bundled rules version [0-9a-f]{8}\)\n",
                        run("--version"))
    assert rules.load().version in run("--version")
    top = run("--help")
    for command in ("run", "webhook", "chat", "offline"):
        assert command in top
        text = run(command, "--help")
        assert len(text.split("\n\n")) >= 3, text  # usage, a description, the options
        # Every option says what it does: no option line without its help after it.
        assert not re.search(r"^  --?[\w-]+(?: \S+)?\n(?!\s{6})", text.split("options:", 1)[1],
                             re.M), text


def test_what_is_this_notice_computes_the_dates_from_the_day_typed_as_a_number() -> None:
    # n: the notice; 3: register or Gosuslugi; 2: medical board; 5: four days before 05.01.2026
    out = chat("n\n3\n2\n5\nw\nw\nb\nr\nq\n", "--lang", "en", "--as-of", "2026-01-05")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "Posted or handed over on 01.01.2026, 4 days before 05.01.2026." in text
    assert "Counts as served on 08.01.2026 at the latest" in text  # day 7
    assert "leaving Russia is banned from 01.01.2026" in text  # from posting
    assert "The reporting date on it is 31.01.2026 at the latest" in text  # 412-FZ, 30 days
    assert "With the latest reporting date allowed, from 20.02.2026." in text  # day 20
    assert "53-FZ Art. 31 p.1" in text  # "w": what the law requires
    assert text.count("On what day was it posted") == 2  # asked, then "b" from the answer
    assert text.count("Where did it come from?") == 2  # asked, then "r": start over
    assert "Please type one of the numbers or letters shown." not in text


def test_a_summons_posted_the_day_before_412_fz_has_no_30_day_limit_in_russian() -> None:
    # 3: register; 2: medical or draft commission (conscription, the only call-up 412-FZ's
    # 30-day limit concerns); "-": older days; 1: 20 days before 20.01.2026 = 31.12.2025
    out = chat("n\n3\n2\n-\n1\nq\n", "--lang", "ru", "--as-of", "2026-01-20")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "Призыв на срочную службу" in text
    assert "Размещена или вручена 31.12.2025, за 20 дней до 20.01.2026." in text
    assert "Считается врученной не позднее 07.01.2026" in text
    assert "в пределах 30 дней" not in text
    assert "До 2026 года предела для даты явки закон не ставил." in text
