"""The webhook under abuse (issue 9, item 5): what it cannot parse gets 400 (Telegram retries
500s), and 1,100 slow connections against a process limited to 1,024 descriptors do not take it
down: the health check answers once they close, and Telegram's deliveries go through."""

from __future__ import annotations

import contextlib
import resource
import socket
import time
import urllib.request

import pytest

from tests.bot_harness import Person
from tests.botapi import DEFAULT_TOKEN, BotAPIStandIn, TelegramClient
from tests.test_bot_interview import RS
from tests.test_webhook_and_mirrors import SECRET, free_port, start, stop, wait_serving

pytestmark = pytest.mark.asyncio


def raw_post(port: int, body: bytes, headers: dict[str, bytes]) -> int:
    """A POST with raw header bytes (urllib refuses non-latin-1 header values)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        head = b"POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        head += b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n"
        for name, value in headers.items():
            head += name.encode() + b": " + value + b"\r\n"
        s.sendall(head + b"\r\n" + body)
        reply = b""
        while b"\r\n" not in reply:
            chunk = s.recv(4096)
            if not chunk:
                break
            reply += chunk
    return int(reply.split(b" ", 2)[1])


async def test_unparsable_headers_and_bodies_get_400(api: BotAPIStandIn) -> None:
    port = free_port()
    proc = start(api, port, DEFAULT_TOKEN)
    secret = SECRET.encode()
    try:
        wait_serving(port)
        for header in (b"\xff\xfe" + secret, "секрет".encode(), secret + b"\xc3", b"a b"):
            assert raw_post(port, b"{}", {"X-Telegram-Bot-Api-Secret-Token": header}) == 400
        for body in (b"[]", b"1", b'"x"', b"null", b"\xff\xfe{}", b"{", b'{"update_id": "x"}',
                     b'{"update_id": 1, "message": 5}', b'{"update_id": 1, "message": []}'):
            status = raw_post(port, body, {"X-Telegram-Bot-Api-Secret-Token": secret})
            assert status == 400, body
        # Still serving: a real delivery goes through.
        p = Person(api, TelegramClient(api), language_code="en")
        await p.say("/check")
        assert RS.question_by_id["sex"].text.en in p.text()
    finally:
        code, err = stop(proc)
    assert code == 0, err
    assert "Traceback" not in err


def limit_descriptors() -> None:
    # As a default systemd unit or shell would: 1,024 descriptors.
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
            return bool(r.status == 200)
    except OSError:
        return False


async def test_1100_slow_connections_do_not_take_the_webhook_down(api: BotAPIStandIn) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard < 1300:
        pytest.skip("this test needs 1,300 descriptors for its own client sockets")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))
    port = free_port()
    proc = start(api, port, DEFAULT_TOKEN, preexec_fn=limit_descriptors)
    held: list[socket.socket] = []
    try:
        wait_serving(port)
        for n in range(1100):
            s = socket.socket()
            s.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                s.connect(("127.0.0.1", port))
            held.append(s)
            if n % 100 == 99:
                time.sleep(0.05)
        time.sleep(0.5)
        for s in held:  # each sends half a request and stalls
            with contextlib.suppress(OSError):
                s.send(b"POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
        time.sleep(1.0)
        assert proc.poll() is None, "the server died"
    finally:
        for s in held:
            s.close()
    try:
        deadline = time.monotonic() + 15
        while not healthy(port):
            assert time.monotonic() < deadline, "the health check never answered again"
            time.sleep(0.2)
        p = Person(api, TelegramClient(api), language_code="en")
        await p.say("/check")
        assert RS.question_by_id["sex"].text.en in p.text()
    finally:
        code, err = stop(proc)
    assert code == 0, err
