"""Stage 2: document structure — numbered headings and items, and responsibility lines.

A document is a tree of numbered labels (``一、`` ``(一)`` ``1.`` ``(1)`` ``①`` ``第一条``).
Labels are recognised at the start of a line and accepted only when they continue a
numbering sequence, so a line that happens to start with ``3.`` inside prose does not open
an item.  Responsibility lines (``牵头单位:…,配合单位:…``, ``(X牵头,Y配合)``) are parsed
into unit lists and attached to the item they follow.  Offsets are in the normalised text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace

from targetex.columns import RESPONSIBILITY_ROLES, VALUE_ROLES, cell_typer, column_roles, header_role
from targetex.numbering import (
    LOOKAHEAD,
    MIN_TITLE,
    Candidate,
    Outline,
    Placement,
    listed_annexes,
    match_label,
)
from targetex.resources import Lexicon
from targetex.table_rows import IndicatorTable, find_indicator_tables
from targetex.words import word_classes

__all__ = ["Node", "ResponsibilityLine", "UnitMention", "parse_structure", "prefix_annexes"]

_OPEN = "([["
_CLOSE = ")]]"
_OPENING = re.compile(r"[(\[]")
_BRACKET = re.compile(r"[()\[\]]")
_NOTICE_REACH = 3000
_NO_ROWS = frozenset({"row"})  # how far from the start a covering notice's title may be
_LIST_SEPARATORS = re.compile(r"[、,，;；]")
_CELL_SEPARATORS = re.compile(r"[、,，]")
_LINE_END_PUNCT = "。;；,，:："
_SENTENCE_END = "。;；"
_LEADING_REACH = 70  # how far into an item its opening units and role word may run
_FULL_ROW = 3  # cells a row has before its number, written again, starts another row
_FIRST_CLAUSE = re.compile(r"[^,，:：]*")


@dataclass(frozen=True, slots=True)
class UnitMention:
    """One responsible unit or leader as written, with its span and role.

    ``role`` is ``leaders``, ``lead``, ``cooperating`` or ``responsible``; ``marked_lead``
    is set when the unit carries a ``(牵头)`` mark.
    """

    name: str
    start: int
    end: int
    role: str
    marked_lead: bool = False


@dataclass(frozen=True, slots=True)
class ResponsibilityLine:
    """A responsibility line or bracket: who leads and who cooperates on an item."""

    start: int
    end: int
    units: tuple[UnitMention, ...]
    own_line: bool = False  # a line of its own after the item's text (not a bracket in it)


@dataclass(slots=True)
class Node:
    """A numbered heading or item while the tree is built (mutable; frozen on export)."""

    style: str
    rank: int
    number: int
    label_start: int
    label_end: int
    parent: Node | None
    title: str = ""
    end: int = 0  # end of the node's own text and its responsibility lines
    own_end: int = 0  # end of the text before the first child
    children: list[Node] = field(default_factory=list)
    responsibility: list[ResponsibilityLine] = field(default_factory=list)
    closed: bool = False  # its responsibility was read: later prose is not in its span
    ended: bool = False  # a closer or another topic followed: later prose is not its own
    reach: int = 0  # end of the text it owns (prose after its responsibility, a box)
    principle: bool = False  # states guiding ideas only: a task only if it carries targets
    review: bool = False  # reviews past work: never a task, its numbers are not targets
    preamble: bool = False  # frames the document: a task only if it carries targets
    conditions: bool = False  # its numbered entries are conditions of it, not items
    title_end: int = 0  # end of the label's line: text after it is the node's body
    cell_roles: list[str | None] = field(default_factory=list)  # column roles of its table
    cell_headers: list[str] = field(default_factory=list)  # header cells of its table
    cells: list[tuple[int, int]] = field(default_factory=list)  # table cells after the label
    table: str = ""  # "cells" (one cell per line) or "pipe" (cells split by |)
    id_prefix: str = ""  # of an annex whose ids would repeat the body's ("A": A1.3)
    no_work: str = ""  # the rule that says an article of a rules document carries no work

    @property
    def path(self) -> tuple[int, ...]:
        numbers: list[int] = []
        node: Node | None = self
        while node is not None:
            numbers.append(node.number)
            node = node.parent
        return tuple(reversed(numbers))

    @property
    def node_id(self) -> str:
        return self.top.id_prefix + ".".join(str(n) for n in self.path)

    @property
    def top(self) -> Node:
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    def ancestors(self) -> list[Node]:
        out = []
        node = self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return out


def _strip_span(text: str, start: int, end: int, chars: str = " \n") -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def _split_outside_brackets(text: str, start: int, end: int, separators: str) -> list[tuple[int, int]]:
    """The spans of ``text[start:end]`` between the separators that stand outside brackets
    (``市委组织部(市人才办)、市人社局``: the alias in brackets stays with its unit)."""
    pieces: list[tuple[int, int]] = []
    piece_start = start
    depth = 0
    for i in range(start, end):
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in separators and depth == 0:
            pieces.append((piece_start, i))
            piece_start = i + 1
    pieces.append((piece_start, end))
    return pieces


class _UnitSplitter:
    """Splits a unit list on its separators, keeping bracketed aliases whole."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.separators = lexicon.unit_separators
        self.etc = lexicon.etc_word
        self.lead_marks = tuple(sorted(lexicon.lead_marks, key=len, reverse=True))
        self.remarks = (*lexicon.first_leads, *lexicon.remarks)
        self._remark = re.compile("|".join(re.escape(r) for r in self.remarks))
        self._separator = re.compile("[" + re.escape(self.separators) + "]")

    def split(self, text: str, start: int, end: int, role: str) -> list[UnitMention]:
        if _BRACKET.search(text, start, end) is None:  # (most lists: no alias in brackets)
            pieces: list[tuple[int, int]] = []
            piece_start = start
            for m in self._separator.finditer(text, start, end):
                pieces.append((piece_start, m.start()))
                piece_start = m.end()
            pieces.append((piece_start, end))
        else:
            pieces = _split_outside_brackets(text, start, end, self.separators)
        units: list[UnitMention] = []
        for s, e in pieces:
            s, e = _strip_span(text, s, e, " \n。.")
            if s >= e or (self._remark.search(text, s, e) and not text.endswith(")", s, e)):
                continue
            # "市税务局(列第一位者为牵头单位,下同)": a bracket that opens with a remark is not
            # part of the name; one that says more first (各市政府(含定州、辛集市,下同)) is.
            if text.endswith(")", s, e):
                open_at = text.rfind("(", s, e)
                if open_at > s and self._remark.match(text, open_at + 1, e):
                    s, e = _strip_span(text, s, open_at, " \n")
            if e - s < 2:
                continue  # one character is never a unit (an excerpt cut in a name)
            marked = False
            for mark in self.lead_marks:
                if text.endswith(mark, s, e) and e - len(mark) > s:
                    e -= len(mark)
                    marked = True
                    break
            # "X等市级有关部门": X and the collective 市级有关部门; a trailing 等 is dropped.
            cut = text.find(self.etc, s, e)
            if cut > s and not _inside_brackets(text, s, cut):
                units.append(UnitMention(text[s:cut], s, cut, role, marked))
                s = cut + len(self.etc)
                if s >= e:
                    continue
            s, e = _strip_span(text, s, e, " \n。.")
            if s < e:
                units.append(UnitMention(text[s:e], s, e, role, marked))
        return units


def _inside_brackets(text: str, start: int, pos: int) -> bool:
    depth = 0
    for ch in text[start:pos]:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
    return depth > 0


class ResponsibilityParser:
    """Finds and parses responsibility lines and brackets."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.keys = lexicon.responsibility_keys
        self.role_suffixes = lexicon.role_suffixes
        key_alt = "|".join(re.escape(k.word) for k in self.keys)
        self._key = re.compile(rf"({key_alt})\s*[:：]")
        self._line = re.compile(rf"[ ]*[(\[]?\s*({key_alt})\s*[:：]")
        self._role_of = {k.word: k.role for k in self.keys}
        suffix_alt = "|".join(re.escape(k.word) for k in self.role_suffixes)
        # (X、Y等负责) / (X牵头,Y配合): a bracket that only names units and their roles.
        self._bracket = re.compile(rf"[(\[]([^()\[\]\n]{{2,200}}?(?:{suffix_alt})[^()\[\]\n]{{0,40}})[)\]]")
        self._suffix_re = re.compile(rf"(?:{suffix_alt})$")
        self._suffix_any = re.compile(suffix_alt)
        self._leading = re.compile(rf"[ ]*([^,，。;；:：()\[\]\n]{{2,60}}?)({suffix_alt})[,，]")
        self.splitter = _UnitSplitter(lexicon)
        self.lead_with = lexicon.lead_with
        self.unit_suffixes = lexicon.unit_suffixes

    def line_at(self, text: str, start: int, end: int) -> ResponsibilityLine | None:
        """Parse the line ``text[start:end]`` if it is a responsibility line."""
        if not self._line.match(text, start, end):
            return None
        return self._parse_keyed(text, start, end)

    def inline(self, text: str, start: int, end: int) -> list[ResponsibilityLine]:
        """Responsibility brackets inside a line of item text (``(牵头单位:…)``)."""
        found: list[ResponsibilityLine] = []
        for m in _OPENING.finditer(text, start, end):
            open_at = m.start()
            close_at = _matching_close(text, open_at, end)
            if close_at is None:
                continue
            inner_start = open_at + 1
            if self._key.match(text, inner_start, close_at) or self._key.match(
                text, inner_start + _leading_spaces(text, inner_start, close_at), close_at
            ):
                line = self._parse_keyed(text, inner_start, close_at)
                if line is not None:
                    found.append(ResponsibilityLine(open_at, close_at + 1, line.units))
                continue
            at_end = close_at + 1 >= _content_end(text, close_at + 1, end)
            # A bracket that is a sentence of its own (…消费体验。（X、Y按职责分工负责）推动…)
            # names who does the sentence before it, wherever the line goes on.
            own_sentence = open_at > start and text[open_at - 1] in "。;；"
            bm = self._bracket.fullmatch(text, open_at, close_at + 1)
            if bm is not None and (at_end or own_sentence):
                units = self._parse_roles(text, inner_start, close_at, default_role=None)
                if units:
                    found.append(ResponsibilityLine(open_at, close_at + 1, tuple(units)))
            elif (at_end and open_at > start and text[open_at - 1] in "。；;.!！?？"
                  and self._only_units(text, inner_start, close_at)):
                # (after a sentence end only: 市公安局(交警支队) is one unit with its alias)
                units = self._parse_roles(text, inner_start, close_at, default_role="responsible")
                if units:
                    found.append(ResponsibilityLine(open_at, close_at + 1, tuple(units)))
        return found

    def leading(self, text: str, start: int, end: int) -> ResponsibilityLine | None:
        """An item whose text opens by naming who does it (（一）省财政厅牵头，认真研究…):
        the units before a role word that ends the first clause, when they are all unit
        names."""
        reach = min(end, start + _LEADING_REACH)
        if self._suffix_any.search(text, start, reach) is None:
            return None  # (a quick test: most items do not open with their units)
        m = self._leading.match(text, start, end)
        if m is None or not self._only_units(text, m.start(1), m.end(1)):
            return None
        units = self._parse_roles(text, m.start(1), m.end(2), default_role=None)
        return ResponsibilityLine(m.start(1), m.end(2), tuple(units)) if units else None

    def _only_units(self, text: str, start: int, end: int) -> bool:
        """The bracket content is a list of unit names and nothing else."""
        content = text[start:end]
        if not content or any(ch.isdigit() for ch in content) or "。" in content:
            return False
        pieces = [p.strip() for p in _LIST_SEPARATORS.split(content) if p.strip()]
        return bool(pieces) and all(
            len(p) <= 20 and p.endswith(self.unit_suffixes) for p in pieces
        )

    def _parse_keyed(self, text: str, start: int, end: int) -> ResponsibilityLine | None:
        keys = list(self._key.finditer(text, start, end))
        if not keys:
            return None
        units: list[UnitMention] = []
        for i, key in enumerate(keys):
            value_start = key.end()
            value_end = keys[i + 1].start() if i + 1 < len(keys) else end
            role = self._role_of[key.group(1)]
            units.extend(self._parse_roles(text, value_start, value_end, default_role=role))
        s, e = _strip_span(text, start, end)
        if s < e and text[s] in "[(":
            pass
        return ResponsibilityLine(s, e, tuple(units))

    def _parse_roles(
        self, text: str, start: int, end: int, default_role: str | None
    ) -> list[UnitMention]:
        """A value that may itself say roles: ``省发展改革委牵头,各地、各部门配合``."""
        start, end = _strip_span(text, start, end, " \n,，;；。")
        clauses = _split_outside_brackets(text, start, end, ",，;；。")
        roles: list[tuple[int, int, str | None]] = []
        for s, e in clauses:
            s, e = _strip_span(text, s, e, " \n")
            m = self._suffix_re.search(text, s, e)
            if m is not None and m.start() > s:
                word = m.group(0)
                role = next(k.role for k in self.role_suffixes if k.word == word)
                roles.append((s, m.start(), role))
            else:
                roles.append((s, e, None))
        if default_role is None and not any(r for _, _, r in roles):
            return []
        # Without a role word a clause continues the key's list (Cixi: "…部门,各镇(街道)").
        units: list[UnitMention] = []
        for s, e, clause_role in roles:
            role = clause_role or default_role or "responsible"
            cut = next((text.find(w, s, e) for w in self.lead_with if text.find(w, s, e) > s), -1)
            if cut > s:
                # "X、Y会同Z": X and Y lead, Z (and the rest of the list) cooperate.
                word = next(w for w in self.lead_with if text.startswith(w, cut))
                units.extend(self.splitter.split(text, s, cut, "lead"))
                units.extend(self.splitter.split(text, cut + len(word), e, "cooperating"))
                default_role = "cooperating"
                continue
            units.extend(self.splitter.split(text, s, e, role))
        return units


def _leading_spaces(text: str, start: int, end: int) -> int:
    n = 0
    while start + n < end and text[start + n] == " ":
        n += 1
    return n


def _matching_close(text: str, open_at: int, end: int) -> int | None:
    depth = 0
    for i in range(open_at, end):
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth == 0:
                return i
    return None


def _content_end(text: str, start: int, end: int) -> int:
    """Offset after the last character of ``text[start:end]`` that is not punctuation."""
    e = end
    while e > start and text[e - 1] in " \n。;；,，.":
        e -= 1
    return e


@dataclass
class Structure:
    """The parsed tree: top-level nodes in order, all nodes in reading order."""

    roots: list[Node]
    nodes: list[Node]
    first_leads: bool
    # Every label read, also those of a list that numbering started again after (the
    # covering notice's own 一、二、 before the attachment's): not tasks, but labels.
    all_nodes: list[Node] = field(default_factory=list)
    # The lists read, each started again at 一/1 (a covering notice's own paragraphs left
    # out): several documents issued together, or one pasted twice.
    blocks: list[list[Node]] = field(default_factory=list)
    # The tables of indicators of the text (targetex.table_rows), read once for the tree
    # and for the table stage.
    indicator_tables: list[IndicatorTable] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _PlannedCell:
    """A cell of a table of indicators whose rows are tasks without a written number: a
    header cell (``row`` 0), or a cell of row ``row`` (``first``: the row starts there)."""

    row: int
    first: bool
    table: IndicatorTable


def _planned_cells(tables: list[IndicatorTable]) -> dict[int, _PlannedCell]:
    """The cells, by start, of the tables of indicators that have a responsibility column
    and no 序号 column: their rows assign work as the numbered rows of a task table do,
    so each row is a task numbered as a 序号 column would number it (tables with a 序号
    column are read by their row numbers)."""
    planned: dict[int, _PlannedCell] = {}
    for table in tables:
        roles = {column.role for column in table.columns}
        if "serial" in roles or not roles & RESPONSIBILITY_ROLES:
            continue
        for cell in table.header:
            planned[cell.start] = _PlannedCell(0, False, table)
        for number, row in enumerate(table.rows, start=1):
            for k, (_, cell) in enumerate(row.cells):
                planned[cell.start] = _PlannedCell(number, k == 0, table)
    return planned


class _Builder:
    def __init__(self, lexicon: Lexicon, text: str) -> None:
        self.lexicon = lexicon
        self.text = text
        self.resp = ResponsibilityParser(lexicon)
        self.stack: list[Node] = []
        self.nodes: list[Node] = []
        self.outline = Outline(lexicon.labels)
        self._typer = cell_typer(lexicon)
        self._cell_lists = frozenset(s.style for s in lexicon.labels
                                     if s.style not in lexicon.layout.heading_styles and s.style != "row")
        self.line_spans: list[tuple[int, int]] = []
        self.line_index = 0
        self._line_labels: dict[int, Candidate | None] = {}
        self.blocks: list[list[Node]] = [[]]
        self.blank_run = 0
        # Tables flattened to text: the roles of their columns once a header is seen.
        self.header_cells: list[str] | None = None
        self.cell_roles: list[str | None] | None = None
        self.table_headers: list[str] = []
        self.pipe_roles: list[str | None] | None = None
        self.pending_title: Node | None = None
        self.notice_closed = False  # a covering notice with numbered paragraphs has ended
        self.notice_done = False  # the first closer was read
        self.notice_blocks: set[int] = set()  # blocks of a covering notice's own paragraphs
        self.issued_blocks: set[int] = set()  # blocks started after the first closer
        self.first_closer = len(text)  # where the first closer was read
        # Reading the list of attachments after 附件： (rank and number of its last label).
        self.attachment_list: tuple[int | None, int] | None = None
        self.after_responsibility = False  # the last line read was a responsibility line
        self.rows_seen = False  # a table's rows (bare numbers) have been read
        # The rank of the heading the table stands under, when that heading comes before the
        # table's header (not a category row inside the table): a heading of that rank or
        # above ends the table.
        self.rows_parent_rank = -1
        self.header_at = -1  # where the last table header started
        self.box: Node | None = None  # the item a box (专栏) was printed after, while in it
        # Attachments named in a list (附件：1.X 2.Y) whose text starts with the title alone.
        self.listed = {a.start: a for a in listed_annexes(lexicon, text)}
        self.annex_rank = next(s.rank for s in lexicon.labels if s.style == "annex")
        self.row_rank = next(s.rank for s in lexicon.labels if s.style == "row")
        # Tables of indicators; the cells of those whose rows are tasks without a number.
        self.indicator_tables = find_indicator_tables(text, lexicon)
        self.planned = _planned_cells(self.indicator_tables)
        self.table_end = 0  # the end of the table whose unnumbered rows are being read
        self.row_base = 0  # the number its rows are numbered on from

    def _column_role(self, cell: str) -> str | None:
        """The responsibility role of a table column from its header (targetex.columns:
        牵头单位 lead, 责任单位 responsible; 牵头考核单位 assesses, it is not responsible)."""
        role, _ = header_role(cell, self.lexicon)
        return role if role in RESPONSIBILITY_ROLES else None

    def _match_label(self, start: int, end: int) -> Candidate | None:
        # A bare number is a row label only inside a table (after its header); inside a
        # row's cells, a list label (1. (1) ①) enumerates the cell's text, only headings
        # (categories of rows: 一、 (一)) and annexes are labels.
        if self.cell_roles is None:
            skip = _NO_ROWS
        elif self.stack and (self.stack[-1].style == "row" or self.rows_seen):
            # (under a heading of a table whose rows are bare numbers, 1. is a cell's too)
            skip = self._cell_lists
        else:
            skip = frozenset()
        return match_label(self.lexicon, self.text, start, end, skip=skip)

    def _value_cell(self, label: Candidate) -> bool:
        """A bare number read as a row label, where the open row of a table still expects
        a unit or value cell: the row's cells so far, aligned with the columns (with or
        without a category cell spanning rows) by what they look like, leave a unit or
        value column next (4 in 红色文化 | 红色文物修缮 | 处 | 4 | 预期性)."""
        row = self.stack[-1] if self.stack else None
        if self.lexicon.labels[label.rank].style != "row" or row is None or row.style != "row" \
                or not row.cell_headers:
            return False
        roles = [c.role for c in column_roles(row.cell_headers, self.lexicon)]
        cells = [self.text[s:e].strip() for s, e in row.cells]
        variants = [roles] + ([[r for r in roles if r != "category"]] if "category" in roles else [])
        for columns in variants:
            if len(cells) < len(columns) and all(
                    self._typer.fits(role, cell) for role, cell in zip(columns, cells, strict=False)):
                return columns[len(cells)] in VALUE_ROLES or columns[len(cells)] == "unit"
        return False

    def _signature(self, cell: str) -> bool:
        """A short line without sentence marks right before a date line: the issuer of a
        signature (…报送。 / 市人力资源社会保障局 / 2024年5月8日), not text of the last item."""
        rules = self.lexicon.layout
        if len(cell) > rules.max_title or _marks(rules.sentence_marks).search(cell):
            return False
        for i in range(self.line_index + 1, min(len(self.line_spans), self.line_index + 4)):
            s, e = _strip_span(self.text, *self.line_spans[i], " \n|")
            if s < e:
                return rules.date_line.fullmatch(self.text, s, e) is not None
        return False

    def _new_block(self) -> None:
        """A list numbered afresh starts (一、 again)."""
        self.blocks.append([])
        if self.notice_done:
            self.issued_blocks.add(len(self.blocks) - 1)

    def _condition_entry(self, label: Candidate) -> bool:
        """A label deeper than an open item whose own text ended by introducing a list of
        conditions (应符合以下条件：): an entry of that list, read as the item's text."""
        for node in self.stack:
            if node.conditions and label.rank > node.rank:
                return True
        current = self.stack[-1] if self.stack else None
        if current is None or current.children or label.rank <= current.rank \
                or self.lexicon.labels[label.rank].style in ("annex", "row"):
            return False
        if self.lexicon.task_rules.condition_list.search(self.text, current.label_end, current.end):
            current.conditions = True
            return True
        return False

    def _breaks_section(self, start: int, end: int, gap: int, current: Node) -> bool:
        """A paragraph that leaves the item being read for another topic: an address to
        the audience (各位代表！), or a paragraph after more than one blank line once the
        item has text of its own, when the next label is a part's (it would close every
        open item) or there is none.  Between two items of a part such a paragraph is the
        item's own closing text."""
        address = self.lexicon.task_rules.address.match(self.text, start, end) is not None
        if not address and not (gap >= 2 and current.end > current.title_end):
            return False
        following = self._next_label()
        return following is None or self.outline.kept(following.rank) == 0

    def _table_follows(self, cell: str, current: Node) -> bool:
        """A table printed after the item's text (a closing table of indicators: its title,
        then header cells one per line, 项目 / 指标 …) is not the item's: outside an annex
        and outside a table already read, a line that is a table's title or first header
        cell, followed by a header cell."""
        if self.cell_roles is not None or current.top.style == "annex" or current.end <= current.label_end \
                or _marks(self.lexicon.layout.sentence_ends).search(cell):
            return False
        cells = []
        for i in range(self.line_index + 1, min(len(self.line_spans), self.line_index + 8)):
            s, e = _strip_span(self.text, *self.line_spans[i], " \n|")
            if s < e:
                cells.append(self.text[s:e])
                if len(cells) == 2:
                    break
        if self._header_cell(cell):
            return bool(cells) and self._header_cell(cells[0])
        return len(cells) == 2 and all(self._header_cell(c) for c in cells)

    def _listed_title(self, start: int, end: int) -> bool:
        """Whether an annex label's line names a title (``附件1：重点任务分工表``) that is
        written again later in the text: the line lists an attachment, it does not head it."""
        title = _title(self.text, start, end)
        return len(title) >= MIN_TITLE and self.text.find(title[:MIN_TITLE * 2], end) != -1

    def _header_cell(self, cell: str) -> bool:
        """A short cell that names a column role (项目, 指标, 目标值…), not a serial number."""
        if len(cell) > self.lexicon.layout.cell_max or cell in self.lexicon.row_headers \
                or any(ch.isdigit() for ch in cell):
            return False
        role, _ = header_role(cell, self.lexicon)
        return role is not None and role not in ("none", "serial")

    def _next_label(self) -> Candidate | None:
        """The label of the next line that has one, or ``None`` when a closer, a glossary
        heading or the end of the text comes first."""
        for i in range(self.line_index + 1, len(self.line_spans)):
            s, e = _strip_span(self.text, *self.line_spans[i], " \n|")
            if s >= e:
                continue
            cell = self.text[s:e]
            if cell.startswith(self.lexicon.closers) or cell.rstrip(":：") in self.lexicon.glossary_titles \
                    or self.lexicon.layout.date_line.fullmatch(cell):
                return None
            label = self._match_label(s, e)
            if label is not None:
                return label
        return None

    def _ahead(self) -> list[Candidate]:
        """The labels at the starts of the next lines (to confirm a surprising label)."""
        found: list[Candidate] = []
        for i in range(self.line_index + 1, len(self.line_spans)):
            if i not in self._line_labels:
                s, e = _strip_span(self.text, *self.line_spans[i], " \n|")
                self._line_labels[i] = self._match_label(s, e) if s < e else None
            candidate = self._line_labels[i]
            if candidate is not None:
                found.append(candidate)
                if len(found) >= LOOKAHEAD:
                    break
        return found

    def _close_text(self, node: Node, end: int) -> None:
        node.end = max(node.end, end)
        if not node.children:
            node.own_end = max(node.own_end, end)
        for ancestor in node.ancestors():
            ancestor.end = max(ancestor.end, end)

    def build(self) -> Structure:
        text = self.text
        pos = 0
        n = len(text)
        while pos <= n:
            line_end = text.find("\n", pos)
            if line_end == -1:
                line_end = n
            self.line_spans.append((pos, line_end))
            pos = line_end + 1
        for index, (start, end) in enumerate(self.line_spans):
            self.line_index = index
            self._line(start, end)
        for block in self.blocks:
            for node in block:
                if node.table:
                    self._table_responsibility(node)
        first_leads = any(p in text for p in self.lexicon.first_leads)
        # A list read before the first closer and numbered afresh after is the covering
        # notice's own (一、各单位要高度重视…): only the lists after it are documents.
        last = len(self.blocks) - 1
        blocks = [block for i, block in enumerate(self.blocks) if i not in self.notice_blocks and (
            i in self.issued_blocks or i == last or (block and block[0].label_start > self.first_closer))]
        nodes = [node for block in blocks for node in block]
        return Structure(roots=[n for n in nodes if n.parent is None], nodes=nodes, first_leads=first_leads,
                         all_nodes=list(self.nodes), blocks=blocks, indicator_tables=self.indicator_tables)

    def _line(self, start: int, end: int) -> None:
        text = self.text
        s, e = _strip_span(text, start, end, " \n|")
        if s >= e or self.lexicon.page_number.fullmatch(text, s, e):
            self.blank_run += 1
            return
        gap = self.blank_run
        self.blank_run = 0
        if self.table_end and s >= self.table_end:
            self.table_end = 0
            if self.stack and self.stack[-1].style == "row":
                self.stack[-1].closed = self.stack[-1].ended = True  # (the table's last row)
        planned = self.planned.get(s) if self.box is None else None
        if planned is not None:
            self._planned_line(planned, s, e)
            return
        current = self.stack[-1] if self.stack else None
        cell = text[s:e]
        if cell in self.lexicon.row_headers:
            self.header_cells = []  # a table header starts: its cells follow, one per line
            self.header_at = s
            return
        label = self._match_label(s, e)
        if label is not None and self._value_cell(label):
            label = None  # a number where the row expects a value: 4 in 处 | 4 | 预期性
        if label is not None and self._condition_entry(label):
            label = None  # (一)… under 应符合以下条件：: a condition, text of the item
        if self.box is not None and label is not None:
            if label.rank > self.box.rank:
                label = None  # an entry of the box (专栏2: 1.…2.…), not an item
            else:
                self.box = None
        if label is None and current is not None and self.lexicon.task_rules.box.match(cell):
            self.box = current  # a box starts: its entries are deeper than this item
        listed = self.listed.get(s)
        if listed is not None and label is None and self.pending_title is None:
            # An attachment's title where its text starts, without 附件2: its annex label.
            label = Candidate(self.annex_rank, listed.number, s, s)
        if self.header_cells is not None and label is None and not cell.isdigit():
            self.header_cells.append(cell)
            return
        if self.header_cells is not None:
            self.cell_roles = [self._column_role(c) for c in self.header_cells]
            self.table_headers = list(self.header_cells)
            self.header_cells = None
            label = self._match_label(s, e)  # row numbers are labels from now on
        if "|" in cell and label is None and any(
            self._column_role(c) for c in cell.split("|")
        ):
            self.pipe_roles = [self._column_role(c) for c in cell.split("|")]
            return
        if self.attachment_list is not None:
            rank, last = self.attachment_list
            if label is not None and label.number == last + 1 and rank in (None, label.rank) \
                    and self.lexicon.labels[label.rank].style != "annex":
                self.attachment_list = (label.rank, label.number)
                return  # 2.…: the next attachment's name
            self.attachment_list = None
        # 附件：X heads an annex whose title X is on its line, unless X's text comes later
        # (then the line lists the notice's attachments, a closer as 附件：1.… is).
        annex_title = label is not None and self.lexicon.labels[label.rank].style == "annex" \
            and bool(_title(text, label.end, e))
        if label is not None and annex_title and self._listed_title(label.end, e):
            label, annex_title = None, False
        if (cell.startswith(self.lexicon.closers) and not annex_title) \
                or self.lexicon.layout.date_line.fullmatch(cell) or (label is None and self._signature(cell)):
            self._closer(s, e, cell)
            return
        if label is None and cell.rstrip(":：") in self.lexicon.glossary_titles:
            self._glossary(s, e)
            return
        if self.pending_title is not None and label is None:
            # An annex label alone on its line: the next line is its title.
            self.pending_title.title = _title(text, s, e)
            self.pending_title = None
            return
        line = self.resp.line_at(text, s, e)
        if line is not None:
            # After an item that is closed (its bracket or line was read), a line of keys is
            # page furniture (主办单位：…　承办单位：…), not the item's.
            if current is not None and (not current.closed or self.after_responsibility):
                current.responsibility.append(replace(line, own_line=True))
                self._close_text(current, line.end)
                current.closed = True
                self.after_responsibility = True
            return
        self.after_responsibility = False
        if label is not None:
            label = self.outline.positioned(label)
            placed = self._place(label)
            if placed is not None and placed.repeat and self.lexicon.labels[label.rank].style == "row" \
                    and current is not None and len(current.cells) >= _FULL_ROW:
                # A row number written twice after a row of cells (30 …, 30 …): the second is
                # the next row, numbered on so that ids stay unique (right after its label the
                # same number is a cell of the row: 5 | 支持配合工作情况 | 5).
                label = Candidate(label.rank, label.number + 1, label.start, label.end)
                placed = self.outline.place(label)
            if placed is not None and placed.repeat:
                self._repeat(label, placed, s, e)
                return
            if placed is not None:
                self._start(label, placed, s, e)
                return
        if current is None or current.ended:
            return
        if not current.children and (self._breaks_section(s, e, gap, current)
                                     or self._table_follows(cell, current)):
            for node in self.stack:
                node.closed = node.ended = True  # another topic: its text is no item's
            return
        if current.closed:
            # Prose after the item's responsibility (a box, a run-in sub-action): still
            # the item's text; a bracket in it adds to the item's units and span.
            current.reach = max(current.reach, e)
            self._read_text(current, s, e)
            return
        target = current
        if target.table:
            target.cells.append((s, e))
            if target.style == "row" and not target.title:
                target.title = _title(text, s, e)
        self._read_text(target, s, e)

    def _closer(self, s: int, e: int, cell: str) -> None:
        """A closer line (the list of attachments, a signature, a date): no item goes on."""
        for node in self.stack:
            node.closed = node.ended = True
        if not self.notice_done:
            self.first_closer = s
            # The first closer ends a covering notice (关于印发…的通知): its own numbered
            # paragraphs are not tasks (a project ruling).
            self.notice_done = True
            # (A table's rows are never the notice's own paragraphs: a 民生实事 table set
            # between the notice's text and its signature is the issued document.)
            if self.blocks[-1] and self.lexicon.notice_title.search(self.text, 0, min(s, _NOTICE_REACH)) \
                    and not any(n.style == "row" and n.parent is None for n in self.blocks[-1]):
                self.notice_closed = True
                self.notice_blocks.add(len(self.blocks) - 1)
        key = next((k for k in self.lexicon.attachment_lists if cell.startswith(k)), None)
        if key is not None:  # the list may start on this line (附件：1.…)
            first = self._match_label(s + len(key), e)
            self.attachment_list = (first.rank, first.number) if first is not None else (None, 0)

    def _start(self, label: Candidate, placed: Placement, s: int, e: int) -> None:
        """Open the node of a placed label on the line ``[s, e)``: a table row takes its
        table's columns, a heading alone on its line waits for its title."""
        node = self._open(label, placed, e)
        if node.style != "row" and self.rows_seen and node.rank <= self.rows_parent_rank:
            # A heading at the level of the one the table stands under (第三章 after
            # 第二章's table of indicators): the table is over, 1. (1) are items again.
            self.rows_seen = False
        if node.style == "row":
            self.rows_seen = True
            parent = node.parent
            self.rows_parent_rank = parent.rank if parent is not None and self.header_at >= 0 \
                and parent.label_start < self.header_at else -1
            node.table = "cells"
            node.cell_roles = list(self.cell_roles or [])
            node.cell_headers = list(self.table_headers)
        elif self.pipe_roles is not None and "|" in self.text[label.end:e]:
            node.table = "pipe"
            node.cells.append((label.end, e))
        # A heading label alone on its line (附件2, 一、): the next line is its title.
        self.pending_title = node if not node.title and (
            node.style == "annex" or node.style in self.lexicon.layout.heading_styles) else None
        opening = self.resp.leading(self.text, label.end, e)
        if opening is not None:
            node.responsibility.append(opening)
        self._read_text(node, s, e)

    def _place(self, label: Candidate) -> Placement | None:
        """Where the numbering places ``label`` (a jump is confirmed by the labels ahead)."""
        if self.notice_closed:
            # The issued document starts: its numbering, whatever its style, is the tree.
            fresh = Outline(self.lexicon.labels)
            if fresh.place(label, self._ahead) is not None:
                self.outline = fresh
                self._new_block()
                self.stack = []
                self.notice_closed = False
        return self.outline.place(label, self._ahead)

    def _open(self, label: Candidate, placed: Placement, line_end: int) -> Node:
        """The node of a label the numbering placed, opened in the tree (its label's line
        ends at ``line_end``)."""
        self.outline.commit(label, placed)
        keep = placed.keep
        if placed.restart:
            self._new_block()
            self.stack = []
            keep = 0
        del self.stack[keep:]
        parent = self.stack[-1] if self.stack else None
        node = Node(
            style=self.lexicon.labels[label.rank].style,
            rank=label.rank,
            number=label.number,
            label_start=label.start,
            label_end=label.end,
            parent=parent,
            title=_title(self.text, label.end, line_end),
            title_end=line_end,
        )
        if parent is not None:
            parent.children.append(node)
        self.stack.append(node)
        self.nodes.append(node)
        self.blocks[-1].append(node)
        return node

    def _planned_line(self, planned: _PlannedCell, start: int, end: int) -> None:
        """A cell of a table of indicators whose rows are tasks without a written number
        (:func:`_planned_cells`): a header cell is no item's text; the first cell of a row
        opens the row (numbered as a 序号 column would number it), the others are its cells.
        The row ends with the table: what follows is not a cell of it."""
        if not planned.row:
            return
        current = self.stack[-1] if self.stack else None
        if planned.first:
            if planned.row == 1:
                # A table right after another's rows, under the same item, numbers on: its
                # rows have no number of their own to start again at.
                self.row_base = current.number if current is not None and current.style == "row" else 0
            label = Candidate(self.row_rank, self.row_base + planned.row, start, start)
            placed = self._place(label)
            if placed is not None and not placed.repeat:
                node = self._open(label, placed, end)
                node.table = "cells"
                node.cell_roles = [self._column_role(c.header) for c in planned.table.columns]
                node.cell_headers = [c.header for c in planned.table.columns]
                node.cells.append((start, end))
                self.table_end = planned.table.end
                self._read_text(node, start, end)
                return
        if current is not None and current.style == "row" and not current.ended:
            current.cells.append((start, end))
            self._read_text(current, start, end)

    def _glossary(self, start: int, end: int) -> None:
        """A glossary heading without a label (名词解释): the items under it define terms.
        It opens a region of its own (an unnumbered top-level node, read like a review:
        no tasks, no targets) that the next annex closes."""
        annex_rank = next(s.rank for s in self.lexicon.labels if s.style == "annex")
        node = Node(style="glossary", rank=annex_rank, number=0, label_start=start, label_end=start,
                    parent=None, title=self.text[start:end].rstrip(":："))
        self.outline = Outline(self.lexicon.labels)
        self.outline.open.append((annex_rank, 0))
        self.stack = [node]
        self.nodes.append(node)
        self.blocks[-1].append(node)
        self._close_text(node, end)

    def _repeat(self, label: Candidate, placed: Placement, start: int, end: int) -> None:
        """The same number again (``2.`` twice): the line continues the item of that number."""
        self.outline.commit(label, placed)
        del self.stack[placed.keep + 1 :]
        node = self.stack[-1]
        node.closed = node.ended = False
        # Kept among the labels read (so that it is blanked), not in the tree.
        self.nodes.append(Node(style=node.style, rank=label.rank, number=label.number,
                               label_start=label.start, label_end=label.end, parent=None))
        self._read_text(node, start, end)

    def _table_responsibility(self, node: Node) -> None:
        """Responsibility cells of a table row: by column where the row is complete."""
        text = self.text
        splitter = self.resp.splitter
        assigned: list[tuple[int, int, str]] = []
        if node.table == "cells" and node.cell_roles:
            columns = node.cell_roles
            cells = node.cells
            # A category cell spans rows: written once, before its first row, so the other
            # rows of the category have one cell fewer, at the start.
            spanned = len(cells) == len(columns) - 1 and bool(node.cell_headers) \
                and header_role(node.cell_headers[0], self.lexicon)[0] == "category"
            if len(cells) >= len(columns) or spanned:
                shift = len(cells) - len(columns)
                pairs = zip(cells[max(0, shift) :], columns[max(0, -shift) :], strict=True)
            else:
                pairs = zip(cells, columns[: len(cells)], strict=True)
            assigned = [(s, e, role) for (s, e), role in pairs if role and _unit_like(text[s:e])]
        if node.table == "cells" and not any(node.cell_roles):
            # No responsibility column: a cell that is the name of one body (县水利局) names
            # who does the row.
            assigned = [(s, e, "responsible") for s, e in node.cells if self._unit_name(text[s:e])][:1]
        elif node.table == "pipe" and self.pipe_roles:
            role = next((r for r in self.pipe_roles if r), None)
            if role is not None:
                for i, (s, e) in enumerate(node.cells):
                    pos = s
                    for k, piece in enumerate(text[s:e].split("|")):
                        ps, pe = _strip_span(text, pos, pos + len(piece))
                        pos += len(piece) + 1
                        if i == 0 and k == 0:
                            continue  # the task text of the row
                        if ps < pe and _unit_like(text[ps:pe]):
                            assigned.append((ps, pe, role))
        seen: set[str] = set()
        for s, e, role in assigned:
            units = [u for u in splitter.split(text, s, e, role) if u.name not in seen]
            seen.update(u.name for u in units)
            if units:
                node.responsibility.append(ResponsibilityLine(s, e, tuple(units)))
        if assigned and any(node.cell_roles):
            node.end = max(e for _, e, _ in assigned)  # (the responsibility columns end the row)

    def _unit_name(self, cell: str) -> bool:
        """One body's name alone in a cell: a level of government, a unit suffix, no digits
        or punctuation (县水利局, 市教育局; not 重点考核部门)."""
        rules = self.lexicon.task_rules
        return 3 <= len(cell) <= 15 and cell.startswith(rules.unit_prefixes) \
            and cell.endswith(self.lexicon.unit_suffixes) and _unit_like(cell) \
            and not any(ch in self.lexicon.unit_separators for ch in cell)

    def _read_text(self, node: Node, start: int, end: int) -> None:
        """A line of the node's text, with the responsibility brackets in it.  A bracket
        that closes the paragraph, or stands as a sentence of its own (…推进。（责任单位：…）
        专栏1：…), ends the item's span; the text after it is still the item's own."""
        lines = self.resp.inline(self.text, start, end)
        stop = end
        if lines:
            node.responsibility.extend(lines)
            last = lines[-1]
            if last.end >= _content_end(self.text, last.end, end) or (
                    last.start > start and self.text[last.start - 1] in _SENTENCE_END):
                node.closed = True
                stop = last.end
                node.reach = max(node.reach, end)
        if not node.closed or lines:
            self._close_text(node, stop)


def _unit_like(cell: str) -> bool:
    """A table cell that names units (区发展改革委、区财政局), not a task or a date."""
    if not 2 <= len(cell) <= 60 or any(ch.isdigit() for ch in cell):
        return False
    if any(ch in cell for ch in ";；。:：!?！？"):
        return False
    return all(len(piece) <= 20 for piece in _CELL_SEPARATORS.split(cell))


def _title(text: str, start: int, end: int) -> str:
    s, e = _strip_span(text, start, end)
    for i in range(s, e):
        if text[i] in "。;；|":
            e = i
            break
    s, e = _strip_span(text, s, e, " \n:：")
    return text[s:e]


def _dissolve_annexes(structure: Structure) -> None:
    """An annex is a level of the task ids above table rows (附件1 row 3 is "1.3"), when
    several annexes number their items afresh (附件1 一、… 附件2 一、…) and when the body
    before it has numbered items of its own; a single annex above headings of its own
    after a body without any (a covering notice: 附件1 then 一、…) is transparent."""
    annexes = [n for n in structure.nodes if n.style == "annex"]
    for annex in annexes:
        if not annex.children:  # a list of names, a form: no items, never a task
            if annex.parent is not None:
                annex.parent.children.remove(annex)
            structure.nodes.remove(annex)
    annexes = [a for a in annexes if a.children]
    structure.roots = [n for n in structure.nodes if n.parent is None]
    if len(annexes) > 1:
        return
    if any(n.top.style != "annex" for n in structure.nodes):
        return  # the body is numbered: the annex keeps its level (and maybe the prefix A)
    if annexes and _notice_numbered(structure, annexes[0].label_start):
        return  # (一、…二、… of the covering notice, no tasks: its annex keeps its level too)
    for annex in annexes:
        if annex.children and all(child.style == "row" for child in annex.children):
            continue
        for child in annex.children:
            child.parent = annex.parent
        if annex.parent is not None:
            annex.parent.children.remove(annex)
            annex.parent.children.extend(annex.children)
        structure.nodes.remove(annex)
    structure.roots = [n for n in structure.nodes if n.parent is None]


def _part_lines(structure: Structure) -> None:
    """A responsibility line of its own after the last item of a part whose other items
    have none (十项民生实事: 1.… 2.… 3.…, then 责任单位：市教育局（牵头），…) is the part's:
    it moves to the part, so that every item takes it (resolve_roles)."""
    for node in structure.nodes:
        items = node.children
        if len(items) < 2 or node.responsibility or items[-1].children:
            continue
        last = items[-1].responsibility
        if last and all(line.own_line for line in last) and not any(i.responsibility for i in items[:-1]):
            node.responsibility.extend(last)
            last.clear()


def _notice_numbered(structure: Structure, annex_start: int) -> bool:
    """Labels were read before the annex that are no tasks (a covering notice's own numbered
    paragraphs, 一、提高认识… 二、…): the notice is numbered, so the annex after it is a
    level of the ids, not transparent (corpora/README.md, task ids and annexes)."""
    kept = {id(n) for n in structure.nodes}
    return any(id(n) not in kept and n.label_start < annex_start and n.style != "annex"
               for n in structure.all_nodes)


def prefix_annexes(task_nodes: list[Node]) -> None:
    """Annexes that stay a level of the ids, in a document whose body has tasks of its own:
    when an annex task's id would equal a body task's, every annex id gets the prefix ``A``
    (``A1.3``), so that ids stay unique (a project ruling, corpora/README.md).  Decided on
    the tasks themselves (the linking stage knows them): a chapter of general provisions
    whose articles are no tasks (第一章 总则, 第一条 = 1.1) clashes with nothing."""
    body = {n.node_id for n in task_nodes if n.top.style != "annex"}
    annexes = {id(n.top): n.top for n in task_nodes if n.top.style == "annex"}
    if any(n.node_id in body for n in task_nodes if n.top.style == "annex"):
        for annex in annexes.values():
            annex.id_prefix = "A"


def _may_be_task(node: Node) -> bool:
    """Not a part that reviews past work, states principles or explains terms, and not an
    annex label itself (a heading whose text carries targets is a task too)."""
    return node.style != "annex" and not any(n.review or n.principle for n in (node, *node.ancestors()))


def _choose_blocks(structure: Structure) -> None:
    """Lists that number afresh (一、… then 一、… again) are several documents issued
    together, each with its tasks, unless a later list gives a task id an earlier one
    gave (one document pasted twice, a draft then its final text): then the later list
    is the document's and the earlier one's items are not tasks."""
    if len(structure.blocks) <= 1:
        return
    kept: list[tuple[list[Node], set[str]]] = []
    for block in structure.blocks:
        ids = {n.node_id for n in block if not n.children and _may_be_task(n) and not n.preamble}
        kept = [(b, i) for b, i in kept if not i & ids]
        kept.append((block, ids))
    structure.nodes = [node for block, _ in kept for node in block]
    structure.roots = [node for node in structure.nodes if node.parent is None]


def parse_structure(text: str, lexicon: Lexicon) -> Structure:
    """Build the numbered tree of a *normalised* text, with responsibility lines attached."""
    structure = _Builder(lexicon, text).build()
    for node in structure.all_nodes or structure.nodes:  # (a block left out may still review)
        if node.own_end == 0:
            node.own_end = node.end
        # (a glossary is read like a review: no tasks, no targets)
        review_words = (*lexicon.review_titles, *lexicon.glossary_titles)
        # (a heading glued to its first sentence, 遵循转诊基本原则转诊时,须…: its first clause)
        head = _FIRST_CLAUSE.match(node.title)
        title = head.group() if head else node.title
        if len(title) <= 20:
            node.principle = any(w in title for w in lexicon.principle_titles)
            node.preamble = any(w in title for w in lexicon.task_rules.preamble_titles)
            node.review = any(w in title for w in lexicon.glossary_titles) or (
                _words(lexicon.review_titles).search(title) is not None
                and any(_names_part(title, w) for w in lexicon.review_titles))
        else:  # a long heading says what it is at its end (“十一五”时期…的回顾)
            node.review = node.title.rstrip("。.").endswith(review_words)
        if not node.children and _provision(text, node, lexicon):
            node.preamble = True  # 本办法所称… / 本办法自…起施行: no work
    _choose_blocks(structure)
    _part_lines(structure)
    _dissolve_annexes(structure)
    return structure


def review_spans(structure: Structure, text_end: int) -> list[tuple[int, int]]:
    """Spans of the parts that review past work (sorted, disjoint): a review heading reaches to the
    next heading of its rank or above, whatever its items' own spans say (paragraphs after
    a blank line or two are still the review's).  Headings of a block of numbering that the
    task tree left out count too (a second document or part numbered afresh from 一、: its
    工作回顾 still reviews)."""
    nodes = structure.all_nodes or structure.nodes
    spans = []
    for i, node in enumerate(nodes):
        if not node.review:
            continue
        end = next((n.label_start for n in nodes[i + 1 :] if n.rank <= node.rank), text_end)
        spans.append((node.label_start, max(end, node.end)))
    # (a review part whose first item is a review heading too, 发展基础 → 主要成就: one span,
    # so that a lookup by start never stops at the inner one)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@functools.cache
def _marks(chars: str) -> re.Pattern[str]:
    """Any of ``chars`` (a quick search)."""
    return re.compile("[" + re.escape(chars) + "]")


@functools.cache
def _words(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``words`` (a quick search)."""
    return re.compile("|".join(map(re.escape, words)))


def _names_part(title: str, word: str) -> bool:
    """``title`` names a part by ``word`` (发展环境, “十三五”发展回顾), unless a verb before the
    word commands work on it (营造发展环境, 夯实发展基础: a task heading)."""
    at = title.find(word)
    if at == -1:
        return False
    before = title[:at]
    return not before or not word_classes().first(before, word_classes().verbs)


def _provision(text: str, node: Node, lexicon: Lexicon) -> bool:
    """The node's first sentence states the document's purpose, scope, definitions or
    commencement (为了…制定本办法, 本办法所称…, 本办法自…起施行)."""
    start, end = _strip_span(text, node.label_end, node.end)
    stop = text.find("。", start, end)
    stop = end if stop == -1 else stop
    if text.find("本", start, stop) == -1:
        return False  # (every provision names the document: 本办法, 本规定…)
    return lexicon.task_rules.provisions.search(text[start:stop]) is not None


def blank_labels(text: str, structure: Structure) -> str:
    """``text`` with every numbering label replaced by spaces (same length, so offsets
    hold): later stages never read a label as part of a phrase."""
    nodes = structure.all_nodes or structure.nodes
    if not nodes:
        return text
    parts = []
    pos = 0
    for node in sorted(nodes, key=lambda n: n.label_start):
        parts.append(text[pos : node.label_start])
        parts.append(" " * (node.label_end - node.label_start))
        pos = node.label_end
    parts.append(text[pos:])
    return "".join(parts)


def resolve_roles(
    node: Node, first_leads: bool
) -> tuple[list[UnitMention], list[UnitMention], list[UnitMention]]:
    """Leaders, lead units and cooperating units of a node (docs/annotation.md section 1): a
    责任单位 list beside a 牵头单位 list cooperates; a unit marked (牵头), or the first one
    when the document says so, leads; a node without a list takes its heading's."""
    units: list[UnitMention] = [u for line in node.responsibility for u in line.units]
    # A task without a list of its own takes its heading's (牵头领导 on a part heading).
    for ancestor in node.ancestors():
        for role in ("leaders", "lead", "responsible", "cooperating"):
            if not any(u.role == role for u in units) and not (
                role == "responsible" and any(u.role == "lead" for u in units)
            ):
                units += [u for line in ancestor.responsibility for u in line.units if u.role == role]
    leaders = _unique([u for u in units if u.role == "leaders"])
    lead = _unique([u for u in units if u.role == "lead"])
    responsible = _unique([u for u in units if u.role == "responsible"])
    cooperating = _unique([u for u in units if u.role == "cooperating"])
    if lead:
        cooperating = responsible + cooperating
    elif any(u.marked_lead for u in responsible):
        lead = [u for u in responsible if u.marked_lead]
        cooperating = [u for u in responsible if not u.marked_lead] + cooperating
    elif first_leads and responsible:
        # The first unit of each list leads (several brackets on one task: each names
        # its lead first).
        firsts = {id(next(u for u in line.units if u.role == "responsible"))
                  for line in node.responsibility if any(u.role == "responsible" for u in line.units)}
        firsts = firsts or {id(responsible[0])}
        lead = _unique([u for u in units if u.role == "responsible" and id(u) in firsts]) or responsible[:1]
        cooperating = [u for u in responsible if u not in lead] + cooperating
    else:
        lead = responsible
    # Several lines on one task (unnumbered items under a heading): a unit that leads
    # anywhere leads, and is not also listed as cooperating.
    lead_names = {u.name for u in lead}
    cooperating = _unique([u for u in cooperating if u.name not in lead_names])
    return leaders, lead, cooperating


def _unique(units: list[UnitMention]) -> list[UnitMention]:
    """Each body once, in its first written form (各市政府(含定州,下同) then 各市政府: one)."""
    seen: set[str] = set()
    out = []
    for unit in units:
        name = _BRACKETED_END.sub("", unit.name)
        if unit.name not in seen and name not in seen:
            seen.update((unit.name, name))
            out.append(unit)
    return out


_BRACKETED_END = re.compile(r"\([^()]*\)$")
