"""Issue 17: idle connections from one address cannot starve the webhook.

A flood holds 300 idle connections from 127.0.0.1 and reopens every one the bot closes, once a
second; meanwhile Telegram's deliveries (with the secret, from 127.0.0.2: loopback answers all of
127/8) are answered within 1 s each, the health check answers, idle sockets are closed within the
header timeout, and the bot's descriptors and memory stay bounded. With WEBHOOK_PEERS=telegram a
peer outside Telegram's ranges is reset before a byte is read.
"""

from __future__ import annotations

import contextlib
import json
import select
import socket
import threading
import time
from pathlib import Path

import pytest

from bot.webhook import HEADER_TIMEOUT
from bot.webhook_gate import SHARE_SLACK, Gate, address_key, from_telegram
from tests.botapi import DEFAULT_TOKEN, BotAPIStandIn, TelegramClient
from tests.test_bot_interview import RS
from tests.test_webhook_and_mirrors import SECRET, free_port, start, stop, wait_serving

SHARE = 40 + SHARE_SLACK  # WEBHOOK_MAX_CONNECTIONS' default, one bot account
MARGIN = 12  # descriptors beyond the share: deliveries in flight, the bot's own HTTP pool


def request(port: int, source: str, head: bytes, body: bytes = b"") -> tuple[int | None, float]:
    """One HTTP request from `source`; (status or None when reset or closed unanswered, seconds)."""
    began = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5,
                                      source_address=(source, 0)) as s:
            s.sendall(head + b"Content-Length: " + str(len(body)).encode()
                      + b"\r\nConnection: close\r\n\r\n" + body)
            reply = b""
            while b"\r\n" not in reply:
                chunk = s.recv(4096)
                if not chunk:
                    break
                reply += chunk
    except OSError:
        return None, time.monotonic() - began
    status = int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/") else None
    return status, time.monotonic() - began


def deliver(port: int, update: dict[str, object], source: str = "127.0.0.2") -> tuple[
        int | None, float]:
    head = (b"POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"X-Telegram-Bot-Api-Secret-Token: " + SECRET.encode() + b"\r\n")
    return request(port, source, head, json.dumps(update).encode())


def health(port: int, source: str) -> tuple[int | None, float]:
    return request(port, source, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")


def check_update(update_id: int, chat_id: int, user_id: int) -> dict[str, object]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private"},
        "from": {"id": user_id, "is_bot": False, "first_name": "U", "language_code": "en"},
        "text": "/check", "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}


class Flood(threading.Thread):
    """`count` idle connections from `source`; every second each one the server closed (or
    refused) is reopened. Records how long each closed one had lived."""

    def __init__(self, port: int, count: int = 300, source: str = "127.0.0.1") -> None:
        super().__init__(daemon=True)
        self.port, self.source = port, source
        self.stop = threading.Event()
        self.lifetimes: list[float] = []
        self.opened = 0
        self.socks = [self._open() for _ in range(count)]

    def _open(self) -> tuple[socket.socket, float]:
        s = socket.socket()
        s.setblocking(False)
        s.bind((self.source, 0))
        s.connect_ex(("127.0.0.1", self.port))
        self.opened += 1
        return s, time.monotonic()

    @staticmethod
    def _closed(s: socket.socket) -> bool:
        readable, _, _ = select.select([s], [], [], 0)
        if not readable:
            return False
        try:
            return s.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    def run(self) -> None:
        while not self.stop.wait(1.0):
            for i, (s, since) in enumerate(self.socks):
                if self._closed(s):
                    self.lifetimes.append(time.monotonic() - since)
                    s.close()
                    self.socks[i] = self._open()

    def close(self) -> None:
        self.stop.set()
        self.join(timeout=10)
        for s, _ in self.socks:
            s.close()


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def descriptors(pid: int) -> int:
    return sum(1 for _ in Path(f"/proc/{pid}/fd").iterdir())


def held_descriptors(pid: int) -> int:
    """The descriptors the bot holds between the flood's rounds: the fewest seen over one round
    (each second the flood reopens some 250 refused sockets at once, and a busy machine may be
    sampled while the bot is still accepting and closing them; what it keeps is what counts)."""
    fewest = descriptors(pid)
    until = time.monotonic() + 1.2
    while time.monotonic() < until:
        time.sleep(0.05)
        fewest = min(fewest, descriptors(pid))
    return fewest


@pytest.mark.asyncio
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
async def test_idle_connections_from_one_address_do_not_starve_telegram(
        api: BotAPIStandIn) -> None:
    port = free_port()
    proc = start(api, port, DEFAULT_TOKEN, WEBHOOK_PEERS="any")
    people = TelegramClient(api)
    users = [people.user(f"U{n}", language_code="en") for n in range(12)]
    chats = [people.private_chat(u) for u in users]
    flood: Flood | None = None
    try:
        wait_serving(port)
        status, _ = deliver(port, check_update(7000, chats[0].id, users[0].id))  # warm up
        assert status == 200
        await api.wait_for(lambda: api.last_bot_message(chats[0].id) is not None, timeout=10)
        rss_before, fds_before = rss_kib(proc.pid), descriptors(proc.pid)

        flood = Flood(port)
        flood.start()
        time.sleep(0.5)
        # The flood got the address's share and no more (the rest of the margin: the bot's own
        # pooled connections to the Bot API, which may grow while it answers).
        assert held_descriptors(proc.pid) <= fds_before + SHARE + MARGIN
        latencies: list[float] = []
        began = time.monotonic()
        for n, (user, chat) in enumerate(zip(users[1:], chats[1:], strict=True), start=1):
            status, seconds = deliver(port, check_update(7000 + n, chat.id, user.id))
            assert status == 200, f"delivery {n} got {status}"
            assert seconds < 1.0, f"delivery {n} took {seconds:.2f} s"
            latencies.append(seconds)
            for source in ("127.0.0.2", "127.0.0.3"):
                status, seconds = health(port, source)
                assert status == 200 and seconds < 1.0, (source, status, seconds)
            time.sleep(max(0.0, began + 0.6 * n - time.monotonic()))  # across two idle timeouts
        await api.wait_for(lambda: all(api.last_bot_message(c.id) for c in chats), timeout=10)
        for chat in chats:
            msg = api.last_bot_message(chat.id)
            assert msg is not None and RS.question_by_id["sex"].text.en in (msg.text or "")
        while time.monotonic() < began + HEADER_TIMEOUT + 2.5:
            time.sleep(0.2)
        assert held_descriptors(proc.pid) <= fds_before + SHARE + MARGIN
        rss_after = rss_kib(proc.pid)
        lifetimes = list(flood.lifetimes)
        opened = flood.opened
    finally:
        if flood is not None:
            flood.close()
        code, err = stop(proc)
    assert code == 0, err
    # Idle sockets the bot admitted were closed after the header timeout (seen within the
    # flood's 1 s rounds), and never later; the rest were refused on accept.
    admitted = [t for t in lifetimes if t > HEADER_TIMEOUT - 1]
    assert admitted and max(lifetimes) < HEADER_TIMEOUT + 2.0, sorted(lifetimes)[-5:]
    assert opened > 600  # the flood kept reconnecting throughout
    # Memory stays bounded: the gate holds one counter per connected address.
    assert rss_after - rss_before < 20 * 1024, (rss_before, rss_after)
    print(f"\ndeliveries: max {max(latencies) * 1000:.0f} ms; flood opened {opened} connections;"
          f" RSS {rss_before} -> {rss_after} KiB")


def outside_address() -> str | None:
    """An address of this machine outside loopback and Telegram's ranges, if it has one."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing address
        host = str(s.getsockname()[0])
        if not host.startswith("127.") and not from_telegram(host):
            return host
    return None


@pytest.mark.asyncio
async def test_only_telegram_ranges_are_let_in_when_configured(api: BotAPIStandIn) -> None:
    port = free_port()
    proc = start(api, port, DEFAULT_TOKEN, WEBHOOK_PEERS="telegram",
                 WEBHOOK_LISTEN=f"0.0.0.0:{port}")
    try:
        wait_serving(port)  # loopback: a local health check is let in
        outside = outside_address()
        if outside is not None:
            sends = len(api.calls(method="sendMessage"))
            people = TelegramClient(api)
            user = people.user("X", language_code="en")
            chat = people.private_chat(user)
            status, _ = deliver(port, check_update(8000, chat.id, user.id), source=outside)
            assert status is None  # reset on accept: not a byte of the request was read
            time.sleep(0.3)
            assert len(api.calls(method="sendMessage")) == sends
            assert health(port, outside)[0] is None
        status, _ = deliver(port, check_update(8001, 1, 1), source="127.0.0.2")
        assert status is not None  # loopback gets through the range filter
    finally:
        code, err = stop(proc)
    assert code == 0, err
    if outside is None:
        pytest.skip("no non-loopback address to connect from; the filter was checked by unit")


def test_the_gate_counts_per_address_and_filters_ranges() -> None:
    gate = Gate(total=5, per_address=2, telegram_only=True)
    assert gate.admit("10.0.0.1") is None and gate.admit("2001:db8::1") is None
    a = [gate.admit("149.154.167.99"), gate.admit("::ffff:149.154.167.99")]
    assert a == ["149.154.167.99"] * 2
    assert gate.admit("149.154.167.99") is None  # its share is used up
    assert gate.admit("91.108.4.1") == "91.108.4.1" and gate.admit("127.0.0.1") == "127.0.0.1"
    assert gate.admit("91.108.7.255") == "91.108.7.255"
    assert gate.admit("91.108.5.5") is None  # the cap of 5
    gate.release("149.154.167.99")
    assert gate.admit("149.154.160.0") == "149.154.160.0"
    for key in ("149.154.167.99", "91.108.4.1", "127.0.0.1", "91.108.7.255", "149.154.160.0"):
        gate.release(key)
    assert gate.count == 0 and gate.held == {}  # nothing kept for addresses gone
    assert not from_telegram("149.154.176.1") and not from_telegram("91.108.8.1")
    # One IPv6 machine holds a /64: its addresses share one share.
    assert address_key("2001:db8:1:2::5") == address_key("2001:db8:1:2:ffff::9")
    assert address_key("2001:db8:1:3::5") != address_key("2001:db8:1:2::5")
