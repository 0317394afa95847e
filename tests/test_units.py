"""Unit facts have one source, ``models/units.toml``: every row is extracted, converts
through pint and is known to the tokenizer, and a new row needs no code edit."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest

import targetex
from targetex.resources import load
from targetex.units import pint_name, registry, to_pint, to_si

TABLE = load().unit_table
SURFACES = sorted(TABLE.surfaces.items())


@pytest.mark.parametrize("unit", sorted(TABLE.canonical))
def test_every_canonical_unit_converts_through_pint(unit: str) -> None:
    quantity = to_pint(2.0, unit)
    assert quantity.magnitude == 2.0
    # the unit converts to itself and, where the table names one, to its SI unit
    assert quantity.to(pint_name(unit)).magnitude == pytest.approx(2.0)
    si = TABLE.canonical[unit].si
    if si:
        value, si_unit = to_si(2.0, unit)
        assert si_unit == si and value is not None and value > 0
        assert to_pint(value, si).to(pint_name(unit)).magnitude == pytest.approx(2.0)


def _is_date(surface: str) -> bool:
    """``3日`` is the third of the month: dates are masked before units are read."""
    return load().date_regex.fullmatch("3" + surface) is not None


@pytest.mark.parametrize(("surface", "entry"), SURFACES, ids=[s for s, _ in SURFACES])
def test_every_surface_is_extracted_with_its_unit(surface: str, entry: tuple[str, Decimal]) -> None:
    unit, factor = entry
    if _is_date(surface):
        pytest.skip(f"3{surface} is a date; {surface} is a unit only after longer numbers or in compounds")
    for expression in (f"新增3{surface}", f"12.5万{surface}"):
        found = targetex.find_quantities(expression)
        assert [q.unit for q in found] == [unit], (expression, found)
        number = Decimal(3) if expression.startswith("新增3") else Decimal("125000")
        assert found[0].value == pytest.approx(float(number * factor))
        assert found[0].quantity.dimensionality == to_pint(1.0, unit).dimensionality


@pytest.mark.parametrize("word", TABLE.tokenizer_words)
def test_every_unit_word_is_one_token(word: str) -> None:
    assert [w.text for w in targetex.tokenize(word)] == [word]


def test_currencies_never_convert_into_each_other() -> None:
    import pint

    yuan = targetex.parse_quantity("5亿元").quantity
    for expression in ("3亿美元", "2万亿日元", "100港元", "8欧元", "10英镑", "5澳门元", "7新台币"):
        with pytest.raises(pint.DimensionalityError):
            yuan.to(targetex.parse_quantity(expression).quantity.units)


def test_the_registry_is_shared() -> None:
    assert registry() is registry()
    assert to_pint(1.0, "tce").to("kWh").magnitude == pytest.approx(8141.0)


def test_unknown_unit_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown canonical unit"):
        to_pint(1.0, "furlong")


# A new row in units.toml, seen by a fresh interpreter: the unit must be extracted,
# convertible through Target.quantity and one token, without any code edit.
_NEW_ROW = '''
[[unit]]
name = "furlong"
pint = "furlong"
define = ["furlong = 201.168 * meter"]
si = "m"
words = ["弗隆"]
'''

_PROBE = r"""
import json, sys
from targetex import resources
row = sys.argv[1]
original = resources._read_text
resources._read_text = lambda name: original(name) + row if name == "units.toml" else original(name)
import targetex
doc = targetex.extract("（一）新建赛道8弗隆以上。")
target = doc.targets[0]
print(json.dumps({
    "found": [(q.text, q.value, q.unit) for q in targetex.find_quantities("赛道长8弗隆")],
    "target": [target.text, target.unit, target.comparator.value],
    "metres": target.quantity.to("meter").magnitude,
    "tokens": [w.text for w in targetex.tokenize("弗隆")],
}))
"""


def test_a_new_unit_row_needs_no_code_edit() -> None:
    out = subprocess.run([sys.executable, "-c", _PROBE, _NEW_ROW], capture_output=True, text=True,
                         check=True, timeout=120)
    result = json.loads(out.stdout)
    assert result["found"] == [["8弗隆", 8.0, "furlong"]]
    assert result["target"] == ["8弗隆", "furlong", ">="]
    assert result["metres"] == pytest.approx(8 * 201.168)
    assert result["tokens"] == ["弗隆"]
