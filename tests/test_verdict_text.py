"""The verdict's text for many answers at once (no Telegram): one phone screen whatever the facts,
and the composition the rule base asks for."""

from __future__ import annotations

import datetime as dt
import random

import rules
from bench.rules_bench import random_facts
from interview import phone, render
from interview.html_text import esc, visible_length
from interview.i18n import tr
from tests.bot_harness import bundled_rules

RS = bundled_rules()  # loaded once per process, shared by the modules
DAYS = [dt.date(2022, 9, 20), dt.date(2022, 10, 10), dt.date(2022, 11, 15), dt.date(2024, 3, 1),
        rules.today_in_moscow(), dt.date(2028, 2, 1)]


def test_every_verdict_fits_one_screen_with_its_three_steps_and_top_caveat_in_both_languages(
) -> None:
    rng = random.Random(2026)
    for n in range(1500):
        day = DAYS[n % len(DAYS)]
        facts = rules.validate_facts(random_facts(rng, day), day)
        dont_know = frozenset(k for k in rules.FACTS if k not in facts and rng.random() < 0.5)
        for lang in ("ru", "en"):
            v = RS.evaluate(facts, day, lang, dont_know)
            text = render.verdict(tr(lang), v)
            assert visible_length(text) <= render.VERDICT_LIMIT, text
            # It opens with one line per mechanism that concerns the person, the most pressing
            # first and in bold, and no line for a mechanism that cannot concern them.
            shown = render.mechanisms(v)
            parts = [render.mechanism_parts(tr(lang), m) for m in shown]
            assert {m.id for m in shown} == {m.id for m in v.mechanisms.values() if m.concerns}
            if parts:
                opening = text.split("\n")[1:1 + len(parts)]
                assert opening == [f"<b>{esc(parts[0][0])}</b>{esc(parts[0][1])}",
                                   *(esc(a + b) for a, b in parts[1:])], text
                # The bold part heads the screen: two lines of a small phone at most.
                assert all(phone.fits_headline(a) for a, _ in parts), parts
            # Nothing had to be given up to fit: the top mechanism's steps and caveat.
            top = render.focus(v)
            for step in top.steps[:3]:
                assert esc(step.text) in text
            if top.caveats:
                assert esc(top.caveats[0].text).split("\n")[0] in text


def test_a_possible_ground_is_listed_only_when_one_of_its_facts_was_asked() -> None:
    day = dt.date(2022, 10, 10)
    facts = {"sex": "male", "military_status": "not_in_reserve"}
    everything = RS.evaluate(facts, day)
    assert len(everything.possible) > 5  # without dont_know: every open ground, as before
    asked = RS.evaluate(facts, day, dont_know=frozenset())
    assert asked.possible == () and asked.skipped == len(everything.possible)
    unsure = RS.evaluate(facts, day, dont_know=frozenset({"fitness"}))
    assert [g.id for g in unsure.possible] == ["unfit", "temporarily_unfit"]


def test_a_subject_verdict_rests_on_the_reserve_rule_and_others_on_their_ground() -> None:
    facts = {"sex": "male", "military_status": "reserve", "citizen": True, "age": 30,
             "fitness": "A", "conviction": "none", "reserved_by_employer": False,
             "student": "none", "children_under_16": 0, "disabled_child": False,
             "cares_for_relative": False, "guardian_of_sibling": False,
             "mother_alone_with_4_under_8": False, "parliament_member": False, "sector": "none"}
    v = RS.evaluate(facts, dt.date(2022, 10, 10), "ru", frozenset())
    assert v.outcome == "subject"
    assert v.basis is not None and v.basis.citations[0].label == "п. 2 ст. 17 Закона № 31-ФЗ"
    text = render.verdict(tr("ru"), v)
    assert "п. 2 ст. 17 Закона № 31-ФЗ" in text and "опубликованный акт" in text
    unfit = RS.evaluate({**facts, "fitness": "D"}, dt.date(2022, 10, 10), "en", frozenset())
    assert unfit.basis is None and unfit.skipped == 0


def test_steps_follow_the_open_facts_and_never_send_anyone_to_the_voenkomat_to_ask() -> None:
    day = dt.date(2022, 10, 10)
    v = RS.evaluate({"sex": "male", "military_status": "reserve", "citizen": True, "age": 30},
                    day, "en", frozenset({"fitness", "conviction"}))
    ids = [s.id for s in v.steps]
    assert ids[:2] == ["read_military_id", "medical_papers"]
    assert "record_or_citizenship_lawyer" in ids and "in_person_risk" in ids
    assert ids.index("in_writing") < ids.index("in_person_risk")
    for step in RS.steps:
        for lang in ("ru", "en"):
            text = step.texts[lang].text.lower()
            assert "уточнить в военкомате" not in text and "ask the voenkomat" not in text


def test_caveats_come_most_important_first_and_only_when_relevant() -> None:
    day = rules.today_in_moscow()
    base = {"sex": "male", "military_status": "reserve", "citizen": True, "age": 30}
    young = [c.id for c in RS.evaluate(base, day).caveats]
    assert young[0] == "call_up_status"
    assert "age_limits_2024" not in [n.id for n in RS.evaluate(base, day).notes]
    older = RS.evaluate({**base, "age": 50}, day)
    assert "age_limits_2024" in [n.id for n in older.notes]
    woman = RS.evaluate({**base, "sex": "female", "age": 50}, day)
    assert "age_limits_2024" not in [n.id for n in woman.notes]
    v_cat = RS.evaluate({**base, "fitness": "V"}, day)
    assert v_cat.caveats[0].id == "category_v"
    ranks = {c.id: c.rank for c in RS.caveats}
    assert [ranks[c.id] for c in v_cat.caveats] == sorted(ranks[c.id] for c in v_cat.caveats)


def test_citations_say_what_kind_of_source_they_are_with_one_date() -> None:
    t = tr("en")
    by_act = {c.act: c for cg in RS.grounds for c in cg.citations["en"]}
    law = render.citation(t, by_act["31-FZ"])
    assert "published act" in law and 'href="https://' in law
    directive = render.citation(t, by_act["gs-directive-2022-10-04"])
    assert "unpublished document, known from" in directive
    statement = render.citation(t, by_act["mod-announcement-2022-09-23"])
    assert "official statement, not a law" in statement
    assert statement.count("23.09.2022") == 1


def test_long_detail_screens_come_in_pages_that_each_fit_one_message_and_lose_nothing() -> None:
    rng = random.Random(7)
    paged = 0
    for n in range(600):
        day = DAYS[n % len(DAYS)]
        facts = rules.validate_facts(random_facts(rng, day), day)
        dont_know = frozenset(k for k in rules.FACTS if k not in facts and rng.random() < 0.7)
        for lang in ("ru", "en"):
            t = tr(lang)
            v = RS.evaluate(facts, day, lang, dont_know)
            for screen, items in ((render.grounds_screen, [g.title for g in v.grounds]),
                                  (render.caveats_screen, [c.text for c in v.caveats]),
                                  (render.todo_screen, [s.text for s in v.steps])):
                shown = screen(t, v)
                paged += len(shown) > 1
                for page in shown:
                    assert visible_length(page) <= 4096
                    assert page.startswith(render.neutral_header(t))
                whole = "\n".join(shown)
                for item in items:
                    assert esc(item).split("\n")[0] in whole
    assert paged  # the random answers do produce long screens


def test_the_italic_lines_about_more_or_unchecked_grounds_come_after_every_bullet() -> None:
    """'N more grounds apply' and 'Other grounds were not checked' are about the leading call-up:
    put between its bullet and another call-up's, they read as about the second (P-21)."""
    rng = random.Random(21)
    seen = 0
    for n in range(1500):
        day = DAYS[n % len(DAYS)]
        facts = rules.validate_facts(random_facts(rng, day), day)
        for lang in ("ru", "en"):
            t = tr(lang)
            text = render.verdict(t, RS.evaluate(facts, day, lang, frozenset()))
            heads = (f"<b>{t.gettext('Why')}</b>", f"<b>{t.gettext('What is still open')}</b>")
            why = next((block.split("\n") for block in text.split("\n\n")
                        if block.startswith(heads)), [])
            italic = [k for k, line in enumerate(why) if line.startswith("<i>")]
            bullets = [k for k, line in enumerate(why) if line.startswith("• ")]
            if italic and len(bullets) > 1:
                seen += 1
                assert max(bullets) < min(italic), text
    assert seen > 50  # the case occurs: a leading ground with others, and another call-up's line
