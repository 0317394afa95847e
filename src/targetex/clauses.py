"""Stage: sentences and clauses, with spans.

A sentence ends at ``。！？；`` or a line break; a clause ends at a comma or colon inside
a sentence, or at a conjunction that starts a new predicate (``并``, ``同时``).  Brackets
do not split (``数字化车间(智能工厂)`` is one phrase).  Offsets are in the text given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Clause", "Sentence", "clause_offsets", "end_of_clause", "split_clauses", "split_sentences"]

SENTENCE_END = "。!?！？;；|\n"
CLAUSE_END = ",，:：|" + SENTENCE_END
_SENTENCE = re.compile(r"[^。!?！？;；|\n]+[。!?！？;；|]?")
_CLAUSE = re.compile(r"[^,，:：|。!?！？;；\n]+[,，:：|。!?！？;；]?")
_CLAUSE_END_RE = re.compile("[" + re.escape(CLAUSE_END) + "]")


def end_of_clause(text: str, start: int, limit: int, stops: re.Pattern[str] = _CLAUSE_END_RE) -> int:
    """Where the clause that goes on at ``start`` ends: the first stop character (by default
    a clause end, ``CLAUSE_END``) from ``start`` on, looked for up to ``limit``; ``limit``
    (at most the text's end) when there is none.

    >>> end_of_clause("新建学校3所，改造小区", 0, 20)
    6
    """
    limit = min(limit, len(text))
    found = stops.search(text, start, limit)
    return found.start() if found is not None else limit


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: ``text[start:end]``, end punctuation included."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause of a sentence: ``text[start:end]``, end punctuation included."""

    start: int
    end: int


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Sentence]:
    """The sentences of ``text[start:end]`` (whitespace-only pieces skipped)."""
    end = len(text) if end is None else end
    out = []
    for m in _SENTENCE.finditer(text, start, end):
        if text[m.start() : m.end()].strip():
            out.append(Sentence(m.start(), m.end()))
    return out


def split_clauses(text: str, start: int = 0, end: int | None = None) -> list[Clause]:
    """The clauses of ``text[start:end]``."""
    end = len(text) if end is None else end
    out = []
    for m in _CLAUSE.finditer(text, start, end):
        if text[m.start() : m.end()].strip():
            out.append(Clause(m.start(), m.end()))
    return out


def clause_offsets(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """Where the clauses of ``text[start:end]`` start (``split_clauses`` without the
    records, for the target stage, which reads every sentence holding a quantity)."""
    end = len(text) if end is None else end
    return [m.start() for m in _CLAUSE.finditer(text, start, end) if text[m.start() : m.end()].strip()]
