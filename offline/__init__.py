"""The offline page: the whole interview as one self-contained HTML file, for when Telegram is not
reachable. Its engine is the rule base compiled to JavaScript by `rules.jscompile`; its texts come
from the rule base and the bot's catalogs."""
