"""A strict Telegram Bot API stand-in for tests, and a helper that plays the users.

    with BotAPIStandIn(tokens={TOKEN: BotInfo(id=123456, username="exempt_test_bot",
                                              first_name="Exempt")}) as api:
        app = (ApplicationBuilder().token(TOKEN)
               .base_url(api.base_url).base_file_url(api.base_file_url).build())
        people = TelegramClient(api)
        ivan = people.user("Ivan", language_code="ru")
        chat = people.private_chat(ivan)
        people.send_text(chat, ivan, "/start")
        await api.wait_for(lambda: api.last_bot_message(chat.id))

See ``server.py`` for what the stand-in models and checks, and ``client.py`` for the users.
"""

from tests.botapi.client import TelegramClient
from tests.botapi.server import (
    ANONYMOUS_ADMIN_ID,
    DEFAULT_BOT,
    DEFAULT_TOKEN,
    ApiError,
    BotAPIStandIn,
    BotInfo,
    Call,
    CallbackAnswer,
    ChatInfo,
    ChatView,
    Download,
    FileRecord,
    FormattedText,
    Member,
    MessageRecord,
    UploadedFile,
    UserInfo,
    WaitTimeout,
    WebhookDelivery,
    format_text,
    parse_html,
    parse_markdown,
    parse_markdown_v2,
    utf16_len,
)

__all__ = [
    "ANONYMOUS_ADMIN_ID",
    "DEFAULT_BOT",
    "DEFAULT_TOKEN",
    "ApiError",
    "BotAPIStandIn",
    "BotInfo",
    "Call",
    "CallbackAnswer",
    "ChatInfo",
    "ChatView",
    "Download",
    "FileRecord",
    "FormattedText",
    "Member",
    "MessageRecord",
    "TelegramClient",
    "UploadedFile",
    "UserInfo",
    "WaitTimeout",
    "WebhookDelivery",
    "format_text",
    "parse_html",
    "parse_markdown",
    "parse_markdown_v2",
    "utf16_len",
]
