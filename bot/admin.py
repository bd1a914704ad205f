"""Admin commands (user ids in BOT_ADMIN_IDS): reload the rule base, send a rules file, see the
anonymous counts. Everyone else gets a polite refusal."""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import BadRequest, TelegramError

import rules
from interview.html_text import b, esc, i, pack
from interview.i18n import N_, Tr, tr
from interview.render import neutral_header

from . import offline_file, send
from .commands import command_list
from .handlers import Context, language_of, runtime
from .reload import MAX_UPLOAD, ReloadResult, UploadRefused, reload
from .reload import upload as upload_rules
from .runtime import Runtime

log = logging.getLogger(__name__)

ADMIN_COMMANDS = [
    ("reload", N_("Reload the rules (admins)")),
    ("stats", N_("Anonymous counts since start (admins)")),
]


def is_admin(update: Update, rt: Runtime) -> bool:
    user = update.effective_user
    return user is not None and user.id in rt.admin_ids


async def refuse(update: Update, context: Context) -> bool:
    """Refuse politely unless the sender is an admin; True when refused."""
    rt = runtime(context)
    if is_admin(update, rt):
        return False
    t = tr(language_of(update, rt))
    chat = update.effective_chat
    assert chat is not None
    await send.send(context.bot, chat.id, esc(t.gettext(
        "Sorry, this command is only for the bot's administrators.")))
    return True


def admin_commands(lang: str) -> list[BotCommand]:
    return command_list(lang) + command_list(lang, ADMIN_COMMANDS)


async def set_admin_menu(bot: object, admin_id: int) -> bool:
    """An admin's menu: the ordinary commands plus the admin ones. False when Telegram does not
    know the chat yet (the admin never opened the bot)."""
    try:
        for code, lang in (("ru", "ru"), ("en", "en"), (None, "en")):
            await bot.set_my_commands(  # type: ignore[attr-defined]
                admin_commands(lang), scope=BotCommandScopeChat(admin_id), language_code=code)
    except BadRequest as exc:
        if "chat not found" in exc.message.lower():
            return False
        raise
    return True


async def admin_menu_when_first_seen(update: Update, context: Context) -> None:
    """Runs before the other handlers: sets a pending admin's menu on their first message."""
    rt = runtime(context)
    user = update.effective_user
    if user is None or user.id not in rt.admin_menus_pending:
        return
    try:
        if await set_admin_menu(context.bot, user.id):
            rt.admin_menus_pending.discard(user.id)
    except TelegramError as exc:
        log.warning("could not set an admin's command menu: %s", exc.message)


def report(t: Tr, result: ReloadResult) -> list[str]:
    if not result.ok:
        head = b(t.gettext("The rules were not reloaded; the rules in force stay ({version}).")
                 .format(version=result.old_version))
        lines = [neutral_header(t), head]
        if result.rolled_back:
            lines.append(esc(t.gettext("The file was checked, but the rules on disk changed "
                                       "meanwhile and fail with it: it was taken out again.")))
        return pack(lines + [esc(e) for e in result.errors], sep="\n")
    lines = [neutral_header(t),
             b(t.gettext("Rules reloaded: {old} → {new}").format(old=result.old_version,
                                                                 new=result.new_version)),
             esc(t.ngettext("{n} ground", "{n} grounds", result.grounds).format(n=result.grounds)),
             esc(t.ngettext("{n} rule test passed", "{n} rule tests passed",
                            result.tests).format(n=result.tests))]
    for label, ids in ((t.gettext("Added:"), result.added), (t.gettext("Removed:"), result.removed),
                       (t.gettext("Changed:"), result.changed)):
        if ids:
            lines.append(f"{esc(label)} {esc(', '.join(ids))}")
    if not (result.added or result.removed or result.changed):
        lines.append(esc(t.gettext("No ground changed.")))
    return pack(lines, sep="\n")


async def reload_command(update: Update, context: Context) -> None:
    if await refuse(update, context):
        return
    rt = runtime(context)
    t = tr(language_of(update, rt))
    result = await reload(rt.shared.holder)
    log.info("reload by an admin: %s", "ok" if result.ok else "refused")
    chat = update.effective_chat
    assert chat is not None
    for text in await report_with_page(rt, t, result):
        await send.send(context.bot, chat.id, text)


async def report_with_page(rt: Runtime, t: Tr, result: ReloadResult) -> list[str]:
    """The reload report; after a reload, the offline page is rebuilt and its size and build time
    close the report."""
    texts = report(t, result)
    if result.ok:
        texts[-1] += "\n" + await offline_file.rebuild(rt, t)
    return texts


REFUSALS = {
    "no_path": N_("RULES_PATH is not set: the bundled rule base is read-only. Copy it to a "
                  "writable directory, set RULES_PATH to it and restart (see the README)."),
    "size": N_("The file is larger than 1 MiB."),
    "name": N_("The file must have a plain name ending in .yaml, without any folder."),
    "symlink": N_("RULES_PATH holds a symbolic link or a special file among the rule files; "
                  "they are not followed. Replace it with a plain file."),
}


async def upload(update: Update, context: Context) -> None:
    """An admin sends a rules YAML file: checked in a temporary copy, then put in place and
    reloaded. A bad file changes nothing."""
    if await refuse(update, context):
        return
    rt = runtime(context)
    t = tr(language_of(update, rt))
    message = update.effective_message
    assert message is not None and message.document is not None
    doc = message.document
    chat_id = message.chat_id

    async def say(text: str) -> None:
        await send.send(context.bot, chat_id, neutral_header(t) + "\n" + text)

    name = doc.file_name or ""
    try:
        if rt.shared.holder.path is None:
            raise UploadRefused("no_path")
        if doc.file_size is not None and doc.file_size > MAX_UPLOAD:
            raise UploadRefused("size")
        file = await context.bot.get_file(doc.file_id)
        data = bytes(await file.download_as_bytearray())
        # Check, install and reload under one lock (the check runs off the event loop).
        result = await upload_rules(rt.shared.holder, name, data)
    except UploadRefused as exc:
        await say(esc(t.gettext(REFUSALS[str(exc)])) + "\n" + i(t.gettext("Nothing was changed.")))
        return
    except rules.RuleBaseErrors as exc:
        texts = [esc(t.gettext("The rule base with this file fails; nothing was changed:"))]
        texts += [esc(str(e)) for e in exc.errors[:20]]
        for text in pack(texts, sep="\n"):
            await say(text)
        return
    log.info("an admin replaced a rules file: %s", "reloaded" if result.ok else "rolled back")
    for text in await report_with_page(rt, t, result):
        await send.send(context.bot, chat_id, text)


async def stats_command(update: Update, context: Context) -> None:
    if await refuse(update, context):
        return
    rt = runtime(context)
    t = tr(language_of(update, rt))
    lines = [neutral_header(t), b(t.gettext("Anonymous counts since the last start")),
             i(t.gettext("Counts only, never who; they reset when the bot restarts."))]
    all_stats = rt.shared.stats
    for n, s in enumerate(all_stats, start=1):
        lines.append(_stats_line(t, t.gettext("Bot #{n}").format(n=n), s))
    if len(all_stats) > 1:
        from .runtime import Stats

        total = Stats()
        for s in all_stats:
            total.started += s.started
            total.verdicts.update(s.verdicts)
            total.languages.update(s.languages)
        lines.append(_stats_line(t, t.gettext("All bots"), total))
    chat = update.effective_chat
    assert chat is not None
    await send.send(context.bot, chat.id, "\n".join(lines))


def _stats_line(t: Tr, label: str, s: object) -> str:
    from .runtime import Stats

    assert isinstance(s, Stats)
    verdicts = ", ".join(f"{k}: {v}" for k, v in sorted(s.verdicts.items())) or "—"
    langs = ", ".join(f"{k}: {v}" for k, v in sorted(s.languages.items())) or "—"
    return esc(t.gettext("{label}: interviews started {started}; verdicts {verdicts}; "
                         "languages {languages}").format(label=label, started=s.started,
                                                         verdicts=verdicts, languages=langs))
