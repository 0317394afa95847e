"""Reliability properties: no input breaks targetex, no offset lies, nothing is lost silently.

For any ``str`` — empty, whitespace, control characters, lone surrogates (as JSON escapes
decode them), emoji, mixed scripts, policy-like Chinese built from corpus fragments with
numbers, units and punctuation thrown in, full-width/half-width swaps — and for mutations
of the real corpus documents:

- ``targetex.extract`` and ``targetex.find_quantities`` return normally;
- every task, target and quantity span satisfies ``0 <= start <= end <= len(text)`` and a
  target's (quantity's) ``text`` is exactly ``text[start:end]``;
- a target's ``task_id`` names a task of the document whose span contains the target;
- the output is deterministic (twice in one process, and across processes with different
  hash seeds) and its JSON form round-trips;
- an edit far from a target (outside its sentence, its task and 300 characters around it)
  leaves the target's record unchanged apart from the shift of its offsets.

The number of generated cases per test comes from the hypothesis profile (``tests/conftest.py``);
the run's total is printed at the end of the pytest session.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import os
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import targetex
from targetex.io import read_document
from targetex.records import Document

CORPUS = Path(__file__).resolve().parent.parent / "corpora"
DOC_NAMES = sorted(p.name[: -len(".txt")] for p in CORPUS.glob("*.txt"))

#: Generated cases actually run, per test (printed by ``conftest.pytest_terminal_summary``).
GENERATED_CASES: Counter[str] = Counter()


@functools.cache
def corpus_text(name: str) -> str:
    return read_document(CORPUS / f"{name}.txt")


@functools.cache
def corpus_doc(name: str) -> Document:
    return targetex.extract(corpus_text(name), doc_id=name)


# ---------------------------------------------------------------------------- checks


def check_spans(text: str, doc: Document) -> None:
    """Offsets, texts and task links of ``doc`` against the exact input ``text``."""
    n = len(text)
    for task in doc.tasks:
        assert 0 <= task.start <= task.end <= n, f"task {task.task_id} span [{task.start}, {task.end}) of {n}"
    spans: dict[str, list[tuple[int, int]]] = {}
    for task in doc.tasks:
        spans.setdefault(task.task_id, []).append((task.start, task.end))
    for t in doc.targets:
        assert 0 <= t.start <= t.end <= n, f"target span [{t.start}, {t.end}) of {n}: {t}"
        assert text[t.start : t.end] == t.text, f"text[{t.start}:{t.end}] is {text[t.start:t.end]!r}: {t}"
        if t.task_id:
            assert t.task_id in spans, f"target {t.text!r} names task {t.task_id!r}, which is not a task"


def check_task_containment(doc: Document) -> None:
    """A target lies inside the span of the task it names, or in the text the task owns
    after its responsibility line (a box printed after the item): after the span and
    before the next task starts."""
    starts = sorted(task.start for task in doc.tasks)
    last = max((t.end for t in doc.targets), default=0)  # (the last task owns the text to the end)
    spans: dict[str, list[tuple[int, int]]] = {}
    for task in doc.tasks:
        after = next((s for s in starts if s > task.start), None)
        owned = max(task.end, last if after is None else after)
        spans.setdefault(task.task_id, []).append((task.start, owned))
    for t in doc.targets:
        if t.task_id:
            assert any(s <= t.start and t.end <= e for s, e in spans.get(t.task_id, [])), (
                f"target {t.text!r} at [{t.start}, {t.end}) is outside task {t.task_id}: "
                f"{spans.get(t.task_id)}")


def check_json(doc: Document) -> None:
    data = doc.to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert Document.from_dict(data).to_dict() == data


def check_extract(text: str) -> Document:
    """Every property of ``extract`` on one input; returns the document."""
    doc = targetex.extract(text, doc_id="d")
    check_spans(text, doc)
    check_json(doc)
    assert targetex.extract(text, doc_id="d").to_dict() == doc.to_dict(), "not deterministic"
    return doc


def check_quantities(text: str) -> None:
    n = len(text)
    found = targetex.find_quantities(text)
    for q in found:
        assert 0 <= q.start <= q.end <= n, f"quantity span [{q.start}, {q.end}) of {n}: {q}"
        assert text[q.start : q.end] == q.text, f"text[{q.start}:{q.end}] is {text[q.start:q.end]!r}: {q}"
        assert 0 <= q.context_start <= q.start and q.end <= q.context_end <= n, f"context of {q}"
        data = q.to_dict()
        assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert [q.to_dict() for q in targetex.find_quantities(text)] == [q.to_dict() for q in found]


# ---------------------------------------------------------------------------- strategies

_WIDE_SPACE = "\u3000"


def swap_width(ch: str) -> str:
    """Full-width <-> half-width for ASCII and the space; other characters unchanged."""
    code = ord(ch)
    if 0x21 <= code <= 0x7E:
        return chr(code + 0xFEE0)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if ch == " ":
        return _WIDE_SPACE
    if ch == _WIDE_SPACE:
        return " "
    return ch


def fold(text: str) -> str:
    """Full-width ASCII to half-width (same length, so offsets are kept)."""
    return "".join(chr(ord(ch) - 0xFEE0) if 0xFF01 <= ord(ch) <= 0xFF5E else ch for ch in text)


@functools.cache
def corpus_fragments() -> list[str]:
    pieces: set[str] = set()
    for name in DOC_NAMES:
        for m in re.finditer(r"[^，。；：、\n]{1,40}[，。；：、\n]?", corpus_text(name)):
            pieces.add(m.group(0))
    return sorted(pieces)


SURROGATES = st.integers(0xD800, 0xDFFF).map(chr)
CONTROLS = st.sampled_from([chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]]
                           + ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u2028", "\u2029",
                              "\u202e", "\u3000"])
EMOJI = st.sampled_from(["😀", "👍🏽", "👨‍👩‍👧‍👦", "🇨🇳", "❤️", "🔥", "1️⃣", "🀄", "𠀀", "𪚥", "\U0010ffff"])
SCRIPTS = st.sampled_from(["GDP", "Москва", "مرحبا", "नमस्ते", "한국어", "ひらがな", "カタカナ", "ﾊﾝｶｸ",
                           "Ελλάδα", "עברית", "ÅÄÖ", "e\u0301", "ℌ", "Ⅻ", "²³", "½", "٣٤٥", "१२३", "፩"])
ANY_PIECE = st.one_of(st.characters(), SURROGATES, CONTROLS, EMOJI, SCRIPTS)
ANY_TEXT = st.one_of(st.lists(ANY_PIECE, max_size=150).map("".join), st.text(max_size=200),
                     st.text(st.sampled_from(" \t\n\r\u3000\xa0\u2028\x0b\x0c"), max_size=50))

ARABIC = st.from_regex(r"\A(?:\d{1,7}(?:\.\d{1,3})?|\d{1,3}(?:,\d{3}){1,3})\Z")
CHINESE_NUMBER = st.text(st.sampled_from("零〇一二两三四五六七八九十百千万亿点壹贰叁拾佰仟萬億兩"),
                         min_size=1, max_size=6)
NUMBER = st.one_of(ARABIC, CHINESE_NUMBER, st.sampled_from(["0", "00", "0.0", ".5", "5.", "1e5", "-3", "+2"]))
UNITS = st.sampled_from([
    "%", "％", "﹪", "‰", "个百分点", "百分点", "元", "万元", "亿元", "千元", "亩", "万亩", "公顷",
    "平方米", "万平方米", "平方公里", "公里", "千米", "米", "吨", "万吨", "吨标准煤", "万吨标准煤",
    "千瓦", "万千瓦", "千瓦时", "度", "人", "名", "位", "人次", "万人次", "户", "头", "斤", "公斤",
    "千克", "亿斤", "年", "个月", "天", "日", "小时", "个", "家", "项", "件", "处", "所", "座",
    "台", "套", "辆", "张", "条", "批", "次", "成", "倍", "番", "岁", "万", "亿", "千", "百",
])
WORDS = st.sampled_from([
    "以上", "以下", "以内", "左右", "不低于", "不少于", "至少", "超过", "不超过", "不高于", "低于",
    "约", "大约", "近", "≥", "≤", ">", "<", "达到", "增长", "下降", "降低", "减少", "提高到",
    "提高", "控制在", "稳定在", "新增", "新建", "建成", "实施", "培训", "力争", "争取", "努力实现",
    "确保", "必须", "分别", "各", "均", "都", "其中", "翻一番", "翻两番", "一半以上", "超过一半",
    "三成", "百分之七", "百分之", "一批", "若干", "第", "届", "期", "号", "年", "月", "日",
    "“十四五”", "十三五", "5G", "2A", "地区生产总值", "企业", "投资", "的", "和", "及", "与", "或",
    "工作回顾", "指导思想", "基本原则", "主要目标",
])
PUNCT = st.sampled_from([
    "-", "—", "——", "～", "~", "至", "到", "、", "，", ",", "。", ".", "；", ";", "：", ":", "（",
    "）", "(", ")", "“", "”", "《", "》", "【", "】", "|", "｜", "！", "？", "…", "\n", "\r\n",
    "\r", "\u3000\u3000", " ", "\t", "/", "\\", "*", "#",
])
LABELS = st.sampled_from([
    "一、", "二、", "三、", "十、", "（一）", "(二)", "（十二）", "1.", "2、", "3．", "10.",
    "（1）", "(2)", "①", "⑩", "第一条", "第二条", "第一章", "第三节", "\n一、", "\n（一）", "\n1.",
    "\n（1）", "\n①",
])
ROLES = st.sampled_from([
    "牵头单位：市发改局", "牵头单位:市发改局、市财政局", "责任单位：市财政局、市教育局（牵头）",
    "责任单位：市委组织部(市人才办)、各镇(街道)", "配合单位：各镇(街道)、市级有关部门",
    "协办单位：市经信局", "参与单位：A、B等市级有关部门", "牵头领导：副市长",
    "牵头领导：市长、副市长", "列第一位者为牵头单位", "分管领导：", "责任单位：",
    "牵头单位：（牵头）",
])
PIECE = st.one_of(
    st.sampled_from(corpus_fragments()), NUMBER, UNITS, WORDS, PUNCT, LABELS, ROLES,
    CONTROLS, SURROGATES, EMOJI, SCRIPTS,
)


@st.composite
def width_swapped(draw: st.DrawFn, base: st.SearchStrategy[str]) -> str:
    text = draw(base)
    if not text:
        return text
    mode = draw(st.sampled_from(["none", "some", "all"]))
    if mode == "all":
        return "".join(swap_width(ch) for ch in text)
    if mode == "some":
        chars = list(text)
        for i in draw(st.lists(st.integers(0, len(chars) - 1), max_size=12)):
            chars[i] = swap_width(chars[i])
        return "".join(chars)
    return text


POLICY_TEXT = width_swapped(st.lists(PIECE, max_size=40).map("".join))


# ---------------------------------------------------------------------------- any text


@given(text=ANY_TEXT)
@example(text="")
@example(text="\ud800")
@example(text="增长7%\udfff左右")
@example(text="\r\n\r\n")
@example(text="（一）地区生产总值增长７％左右\u200b")
def test_extract_any_text(text: str) -> None:
    GENERATED_CASES["extract_any_text"] += 1
    check_extract(text)


@given(text=POLICY_TEXT)
@example(text="（一）地区生产总值增长7%左右，新增高新技术企业70家、科技型中小企业400家以上。")
@example(text="１．新增企业５家\r\n２．新增企业６家\u200b以上")
@example(text="工业投资、民间投资分别增长10%和9.5%以上\u3000\u3000二、盘活存量建设用地5000亩")
def test_extract_policy_like_text(text: str) -> None:
    GENERATED_CASES["extract_policy_like_text"] += 1
    check_extract(text)


@given(text=ANY_TEXT)
@example(text="\ud800百分之七")
def test_find_quantities_any_text(text: str) -> None:
    GENERATED_CASES["find_quantities_any_text"] += 1
    check_quantities(text)


@given(text=POLICY_TEXT)
@example(text="增长\u200b7\u200b%\u200b左右")
@example(text="6至7万人\r\n约3—5家左右")
def test_find_quantities_policy_like_text(text: str) -> None:
    GENERATED_CASES["find_quantities_policy_like_text"] += 1
    check_quantities(text)


# ---------------------------------------------------------------------------- corpus mutations

INSERTABLE = st.one_of(
    st.sampled_from(list("的和、，。；：（）()0123456789%万亿个家以上左右增长新增一二三十\n\r \u3000")),
    CONTROLS, EMOJI, SURROGATES, st.characters(),
)


def apply_mutation(text: str, op: str, pos: int, payload: str, rng: random.Random) -> str:
    if not text:
        return payload
    pos = min(pos, len(text) - 1)
    if op == "delete":
        return text[:pos] + text[pos + 1 :]
    if op == "delete_range":
        return text[:pos] + text[pos + 1 + rng.randrange(200) :]
    if op == "insert":
        return text[:pos] + payload + text[pos:]
    if op == "duplicate":
        return text[: pos + 1] + text[pos : pos + 1 + rng.randrange(30)] + text[pos + 1 :]
    if op == "swap_width":
        return text[:pos] + swap_width(text[pos]) + text[pos + 1 :]
    if op == "swap_width_all":
        return "".join(swap_width(ch) for ch in text)
    if op == "shuffle_lines":
        lines = text.split("\n")
        rng.shuffle(lines)
        return "\n".join(lines)
    if op == "crlf":
        return text.replace("\n", "\r\n")
    raise AssertionError(op)


OPS = [
    "delete", "delete_range", "insert", "duplicate", "swap_width", "swap_width_all", "shuffle_lines", "crlf",
]


@st.composite
def mutated_corpus(draw: st.DrawFn) -> str:
    text = corpus_text(draw(st.sampled_from(DOC_NAMES)))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    for _ in range(draw(st.integers(1, 12))):
        op = draw(st.sampled_from(OPS))
        pos = draw(st.integers(0, max(0, len(text) - 1)))
        payload = draw(INSERTABLE) if op == "insert" else ""
        text = apply_mutation(text, op, pos, payload, rng)
    return text


@given(text=mutated_corpus())
def test_mutated_corpus_documents(text: str) -> None:
    GENERATED_CASES["mutated_corpus_documents"] += 1
    check_extract(text)
    check_quantities(text)


@pytest.mark.parametrize("name", DOC_NAMES)
def test_corpus_documents_as_is(name: str) -> None:
    text = corpus_text(name)
    check_task_containment(check_extract(text))
    check_quantities(text)


@pytest.mark.parametrize("name", DOC_NAMES)
def test_indicators_are_as_written(name: str) -> None:
    """An indicator found in the normalised text is reported as the raw text writes it."""
    from targetex.normalize import normalize

    text = corpus_text(name)
    normalized = normalize(text).text
    wrong = [(t.start, t.indicator) for t in corpus_doc(name).targets
             if t.indicator in normalized and t.indicator not in text]
    assert wrong == []


@given(text=st.one_of(POLICY_TEXT, mutated_corpus()))
@example(text="一、主要目标\n2023年1月3日\n地区生产总值增长7%\n(一)新增企业5家")
@example(text="一、主要目标\n(一)各镇(街道)\n地区生产总值增长6%\n(二)社会事业")
def test_targets_lie_inside_their_task(text: str) -> None:
    GENERATED_CASES["targets_lie_inside_their_task"] += 1
    check_task_containment(targetex.extract(text))


# ---- locality: an edit far from a target does not change it

FAR = 300
# Raw characters that end a sentence for the pipeline (clauses.SENTENCE_END before and after
# width folding and line-break normalisation).
_SENTENCE_END = set("。!?！？;；|｜\n\r\u2028\u2029")
_LABEL_LINE = re.compile(
    r"^[\s\u3000]*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百\d]+[)）]|\d+[.．、]"
    r"|[①-⑳]|第[一二三四五六七八九十百\d]+[章节条部分])")


@functools.cache
def locality_baseline(
    name: str,
) -> tuple[list[tuple[int, int]], list[tuple[Any, ...]], list[tuple[int, int]]]:
    """Per target: its protected zone and its compared fields; and the label lines of the text.

    The zone of a target is its sentence with the marks that end it and the one before it, its
    task's span, ``FAR`` characters on either side, and the nearest earlier occurrence of its
    indicator and action words.
    """
    text = corpus_text(name)
    doc = corpus_doc(name)
    ends = [i for i, ch in enumerate(text) if ch in _SENTENCE_END]
    folded = fold(text)
    zones, records = [], []
    for t in doc.targets:
        i = bisect.bisect_left(ends, t.start)
        s_start = ends[i - 1] if i > 0 else 0  # the end mark before the sentence is protected too
        j = bisect.bisect_left(ends, t.end)
        s_end = ends[j] + 1 if j < len(ends) else len(text)
        lo, hi = min(s_start, t.start - FAR), max(s_end, t.end + FAR)
        # The words the record is made of are protected wherever they are (a table's title
        # is the indicator of every cell).
        for word in (t.indicator, t.action):
            at = folded.rfind(fold(word), 0, t.start) if word else -1
            if at != -1:
                lo = min(lo, at)
        for task in doc.tasks:
            if task.task_id == t.task_id and task.start <= t.start < task.end:
                lo, hi = min(lo, task.start), max(hi, task.end)
        zones.append((max(0, lo), hi))
        records.append(_record(t))
    label_lines = []
    pos = 0
    for line in text.split("\n"):
        if _LABEL_LINE.match(line):
            label_lines.append((pos, pos + len(line) + 1))
        pos += len(line) + 1
    return zones, records, label_lines


def _record(t: Any, shift: int = 0) -> tuple[Any, ...]:
    return (t.start + shift, t.end + shift, t.text, t.indicator, t.action, t.kind.value, t.value,
            t.value_max, t.unit, t.classifier, t.comparator.value, t.modality.value)


LOCAL_INSERTS = st.one_of(
    st.sampled_from(list("的和、，。；：（）()0123456789%万亿个家以上左右增长新增一二三十ABCxyz ")),
    EMOJI, SURROGATES, st.sampled_from(["\u200b", "\ufeff", "\x00", "\x07"]),
)


# Years that date the document: those of its head (the title's year or plan period, read
# from the text before the first numbered heading) and full dates (its date line).
_HEAD_YEAR = re.compile(r"(?:19|20)\d{2}(?:\s*[-—–~－至到]\s*(?:19|20)\d{2})?年?")
_DATE = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_HEAD = 1500


@functools.cache
def editable_positions(name: str, swappable: bool) -> list[int]:
    """Positions an edit may touch: not a line or sentence break, not on a numbered heading line
    (edits there restructure the document, which is not local), not in a year that dates the
    document (an edit there changes the document's own year, and with it which figures report
    the past: 014-2018年实施方案 dates a 2014 report 2018)."""
    text = corpus_text(name)
    _, _, label_lines = locality_baseline(name)
    in_label = [False] * len(text)
    for a, b in label_lines:
        in_label[a:b] = [True] * (min(b, len(text)) - a)
    dating = [*_HEAD_YEAR.finditer(text, 0, min(len(text), _HEAD)), *_DATE.finditer(text)]
    for m in dating:
        in_label[m.start() : m.end()] = [True] * (m.end() - m.start())
    return [i for i, ch in enumerate(text) if ch not in _SENTENCE_END and not in_label[i]
            and (not swappable or (swap_width(ch) != ch and ch not in " \u3000"))]


@st.composite
def far_edit(draw: st.DrawFn) -> tuple[str, str, int, str]:
    name = draw(st.sampled_from(DOC_NAMES))
    text = corpus_text(name)
    op = draw(st.sampled_from(["delete", "insert", "duplicate", "swap_width"]))
    positions = editable_positions(name, op == "swap_width")
    if not positions:
        return name, "none", 0, ""
    pos = draw(st.sampled_from(positions))
    payload = draw(LOCAL_INSERTS) if op == "insert" else text[pos] if op == "duplicate" else ""
    return name, op, pos, payload


@given(edit=far_edit())
@example(edit=("cixi-2021", "insert", 0, "7"))
@example(edit=("guowuyuan-gzbg-2022", "swap_width", 3, ""))
def test_far_edit_leaves_targets_unchanged(edit: tuple[str, str, int, str]) -> None:
    GENERATED_CASES["far_edit_leaves_targets_unchanged"] += 1
    name, op, pos, payload = edit
    if op == "none":
        return
    text = corpus_text(name)
    if op == "delete":
        new, shift_at, shift = text[:pos] + text[pos + 1 :], pos, -1
    elif op in ("insert", "duplicate"):
        new, shift_at, shift = text[:pos] + payload + text[pos:], pos, len(payload)
    else:
        new, shift_at, shift = text[:pos] + swap_width(text[pos]) + text[pos + 1 :], pos, 0
    zones, records, _ = locality_baseline(name)
    doc = targetex.extract(new, doc_id=name)
    check_spans(new, doc)
    found = Counter(_record(t) for t in doc.targets)
    for (lo, hi), rec in zip(zones, records, strict=True):
        if lo <= pos <= hi:
            continue  # the edit is near this target: it may change it
        moved = shift if rec[0] >= shift_at else 0
        expected = (rec[0] + moved, rec[1] + moved, *rec[2:])
        assert found[expected] > 0, (
            f"{op} {payload!r} at {pos} (target zone [{lo}, {hi}]) changed or lost the target {rec}; "
            f"near: {[_record(t) for t in doc.targets if abs(t.start - expected[0]) < 20]}")


# ---------------------------------------------------------------------------- repetition, size


@pytest.fixture(scope="module")
def repeated_cixi() -> tuple[str, Document, Document]:
    text = corpus_text("cixi-2021")
    big = "\n".join([text] * 100)
    return text, corpus_doc("cixi-2021"), targetex.extract(big, doc_id="cixi-100")


def test_document_repeated_100_times_keeps_properties(repeated_cixi: tuple[str, Document, Document]) -> None:
    text, _, doc = repeated_cixi
    big = "\n".join([text] * 100)
    check_spans(big, doc)
    check_json(doc)


def _content(t: Any) -> tuple[Any, ...]:
    return (t.text, t.indicator, t.action, t.kind.value, t.value, t.value_max, t.unit, t.comparator.value,
            t.modality.value)


def test_document_repeated_100_times_loses_nothing(repeated_cixi: tuple[str, Document, Document]) -> None:
    """Every copy keeps every target (same content); task ids stay unique: when the
    top-level numbering starts again, the last list is the document's task list and the
    earlier lists' targets have task_id "" (README, "restarted numbering")."""
    text, single, doc = repeated_cixi
    width = len(text) + 1
    per_copy: list[Counter[tuple[Any, ...]]] = [Counter() for _ in range(100)]
    for t in doc.targets:
        per_copy[t.start // width][_content(t)] += 1
    expected = Counter(_content(t) for t in single.targets)
    assert all(c == expected for c in per_copy)
    assert [t.task_id for t in doc.tasks] == [t.task_id for t in single.tasks]
    assert {t.task_id for t in doc.targets if t.start < 99 * width} == {""}


def test_restarted_numbering_keeps_every_target_and_unique_tasks() -> None:
    one = targetex.extract("1.新增企业5家")
    two = targetex.extract("1.新增企业5家\n1.新增企业5家")
    assert [_content(t) for t in two.targets] == [_content(t) for t in one.targets] * 2
    assert [t.task_id for t in two.tasks] == ["1"]
    assert [t.task_id for t in two.targets] == ["", "1"]


def test_one_megabyte_of_digits_returns() -> None:
    text = "1234567890" * 100_000
    check_spans(text, targetex.extract(text))
    check_quantities(text)


@pytest.mark.parametrize("size", [
    100_000,
    # (Was quadratic in the length of a clause: 1 MB took ~29 s; segments are now capped.)
    pytest.param(1_000_000, id="1MB"),
])
def test_long_line_without_punctuation_returns(size: int) -> None:
    flat = re.sub(r"[\s\W]", "", "".join(corpus_text(n) for n in DOC_NAMES))
    text = (flat * (size // len(flat) + 1))[:size]
    assert "\n" not in text and "，" not in text
    check_spans(text, targetex.extract(text))
    check_quantities(text)


@pytest.mark.parametrize("size", [
    8_000,
    # (Was quadratic: 64,000 characters took ~47 s, 1 MB hours; now linear, 1 MB in seconds.)
    pytest.param(1_000_000, marks=pytest.mark.slow, id="1MB"),
])
def test_long_line_of_quantities_without_punctuation_returns(size: int) -> None:
    text = ("新增企业5家建设项目12个投资3亿元" * (size // 18 + 1))[:size]
    doc = targetex.extract(text)
    check_spans(text, doc)
    assert len(doc.targets) >= size // 18


# ---------------------------------------------------------------------------- values


@pytest.mark.parametrize("text", ["新增企业" + "9" * 310 + "家", "9" * 400 + "亿元"],
                         ids=["310-digits", "400-digits"])
def test_huge_numbers_give_finite_values(text: str) -> None:
    for q in targetex.find_quantities(text):
        assert math.isfinite(q.value), q
    doc = targetex.extract(text)
    json.dumps(doc.to_dict(), allow_nan=False)


@given(text=POLICY_TEXT)
def test_values_are_finite_for_realistic_numbers(text: str) -> None:
    GENERATED_CASES["values_are_finite"] += 1
    for q in targetex.find_quantities(text):
        assert math.isfinite(q.value) and (q.value_max is None or math.isfinite(q.value_max)), q
    json.dumps(targetex.extract(text).to_dict(), allow_nan=False, ensure_ascii=False)


# ---------------------------------------------------------------------------- determinism across processes

_FIXED_INPUTS = [
    "（一）地区生产总值增长7%左右",
    "新增高新技术企业70家、科技型中小企业400家以上；小集镇式中心村和乡村振兴示范带各1个。",
    "工业投资、民间投资分别增长10%和9.5%以上\r\n二、盘活存量建设用地5000亩\u200b以上",
    "\ud800😀 Москва 百分之七 三成 翻一番 一半以上",
]

_CHILD = """
import json, sys, targetex
from targetex.io import read_document
inputs = json.loads(sys.stdin.read())
out = []
for item in inputs:
    text = read_document(item[5:]) if item.startswith("file:") else item
    out.append([targetex.extract(text, doc_id="d").to_dict(),
                [q.to_dict() for q in targetex.find_quantities(text)]])
sys.stdout.write(json.dumps(out, ensure_ascii=True))
"""


@pytest.mark.parametrize("seed", ["0", "4242"])
def test_output_is_identical_across_processes(seed: str) -> None:
    files = [f"file:{CORPUS / name}.txt" for name in ("cixi-2021", "guobanfa-xizangban-1996", "pingan-2017")]
    inputs = [*_FIXED_INPUTS, *files]
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run([sys.executable, "-c", _CHILD], input=json.dumps(inputs), capture_output=True,
                          text=True, env=env, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    here = []
    for item in inputs:
        text = corpus_text(Path(item[5:]).name[:-4]) if item.startswith("file:") else item
        here.append([targetex.extract(text, doc_id="d").to_dict(),
                     [q.to_dict() for q in targetex.find_quantities(text)]])
    assert json.loads(proc.stdout) == json.loads(json.dumps(here, ensure_ascii=True))


# ---------------------------------------------------------------------------- side effects


_JIEBA_CHILD = """
import json, sys, logging
import jieba, jieba.posseg
logging.getLogger("jieba").setLevel(logging.WARNING)
import targetex
from targetex.io import read_document
sentences = json.loads(sys.stdin.read())
def state():
    return [[jieba.lcut(s) for s in sentences], [[list(p) for p in jieba.posseg.lcut(s)] for s in sentences],
            len(jieba.dt.FREQ), id(jieba.dt)]
before = state()
for path in sys.argv[1:]:
    targetex.extract(read_document(path))
targetex.extract("牵头单位：市发改局、市财政局（牵头）\\n新增企业70家")
print(json.dumps([before, state()], ensure_ascii=False))
"""


def test_global_jieba_is_not_changed() -> None:
    """targetex uses a private tokenizer: jieba.lcut of the caller gives the same words after it ran."""
    sentences = ["市发改局、市经信局牵头，新增高新技术企业70家，提高3个百分点。",
                 "市自然资源规划局盘活存量建设用地5000亩以上，地区生产总值增长7%左右"]
    paths = [str(CORPUS / f"{name}.txt") for name in DOC_NAMES[:4]]
    proc = subprocess.run([sys.executable, "-c", _JIEBA_CHILD, *paths], input=json.dumps(sentences),
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    before, after = json.loads(proc.stdout)
    assert before[0][0][:1] != ["市发改局"], "the global jieba already knows targetex's dictionary"
    assert after == before


_NO_FILES_CHILD = """
import targetex, pathlib
from targetex.io import read_document
text = read_document(pathlib.Path({corpus!r}) / "cixi-2021.txt")
doc = targetex.extract(text, doc_id="cixi")
assert doc.targets
targetex.find_quantities(text)
targetex.to_dataframe([doc]) if __import__("importlib").util.find_spec("pandas") else None
"""


def _listing(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_extract_writes_no_files_in_the_working_directory(tmp_path: Path) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    script = _NO_FILES_CHILD.format(corpus=str(CORPUS))
    proc = subprocess.run([sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert _listing(cwd) == set()


def test_extract_writes_no_files_in_home_or_temp(tmp_path: Path) -> None:
    """Nothing appears in the working directory, $HOME or $TMPDIR (jieba keeps a cache in the
    temporary directory unless told otherwise)."""
    dirs = {name: tmp_path / name for name in ("cwd", "home", "tmp")}
    for d in dirs.values():
        d.mkdir()
    env = {**os.environ, "HOME": str(dirs["home"]), "TMPDIR": str(dirs["tmp"]), "TEMP": str(dirs["tmp"]),
           "TMP": str(dirs["tmp"])}
    script = _NO_FILES_CHILD.format(corpus=str(CORPUS))
    proc = subprocess.run([sys.executable, "-c", script], cwd=dirs["cwd"], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert {name: _listing(d) for name, d in dirs.items()} == {name: set() for name in dirs}


def _fold_alphabet() -> list[str]:
    from targetex.normalize import folding_table

    table = folding_table()
    return [*map(chr, table), *table.values(), "增", "长", "\n"]


@given(text=st.text(alphabet=st.sampled_from(_fold_alphabet()) | st.characters(), max_size=60))
@example(text="".join(_fold_alphabet()))  # every character that folds, at once
@example(text="增长７％（左右），\r\n１２３")
def test_folding_is_one_translation(text: str) -> None:
    """Folding the characters one after another (the fast way) is the one-pass translation."""
    from targetex.normalize import _fold_text, folding_table

    table = folding_table()
    assert not {ord(v) for v in table.values()} & table.keys()  # no fold is folded again
    assert _fold_text(text) == text.translate(table)



@given(runs=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5)), max_size=12),
       probes=st.lists(st.integers(-2, 60), max_size=20))
@example(runs=[(0, 3), (3, 1), (3, 2)], probes=[3, 4])  # an inserted break shares the next offset
def test_offset_map_is_the_list_of_its_offsets(runs: list[tuple[int, int]], probes: list[int]) -> None:
    """The run-length offset map reads, copies and searches like the plain list of the
    offsets it stands for (runs rising from a gap after the last offset)."""
    from targetex.normalize import OffsetMap

    offsets: list[int] = []
    mapped = OffsetMap()
    for gap, count in runs:  # non-decreasing offsets, as the normalisation makes them
        first = (offsets[-1] + 1 if offsets else 0) + gap - (1 if gap == 0 and offsets else 0)
        offsets += range(first, first + count)
        mapped.append(first, count)
    assert len(mapped) == len(offsets)
    assert list(mapped) == offsets
    assert [mapped[i] for i in range(len(offsets))] == offsets
    for a in range(len(offsets) + 1):
        for b in (a, (a + len(offsets)) // 2, len(offsets)):
            copied = OffsetMap()
            copied.copy(mapped, a, b)
            assert list(copied) == offsets[a:b]
    for raw in probes:
        for stop in (len(offsets), max(0, len(offsets) - 1)):
            assert mapped.index(raw, stop) == bisect.bisect_left(offsets, raw, 0, stop)
    with pytest.raises(IndexError):
        mapped[len(offsets)]


_NUMBER_CHARS = list("0123456789.,:/-~ 一二两三十百千万亿年月日号底至到分之翻番半数零增长%个元家")
_NUMBER_TEXT = st.text(alphabet=st.sampled_from(_NUMBER_CHARS) | st.characters(), max_size=60)


@given(text=_NUMBER_TEXT)
@example(text="2021年3月至2025年底增长7%，三分之一，翻一番，2023-05-01 10:30，零增长")
def test_search_by_start_class_finds_what_finditer_finds(text: str) -> None:
    """The quantity scan and the date mask jump to a possible first character before
    matching: they find exactly the matches of a plain search."""
    from targetex.quantities import finder
    from targetex.scanning import matches

    quantities = finder()
    for regex, start_chars in ((quantities._regex, quantities._candidate),
                               (quantities.lexicon.date_regex, quantities._date_start)):
        assert start_chars is not None
        fast = [m.span() for m in matches(regex, start_chars, text, 0, len(text))]
        assert fast == [m.span() for m in regex.finditer(text)]


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"(?:19|20)\d{2}年|[一二]月", "[12一二]"),
    (r"(?<=x)(?=[ab])a|(?!c)[bc]d", "[abc]"),  # look-arounds take no character
    (r"x?y*(?>z+)", "[xyz]"),  # optional items let the next one open the match
    (r"[^a]b", None),  # a negated class: any character may open it
    (r"(a)\1|b", "[ab]"),
    (r"(a)?\1", None),  # a back-reference: not known
    (r".a", None),
    (r"a*", None),  # may match the empty string
    (r"(?i)a", None),  # case-insensitive
])
def test_start_class_reads_the_first_characters(pattern: str, expected: str | None) -> None:
    from targetex.scanning import start_class

    found = start_class(re.compile(pattern))
    assert (found.pattern if found is not None else None) == expected


@given(text=st.text(alphabet=st.sampled_from(list("新建增长各了成一二\n 的")), max_size=12),
       words=st.lists(st.text(alphabet=st.sampled_from(list("新建增长各了成\n")), min_size=1, max_size=4),
                      min_size=1, max_size=6))
@example(text="新建\n", words=["新建"])  # $ matches before a final line break
def test_word_before_answers_like_the_anchored_alternation(text: str, words: list[str]) -> None:
    from targetex.quantities import WordBefore

    regex = re.compile("(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")$")
    before = WordBefore(words, 6)
    for at in range(len(text) + 1):
        assert before.ends(text, at) == bool(regex.search(text, max(0, at - 6), at))


@given(window=st.text(alphabet=st.sampled_from(list("逐步尽快免费提供建设推进应用企业到县级医院共同体机制构建开展技术改造并a1（")),
                      min_size=1, max_size=10))
@example(window="逐步提供服务")  # an adverb
@example(window="开展技术改造")  # a verb
@example(window="到县级医院")
def test_predicate_look_ahead_never_misses_a_predicate(window: str) -> None:
    """The readers skip cutting a window when no word jieba may choose first opens a
    predicate: whenever jieba's first word does, the look-ahead says it may."""
    from targetex.readers import PhraseReaders
    from targetex.resources import load
    from targetex.words import tokenizer, word_classes

    first = next(iter(tokenizer().cut(window, HMM=False)), "")
    classes = word_classes()
    opens = first in load().readers.predicate_after_head or (
        len(first) > 1 and (first in classes.adverbs or first in classes.pure_verbs))
    if opens:
        assert PhraseReaders(load())._may_open_predicate(window)


_REVIEW_PIECES = ["过去一年", "五年来", "今年", "要", "确保", "新增", "企业",
                  "，", "。", "；", "!", "\n", " ", "、"]


@given(pieces=st.lists(st.sampled_from(_REVIEW_PIECES), max_size=30))
@example(pieces=["过去一年", "，", "新增", "企业", "。", "新增", "企业", "。", "今年", "新增"])
def test_review_paragraph_read_backwards_agrees_with_reading_forwards(pieces: list[str]) -> None:
    """Whether a paragraph reviews past work up to a sentence: read backwards from the
    sentence (stopping at the first review opener or plan cue), as reading every sentence
    from the paragraph start says."""
    from targetex.non_targets import NonTargetRules
    from targetex.resources import load

    rules = NonTargetRules(load())
    text = "".join(pieces)
    for s_start in range(len(text) + 1):
        paragraph = max(text.rfind("\n", 0, s_start) + 1, s_start - 3000)
        expected = False
        for sentence in re.split("[。！？!?；;]", text[paragraph:s_start]):
            if rules.review_opener_re.match(sentence.lstrip(rules.edges + "\u3000 ")):
                expected = True
            elif rules.plan_re.search(sentence):
                expected = False
        assert rules.reviewing_before(text, s_start) == expected
