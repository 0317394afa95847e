"""Data-driven tests: one pytest case per line of ``tests/specs/*.jsonl``.

Four kinds of spec files, told apart by the keys of each record:

- ``{"input": …, "quantities": [{field: expected, …}, …]}``: ``find_quantities(input)``
  returns exactly these quantities, in order (only the fields given are compared);
- ``{"input": …, "targets": [{field: expected, …}, …]}``: ``extract(input).targets``
  is exactly this list (``[]`` for a negative: no target at all);
- ``{"input": …, "tasks": [{field: expected, …}, …]}``: ``extract(input).tasks`` is
  exactly this list (a record may give both ``targets`` and ``tasks``: both are checked);
- ``{"input": …, "meta": {field: expected, …}}``: the metadata read from the text
  (``targetex.metadata.text_metadata``) is exactly this;
- ``{"parse": …, "quantity": {field: expected, …}}``: ``parse_quantity(parse)`` gives this
  quantity; ``{"parse": …, "error": "QuantityParseError"}``: it raises that error;
- ``{"input": …, "notes": [kind, …]}``: ``extract(input).notes`` has notes of exactly these
  kinds (``[]``: none), each with a message, written to JSON only when there are some
  (may go with ``"tasks"``, which is then checked too);
- ``{"pdf_lines": [line, …], "text": …}``: a PDF set flush left with these lines
  (``tests/pdf_samples.py``, ``make_line_pdf``) reads back as this text (needs reportlab
  and pdfplumber).

Optional keys: ``"id"`` (the test id), ``"comment"``, ``"xfail"`` (a reason: the case
documents a known gap and must fail, ``xfail_strict``), and with ``"targets"``:
``"dropped": [{"text": …, "rule": …}]`` — each of these quantities is not a target, and the
named rule of ``models/non_targets.toml`` is the one that drops it (``explain=True``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

import targetex

SPECS = Path(__file__).resolve().parent / "specs"


def _cases() -> list[Any]:
    cases = []
    for path in sorted(SPECS.glob("*.jsonl")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            spec = json.loads(line)
            name = spec.get("id") or (spec.get("input") or spec["parse"])[:16]
            case_id = f"{path.stem}:{lineno}:{name}"
            marks = [pytest.mark.xfail(reason=spec["xfail"], strict=True)] if spec.get("xfail") else []
            cases.append(pytest.param(spec, id=case_id, marks=marks))
    return cases


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, float | int) and not isinstance(expected, bool) and actual is not None:
        return math.isclose(float(actual), float(expected), rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(expected, list):
        return list(actual) == expected
    return bool(actual == expected)


def _check(records: list[dict[str, Any]], expected: list[dict[str, Any]], text: str) -> None:
    shown = [{k: r[k] for k in sorted(set().union(*expected) if expected else ("text",)) if k in r}
             for r in records]
    assert len(records) == len(expected), f"expected {len(expected)} records, got {shown}"
    for record, want in zip(records, expected, strict=True):
        for key, value in want.items():
            assert _same(record[key], value), f"{key}: {record[key]!r} != {value!r} in {record}"
        if "start" in record and "text" in record:
            assert text[record["start"] : record["end"]] == record["text"]


@pytest.mark.parametrize("spec", _cases())
def test_spec(spec: dict[str, Any]) -> None:
    if "parse" in spec:
        if "error" in spec:
            with pytest.raises(getattr(targetex, spec["error"])):
                targetex.parse_quantity(spec["parse"])
        else:
            _check([targetex.parse_quantity(spec["parse"]).to_dict()], [spec["quantity"]], spec["parse"])
        return
    if "pdf_lines" in spec:
        pytest.importorskip("reportlab")
        pytest.importorskip("pdfplumber")
        from pdf_samples import make_line_pdf
        from targetex.io import read_bytes

        assert read_bytes(make_line_pdf(spec["pdf_lines"]), "spec.pdf").text == spec["text"]
        return
    text = spec["input"]
    if "notes" in spec:
        doc = targetex.extract(text)
        assert [n.kind for n in doc.notes] == spec["notes"], doc.notes
        assert all(n.message for n in doc.notes)
        assert ("notes" in doc.to_dict()) == bool(spec["notes"])
    if "quantities" in spec:
        found = [q.to_dict() for q in targetex.find_quantities(text)]
        _check(found, spec["quantities"], text)
    elif "targets" in spec:
        doc = targetex.extract(text, explain="dropped" in spec)
        _check([t.to_dict() for t in doc.targets], spec["targets"], text)
        for dropped in spec.get("dropped", ()):
            decisions = [d for d in doc.decisions if d.text == dropped["text"]]
            assert decisions, f"{dropped['text']!r} is not a quantity mention of {text!r}"
            assert (decisions[0].kept, decisions[0].rule) == (False, dropped["rule"]), decisions[0]
    if "tasks" in spec:
        doc = targetex.extract(text)
        _check([t.to_dict() for t in doc.tasks], spec["tasks"], text)
    if "meta" in spec:
        from targetex.metadata import text_metadata

        assert text_metadata(text) == spec["meta"]
    if not {"quantities", "targets", "tasks", "meta", "notes"} & set(spec):  # pragma: no cover - malformed
        pytest.fail(f"spec has no quantities/targets/tasks/meta/notes: {spec}")
