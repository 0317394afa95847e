"""Numbers as written in Chinese policy text, read into exact ``Decimal`` values.

Arabic numerals (``1.08``, ``12,000``), Chinese numerals (``三千二百``, ``两万``,
``一点五``, ``二〇二一``) and their mixtures with a magnitude (``1.2万``, ``25亿``,
``3千万``).  Values are ``Decimal`` so that ``1.08万`` is exactly 10800, not
10800.000000000002.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

__all__ = ["MAGNITUDES", "parse_number"]

_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}

#: Multipliers written after a number, and what they multiply by.
MAGNITUDES: dict[str, Decimal] = {
    "万亿": Decimal(10) ** 12,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
    "千": Decimal(10) ** 3,
    "百": Decimal(10) ** 2,
}


def _chinese_integer(text: str) -> Decimal:
    # A run of bare digits (二〇二一, 一五) is positional, not a spelled-out number.
    if all(ch in _DIGITS for ch in text) and len(text) > 1:
        return Decimal("".join(str(_DIGITS[ch]) for ch in text))
    total = Decimal(0)  # the part already multiplied by 亿
    section = Decimal(0)  # the part below 亿 (may already include a 万 group)
    digit = Decimal(0)
    seen_digit = False
    for ch in text:
        if ch in _DIGITS:
            digit = Decimal(_DIGITS[ch])
            seen_digit = True
        elif ch in _SMALL_UNITS:
            if not seen_digit and ch == "十":
                digit = Decimal(1)  # 十二 is 12: the leading 一 is left unwritten
            section += digit * _SMALL_UNITS[ch]
            digit = Decimal(0)
            seen_digit = False
        elif ch == "万":
            section = (section + digit) * 10000
            digit = Decimal(0)
            seen_digit = False
        elif ch == "亿":
            total = (total + section + digit) * Decimal(10) ** 8
            section = Decimal(0)
            digit = Decimal(0)
            seen_digit = False
        else:
            raise ValueError(f"not a Chinese numeral character: {ch!r} in {text!r}")
    return total + section + digit


def parse_number(text: str) -> Decimal:
    """Read one number, Arabic or Chinese, with an optional trailing magnitude.

    Args:
        text: the number as written, e.g. ``"1.2万"``, ``"三千二百"``, ``"一点五"``,
            ``"12,000"``. Full-width digits must already be folded (see ``normalize``).

    Returns:
        The exact value as a ``Decimal``.

    Raises:
        ValueError: if ``text`` is not a number.

    >>> parse_number("1.2万")
    Decimal('12000.0')
    >>> parse_number("三千二百")
    Decimal('3200')
    """
    text = text.strip()
    if not text:
        raise ValueError("empty number")
    factor = Decimal(1)
    # Strip trailing magnitudes from Arabic numbers (1.2万, 3千万); Chinese numerals carry
    # theirs inside (两万) and are read by the Chinese reader below.
    if text[0].isdigit():
        for word in sorted(MAGNITUDES, key=len, reverse=True):
            if text.endswith(word) and text[: -len(word)][-1:].isdigit():
                factor = MAGNITUDES[word]
                text = text[: -len(word)]
                break
        try:
            return Decimal(text.replace(",", "")) * factor
        except InvalidOperation:
            raise ValueError(f"not a number: {text!r}") from None
    if "点" in text:
        # 一点五万: the magnitude after the decimal part scales the whole number.
        for word in sorted(MAGNITUDES, key=len, reverse=True):
            if text.endswith(word) and len(text) > len(word) and text[-len(word) - 1] in _DIGITS:
                return parse_number(text[: -len(word)]) * MAGNITUDES[word]
        whole, _, frac = text.partition("点")
        if not frac or any(ch not in _DIGITS for ch in frac):
            raise ValueError(f"not a number: {text!r}")
        integer = _chinese_integer(whole) if whole else Decimal(0)
        return integer + Decimal("0." + "".join(str(_DIGITS[ch]) for ch in frac))
    return _chinese_integer(text)
