"""Rules files sent by an admin (issue 9, items 3 and 4): checked, installed and reloaded under one
lock; each bad file is refused naming file, line and field while the bot keeps serving; a link in
RULES_PATH is never followed; a reload that fails after the check puts the old file back."""

from __future__ import annotations

import gc
import weakref
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import rules
from bot.reload import check_upload, install_and_reload, reload, settle_heap
from bot.runtime import RulesHolder
from rules.textcheck import MESSAGE_MAX
from tests.bot_harness import Person, bot_env, running_bot, settle
from tests.botapi import BotAPIStandIn, TelegramClient
from tests.botapi.server import utf16_len as visible_length

pytestmark = pytest.mark.asyncio
ADMIN_ID = 900_000_002

A_TEST = """tests:
  - name: "{name}"
    as_of: 2022-10-10
    facts: {{sex: male, birth_date: "1992-05-01", citizen: true, military_status: reserve,
            rank: soldier, fitness: D}}
    expect: {{outcome: not_subject, applies: [unfit]}}
"""


@pytest.fixture
async def bot(api: BotAPIStandIn, rules_copy: Path) -> AsyncIterator[list[object]]:
    env = bot_env(api, BOT_ADMIN_IDS=str(ADMIN_ID), RULES_PATH=str(rules_copy),
                  BOT_DEFAULT_LANGUAGE="en")
    async with running_bot(api, env) as apps:
        yield apps


class Admin:
    def __init__(self, api: BotAPIStandIn) -> None:
        self.api = api
        self.people = TelegramClient(api)
        self.user = self.people.user("Admin", language_code="en", user_id=ADMIN_ID)
        self.chat = self.people.private_chat(self.user)

    def replies(self) -> list[str]:
        return [m.text or "" for m in self.api.chat(self.chat.id).bot_messages]

    async def reload(self) -> str:
        """/reload; the replies it got."""
        before = len(self.replies())
        self.people.send_text(self.chat, self.user, "/reload")
        await self.api.wait_for(lambda: len(self.replies()) > before, timeout=30)
        await settle(self.api)
        return "\n".join(self.replies()[before:])

    async def send(self, *files: tuple[str, bytes]) -> str:
        """Send the files at once (no waiting in between); the replies they got."""
        before = len(self.replies())
        for name, data in files:
            self.people.send_document(self.chat, self.user, name, data)
        await self.api.wait_for(lambda: len(self.replies()) >= before + len(files), timeout=60)
        await settle(self.api)
        return "\n".join(self.replies()[before:])


async def serves(api: BotAPIStandIn, version: str) -> None:
    """Another person is answered, on the rules `version`."""
    p = Person(api, TelegramClient(api), language_code="en")
    await p.say("/about")
    assert version in p.text()


async def test_two_files_sent_together_leave_a_valid_directory(
        api: BotAPIStandIn, bot: list[object], rules_copy: Path) -> None:
    # Each file is valid alone; together they hold two tests of one name.
    admin = Admin(api)
    one = A_TEST.format(name="Unfit, sent twice").encode()
    replies = await admin.send(("upload_a.yaml", one), ("upload_b.yaml", one))
    installed = [n for n in ("upload_a.yaml", "upload_b.yaml")
                 if (rules_copy / "tests" / n).exists()]
    assert len(installed) == 1, replies
    rs = rules.load(rules_copy)  # the directory on disk is valid: a restart would start
    assert replies.count("Rules reloaded") == 1
    assert "duplicate test name" in replies and "nothing was changed" in replies
    await serves(api, rs.version)


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*.yaml")}


def band(text: str, old: str, new: str) -> bytes:
    assert old in text
    return text.replace(old, new, 1).encode()


async def test_each_bad_rules_file_is_refused_naming_file_line_and_field(
        api: BotAPIStandIn, bot: list[object], rules_copy: Path) -> None:
    admin = Admin(api)
    questions = (rules_copy / "questions.yaml").read_text("utf-8")
    limits = (rules_copy / "age_limits.yaml").read_text("utf-8")
    under = 'under: {ru: "Младше {hi}", en: "Under {hi}"}'
    age_index = next(i for i, q in enumerate(rules.load(rules_copy, run_tests=False).questions)
                     if q.kind == "age")
    long_question = 'ru: "О ком вы спрашиваете?"'
    cases = [
        ("questions.yaml", band(questions, under, under.replace("Under {hi}", "Under {oops}")),
         f"questions[{age_index}].bands.under.en: unknown format field {{oops}}"),
        ("questions.yaml", band(questions, under, under.replace("{hi}\"}", "{hi:>200000000}\"}")),
         f"questions[{age_index}].bands.under.en: format field {{hi}} may not have a format"),
        ("questions.yaml", band(questions, long_question, f'ru: "{"а" * 6000}"'),
         "questions[0].text.ru: 6000 characters"),
        ("age_limits.yaml", band(limits, "limit: 50}", "limit: " + "9" * 4300 + "}"),
         "limit: the number"),
        ("deep.yaml", b"tests:\n  - name: deep\n    facts: " + b"[" * 600 + b"]" * 600 + b"\n",
         "tests/deep.yaml:3: tests[0].facts"),
    ]
    before = snapshot(rules_copy)
    version = rules.load(rules_copy).version
    for name, data, complaint in cases:
        reply = await admin.send((name, data))
        assert "nothing was changed" in reply, reply[:300]
        assert complaint in reply, reply[:600]
        file = name if name != "deep.yaml" else "tests/deep.yaml"
        assert f"{file}:" in reply  # file:line: field: message
        await serves(api, version)
    assert snapshot(rules_copy) == before


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` (a temporary file left behind would show too)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


# (name sent, bytes, file as the answer names it, line it must name, what it must say)
MALFORMED: list[tuple[str, bytes, str, int, str]] = [
    ("grounds.yaml", b"a: *\n b: [\n", "grounds.yaml", 1, "while scanning an alias"),
    ("upload_alias.yaml", b"tests:\n  - name: &a x\n  - name: *a\n    facts: [\n",
     "tests/upload_alias.yaml", 5, "not valid YAML"),
    ("upload_anchor.yaml", b"tests:\n  - name: &\n", "tests/upload_anchor.yaml", 2,
     "while scanning an anchor"),
    ("upload_shared.yaml", b"tests:\n  - &t {name: x}\n  - *t\n", "tests/upload_shared.yaml", 3,
     "YAML aliases are not allowed"),
    ("upload_tab.yaml", b"tests:\n\t- name: x\n", "tests/upload_tab.yaml", 2, "tab"),
    ("upload_flow.yaml", b"tests: [\n  {name: x,\n", "tests/upload_flow.yaml", 3,
     "not valid YAML"),
    ("upload_map.yaml", b"tests:\n  - {name: x\n", "tests/upload_map.yaml", 3, "not valid YAML"),
    ("upload_escape.yaml", b'tests:\n  - name: "bad \\q escape"\n', "tests/upload_escape.yaml", 2,
     "unknown escape character"),
    ("upload_utf16.yaml", "tests:\n  - name: x\n".encode("utf-16"), "tests/upload_utf16.yaml", 1,
     "not UTF-8 text but UTF-16"),
    ("upload_bom.yaml", b"\xef\xbb\xbftests:\n  - {name: x\n", "tests/upload_bom.yaml", 3,
     "not valid YAML"),
    ("upload_binary.yaml", bytes(range(256)) * 4, "tests/upload_binary.yaml", 2, "not UTF-8 text"),
    ("upload_control.yaml", b"tests:\n  - name: \x00\x01\x02\n", "tests/upload_control.yaml", 2,
     "character U+0000 is not allowed"),
    ("upload_surrogate.yaml", b"tests:\n  - name: \xed\xa0\x80\n", "tests/upload_surrogate.yaml",
     2, "not UTF-8 text"),
    ("upload_empty.yaml", b"\n", "tests/upload_empty.yaml", 1, "the file is empty"),
    ("resources.yaml", b"# nothing but a comment\n", "resources.yaml", 1, "the file is empty"),
]


async def test_every_malformed_yaml_file_is_answered_with_file_and_line(
        api: BotAPIStandIn, bot: list[object], rules_copy: Path) -> None:
    """Issue 17: whatever the YAML parser raises, an admin's file is answered with file, line and
    what is wrong, fetched from Telegram as a real document; nothing changes."""
    admin = Admin(api)
    before = tree(rules_copy)
    version = rules.load(rules_copy).version
    for name, data, file, line, what in MALFORMED:
        downloads = len(api.downloads())
        reply = await admin.send((name, data))
        assert "nothing was changed" in reply, (name, reply[:300])
        assert f"{file}:{line}: " in reply and what in reply, (name, reply[:600])
        # Fetched the way Telegram serves a document: getFile, then GET on the file server.
        assert [d.status for d in api.downloads()[downloads:]] == [200], name
        assert tree(rules_copy) == before, name
    everything = "\n".join(admin.replies())
    assert "something went wrong" not in everything
    assert len(api.calls(method="getFile")) == len(MALFORMED)
    await serves(api, version)
    # The same files put on disk by hand: /reload (and SIGHUP, which calls the same reload)
    # names them the same way and keeps the rules in force.
    for _, data, file, line, what in MALFORMED[:2] + MALFORMED[8:13]:
        path = rules_copy / file
        path.write_bytes(data)
        reply = await admin.reload()
        assert "not reloaded" in reply and f"{file}:{line}: " in reply and what in reply, reply
        if file in before:
            path.write_bytes(before[file])
        else:
            path.unlink()
    assert tree(rules_copy) == before
    assert "something went wrong" not in "\n".join(admin.replies())
    await serves(api, version)


async def test_a_symbolic_link_in_rules_path_is_never_followed(
        api: BotAPIStandIn, bot: list[object], rules_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(A_TEST.format(name="From outside"), "utf-8")
    (rules_copy / "tests" / "linked.yaml").symlink_to(outside)
    admin = Admin(api)
    version = rules.load(rules.DEFAULT_RULES_DIR).version
    reply = await admin.send(("upload_a.yaml", A_TEST.format(name="New").encode()))
    assert "symbolic link" in reply and "Nothing was changed" in reply
    assert not (rules_copy / "tests" / "upload_a.yaml").exists()
    people_before = len(admin.replies())
    admin.people.send_text(admin.chat, admin.user, "/reload")
    await api.wait_for(lambda: len(admin.replies()) > people_before, timeout=30)
    await settle(api)
    reply = "\n".join(admin.replies()[people_before:])
    assert "not reloaded" in reply
    assert "tests/linked.yaml: not a plain file: symbolic links" in reply
    await serves(api, version)


async def test_a_reload_that_fails_after_the_check_puts_the_old_file_back(
        rules_copy: Path) -> None:
    holder = RulesHolder(rules.load(rules_copy), rules_copy)
    resources = rules_copy / "resources.yaml"
    original = resources.read_bytes()
    new = original.replace(b"\n", b"\n", 1) + b"\n# reviewed\n"
    target = check_upload(holder, "resources.yaml", new)
    # Meanwhile someone breaks another file on disk.
    grounds = rules_copy / "grounds.yaml"
    good_grounds = grounds.read_bytes()
    grounds.write_bytes(good_grounds + b"\nbogus: [\n")
    old = holder.current
    result = await install_and_reload(holder, target, new)
    assert not result.ok and result.rolled_back
    assert any("grounds.yaml:" in e for e in result.errors)
    assert resources.read_bytes() == original
    assert holder.current is old
    # A new test file that fails is removed, not left behind.
    grounds.write_bytes(good_grounds)
    added = check_upload(holder, "upload_c.yaml", A_TEST.format(name="C").encode())
    grounds.write_bytes(good_grounds + b"\nbogus: [\n")
    result = await install_and_reload(holder, added, A_TEST.format(name="C").encode())
    assert result.rolled_back and not added.exists()


async def test_texts_at_the_limits_fit_one_message(api: BotAPIStandIn, rules_copy: Path) -> None:
    """The limits leave room for the bot's own lines: a question whose texts take the whole
    screen budget is still one message within Telegram's 4,096 characters."""
    path = rules_copy / "questions.yaml"
    text = path.read_text("utf-8")
    rs = rules.load(rules_copy, run_tests=False)
    sex = rs.questions[0]
    labels = sum(len(o.label.en) for o in sex.options)
    room = 3000 - labels  # SCREEN_MAX less the option labels counted with the question
    assert sex.help is not None
    text = text.replace(f'en: "{sex.text.en}"', f'en: "{"Q" * (room // 2)}"', 1)
    text = text.replace(f'en: "{sex.help.en}"', f'en: "{"h" * (room - room // 2)}"', 1)
    path.write_text(text, "utf-8")
    rules.load(rules_copy)  # at the limit, and valid
    env = bot_env(api, RULES_PATH=str(rules_copy), BOT_DEFAULT_LANGUAGE="en")
    async with running_bot(api, env):
        p = Person(api, TelegramClient(api), language_code="en")
        await p.say("/check")
        shown = p.text()
        assert "Q" * (room // 2) in shown
        assert 3000 - labels < visible_length(shown) <= MESSAGE_MAX


async def test_a_reload_lets_the_replaced_rule_base_go(rules_copy: Path) -> None:
    """The served heap is kept out of the garbage collector's scans (freeze_served, at start); a
    reload must still free the rule base it replaced, cycles and all."""
    holder = RulesHolder(rules.load(rules_copy), rules_copy)
    settle_heap()
    try:
        replaced = weakref.ref(holder.current)
        assert gc.get_freeze_count() > 0
        result = await reload(holder)
        assert result.ok
        assert replaced() is None
        assert gc.get_freeze_count() > 0  # and the new one is settled in its place
    finally:
        gc.unfreeze()  # the rest of this test process collects as usual
