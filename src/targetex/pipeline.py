"""The pipeline: normalise → structure → quantities → targets → link, as one ``Extractor``.

Each stage is a module with one job; data flows forward only.  ``Extractor`` builds the
compiled stages once and is reused across documents (it is immutable and thread-safe).
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable

from targetex.normalize import NormalizedText, normalize
from targetex.quantities import QuantityFinder
from targetex.records import Document, Target, Task
from targetex.resources import Lexicon, load
from targetex.structure import Node, Structure, UnitMention, blank_labels, parse_structure, resolve_roles
from targetex.tables import find_row_table_targets, find_table_targets
from targetex.targets import Draft, TargetAssembler

__all__ = ["Extractor", "default_extractor", "extract"]


class Extractor:
    """Extracts tasks and targets from Chinese policy documents.

    Args:
        lexicon: the linguistic data to use; defaults to the bundled ``models/``.

    Example:
        >>> from targetex import Extractor
        >>> doc = Extractor().extract("（一）地区生产总值增长7%左右", doc_id="demo")
        >>> [(t.indicator, t.value, t.comparator.value) for t in doc.targets]
        [('地区生产总值', 7.0, '~')]
    """

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or load()
        self._finder = QuantityFinder(self.lexicon)
        self._assembler = TargetAssembler(self.lexicon)

    def extract(self, text: str, doc_id: str = "") -> Document:
        """Extract the tasks and targets of one document.

        Args:
            text: the document text.  Any ``str`` is accepted; offsets of the result
                index this exact string (``text[t.start:t.end] == t.text``).
            doc_id: an identifier copied into the result.

        Returns:
            A :class:`~targetex.records.Document`; empty when the text has no targets.

        Raises:
            TypeError: ``text`` is not a ``str``.
        """
        if not isinstance(text, str):
            raise TypeError(f"extract() needs a str, not {type(text).__name__}")
        norm = normalize(text)
        structure = parse_structure(norm.text, self.lexicon)
        # Parts that review past work: their numbers are results, not targets.
        excluded = sorted((n.label_start, n.end) for n in structure.nodes if n.review)
        # Labels (一、 (七) 1.) are blanked for the target stage: a segment never starts
        # with one.  Same length, so offsets are unchanged.
        masked = blank_labels(norm.text, structure)
        # Quantities and targets are read piece by piece (pieces end at a line break), so a
        # huge document never holds all its quantity mentions at once.
        drafts: list[Draft] = []
        for start, end in _pieces(norm.text, PIECE_SIZE):
            mentions = self._finder.scan(norm.text, start, end)
            drafts.extend(self._assembler.assemble(masked, mentions, excluded))
        table_drafts = find_table_targets(norm.text, self.lexicon)
        table_drafts += find_row_table_targets(norm.text, structure.nodes, self.lexicon, self)
        if table_drafts:
            # A cell read as a table cell wins over the same number read as prose.
            covered = sorted((d.quantity.start, d.quantity.end) for d in table_drafts)
            starts = [s for s, _ in covered]

            def in_cell(pos: int) -> bool:
                i = bisect.bisect_right(starts, pos) - 1
                return i >= 0 and covered[i][0] <= pos < covered[i][1]

            drafts = [d for d in drafts if not in_cell(d.quantity.start)]
            drafts = sorted([*drafts, *table_drafts], key=lambda d: d.quantity.start)
        return _link(doc_id, norm, structure, drafts)

    def extract_many(self, texts: Iterable[tuple[str, str]]) -> Iterable[Document]:
        """Extract ``(doc_id, text)`` pairs lazily, in order."""
        for doc_id, text in texts:
            yield self.extract(text, doc_id=doc_id)


PIECE_SIZE = 200_000


def _pieces(text: str, size: int) -> list[tuple[int, int]]:
    """Spans of about ``size`` characters that end at a line break (or the text's end)."""
    spans = []
    start = 0
    while start < len(text):
        end = text.find("\n", min(len(text), start + size))
        end = len(text) if end == -1 else end + 1
        spans.append((start, end))
        start = end
    return spans or [(0, 0)]


def _innermost(nodes: list[Node], starts: list[int], pos: int) -> Node | None:
    """The innermost node whose text holds ``pos`` (nodes are in reading order, nested)."""
    i = bisect.bisect_right(starts, pos) - 1
    node = nodes[i] if i >= 0 else None
    while node is not None:
        if node.children and pos >= node.own_end:
            # Not inside any of its items (we came up from them) nor inside its own text:
            # text after an item was closed (a date line, a bracket) is no one's.
            return None
        if node.label_start <= pos < max(node.end, node.label_end):
            return node
        node = node.parent
    return None


def _is_review(node: Node) -> bool:
    return node.review or any(a.review for a in node.ancestors())


def _is_principle(node: Node) -> bool:
    return node.principle or any(a.principle for a in node.ancestors())


def _roles(node: Node, first_leads: bool, norm: NormalizedText) -> tuple[list[str], list[str], list[str]]:
    """Leaders, lead and cooperating units of a task, as written in the raw text."""
    leaders, lead, cooperating = resolve_roles(node, first_leads)

    def raw(units: list[UnitMention]) -> list[str]:
        out = []
        for u in units:
            start, end = norm.raw_span(u.start, u.end)
            out.append(norm.raw[start:end])
        return out

    return raw(leaders), raw(lead), raw(cooperating)


def _as_written(norm: NormalizedText, phrase: str, near: int) -> str:
    """``phrase`` (built from the normalised text) as the raw text writes it.

    Indicators are substrings of the normalised text around their quantity; their raw
    form keeps full-width brackets and the like (ANNOTATION.md: "as written").
    """
    if not phrase or (norm.to_raw is None and not norm.changed):
        return phrase
    best = -1
    for window in (400, 5000):  # near the quantity first (a table title may be further)
        pos = norm.text.find(phrase, max(0, near - window), near + window)
        while pos != -1:
            if best == -1 or abs(pos - near) < abs(best - near):
                best = pos
            pos = norm.text.find(phrase, pos + 1, near + window)
        if best != -1:
            break
    if best == -1:
        # A phrase the assembler put together (城镇+居民人均可支配收入, 公共厕所+投资): the
        # longest part found as written, then the rest.
        for cut in range(len(phrase) - 1, 0, -1):
            if norm.text.find(phrase[:cut], max(0, near - 400), near + 400) != -1:
                return _as_written(norm, phrase[:cut], near) + _as_written(norm, phrase[cut:], near)
        return phrase
    start, end = norm.raw_span(best, best + len(phrase))
    return norm.raw[start:end]


def _link(doc_id: str, norm: NormalizedText, structure: Structure, drafts: list[Draft]) -> Document:
    nodes = structure.nodes
    task_nodes: dict[int, Node] = {}
    owner: list[Node | None] = []
    starts = [n.label_start for n in nodes]
    for draft in drafts:
        node = _innermost(nodes, starts, draft.quantity.start)
        owner.append(node)
        if node is not None and not _is_review(node):
            task_nodes[id(node)] = node  # a heading whose own text carries targets is a task
    for node in nodes:
        if not node.children and not _is_review(node) and not _is_principle(node):
            task_nodes[id(node)] = node
    tasks: list[Task] = []
    ids: dict[int, str] = {}
    for node in nodes:
        if id(node) not in task_nodes:
            continue
        end = node.end if not node.children else node.own_end
        start, end = norm.raw_span(node.label_start, max(end, node.label_end))
        leaders, lead, cooperating = _roles(node, structure.first_leads, norm)
        ids[id(node)] = node.node_id
        tasks.append(
            Task(
                task_id=node.node_id,
                part_title=_as_written(norm, node.top.title, node.top.label_end),
                start=start,
                end=end,
                leaders=tuple(leaders),
                lead_units=tuple(lead),
                cooperating_units=tuple(cooperating),
            )
        )
    targets: list[Target] = []
    for draft, node in zip(drafts, owner, strict=True):
        q = draft.quantity
        start, end = norm.raw_span(q.start, q.end)
        task_id = ids.get(id(node), "") if node is not None else ""
        targets.append(
            Target(
                task_id=task_id,
                start=start,
                end=end,
                text=norm.raw[start:end],
                indicator=_as_written(norm, draft.indicator, q.start),
                action=_as_written(norm, draft.action, q.start),
                kind=draft.kind,
                value=q.value,
                value_max=q.value_max,
                unit=q.unit,
                classifier=q.classifier,
                comparator=draft.comparator,
                modality=draft.modality,
            )
        )
    return Document(doc_id=doc_id, tasks=tuple(tasks), targets=tuple(targets))


@functools.cache
def default_extractor() -> Extractor:
    """The shared default :class:`Extractor`, built on first use."""
    return Extractor()


def extract(text: str, doc_id: str = "") -> Document:
    """Extract tasks and targets from ``text`` with the default :class:`Extractor`.

    >>> doc = extract("新增高新技术企业70家、科技型中小企业400家")
    >>> [(t.indicator, t.action, t.value) for t in doc.targets]
    [('高新技术企业', '新增', 70.0), ('科技型中小企业', '新增', 400.0)]
    """
    return default_extractor().extract(text, doc_id=doc_id)
