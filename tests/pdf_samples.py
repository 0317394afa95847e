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
             title: str = "", size: float = 12.0) -> bytes:
    """A PDF of ``paragraphs``: strings are paragraphs, lists of rows are ruled tables."""
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=size, leading=size * 1.6,
                          firstLineIndent=2 * size, alignment=TA_JUSTIFY, wordWrap="CJK")
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
