"""The command line: extract in every format, eval, segment, --version and --help."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

import pytest

from targetex.cli import main

ROOT = Path(__file__).resolve().parent.parent
CIXI = ROOT / "corpora" / "cixi-2021.txt"
ANNOTATION_TARGET_FIELDS = {"task_id", "start", "end", "text", "indicator", "action", "kind", "value",
                            "value_max", "unit", "classifier", "comparator", "modality",
                            "year", "base_year", "per_year", "attribute"}
ANNOTATION_TASK_FIELDS = {"task_id", "part_title", "start", "end", "leaders", "lead_units",
                          "cooperating_units"}


def display_width(text: str) -> int:
    """Terminal columns of ``text``: two for a wide (Chinese) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_extract_prints_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "extract", str(CIXI))
    assert status == 0
    assert "地区生产总值" in out and "增长" in out and "percent" in out
    assert out.rstrip().endswith("63 targets in 1 document")


def test_extract_json_is_the_annotation_contract(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "extract", str(CIXI), "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert set(data) == {"doc_id", "tasks", "targets", "meta"} and data["doc_id"] == "cixi-2021"
    assert all(set(t) == ANNOTATION_TARGET_FIELDS for t in data["targets"])
    assert all(set(t) == ANNOTATION_TASK_FIELDS for t in data["tasks"])
    text = CIXI.read_text(encoding="utf-8")
    assert all(text[t["start"] : t["end"]] == t["text"] for t in data["targets"])


def test_extract_json_with_text(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "extract", str(CIXI), "--format", "json", "--with-text")
    assert status == 0
    assert json.loads(out)["text"] == CIXI.read_text(encoding="utf-8")


def test_extract_jsonl_csv_and_output_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = run(capsys, "extract", str(CIXI), "--format", "jsonl")
    lines = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and len(lines) == 63 and lines[0]["doc_id"] == "cixi-2021"
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "targets.csv"
    status, _, err = run(capsys, "extract", str(CIXI), "-o", str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert status == 0 and len(rows) == 63
    assert rows[0]["indicator"] == "地区生产总值" and rows[0]["lead_units"].startswith("市发改局")
    assert "1 document, 63 targets, 0 failed" in err


def test_extract_several_files_in_order(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    second = tmp_path / "short.txt"
    second.write_text("（一）新增高新技术企业70家。", encoding="utf-8")
    status, out, _ = run(capsys, "extract", str(CIXI), str(second), "--format", "json", "--quiet")
    docs = json.loads(out)
    assert status == 0 and [d["doc_id"] for d in docs] == ["cixi-2021", "short"]
    assert docs[1]["targets"][0]["value"] == 70


NOTICE = ("某区人民政府办公室关于印发2024年为民办实事项目的通知\n各街道办事处：\n"
          "（一）新建口袋公园5个。\n（二）新增停车泊位1200个。\n某区人民政府办公室\n2024年1月8日\n")


@pytest.mark.parametrize("options", [[], ["--format", "json"], ["--format", "jsonl", "--jobs", "2"],
                                     ["--format", "csv"]])
def test_covering_notice_without_tasks_says_why(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                options: list[str]) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text("（一）新建口袋公园5个。", encoding="utf-8")
    status, out, err = run(capsys, "extract", str(notice), str(plain), *options)
    assert status == 0
    notes = [line for line in err.splitlines() if line.startswith("targetex: note:")]
    assert notes == [f"targetex: note: {notice}: 2 targets but no tasks: the title reads as a covering "
                     "notice (关于印发…的通知), and a covering notice's own numbered paragraphs, before its "
                     "signature or 特此通知, are not tasks; its targets have task_id \"\""]
    if options[:2] == ["--format", "json"]:
        documents = json.loads(out)
        assert [d["notes"][0]["kind"] for d in documents if "notes" in d] == ["covering_notice"]
    status, _, err = run(capsys, "extract", str(notice), "--quiet", *options)
    assert status == 0 and "note" not in err


def test_eval_table_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "eval", str(ROOT / "corpora"))
    assert status == 0 and "cixi-2021" in out and "micro average" in out
    status, out, _ = run(capsys, "eval", str(ROOT / "corpora"), "--json")
    data = json.loads(out)
    assert data["documents"]["cixi-2021"]["strict"]["f1"] == 1.0
    assert set(data["micro"]["fields"]) >= {"value", "unit", "comparator", "kind", "indicator"}


def test_eval_names_documents_in_full(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Two names that share their first 30 characters, and a Chinese one: never cut, and the
    # figures after them line up.
    names = ["county-annual-work-plan-tasks-2023-first", "county-annual-work-plan-tasks-2023-second",
             "某县任务"]
    for name in names:
        for suffix in (".txt", ".gold.json"):
            source = ROOT / "corpora" / f"caidian-2023{suffix}"
            (tmp_path / f"{name}{suffix}").write_bytes(source.read_bytes())
    status, out, _ = run(capsys, "eval", str(tmp_path))
    assert status == 0
    lines = {line.split()[0]: line for line in out.splitlines() if line.split() and line.split()[0] in names}
    assert set(lines) == set(names)
    header = out.splitlines()[0]
    gold_end = display_width(header[: header.index("gold") + 4])
    for line in lines.values():
        assert display_width(line[: line.index(" 4 ") + 2]) == gold_end, line


def test_segment_tree_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "segment", str(CIXI))
    assert status == 0 and "2.9" in out and "市自然资源规划局" in out
    status, out, _ = run(capsys, "segment", str(CIXI), "--format", "json")
    assert json.loads(out)["sections"][1]["node_id"] == "2"


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0 and capsys.readouterr().out.startswith("targetex ")
    for command in ("extract", "eval", "segment"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "example" in capsys.readouterr().out


def test_extract_folder_to_parquet_keeps_input_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "b.txt").write_text("（一）新增高新技术企业70家。", encoding="utf-8")
    (folder / "a.txt").write_text("（一）地区生产总值增长7%左右。", encoding="utf-8")
    out = tmp_path / "targets.parquet"
    status, _, err = run(capsys, "extract", str(folder), "-o", str(out), "--jobs", "2")
    assert status == 0 and "2 documents, 2 targets, 0 failed" in err
    frame = pd.read_parquet(out)
    assert list(frame["doc_id"]) == ["a", "b"] and list(frame["value"]) == [7.0, 70.0]
