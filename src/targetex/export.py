"""Stage 5: export — JSON, JSON Lines, CSV, a terminal table, and pandas data frames.

Column order of flat exports (CSV, data frames) is stable and documented in the README:
``doc_id``, then every target field of ANNOTATION.md section 3, then the task's fields.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from targetex.records import Document

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = [
    "TARGET_COLUMNS",
    "TASK_COLUMNS",
    "target_rows",
    "tasks_dataframe",
    "to_csv",
    "to_dataframe",
    "to_json",
    "to_jsonl",
    "to_table",
]

TARGET_COLUMNS = (
    "doc_id", "task_id", "start", "end", "text", "indicator", "action", "kind", "value",
    "value_max", "unit", "classifier", "comparator", "modality",
    "part_title", "leaders", "lead_units", "cooperating_units",
)
TASK_COLUMNS = ("doc_id", "task_id", "part_title", "start", "end", "leaders", "lead_units",
                "cooperating_units", "n_targets")


def target_rows(documents: Iterable[Document]) -> list[dict[str, Any]]:
    """One flat dict per target, with its document id and its task's fields joined on."""
    rows = []
    for doc in documents:
        tasks = {t.task_id: t for t in doc.tasks}
        for target in doc.targets:
            row: dict[str, Any] = {"doc_id": doc.doc_id, **target.to_dict()}
            task = tasks.get(target.task_id)
            row["part_title"] = task.part_title if task else ""
            row["leaders"] = list(task.leaders) if task else []
            row["lead_units"] = list(task.lead_units) if task else []
            row["cooperating_units"] = list(task.cooperating_units) if task else []
            rows.append({c: row[c] for c in TARGET_COLUMNS})
    return rows


def task_rows(documents: Iterable[Document]) -> list[dict[str, Any]]:
    """One flat dict per task, with the number of its targets."""
    rows = []
    for doc in documents:
        counts: dict[str, int] = {}
        for target in doc.targets:
            counts[target.task_id] = counts.get(target.task_id, 0) + 1
        for task in doc.tasks:
            row = {"doc_id": doc.doc_id, **task.to_dict(), "n_targets": counts.get(task.task_id, 0)}
            rows.append({c: row[c] for c in TASK_COLUMNS})
    return rows


def to_json(document: Document, text: str | None = None, indent: int | None = 2) -> str:
    """The document as the JSON object of ANNOTATION.md section 5 (with ``text`` if given)."""
    data = document.to_dict()
    if text is not None:
        data["text"] = text
    return json.dumps(data, ensure_ascii=False, indent=indent)


def to_jsonl(documents: Iterable[Document]) -> str:
    """One JSON object per target per line (with ``doc_id``)."""
    return "".join(json.dumps({"doc_id": d.doc_id, **t.to_dict()}, ensure_ascii=False) + "\n"
                   for d in documents for t in d.targets)


def to_csv(documents: Iterable[Document], header: bool = True) -> str:
    """Targets as CSV with the columns of ``TARGET_COLUMNS``; lists joined with ``;``.

    ``header=False`` gives the rows alone (to concatenate the parts of a batch).
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TARGET_COLUMNS, lineterminator="\n")
    if header:
        writer.writeheader()
    for row in target_rows(documents):
        writer.writerow({k: ";".join(v) if isinstance(v, list) else ("" if v is None else v)
                         for k, v in row.items()})
    return buffer.getvalue()


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _cell(s: str, width: int) -> str:
    out, used = "", 0
    for ch in s:
        w = _width(ch)
        if used + w > width:
            out = out[:-1] + "…" if out else ""
            used = _width(out)
            break
        out += ch
        used += w
    return out + " " * (width - used)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if value == int(value) and abs(value) >= 1000 else f"{value:g}"


def to_table(documents: Sequence[Document], max_indicator: int = 28) -> str:
    """A readable fixed-width table of the targets for a terminal."""
    headers = ("doc", "task", "indicator", "action", "value", "unit", "cmp", "kind", "modality")
    rows = []
    for doc in documents:
        for t in doc.targets:
            value = _number(t.value) + (f"–{_number(t.value_max)}" if t.value_max is not None else "")
            unit = t.unit + (f"({t.classifier})" if t.classifier else "")
            rows.append((doc.doc_id, t.task_id, t.indicator, t.action, value, unit,
                         t.comparator.value, t.kind.value, t.modality.value))
    limits = (18, 7, max_indicator, 10, 16, 18, 7, 6, 8)
    widths = [min(limit, max([_width(h), *(_width(r[i]) for r in rows)])) for i, (h, limit)
              in enumerate(zip(headers, limits, strict=True))]
    lines = ["  ".join(_cell(h, w) for h, w in zip(headers, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_cell(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    n_targets = len(rows)
    lines.append(f"{n_targets} target{'s' if n_targets != 1 else ''} in {len(documents)} document"
                 f"{'s' if len(documents) != 1 else ''}")
    return "\n".join(lines) + "\n"


def to_dataframe(documents: Iterable[Document] | Document, units: str = "canonical") -> pandas.DataFrame:
    """Targets as a pandas ``DataFrame``: one row per target, task fields joined on.

    Args:
        documents: one :class:`~targetex.records.Document` or several.
        units: ``"canonical"`` keeps the units of ANNOTATION.md section 4; ``"SI"``
            converts area to hectares (亩 → ha, m² → ha, km² → ha), mass to kg and
            energy to kWh where they differ, updating ``value``, ``value_max`` and ``unit``.

    Returns:
        A frame with the columns ``TARGET_COLUMNS``; nullable floats for values,
        categoricals for unit, kind, comparator and modality, Python lists for units lists.
    """
    import pandas as pd

    if isinstance(documents, Document):
        documents = [documents]
    rows = target_rows(documents)
    if units not in ("canonical", "SI"):
        raise ValueError(f"units must be 'canonical' or 'SI', not {units!r}")
    if units == "SI":
        from targetex.units import to_si

        for row in rows:
            unit = row["unit"]
            row["value"], row["unit"] = to_si(row["value"], unit)
            row["value_max"], _ = to_si(row["value_max"], unit)
    frame = pd.DataFrame(rows, columns=list(TARGET_COLUMNS))
    for column in ("start", "end"):
        frame[column] = frame[column].astype("Int64")
    for column in ("value", "value_max"):
        frame[column] = frame[column].astype("Float64")
    for column in ("unit", "kind", "comparator", "modality"):
        frame[column] = frame[column].astype("category")
    for column in ("doc_id", "task_id", "text", "indicator", "action", "classifier", "part_title"):
        frame[column] = frame[column].astype("string")
    return frame


def tasks_dataframe(documents: Iterable[Document] | Document) -> pandas.DataFrame:
    """Tasks as a pandas ``DataFrame`` (columns ``TASK_COLUMNS``), one row per task."""
    import pandas as pd

    if isinstance(documents, Document):
        documents = [documents]
    frame = pd.DataFrame(task_rows(documents), columns=list(TASK_COLUMNS))
    for column in ("start", "end", "n_targets"):
        frame[column] = frame[column].astype("Int64")
    for column in ("doc_id", "task_id", "part_title"):
        frame[column] = frame[column].astype("string")
    return frame
