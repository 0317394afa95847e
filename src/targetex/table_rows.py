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

:func:`find_indicator_tables` returns the rows with their cells' spans (normalised text);
the table stage turns their value cells into targets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from targetex.columns import (
    DASHES,
    VALUE_ROLES,
    CellTyper,
    Column,
    cell_typer,
    column_roles,
    header_role,
    value_parts,
)
from targetex.drafts import Draft
from targetex.phrase import SYNTHETIC, Phrase
from targetex.quantities import find_quantities
from targetex.records import Kind, Modality, Quantity
from targetex.resources import Lexicon

__all__ = ["Cell", "IndicatorTable", "RowReader", "TableRow", "find_indicator_tables",
           "indicator_table_targets", "value_parts"]

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
    """A table of indicators: its columns and rows, and where it lies."""

    columns: tuple[Column, ...]
    rows: tuple[TableRow, ...]
    start: int
    end: int


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
    for start, line in _first_header_lines(text, lexicon):
        if start < done or header_role(line, lexicon)[0] not in _FIRST_HEADERS:
            continue
        if _header_at(_cells(text, start, min(len(text), start + _HEADER_REACH)), 0, lexicon) is None:
            continue  # (most: a heading or a name with a header word)
        window = _WINDOW
        while True:  # the cells from this line on, as far as a table may reach
            stop = text.rfind("\n", start, start + window)
            stop = len(text) if start + window >= len(text) or stop == -1 else stop
            cells = _cells(text, start, stop)
            header = _header_at(cells, 0, lexicon)
            if header is None:
                break
            columns = column_roles([c.text for c in header], lexicon)
            rows, end = _rows(cells, len(header), columns, typer)
            if end == len(cells) and stop < len(text):
                window *= 2  # the table may go on
                continue
            if rows:
                tables.append(IndicatorTable(tuple(columns), tuple(rows), header[0].start,
                                             cells[end - 1].end))
                done = cells[end - 1].end
            break
    return tables


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


# The roles the first header cell may have; a longer line holds no header cell.
_FIRST_HEADERS = frozenset({"serial", "category", "indicator"})
_MAX_LINE = 20
_WINDOW = 20_000
_HEADER_REACH = 400  # characters that hold a header's cells

def _header_at(cells: list[Cell], i: int, lexicon: Lexicon) -> list[Cell] | None:
    """The header cells starting at ``cells[i]``: consecutive cells that are all header
    words, at least three, with an indicator column and a unit, target or growth one."""
    header: list[Cell] = []
    roles: list[str] = []
    for cell in cells[i : i + _MAX_HEADER]:
        if len(cell.text) > _MAX_HEADER_CELL:
            break  # (most lines: prose)
        role, _ = header_role(cell.text, lexicon)
        if role == "none":
            break
        header.append(cell)
        roles.append(role)
    if len(header) < 3 or "indicator" not in roles or roles[0] not in ("serial", "category", "indicator"):
        return None
    if not {"unit", "target", "growth", "year"} & set(roles) or roles.count("indicator") > 1:
        return None
    return header


def _rows(cells: list[Cell], start: int, columns: Sequence[Column],
          typer: CellTyper) -> tuple[list[TableRow], int]:
    """Rows from ``cells[start]`` on, while they align with ``columns``."""
    rows: list[TableRow] = []
    category = ""
    i = start
    while i < len(cells):
        aligned = None
        for variant in _variants(columns):
            piece = cells[i : i + len(variant)]
            if len(piece) == len(variant) and all(typer.fits(c.role, cell.text) for c, cell in zip(
                    variant, piece, strict=True)):
                aligned = list(zip(variant, piece, strict=True))
                break
        if aligned is None:
            break
        category = next((cell.text for c, cell in aligned if c.role == "category"), category)
        rows.append(_row(aligned, category, typer))
        i += len(aligned)
    return rows, i


def _variants(columns: Sequence[Column]) -> Iterator[list[Column]]:
    """The columns a row fills: all of them, or all but a spanned category."""
    yield list(columns)
    if any(c.role == "category" for c in columns):
        yield [c for c in columns if c.role != "category"]


def _row(aligned: list[tuple[Column, Cell]], category: str, typer: CellTyper) -> TableRow:
    indicator = next(cell for c, cell in aligned if c.role == "indicator")
    unit = next((cell for c, cell in aligned if c.role == "unit"), None)
    values = tuple((c, cell) for c, cell in aligned if c.role in VALUE_ROLES)
    attribute = next((typer.attributes.get(cell.text, "") for c, cell in aligned if c.role == "attribute"),
                     "")
    return TableRow(indicator, category, unit, values, attribute, tuple(aligned))


# ------------------------------------------------------------------ targets of the rows


#: Reads a phrase built from a row (``地区生产总值增长6%左右``) as prose: its target drafts
#: (offsets index the phrase).
RowReader = Callable[[str], Sequence[Draft]]


def indicator_table_targets(text: str, lexicon: Lexicon, read_row: RowReader) -> list[Draft]:
    """The targets of the indicator tables of a normalised text: one per value cell of a
    target column (a level unless the indicator says a change, 地区生产总值增长) and of a
    growth column (a change), none for baseline columns, zero cells, or cells that are
    not numbers (达标, 全面完成, —).  The unit cell is read with the value (``0.35`` in a
    ``万亩`` column is 3500 mu).

    What the table says about the time of a target is set on its draft, and named in its
    readers: the year of its column, else of the table's target columns
    (``year:table_column``); the year of the baseline column for a growth
    (``base_year:table_baseline``); a growth under ``年均增长`` applies to each year unless
    its value is in brackets, a total over the period (``per_year:table_growth``); the
    row's 属性 cell (``attribute:table_attribute``)."""
    drafts: list[Draft] = []
    for table in find_indicator_tables(text, lexicon):
        years = [c.year for c in table.columns if c.role == "target" and c.year]
        bases = [c.year for c in table.columns if c.role == "baseline" and c.year]
        for row in table.rows:
            for column, cell in row.values:
                if column.role == "baseline":
                    continue
                draft = _value_draft(text, lexicon, row, column, cell, read_row)
                if draft is not None:
                    drafts.append(_with_time(draft, lexicon, row, column, cell, years, bases))
    return drafts


def _with_time(draft: Draft, lexicon: Lexicon, row: TableRow, column: Column, cell: Cell,
               years: list[int], bases: list[int]) -> Draft:
    year = column.year or max(years, default=None)
    base_year = min(bases, default=None) if column.role == "growth" else None
    per_year = (column.role == "growth" and lexicon.per_year_word in column.header
                and not _bracketed(cell.text))
    readers = [("year", "table_column")] if year is not None else []
    readers += [("base_year", "table_baseline")] if base_year is not None else []
    readers += [("per_year", "table_growth")] if column.role == "growth" else []
    readers += [("attribute", "table_attribute")] if row.attribute else []
    return replace(draft, readers=(*draft.readers, *readers), year=year, base_year=base_year,
                   per_year=per_year, attribute=row.attribute)


def _bracketed(cell: str) -> bool:
    parts = value_parts(cell)
    return parts is not None and bool(parts.group("open")) and bool(parts.group("close"))


def _value_draft(text: str, lexicon: Lexicon, row: TableRow, column: Column, cell: Cell,
                 read_row: RowReader) -> Draft | None:
    parts = value_parts(cell.text)
    if parts is None or float(parts.group("number")) == 0:
        return None  # no number (达标, —) or a zero cell: the indicator is not assigned here
    unit_cell = row.unit.text if row.unit is not None and row.unit.text not in DASHES else ""
    name = row.indicator.text
    if parts.group("pct"):
        unit = parts.group("pct")
    elif column.role == "growth" and unit_cell in ("%", "") and name.endswith(lexicon.level_nouns):
        unit = lexicon.point_unit  # the growth of a rate is in percentage points
    elif column.role == "growth":
        unit = "%"
    else:
        unit = unit_cell
    changes = (verb for verb, entry in lexicon.verbs.items() if entry.kind == "change")
    if column.role == "growth" and not any(name.endswith(verb) for verb in changes):
        name += lexicon.growth_verb  # 全员劳动生产率 + 增长 5.1%
    pre, post = parts.group("pre") or "", parts.group("post") or ""
    number = parts.group("number")
    # Read as running text would read it (parse_quantity also takes a bare number, which a
    # table cell without a unit is not).
    found = find_quantities(f"{pre}{number}{unit}{post}")
    if len(found) != 1:
        return None  # a unit cell that is no unit
    read = found[0]
    # The row read as the sentence it stands for (固定资产投资增长10% / 城镇新增就业1.15万人):
    # its indicator, action and kind; a row the prose reader drops (16万元/人 reads like a
    # per-person parameter in prose) is still a target in a table's value column.
    phrase = f"{name}{pre}{number}{unit}{post}"
    parsed = [d for d in read_row(phrase) if d.quantity.text.startswith(number)]
    start = cell.start + parts.start("number")
    end = cell.start + (parts.end("pct") if parts.group("pct") else parts.end("number"))
    quantity = Quantity(start, end, text[start:end], read.value, read.value_max, read.unit,
                        read.classifier, read.comparator, start, end)
    whole = Phrase.of(text, row.indicator.start, row.indicator.end)
    if column.role == "growth":
        if not parsed:
            return Draft(quantity, whole, Phrase.empty(), Kind.CHANGE, Modality.PLAIN, read.comparator)
        first = parsed[0]
        quantity = replace(quantity, value=first.quantity.value, value_max=first.quantity.value_max)
        return Draft(quantity, _in_cell(first.indicator, row.indicator),  # (降低: negative)
                     _in_cell(first.action, row.indicator), Kind.CHANGE, first.modality, first.comparator,
                     first.readers)
    if not parsed or name.endswith(lexicon.level_nouns):
        # No verb to read (研发经费投入强度, 全员劳动生产率): the level the indicator reaches.
        return Draft(quantity, whole, Phrase.empty(), Kind.LEVEL, Modality.PLAIN, read.comparator)
    first = parsed[0]
    quantity = replace(quantity, value=first.quantity.value, value_max=first.quantity.value_max,
                       unit=first.quantity.unit, classifier=first.quantity.classifier)
    kind = first.kind
    if not first.action and kind is Kind.AMOUNT:
        kind = Kind.LEVEL  # a row without a verb states the level its indicator reaches
    return Draft(quantity, _in_cell(first.indicator, row.indicator), _in_cell(first.action, row.indicator),
                 kind, first.modality, first.comparator, first.readers)


def _in_cell(phrase: Phrase, cell: Cell) -> Phrase:
    """A phrase read from the row's sentence, moved to where the indicator cell stands in
    the text (characters of the sentence beyond the cell have no place in the text)."""
    origins = tuple(cell.start + o if 0 <= o < len(cell.text) else SYNTHETIC for o in phrase.origins())
    return Phrase(phrase.text, SYNTHETIC, origins)
