"""Records, their JSON form, pandas frames and pint quantities."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

import targetex
from targetex.export import TARGET_COLUMNS, TASK_COLUMNS, to_table

CIXI = Path(__file__).resolve().parent.parent / "corpora" / "cixi-2021.txt"


@pytest.fixture(scope="module")
def cixi() -> targetex.Document:
    return targetex.extract(CIXI.read_text(encoding="utf-8"), doc_id="cixi-2021")


def test_records_are_frozen_and_round_trip(cixi: targetex.Document) -> None:
    target = cixi.targets[0]
    with pytest.raises(AttributeError):
        target.value = 1.0  # type: ignore[misc]
    again = targetex.Document.from_dict(json.loads(json.dumps(cixi.to_dict(), ensure_ascii=False)))
    assert again == cixi


def test_dataframe_columns_and_dtypes(cixi: targetex.Document) -> None:
    pd = pytest.importorskip("pandas")
    frame = targetex.to_dataframe([cixi])
    assert list(frame.columns) == list(TARGET_COLUMNS)
    assert len(frame) == 63
    assert str(frame["value"].dtype) == "Float64" and str(frame["kind"].dtype) == "category"
    assert frame.loc[0, "lead_units"] == ["市发改局", "市统计局", "市级有关部门", "各镇(街道)"]
    assert pd.isna(frame.loc[0, "value_max"])
    tasks = targetex.tasks_dataframe(cixi)
    assert list(tasks.columns) == list(TASK_COLUMNS) and len(tasks) == 50
    assert int(tasks.loc[tasks["task_id"] == "2.11", "n_targets"].iloc[0]) == 6
    assert targetex.to_dataframe(cixi).equals(frame)  # one document needs no list


def test_dataframe_in_si_units(cixi: targetex.Document) -> None:
    pytest.importorskip("pandas")
    frame = targetex.to_dataframe(cixi, units="SI")
    row = frame[frame["text"] == "5000亩"].iloc[0]
    assert row["unit"] == "hectare" and row["value"] == pytest.approx(5000 / 15)
    with pytest.raises(ValueError, match="units"):
        targetex.to_dataframe(cixi, units="imperial")


@pytest.mark.parametrize(
    ("expression", "unit", "magnitude"),
    [("15亩", "hectare", 1.0), ("2万吨", "kilogram", 2e7), ("3平方公里", "hectare", 300.0),
     ("1万吨标准煤", "kilowatt_hour", 8.141e7), ("5公里", "meter", 5000.0)],
)
def test_pint_quantities(expression: str, unit: str, magnitude: float) -> None:
    quantity = targetex.parse_quantity(expression).quantity
    assert quantity.to(unit).magnitude == pytest.approx(magnitude)


def test_cny_and_counts_do_not_mix() -> None:
    import pint

    money = targetex.parse_quantity("25亿元").quantity
    people = targetex.parse_quantity("1.2万人").quantity
    with pytest.raises(pint.DimensionalityError):
        money.to(people.units)


def test_parse_quantity_rejects_non_quantities() -> None:
    with pytest.raises(targetex.QuantityParseError):
        targetex.parse_quantity("2021年")
    with pytest.raises(targetex.QuantityParseError):
        targetex.parse_quantity("5个和6个")


def _column_of(line: str, text: str) -> int:
    """The terminal column (Chinese characters two wide) where ``text`` starts in ``line``."""
    return _display_width(line[: line.index(text)])


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_terminal_table_cuts_no_id_or_value_and_lines_up() -> None:
    # Three ids that share their first 18 characters, a value with 13 digits, Chinese cells.
    text = "（一）新增社会融资规模2万亿元，新建口袋公园12个。"
    docs = [targetex.extract(text, doc_id=f"county-plan-of-works-202{i}") for i in range(3)]
    table = to_table(docs)
    lines = table.splitlines()
    for i in range(3):
        assert f"county-plan-of-works-202{i}  " in table
    assert "2,000,000,000,000" in table and "…" not in table
    value_column = _column_of(lines[0], "value")
    unit_column = _column_of(lines[0], "unit")
    rows = lines[2:-1]
    assert len(rows) == 6
    for row in rows:
        value = "2,000,000,000,000" if "CNY" in row else "12"
        assert _column_of(row, value) == value_column, row
        assert _column_of(row, "CNY" if "CNY" in row else "count(") == unit_column, row


def test_terminal_table_shortens_only_a_long_indicator() -> None:
    doc = targetex.extract("（一）新增具有自主知识产权和核心竞争力的国家级专精特新小巨人重点培育企业30家。",
                           doc_id="d")
    row = to_table([doc], max_indicator=16).splitlines()[2]
    assert "…" in row and "30" in row and "count(家)" in row
    assert _display_width(row.split("  ")[2]) <= 16


def test_explain_columns_line_up_after_chinese_text() -> None:
    text = "（一）新增企业20家，补贴比例30%，建设高标准农田3万亩，培训12000人次。"
    doc = targetex.extract(text, explain=True)
    lines = doc.explain().splitlines()
    assert len(lines) == 4
    columns = {_column_of(line, "target" if " target " in line else "dropped") for line in lines}
    assert len(columns) == 1, lines
