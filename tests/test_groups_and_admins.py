"""Groups get useful answers without anyone's personal details in them; admins reload the rules
without a restart, and a broken rules file never takes the bot down."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import rules
from tests.bot_harness import Person, answer_until_review, bot_env, running_bot, settle
from tests.botapi import DEFAULT_BOT, BotAPIStandIn, TelegramClient
from tests.test_bot_interview import RS, label, persona

pytestmark = pytest.mark.asyncio
ROOT = Path(__file__).resolve().parent.parent
BOTNAME = DEFAULT_BOT.username


ADMIN_ID = 900_000_001


@pytest.fixture
async def bot(api: BotAPIStandIn, rules_copy: Path) -> AsyncIterator[list[object]]:
    env = bot_env(api, BOT_ADMIN_IDS=str(ADMIN_ID), RULES_PATH=str(rules_copy))
    async with running_bot(api, env) as apps:
        yield apps


def group_texts(api: BotAPIStandIn, chat_id: int) -> list[str]:
    return [m.text or "" for m in api.chat(chat_id).bot_messages if not m.deleted]


# --- groups ---------------------------------------------------------------------------------------


async def test_check_in_a_group_opens_the_private_interview_without_naming_anyone(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    people = TelegramClient(api)
    ivan = people.user("Ivan", username="ivan_secret", language_code="ru")
    group = people.group(creator=ivan, bot_status="member")
    people.send_text(group, ivan, f"/check@{BOTNAME}")
    await settle(api)
    msg = api.last_bot_message(group.id)
    assert msg is not None and msg.reply_to_message_id is None
    assert "Ivan" not in (msg.text or "") and "ivan_secret" not in (msg.text or "")
    url = msg.inline_keyboard[0][0]["url"]
    assert url == f"https://t.me/{BOTNAME}?start=check_ru"
    # The deep link starts the interview in private, in that language.
    p = Person(api, people, "Ivan")
    p.user, p.chat = ivan, people.private_chat(ivan)
    await p.say("/start check_ru")
    assert RS.question_by_id["sex"].text.ru in p.text()


async def test_group_commands_work_with_and_without_the_bot_name(api: BotAPIStandIn,
                                                                 bot: list[object]) -> None:
    people = TelegramClient(api)
    admin = people.user("Anna", language_code="en")
    group = people.supergroup(creator=admin, bot_status="administrator")
    people.send_text(group, admin, "/grounds")
    await settle(api)
    shown = "\n".join(group_texts(api, group.id))
    for cg in RS.grounds:
        assert cg.ground.title.ru in shown
    people.send_text(group, admin, f"/help@{BOTNAME}")
    await settle(api)
    assert f"/check@{BOTNAME}" in group_texts(api, group.id)[-1]
    people.send_text(group, admin, f"/sources@{BOTNAME}")
    await settle(api)
    assert "31-ФЗ" in group_texts(api, group.id)[-1]
    # Never a personal question in a group, and no interview buttons.
    for m in api.chat(group.id).bot_messages:
        for row in m.inline_keyboard:
            assert all("url" in button for button in row)


async def test_only_group_admins_and_anonymous_admins_change_the_groups_language(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    people = TelegramClient(api)
    owner = people.user("Owner", language_code="ru")
    member = people.user("Member", language_code="ru")
    hidden = people.user("Hidden", language_code="ru")
    group = people.supergroup(creator=owner, members=[member], anonymous_admins=[hidden],
                              bot_status="member")
    people.send_text(group, member, f"/language@{BOTNAME} en")
    await settle(api)
    assert "администраторы" in group_texts(api, group.id)[-1]
    people.send_text(group, hidden, f"/language@{BOTNAME} en", anonymous=True)
    await settle(api)
    people.send_text(group, member, f"/check@{BOTNAME}")
    await settle(api)
    last = api.last_bot_message(group.id)
    assert last is not None and last.inline_keyboard[0][0]["url"].endswith("start=check_en")
    # The buttons: a member's press is refused, the owner's is taken.
    people.send_text(group, owner, f"/language@{BOTNAME}")
    await settle(api)
    choose = api.last_bot_message(group.id)
    assert choose is not None
    query = people.press_button(group, member, choose, "Русский")
    await settle(api)
    assert "admins" in (api.answer_for(query).text or "")  # type: ignore[union-attr]
    people.press_button(group, owner, choose, "Русский")
    await settle(api)
    people.send_text(group, member, f"/check@{BOTNAME}")
    await settle(api)
    last = api.last_bot_message(group.id)
    assert last is not None and last.inline_keyboard[0][0]["url"].endswith("start=check_ru")


async def test_added_to_a_group_it_introduces_itself_once(api: BotAPIStandIn,
                                                          bot: list[object]) -> None:
    people = TelegramClient(api)
    owner = people.user("Owner", language_code="en")
    group = people.group(creator=owner)
    people.add_bot_to_group(group, owner)
    await settle(api)
    texts = group_texts(api, group.id)
    assert (len(texts) == 1 and "never ask personal questions" in texts[0].lower()) or \
        "личных вопросов" in texts[0]
    people.join_group(group, people.user("Guest"))
    await settle(api)
    assert len(group_texts(api, group.id)) == 1


async def test_the_groups_language_follows_it_to_a_supergroup(api: BotAPIStandIn,
                                                             bot: list[object]) -> None:
    people = TelegramClient(api)
    owner = people.user("Owner", language_code="ru")
    group = people.group(creator=owner, bot_status="member")
    people.send_text(group, owner, f"/language@{BOTNAME} en")
    await settle(api)
    new = people.migrate_group_to_supergroup(group, owner)
    await settle(api)
    people.send_text(new, owner, f"/check@{BOTNAME}")
    await settle(api)
    last = api.last_bot_message(new.id)
    assert last is not None and last.inline_keyboard[0][0]["url"].endswith("start=check_en")


# --- admins ---------------------------------------------------------------------------------------


def admin_person(api: BotAPIStandIn, people: TelegramClient) -> Person:
    p = Person(api, people, "Admin", language_code="en")
    p.user = people.user("Admin", language_code="en", user_id=ADMIN_ID)
    p.chat = people.private_chat(p.user)
    return p


async def test_a_non_admin_is_refused_politely(api: BotAPIStandIn, bot: list[object]) -> None:
    p = Person(api, TelegramClient(api), language_code="en")
    await p.say("/reload")
    assert "only for the bot's administrators" in (p.last().text or "")
    await p.say("/stats")
    assert "only for the bot's administrators" in (p.last().text or "")


async def test_an_admin_changes_a_ground_and_the_next_verdict_shows_it(
    api: BotAPIStandIn, bot: list[object], rules_copy: Path
) -> None:
    people = TelegramClient(api)
    admin = admin_person(api, people)
    # An interview in flight, made under the old rules.
    p = Person(api, people, language_code="en")
    await p.say("/check")
    await p.press(label(RS, "sex", "male", "en"))
    in_flight = p.with_buttons()
    grounds = rules_copy / "grounds.yaml"
    old_title = RS.ground_by_id["unfit"].ground.title.en
    grounds.write_text(grounds.read_text("utf-8").replace(old_title, "Unfit (category D)"), "utf-8")
    await admin.say("/reload")
    reply = admin.last().text or ""
    new_version = rules.load(rules_copy).version
    assert f"{RS.version} → {new_version}" in reply
    assert "Changed: unfit" in reply and f"{len(RS.grounds)} grounds" in reply
    # The interview continues from the old message, and the verdict shows the change.
    await p.press(label(RS, "military_status", "reserve", "en"), in_flight)
    answers = persona("en", fitness="d")
    await answer_until_review(p, RS, answers, "en")
    await p.press("✅ See the result")
    assert "Unfit (category D)" in p.visible()
    assert new_version in p.visible()


async def test_a_broken_rules_file_leaves_the_rules_in_force(
    api: BotAPIStandIn, bot: list[object], rules_copy: Path
) -> None:
    admin = admin_person(api, TelegramClient(api))
    caveats = rules_copy / "caveats.yaml"
    caveats.write_text(caveats.read_text("utf-8") + "\nbogus: [\n", "utf-8")
    await admin.say("/reload")
    reply = admin.last().text or ""
    assert "not reloaded" in reply and RS.version in reply
    assert "caveats.yaml:" in reply
    caveats.write_text(caveats.read_text("utf-8").replace("\nbogus: [\n", ""), "utf-8")
    tests = rules_copy / "tests" / "examples.yaml"
    text = tests.read_text("utf-8")
    tests.write_text(text.replace("outcome: subject", "outcome: deferral", 1), "utf-8")
    await admin.say("/reload")
    reply = admin.last().text or ""
    assert "not reloaded" in reply and "tests/examples.yaml:" in reply
    p = Person(api, TelegramClient(api), language_code="en")
    await p.say("/about")
    assert RS.version in p.text()


async def test_an_admin_sends_a_rules_file(api: BotAPIStandIn, bot: list[object],
                                           rules_copy: Path) -> None:
    people = TelegramClient(api)
    admin = admin_person(api, people)
    original = (rules_copy / "resources.yaml").read_text("utf-8")
    good = original.replace("\nindependent:\n", "\nindependent:\n  - id: volunteers\n"
                            "    kind: lawyers\n"
                            "    title: {ru: Волонтёры, en: Volunteers}\n"
                            "    text: {ru: Помогают бесплатно., en: Free help.}\n"
                            "    url: https://example.org/\n"
                            "    source: https://example.org/\n"
                            "    checked: 2026-11-29\n", 1)
    assert good != original

    async def send(name: str, data: bytes) -> str:
        before = len(api.chat(admin.chat.id).bot_messages)
        people.send_document(admin.chat, admin.user, name, data)
        await api.wait_for(lambda: len(api.chat(admin.chat.id).bot_messages) > before, timeout=15)
        await settle(api)
        return "\n".join(m.text or "" for m in api.chat(admin.chat.id).bot_messages[before:])

    reply = await send("../resources.yaml", good.encode())
    assert "plain name" in reply
    reply = await send("resources.yaml", b"x" * (1024 * 1024 + 1))
    assert "larger than 1 MiB" in reply
    reply = await send("resources.yaml", b"official: []\nindependent: [\n")
    assert "nothing was changed" in reply.lower() and "resources.yaml:" in reply
    assert (rules_copy / "resources.yaml").read_text("utf-8") == original
    reply = await send("resources.yaml", b"a: &x 1\nb: *x\n")
    assert "aliases" in reply
    reply = await send("resources.yaml", good.encode())
    assert "Rules reloaded" in reply
    assert (rules_copy / "resources.yaml").read_text("utf-8") == good
    p = Person(api, people, language_code="en")
    await p.say("/check")
    await answer_until_review(p, rules.load(rules_copy), persona("en"), "en")
    await p.press("✅ See the result")
    await p.press("Get help")
    assert "Volunteers" in p.text()


async def test_without_rules_path_an_upload_is_refused_with_how_to(api: BotAPIStandIn) -> None:
    env = bot_env(api, BOT_ADMIN_IDS=str(ADMIN_ID))
    async with running_bot(api, env):
        people = TelegramClient(api)
        admin = admin_person(api, people)
        people.send_document(admin.chat, admin.user, "resources.yaml", b"official: []\n")
        await api.wait_for(lambda: api.last_bot_message(admin.chat.id), timeout=15)
        assert "RULES_PATH is not set" in (admin.last().text or "")


async def test_stats_are_anonymous_counts(api: BotAPIStandIn, bot: list[object]) -> None:
    people = TelegramClient(api)
    p = Person(api, people, language_code="en")
    await p.say("/check")
    await answer_until_review(p, RS, persona("en"), "en")
    await p.press("✅ See the result")
    await p.press("🌐 Русский")  # a re-render is not a second verdict
    admin = admin_person(api, people)
    await admin.say("/stats")
    text = admin.last().text or ""
    assert "interviews started 1" in text and "subject: 1" in text and "en: 1" in text
    assert str(p.user.id) not in text and "reset" in text


async def test_admin_menus_are_set_now_or_when_the_admin_first_writes(api: BotAPIStandIn,
                                                                      rules_copy: Path) -> None:
    people = TelegramClient(api)
    known = people.user("Known", language_code="en", user_id=ADMIN_ID)
    people.private_chat(known)
    api.introduce_chat(people.private_chat(known))
    env = bot_env(api, BOT_ADMIN_IDS=f"{ADMIN_ID},{ADMIN_ID + 1}", RULES_PATH=str(rules_copy))
    async with running_bot(api, env):
        scope = {"type": "chat", "chat_id": ADMIN_ID}
        assert [c["command"] for c in api.commands(scope, "en")][-2:] == ["reload", "stats"]
        later = people.user("Later", language_code="en", user_id=ADMIN_ID + 1)
        p = Person(api, people)
        p.user, p.chat = later, people.private_chat(later)
        assert not api.commands({"type": "chat", "chat_id": ADMIN_ID + 1}, "en")
        await p.say("/help")
        assert [c["command"] for c in api.commands({"type": "chat", "chat_id": ADMIN_ID + 1},
                                                   "en")][-2:] == ["reload", "stats"]


async def test_sighup_reloads_the_rules(api: BotAPIStandIn, rules_copy: Path) -> None:
    env = {**os.environ, **bot_env(api, RULES_PATH=str(rules_copy)), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while not api.calls(method="getUpdates"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        grounds = rules_copy / "grounds.yaml"
        old_title = RS.ground_by_id["unfit"].ground.title.en
        grounds.write_text(grounds.read_text("utf-8").replace(old_title, "Unfit (D)"), "utf-8")
        proc.send_signal(signal.SIGHUP)
        p = Person(api, TelegramClient(api), language_code="en")
        for _ in range(50):  # the reload runs in the background; wait for the new version
            await p.say("/about")
            if rules.load(rules_copy).version in p.text():
                break
            time.sleep(0.1)
        assert rules.load(rules_copy).version in p.text()
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    assert "SIGHUP: rules reloaded" in err


async def test_added_to_a_channel_it_never_posts(api: BotAPIStandIn, bot: list[object]) -> None:
    from tests.botapi import ChatInfo

    people = TelegramClient(api)
    owner = people.user("Owner", language_code="en")
    channel = api.register_chat(ChatInfo(id=-(1_003_000_000_000 + api.new_id()), type="channel",
                                         title="A channel"))
    api.change_bot_membership(channel, owner, "administrator")
    await settle(api)
    assert not api.chat(channel.id).bot_messages
    assert not [c for c in api.calls(method="sendMessage") if c.params.get("chat_id") == channel.id]
