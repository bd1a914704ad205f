"""A person in a private chat goes from /start to a cited verdict with buttons alone, in either
language, through python-telegram-bot's real HTTP stack and the strict Bot API stand-in."""

from __future__ import annotations

import datetime as dt

import pytest

import rules
from bot.app import ForgetfulApplication
from rules import RuleSet
from tests.bot_harness import Person, answer_until_review, bundled_rules, settle
from tests.botapi import BotAPIStandIn, TelegramClient

pytestmark = pytest.mark.asyncio

RS = bundled_rules()  # loaded once per process, shared by the modules
TODAY = rules.today_in_moscow()


def label(rs: RuleSet, qid: str, option: str, lang: str, as_of: dt.date = TODAY,
          facts: dict[str, object] | None = None) -> str:
    q = rs.question_by_id[qid]
    for choice in rs.choices(q, facts or {}, as_of, lang):
        if choice.id == option:
            return choice.label
    raise KeyError(f"{qid}: no option {option}")


def persona(lang: str, as_of: dt.date = TODAY, **override: str) -> dict[str, str]:
    """A man of 30 in the reserve, category A, no children, not employed: subject."""
    lo, hi = next(b for b in RS.age_bands(as_of) if b[0] <= 30 <= b[1])
    picks = {
        "sex": "male", "military_status": "reserve", "citizen": "citizen", "age": f"age_{lo}_{hi}",
        "rank": "soldier", "fitness": "a", "conviction": "none", "reserved_by_employer":
        "not_reserved", "student": "none", "children_under_16": "c0", "disabled_child":
        "no_disabled_child", "sector": "none", "reserve_contract": "no_contract",
        "abroad": "in_russia", "conscientious_objector": "not_objector",
    }
    picks.update(override)
    out = {qid: label(RS, qid, opt, lang, as_of) for qid, opt in picks.items()}
    none = "✔ Done" if lang == "en" else "✔ Готово"
    out["family_duties"] = none
    out["conscription_exempt"] = none
    return out


def person(api: BotAPIStandIn, language_code: str | None = "ru") -> Person:
    return Person(api, TelegramClient(api), language_code=language_code)


async def test_a_man_of_thirty_in_the_reserve_gets_a_cited_verdict_in_english(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api, "en")
    await p.say("/start")
    assert "Decree No. 647" in p.text()
    await p.press("▶ Start")
    asked = await answer_until_review(p, RS, persona("en"), "en")
    assert asked[:3] == ["sex", "military_status", "citizen"]
    assert "Check your answers" in p.text()
    await p.press("✅ See the result")
    shown = p.text()
    # Both the assemblies and mobilization can call him; the assemblies, held today, first.
    assert "\nTraining assemblies: can be called up\nMobilization: can be called up\n" in shown
    assert "31-FZ Art. 17 p.2" in shown  # what makes a reservist subject to call-up
    assert f"rules version {RS.version}" in shown
    assert p.buttons()[:4] == ["All grounds", "What to do", "Caveats", "Get help"]
    assert "🗑 Delete this conversation" in p.buttons()


async def test_the_same_interview_in_russian_ends_with_a_deferral_for_four_children(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api, "ru")
    await p.say("/check")
    await answer_until_review(p, RS, persona("ru", children_under_16="c4plus"), "ru")
    await p.press(p.buttons()[0])
    shown = p.text()
    four = RS.ground_by_id["four_children"].ground
    assert four.title.ru in shown
    assert "31-ФЗ" in shown
    assert "отсрочк" in shown.lower()


async def test_deep_link_payload_starts_the_interview_in_that_language(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api, "ru")
    await p.say("/start check_en")
    assert RS.question_by_id["sex"].text.en in p.text()
    await p.say("/start somethingelse")
    assert "указ № 647" in (p.last().text or "")  # other payloads: the ordinary greeting


async def test_back_review_and_change_an_answer(api: BotAPIStandIn, bot: list[object]) -> None:
    p = person(api, "en")
    await p.say("/check")
    await p.press(label(RS, "sex", "male", "en"))
    assert RS.question_by_id["military_status"].text.en in p.text()
    await p.press("◀ Back")
    assert RS.question_by_id["sex"].text.en in p.text()
    assert "● " + label(RS, "sex", "male", "en") in p.buttons()  # the earlier answer, marked
    await p.press("● " + label(RS, "sex", "male", "en"))
    await answer_until_review(p, RS, persona("en"), "en")
    review = p.text()
    assert "Check your answers" in review
    # Change the fitness answer (its number on the review) to D: the verdict changes.
    line = next(ln for ln in review.split("\n") if RS.question_by_id["fitness"].text.en in ln)
    number = line.split(".")[0].strip()
    await p.press(f"✏️ {number}")
    assert RS.question_by_id["fitness"].text.en in p.text()
    assert "● " + label(RS, "fitness", "a", "en") in p.buttons()
    await p.press(label(RS, "fitness", "d", "en"))
    for _ in range(10):
        if "Check your answers" in p.text():
            break
        await p.press(persona("en")[_question(p)])
    await p.press("✅ See the result")
    assert RS.ground_by_id["unfit"].ground.title.en in p.text()
    assert "By law, cannot be called up under this mobilization" in p.text()


def _question(p: Person) -> str:
    from tests.bot_harness import question_shown

    qid = question_shown(RS, p.text(), "en")
    assert qid
    return qid


async def test_i_dont_know_leads_to_an_undetermined_verdict_naming_what_is_missing(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api, "en")
    await p.say("/check 2022-10-10")
    answers = persona("en", dt.date(2022, 10, 10))
    answers["fitness"] = "I don't know"
    await answer_until_review(p, RS, answers, "en")
    assert "I don't know" in p.text()
    await p.press("✅ See the result")
    shown = p.text()
    assert "We cannot tell yet" in shown
    assert "It depends on the fitness category." in shown
    assert "October 10, 2022" in shown


async def test_check_with_a_bad_date_explains_the_format(api: BotAPIStandIn,
                                                         bot: list[object]) -> None:
    p = person(api, "en")
    await p.say("/check 2022-13-45")
    assert "YYYY-MM-DD" in (p.last().text or "")


async def test_the_checklist_ticks_and_unticks_before_done(api: BotAPIStandIn,
                                                         bot: list[object]) -> None:
    p = person(api, "en")
    await p.say("/check")
    answers = persona("en")
    q = RS.question_by_id["family_duties"]
    care = q.items[0].label.en
    answers["family_duties"] = f"☐ {care}|☑ {care}|☐ {care}|✔ Done"
    await answer_until_review(p, RS, answers, "en")
    await p.press("✅ See the result")
    assert RS.ground_by_id["care_of_relative"].ground.title.en in p.text()


async def test_unknown_text_stickers_photos_and_edits_get_a_short_hint(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api, "en")
    await p.say("hello?")
    assert "Please answer with the buttons" in (p.last().text or "")
    before = len(api.chat(p.chat.id).bot_messages)
    p.people.send_sticker(p.chat, p.user)
    await settle(api)
    p.people.send_photo(p.chat, p.user)
    await settle(api)
    sent = p.people.send_text(p.chat, p.user, "/check")
    await settle(api)
    p.people.edit_text(p.chat, p.user, sent, "/check 2022-10-10")
    await settle(api)
    messages = api.chat(p.chat.id).bot_messages
    assert len(messages) == before + 4  # two hints, the first question, a hint for the edit
    assert "Please answer with the buttons" in (messages[-1].text or "")


async def test_every_message_is_silent_and_without_link_previews(api: BotAPIStandIn,
                                                                bot: list[object]) -> None:
    p = person(api, "en")
    await p.say("/start")
    await p.say("/sources")
    for call in api.calls(method="sendMessage"):
        assert call.params.get("disable_notification") in (True, "true")
        preview = call.params.get("link_preview_options")
        assert preview and "is_disabled" in str(preview)


async def test_the_first_line_of_every_message_is_neutral(api: BotAPIStandIn,
                                                         bot: list[object]) -> None:
    p = person(api, "ru")
    await p.say("/check")
    await answer_until_review(p, RS, persona("ru"), "ru")
    await p.press(p.buttons()[0])
    for msg in api.chat(p.chat.id).bot_messages:
        assert (msg.text or "").split("\n")[0] == "Справка"


async def test_the_library_forgets_who_used_the_bot(api: BotAPIStandIn,
                                                   bot: list[object]) -> None:
    app = bot[0]
    assert isinstance(app, ForgetfulApplication)
    for n in range(5):
        p = Person(api, TelegramClient(api), name=f"P{n}", language_code="en")
        await p.say("/check")
        await p.press(label(RS, "sex", "male", "en"))
    # The last handler may still be returning after its final API call.
    await api.wait_for(lambda: not app._user_ids_to_be_updated_in_persistence, timeout=2)
    assert not app._user_ids_to_be_updated_in_persistence
    assert not app._chat_ids_to_be_updated_in_persistence
    assert not app.user_data and not app.chat_data


async def test_plain_python_telegram_bot_still_keeps_every_user_id(api: BotAPIStandIn) -> None:
    """The canary: if a library upgrade stops (or renames) this bookkeeping, this fails and the
    ForgetfulApplication override must be revisited."""
    from telegram.ext import ApplicationBuilder, CommandHandler

    from tests.botapi import DEFAULT_TOKEN

    async def noop(update: object, context: object) -> None:
        return

    app = (ApplicationBuilder().token(DEFAULT_TOKEN).base_url(api.base_url)
           .base_file_url(api.base_file_url).concurrent_updates(4).build())
    app.add_handler(CommandHandler("check", noop))
    people = TelegramClient(api)
    users = [people.user(f"U{n}", language_code="en") for n in range(3)]
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        for u in users:
            people.send_text(people.private_chat(u), u, "/check")
        await api.wait_for(lambda: len(app._user_ids_to_be_updated_in_persistence) == 3, timeout=5)
        await app.updater.stop()
        await app.stop()
    assert app._user_ids_to_be_updated_in_persistence == {u.id for u in users}
