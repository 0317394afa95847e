"""Optional packages: imported where a feature needs them, with a clear error when missing.

The base install (jieba, pint, tqdm) extracts targets; pandas, openpyxl, spaCy, lxml,
pdfplumber, python-docx and Dask come with the extras of ``pyproject.toml``.  A function of
the Python API that needs one imports it through :func:`require`, so that a missing package
gives :class:`~targetex.errors.MissingDependencyError` naming the extra to install, the
message the command line prints, rather than a bare ``ModuleNotFoundError``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from targetex.errors import MissingDependencyError

__all__ = ["require"]


def require(module: str, extra: str, feature: str) -> ModuleType:
    """Import ``module`` for ``feature``.

    Raises:
        MissingDependencyError: the module (or one it needs) cannot be imported; the message
            says ``pip install 'targetex[extra]'``.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependencyError(feature, extra, str(exc), name=exc.name or module) from exc
