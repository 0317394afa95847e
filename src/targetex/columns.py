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

__all__ = ["DASHES", "FIRST_HEADERS", "RESPONSIBILITY_ROLES", "VALUE_ROLES", "CellTyper", "Column",
           "cell_typer", "column_roles", "header_role", "indicator_header", "value_parts"]

#: Roles of the columns that name who is responsible (as the responsibility keys say).
RESPONSIBILITY_ROLES = frozenset({"leaders", "lead", "cooperating", "responsible"})
#: Roles of the columns that hold values.
VALUE_ROLES = frozenset({"target", "baseline", "growth"})
#: The roles a table's first header cell may have (序号, 类别, 指标).
FIRST_HEADERS = frozenset({"serial", "category", "indicator"})

# A value cell: comparator, a number or a range (3-5, 3%~5%; in brackets when it is a total
# over the period), percent, comparator after.  Groups: pre, open, number, to (the range's
# upper number), close, pct, post.
_VALUE = re.compile(
    r"(?P<pre>≥|≤|>=|<=|>|<|不低于|不少于|不超过|不高于|超过|低于|约|大约)?\s*"
    r"(?P<open>[\[(〔【])?\s*(?P<number>-?\d+(?:\.\d+)?)"
    r"(?:\s*(?:%|‰)?\s*(?:-|—|–|－|~|～|至|到)\s*(?P<to>\d+(?:\.\d+)?))?\s*(?P<close>[\])〕】])?\s*"
    r"(?P<pct>%|‰)?\s*(?P<post>左右|以上|以下|以内)?"
)
# A unit written in brackets at the end of an indicator cell, when the table has no unit
# column (高中阶段毛入学率(%), 新增学位(万个), 城镇新增就业(单位:万人)).
_BRACKET_UNIT = re.compile(
    r"(?P<name>.*?\S)\s*[(\[【](?:单位\s*[:：]\s*)?(?P<unit>[^()\[\]【】]{1,8}?)\s*[)\]】]")
_SERIAL = re.compile(r"\d{1,3}")
DASHES = frozenset({"—", "-", "/", "——", "－", "─", "×", "无"})
_MAX_CELL = 60  # a longer line is prose, not a cell of an indicator table
_MAX_UNIT = 6  # a unit cell without a known unit word is a short word (起, 人次/年)

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
    best = max((m.group() for m in lexicon.column_regex.finditer(cell)), key=len, default="")
    role = lexicon.column_role_of[best] if best else "none"
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
    # Three or more bare years one after another (2026年 | 2027年 | 2028年) are a schedule:
    # each year's goal, not a baseline and a goal (2020年 | 2025年).
    schedule = len(years) >= 3 and sorted(years) == list(range(min(years), min(years) + len(years)))
    columns = []
    for header, role, year in read:
        if role == "year":
            role = "target" if (year == latest or schedule) and not has_target else "baseline"
        columns.append(Column(header, role, year))
    return columns


def indicator_header(roles: Sequence[str]) -> bool:
    """Whether header cells of these roles (:func:`header_role`, a bare year as ``year``)
    head a table of indicators: the first a serial number, a category or the indicator, one
    indicator column, and a unit, target, growth or year column — at least three columns,
    or the indicator and its target alone (``指标 | 2025年目标``).

    >>> indicator_header(["indicator", "target", "responsible"])
    True
    >>> indicator_header(["indicator", "target"]), indicator_header(["indicator", "unit"])
    (True, False)
    >>> indicator_header(["indicator", "indicator", "none", "lead"])  # tasks, not indicators
    False
    """
    if len(roles) == 2:
        return roles[0] == "indicator" and roles[1] in ("target", "year")
    return len(roles) >= 3 and roles[0] in FIRST_HEADERS and roles.count("indicator") == 1 \
        and bool({"unit", "target", "growth", "year"} & set(roles))


def value_parts(cell: str) -> re.Match[str] | None:
    """The parts of a value cell (``≥3%`` → pre ``≥``, number ``3``, pct ``%``), or
    ``None`` when the cell is not a number (``达标``, ``—``)."""
    return _VALUE.fullmatch(cell)


def cell_typer(lexicon: Lexicon) -> CellTyper:
    """The :class:`CellTyper` of ``lexicon`` (built once per lexicon)."""
    typer = _TYPERS.get(id(lexicon))
    if typer is None or typer.lexicon is not lexicon:
        typer = _TYPERS[id(lexicon)] = CellTyper(lexicon)
    return typer


class CellTyper:
    """What a table cell may be, by its text: a unit, a value, an attribute, a name."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.attributes = lexicon.attribute_values
        units = sorted({*lexicon.units, *lexicon.classifiers}, key=len, reverse=True)
        words = "|".join(re.escape(u) for u in units)
        # 万亩, 亿元, 万元/人, %, ‰, 人次/年
        per = r"/[^\d\s]{1,4}"
        self._unit = re.compile(rf"(?:[万亿千百]?(?:{words})(?:{per})?|%|‰|[^\d\s]{{1,4}}{per})")

    def bracket_unit(self, cell: str) -> tuple[int, int, int] | None:
        """Where an indicator cell names its unit in brackets at its end: ``(name end, unit
        start, unit end)`` for ``新增学位(万个)`` → ``(4, 5, 7)``; ``None`` when the cell ends
        with no bracket or with one that is not a unit (``城镇新增就业(含农村)``).

        >>> typer = cell_typer(load())
        >>> cells = ["新增学位(万个)", "毛入学率 (%)", "就业(单位:万人)", "就业(含农村)"]
        >>> [typer.bracket_unit(cell) for cell in cells]
        [(4, 5, 7), (4, 6, 7), (2, 6, 8), None]
        """
        match = _BRACKET_UNIT.fullmatch(cell)
        if match is None or self._unit.fullmatch(match.group("unit")) is None:
            return None
        return match.end("name"), match.start("unit"), match.end("unit")

    def fits(self, role: str, cell: str) -> bool:
        """Whether ``cell`` may be the cell of a column of ``role``."""
        if role == "serial":
            return _SERIAL.fullmatch(cell) is not None
        if role == "unit":  # a unit word, or any short word without digits (起, 人次/年)
            return cell in DASHES or self._unit.fullmatch(cell) is not None or (
                len(cell) <= _MAX_UNIT and not any(ch.isdigit() for ch in cell)
                and cell not in self.attributes)
        if role in VALUE_ROLES:
            return cell in DASHES or value_parts(cell) is not None or (
                len(cell) <= 8 and not any(ch.isdigit() for ch in cell) and cell not in self.attributes)
        if role == "attribute":
            return cell in self.attributes or cell in DASHES
        if role in ("indicator", "category"):
            return (len(cell) <= _MAX_CELL and value_parts(cell) is None and cell not in DASHES
                    and cell not in self.attributes and self._unit.fullmatch(cell) is None)
        return len(cell) <= _MAX_CELL


_TYPERS: dict[int, CellTyper] = {}
