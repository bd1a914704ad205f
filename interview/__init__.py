"""The interview every channel shares: the flow (state in, screen out), the screens, their texts
and i18n. It imports neither `telegram` nor `bot`: the Telegram bot, the terminal chat and the
offline page are channels that show what it returns."""
