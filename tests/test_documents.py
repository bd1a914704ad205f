"""Written documents (issue 15): which fit a verdict, what each PDF says (read back with pypdf),
that it says nothing the person did not answer, that it is the same bytes every time, the
templates' load checks, `exempt-bot paper`, and the bot's "Documents" button end to end."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

import rules
from interview import papers
from interview.pdf import render_pdf
from rules.models import DOCUMENT_KINDS
from tests.bot_harness import Person, answer_until_review, bot_env, bundled_rules, running_bot, settle
from tests.botapi import BotAPIStandIn, TelegramClient
from tests.test_bot_interview import label, persona
from tests.test_verdict_screen import finish

RS = bundled_rules()  # loaded once per process, shared by the modules
OCT_10 = dt.date(2022, 10, 10)
MAX_BYTES = 60 * 1024
# A reservist in October 2022: category G, four children; everything else plain.
FATHER: dict[str, Any] = {
    "sex": "male", "military_status": "reserve", "citizen": True, "age": 35, "rank": "soldier",
    "fitness": "G", "conviction": "none", "reserved_by_employer": False, "student": "none",
    "children_under_16": 4, "disabled_child": False, "sector": "none",
}
# The same man, fit and childless: no ground at all.
PLAIN: dict[str, Any] = {**FATHER, "fitness": "A", "children_under_16": 0}
BLANKS = ("фамилия, имя, отчество", "дата рождения", "адрес для ответа", "паспорт", "подпись",
          "Отметка о приёме")


def flat(text: str) -> str:
    """Text as pypdf gives it back, with line breaks and runs of spaces folded."""
    return " ".join(text.replace("_", " ").split())


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return flat("\n".join(page.extract_text() or "" for page in reader.pages))


def verdict(facts: dict[str, Any], as_of: dt.date = OCT_10) -> rules.Verdict:
    return papers.verdict_for(RS, facts, as_of)


def kinds(facts: dict[str, Any], as_of: dt.date = OCT_10) -> list[str]:
    return [f.document.kind for f in papers.offered(RS, verdict(facts, as_of))]


def built(kind: str, facts: dict[str, Any] = FATHER, lang: str = "en",
          as_of: dt.date = OCT_10) -> papers.Paper:
    paper = papers.build(RS, verdict(facts, as_of), kind, lang)
    assert paper is not None, f"{kind} does not fit"
    return paper


# --- which documents fit -------------------------------------------------------------------------


def test_a_deferral_request_only_for_someone_with_a_ground() -> None:
    assert "mobilization-deferral" in kinds(FATHER)
    plain = kinds(PLAIN)
    assert "mobilization-deferral" not in plain
    assert "prosecutor-complaint" not in plain and "court-claim" not in plain
    assert papers.build(RS, verdict(PLAIN), "mobilization-deferral", "en") is None
    # What anyone on the register may need stays offered.
    assert {"valid-reason", "register-extract"} <= set(plain)


def test_the_grounds_stated_are_exactly_those_that_apply() -> None:
    paper = built("mobilization-deferral")
    v = verdict(FATHER)
    applying = {g.id for g in v.applying}
    assert {"temporarily_unfit", "four_children"} <= applying
    assert len(paper.grounds) == 2  # a directive (fathers_of_three) adds nothing to the law
    assert "категория годности к военной службе «Г»" in paper.grounds[0]
    assert "подп. 2 п. 1 ст. 18 Закона № 31-ФЗ" in paper.grounds[0]
    assert "подп. 4 п. 1 ст. 18 Закона № 31-ФЗ" in paper.grounds[1]


def test_a_possible_health_ground_is_enough_for_a_medical_examination_only() -> None:
    unsure = {k: v for k, v in PLAIN.items() if k != "fitness"}
    v = papers.verdict_for(RS, unsure, OCT_10, {"fitness"})  # "I don't know" the category
    offered = [f.document.kind for f in papers.offered(RS, v)]
    assert "medical-examination" in offered
    assert "mobilization-deferral" not in offered


TODAY = dt.date(2026, 12, 4)
# A young man not in the reserve (a conscript) today: category G; or fit and a conscientious
# objector.
CONSCRIPT: dict[str, Any] = {
    "sex": "male", "military_status": "not_in_reserve", "citizen": True, "age": 20,
    "fitness": "G", "conviction": "none", "student": "none", "conscientious_objector": False,
}
OBJECTOR: dict[str, Any] = {**CONSCRIPT, "fitness": "A", "conscientious_objector": True}


def test_a_conscript_gets_the_conscription_request_and_no_mobilization_one() -> None:
    offered = kinds(CONSCRIPT, TODAY)
    assert "conscription-deferral" in offered and "appeal-commission" in offered
    # Not in the reserve: not subject to mobilization, so no mobilization deferral request.
    assert "mobilization-deferral" not in offered
    paper = built("conscription-deferral", CONSCRIPT, as_of=TODAY)
    assert paper.grounds == (
        "Мне установлена категория годности к военной службе «Г» — временно не годен "
        "(подп. «а» п. 1 ст. 24 Закона № 53-ФЗ).",)
    claim = built("court-claim", CONSCRIPT, as_of=TODAY)
    assert any("ст. 24 Закона № 53-ФЗ" in g for g in claim.grounds)
    # A reservist is outside conscription: none of its documents.
    assert not {"conscription-deferral", "appeal-commission", "alternative-service"} & set(
        kinds(FATHER))


def test_alternative_service_states_the_deadline_the_verdict_computes() -> None:
    offered = kinds(OBJECTOR, TODAY)
    assert "alternative-service" in offered and "conscription-deferral" not in offered
    v = verdict(OBJECTOR, TODAY)
    (date,) = [d for d in v.mechanisms["conscription"].dates
               if d.id == "alternative_service_deadline"]
    due = dt.date.fromisoformat(date.date).strftime("%d.%m.%Y")
    paper = built("alternative-service", OBJECTOR, as_of=TODAY)
    assert paper.deadline is not None and due in paper.deadline and due in paper.caption
    assert flat(paper.deadline) in pdf_text(render_pdf(paper))
    assert "alternative-service" not in kinds(CONSCRIPT, TODAY)  # no objection stated


def test_a_request_on_deferral_grounds_asks_for_a_deferral_only_under_art_24() -> None:
    """53-FZ Art. 24 gives deferrals, Art. 23 exemptions: a student or a man of category G asks
    for a deferral, without "(освобождение)" and Art. 23 making the request look unsure (P-15)."""
    student = {**CONSCRIPT, "fitness": "A", "student": "full_time",
               "student_programme": "accredited", "student_first_time": True}
    for facts in (CONSCRIPT, student):
        paper = built("conscription-deferral", facts, as_of=TODAY)
        words = " ".join((paper.subject, paper.grounds_intro or "", *paper.requests, paper.basis))
        assert "освобожд" not in words, words
        assert paper.subject == "о предоставлении отсрочки от призыва на военную службу"
        assert paper.requests[0].startswith("Предоставить мне отсрочку от призыва")
        assert paper.basis == "ст. 24 Закона № 53-ФЗ."
        assert "Предоставить мне отсрочку" in pdf_text(render_pdf(paper))


def test_a_request_on_exemption_grounds_asks_for_an_exemption_under_art_23() -> None:
    unfit = {**CONSCRIPT, "fitness": "D"}
    paper = built("conscription-deferral", unfit, as_of=TODAY)
    assert paper.subject == "об освобождении от призыва на военную службу"
    assert "отсрочк" not in " ".join((paper.subject, *paper.requests, paper.basis))
    assert paper.basis == "ст. 23 Закона № 53-ФЗ."
    assert "подп. «а» п. 1 ст. 23 Закона № 53-ФЗ" in paper.grounds[0]


def test_a_request_on_both_kinds_of_ground_asks_for_an_exemption_or_else_a_deferral() -> None:
    both = {**CONSCRIPT, "fitness": "A", "academic_degree": True, "student": "full_time",
            "student_programme": "accredited", "student_first_time": True}
    v = verdict(both, TODAY)
    outcomes = {g.outcome for g in v.mechanisms["conscription"].grounds if g.status == "applies"}
    assert {"deferral", "not_subject"} <= outcomes, outcomes
    paper = built("conscription-deferral", both, as_of=TODAY)
    assert "отсрочки или освобождения" in paper.subject
    assert paper.requests[0].startswith("Освободить меня от призыва")
    assert "предоставить мне отсрочку" in paper.requests[0]
    assert "ст. 23" in paper.basis and "ст. 24" in paper.basis


def test_the_application_for_alternative_service_states_no_deadline_rule_as_a_ground() -> None:
    """113-FZ Art. 11 sets when to file: it is under "Срок:", not among the reasons (P-15); and the
    filing window is worded as on "What to do" and the notice: dispatch of the next year."""
    paper = built("alternative-service", OBJECTOR, as_of=TODAY)
    assert not any("ст. 11" in g for g in paper.grounds), paper.grounds
    assert any("ч. 3 ст. 59 Конституции РФ" in g for g in paper.grounds)
    window = "до 1 октября — для отправки с 1 апреля по 15 июля следующего года"
    assert paper.deadline is not None and window in paper.deadline
    todo = RS.ground_by_id["alternative_service"].ground.todo
    assert todo is not None and window in todo.ru


def test_a_document_that_omits_an_article_its_ground_does_not_cite_is_refused(
        rules_copy: Path) -> None:
    message = _broken(rules_copy, '{act: 113-FZ, article: "11"}', '{act: 113-FZ, article: "12"}')
    assert re.search(r"documents\.yaml:\d+: grounds\.alternative_service\.omit\[0\]", message), message
    assert "113-FZ Art. 12 is not among the ground's citations" in message


# --- what each PDF says ----------------------------------------------------------------------------


def case_of(kind: str) -> tuple[dict[str, Any], dt.date]:
    """Answers the kind fits: the father in 2022, else a conscript today."""
    for facts, day in ((FATHER, OCT_10), (CONSCRIPT, TODAY), (OBJECTOR, TODAY)):
        if kind in kinds(facts, day):
            return facts, day
    raise AssertionError(f"no case for {kind}")


@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
def test_each_pdf_holds_addressee_citation_requests_and_blanks(kind: str) -> None:
    facts, day = case_of(kind)
    paper = built(kind, facts, as_of=day)
    data = render_pdf(paper)
    assert data.startswith(b"%PDF-")
    assert len(data) <= MAX_BYTES
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    text = pdf_text(data)
    assert flat(paper.to[0]) in text
    assert flat(paper.heading) in text
    for request in paper.requests:
        assert flat(request) in text
    assert flat(paper.basis) in text
    for ground in paper.grounds:
        assert flat(ground) in text
    for blank in BLANKS:
        assert blank in text
    if paper.deadline:
        assert flat(paper.deadline) in text


def test_cyrillic_round_trips_letter_for_letter() -> None:
    text = pdf_text(render_pdf(built("mobilization-deferral")))
    for word in ("ЗАЯВЛЕНИЕ", "«Г»", "№ 31-ФЗ", "учёта", "подп.", "—"):
        assert word in text


def test_the_same_answers_give_the_same_bytes_and_no_trace_of_the_tool_or_the_day() -> None:
    first = render_pdf(built("court-claim"))
    again = render_pdf(built("court-claim", lang="ru"))  # the caption's language is not in it
    assert first == again
    meta: dict[str, Any] = dict(PdfReader(io.BytesIO(first)).metadata or {})
    assert set(meta) <= {"/CreationDate"}
    assert meta.get("/CreationDate") == "D:20000101000000Z"
    for word in (b"fpdf", b"FPDF", b"exempt", b"Producer", b"mobiliz"):
        assert word not in first
    for kind in DOCUMENT_KINDS:
        assert "mobiliz" not in RS.documents.documents[kind].doc.file  # type: ignore[union-attr]


def test_nothing_appears_that_the_person_did_not_give() -> None:
    """Answers that decide no stated ground leave no mark: a different age, rank or fact that
    settles nothing gives the very same file; and no number the person gave is printed."""
    other = {**FATHER, "age": 41, "rank": "junior_officer", "sector": "other"}
    for kind in ("mobilization-deferral", "register-extract", "court-claim"):
        assert render_pdf(built(kind)) == render_pdf(built(kind, other))
    text = pdf_text(render_pdf(built("mobilization-deferral")))
    assert not re.search(r"\b(35|41)\b", text)
    for gid, entry in RS.documents.grounds.items():  # type: ignore[union-attr]
        if gid not in ("temporarily_unfit", "four_children"):
            assert flat(entry.fact) not in text, gid


def test_every_character_of_every_template_is_in_the_embedded_font() -> None:
    from interview.pdf import CODEPOINTS

    book = RS.documents
    assert book is not None
    texts = [*(t for _, t in _form(book)), *(g.fact for g in book.grounds.values()),
             *(a for g in book.grounds.values() for a in g.attachments)]
    for compiled in book.documents.values():
        from rules.documents import ru_texts

        texts += [t for _, t in ru_texts(compiled.doc)]
        texts += [c.label for c in compiled.citations["ru"]]
    for cg in RS.grounds:
        texts += [c.label for c in cg.citations["ru"]] + [cg.ground.title.ru]
    missing = {ch for t in texts for ch in t if ord(ch) not in CODEPOINTS}
    assert not missing


def _form(book: Any) -> list[tuple[Any, str]]:
    from rules.documents import form_texts

    return list(form_texts(book.form))


# --- the templates are checked at load -------------------------------------------------------------


def _broken(rules_copy: Path, old: str, new: str) -> str:
    path = rules_copy / "documents.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(rules.RuleBaseErrors) as exc:
        rules.load(rules_copy, run_tests=False)
    return str(exc.value)


def test_a_stray_field_in_a_document_text_is_named_by_file_line_and_field(rules_copy: Path) -> None:
    message = _broken(rules_copy, '"Копия военного билета"', '"Копия {passport}"')
    assert re.search(r"documents\.yaml:\d+: documents\[0\]\.attachments\[0\]", message), message
    assert "braces" in message


def test_an_unknown_ground_and_a_missing_kind_are_refused(rules_copy: Path) -> None:
    message = _broken(rules_copy, "  disabled_child:\n    fact:", "  no_such_ground:\n    fact:")
    assert "unknown ground 'no_such_ground'" in message
    message = _broken(rules_copy, "  - kind: valid-reason", "  - kind: register-extract")
    assert "duplicate document kind 'register-extract'" in message


def test_a_caption_longer_than_telegram_allows_is_refused(rules_copy: Path) -> None:
    message = _broken(rules_copy, 'en: "A request to the mobilization draft commission',
                      'en: "' + "word " * 220 + "A request to the mobilization draft commission")
    assert "Telegram caption" in message


# --- exempt-bot paper --------------------------------------------------------------------------------


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    return subprocess.run([sys.executable, "-m", "bot", "paper", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_the_cli_lists_and_writes_and_refuses_with_nothing_written(tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(FATHER))
    listed = run_cli("--list", "--json", "--facts", str(facts), "--as-of", "2022-10-10",
                     "--lang", "en", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    entries = json.loads(listed.stdout)
    assert entries[0] == {"kind": "mobilization-deferral",
                          "title": "Request for a deferral from call-up"}
    assert all(set(e) == {"kind", "title"} for e in entries)
    out = tmp_path / "out.pdf"
    wrote = run_cli("mobilization-deferral", "--facts", str(facts), "--as-of", "2022-10-10",
                    "-o", str(out), cwd=tmp_path)
    assert wrote.returncode == 0, wrote.stderr
    assert out.read_bytes() == render_pdf(built("mobilization-deferral"))
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(PLAIN))
    refused = tmp_path / "refused.pdf"
    for args, says in (
        (("mobilization-deferral", "--facts", str(plain)), "does not fit"),
        (("no-such-kind", "--facts", str(plain)), "unknown document kind"),
    ):
        done = run_cli(*args, "--as-of", "2022-10-10", "-o", str(refused), cwd=tmp_path)
        assert done.returncode == 2 and says in done.stderr
        assert not refused.exists()
    bad = tmp_path / "bad.json"
    bad.write_text('{"sex": "male", "sex": "female"}')
    done = run_cli("--list", "--facts", str(bad), cwd=tmp_path)
    assert done.returncode == 2 and "appears twice" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bad.json", "facts.json", "out.pdf", "plain.json"]


# --- the bot -------------------------------------------------------------------------------------------


@pytest.fixture
async def bot(api: BotAPIStandIn) -> AsyncIterator[list[object]]:
    async with running_bot(api, bot_env(api)) as apps:
        yield apps


@pytest.mark.asyncio
async def test_documents_on_the_verdict_send_the_pdf_one_message_per_press(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = Person(api, TelegramClient(api), language_code="ru")
    await p.say("/check 2022-10-10")
    answers = persona("ru", OCT_10, children_under_16="c4plus")
    answers["raises_children_alone"] = label(RS, "raises_children_alone", "not_alone", "ru",
                                             OCT_10)
    await answer_until_review(p, RS, answers, "ru")
    await finish(p, "ru")
    await p.press("📝 Документы")
    screen = p.text()
    assert "впишите их от руки" in screen
    titles = p.buttons()
    assert "Заявление об отсрочке от призыва" in titles
    assert "Уведомление об уважительной причине неявки" in titles
    before = len(api.chat(p.chat.id).bot_messages)
    await p.press("Заявление об отсрочке от призыва")
    # The first document of a process also cuts the font: it may come after the press settles.
    await api.wait_for(lambda: len(api.chat(p.chat.id).bot_messages) > before, timeout=15)
    await settle(api)
    sent = api.chat(p.chat.id).bot_messages[before:]
    assert len(sent) == 1 and sent[0].kind == "document"
    doc = sent[0].content["document"]
    assert doc["file_name"] == "zayavlenie-otsrochka.pdf"
    data = api.file(doc["file_id"]).content
    assert len(data) <= MAX_BYTES and len(PdfReader(io.BytesIO(data)).pages) == 1
    text = pdf_text(data)
    assert "У меня на иждивении четверо или более детей в возрасте до 16 лет" in text
    assert "подп. 4 п. 1 ст. 18 Закона № 31-ФЗ" in text
    assert "«Г»" not in text  # category A was answered
    caption = sent[0].text or ""
    assert caption.startswith("Заявление об отсрочке от призыва")
    assert "два экземпляра" in caption and "описью вложения" in caption
    # The list stays where it was; the same press again sends one more copy, nothing else.
    await p.press("Заявление об отсрочке от призыва")
    assert len(api.chat(p.chat.id).bot_messages) == before + 2


@pytest.mark.asyncio
async def test_what_to_do_offers_the_documents_and_a_plain_verdict_no_deferral_request(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = Person(api, TelegramClient(api), language_code="en")
    await p.say("/check 2022-10-10")
    await answer_until_review(p, RS, persona("en", OCT_10), "en")
    await finish(p, "en")
    await p.press("What to do")
    await p.press("📝 Documents")
    offered = p.buttons()
    assert "Request for a deferral from call-up" not in offered
    assert "Notice of a valid reason for not appearing" in offered
    assert "◀ Back to the result" in offered


# --- the flow, channel-free ------------------------------------------------------------------------


def test_a_document_press_that_does_not_fit_the_answers_sends_nothing_and_says_so() -> None:
    from interview import flow
    from interview.views import Detail, Screen

    env = flow.Env(RS)
    state = flow.new_state(RS, "en", OCT_10, 1)
    plain = dataclasses.replace(state, screen=int(Screen.PAPER), facts=dict(PLAIN),
                                question=DOCUMENT_KINDS.index("mobilization-deferral") + 1)
    view = flow.press(env, plain)
    assert view.paper is None and view.alert == "This document does not fit these answers."
    assert "Request for a deferral from call-up" not in [b.label for r in view.buttons for b in r]
    fitting = dataclasses.replace(plain, facts=dict(FATHER))
    view = flow.press(env, fitting)
    assert view.paper == built("mobilization-deferral")
    assert view.new_message and not view.buttons
    listed = flow.press(env, dataclasses.replace(fitting, screen=int(Screen.DETAIL),
                                                 option=int(Detail.DOCUMENTS)))
    assert [b.label for r in listed.buttons for b in r if b.kind == "answer"] == [
        f.document.doc.title.en for f in papers.offered(RS, verdict(FATHER))]


def typed_answers(picks: dict[str, str], lang: str, as_of: dt.date) -> list[str]:
    """What a person types in the terminal chat to give these answers (option ids by question;
    the first option otherwise), computed from the same flow the terminal runs."""
    from interview import flow
    from interview.terminal import _choices
    from interview.views import Screen

    env = flow.Env(RS)
    view = flow.greeting(env, flow.new_state(RS, lang, as_of, 0, Screen.GREETING))
    typed = ["s"]
    view = flow.press(env, _choices(view)[1]["s"].state)  # type: ignore[arg-type]
    for _ in range(40):
        answers, letters = _choices(view)
        if "v" in letters:
            return typed
        state = answers[0].state
        assert state is not None
        q = flow.question_of(RS, state.question)
        assert q is not None
        labels = [c.label for c in RS.choices(q, state.facts_dict(), as_of, lang)
                  if c.id == picks.get(q.id)]
        index = next((i for i, b in enumerate(answers) if labels and b.label.endswith(labels[0])), 0)
        if q.kind == "checklist":  # nothing ticked: "Done"
            index = next(i for i, b in enumerate(answers)
                         if b.state is not None and b.state.screen == Screen.CHECK_DONE)
        typed.append(str(index + 1))
        view = flow.press(env, answers[index].state)  # type: ignore[arg-type]
    raise AssertionError("no review")


def test_the_terminal_shows_the_document_as_text() -> None:
    from interview.terminal import run_chat

    picks = {"sex": "male", "military_status": "reserve", "citizen": "citizen",
             "fitness": "a", "conviction": "none", "reserved_by_employer": "not_reserved",
             "student": "full_time", "student_programme": "accredited",
             "student_first_time": "first_time"}
    typed = [*typed_answers(picks, "ru", OCT_10), "v", "f", "1", "q"]
    out = io.StringIO()
    run_chat(RS, "ru", OCT_10, stdin=io.StringIO("\n".join(typed) + "\n"), stdout=out)
    shown = out.getvalue()
    paper = shown.split("Ваш выбор:")[-2]  # the screen the last press showed
    assert "ЗАЯВЛЕНИЕ" in paper and "фамилия, имя, отчество" in paper, paper
    assert "Я обучаюсь по очной или очно-заочной форме" in paper
    assert "Распечатайте два экземпляра" in paper
