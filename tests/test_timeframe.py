"""The time stage (issue 15): year, base year, per-year flag and attribute of every target.

The rules themselves are spec cases (``tests/specs/time.jsonl``, run by ``test_specs.py``);
here: the readers trace, that every output carries the fields, that the stage changes
nothing else, malformed data, and a property over texts made of time words.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import targetex
from targetex import timeframe
from targetex.errors import ResourceError
from targetex.records import Attribute
from targetex.resources import load

CORPUS = Path(__file__).resolve().parent.parent / "corpora"

# A plan in words of our own: a title with its period, a heading that names a year, a
# list of binding indicators, a comparison with the year before, a per-year growth.
PLAN = "\n".join([
    "某县农业农村现代化三年行动方案（2024—2026年）",
    "一、2024年重点目标",
    "（一）粮食产量比上年增长2%。",
    "二、约束性指标",
    "（二）耕地保有量不低于60万亩。",
    "三、主要任务",
    "（三）每年新建高标准农田3万亩。",
])
TIME_FIELDS = ("year", "base_year", "per_year", "attribute")


@pytest.fixture(scope="module")
def plan() -> targetex.Document:
    return targetex.extract(PLAN, doc_id="plan", explain=True)


def test_the_fields_of_the_plan(plan: targetex.Document) -> None:
    got = [(t.text, t.year, t.base_year, t.per_year, t.attribute) for t in plan.targets]
    assert got == [
        ("2%", 2024, 2023, False, Attribute.NONE),
        ("60万亩", 2026, None, False, Attribute.BINDING),
        ("3万亩", 2026, None, True, Attribute.NONE),
    ]


def test_the_readers_name_the_time_rules(plan: targetex.Document) -> None:
    readers = [d.readers for d in plan.decisions if d.kept]
    assert {"year:heading_year", "base_year:previous_year"} <= set(readers[0])
    assert {"year:title_year", "attribute:attribute_list"} <= set(readers[1])
    assert {"year:title_year", "per_year:per_year_word"} <= set(readers[2])
    assert "year:heading_year" in plan.explain()


def test_json_and_jsonl_carry_the_fields(plan: targetex.Document) -> None:
    data = json.loads(targetex.export.to_json(plan))
    assert [{k: t[k] for k in TIME_FIELDS} for t in data["targets"]] == [
        {"year": 2024, "base_year": 2023, "per_year": False, "attribute": ""},
        {"year": 2026, "base_year": None, "per_year": False, "attribute": "binding"},
        {"year": 2026, "base_year": None, "per_year": True, "attribute": ""},
    ]
    assert targetex.Document.from_dict(data).targets == plan.targets
    lines = [json.loads(line) for line in targetex.export.to_jsonl([plan]).splitlines()]
    assert [line["attribute"] for line in lines] == ["", "binding", ""]


def test_csv_carries_the_fields(plan: targetex.Document) -> None:
    rows = list(csv.DictReader(io.StringIO(targetex.export.to_csv([plan]))))
    assert [(r["year"], r["base_year"], r["per_year"], r["attribute"]) for r in rows] == [
        ("2024", "2023", "False", ""), ("2026", "", "False", "binding"), ("2026", "", "True", "")]


def test_dataframe_and_parquet_carry_the_fields(plan: targetex.Document, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    frame = targetex.to_dataframe(plan)
    assert {c: str(frame[c].dtype) for c in TIME_FIELDS} == {
        "year": "Int64", "base_year": "Int64", "per_year": "boolean", "attribute": "category"}
    assert list(frame["year"]) == [2024, 2026, 2026]
    assert pd.isna(frame.loc[1, "base_year"]) and frame.loc[2, "per_year"]
    pytest.importorskip("pyarrow")
    frame.to_parquet(tmp_path / "plan.parquet")
    again = pd.read_parquet(tmp_path / "plan.parquet")
    assert list(again["year"]) == [2024, 2026, 2026] and list(again["attribute"]) == ["", "binding", ""]


def test_the_spacy_span_carries_the_fields() -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("zh")
    nlp.add_pipe("targetex")
    doc = nlp(PLAN)
    assert [(s._.target.year, s._.target.per_year) for s in doc.spans["targets"]] == [
        (2024, False), (2026, False), (2026, True)]


def test_the_terminal_table_shows_the_year(plan: targetex.Document) -> None:
    table = targetex.export.to_table([plan])
    assert table.splitlines()[0].split()[-1] == "year"
    assert table.splitlines()[2].split()[-1] == "2024"


def _without_time(monkeypatch: pytest.MonkeyPatch) -> targetex.Extractor:
    extractor = targetex.Extractor()
    monkeypatch.setattr(extractor._timeframe, "apply",
                        lambda text, structure, drafts, outcomes=None, doc=None: (drafts, outcomes))
    return extractor


@pytest.mark.parametrize("doc_id", ["cixi-2021", "guangzhou-minsheng-2012", "guobanfa-xizangban-1996",
                                    "hebei-naiye-2019", "hebei-lianghua-ronghe-shisiwu-2021"])
def test_the_stage_changes_only_the_time_fields(monkeypatch: pytest.MonkeyPatch, doc_id: str) -> None:
    text = (CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8")
    timed = targetex.Extractor().extract(text, doc_id=doc_id)
    untimed = _without_time(monkeypatch).extract(text, doc_id=doc_id)

    def other(doc: targetex.Document) -> list[dict[str, Any]]:
        return [{k: v for k, v in t.to_dict().items() if k not in TIME_FIELDS} for t in doc.targets]

    assert other(timed) == other(untimed) and timed.tasks == untimed.tasks
    assert any(t.year is not None for t in timed.targets)


def test_malformed_data_is_a_resource_error(monkeypatch: pytest.MonkeyPatch) -> None:
    good = json.dumps(timeframe._data())
    missing = json.loads(good)
    del missing["words"]["per_year"]
    monkeypatch.setattr(timeframe, "_data", lambda: missing)
    with pytest.raises(ResourceError, match=r"timeframe\.toml"):
        timeframe.TimeRules(load())
    broken = json.loads(good)
    broken["patterns"]["year"] = "(?:19|20"
    monkeypatch.setattr(timeframe, "_data", lambda: broken)
    with pytest.raises(ResourceError, match="bad pattern"):
        timeframe.TimeRules(load())


_PIECES = st.sampled_from([
    "到", "2025年", "2012—2015年", "年底前", "10月底前", "今年", "明年", "“十四五”期间", "十五五",
    "比", "较", "上年", "同比", "3年内", "从2023年起", "年均", "每年", "累计", "（约束性）", "预期性指标:",
    "新增", "企业", "50家", "增长6%", "，", "。", "\n", "（一）", "一、", "达到80%", "2030年",
    "《规划（2021-2025年）》", "年",
])


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_any_text_of_time_words(text: str) -> None:
    doc = targetex.extract(text, explain=True)
    for target in doc.targets:
        assert text[target.start : target.end] == target.text
        assert target.year is None or 1900 <= target.year <= 2100
        assert isinstance(target.per_year, bool) and isinstance(target.attribute, Attribute)
