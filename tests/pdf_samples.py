"""Build PDF files the way government documents are typeset, for the tests and benchmarks.

Paragraphs are justified and wrapped at the text width with a two-character first-line
indent, set in reportlab's CID font ``STSong-Light`` (no font file needed); every page has a
running head and a page number ``— N —`` in the footer; a table is drawn with a grid.
Needs reportlab (a test dependency).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

FONT = "STSong-Light"


def make_pdf(paragraphs: Sequence[str | Sequence[Sequence[str]]], *, head: str = "某市人民政府文件",
             title: str = "", size: float = 12.0, indent: bool = True) -> bytes:
    """A PDF of ``paragraphs``: strings are paragraphs, lists of rows are ruled tables.
    ``indent=False`` sets every paragraph flush left (no two-character first-line indent)."""
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=size, leading=size * 1.6,
                          firstLineIndent=2 * size if indent else 0, alignment=TA_JUSTIFY, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=size * 0.9, leading=size * 1.3, wordWrap="CJK")

    def furniture(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, size * 0.8)
        width, height = A4
        canvas.drawCentredString(width / 2, height - 40, head)
        canvas.drawCentredString(width / 2, 30, f"— {doc.page} —")
        canvas.restoreState()

    story: list[Any] = []
    for item in paragraphs:
        if isinstance(item, str):
            story.append(Paragraph(escape(item.strip("\u3000 ")), body))
        else:
            rows = [[Paragraph(escape(c), cell) for c in row] for row in item]
            table = Table(rows, repeatRows=0)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(table)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=72, rightMargin=72, topMargin=80,
                                 bottomMargin=70, title=title, author="", invariant=1)
    document.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return buffer.getvalue()


def paragraphs(text: str) -> list[str]:
    """The paragraphs a typesetter would set from a plain text: its lines, and within a line
    the pieces that start with a ``　　`` paragraph mark (texts copied from web pages often
    keep a whole document on one line)."""
    import re

    out: list[str] = []
    for line in text.splitlines():
        out.extend(p for p in re.split(r"\u3000{2,}", line) if p.strip())
    return out


def make_line_pdf(lines: Sequence[str], *, size: float = 12.0, head: str = "") -> bytes:
    """A PDF set flush left, line by line as given (no first-line indent): a line at least
    80% as wide as the widest is justified to the full text width, as a typesetter sets
    every line but a paragraph's short last one.  So a paragraph whose last line is full
    ends at the right margin, like the wrapped lines before it.  Every page has a page number
    ``— N —`` and, if ``head`` is given, that running head."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    width, height = A4
    natural = [pdfmetrics.stringWidth(line, FONT, size) for line in lines]
    full = max(natural, default=0.0)
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    top, leading, page_number = height - 80, size * 1.6, 1

    def furniture() -> None:
        page.setFont(FONT, size * 0.8)
        if head:
            page.drawCentredString(width / 2, height - 40, head)
        page.drawCentredString(width / 2, 30, f"— {page_number} —")

    furniture()
    y = top
    for line, natural_width in zip(lines, natural, strict=True):
        if y < 80:
            page.showPage()
            page_number += 1
            furniture()
            y = top
        text = page.beginText(72, y)
        text.setFont(FONT, size)
        if natural_width >= 0.8 * full and len(line) > 1:
            text.setCharSpace((full - natural_width) / (len(line) - 1))
        text.textOut(line)
        page.drawText(text)
        y -= leading
    page.save()
    return buffer.getvalue()
