"""The README's examples run and show what they say.

Every ```python block runs, in order, in one namespace (as a reader would paste them): a
block of ``>>>`` examples as doctests (``...`` in an output is an ellipsis), a block followed
by a plain ``` block must print exactly that, a block that needs a Dask cluster elsewhere is
only compiled.  The terminal output shown for ``targetex extract`` and ``--explain`` is what
the command prints.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import re
from pathlib import Path

import pytest

from targetex.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.M | re.S)
# Blocks that need a cluster or a scheduler somewhere else: compiled, not run.
ELSEWHERE = ("Client(", "SLURMCluster", "KubeCluster")


def _blocks() -> list[tuple[str, str, int]]:
    """(language, body, line number) of every fenced block, in order."""
    return [(m.group(1), m.group(2), README.count("\n", 0, m.start()) + 1) for m in FENCE.finditer(README)]


def test_python_examples_run_as_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pandas")
    pytest.importorskip("spacy")
    (tmp_path / "corpora").symlink_to(ROOT / "corpora")
    monkeypatch.chdir(tmp_path)  # (an example writes targets.html)
    import targetex

    namespace: dict[str, object] = {"targetex": targetex, "__name__": "readme"}
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    blocks = _blocks()
    ran = 0
    for index, (language, body, line) in enumerate(blocks):
        if language != "python":
            continue
        where = f"README.md line {line}"
        if ">>>" in body:
            test = parser.get_doctest(body, namespace, where, "README.md", line)
            output = io.StringIO()
            result = runner.run(test, out=output.write, clear_globs=False)
            assert result.failed == 0, output.getvalue()
        elif any(word in body for word in ELSEWHERE):
            compile(body, where, "exec")
            continue
        else:
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                exec(compile(body, where, "exec"), namespace)
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if following is not None and following[0] == "" and following[2] == line + body.count("\n") + 2:
                assert printed.getvalue() == following[1], where
        ran += 1
    assert ran >= 9


def test_extract_output_shown_is_what_the_command_prints(capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    shown = next(body for language, body, _ in _blocks() if body.startswith("doc        task  indicator"))
    assert main(["extract", "corpora/cixi-2021.txt"]) == 0
    printed = capsys.readouterr().out.splitlines()
    head, tail = shown.split("...\n")
    assert head.splitlines() == printed[: len(head.splitlines())]
    assert tail.splitlines() == printed[-len(tail.splitlines()):]


def test_explain_lines_shown_are_what_the_command_prints(capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    shown = next(body for language, body, _ in _blocks() if " target   action:" in body)
    assert main(["extract", "corpora/cixi-2021.txt", "--explain"]) == 0
    printed = capsys.readouterr().out.splitlines()
    for line in shown.splitlines():
        assert line in printed
