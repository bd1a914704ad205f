"""Configuration from the environment, validated with pydantic.

A bad value stops the start with a `ConfigError` naming the variable. Messages never repeat a
value (a token pasted into the wrong variable must not reach a log): lists are reported by
position ("TELEGRAM_BOT_TOKEN: token #2 is malformed"). A blank variable counts as unset.

Variables: TELEGRAM_BOT_TOKEN, TELEGRAM_API_BASE_URL, TELEGRAM_API_BASE_FILE_URL, BOT_SECRET,
BOT_ADMIN_IDS, RULES_PATH, BOT_DEFAULT_LANGUAGE, BOT_OFFICIAL_HANDLES, LOG_LEVEL, STATE_DIR,
WEBHOOK_URL, WEBHOOK_LISTEN, WEBHOOK_SECRET, WEBHOOK_MAX_CONNECTIONS, WEBHOOK_PEERS, BOT_RATE_LIMIT.
Lists are comma-separated; empty items are skipped.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

__all__ = ["DEFAULT_API_BASE_URL", "ENV_VARS", "ConfigError", "Settings", "load_settings"]

DEFAULT_API_BASE_URL: Final = "https://api.telegram.org/bot"
DEFAULT_WEBHOOK_LISTEN: Final = "127.0.0.1:8080"
# Key of the HMAC that derives a bot account's state key from its token when BOT_SECRET is unset.
DERIVED_SECRET_KEY: Final = b"exempt-bot state v1"
MIN_SECRET_BYTES: Final = 32

ENV_VARS: Final = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "TELEGRAM_API_BASE_FILE_URL",
    "BOT_SECRET",
    "BOT_ADMIN_IDS",
    "RULES_PATH",
    "BOT_DEFAULT_LANGUAGE",
    "BOT_OFFICIAL_HANDLES",
    "LOG_LEVEL",
    "STATE_DIR",
    "WEBHOOK_URL",
    "WEBHOOK_LISTEN",
    "WEBHOOK_SECRET",
    "WEBHOOK_MAX_CONNECTIONS",
    "WEBHOOK_PEERS",
    "BOT_RATE_LIMIT",
)

_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]{30,}")
_HANDLE = re.compile(r"@?([A-Za-z0-9_]{5,32})")
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"{_LABEL}(\.{_LABEL})*")
_LOG_LEVELS: Final = ("DEBUG", "INFO", "WARNING", "ERROR")


class ConfigError(Exception):
    """A bad configuration value; `str()` is "VARIABLE: message" and never holds the value."""

    def __init__(self, variable: str, message: str) -> None:
        super().__init__(f"{variable}: {message}")
        self.variable = variable
        self.message = message


def _bad(message: str) -> PydanticCustomError:
    # A custom error keeps pydantic from adding its own text; the input is never part of it.
    return PydanticCustomError("config", message)


def _items(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def _http_url(raw: str, *, https_only: bool) -> str:
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise _bad("is not a valid URL") from None
    schemes = ("https",) if https_only else ("http", "https")
    # A self-hosted Bot API server (and the tests) may post to plain http on this machine.
    if https_only and parts.hostname in ("127.0.0.1", "localhost", "::1"):
        schemes = ("http", "https")
    if parts.scheme not in schemes or not parts.hostname:
        kind = "an https URL" if https_only else "an http(s) URL"
        raise _bad(f"must be {kind} with a host")
    if any(c.isspace() for c in raw):
        raise _bad("must not contain spaces")
    return raw


class Settings(BaseModel):
    """Validated settings. Tokens and keys are `SecretStr`: repr and str never show them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    telegram_bot_tokens: tuple[SecretStr, ...] = Field((), validation_alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str = Field(
        DEFAULT_API_BASE_URL, validation_alias="TELEGRAM_API_BASE_URL"
    )
    # "" until validated: then derived from the base URL unless set.
    telegram_api_base_file_url: str = Field(
        "", validation_alias="TELEGRAM_API_BASE_FILE_URL", validate_default=True
    )
    bot_secrets: tuple[SecretStr, ...] = Field((), validation_alias="BOT_SECRET")
    bot_admin_ids: frozenset[int] = Field(frozenset(), validation_alias="BOT_ADMIN_IDS")
    rules_path: Path | None = Field(None, validation_alias="RULES_PATH")
    bot_default_language: Literal["ru", "en"] = Field("ru", validation_alias="BOT_DEFAULT_LANGUAGE")
    bot_official_handles: tuple[str, ...] = Field((), validation_alias="BOT_OFFICIAL_HANDLES")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", validation_alias="LOG_LEVEL"
    )
    state_dir: Path | None = Field(None, validation_alias="STATE_DIR")
    webhook_url: str | None = Field(None, validation_alias="WEBHOOK_URL")
    # (host, port); an IPv6 host is kept without its brackets.
    webhook_listen: tuple[str, int] = Field(
        ("127.0.0.1", 8080), validation_alias="WEBHOOK_LISTEN"
    )
    webhook_secret: SecretStr | None = Field(None, validation_alias="WEBHOOK_SECRET")
    # setWebhook max_connections: Telegram's deliveries at once per bot account (1-100).
    webhook_max_connections: int = Field(40, validation_alias="WEBHOOK_MAX_CONNECTIONS")
    # Who connects to the webhook (see bot/webhook_gate.py and docs/webhook-hardening.md):
    # "any" (Telegram directly, a share per address), "telegram" (also only Telegram's ranges),
    # "proxy" (a reverse proxy: its limits apply). Unset: "proxy" on a loopback WEBHOOK_LISTEN,
    # where every peer is a local forwarder, else "any".
    webhook_peers: Literal["any", "telegram", "proxy"] | None = Field(
        None, validation_alias="WEBHOOK_PEERS")
    # Messages a second per bot account, overall; Telegram allows about 30.
    bot_rate_limit: int = Field(25, validation_alias="BOT_RATE_LIMIT")

    @field_validator("telegram_bot_tokens", mode="before")
    @classmethod
    def _tokens(cls, raw: Any) -> tuple[SecretStr, ...]:
        if not isinstance(raw, str):
            return tuple(raw)
        tokens = _items(raw)
        for i, token in enumerate(tokens, 1):
            if not _TOKEN.fullmatch(token):
                raise _bad(f"token #{i} is malformed (expected digits:30+ letters, digits, _ or -)")
            if token in tokens[: i - 1]:
                raise _bad(f"token #{i} repeats token #{tokens.index(token) + 1}")
        return tuple(SecretStr(t) for t in tokens)

    @field_validator("telegram_api_base_url", mode="before")
    @classmethod
    def _base_url(cls, raw: Any) -> Any:
        return _http_url(raw, https_only=False) if isinstance(raw, str) else raw

    @field_validator("telegram_api_base_file_url", mode="before")
    @classmethod
    def _file_url(cls, raw: Any, info: ValidationInfo) -> Any:
        if raw:
            return _http_url(raw, https_only=False) if isinstance(raw, str) else raw
        base = info.data.get("telegram_api_base_url")
        if base is None:  # the base URL failed and is reported itself
            return ""
        # python-telegram-bot appends the token to both, or formats a "{token}" placeholder.
        for suffix in ("/bot", "/bot{token}"):
            if base.endswith(suffix):
                return base[: -len(suffix)] + "/file" + suffix
        raise _bad("must be set when TELEGRAM_API_BASE_URL does not end with /bot")

    @field_validator("bot_secrets", mode="before")
    @classmethod
    def _secrets(cls, raw: Any) -> Any:
        if not isinstance(raw, str):
            return raw
        keys = _items(raw)
        for i, key in enumerate(keys, 1):
            if len(key.encode("utf-8")) < MIN_SECRET_BYTES:
                raise _bad(f"key #{i} is shorter than {MIN_SECRET_BYTES} bytes")
        return tuple(SecretStr(k) for k in keys)

    @field_validator("bot_admin_ids", mode="before")
    @classmethod
    def _admin_ids(cls, raw: Any) -> Any:
        if not isinstance(raw, str):
            return raw
        ids = []
        for i, item in enumerate(_items(raw), 1):
            if not item.isascii() or not item.isdigit() or int(item) == 0:
                raise _bad(f"entry #{i} is not a positive integer user id")
            ids.append(int(item))
        return frozenset(ids)

    @field_validator("rules_path", mode="before")
    @classmethod
    def _rules_path(cls, raw: Any) -> Any:
        if isinstance(raw, str):
            raw = Path(raw).expanduser()
        if isinstance(raw, Path) and not raw.is_dir():
            raise _bad("is not an existing directory")
        return raw

    @field_validator("state_dir", mode="before")
    @classmethod
    def _state_dir(cls, raw: Any) -> Any:
        if isinstance(raw, str):
            raw = Path(raw).expanduser()
        if isinstance(raw, Path) and raw.exists() and not raw.is_dir():
            raise _bad("exists and is not a directory")
        return raw

    @field_validator("bot_default_language", mode="before")
    @classmethod
    def _language(cls, raw: Any) -> Any:
        if isinstance(raw, str):
            raw = raw.strip().lower()
            if raw not in ("ru", "en"):
                raise _bad("must be ru or en")
        return raw

    @field_validator("bot_official_handles", mode="before")
    @classmethod
    def _handles(cls, raw: Any) -> Any:
        if not isinstance(raw, str):
            return raw
        handles = []
        for i, item in enumerate(_items(raw), 1):
            match = _HANDLE.fullmatch(item)
            if not match:
                raise _bad(f"handle #{i} must be 5-32 letters, digits or _, optionally after @")
            handles.append("@" + match.group(1))
        return tuple(handles)

    @field_validator("bot_rate_limit", mode="before")
    @classmethod
    def _rate_limit(cls, raw: Any) -> Any:
        if isinstance(raw, str):
            if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
                raise _bad("must be a whole number of messages a second, 1 or more")
            return int(raw)
        return raw

    @field_validator("webhook_max_connections", mode="before")
    @classmethod
    def _max_connections(cls, raw: Any) -> Any:
        if isinstance(raw, str):
            if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= 100:
                raise _bad("must be a whole number from 1 to 100 (Telegram's limit)")
            return int(raw)
        return raw

    @field_validator("webhook_peers", mode="before")
    @classmethod
    def _peers(cls, raw: Any) -> Any:
        if isinstance(raw, str):
            raw = raw.strip().lower()
            if raw not in ("any", "telegram", "proxy"):
                raise _bad("must be any, telegram or proxy")
        return raw

    @field_validator("log_level", mode="before")
    @classmethod
    def _log_level(cls, raw: Any) -> Any:
        if isinstance(raw, str):
            raw = raw.strip().upper()
            if raw not in _LOG_LEVELS:
                raise _bad("must be one of " + ", ".join(_LOG_LEVELS))
        return raw

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _webhook_url(cls, raw: Any) -> Any:
        return _http_url(raw, https_only=True) if isinstance(raw, str) else raw

    @field_validator("webhook_listen", mode="before")
    @classmethod
    def _webhook_listen(cls, raw: Any) -> Any:
        if not isinstance(raw, str):
            return raw
        host, sep, port = raw.strip().rpartition(":")
        if not sep or not host:
            raise _bad("must be host:port, e.g. 127.0.0.1:8080 or [::1]:8080")
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
            try:
                ipaddress.IPv6Address(host)
            except ValueError:
                raise _bad("the host in brackets must be an IPv6 address") from None
        elif not _HOSTNAME.fullmatch(host):
            raise _bad("the host must be a name or an IPv4 address (IPv6 in brackets)")
        if not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
            raise _bad("the port must be a number in 1..65535")
        return (host, int(port))

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _webhook_secret(cls, raw: Any) -> Any:
        if isinstance(raw, str) and not _WEBHOOK_SECRET.fullmatch(raw):
            raise _bad("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return raw

    @property
    def webhook_peers_effective(self) -> Literal["any", "telegram", "proxy"]:
        """WEBHOOK_PEERS, or its default for WEBHOOK_LISTEN."""
        if self.webhook_peers is not None:
            return self.webhook_peers
        host = self.webhook_listen[0]
        try:
            loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        return "proxy" if loopback else "any"

    def token(self, index: int) -> str:
        """The token of bot account `index` (0 is the main bot, then its mirrors)."""
        return self.telegram_bot_tokens[index].get_secret_value()

    def secrets_for(self, token_index: int) -> list[bytes]:
        """State codec keys for bot account `token_index`: the first signs, all verify.

        BOT_SECRET's keys when set (shared by every account); else one key derived from that
        account's token, so each account signs differently (and a new token ends old buttons).
        """
        if self.bot_secrets:
            return [k.get_secret_value().encode("utf-8") for k in self.bot_secrets]
        if not 0 <= token_index < len(self.telegram_bot_tokens):
            raise IndexError(f"no token #{token_index + 1} to derive a state key from")
        token = self.token(token_index).encode("ascii")
        return [hmac.digest(DERIVED_SECRET_KEY, token, "sha256")]


_ALIAS_OF: Final = {
    name: str(field.validation_alias) for name, field in Settings.model_fields.items()
}


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from `environ` (default: `os.environ`); ConfigError names the first bad one."""
    env = os.environ if environ is None else environ
    raw = {name: env[name].strip() for name in ENV_VARS if env.get(name, "").strip()}
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
    # Raised outside the except block: the ValidationError (whose text holds the input, maybe a
    # token) must not ride along as __context__ into a traceback.
    first = errors[0]
    loc = str(first["loc"][0]) if first["loc"] else ""
    variable = loc if loc in ENV_VARS else _ALIAS_OF.get(loc, loc)
    # Our validators' messages never hold the value; nor do pydantic's own without the input.
    raise ConfigError(variable, first["msg"])
