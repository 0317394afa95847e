"""Column roles of a table, read from its header cells by meaning.

A table's header says what each column holds: the indicator, its unit, the target, a
baseline, the yearly growth, the indicator's attribute (预期性/约束性), who leads or
cooperates.  Headers vary (指标, 指标名称, 主要指标, 考核指标名称; 目标值, 2025年目标, 年度目标),
so a header takes the role of the *longest* role word it contains (``[[columns]]`` of
``models/structure.toml``, with the responsibility keys), spaces ignored: ``目标任务`` is
the task (indicator) column although it contains ``目标``, ``牵头考核单位`` is the assessor
(not responsible) although it contains ``牵头``.  A header that is only a year is the
target when it is the table's latest year and a baseline otherwise (``2020年 | 2025年``).

>>> [c.role for c in column_roles(["类别", "指标", "单位", "2020年", "2025年", "年均增长", "属性"])]
['category', 'indicator', 'unit', 'baseline', 'target', 'growth', 'attribute']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from targetex.resources import Lexicon, load

__all__ = ["RESPONSIBILITY_ROLES", "Column", "column_roles", "header_role"]

#: Roles of the columns that name who is responsible (as the responsibility keys say).
RESPONSIBILITY_ROLES = frozenset({"leaders", "lead", "cooperating", "responsible"})

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Column:
    """The role of one column, and the year its header names (``2025年目标`` → 2025)."""

    header: str
    role: str
    year: int | None = None


def header_role(header: str, lexicon: Lexicon | None = None) -> tuple[str, int | None]:
    """The role of one header cell by its longest role word, and the year it names
    (``("none", None)`` when no word matches; a bare year gives ``("year", 2025)``)."""
    lexicon = lexicon or load()
    cell = _SPACES.sub("", header)
    year_match = _YEAR.search(cell)
    year = int(year_match.group(1)) if year_match else None
    best = ""
    role = "none"
    for word, word_role in lexicon.column_words:
        if len(word) > len(best) and word in cell:
            best, role = word, word_role
    if not best and year is not None and not _YEAR.sub("", cell).strip("()（）"):
        return "year", year  # 2025年: decided by the other years of the table
    return role, year


def column_roles(headers: Sequence[str], lexicon: Lexicon | None = None) -> list[Column]:
    """The role of every column of a table from its header cells."""
    lexicon = lexicon or load()
    read = [(header, *header_role(header, lexicon)) for header in headers]
    years = [year for _, role, year in read if role == "year" and year is not None]
    latest = max(years, default=None)
    has_target = any(role == "target" for _, role, _ in read)
    columns = []
    for header, role, year in read:
        if role == "year":
            role = "target" if year == latest and not has_target else "baseline"
        columns.append(Column(header, role, year))
    return columns
