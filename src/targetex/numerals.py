"""Numbers as written in Chinese text, read into exact ``Decimal`` values.

The grammar is data (``models/numerals.toml``); this module holds the reader.  It reads
Arabic numerals (``1.08``, ``12,000``), Chinese numerals small and large (``三千二百``,
``一千零十``, ``十一``, ``两万三`` = 23000, ``5万万``), financial and Traditional forms
(``壹佰壹拾壹``, ``參萬``), mixtures (``2万5000``, ``3千零20万``, ``1.2万``), decimals
(``二点五``, ``一点五万``), negatives (``负三``), fractions (``三分之一``, ``3/5``) and
approximate forms (``三四`` = 3–4, ``十几`` = 11–19, ``一百多万`` = more than 10^6).
Values are ``Decimal`` so that ``1.08万`` is exactly 10800, not 10800.000000000002.

Two entry points: :func:`parse_numeral` gives the full reading (a range, a comparator);
:func:`parse_number` the one exact value of a plain number.  :func:`numeral_pattern` is the
regular expression of one numeral that the quantity recogniser embeds.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from targetex.resources import read_toml

__all__ = ["MAGNITUDES", "Numeral", "NumeralGrammar", "first_characters", "grammar", "numeral_pattern",
           "parse_number", "parse_numeral"]

#: Multipliers written after an Arabic number (1.2万, 3千万), and what they multiply by.
MAGNITUDES: dict[str, Decimal] = {
    "万亿": Decimal(10) ** 12,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
    "千": Decimal(10) ** 3,
    "百": Decimal(10) ** 2,
}


#: Longest numeral read, in characters: 16 Chinese digits spelled out take 31, and a
#: number of more than 309 digits is no finite float anyway.
MAX_LENGTH = 400


@dataclass(frozen=True)
class NumeralGrammar:
    """``models/numerals.toml`` parsed (see that file for what each table means)."""

    arabic: str
    digits: dict[str, int]
    units: dict[str, int]
    sections: dict[str, int]
    point: str
    negative: str
    negative_not_after: str
    fraction: str
    ratio: str
    some: str
    more: str
    half: str
    half_not_before: str
    some_after_unit: tuple[int, int]
    some_leading: tuple[int, int]
    per: dict[str, str]
    bare_magnitude_prefixes: dict[str, str]
    money: dict[str, str]
    shares: dict[str, Any]
    word_amounts: dict[str, dict[str, Any]]

    @functools.cached_property
    def arabic_regex(self) -> re.Pattern[str]:
        """The Arabic numeral alone."""
        return re.compile(self.arabic)


@functools.cache
def grammar() -> NumeralGrammar:
    """The numeral grammar of ``models/numerals.toml`` (read once)."""
    data = read_toml("numerals.toml")
    marks = data["marks"]
    some = data["some_digit"]
    return NumeralGrammar(
        arabic=data["arabic"],
        digits={k: int(v) for k, v in data["digits"].items()},
        units={k: int(v) for k, v in data["units"].items()},
        sections={k: int(v) for k, v in data["sections"].items()},
        point=marks["point"],
        negative=marks["negative"],
        negative_not_after=marks["negative_not_after"],
        fraction=marks["fraction"],
        ratio=marks["ratio"],
        some=marks["some"],
        more=marks["more"],
        half=marks["half"],
        half_not_before=marks["half_not_before"],
        some_after_unit=(int(some["after_unit"][0]), int(some["after_unit"][1])),
        some_leading=(int(some["leading"][0]), int(some["leading"][1])),
        per=dict(data["per"]),
        bare_magnitude_prefixes=dict(data["bare_magnitude_prefixes"]),
        money=dict(data["money"]),
        shares=dict(data["shares"]),
        word_amounts={k: dict(v) for k, v in data.get("word_amounts", {}).items()},
    )


@dataclass(frozen=True, slots=True)
class Numeral:
    """One numeral read: a value, or a range for approximate forms.

    Attributes:
        low: the value (the lower end of a range).
        high: the upper end of a range (``三四`` gives 3 and 4), else ``None``.
        comparator: ``">"`` for 多/余 inside the numeral (``一百多万``), else ``None``.
        chinese: the numeral starts with a Chinese character (not an Arabic digit).
    """

    low: Decimal
    high: Decimal | None = None
    comparator: str | None = None
    chinese: bool = False


# A token of a numeral: ("num", low, high, single) for a digit, a digit pair, 几 or an Arabic
# number (single: one digit, which may stand for a lower place: 两万三); ("unit", value);
# ("section", exponent); ("zero",); ("more",).
_Token = tuple[Any, ...]


def _class(chars: Iterable[str]) -> str:
    return "".join(re.escape(ch) for ch in chars)


def numeral_pattern(blocked: Mapping[str, Sequence[str]] | None = None) -> str:
    """The regular expression of one unsigned numeral (no fraction, no 百分之).

    Args:
        blocked: for a unit or section character, the words after which it starts a unit
            word rather than being a magnitude (千 before 米/瓦/克/元: 5千米 is 5 km).
    """
    g = grammar()
    blocked = blocked or {}
    digits = _class(g.digits) + _class(g.some)

    def alternatives(chars: list[str]) -> list[str]:
        out = ["[" + _class(ch for ch in chars if ch not in blocked) + "]"]
        for ch in chars:
            if ch in blocked:
                after = "|".join(re.escape(w) for w in sorted(blocked[ch], key=len, reverse=True))
                out.append(f"{re.escape(ch)}(?!{after})")
        return out

    # A unit (十百千) never follows a section mark directly: 12.5万千元 is 12.5万 × 千元.
    units = "(?:" + "|".join(alternatives(list(g.units))) + ")"
    sections = "(?:" + "|".join(alternatives(list(g.sections))) + ")"
    magnitude = f"(?:(?<![{_class(g.sections)}]){units}|{sections})"
    ten = _class(ch for ch, v in g.units.items() if v == 10)
    prefixes = _class(g.bare_magnitude_prefixes)
    # The look-behind for 上万/近千 comes after the character, so that every alternative
    # starts with a character class and the regex engine can skip other text fast.
    start = f"(?:{g.arabic}|[{digits}]|[{ten}]|(?:{units}|{sections})(?<=[{prefixes}].))"
    body = f"(?:{g.arabic}|[{digits}]|{magnitude}|[{_class(g.more)}](?={magnitude}))*"
    decimal = f"(?:[{_class(g.point)}][{_class(g.digits)}]+{magnitude}*)?"
    # Atomic: a branch that needs a word after the numeral (分之, 成, 元) and does not find
    # it must not retry every shorter split of a long digit run (exponential backtracking).
    return f"(?>{start}{body}{decimal})"


def first_characters() -> str:
    """A regex character class of every character a (signed) numeral can start with.

    Written as a look-ahead before a numeral it lets the regex engine skip other text fast.
    """
    g = grammar()
    chars = [*g.digits, *g.some, *g.units, *g.sections, *g.negative]
    return "[\\d" + _class(chars) + "]"


def _tokens(text: str) -> list[_Token]:
    g = grammar()
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isdigit() and ch.isascii():
            m = g.arabic_regex.match(text, i)
            if m is None:  # pragma: no cover - an ASCII digit always starts an Arabic numeral
                raise ValueError(f"not a number: {text!r}")
            value = Decimal(m.group().replace(",", ""))
            tokens.append(("num", value, value, m.end() - i == 1))
            i = m.end()
        elif ch in g.digits:
            j = i
            while j < n and text[j] in g.digits:
                j += 1
            run = [g.digits[c] for c in text[i:j]]
            while tokens and len(run) > 1 and run[0] == 0:
                tokens.append(("zero",))  # 一千零五: the 零 only marks an empty place
                run = run[1:]
            if len(run) == 1:
                digit = Decimal(run[0])
                tokens.append(("zero",) if digit == 0 and tokens else ("num", digit, digit, True))
            elif len(run) == 2 and run[0] and 1 <= run[1] - run[0] <= 2:
                tokens.append(("num", Decimal(run[0]), Decimal(run[1]), True))  # 三四: 3 or 4
            else:
                value = Decimal("".join(str(d) for d in run))  # 二〇二一: positional
                tokens.append(("num", value, value, False))
            i = j
        elif ch in g.units:
            tokens.append(("unit", Decimal(g.units[ch])))
            i += 1
        elif ch in g.sections:
            tokens.append(("section", g.sections[ch]))
            i += 1
        elif ch in g.some:
            low, high = g.some_after_unit if tokens else g.some_leading
            tokens.append(("num", Decimal(low), Decimal(high), True))
            i += 1
        elif ch in g.more:
            tokens.append(("more",))
            i += 1
        else:
            raise ValueError(f"not a numeral character: {ch!r} in {text!r}")
    return tokens


def _small(tokens: list[_Token], pick: int) -> Decimal:
    """Value below 万: digits times 十/百/千, with 零 and the shortened last digit (一百二)."""
    total = Decimal(0)
    pending: Decimal | None = None
    pending_single = False
    last_unit: Decimal | None = None
    after_zero = False
    for token in tokens:
        kind = token[0]
        if kind == "num":
            if pending is not None:
                raise ValueError("two numbers in a row")
            pending, pending_single = token[1 + pick], token[3]
        elif kind == "unit":
            unit = token[1]
            if last_unit is not None and unit >= last_unit:
                raise ValueError("units must decrease")
            if pending is None:
                if total and unit != 10:
                    raise ValueError("a unit without a digit")
                pending = Decimal(1)  # 十二, 一千零十, 百 alone
            total += pending * unit
            last_unit, pending, after_zero = unit, None, False
        elif kind == "zero":
            if pending is not None:
                raise ValueError("零 after a digit")
            after_zero = True
    if pending is not None:
        if last_unit is not None and last_unit >= 100 and not after_zero and pending_single:
            total += pending * last_unit / 10  # 一百二 = 120, 三千五 = 3500
        else:
            if last_unit is not None and pending >= last_unit:
                raise ValueError("a number after a smaller unit")
            total += pending
    return total


def _integer(tokens: list[_Token], pick: int) -> Decimal:
    """Value of an integer numeral: split at its last highest section mark (万, 亿)."""
    tokens = [t for t in tokens if t[0] != "more"]
    sections: list[tuple[int, int]] = [(t[1], i) for i, t in enumerate(tokens) if t[0] == "section"]
    if not sections:
        if not tokens:
            raise ValueError("empty numeral")
        return _small(tokens, pick)
    exponent, at = max(sections)
    scale = Decimal(10) ** exponent
    left, right = tokens[:at], tokens[at + 1 :]
    left_value = _integer(left, pick) if left else Decimal(1)
    if left_value == 0:
        raise ValueError("zero before a section mark")
    if len(right) == 1 and right[0][0] == "num" and right[0][3] and right[0][1 + pick] < 10:
        digit: Decimal = right[0][1 + pick]
        return left_value * scale + digit * scale / 10  # 两万三 = 23000
    while right and right[0][0] == "zero":
        right = right[1:]
    right_value = _integer(right, pick) if right else Decimal(0)
    if right_value >= scale:
        raise ValueError("the part after a section mark is too large")
    total: Decimal = left_value * scale + right_value
    return total


def _unsigned(text: str) -> Numeral:
    g = grammar()
    chinese = not (text[:1].isdigit() and text[:1].isascii())
    if g.fraction in text:
        denominator, _, numerator = text.partition(g.fraction)
        low = _unsigned(numerator).low
        below = _unsigned(denominator).low
        if below == 0:
            raise ValueError(f"zero denominator: {text!r}")
        return Numeral(low / below, chinese=chinese)
    if re.fullmatch(r"\d+/\d+", text):
        numerator, _, denominator = text.partition("/")
        if int(denominator) == 0:
            raise ValueError(f"zero denominator: {text!r}")
        return Numeral(Decimal(numerator) / Decimal(denominator))
    point = next((i for i, ch in enumerate(text) if ch in g.point), -1)
    fraction = Decimal(0)
    scale_tokens: list[_Token] = []
    if point >= 0:
        whole, rest = text[:point], text[point + 1 :]
        k = 0
        while k < len(rest) and rest[k] in g.digits:
            k += 1
        if k == 0:
            raise ValueError(f"no digits after the point: {text!r}")
        fraction = Decimal("0." + "".join(str(g.digits[ch]) for ch in rest[:k]))
        scale_tokens = _tokens(rest[k:])
        if any(t[0] not in ("unit", "section") for t in scale_tokens):
            raise ValueError(f"not a number: {text!r}")
        text = whole
    tokens = _tokens(text) if text else []
    comparator = ">" if any(t[0] == "more" for t in tokens) else None
    values = []
    for pick in (0, 1):
        value = (_integer(tokens, pick) if tokens else Decimal(0)) + fraction
        for token in scale_tokens:
            value *= token[1] if token[0] == "unit" else Decimal(10) ** token[1]
        values.append(value)
    low, high = values
    return Numeral(low, high if high != low else None, comparator, chinese)


_PLAIN_ARABIC = re.compile(r"\d+(?:\.\d+)?")


@functools.lru_cache(maxsize=8192)
def parse_numeral(text: str) -> Numeral:
    """Read one numeral, with its range or comparator when it is approximate.

    Args:
        text: the numeral as written, e.g. ``"两万三"``, ``"3萬2千5百"``, ``"负0.5"``,
            ``"三分之一"``, ``"十几"``.  Full-width digits must already be folded.

    Raises:
        ValueError: if ``text`` is not a numeral.

    >>> parse_numeral("两万三").low
    Decimal('23000')
    >>> n = parse_numeral("三四百")
    >>> (n.low, n.high)
    (Decimal('300'), Decimal('400'))
    >>> parse_numeral("一百多万").comparator
    '>'
    """
    text = text.strip()
    if _PLAIN_ARABIC.fullmatch(text):
        return Numeral(Decimal(text))  # the common case, read directly
    g = grammar()
    sign = 1
    if text[:1] in g.negative or text[:1] == "-":
        sign, text = -1, text[1:]
    if not text:
        raise ValueError("empty number")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"too long for a numeral ({len(text)} characters)")
    try:
        numeral = _unsigned(text)
    except (InvalidOperation, ArithmeticError):
        raise ValueError(f"not a number: {text!r}") from None
    if sign < 0:
        high = None if numeral.high is None else -numeral.low
        low = -numeral.low if numeral.high is None else -numeral.high
        return Numeral(low, high, numeral.comparator, numeral.chinese)
    return numeral


def parse_number(text: str) -> Decimal:
    """Read one plain number, Arabic or Chinese, with an optional trailing magnitude.

    Args:
        text: the number as written, e.g. ``"1.2万"``, ``"三千二百"``, ``"一点五"``,
            ``"12,000"``, ``"二〇二一"``. Full-width digits must already be folded.

    Returns:
        The exact value as a ``Decimal``.

    Raises:
        ValueError: if ``text`` is not a number, or is a range (``三四``).

    >>> parse_number("1.2万")
    Decimal('12000.0')
    >>> parse_number("三千二百")
    Decimal('3200')
    """
    numeral = parse_numeral(text)
    if numeral.high is not None:
        raise ValueError(f"a range, not one number: {text!r}")
    return numeral.low
