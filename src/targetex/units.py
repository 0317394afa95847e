"""Canonical units as pint quantities, from one shared registry.

Every unit fact is a row of ``models/units.toml`` (see :class:`targetex.resources.UnitTable`):
the canonical name, the pint expression it converts as, the pint definitions pint lacks
(亩 as ``mu`` = 1/15 hectare, each currency its own dimension, ``person``, ``household``,
``head``, ``count``, ``percentage_point``, ``tce``, ``TEU``...) and the unit ``to_si``
converts to.  The registry is pint's default one plus those definitions, built on first use.
"""

from __future__ import annotations

import functools
from typing import Any

from targetex.resources import UnitTable, load

__all__ = ["build_registry", "pint_name", "registry", "to_pint", "to_si"]


def build_registry(table: UnitTable) -> Any:
    """A new ``pint.UnitRegistry`` with the definitions of ``table`` loaded."""
    import pint

    ureg: Any = pint.UnitRegistry()
    for unit in table.canonical.values():
        for definition in unit.definitions:
            ureg.define(definition)
    return ureg


@functools.cache
def registry() -> Any:
    """The shared ``pint.UnitRegistry`` with targetex's unit definitions loaded."""
    return build_registry(load().unit_table)


def pint_name(unit: str) -> str:
    """The pint expression of the canonical ``unit``.

    Raises:
        ValueError: ``unit`` is not a canonical unit of ``models/units.toml``.

    >>> pint_name("km**2")
    'kilometer ** 2'
    """
    try:
        return load().unit_table.canonical[unit].pint
    except KeyError:
        raise ValueError(f"unknown canonical unit {unit!r}") from None


def to_pint(value: float, unit: str) -> Any:
    """``value`` in canonical ``unit`` as a pint ``Quantity``.

    >>> to_pint(15, "mu").to("hectare").magnitude
    1.0
    """
    return registry().Quantity(value, pint_name(unit))


def to_si(value: float | None, unit: str) -> tuple[float | None, str]:
    """Convert to the unit the table names as ``si`` (areas to hectares, tonnes to kg, ...).

    Units without one are returned unchanged.
    """
    canonical = load().unit_table.canonical.get(unit)
    target = canonical.si if canonical is not None else ""
    if not target or value is None:
        return value, target or unit
    converted = to_pint(value, unit).to(pint_name(target))
    return float(converted.magnitude), target
