"""The pipeline: normalise → structure → quantities → targets (and tables) → time → link → notes.

Each stage is a module with one job; data flows forward only.  ``Extractor`` builds the
compiled stages once and is reused across documents (it is immutable and thread-safe).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
from collections.abc import Iterable

from targetex.articles import mark_articles, terms_spans
from targetex.cell_subjects import fill_cell_subjects
from targetex.drafts import Draft, MentionOutcome
from targetex.layout import rebuild
from targetex.link import link
from targetex.money_cells import money_cells
from targetex.normalize import normalize
from targetex.notes import document_notes
from targetex.quantities import QuantityFinder
from targetex.records import Document
from targetex.resources import Lexicon, load
from targetex.structure import blank_labels, parse_structure, review_spans
from targetex.tables import table_targets
from targetex.targets import TargetAssembler
from targetex.timeframe import Timeframe

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
        self._timeframe = Timeframe(self.lexicon)

    def extract(self, text: str, doc_id: str = "", explain: bool = False) -> Document:
        """Extract the tasks and targets of one document.

        Args:
            text: the document text.  Any ``str`` is accepted; offsets of the result
                index this exact string (``text[t.start:t.end] == t.text``).
            doc_id: an identifier copied into the result.
            explain: also give the decision on every quantity mention
                (``Document.decisions``, ``Document.explain()``): kept as a target, with
                the readers that set its fields, or dropped, with the rule that dropped it.

        Returns:
            A :class:`~targetex.records.Document`; empty when the text has no targets.

        Raises:
            TypeError: ``text`` is not a ``str``.

        >>> doc = Extractor().extract("补贴比例30%，新增企业20家。", explain=True)
        >>> [(d.text, d.kept, d.rule) for d in doc.decisions]
        [('30%', False, 'support_parameter'), ('20家', True, '')]
        """
        if not isinstance(text, str):
            raise TypeError(f"extract() needs a str, not {type(text).__name__}")
        norm = rebuild(normalize(text), self.lexicon)
        structure = parse_structure(norm.text, self.lexicon)
        # A rules document's articles that set terms, not work, are no tasks.
        mark_articles(norm.text, structure, self.lexicon.article_rules)
        terms = terms_spans(structure)  # (their money and rates are parameters)
        # Parts that review past work: their numbers are results, not targets.
        excluded = review_spans(structure, len(norm.text))
        # Labels (一、 (七) 1.) are blanked for the target stage: a segment never starts
        # with one.  Same length, so offsets are unchanged.
        masked = blank_labels(norm.text, structure)
        # The document's own year (title, date): a sentence about an earlier year reports.
        timing = self._timeframe.document(norm.text, structure)
        present_year = timing.present_year
        outcomes: list[MentionOutcome] | None = [] if explain else None
        # Quantities and targets are read piece by piece (pieces end at a line break), so a
        # huge document never holds all its quantity mentions at once.
        drafts: list[Draft] = []
        for start, end in _pieces(norm.text, PIECE_SIZE):
            mentions = self._finder.scan(masked, start, end)
            drafts.extend(self._assembler.assemble(masked, mentions, excluded, outcomes, terms, present_year))
        table_drafts = table_targets(norm.text, self.lexicon, self._read_sentence, structure.indicator_tables)
        table_drafts += money_cells(norm.text, structure, self.lexicon)  # (总投资（万元） columns)
        if table_drafts:
            drafts, outcomes = _prefer_table_cells(drafts, table_drafts, outcomes)
        # A goal cell that names no thing (建成2个) takes its row's task cell.
        drafts = fill_cell_subjects(norm.text, structure, drafts, self.lexicon, self._assembler.readers)
        if outcomes is not None:
            outcomes = _with_readers(outcomes, drafts)
        drafts, outcomes = self._timeframe.apply(norm.text, structure, drafts, outcomes, timing)
        document = link(doc_id, norm, structure, drafts, outcomes)
        notes = document_notes(norm.text, structure, document, self.lexicon)
        return dataclasses.replace(document, notes=notes) if notes else document

    def _read_sentence(self, sentence: str) -> list[Draft]:
        """The target drafts of one sentence read as prose (a table row written out as
        the sentence it stands for); offsets index ``sentence``."""
        norm = rebuild(normalize(sentence), self.lexicon)
        structure = parse_structure(norm.text, self.lexicon)
        excluded = review_spans(structure, len(norm.text))
        masked = blank_labels(norm.text, structure)
        return self._assembler.assemble(masked, self._finder.scan(masked), excluded)

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


def _prefer_table_cells(
    drafts: list[Draft], table_drafts: list[Draft], outcomes: list[MentionOutcome] | None
) -> tuple[list[Draft], list[MentionOutcome] | None]:
    """A cell read as a table cell wins over the same number read as prose."""
    covered = sorted((d.quantity.start, d.quantity.end) for d in table_drafts)
    starts = [s for s, _ in covered]

    def in_cell(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and covered[i][0] <= pos < covered[i][1]

    drafts = [d for d in drafts if not in_cell(d.quantity.start)]
    drafts = sorted([*drafts, *table_drafts], key=lambda d: d.quantity.start)
    if outcomes is not None:
        outcomes = [o for o in outcomes if not in_cell(o.quantity.start)]
        outcomes += [MentionOutcome(d.quantity, True, readers=d.readers) for d in table_drafts]
        outcomes.sort(key=lambda o: o.quantity.start)
    return drafts, outcomes


def _with_readers(outcomes: list[MentionOutcome], drafts: list[Draft]) -> list[MentionOutcome]:
    """The kept outcomes with the readers of their drafts as they now stand."""
    readers = {d.quantity.start: d.readers for d in drafts}
    return [dataclasses.replace(o, readers=readers[o.quantity.start])
            if o.kept and readers.get(o.quantity.start, o.readers) != o.readers else o for o in outcomes]


@functools.cache
def default_extractor() -> Extractor:
    """The shared default :class:`Extractor`, built on first use."""
    return Extractor()


def extract(text: str, doc_id: str = "", explain: bool = False) -> Document:
    """Extract tasks and targets from ``text`` with the default :class:`Extractor` (see
    :meth:`Extractor.extract` for ``explain``).

    >>> doc = extract("新增高新技术企业70家、科技型中小企业400家")
    >>> [(t.indicator, t.action, t.value) for t in doc.targets]
    [('高新技术企业', '新增', 70.0), ('科技型中小企业', '新增', 400.0)]
    """
    return default_extractor().extract(text, doc_id=doc_id, explain=explain)
