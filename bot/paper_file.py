"""A written document (interview/papers.py) sent as a PDF: rendered off the event loop, sent with
a caption on how to file it, and forgotten (the bytes live only for the call)."""

from __future__ import annotations

import asyncio

from telegram import Bot, InputFile

from interview.html_text import b, esc
from interview.papers import Paper


def caption(paper: Paper) -> str:
    """The title and how to file it, in the person's language (at most 1,024 characters: the
    rule base checks it at load)."""
    return b(paper.title) + "\n\n" + esc(paper.caption)


async def send_paper(bot: Bot, chat_id: int, paper: Paper) -> int:
    """Send the document; the message id."""
    # fpdf2, Pillow and fontTools cost about 0.25 s and 25 MB to import: only once asked for.
    from interview.pdf import render_pdf

    data = await asyncio.to_thread(render_pdf, paper)
    message = await bot.send_document(
        chat_id, InputFile(data, filename=paper.file, attach=True), caption=caption(paper),
        parse_mode="HTML", disable_notification=True, disable_content_type_detection=True)
    return int(message.message_id)
