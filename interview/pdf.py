"""A `Paper` as an A4 PDF: the usual layout of a Russian statement (addressee and sender top
right, title, body, numbered requests, attachments, date and signature, a box for the receiving
office's mark), in the bundled Liberation Serif (OFL, Cyrillic; fpdf2 embeds only the glyphs
used).

Reproducible and anonymous: a fixed creation date, no producer, title or author, an id computed
from the content, so the same answers give the same bytes and the file says nothing of who made
it or when."""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
from pathlib import Path

from fontTools import subset, ttLib  # type: ignore[import-untyped]
from fpdf import FPDF
from fpdf.fonts import TTFFont

from .papers import Paper

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "Serif"
# A fixed date instead of "now": the file must not tell when (or that) it was made here.
CREATION_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP = 25.0, 15.0, 15.0  # mm; a left margin for a binder
BLOCK_X = 110.0  # where the addressee block starts (mm from the left edge)
SIZES = (12.0, 11.0, 10.0)  # points, tried in order until the document fits one page
STYLES = {"": "LiberationSerif-Regular.ttf", "B": "LiberationSerif-Bold.ttf"}
# What the templates may print: Latin, Cyrillic, dashes, quotes, ellipsis, №. Parsing the whole
# font for every document took ~50 ms per face; this cut of it (kept in memory, made once per
# process, never written anywhere) takes ~3 ms. fpdf2 then embeds only the glyphs used.
CODEPOINTS: frozenset[int] = frozenset({
    *range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x400, 0x460),
    0x2010, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x201E, 0x2022, 0x2026,
    0x2116,
})


# fontTools reports every table it cuts at INFO: noise in the bot's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)


@functools.cache
def _face(style: str) -> bytes:
    font = ttLib.TTFont(str(FONT_DIR / STYLES[style]), recalcTimestamp=False)
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["FFTM"]
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=CODEPOINTS)
    cutter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


class _Sheet(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_creation_date(CREATION_DATE)
        self.set_producer("")
        self.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
        self.set_auto_page_break(True, margin=15)
        for style in STYLES:
            # What add_font does, from memory instead of a file path (see CODEPOINTS).
            key = FAMILY.lower() + style
            self.fonts[key] = TTFFont(self, io.BytesIO(_face(style)), key, style)  # type: ignore[arg-type]


def _lay_out(paper: Paper, size: float) -> _Sheet:
    pdf = _Sheet()
    pdf.add_page()
    line = size * 0.45  # mm per line: about 1.15 line spacing
    small = size - 3
    width = pdf.w - BLOCK_X - MARGIN_RIGHT
    pdf.set_font(FAMILY, "", size)
    # Addressee and sender, top right; a line in parentheses is a hint under a blank.
    for text in (*paper.to, "", *paper.sender):
        pdf.set_x(BLOCK_X)
        hint = text.startswith("(") and text.endswith(")")
        pdf.set_font(FAMILY, "", small if hint else size)
        if text.endswith("_"):
            # A blank to fill by hand: the words, then a rule to the block's edge (a run of
            # underscores would wrap at one size and fall short at another).
            words = text.rstrip("_").rstrip()
            if words:
                pdf.cell(pdf.get_string_width(words) + 1, line, words)
            pdf.line(pdf.get_x(), pdf.get_y() + line - 0.8, BLOCK_X + width, pdf.get_y() + line - 0.8)
            pdf.set_xy(MARGIN_LEFT, pdf.get_y() + line + 0.6)
            continue
        pdf.multi_cell(width, (small * 0.42) if hint else line, text, align="C" if hint else "L",
                       new_x="LMARGIN", new_y="NEXT")
    pdf.ln(line)
    pdf.set_font(FAMILY, "B", size + 1)
    pdf.multi_cell(0, line + 0.5, paper.heading, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", size)
    pdf.multi_cell(0, line, paper.subject, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(line * 0.6)

    def align(text: str) -> str:
        # Justified, a line before a long blank would be stretched word by word.
        return "L" if "____" in text else "J"

    def para(text: str, gap: float = 0.25) -> None:
        if not text.strip("_"):  # a whole line to write on: a rule across the page
            y = pdf.get_y() + line - 0.8
            pdf.line(MARGIN_LEFT, y, pdf.w - MARGIN_RIGHT, y)
            pdf.ln(line * (1 + gap))
            return
        pdf.multi_cell(0, line, text, align=align(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(line * gap)

    def numbered(items: tuple[str, ...]) -> None:
        for n, item in enumerate(items, 1):
            text = f"{n}. {item}"
            pdf.multi_cell(0, line, text, align=align(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(line * 0.4)

    for text in paper.intro:
        para(text)
    if paper.grounds:
        para(paper.grounds_intro or paper.grounds_heading, 0)
        numbered(paper.grounds)
    para(f"{paper.basis_heading} {paper.basis}", 0.4)
    pdf.set_font(FAMILY, "B", size)
    para(paper.requests_heading, 0)
    pdf.set_font(FAMILY, "", size)
    numbered(paper.requests)
    if paper.deadline:
        para(f"{paper.deadline_heading} {paper.deadline}", 0.4)
    if paper.attachments:
        para(paper.attachments_heading, 0)
        numbered(paper.attachments)
    pdf.ln(line * 0.6)
    y = pdf.get_y()
    pdf.cell(80, line, paper.date_line)
    pdf.set_xy(pdf.w - MARGIN_RIGHT - 80, y)
    pdf.cell(80, line, paper.signature_line, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", small)
    pdf.set_x(pdf.w - MARGIN_RIGHT - 80)
    pdf.cell(80, small * 0.42, paper.signature_hint, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(line)
    # The receiving office's box: incoming number, date, who accepted it.
    top = pdf.get_y()
    pdf.set_font(FAMILY, "", small + 1)
    for text in paper.receipt:
        pdf.set_x(MARGIN_LEFT + 2)
        pdf.multi_cell(pdf.w - MARGIN_LEFT - MARGIN_RIGHT - 4, line, text,
                       new_x="LMARGIN", new_y="NEXT")
    pdf.rect(MARGIN_LEFT, top - 1.5, pdf.w - MARGIN_LEFT - MARGIN_RIGHT, pdf.get_y() - top + 3)
    return pdf


def render_pdf(paper: Paper) -> bytes:
    """The document as PDF bytes: one A4 page at the largest size that fits, else more pages."""
    pdf = _lay_out(paper, SIZES[0])
    for size in SIZES[1:]:
        if pdf.page_no() == 1:
            break
        pdf = _lay_out(paper, size)
    return bytes(pdf.output())

