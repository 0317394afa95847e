"""Stage: the money column of a table of tasks (``总投资（万元）``).

A list of projects written as a table of tasks often gives each row its investment in a
column of its own, the unit in the header (``序号 | 项目名称 | 建设内容 | 总投资（万元） |
责任单位``).  The cell is a bare number (``32600``), which running text would not read as
an amount.  This stage reads it as the amount the row's project is to invest: the value in
the header's unit, the indicator the row's name cell and the header's word
(``城关镇老旧小区改造项目总投资``), kind ``amount``; reader ``money_column``.  The words
that name such a column are data (``[money_columns]`` of ``models/structure.toml``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from targetex.cell_subjects import row_cells
from targetex.columns import header_role
from targetex.drafts import Draft
from targetex.errors import QuantityParseError
from targetex.phrase import Phrase
from targetex.quantities import parse_quantity
from targetex.records import Comparator, Kind, Modality
from targetex.resources import Lexicon
from targetex.structure import Structure

__all__ = ["money_cells"]

_BARE = re.compile(r"\d+(?:\.\d+)?")
_HEADER = re.compile(r"(?P<word>[^(（]+?)\s*[(（]\s*(?P<unit>[^)）]{1,4})\s*[)）]")


def money_cells(text: str, structure: Structure, lexicon: Lexicon) -> list[Draft]:
    """The drafts of the money cells of the tables of tasks in ``text`` (normalised), every
    money column of a row (总投资（万元） and 2026年计划投资（万元）)."""
    drafts = []
    for row in structure.nodes:
        if row.table != "cells" or not row.cell_headers:
            continue
        cells = row_cells(text, row)
        body = cells[1:] if cells and cells[0][0] == row.label_start else cells
        for at, named, word, unit in _money_columns(row.cell_headers, lexicon):
            if max(at, named) >= len(body):
                continue  # (a row that does not reach the column)
            name = body[named]
            start, end = body[at]
            if not _BARE.fullmatch(text[start:end]):
                continue
            try:
                read = parse_quantity(text[start:end] + unit)
            except QuantityParseError:
                continue
            quantity = replace(read, start=start, end=end, text=text[start:end], context_start=start,
                               context_end=end)
            indicator = Phrase.of(text, *name) + Phrase.synthetic(word)
            drafts.append(Draft(quantity, indicator, Phrase.empty(), Kind.AMOUNT, Modality.PLAIN,
                                Comparator.EQ, (("indicator", "money_column"), ("kind", "money_column"))))
    return drafts


def _money_columns(headers: list[str], lexicon: Lexicon) -> list[tuple[int, int, str, str]]:
    """For each money column (总投资（万元）, 2026年计划投资（万元）): its index and that of the
    first name column (项目名称) among the columns after 序号, its word (a year before it
    left out: the year is the time stage's) and its unit."""
    names = lexicon.money_column_words
    roles = [header_role(h, lexicon)[0] for h in headers]
    if roles and roles[0] == "serial":
        headers, roles = headers[1:], roles[1:]
    if "indicator" not in roles:
        return []
    found = []
    for at, header in enumerate(headers):
        m = _HEADER.fullmatch(header.strip())
        if m is None or not m.group("unit").strip().endswith("元"):
            continue
        word = _YEAR.sub("", m.group("word").strip())
        if word in names:
            found.append((at, roles.index("indicator"), word, m.group("unit").strip()))
    return found


_YEAR = re.compile(r"^(?:19|20)\d{2}年度?")
