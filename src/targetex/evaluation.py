"""Scoring against gold annotations, exactly as docs/annotation.md section 8 says.

- A predicted target matches a gold target when their spans overlap; among several
  candidates the one with the most similar indicator wins; each matches at most once.
- Detection precision/recall/F1; field accuracy over matched pairs; strict F1 (a target is
  fully right when it matches and value, unit, comparator, kind and task_id are right and
  its indicator's character F1 is at least 0.5).
- Tasks: F1 of the task_id sets; for matched tasks, set F1 of lead units, cooperating
  units and leaders.

Counts are kept per document and summed for the micro average over a corpus.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from targetex.errors import GoldError
from targetex.records import Attribute, Comparator, Decision, Document, Kind, Modality, Target

__all__ = ["FIELDS", "PRF", "TIME_FIELDS", "Scores", "evaluate_corpus", "load_gold", "score_document"]

#: Fields compared over matched target pairs, in report order.
FIELDS = ("value", "value_max", "unit", "comparator", "kind", "modality", "task_id", "action", "indicator")
#: The time fields, reported apart (not part of strict F1) and only over documents whose gold
#: has them.
TIME_FIELDS = ("year", "base_year", "per_year", "attribute")
_TARGET_FIELDS = {
    "task_id": str, "start": int, "end": int, "text": str, "indicator": str, "action": str,
    "kind": str, "value": (int, float), "unit": str, "comparator": str, "modality": str,
}
_TASK_FIELDS = {"task_id": str, "start": int, "end": int}


@dataclass
class PRF:
    """True positives, false positives and false negatives, with P/R/F1."""

    tp: float = 0
    fp: float = 0
    fn: float = 0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else 1.0


def char_f1(a: str, b: str) -> float:
    """Character-multiset F1 of two strings (1.0 when both are empty)."""
    if not a and not b:
        return 1.0
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    precision, recall = common / len(a), common / len(b)
    return 2 * precision * recall / (precision + recall)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def field_equal(name: str, pred: Target, gold: Target) -> bool:
    """Whether one field of a matched pair is right (unit includes the classifier of counts)."""
    if name == "value":
        return _close(pred.value, gold.value)
    if name == "value_max":
        return _close(pred.value_max, gold.value_max)
    if name == "unit":
        return pred.unit == gold.unit and (gold.unit != "count" or pred.classifier == gold.classifier)
    return bool(getattr(pred, name) == getattr(gold, name))


@dataclass
class Scores:
    """Counts for one document or a whole corpus (add documents with ``add``)."""

    detection: PRF = field(default_factory=PRF)
    strict: PRF = field(default_factory=PRF)
    matched: int = 0
    field_right: Counter[str] = field(default_factory=Counter)
    indicator_char_f1: float = 0.0
    time_matched: int = 0  # matched pairs whose gold has the time fields
    tasks: PRF = field(default_factory=PRF)
    lead_units: PRF = field(default_factory=PRF)
    cooperating_units: PRF = field(default_factory=PRF)
    leaders: PRF = field(default_factory=PRF)
    pairs: list[tuple[Target, Target]] = field(default_factory=list, repr=False)
    missed: list[Target] = field(default_factory=list, repr=False)
    spurious: list[Target] = field(default_factory=list, repr=False)

    def add(self, other: Scores) -> None:
        for name in ("detection", "strict", "tasks", "lead_units", "cooperating_units", "leaders"):
            getattr(self, name).add(getattr(other, name))
        self.matched += other.matched
        self.time_matched += other.time_matched
        self.field_right.update(other.field_right)
        self.indicator_char_f1 += other.indicator_char_f1

    def accuracy(self, name: str) -> float:
        """Share of matched pairs whose field ``name`` is right (a time field: of the pairs
        whose gold has the time fields)."""
        matched = self.time_matched if name in TIME_FIELDS else self.matched
        return self.field_right[name] / matched if matched else 1.0

    def to_dict(self) -> dict[str, Any]:
        """The figures as plain JSON types."""

        def prf(p: PRF) -> dict[str, float]:
            return {"precision": round(p.precision, 4), "recall": round(p.recall, 4), "f1": round(p.f1, 4),
                    "tp": p.tp, "fp": p.fp, "fn": p.fn}

        return {
            "detection": prf(self.detection),
            "strict": prf(self.strict),
            "matched": self.matched,
            "fields": {name: round(self.accuracy(name), 4) for name in FIELDS},
            "time_fields": {name: round(self.accuracy(name), 4) for name in TIME_FIELDS},
            "time_matched": self.time_matched,
            "indicator_char_f1": round(self.indicator_char_f1 / self.matched, 4) if self.matched else 1.0,
            "tasks": prf(self.tasks),
            "lead_units": prf(self.lead_units),
            "cooperating_units": prf(self.cooperating_units),
            "leaders": prf(self.leaders),
        }


def _match(pred: list[Target], gold: list[Target]) -> list[tuple[int, int]]:
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if p.start < g.end and g.start < p.end:
                candidates.append((-char_f1(p.indicator, g.indicator), abs(p.start - g.start), gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, _, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((pi, gi))
    return pairs


def _set_prf(pred: Iterable[str], gold: Iterable[str]) -> PRF:
    p, g = Counter(pred), Counter(gold)
    tp = sum((p & g).values())
    return PRF(tp, sum(p.values()) - tp, sum(g.values()) - tp)


def score_document(predicted: Document, gold: Document, time_fields: bool = True) -> Scores:
    """Score one document's prediction against its gold annotation.

    Args:
        predicted: the extractor's document.
        gold: the gold annotation.
        time_fields: whether the gold annotates the time fields (older gold files do not:
            their pairs are left out of the time-field accuracies).
    """
    scores = Scores()
    pred_targets, gold_targets = list(predicted.targets), list(gold.targets)
    pairs = _match(pred_targets, gold_targets)
    scores.matched = len(pairs)
    scores.time_matched = len(pairs) if time_fields else 0
    scores.detection = PRF(len(pairs), len(pred_targets) - len(pairs), len(gold_targets) - len(pairs))
    strict_tp = 0
    for pi, gi in pairs:
        p, g = pred_targets[pi], gold_targets[gi]
        scores.pairs.append((p, g))
        right = {name for name in FIELDS if field_equal(name, p, g)}
        if time_fields:
            right.update(name for name in TIME_FIELDS if field_equal(name, p, g))
        scores.field_right.update(right)
        f1 = char_f1(p.indicator, g.indicator)
        scores.indicator_char_f1 += f1
        if {"value", "unit", "comparator", "kind", "task_id"} <= right and f1 >= 0.5:
            strict_tp += 1
    scores.strict = PRF(strict_tp, len(pred_targets) - strict_tp, len(gold_targets) - strict_tp)
    matched_p = {pi for pi, _ in pairs}
    matched_g = {gi for _, gi in pairs}
    scores.spurious = [t for i, t in enumerate(pred_targets) if i not in matched_p]
    scores.missed = [t for i, t in enumerate(gold_targets) if i not in matched_g]
    pred_tasks = {t.task_id: t for t in predicted.tasks}
    gold_tasks = {t.task_id: t for t in gold.tasks}
    scores.tasks = _set_prf(list(pred_tasks), list(gold_tasks))
    for task_id in pred_tasks.keys() & gold_tasks.keys():
        p_task, g_task = pred_tasks[task_id], gold_tasks[task_id]
        scores.lead_units.add(_set_prf(p_task.lead_units, g_task.lead_units))
        scores.cooperating_units.add(_set_prf(p_task.cooperating_units, g_task.cooperating_units))
        scores.leaders.add(_set_prf(p_task.leaders, g_task.leaders))
    return scores


def _check(path: Path, what: str, index: int, record: Any, fields: Mapping[str, Any]) -> None:
    if not isinstance(record, dict):
        raise GoldError(f"{path}: {what}[{index}]: not a JSON object")
    for name, types in fields.items():
        if name not in record:
            raise GoldError(f"{path}: {what}[{index}]: missing field {name!r}")
        if not isinstance(record[name], types) or isinstance(record[name], bool):
            raise GoldError(f"{path}: {what}[{index}]: field {name!r} has the wrong type "
                            f"({type(record[name]).__name__})")


def _check_time_fields(path: Path, index: int, target: dict[str, Any]) -> None:
    where = f"{path}: targets[{index}]"
    for name in ("year", "base_year"):
        value = target.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise GoldError(f"{where}: field {name!r} must be a year (an integer) or null")
    if not isinstance(target.get("per_year", False), bool):
        raise GoldError(f"{where}: field 'per_year' must be true or false")
    allowed = [a.value for a in Attribute]
    if target.get("attribute", "") not in allowed:
        raise GoldError(f"{where}: field 'attribute': {target['attribute']!r} is not one of "
                        f"{', '.join(repr(a) for a in allowed)}")


def has_time_fields(path: Path) -> bool:
    """Whether a (valid) gold file annotates the time fields of docs/annotation.md section 3."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return all("year" in t for t in data.get("targets", ())) and bool(data.get("targets"))


#: The longest excerpt of a text an error message quotes.
EXCERPT_LENGTH = 40


def _excerpt(text: str) -> str:
    """``text`` quoted for a one-line message: at most :data:`EXCERPT_LENGTH` characters
    (cut with …), line breaks and tabs escaped (``"一、目标\\n（一）…"``)."""
    short = text if len(text) <= EXCERPT_LENGTH else text[:EXCERPT_LENGTH - 1] + "…"
    return json.dumps(short, ensure_ascii=False)


def load_gold(path: Path, text: str | None = None) -> Document:
    """Read and validate a gold file; with ``text``, also check every offset against it.

    Raises:
        GoldError: naming the file, the record and the field at fault.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise GoldError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno} "
                        f"column {exc.colno}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("targets"), list) or not isinstance(
        data.get("tasks"), list
    ):
        raise GoldError(f"{path}: must be an object with lists 'tasks' and 'targets'")
    task_ids: set[str] = set()
    for i, task in enumerate(data["tasks"]):
        _check(path, "tasks", i, task, _TASK_FIELDS)
        for name in ("leaders", "lead_units", "cooperating_units"):
            value = task.get(name, [])
            if not isinstance(value, list) or not all(isinstance(u, str) for u in value):
                raise GoldError(f"{path}: tasks[{i}]: field {name!r} must be a list of strings")
        if task["task_id"] in task_ids:
            raise GoldError(f"{path}: tasks[{i}]: field 'task_id': {task['task_id']!r} is not unique")
        task_ids.add(task["task_id"])
    for i, target in enumerate(data["targets"]):
        _check(path, "targets", i, target, _TARGET_FIELDS)
        for name, enum in (("kind", Kind), ("comparator", Comparator), ("modality", Modality)):
            allowed = [e.value for e in enum]
            if target[name] not in allowed:
                raise GoldError(f"{path}: targets[{i}]: field {name!r}: {target[name]!r} is not one of "
                                f"{', '.join(allowed)}")
        _check_time_fields(path, i, target)
        if target["task_id"] and target["task_id"] not in task_ids:
            raise GoldError(f"{path}: targets[{i}]: field 'task_id': {target['task_id']!r} is not a task")
        if text is not None:
            start, end = target["start"], target["end"]
            if not 0 <= start <= end <= len(text):
                raise GoldError(f"{path}: targets[{i}]: field 'start'/'end': [{start}:{end}] is out of "
                                f"the text ({len(text)} characters)")
            if text[start:end] != target["text"]:
                found = text.find(target["text"]) if target["text"] else -1
                where = f" (that text is at {found})" if found >= 0 else ""
                raise GoldError(f"{path}: targets[{i}]: field 'start'/'end': text[{start}:{end}] is "
                                f"{_excerpt(text[start:end])}, not {_excerpt(target['text'])}{where}")
    for i, task in enumerate(data["tasks"]):
        if text is not None and not 0 <= task["start"] <= task["end"] <= len(text):
            raise GoldError(f"{path}: tasks[{i}]: field 'start'/'end' out of the text")
    try:
        return Document.from_dict(data)
    except (ValueError, KeyError, TypeError) as exc:
        raise GoldError(f"{path}: bad value: {exc}") from None


@dataclass
class DocumentResult:
    """One document's scores in a corpus evaluation."""

    doc_id: str
    scores: Scores
    decisions: tuple[Decision, ...] = ()

    def why(self, target: Target) -> str:
        """What the extractor decided on the quantity behind a target (a missed gold target
        or a spurious prediction): the rule that dropped it, or the readers that kept it."""
        found = [d for d in self.decisions if d.start < target.end and target.start < d.end]
        if not found:
            return "not read as a quantity"
        d = found[0]
        return f"kept by {' '.join(d.readers)}" if d.kept else f"dropped by {d.rule}"


def evaluate_corpus(
    folder: Path, extractor: Any = None, explain: bool = False
) -> tuple[list[DocumentResult], Scores]:
    """Run the extractor on every ``<doc_id>.txt`` with a ``<doc_id>.gold.json`` in ``folder``.

    Args:
        folder: the corpus folder.
        extractor: the extractor to score (the default one if ``None``).
        explain: keep every decision of the extractor on each result (``decisions``), so
            that misses and spurious targets can be put down to a rule.

    Returns:
        The per-document results (sorted by doc_id) and the micro-averaged totals.

    Raises:
        GoldError: a gold file is malformed.
        FileNotFoundError: ``folder`` does not exist.
    """
    from targetex.io import read_document
    from targetex.pipeline import default_extractor

    extractor = extractor or default_extractor()
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: not a directory")
    results = []
    total = Scores()
    for gold_path in sorted(folder.glob("*.gold.json")):
        doc_id = gold_path.name[: -len(".gold.json")]
        text_path = folder / f"{doc_id}.txt"
        if not text_path.exists():
            continue
        text = read_document(text_path)
        gold = load_gold(gold_path, text)
        predicted = extractor.extract(text, doc_id=doc_id, explain=explain)
        scores = score_document(predicted, gold, time_fields=has_time_fields(gold_path))
        results.append(DocumentResult(doc_id, scores, predicted.decisions))
        total.add(scores)
    return results, total
