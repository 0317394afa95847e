"""Numbering labels read as sequences: which label comes next, and where a surprising one goes.

A document numbers its headings and items in several styles (``一、`` ``(一)`` ``1.``
``(1)`` ``①`` ``第一条`` …; the styles and their patterns are data, ``models/structure.toml``).
An :class:`Outline` holds the labels open at the current point of reading, outermost
first, and the last number read in each style.  For a new label it predicts where it
goes (:meth:`Outline.place`):

- the next number of an open list continues it (``(二)`` after ``(一)``);
- ``1`` (or the next number of a list that ran on under an earlier heading: items ``1.``–
  ``5.`` under ``(一)`` then ``6.`` under ``(二)``) opens a list one level deeper;
- a number skipped (``1. 2. 4.``) is taken as it comes, and a larger jump or a list that
  starts at ``2`` when the next label confirms it (resynchronising on the next plausible
  label), so that one surprising label never loses the items after it;
- the same number again (``2.`` twice) continues the item of that number;
- anything else is not a label here (a number at the start of a sentence).

A label whose title starts with a digit (``12.5G基站建设工程``, ``7.365健康工程``) is read
only where the sequence expects exactly that number next (``LabelStyle.expected``).
The structure stage places the labels at line starts; the layout stage uses the same model
to decide which labels inside a one-line text open a paragraph.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from targetex.numerals import parse_number
from targetex.resources import LabelStyle, Lexicon

__all__ = ["CIRCLED", "Candidate", "ListedAnnex", "Outline", "Placement", "label_number", "listed_annexes",
           "match_label"]

#: The circled numbers ① to ⑳, in order.
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

#: Numbers a list may skip and still be taken without confirmation (``1. 2. 4.``).
MAX_SKIP = 2
#: How many labels ahead a surprising label looks for its confirmation.
LOOKAHEAD = 6
#: The shortest attachment title looked for again in the text, and the longest.
MIN_TITLE = 6
MAX_TITLE = 80


@dataclass(frozen=True, slots=True)
class Candidate:
    """A label as matched in the text, before the sequence accepts it.

    ``expected_only`` marks a reading that is a label only where the sequence expects
    exactly this number next (the title starts with a digit: ``12.5G…``).
    """

    rank: int
    number: int
    start: int
    end: int
    expected_only: bool = False


#: The labels after the one being placed, or a function that reads them when needed.
Ahead = Sequence[Candidate] | Callable[[], Sequence[Candidate]]


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an accepted label goes.

    Attributes:
        keep: how many open labels stay open; the new label goes under the last of them.
        restart: a top-level list starts again (the covering notice's own ``一、二、``
            before the attachment's): what was read before is not the document's tree.
        repeat: the same number as the open sibling: the line continues that item.
    """

    keep: int
    restart: bool = False
    repeat: bool = False


def label_number(raw: str | None, kind: str, default: int | None = None) -> int | None:
    """The number of a label as captured (``三`` → 3, ``12`` → 12, ``③`` → 3)."""
    if kind == "position":
        return 0  # (a bullet: its number is its place in its list, see Outline.positioned)
    if raw is None or raw == "":
        return default
    if kind == "circled":
        return CIRCLED.index(raw) + 1 if raw in CIRCLED else None
    try:
        return int(parse_number(raw))
    except (ValueError, ArithmeticError):
        return None


def match_label(lexicon: Lexicon, text: str, start: int, end: int, *,
                skip: frozenset[str] = frozenset()) -> Candidate | None:
    """The label at ``text[start:end]`` (a line, after optional indentation), if any.

    Styles are tried outermost first; a style's ``expected`` pattern (digits after the
    label) is tried only when no ordinary label matches.
    """
    m = lexicon.any_label.match(text, start, end)
    if m is None:
        return None
    # The first alternative that matched is the outermost style (or, after all of them, an
    # expected reading): one match for the line instead of one per style.
    name = m.lastgroup or ""
    style = lexicon.labels[int(name[1:])]
    if style.style not in skip:
        number = label_number(m.group(lexicon.any_label.groupindex[name] + 1), style.number,
                              None if name[0] == "e" else style.default_number)
        if number is not None:
            return Candidate(style.rank, number, start + _indent(text, start, end), m.end(),
                             expected_only=name[0] == "e")
    fallback: Candidate | None = None
    for style in lexicon.labels:
        if style.style in skip:
            continue
        m = style.regex.match(text, start, end)
        if m is not None:
            number = label_number(m.group(1), style.number, style.default_number)
            if number is not None:
                label_start = start + _indent(text, start, end)
                return Candidate(style.rank, number, label_start, m.end())
        if fallback is None and style.expected is not None:
            m = style.expected.match(text, start, end)
            if m is not None:
                number = label_number(m.group(1), style.number)
                if number is not None:
                    fallback = Candidate(style.rank, number, start + _indent(text, start, end), m.end(),
                                         expected_only=True)
    return fallback


def _indent(text: str, start: int, end: int) -> int:
    n = 0
    while start + n < end and text[start + n] == " ":
        n += 1
    return n


class Outline:
    """The labels open at the current point of reading, and the numbering rules.

    Args:
        styles: the label styles of the lexicon (``Lexicon.labels``), outermost first.
    """

    def __init__(self, styles: Sequence[LabelStyle]) -> None:
        self.styles = tuple(styles)
        self.open: list[tuple[int, int]] = []  # (rank, number), outermost first
        self.last_number: dict[str, int] = {}
        self.ranks_read: set[int] = set()

    def copy(self) -> Outline:
        """An independent copy (to try a reading without committing to it)."""
        other = Outline(self.styles)
        other.open = list(self.open)
        other.last_number = dict(self.last_number)
        other.ranks_read = set(self.ranks_read)
        return other

    def expected(self, rank: int) -> tuple[int, ...]:
        """The numbers a label of ``rank`` would continue a sequence with, right now."""
        keep = self._keep(rank)
        sibling = self._sibling(keep, rank)
        if sibling is not None:
            return (sibling + 1,)
        style = self.styles[rank].style
        return tuple(sorted({1, self.last_number.get(style, 0) + 1}))

    def kept(self, rank: int) -> int:
        """How many open labels a label of ``rank`` would leave open (0: it starts a new
        part, closing every open label)."""
        return self._keep(rank)

    def _keep(self, rank: int) -> int:
        keep = len(self.open)
        while keep and self.open[keep - 1][0] >= rank:
            keep -= 1
        return keep

    def _sibling(self, keep: int, rank: int) -> int | None:
        return next((number for r, number in self.open[keep:] if r == rank), None)

    def positioned(self, candidate: Candidate) -> Candidate:
        """``candidate`` with its number, for a style numbered by position (a bullet: the
        next of the open list of bullets, else 1); any other label as it is."""
        if self.styles[candidate.rank].number != "position":
            return candidate
        sibling = self._sibling(self._keep(candidate.rank), candidate.rank)
        number = 1 if sibling is None else sibling + 1
        return Candidate(candidate.rank, number, candidate.start, candidate.end, candidate.expected_only)

    def place(self, candidate: Candidate, ahead: Ahead = ()) -> Placement | None:
        """Where ``candidate`` goes, or ``None`` when it does not fit the numbering here.

        Args:
            candidate: the label read.
            ahead: the labels read after it (at least the next few), or a function that
                returns them (called only when a jump needs confirming).
        """
        rank, number = candidate.rank, candidate.number
        keep = self._keep(rank)
        sibling = self._sibling(keep, rank)
        style = self.styles[rank]
        if candidate.expected_only:
            expected = (sibling + 1,) if sibling is not None else (self.last_number.get(style.style, 0) + 1,)
            if number not in expected or number == 1:
                return None
            return Placement(keep)
        if sibling is not None:
            if number == sibling + 1:
                return Placement(keep)
            if number == sibling and number > 1:
                return Placement(keep, repeat=True)
            if number == 1 and keep == 0:
                return Placement(keep, restart=True)
            if sibling + 1 < number <= sibling + 1 + MAX_SKIP or (
                number > sibling and _confirmed(candidate, ahead)
            ):
                return Placement(keep)
            return None
        if (number == 1 or number == self.last_number.get(style.style, 0) + 1
                or (style.style not in self.last_number and style.starts_anywhere)):
            # An excerpt may start in the middle of a list (二、… (九)…): a Chinese label
            # of a style not seen yet is taken as it comes.
            if number == 1 and keep == 0 and self.ranks_read:
                # A top-level list that starts again (the covering notice's own 一、二、
                # before the attachment's): the earlier block is not the document's tree.
                return Placement(keep, restart=any(r <= rank for r in self.ranks_read))
            return Placement(keep)
        if number > 1 and _confirmed(candidate, ahead):
            return Placement(keep)  # a list whose first labels were not read (an excerpt, 1.5G…)
        return None

    def commit(self, candidate: Candidate, placement: Placement) -> None:
        """Record ``candidate`` as placed."""
        if placement.restart:
            self.open = []
        del self.open[placement.keep:]
        if placement.repeat:
            self.open.append((candidate.rank, candidate.number))
            return
        self.open.append((candidate.rank, candidate.number))
        self.last_number[self.styles[candidate.rank].style] = candidate.number
        self.ranks_read.add(candidate.rank)


def _confirmed(candidate: Candidate, ahead: Ahead) -> bool:
    """The next label of the same level continues ``candidate``'s number."""
    for other in (ahead() if callable(ahead) else ahead)[:LOOKAHEAD]:
        if other.rank < candidate.rank:
            return False
        if other.rank == candidate.rank:
            return other.number == candidate.number + 1
    return False


@dataclass(frozen=True, slots=True)
class ListedAnnex:
    """An attachment named in a notice's list (``附件：1.X 2.Y``) and where its text starts
    later without an ``附件1`` label: ``[start, end)`` is the title where it heads the
    attachment."""

    number: int
    title: str
    start: int
    end: int


#: Where each attachment name heads a text: name → (the offset read from, the places).
_Headings = dict[str, tuple[int, list[int]]]

_LIST_LABEL = re.compile(r"\s*(\d{1,2})\s*[.、﹒]")


def listed_annexes(lexicon: Lexicon, text: str) -> list[ListedAnnex]:
    """The attachments a list (``附件：1.河北省双向转诊暂行规定2.…``) names, each found again
    later where its title heads its text.

    A listed name runs to the next number of the list (or to the end of its line); the
    title is the longest start of it written again later (the last name of a list glued
    to a signature, ``2.考核评价标准河北省人民政府办公厅…``, is cut where the later
    heading ``考核评价标准到2017年…`` parts from it).
    """
    found: list[ListedAnnex] = []
    headings: _Headings = {}
    for key in lexicon.attachment_lists:
        at = text.find(key)
        while at != -1:
            found += _listed_after(lexicon, text, at + len(key), headings)
            at = text.find(key, at + len(key))
    return sorted({a.start: a for a in found}.values(), key=lambda a: a.start)


def _listed_after(lexicon: Lexicon, text: str, start: int,
                  headings: _Headings) -> list[ListedAnnex]:
    names: list[tuple[int, int, int, bool]] = []  # (number, start, end, runs to the line's end)
    pos = start
    while (m := _LIST_LABEL.match(text, pos)) is not None and int(m.group(1)) == len(names) + 1:
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end == -1 else line_end
        nxt = re.compile(rf"\s*{len(names) + 2}\s*[.、﹒]")
        reach = min(line_end, m.end() + MAX_TITLE)
        stop = next((i for i in range(m.end(), reach) if nxt.match(text, i)), line_end)
        names.append((len(names) + 1, m.end(), stop, stop == line_end))
        pos = stop if stop < line_end else line_end + 1
    out = []
    search_from = names[-1][1] if names else start
    for number, s, e, open_end in names:
        name = text[s:e].strip()
        if len(name) < MIN_TITLE:
            continue
        at = _heading_at(lexicon, text, name if not open_end else name[:MIN_TITLE], search_from, headings)
        if at == -1:
            continue
        length = len(name) if not open_end else MIN_TITLE
        while length < len(name) and at + length < len(text) and text[at + length] == name[length]:
            length += 1
        out.append(ListedAnnex(number, name[:length], at, at + length))
        search_from = at + length
    return out


def _heading_at(lexicon: Lexicon, text: str, name: str, start: int, headings: _Headings) -> int:
    """The first place from ``start`` where ``name`` opens a line, follows a sentence end
    or the date of a signature (where an attachment's title heads its text), or -1.

    The places are found once per name (``headings``), from the first ``start`` asked
    for: a text holding several notices that list the same attachments would otherwise be
    read again to its end for each.
    """
    found = headings.get(name)
    if found is None or start < found[0]:
        found = headings[name] = (start, _heading_places(lexicon, text, name, start))
    places = found[1]
    i = bisect.bisect_left(places, start)
    return places[i] if i < len(places) else -1


def _heading_places(lexicon: Lexicon, text: str, name: str, start: int) -> list[int]:
    """Every place from ``start`` where ``name`` opens a line, follows a sentence end or
    the date of a signature, in order."""
    places = []
    at = text.find(name, start)
    while at != -1:
        before = at
        while before > 0 and text[before - 1] == " ":
            before -= 1
        dates = lexicon.layout.date_line.finditer(text, max(0, before - 20), before)
        if before == 0 or text[before - 1] in "\n。!?！？" or any(m.end() == before for m in dates):
            places.append(at)
        at = text.find(name, at + 1)
    return places
