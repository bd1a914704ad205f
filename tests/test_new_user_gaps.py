"""The new user's gaps (issue 16, point 5), as a person meets them: driven through the real bot and
the strict Bot API stand-in, or through the flow where a whole tree of answers is what is
tested."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
from collections.abc import Iterator
from typing import Any

import pytest

import rules
from interview import flow, phone, progress, render
from interview.html_text import to_plain, visible_length
from interview.i18n import tr
from interview.state_codec import InvalidState, StateCodec
from interview.views import Button, Page, Screen, View
from rules.textcheck import BUTTON_MAX
from tests.bot_harness import answer_until_review, bundled_rules, question_shown
from tests.botapi import BotAPIStandIn, utf16_len
from tests.test_bot_interview import label, persona
from tests.test_verdict_screen import finish, person

RS = bundled_rules()  # loaded once per process, shared by the modules
TODAY = rules.today_in_moscow()
DAYS = (TODAY, dt.date(2022, 10, 10), dt.date(2024, 6, 1))
ENV = flow.Env(RS)
LANGS = ("ru", "en")
GET_HELP = {"en": "Get help", "ru": "Где получить помощь"}
READ_ON = {"en": "Read on ▶", "ru": "Читать дальше ▶"}


# --- walking the flow -------------------------------------------------------------------------------


def start(lang: str, day: dt.date) -> View:
    state = flow.new_state(RS, lang, day, 1, Screen.GREETING)
    return flow.press(ENV, state)


def buttons(view: View) -> list[Button]:
    return [b for row in view.buttons for b in row if b.state is not None]


def press(view: View, label_: str) -> View:
    found = next((b for b in buttons(view) if b.label == label_), None)
    assert found is not None and found.state is not None, (label_, [b.label for b in
                                                                    buttons(view)])
    return flow.press(ENV, found.state)


def random_interview(rng: random.Random, lang: str, day: dt.date) -> Iterator[View]:
    """Every screen of one interview answered at random (any option, "I don't know", any ticks),
    from the first question to the review or the service screen."""
    t = tr(lang)
    view = press(start(lang, day), t.gettext("▶ Start"))
    for _ in range(60):
        yield view
        answers = [b for b in buttons(view) if b.kind == "answer"]
        if not answers:
            return
        ticks = [b for b in answers if b.label[:1] in "☐☑"]
        if ticks and rng.random() < 0.5:
            view = flow.press(ENV, rng.choice(ticks).state)  # type: ignore[arg-type]
            continue
        untick = [b for b in answers if b.label[:1] not in "☐☑"]
        view = flow.press(ENV, rng.choice(untick).state)  # type: ignore[arg-type]
    raise AssertionError("the interview did not end")


PROGRESS = re.compile(r"(?:Question|Вопрос) (\d+) (?:of at most|· всего не больше) (\d+)")


def progress_of(view: View) -> tuple[int, int] | None:
    found = PROGRESS.search(to_plain(view.texts[0])) if view.texts else None
    return (int(found[1]), int(found[2])) if found else None


# --- (c) the greeting's range and a total that never grows --------------------------------------


@pytest.mark.parametrize("day", DAYS)
def test_the_running_total_never_grows_and_bounds_the_interview(day: dt.date) -> None:
    rng = random.Random(day.toordinal())
    _, high = progress.interview_range(RS, day)
    lengths = []
    for n in range(150):
        lang = LANGS[n % 2]
        seen = [p for v in random_interview(rng, lang, day) if (p := progress_of(v))]
        asked = max(number for number, _ in seen)
        for (number, total), (_, later) in itertools.pairwise(seen):
            assert number <= total and later <= total, seen  # never grows
        assert all(total >= asked for _, total in seen), seen  # an upper bound from each point
        assert seen[0][1] == high  # the first question says what the greeting says
        lengths.append(asked)
    assert max(lengths) <= high


@pytest.mark.parametrize("day", DAYS)
def test_the_greeting_s_range_is_reached_at_both_ends(day: dt.date) -> None:
    """The shortest and the longest interview the greeting names exist: follow the planner's
    tree along the branch that is longest (shortest) from there, as a person pressing buttons."""
    low, high = progress.interview_range(RS, day)
    for pick, want in ((max, high), (min, low)):
        facts: dict[str, Any] = {}
        dont_know: frozenset[str] = frozenset()
        asked = 0
        while (q := progress.next_question(RS, facts, dont_know, day)) is not None:
            children = [RS.relevant(f, day, d)
                        for f, d in progress.answers(RS, q, facts, dont_know, day)]
            if pick is min:  # a verdict (not the service screen) within what is left of `low`
                budget = low - asked - 1
                facts, dont_know = next(c for c in children if progress.shortest(
                    RS, c[0], c[1], day, budget) <= budget)
            else:
                facts, dont_know = pick(children, key=lambda c: progress.longest(
                    RS, c[0], c[1], day))
            asked += 1
        assert asked == want, (pick, day)
    known, most = progress.greeting_counts(RS, day)
    assert most == high
    # The longest interview without "I don't know": each step one press a person can make.
    facts, dont_know = {}, frozenset()
    steps = progress.longest_known(RS, day)
    for step in steps:
        q = progress.next_question(RS, facts, dont_know, day)
        assert q is not None
        presses = [RS.relevant(f, day, d) for f, d in progress.answers(RS, q, facts, dont_know, day)
                   if not d]
        assert step in presses
        facts, dont_know = step
    assert progress.next_question(RS, facts, dont_know, day) is None
    assert len(steps) == known < most
    for lang in LANGS:
        text = to_plain(start(lang, day).texts[0])
        words = (f"at most {known} if the answers are known, up to {most} with" if lang == "en"
                 else f"не больше {known}, если ответы известны, и до {most} с ответами")
        assert words in text


# --- (a) change any answer from the verdict, the new verdict in place --------------------------


@pytest.mark.asyncio
async def test_from_the_verdict_an_answer_is_changed_and_the_new_verdict_replaces_the_old(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    for lang in LANGS:
        p = person(api, lang)
        await p.say("/check")
        await answer_until_review(p, RS, persona(lang), lang)
        before = await finish(p, lang)
        verdict_msg = p.with_buttons()
        assert ("Mobilization: can be called up" if lang == "en" else "Мобилизация: могут призвать") \
            in before
        await p.press("✏️ Change an answer" if lang == "en" else "✏️ Изменить ответ")
        review = p.with_buttons()
        assert review.message_id == verdict_msg.message_id  # the review in the verdict's place
        line = next(ln for ln in (review.text or "").split("\n")
                    if RS.question_by_id["fitness"].text.get(lang) in ln)
        await p.press(f"✏️ {line.split('.')[0].strip()}")
        await p.press(label(RS, "fitness", "d", lang))
        for _ in range(10):  # anything asked anew, answered as before
            if any(b.startswith("✅") for b in p.buttons()):
                break
            qid = question_shown(RS, p.text(), lang)
            assert qid is not None
            await p.press(persona(lang)[qid])
        after = await finish(p, lang)
        assert p.with_buttons().message_id == verdict_msg.message_id  # in the same message
        assert RS.ground_by_id["unfit"].ground.title.get(lang) in after
        assert after != before
        grounds = "All grounds" if lang == "en" else "Все основания"
        verdicts = [m for m in api.chat(p.chat.id).bot_messages
                    if not m.deleted and any(grounds in row for row in m.buttons)]
        assert len(verdicts) == 1  # one verdict in the chat, not the old one and a new one


# --- (b) privacy true to the codec ---------------------------------------------------------------


@pytest.mark.asyncio
async def test_privacy_says_the_buttons_are_encrypted_and_the_history_stays(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    for lang, must in (("en", ("encrypted and signed", "stay in this chat's history until you "
                               "delete them", "“Check your answers”")),
                       ("ru", ("зашифрованными и подписанными", "остаются в истории этого чата, "
                               "пока вы их не удалите", "«Проверьте ответы»"))):
        p = person(api, lang)
        await p.say("/privacy")
        text = p.last().text or ""
        for words in must:
            assert words in text, text
        assert "not encrypted" not in text and "не зашифрованы" not in text


def test_the_button_data_is_encrypted_as_the_privacy_screen_says() -> None:
    """Two states that differ in one answer give unrelated button data (encryption, not just a
    signature over readable bits), and a button does not work in another chat."""
    codec = StateCodec([b"k" * 32])
    base = flow.new_state(RS, "en", TODAY, 7)
    one = flow._with(base, Screen.REVIEW, facts={"sex": "male", "fitness": "A"})
    other = flow._with(base, Screen.REVIEW, facts={"sex": "male", "fitness": "D"})
    a, b = codec.encode(one, 42), codec.encode(other, 42)
    differing = sum(x != y for x, y in zip(a[1:], b[1:], strict=True))
    assert differing > len(a) * 0.7, (a, b)
    assert codec.decode(a, 42) == one
    with pytest.raises(InvalidState):
        codec.decode(a, 43)


# --- (d) Get help on every guide screen, from every entry ---------------------------------------


@pytest.mark.asyncio
async def test_get_help_is_on_every_guide_screen_from_every_entry(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    for lang in LANGS:
        t = tr(lang)
        # From the greeting: both guides, and the second part of the service guide.
        for entry in ("Already serving or mobilized", "A summons in hand"):
            p = person(api, lang)
            await p.say("/start")
            await p.press(t.gettext(entry))
            assert GET_HELP[lang] in p.buttons(), (lang, entry, p.buttons())
            for _ in range(5):  # every part of the guide
                if READ_ON[lang] not in p.buttons():
                    break
                shown = p.text()
                await p.press(READ_ON[lang])
                assert p.text() != shown, p.buttons()
                assert GET_HELP[lang] in p.buttons()
            await p.press(GET_HELP[lang])
            assert t.gettext("Where to get help") in p.text()
        # Under the verdict: the summons guide.
        p = person(api, lang)
        await p.say("/check")
        await answer_until_review(p, RS, persona(lang), lang)
        await finish(p, lang)
        await p.press(t.gettext("A summons in hand"))
        assert GET_HELP[lang] in p.buttons()
        # In the interview: the service screen and its second part.
        p = person(api, lang)
        await p.say("/check")
        await p.press(label(RS, "sex", "male", lang))
        await p.press(label(RS, "military_status", "serving_contract", lang))
        assert GET_HELP[lang] in p.buttons()
        await p.press(READ_ON[lang])
        assert GET_HELP[lang] in p.buttons()
        await p.press(GET_HELP[lang])
        assert t.gettext("Where to get help") in p.text()


# --- (e) headlines on two lines of a 360-px phone -------------------------------------------------


def headlines(lang: str) -> list[str]:
    """Every headline a person reads in bold under the neutral first line: the verdict's, every
    screen's title and every guide's."""
    t = tr(lang)
    titles = [t.gettext(h) for h in render.OUTCOME_HEADLINE.values()]
    titles += [t.gettext(s) for s in ("All grounds", "What to do", "Caveats",
                                      "Where to get help", "Check your answers",
                                      "The acts the answers rest on",
                                      "Grounds for exemption and deferral")]
    titles += [g.title.get(lang) for g in RS.guides.values()]
    return titles


@pytest.mark.parametrize("lang", LANGS)
def test_every_headline_fits_two_lines_of_a_small_phone(lang: str) -> None:
    for text in headlines(lang):
        lines = phone.wrap(text)
        assert len(lines) <= phone.HEADLINE_LINES, (text, lines)


def test_the_phone_measure_wraps_between_words() -> None:
    assert phone.wrap("Protection is possible, but not by law.") == [
        "Protection is possible, but", "not by law."]
    assert not phone.fits_headline("word " * 13)  # 65 characters: three lines


@pytest.mark.asyncio
async def test_the_verdict_s_headline_on_the_phone_is_two_lines_at_most(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    for lang in LANGS:
        p = person(api, lang)
        await p.say("/check")
        await answer_until_review(p, RS, persona(lang, fitness="d"), lang)
        verdict = await finish(p, lang)
        # The first line heads the screen: its bold part, the most pressing mechanism's outcome.
        msg = p.with_buttons()
        bold = next(e for e in msg.entities if e["type"] == "bold" and e["offset"] > 0)
        headline = (msg.text or "")[bold["offset"]:bold["offset"] + bold["length"]]
        assert verdict.split("\n")[1].startswith(headline)
        assert headline.split(": ")[1] == tr(lang).gettext(render.MECHANISM_OUTCOME["not_subject"])
        assert len(phone.wrap(headline)) <= 2


# --- (f) «Почему» for the subject verdict ----------------------------------------------------------


@pytest.mark.asyncio
async def test_the_subject_verdict_explains_under_pochemu(api: BotAPIStandIn,
                                                           bot: list[object]) -> None:
    p = person(api, "ru")
    await p.say("/check")
    await answer_until_review(p, RS, persona("ru"), "ru")
    verdict = await finish(p, "ru")
    assert "Мобилизация: могут призвать" in verdict
    assert "\nПочему\n" in verdict and "Основание\n" not in verdict


# --- (g) caveats ranked by the answers ------------------------------------------------------------


ILLNESS = re.compile(r"болезн|заболеван|медицинск|illness|medical", re.I)


@pytest.mark.asyncio
async def test_category_a_is_not_told_about_illness_first_and_a_conscript_hears_the_scope(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    scope = next(c for c in RS.caveats if c.id == "scope")
    for lang in LANGS:
        important = "Important" if lang == "en" else "Важно"
        p = person(api, lang)
        await p.say("/check")
        await answer_until_review(p, RS, persona(lang), lang)  # category A
        verdict = await finish(p, lang)
        top = verdict[verdict.index(important):]
        assert not ILLNESS.search(top.split("\n\n")[0]), top
        await p.press(tr(lang).gettext("Caveats"))
        first = p.text().split("• ")[1]
        assert not ILLNESS.search(first), first
        # Outside the reserve: what this answer covers comes first.
        p = person(api, lang)
        await p.say("/check")
        answers = persona(lang, military_status="not_in_reserve")
        await answer_until_review(p, RS, answers, lang)
        verdict = await finish(p, lang)
        top = verdict[verdict.index(important):]
        assert scope.texts[lang].text[:50] in top, top


def test_the_rank_rules_hold_for_every_answer_combination() -> None:
    rng = random.Random(5)
    fitness = RS.question_by_id["fitness"]
    status = RS.question_by_id["military_status"]
    for _ in range(400):
        facts: dict[str, object] = {"sex": rng.choice(["male", "female"]),
                                    "citizen": True, "age": rng.randint(18, 70)}
        facts.update(rng.choice(status.options).set)
        facts.update(rng.choice(fitness.options).set)
        day = rng.choice(DAYS)
        caveats = [c.id for c in RS.evaluate(facts, day).caveats]
        if facts["fitness"] == "A" and caveats:
            assert caveats[0] != "health_documents", facts
        scopes = [c for c in caveats if c.startswith("scope")]  # dated variants (scope_2022 ...)
        if facts["military_status"] in ("not_in_reserve", "retired") and scopes:
            assert caveats[0] == scopes[0], (facts, caveats)


# --- (h) no step points to the screen it is on ---------------------------------------------------


def test_no_screen_points_to_itself() -> None:
    rng = random.Random(8)
    for n in range(120):
        lang, day = LANGS[n % 2], DAYS[n % 3]
        t = tr(lang)
        facts: dict[str, Any] = {}
        for q in RS.questions:
            if q.kind == "choice" and rng.random() < 0.7:
                facts.update(rng.choice(q.options).set)
        try:
            facts, _ = RS.relevant(facts, day)
        except rules.FactsError:
            continue
        v = RS.evaluate(facts, day, lang)
        screens = {"All grounds": render.grounds_screen(t, v),
                   "What to do": render.todo_screen(t, v),
                   "Caveats": render.caveats_screen(t, v),
                   "A summons in hand": [render.summons_text(t, RS, day)],
                   "Get help": [render.help_screen(t, RS)]}
        for title, pages in screens.items():
            name = t.gettext(title)
            body = "\n".join(to_plain(p) for p in pages)
            for quoted in (f"“{name}”", f"«{name}»"):
                assert quoted not in body, (title, lang)


# --- (i) the service screen on one phone screen, the details one press away --------------------


@pytest.mark.asyncio
async def test_the_service_screen_fits_the_phone_and_the_rest_is_one_press_away(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    for lang in LANGS:
        guide = RS.guide("already_serving", TODAY)
        p = person(api, lang)
        await p.say("/check")
        await p.press(label(RS, "sex", "male", lang))
        await p.press(label(RS, "military_status", "serving_contract", lang))
        first = p.with_buttons()
        first_text = first.text or ""
        assert utf16_len(first_text) <= 2000
        await p.press(READ_ON[lang])
        second = p.with_buttons()
        assert second.message_id == first.message_id  # in place
        shown = first_text + (second.text or "")
        for section in guide.sections:
            assert section.heading.get(lang) in shown
        await p.press("◀ Back to the result" if lang == "en" else "◀ К результату")
        assert p.text() == first_text
        # The same from the greeting's "Already serving".
        p = person(api, lang)
        await p.say("/start")
        await p.press(tr(lang).gettext("Already serving or mobilized"))
        assert utf16_len(p.text()) <= 2000
        assert READ_ON[lang] in p.buttons()


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("lang", LANGS)
def test_the_service_guide_s_first_page_fits_on_every_day(lang: str, day: dt.date) -> None:
    parts = render.called_up_pages(tr(lang), RS, day)
    assert visible_length(parts[0]) <= 2000
    assert all(visible_length(p) <= 4096 for p in parts)


# --- (j) answer labels on one line of a 360-px button ---------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_answer_label_fits_one_line_of_a_button(lang: str) -> None:
    for day in DAYS:
        for q in RS.questions:
            for c in RS.choices(q, {"age": 40}, day, lang):
                assert len(c.label) <= BUTTON_MAX, (q.id, c.label)


@pytest.mark.parametrize("seed", range(12))
def test_the_buttons_a_person_sees_fit_one_line(seed: int) -> None:
    rng = random.Random(seed)
    lang = LANGS[seed % 2]
    for view in random_interview(rng, lang, DAYS[seed % 3]):
        for b in buttons(view):
            if b.kind == "answer":
                assert len(b.label) <= BUTTON_MAX + 2, b.label  # with its ● or ☐ mark


# --- (k) the English heading is a name ------------------------------------------------------------


@pytest.mark.asyncio
async def test_every_english_message_starts_with_information(api: BotAPIStandIn,
                                                             bot: list[object]) -> None:
    p = person(api, "en")
    await p.say("/start")
    await p.press("▶ Start")
    await answer_until_review(p, RS, persona("en"), "en")
    await finish(p, "en")
    for msg in api.chat(p.chat.id).bot_messages:
        assert (msg.text or "").split("\n")[0] == "Information"


# --- (l) the review's worst strings are gone ------------------------------------------------------


OLD_WORDING = [
    "signed so nobody can forge them, but not encrypted", "не зашифрованы",
    "often fewer", "часто меньше", "по опубликованному закону", "by a published law",
    "Призвать по мобилизации могут", "a detail such as a number or date is unconfirmed",
    "Какое положение по воинскому учёту?", "Учится ли человек? Если да, то по какой форме",
    "in what form?", "Age (full years)", "Мать без мужа растит", "sexual inviolability",
    "medium gravity", "first department.", "в разделе «Что делать»",
    "about half of several thousand called up.", "thought not to be callable",
    "rejected a complaint that the former age limit", "остановлен 28.10.2022",
    "на февраль 2026 года", "as of February 2026",
]


def everything_a_person_reads(lang: str) -> str:
    t = tr(lang)
    parts: list[str] = []
    for day in DAYS:
        parts.append(to_plain(start(lang, day).texts[0]))
        for which in (Page.PRIVACY, Page.HELP, Page.CALLED_UP, Page.SUMMONS):
            for part in range(3):
                state = flow._bare(flow.new_state(RS, lang, day, 1), Screen.PAGE,
                                   int(which) + 16 * part)
                parts += [to_plain(x) for x in flow.press(ENV, state).texts]
    for q in RS.questions:
        parts += [q.text.get(lang), q.help.get(lang) if q.help else ""]
        parts += [c.label for c in RS.choices(q, {}, TODAY, lang)]
    parts += [c.texts[lang].text for c in (*RS.caveats, *RS.notes, *RS.steps)]
    parts += [t.gettext(w) for w in render.CONFIDENCE_WORDS.values()]
    parts += [t.gettext(h) for h in render.OUTCOME_HEADLINE.values()]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", LANGS)
def test_the_reviewed_strings_read_anew(lang: str) -> None:
    text = everything_a_person_reads(lang)
    for old in OLD_WORDING:
        assert old not in text, old


# --- the review's bug 6: a list of caveats split evenly --------------------------------------------


def test_a_long_list_is_split_into_even_pages_never_one_item_alone() -> None:
    for lang in LANGS:
        t = tr(lang)
        v = RS.evaluate({"sex": "male", "military_status": "reserve", "citizen": True,
                         "age": 30, "fitness": "A"}, TODAY, lang)
        items = ["• " + c.text for c in (*v.caveats, *v.caveats)]  # twice: two pages' worth
        pages = render.pages(t, [render.neutral_header(t) + "\n" + t.gettext("Caveats"),
                                 *items])
        assert len(pages) == 2
        counts = [p.count("• ") for p in pages]
        assert min(counts) >= len(items) // 2 - 2, counts
        sizes = [visible_length(p) for p in pages]
        assert max(sizes) <= 3900


def test_back_from_a_question_shows_the_earlier_answer_marked() -> None:
    t = tr("en")
    view = press(start("en", TODAY), t.gettext("▶ Start"))
    view = press(view, label(RS, "sex", "male", "en"))
    view = press(view, label(RS, "military_status", "reserve", "en"))
    view = press(view, t.gettext("◀ Back"))
    assert "● " + label(RS, "military_status", "reserve", "en") in [b.label for b in
                                                                    buttons(view)]
    view = press(view, t.gettext("◀ Back"))  # and back again: the question before it
    assert "● " + label(RS, "sex", "male", "en") in [b.label for b in buttons(view)]

