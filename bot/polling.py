"""Polling: one process serves each configured bot account on one rule base.

We drive the applications' lifecycle ourselves (run_polling handles only one), so post_init is
called here. A token Telegram rejects is reported by its position, never printed, and skipped;
the process fails only when every token fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

from telegram.error import InvalidToken, TelegramError

import rules

from . import start_signals
from .app import ALLOWED_UPDATES, build_application, make_shared, post_init
from .config import Settings
from .reload import reload

log = logging.getLogger(__name__)


async def start_apps(settings: Settings, ruleset: rules.RuleSet, *, force: bool,
                     polling: bool = True) -> list[Any]:
    started: list[Any] = []
    shared = make_shared(settings, ruleset)
    for index in range(len(settings.telegram_bot_tokens)):
        app = build_application(settings, index, shared=shared)
        position = index + 1
        try:
            await app.initialize()
        except InvalidToken:
            log.error("token #%d was rejected by Telegram; skipping it", position)
            continue
        except TelegramError as exc:
            log.error("token #%d: could not reach Telegram (%s); skipping it", position,
                      type(exc).__name__)
            continue
        if polling:
            info = await app.bot.get_webhook_info()
            if info.url and not force:
                log.error("token #%d has a webhook set; refusing to poll (use --force to "
                          "delete it and poll)", position)
                await app.shutdown()
                continue
        await post_init(app)
        await app.start()
        if polling and app.updater is not None:
            await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES,
                                            drop_pending_updates=False)
        log.info("bot #%d started", position)
        started.append(app)
    return started


async def stop_apps(apps: list[Any]) -> None:
    for app in apps:
        with contextlib.suppress(Exception):
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            await app.stop()
            await app.shutdown()


async def serve_polling(settings: Settings, ruleset: rules.RuleSet, *, force: bool) -> int:
    apps = await start_apps(settings, ruleset, force=force)
    if not apps:
        log.error("no bot could be started")
        return 1
    await wait_for_signals(apps)
    await stop_apps(apps)
    return 0


async def wait_for_signals(apps: list[Any]) -> None:
    """Until SIGINT or SIGTERM; SIGHUP reloads the rule base (the result goes to the log)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    runtime = apps[0].bot_data["runtime"]
    reloads: set[asyncio.Task[None]] = set()

    def on_hup() -> None:
        task = loop.create_task(reload_on_signal(runtime))
        reloads.add(task)
        task.add_done_callback(reloads.discard)

    loop.add_signal_handler(signal.SIGHUP, on_hup)
    if start_signals.take_hup():  # a SIGHUP while starting asked for a reload too
        on_hup()
    await stop.wait()
    # A reload under way finishes before the bots stop: it is short, and the log then says
    # which rules were in force at the end.
    if reloads:
        await asyncio.gather(*reloads, return_exceptions=True)


async def reload_on_signal(runtime: Any) -> None:
    result = await reload(runtime.shared.holder)
    if result.ok:
        log.warning("SIGHUP: rules reloaded %s -> %s (%d grounds, %d tests passed)",
                    result.old_version, result.new_version, result.grounds, result.tests)
    else:
        log.error("SIGHUP: rules not reloaded, %s stays in force:\n%s", result.old_version,
                  "\n".join(result.errors))
