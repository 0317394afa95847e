"""What the command line promises a user beyond the results: which stderr lines ``--quiet``
and ``-v``/``-vv`` give, options refused together, standard input for every command,
inputs given twice, the summary line's grammar and the exit status of a missing package.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

from targetex.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

# A covering notice (关于印发…的通知) whose numbered paragraphs are not tasks: it gets a note.
NOTICE = ("某县农业农村局关于印发2025年乡村建设重点工作的通知\n各乡镇人民政府：\n"
          "一、改造农村公路40公里。\n二、新建村级养老服务站6个。\n某县农业农村局\n2025年2月3日\n")
PLAIN = "（一）新增城镇就业1500人。\n（二）完成老旧小区改造12个。\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def option_help(command: str, option: str) -> str:
    """The --help text of one option of a subcommand, white space collapsed."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]  # type: ignore[index]
    action = next(a for a in sub._actions if option in a.option_strings)
    return " ".join(str(action.help).split())


def feed_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


@pytest.fixture
def notice(tmp_path: Path) -> Path:
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE, encoding="utf-8")
    return path


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    path = tmp_path / "plain.txt"
    path.write_text(PLAIN, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- notes and --quiet


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_notes_are_shown_unless_quiet(capsys: pytest.CaptureFixture[str], notice: Path, plain: Path,
                                      fmt: str) -> None:
    status, out, err = run(capsys, "extract", str(notice), str(plain), "--format", fmt)
    notes = [line for line in err.splitlines() if line.startswith("targetex: note:")]
    assert status == 0 and len(notes) == 1 and notes[0].startswith(f"targetex: note: {notice}: 2 targets")
    assert "2 documents, 4 targets, 0 failed" in err
    status, quiet_out, quiet_err = run(capsys, "extract", str(notice), str(plain), "--format", fmt, "-q")
    assert status == 0 and quiet_err == "" and quiet_out == out  # the result itself is the same


def test_quiet_is_worded_alike_in_help_and_readme() -> None:
    words = option_help("extract", "--quiet")
    assert "notes on documents" in words and "summary line" in words and "skipped files" in words
    readme = " ".join(README.split())
    assert "each note is one stderr line unless `--quiet` is given" in readme
    assert "always (not with" not in readme


# --------------------------------------------------------------------------- options refused together


@pytest.mark.parametrize("fmt", ["table", "jsonl", "csv"])
def test_with_text_needs_json(capsys: pytest.CaptureFixture[str], plain: Path, fmt: str) -> None:
    status, out, err = run(capsys, "extract", str(plain), "--format", fmt, "--with-text")
    assert status == 2 and out == ""
    assert err == f"targetex: error: --with-text works with --format json only, not {fmt}\n"


def test_with_text_needs_json_also_by_suffix(capsys: pytest.CaptureFixture[str], plain: Path,
                                             tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    status, _, err = run(capsys, "extract", str(plain), "-o", str(target), "--with-text")
    assert status == 2 and "not csv" in err and not target.exists()
    status, out, _ = run(capsys, "extract", str(plain), "--format", "json", "--with-text")
    assert status == 0 and json.loads(out)["text"] == PLAIN


def test_explain_and_with_text_are_documented_as_refused() -> None:
    assert "--format json only" in option_help("extract", "--with-text")
    assert "--format table or json only" in option_help("extract", "--explain")
    synopsis = README[README.index("## Command line"):README.index("## Segmentation")]
    assert "[--explain]" in synopsis and "[--with-text]" in synopsis
    flat = " ".join(synopsis.split())
    assert "It works with `--format table` or `json` only" in flat
    assert "it works with `--format json` only, and is refused with any other format" in flat


# --------------------------------------------------------------------------- standard input


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_segment_reads_standard_input(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                      plain: Path, encoding: str) -> None:
    status, from_file, _ = run(capsys, "segment", str(plain), "--format", "json")
    assert status == 0
    feed_stdin(monkeypatch, PLAIN.encode(encoding))
    status, from_stdin, err = run(capsys, "segment", "-", "--format", "json")
    assert status == 0 and err == ""
    data = json.loads(from_stdin)
    assert data["doc_id"] == "stdin"
    assert {**data, "doc_id": "plain"} == json.loads(from_file)


def test_segment_of_empty_standard_input(capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, b"")
    status, out, err = run(capsys, "segment", "-")
    assert status == 1 and out == "" and err == "targetex: error: -: empty file (0 bytes): nothing to read\n"


# --------------------------------------------------------------------------- inputs given twice


def test_same_file_twice_is_read_once(capsys: pytest.CaptureFixture[str], plain: Path) -> None:
    status, out, err = run(capsys, "extract", str(plain), str(plain), "--format", "jsonl")
    lines = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and [t["doc_id"] for t in lines] == ["plain", "plain"]  # two targets, one document
    assert f"targetex: note: {plain}: given more than once; read once" in err.splitlines()


def test_folder_twice_and_a_file_inside_it(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(PLAIN, encoding="utf-8")
    (folder / "b.txt").write_text("（一）植树造林800亩。\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "extract", "docs", "docs/", "./docs/b.txt", "--format", "json")
    documents = json.loads(out)
    assert status == 0 and [d["doc_id"] for d in documents] == ["a", "b"]
    assert "targetex: note: 3 files given more than once (docs/a.txt, docs/b.txt, ./docs/b.txt); each " \
           "read once" in err.splitlines()
    assert "2 documents, 3 targets" in err
    status, _, err = run(capsys, "extract", "docs", "docs", "--format", "json", "-q")
    assert status == 0 and err == ""


def test_a_link_to_a_file_given_is_the_same_file(capsys: pytest.CaptureFixture[str], plain: Path,
                                                 tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(plain)
    status, out, err = run(capsys, "extract", str(plain), str(link), "--format", "json")
    assert status == 0 and json.loads(out)[0]["doc_id"] == "plain" and len(json.loads(out)) == 1
    assert f"{link}: given more than once; read once" in err


# --------------------------------------------------------------------------- summary line


def test_summary_line_counts_in_the_right_number(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                 plain: Path) -> None:
    one = tmp_path / "one.txt"
    one.write_text("（一）新建公园1个。\n", encoding="utf-8")
    status, _, err = run(capsys, "extract", str(one), "-o", str(tmp_path / "out.json"))
    assert status == 0 and re.match(r"targetex: 1 document, 1 target, 0 failed, \d+\.\d\ds$", err.strip())
    gone = tmp_path / "gone.txt"
    status, _, err = run(capsys, "extract", str(one), str(plain), str(gone), "--format", "csv")
    assert status == 1 and "targetex: 2 documents, 3 targets, 1 failed, " in err


# --------------------------------------------------------------------------- missing packages


def test_missing_package_for_a_format_is_a_usage_error(capsys: pytest.CaptureFixture[str], plain: Path,
                                                       tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    status, out, err = run(capsys, "extract", str(plain), "-o", str(tmp_path / "out.xlsx"))
    assert status == 2 and out == ""
    assert "pip install 'targetex[xlsx]'" in err
    flat = " ".join(README.split())
    assert "2 bad usage, including an output format whose optional package is not installed" in flat


# --------------------------------------------------------------------------- -v and -vv


def test_double_verbose_adds_timing_and_decisions(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    # One target, and one number that is not (a subsidy rate is a parameter of support).
    path.write_text("（一）新增停车泊位300个，补贴比例为30%。\n", encoding="utf-8")
    status, out_v, err = run(capsys, "-v", "extract", str(path), "--format", "json")
    assert status == 0 and "targetex: debug:" not in err and "targetex: info:" in err
    status, out_vv, err = run(capsys, "-vv", "extract", str(path), "--format", "json")
    debug = [line for line in err.splitlines() if line.startswith("targetex: debug:")]
    assert status == 0 and len(debug) == 1
    assert re.match(rf"targetex: debug: {re.escape(str(path))}: read \d+\.\d{{3}}s, extract \d+\.\d{{3}}s; "
                    r"2 quantity mentions: 1 kept, 1 dropped \(support_parameter 1\)$", debug[0]), debug[0]
    assert out_vv == out_v and "decisions" not in json.loads(out_vv)  # -vv does not change the result
    status, out, _ = run(capsys, "-vv", "extract", str(path), "--format", "json", "--explain")
    assert len(json.loads(out)["decisions"]) == 2  # asked for: kept


def test_double_verbose_shows_the_reading_libraries(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    import logging

    main(["-vv", "extract", str(tmp_path / "none.txt")])
    capsys.readouterr()
    assert logging.getLogger("pdfminer").level == logging.DEBUG
    assert logging.getLogger("trafilatura").level == logging.DEBUG
    main(["-v", "extract", str(tmp_path / "none.txt")])
    capsys.readouterr()
    assert logging.getLogger("pdfminer").level == logging.ERROR
