"""Stage 1: text normalisation with an offset map back to the raw text.

Every later stage works on the normalised text, where full-width ASCII (``１２％``,
``（``, ``：``) is folded to ASCII, Traditional characters to Simplified ones (``牽頭單位``
→ ``牵头单位``, ``萬`` → ``万``), ``\\r\\n`` to ``\\n`` and invisible characters (zero-width
spaces, BOM, soft hyphens) are dropped, so that one set of patterns serves every document.
Every fold is one character for one character, so the offset map stays exact.  Records
are reported with offsets into the *raw* text through :class:`NormalizedText`.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from targetex.resources import read_toml, traditional_folds

__all__ = ["NormalizedText", "OffsetMap", "normalize"]

# Characters that carry no text: dropped so that they cannot split a number or a word.
_DROPPED = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_SINGLE = {
    "\u3000": " ",  # ideographic space
    "\u00a0": " ",
    "\t": " ",
    "〜": "~",
    "﹪": "%",
    "–": "-",
    "\u2212": "-",  # minus sign
    "\r": "\n",
    "\u2028": "\n",
    "\u2029": "\n",
}


@functools.cache
def folding_table() -> dict[int, str]:
    """Every one-to-one fold, as a ``str.translate`` table: full-width ASCII, the spaces,
    dashes and line separators of ``_SINGLE``, and Traditional → Simplified characters
    (``resources.traditional_folds``, OpenCC's data, read on first use)."""
    table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    table.update({ord(k): v for k, v in _SINGLE.items()})
    kept = _numeral_meaning_changes(traditional_folds())
    table.update({ord(k): v for k, v in traditional_folds().items() if k not in kept})
    return table


def _numeral_meaning_changes(folds: dict[str, str]) -> set[str]:
    """The characters of the numeral grammar (``models/numerals.toml``) that a fold would
    turn into a character that is not the same numeral: they are not folded (the
    financial three 參 would become 参 of 参加, and 參萬 no number)."""
    grammar = read_toml("numerals.toml")
    meaning = {ch: (part, value) for part in ("digits", "units", "sections")
               for ch, value in grammar[part].items()}
    return {ch for ch, simplified in folds.items()
            if ch in meaning and meaning.get(simplified) != meaning[ch]}
# (No fold gives a character that is folded again, so folding one character after another
# gives what str.translate gives: tests/test_properties.py checks both.)


@functools.cache
def _folded_characters() -> re.Pattern[str]:
    """One character class of every character of the Basic Multilingual Plane that folds.

    (The regex engine tests a character against a class of BMP characters in constant
    time, however many thousand it holds; a class with characters beyond the BMP is
    searched one entry after another, twenty times slower: those few hundred, rare
    compatibility and Traditional ideographs, are looked for only in a text that has such
    characters at all.)
    """
    return re.compile("[" + re.escape("".join(chr(c) for c in sorted(folding_table()) if c <= 0xFFFF)) + "]")


_BEYOND_BMP = re.compile("[\U00010000-\U0010FFFF]")
# One str.translate over a text costs about as much as 500 passes of str.replace.
_MOST_PASSES = 250


def _fold_text(text: str) -> str:
    """``text.translate(folding_table())``, four times faster: translate looks every
    character up in the table, while a Chinese text in Simplified characters holds a dozen
    or so distinct characters to fold (，（）：；…), each replaced throughout in one pass.
    A text in Traditional characters holds hundreds or thousands: one translation then
    costs less than that many passes."""
    table = folding_table()
    folded = set(_folded_characters().findall(text))
    if _BEYOND_BMP.search(text):
        folded.update(ch for ch in set(_BEYOND_BMP.findall(text)) if ord(ch) in table)
    if len(folded) > _MOST_PASSES:
        return text.translate(table)
    for ch in folded:
        text = text.replace(ch, table[ord(ch)])
    return text


@dataclass(frozen=True)
class NormalizedText:
    """A normalised text and the map from its offsets to offsets in the raw input.

    Attributes:
        raw: the input exactly as given.
        text: the normalised text.
        to_raw: ``to_raw[i]`` is the raw offset of normalised character ``i``, with one
            extra final entry ``len(raw)`` (an :class:`OffsetMap`); ``None`` when the map is
            the identity (nothing was dropped, merged or inserted), the common case.
        inserted: normalised offsets of line breaks the layout stage inserted (a one-line
            text rebuilt into paragraphs); they stand for no raw character (``to_raw``
            gives the raw offset of the next one).
        joined: raw offsets of line breaks the layout stage removed (the hard wraps of a
            text copied from a PDF): in the raw text, not in the normalised one.
        layout: the layout the layout stage detected (``targetex.layout.Layout``), ``""``
            before that stage.
    """

    raw: str
    text: str
    to_raw: OffsetMap | None = None
    inserted: tuple[int, ...] = ()
    joined: tuple[int, ...] = ()
    layout: str = ""

    @functools.cached_property
    def changed(self) -> bool:
        """Whether any character was folded (the text differs from the raw text)."""
        return self.text != self.raw

    def raw_offset(self, index: int) -> int:
        """Raw offset of the normalised offset ``index`` (``0 <= index <= len(text)``)."""
        return index if self.to_raw is None else self.to_raw[index]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text to the raw text.

        The raw span covers exactly the raw characters that produced the normalised span
        (a ``\\r\\n`` pair that became one ``\\n`` maps back to both; a line break the layout
        inserted maps to nothing; a hard wrap the layout removed inside the span is kept).
        """
        if self.to_raw is None:
            return start, end
        if start >= end:
            raw_start = self.to_raw[start]
            return raw_start, raw_start
        last = end - 1
        if self.inserted and _holds(self.inserted, last):
            if last == start:
                raw_start = self.to_raw[start]
                return raw_start, raw_start
            last -= 1  # (inserted breaks never follow each other)
        last_raw = self.to_raw[last]
        width = 2 if self.raw[last_raw : last_raw + 2] == "\r\n" else 1
        return self.to_raw[start], last_raw + width

    def written(self, start: int, end: int) -> str:
        """The raw text of a normalised span as a reader sees it: the raw characters,
        without the hard wraps the layout removed (an indicator or a unit name that a wrap
        cut in two is one name)."""
        raw_start, raw_end = self.raw_span(start, end)
        if not self.joined:
            return self.raw[raw_start:raw_end]
        first = bisect.bisect_left(self.joined, raw_start)
        last = bisect.bisect_left(self.joined, raw_end)
        if first == last:
            return self.raw[raw_start:raw_end]
        pieces = []
        pos = raw_start
        for cut in self.joined[first:last]:
            pieces.append(self.raw[pos:cut])
            pos = cut + 1
        pieces.append(self.raw[pos:raw_end])
        return "".join(pieces)

    def edited(self, *, breaks: Iterable[int] = (), drops: Iterable[int] = (), inserts: Iterable[int] = (),
               layout: str = "") -> NormalizedText:
        """This text with layout edits applied, the offset map kept exact.

        Args:
            breaks: offsets whose character becomes a line break (same length).
            drops: offsets of line breaks to remove (hard wraps).
            inserts: offsets before which a line break is inserted (paragraphs of a text
                that lost its line breaks).
            layout: the layout detected, recorded on the result.
        """
        breaks, drops, inserts = sorted(set(breaks)), sorted(set(drops)), sorted(set(inserts))
        text = self.text
        if breaks:
            pieces = []
            pos = 0
            for at in breaks:
                pieces.append(text[pos:at])
                pieces.append("\n")
                pos = at + 1
            pieces.append(text[pos:])
            text = "".join(pieces)
        if not drops and not inserts:
            return NormalizedText(self.raw, text, self.to_raw, self.inserted, self.joined, layout)
        old = self.to_raw
        to_raw = OffsetMap()
        kept: list[str] = []
        inserted: list[int] = []
        joined: list[int] = []
        events = sorted([(at, 1) for at in drops] + [(at, 0) for at in inserts])
        pos = 0
        length = 0  # of the edited text so far
        for at, kind in events:
            kept.append(text[pos:at])
            to_raw.copy(old, pos, at)
            length += at - pos
            raw_at = at if old is None else old[at]
            if kind == 0:  # a break inserted before ``at``
                inserted.append(length)
                kept.append("\n")
                to_raw.append(raw_at, 1)
                length += 1
                pos = at
            else:  # the break at ``at`` removed (with the \r of a \r\n)
                if raw_at > 0 and self.raw[raw_at - 1] == "\r" and old is not None:
                    joined.append(raw_at - 1)
                joined.append(raw_at)
                pos = at + 1
        kept.append(text[pos:])
        to_raw.copy(old, pos, len(text))
        to_raw.append(len(self.raw), 1)
        # Breaks inserted by an earlier edit move with the text.
        for at in self.inserted:
            inserted.append(at + bisect.bisect_right(inserts, at) - bisect.bisect_left(drops, at))
        return NormalizedText(self.raw, "".join(kept), to_raw, tuple(sorted(inserted)),
                              tuple(sorted((*self.joined, *joined))), layout)


class OffsetMap:
    """The raw offset of each normalised offset, kept as runs in which both offsets rise by
    one together: a text with a few characters dropped or a few breaks inserted costs a
    few runs, not one integer per character (for a 10 MB text, 30 MB and a tenth of a
    second spent listing them).

    ``map[i]`` is the raw offset of normalised offset ``i``; the offsets never decrease
    (an inserted break shares the raw offset of the character after it).
    """

    __slots__ = ("_raws", "_size", "_starts")

    def __init__(self) -> None:
        self._starts: list[int] = []  # the normalised offset that opens each run
        self._raws: list[int] = []  # the raw offset of that first character
        self._size = 0

    def append(self, raw_start: int, count: int) -> None:
        """Map the next ``count`` normalised offsets to ``raw_start``, ``raw_start + 1``, …"""
        if count <= 0:
            return
        if not self._starts or self._raws[-1] + self._size - self._starts[-1] != raw_start:
            self._starts.append(self._size)
            self._raws.append(raw_start)
        self._size += count

    def copy(self, source: OffsetMap | None, start: int, stop: int) -> None:
        """Append the offsets ``source[start:stop]`` (``None``: the identity map)."""
        if source is None:
            self.append(start, stop - start)
            return
        for raw_start, count in source._runs(start, stop):
            self.append(raw_start, count)

    def _runs(self, start: int, stop: int) -> Iterator[tuple[int, int]]:
        """``(raw offset, count)`` of the runs covering ``[start, stop)``."""
        k = bisect.bisect_right(self._starts, start) - 1
        pos = start
        while pos < stop:
            run_end = self._starts[k + 1] if k + 1 < len(self._starts) else self._size
            end = min(stop, run_end)
            yield self._raws[k] + pos - self._starts[k], end - pos
            pos = end
            k += 1

    def index(self, raw_offset: int, stop: int) -> int:
        """The first normalised offset before ``stop`` whose raw offset is at least
        ``raw_offset`` (``stop`` if none): ``bisect_left`` on the offsets."""
        k = bisect.bisect_left(self._raws, raw_offset)
        if k > 0:
            run_end = self._starts[k] if k < len(self._starts) else self._size
            last_raw = self._raws[k - 1] + run_end - 1 - self._starts[k - 1]
            if last_raw >= raw_offset:  # inside the run before
                return min(stop, self._starts[k - 1] + raw_offset - self._raws[k - 1])
        return min(stop, self._starts[k] if k < len(self._starts) else self._size)

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, index: int) -> int:
        if index < 0:
            index += self._size
        if not 0 <= index < self._size:
            raise IndexError("offset out of the map")
        k = bisect.bisect_right(self._starts, index) - 1
        return self._raws[k] + index - self._starts[k]

    def __iter__(self) -> Iterator[int]:
        for raw_start, count in self._runs(0, self._size):
            yield from range(raw_start, raw_start + count)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OffsetMap):
            return NotImplemented
        return (self._size, self._starts, self._raws) == (other._size, other._starts, other._raws)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"OffsetMap({len(self._starts)} runs over {self._size} offsets)"


def _holds(sorted_offsets: tuple[int, ...], offset: int) -> bool:
    i = bisect.bisect_left(sorted_offsets, offset)
    return i < len(sorted_offsets) and sorted_offsets[i] == offset


def normalize(raw: str) -> NormalizedText:
    """Fold widths, Traditional characters and line breaks; keep an offset map.

    Args:
        raw: the document text.

    Returns:
        A :class:`NormalizedText` whose ``text`` is at most as long as ``raw``.

    >>> normalize("增长７％（左右）").text
    '增长7%(左右)'
    >>> normalize("牽頭單位：市發改局").text
    '牵头单位:市发改局'
    """
    if "\r\n" not in raw and not any(ch in raw for ch in _DROPPED):
        return NormalizedText(raw=raw, text=_fold_text(raw))
    # Characters that disappear: the invisible ones, and the \r of each \r\n.  The kept
    # stretches between them are copied whole (no per-character Python objects: a
    # 50 MB document must not cost gigabytes).
    kept: list[str] = []
    to_raw = OffsetMap()
    pos = 0
    for m in _DISAPPEARING.finditer(raw):
        if m.group() == "\r" and not raw.startswith("\n", m.end()):
            continue  # (a lone \r stays: it becomes a line break)
        kept.append(raw[pos : m.start()])
        to_raw.append(pos, m.start() - pos)
        pos = m.end()
    kept.append(raw[pos:])
    to_raw.append(pos, len(raw) - pos)
    to_raw.append(len(raw), 1)
    text = _fold_text("".join(kept))  # the raw characters that stay, folded
    return NormalizedText(raw=raw, text=text, to_raw=to_raw)


# (One character class: Python's regex engine then skips to the next candidate fast.)
_DISAPPEARING = re.compile("[" + "".join(sorted(_DROPPED)) + "\r]")
