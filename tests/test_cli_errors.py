"""The command line on bad inputs: one clear line on stderr, no traceback, the documented status.

Exit status (``targetex.cli``): 1 an input could not be read (the others were processed),
2 bad usage (or a missing optional package), 3 the output could not be written.  Most cases
call ``targetex.cli.main`` in process; a few run ``python -m targetex`` to check the real
process exit status and stderr.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from targetex.cli import main

GOOD_TEXT = "（一）地区生产总值增长7%左右\n（二）新增高新技术企业70家\n"

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(20)


def undecodable_bytes() -> bytes:
    """Random bytes that are neither UTF-8 nor GB18030 (nor a known binary or BOM)."""
    rng = random.Random(20261126)
    while True:
        data = bytes(rng.choice([*range(0x80, 0x100)]) for _ in range(64)) + b"\xff\x80\xff"
        if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
            continue
        for encoding in ("utf-8", "gb18030"):
            try:
                data.decode(encoding)
                break
            except UnicodeDecodeError:
                pass
        else:
            return data


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)  # an exception here is a traceback for the user: the test fails
    out, err = capsys.readouterr()
    return status, out, err


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if "error" in line.lower()]


def assert_one_clear_error(err: str, *needles: str) -> str:
    assert "Traceback" not in err
    lines = error_lines(err)
    assert len(lines) == 1, f"expected one error line, got {lines!r}"
    for needle in needles:
        assert needle.lower() in lines[0].lower(), f"{needle!r} not in {lines[0]!r}"
    return lines[0]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(GOOD_TEXT, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- unreadable inputs


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no-such-notice.txt"
    status, _, err = run_main(["extract", str(missing)], capsys)
    assert status == 1
    assert_one_clear_error(err, "no-such-notice.txt", "no such file")


def test_directory_without_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "notes.bin").write_bytes(b"\x00\x01")
    status, _, err = run_main(["extract", str(folder)], capsys)
    assert status == 1
    assert_one_clear_error(err, "downloads", "no documents")


@pytest.mark.parametrize(("name", "data", "what"), [
    ("notice.pdf", PDF, "PDF"),
    ("chart.png", PNG, "PNG"),
    ("bundle.zip", ZIP, "zip"),
    ("disguised.txt", PDF, "PDF"),
])
def test_binary_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes,
                     what: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    status, _, err = run_main(["extract", str(path)], capsys)
    assert status == 1
    assert_one_clear_error(err, name, what)


def test_file_in_no_chinese_encoding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "garbled.txt"
    path.write_bytes(undecodable_bytes())
    status, _, err = run_main(["extract", str(path)], capsys)
    assert status == 1
    line = assert_one_clear_error(err, "garbled.txt")
    assert "decode" in line or "encoding" in line or "GB18030" in line or "UTF-8" in line


@pytest.mark.parametrize(("name", "data", "what"), [
    ("empty.txt", b"", "empty file (0 bytes): nothing to read"),
    ("blank.txt", " \n\t\n\u3000\u3000\r\n".encode(), "only white space ({n} bytes): nothing to read"),
    ("blank-gbk.txt", "\u3000\u3000\n\n".encode("gb18030"), "only white space ({n} bytes): nothing to read"),
    ("blank.html", b"<html><body><p> </p><script>x()</script></body></html>", "no text in this html file"),
    ("no-such-notice.txt", None, "no such file or directory"),
])
@pytest.mark.parametrize("output", ["table", "json", "csv-file"])
def test_nothing_to_read(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes | None,
                         what: str, output: str) -> None:
    """An empty, blank or missing file: one line on stderr, nothing on stdout or in -o, status 1."""
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    target = tmp_path / "out.csv"
    options = {"table": [], "json": ["--format", "json"], "csv-file": ["-o", str(target)]}[output]
    status, out, err = run_main(["extract", str(path), *options], capsys)
    assert status == 1 and out == ""
    assert_one_clear_error(err, f"{path}: {what.format(n=len(data or b''))}")
    assert not target.exists()


def test_batch_with_problem_files_reports_each_once(tmp_path: Path, good: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("\n\u3000\n", encoding="utf-8")
    status, out, err = run_main(["extract", str(tmp_path), str(tmp_path / "gone.txt"), "--format", "jsonl"],
                                capsys)
    assert status == 1
    assert sorted(line.split(": ")[2] for line in error_lines(err)) == [
        str(tmp_path / "blank.txt"), str(tmp_path / "empty.txt"), str(tmp_path / "gone.txt")]
    assert {json.loads(line)["doc_id"] for line in out.splitlines()} == {"good"}
    assert "1 document, 2 targets, 3 failed" in err


# ---------------------------------------------------------------------------- usage and output


def test_unknown_format(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["extract", str(good), "--format", "xml"])
    assert exc.value.code == 2
    _, err = capsys.readouterr()
    assert_one_clear_error(err, "xml", "format")


def test_jobs_below_one(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["extract", str(good), "--jobs", "0"])
    assert exc.value.code == 2
    _, err = capsys.readouterr()
    assert_one_clear_error(err, "targetex extract: error:", "jobs")
    assert err.startswith("usage: targetex extract ")


@pytest.mark.parametrize(("argv", "usage", "bad"), [
    (["extract", "--bogus", "x.txt"], "targetex extract", "--bogus"),
    (["extract", "x.txt", "--format", "json", "--bogus"], "targetex extract", "--bogus"),
    (["eval", "corpora", "--nope"], "targetex eval", "--nope"),
    (["segment", "x.txt", "--tree"], "targetex segment", "--tree"),
    (["--bogus", "extract", "x.txt"], "targetex", "--bogus"),
])
def test_unknown_option_gives_its_command_usage(argv: list[str], usage: str, bad: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    _, err = capsys.readouterr()
    assert err.startswith(f"usage: {usage} [-h]")
    assert_one_clear_error(err, f"{usage}: error: unrecognized arguments: {bad}")


def test_output_under_a_regular_file(tmp_path: Path, good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "results"
    blocker.write_text("not a folder", encoding="utf-8")
    target = blocker / "out.json"
    status, _, err = run_main(["extract", str(good), "-o", str(target)], capsys)
    assert status == 3
    assert_one_clear_error(err, str(target), "cannot write")
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_output_is_a_directory(tmp_path: Path, good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    target.mkdir()
    status, _, err = run_main(["extract", str(good), "-o", str(target)], capsys)
    assert status == 3
    assert_one_clear_error(err, str(target), "cannot write")


def test_output_in_a_missing_folder(tmp_path: Path, good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """-o creates no folders: a missing one is an error before anything is read."""
    for target in (tmp_path / "no" / "such" / "out.csv", tmp_path / "absent" / "report.html"):
        command = ["report", str(good)] if target.suffix == ".html" else ["extract", str(good)]
        status, out, err = run_main([*command, "-o", str(target)], capsys)
        assert status == 3 and out == ""
        assert_one_clear_error(err, str(target), f"the folder {target.parent} does not exist")
        assert "documents," not in err
    assert list(tmp_path.iterdir()) == [good]  # nothing created


@pytest.mark.parametrize("form", ["new/", "existing", "existing/"])
def test_output_names_a_folder(tmp_path: Path, good: Path, capsys: pytest.CaptureFixture[str],
                               form: str) -> None:
    (tmp_path / "existing").mkdir()
    target = f"{tmp_path}/{form}"
    for extra in ((), ("--format", "csv")):
        status, out, err = run_main(["extract", str(good), "-o", target, *extra], capsys)
        assert status == 3 and out == ""
        line = assert_one_clear_error(err, target, "it is a folder")
        assert "-o takes a file whose suffix gives the format (.json .jsonl .csv" in line and "--dask" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing", "good.txt"]
    assert not list((tmp_path / "existing").iterdir())


@pytest.mark.parametrize(("suffix", "missing", "extra"), [
    (".xlsx", "openpyxl", "xlsx"), (".parquet", "pyarrow", "parquet"), (".parquet", "pandas", "parquet")])
def test_output_format_without_its_package(tmp_path: Path, good: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch, suffix: str, missing: str,
                                           extra: str) -> None:
    """A format whose package is missing is refused before any document is read: the command
    cannot be run as asked (a usage error, status 2)."""
    monkeypatch.setitem(sys.modules, missing, None)  # as if not installed
    target = tmp_path / f"out{suffix}"
    status, out, err = run_main(["extract", str(good), "-o", str(target)], capsys)
    assert status == 2 and out == "" and not target.exists()
    assert_one_clear_error(err, f"needs an optional package: pip install 'targetex[{extra}]'", missing)
    assert "documents," not in err  # nothing was read: no summary line


# ---------------------------------------------------------------------------- batches


@pytest.mark.parametrize("bad_kind", ["missing", "pdf", "garbled"])
def test_batch_with_a_bad_file_still_writes_the_good_one(tmp_path: Path, good: Path, bad_kind: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / f"bad-{bad_kind}.txt"
    if bad_kind == "pdf":
        bad.write_bytes(PDF)
    elif bad_kind == "garbled":
        bad.write_bytes(undecodable_bytes())
    out = tmp_path / "out.jsonl"
    status, _, err = run_main(["extract", str(good), str(bad), "-o", str(out)], capsys)
    assert status == 1
    assert_one_clear_error(err, bad.name)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert [(r["doc_id"], r["text"]) for r in rows] == [("good", "7%"), ("good", "70家")]
    assert "1 failed" in err  # the summary says how many failed


def test_folder_with_a_binary_document_among_good_ones(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "b.txt").write_bytes(PNG)
    (folder / "c.txt").write_text("（一）盘活存量建设用地5000亩以上\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    status, _, err = run_main(["extract", str(folder), "-o", str(out)], capsys)
    assert status == 1
    assert_one_clear_error(err, "b.txt", "PNG")
    written = out.read_text(encoding="utf-8")
    assert "70家" in written and "5000亩" in written


def test_json_batch_output_is_a_list_even_when_one_input_fails(tmp_path: Path, good: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.txt"
    status, out, _ = run_main(["extract", str(good), str(missing), "--format", "json"], capsys)
    assert status == 1
    assert isinstance(json.loads(out), list)


# ---------------------------------------------------------------------------- real processes


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "targetex", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, check=False)


def test_process_exit_status_and_stderr(tmp_path: Path, good: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(PDF)
    (tmp_path / "blocker").write_text("x", encoding="utf-8")
    cases = [
        (["extract", "nowhere.txt"], 1, "nowhere.txt"),
        (["extract", "scan.pdf"], 1, "scan.pdf"),
        (["extract", "good.txt", "--format", "yaml"], 2, "yaml"),
        (["extract", "good.txt", "-o", "blocker/out.csv"], 3, "blocker"),
    ]
    for args, status, needle in cases:
        proc = run_cli(*args, cwd=tmp_path)
        assert proc.returncode == status, (args, proc.stderr)
        assert_one_clear_error(proc.stderr, needle)


def test_process_batch_with_jobs(tmp_path: Path, good: Path) -> None:
    (tmp_path / "other.txt").write_text("（一）盘活存量建设用地5000亩以上\n", encoding="utf-8")
    (tmp_path / "garbled.txt").write_bytes(undecodable_bytes())
    proc = run_cli("extract", "good.txt", "garbled.txt", "other.txt", "--jobs", "2", "-o", "out.jsonl",
                   cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert_one_clear_error(proc.stderr, "garbled.txt")
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["doc_id"], r["text"]) for r in rows] == [("good", "7%"), ("good", "70家"), ("other", "5000亩")]
