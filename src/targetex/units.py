"""Canonical units as pint quantities, from one shared registry.

The registry is pint's default one plus ``models/pint_units.txt`` (亩 as ``mu`` = 1/15
hectare, ``CNY`` as its own currency dimension, ``person``, ``household``, ``head``,
``count``, ``percentage_point``, ``tce``).  It is built on first use only.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

__all__ = ["PINT_NAMES", "registry", "to_pint", "to_si"]

#: Canonical unit (ANNOTATION.md section 4) → pint unit expression.
PINT_NAMES = {
    "percent": "percent",
    "percentage_point": "percentage_point",
    "CNY": "CNY",
    "mu": "mu",
    "hectare": "hectare",
    "m**2": "meter ** 2",
    "km**2": "kilometer ** 2",
    "km": "kilometer",
    "m": "meter",
    "t": "metric_ton",
    "tce": "tce",
    "kW": "kilowatt",
    "kWh": "kilowatt_hour",
    "person": "person",
    "person_time": "person_time",
    "household": "household",
    "head": "head",
    "kg": "kilogram",
    "year": "year",
    "month": "month",
    "week": "week",
    "day": "day",
    "hour": "hour",
    "minute": "minute",
    "ug/m**3": "microgram / meter ** 3",
    "mg/m**3": "milligram / meter ** 3",
    "number": "dimensionless",
    "count": "count",
}

#: What ``to_si`` converts to, by canonical unit (areas to hectares, mass to kg...).
SI_UNITS = {
    "mu": "hectare",
    "m**2": "hectare",
    "km**2": "hectare",
    "km": "m",
    "t": "kg",
    "tce": "kWh",
}


@functools.cache
def registry() -> Any:
    """The shared ``pint.UnitRegistry`` with targetex's unit definitions loaded."""
    import pint

    ureg: Any = pint.UnitRegistry()
    with resources.as_file(resources.files("targetex.models").joinpath("pint_units.txt")) as path:
        ureg.load_definitions(str(path))
    return ureg


def to_pint(value: float, unit: str) -> Any:
    """``value`` in canonical ``unit`` as a pint ``Quantity``.

    >>> to_pint(15, "mu").to("hectare").magnitude
    1.0
    """
    try:
        name = PINT_NAMES[unit]
    except KeyError:
        raise ValueError(f"unknown canonical unit {unit!r}") from None
    return registry().Quantity(value, name)


def to_si(value: float | None, unit: str) -> tuple[float | None, str]:
    """Convert to the unit of ``SI_UNITS`` (areas to hectares, tonnes to kg, ...).

    Units without an entry are returned unchanged.
    """
    target = SI_UNITS.get(unit)
    if target is None or value is None:
        return value, unit if target is None else target
    converted = to_pint(value, unit).to(PINT_NAMES[target])
    return float(converted.magnitude), target
