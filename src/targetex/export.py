"""Stage 5: export — JSON, JSON Lines, CSV, Excel workbooks, a terminal table, pandas frames.

Columns are derived from the record dataclasses (their exported fields, in declaration
order), so a field added to :class:`~targetex.records.Target`, :class:`~targetex.records.Task`
or :class:`~targetex.records.DocumentMeta` appears in every flat export without a change
here: ``doc_id``, then every target field, then the task's fields joined on.
"""

from __future__ import annotations

import csv
import dataclasses
import enum
import io
import json
import types
import typing
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from targetex.extras import require
from targetex.records import Document, DocumentMeta, Target, Task, display_width

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = [
    "CSV_BOM",
    "DOCUMENT_COLUMNS",
    "TARGET_COLUMNS",
    "TASK_COLUMNS",
    "document_rows",
    "documents_dataframe",
    "exported_fields",
    "target_rows",
    "task_rows",
    "tasks_dataframe",
    "to_csv",
    "to_dataframe",
    "to_json",
    "to_jsonl",
    "to_table",
    "to_xlsx",
]


def exported_fields(record: type) -> tuple[str, ...]:
    """The fields of a record class that ``to_dict()`` writes, in declaration order."""
    return tuple(f.name for f in dataclasses.fields(record)
                 if not f.name.startswith("_") and f.metadata.get("export", True))


# Fields of a task that identify it rather than describe it: not joined onto target rows.
_TASK_KEYS = ("task_id", "start", "end")
#: Task fields joined onto each target row (after the target's own fields).
JOINED_TASK_FIELDS = tuple(f for f in exported_fields(Task) if f not in _TASK_KEYS)
#: Columns of target rows (CSV, data frames, the ``targets`` sheet).
TARGET_COLUMNS = ("doc_id", *exported_fields(Target), *JOINED_TASK_FIELDS)
#: Columns of task rows (the ``tasks`` sheet, :func:`tasks_dataframe`).
TASK_COLUMNS = ("doc_id", *exported_fields(Task), "n_targets")
#: Columns of document rows (the ``documents`` sheet).
DOCUMENT_COLUMNS = ("doc_id", *exported_fields(DocumentMeta), "n_tasks", "n_targets")
#: The byte-order mark written at the start of CSV files, so that Excel reads them as UTF-8.
CSV_BOM = "\ufeff"


def target_rows(documents: Iterable[Document]) -> list[dict[str, Any]]:
    """One flat dict per target, with its document id and its task's fields joined on."""
    rows = []
    for doc in documents:
        tasks = {t.task_id: t for t in doc.tasks}
        for target in doc.targets:
            row: dict[str, Any] = {"doc_id": doc.doc_id, **target.to_dict()}
            task = tasks.get(target.task_id)
            joined = task.to_dict() if task else _EMPTY_TASK
            for name in JOINED_TASK_FIELDS:
                row[name] = joined[name]
            rows.append({c: row[c] for c in TARGET_COLUMNS})
    return rows


_EMPTY_TASK = Task(task_id="", part_title="", start=0, end=0).to_dict()


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


def document_rows(documents: Iterable[Document]) -> list[dict[str, Any]]:
    """One flat dict per document: its id, its metadata, and how many tasks and targets."""
    return [{"doc_id": doc.doc_id, **doc.meta.to_dict(), "n_tasks": len(doc.tasks),
             "n_targets": len(doc.targets)} for doc in documents]


def to_json(document: Document, text: str | None = None, indent: int | None = 2) -> str:
    """The document as the JSON object of docs/annotation.md section 7 (with ``text`` if given)."""
    data = document.to_dict()
    if text is not None:
        data["text"] = text
    return json.dumps(data, ensure_ascii=False, indent=indent)


def to_jsonl(documents: Iterable[Document]) -> str:
    """One JSON object per target per line (with ``doc_id``)."""
    return "".join(json.dumps({"doc_id": d.doc_id, **t.to_dict()}, ensure_ascii=False) + "\n"
                   for d in documents for t in d.targets)


def _flat(value: Any) -> Any:
    """A cell of a flat export: lists joined with ``;``, ``None`` empty."""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return "" if value is None else value


def to_csv(documents: Iterable[Document], header: bool = True, bom: bool = False) -> str:
    """Targets as CSV with the columns of ``TARGET_COLUMNS``; lists joined with ``;``.

    ``header=False`` gives the rows alone (to concatenate the parts of a batch);
    ``bom=True`` starts the text with a byte-order mark (:data:`CSV_BOM`), which Excel
    needs to read UTF-8 (without it, Excel on Windows reads the file as the local code page).
    """
    buffer = io.StringIO()
    if bom:
        buffer.write(CSV_BOM)
    writer = csv.DictWriter(buffer, fieldnames=TARGET_COLUMNS, lineterminator="\n")
    if header:
        writer.writeheader()
    for row in target_rows(documents):
        writer.writerow({k: _flat(v) for k, v in row.items()})
    return buffer.getvalue()


def to_xlsx(documents: Sequence[Document], path: str | Path) -> None:
    """Write an Excel workbook: sheets ``targets``, ``tasks`` and ``documents``.

    Each sheet has a frozen header row and filters on every column; numbers stay numbers
    (values in their canonical unit, the unit in the ``unit`` column beside them), lists are
    joined with ``;``.  Needs openpyxl (``pip install 'targetex[xlsx]'``).

    Raises:
        MissingDependencyError: openpyxl is not installed.
    """
    require("openpyxl", "xlsx", "targetex.export.to_xlsx")
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheets = (("targets", TARGET_COLUMNS, target_rows(documents)),
              ("tasks", TASK_COLUMNS, task_rows(documents)),
              ("documents", DOCUMENT_COLUMNS, document_rows(documents)))
    first = True
    for title, columns, rows in sheets:
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = title
        sheet.append(list(columns))
        for row in rows:
            sheet.append([_flat(row[c]) for c in columns])
        sheet.freeze_panes = "A2"
        last = get_column_letter(len(columns))
        sheet.auto_filter.ref = f"A1:{last}{max(1, len(rows) + 1)}"
        for i, column in enumerate(columns, start=1):
            longest = max([_width(str(column)), *(_width(str(_flat(r[column]))) for r in rows[:200])])
            sheet.column_dimensions[get_column_letter(i)].width = min(60, max(6, longest + 2))
    workbook.save(str(path))


def _width(s: str) -> int:
    return display_width(s)


def _cell(s: str, width: int) -> str:
    """``s`` in ``width`` terminal columns: padded, or cut with ``…`` when longer."""
    if _width(s) > width:
        out, used = "", 0
        for ch in s:
            if used + _width(ch) > width - 1:
                break
            out += ch
            used += _width(ch)
        s = out + "…"
    return s + " " * (width - _width(s))


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if value == int(value) and abs(value) >= 1000 else f"{value:g}"


def to_table(documents: Sequence[Document], max_indicator: int = 28) -> str:
    """A readable fixed-width table of the targets for a terminal.

    Columns are as wide as their widest cell in terminal columns (a Chinese character takes
    two); document ids, task ids, values and units are never cut, only an indicator wider
    than ``max_indicator`` columns is shortened (with ``…``).
    """
    headers = ("doc", "task", "indicator", "action", "value", "unit", "cmp", "kind", "modality", "year")
    rows = []
    for doc in documents:
        for t in doc.targets:
            value = _number(t.value) + (f"–{_number(t.value_max)}" if t.value_max is not None else "")
            unit = t.unit + (f"({t.classifier})" if t.classifier else "")
            rows.append((doc.doc_id, t.task_id, t.indicator, t.action, value, unit,
                         t.comparator.value, t.kind.value, t.modality.value,
                         "" if t.year is None else str(t.year)))
    widths = [max([_width(h), *(_width(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    indicator = headers.index("indicator")
    widths[indicator] = min(widths[indicator], max(max_indicator, _width(headers[indicator])))
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
        units: ``"canonical"`` keeps the units of docs/annotation.md section 4; ``"SI"``
            converts area to hectares (亩 → ha, m² → ha, km² → ha), mass to kg and
            energy to kWh where they differ, updating ``value``, ``value_max`` and ``unit``.

    Returns:
        A frame with the columns ``TARGET_COLUMNS``; nullable floats for values,
        categoricals for unit, kind, comparator and modality, Python lists for units lists.

    Raises:
        MissingDependencyError: pandas is not installed (``pip install 'targetex[pandas]'``).
    """
    require("pandas", "pandas", "targetex.to_dataframe")
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
    return _typed(frame, {**_dtypes(Task), **_dtypes(Target)})


def tasks_dataframe(documents: Iterable[Document] | Document) -> pandas.DataFrame:
    """Tasks as a pandas ``DataFrame`` (columns ``TASK_COLUMNS``), one row per task.

    Raises:
        MissingDependencyError: pandas is not installed (``pip install 'targetex[pandas]'``).
    """
    require("pandas", "pandas", "targetex.tasks_dataframe")
    import pandas as pd

    if isinstance(documents, Document):
        documents = [documents]
    frame = pd.DataFrame(task_rows(documents), columns=list(TASK_COLUMNS))
    return _typed(frame, {**_dtypes(Task), "n_targets": "Int64"})


def documents_dataframe(documents: Iterable[Document] | Document) -> pandas.DataFrame:
    """Documents as a pandas ``DataFrame`` (columns ``DOCUMENT_COLUMNS``, the ``documents``
    sheet of :func:`to_xlsx`), one row per document: its id, metadata and counts.

    Raises:
        MissingDependencyError: pandas is not installed (``pip install 'targetex[pandas]'``).
    """
    require("pandas", "pandas", "targetex.export.documents_dataframe")
    import pandas as pd

    if isinstance(documents, Document):
        documents = [documents]
    frame = pd.DataFrame(document_rows(documents), columns=list(DOCUMENT_COLUMNS))
    return _typed(frame, {**_dtypes(DocumentMeta), "n_tasks": "Int64", "n_targets": "Int64"})


# str fields whose few distinct values make them categories in data frames (enum fields are
# categories anyway).
_CATEGORY_FIELDS = frozenset({"unit", "attribute"})


def _dtype(hint: Any) -> str | None:
    """The pandas dtype of a field with this type hint (None: leave as object)."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return _dtype(args[0]) if len(args) == 1 else None
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return "category"
    return {bool: "boolean", int: "Int64", float: "Float64", str: "string"}.get(hint)


def _dtypes(record: type) -> dict[str, str]:
    """Column dtypes of a record's fields, from its type hints."""
    hints = typing.get_type_hints(record)
    out = {"doc_id": "string"}
    for name in exported_fields(record):
        dtype = "category" if name in _CATEGORY_FIELDS else _dtype(hints[name])
        if dtype is not None:
            out[name] = dtype
    return out


def _typed(frame: pandas.DataFrame, dtypes: dict[str, str]) -> pandas.DataFrame:
    for column, dtype in dtypes.items():
        if column in frame.columns:
            frame[column] = frame[column].astype(dtype)  # type: ignore[call-overload]
    return frame
