"""Webhook mode: register the webhook for every bot account and serve it.

python-telegram-bot's built-in webhook server has one POST route; we need one per bot account
(mirrors), a health check and a constant-time secret check, so this is a small aiohttp server.
A request without the right `X-Telegram-Bot-Api-Secret-Token` gets 403 and is not processed;
what cannot be parsed (a secret header outside Telegram's alphabet, a body that is not a JSON
object or not an update) gets 400, never 500 (Telegram retries 500s).

Slow or idle clients cannot exhaust the process's descriptors nor starve Telegram: connections are
admitted on accept by `webhook_gate.Gate` (a cap on all of them, a share per address unless a
reverse proxy is the peer, optionally only Telegram's source ranges), a connection that has not
sent a complete header within `HEADER_TIMEOUT` of connecting (or of its previous answer) is closed
(aiohttp's keep-alive timer, which also runs before the first request), and a body must arrive
within `BODY_TIMEOUT`. A full update backlog holds a delivery `HOLD_WHEN_FULL`,
then answers 429. On SIGTERM it stops accepting, finishes the updates already accepted and
exits; the webhook stays registered (another worker may serve it).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update

import rules

from .app import ALLOWED_UPDATES
from .config import ConfigError, Settings
from .polling import start_apps, stop_apps, wait_for_signals
from .webhook_gate import SHARE_SLACK, Gate

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024
HOLD_WHEN_FULL = 10.0  # seconds a delivery waits for room in the update backlog
# Telegram opens at most max_connections (WEBHOOK_MAX_CONNECTIONS, 1-100) per bot account; the rest
# of a 1,024-descriptor budget stays free for the Bot API client and the health check.
MAX_CONNECTIONS = 256
# Seconds from connect (or the previous answer) to a complete header. Telegram sends its request
# at once; an idle socket is closed soon, and a reused connection that idles is simply reopened.
HEADER_TIMEOUT = 5.0
BODY_TIMEOUT = 10.0  # seconds to receive the body
# Telegram's secret_token alphabet (setWebhook): anything else cannot be the secret.
_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")


def hook_paths(settings: Settings, bot_ids: list[int]) -> list[str]:
    """With one token the path of WEBHOOK_URL; with several, that path plus /<bot id> each."""
    assert settings.webhook_url is not None
    base = urlsplit(settings.webhook_url).path.rstrip("/") or ""
    if len(settings.telegram_bot_tokens) == 1:
        return [base or "/"]
    return [f"{base}/{bot_id}" for bot_id in bot_ids]


def public_url(settings: Settings, path: str) -> str:
    assert settings.webhook_url is not None
    parts = urlsplit(settings.webhook_url)
    return f"{parts.scheme}://{parts.netloc}{path}"


def parse_update(body: bytes, bot: Any) -> Update | None:
    """The update in a delivery's body; None for anything that is not one."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or type(data.get("update_id")) is not int:
        return None
    try:
        return Update.de_json(data, bot)
    except Exception:  # a malformed nested object: PTB raises whatever its parsing meets
        return None


def gate_for(settings: Settings, bots: int) -> Gate:
    """The connection gate WEBHOOK_PEERS asks for. Telegram may hold max_connections per bot
    account from one address; the cap leaves room for twice that."""
    peers = settings.webhook_peers_effective
    share = settings.webhook_max_connections * bots + SHARE_SLACK
    return Gate(total=max(MAX_CONNECTIONS, 2 * share),
                per_address=None if peers == "proxy" else share,
                telegram_only=peers == "telegram")


def build_server(apps: list[Any], paths: list[str], secret: str) -> web.Application:
    expected = secret.encode()
    server = web.Application(client_max_size=MAX_BODY)
    state = {"accepting": True}
    server["state"] = state

    def handler_for(app: Any) -> Any:
        async def receive(request: web.Request) -> web.Response:
            given = request.headers.get(SECRET_HEADER)
            if given is None:
                return web.Response(status=403)
            if not _SECRET_SHAPE.fullmatch(given):  # non-UTF-8 bytes arrive as surrogates
                return web.Response(status=400)
            if not hmac.compare_digest(given.encode(), expected):
                return web.Response(status=403)
            if not state["accepting"]:
                return web.Response(status=503)
            try:
                async with asyncio.timeout(BODY_TIMEOUT):
                    body = await request.read()
            except TimeoutError:
                return web.Response(status=408)
            update = parse_update(body, app.bot)
            if update is None:
                return web.Response(status=400)
            try:
                # A full backlog holds the request a while (Telegram sends at most
                # max_connections at once), then asks Telegram to retry later.
                async with asyncio.timeout(HOLD_WHEN_FULL):
                    await app.update_queue.put(update)
            except TimeoutError:
                return web.Response(status=429, headers={"Retry-After": "5"})
            return web.Response(status=200)

        return receive

    async def healthz(request: web.Request) -> web.Response:
        return web.Response(status=200 if state["accepting"] else 503, text="ok\n")

    server.router.add_get("/healthz", healthz)
    for app, path in zip(apps, paths, strict=True):
        server.router.add_post(path, handler_for(app))
    return server


async def serve_webhook(settings: Settings, ruleset: rules.RuleSet) -> int:
    if settings.webhook_url is None:
        raise ConfigError("WEBHOOK_URL", "is required in webhook mode")
    if settings.webhook_secret is None:
        raise ConfigError("WEBHOOK_SECRET", "is required in webhook mode")
    secret = settings.webhook_secret.get_secret_value()
    apps = await start_apps(settings, ruleset, force=True, polling=False)
    if not apps:
        log.error("no bot could be started")
        return 1
    paths = hook_paths(settings, [app.bot.id for app in apps])
    for app, path in zip(apps, paths, strict=True):
        await app.bot.set_webhook(url=public_url(settings, path), secret_token=secret,
                                  allowed_updates=ALLOWED_UPDATES,
                                  max_connections=settings.webhook_max_connections)
    server = build_server(apps, paths, secret)
    # keepalive_timeout also closes a connection that never completes its first request.
    runner = web.AppRunner(server, access_log=None,  # access logs would hold who posted
                           keepalive_timeout=HEADER_TIMEOUT)
    await runner.setup()
    assert runner.server is not None
    host, port = settings.webhook_listen
    gate = gate_for(settings, len(apps))
    listener = await asyncio.get_running_loop().create_server(
        gate.factory(runner.server), host, port, reuse_address=True)
    log.warning("serving the webhook on %s:%d (peers: %s; %d connections, %s per address)", host,
                port, settings.webhook_peers_effective, gate.total, gate.per_address or "no share")
    await wait_for_signals(apps)
    # Stop accepting; Application.stop then handles the updates already queued before exiting.
    server["state"]["accepting"] = False
    listener.close()
    await stop_apps(apps)
    await runner.cleanup()
    return 0
