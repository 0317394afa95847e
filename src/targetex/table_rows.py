"""Tables of indicators read by their headers: rows of cells aligned with the columns.

A plan's table of indicators comes out of a web page one cell per line, and out of a PDF
one row per line (the layout stage splits such rows into cells).  Its header names the
columns (:mod:`targetex.columns`): ``类别 | 指标 | 单位 | 2020年 | 2025年 | 年均增长 | 属性``
or ``序号 | 指标名称 | 计量单位 | 目标值 | 责任单位``.  This module finds such a header and reads
the rows after it, cell by cell, aligning each with the columns by what the cells look
like: a unit cell is a unit word (``%``, ``万亩``, ``万元/人``, ``—``), a value cell a number
(``6左右``, ``≥3%``, ``[0.6]``) or a short word (``达标``, ``—``), an attribute cell
``预期性``/``约束性``.  A category cell that spans rows is written once, before its first
row: the other rows of the category have one cell fewer.  A row that cannot be aligned
ends the table.

:func:`find_indicator_tables` returns the rows with their cells' spans (normalised text):
the structure stage makes the rows of a table with a responsibility column tasks, the table
stage (:mod:`targetex.tables`) turns their value cells into targets.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from targetex.columns import (
    DASHES,
    FIRST_HEADERS,
    VALUE_ROLES,
    CellTyper,
    Column,
    cell_typer,
    column_roles,
    header_role,
    indicator_header,
)
from targetex.numbering import match_label
from targetex.resources import Lexicon

__all__ = ["Cell", "IndicatorTable", "TableRow", "find_indicator_tables"]

_MAX_HEADER = 14  # header cells at most
_MAX_HEADER_CELL = 12  # characters of a header cell at most

@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: ``text`` is the stripped line at ``[start, end)``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class TableRow:
    """A row of an indicator table.

    Attributes:
        indicator: the indicator cell.
        category: the text of the category the row is in (a spanning cell), or ``""``.
        unit: the unit cell, or ``None``.
        values: ``(column, cell)`` of each value column (target, baseline, growth).
        attribute: ``binding`` (约束性), ``expected`` (预期性) or ``""``.
        cells: every cell of the row with its column.
    """

    indicator: Cell
    category: str
    unit: Cell | None
    values: tuple[tuple[Column, Cell], ...]
    attribute: str
    cells: tuple[tuple[Column, Cell], ...]


@dataclass(frozen=True, slots=True)
class IndicatorTable:
    """A table of indicators: its columns and rows, where it lies, and its header cells."""

    columns: tuple[Column, ...]
    rows: tuple[TableRow, ...]
    start: int
    end: int
    header: tuple[Cell, ...] = ()


def _cells(text: str, start: int = 0, end: int | None = None) -> list[Cell]:
    """The cells (non-blank lines) of ``text[start:end]``, ``start`` at a line start."""
    out = []
    pos = start
    for raw in text[start:end].split("\n"):
        stripped = raw.strip(" \t|")
        if stripped:
            at = pos + raw.index(stripped)
            out.append(Cell(at, at + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def find_indicator_tables(text: str, lexicon: Lexicon) -> list[IndicatorTable]:
    """The tables of indicators of a normalised text (one cell per line), read by their
    headers: only tables with an indicator column and a unit, target or growth column."""
    typer = cell_typer(lexicon)
    tables: list[IndicatorTable] = []
    done = 0  # the end of the last table read
    previous = ""  # the header-like line before this one
    for start, line in _first_header_lines(text, lexicon):
        after_serial, previous = _after_serial(text, start, previous, lexicon), line
        if start < done or header_role(line, lexicon)[0] not in FIRST_HEADERS or after_serial:
            continue  # (a header does not start after its 序号 cell: 序号 | 任务内容 | 目标…)
        if not _headers(_header_cells(_cells(text, start, min(len(text), start + _HEADER_REACH)), lexicon)):
            continue  # (most: a heading or a name with a header word)
        window = _WINDOW
        while True:  # the cells from this line on, as far as a table may reach
            stop = text.rfind("\n", start, start + window)
            stop = len(text) if start + window >= len(text) or stop == -1 else stop
            cells = _cells(text, start, stop)
            found = _table_at(cells, lexicon, typer)
            if found is None:
                break
            columns, rows, end = found
            if end == len(cells) and stop < len(text):
                window *= 2  # the table may go on
                continue
            tables.append(IndicatorTable(tuple(columns), tuple(rows), cells[0].start, cells[end - 1].end,
                                         tuple(cells[: len(columns)])))
            done = cells[end - 1].end
            break
    return tables


def _after_serial(text: str, start: int, previous: str, lexicon: Lexicon) -> bool:
    """Whether the line before ``start`` is a serial header cell (序号): a serial column is
    always the first, so a header word after it is a cell of the same header."""
    if not previous or header_role(previous, lexicon)[0] != "serial":
        return False
    end = start
    while end > 0 and text[end - 1] in " \t|\n":
        end -= 1
    return text.endswith(previous, 0, end)


def _first_header_lines(text: str, lexicon: Lexicon) -> list[tuple[int, str]]:
    """(offset, stripped text) of the short lines holding a word a table's first header
    cell may be (序号, 类别, 指标…): where a table may start (few lines of a document)."""
    out = []
    pos = 0
    for line in text.split("\n"):
        if len(line) <= _MAX_LINE and lexicon.first_header_regex.search(line):
            cell = line.strip(" \t|")
            if cell and len(cell) <= _MAX_HEADER_CELL:
                out.append((pos, cell))
        pos += len(line) + 1
    return out


_MAX_LINE = 20  # a longer line holds no header cell
_WINDOW = 20_000
_HEADER_REACH = 400  # characters that hold a header's cells

def _header_cells(cells: list[Cell], lexicon: Lexicon) -> list[tuple[Cell, str]]:
    """The cells from ``cells[0]`` on that are header words, with their roles (at most
    :data:`_MAX_HEADER`; a long cell or one with no role ends them)."""
    header: list[tuple[Cell, str]] = []
    for cell in cells[:_MAX_HEADER]:
        if len(cell.text) > _MAX_HEADER_CELL:
            break  # (most lines: prose)
        role, _ = header_role(cell.text, lexicon)
        if role == "none" and not lexicon.column_regex.search(cell.text):
            break  # (a known header word of no role, 完成时限 or 备注, is a column all the same)
        header.append((cell, role))
    return header


def _headers(header: list[tuple[Cell, str]]) -> list[int]:
    """The numbers of the first header cells that may head a table of indicators
    (:func:`targetex.columns.indicator_header`), longest first."""
    roles = [role for _, role in header]
    return [k for k in range(len(roles), 1, -1) if indicator_header(roles[:k])]


def _table_at(cells: list[Cell], lexicon: Lexicon,
              typer: CellTyper) -> tuple[list[Column], list[TableRow], int] | None:
    """The columns, the rows and the end (in ``cells``) of the table whose header starts at
    ``cells[0]``: the longest run of header cells that heads a table of indicators and has
    rows after it (the first row's indicator may hold a header word: ``指标 | 2023年`` then
    ``重点项目完成投资(亿元)``), or ``None``."""
    header = _header_cells(cells, lexicon)
    for width in _headers(header):
        columns = column_roles([cell.text for cell, _ in header[:width]], lexicon)
        rows, end = _rows(cells, width, columns, typer, lexicon)
        if rows:
            return columns, rows, end
    return None


def _rows(cells: list[Cell], start: int, columns: Sequence[Column], typer: CellTyper,
          lexicon: Lexicon) -> tuple[list[TableRow], int]:
    """Rows from ``cells[start]`` on, while they align with ``columns`` and no other
    table's header starts among their cells (a second table printed right after: its
    title and header cells are short words that would align)."""
    rows: list[TableRow] = []
    category = ""
    i = start
    while i < len(cells):
        aligned = _aligned(cells, i, columns, typer)
        if aligned is None and _category_heading(cells[i], lexicon) \
                and _aligned(cells, i + 1, columns, typer) is not None:
            # A category written as a row of its own in a table without a category column
            # (一、经济发展 then its rows): it names the rows after it.
            category = cells[i].text
            i += 1
            continue
        if aligned is None or any(_headers(_header_cells(cells[j:], lexicon))
                                  for j in range(i, i + len(aligned))):
            break
        category = next((cell.text for c, cell in aligned if c.role == "category"), category)
        rows.append(_row(aligned, category, typer, lexicon))
        i += len(aligned)
    return rows, i


def _aligned(cells: list[Cell], i: int, columns: Sequence[Column],
             typer: CellTyper) -> list[tuple[Column, Cell]] | None:
    """The cells from ``cells[i]`` on aligned with ``columns`` as a row, or ``None``."""
    for variant in _variants(columns):
        piece = cells[i : i + len(variant)]
        if len(piece) == len(variant) and all(typer.fits(c.role, cell.text) for c, cell in zip(
                variant, piece, strict=True)):
            return list(zip(variant, piece, strict=True))
    return None


def _category_heading(cell: Cell, lexicon: Lexicon) -> bool:
    """Whether a cell is a heading (一、经济发展, （二）创新驱动): a part of the table."""
    label = match_label(lexicon, cell.text, 0, len(cell.text))
    return label is not None and not label.expected_only and label.end < len(cell.text) \
        and lexicon.labels[label.rank].style in lexicon.layout.heading_styles


def _variants(columns: Sequence[Column]) -> Iterator[list[Column]]:
    """The columns a row fills: all of them, or all but a spanned category."""
    yield list(columns)
    if any(c.role == "category" for c in columns):
        yield [c for c in columns if c.role != "category"]


def _row(aligned: list[tuple[Column, Cell]], category: str, typer: CellTyper, lexicon: Lexicon) -> TableRow:
    indicator = next(cell for c, cell in aligned if c.role == "indicator")
    label = match_label(lexicon, indicator.text, 0, len(indicator.text))
    if label is not None and not label.expected_only and 0 < label.end < len(indicator.text):
        # 1.地区生产总值: the row's number written in its indicator cell is no part of the name.
        indicator = Cell(indicator.start + label.end, indicator.end, indicator.text[label.end:])
    unit = next((cell for c, cell in aligned if c.role == "unit"), None)
    bracket = typer.bracket_unit(indicator.text)
    if bracket is not None:
        # 新增学位(万个): the unit written with the name, which is the indicator without it;
        # a unit column, where the table has one with a unit in this row, wins.
        name_end, unit_start, unit_end = bracket
        if unit is None or unit.text in DASHES:
            unit = Cell(indicator.start + unit_start, indicator.start + unit_end,
                        indicator.text[unit_start:unit_end])
        indicator = Cell(indicator.start, indicator.start + name_end, indicator.text[:name_end])
    values = tuple((c, cell) for c, cell in aligned if c.role in VALUE_ROLES)
    attribute = next((typer.attributes.get(cell.text, "") for c, cell in aligned if c.role == "attribute"),
                     "")
    return TableRow(indicator, category, unit, values, attribute, tuple(aligned))
