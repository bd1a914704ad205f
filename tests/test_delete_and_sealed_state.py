"""Delete means delete, and the buttons carry nothing readable (issue 9, item 1): Delete pressed
on the verdict after pages were opened below it removes every bot message of the interview; no
button's data shows the answers to someone holding it (a chat export) without the key; an
interview's button pressed in a group does nothing but say so."""

from __future__ import annotations

import pytest

from bot.config import load_settings
from interview import state_codec
from interview.state_codec import InvalidState, State, StateCodec
from tests.bot_harness import Person, answer_until_review, bot_env, settle
from tests.botapi import BotAPIStandIn, MessageRecord, TelegramClient
from tests.test_bot_interview import RS, persona

pytestmark = pytest.mark.asyncio


def codec(api: BotAPIStandIn) -> StateCodec:
    return StateCodec(load_settings(bot_env(api)).secrets_for(0))


def labelled(msg: MessageRecord, word: str) -> str:
    """The label of the message's button containing `word` (labels carry icons)."""
    found = [b for row in msg.buttons for b in row if word.lower() in b.lower()]
    assert found, f"no button with {word!r} in {msg.buttons}"
    return found[0]


async def verdict_of(p: Person) -> MessageRecord:
    await p.say("/check")
    await answer_until_review(p, RS, persona("en"), "en")
    await p.press(labelled(p.with_buttons(), "result"))
    return p.with_buttons()


def open_layout(data: str) -> State | None:
    """The data read with the published layout but no key, as from a chat export."""
    import base64

    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    try:
        return state_codec._unpack(raw[: len(raw) - state_codec.TAG_BYTES])
    except InvalidState:
        return None


async def test_delete_on_the_verdict_also_removes_the_pages_opened_below_it(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = Person(api, TelegramClient(api), language_code="en")
    verdict = await verdict_of(p)
    # Privacy opens as a new message below the verdict; then once more.
    await p.press(labelled(verdict, "Privacy"), verdict)
    await p.press(labelled(api.chat(p.chat.id).message(verdict.message_id), "Privacy"), verdict)
    pages = [m for m in api.chat(p.chat.id).bot_messages
             if m.message_id > verdict.message_id and not m.deleted]
    assert len(pages) == 2
    # Delete pressed on the verdict, not on the newest message.
    verdict = api.chat(p.chat.id).message(verdict.message_id)
    await p.press(labelled(verdict, "Delete"), verdict)
    left = [m for m in api.chat(p.chat.id).bot_messages if not m.deleted]
    assert len(left) == 1, [m.text[:60] for m in left if m.text]
    assert "48 hours" in (left[0].text or "")  # what remains, said
    assert not [m for m in api.chat(p.chat.id).messages if not m.from_bot and not m.deleted]
    # Never beyond the interview: nothing before its /check was in the deleted range.
    deleted = [i for c in api.calls(method="deleteMessages") for i in c.params["message_ids"]]
    first = min(m.message_id for m in api.chat(p.chat.id).messages)
    assert min(deleted) >= first


async def test_no_button_carries_readable_answers(api: BotAPIStandIn, bot: list[object]) -> None:
    p = Person(api, TelegramClient(api), language_code="en")
    verdict = await verdict_of(p)
    await p.press(labelled(verdict, "Privacy"), verdict)
    c = codec(api)
    datas = [b["callback_data"] for m in api.chat(p.chat.id).bot_messages
             for row in m.inline_keyboard for b in row if "callback_data" in b]
    # Every button ever sent, including those edited away.
    for call in api.calls():
        markup = call.params.get("reply_markup")
        if isinstance(markup, dict):
            datas += [b["callback_data"] for row in markup.get("inline_keyboard", [])
                      for b in row if "callback_data" in b]
    real = [c.decode(d, p.chat.id) for d in datas]
    with_answers = [s for s in real if s.facts]
    assert with_answers, "the interview's buttons carry its answers (sealed)"
    for data, state in zip(datas, real, strict=True):
        seen = open_layout(data)
        assert seen is None or not state.facts or seen.facts != state.facts
        assert seen is None or seen.first_message_id != state.first_message_id
    # Without the chat the data was made for, it does not open either.
    with pytest.raises(InvalidState):
        c.decode(datas[0], p.chat.id + 1)


async def test_an_interview_button_pressed_in_a_group_does_nothing(api: BotAPIStandIn,
                                                                   bot: list[object]) -> None:
    people = TelegramClient(api)
    p = Person(api, people, language_code="en")
    verdict = await verdict_of(p)
    delete = verdict.button(labelled(verdict, "Delete"))["callback_data"]
    # A supergroup with a few dozen messages, the bot among the members.
    owner = people.user("Owner", language_code="en")
    group = people.supergroup(creator=owner, bot_status="administrator")
    for n in range(30):
        people.send_text(group, owner, f"message {n}")
    people.send_text(group, owner, "/help@" + people.bot.username)
    await settle(api)
    target = api.last_bot_message(group.id)
    assert target is not None
    before = [m.message_id for m in api.chat(group.id).messages if not m.deleted]
    # The genuine Delete data, and one forged for the group's own id with the real key.
    state = codec(api).decode(delete, p.chat.id)
    forged = codec(api).encode(state, group.id)
    for data in (delete, forged):
        query = people.press(group, owner, target, data)
        await settle(api)
        answer = api.answer_for(query)
        assert answer is not None and "private chat" in (answer.text or "")
    assert not [c for c in api.calls(method="deleteMessages")
                if str(c.params.get("chat_id")) == str(group.id)]
    assert [m.message_id for m in api.chat(group.id).messages if not m.deleted] == before


async def test_a_press_without_a_chat_is_answered_and_nothing_else(
    api: BotAPIStandIn, bot: list[object], caplog: pytest.LogCaptureFixture
) -> None:
    # A press on an inline message (no chat, no message): the group language button's data and
    # an interview's data both get a short answer; nothing fails.
    from tests.botapi.server import CallbackQueryRecord

    people = TelegramClient(api)
    user = people.user("Inline", language_code="en")
    queries = []
    for n, data in enumerate(("gl:ru", "A" * state_codec.ENCODED_LENGTH)):
        query_id = f"77{n}"
        api._bot(None).callback_queries[query_id] = CallbackQueryRecord(
            id=query_id, chat_id=0, message_id=0, user_id=user.id, data=data, created=api.now())
        api.push_update({"callback_query": {"id": query_id, "from": user.to_json(),
                                            "inline_message_id": "AAAA", "chat_instance": "1",
                                            "data": data}})
        queries.append(query_id)
    await settle(api)
    for query_id in queries:
        answer = api.answer_for(query_id)
        assert answer is not None and "private chat" in (answer.text or "")
    assert "error while handling" not in caplog.text


async def test_a_sealed_state_past_the_last_screen_gets_the_polite_answer(
    api: BotAPIStandIn, bot: list[object], caplog: pytest.LogCaptureFixture
) -> None:
    import dataclasses

    p = Person(api, TelegramClient(api), language_code="en")
    await p.say("/check")
    msg = p.with_buttons()
    c = codec(api)
    state = c.decode(msg.inline_keyboard[0][0]["callback_data"], p.chat.id)
    for screen, option in ((15, 0), (9, 63)):  # no such screen; a page past the last
        odd = dataclasses.replace(state, screen=screen, option=option)
        query = await p.press_data(c.encode(odd, p.chat.id), msg)
        answer = api.answer_for(query)
        assert answer is not None and "not valid" in (answer.text or "")
    assert "error while handling" not in caplog.text
