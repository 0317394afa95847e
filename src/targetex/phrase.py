"""Phrases: pieces of the normalised text that remember where each character came from.

The phrase readers cut indicators and actions out of a clause (strip a date, drop an adverb,
take the noun after a number) and sometimes put two pieces together (a head noun shared by
a list: ``城镇`` + ``居民人均可支配收入``).  A :class:`Phrase` behaves like the ``str`` it
holds for every reading operation, and keeps the offset of each character in the
normalised text, so the record can give the phrase *as written* in the raw text without
searching for it again.  A contiguous phrase costs one offset; only a phrase put together
from pieces keeps one offset per character.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

__all__ = ["SYNTHETIC", "Phrase"]

#: Origin of a character that is not in the text (a word a reader supplied).
SYNTHETIC = -1


class Phrase:
    """A string read from the text, with the text offset of every character.

    >>> p = Phrase.of("到2025年新增就业", 6, 10)
    >>> p, p.start, p.spans()
    (Phrase('新增就业'), 6, [(6, 10)])
    >>> q = p[2:] + Phrase.of("就业人员人数", 4, 6)
    >>> str(q), q.spans()
    ('就业人数', [(8, 10), (4, 6)])
    """

    __slots__ = ("_base", "_origins", "text")

    def __init__(self, text: str, base: int = SYNTHETIC, origins: tuple[int, ...] | None = None) -> None:
        self.text = text
        self._base = base  # origin of text[0] when the phrase is contiguous
        self._origins = origins  # one origin per character when it is not

    # -- construction --------------------------------------------------------------
    @classmethod
    def of(cls, text: str, start: int, end: int) -> Phrase:
        """The phrase ``text[start:end]``."""
        return cls(text[start:end], start)

    @classmethod
    def synthetic(cls, text: str) -> Phrase:
        """A phrase that is not in the text (its characters have no origin)."""
        return cls(text, SYNTHETIC, (SYNTHETIC,) * len(text)) if text else cls("", SYNTHETIC)

    @classmethod
    def empty(cls) -> Phrase:
        """The empty phrase."""
        return cls("", SYNTHETIC)

    @classmethod
    def join(cls, parts: Iterable[Phrase]) -> Phrase:
        """The phrases one after another."""
        out = cls.empty()
        for part in parts:
            out = out + part
        return out

    # -- where the characters come from ---------------------------------------------
    def origins(self) -> tuple[int, ...]:
        """The text offset of every character (``SYNTHETIC`` for supplied ones)."""
        if self._origins is not None:
            return self._origins
        if self._base == SYNTHETIC:
            return (SYNTHETIC,) * len(self.text)
        return tuple(range(self._base, self._base + len(self.text)))

    @property
    def start(self) -> int:
        """Offset of the first character in the text (``SYNTHETIC`` if none)."""
        if self._origins is None:
            return self._base if self.text else SYNTHETIC
        return next((o for o in self._origins if o != SYNTHETIC), SYNTHETIC)

    def spans(self) -> list[tuple[int, int]]:
        """Runs of consecutive text offsets, ``[(start, end), ...]`` (supplied characters
        are left out)."""
        if self._origins is None:
            return [(self._base, self._base + len(self.text))] if self.text and self._base >= 0 else []
        runs: list[tuple[int, int]] = []
        for origin in self._origins:
            if origin == SYNTHETIC:
                continue
            if runs and runs[-1][1] == origin:
                runs[-1] = (runs[-1][0], origin + 1)
            else:
                runs.append((origin, origin + 1))
        return runs

    def pieces(self) -> Iterator[tuple[str, int]]:
        """``(chars, origin of the first)`` for each run of consecutive origins (a run of
        supplied characters has origin ``SYNTHETIC``)."""
        if self._origins is None:
            if self.text:
                yield self.text, self._base
            return
        start = 0
        origins = self._origins
        for i in range(1, len(origins) + 1):
            if i == len(origins) or not _continues(origins[i - 1], origins[i]):
                yield self.text[start:i], origins[start]
                start = i

    # -- the str interface the readers use ---------------------------------------------
    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Phrase({self.text!r})"

    def __len__(self) -> int:
        return len(self.text)

    def __bool__(self) -> bool:
        return bool(self.text)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Phrase):
            return self.text == other.text
        if isinstance(other, str):
            return self.text == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.text)

    def __contains__(self, item: str | Phrase) -> bool:
        return str(item) in self.text

    def __getitem__(self, key: slice) -> Phrase:
        # (The readers slice phrases a great deal: no slice.indices(), no new object when
        # nothing is cut.)
        n = len(self.text)
        start = 0 if key.start is None else (key.start if key.start >= 0 else max(0, n + key.start))
        stop = n if key.stop is None else (key.stop if key.stop >= 0 else max(0, n + key.stop))
        if key.step not in (None, 1):
            raise ValueError("a phrase is sliced with step 1 only")
        start = min(start, n)
        return self._cut(start, max(start, min(stop, n)))

    def _cut(self, start: int, stop: int) -> Phrase:
        """``self[start:stop]`` for ``0 <= start <= stop <= len(self)``."""
        if start == 0 and stop == len(self.text):
            return self
        if self._origins is None:
            base = self._base + start if self._base != SYNTHETIC else SYNTHETIC
            return Phrase(self.text[start:stop], base)
        return Phrase(self.text[start:stop], SYNTHETIC, self._origins[start:stop])

    def __add__(self, other: Phrase | str) -> Phrase:
        right = other if isinstance(other, Phrase) else Phrase.synthetic(other)
        if not right.text:
            return self
        if not self.text:
            return right
        if self._origins is None and right._origins is None and self._base != SYNTHETIC \
                and right._base == self._base + len(self.text):
            return Phrase(self.text + right.text, self._base)  # still contiguous
        return Phrase(self.text + right.text, SYNTHETIC, self.origins() + right.origins())

    def char(self, index: int) -> str:
        """The character at ``index`` (``""`` out of range)."""
        return self.text[index : index + 1] if index >= 0 else self.text[index:][:1]

    def startswith(self, prefix: str | tuple[str, ...], start: int = 0) -> bool:
        return self.text.startswith(prefix, start)

    def endswith(self, suffix: str | tuple[str, ...]) -> bool:
        return self.text.endswith(suffix)

    def find(self, sub: str, start: int = 0) -> int:
        return self.text.find(sub, start)

    def rfind(self, sub: str) -> int:
        return self.text.rfind(sub)

    def count(self, sub: str) -> int:
        return self.text.count(sub)

    def isdigit(self) -> bool:
        return self.text.isdigit()

    # (The strips are the readers' most frequent calls: they cut directly, and a phrase
    # with nothing to strip is returned as it is.)
    def lstrip(self, chars: str | None = None) -> Phrase:
        text = self.text
        cut = len(text) - len(text.lstrip(chars))
        return self._cut(cut, len(text)) if cut else self

    def rstrip(self, chars: str | None = None) -> Phrase:
        text = self.text
        kept = len(text.rstrip(chars))
        return self._cut(0, kept) if kept < len(text) else self

    def strip(self, chars: str | None = None) -> Phrase:
        text = self.text
        inner = len(text.strip(chars))
        if inner == len(text):
            return self
        cut = len(text) - len(text.lstrip(chars))
        return self._cut(cut, cut + inner)

    def replace(self, old: str, new: str = "") -> Phrase:
        """Every ``old`` replaced by ``new`` (a supplied word)."""
        if not old or old not in self.text:
            return self
        parts: list[Phrase] = []
        pos = 0
        while True:
            at = self.text.find(old, pos)
            if at == -1:
                break
            parts.append(self[pos:at])
            if new:
                parts.append(Phrase.synthetic(new))
            pos = at + len(old)
        parts.append(self[pos:])
        return Phrase.join(parts)


def _continues(before: int, origin: int) -> bool:
    """Whether ``origin`` continues the run that ``before`` ends (both supplied, or both
    in the text one after the other)."""
    if before == SYNTHETIC or origin == SYNTHETIC:
        return before == origin
    return origin == before + 1
