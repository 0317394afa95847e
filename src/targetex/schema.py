"""The JSON Schema of targetex's output, derived from the record dataclasses.

Every property comes from a field of :class:`~targetex.records.Document`,
:class:`~targetex.records.DocumentMeta`, :class:`~targetex.records.Task` or
:class:`~targetex.records.Target` — its JSON type from the type hint, its description from
the ``Attributes:`` section of the class docstring, enumerations from the ``StrEnum`` — so a
field added to a record is in the schema without a change here.  ``targetex schema`` prints
it; ``docs/schema.json`` is a copy kept up to date by a test.

The schema accepts what ``targetex extract`` writes: one document object (``--format
json``, with ``text`` when ``--with-text`` is given), a list of them (several inputs), and —
under ``$defs/TargetLine`` — one line of ``--format jsonl``.
"""

from __future__ import annotations

import enum
import inspect
import re
import types
import typing
from typing import Any

from targetex.export import exported_fields
from targetex.records import Decision, Document, DocumentMeta, Note, Target, Task

__all__ = ["SCHEMA_ID", "json_schema"]

#: The schema's identifier: a name, not a place to fetch it from (a copy is docs/schema.json;
#: `targetex schema` prints it).
SCHEMA_ID = "urn:targetex:schema:output"
_RECORDS: tuple[type, ...] = (Document, DocumentMeta, Task, Target, Decision, Note)
# Fields with a tighter form than their type says.
_FORMATS: dict[str, dict[str, Any]] = {
    "start": {"minimum": 0},
    "end": {"minimum": 0},
    "task_id": {"pattern": r"^(A?\d+(\.\d+)*)?$"},
    "date": {"pattern": r"^(\d{4}-\d{2}-\d{2})?$"},
    "published": {"pattern": r"^(\d{4}-\d{2}-\d{2})?$"},
}


def _descriptions(record: type) -> dict[str, str]:
    """Field descriptions from the ``Attributes:`` section of a class docstring."""
    doc = inspect.getdoc(record) or ""
    _, _, section = doc.partition("Attributes:")
    out: dict[str, str] = {}
    name = ""
    for line in section.splitlines():
        match = re.match(r"^\s{4}(\w+): (.*)$", line)
        if match:
            name = match.group(1)
            out[name] = match.group(2).strip()
        elif name and line.startswith(" " * 8):
            out[name] += " " + line.strip()
        elif line.strip() and not line.startswith(" "):
            break
    return {k: " ".join(v.split()).replace("``", "`") for k, v in out.items()}


def _type(hint: Any) -> dict[str, Any]:
    """The JSON Schema of a field's type hint."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) or origin is typing.Union:
        options = [_type(a) for a in args]
        return options[0] if len(options) == 1 else {"anyOf": options}
    if hint is type(None):
        return {"type": "null"}
    if origin in (tuple, list):
        return {"type": "array", "items": _type(args[0]) if args else {}}
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return {"type": "string", "enum": [m.value for m in hint]}
    if isinstance(hint, type) and hint in _RECORDS:
        return {"$ref": f"#/$defs/{hint.__name__}"}
    simple = {bool: "boolean", int: "integer", float: "number", str: "string"}
    if hint in simple:
        return {"type": simple[hint]}
    raise TypeError(f"no JSON Schema for the type {hint!r}")


def _object(record: type) -> dict[str, Any]:
    hints = typing.get_type_hints(record)
    descriptions = _descriptions(record)
    properties: dict[str, Any] = {}
    for name in exported_fields(record):
        json_type = _type(hints[name])
        prop = json_type if "$ref" in json_type else {**json_type, **_FORMATS.get(name, {})}
        if name in descriptions and "$ref" not in prop:
            prop["description"] = descriptions[name]
        properties[name] = prop
    summary = (inspect.getdoc(record) or "").split("\n\n")[0].replace("\n", " ")
    return {"type": "object", "description": summary, "properties": properties,
            "required": list(properties), "additionalProperties": False}


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``targetex extract`` output."""
    defs = {record.__name__: _object(record) for record in _RECORDS}
    document = defs["Document"]
    document["properties"]["text"] = {
        "type": "string",
        "description": "the text the offsets refer to (only with --with-text)",
    }
    document["properties"]["decisions"] = {
        "type": "array",
        "items": {"$ref": "#/$defs/Decision"},
        "description": "the decision on every quantity mention (only with --explain)",
    }
    document["properties"]["notes"] = {
        "type": "array",
        "items": {"$ref": "#/$defs/Note"},
        "description": "what the result holds that a reader may not expect, and why (only when there are "
                       "some: a covering notice's targets without tasks)",
    }
    target = defs["Target"]
    defs["TargetLine"] = {
        "type": "object",
        "description": "one line of --format jsonl: a target with the id of its document",
        "properties": {"doc_id": {"type": "string"}, **target["properties"]},
        "required": ["doc_id", *target["required"]],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "targetex output",
        "description": "Tasks and quantitative targets of Chinese policy documents (docs/annotation.md).",
        "oneOf": [
            {"$ref": "#/$defs/Document"},
            {"type": "array", "items": {"$ref": "#/$defs/Document"}},
        ],
        "$defs": defs,
    }
