"""What a new user meets around the text: outputs, folders, standard input, logging, schema.

Excel workbooks, CSV for Excel, refused suffixes, no partial files, ``-`` for standard input,
``-v``, the progress bar, folder walks (suffixes, --include/--exclude, skipped files
reported, unique ids), binary-looking text, and the JSON Schema (every JSON output the
tests make is also validated against it by ``conftest.py``).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import targetex
from targetex.cli import main
from targetex.export import DOCUMENT_COLUMNS, TARGET_COLUMNS, TASK_COLUMNS, exported_fields
from targetex.records import DocumentMeta, Target, Task
from targetex.schema import json_schema

ROOT = Path(__file__).resolve().parent.parent
CIXI = ROOT / "corpora" / "cixi-2021.txt"
WEB = ROOT / "tests" / "data" / "web"
TEXT = ("关于印发2025年重点任务的通知\n（一）地区生产总值增长6%左右。\n（二）新建学校3所。\n"
        "某市人民政府\n2025年1月8日\n")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("targetex: error")]


# --------------------------------------------------------------------------- Excel and CSV


def test_xlsx_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "targets.xlsx"
    status, _, err = run(capsys, "extract", str(CIXI), str(WEB / "gov-council-utf8.html"), "-o", str(out))
    assert status == 0, err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["targets", "tasks", "documents"]
    for sheet, columns in zip(book.worksheets, (TARGET_COLUMNS, TASK_COLUMNS, DOCUMENT_COLUMNS), strict=True):
        assert [c.value for c in sheet[1]] == list(columns)
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(columns)).column_letter}{sheet.max_row}"
    targets = book["targets"]
    header = [c.value for c in targets[1]]
    first = {h: c.value for h, c in zip(header, targets[2], strict=True)}
    assert (first["doc_id"], first["indicator"], first["value"], first["unit"], first["comparator"]) == (
        "cixi-2021", "地区生产总值", 7, "percent", "~")
    assert isinstance(first["value"], int | float)  # numbers stay numbers, the unit beside them
    assert targets.max_row == 1 + 63 + len(targetex.extract(
        targetex.io.read_document(WEB / "gov-council-utf8.html")).targets)
    documents = book["documents"]
    council = {h: c.value for h, c in zip([c.value for c in documents[1]], documents[3], strict=True)}
    assert council["doc_number"] == "国办发〔2024〕11号" and council["format"] == "html"


def test_csv_file_has_a_bom_for_excel(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "targets.csv"
    assert run(capsys, "extract", str(CIXI), "-o", str(out))[0] == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == list(TARGET_COLUMNS) and len(rows) == 63
    assert rows[0]["indicator"] == "地区生产总值"
    assert run(capsys, "extract", str(CIXI), "-o", str(out), "--no-bom")[0] == 0
    assert out.read_bytes().startswith(b"doc_id,")
    status, stdout, _ = run(capsys, "extract", str(CIXI), "--format", "csv")
    assert status == 0 and stdout.startswith("doc_id,")  # no BOM in a pipe


@pytest.mark.parametrize("name", ["out.xls", "out.tsv", "out", "out.html"])
def test_unknown_output_suffix_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          name: str) -> None:
    out = tmp_path / name
    status, _, err = run(capsys, "extract", str(CIXI), "-o", str(out))
    assert status == 2
    assert len(errors(err)) == 1 and "unknown output suffix" in err
    assert not out.exists()
    assert run(capsys, "extract", str(CIXI), "-o", str(out), "--format", "json")[0] == 0  # an explicit format


def test_txt_output_is_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "targets.txt"
    assert run(capsys, "extract", str(CIXI), "-o", str(out))[0] == 0
    assert out.read_text(encoding="utf-8").endswith("63 targets in 1 document\n")


@pytest.mark.parametrize("fmt", ["parquet", "xlsx", "json"])
def test_failed_write_leaves_no_partial_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    pytest.importorskip("pyarrow" if fmt == "parquet" else "openpyxl")
    from targetex import export

    def half_then_fail(path: Any, *args: Any, **kwargs: Any) -> None:
        Path(path).write_bytes(b"PAR1 half a file")
        raise OSError(28, "No space left on device")

    if fmt == "parquet":
        import pandas as pd

        monkeypatch.setattr(pd.DataFrame, "to_parquet", lambda self, path, *a, **k: half_then_fail(path))
    elif fmt == "xlsx":
        monkeypatch.setattr(export, "to_xlsx", lambda documents, path: half_then_fail(path))
    else:
        monkeypatch.setattr(Path, "write_text", lambda self, *a, **k: half_then_fail(self))
    out = tmp_path / f"targets.{fmt}"
    status, _, err = run(capsys, "extract", str(CIXI), "-o", str(out))
    assert status == 3 and "No space left on device" in err
    assert list(tmp_path.iterdir()) == []  # neither the file nor the temporary one
    out.write_bytes(b"the old file")
    assert run(capsys, "extract", str(CIXI), "-o", str(out))[0] == 3
    assert out.read_bytes() == b"the old file"


def test_written_file_has_ordinary_permissions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cixi.json"
    assert run(capsys, "extract", str(CIXI), "-o", str(out))[0] == 0
    assert out.stat().st_mode & 0o044  # readable by others as with open(), not mkstemp's 0600


# --------------------------------------------------------------------------- stdin, -v, progress


def test_standard_input(tmp_path: Path) -> None:
    page = (WEB / "gov-province-gbk.htm").read_bytes()
    command = [sys.executable, "-m", "targetex", "extract", "-", "--format", "json", "--with-text"]
    result = subprocess.run(command, input=page, capture_output=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["doc_id"] == "stdin" and data["meta"]["source"] == "-" and data["meta"]["format"] == "html"
    assert data["meta"]["encoding"] == "gb18030"
    for target in data["targets"]:
        assert data["text"][target["start"]:target["end"]] == target["text"]
    status = subprocess.run([sys.executable, "-m", "targetex", "extract", "-", "-"], input=b"x",
                            capture_output=True, cwd=ROOT)
    assert status.returncode == 2 and b"only once" in status.stderr


def test_verbose_logs_each_document(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "-v", "extract", str(CIXI), "--format", "jsonl")
    assert status == 0
    lines = [line for line in err.splitlines() if "targets," in line and "characters" in line]
    assert len(lines) == 1 and lines[0].startswith(f"targetex: info: {CIXI}: text utf-8,")  # prefix once
    assert "63 targets" in lines[0]
    status, _, err = run(capsys, "extract", "-v", str(CIXI), "--format", "jsonl")
    assert status == 0 and "targetex: info: " in err
    status, _, err = run(capsys, "extract", str(CIXI), "--format", "jsonl")
    assert "info" not in err


def test_library_log_lines_name_their_logger(capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    from targetex.cli import _configure_logging

    try:
        _configure_logging(2)
        logging.getLogger("targetex.webpage").warning("a page note")
        logging.getLogger("somelib.part").debug("a library note")
        err = capsys.readouterr().err
    finally:
        _configure_logging(0)
    assert err.splitlines() == ["targetex: warning: a page note",
                                "targetex: debug: somelib.part: a library note"]


def test_progress_bar_shows_rate_and_time_left(capsys: pytest.CaptureFixture[str]) -> None:
    from targetex.cli import _progress

    with _progress(4, True) as bar:
        for _ in range(4):
            time.sleep(0.11)  # tqdm redraws at most every 0.1 s
            bar.update(1)
    err = capsys.readouterr().err
    assert "4/4" in err and "doc/s" in err and "<" in err  # [elapsed<left, rate]
    with _progress(4, False) as bar:
        bar.update(4)
    assert capsys.readouterr().err == ""


# --------------------------------------------------------------------------- folders


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    for name in ("a/report.txt", "b/report.html", "c/plan.txt", "c/plan.html", "notes/todo.md",
                 "README.md", "LICENSE", "scan.png", ".git/HEAD", "drafts/old.txt"):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".html"):
            path.write_text(f"<html><body><p>{TEXT}</p></body></html>", encoding="utf-8")
        else:
            path.write_text(TEXT, encoding="utf-8")
    return root


def test_folder_walk_ids_and_skipped_files(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "-v", "extract", str(folder), "--format", "jsonl", "--exclude", "drafts/*")
    assert status == 0
    ids = sorted({json.loads(line)["doc_id"] for line in out.splitlines()})
    assert ids == ["a/report", "b/report", "c/plan.html", "c/plan.txt"]
    skipped = sorted(line for line in err.splitlines() if line.startswith("targetex: skipped"))
    assert skipped == sorted([
        f"targetex: skipped {folder / '.git/HEAD'}: hidden",
        f"targetex: skipped {folder / 'LICENSE'}: not a document suffix (none)",
        f"targetex: skipped {folder / 'README.md'}: not a document by name (README*; --include to read it)",
        f"targetex: skipped {folder / 'drafts/old.txt'}: excluded by --exclude drafts/*",
        f"targetex: skipped {folder / 'notes/todo.md'}: not a document by name (*.md; --include to read it)",
        f"targetex: skipped {folder / 'scan.png'}: not a document suffix (.png)",
    ])
    assert "4 documents, 8 targets, 0 failed, 6 skipped" in err


def test_skipped_files_are_one_line_without_verbose(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for i in range(300):  # a folder of many files that are not documents
        (folder / "images" / f"page{i}.png").parent.mkdir(exist_ok=True)
        (folder / "images" / f"page{i}.{'png' if i % 3 else 'jpg'}").write_bytes(b"\x89PNG")
    status, _, err = run(capsys, "extract", str(folder), "--format", "jsonl", "--exclude", "drafts/*")
    assert status == 0
    skipped = [line for line in err.splitlines() if line.startswith("targetex: skipped")]
    assert skipped == [
        "targetex: skipped 306 files: 302 not of a document suffix (.png 201, .jpg 100, none 1); "
        "2 not documents by name (*.md, README*; --include GLOB reads them); 1 excluded by --exclude; "
        "1 hidden (-v names each)"]
    assert "4 documents, 8 targets, 0 failed, 306 skipped" in err
    assert run(capsys, "extract", str(folder), "--quiet", "--format", "jsonl")[2] == ""


def test_include_adds_files_left_out_by_default(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--include reads what the default leaves out, besides the documents it reads anyway."""
    status, out, err = run(capsys, "extract", str(folder), "--format", "jsonl", "--include", "*.md",
                           "--include", ".git/*", "--exclude", "c/*")
    assert status == 0
    ids = sorted({json.loads(line)["doc_id"] for line in out.splitlines()})
    assert ids == ["README", "a/report", "b/report", "drafts/old", "notes/todo"]
    # .git/HEAD is named, but has no document suffix; --exclude wins over --include.
    assert "3 not of a document suffix (none 2, .png 1); 2 excluded by --exclude (-v names each)" in err
    status, out, _ = run(capsys, "extract", str(folder), "--format", "jsonl", "--include", "README*",
                         "--include", "LICENSE")
    assert {json.loads(line)["doc_id"] for line in out.splitlines()} == {
        "README", "a/report", "b/report", "c/plan.html", "c/plan.txt", "drafts/old"}  # LICENSE: no suffix


def test_same_stem_from_two_inputs(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "extract", str(folder / "a/report.txt"), str(folder / "b/report.html"),
                         "--format", "json")
    assert status == 0
    ids = [d["doc_id"] for d in json.loads(out)]
    assert len(set(ids)) == 2 and ids[0].endswith("a/report") and ids[1].endswith("b/report")


def test_binary_that_decodes_as_utf16_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """NUL bytes and a zip signature repeated decode as UTF-16 — to a jumble, not a document."""
    root = tmp_path / "in"
    root.mkdir()
    (root / "good.txt").write_text(TEXT, encoding="utf-8")
    (root / "blob.txt").write_bytes(b"\x00\x00" + b"PK\x03\x04\x14\x00" * 300)
    (root / "latin.txt").write_bytes("Quarterly figures only, no Chinese at all.".encode("utf-16-le"))
    status, _, err = run(capsys, "extract", str(root), "--format", "jsonl")
    assert status == 1
    assert sorted(errors(err)) == [
        f"targetex: error: {root / 'blob.txt'}: binary data (a jumble of scripts), not a text document",
        f"targetex: error: {root / 'latin.txt'}: binary data (no Chinese text in a guessed encoding), "
        "not a text document",
    ]
    assert "1 document, 2 targets, 2 failed" in err


# --------------------------------------------------------------------------- schema


def test_schema_command_and_its_copy_in_docs(capsys: pytest.CaptureFixture[str]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    status, out, _ = run(capsys, "schema")
    assert status == 0
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema == json_schema()
    assert json.loads((ROOT / "docs" / "schema.json").read_text(encoding="utf-8")) == schema, \
        "docs/schema.json is out of date: targetex schema > docs/schema.json"


def test_schema_follows_the_records() -> None:
    defs = json_schema()["$defs"]
    for record in (Target, Task, DocumentMeta):
        properties = defs[record.__name__]["properties"]
        assert list(properties) == list(exported_fields(record))
        assert all(p.get("description") for p in properties.values()), record.__name__
    assert defs["Target"]["properties"]["kind"]["enum"] == ["change", "level", "amount"]
    assert defs["Target"]["properties"]["value_max"]["anyOf"] == [{"type": "number"}, {"type": "null"}]
    assert defs["Target"]["properties"]["start"]["minimum"] == 0
    # Notes are written only when there are some: a property of documents, never required.
    assert list(defs["Note"]["properties"]) == ["kind", "message"]
    assert defs["Document"]["properties"]["notes"]["items"] == {"$ref": "#/$defs/Note"}
    assert "notes" not in defs["Document"]["required"]


def test_schema_rejects_what_is_not_output() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    doc = targetex.extract(TEXT, doc_id="d").to_dict()
    validator = jsonschema.Draft202012Validator(json_schema())
    validator.validate(doc)
    validator.validate([doc, doc])
    for broken in ({**doc, "targets": [{**doc["targets"][0], "kind": "goal"}]},
                   {**doc, "targets": [{**doc["targets"][0], "start": -1}]},
                   {**doc, "extra": 1},
                   {k: v for k, v in doc.items() if k != "meta"},
                   {**doc, "meta": {**doc["meta"], "date": "8 Jan 2025"}}):
        assert not validator.is_valid(broken)


def test_outputs_of_every_format_follow_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    """JSON of text, web page, Word-free inputs and a list; JSON Lines; each validated (conftest)."""
    pytest.importorskip("jsonschema")
    inputs = [str(CIXI), *(str(p) for p in sorted(WEB.glob("gov-*")) if not p.name.endswith(".txt"))]
    for options in (["--format", "json", "--with-text"], ["--format", "jsonl"]):
        status, out, _ = run(capsys, "extract", *inputs, *options)
        assert status == 0 and out
    status, out, _ = run(capsys, "extract", str(CIXI), "--format", "json", "--with-text")
    assert json.loads(out)["text"].startswith("当前位置")
