"""Exceptions raised by targetex.

Extraction never raises on messy text: an uninterpretable span simply yields no record.
Errors are raised for bad *configuration and data*: a broken model file, an unreadable
input file, a malformed gold file.
"""

from __future__ import annotations


class TargetexError(Exception):
    """Base class of every error targetex raises on purpose."""


class ResourceError(ValueError, TargetexError):
    """A data file under ``models/`` is missing or malformed (names the file and line)."""


class InputError(ValueError, TargetexError):
    """An input document cannot be read or decoded (names the file and the problem)."""


def library_reason(exc: BaseException, default: str) -> str:
    """What a reading library's exception says, on one line and without its class name
    (``PdfminerException`` means nothing to whoever gave the file), or ``default`` when
    it says nothing (an encrypted PDF's password error)."""
    return " ".join(str(exc).split()) or default


class GoldError(ValueError, TargetexError):
    """A gold annotation file is malformed (names the file, the record and the field)."""


class QuantityParseError(ValueError, TargetexError):
    """``parse_quantity`` was given a string that is not one quantity expression."""


class MissingDependencyError(TargetexError, ModuleNotFoundError):
    """A feature needs an optional package that is not installed (names the feature and
    the extra that installs it: ``pip install 'targetex[pandas]'``).

    A :class:`ModuleNotFoundError` too, so code that catches ``ImportError`` still works.

    Attributes:
        feature: what needed the package (``targetex.to_dataframe``).
        extra: the extra of ``pyproject.toml`` that installs it (``pandas``).
        reason: the import error itself (``No module named 'pandas'``).
    """

    def __init__(self, feature: str, extra: str, reason: str, name: str | None = None) -> None:
        super().__init__(f"{feature} needs an optional package: pip install 'targetex[{extra}]' ({reason})",
                         name=name)
        self.feature = feature
        self.extra = extra
        self.reason = reason
