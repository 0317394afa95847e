"""Malformed gold files: ``load_gold`` raises ``GoldError`` and ``targetex eval`` exits with 4,
with one line naming the file, the record and the field, and no traceback."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import targetex
from targetex.cli import main
from targetex.errors import GoldError
from targetex.evaluation import load_gold

TEXT = "（一）地区生产总值增长7%左右\n（二）新增高新技术企业70家以上\n牵头单位：市发改局\n"

Gold = dict[str, Any]


@pytest.fixture(scope="module")
def valid_gold() -> Gold:
    gold = targetex.extract(TEXT, doc_id="notice").to_dict()
    assert [t["text"] for t in gold["targets"]] == ["7%", "70家"]
    assert [t["task_id"] for t in gold["tasks"]] == ["1", "2"]
    return gold


def write_corpus(folder: Path, gold: Gold | str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "notice.txt").write_text(TEXT, encoding="utf-8")
    path = folder / "notice.gold.json"
    path.write_text(gold if isinstance(gold, str) else json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return path


def run_eval(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["eval", str(folder)])  # an exception here is a traceback for the user
    _, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, err


def assert_names(message: str, *needles: str) -> None:
    for needle in needles:
        assert needle in message, f"{needle!r} not in {message!r}"


def assert_gold_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], gold: Gold | str,
                      *needles: str) -> None:
    """Both ``load_gold`` and ``targetex eval`` report the problem, naming every needle."""
    path = write_corpus(tmp_path / "corpus", gold)
    with pytest.raises(GoldError) as exc:
        load_gold(path, TEXT)
    assert_names(str(exc.value), "notice.gold.json", *needles)
    status, err = run_eval(tmp_path / "corpus", capsys)
    assert status == 4
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert_names(lines[0], "notice.gold.json", *needles)


def mutated(gold: Gold, change: Callable[[Gold], object]) -> Gold:
    copied = copy.deepcopy(gold)
    change(copied)
    return copied


def test_valid_gold_scores(tmp_path: Path, valid_gold: Gold, capsys: pytest.CaptureFixture[str]) -> None:
    write_corpus(tmp_path / "corpus", valid_gold)
    status, err = run_eval(tmp_path / "corpus", capsys)
    assert status == 0, err
    assert load_gold(tmp_path / "corpus" / "notice.gold.json", TEXT).to_dict() == valid_gold


@pytest.mark.parametrize("broken", [
    '{"doc_id": "notice", "tasks": [], "targets": [}',
    '{"doc_id": "notice", "tasks": [], "targets": []',
    "",
    '{"doc_id": "notice", "tasks": [], "targets": [{"task_id": "1",}]}',
])
def test_json_syntax_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], broken: str) -> None:
    assert_gold_error(tmp_path, capsys, broken, "line", "column")


@pytest.mark.parametrize("field", ["task_id", "start", "end", "text", "indicator", "action", "kind", "value",
                                   "unit", "comparator", "modality"])
def test_target_missing_field(tmp_path: Path, capsys: pytest.CaptureFixture[str], valid_gold: Gold,
                              field: str) -> None:
    gold = mutated(valid_gold, lambda g: g["targets"][1].pop(field))
    assert_gold_error(tmp_path, capsys, gold, "targets[1]", repr(field))


@pytest.mark.parametrize("field", ["task_id", "start", "end"])
def test_task_missing_field(tmp_path: Path, capsys: pytest.CaptureFixture[str], valid_gold: Gold,
                            field: str) -> None:
    gold = mutated(valid_gold, lambda g: g["tasks"][0].pop(field))
    assert_gold_error(tmp_path, capsys, gold, "tasks[0]", repr(field))


@pytest.mark.parametrize(("start", "end"), [(12, 14), (11, 14), (-1, 2), (60, 62), (14, 12)])
def test_offset_that_does_not_match_the_text(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             valid_gold: Gold, start: int, end: int) -> None:
    gold = mutated(valid_gold, lambda g: g["targets"][1].update(start=start, end=end))
    assert_gold_error(tmp_path, capsys, gold, "targets[1]", "start")


def test_task_offsets_out_of_the_text(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      valid_gold: Gold) -> None:
    gold = mutated(valid_gold, lambda g: g["tasks"][1].update(end=len(TEXT) + 5))
    assert_gold_error(tmp_path, capsys, gold, "tasks[1]", "end")


def test_task_id_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     valid_gold: Gold) -> None:
    gold = mutated(valid_gold, lambda g: g["targets"][1].update(task_id="9.9"))
    assert_gold_error(tmp_path, capsys, gold, "targets[1]", "'task_id'", "9.9")


def test_field_of_the_wrong_type(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 valid_gold: Gold) -> None:
    gold = mutated(valid_gold, lambda g: g["targets"][0].update(value="7"))
    assert_gold_error(tmp_path, capsys, gold, "targets[0]", "'value'")


@pytest.mark.parametrize("top", ['[]', '{"doc_id": "notice"}', '{"tasks": {}, "targets": []}'])
def test_wrong_top_level_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str], top: str) -> None:
    assert_gold_error(tmp_path, capsys, top, "tasks", "targets")


@pytest.mark.parametrize(("field", "value"), [("kind", "growth"), ("comparator", "=>"), ("modality", "must")])
def test_unknown_enum_value_names_record_and_field(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   valid_gold: Gold, field: str, value: str) -> None:
    gold = mutated(valid_gold, lambda g: g["targets"][1].update({field: value}))
    assert_gold_error(tmp_path, capsys, gold, "targets[1]", repr(field))


@pytest.mark.parametrize("field", ["leaders", "lead_units", "cooperating_units"])
def test_unit_list_written_as_a_string(tmp_path: Path, capsys: pytest.CaptureFixture[str], valid_gold: Gold,
                                       field: str) -> None:
    gold = mutated(valid_gold, lambda g: g["tasks"][0].update({field: "市长"}))
    assert_gold_error(tmp_path, capsys, gold, "tasks[0]", repr(field))


def test_duplicate_task_id(tmp_path: Path, capsys: pytest.CaptureFixture[str], valid_gold: Gold) -> None:
    gold = mutated(valid_gold, lambda g: g["tasks"][1].update(task_id="1"))
    gold["targets"][1]["task_id"] = "1"
    assert_gold_error(tmp_path, capsys, gold, "tasks[1]", "'task_id'")


def test_eval_process_exit_status(tmp_path: Path, valid_gold: Gold) -> None:
    gold = mutated(valid_gold, lambda g: g["targets"][0].update(text="8%"))
    write_corpus(tmp_path / "corpus", gold)
    proc = subprocess.run([sys.executable, "-m", "targetex", "eval", str(tmp_path / "corpus")],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 4
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert_names(lines[0], "notice.gold.json", "targets[0]", "start")


@pytest.mark.parametrize("shift", [0, 1])
def test_offset_error_quotes_short_excerpts(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            valid_gold: Gold, shift: int) -> None:
    """A wrong span over much text is quoted in a short excerpt, line breaks escaped, on one
    line; where the gold text is in the document, the message says where."""
    long_text = "指标说明：\n" + "各乡镇完成年度任务。\n" * 40
    gold = mutated(valid_gold, lambda g: g["targets"][1].update(start=shift, end=len(TEXT) - 1,
                                                               text="70家" if shift else long_text))
    path = write_corpus(tmp_path / "corpus", gold)
    with pytest.raises(GoldError) as exc:
        load_gold(path, TEXT)
    message = str(exc.value)
    assert "\n" not in message and len(message) < len(str(path)) + 200, message
    quoted = re.findall(r'"((?:[^"\\]|\\.)*)"', message)
    assert len(quoted) == 2 and all(len(q.replace("\\n", "\n")) <= 40 for q in quoted), quoted
    assert quoted[0].startswith(json.dumps(TEXT[shift:20], ensure_ascii=False)[1:20])
    assert "\\n" in quoted[0]
    if shift:
        assert quoted[1] == "70家" and message.endswith(f"(that text is at {TEXT.index('70家')})")
    else:
        assert quoted[1].endswith("…") and "that text is at" not in message
    status, err = run_eval(tmp_path / "corpus", capsys)
    assert status == 4 and err.count("\n") == 1 and message in err
