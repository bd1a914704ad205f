"""Configuration (issue 3, "Running it"): every variable's good and bad values; a bad value names
its variable and never shows a token or a key."""

from __future__ import annotations

import hmac
import traceback
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from bot.config import ENV_VARS, ConfigError, Settings, load_settings

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"
TOKEN2 = "987654321:ZZx_y-zTcvCH1vGWJxfSeofSAs0K5PALDsaw"
SECRET = "a-bot-secret-of-at-least-32-bytes-0001"
SECRET2 = "another-bot-secret-at-least-32-bytes-02"


def load(**env: str) -> Settings:
    return load_settings(env)


def error_of(**env: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_settings(env)
    return caught.value


def assert_error(variable: str, env: dict[str, str], *hidden: str) -> ConfigError:
    error = error_of(**env)
    assert error.variable == variable
    assert str(error).startswith(f"{variable}: ")
    text = "".join(traceback.format_exception(error))
    for secret in (TOKEN, TOKEN2, SECRET, SECRET2, *hidden):
        assert secret not in text
        assert secret not in repr(error)
    return error


# --- defaults ------------------------------------------------------------------------------


def test_defaults() -> None:
    s = load()
    assert s.telegram_bot_tokens == ()
    assert s.telegram_api_base_url == "https://api.telegram.org/bot"
    assert s.telegram_api_base_file_url == "https://api.telegram.org/file/bot"
    assert s.bot_secrets == ()
    assert s.bot_admin_ids == frozenset()
    assert s.rules_path is None
    assert s.bot_default_language == "ru"
    assert s.bot_official_handles == ()
    assert s.log_level == "INFO"
    assert s.state_dir is None
    assert s.webhook_url is None
    assert s.webhook_listen == ("127.0.0.1", 8080)
    assert s.webhook_secret is None


def test_blank_variables_count_as_unset() -> None:
    assert load(**dict.fromkeys(ENV_VARS, "  ")) == load()


def test_reads_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LOG_LEVEL", "debug")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    s = load_settings()
    assert s.log_level == "DEBUG"
    assert s.token(0) == TOKEN


def test_unrelated_variables_are_ignored() -> None:
    assert load(PATH="/usr/bin", BOT_SOMETHING_ELSE="x") == load()


# --- TELEGRAM_BOT_TOKEN --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (TOKEN, [TOKEN]),
        (f"{TOKEN},{TOKEN2}", [TOKEN, TOKEN2]),
        (f" {TOKEN} , {TOKEN2} ,", [TOKEN, TOKEN2]),
        ("1:" + "a" * 30, ["1:" + "a" * 30]),
    ],
)
def test_tokens(raw: str, expected: list[str]) -> None:
    s = load(TELEGRAM_BOT_TOKEN=raw)
    assert [t.get_secret_value() for t in s.telegram_bot_tokens] == expected
    assert [s.token(i) for i in range(len(expected))] == expected


@pytest.mark.parametrize(
    ("raw", "position"),
    [
        ("123456789:short", 1),
        ("abc:" + "A" * 35, 1),
        (":" + "A" * 35, 1),
        ("123456789" + "A" * 35, 1),
        (TOKEN + "!", 1),
        (f"{TOKEN},{TOKEN2[:-10]}", 2),
        (f"{TOKEN},{TOKEN2} x", 2),
        (f"{TOKEN2},{TOKEN},bot{TOKEN}", 3),
    ],
)
def test_a_malformed_token_is_reported_by_position(raw: str, position: int) -> None:
    error = assert_error("TELEGRAM_BOT_TOKEN", {"TELEGRAM_BOT_TOKEN": raw}, raw, TOKEN[-20:])
    assert f"token #{position} is malformed" in str(error)


def test_a_repeated_token_is_rejected() -> None:
    error = assert_error("TELEGRAM_BOT_TOKEN", {"TELEGRAM_BOT_TOKEN": f"{TOKEN},{TOKEN}"})
    assert "token #2 repeats token #1" in str(error)


@pytest.mark.parametrize(
    "variable",
    ["BOT_ADMIN_IDS", "BOT_DEFAULT_LANGUAGE", "BOT_OFFICIAL_HANDLES", "LOG_LEVEL",
     "WEBHOOK_URL", "WEBHOOK_LISTEN", "WEBHOOK_SECRET", "TELEGRAM_API_BASE_URL", "RULES_PATH"],
)
def test_a_token_pasted_into_another_variable_is_not_shown(variable: str) -> None:
    assert_error(variable, {variable: TOKEN})


# --- API URLs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "file"),
    [
        ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot"),
        ("https://botapi.example.org/bot", "https://botapi.example.org/file/bot"),
        ("http://[::1]:8081/bot", "http://[::1]:8081/file/bot"),
        ("http://localhost:8081/bot{token}", "http://localhost:8081/file/bot{token}"),
    ],
)
def test_file_url_is_derived_from_base_url(base: str, file: str) -> None:
    s = load(TELEGRAM_API_BASE_URL=base)
    assert s.telegram_api_base_url == base
    assert s.telegram_api_base_file_url == file


def test_explicit_file_url_wins() -> None:
    s = load(
        TELEGRAM_API_BASE_URL="http://127.0.0.1:9/api/",
        TELEGRAM_API_BASE_FILE_URL="http://127.0.0.1:9/files/",
    )
    assert s.telegram_api_base_file_url == "http://127.0.0.1:9/files/"


def test_file_url_needed_when_base_does_not_end_with_bot() -> None:
    assert_error("TELEGRAM_API_BASE_FILE_URL", {"TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/api"})


@pytest.mark.parametrize(
    "raw",
    ["api.telegram.org/bot", "ftp://x/bot", "http:///bot", "http://x:99999/bot", "http://a b/bot"],
)
@pytest.mark.parametrize("variable", ["TELEGRAM_API_BASE_URL", "TELEGRAM_API_BASE_FILE_URL"])
def test_bad_api_urls(variable: str, raw: str) -> None:
    assert_error(variable, {variable: raw})


# --- BOT_SECRET ----------------------------------------------------------------------------


def test_secrets_first_signs_all_verify() -> None:
    s = load(BOT_SECRET=f"{SECRET}, {SECRET2}", TELEGRAM_BOT_TOKEN=f"{TOKEN},{TOKEN2}")
    assert s.secrets_for(0) == [SECRET.encode(), SECRET2.encode()]
    assert s.secrets_for(1) == s.secrets_for(0)


def test_secret_derived_from_each_token_by_default() -> None:
    s = load(TELEGRAM_BOT_TOKEN=f"{TOKEN},{TOKEN2}")
    first, second = s.secrets_for(0), s.secrets_for(1)
    assert first == [hmac.digest(b"exempt-bot state v1", TOKEN.encode(), "sha256")]
    assert second == [hmac.digest(b"exempt-bot state v1", TOKEN2.encode(), "sha256")]
    assert first != second
    assert len(first[0]) == 32
    with pytest.raises(IndexError):
        s.secrets_for(2)
    with pytest.raises(IndexError):
        s.secrets_for(-1)


def test_no_token_and_no_secret_has_no_key() -> None:
    with pytest.raises(IndexError):
        load().secrets_for(0)


@pytest.mark.parametrize(("raw", "position"), [("tiny-k3y", 1), (f"{SECRET},{'x' * 31}", 2)])
def test_short_secret_is_reported_by_position(raw: str, position: int) -> None:
    error = assert_error("BOT_SECRET", {"BOT_SECRET": raw}, raw, "x" * 31)
    assert f"key #{position}" in str(error)


def test_secret_length_counts_bytes() -> None:
    # 16 Cyrillic letters are 32 bytes in UTF-8.
    assert load(BOT_SECRET="я" * 16).secrets_for(0) == [("я" * 16).encode()]


# --- BOT_ADMIN_IDS -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", set()), ("123", {123}), ("1, 2", {1, 2}), ("1,2,", {1, 2}), (" 7 ", {7})],
)
def test_admin_ids(raw: str, expected: set[int]) -> None:
    assert load(BOT_ADMIN_IDS=raw).bot_admin_ids == expected


@pytest.mark.parametrize("raw", ["abc", "1, x", "-5", "0", "1.5", "1 2", "١٢٣"])
def test_bad_admin_ids(raw: str) -> None:
    assert_error("BOT_ADMIN_IDS", {"BOT_ADMIN_IDS": raw})


# --- RULES_PATH and STATE_DIR --------------------------------------------------------------


def test_rules_path(tmp_path: Path) -> None:
    assert load(RULES_PATH=str(tmp_path)).rules_path == tmp_path


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_bad_rules_path(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "rules"
    if kind == "file":
        path.write_text("x")
    error = assert_error("RULES_PATH", {"RULES_PATH": str(path)})
    assert str(path) not in str(error)


def test_state_dir(tmp_path: Path) -> None:
    assert load(STATE_DIR=str(tmp_path)).state_dir == tmp_path
    assert load(STATE_DIR=str(tmp_path / "new")).state_dir == tmp_path / "new"
    (tmp_path / "file").write_text("x")
    assert_error("STATE_DIR", {"STATE_DIR": str(tmp_path / "file")})


# --- BOT_DEFAULT_LANGUAGE, LOG_LEVEL -------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [("ru", "ru"), ("en", "en"), ("EN", "en")])
def test_default_language(raw: str, expected: str) -> None:
    assert load(BOT_DEFAULT_LANGUAGE=raw).bot_default_language == expected


@pytest.mark.parametrize("raw", ["de", "russian", "ru,en"])
def test_bad_default_language(raw: str) -> None:
    assert_error("BOT_DEFAULT_LANGUAGE", {"BOT_DEFAULT_LANGUAGE": raw})


@pytest.mark.parametrize("raw", ["DEBUG", "INFO", "WARNING", "ERROR", "debug", "Warning"])
def test_log_level(raw: str) -> None:
    assert load(LOG_LEVEL=raw).log_level == raw.upper()


@pytest.mark.parametrize("raw", ["TRACE", "WARN", "CRITICAL", "10"])
def test_bad_log_level(raw: str) -> None:
    assert_error("LOG_LEVEL", {"LOG_LEVEL": raw})


# --- BOT_OFFICIAL_HANDLES ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("exempt_bot", ("@exempt_bot",)),
        ("@exempt_bot, mirror1_bot", ("@exempt_bot", "@mirror1_bot")),
        ("@abcde," + "a" * 32, ("@abcde", "@" + "a" * 32)),
    ],
)
def test_handles(raw: str, expected: tuple[str, ...]) -> None:
    assert load(BOT_OFFICIAL_HANDLES=raw).bot_official_handles == expected


@pytest.mark.parametrize(
    ("raw", "position"),
    [
        ("@abcd", 1),
        ("a" * 33, 1),
        ("@good_bot,@bad-bot", 2),
        ("@@double", 1),
        ("ok_bot,t.me/x_bot", 2),
    ],
)
def test_bad_handles(raw: str, position: int) -> None:
    error = assert_error("BOT_OFFICIAL_HANDLES", {"BOT_OFFICIAL_HANDLES": raw})
    assert f"handle #{position}" in str(error)


# --- webhook -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["https://bot.example.org/hook", "https://bot.example.org:8443/x/y", "https://[2001:db8::1]/h"]
)
def test_webhook_url(raw: str) -> None:
    assert load(WEBHOOK_URL=raw).webhook_url == raw


@pytest.mark.parametrize(
    "raw", ["http://bot.example.org/hook", "bot.example.org/hook", "https://", "https://x:0x/h"]
)
def test_bad_webhook_url(raw: str) -> None:
    assert_error("WEBHOOK_URL", {"WEBHOOK_URL": raw})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("127.0.0.1:8080", ("127.0.0.1", 8080)),
        ("0.0.0.0:443", ("0.0.0.0", 443)),
        ("[::1]:8080", ("::1", 8080)),
        ("[::]:88", ("::", 88)),
        ("localhost:65535", ("localhost", 65535)),
        ("bot-host.internal:1", ("bot-host.internal", 1)),
    ],
)
def test_webhook_listen(raw: str, expected: tuple[str, int]) -> None:
    assert load(WEBHOOK_LISTEN=raw).webhook_listen == expected


@pytest.mark.parametrize(
    "raw",
    ["8080", ":8080", "localhost", "localhost:", "localhost:0", "localhost:65536", "::1:8080",
     "[::1]", "[nothost]:80", "host name:80", "localhost:http", "[::1]:-1"],
)
def test_bad_webhook_listen(raw: str) -> None:
    assert_error("WEBHOOK_LISTEN", {"WEBHOOK_LISTEN": raw})


@pytest.mark.parametrize("raw", ["s", "A-z_0-9", "x" * 256])
def test_webhook_secret(raw: str) -> None:
    secret = load(WEBHOOK_SECRET=raw).webhook_secret
    assert secret is not None
    assert secret.get_secret_value() == raw


@pytest.mark.parametrize("raw", ["x" * 257, "has space", "semi;colon", "ключ"])
def test_bad_webhook_secret(raw: str) -> None:
    assert_error("WEBHOOK_SECRET", {"WEBHOOK_SECRET": raw}, raw)


# --- nothing secret is ever shown ----------------------------------------------------------


def test_repr_and_str_never_show_a_token_or_key() -> None:
    s = load(
        TELEGRAM_BOT_TOKEN=f"{TOKEN},{TOKEN2}",
        BOT_SECRET=f"{SECRET},{SECRET2}",
        WEBHOOK_SECRET="webhook-secret-value",
    )
    derived = load(TELEGRAM_BOT_TOKEN=TOKEN)
    for text in (repr(s), str(s), repr(derived), str(derived), f"{s}", f"{s!r}"):
        for secret in (TOKEN, TOKEN2, SECRET, SECRET2, "webhook-secret-value", TOKEN.split(":")[1]):
            assert secret not in text
        assert derived.secrets_for(0)[0].hex() not in text


def test_settings_are_frozen() -> None:
    s = load()
    with pytest.raises(ValidationError):
        s.log_level = "DEBUG"  # type: ignore[misc]


def test_the_first_bad_variable_is_named() -> None:
    env: dict[str, Any] = {"LOG_LEVEL": "x", "BOT_DEFAULT_LANGUAGE": "x"}
    # Reported in the order the variables are documented.
    assert error_of(**env).variable == "BOT_DEFAULT_LANGUAGE"


def test_webhook_peers_default_to_proxy_on_a_loopback_listen() -> None:
    # On loopback every peer is a local forwarder, never Telegram (docs/webhook-hardening.md).
    assert load().webhook_peers_effective == "proxy"
    assert load(WEBHOOK_LISTEN="[::1]:8443").webhook_peers_effective == "proxy"
    assert load(WEBHOOK_LISTEN="0.0.0.0:8443").webhook_peers_effective == "any"
    assert load(WEBHOOK_LISTEN="bot.example.org:443").webhook_peers_effective == "any"
    for value in ("any", "Telegram", "proxy"):
        settings = load(WEBHOOK_PEERS=value)
        assert settings.webhook_peers_effective == value.lower()


@pytest.mark.parametrize("raw", ["all", "none", "1", "telegram,proxy"])
def test_bad_webhook_peers(raw: str) -> None:
    assert_error("WEBHOOK_PEERS", {"WEBHOOK_PEERS": raw})


def test_webhook_max_connections() -> None:
    assert load().webhook_max_connections == 40
    assert load(WEBHOOK_MAX_CONNECTIONS="100").webhook_max_connections == 100
    for raw in ("0", "101", "-1", "4O", "١٠"):
        assert_error("WEBHOOK_MAX_CONNECTIONS", {"WEBHOOK_MAX_CONNECTIONS": raw})
