"""/offline and its buttons send the offline page as a document: in the person's language, with a
one-line caption, under a neutral file name, built for the rule base in force (also after an
admin's reload, whose reply gives the page's size and build time). Against the Bot API stand-in."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import rules
from bot.offline_file import CAPTION
from interview.i18n import tr
from offline.build import BUDGET, DEFAULT_NAME
from tests.bot_harness import Person, bot_env, bundled_rules, running_bot
from tests.botapi import BotAPIStandIn, TelegramClient
from tests.botapi.server import MessageRecord

pytestmark = pytest.mark.asyncio

RS = bundled_rules()  # loaded once per process, shared by the modules
ADMIN_ID = 900_000_007


@pytest.fixture
async def bot(api: BotAPIStandIn, rules_copy: Path) -> AsyncIterator[list[object]]:
    env = bot_env(api, BOT_ADMIN_IDS=str(ADMIN_ID), RULES_PATH=str(rules_copy))
    async with running_bot(api, env) as apps:
        yield apps


def documents(api: BotAPIStandIn, p: Person) -> list[MessageRecord]:
    return [m for m in api.chat(p.chat.id).bot_messages if m.kind == "document"]


def page_of(api: BotAPIStandIn, message: MessageRecord) -> str:
    doc = message.content["document"]
    assert doc["file_name"] == DEFAULT_NAME
    return api.file(doc["file_id"]).content.decode("utf-8")


def opens_in(html: str) -> str:
    found = re.search(r'<html lang="(\w+)">', html)
    assert found is not None
    return found.group(1)


async def test_offline_sends_the_page_in_the_persons_language_with_a_caption(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    for code, lang in (("ru", "ru"), ("en", "en")):
        p = Person(api, TelegramClient(api), name=f"P{code}", language_code=code)
        await p.say("/offline")
        (sent,) = documents(api, p)
        html = page_of(api, sent)
        assert opens_in(html) == lang
        assert sent.text == tr(lang).gettext(CAPTION)
        assert "\n" not in (sent.text or "")
        assert len(html.encode()) <= BUDGET
        assert f'"version":"{RS.version}"' in html  # the rules the bot answers with
        assert "connect-src 'none'" in html


async def test_the_greeting_and_the_verdict_have_a_button_for_the_file(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = Person(api, TelegramClient(api), language_code="en")
    await p.say("/start")
    button = next(b for b in p.buttons() if b.startswith("📄"))
    await p.press(button)
    (sent,) = documents(api, p)
    assert opens_in(page_of(api, sent)) == "en"
    # The verdict, reached with "I don't know" (else the first answer) to every question.
    await p.press("▶ Start")
    for _ in range(40):
        if "Check your answers" in p.text():
            break
        labels = p.buttons()
        pick = next((x for x in ("I don't know", "✔ Done") if x in labels), labels[0])
        await p.press(pick)
    await p.press("✅ See the result")
    button = next(b for b in p.buttons() if b.startswith("📄"))
    await p.press(button)
    assert len(documents(api, p)) == 2


async def test_after_a_reload_the_file_follows_the_new_rules_and_the_admin_sees_its_size(
    api: BotAPIStandIn, bot: list[object], rules_copy: Path
) -> None:
    people = TelegramClient(api)
    admin = Person(api, people, "Admin", language_code="en")
    admin.user = people.user("Admin", language_code="en", user_id=ADMIN_ID)
    admin.chat = people.private_chat(admin.user)
    grounds = rules_copy / "grounds.yaml"
    old_title = RS.ground_by_id["unfit"].ground.title.en
    grounds.write_text(grounds.read_text("utf-8").replace(old_title, "Unfit (category D)"), "utf-8")
    await admin.say("/reload")
    reply = admin.last().text or ""
    new_version = rules.load(rules_copy).version
    assert f"→ {new_version}" in reply
    assert re.search(r"Offline page rebuilt: ru \d+ KB, en \d+ KB; built at \d{4}-\d\d-\d\d "
                     r"\d\d:\d\d:\d\d UTC in \d+ ms\.", reply), reply
    p = Person(api, people, language_code="en")
    await p.say("/offline")
    html = page_of(api, documents(api, p)[0])
    assert f'"version":"{new_version}"' in html
    assert "Unfit (category D)" in html
