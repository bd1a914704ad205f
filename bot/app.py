"""One function builds the Application; lifecycle set-up (command menus, descriptions) in post_init."""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from telegram import (
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

import rules
from interview.i18n import tr
from interview.state_codec import State, StateCodec
from interview.views import NEW_MESSAGE, PAGE_PART, Page, Screen

from . import admin, handlers
from . import groups as groups_module
from .backlog import UpdateQueue
from .commands import command_list
from .config import Settings
from .gate import Gate
from .group_languages import GroupLanguages
from .offline_file import offline_command
from .offline_pages import OfflinePages
from .ratelimit import ChatRateLimiter
from .reload import freeze_served, warm
from .runtime import RulesHolder, Runtime, Shared, Stats

log = logging.getLogger(__name__)

# Update types the bot handles (also what polling and the webhook ask Telegram for).
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY,
                   Update.MY_CHAT_MEMBER]
# Updates processed at once. Nothing waits long in a slot (group replies never wait for their
# budget, at most 2 slots wait out a 429), and the backlog behind them is bounded (backlog.py).
CONCURRENT_UPDATES = 8


def bot_version() -> str:
    try:
        return version("exempt-bot")
    except PackageNotFoundError:
        return "dev"


class ForgetfulApplication(Application):  # type: ignore[type-arg]
    """python-telegram-bot records the chat and user id of every handled update in sets meant for
    persistence, even without persistence: a list of everyone who used the bot. Forget them after
    each update, and never keep user_data or chat_data."""

    def _mark_for_persistence_update(self, *, update: object = None, job: object = None) -> None:
        # Called after every update (also from the task wrapper of concurrent updates); with no
        # persistence there is nothing to mark, so record nothing.
        return

    async def process_update(self, update: object) -> None:
        try:
            await super().process_update(update)
        finally:
            forget_people(self)


def forget_people(app: Application) -> None:  # type: ignore[type-arg]
    app._chat_ids_to_be_updated_in_persistence.clear()
    app._user_ids_to_be_updated_in_persistence.clear()
    app._chat_ids_to_be_deleted_in_persistence.clear()
    app._user_ids_to_be_deleted_in_persistence.clear()
    app._user_data.clear()
    app._chat_data.clear()


def make_shared(settings: Settings, ruleset: rules.RuleSet | None = None) -> Shared:
    rs = ruleset if ruleset is not None else rules.load(settings.rules_path)
    offline = OfflinePages(handles=tuple(settings.bot_official_handles))
    offline.build(rs)  # once at start; again after each reload
    warm(rs)  # today's question range, before the first greeting asks for it
    return Shared(holder=RulesHolder(rs, settings.rules_path),
                  groups=GroupLanguages(settings.state_dir), offline=offline)


def build_application(settings: Settings, token_index: int = 0,
                      ruleset: rules.RuleSet | None = None,
                      shared: Shared | None = None) -> Application:  # type: ignore[type-arg]
    """Wire one bot account: handlers, rate limiter, defaults and its lifecycle hooks. Several
    accounts (mirrors) share one `Shared`: one rule base, group languages, counters."""
    token = settings.token(token_index)
    shared = shared if shared is not None else make_shared(settings, ruleset)
    while len(shared.stats) <= token_index:
        shared.stats.append(Stats())
    app = (
        ApplicationBuilder()
        .application_class(ForgetfulApplication)
        .token(token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_base_file_url)
        .defaults(Defaults(
            parse_mode=ParseMode.HTML,
            disable_notification=True,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ))
        .rate_limiter(ChatRateLimiter(overall_max_rate=settings.bot_rate_limit, max_retries=3,
                                      max_waiting=CONCURRENT_UPDATES // 4))
        .concurrent_updates(CONCURRENT_UPDATES)
        .update_queue(UpdateQueue())
        .post_init(post_init)
        .build()
    )
    app.bot_data["runtime"] = Runtime(
        shared=shared,
        index=token_index,
        codec=StateCodec(settings.secrets_for(token_index), accept=showable),
        default_language=settings.bot_default_language,
        version=bot_version(),
        handles=tuple(settings.bot_official_handles),
        admin_ids=frozenset(settings.bot_admin_ids),
    )
    add_handlers(app)
    return app


def showable(state: State) -> bool:
    """A screen and page the flow knows (a sealed state is the bot's own, but one from a newer
    or tampered build must get the polite answer, not an error)."""
    if state.screen > max(Screen):
        return False
    # A page's option: its Page, plus its part (PAGE_PART each), plus NEW_MESSAGE.
    return state.screen != Screen.PAGE or state.option % NEW_MESSAGE % PAGE_PART <= max(Page)


def add_handlers(app: Application) -> None:  # type: ignore[type-arg]
    # First of all: floods are shed before they cost an API call (gate.py).
    gate = Gate(app.bot_data["runtime"].default_language)
    app.bot_data["gate"] = gate
    app.add_handler(TypeHandler(Update, gate.admit), group=-2)
    new = filters.UpdateType.MESSAGE
    private = filters.ChatType.PRIVATE & new
    groups = filters.ChatType.GROUPS & new
    # Before everything: an admin who never opened the bot gets their menu on first contact.
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE, admin.admin_menu_when_first_seen),
                    group=-1)
    commands = {
        "start": handlers.start,
        "check": handlers.check,
        "help": handlers.help_command,
        "privacy": handlers.privacy_command,
        "sources": handlers.sources_command,
        "about": handlers.about_command,
        "language": handlers.language_command,
        "offline": offline_command,
        "reload": admin.reload_command,
        "stats": admin.stats_command,
    }
    for name, callback in commands.items():
        app.add_handler(CommandHandler(name, callback, filters=private))
    app.add_handler(MessageHandler(private & filters.Document.ALL, admin.upload))
    group_commands = {
        "check": groups_module.check,
        "grounds": groups_module.grounds,
        "sources": groups_module.sources,
        "help": groups_module.help_command,
        "language": groups_module.language,
    }
    for name, callback in group_commands.items():
        app.add_handler(CommandHandler(name, callback, filters=groups))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, groups_module.migrated))
    app.add_handler(ChatMemberHandler(groups_module.added_to_group,
                                      ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(CallbackQueryHandler(groups_module.language_button,
                                         pattern=f"^{groups_module.LANGUAGE_CALLBACK}"))
    app.add_handler(CallbackQueryHandler(handlers.button))
    # Anything else in a private chat (text, stickers, photos, unknown commands, edits): a hint.
    app.add_handler(MessageHandler(
        filters.ChatType.PRIVATE & (filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE),
        handlers.hint,
    ))
    app.add_error_handler(handlers.on_error)


LANGUAGE_CODES = (("ru", "ru"), ("uk", "ru"), ("be", "ru"), ("kk", "ru"), ("en", "en"),
                  (None, "en"))


async def post_init(app: Application) -> None:  # type: ignore[type-arg]
    """Command menus per scope and language (Russian also for uk, be, kk; English without a
    language code as the fallback), admins' menus, and the descriptions a person sees before
    /start."""
    bot: Any = app.bot
    rt: Runtime = app.bot_data["runtime"]
    try:
        for code, lang in LANGUAGE_CODES:
            await bot.set_my_commands(command_list(lang), scope=BotCommandScopeAllPrivateChats(),
                                      language_code=code)
            await bot.set_my_commands(command_list(lang, groups_module.GROUP_COMMANDS),
                                      scope=BotCommandScopeAllGroupChats(), language_code=code)
        for code, lang in (("ru", "ru"), ("en", "en"), (None, "en")):
            t = tr(lang)
            await bot.set_my_description(description_text(t), language_code=code)
            await bot.set_my_short_description(short_description_text(t), language_code=code)
    except TelegramError as exc:
        # Menus are a convenience: a failure must not keep the bot from answering.
        log.warning("could not set the command menus: %s", exc.message)
    for admin_id in sorted(rt.admin_ids):
        try:
            if not await admin.set_admin_menu(bot, admin_id):
                # Telegram answers "chat not found" until the admin opens the bot.
                log.info("an admin's menu waits until they open the bot")
                rt.admin_menus_pending.add(admin_id)
        except TelegramError as exc:
            log.warning("could not set an admin's command menu: %s", exc.message)
            rt.admin_menus_pending.add(admin_id)
    freeze_served()  # what was built to serve lives as long as the process

def description_text(t: Any) -> str:
    return str(t.gettext(
        "Checks, with a few button questions, whether you can be called up today: conscription "
        "(all year round, electronic summonses included), reservists' training assemblies, and "
        "mobilization under Decree No. 647 of 21 September 2022. Gives the legal grounds for a "
        "deferral or exemption, what to do and the papers to file. Nothing you answer is stored. "
        "Not legal advice."))


def short_description_text(t: Any) -> str:
    return str(t.gettext("Can I be called up? Conscription, assemblies, mobilization: cited "
                         "answers, nothing stored."))
