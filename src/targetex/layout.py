"""Stage 2: layout — rebuild the logical lines of a document, whatever shape it came in.

Government pages serve one document in several shapes.  Later stages read a document line
by line (a numbering label opens a line, a responsibility line is a line), so this stage
detects the shape once per document and rebuilds logical paragraphs, one per line,
keeping the offset map exact (:meth:`~targetex.normalize.NormalizedText.edited`):

- ``lines``: one paragraph per line, nothing to do;
- ``marked``: paragraphs separated by ``　　`` inside a line (pages flattened to one line
  keep them): every such mark becomes a line break (same length, offsets unchanged);
- ``one_line``: the line breaks are gone (``…特制定本方案。一、工作目标…二、重点任务（一）…``):
  a line break is inserted before every label the numbering accepts there (the sequence
  model of :mod:`targetex.numbering`, so ``分为三类：1.…；2.…`` inside a sentence stays
  where it is), before a responsibility line (``牵头单位：``) and before the lines that
  close a notice (``特此通知``, ``附件：``);
- ``hard_wrapped``: text copied from a PDF with a line break every 30–40 characters,
  wherever it falls (``（牵头单`` / ``位：…``, ``1`` / ``2.5万亩``): the wraps are removed
  and the breaks that end a paragraph kept;
- ``cells``: a table flattened one cell per line; read as it is by the structure stage.

What a paragraph looks like (which characters end one, which label styles are headings,
how full a wrapped line is) is data: the ``[layout]`` table of ``models/structure.toml``.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from targetex.columns import RESPONSIBILITY_ROLES, header_role, indicator_header
from targetex.normalize import NormalizedText, normalize
from targetex.numbering import (
    CIRCLED,
    LOOKAHEAD,
    Candidate,
    Outline,
    label_number,
    listed_annexes,
    match_label,
)
from targetex.resources import LayoutRules, Lexicon, load
from targetex.scanning import matches, start_class

__all__ = ["Layout", "detect_layout", "prepare", "rebuild"]


class Layout(StrEnum):
    """The shape a document came in."""

    LINES = "lines"
    MARKED = "marked"
    ONE_LINE = "one_line"
    MARKDOWN = "markdown"
    HARD_WRAPPED = "hard_wrapped"
    CELLS = "cells"


def prepare(raw: str, lexicon: Lexicon | None = None) -> NormalizedText:
    """Normalise ``raw`` and rebuild its layout: the text the structure stage reads."""
    return rebuild(normalize(raw), lexicon or load())


def rebuild(norm: NormalizedText, lexicon: Lexicon) -> NormalizedText:
    """Detect the layout of a normalised text and rebuild its logical lines.

    Returns:
        The text with hard wraps removed, paragraph marks turned into line breaks and
        paragraph breaks inserted, as the layout needs; ``layout`` records the layout.
    """
    layout = Layout.LINES
    if len(norm.text) < lexicon.layout.one_line_min and "\u3000" not in norm.raw:
        # A phrase: nothing to rebuild, but a small table's rows are still split into cells.
        return norm.edited(breaks=_table_cells(norm.text, lexicon), layout=layout.value)
    shape = Layout.LINES
    markup = _markdown_markup(norm.text)
    if markup:
        # A page served as Markdown: its heading, quote and emphasis marks are dropped (the
        # labels after `## ` are at a line start again); its bullets are labels.
        norm = norm.edited(drops=markup)
    if _hard_wrapped(norm.text, lexicon):
        layout = Layout.HARD_WRAPPED
        if _wrapped_one_line(norm.text, lexicon):
            shape = Layout.ONE_LINE  # a one-line text wrapped: one line again, once unwrapped
        norm = norm.edited(drops=_wraps(norm.text, lexicon))
    marks = list(_paragraph_marks(norm))
    text = _replaced(norm.text, marks, "\n")
    if layout is Layout.LINES:
        layout = detect_layout(text, lexicon)
        if layout is Layout.LINES and marks:
            layout = Layout.MARKED
        elif layout is Layout.LINES and markup:
            layout = Layout.MARKDOWN
    if layout is Layout.ONE_LINE or shape is Layout.ONE_LINE:
        inserts = _paragraph_starts(text, lexicon)
    else:
        inserts = sorted({*_furniture_starts(text, lexicon), *_responsibility_starts(text, lexicon),
                          *_circled_item_starts(text, lexicon)})
        if layout is Layout.MARKED:
            inserts = _marked_part_starts(norm.text, text, marks, inserts, lexicon)
    # A `|` table whose rows a flattened page glued into one line (… 完成时限 1 | … 2 | …):
    # its header and every row get a line of their own first.
    rows = _glued_pipe_rows(text, lexicon) if "|" in text else []
    if rows:
        text = _replaced(text, rows, "\n")
    if layout is not Layout.ONE_LINE:
        marks = sorted({*marks, *rows, *_table_cells(text, lexicon)})
    elif rows:
        marks = sorted({*marks, *rows, *_pipe_cells(text, lexicon)})
    return norm.edited(breaks=marks, inserts=inserts, layout=layout.value)


# Markdown: a heading's marks (`## 二、重点任务`), a quote's mark (`> 来源：…`) and the marks
# of strong emphasis (`**到2026年**`).
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(?=\S)", re.MULTILINE)
_MD_QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]+(?=\S)", re.MULTILINE)  # (not >2: a bound in a cell)
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)[^\n]*?(?<=\S)\1")
_MD_BULLET = re.compile(r"^[ \t]*[-*+][ \t]+(?=\S)", re.MULTILINE)


def _markdown_markup(text: str) -> list[int]:
    r"""The offsets of the Markdown marks of a text written in Markdown (two headings, or a
    heading and bullets or strong emphasis), else none: a ``#`` or a ``**`` alone in plain
    text is text.

    >>> text = "# 方案\n## 一、目标\n**到2026年**，新建学校3所。"
    >>> "".join(ch for i, ch in enumerate(text) if i not in set(_markdown_markup(text)))
    '方案\n一、目标\n到2026年，新建学校3所。'
    >>> _markdown_markup("#1 新建学校3所")
    []
    """
    if "#" not in text:
        return []
    headings = [m.span() for m in _MD_HEADING.finditer(text)]
    strong = [m.span() for m in _MD_STRONG.finditer(text)]
    if not headings or (len(headings) < 2 and not strong and _MD_BULLET.search(text) is None):
        return []
    drops = [i for start, end in headings for i in range(start, end)]
    drops += [i for m in _MD_QUOTE.finditer(text) for i in range(*m.span())]
    for start, end in strong:
        drops += [start, start + 1, end - 2, end - 1]
    return sorted(drops)


# The paragraph marks of the raw text (a hard wrap may fall between the two spaces of one).
_MARK = re.compile("\u3000(?:\r?\n)?\u3000")


def _marks_at(norm: NormalizedText) -> Iterator[int]:
    """Normalised offsets of the paragraph marks (``　　`` as written) of the raw text."""
    if "\u3000" not in norm.raw:
        return
    for m in _MARK.finditer(norm.raw):
        at = _normalised(norm, m.start())
        if at is not None:
            yield at


def _normalised(norm: NormalizedText, raw_offset: int) -> int | None:
    """The normalised offset of the character at ``raw_offset`` (``None``: dropped)."""
    if norm.to_raw is None:
        return raw_offset
    at = norm.to_raw.index(raw_offset, len(norm.text))
    return at if at < len(norm.text) and norm.to_raw[at] == raw_offset else None


# Two or more spaces between two characters of a line: where a paragraph mark may be.
_SPACE_RUN = re.compile(r"(?<=\S) {2,}(?=\S)")


def _paragraph_marks(norm: NormalizedText) -> Iterator[int]:
    """Offsets of the characters that become line breaks: each ``　　`` (two ideographic
    spaces, as written) of a run of white space between two characters of one line."""
    runs = sorted({m.start() for at in _marks_at(norm) if (m := _run_around(norm.text, at))})
    for start in runs:
        m = _SPACE_RUN.match(norm.text, start)
        if m is None:
            continue
        pairs = []
        i = m.start()
        while i + 1 < m.end():
            if norm.raw[norm.raw_offset(i)] == "\u3000" == norm.raw[norm.raw_offset(i + 1)]:
                pairs.append(i)
                i += 2
            else:
                i += 1
        # One break per mark, but the last mark of a run of several is the next paragraph's
        # indentation (a blank line between two paragraphs is a run of two).
        yield from pairs[: max(1, len(pairs) - 1)]


def _run_around(text: str, at: int) -> re.Match[str] | None:
    """The run of spaces holding offset ``at``, when it lies between two characters."""
    if text[at] != " ":
        return None
    start = at
    while start > 0 and text[start - 1] == " ":
        start -= 1
    return _SPACE_RUN.match(text, start)


def _replaced(text: str, offsets: list[int], char: str) -> str:
    """``text`` with the character at each of ``offsets`` (sorted) replaced by ``char``
    (in pieces: a list of a long text's characters would cost gigabytes)."""
    if not offsets:
        return text
    pieces = []
    pos = 0
    for at in offsets:
        pieces.append(text[pos:at])
        pieces.append(char)
        pos = at + 1
    pieces.append(text[pos:])
    return "".join(pieces)


@dataclass(frozen=True, slots=True)
class _Line:
    start: int  # first character that is not white space
    end: int  # after the last one
    indented: bool

    @property
    def length(self) -> int:
        return self.end - self.start


def _lines(text: str) -> list[_Line]:
    """The lines of ``text`` that are not blank, with their indentation."""
    out = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + len(raw) - len(raw.lstrip())
            # (one space is a word gap a wrap fell on; indentation is two or more)
            out.append(_Line(start, start + len(stripped), start - pos >= 2))
        pos += len(raw) + 1
    return out


def detect_layout(text: str, lexicon: Lexicon) -> Layout:
    """The layout of a normalised text whose paragraph marks are already line breaks.

    (The hard-wrapped layout is read before paragraph marks: see :func:`rebuild`.)
    """
    rules = lexicon.layout
    longest = max((m.end() - m.start() for m in _long_lines(rules.one_line_min).finditer(text)), default=0)
    total = len(text) - text.count(" ") - text.count("\n")
    if longest and longest >= rules.one_line_share * total:
        return Layout.ONE_LINE
    breaks = text.count("\n")
    if breaks >= 20 and len(text) <= 2 * rules.cell_max * breaks:
        lines = sum(1 for _ in _TEXT_LINE.finditer(text))
        short = sum(1 for _ in _short_lines(rules.cell_max).finditer(text))
        if short >= 0.6 * lines:
            return Layout.CELLS
    return Layout.LINES


_TEXT_LINE = re.compile(r"^[^\S\n]*\S", re.M)


@functools.cache
def _long_lines(length: int) -> re.Pattern[str]:
    return re.compile(f"^[^\\n]{{{length},}}", re.M)  # (anchored: no retry inside a line)


@functools.cache
def _short_lines(length: int) -> re.Pattern[str]:
    return re.compile(f"^[^\\S\\n]*\\S[^\\n]{{0,{length - 1}}}$", re.M)


# ------------------------------------------------------------------ hard wraps


def _hard_wrapped(text: str, lexicon: Lexicon) -> bool:
    """Most lines are about as long as the longest usual one, and most of those end in
    the middle of a sentence: a text wrapped at a fixed width."""
    rules = lexicon.layout
    if text.count("\n") + 1 < rules.wrap_min_lines:
        return False
    long_lines = sum(1 for _ in _long_lines(rules.wrap_max_width + 1).finditer(text))
    if long_lines > 0.1 * (text.count("\n") + 1):
        return False  # (most texts: one search tells)
    lines = _lines(text)
    # Rows of a table copied from a PDF or written with | are short lines too: measured without them (only
    # when the text looks wrapped with them, which few texts do).
    return _wrapped_lines(text, lines, rules) and _wrapped_lines(
        text, [line for line in lines if not _row_like(text, line, pipes=True)], rules)


def _wrapped_one_line(text: str, lexicon: Lexicon) -> bool:
    """A hard-wrapped text whose paragraphs are few and huge: a one-line text (its lines
    all full but the last of each original line) wrapped at a fixed width."""
    rules = lexicon.layout
    lines = _lines(text)
    lengths = sorted(line.length for line in lines if line.length >= rules.wrap_min_line)
    if not lengths:
        return False
    width = lengths[int(0.9 * (len(lengths) - 1))]
    ends = sum(1 for line in lines if line.length < rules.wrap_full_share * width)
    return len(text) >= rules.one_line_min and len(text) / max(1, ends) >= _ONE_LINE_PARAGRAPH


_ONE_LINE_PARAGRAPH = 1000  # characters per original line: no paragraph is that long


def _wrapped_lines(text: str, lines: list[_Line], rules: LayoutRules) -> bool:
    lengths = sorted(line.length for line in lines if line.length >= rules.wrap_min_line)
    if len(lengths) < rules.wrap_min_lines:
        return False
    width = lengths[int(0.9 * (len(lengths) - 1))]
    full = [line for line in lines if line.length >= rules.wrap_full_share * width]
    if not rules.wrap_min_width <= width <= rules.wrap_max_width or len(full) < 0.5 * len(lengths):
        return False
    mid_sentence = sum(1 for line in full if text[line.end - 1] not in rules.paragraph_ends)
    return mid_sentence >= 0.5 * len(full)


def _wraps(text: str, lexicon: Lexicon) -> list[int]:
    """Offsets of the line breaks that are hard wraps (inside a paragraph).

    A break is a wrap after a full line, unless the next line is indented, is a short
    line of its own after a sentence end (a title, a signature), or opens a paragraph: a
    heading label, a responsibility key or a closer, or a list label that ends a sentence
    and continues the numbering (a wrap that falls before ``2、`` in the middle of a
    sentence does not make it an item).  Inside an open bracket it is always a wrap
    (``（牵头单位：…，`` / ``配合单位：…）`` is one bracket).
    """
    rules = lexicon.layout
    lines = _lines(text)
    lengths = sorted(line.length for line in lines if line.length >= rules.wrap_min_line)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    full = rules.wrap_full_share * width
    drops = []
    outline = Outline(lexicon.labels)
    if lines:
        _read_label(outline, text, lines[0], lexicon)
    depth = 0  # open brackets of the paragraph read so far
    for line, after in itertools.pairwise(lines):
        depth = max(0, depth + _bracket_balance(text, line.start, line.end))
        ends_sentence = text[line.end - 1] in rules.paragraph_ends
        if line.length < full or after.indented or text.count("\n", line.end, after.start) != 1 \
                or _row_like(text, line) or _row_like(text, after) or _PIPE_ROW.match(text, after.start):
            keep = True  # a short line ends its paragraph; an indented one, a blank line, a
            # `|` table's row (3 | …: a row starts with its serial cell, never a wrap)
        elif depth > 0:
            keep = False
        elif ends_sentence and after.length < full and text[after.end - 1] not in rules.paragraph_ends:
            keep = True  # a short line without an end of its own: a title or a signature
        elif text[line.end - 1] in rules.word_before_label \
                and _label_at(text, after.start, after.end, lexicon) is not None:
            keep = False  # 第 / 一、第三产业: a label glued to the word before it is no label
        else:
            label = _label_at(text, after.start, after.end, lexicon)
            if label is None:
                keep = _opens_paragraph(text, after.start, after.end, lexicon)
            elif lexicon.labels[label.rank].style in rules.heading_styles:
                keep = True
            elif _label_at(text, line.start, line.end, lexicon) is None \
                    and _opens_paragraph(text, line.start, line.end, lexicon):
                keep = True  # 牵头单位：…办事处 / 2.接待…: a responsibility line ends before a label
            else:
                placed = outline.place(label)
                keep = ends_sentence and placed is not None and not placed.restart and not placed.repeat
        if keep:
            depth = 0
            _read_label(outline, text, after, lexicon)
        else:
            drops.append(text.index("\n", line.end))
    return drops


def _row_like(text: str, line: _Line, pipes: bool = False) -> bool:
    """A line of cells split by spaces (a table row copied from a PDF), not prose; with
    ``pipes``, also a row of short cells split by ``|`` (whose lines a wrap may still cut:
    they are only left out of the measure of line widths)."""
    piece = text[line.start : line.end]
    if "|" in piece and not pipes:
        return False
    if "|" in piece:  # (a cell may hold a bracket or a list of units: 毛入学率(%), 甲局、乙局)
        cells = _pipe_pieces(piece)
        return len(cells) >= 2 and all(
            len(cell) <= _ROW_CELL and not any(ch in _SENTENCE_MARKS for ch in cell) for cell in cells)
    if text.count(" ", line.start, line.end) < 2:
        return False
    gaps = _gaps(piece)
    return len(gaps) >= 2 and all(
        len(cell) <= _ROW_CELL and not any(ch in _PROSE_MARKS for ch in cell) for cell in _cells(piece, gaps))


_ROW_CELL = 25  # a longer piece between two gaps is a sentence, not a cell
_PIPE_ROW = re.compile(r"[ \t]*\d{1,3}[ \t]?\|")  # a `|` table's row, opened by its serial cell
_PROSE_MARKS = frozenset("。；;，,：:、()")  # (paragraphs glued by marks: 。　　二、…　　（一）…)
_SENTENCE_MARKS = frozenset("。；;")


def _read_label(outline: Outline, text: str, line: _Line, lexicon: Lexicon) -> None:
    label = _label_at(text, line.start, line.end, lexicon)
    if label is not None:
        placed = outline.place(label)
        if placed is not None:
            outline.commit(label, placed)


def _bracket_balance(text: str, start: int, end: int) -> int:
    piece = text[start:end]
    return piece.count("(") + piece.count("[") - piece.count(")") - piece.count("]")


def _opens_paragraph(text: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """A line that starts like a paragraph: a label, a responsibility key, a closer."""
    if _label_at(text, start, end, lexicon) is not None:
        return True
    if lexicon.layout.key_regex.match(text, start, end):
        return True
    return text.startswith(lexicon.closers, start, end)


def _label_at(text: str, start: int, end: int, lexicon: Lexicon) -> Candidate | None:
    return match_label(lexicon, text, start, end, skip=_NOT_INLINE)


_NOT_INLINE = frozenset({"row"})  # (a bare row number is a label only inside a table)


# ------------------------------------------------------------------ tables copied from a PDF

_CELL_GAP = re.compile(r"[ \t]{2,}")
_SPACE = re.compile(r"[ \t]+")


def _table_cells(text: str, lexicon: Lexicon) -> list[int]:
    """Offsets of the characters that separate the cells of a table written one row per
    line: by spaces (copied from a PDF) or by ``|``."""
    out = _pipe_cells(text, lexicon) if "|" in text else []
    return out + _spaced_cells(text, lexicon) if " " in text else out


def _spaced_cells(text: str, lexicon: Lexicon) -> list[int]:
    """Offsets of the spaces that separate the cells of a table copied from a PDF, one row
    per line (``序号 指标名称 单位 目标值`` / ``1 地区生产总值增长 % 6``): each becomes a line
    break, as the cells of a table read from a web page are (same length).  A table starts
    at a line whose cells are mostly header words (:mod:`targetex.columns`) and goes on
    while lines split into as many cells (one fewer where a category cell spans rows)."""
    out: list[int] = []
    done = 0  # the end of the last table read
    for start, line in _spaced_header_lines(text, lexicon):
        if start < done:
            continue
        gaps = _gaps(line)
        if not gaps or not _header_row(line, gaps, lexicon):
            continue
        stop = start + len(line)
        roles = [header_role(cell, lexicon)[0] for cell in _cells(line, gaps)[:2]]
        spanned = roles[0] == "category" or roles[:2] == ["serial", "category"]
        width = len(gaps) + 1
        out += [start + g for g in gaps]
        pos = stop + 1
        while pos < len(text):
            end = text.find("\n", pos)
            end = len(text) if end == -1 else end
            row = text[pos:end]
            gaps = _gaps(row) if " " in row.strip() else []
            if len(gaps) + 1 == width or (spanned and len(gaps) + 1 == width - 1):
                out += [pos + g for g in gaps]
            elif gaps or len(row.strip()) > lexicon.layout.cell_max:
                break  # (a short line of its own: a category written alone)
            pos = end + 1
        done = pos
    return out


def _glued_pipe_rows(text: str, lexicon: Lexicon) -> list[int]:
    """Offsets of the spaces before a `|` table's header and before each of its rows, where
    a flattened page glued them into one line: the header opens with a serial cell (序号 |),
    and row ``n`` starts with `` n |`` after as many bars as the header has (so that a number
    inside a cell never starts a row)."""
    out: list[int] = []
    pos = 0
    for line in text.split("\n"):
        head = _SERIAL_HEAD.search(line) if line.count("|") >= 4 else None
        if head is not None and header_role(head.group(1), lexicon)[0] == "serial":
            first = _row_start(line, 1, head.end())
            if first is not None:
                bars = line.count("|", head.start(), first)  # the header's, one fewer than its cells
                if head.start() > 0:
                    out.append(pos + head.start() - 1)
                number, start = 1, first
                while True:
                    out.append(pos + start - 1)
                    nxt = _row_start(line, number + 1, start + 1)
                    if nxt is None or line.count("|", start, nxt) != bars:
                        break  # (the last row, or a number inside a cell)
                    number, start = number + 1, nxt
        pos += len(line) + 1
    return out


_SERIAL_HEAD = re.compile(r"(?:(?<= )|^)([^\s|]{2,3}) ?\|")


def _row_start(line: str, number: int, start: int) -> int | None:
    """Where row ``number`` starts (`` 3 | ``, after a space) from ``start`` on, or ``None``."""
    m = re.compile(rf" ({number}) ?\|").search(line, start)
    return m.start(1) if m is not None else None


def _pipe_cells(text: str, lexicon: Lexicon) -> list[int]:
    """Offsets of the ``|`` that separate the cells of a table of indicators written one
    row per line (``指标 | 单位 | 2025年目标 | 责任单位``, with or without ``|`` at the ends, a
    Markdown rule ``|---|---|`` under the header): each becomes a line break, and so does
    every character of a rule, so that the table reads as a web page's cells do.  Only a
    table whose header heads a table of indicators (:func:`targetex.columns.indicator_header`)
    is split: a table of tasks whose rows start with a label keeps its ``|`` (the structure
    stage reads its rows).  Rows go on while lines split into as many cells (one fewer
    where a category cell spans rows); blank lines and rules are skipped."""
    out: list[int] = []
    pos = 0
    width = 0  # cells of the header of the table being read, 0 outside a table
    spanned = False
    for line in text.split("\n"):
        end = pos + len(line)
        cells = _pipe_pieces(line)
        if width and _PIPE_RULE.fullmatch(line):
            out += range(pos, end)  # |---|---|: no cells
        elif width and (len(cells) == width or (spanned and len(cells) == width - 1)
                        or _category_row(cells, width)
                        or (len(cells) == width - 1 and line.rstrip().endswith("|"))):
            # (…| 90000 | 30000 | : a last cell left empty, its closing bar written)
            out += [pos + i for i, ch in enumerate(line) if ch == "|"]
        elif width and not line.strip():
            pass
        else:
            width = 0
            if len(cells) >= 2 and lexicon.first_header_regex.search(line):
                roles = [header_role(cell, lexicon)[0] for cell in cells]
                if (indicator_header(roles) or _numbered_tasks(roles)) \
                        and max(len(cell) for cell in cells) <= _ROW_CELL:
                    width = len(cells)
                    spanned = roles[0] == "category" or roles[:2] == ["serial", "category"]
                    out += [pos + i for i, ch in enumerate(line) if ch == "|"]
        pos = end + 1
    return out


def _category_row(cells: list[str], width: int) -> bool:
    """A row that names a part of the table across its width (``一、稳增长… |  |  |  |``):
    a first cell and empty ones, as many as the header's or fewer (a trailing bar drops one)."""
    return 2 <= len(cells) <= width and bool(cells[0]) and not any(cells[1:])


def _numbered_tasks(roles: list[str]) -> bool:
    """Whether a header of these roles heads a table of tasks numbered by a 序号 column
    (``序号 | 重点任务 | 牵头单位 | 完成时限``): its rows start with a bare number, a label
    only once the rows are cells (a line each), as a web page gives them."""
    return roles[0] == "serial" and bool(RESPONSIBILITY_ROLES & set(roles))


_PIPE_RULE = re.compile(r"\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*(?::?-{3,}:?\s*)?")


def _pipe_pieces(line: str) -> list[str]:
    """The cells of a line split by ``|`` (none without one), a ``|`` at either end left out."""
    stripped = line.strip()
    if "|" not in stripped:
        return []
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|"):
        stripped = stripped[:-1]
    return [piece.strip() for piece in stripped.split("|")]


def _spaced_header_lines(text: str, lexicon: Lexicon) -> list[tuple[int, str]]:
    """(offset, line) of the lines with a space between two words and a word a table's
    first header cell may be (序号, 类别, 指标…): where a table copied from a PDF may start."""
    out = []
    pos = 0
    for line in text.split("\n"):
        if " " in line and lexicon.first_header_regex.search(line) and " " in line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out
_FIRST_HEADERS = frozenset({"serial", "category", "indicator"})


def _gaps(line: str) -> list[int]:
    """Where the cells of a row copied from a PDF are separated: runs of two or more
    spaces when the line has any, else single spaces (offsets of each run's start)."""
    stripped = line.strip()
    if not stripped:
        return []
    lead = len(line) - len(line.lstrip())
    pattern = _CELL_GAP if _CELL_GAP.search(stripped) else _SPACE
    return [lead + m.start() for m in pattern.finditer(stripped)]


def _cells(line: str, gaps: list[int]) -> list[str]:
    bounds = [len(line) - len(line.lstrip()), *gaps, len(line)]
    return [line[a:b].strip() for a, b in itertools.pairwise(bounds)]


def _header_row(line: str, gaps: list[int], lexicon: Lexicon) -> bool:
    cells = _cells(line, gaps)
    if max(len(cell) for cell in cells) > _ROW_CELL:
        return False  # (prose with spaces)
    if header_role(cells[0], lexicon)[0] not in _FIRST_HEADERS:
        return False  # a header starts with 序号, a category or the indicator
    roles = [header_role(cell, lexicon)[0] for cell in cells]
    if len(roles) == 2:
        return indicator_header(roles)  # (指标  2025年目标: two cells only if they say so)
    named = sum(1 for role in roles if role != "none")
    return named >= 0.75 * len(roles) and ("indicator" in roles or "serial" in roles)


# ------------------------------------------------------------------ one line


def _marked_part_starts(raw_lines: str, text: str, marks: list[int], line_starts: list[int],
                        lexicon: Lexicon) -> list[int]:
    """The paragraph breaks of a text with paragraph marks.  Each part written with marks
    (a run of lines that hold one, in ``raw_lines``: the text before the marks became
    breaks) that lost some breaks besides is read as one-line text (a page flattened with
    marks before some paragraphs only lost the other breaks); the lines around it, and a
    marked part that lost nothing, keep ``line_starts``.  (Part by part: documents joined
    into one text, a blank line or a plain one between them, are read as each alone.)"""
    found = set(line_starts)
    for start, end in _marked_parts(raw_lines, marks):
        part = text[start:end]
        if _glued_paragraphs(part, lexicon):
            found.difference_update(at for at in line_starts if start <= at < end)
            found.update(start + at for at in _paragraph_starts(part, lexicon))
    return sorted(found)


def _marked_parts(text: str, marks: list[int]) -> list[tuple[int, int]]:
    """The spans of the runs of lines of ``text`` that hold a mark (offsets ``marks``)."""
    parts: list[tuple[int, int]] = []
    for at in marks:
        if parts and at < parts[-1][1]:
            continue  # (a mark of a line already taken)
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end == -1 else end
        if parts and parts[-1][1] + 1 == start:
            start = parts.pop()[0]  # the line right after the last one: the same run
        parts.append((start, end))
    return parts


def _paragraph_starts(text: str, lexicon: Lexicon) -> list[int]:
    """Offsets before which a one-line text had its paragraph breaks: the labels the
    numbering accepts there, responsibility lines and the lines that close a notice."""
    rules = lexicon.layout
    inserts = set(_label_starts(text, lexicon))
    for m in rules.opener_regex.finditer(text):
        at = m.start()
        before = _char_before(text, at)
        if before and before not in rules.list_separators and not _inside_brackets(text, at):
            inserts.add(at)
        if rules.key_regex.match(text, at):
            inserts.update(_end_of_unit_list(text, m.end(), lexicon))
    # An attachment's title glued to the signature before it and to its first sentence
    # (…2015年10月30日河北省双向转诊暂行规定为建立…): a line of its own.
    titles = listed_annexes(lexicon, text)
    for annex in titles:
        inserts.update((annex.start, annex.end))
    inserts.update(_signatures(text, lexicon, {annex.start for annex in titles}))
    # A box (…（责任单位：…）专栏1：…) and an address to the audience (…贡献！各位代表！…)
    # start a paragraph after a sentence end.
    for pattern in (lexicon.task_rules.box, lexicon.task_rules.address):
        for m in pattern.finditer(text):
            before = _char_before(text, m.start())
            if before and before in rules.paragraph_ends:
                inserts.add(m.start())
    # A glossary heading (…篇章！名词解释1.…): a line of its own.
    for title in lexicon.glossary_titles:
        at = text.find(title)
        while at != -1:
            before = _char_before(text, at)
            if before and before in rules.paragraph_ends:
                inserts.update((at, at + len(title)))
            at = text.find(title, at + len(title))
    return sorted(i for i in inserts if 0 < i < len(text) and text[i - 1] != "\n")


_GLUED: dict[int, re.Pattern[str]] = {}


def _glued_paragraphs(text: str, lexicon: Lexicon) -> bool:
    """Whether a marked text lost some paragraph breaks: a heading label, a box, an address
    or a glossary heading right after a sentence end, or a date glued to the text before or
    after it on its line (a signature).  (A quick test, so that a text marked throughout is
    not read again as one line.)"""
    rules = lexicon.layout
    pattern = _GLUED.get(id(lexicon))
    if pattern is None:
        starts = [style.inline.pattern for style in lexicon.labels
                  if style.style in rules.heading_styles and style.inline is not None]
        starts += [lexicon.task_rules.box.pattern, lexicon.task_rules.address.pattern,
                   *map(re.escape, lexicon.glossary_titles)]
        pattern = _GLUED.setdefault(id(lexicon), re.compile(
            "[" + re.escape(rules.paragraph_ends) + "][ ]*(?:" + "|".join(starts) + ")"))
    if pattern.search(text) is not None:
        return True
    for m in matches(rules.date_line, start_class(rules.date_line), text, 0, len(text)):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        after = text[m.end() : len(text) if line_end == -1 else line_end].strip()
        before = text[line_start : m.start()]
        if (after and "\u4e00" <= after[0] <= "\u9fff") or any(ch in rules.sentence_ends for ch in before):
            return True
    return False


def _furniture_starts(text: str, lexicon: Lexicon) -> list[int]:
    """Line breaks before web-page furniture glued after an article's last sentence
    (``…营造良好氛围。公开方式：主动公开``), in a text of any layout."""
    rules = lexicon.layout
    found = []
    for word in lexicon.task_rules.page_furniture:
        at = text.find(word)
        while at != -1:
            before = _char_before(text, at)
            if before and before in rules.sentence_ends + ")）":
                found.append(at)
            at = text.find(word, at + len(word))
    return sorted(found)


def _circled_item_starts(text: str, lexicon: Lexicon) -> list[int]:
    """Line breaks before the circled items a paragraph runs on after its sentences
    (``…厕所革命。坚持…。①三年新改建…。②持续开展…。``): a ``①`` right after a sentence end
    opens a list whose next numbers, each right after a sentence end, are items of their
    own; a list inside a sentence (分为三类：①…；②…) is not split."""
    ends = set(lexicon.layout.sentence_ends)  # (a set: "" at a line start is in no set)
    found: list[int] = []
    at = text.find("①")
    while at != -1:
        if _char_before(text, at) in ends:
            line_end = text.find("\n", at)
            line_end = len(text) if line_end == -1 else line_end
            items = [at]
            for nxt in CIRCLED[1:]:
                pos = text.find(nxt, items[-1], line_end)
                if pos == -1 or _char_before(text, pos) not in ends:
                    break
                items.append(pos)
            if len(items) >= 2:
                found.extend(items)
        at = text.find("①", at + 1)
    return found


def _responsibility_starts(text: str, lexicon: Lexicon) -> list[int]:
    """Line breaks before a responsibility key written after a sentence end inside a line
    (``…达到90%以上。牵头单位：县住建局；责任单位：…。``), and after its unit list, in a text
    of any layout: a responsibility line is a line of its own."""
    rules = lexicon.layout
    found: list[int] = []
    for m in rules.key_regex.finditer(text):
        at = m.start()
        before = _char_before(text, at)
        if before and before in rules.sentence_ends and not _inside_brackets(text, at):
            found.append(at)
            found.extend(_end_of_unit_list(text, m.end(), lexicon))
    return found


def _label_starts(text: str, lexicon: Lexicon) -> Iterator[int]:
    """The labels inside the lines of a one-line text that open a paragraph (and, for an
    annex label, where its title starts), read in order with the numbering model."""
    rules = lexicon.layout
    found = list(_candidates(text, lexicon))
    outline = Outline(lexicon.labels)
    inline_lists: dict[int, int] = {}  # rank → last number of an enumeration inside a sentence
    last: Candidate | None = None  # the last label accepted
    for i, (label, before) in enumerate(found):
        style = lexicon.labels[label.rank]
        heading = style.style in rules.heading_styles
        if inline_lists.get(label.rank) == label.number - 1:
            inline_lists[label.rank] = label.number  # the enumeration goes on
            continue
        listed = bool(before) and not heading and label.number == 1 and before in rules.enumeration_openers
        paragraphs = listed and _paragraph_list(found, i, rules)  # 目标如下：1.…。2.…
        if listed and not paragraphs:
            inline_lists[label.rank] = 1  # 分为三类：1.…；2.…
            continue
        if before and before in rules.word_before_label:
            continue  # 第1、 一二、三产业
        placed = outline.place(label, [c for c, _ in found[i + 1 : i + 1 + LOOKAHEAD]])
        if placed is None or placed.repeat or (placed.restart and not heading):
            continue  # (a list inside a table cell restarting at 1 is not the document's)
        after_punctuation = not before or before in rules.paragraph_ends or paragraphs or (
            heading and before in rules.enumeration_openers)
        if not after_punctuation and (
                label.expected_only or not _glued_label(text, label, last, outline, lexicon)):
            continue  # (12.5G… opens a paragraph only after one: 控制在3.5%以内 is no label)
        outline.commit(label, placed)
        last = label
        if before:
            yield label.start
        if style.style == "annex":
            yield label.end  # its title follows on a line of its own
        elif heading:
            title = rules.title_cut.match(text, label.end)
            if title is not None:
                yield title.end()  # 一、工作目标|到2025年…: the title was a line of its own


def _paragraph_list(found: list[tuple[Candidate, str]], i: int, rules: LayoutRules) -> bool:
    """The list that ``found[i]`` (a ``1`` after a colon) opens goes on after a sentence end
    (具体目标如下：1.完善机制。…2.树立标杆。…): paragraphs of their own, not an enumeration
    inside a sentence (分为三类：1.…；2.…)."""
    label = found[i][0]
    for other, before in found[i + 1 : i + 1 + LOOKAHEAD]:
        if other.rank == label.rank and other.number == label.number + 1:
            return bool(before) and before in rules.sentence_ends
    return False


def _glued_label(text: str, label: Candidate, last: Candidate | None, outline: Outline,
                 lexicon: Lexicon) -> bool:
    """A label glued to the word before it opens a paragraph only when the numbering
    expects exactly it next, or when it is the first label after a heading's short title
    (一、发展目标1.实施…, (一)立足顶层设计,提升能级1.完善…) or after a document's title
    (…分解方案一、…)."""
    rules = lexicon.layout
    if label.number > 1:
        return label.number in outline.expected(label.rank)
    if last is not None and label.rank > last.rank and label.start - last.end <= rules.max_title \
            and not any(ch in _TITLE_STOPS for ch in text[last.end : label.start]):
        return True
    return text.endswith(rules.title_ends, 0, _content_end(text, label.start))


#: What never stands inside a heading's title (a comma may: 立足顶层设计，提升综合管理能级).
_TITLE_STOPS = "。!?！？;；:："


def _end_of_unit_list(text: str, start: int, lexicon: Lexicon, reach: int = 300) -> list[int]:
    """Where the unit list after a responsibility key (not in brackets) ends in a text that
    lost its line breaks: at the next field name that is not another key of the line
    (``…各镇(街道)详细咨询:``), else after its sentence end (``…各镇(街道)。下一段``)."""
    rules = lexicon.layout
    if _inside_brackets(text, start):
        return []  # a bracket ends it
    stop = min(len(text), start + reach)
    line_end = text.find("\n", start, stop)
    stop = stop if line_end == -1 else line_end
    sentence_end = next((i for i in range(start, stop) if text[i] in rules.sentence_ends), None)
    for m in rules.field_name.finditer(text, start, stop if sentence_end is None else sentence_end):
        if rules.key_regex.search(m.group()):
            break  # 牵头单位：X，配合单位：Y — one line
        # The field name is what follows the last unit name (which ends with a unit
        # suffix or a bracketed alias: 各镇(街道)详细咨询:).
        at = m.start()
        while at < m.end() - 1 and not text.endswith(lexicon.unit_suffixes, start, at) \
                and text[at - 1] not in ")）":
            at += 1
        if at < m.end() - 1 and text[at - 1] not in rules.list_separators:
            return [at]
        break
    if sentence_end is not None and sentence_end + 1 < stop:
        return [sentence_end + 1]
    return []


def _signatures(text: str, lexicon: Lexicon, titles: set[int] | frozenset[int] = frozenset()) -> list[int]:
    """Line breaks around a signature glued to the text (``…落实。慈溪市人民政府办公室
    2021年3月25日附件1``): before the issuer, before the date and after it.  A date
    followed by an attachment's title (at one of ``titles``) is a signature's too."""
    rules = lexicon.layout
    found = []
    stops = rules.paragraph_ends + rules.sentence_marks + "\n"
    for m in matches(rules.date_line, start_class(rules.date_line), text, 0, len(text)):
        back = m.start()
        while back > 0 and m.start() - back <= rules.max_title and text[back - 1] not in stops:
            back -= 1
        if back > 0 and m.start() - back > rules.max_title:
            continue  # a long stretch before the date: prose
        # An issuer after a sentence end (…执行。省人民政府办公厅2021年9月2日…) signs
        # whatever follows (the issued document's title, its first sentence).
        issuer = m.start() > back and (back == 0 or text[back - 1] in rules.sentence_ends) \
            and text.endswith(lexicon.unit_suffixes, back, m.start())
        if not text[back : m.start()].strip() and back > 0 and text[back - 1] == "\n":
            # The issuer on the line before (after that line's last sentence end).
            line_start = text.rfind("\n", 0, back - 1) + 1
            at = max(line_start, *(text.rfind(ch, line_start, back - 1) + 1 for ch in rules.sentence_ends))
            line = text[at : back - 1].strip()
            issuer = 0 < len(line) <= rules.max_title and line.endswith(lexicon.unit_suffixes) \
                and not any(ch in stops for ch in line)
            back = at if issuer else back
        if not rules.after_signature.match(text, m.end()) and m.end() not in titles and not issuer:
            continue
        found += [back, m.start(), m.end()]
    return found


def _candidates(text: str, lexicon: Lexicon) -> list[tuple[Candidate, str]]:
    """Every place a label could stand inside the lines, in reading order (one per offset,
    the outermost style; a reading before digits only where no other), with the character
    before it (``""`` at a line start)."""
    by_start: dict[int, Candidate] = {}
    for expected_only in (False, True):
        for style in lexicon.labels:
            pattern = style.expected_inline if expected_only else style.inline
            if pattern is None or (expected_only and style.inline is None):
                continue
            # (over a whole text: jump between the characters a label can start with)
            for m in matches(pattern, start_class(pattern), text, 0, len(text)):
                start = m.start() + len(m.group()) - len(m.group().lstrip(" "))
                if start in by_start:
                    continue
                number = label_number(m.group(1), style.number, style.default_number)
                if number is not None:
                    by_start[start] = Candidate(style.rank, number, start, m.end(), expected_only)
    return [(by_start[start], _char_before(text, start)) for start in sorted(by_start)]


def _content_end(text: str, at: int) -> int:
    """``at`` moved back over the spaces before it."""
    while at > 0 and text[at - 1] == " ":
        at -= 1
    return at


def _char_before(text: str, at: int) -> str:
    """The last character before ``at`` on its line that is not a space (``""`` if none)."""
    i = at - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    return "" if i < 0 or text[i] == "\n" else text[i]


def _inside_brackets(text: str, at: int, reach: int = 200) -> bool:
    depth = 0
    for i in range(at - 1, max(-1, at - reach), -1):
        ch = text[i]
        if ch == "\n":
            return False
        if ch in ")]）":
            depth += 1
        elif ch in "([（":
            if depth == 0:
                return True
            depth -= 1
    return False
