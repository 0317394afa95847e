"""Stage 3: quantity recognition — find number + multiplier + unit + comparator mentions.

``find_quantities`` returns every quantity in a text, target or not; the target stage
(``targets.py``) decides which of them are targets.  Numbers, units and comparators are
matched on characters of the normalised text (jieba fuses ``万人`` and ``亿元`` into one
token, so token boundaries cannot be trusted here).  Dates (``2021年``, ``3月25日``),
ordinals (``第六届``), codes (``5G``, ``2A``) and vague amounts (``一批``) are not quantities.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from targetex.errors import QuantityParseError
from targetex.normalize import NormalizedText, normalize
from targetex.numerals import MAGNITUDES, parse_number
from targetex.records import Comparator, Quantity
from targetex.resources import Lexicon, expand, load

__all__ = ["Mention", "QuantityFinder", "find_quantities", "parse_quantity"]

_CN_SINGLE = frozenset("零〇一二两三四五六七八九十")
# Percent as words: 一半 is 50, 翻一番 doubles (+100%), N成 is N×10 percent.
_HALF = Decimal(50)


@dataclass(frozen=True, slots=True)
class Mention:
    """A quantity found in normalised text, with what the target stage needs to judge it.

    Attributes:
        quantity: the quantity, offsets in the *normalised* text.
        chinese: the number is written in Chinese numerals.
        bare: no unit was written (unit ``number``).
        doubling: written as 翻N番 (the verb 翻 precedes the span).
    """

    quantity: Quantity
    chinese: bool = False
    bare: bool = False
    doubling: bool = False


class QuantityFinder:
    """Compiled recogniser of quantity mentions; build once, reuse (see :func:`finder`)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        frag = lexicon.fragments
        number = expand("{arabic}|{cn_numeral}", frag)
        sep = expand("{range_sep}", frag)
        unit_words = sorted([*lexicon.units, *lexicon.classifiers], key=len, reverse=True)
        units = "|".join(re.escape(u) for u in unit_words)
        mult = "万亿|千万|百万|亿|万|千(?![米瓦克元])|百(?!分)"
        infix = "|".join(re.escape(w) for w in lexicon.comparator_infix)
        cn_small = "[一二两三四五六七八九十]"
        self._regex = re.compile(
            rf"(?P<pct>百分之(?P<p1>{number})(?:(?:{sep})(?:百分之)?(?P<p2>{number}))?)"
            rf"|(?P<fan>翻(?P<fann>[一两二三四五]?)番)"
            rf"|(?P<half>一半)"
            rf"|(?P<cheng>(?P<c1>{cn_small})(?:(?:{sep})(?P<c2>{cn_small}))?成)(?![本立为功果熟长效绩品员交])"
            rf"|(?P<n1>{number})(?P<m1>{mult})?"
            rf"(?:(?P<u1>{units})?(?P<sep>{sep})(?P<n2>{number})(?P<m2>{mult})?)?"
            rf"(?P<inf>{infix})?(?P<unit>{units})?"
        )
        self._prefix_words = sorted(lexicon.comparator_prefix, key=len, reverse=True)
        self._suffix_words = sorted(lexicon.comparator_suffix, key=len, reverse=True)
        # Words after which a one-character Chinese numeral starts an amount (新建两座, 各一个);
        # elsewhere it is usually inside a word (统一部署, 进一步).
        openers = {*lexicon.verbs, *lexicon.comparator_prefix, *lexicon.distributive,
                   *lexicon.adverbs, *(v + p for v in lexicon.verbs for p in ("了", "成"))}
        self._opener = re.compile("(?:" + "|".join(re.escape(w) for w in sorted(openers, key=len,
                                  reverse=True)) + ")$")
        self._vague = re.compile("|".join(re.escape(w) for w in lexicon.vague))
        change = sorted((v for v, e in lexicon.verbs.items() if e.kind in ("change", "level") and len(v) > 1),
                        key=len, reverse=True)
        self._change_verb = re.compile("(?:" + "|".join(re.escape(v) for v in change) + ")$")

    # -- masks -------------------------------------------------------------------------
    def _masked_spans(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        spans = [m.span() for m in self.lexicon.date_regex.finditer(text, start, end) if m.end() > m.start()]
        spans += [m.span() for m in self._vague.finditer(text, start, end)]
        spans.sort()
        return spans

    @staticmethod
    def _overlaps(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
        i = bisect.bisect_right(starts, end - 1) - 1
        while i >= 0:
            s, e = spans[i]
            if e > start:
                return True
            if s < start - 64:  # spans are short; no need to look further back
                break
            i -= 1
        return False

    # -- comparators -------------------------------------------------------------------
    def _prefix(self, text: str, start: int) -> tuple[str | None, int]:
        pos = start
        while pos > 0 and text[pos - 1] == " ":
            pos -= 1
        window = text[max(0, pos - 4) : pos]
        for word in self._prefix_words:
            if window.endswith(word):
                return self.lexicon.comparator_prefix[word], pos - len(word)
        return None, start

    def _suffix(self, text: str, end: int) -> tuple[str | None, int]:
        pos = end
        while pos < len(text) and text[pos] == " ":
            pos += 1
        for word in self._suffix_words:
            if text.startswith(word, pos):
                return self.lexicon.comparator_suffix[word], pos + len(word)
        return None, end

    # -- the scan ----------------------------------------------------------------------
    def scan(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """All quantity mentions of a *normalised* text (or of ``text[start:end]``, for a
        text read piece by piece), in order, offsets in ``text``."""
        end = len(text) if end is None else end
        masked = self._masked_spans(text, start, end)
        starts = [s for s, _ in masked]
        out: list[Mention] = []
        for match in self._regex.finditer(text, start, end):
            start, end = match.span()
            if end == start or self._overlaps(masked, starts, start, end):
                continue
            mention = self._read(text, match)
            if mention is not None:
                out.append(mention)
        return out

    def _read(self, text: str, m: re.Match[str]) -> Mention | None:
        start, end = m.span()
        before = text[start - 1] if start else ""
        # Inside a code or a longer number (PM2.5, G20, 1.2.3): not a quantity.
        if before and before.isascii() and (before.isalnum() or before in "._+/-#"):
            return None
        if start and self.lexicon.ordinal_prefix.search(text, max(0, start - 2), start):
            return None
        doubling = chinese = bare = False
        value_max: Decimal | None = None
        unit, classifier = "percent", ""
        if m.group("pct"):
            value = parse_number(m.group("p1"))
            if m.group("p2"):
                value_max = parse_number(m.group("p2"))
            chinese = not m.group("p1")[0].isdigit()
        elif m.group("fan"):
            times = parse_number(m.group("fann")) if m.group("fann") else Decimal(1)
            value = (2 ** int(times) - 1) * Decimal(100)
            doubling = chinese = True  # the span is 翻一番 (一番 alone is no amount); 翻 is the action
        elif m.group("half"):
            value, chinese = _HALF, True
        elif m.group("cheng"):
            value = parse_number(m.group("c1")) * 10
            if m.group("c2"):
                value_max = parse_number(m.group("c2")) * 10
            chinese = True
            before_cheng = text[start - 1] if start else ""
            if "\u4e00" <= before_cheng <= "\u9fff" and not self._opens_amount(text, start):
                return None  # 三成 opens a phrase or follows a verb (增长三成), not 九成新
        else:
            parsed = self._read_number(text, m)
            if parsed is None:
                return None
            value, value_max, unit, classifier, chinese, bare = parsed
            end = m.end("unit") if m.group("unit") else (m.end("m2") if m.group("m2") else
                  m.end("n2") if m.group("n2") else m.end("m1") if m.group("m1") else m.end("n1"))
            if m.group("inf") and not m.group("unit"):
                end = m.end("inf")
        comparator, context_start = self._prefix(text, start)
        suffix, context_end = self._suffix(text, end)
        infix = m.group("inf") if m.group("n1") else None
        if value_max is not None:
            comparator = "between"
        elif infix:
            comparator = self.lexicon.comparator_infix[infix]
        elif comparator is None:
            comparator = suffix
        if bare and not m.group("m1") and (comparator in (None, "between") or m.group("sep")):
            # A bare number counts only when a comparator word bounds it (控制在103.5以内)
            # or a change verb governs it (标准提高50,); a bare range (2023-05475) never.
            if m.group("sep") or not self._governed(text, start, end):
                return None
        if not math.isfinite(float(value)) or (value_max is not None and not math.isfinite(float(value_max))):
            return None  # 310 digits: not an amount anyone commits to, and not valid JSON
        quantity = Quantity(
            start=start,
            end=end,
            text=text[start:end],
            value=float(value),
            value_max=None if value_max is None else float(value_max),
            unit=unit,
            classifier=classifier,
            comparator=Comparator(comparator or "="),
            context_start=context_start,
            context_end=context_end,
        )
        return Mention(quantity=quantity, chinese=chinese, bare=bare, doubling=doubling)

    def _governed(self, text: str, start: int, end: int) -> bool:
        """Bare number right after a change or level verb and before punctuation or the end."""
        if end < len(text) and text[end] not in ",，。;；、 \n)）":
            return False
        return bool(self._change_verb.search(text, max(0, start - 6), start))

    def _opens_amount(self, text: str, start: int) -> bool:
        """A one-character Chinese numeral is an amount only right after a verb, a
        comparator or 各 (新建两座, 各一个); elsewhere it is inside a word or a list of
        names (统一部署, 向两个新城区、三个城市副中心)."""
        return bool(self._opener.search(text, max(0, start - 6), start))

    def _read_number(
        self, text: str, m: re.Match[str]
    ) -> tuple[Decimal, Decimal | None, str, str, bool, bool] | None:
        n1, n2 = m.group("n1"), m.group("n2")
        chinese = not n1[0].isdigit()
        unit_word = m.group("unit") or m.group("u1") or ""
        # A code such as 5G or 2A: the number is part of a name.
        after = m.end("m1") if m.group("m1") else m.end("n1")
        if not m.group("u1") and not m.group("sep") and after < len(text):
            if self.lexicon.name_suffix.match(text, after):
                return None
        if chinese:
            if not n1.strip("零〇"):
                return None  # 零部件, 〇: zero alone is never an amount
            if not unit_word or (n2 is not None and n2[0].isdigit()):
                return None
            if len(n1) == 1 and n1 in _CN_SINGLE and not self._opens_amount(text, m.start()):
                return None
        if n2 is not None and (n2[0].isdigit() != (not chinese)):
            return None  # 1至二: not one range
        if m.group("u1") and m.group("unit") and m.group("u1") != m.group("unit"):
            return None
        if n2 is not None and m.group("u1") and not m.group("unit"):
            return None  # 6%-7 is two things, not one range
        try:
            low = parse_number(n1)
            high = parse_number(n2) if n2 is not None else None
        except ValueError:
            return None
        mult1 = MAGNITUDES.get(m.group("m1") or "", Decimal(1))
        mult2 = MAGNITUDES.get(m.group("m2") or "", Decimal(1))
        if high is not None:
            # 6至7万人: one written multiplier scales both ends.
            if m.group("m2") and not m.group("m1"):
                mult1 = mult2
            elif m.group("m1") and not m.group("m2"):
                mult2 = mult1
            high *= mult2
        low *= mult1
        if not unit_word:
            if chinese:
                return None
            return low, high, "number", "", chinese, True
        if unit_word in self.lexicon.units:
            unit, factor = self.lexicon.units[unit_word]
            classifier = ""
        else:
            unit, factor, classifier = "count", Decimal(1), unit_word
        low *= factor
        if high is not None:
            high *= factor
            if high <= low:
                return None  # 3-2 is not a range (a code or a list)
        return low, high, unit, classifier, chinese, False


@functools.cache
def finder() -> QuantityFinder:
    """The shared, lazily built :class:`QuantityFinder`."""
    return QuantityFinder(load())


def _to_raw(quantity: Quantity, norm: NormalizedText) -> Quantity:
    start, end = norm.raw_span(quantity.start, quantity.end)
    context_start, _ = norm.raw_span(quantity.context_start, quantity.context_start)
    _, context_end = norm.raw_span(quantity.context_end - 1, quantity.context_end) \
        if quantity.context_end > quantity.context_start else (0, start)
    return replace(quantity, start=start, end=end, text=norm.raw[start:end],
                   context_start=context_start, context_end=max(context_end, end))


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity mention in ``text``, target or not.

    Args:
        text: any text (it is normalised internally; offsets refer to ``text`` itself).

    Returns:
        :class:`~targetex.records.Quantity` records in reading order, with ``value``
        normalised to the canonical ``unit`` of ANNOTATION.md section 4.

    >>> [(q.text, q.value, q.unit, q.comparator.value) for q in find_quantities("盘活存量建设用地5000亩以上")]
    [('5000亩', 5000.0, 'mu', '>=')]
    """
    if not isinstance(text, str):
        raise TypeError(f"find_quantities() needs a str, not {type(text).__name__}")
    norm = normalize(text)
    return [_to_raw(m.quantity, norm) for m in finder().scan(norm.text)]


def iter_mentions(norm: NormalizedText) -> Iterator[Mention]:
    """Mentions of a normalised text (offsets in the normalised text), for the target stage."""
    return iter(finder().scan(norm.text))


def parse_quantity(expression: str) -> Quantity:
    """Parse one quantity expression such as ``"1.2万人"``, ``"增长7%左右"``, ``"6至7万人"``.

    Comparator words around the quantity are read (``5000亩以上`` gives ``>=``); other
    words are allowed around it but exactly one quantity must be present.

    Raises:
        QuantityParseError: no quantity, or more than one, in ``expression``.

    >>> q = parse_quantity("1.2万人")
    >>> (q.value, q.unit)
    (12000.0, 'person')
    """
    found = find_quantities(expression)
    if len(found) != 1:
        what = "no quantity" if not found else f"{len(found)} quantities"
        raise QuantityParseError(f"{what} in {expression!r}; expected exactly one")
    return found[0]
