"""Stage: the targets of tables — tables of numbers flattened one cell per line, and the
rows of tables of indicators read by their headers (:mod:`targetex.table_rows`), each read
as the sentence it stands for.

Government pages often lose their table markup on the way to text: a plan table becomes a
header (one cell per line), then rows of a label line followed by one line per number.
Such a block is recognised by its shape (rows of the same count of number-only lines),
its header is aligned with the value columns, baseline columns (a base year, 现有, 实际)
are left out, zero cells are not targets, and every other cell becomes a target whose
indicator is the table's title and whose unit is the one the table states (单位：人).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from targetex.columns import DASHES, Column, value_parts
from targetex.drafts import Draft
from targetex.phrase import SYNTHETIC, Phrase
from targetex.quantities import find_quantities
from targetex.readers import cut_match
from targetex.records import Comparator, Kind, Modality, Quantity
from targetex.resources import Lexicon
from targetex.table_rows import Cell, IndicatorTable, TableRow, find_indicator_tables

__all__ = ["RowReader", "find_table_targets", "indicator_table_targets", "table_targets"]

_NUMBER_CELL = re.compile(r"(\d+(?:\.\d+)?)\s*(?:[(（][^()（）]{0,20}[)）])?")
_YEAR = re.compile(r"((?:19|20)\d{2})年")
_YEAR_ONLY = re.compile(r"(?:19|20)\d{2}年(?:度)?")


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int
    text: str

    @property
    def number(self) -> re.Match[str] | None:
        return _NUMBER_CELL.fullmatch(self.text)


def _lines(text: str, start: int = 0, end: int | None = None) -> list[_Line]:
    """The non-blank lines of ``text[start:end]`` (``start`` at a line start)."""
    out = []
    pos = start
    for raw in text[start:end].split("\n"):
        stripped = raw.strip()
        if stripped:
            line_start = pos + raw.index(stripped)
            out.append(_Line(line_start, line_start + len(stripped), stripped))
        pos += len(raw) + 1
    return out


# Two lines in a row that hold only a number: where a flattened table may be.
_NUMBER_LINES = re.compile(r"^[ \t]*\d+(?:\.\d+)?[ \t]*(?:[(（][^()（）\n]{0,20}[)）])?[ \t]*\n\s*\d", re.M)
# How far before the first number line a table's title and header may start, and how far
# number lines may be apart inside one table.
_TABLE_LEAD = 600
_TABLE_GAP = 400


def _table_regions(text: str) -> list[tuple[int, int]]:
    """Stretches of the text that may hold a flattened numeric table: only these are split
    into lines (a long document without tables never is)."""
    regions: list[list[int]] = []
    for m in _NUMBER_LINES.finditer(text):
        if regions and m.start() - regions[-1][1] <= _TABLE_GAP:
            regions[-1][1] = m.end()
        else:
            regions.append([m.start(), m.end()])
    out = []
    for start, end in regions:
        start = text.rfind("\n", 0, max(0, start - _TABLE_LEAD)) + 1
        stop = text.find("\n", end + _TABLE_GAP)
        out.append((start, len(text) if stop == -1 else stop))
    return out


def _rows(lines: list[_Line], i: int) -> tuple[int, list[tuple[_Line, list[_Line]]]]:
    """The rows of a table starting with the label at ``lines[i]``: (width, rows)."""
    width = 0
    while i + 1 + width < len(lines) and lines[i + 1 + width].number:
        width += 1
    if width < 2:
        return 0, []
    rows = []
    j = i
    while j + width < len(lines) and lines[j].number is None and all(
        lines[j + 1 + k].number for k in range(width)
    ):
        rows.append((lines[j], lines[j + 1 : j + 1 + width]))
        j += width + 1
    return (width, rows) if len(rows) >= 2 else (0, [])


def _leaf_headers(cells: list[_Line], width: int) -> list[_Line]:
    """Align header cells with ``width`` value columns: drop group headers over years."""
    cells = list(cells)
    changed = True
    while len(cells) > width and changed:
        changed = False
        for k in range(len(cells) - 2):
            group = not _YEAR_ONLY.fullmatch(cells[k].text)
            if group and _YEAR_ONLY.fullmatch(cells[k + 1].text) and _YEAR_ONLY.fullmatch(cells[k + 2].text):
                del cells[k]
                changed = True
                break
    return cells[-width:] if len(cells) >= width else [_NO_HEADER] * (width - len(cells)) + cells


def table_targets(text: str, lexicon: Lexicon, read_row: RowReader,
                  indicator_tables: Sequence[IndicatorTable] | None = None) -> list[Draft]:
    """The targets of every table of a normalised text: numeric tables
    (:func:`find_table_targets`) and tables of indicators (:func:`indicator_table_targets`;
    ``indicator_tables`` when the structure stage has found them already).

    Where both readers read the same cells, the one that explains the table wins: a numeric
    table that reads on past the rows of a table of indicators (a group header over year
    columns taken for an indicator header: ``分年度招生任务 | 1996年 | 1997年``) keeps its
    cells; otherwise the table of indicators does (a value cell and the next row's number,
    ``…(万人) | 1.2`` then ``2``, are no numeric table's row)."""
    tables = find_indicator_tables(text, lexicon) if indicator_tables is None else indicator_tables
    numeric = _numeric_tables(text, lexicon)
    indicator = [(table, indicator_table_targets(text, lexicon, read_row, [table])) for table in tables]
    drafts: list[Draft] = []
    for start, end, numeric_drafts in numeric:
        if not any(start < table.end and table.start < end and end <= table.end for table, _ in indicator):
            drafts += numeric_drafts
    for table, table_drafts in indicator:
        if not any(start < table.end and table.start < end and end > table.end for start, end, _ in numeric):
            drafts += table_drafts
    return sorted(drafts, key=lambda d: d.quantity.start)


def find_table_targets(text: str, lexicon: Lexicon) -> list[Draft]:
    """Targets of the numeric tables in a normalised text (see the module docstring)."""
    return [draft for _, _, drafts in _numeric_tables(text, lexicon) for draft in drafts]


def _numeric_tables(text: str, lexicon: Lexicon) -> list[tuple[int, int, list[Draft]]]:
    """The numeric tables of a normalised text: the span of each (its first row label to
    its last cell) and its targets."""
    tables: list[tuple[int, int, list[Draft]]] = []
    for start, end in _table_regions(text):
        tables.extend(_tables_in(_lines(text, start, end), lexicon))
    return tables


def _tables_in(lines: list[_Line], lexicon: Lexicon) -> list[tuple[int, int, list[Draft]]]:
    tables: list[tuple[int, int, list[Draft]]] = []
    i = 0
    while i < len(lines):
        if lines[i].number is not None:
            i += 1
            continue
        width, rows = _rows(lines, i)
        if not rows:
            i += 1
            continue
        _, last_cells = rows[-1]
        tables.append((lines[i].start, last_cells[-1].end, _table(lines, i, width, rows, lexicon)))
        i = lines.index(last_cells[-1], i) + 1  # (from i: searching from 0 was quadratic)
    return tables


def _table(
    lines: list[_Line], first: int, width: int, rows: list[tuple[_Line, list[_Line]]], lexicon: Lexicon
) -> list[Draft]:
    # Header cells: the lines before the first row label, back to the unit line or title.
    header: list[_Line] = []
    unit_word = ""
    title = ""
    title_line: _Line | None = None
    k = first - 1
    while k >= 0 and first - k <= width + 6:
        line_text = lines[k].text
        unit_match = lexicon.table_unit_line.match(line_text)
        if unit_match:
            unit_word = unit_match.group(1)
            break
        if lexicon.table_title_suffix.search(line_text):
            title, title_line = line_text, lines[k]
            break
        header.insert(0, lines[k])
        k -= 1
    for back in range(k, max(-1, k - 4), -1):
        if back < 0:
            break
        if not title and lexicon.table_title_suffix.search(lines[back].text):
            title, title_line = lines[back].text, lines[back]
        unit_match = lexicon.table_unit_line.match(lines[back].text)
        if not unit_word and unit_match:
            unit_word = unit_match.group(1)  # 单位：人 written above the title
    columns = _leaf_headers(header[1:] if len(header) > width else header, width)
    indicator = _title_indicator(title_line, lexicon)
    classifier = ""
    if unit_word in lexicon.units:
        unit, factor = lexicon.units[unit_word]
    elif unit_word in lexicon.classifiers:
        unit, factor, classifier = "count", Decimal(1), unit_word  # 单位：套
    else:
        unit, factor = "number", Decimal(1)
    years = [int(y) for c in columns for y in _YEAR.findall(c.text)]
    plan_start = min((int(m.group(1)) for c in columns if (m := _YEAR.fullmatch(c.text))), default=None)
    # (kind, action, year) per column, None = not a target
    roles: list[tuple[str, Phrase, int | None] | None] = []
    baseline_years = []
    for column in columns:
        header_cell = column.text
        year = _YEAR.search(header_cell)
        if any(w in header_cell for w in lexicon.table_baseline_words) or (
            year and plan_start is not None and int(year.group(1)) < plan_start and years
        ):
            roles.append(None)
            if year:
                baseline_years.append(int(year.group(1)))
            continue
        # The year of a column: its own (1997年), else the table's last (总计, 扩招).
        column_year = int(year.group(1)) if year else max(years, default=None)
        verb = next((v for v, e in lexicon.verbs.items() if v in header_cell and e.kind == "change"), None)
        roles.append(("change", Phrase(column.text, column.start), column_year) if verb
                     else ("level", Phrase.empty(), column_year))
    drafts = []
    for _, cells in rows:
        for cell, role in zip(cells, roles, strict=True):
            match = cell.number
            if role is None or match is None:
                continue
            value = float(match.group(1)) * float(factor)
            if value == 0:
                continue  # a zero cell: the indicator is not assigned to this row
            start = cell.start + match.start(1)
            end = cell.start + match.end(1)
            quantity = Quantity(start, end, cell.text[match.start(1) : match.end(1)], value, None, unit,
                                classifier, Comparator.EQ, start, end)
            kind, action, column_year = role
            # A change column (扩招) is measured against the baseline column's year.
            base_year = min(baseline_years) if kind == "change" and baseline_years else None
            readers = _TABLE_READERS + (("year", "table_column"),) * (column_year is not None) \
                + (("base_year", "table_baseline"),) * (base_year is not None)
            drafts.append(Draft(quantity, indicator, action, Kind(kind), Modality.PLAIN,
                                Comparator.EQ, readers, year=column_year, base_year=base_year))
    return drafts


_TABLE_READERS = (("indicator", "table_title"), ("kind", "table_column"))
_NO_HEADER = _Line(-1, -1, "")
_TABLE_YEAR = re.compile(r"^(?:19|20)\d{2}年度?")


def _title_indicator(title_line: _Line | None, lexicon: Lexicon) -> Phrase:
    """The indicator a table's title names: after its last colon, without the year it
    opens with and the 计划表/任务表 suffix (2024年…任务表)."""
    if title_line is None:
        return Phrase.empty()
    title = Phrase(title_line.text, title_line.start)
    colon = max(title.rfind(":"), title.rfind("："))
    name = title[colon + 1 :]
    indicator = cut_match(name, lexicon.table_title_suffix).strip() or title
    return cut_match(indicator, _TABLE_YEAR) or indicator


# ------------------------------------------------------------------ tables of indicators


#: Reads a phrase built from a row (``地区生产总值增长6%左右``) as prose: its target drafts
#: (offsets index the phrase).
RowReader = Callable[[str], Sequence[Draft]]


def indicator_table_targets(text: str, lexicon: Lexicon, read_row: RowReader,
                            tables: Sequence[IndicatorTable] | None = None) -> list[Draft]:
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
    row's 属性 cell (``attribute:table_attribute``).

    ``tables`` are the tables of ``text`` when they were already found (the structure
    stage finds them: ``Structure.indicator_tables``)."""
    drafts: list[Draft] = []
    for table in find_indicator_tables(text, lexicon) if tables is None else tables:
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
    elif column.role == "growth" and _bracketed(cell.text) and unit_cell not in ("%", ""):
        unit = unit_cell  # 〔3〕 in a 年均增速/累计 column: the total over the period, in the row's unit
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
    # The number, or the range as written (3-5, 3%~5%), without the percent sign after it.
    value_end = parts.end("to") if parts.group("to") else parts.end("number")
    number_text = cell.text[parts.start("number") : value_end]
    # Read as running text would read it (parse_quantity also takes a bare number, which a
    # table cell without a unit is not).
    found = find_quantities(f"{pre}{number_text}{unit}{post}")
    if len(found) != 1:
        return None  # a unit cell that is no unit
    read = found[0]
    # The row read as the sentence it stands for (固定资产投资增长10% / 城镇新增就业1.15万人):
    # its indicator, action and kind; a row the prose reader drops (16万元/人 reads like a
    # per-person parameter in prose) is still a target in a table's value column.
    phrase = f"{name}{pre}{number_text}{unit}{post}"
    parsed = [d for d in read_row(phrase) if d.quantity.text.startswith(number)]
    start = cell.start + parts.start("number")
    end = cell.start + (parts.end("pct") if parts.group("pct") else value_end)
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
    added = bool(parsed) and bool(parsed[0].action) and parsed[0].kind is Kind.AMOUNT
    # A value in brackets is a total over the plan period (〔1.12〕万吨 of 减排量): an amount,
    # where a bare value would be the level reached.
    unmarked = Kind.AMOUNT if _bracketed(cell.text) and read.unit not in lexicon.readers.share_units \
        else Kind.LEVEL
    rate_of_change = name.endswith(lexicon.rate_of_change_nouns)  # (排放下降率: read as prose)
    if not parsed or (name.endswith(lexicon.level_nouns) and not added and not rate_of_change):
        # No verb to read (研发经费投入强度, 全员劳动生产率, 提高…普及率): the level the
        # indicator reaches.  A name that says what is done (新增造林面积, 商业化改造利用面积)
        # counts an amount.
        return Draft(quantity, whole, Phrase.empty(), unmarked, Modality.PLAIN, read.comparator)
    first = parsed[0]
    if name.endswith(lexicon.level_nouns) and not name.startswith(str(first.action)):
        # The verb inside the name qualifies what is measured (老大楼商业化改造利用面积): the
        # name as written, with no action.
        return Draft(quantity, whole, Phrase.empty(), Kind.AMOUNT, first.modality, first.comparator,
                     first.readers)
    quantity = replace(quantity, value=first.quantity.value, value_max=first.quantity.value_max,
                       unit=first.quantity.unit, classifier=first.quantity.classifier)
    kind = first.kind
    if not first.action and kind in (Kind.AMOUNT, Kind.LEVEL):
        kind = unmarked  # a row without a verb states the level its indicator reaches
    return Draft(quantity, _in_cell(first.indicator, row.indicator), _in_cell(first.action, row.indicator),
                 kind, first.modality, first.comparator, first.readers)


def _in_cell(phrase: Phrase, cell: Cell) -> Phrase:
    """A phrase read from the row's sentence, moved to where the indicator cell stands in
    the text (characters of the sentence beyond the cell have no place in the text)."""
    origins = tuple(cell.start + o if 0 <= o < len(cell.text) else SYNTHETIC for o in phrase.origins())
    return Phrase(phrase.text, SYNTHETIC, origins)
