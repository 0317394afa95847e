"""Tables read by their headers (issue 10): column roles by meaning, rows aligned by what
their cells look like, and what a value cell's column says about its target (year, base
year, per year, attribute: set on the table's drafts, kept by the time stage).

Tables written for these tests, as a web page gives them (one cell per line) and as PDF
text extraction gives them (one row per line, cells split by spaces); the property at the
end renders one table in the three shapes users have (cells, ``|`` rows, spaced rows).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import targetex
from targetex.columns import column_roles
from targetex.layout import prepare
from targetex.resources import load
from targetex.table_rows import find_indicator_tables
from targetex.tables import indicator_table_targets

PLAN_HTML = "\n".join([
    "“十四五”规划主要指标", "类别", "指标", "单位", "2020年", "2025年", "年均增长", "属性",
    "经济发展", "地区生产总值增长", "%", "3.6", "—", "6左右", "预期性",
    "人均可支配收入", "万元", "3.2", "4.3", "6", "预期性",
    "资源环境", "单位地区生产总值二氧化碳排放降低", "%", "—", "—", "[18]", "约束性",
    "耕地保有量", "万亩", "120", "≥118", "—", "约束性",
    "四、保障措施",
])
PLAN_PDF = "\n".join([
    "“十四五”规划主要指标",
    "类别  指标  单位  2020年  2025年  年均增长  属性",
    "经济发展  地区生产总值增长  %  3.6  —  6左右  预期性",
    "人均可支配收入  万元  3.2  4.3  6  预期性",
    "资源环境  单位地区生产总值二氧化碳排放降低  %  —  —  [18]  约束性",
    "耕地保有量  万亩  120  ≥118  —  约束性",
    "四、保障措施",
])


def _read(text: str) -> list[tuple[str, str, float, str, int | None, int | None, bool, str]]:
    norm = prepare(text)
    # The row reader the pipeline gives the table stage (a row read as the phrase it stands for).
    drafts = indicator_table_targets(norm.text, load(), targetex.Extractor()._read_sentence)
    return [(str(d.indicator), d.kind.value, d.quantity.value, d.quantity.unit, d.year, d.base_year,
             d.per_year, d.attribute) for d in drafts]


@pytest.mark.parametrize("text", [PLAN_HTML, PLAN_PDF], ids=["html", "pdf"])
def test_five_year_plan_table(text: str) -> None:
    assert _read(text) == [
        ("地区生产总值", "change", 6.0, "percent", 2025, 2020, True, "expected"),
        ("人均可支配收入", "level", 43000.0, "CNY", 2025, None, False, "expected"),
        ("人均可支配收入", "change", 6.0, "percent", 2025, 2020, True, "expected"),
        ("单位地区生产总值二氧化碳排放", "change", -18.0, "percent", 2025, 2020, False, "binding"),
        ("耕地保有量", "level", 1180000.0, "mu", 2025, None, False, "binding"),
    ]


@pytest.mark.parametrize("text", [PLAN_HTML, PLAN_PDF], ids=["html", "pdf"])
def test_rows_and_spanned_categories(text: str) -> None:
    (table,) = find_indicator_tables(prepare(text).text, load())
    assert [c.role for c in table.columns] == [
        "category", "indicator", "unit", "baseline", "target", "growth", "attribute"]
    assert [(r.category, r.indicator.text, r.unit.text if r.unit else "") for r in table.rows] == [
        ("经济发展", "地区生产总值增长", "%"), ("经济发展", "人均可支配收入", "万元"),
        ("资源环境", "单位地区生产总值二氧化碳排放降低", "%"), ("资源环境", "耕地保有量", "万亩")]


def test_targets_in_the_document_keep_their_cells() -> None:
    doc = targetex.extract(PLAN_PDF)
    assert [(t.text, t.indicator, t.value) for t in doc.targets] == [
        ("6", "地区生产总值", 6.0), ("4.3", "人均可支配收入", 43000.0), ("6", "人均可支配收入", 6.0),
        ("18", "单位地区生产总值二氧化碳排放", -18.0), ("118", "耕地保有量", 1180000.0)]
    assert all(PLAN_PDF[t.start : t.end] == t.text for t in doc.targets)


@pytest.mark.parametrize(("headers", "roles"), [
    (["序号", "考核指标名称", "计量单位", "2025年目标值", "牵头考核单位", "责任单位"],
     ["serial", "indicator", "unit", "target", "assessor", "responsible"]),
    (["项目", "现状值", "规划目标", "增速", "指标属性"],
     ["indicator", "baseline", "target", "growth", "attribute"]),
    (["序 号", "目 标 任 务", "牵头单位", "配合单位", "责任人"],
     ["serial", "indicator", "lead", "cooperating", "none"]),
    (["主要领域", "重点任务或项目", "完成时限"], ["category", "indicator", "none"]),
    (["区县", "2023年实际", "2024年目标"], ["none", "baseline", "target"]),
    # Three or more years one after another: a schedule, each year's goal (round 13's
    # adjudicated three-year plan); two years apart: a baseline and a goal.
    (["指标", "2021年", "2022年", "2023年"], ["indicator", "target", "target", "target"]),
    (["指标", "2020年", "2025年"], ["indicator", "baseline", "target"]),
    (["指标", "2020年", "2023年", "2025年"], ["indicator", "baseline", "baseline", "target"]),
])
def test_column_roles_by_meaning(headers: list[str], roles: list[str]) -> None:
    assert [c.role for c in column_roles(headers)] == roles


# ------------------------------------------------------------------ three renderings, one table

# Rows of a table of indicators: (indicator, unit word, value cell, value, unit of the record).
_ROWS = [
    ("城镇新增就业", "万人", "1.2", 12000.0, "person"),
    ("森林覆盖率", "%", "46", 46.0, "percent"),
    ("新建污水管网", "公里", "35", 35.0, "km"),
    ("粮食总产量", "万吨", "≥45", 450000.0, "t"),
    ("新增养老床位", "张", "300", 300.0, "count"),
    ("人均公园绿地面积", "平方米", "15", 15.0, "m**2"),
    ("婴儿死亡率", "‰", "≤4.5", 4.5, "permille"),
    ("一般公共预算收入", "亿元", "12.5", 1.25e9, "CNY"),
    ("新增普惠托位", "个", "3-5", 3.0, "count"),
]
_BODIES = ["区发改局", "区人社局", "区林业局", "区住建局、区财政局"]


@st.composite
def _tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]], list[tuple[float, str]], list[str]]:
    """A table of indicators as header and row cells (the shapes users have: with or
    without 序号, a unit column or the unit in the indicator's brackets, with or without a
    responsibility column, header words varied), with the value and unit each row's target
    must have and the lead units of each row."""
    rows = draw(st.lists(st.sampled_from(_ROWS), min_size=1, max_size=4, unique_by=lambda r: r[0]))
    serial = draw(st.booleans())
    unit_column = draw(st.booleans())
    responsibility = draw(st.sampled_from([None, "责任单位", "牵头单位", "责任部门"]))
    brackets = draw(st.sampled_from(["（）", "()"]))
    header = ["序号"] if serial else []
    header.append(draw(st.sampled_from(["指标", "指标名称", "主要指标"])))
    header += ["单位"] if unit_column else []
    header.append(draw(st.sampled_from(["目标值", "2025年目标", "预期目标", "2025年"])))
    header += [responsibility] if responsibility else []
    cells, expected, leads = [], [], []
    for number, (name, unit, value, canonical, record_unit) in enumerate(rows, start=1):
        lead = draw(st.sampled_from(_BODIES))
        row = [str(number)] if serial else []
        row += [name, unit] if unit_column else [f"{name}{brackets[0]}{unit}{brackets[1]}"]
        row.append(value)
        row += [lead] if responsibility else []
        cells.append(row)
        expected.append((canonical, record_unit))
        leads.append(lead)
    return header, cells, expected, leads


def _rendered(header: list[str], rows: list[list[str]], layout: str) -> str:
    title = "某区2025年经济社会发展主要指标"
    if layout == "cells":  # a web page's table: one cell per line
        return "\n".join([title, *header, *(cell for row in rows for cell in row)]) + "\n"
    join = " | " if layout == "pipes" else "  "  # | rows, or PDF text: cells split by spaces
    return "\n".join([title, *(join.join(row) for row in [header, *rows])]) + "\n"


@given(_tables())
def test_one_table_in_three_renderings_gives_the_same_records(
        table: tuple[list[str], list[list[str]], list[tuple[float, str]], list[str]]) -> None:
    header, rows, expected, leads = table
    records = []
    for layout in ("cells", "pipes", "spaced"):
        text = _rendered(header, rows, layout)
        doc = targetex.extract(text)
        assert all(text[t.start : t.end] == t.text for t in doc.targets)
        targets = [(t.task_id, t.indicator, t.action, t.kind.value, t.value, t.value_max, t.unit,
                    t.classifier, t.comparator.value, t.year) for t in doc.targets]
        tasks = [(t.task_id, t.part_title, t.lead_units, t.cooperating_units) for t in doc.tasks]
        records.append((targets, tasks))
        # One target per row, of the row's value and unit.
        assert [(t.value, t.unit) for t in doc.targets] == expected, (layout, text)
        # Rows are tasks where a 序号 numbers them or a responsibility column assigns them.
        assigned = header[-1] in ("责任单位", "牵头单位", "责任部门")
        if header[0] == "序号" or assigned:
            assert [t.task_id for t in doc.tasks] == [str(i) for i in range(1, len(rows) + 1)], layout
        else:
            assert not doc.tasks, layout
        if assigned:
            assert [list(t.lead_units) for t in doc.tasks] == [lead.split("、") for lead in leads], layout
        else:
            assert all(not t.lead_units for t in doc.tasks), layout
    assert records[0] == records[1] == records[2]
