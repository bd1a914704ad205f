"""exempt-bot: the Telegram bot and terminal chat on top of the `rules` package."""
