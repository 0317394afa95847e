"""targetex: quantitative targets of Chinese policy documents as typed, normalised records.

>>> import targetex
>>> doc = targetex.extract("（一）地区生产总值增长7%左右")
>>> t = doc.targets[0]
>>> (t.task_id, t.indicator, t.kind.value, t.value, t.unit, t.comparator.value)
('1', '地区生产总值', 'change', 7.0, 'percent', '~')

The public API is imported lazily: ``import targetex`` loads no dictionary, pint
registry, pandas or spaCy until a function that needs them is called.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from targetex.errors import (
    GoldError,
    InputError,
    MissingDependencyError,
    QuantityParseError,
    ResourceError,
    TargetexError,
)
from targetex.records import Comparator, Document, DocumentMeta, Kind, Modality, Note, Quantity, Target, Task

if TYPE_CHECKING:  # pragma: no cover
    from targetex.export import tasks_dataframe, to_dataframe
    from targetex.pipeline import Extractor, extract
    from targetex.quantities import find_quantities, parse_quantity
    from targetex.segmentation import Segmentation, segment, tokenize

try:
    __version__ = version("targetex")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "Comparator",
    "Document",
    "DocumentMeta",
    "Extractor",
    "GoldError",
    "InputError",
    "Kind",
    "MissingDependencyError",
    "Modality",
    "Note",
    "Quantity",
    "QuantityParseError",
    "ResourceError",
    "Segmentation",
    "Target",
    "TargetexError",
    "Task",
    "__version__",
    "extract",
    "find_quantities",
    "parse_quantity",
    "segment",
    "tasks_dataframe",
    "to_dataframe",
    "tokenize",
]

_LAZY = {
    "Extractor": "targetex.pipeline",
    "extract": "targetex.pipeline",
    "find_quantities": "targetex.quantities",
    "parse_quantity": "targetex.quantities",
    "to_dataframe": "targetex.export",
    "tasks_dataframe": "targetex.export",
    "segment": "targetex.segmentation",
    "tokenize": "targetex.segmentation",
    "Segmentation": "targetex.segmentation",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'targetex' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
