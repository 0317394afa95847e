"""What target assembly hands to linking: target drafts and the decision on each mention.

Offsets are in the *normalised* text; the link stage maps them to the raw text.
"""

from __future__ import annotations

from dataclasses import dataclass

from targetex.phrase import Phrase
from targetex.records import Comparator, Kind, Modality, Quantity

__all__ = ["Draft", "MentionOutcome"]


@dataclass(frozen=True, slots=True)
class Draft:
    """A target before it is linked to its task.

    Attributes:
        quantity: the quantity (value signed for a decrease).
        indicator: what is measured, as read (with where each character came from).
        action: the predicate, as read.
        kind, modality, comparator: as in :class:`~targetex.records.Target`.
        readers: ``(field, reader)`` pairs: which phrase reader set the indicator, the
            action and the kind, which rule set each time field (for ``--explain``).
        year, base_year, per_year, attribute: the time fields of
            :class:`~targetex.records.Target` (a table reader or the time stage sets them).
    """

    quantity: Quantity
    indicator: Phrase
    action: Phrase
    kind: Kind
    modality: Modality
    comparator: Comparator
    readers: tuple[tuple[str, str], ...] = ()
    year: int | None = None
    base_year: int | None = None
    per_year: bool = False
    attribute: str = ""


@dataclass(frozen=True, slots=True)
class MentionOutcome:
    """What became of one quantity mention: kept as a target, or dropped by a named rule.

    Attributes:
        quantity: the mention (normalised offsets).
        kept: whether it became a target.
        rule: the name of the rule that dropped it (``""`` when kept).
        reason: that rule's reason.
        readers: for a kept mention, which readers set its fields.
    """

    quantity: Quantity
    kept: bool
    rule: str = ""
    reason: str = ""
    readers: tuple[tuple[str, str], ...] = ()
