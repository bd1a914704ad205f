"""Who may hold a connection to the webhook, decided on connect, before a byte is read.

Telegram delivers a bot's updates over at most `max_connections` connections at once (setWebhook;
the project registers `WEBHOOK_MAX_CONNECTIONS`). So one address never needs more than that many
per bot account; an address holding more is not Telegram, and letting it would let one machine fill
the whole connection cap with idle sockets. Each address (an IPv6 /64, which one machine gets
whole) therefore gets a share of the cap; beyond it, and beyond the cap, a connection is closed on
accept. Optionally only Telegram's published webhook source ranges (and loopback, for a local
health check) are let in.

Both look at the TCP peer. Behind a reverse proxy the peer is the proxy, for Telegram and attacker
alike: a share would throttle the proxy and the range filter would refuse it, so neither applies
there (`WEBHOOK_PEERS=proxy`) and the proxy's own limits must do this work (docs/webhook-hardening.md).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

# "the ranges 149.154.160.0/20 and 91.108.4.0/22" (core.telegram.org/bots/webhooks); Telegram
# delivers webhooks over IPv4 only.
TELEGRAM_RANGES = (ipaddress.ip_network("149.154.160.0/20"),
                   ipaddress.ip_network("91.108.4.0/22"))
SHARE_SLACK = 8  # beyond Telegram's own connections: a health check, a reconnect racing a close
REPORT_EVERY = 60.0  # seconds between log lines about refused connections


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        addr = ipaddress.ip_address(host.split("%", 1)[0])  # drop an IPv6 zone
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


def from_telegram(host: str) -> bool:
    """Whether `host` is in Telegram's published webhook source ranges."""
    addr = _address(host)
    return isinstance(addr, ipaddress.IPv4Address) and any(addr in net for net in TELEGRAM_RANGES)


def local(host: str) -> bool:
    """A loopback peer: a process on this machine (a health check), never someone remote."""
    addr = _address(host)
    return addr is not None and addr.is_loopback


def address_key(host: str) -> str:
    """What one share is counted by: the IPv4 address, or the IPv6 /64 around the address."""
    addr = _address(host)
    if isinstance(addr, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((addr, 64), strict=False))
    return str(addr) if addr is not None else host


@dataclass
class Gate:
    """Counts the connections held, in all and per address, and admits or refuses new ones.

    `per_address` None: no share (behind a proxy). `telegram_only`: refuse everything outside
    TELEGRAM_RANGES but this machine's own loopback (a local health check)."""

    total: int
    per_address: int | None
    telegram_only: bool = False
    held: dict[str, int] = field(default_factory=dict)
    count: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    _reported: float = 0.0

    def admit(self, host: str) -> str | None:
        """The key the connection is counted under, or None when it is refused."""
        key = address_key(host)
        outside = self.telegram_only and not (from_telegram(host) or local(host))
        why = ("outside Telegram's ranges" if outside
               else "over the connection cap" if self.count >= self.total
               else "over one address's share"
               if self.per_address is not None and self.held.get(key, 0) >= self.per_address
               else None)
        if why is not None:
            self._refuse(why)
            return None
        self.held[key] = self.held.get(key, 0) + 1
        self.count += 1
        return key

    def release(self, key: str) -> None:
        self.count -= 1
        left = self.held[key] - 1
        if left:
            self.held[key] = left
        else:
            del self.held[key]  # the table holds only the addresses connected now

    def _refuse(self, why: str) -> None:
        self.refused[why] = self.refused.get(why, 0) + 1
        now = time.monotonic()
        if now - self._reported >= REPORT_EVERY:  # one line a minute at most, never an address
            self._reported = now
            log.warning("webhook: connections closed on accept in the last minute: %s",
                        ", ".join(f"{n} {reason}" for reason, n in sorted(self.refused.items())))
            self.refused.clear()

    def factory(self, make: Callable[[], asyncio.Protocol]) -> Callable[[], asyncio.Protocol]:
        """A protocol factory for `loop.create_server`: each connection goes through the gate,
        and only an admitted one gets a protocol from `make` (aiohttp's request handler)."""
        return lambda: _Gated(self, make)


class _Gated(asyncio.Protocol):
    """Decides in connection_made, before any data is read; then hands everything to the
    protocol `make` builds. A refused connection is reset (no HTTP answer, no parsing)."""

    def __init__(self, gate: Gate, make: Callable[[], asyncio.Protocol]) -> None:
        self.gate = gate
        self.make = make
        self.inner: asyncio.Protocol | None = None
        self.key: str | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        peer = transport.get_extra_info("peername")
        host = str(peer[0]) if isinstance(peer, tuple) and peer else ""
        self.key = self.gate.admit(host)
        if self.key is None:
            if isinstance(transport, asyncio.Transport):
                transport.abort()
            else:
                transport.close()
            return
        self.inner = self.make()
        self.inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self.inner is not None:
            self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received() if self.inner is not None else None

    def connection_lost(self, exc: Exception | None) -> None:
        if self.key is not None:
            self.gate.release(self.key)
            self.key = None
        if self.inner is not None:
            self.inner.connection_lost(exc)

    def pause_writing(self) -> None:
        if self.inner is not None:
            self.inner.pause_writing()

    def resume_writing(self) -> None:
        if self.inner is not None:
            self.inner.resume_writing()
