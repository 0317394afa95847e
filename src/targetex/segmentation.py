"""Segmentation as a public API: the document tree, responsibility lines, sentences,
clauses and policy-aware words, with offsets into the original text.

>>> seg = segment("一、主要目标\\n(一)地区生产总值增长7%左右\\n牵头单位:市发改局,配合单位:市统计局。")
>>> [(s.node_id, s.title) for s in seg.walk_sections()]
[('1', '主要目标'), ('1.1', '地区生产总值增长7%左右')]
>>> seg.section("1.1").lead_units
('市发改局',)
>>> [w.text for w in tokenize("新增就业1.2万人")]
['新增', '就业', '1.2', '万', '人']

``segment`` is the structure stage of ``extract`` on its own; ``tokenize`` splits words
with a private jieba ``Tokenizer`` loaded with the policy dictionary of ``models/``, and
splits quantity expressions as number | multiplier | unit so that ``1.2万人`` never stays
one token.  The global ``jieba`` module is never touched.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from targetex.articles import mark_articles
from targetex.clauses import split_clauses, split_sentences
from targetex.layout import rebuild
from targetex.link import is_structural_task, raw_text, resolved_roles, task_span, title_as_written
from targetex.normalize import NormalizedText, normalize
from targetex.numerals import MAGNITUDES, grammar
from targetex.resources import Lexicon, load
from targetex.structure import Node, blank_labels, parse_structure, prefix_annexes

__all__ = [
    "Clause",
    "Responsibility",
    "ResponsibleUnit",
    "Section",
    "Segmentation",
    "Sentence",
    "Word",
    "segment",
    "tokenize",
]


@dataclass(frozen=True, slots=True)
class Word:
    """A word (token) with its offsets in the original text."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """``{"text", "start", "end"}``."""
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class ResponsibleUnit:
    """A unit or leader named in a responsibility line.

    ``role`` is ``leaders``, ``lead``, ``cooperating`` or ``responsible`` as written (the
    resolved roles of a task are on :class:`Section`).
    """

    name: str
    start: int
    end: int
    role: str

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form."""
        return {"name": self.name, "start": self.start, "end": self.end, "role": self.role}


@dataclass(frozen=True, slots=True)
class Responsibility:
    """A responsibility line or bracket (``牵头单位:…,配合单位:…``) and its units."""

    start: int
    end: int
    text: str
    units: tuple[ResponsibleUnit, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form."""
        return {"start": self.start, "end": self.end, "text": self.text,
                "units": [u.to_dict() for u in self.units]}


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause: a piece of a sentence between commas or colons."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form."""
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (ends at ``。；！？`` or a line break) and its clauses."""

    start: int
    end: int
    text: str
    clauses: tuple[Clause, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form."""
        return {"start": self.start, "end": self.end, "text": self.text,
                "clauses": [c.to_dict() for c in self.clauses]}


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered heading or item of the document tree.

    Attributes:
        node_id: dotted path of the numbering labels (``"2.9"``), the task id it would have.
        label: the label as written (``"(九)"``).
        style: the numbering style (``cn_comma`` 一、, ``cn_paren`` (一), ``arabic_dot`` 1.,
            ``arabic_paren`` (1), ``circled`` ①, ``article`` 第一条, ``row``, ``annex``...).
        title: the heading's text up to its first sentence end, label stripped.
        start: offset of the label.
        end: offset after the section, children and responsibility lines included.
        task_end: offset after the section's own text and responsibility lines (children
            excluded): ``[start, task_end)`` is the span of the task it makes.
        structural_task: a leaf item that is not in a part that reviews past work or only
            states principles (``extract`` also makes a task of a heading whose own text
            carries targets).
        responsibility: its responsibility lines.
        leaders, lead_units, cooperating_units: the roles resolved as docs/annotation.md section 1
            says (a list of its heading applies when it has none of its own).
        children: its sub-sections.
    """

    node_id: str
    label: str
    style: str
    title: str
    start: int
    end: int
    task_end: int
    structural_task: bool
    responsibility: tuple[Responsibility, ...]
    leaders: tuple[str, ...]
    lead_units: tuple[str, ...]
    cooperating_units: tuple[str, ...]
    children: tuple[Section, ...] = field(default=())

    def walk(self) -> Iterator[Section]:
        """This section and all its descendants, in reading order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form (children nested)."""
        return {
            "node_id": self.node_id, "label": self.label, "style": self.style, "title": self.title,
            "start": self.start, "end": self.end, "task_end": self.task_end,
            "structural_task": self.structural_task,
            "leaders": list(self.leaders), "lead_units": list(self.lead_units),
            "cooperating_units": list(self.cooperating_units),
            "responsibility": [r.to_dict() for r in self.responsibility],
            "children": [c.to_dict() for c in self.children],
        }


@dataclass(frozen=True)
class Segmentation:
    """The segmentation of one text: tree, sentences and clauses (words on demand).

    Attributes:
        text: the text segmented (offsets index it).
        sections: the top-level sections, in reading order.
        sentences: every sentence, in reading order, with its clauses.
    """

    text: str
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]

    def walk_sections(self) -> Iterator[Section]:
        """Every section of the tree, in reading order."""
        for section in self.sections:
            yield from section.walk()

    def section(self, node_id: str) -> Section | None:
        """The section with this dotted id, or ``None``; where two sections share an id (a
        review's items and an annex's, both numbered 1.1), the one that may be a task."""
        found = [s for s in self.walk_sections() if s.node_id == node_id]
        return next((s for s in found if s.structural_task), found[0] if found else None)

    def walk(self) -> Iterator[Section | Responsibility | Sentence | Clause]:
        """Everything in reading order: sections, their responsibility lines, sentences
        and their clauses, each item before those it contains."""
        items: list[tuple[int, int, Section | Responsibility | Sentence | Clause]] = []
        for section in self.walk_sections():
            items.append((section.start, 0, section))
            items.extend((r.start, 1, r) for r in section.responsibility)
        for sentence in self.sentences:
            items.append((sentence.start, 2, sentence))
            items.extend((c.start, 3, c) for c in sentence.clauses)
        for _, _, item in sorted(items, key=lambda x: (x[0], x[1])):
            yield item

    @functools.cached_property
    def words(self) -> tuple[Word, ...]:
        """The words of the text (see :func:`tokenize`)."""
        return tuple(tokenize(self.text))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form: sections (nested) and sentences (with clauses)."""
        return {"sections": [s.to_dict() for s in self.sections],
                "sentences": [s.to_dict() for s in self.sentences]}


def _raw(norm: NormalizedText, start: int, end: int) -> tuple[int, int, str]:
    return raw_text(norm, start, end)


def segment(text: str, lexicon: Lexicon | None = None) -> Segmentation:
    """Segment a document: its tree of numbered sections with responsibility lines,
    its sentences and clauses.  Offsets index ``text``.

    Args:
        text: the document.
        lexicon: the linguistic data (defaults to the bundled ``models/``).

    Raises:
        TypeError: ``text`` is not a ``str``.
    """
    if not isinstance(text, str):
        raise TypeError(f"segment() needs a str, not {type(text).__name__}")
    lexicon = lexicon or load()
    norm = rebuild(normalize(text), lexicon)
    structure = parse_structure(norm.text, lexicon)
    mark_articles(norm.text, structure, lexicon.article_rules)  # (as extract reads them)
    # (the A prefix of annex ids, decided on the structural tasks: no targets are read here)
    prefix_annexes([n for n in structure.nodes if is_structural_task(n)])

    def build(node: Node) -> Section:
        leaders, lead, cooperating = resolved_roles(norm, node, structure.first_leads)
        label_start, _, label = _raw(norm, node.label_start, node.label_end)
        _, end, _ = _raw(norm, node.label_start, max(node.end, node.label_end))
        _, task_end, _ = _raw(norm, *task_span(node))
        responsibility = tuple(
            Responsibility(*_raw(norm, line.start, line.end),
                           units=tuple(ResponsibleUnit(_raw(norm, u.start, u.end)[2],
                                                       *_raw(norm, u.start, u.end)[:2], u.role)
                                       for u in line.units))
            for line in node.responsibility
        )
        return Section(
            node_id=node.node_id,
            label=label.strip(),
            style=node.style,
            title=title_as_written(norm, node),
            start=label_start,
            end=end,
            task_end=task_end,
            structural_task=is_structural_task(node),
            responsibility=responsibility,
            leaders=tuple(leaders),
            lead_units=tuple(lead),
            cooperating_units=tuple(cooperating),
            children=tuple(build(child) for child in node.children),
        )

    sections = tuple(build(root) for root in structure.roots)
    # Sentences and clauses never start with a numbering label: labels are blanked
    # (same length, so offsets hold) and pieces are trimmed.
    blanked = blank_labels(norm.text, structure)
    sentences = []
    for s in split_sentences(blanked):
        clauses = tuple(Clause(*_raw(norm, *_trim(blanked, c.start, c.end)))
                        for c in split_clauses(blanked, s.start, s.end))
        sentences.append(Sentence(*_raw(norm, *_trim(blanked, s.start, s.end)), clauses=clauses))
    return Segmentation(text=text, sections=sections, sentences=tuple(sentences))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# ----------------------------------------------------------------------------- words
@functools.cache
def _user_tokenizer(user_dict: str) -> Any:
    """A private tokenizer with the policy dictionary plus the user's (one per path)."""
    from targetex.words import new_tokenizer

    return new_tokenizer(user_dict)


@functools.cache
def _piece_regex() -> re.Pattern[str]:
    lexicon = load()
    words = sorted([*lexicon.units, *lexicon.classifiers], key=len, reverse=True)
    units = "|".join(re.escape(u) for u in words)
    big = "|".join(re.escape(m) for m in sorted(MAGNITUDES, key=len, reverse=True) if len(m) > 1)
    g = grammar()
    per = "[" + re.escape("".join(g.per)) + "]" + re.escape(g.fraction)  # 百分之, 千分之, 万分之
    magnitude = re.escape("".join([*g.units, *g.sections]))
    numeral = re.escape("".join([*g.digits, *g.some, *g.units, *g.sections, *g.point]))
    return re.compile(rf"\d+(?:[.,]\d+)*|{big}|{per}|{units}|[{magnitude}]|[{numeral}]+|.", re.S)


def _quantity_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a quantity mention as number | multiplier | unit (1.2万人, 25亿元, 2.8万人次)."""
    return [m.span() for m in _piece_regex().finditer(text, start, end)]


def tokenize(text: str, user_dict: str | Path | None = None) -> list[Word]:
    """Words of ``text`` with offsets, from a private jieba tokenizer with the policy
    dictionary of ``models/`` (responsible units, indicator terms, units and measure words).

    Quantity mentions are split as number | multiplier | unit (``1.2`` ``万`` ``人``), and
    the units named in responsibility lines stay whole (``市自然资源规划局``), whatever
    jieba's own dictionary says.

    Args:
        text: any text.
        user_dict: a jieba user dictionary file (``word freq tag`` per line) to add, for
            this call and later ones with the same path; the global ``jieba`` is untouched.

    Returns:
        Words covering every non-space character, in order; ``text[w.start:w.end] == w.text``.
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize() needs a str, not {type(text).__name__}")
    if not text:
        return []
    from targetex.quantities import finder
    from targetex.words import tokenizer

    tok = _user_tokenizer(str(Path(user_dict).resolve())) if user_dict is not None else tokenizer()
    lexicon = load()
    norm = rebuild(normalize(text), lexicon)
    protected: list[tuple[int, int, list[tuple[int, int]]]] = []
    for mention in finder().scan(norm.text):
        q = mention.quantity
        protected.append((q.start, q.end, _quantity_pieces(norm.text, q.start, q.end)))
    structure = parse_structure(norm.text, lexicon)
    for node in structure.nodes:
        for line in node.responsibility:
            for unit in line.units:
                protected.append((unit.start, unit.end, [(unit.start, unit.end)]))
    protected.sort()
    spans: list[tuple[int, int]] = []
    pos = 0
    for start, end, pieces in protected:
        if start < pos:
            continue  # overlapping: the earlier one wins
        spans.extend(_jieba_spans(tok, norm.text, pos, start))
        spans.extend(pieces)
        pos = end
    spans.extend(_jieba_spans(tok, norm.text, pos, len(norm.text)))
    words = []
    for start, end in spans:
        if norm.text[start:end].strip():
            raw_start, raw_end = norm.raw_span(start, end)
            words.append(Word(norm.raw[raw_start:raw_end], raw_start, raw_end))
    return words


def _jieba_spans(tok: Any, text: str, start: int, end: int) -> list[tuple[int, int]]:
    if start >= end:
        return []
    return [(start + s, start + e) for _, s, e in tok.tokenize(text[start:end], HMM=True)]
