"""The numeral grammar against cn2an, a numeral library users know (differential tests).

hypothesis draws integers and decimals, cn2an renders them (``an2cn`` in its ``low``,
``up`` and ``rmb`` modes), and ``targetex.parse_quantity`` must read the same value back.
Mixed Arabic + 万/亿 forms (``3亿2500万``, ``2万零5``, ``1.25万``), which cn2an does not
write, are rendered here.  Cases per test follow the hypothesis profile (tests/conftest.py):
``ci`` runs 300 per test (2,100 in all), ``deep`` 3,000 per test (21,000 in all).

Where cn2an and targetex differ, the reason is written beside the test:

- ``rmb`` mode keeps only 角 and 分: cn2an truncates 1.239 to 壹元贰角叁分 and 0.001 to
  零元整.  That is cn2an's rendering, not a different reading of the same words, so the
  expected value is the amount truncated to fen (``test_rmb_mode``).
- cn2an refuses numbers of 17 digits or more (超出数据范围); targetex reads them.
"""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_DOWN, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import targetex
from targetex.numerals import parse_number, parse_numeral

cn2an = pytest.importorskip("cn2an")

#: Generated cases run, by test (summed in the terminal summary by tests/conftest.py).
GENERATED_CASES: Counter[str] = Counter()

#: cn2an writes at most 16 integer digits.
CN2AN_MAX = 10**16 - 1

integers = st.integers(min_value=-CN2AN_MAX, max_value=CN2AN_MAX)
small_integers = st.integers(min_value=0, max_value=10**9)
decimals = st.decimals(min_value=0, max_value=10**12, places=6, allow_nan=False, allow_infinity=False)


def _read(expression: str) -> float:
    quantity = targetex.parse_quantity(expression)
    assert quantity.text == expression, (expression, quantity)
    return quantity.value


def _same(actual: float, expected: Decimal) -> None:
    assert actual == float(expected), (actual, expected)


@given(integers | small_integers)
def test_low_mode_integers(n: int) -> None:
    GENERATED_CASES["low integers"] += 1
    text = cn2an.an2cn(n, "low")
    _same(_read(text), Decimal(n))
    assert targetex.parse_quantity(text).unit == "number"


@given(decimals)
def test_low_mode_decimals(d: Decimal) -> None:
    GENERATED_CASES["low decimals"] += 1
    _same(_read(cn2an.an2cn(str(d), "low")), d)


@given(integers | small_integers)
def test_up_mode_integers(n: int) -> None:
    GENERATED_CASES["up integers"] += 1
    _same(_read(cn2an.an2cn(n, "up")), Decimal(n))


@given(decimals)
def test_up_mode_decimals(d: Decimal) -> None:
    GENERATED_CASES["up decimals"] += 1
    _same(_read(cn2an.an2cn(str(d), "up")), d)


@given(st.decimals(min_value=0, max_value=10**13, places=3, allow_nan=False, allow_infinity=False)
       | st.integers(min_value=-(10**12), max_value=10**12).map(Decimal))
def test_rmb_mode(d: Decimal) -> None:
    GENERATED_CASES["rmb"] += 1
    text = cn2an.an2cn(str(d), "rmb")
    # cn2an keeps 角 and 分 only: the written amount is d truncated to fen (see above).
    written = d.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    quantity = targetex.parse_quantity(text)
    assert quantity.text == text and quantity.unit == "CNY", (text, quantity)
    _same(quantity.value, written)


def _mixed(n: int) -> str:
    """``n`` as people write it with Arabic groups: 3亿2500万, 2万零5, 1亿零800万."""
    yi, wan, rest = n // 10**8, n // 10**4 % 10**4, n % 10**4
    parts = []
    if yi:
        parts.append(f"{yi}亿")
    if wan:
        parts.append(("零" if yi and wan < 1000 else "") + f"{wan}万")
    if rest:
        parts.append(("零" if (yi or wan) and rest < 1000 else "") + str(rest))
    return "".join(parts) or "0"


@given(st.integers(min_value=1, max_value=CN2AN_MAX)
       | st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False).filter(lambda d: d > 0))
def test_mixed_arabic_and_magnitudes(n: int | Decimal) -> None:
    GENERATED_CASES["mixed"] += 1
    if isinstance(n, Decimal):
        text, value = f"{n}万", n * 10**4  # 1.2345万
    else:
        text, value = _mixed(n), Decimal(n)
    _same(_read(text), value)
    # cn2an's smart mode reads the same forms; it must agree where it reads them at all.
    if isinstance(n, int) and "零" not in text and n < 10**12:
        assert Decimal(str(cn2an.cn2an(text, "smart"))) == value


@given(st.integers(min_value=1, max_value=10**8))
def test_cn2an_reads_what_targetex_reads(n: int) -> None:
    GENERATED_CASES["cn2an reads back"] += 1
    text = cn2an.an2cn(n, "low")
    assert cn2an.cn2an(text, "strict") == n == parse_number(text)


@pytest.mark.parametrize(
    ("text", "low", "high", "comparator"),
    [
        ("一千零十", 1010, None, None), ("十一", 11, None, None), ("一十一", 11, None, None),
        ("两万三", 23000, None, None), ("一万二", 12000, None, None), ("三千五", 3500, None, None),
        ("一百二", 120, None, None), ("一千零五", 1005, None, None), ("5万万", 5 * 10**8, None, None),
        ("一万亿", 10**12, None, None), ("3千零20万", 30200000, None, None), ("2万5000", 25000, None, None),
        ("3萬2千5百", 32500, None, None), ("壹佰壹拾壹", 111, None, None), ("參萬", 30000, None, None),
        ("二〇二一", 2021, None, None), ("三四", 3, 4, None), ("十七八", 17, 18, None),
        ("两三万", 20000, 30000, None), ("十几", 11, 19, None), ("几十", 20, 90, None),
        ("一百多万", 10**6, None, ">"), ("十余万", 100000, None, ">"), ("负三", -3, None, None),
        ("负0.5", Decimal("-0.5"), None, None), ("三分之一", Decimal(1) / 3, None, None),
        ("3/5", Decimal("0.6"), None, None), ("一点五万", 15000, None, None),
        ("零点零五", Decimal("0.05"), None, None),
    ],
)
def test_grammar(text: str, low: int | Decimal, high: int | None, comparator: str | None) -> None:
    numeral = parse_numeral(text)
    assert (numeral.low, numeral.high, numeral.comparator) == (Decimal(low), None if high is None else
                                                              Decimal(high), comparator)


@pytest.mark.parametrize("text", ["", "一百千", "十20", "1万20000", "五5", "零分之三", "3/0", "点", "负"])
def test_not_numerals(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize("text", ["〇百分之七", "零分之三个", "新增零分之一", "负", "-", "万万万万", "1/0"])
def test_odd_numerals_in_text_give_no_error(text: str) -> None:
    for quantity in targetex.find_quantities(text):
        assert text[quantity.start : quantity.end] == quantity.text
    with pytest.raises(targetex.QuantityParseError):
        targetex.parse_quantity(text)

