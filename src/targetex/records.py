"""Typed, frozen records: the output of targetex and its JSON contract.

Field names and enumerations follow ``docs/annotation.md`` (sections 1 and 3) exactly, so that
``to_dict()`` of a :class:`Document` is a valid gold file and vice versa.  Offsets are
half-open ``[start, end)`` code-point offsets into the text given to ``extract``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - only for type checkers
    import pint

__all__ = [
    "Attribute",
    "Comparator",
    "Decision",
    "Document",
    "DocumentMeta",
    "Kind",
    "Modality",
    "Note",
    "Quantity",
    "Target",
    "Task",
    "display_width",
]


def display_width(text: str) -> int:
    """The columns ``text`` takes on a terminal: two for a wide or full-width character
    (Chinese, ``％``), one for the others."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _padded(text: str, width: int) -> str:
    """``text`` with spaces after it up to ``width`` terminal columns."""
    return text + " " * max(0, width - display_width(text))


class Kind(StrEnum):
    """What a target's number says about its indicator."""

    CHANGE = "change"  #: change against the earlier value (增长7%, 下降2个百分点)
    LEVEL = "level"  #: the value reached or kept (达到85%, 控制在…以内)
    AMOUNT = "amount"  #: how much is done, added or built (新增300件)


class Comparator(StrEnum):
    """How the number bounds the indicator."""

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    APPROX = "~"
    BETWEEN = "between"
    EQ = "="


class Attribute(StrEnum):
    """How a plan marks an indicator (五年规划 属性 columns, ``（约束性）`` marks)."""

    BINDING = "binding"  #: 约束性: the government is bound to meet it
    EXPECTED = "expected"  #: 预期性: an expectation the government steers towards
    NONE = ""  #: not marked


class Modality(StrEnum):
    """How firmly the document commits to the target."""

    STRIVE = "strive"  #: 力争, 争取, 努力实现
    ENSURE = "ensure"  #: 确保, 必须
    PLAIN = "plain"


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _check_span(start: int, end: int, what: str) -> None:
    if not 0 <= start <= end:
        raise ValueError(f"bad span [{start}, {end}) in {what}")


class _Record:
    """Shared ``to_dict`` / ``from_dict`` of the frozen records."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON types, with the field names of docs/annotation.md."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)  # type: ignore[arg-type]
                if not f.name.startswith("_") and f.metadata.get("export", True)}



@dataclass(frozen=True, slots=True)
class Quantity(_Record):
    """One quantity mention: a number with its multiplier, unit and comparator.

    Attributes:
        start: offset of the first character of the number.
        end: offset after the unit (comparator words are outside the span).
        text: the input text at ``[start, end)``.
        value: the number normalised to ``unit`` (``1.2万人`` gives 12000).
        value_max: the upper end of a range, else ``None``.
        unit: canonical unit (docs/annotation.md section 4), e.g. ``percent``, ``CNY``, ``count``.
        classifier: the measure word of a ``count`` (``个``, ``家``), else ``""``.
        comparator: ``>=``, ``>``, ``<=``, ``<``, ``~``, ``between`` or ``=``.
        context_start: offset of the first comparator word before the number (or ``start``).
        context_end: offset after the last comparator word after the unit (or ``end``).
    """

    start: int
    end: int
    text: str
    value: float
    value_max: float | None
    unit: str
    classifier: str
    comparator: Comparator
    context_start: int = field(default=-1, metadata={"export": False})
    context_end: int = field(default=-1, metadata={"export": False})

    def __post_init__(self) -> None:
        _check_span(self.start, self.end, type(self).__name__)

    @property
    def quantity(self) -> pint.Quantity[Any]:
        """The value as a pint ``Quantity`` in the shared registry (see ``targetex.units``)."""
        from targetex.units import to_pint

        quantity: pint.Quantity[Any] = to_pint(self.value, self.unit)
        return quantity


@dataclass(frozen=True, slots=True)
class Target(_Record):
    """One quantitative target (docs/annotation.md section 3).

    Attributes:
        task_id: id of the task the target belongs to, ``""`` if outside any task.
        start: offset of the quantity mention (number, multiplier and unit).
        end: offset after the mention.
        text: the input text at ``[start, end)``.
        indicator: what is measured, as written (``地区生产总值``).
        action: the predicate as written (``增长``, ``新增``), ``""`` when there is none.
        kind: ``change``, ``level`` or ``amount``.
        value: normalised value, negative for a decrease of kind ``change``.
        value_max: upper end of a range, else ``None``.
        unit: canonical unit.
        classifier: measure word for ``count``, else ``""``.
        comparator: ``>=``, ``>``, ``<=``, ``<``, ``~``, ``between`` or ``=``.
        modality: ``strive``, ``ensure`` or ``plain``.
        year: the year by which, or in which, the target is to be met (``到2025年``, the
            year of a one-year plan, the last year of a named period), ``None`` when the
            document gives none.
        base_year: the year a change or comparison is measured against when written
            (``比2020年``; ``比上年`` in a 2023 plan gives 2022), else ``None``.
        per_year: the value applies to each year of a period (``年均``, ``每年``).
        attribute: ``binding`` (约束性) or ``expected`` (预期性) when the document marks
            the indicator so, else ``""``.
    """

    task_id: str
    start: int
    end: int
    text: str
    indicator: str
    action: str
    kind: Kind
    value: float
    value_max: float | None
    unit: str
    classifier: str
    comparator: Comparator
    modality: Modality
    year: int | None = None
    base_year: int | None = None
    per_year: bool = False
    attribute: Attribute = Attribute.NONE

    def __post_init__(self) -> None:
        _check_span(self.start, self.end, type(self).__name__)

    @property
    def quantity(self) -> pint.Quantity[Any]:
        """The value as a pint ``Quantity`` (``亩`` converts to hectares with ``.to("hectare")``)."""
        from targetex.units import to_pint

        quantity: pint.Quantity[Any] = to_pint(self.value, self.unit)
        return quantity

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Target:
        """Build a target from its JSON form (a gold or output record)."""
        return cls(
            task_id=str(data["task_id"]),
            start=int(data["start"]),
            end=int(data["end"]),
            text=str(data["text"]),
            indicator=str(data["indicator"]),
            action=str(data["action"]),
            kind=Kind(data["kind"]),
            value=float(data["value"]),
            value_max=None if data.get("value_max") is None else float(data["value_max"]),
            unit=str(data["unit"]),
            classifier=str(data.get("classifier", "")),
            comparator=Comparator(data["comparator"]),
            modality=Modality(data["modality"]),
            year=None if data.get("year") is None else int(data["year"]),
            base_year=None if data.get("base_year") is None else int(data["base_year"]),
            per_year=bool(data.get("per_year", False)),
            attribute=Attribute(data.get("attribute") or ""),
        )


@dataclass(frozen=True, slots=True)
class Task(_Record):
    """One task: a numbered item that carries work (docs/annotation.md section 1).

    Attributes:
        task_id: dotted path of the numbering labels, outermost first (``"2.9"``).
        part_title: text of the enclosing top-level heading, label stripped.
        start: offset of the task's label.
        end: offset after its responsibility line (or after its text when it has none).
        leaders: from ``牵头领导`` / ``分管领导`` lines.
        lead_units: from ``牵头单位``, or ``责任单位`` when no lead is given.
        cooperating_units: from ``配合单位`` / ``协办单位`` / ``参与单位``.
    """

    task_id: str
    part_title: str
    start: int
    end: int
    leaders: tuple[str, ...] = ()
    lead_units: tuple[str, ...] = ()
    cooperating_units: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_span(self.start, self.end, type(self).__name__)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Task:
        """Build a task from its JSON form."""
        return cls(
            task_id=str(data["task_id"]),
            part_title=str(data.get("part_title", "")),
            start=int(data["start"]),
            end=int(data["end"]),
            leaders=tuple(data.get("leaders", ())),
            lead_units=tuple(data.get("lead_units", ())),
            cooperating_units=tuple(data.get("cooperating_units", ())),
        )


@dataclass(frozen=True, slots=True)
class DocumentMeta(_Record):
    """What is known about a document besides its targets: where it came from and what it is.

    Every field is ``""`` when unknown.  Read by ``targetex.io`` from the file (a web page's
    ``<meta>`` tags and 索引号 table, a PDF's properties) and, where the file says nothing,
    from the text itself (the title line, the 文号, the date line, the signature).

    Attributes:
        title: the document's title (``关于印发…的通知``).
        doc_number: the 文号 as written (``某政办发〔2023〕27号``).
        issuer: the organ that issued it (发文机关 / 发布机构, or the signature).
        date: the date it was written (成文日期, or the date line), ISO ``YYYY-MM-DD``.
        published: the date a web page says it was published, ISO ``YYYY-MM-DD``.
        source: the path the document was read from (as given), ``"-"`` for standard input.
        format: ``text``, ``html``, ``docx`` or ``pdf``.
        encoding: the encoding the bytes were decoded from (``utf-8``, ``gb18030``…).
    """

    title: str = ""
    doc_number: str = ""
    issuer: str = ""
    date: str = ""
    published: str = ""
    source: str = ""
    format: str = ""
    encoding: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DocumentMeta:
        """Build metadata from its JSON form; unknown keys are ignored, missing ones are ``""``."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: str(v) for k, v in data.items() if k in names and v is not None})


@dataclass(frozen=True, slots=True)
class Decision(_Record):
    """Why a quantity mention is, or is not, a target (``extract(..., explain=True)``).

    Attributes:
        start: offset of the quantity mention.
        end: offset after it.
        text: the input text at ``[start, end)``.
        kept: whether it became a target.
        rule: the name of the non-target rule that dropped it (``models/non_targets.toml``),
            ``""`` when kept.
        reason: what that rule says.
        readers: for a target, ``field:reader`` for the phrase readers that set its
            indicator, action and kind (``indicator:subject_before_verb``) and the time
            rules that set its year, base year, per-year flag and attribute
            (``year:title_year``, ``base_year:previous_year``; ``targetex.timeframe``).
    """

    start: int
    end: int
    text: str
    kept: bool
    rule: str = ""
    reason: str = ""
    readers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_span(self.start, self.end, type(self).__name__)

    def __str__(self) -> str:
        return self.line()

    def line(self, offset_width: int = 6, text_width: int = 12) -> str:
        """The decision on one line: offset, mention (padded to ``text_width`` terminal
        columns, a Chinese character counting two), target or dropped, and why."""
        head = f"{self.start:>{offset_width}} {_padded(self.text, text_width)} "
        if self.kept:
            return f"{head}target   {' '.join(self.readers)}".rstrip()
        return f"{head}dropped  {self.rule}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Note(_Record):
    """What a result holds that a reader may not expect, and why (``Document.notes``).

    Attributes:
        kind: what the note is about: ``covering_notice`` (targets but no tasks: the
            numbered paragraphs are a covering notice's own, which are not tasks),
            ``rules_document`` (articles of a document of rules that set terms, not work,
            left out of the tasks, counted by rule) or ``no_chinese_text`` (the text holds
            no Chinese character).
        message: the explanation, one sentence for a person.
    """

    kind: str
    message: str

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Note:
        """Build a note from its JSON form."""
        return cls(kind=str(data["kind"]), message=str(data["message"]))


@dataclass(frozen=True, slots=True)
class Document(_Record):
    """The result of extraction over one text.

    Attributes:
        doc_id: an identifier chosen by the caller (the path without its suffix in the CLI).
        tasks: the tasks, in reading order.
        targets: the targets, in reading order.
        meta: title, issuer, dates, 文号 and source of the document (empty when unknown).
        decisions: with ``explain=True``, the decision on every quantity mention, in
            reading order (written to JSON only then).
        notes: what the result holds that a reader may not expect, and why (a covering
            notice's targets without tasks); written to JSON only when there are some.
    """

    doc_id: str
    tasks: tuple[Task, ...] = ()
    targets: tuple[Target, ...] = ()
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    decisions: tuple[Decision, ...] = field(default=(), metadata={"export": False})
    notes: tuple[Note, ...] = field(default=(), metadata={"export": False})

    def to_dict(self) -> dict[str, Any]:
        """``{"doc_id", "tasks", "targets"}`` as docs/annotation.md section 7, and ``meta``
        (section 6); ``decisions`` and ``notes`` when there are some."""
        return {
            "doc_id": self.doc_id,
            "tasks": [t.to_dict() for t in self.tasks],
            "targets": [t.to_dict() for t in self.targets],
            "meta": self.meta.to_dict(),
            **({"decisions": [d.to_dict() for d in self.decisions]} if self.decisions else {}),
            **({"notes": [n.to_dict() for n in self.notes]} if self.notes else {}),
        }

    def explain(self) -> str:
        """The decision on every quantity mention, one per line (needs ``explain=True``),
        in columns that line up on a terminal."""
        offsets = max((len(str(d.start)) for d in self.decisions), default=0)
        texts = max((display_width(d.text) for d in self.decisions), default=0)
        return "\n".join(d.line(max(6, offsets), max(12, texts)) for d in self.decisions)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Document:
        """Build a document from its JSON form (e.g. a gold file, which has no ``meta``)."""
        return cls(
            doc_id=str(data.get("doc_id", "")),
            tasks=tuple(Task.from_dict(t) for t in data.get("tasks", ())),
            targets=tuple(Target.from_dict(t) for t in data.get("targets", ())),
            meta=DocumentMeta.from_dict(data.get("meta") or {}),
            notes=tuple(Note.from_dict(n) for n in data.get("notes", ())),
        )

    def task(self, task_id: str) -> Task | None:
        """The task with this id, or ``None``."""
        return next((t for t in self.tasks if t.task_id == task_id), None)

    def __iter__(self) -> Iterator[Target]:
        return iter(self.targets)

    def __len__(self) -> int:
        return len(self.targets)
