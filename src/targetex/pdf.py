"""PDF files: the text of a published plan or report, in reading order.

Needs the optional ``pdfplumber`` (``pip install 'targetex[pdf]'``).  What a PDF adds to a
text, and what this reader takes away again:

* running heads, footers and page numbers — lines in the top or bottom margin that are a
  page number (``- 3 -``, ``第3页``) or repeat on several pages (digits aside) — are dropped;
* tables (ruled, as pdfplumber finds them) are read row by row, one cell per line, in their
  place among the text lines;
* hard line wraps are joined: a line that runs to the right margin continues on the next
  line unless that one is indented, stands apart, or starts a paragraph of its own — a
  numbering label (``（二）``, ``3.``, ``第五条``), a responsibility key (``牵头单位：``) or a
  closer (``特此通知``), read with the label styles and words of the structure stage; inside
  an open bracket a wrap is always joined (``（牵头单位：…，`` / ``配合单位：…）`` is one
  bracket) — also across a page break;
* a PDF without a text layer (a scan) gives one clear error: OCR it first.

Offsets of the records refer to the text returned here.
"""

from __future__ import annotations

import functools
import importlib
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

from targetex.errors import InputError, ResourceError, library_reason
from targetex.normalize import normalize
from targetex.resources import load, read_toml

__all__ = ["read_pdf"]

_HINT = "pip install 'targetex[pdf]'"


@dataclass(frozen=True)
class _Rules:
    margin: float
    page_number: re.Pattern[str]
    #: Numbering labels that open a paragraph (on the normalised text, at the line start).
    labels: tuple[re.Pattern[str], ...]
    #: A responsibility key with its colon, or a closer (on the normalised text).
    opener: re.Pattern[str]

    def starts_paragraph(self, line: str) -> bool:
        """Whether ``line`` opens a paragraph of its own: never a wrap's continuation."""
        head = normalize(line).text.lstrip()
        return self.opener.match(head) is not None or any(p.match(head) for p in self.labels)


def _bracket_balance(line: str) -> int:
    """Brackets a line opens minus those it closes (full- and half-width alike)."""
    text = normalize(line).text
    return text.count("(") + text.count("[") - text.count(")") - text.count("]")


@functools.cache
def _rules() -> _Rules:
    data = read_toml("documents.toml")["pdf"]
    lexicon = load()
    styles = {label.style: label.regex for label in lexicon.labels}
    unknown = [s for s in data["paragraph_label_styles"] if s not in styles]
    if unknown:
        raise ResourceError(f"models/documents.toml: [pdf] paragraph_label_styles: unknown styles {unknown} "
                            "(not in [[labels]] of models/structure.toml)")
    return _Rules(float(data["margin"]), re.compile(data["page_number"]),
                  tuple(styles[s] for s in data["paragraph_label_styles"]), lexicon.layout.opener_regex)


@dataclass
class _Line:
    """A line of a page: text, position, and whether it is a table cell."""

    text: str
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    cell: bool = False


def _pdfplumber(name: str) -> Any:
    try:
        return importlib.import_module("pdfplumber")
    except ImportError:
        raise InputError(f"{name}: reading PDF needs pdfplumber: {_HINT}") from None


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _join(left: str, right: str) -> str:
    """Two pieces of one wrapped line: a space only between two Latin letters or digits."""
    if left and right and left[-1].isascii() and right[0].isascii() \
            and left[-1].isalnum() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


def _cell_text(cell: str | None) -> str:
    if not cell:
        return ""
    parts = [p.strip() for p in cell.split("\n") if p.strip()]
    text = ""
    for part in parts:
        text = _join(text, part)
    return text


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _page_lines(page: Any, number: int) -> list[_Line]:
    """Text lines and table cells of one page, top to bottom."""
    tables = page.find_tables()
    boxes = [tuple(t.bbox) for t in tables]
    lines: list[_Line] = []
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes)) \
        if boxes else page
    for line in outside.extract_text_lines(layout=False, strip=True, return_chars=True):
        text = line["text"]
        if not text.strip():
            continue
        sizes = [c.get("size", 0.0) for c in line.get("chars", ())]
        size = max(sizes) if sizes else line["bottom"] - line["top"]
        lines.append(_Line(text, number, line["top"], line["bottom"], line["x0"], line["x1"], size))
    for table, box in zip(tables, boxes, strict=True):
        top = box[1]
        for row in table.extract():
            for cell in row:
                text = _cell_text(cell)
                if text:
                    # Cells keep the table's place among the text lines, in row order.
                    lines.append(_Line(text, number, top, top, box[0], box[2], 0.0, cell=True))
                    top += 1e-3
    lines.sort(key=lambda ln: ln.top)
    return lines


def _drop_margins(pages: list[list[_Line]], heights: list[float]) -> list[list[_Line]]:
    """Drop page numbers, and running heads and footers that repeat on several pages."""
    rules = _rules()

    def in_margin(line: _Line) -> bool:
        height = heights[line.page]
        return not line.cell and (line.bottom <= height * rules.margin
                                  or line.top >= height * (1 - rules.margin))

    def shape(text: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))

    repeated = Counter(shape(ln.text) for lines in pages for ln in {shape(x.text): x for x in lines
                                                                     if in_margin(x)}.values())
    threshold = 2 if len(pages) >= 2 else 10**9
    kept = []
    for lines in pages:
        kept.append([ln for ln in lines if not (in_margin(ln) and (
            rules.page_number.match(ln.text) or repeated[shape(ln.text)] >= threshold))])
    return kept


def _unwrap(lines: list[_Line]) -> list[str]:
    """Join lines that a hard wrap split (see the module docstring)."""
    rules = _rules()
    body = [ln for ln in lines if not ln.cell]
    # The text block: its left edge, and its right edge — where most of the lines that end
    # near the longest one end (justified text), so that one overlong line does not move it.
    # Measured over the whole document: a page of short lines (a table set one cell per
    # line) has no right margin of its own.
    left = min((ln.x0 for ln in body), default=0.0)
    longest = max((ln.x1 for ln in body), default=0.0)
    size = max((ln.size for ln in body), default=1.0)
    ends = Counter(round(ln.x1) for ln in body if ln.x1 >= longest - 2 * size).most_common(1)
    right = float(ends[0][0]) if ends and ends[0][1] >= 3 else longest
    out: list[str] = []
    previous: _Line | None = None
    depth = 0  # brackets left open by the paragraph read so far
    for line in lines:
        joined = False
        if previous is not None and out and not line.cell and not previous.cell:
            em = max(previous.size, line.size, 1.0)
            reaches_right = previous.x1 >= right - 1.5 * em
            starts_left = line.x0 <= left + 0.5 * em
            same_block = line.page != previous.page or line.top - previous.bottom <= 1.2 * em
            if reaches_right and starts_left and same_block and (
                    depth > 0 or not rules.starts_paragraph(line.text)):
                out[-1] = _join(out[-1], line.text.strip())
                joined = True
        if not joined:
            out.append(line.text.strip())
            depth = 0
        depth = max(0, depth + _bracket_balance(line.text))
        previous = line
    return out


def read_pdf(data: bytes, name: str = "<pdf>") -> tuple[str, dict[str, str]]:
    """The text of a PDF and the fields its properties give (``title``).

    Raises:
        InputError: pdfplumber is missing, the file is damaged or encrypted, or it has no
            text layer (a scanned document); the message names the file.
    """
    pdfplumber = _pdfplumber(name)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_page_lines(page, i) for i, page in enumerate(pdf.pages)]
            heights = [float(page.height) for page in pdf.pages]
            info = pdf.metadata or {}
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on damaged or encrypted files
        raise InputError(f"{name}: not a readable PDF: {library_reason(exc, 'damaged or encrypted')}"
                         ) from None
    if not any(pages):
        raise InputError(f"{name}: PDF has no text layer (a scan?); OCR it first")
    lines = [ln for page in _drop_margins(pages, heights) for ln in page]
    fields: dict[str, str] = {}
    title = info.get("Title")
    if isinstance(title, str) and any(_wide(ch) for ch in title):
        fields["title"] = title.strip()
    return "\n".join(_unwrap(lines)), fields
