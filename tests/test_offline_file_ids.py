"""The offline page goes up to Telegram once per rules version, language and bot account, and is
then sent by the file_id Telegram returned; the same for any identical generated document.
Asserted on the requests the Bot API stand-in recorded: how many uploads, how many bytes."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot

import rules
from bot.file_ids import Document, FileIds, content_key, send_document
from bot.runtime import Runtime
from offline.build import DEFAULT_NAME
from tests.bot_harness import Person, bot_env, running_bot
from tests.botapi import DEFAULT_TOKEN, BotAPIStandIn, BotInfo, TelegramClient
from tests.botapi.server import (
    DEFAULT_BOT,
    WRONG_FILE_ID_OR_URL,
    Call,
    MessageRecord,
    UploadedFile,
)

pytestmark = pytest.mark.asyncio

ADMIN_ID = 900_000_007
SECOND = "654321:BBHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
SECOND_BOT = BotInfo(id=654321, username="exempt_mirror_bot", first_name="Mirror")
# A sendDocument by file_id: the id, the caption and a few flags; far below one upload.
BY_ID_MAX_BYTES = 2_000


@pytest.fixture
async def bot(api: BotAPIStandIn, rules_copy: Path) -> AsyncIterator[list[Any]]:
    env = bot_env(api, BOT_ADMIN_IDS=str(ADMIN_ID), RULES_PATH=str(rules_copy))
    async with running_bot(api, env) as apps:
        yield apps


def sends(api: BotAPIStandIn, token: str | None = None) -> list[Call]:
    return api.calls(token, "sendDocument")


def uploads(api: BotAPIStandIn, token: str | None = None) -> list[UploadedFile]:
    return [u for call in sends(api, token) for u in call.uploads]


def documents(api: BotAPIStandIn, chat_id: int, token: str | None = None) -> list[MessageRecord]:
    return [m for m in api.chat(chat_id, token).bot_messages if m.kind == "document"]


def page_in(api: BotAPIStandIn, message: MessageRecord, token: str | None = None) -> str:
    doc = message.content["document"]
    assert doc["file_name"] == DEFAULT_NAME
    return api.file(doc["file_id"], token).content.decode("utf-8")


def version_of(html: str) -> str:
    found = re.search(r'"version":"([^"]+)"', html)
    assert found is not None
    return found.group(1)


def lang_of(html: str) -> str:
    found = re.search(r'<html lang="(\w+)">', html)
    assert found is not None
    return found.group(1)


async def wait_documents(api: BotAPIStandIn, chat_id: int, token: str, count: int) -> None:
    await api.wait_for(lambda: len(documents(api, chat_id, token)) >= count, timeout=15)


def runtime(apps: list[Any], index: int = 0) -> Runtime:
    rt: Runtime = apps[index].bot_data["runtime"]
    return rt


async def test_many_presses_in_one_chat_and_across_chats_upload_each_language_once(
    api: BotAPIStandIn, bot: list[Any]
) -> None:
    people = TelegramClient(api)
    ivan = Person(api, people, "Ivan", language_code="ru")
    for _ in range(3):
        await ivan.say("/offline")
    others = [Person(api, people, f"P{n}", language_code=("en" if n % 2 else "ru"))
              for n in range(4)]
    for p in others:
        await p.say("/offline")
    await others[1].say("/offline")
    # The greeting's button sends the same page (by the same id).
    await ivan.say("/start")
    await ivan.press(next(b for b in ivan.buttons() if b.startswith("📄")))

    up = uploads(api)
    assert sorted(lang_of(u.content.decode()) for u in up) == ["en", "ru"]
    pages = {lang_of(u.content.decode()): u.content for u in up}
    for p in [ivan, *others]:
        for sent in documents(api, p.chat.id):
            html = page_in(api, sent)
            assert html.encode() == pages[p.user.language_code or "ru"]
    assert len(documents(api, ivan.chat.id)) == 4
    calls = sends(api)
    assert len(calls) == 4 + 4 + 1 and all(c.ok for c in calls)
    by_id = [c for c in calls if not c.uploads]
    assert len(by_id) == len(calls) - 2
    assert all(isinstance(c.params["document"], str) for c in by_id)
    assert max(c.body_size for c in by_id) < BY_ID_MAX_BYTES
    # On the wire: the two pages once, then a few hundred bytes a press.
    on_wire = sum(c.body_size for c in calls)
    assert sum(map(len, pages.values())) < on_wire < sum(map(len, pages.values())) + \
        len(by_id) * BY_ID_MAX_BYTES
    # What is kept names the account and the content, nothing about who asked.
    slots = runtime(bot).shared.offline.file_ids.slots()
    version = rules.load(runtime(bot).shared.holder.path).version
    assert sorted(slots) == [(DEFAULT_BOT.id, f"offline-page/{version}/{lang}")
                             for lang in ("en", "ru")]
    for p in [ivan, *others]:
        assert all(str(p.user.id) not in key for _, key in slots)


async def test_presses_at_the_same_moment_upload_once(
    api: BotAPIStandIn, bot: list[Any]
) -> None:
    people = TelegramClient(api)
    crowd = [Person(api, people, f"C{n}", language_code="en") for n in range(6)]
    for p in crowd:  # all queued before the bot fetches any: handled concurrently
        people.send_text(p.chat, p.user, "/offline")
    await api.wait_for(lambda: all(documents(api, p.chat.id) for p in crowd), timeout=20)
    assert len(uploads(api)) == 1
    assert all(c.ok for c in sends(api)) and len(sends(api)) == len(crowd)


async def test_a_reload_to_new_rules_uploads_the_new_page_once_and_drops_the_old_ids(
    api: BotAPIStandIn, bot: list[Any], rules_copy: Path
) -> None:
    people = TelegramClient(api)
    admin = Person(api, people, "Admin", language_code="en")
    admin.user = people.user("Admin", language_code="en", user_id=ADMIN_ID)
    admin.chat = people.private_chat(admin.user)
    p = Person(api, people, language_code="en")
    await p.say("/offline")
    old_version = version_of(uploads(api)[0].content.decode())
    # A reload that changes nothing keeps the page's id.
    await admin.say("/reload")
    await p.say("/offline")
    assert len(uploads(api)) == 1

    grounds = rules_copy / "grounds.yaml"
    old_title = rules.load(rules_copy).ground_by_id["unfit"].ground.title.en
    grounds.write_text(grounds.read_text("utf-8").replace(old_title, "Unfit (category D)"), "utf-8")
    await admin.say("/reload")
    new_version = rules.load(rules_copy).version
    assert new_version != old_version
    for _ in range(3):
        await p.say("/offline")
    up = uploads(api)
    assert len(up) == 2
    assert version_of(up[1].content.decode()) == new_version
    assert "Unfit (category D)" in up[1].content.decode()
    for sent in documents(api, p.chat.id)[2:]:
        assert version_of(page_in(api, sent)) == new_version
    assert runtime(bot).shared.offline.file_ids.slots() == [
        (DEFAULT_BOT.id, f"offline-page/{new_version}/en")]


async def test_a_file_id_telegram_refuses_is_replaced_by_one_upload(
    api: BotAPIStandIn, bot: list[Any]
) -> None:
    p = Person(api, TelegramClient(api), language_code="ru")
    await p.say("/offline")
    first = documents(api, p.chat.id)[0].content["document"]["file_id"]
    api.forget_file(first)
    await p.say("/offline")
    refused, fallback = sends(api)[1:]
    assert refused.params["document"] == first
    assert (refused.error_code, refused.description) == (400, WRONG_FILE_ID_OR_URL)
    assert fallback.ok and len(fallback.uploads) == 1
    second = documents(api, p.chat.id)[1].content["document"]["file_id"]
    assert second != first and lang_of(page_in(api, documents(api, p.chat.id)[1])) == "ru"
    await p.say("/offline")
    last = sends(api)[-1]
    assert last.ok and last.params["document"] == second
    assert len(uploads(api)) == 2 and len(documents(api, p.chat.id)) == 3


async def test_each_bot_account_uploads_once_and_uses_only_its_own_ids(
    rules_copy: Path,
) -> None:
    with BotAPIStandIn(tokens={DEFAULT_TOKEN: DEFAULT_BOT, SECOND: SECOND_BOT}) as api:
        env = bot_env(api, TELEGRAM_BOT_TOKEN=f"{DEFAULT_TOKEN},{SECOND}",
                      RULES_PATH=str(rules_copy))
        async with running_bot(api, env) as apps:
            assert len(apps) == 2
            for token in (DEFAULT_TOKEN, SECOND):
                people = TelegramClient(api, token)
                for n in range(2):
                    user = people.user(f"U{n}", language_code="ru")
                    chat = people.private_chat(user)
                    for k in range(1, 3):
                        people.send_text(chat, user, "/offline")
                        await wait_documents(api, chat.id, token, k)
            for token in (DEFAULT_TOKEN, SECOND):
                calls = sends(api, token)
                assert len(calls) == 4 and all(c.ok for c in calls)
                assert len(uploads(api, token)) == 1
                own = calls[0].result["document"]["file_id"]
                assert [c.params["document"] for c in calls[1:]] == [own] * 3
            assert sends(api, DEFAULT_TOKEN)[1].params["document"] != \
                sends(api, SECOND)[1].params["document"]


async def test_identical_documents_share_one_upload_within_a_small_bounded_cache(
    api: BotAPIStandIn,
) -> None:
    people = TelegramClient(api)
    chats = [people.private_chat(people.user(f"D{n}")).id for n in range(2)]
    ids = FileIds(cap=2)
    pdf_a, pdf_b, pdf_c = (b"%PDF-1.4 request " + bytes([n]) * 5000 for n in range(3))
    async with Bot(DEFAULT_TOKEN, base_url=api.base_url,
                   base_file_url=api.base_file_url) as direct:
        async def send(content: bytes, chat_id: int) -> str:
            message = await send_document(direct, ids, chat_id, Document.of(content, "r.pdf"),
                                          caption="x")
            assert message.document is not None
            assert api.file(message.document.file_id).content == content
            return message.document.file_id

        first = await send(pdf_a, chats[0])
        assert await send(bytes(pdf_a), chats[1]) == first  # equal bytes: equal key, no upload
        assert len(uploads(api)) == 1
        await send(pdf_b, chats[0])
        await send(pdf_c, chats[0])  # a third document: the least recently used one goes
        assert len(ids) == 2 and (direct.id, content_key(pdf_a)) not in ids.slots()
        await send(pdf_a, chats[1])
        assert [u.content for u in uploads(api)] == [pdf_a, pdf_b, pdf_c, pdf_a]
        # Two presses at once for a new document: one upload, both get it.
        pdf_d = b"%PDF-1.4 another" * 100
        await asyncio.gather(send(pdf_d, chats[0]), send(pdf_d, chats[1]))
        assert [u.content for u in uploads(api)][-1] == pdf_d and len(uploads(api)) == 5
        assert all(c.ok for c in sends(api))
