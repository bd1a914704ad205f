"""Gettext catalogs, compiled in memory at start: the .po files are the only source, so they never
go stale and nothing is written to disk (read_po -> write_mo -> Translations)."""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from importlib import resources

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGS = ("ru", "en")
DOMAIN = "messages"
# Telegram language codes answered in Russian; any other gets English.
RUSSIAN_CODES = frozenset({"ru", "uk", "be", "kk"})


def N_(message: str) -> str:
    """Marks a message for extraction (babel.cfg: -k N_); translated where it is shown."""
    return message


class Tr:
    """The texts of one language."""

    def __init__(self, lang: str, translations: NullTranslations) -> None:
        self.lang = lang
        self._t = translations
        self._dates: dict[dt.date, str] = {}

    def gettext(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def date(self, day: dt.date) -> str:
        """'10 октября 2022 г.' / 'October 10, 2022'."""
        found = self._dates.get(day)
        if found is None:  # Babel's formatting costs more than the rest of a question screen
            if len(self._dates) > 4096:
                self._dates.clear()
            found = self._dates[day] = format_date(day, format="long", locale=self.lang)
        return found


def _catalog_bytes(lang: str) -> bytes:
    return (resources.files("locales") / lang / "LC_MESSAGES" / f"{DOMAIN}.po").read_bytes()


@cache
def tr(lang: str) -> Tr:
    """The translator for `lang` ("ru" or "en"), compiled once per process."""
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}")
    catalog = read_po(io.BytesIO(_catalog_bytes(lang)), locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Tr(lang, Translations(fp=buf, domain=DOMAIN))


def pick_language(chosen: str | None, telegram_code: str | None, default: str) -> str:
    """The person's choice, else Telegram's language, else the configured default."""
    if chosen in LANGS:
        return chosen
    if telegram_code:
        return "ru" if telegram_code.split("-")[0].lower() in RUSSIAN_CODES else "en"
    return default
