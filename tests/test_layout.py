"""Layout invariance (issue 10): a document in another shape gives the same records.

Every corpus document that is not a table flattened one cell per line is rewritten in each
layout of ``layout_variants.VARIANTS`` — (a) one line, (b) ``　　`` paragraph marks, (c) CRLF,
(d) ``<p>`` paragraphs read through the HTML reader, (e) indentation removed or added as
spaces or ``　　``, (f) hard wraps every 30–40 characters, wherever they fall — and must give
the same tasks and targets as the original, every field (offsets are each variant's own;
the raw ``text`` of a target may hold a wrap's line break).  Hard wraps that cut a number,
a unit name or a responsibility key are checked on purpose; the offset map of the layout
stage is checked as a property.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import targetex
from layout_variants import CELL_TABLES, VARIANTS, checked, hard_wrap, page, record_keys, variant
from targetex.io import html_to_text
from targetex.layout import Layout, detect_layout, prepare
from targetex.normalize import normalize
from targetex.records import Document
from targetex.resources import load

CORPUS = Path(__file__).resolve().parent.parent / "corpora"
DOCS = sorted(p.name[: -len(".gold.json")] for p in CORPUS.glob("*.gold.json")
              if p.name[: -len(".gold.json")] not in CELL_TABLES)


@functools.cache
def _original(doc_id: str) -> tuple[str, Document]:
    text = (CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8")
    return text, targetex.extract(text, doc_id=doc_id)


def _check_offsets(text: str, doc: Document) -> None:
    for target in doc.targets:
        assert text[target.start : target.end] == target.text
    for task in doc.tasks:
        assert 0 <= task.start <= task.end <= len(text)


def _logical_fields(doc: Document) -> list[str]:
    """The fields that hold logical text (no line break a layout put there)."""
    out: list[str] = []
    for target in doc.targets:
        out += [target.indicator, target.action]
    for task in doc.tasks:
        out += [task.part_title, *task.leaders, *task.lead_units, *task.cooperating_units]
    return out


#: Variants whose records cannot all come back, and why (known gaps, checked to still fail).
KNOWN_GAPS = {
    ("guowuyuan-gzbg-2005", "a-one-line"): "two part headings glued to a first sentence that nothing "
    "marks (积极发展社会事业和建设和谐社会|贯彻落实科学发展观，…; …和平外交政策|国际形势正在…): their part "
    "titles run on",
}


def _cases() -> list[Any]:
    cases = []
    for doc_id in DOCS:
        for name in VARIANTS:
            if not checked(doc_id, name):
                continue
            gap = KNOWN_GAPS.get((doc_id, name))
            marks = [pytest.mark.xfail(reason=gap, strict=True)] if gap else []
            cases.append(pytest.param(doc_id, name, id=f"{doc_id}-{name}", marks=marks))
    return cases


@pytest.mark.parametrize(("doc_id", "name"), _cases())
def test_variant_gives_the_same_records(doc_id: str, name: str) -> None:
    text, original = _original(doc_id)
    shaped = variant(name, text, doc_id)
    doc = targetex.extract(shaped, doc_id=doc_id)
    _check_offsets(shaped, doc)
    tasks, targets = record_keys(doc)
    expected_tasks, expected_targets = record_keys(original)
    assert tasks == expected_tasks
    assert targets == expected_targets
    assert not any("\n" in field for field in _logical_fields(doc) if field)


def test_the_article_choice_keeps_repeated_lines() -> None:
    """The main-content library drops a paragraph that repeats an earlier one; a task
    breakdown repeats its responsibility lines (牵头单位：…，配合单位：… under item after item)."""
    text, original = _original("cixi-2021")
    doc = targetex.extract(html_to_text(page(text)), doc_id="cixi-2021")
    assert record_keys(doc)[0] == record_keys(original)[0]


# ------------------------------------------------------------ hard wraps cutting names

# Written for this test: two parts, four items, numbers with decimals, unit names and
# responsibility brackets long enough that a wrap falls inside them for some seeds.
PLAN = (
    "区政府关于2025年民生项目的安排\n"
    "一、农业农村\n"
    "（一）坚持藏粮于地、藏粮于技，粮食播种面积稳定在86万亩以上，新建高标准农田2.5万亩，"
    "全面完成撂荒地复耕，改造中低产田1.2万亩。（牵头单位：区农业农村局，配合单位：区财政局、区自然资源局）\n"
    "（二）完成农村人居环境整治村庄45个，新改建农村公路38公里，创建省级美丽乡村示范村12个。"
    "（牵头单位：区交通运输局，配合单位：各镇人民政府）\n"
    "二、社会事业\n"
    "（一）办好人民满意的教育，持续改善学校办学条件，新增中小学学位3600个，新建普惠性幼儿园5所，全年培训乡村教师1500人次。"
    "（牵头单位：区教育局，配合单位：区人力资源社会保障局）\n"
    "（二）健全居家社区机构相协调的养老服务体系，新增养老床位420张，建成社区嵌入式养老服务站18个，为困难老人提供上门居家服务2.4万人次。"
    "（牵头单位：区民政局，配合单位：区卫生健康委）\n"
)
CUT_INSIDE = ["2.5万亩", "1.2万亩", "牵头单位：", "配合单位：", "区农业农村局", "区人力资源社会保障局",
              "1500人次", "2.4万人次", "美丽乡村示范村"]


def _cut_inside(wrapped: str, piece: str) -> bool:
    """A wrap fell strictly inside ``piece`` in ``wrapped`` (a hard-wrapped :data:`PLAN`)."""
    pattern = "\n?".join(re.escape(ch) for ch in piece)
    return any("\n" in m.group() for m in re.finditer(pattern, wrapped))


@functools.cache
def _seed_cutting(piece: str) -> int:
    for seed in range(500):
        if _cut_inside(hard_wrap(PLAN, seed), piece):
            return seed
    raise AssertionError(f"no seed below 500 cuts {piece!r}")


@pytest.mark.parametrize("piece", CUT_INSIDE)
def test_hard_wrap_inside_a_name_or_number(piece: str) -> None:
    seed = _seed_cutting(piece)
    wrapped = hard_wrap(PLAN, seed)
    assert _cut_inside(wrapped, piece)
    assert detect_layout(normalize(PLAN).text, load()) is Layout.LINES
    assert prepare(wrapped).layout == Layout.HARD_WRAPPED
    doc = targetex.extract(wrapped)
    _check_offsets(wrapped, doc)
    assert record_keys(doc) == record_keys(targetex.extract(PLAN))
    assert len(doc.targets) >= 10 and {t.task_id for t in doc.tasks} == {"1.1", "1.2", "2.1", "2.2"}
    assert not any("\n" in field for field in _logical_fields(doc) if field)


def test_a_wrapped_target_keeps_its_raw_text() -> None:
    seed = _seed_cutting("2.5万亩")
    wrapped = hard_wrap(PLAN, seed)
    target = next(t for t in targetex.extract(wrapped).targets if t.text.replace("\n", "") == "2.5万亩")
    assert "\n" in target.text and wrapped[target.start : target.end] == target.text
    assert target.value == 25000 and target.unit == "mu"


# ------------------------------------------------------------ detection


@pytest.mark.parametrize(("shape", "layout"), [
    (lambda t: t, Layout.LINES),
    (lambda t: t.replace("\n", ""), Layout.ONE_LINE),
    (lambda t: t.replace("\n", "\u3000\u3000"), Layout.MARKED),
    (lambda t: hard_wrap(t, 7), Layout.HARD_WRAPPED),
])
def test_layout_is_detected(shape: Any, layout: Layout) -> None:
    assert prepare(shape(PLAN)).layout == layout


def test_table_one_cell_per_line_is_cells() -> None:
    rows = "".join(f"{i}\n新建公园{i}处\n区住建局\n" for i in range(1, 12))
    assert prepare("序号\n工作任务\n责任单位\n" + rows).layout == Layout.CELLS


# ------------------------------------------------------------ documents joined in one text

# A notice with line breaks whose second line holds a heading after a sentence end (kept
# on its line when the notice is alone), and a page flattened with paragraph marks that
# lost some breaks besides (read as one-line text).
_LINED = "某县住建局2026年工作安排\n一、总体要求。到2026年底，新建公园3处。二、重点任务\n1.改造老旧小区12个。"
_FLATTENED = ("\u3000\u3000一、工作目标\u3000\u3000到2026年，新增就业5000人。二、主要措施\u3000\u3000"
              "（一）开展培训。完成培训2000人次。（二）扩大岗位。新增公益岗位300个。")


@pytest.mark.parametrize("parts", [
    (_LINED, _FLATTENED),
    (_FLATTENED, _LINED),
    (_LINED, _FLATTENED, _LINED),
    (_FLATTENED, "", _FLATTENED.replace("2026", "2027")),  # two pages, a blank line between
])
def test_documents_joined_in_one_text_keep_their_own_lines(parts: tuple[str, ...]) -> None:
    lexicon = load()
    alone = [prepare(part, lexicon).text for part in parts]
    assert prepare("\n".join(parts), lexicon).text == "\n".join(alone)


def test_corpus_documents_joined_keep_their_own_lines() -> None:
    """A flattened page (hebei-dianzi: paragraph marks, some breaks lost besides) between
    documents with line breaks and another marked page that lost nothing."""
    doc_ids = ["cixi-2021", "hebei-dianzi-xinxi-2020", "guangdong-gzbg-2025", "hebei-tiyu-2021"]
    parts = [(CORPUS / f"{d}.txt").read_text(encoding="utf-8").rstrip("\n") for d in doc_ids]
    lexicon = load()
    alone = [prepare(part, lexicon) for part in parts]
    assert [a.layout for a in alone] == [Layout.LINES, Layout.MARKED, Layout.LINES, Layout.MARKED]
    assert prepare("\n".join(parts), lexicon).text == "\n".join(a.text for a in alone)


# ------------------------------------------------------------ the offset map


_PIECES = st.sampled_from(["增长", "7%", "（一）", "牵头单位：", "市发改局", "。", "\n", "\r\n",
                           "\u3000\u3000", "\u200b", "１２", "2.5万亩", " ", "a"])


@given(pieces=st.lists(_PIECES, max_size=40), data=st.data())
def test_edits_keep_the_offset_map_exact(pieces: list[str], data: st.DataObject) -> None:
    raw = "".join(pieces)
    norm = normalize(raw)
    breaks = [i for i, ch in enumerate(norm.text) if ch == "\n"]
    drops = data.draw(st.lists(st.sampled_from(breaks), unique=True)) if breaks else []
    inserts = data.draw(st.lists(st.integers(0, len(norm.text)), unique=True, max_size=5))
    edited = norm.edited(drops=drops, inserts=inserts)
    assert len(edited.text) == len(norm.text) - len(drops) + len(inserts)
    assert [edited.text[i] for i in edited.inserted] == ["\n"] * len(inserts)
    inserted = set(edited.inserted)
    for start in range(len(edited.text) + 1):
        for end in range(start, min(len(edited.text), start + 6) + 1):
            raw_start, raw_end = edited.raw_span(start, end)
            assert 0 <= raw_start <= raw_end <= len(raw)
            logical = "".join(ch for i, ch in enumerate(edited.text[start:end], start) if i not in inserted)
            # The raw characters of the span, the removed wraps left out, fold to the span's
            # text (a paragraph mark folds to a break or to spaces depending on context).
            written = normalize(edited.written(start, end)).text
            assert written.replace("\n", " ") == logical.replace("\n", " ")
