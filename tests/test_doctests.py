"""The examples in the docstrings run and give what they show (every module of the package)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import targetex

MODULES = sorted(m.name for m in pkgutil.iter_modules(targetex.__path__, "targetex.")
                 if m.name != "targetex.__main__")  # (running it would start the CLI)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"
