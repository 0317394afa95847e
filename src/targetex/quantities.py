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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from targetex.clauses import CLAUSE_END
from targetex.errors import QuantityParseError
from targetex.normalize import NormalizedText, normalize
from targetex.numerals import (
    MAGNITUDES,
    first_characters,
    grammar,
    numeral_pattern,
    parse_number,
    parse_numeral,
)
from targetex.records import Comparator, Quantity
from targetex.resources import Lexicon, expand, load
from targetex.scanning import matches, search, start_class

__all__ = ["Mention", "QuantityFinder", "find_quantities", "parse_quantity"]

# Comparators by their value (a look-up here is ten times cheaper than ``Comparator(value)``).
_COMPARATORS = {c.value: c for c in Comparator}
# Percent as words: 一半 and 半数 are 50, 翻一番 doubles (+100%).
_HALF = Decimal(50)
# What follows a date or a page written with a slash (3/5日, 1/2页) rather than a fraction.
_NOT_AFTER_FRACTION = frozenset("月日号期页版次")
# Characters before 前 in which a ranking word makes a bare number a rank (保持全市前3).
_RANK_REACH = 8
# A list of counts (一所…和一所…): the joining words, how far back the first item may
# stand, and what ends a clause.
_COORDINATORS = frozenset("和及与、")
# How far before a numeral the cue verb of the object it counts may stand (新建学校两所).
_OBJECT_REACH = 14
_FAR_OBJECT_REACH = 26  # (a count that closes its clause: the verb may stand further back)
_PARALLEL_REACH = 30
_DIGITS_AFTER_CJK = re.compile(r"[^\x00-\x7f]+(?=\d)")  # (the run before the first Arabic digit)
# Where the noun after a count ends: a clause end or a list comma.
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_NOUN_END = re.compile("[" + re.escape(CLAUSE_END + "、") + "]")
_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Mention:
    """A quantity found in normalised text, with what the target stage needs to judge it.

    Attributes:
        quantity: the quantity, offsets in the *normalised* text.
        chinese: the number is written in Chinese numerals.
        bare: no unit was written (unit ``number``).
        doubling: a word amount that is its own predicate (翻一番, 零增长): a change.
        action: the part of the span that is the action (翻一番 whole, 增长 of 零增长).
    """

    quantity: Quantity
    chinese: bool = False
    bare: bool = False
    doubling: bool = False
    action: str = ""


@dataclass(slots=True)
class _Reading:
    """What one regex match says, before comparators and the bare-number rule.

    (Not frozen: one is made for every match, and a frozen dataclass pays for each field
    it sets.)
    """

    value: Decimal
    value_max: Decimal | None
    unit: str
    classifier: str = ""
    chinese: bool = False
    bare: bool = False
    doubling: bool = False
    action: str = ""  # the predicate written inside a word amount
    comparator: str | None = None  # from the numeral itself (一百多万, 上万)
    end: int | None = None  # where the mention ends, if not at the match's end


def _alternation(words: list[str], guards: dict[str, str]) -> str:
    """Regex alternation of ``words``, longest first, each with its look-ahead guard.

    A look-ahead for the words' first characters opens it: Python's regex engine tries the
    alternatives one by one, and after most numbers no unit word starts at all.
    """
    parts = []
    for word in sorted(words, key=len, reverse=True):
        part = re.escape(word)
        if word in guards:
            part += f"(?![{re.escape(guards[word])}])"
        if word[-1].isascii() and word[-1].isalpha():
            part += "(?![A-Za-z0-9])"  # 5km, not 5kmh; 3t, not 3tb
        parts.append(part)
    if not parts:
        return ""
    first = "".join(re.escape(ch) for ch in sorted({w[0] for w in words}))
    return f"(?=[{first}])(?:" + "|".join(parts) + ")"


class QuantityFinder:
    """Compiled recogniser of quantity mentions; build once, reuse (see :func:`finder`)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        g = grammar()
        self._grammar = g
        table = lexicon.unit_table
        magnitude_chars = {*g.units, *g.sections}
        blocked: dict[str, list[str]] = {}
        for surface, (unit, _) in table.surfaces.items():
            rest = table.surfaces.get(surface[1:])
            if len(surface) > 1 and surface[0] in magnitude_chars and (rest is None or rest[0] != unit):
                # 5千米 is 5 km, not 5000 m; but 一万一千元 is 11000 元 (千元 is 1000 元 anyway)
                blocked.setdefault(surface[0], []).append(surface[1:])
        number = numeral_pattern(blocked)
        negative = "(?<![" + re.escape(g.negative_not_after) + "])[" + re.escape(g.negative) + "]"
        sep = expand("{range_sep}", lexicon.fragments)
        unit_words = [*lexicon.units, *lexicon.classifiers]
        units = _alternation(unit_words, table.not_followed_by)
        # 两个半月, 一个半小时: 个半 before a unit (a unit written with 个 drops it).
        after_half = {w[1:] for w in lexicon.units if w.startswith("个") and len(w) > 1}
        half_units = _alternation(sorted(after_half | set(lexicon.units)), table.not_followed_by)
        infix = "|".join(re.escape(w) for w in lexicon.comparator_infix)
        per = "[" + re.escape("".join(g.per)) + "]"
        fraction = re.escape(g.fraction)
        half = re.escape(g.half) + "(?![" + re.escape(g.half_not_before) + "])"
        money = g.money
        fin = "[" + re.escape(money["financial_digits"]) + "]+"
        self._financial = re.compile(fin)
        yuan, jiao = re.escape(money["yuan"]), re.escape(money["jiao"])
        fen = re.escape(money["fen"]) + "(?!钟)"  # 5分钟 is minutes
        digits = re.escape("".join(g.digits))
        shares = g.shares
        self._share_guard = re.compile("[" + re.escape(shares["not_before"]) + "]")
        # One numeral (parsed once: the pattern is atomic), then what follows it decides the
        # reading: 分之 (a fraction), 成 (a share), 元角分 (money), or a unit, a range, nothing.
        after_numeral = (
            rf"(?:{fraction}(?P<fnum>{number})"
            rf"|(?P<cheng>(?:(?:{sep})(?P<c2>{number}))?{re.escape(shares['word'])}(?P<chalf>{half})?)"
            rf"|(?P<money>[{yuan}](?:零?(?P<jiao>{number})[{jiao}](?:零?(?P<fen>{number}){fen})?"
            rf"|零?(?P<fen2>{number}){fen}|(?P<whole>[{re.escape(money['whole'])}])"
            rf"|(?<=块)(?P<jiao2>[{digits}])(?![{digits}{re.escape(''.join(magnitude_chars))}\d])))"
            # 伍角, 叁角伍分: 角 and 分 alone only after financial digits (三角, 十分 are words)
            rf"|(?P<cents>[{jiao}](?:零?(?P<fen3>{fin}){fen})?|{fen})"
            rf"|(?:(?P<u1>{units})?(?P<sep>{sep})(?P<n2>{number}))?"
            rf"(?P<inf>{infix})?(?:个半(?P<hunit>{half_units})|(?P<unit>{units})(?P<uhalf>{half})?)?)"
        )
        branches = [
            # An Arabic fraction in running text (占全省的1/3以上): a proper fraction of small
            # numbers, not inside a longer number or a date or path (2023/3/5, 1/2/3).
            r"(?P<afrac>(?<![\d./])[1-9]\d?/[1-9]\d?(?![\d/.]))",
            # A ratio to one (之比达到2.6:1): its first number; not inside a longer number or
            # a clock time (10:30 is masked as a date before).
            rf"(?P<ratio>(?<![\d.:])(?P<rnum>\d+(?:\.\d+)?)\s*[{re.escape(g.ratio)}]\s*1(?![\d.:]))",
            # (百分之百: the whole, the denominator written again)
            rf"(?P<per>(?P<pden>{per}){fraction}(?P<p1>{number}|(?P=pden)(?![\d{digits}]))"
            rf"(?:(?:{sep})(?:{per}{fraction})?(?P<p2>{number}))?)",
            r"(?P<fan>翻(?P<fann>[一两二三四五]?)番)",
            r"(?P<half>一半|半数)",
            "(?P<word>" + ("|".join(map(re.escape, g.word_amounts)) or "(?!)") + ")",
        ]
        first = first_characters()
        lead = rf"(?P<n1>(?={first})(?:{negative})?{number})"
        self._regex = re.compile("|".join([*branches, lead + after_numeral]))
        # Python's regex engine tries the whole alternation at every position of a search:
        # jumping to the next character a match can start with, then matching there, finds
        # the same matches in about half the time.
        self._candidate = start_class(self._regex)
        self._date_start = start_class(lexicon.date_regex)
        # parse_quantity reads one expression: a leading minus and an Arabic fraction count.
        whole_lead = rf"(?P<n1>(?:{negative}|-(?=\d))?{number})"  # one expression: no need to skip fast
        self._whole_regex = re.compile(
            "|".join([r"(?P<wfrac>\d+/\d+)", *branches, whole_lead + after_numeral]))
        # Comparator words by slicing (a dict look-up per length is far cheaper than an
        # endswith/startswith per word): the longest word wins, as before.
        self._prefix_max = max(map(len, lexicon.comparator_prefix), default=0)
        self._suffix_words_start = tuple(lexicon.comparator_suffix) or ("\0",)
        self._suffix_max = max(map(len, lexicon.comparator_suffix), default=0)
        self._return_period_firsts = frozenset(m[0] for m in lexicon.return_period_marks)
        # Words after which a one-character Chinese numeral starts an amount (新建两座, 各一个);
        # elsewhere it is usually inside a word (统一部署, 进一步).
        openers = {*lexicon.verbs, *lexicon.comparator_prefix, *lexicon.distributive,
                   *lexicon.adverbs, *(v + p for v in lexicon.verbs for p in ("了", "成"))}
        self._opener = WordBefore(openers, 6)
        self._vague = re.compile("|".join(re.escape(w) for w in lexicon.vague))
        # 新建学校两所, 培育龙头企业五家: a numeral with its measure word after the object of a
        # cue verb (the verb, a short object of Chinese characters, then the numeral).
        object_verbs = sorted((v for v in lexicon.verbs if len(v) >= 2), key=len, reverse=True)
        object_chars = "(?:(?![的是以并和及与或一批])[\u4e00-\u9fff]){2,6}$"  # (no function word)
        self._verb_object = re.compile(
            "(?:" + "|".join(map(re.escape, object_verbs)) + ")" + object_chars) if object_verbs else None
        # 培育省级现代服务业集聚区两个。: a count that closes its clause may follow a longer
        # object (digits allowed: 世界500强企业项目两个以上), as long as no clause ends between.
        far_object = "(?:(?![的是以并和及与或])[\u4e00-\u9fff0-9A-Za-z“”]){2,20}$"
        self._verb_far_object = re.compile(
            "(?:" + "|".join(map(re.escape, object_verbs)) + ")" + far_object) if object_verbs else None
        self._closes_clause = re.compile(
            "(?:" + "|".join(map(re.escape, sorted(lexicon.comparator_suffix, key=len, reverse=True)))
            + ")?(?:[" + re.escape(CLAUSE_END) + "]|$)")
        self._measure_firsts = frozenset(w[0] for w in lexicon.classifiers)
        self._change_verb = WordBefore((v for v, e in lexicon.verbs.items()
                                        if e.kind in ("change", "level") and len(v) > 1), 6)
        self._single = frozenset([*g.digits, *(ch for ch, v in g.units.items() if v == 10), *g.some])
        self._magnitude_chars = frozenset(magnitude_chars)
        self._numeral_chars = frozenset([*g.digits, *g.units, *g.sections, *g.some, g.half])
        # Numeral words by the offset of a numeral character inside them: a numeral starting
        # at s is inside a word when the word matches at s - offset.
        by_offset: dict[int, list[str]] = {}
        for word in lexicon.numeral_words:
            for k, ch in enumerate(word):
                if ch in self._numeral_chars:
                    by_offset.setdefault(k, []).append(word)
        self._words_at = [(k, re.compile("|".join(re.escape(w) for w in sorted(ws, key=len, reverse=True))))
                          for k, ws in sorted(by_offset.items())]

    # -- masks -------------------------------------------------------------------------
    def _masked_spans(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Dates: no quantity may overlap them."""
        dates = matches(self.lexicon.date_regex, self._date_start, text, start, end)
        return [m.span() for m in dates if m.end() > m.start()]

    def _vague_starts(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Vague amounts (一批, 几个): no quantity may start inside them (十几个 may)."""
        return [m.span() for m in self._vague.finditer(text, start, end)]

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

    def _inside_word(self, text: str, start: int, end: int) -> int:
        """End of the numeral word (统一, 四个全面) that the numeral ``text[start:end]`` is
        inside, or -1.  A word that begins before the numeral always counts (统一三个); one
        that begins with it only when the numeral ends inside it (十分 in 十分重要, not in
        十分之一)."""
        if text[start] not in self._numeral_chars:
            return -1
        found = -1
        for k, regex in self._words_at:
            if k > start:
                break
            m = regex.match(text, start - k)
            if m is not None and m.end() > start and (k > 0 or end <= m.end()):
                found = max(found, m.end())
        return found

    # -- comparators -------------------------------------------------------------------
    def _prefix(self, text: str, start: int) -> tuple[str | None, int]:
        pos = start
        while pos > 0 and text[pos - 1] == " ":
            pos -= 1
        window = text[max(0, pos - 4) : pos]
        prefixes = self.lexicon.comparator_prefix
        for k in range(min(self._prefix_max, len(window)), 0, -1):
            found = prefixes.get(window[-k:])
            if found is not None:
                return found, pos - k
        return None, start

    def _suffix(self, text: str, end: int) -> tuple[str | None, int]:
        pos = end
        while pos < len(text) and text[pos] == " ":
            pos += 1
        if text.startswith("/", pos):  # 菌落总数10万/毫升以内: the bound after a denominator
            for k in range(1, 4):        # that no unit read
                if _CJK_RUN.fullmatch(text, pos + 1, pos + 1 + k) and text.startswith(
                        self._suffix_words_start, pos + 1 + k):
                    pos += 1 + k
                    break
        suffixes = self.lexicon.comparator_suffix
        ahead = text[pos : pos + 1]
        if ahead in "(（":
            marked = self.lexicon.inclusive_mark.match(text, pos)  # 30人（含）以下
            if marked is not None:
                pos = marked.end()
        elif ahead in self._return_period_firsts and text.startswith(self.lexicon.return_period_marks, pos):
            # 20年一遇以上: the bound after the return period
            pos += next(len(m) for m in self.lexicon.return_period_marks if text.startswith(m, pos))
        for k in range(self._suffix_max, 0, -1):
            word = text[pos : pos + k]
            found = suffixes.get(word)
            if found is not None:
                return found, pos + len(word)
        return None, end

    # -- the scan ----------------------------------------------------------------------
    def scan(self, text: str, start: int = 0, end: int | None = None, *,
             whole: bool = False) -> list[Mention]:
        """All quantity mentions of a *normalised* text (or of ``text[start:end]``, for a
        text read piece by piece), in order, offsets in ``text``.

        ``whole=True`` reads ``text`` as one expression (:func:`parse_quantity`): a bare
        number needs no verb or comparator, a one-character Chinese numeral no verb before
        it, and a leading ``-`` and an Arabic fraction (``3/5``) are read.
        """
        end = len(text) if end is None else end
        masked = self._masked_spans(text, start, end)
        starts = [s for s, _ in masked]
        vague = self._vague_starts(text, start, end)
        vague_starts = [s for s, _ in vague]
        regex = self._whole_regex if whole else self._regex
        out: list[Mention] = []
        pos = start
        candidate = None if whole else self._candidate
        while pos < end:
            match = search(regex, candidate, text, pos, end)
            if match is None:
                break
            m_start, m_end = match.span()
            if m_end == m_start:
                pos = m_start + 1
                continue
            pos = m_end
            glued = _DIGITS_AFTER_CJK.match(text, m_start, m_end) if not text[m_start].isascii() else None
            if glued is not None and match.group("n1") and glued.group().strip(self._grammar.negative):
                # 队伍12个, 入伍10人: a Chinese numeral glued to Arabic digits is the end of
                # a word (伍), not a numeral with them: the number starts at the digits (a
                # minus sign, 负2.1%, stays).
                pos = glued.end()
                continue
            if self._overlaps(masked, starts, m_start, m_end) or self._overlaps(vague, vague_starts, m_start,
                                                                                 m_start + 1):
                continue
            if m_end - m_start == 1 and not whole and self._lone_numeral_in_word(text, m_start):
                continue
            mention = self._read(text, match, whole)
            if mention is None:
                continue
            word_end = self._inside_word(text, m_start, m_end)
            if word_end > 0:
                # 统一三个: the numeral starts inside a word; read on after the word.  (Only
                # an accepted mention is re-read, so a long run of digits stays linear: an
                # accepted number has at most ~309 digits.)
                pos = word_end
                continue
            out.append(mention)
        return out

    def _lone_numeral_in_word(self, text: str, start: int) -> bool:
        """A match of one Chinese numeral character that no verb opens (统一, 进一步, 三农):
        what :meth:`_read_number` decides for it, without reading the match (most matches
        of running text are such)."""
        return text[start] in self._single and not self._numeral_opened(text, start)

    def _read(self, text: str, m: re.Match[str], whole: bool = False) -> Mention | None:
        start = m.start()
        before = text[start - 1] if start else ""
        # Inside a code or a longer number (PM2.5, G20, 1.2.3): not a quantity.
        if before and before.isascii() and (before.isalnum() or before in "._+/-#"):
            return None
        if start and self.lexicon.ordinal_prefix.search(text, max(0, start - 2), start):
            return None
        try:
            reading = self._reading(text, m, whole)
        except (ValueError, ArithmeticError):
            return None  # not a numeral after all (一百千), or a zero denominator (〇百分之七)
        if reading is None:
            return None
        end = m.end() if reading.end is None else reading.end
        comparator, context_start = self._prefix(text, start)
        suffix, context_end = self._suffix(text, end)
        infix = m.group("inf") if m.group("n1") else None
        bare_prefix = self._grammar.bare_magnitude_prefixes.get(before) if before else None
        if reading.value_max is not None:
            comparator = "between"
        elif infix:
            comparator = self.lexicon.comparator_infix[infix]
        elif reading.comparator is not None:
            comparator = reading.comparator
        elif comparator is None and bare_prefix is not None and self._bare_magnitude(m):
            comparator, context_start = bare_prefix, start - 1  # 上万人, 逾百亿元
        elif comparator is None:
            comparator = suffix
        if reading.bare and not whole and not self._arabic_magnitude(m) \
                and (comparator in (None, "between") or m.group("sep")):
            # A bare number counts only when a comparator word bounds it (控制在103.5以内)
            # or a change verb governs it (标准提高50,); a bare range (2023-05475) never.
            if m.group("sep") or not self._governed(text, start, end):
                return None
        value = float(reading.value)
        value_max = None if reading.value_max is None else float(reading.value_max)
        if not math.isfinite(value) or (value_max is not None and not math.isfinite(value_max)):
            return None  # 310 digits: not an amount anyone commits to, and not valid JSON
        quantity = Quantity(
            start=start,
            end=end,
            text=text[start:end],
            value=value,
            value_max=value_max,
            unit=reading.unit,
            classifier=reading.classifier,
            comparator=_COMPARATORS[comparator or "="],
            context_start=min(context_start, start),
            context_end=context_end,
        )
        return Mention(quantity=quantity, chinese=reading.chinese, bare=reading.bare,
                       doubling=reading.doubling, action=reading.action)

    def _reading(self, text: str, m: re.Match[str], whole: bool) -> _Reading | None:
        """The value and unit of a match, by branch (raises ValueError on a bad numeral)."""
        group = m.lastgroup
        if m.group("per"):
            return self._read_per(m)
        if m.group("fnum"):
            value = parse_numeral(m.group("fnum")).low / parse_numeral(m.group("n1")).low * _HUNDRED
            return _Reading(value, None, "percent", chinese=True, bare=False)
        if group == "wfrac":  # (parse_quantity: one expression, any Arabic fraction)
            return _Reading(parse_numeral(m.group("wfrac")).low * _HUNDRED, None, "percent")
        if group == "afrac":
            numerator, denominator = m.group("afrac").split("/")
            after = text[m.end() : m.end() + 1]
            if int(numerator) >= int(denominator) or after in _NOT_AFTER_FRACTION:
                return None  # (24/7, 3/5日: no share of a whole)
            return _Reading(parse_numeral(m.group("afrac")).low * _HUNDRED, None, "percent")
        if group == "ratio":
            return _Reading(parse_numeral(m.group("rnum")).low, None, "number")
        if m.group("fan"):
            times = parse_number(m.group("fann")) if m.group("fann") else Decimal(1)
            # the span is 翻一番 (一番 alone is no amount); 翻 is the action
            return _Reading((2 ** int(times) - 1) * _HUNDRED, None, "percent", chinese=True, doubling=True,
                            action=m.group("fan"))
        if m.group("word"):
            entry = self._grammar.word_amounts[m.group("word")]
            return _Reading(Decimal(entry["percent"]), None, "percent", chinese=True, doubling=True,
                            action=str(entry["action"]))
        if m.group("half"):
            return _Reading(_HALF, None, "percent", chinese=True)
        if m.group("cheng"):
            return self._read_share(text, m, whole)
        if m.group("money") or m.group("cents"):
            return self._read_money(m)
        return self._read_number(text, m, whole)

    def _read_per(self, m: re.Match[str]) -> _Reading:
        unit = self._grammar.per[m.group("pden")]
        low = parse_numeral(m.group("p1"))
        high = parse_numeral(m.group("p2")).low if m.group("p2") else low.high
        return _Reading(low.low, high, unit, chinese=low.chinese, comparator=low.comparator)

    def _read_share(self, text: str, m: re.Match[str], whole: bool) -> _Reading | None:
        end = m.end("cheng")
        if end < len(text) and self._share_guard.match(text, end):
            return None  # 三成立, 九成熟: a word, not a share
        low = parse_numeral(m.group("n1"))
        high = parse_numeral(m.group("c2")).low if m.group("c2") else low.high
        per_share = Decimal(self._grammar.shares["percent_per_share"])
        extra = per_share / 2 if m.group("chalf") else Decimal(0)
        start = m.start()
        before = text[start - 1] if start else ""
        if low.chinese and not whole and "\u4e00" <= before <= "\u9fff" \
                and not self._opens_amount(text, start):
            return None  # 三成 opens a phrase or follows a verb (增长三成), not 九成新
        return _Reading(low.low * per_share + extra, None if high is None else high * per_share + extra,
                        "percent", chinese=low.chinese, comparator=low.comparator)

    def _read_money(self, m: re.Match[str]) -> _Reading | None:
        """元角分: 五元三角 = 5.3 CNY, 壹佰元整, 伍分, 两块五."""
        tenth, hundredth = Decimal("0.1"), Decimal("0.01")
        yuan_text = m.group("n1") if m.group("money") else ""
        yuan = parse_number(yuan_text) if yuan_text else Decimal(0)
        jiao_text = m.group("jiao") or m.group("jiao2")
        fen_text = m.group("fen") or m.group("fen2") or m.group("fen3")
        if m.group("cents"):
            if not self._financial.fullmatch(m.group("n1")):
                return None
            if m.group("cents")[0] == self._grammar.money["fen"]:
                fen_text = m.group("n1")
            else:
                jiao_text = m.group("n1")
        jiao = parse_number(jiao_text) if jiao_text else Decimal(0)
        fen = parse_number(fen_text) if fen_text else Decimal(0)
        if jiao >= 10 or fen >= 10:
            raise ValueError("角 and 分 are single digits")
        first = m.group().lstrip(self._grammar.negative)[:1]
        chinese = not (first.isascii() and first.isdigit())
        amount = abs(yuan) + jiao * tenth + fen * hundredth
        return _Reading(-amount if yuan < 0 else amount, None, self._grammar.money["unit"], chinese=chinese)

    def _arabic_magnitude(self, m: re.Match[str]) -> bool:
        """An Arabic number with a magnitude (50万, 1.2亿, 2万5000): an amount even bare."""
        n1 = m.group("n1")
        if not n1 or not n1[0].isdigit():
            return False
        return any(ch in self._magnitude_chars for ch in n1)

    def _bare_magnitude(self, m: re.Match[str]) -> bool:
        """The numeral starts with 百/千/万/亿 and no digit (上万, 近千)."""
        first = (m.group("n1") or " ").lstrip(self._grammar.negative)[:1] or " "
        g = self._grammar
        return first in g.sections or (first in g.units and g.units[first] != 10)

    def _governed(self, text: str, start: int, end: int) -> bool:
        """Bare number right after a change or level verb, or a rank after 前, and before
        punctuation or the end."""
        if end < len(text) and text[end] not in ",，。;；、 \n)）":
            return False
        return self._change_verb.ends(text, start) or self._bare_rank(text, start)

    def _bare_rank(self, text: str, start: int) -> bool:
        """A place after 前 that a ranking word reaches (保持全市前3, 进入全国前10): a rank."""
        words = self.lexicon.readers
        if not text.endswith(words.rank_prefix, 0, start):
            return False
        window = text[max(0, start - len(words.rank_prefix) - _RANK_REACH) : start]
        return any(word in window for word in words.rank_words)

    def _numeral_opened(self, text: str, start: int) -> bool:
        """A one-character Chinese numeral at ``start`` is an amount: a verb or comparator
        opens it, it repeats the count of a list's item before it, or it counts the object
        of a verb written before it."""
        return self._opens_amount(text, start) or self._parallel_item(text, start) \
            or self._counts_object(text, start)

    def _counts_object(self, text: str, start: int) -> bool:
        """A one-character numeral and its measure word right after the object of a cue verb
        (新建学校两所, 建设公园一处): the count of that object."""
        if self._verb_object is None or text[start + 1 : start + 2] not in self._measure_firsts:
            return False
        if self._verb_object.search(text, max(0, start - _OBJECT_REACH), start) is None and not (
                self._verb_far_object is not None and self._closes_clause.match(text, start + 2)
                and self._verb_far_object.search(text, max(0, start - _FAR_OBJECT_REACH), start)):
            return False
        # (稳定城乡三项基本医疗保险参保率: what follows is a rate of the items, not the items)
        noun = _NOUN_END.split(text[start : start + _OBJECT_REACH], maxsplit=1)[0]
        return not noun.endswith(self.lexicon.readers.rate_heads)

    def _parallel_item(self, text: str, start: int) -> bool:
        """A one-character numeral after 和/及/与/、 that repeats the count of the item before
        it (拥有一所综合医院和一所中医医院, 建设两座…和三座…): the next item of a list of counts."""
        if not start or text[start - 1] not in _COORDINATORS or start + 1 >= len(text):
            return False
        if text[start - 1] == "、" and text[start] == self.lexicon.article_numeral:
            return False  # (一个中心、一个平台: a slogan's halves, not a list of counts)
        measure = text[start + 1]
        window = text[max(0, start - _PARALLEL_REACH) : start - 1]
        cut = max(window.rfind(ch) for ch in CLAUSE_END)
        window = window[cut + 1 :]
        offset = start - 1 - len(window)
        at = window.find(measure)
        while at > 0:
            # (the first item must be a count itself: 拥有一所…, not 向两个新城区、三个…)
            if window[at - 1] in self._single and self._opens_amount(text, offset + at - 1):
                return True
            at = window.find(measure, at + 1)
        return False

    def _opens_amount(self, text: str, start: int) -> bool:
        """A one-character Chinese numeral is an amount only right after a verb, a
        comparator or 各 (新建两座, 各一个); elsewhere it is inside a word or a list of
        names (统一部署, 向两个新城区、三个城市副中心)."""
        return self._opener.ends(text, start)

    def _read_number(self, text: str, m: re.Match[str], whole: bool) -> _Reading | None:
        n1, n2 = m.group("n1"), m.group("n2")
        unit_word = m.group("unit") or m.group("hunit") or m.group("u1") or ""
        first = n1.lstrip(self._grammar.negative + "-")[:1]
        chinese = not (first.isascii() and first.isdigit())
        # A code such as 5G or 2A: the number is part of a name.
        after = m.end("n1")
        unit_start = m.start("unit") if m.group("unit") else m.start("hunit") if m.group("hunit") else -1
        if not m.group("u1") and not m.group("sep") and after < len(text) and unit_start != after:
            if self.lexicon.name_suffix.match(text, after):
                return None
        if chinese:
            if not n1.strip("零〇○") and not whole:
                return None  # 零部件, 〇: zero alone is never an amount in running text
            if n2 is not None and n2[0].isdigit():
                return None
            if len(n1) == 1 and n1 in self._single and not m.group("inf") and not whole \
                    and not self._numeral_opened(text, m.start()):
                return None
        if n2 is not None and (n2[0].isdigit() != (not chinese)):
            return None  # 1至二: not one range
        if m.group("u1") and m.group("unit") and m.group("u1") != m.group("unit"):
            return None
        if n2 is not None and m.group("u1") and not m.group("unit"):
            return None  # 6%-7 is two things, not one range
        first_numeral = parse_numeral(n1)
        low, high = first_numeral.low, first_numeral.high
        if n2 is not None:
            if high is not None:
                return None  # 三四至五六: not one range
            second = parse_numeral(n2)
            if second.high is not None:
                return None
            high = second.low
            # 6至7万人: one written multiplier scales both ends.
            scale_1, scale_2 = _trailing_magnitude(n1), _trailing_magnitude(n2)
            if scale_2 and not scale_1:
                low *= MAGNITUDES[scale_2]
            elif scale_1 and not scale_2:
                high *= MAGNITUDES[scale_1]
        half = bool(m.group("uhalf") or m.group("hunit"))
        end = None
        if m.group("inf") and not unit_word:
            end = m.end("inf")
        if not unit_word:
            return _Reading(low, high, "number", chinese=chinese, bare=True,
                            comparator=first_numeral.comparator, end=end)
        if unit_word in self.lexicon.units:
            unit, factor = self.lexicon.units[unit_word]
            classifier = ""
        elif m.group("hunit") and "个" + unit_word in self.lexicon.units:
            unit, factor = self.lexicon.units["个" + unit_word]
            classifier = ""
        else:
            unit, factor, classifier = "count", Decimal(1), unit_word
        if half:
            low += Decimal("0.5")
            if high is not None:
                high += Decimal("0.5")
        low *= factor
        if high is not None:
            high *= factor
            if high <= low:
                return None  # 3-2 is not a range (a code or a list)
        return _Reading(low, high, unit, classifier, chinese=chinese, comparator=first_numeral.comparator)


# ------------------------------------------------------------------ searching faster
class WordBefore:
    """Whether one of ``words`` ends right before an offset, within ``window`` characters.

    It answers what ``re.compile("(?:w1|w2|…)$").search(text, max(0, at - window), at)``
    answers (``$`` also matches before a line break that ends the window), by a set look-up
    per word length instead of trying the alternation at every position of the window.

    >>> WordBefore(["新建", "各"], 6).ends("新建两座", 2), WordBefore(["新建"], 6).ends("统一", 1)
    (True, False)
    """

    def __init__(self, words: Iterable[str], window: int) -> None:
        self.words = frozenset(words)
        self.longest = max(map(len, self.words), default=0)
        self.window = window

    def ends(self, text: str, at: int) -> bool:
        """Whether a word ends at ``at`` (or before a line break there) and starts no more
        than ``window`` characters before ``at``."""
        low = max(0, at - self.window)
        ends = (at, at - 1) if at - 1 >= low and text[at - 1] == "\n" else (at,)
        for end in ends:
            for size in range(min(self.longest, end - low), -1, -1):
                if text[end - size : end] in self.words:
                    return True
        return False


def _trailing_magnitude(numeral: str) -> str:
    """The magnitude word a numeral ends with after its digits (``7万`` → ``万``), or ``""``."""
    for word in sorted(MAGNITUDES, key=len, reverse=True):
        if numeral.endswith(word) and len(numeral) > len(word):
            return word
    return ""


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
        normalised to the canonical ``unit`` of docs/annotation.md section 4.

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
    """Parse one quantity expression such as ``"1.2万人"``, ``"增长7%左右"``, ``"6至7万人"``,
    or a bare numeral (``"一千零一"``, ``"壹佰壹拾壹"``, ``"-2.5"``: unit ``number``).

    Comparator words around the quantity are read (``5000亩以上`` gives ``>=``); other
    words are allowed around it but exactly one quantity must be present.  Unlike
    :func:`find_quantities`, every number counts: a bare number needs no verb or comparator
    (``"2万5000"``), a leading ``-`` is a minus and ``3/5`` a fraction (60 percent).

    Raises:
        QuantityParseError: no quantity, or more than one, in ``expression``.

    >>> q = parse_quantity("1.2万人")
    >>> (q.value, q.unit)
    (12000.0, 'person')
    """
    if not isinstance(expression, str):
        raise TypeError(f"parse_quantity() needs a str, not {type(expression).__name__}")
    norm = normalize(expression)
    found = [_to_raw(m.quantity, norm) for m in finder().scan(norm.text, whole=True)]
    if len(found) != 1:
        what = "no quantity" if not found else f"{len(found)} quantities"
        raise QuantityParseError(f"{what} in {expression!r}; expected exactly one")
    return found[0]
