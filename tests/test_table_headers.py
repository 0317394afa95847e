"""Tables read by their headers (issue 10): column roles by meaning, rows aligned by what
their cells look like, and what a value cell's column says about its target (year, base
year, per year, attribute: set on the table's drafts, kept by the time stage).

Tables written for these tests, as a web page gives them (one cell per line) and as PDF
text extraction gives them (one row per line, cells split by spaces).
"""

from __future__ import annotations

import pytest

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
    (["指标", "2021年", "2022年", "2023年"], ["indicator", "baseline", "baseline", "target"]),
])
def test_column_roles_by_meaning(headers: list[str], roles: list[str]) -> None:
    assert [c.role for c in column_roles(headers)] == roles
