"""Shared pytest configuration: hypothesis profiles and the ``slow`` marker.

Hypothesis profiles (property tests in ``tests/test_properties.py``):

- ``ci`` (the default): every property test runs ``CI_EXAMPLES`` generated cases, at least
  2,000 cases in total over the property tests (and 2,100 over the differential numeral
  tests of ``tests/test_numerals.py``); no deadline (the first call of a worker
  loads the dictionaries); a failing case is printed with its reproduction blob.
- ``deep``: ten times as many cases (at least 20,000 in total), for a run before a release
  or after a change to the pipeline.

Select a profile with the environment variable ``TARGETEX_HYPOTHESIS_PROFILE``::

    TARGETEX_HYPOTHESIS_PROFILE=deep python -m pytest tests/test_properties.py

At the end of a run that includes generated tests, pytest prints how many generated cases
each module ran.

Slow tests (inputs that take minutes) carry ``@pytest.mark.slow`` and are skipped unless
the environment variable ``TARGETEX_SLOW=1`` is set.

Every JSON and JSON Lines output a test produces through ``targetex.export`` (directly or
through the command line in process) is validated against ``targetex schema``
(:func:`targetex.schema.json_schema`, with jsonschema): a test that makes output the schema
does not describe fails.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

#: Generated cases per property test in the ``ci`` profile (``deep`` runs ten times as many).
CI_EXAMPLES = 300

_COMMON: dict[str, Any] = {
    "deadline": None,
    "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("ci", max_examples=CI_EXAMPLES, **_COMMON)
settings.register_profile("deep", max_examples=10 * CI_EXAMPLES, **_COMMON)
settings.load_profile(os.environ.get("TARGETEX_HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes minutes; runs only with TARGETEX_SLOW=1")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("TARGETEX_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow: set TARGETEX_SLOW=1 to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for name, module in list(sys.modules.items()):
        cases = getattr(module, "GENERATED_CASES", None)
        if name.split(".")[-1].startswith("test_") and cases:
            total = sum(cases.values())
            profile = os.environ.get("TARGETEX_HYPOTHESIS_PROFILE", "ci")
            terminalreporter.write_line(
                f"{name.split('.')[-1]}: hypothesis profile {profile!r}: {total} generated cases run "
                + "(" + ", ".join(f"{k} {v}" for k, v in sorted(cases.items())) + ")")


@functools.cache
def _schema_validators() -> tuple[Any, Any] | None:
    """Validators of a document (or list of them) and of one JSON Lines record."""
    try:
        import jsonschema
    except ImportError:  # pragma: no cover - jsonschema is a test dependency
        return None
    from targetex.schema import json_schema

    schema = json_schema()
    line = {**schema, "oneOf": None, "$ref": "#/$defs/TargetLine"}
    del line["oneOf"]
    return jsonschema.Draft202012Validator(schema), jsonschema.Draft202012Validator(line)


@pytest.fixture(autouse=True)
def _outputs_follow_the_schema(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Validate every JSON / JSON Lines output made through targetex.export."""
    validators = _schema_validators()
    if validators is None:
        yield
        return
    from targetex import export

    document_validator, line_validator = validators
    to_json, to_jsonl = export.to_json, export.to_jsonl

    def checked_json(*args: Any, **kwargs: Any) -> str:
        out = to_json(*args, **kwargs)
        document_validator.validate(json.loads(out))
        return out

    def checked_jsonl(*args: Any, **kwargs: Any) -> str:
        out = to_jsonl(*args, **kwargs)
        for line in out.splitlines():
            line_validator.validate(json.loads(line))
        return out

    monkeypatch.setattr(export, "to_json", checked_json)
    monkeypatch.setattr(export, "to_jsonl", checked_jsonl)
    yield
