"""Stage: time — the year, base year, per-year flag and attribute of every target.

Runs after target assembly (and the table readers), before linking.  The stage first finds
the *time expressions* of the document (:class:`TimeMention`: ``到2025年``, ``2012—2015年``,
``"十四五"期间``, ``比2020年``, ``较上年``, ``今年``, ``10月底前``, ``3年内``, ``（约束性）``…; the
words and patterns are ``models/timeframe.toml``), then gives every draft the one that
governs it, by named rules (docs/annotation.md section 3).  The rule that sets a field is added
to the draft's readers (``year:title_year``), so ``--explain`` says why.

``year`` — the first rule that gives one:

1. the nearest expression before the target in its paragraph: ``year_in_paragraph``
   (``到2025年``, ``2023年底前``), ``period_in_paragraph`` (``2023—2027年``, ``"十四五"期间``:
   its last year), ``this_year_word`` (``今年``, ``年底前``, ``10月底前``: the plan's own
   year), and, in the target's sentence only, ``next_year_word`` (``明年``) and the durations
   ``duration_from_start`` (``2012年起5年内`` → 2016), ``duration_of_plan`` (``三年累计…`` in a
   plan for 2026—2028: the span of the title's period → 2028), ``duration_from_plan_year``
   (``4年…`` in a 2019 plan that aims at 2022) or ``duration_without_start`` (no year can be
   read);
2. ``year_after_target``: a deadline right after it (``总计100万平方米,至"十三五"期末``);
3. an earlier paragraph of its item: ``heading_year`` (``(一)2023年主要目标``),
   ``lead_in_year`` (``到2025年,实现以下目标:``), ``earlier_paragraph_year``;
4. the headings above it, when they name one year (``heading_year``; several: none);
5. ``lead_in_year``: a lead-in line right before the document's first numbered item;
6. the document's: ``title_year`` (a year or plan period in the title: ``2023年政府工作报告``,
   ``…规划(2021—2025年)``), ``goals_horizon`` (the one deadline year a goals section states),
   ``this_year_document`` (the text says 今年 before its first target).

The plan's *own* year (for 今年, 年底前, durations) is the title's single year, else the
year of the date line, else the year after the one its review part looks back on.

``base_year`` (for a change, or a comparison written in the target's clause):
``base_year_written`` (``比2020年``, ``与2020年相比``, ``在2020年…的基础上``),
``base_period_end`` (``比"十三五"末`` → 2020), ``previous_year`` (``比上年``, ``同比``: the
target's year − 1).

``per_year``: ``per_year_word`` (``年均``, ``每年``, ``年递增`` in the target's clause, not a
rate such as ``每生每年``), ``per_year_opener`` (an earlier clause of the sentence opens with
``每年``), ``yearly_in_period`` (``年度``, ``当年``, ``年`` before a verb, where the year is the
end of a period), ``yearly_verb`` (the clause opens with ``年`` and a verb: ``年引进…``); never
for a total (``累计``, ``总计``).

``attribute``: ``attribute_mark`` (``（约束性）`` in the target's clause), ``attribute_list``
(``约束性指标:`` earlier in the paragraph, or a heading or lead-in naming the list),
``table_row`` (the text states again the value of a row a table marks).

A field a table reader already set (the year of a column, the 属性 cell; see
:mod:`targetex.tables`) is kept.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from targetex.clauses import CLAUSE_END, SENTENCE_END
from targetex.drafts import Draft, MentionOutcome
from targetex.errors import ResourceError
from targetex.metadata import iso_date
from targetex.metadata import rules as metadata_rules
from targetex.numerals import grammar, parse_number
from targetex.records import Kind
from targetex.resources import Lexicon, read_toml
from targetex.structure import Node, Structure

__all__ = ["TimeMention", "TimeRules", "Timeframe", "time_mentions"]

#: Roles of a time mention that give a target its year.
YEAR_ROLES = frozenset({"deadline", "period", "this_year", "within_year", "next_year", "duration"})
#: Roles of a time mention that give a target its base year.
BASE_ROLES = frozenset({"base", "base_period", "previous_base"})

_HORIZON_ROLES = frozenset({"deadline", "period"})
_TIME_FIELDS = frozenset({"year", "base_year", "per_year", "attribute"})
_NONE: frozenset[str] = frozenset()
# carried from paragraph to paragraph
_CARRIED_ROLES = frozenset({"deadline", "period", "this_year", "within_year"})
# Roles that count only in their own sentence (3年内, 明年: an adverb of that sentence).
_SENTENCE_ROLES = frozenset({"duration", "next_year"})
_ATTRIBUTE_ROLES = frozenset({"attribute"})
_LIST_ROLES = frozenset({"attribute_list"})
_THIS_YEAR = frozenset({"this_year"})
_STARTS = frozenset({"start", "period"})

_TITLE_MAX = 60  # characters of a date line at most
_HEAD = 1500  # characters before the first numbered heading read for a title at most
# A piece of the head: text between punctuation (line breaks do not cut it).
_PIECE = re.compile("[^,，。;；:：|!?！？]+")
_DATE_LINES = 40  # last lines of a document read for its date line
_DAY = "日"  # a year with its day is a date, never a plan's year
_GOALS_TITLE = 20  # the heading word of a goals section stands in its title's first characters
_SHORT_HEAD = 12  # characters of an unnumbered heading line (约束性指标) at most
_LOOK = 6  # characters read around a year for the words that qualify it
_BASE_REACH = 40  # characters from 在2016年 to 基础上 at most
_OPENING_BRACKETS = "(（[【"  # (before a title's period: 行动方案（2024—2026年）)
_VERB_GAP = 2  # characters of a word between a duration and its verb (五年统筹投入)
_YEARLY_VERB = 4  # characters of a verb after 年 at most
_OPENER_REACH = 2  # characters before 每年 in a clause it opens (计划每年)
_REACH = 400  # characters a clause or a sentence reaches at most (text without punctuation)
_PARAGRAPH = 5000  # characters a paragraph reaches around a target at most
_LINE_BREAK = re.compile("\n")
_CLAUSE_MARKS = frozenset(CLAUSE_END)  # the marks that end a clause
_SENTENCE_MARKS = frozenset(SENTENCE_END)  # the marks that end a sentence
_TABLE_ATTRIBUTE = "table_attribute"  # the reader of a table's 属性 cell (tables)
_NOT_YEARLY = "\\d一二两三四五六七八九十几多每当今明去全上下本近"  # before 年 of a time, not of a yearly verb


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time expression of the normalised text.

    Attributes:
        start, end: its span.
        role: ``deadline`` (到2025年), ``period`` (2012—2015年, "十四五"期间), ``plan``
            ("十四五"规划: a plan's period, for its title), ``period_name`` ("十一五"开局之年: a
            name only; a title's period where the title names a plan later), ``start``
            (从2023年起), ``base`` (比2020年), ``base_period`` (比"十三五"末), ``previous_base``
            (比上年, 同比), ``this_year`` (今年), ``within_year`` (全年, 年底前, 10月底前),
            ``next_year`` (明年), ``duration`` (3年内), ``retrospective`` (2021年以来),
            ``attribute`` (（约束性）), ``attribute_list`` (约束性指标:).
        year: the year it names (the last year of a period), if any.
        first: the first year of a period.
        years: the number of years of a duration.
        value: the attribute (``binding``/``expected``) of an attribute mention.
    """

    start: int
    end: int
    role: str
    year: int | None = None
    first: int | None = None
    years: int = 0
    value: str = ""


@functools.cache
def _data() -> dict[str, Any]:
    return read_toml("timeframe.toml")


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class _Words(set[str]):
    """Words, and the lengths they have (to test the words that end at a position)."""

    def __init__(self) -> None:
        super().__init__()
        self.lengths: set[int] = set()

    def add(self, word: str) -> None:
        super().add(word)
        self.lengths.add(len(word))


class TimeRules:
    """The compiled words and patterns of ``models/timeframe.toml``, with the lexicon's cue
    verbs and attribute words (``models/structure.toml``).  Build once per lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        data = _data()
        try:
            words: dict[str, Any] = data["words"]
            patterns: dict[str, Any] = data["patterns"]
            self.periods: dict[str, tuple[int, int]] = {
                name: (int(first), int(last)) for name, (first, last) in data["periods"].items()}
            self.base_before = tuple(words["base_before"])
            self.base_after = tuple(words["base_after"])
            self.base_opener = str(words["base_opener"])
            self.start_before = tuple(words["start_before"])
            self.start_after = tuple(words["start_after"])
            self.retrospective_after = tuple(words["retrospective_after"])
            self.per_year = tuple(sorted(words["per_year"], key=len, reverse=True))
            self.per_year_openers = tuple(words["per_year_openers"])
            self.yearly_in_period = tuple(words["yearly_in_period"])
            self.period_total = tuple(words["period_total"])
            self.goals_titles = tuple(words["goals_titles"])
            self.issue_words = tuple(words["issue_words"])
            self.not_title_after = tuple(words["not_title_after"])
            self.attribute_list = tuple(words["attribute_list"])
            previous_year = tuple(words["previous_year"])
            same_period = str(words["same_period_last_year"])
            period_tails = tuple(words["period_tails"])
            plan_tails = self.plan_tails = tuple(words["plan_tails"])
            this_year, next_year = tuple(words["this_year"]), tuple(words["next_year"])
            within_year = tuple(words["within_year"])
            self.reach_before, self.reach_after = int(patterns["reach_before"]), int(patterns["reach_after"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ResourceError(f"models/timeframe.toml: malformed: missing or bad {exc}") from None
        self.attribute_values: dict[str, str] = dict(lexicon.attribute_values)
        fill = {
            "year": patterns["year"],
            "count": patterns["count"],
            "periods": _alternation(list(self.periods)),
            "period_tails": _alternation(period_tails),
            "plan_tails": _alternation(plan_tails),
            "attribute_words": _alternation(list(self.attribute_values)),
            "attribute_list": _alternation(self.attribute_list),
        }

        def expand(name: str) -> str:
            pattern = str(patterns[name])
            for key, value in fill.items():
                pattern = pattern.replace("{" + key + "}", f"(?:{value})")
            return pattern

        previous = f"(?:{_alternation(self.base_before)})(?:{_alternation(previous_year)})"
        alternatives = [
            ("range", expand("range")),
            ("year_at", expand("year_at")),
            ("period_at", expand("period")),
            ("previous", f"{previous}|{re.escape(same_period)}"),
            ("month", expand("month_deadline")),
            ("year_end", expand("year_end")),
            ("this_year", _alternation(this_year)),
            ("within_year", _alternation(within_year)),
            ("next_year", _alternation(next_year)),
            ("duration", expand("duration")),
            ("attribute", expand("attribute")),
        ]
        # Every expression holds 年 or 月 or ends one of the words: the scan reads only
        # around those (a few per cent of a text), and tries the patterns only where one
        # may start.
        # The words without 年 or 月 by their last character (五: "十四五", 比: 同比, 性: 约束性).
        self._word_ends: dict[str, _Words] = {}
        for word in (same_period, *this_year, *within_year, *next_year, *previous_year, *self.periods,
                     *self.attribute_values):
            if "年" not in word and "月" not in word:
                self._word_ends.setdefault(word[-1], _Words()).add(word)
        try:
            self._anchors = re.compile("[年月" + re.escape("".join(sorted(self._word_ends))) + "]")
            self.scanner = re.compile(
                "(?=[\\d" + re.escape("".join(sorted(_starts(alternatives, self)))) + "])(?:"
                + "|".join(f"(?P<{name}>{pattern})" for name, pattern in alternatives) + ")")
            # 年 before a verb, not after a number or a word that makes it a time (4年外购, 今年).
            self._yearly_verb = re.compile(f"(?<![{_NOT_YEARLY}])年(?:"
                                           + _alternation([v for v in lexicon.verbs if len(v) >= 2]) + ")")
            self._rate_before = re.compile(f"(?:{patterns['rate_before']})$")
        except re.error as exc:
            raise ResourceError(f"models/timeframe.toml: bad pattern: {exc}") from None
        self.verbs = re.compile(_alternation(list(lexicon.verbs)))
        self._per_year = re.compile(_alternation(self.per_year))
        # A word that opens with 年 is no per-year word where that 年 ends a year or a
        # comparison with the year before (2020年增长, 比上年增长; 基础上年均增长 is one).
        heads = sorted({w[: w.index("年")] for w in previous_year if "年" in w}, key=len, reverse=True)
        self._year_before = re.compile(
            f"(?:\\d|(?:{_alternation(self.base_before)})(?:{'|'.join(map(re.escape, heads))}))$")
        # Quick tests: a word of a yearly value (年, or a per-year word without it: 平均增速),
        # a total word, an opener.
        self.yearly_words = re.compile(_alternation(
            ["年", *(w for w in (*self.per_year, *self.yearly_in_period) if "年" not in w)]))
        self.totals = re.compile(_alternation(self.period_total))
        self.openers = re.compile(_alternation(self.per_year_openers))
        # A heading or lead-in that names a list of one attribute (约束性指标).
        self.attribute_names = re.compile(
            f"({_alternation(list(self.attribute_values))})(?:{_alternation(self.attribute_list)})")
        self._books = re.compile("《[^《》\n]{0,120}》")

    # ------------------------------------------------------------------ scanning
    def scan(self, text: str, start: int = 0, end: int | None = None,
             books: bool = True) -> list[TimeMention]:
        """The time mentions of ``text[start:end]`` in order; with ``books``, none inside a
        book title (《…规划纲要（2019-2025年）》 names a document, not a deadline)."""
        end = len(text) if end is None else end
        regions: list[list[int]] = []
        words = self._word_ends
        for anchor in self._anchors.finditer(text, start, end):
            at = anchor.start()
            ending = words.get(text[at])
            if ending is not None:
                for n in ending.lengths:
                    if text[at + 1 - n : at + 1] in ending:
                        break
                else:
                    continue  # (a 五 or a 性 that ends no word of the file)
            low, high = max(start, at - self.reach_before), min(end, at + 1 + self.reach_after)
            if regions and low <= regions[-1][1]:
                regions[-1][1] = high
            else:
                regions.append([low, high])
        out: list[TimeMention] = []
        for low, high in regions:
            for match in self.scanner.finditer(text, low, high):
                mention = self._mention(text, match)
                # (2000年底前建成的老旧小区: a date before a verb and 的 says which things, it
                # sets no deadline)
                if mention is not None and (not out or mention.start >= out[-1].end) \
                        and not _dates_a_modifier(text, mention):
                    out.append(mention)
        if books and out:
            spans = [(b.start(), b.end()) for b in self._books.finditer(text, start, end)]
            if spans:
                starts = [s for s, _ in spans]
                out = [m for m in out if not _inside(spans, starts, m.start)]
        return out

    def _mention(self, text: str, match: re.Match[str]) -> TimeMention | None:
        kind = match.lastgroup
        s, e = match.span()
        if kind == "range":
            first, last = _year_number(match.group("first")), _year_number(match.group("last"))
            return self._qualified(text, s, e, last, first, "period") if first <= last else None
        if kind == "year_at":
            return self._qualified(text, s, e, _year_number(match.group("year")), None, "deadline")
        if kind == "period_at":
            name = match.group("period") or match.group("nth") + "五"  # (第十五个五年 → 十五五)
            if name not in self.periods:
                return None
            first, last = self.periods[name]
            # "十四五"规划 names a plan: a title's period, no deadline.
            mention = self._qualified(text, s, e, last, first, "period" if match.group("tail") else "plan")
            if mention.role == "base":  # 较"十三五"末, 比"十二五"翻一番: against the period's end
                return replace(mention, role="base_period")
            if not match.group("tail") and not match.group("plan"):
                # "十四五"生态环境保护规划 names a plan in a title; "十一五"开局之年 does not.
                return replace(mention, role="period_name")
            return mention
        if kind == "previous":
            return TimeMention(s, e, "previous_base")
        if kind == "this_year":
            return TimeMention(s, e, "this_year")
        if kind in ("month", "year_end", "within_year"):
            return TimeMention(s, e, "within_year")
        if kind == "next_year":
            return TimeMention(s, e, "next_year")
        if kind == "duration":
            years = _count(match.group("years"))
            if years is None or not 1 <= years <= 20:
                return None
            if not (match.group("within") or match.group("ahead") or self._verb_after(text, e)):
                return None  # 三年行动计划, 5年以上: not a period a target is met in
            return TimeMention(s, e, "duration", years=years)
        if kind == "attribute":
            word = match.group("mark") or match.group("head")
            role = "attribute" if match.group("mark") else "attribute_list"
            return TimeMention(s, e, role, value=self.attribute_values[word])
        return None  # pragma: no cover - every alternative is handled above

    def _verb_after(self, text: str, pos: int) -> bool:
        """A cue verb at ``pos``, or after one more word of two characters (统筹投入)."""
        if self.verbs.match(text, pos):
            return True
        gap = text[pos : pos + _VERB_GAP]
        return (len(gap) == _VERB_GAP and all("\u4e00" <= ch <= "\u9fff" for ch in gap)
                and self.verbs.match(text, pos + _VERB_GAP) is not None)

    def _qualified(self, text: str, s: int, e: int, year: int, first: int | None, role: str) -> TimeMention:
        """A year or period read with the words around it: a base (比2020年, 2020年的基础上),
        a start (从2023年起), a look back (2021年以来), else a deadline or a period."""
        before = text[max(0, s - _LOOK) : s].rstrip()
        after = text[e : e + _LOOK].lstrip()
        if before.endswith(self.base_before) or after.startswith(self.base_after):
            return TimeMention(s, e, "base", year, first)
        if before.endswith(self.base_opener):  # 在2016年…治理的基础上: a base, however long
            stop = _next_of(text, e, min(len(text), e + _BASE_REACH), CLAUSE_END)
            if any(w in text[e:stop] for w in self.base_after):
                return TimeMention(s, e, "base", year, first)
        if after.startswith(self.retrospective_after):
            return TimeMention(s, e, "retrospective", year, first)
        if role == "deadline" and (before.endswith(self.start_before) or after.startswith(self.start_after)):
            return TimeMention(s, e, "start", year)
        return TimeMention(s, e, role, year, first)

    # ------------------------------------------------------------------ markers
    def per_year_marker(self, segment: str) -> bool:
        """A per-year word (年均, 每年…) in ``segment`` with no total word (累计) after it, and
        not part of a rate (每生每年6000元: the value is a standard per pupil and year)."""
        last = -1
        for match in self._per_year.finditer(segment):
            at = match.start()
            if self._rate_before.search(segment, 0, at):
                continue
            if segment[at] == "年" and self._year_before.search(segment, 0, at):
                continue
            last = at
        return last >= 0 and not any(w in segment[last:] for w in self.period_total)

    def yearly_marker(self, segment: str) -> bool:
        """A yearly word (年度, 当年, 年 before a verb: 年筹集) in ``segment``."""
        return (any(w in segment for w in self.yearly_in_period)
                or self._yearly_verb.search(segment) is not None)

    def opens_with_yearly_verb(self, clause: str) -> bool:
        """A clause that opens with 年 before its verb (年引进…50家: each year)."""
        return self._yearly_verb.match(clause.lstrip(" \t\u3000"), 0, 1 + _YEARLY_VERB) is not None

    def opens_with_per_year(self, clause: str) -> bool:
        """A clause that opens with 每年 (after at most a word: 计划每年推进…): it governs
        the clauses after it in its sentence (每年滚动实施1000项…,引导推动2000家…)."""
        head = clause.lstrip(" \t\u3000")[: _OPENER_REACH + max(map(len, self.per_year_openers))]
        return any(0 <= head.find(w) <= _OPENER_REACH for w in self.per_year_openers)


def _starts(alternatives: list[tuple[str, str]], rules: TimeRules) -> set[str]:
    """The characters (besides digits) a time expression may start with: the first
    characters of the literal words and brackets of the patterns (a quick test before the
    patterns are tried at a position)."""
    chars = {"“", "\"", "「", "『", "(", "[", "【", "年", *"一二两三四五六七八九十"}
    words = (*rules.base_before, *rules.periods, *rules.attribute_values, *rules.start_before)
    chars.update(w[0] for w in words)
    for _, pattern in alternatives:
        # The words written at the start of an alternative: 今年|本年度…, (?:今后|未来…), 明年.
        for head in re.findall(r"(?:^|\(\?P<\w+>|\(\?:|\|)([\u4e00-\u9fff])", pattern):
            chars.add(head)
    return chars


def _year_number(year: str) -> int:
    """A year written in Arabic digits or digit by digit in Chinese (二〇二五 → 2025), the
    Chinese digits read by the numeral grammar."""
    digits = grammar().digits
    return int("".join(ch if ch.isascii() else str(digits[ch]) for ch in year))


def _count(text: str) -> int | None:
    try:
        return int(text) if text.isdigit() else int(parse_number(text))
    except (ValueError, ArithmeticError):
        return None


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _next_of(text: str, pos: int, end: int, marks: str) -> int:
    """The position of the first of ``marks`` in ``text[pos:end]`` (``end`` if none)."""
    for i in range(pos, end):
        if text[i] in marks:
            return i
    return end


def time_mentions(text: str, lexicon: Lexicon | None = None) -> list[TimeMention]:
    """The time expressions of a (normalised) text, as the time stage reads them.

    >>> [(m.role, m.year) for m in time_mentions("到2025年,单位能耗比2020年下降13.5%")]
    [('deadline', 2025), ('base', 2020)]
    >>> [(m.role, m.year, m.first) for m in time_mentions("“十四五”期间,2012—2015年")]
    [('period', 2025, 2021), ('period', 2015, 2012)]
    >>> [(m.role, m.years) for m in time_mentions("今年新增5家,3年内建成10个,比上年增长6%")]
    [('this_year', 0), ('duration', 3), ('previous_base', 0)]
    """
    return (TimeRules(lexicon) if lexicon is not None else _default_rules()).scan(text)


@functools.cache
def _default_rules() -> TimeRules:
    from targetex.resources import load

    return TimeRules(load())


# ---------------------------------------------------------------------- the document


@dataclass(frozen=True, slots=True)
class _Choice:
    """A value for a field, the rule that chose it and the mention it came from."""

    value: Any
    rule: str
    mention: TimeMention | None = None


class _Place:
    """Where a target stands: its paragraph and clause, and (read when a rule asks) its
    sentence and the end of its clause (offsets)."""

    __slots__ = ("_clause_end", "_sentence_end", "_sentence_start", "clause_start", "doc", "end",
                 "para_end", "para_start", "start")

    def __init__(self, doc: _Document, start: int, end: int) -> None:
        self.doc, self.start, self.end = doc, start, end
        self.para_start, self.para_end = doc.line_of(start)
        self.clause_start = doc.after_mark(_CLAUSE_MARKS, self.para_start, start)
        self._sentence_start = self._sentence_end = self._clause_end = -1

    @property
    def sentence_start(self) -> int:
        if self._sentence_start < 0:
            at = self.clause_start  # (a sentence mark ends a clause too: look on from there)
            text = self.doc.text
            if at > self.para_start and text[at - 1] not in _SENTENCE_MARKS:
                at = self.doc.after_mark(_SENTENCE_MARKS, self.para_start, at - 1)
            self._sentence_start = at
        return self._sentence_start

    @property
    def sentence_end(self) -> int:
        if self._sentence_end < 0:
            self._sentence_end = self.doc.next_mark(_SENTENCE_MARKS, self.end, self.para_end)
        return self._sentence_end

    @property
    def clause_end(self) -> int:
        if self._clause_end < 0:
            self._clause_end = self.doc.next_mark(_CLAUSE_MARKS, self.end, self.para_end)
        return self._clause_end


class _Document:
    """What the time stage knows about one document: its lines, punctuation, time mentions
    and tree, and the years the document gives every target (its own year, its default)."""

    def __init__(self, rules: TimeRules, text: str, structure: Structure, first_target: int = -1) -> None:
        self.rules = rules
        self.text = text
        self.mentions = rules.scan(text)
        self.starts = [m.start for m in self.mentions]
        self.line_starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
        self.nodes = structure.nodes
        self.node_starts = [n.label_start for n in self.nodes]
        self.first_root = next((n.label_start for n in structure.nodes if n.style != "annex"), len(text))
        self.attribute_heads = self._attribute_heads()
        self.has_attributes = bool(self.attribute_heads) or any(
            m.role in _ATTRIBUTE_ROLES or m.role in _LIST_ROLES for m in self.mentions)
        self.has_bases = any(m.role in BASE_ROLES for m in self.mentions)
        # Where the comparisons and the attribute marks are (a quick test before a rule reads).
        self.base_starts = [m.start for m in self.mentions if m.role in BASE_ROLES]
        self.attribute_starts = [m.start for m in self.mentions
                                 if m.role in _ATTRIBUTE_ROLES or m.role in _LIST_ROLES]
        # What the item and headings above a paragraph give its targets (see Timeframe._year).
        self.above: dict[tuple[int, int, bool], tuple[_Choice | None]] = {}
        self.heading_years: dict[int, set[Any]] = {}  # the years a heading's own text names
        self.first_target = first_target
        self.document_words = metadata_rules().title_endings
        self.title = self._title_year()
        if self.plan_period:  # 全年…, 年底前… of a plan for a period: any of its years, none
            self.mentions = [m for m in self.mentions if m.role != "within_year"]
            self.starts = [m.start for m in self.mentions]

    @functools.cached_property
    def own_year(self) -> int | None:
        """The plan's own year: a one-year plan's, else the year of the document's date,
        else the year after the one its review looks back on (过去一年…2004年: a 2005 report)."""
        title = self.title
        if title is not None and title.mention is not None and title.mention.role == "deadline":
            return int(title.value)
        date_year = self._date_year()
        return date_year if date_year is not None else self._year_after_review()

    @functools.cached_property
    def present_year(self) -> int | None:
        """The year the document speaks in: its own year, else the first year of the period
        its title names (a "十四五" plan with no date speaks in 2021); years before it are
        past."""
        if self.own_year is not None:
            return self.own_year
        mention = self.title.mention if self.title is not None else None
        return mention.first if mention is not None and mention.role != "deadline" else None

    @functools.cached_property
    def plan_period(self) -> bool:
        """The title names a plan for a period (…三年行动计划(2024—2026年), "十四五"规划)."""
        mention = self.title.mention if self.title is not None else None
        return mention is not None and mention.role != "deadline"

    @functools.cached_property
    def horizons(self) -> set[int | None]:
        """The years the document sets as deadlines or ends of periods."""
        return {m.year for m in self.mentions if m.role in _HORIZON_ROLES}

    @functools.cached_property
    def default(self) -> _Choice | None:
        """The year the document gives a target that nothing else gives one."""
        return self.title or self._goals_horizon() or self._this_year_document(self.first_target)

    # -- places -------------------------------------------------------------------
    def line_of(self, pos: int) -> tuple[int, int]:
        """The span of the line (paragraph) holding ``pos``; a line longer than
        ``_PARAGRAPH`` characters (text without line breaks) is read in pieces that long."""
        starts = self.line_starts
        i = bisect.bisect_right(starts, pos) - 1
        start = starts[i] if i >= 0 else 0
        end = starts[i + 1] - 1 if i + 1 < len(starts) else len(self.text)
        if end - start > _PARAGRAPH:
            start += (pos - start) // _PARAGRAPH * _PARAGRAPH
            end = min(end, start + _PARAGRAPH)
        return start, end

    def after_mark(self, marks: frozenset[str], floor: int, pos: int) -> int:
        """The position after the last of ``marks`` before ``pos``, at least ``floor`` and at
        most ``_REACH`` back."""
        text = self.text
        low = max(floor, pos - _REACH)
        i = pos - 1
        while i >= low and text[i] not in marks:  # (clauses are short: a few steps)
            i -= 1
        return i + 1

    def next_mark(self, marks: frozenset[str], pos: int, ceiling: int) -> int:
        """The position of the first of ``marks`` at or after ``pos``, at most ``ceiling``
        and at most ``_REACH`` ahead."""
        text = self.text
        high = min(ceiling, pos + _REACH, len(text))
        i = pos
        while i < high and text[i] not in marks:
            i += 1
        return i

    def place(self, start: int, end: int) -> _Place:
        """Where the target at ``[start, end)`` stands."""
        return _Place(self, start, end)

    def lines(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """The lines (or pieces of long lines) from the one holding ``start`` to the one
        holding ``end - 1``, in order."""
        pos = start
        while pos < end:
            ls, le = self.line_of(pos)
            yield ls, le
            pos = max(le, pos + 1) if le < len(self.text) and self.text[le] != "\n" else le + 1

    def last_lines(self, count: int) -> list[tuple[int, int]]:
        """The last ``count`` lines, last first."""
        starts = self.line_starts
        return [(starts[i], starts[i + 1] - 1 if i + 1 < len(starts) else len(self.text))
                for i in range(len(starts) - 1, max(-1, len(starts) - 1 - count), -1)]

    # -- mentions -----------------------------------------------------------------
    def in_span(self, start: int, end: int, roles: frozenset[str]) -> list[TimeMention]:
        """The mentions of ``roles`` that start in ``[start, end)``, in order."""
        i = bisect.bisect_left(self.starts, start)
        j = bisect.bisect_left(self.starts, end)
        return [m for m in self.mentions[i:j] if m.role in roles]

    def last_in(self, start: int, end: int, roles: frozenset[str],
                sentence_from: int = -1) -> TimeMention | None:
        """The last mention of ``roles`` that starts in ``[start, end)``; a duration (or 明年)
        only if it starts at ``sentence_from`` or later: it counts only in its sentence."""
        i = bisect.bisect_left(self.starts, start)
        for k in range(bisect.bisect_left(self.starts, end) - 1, i - 1, -1):
            mention = self.mentions[k]
            if mention.role in roles and (
                    mention.start >= sentence_from or mention.role not in _SENTENCE_ROLES):
                return mention
        return None

    @staticmethod
    def any_in(starts: list[int], start: int, end: int) -> bool:
        """Whether one of ``starts`` (sorted) lies in ``[start, end)``."""
        i = bisect.bisect_left(starts, start)
        return i < len(starts) and starts[i] < end

    def is_lead_in(self, start: int, end: int) -> bool:
        """A line that ends with a colon: it introduces what follows (到2025年,实现以下目标:)."""
        return self.text[start:end].rstrip(" \t\u3000").endswith((":", "："))

    def _attribute_heads(self) -> list[tuple[int, int, str]]:
        """Lines that name a list of one attribute (约束性指标: a lead-in, or a short
        unnumbered heading), with the attribute, in order."""
        out: list[tuple[int, int, str]] = []
        for match in self.rules.attribute_names.finditer(self.text):
            ls, le = self.line_of(match.start())
            if (out and out[-1][0] == ls) or not (self.is_lead_in(ls, le) or le - ls <= _SHORT_HEAD):
                continue
            out.append((ls, le, self.rules.attribute_values[match.group(1)]))
        return out

    @staticmethod
    def last_line(lines: list[tuple[int, int, str]], start: int, end: int) -> tuple[int, int, str] | None:
        """The last of ``lines`` (sorted) that starts in ``[start, end)``."""
        j = bisect.bisect_left(lines, (end, -1, "")) - 1
        return lines[j] if j >= 0 and lines[j][0] >= start else None

    # -- the tree -------------------------------------------------------------------
    def chain(self, pos: int) -> list[Node]:
        """The innermost node whose text holds ``pos``, then its ancestors."""
        i = bisect.bisect_right(self.node_starts, pos) - 1
        node = self.nodes[i] if i >= 0 else None
        while node is not None and not node.label_start <= pos < max(node.end, node.label_end):
            node = node.parent
        out = []
        while node is not None:
            out.append(node)
            node = node.parent
        return out

    # -- years of the whole document -------------------------------------------------
    def _title_year(self) -> _Choice | None:
        """The year of the plan the document's title names: the first piece of the head
        (the text before the first sentence and the first numbered heading, cut at
        punctuation, not at line breaks, so that a title reads the same in every layout:
        the title, a 文号, the salutation, a covering notice's first sentence; not the body's
        "十三五"时期…) that names a year which is
        not a date gives it — the last year of a period (``…行动计划(2023—2025年)``,
        ``“十四五”…规划``), else the year (``2023年政府工作报告``).  A year in a book title
        counts where the document issues that book (``印发《某市2022年…办法》``), not where it
        cites one (``贯彻落实《…规划纲要(2019—2025年)》``).  The year must name a document: a
        word titles end with (通知, 方案, 报告…, ``models/documents.toml``) follows it in the
        piece (not ``2006年是"十一五"开局之年``); an issue or a meeting of a year
        (``2024年第3期``, ``2022年第4次常务会议``) is no plan."""
        text = self.text
        head_end = min(self.first_root, _HEAD)
        sentence_end = text.find("。", 0, head_end)  # (the body starts with the first sentence)
        for piece in _PIECE.finditer(text, 0, head_end if sentence_end == -1 else sentence_end):
            found = [m for m in self.rules.scan(text, piece.start(), piece.end(), books=False)
                     if self._names_plan(m, piece.end()) and _DAY not in text[m.start : m.end]
                     and not text.startswith(self.rules.not_title_after, m.end)
                     and self._names_document(m, piece.start(), piece.end())
                     and self._issued(piece.start(), m.start)]
            periods = [m for m in found if m.role != "deadline"]
            if periods:
                return _Choice(periods[-1].year, "title_year", periods[-1])
            if found:
                return _Choice(found[0].year, "title_year", found[0])
        return None

    def _names_plan(self, mention: TimeMention, piece_end: int) -> bool:
        """A year, a period or a plan's period, or a period's name before a plan word
        (“十四五”生态环境保护规划)."""
        if mention.role in ("deadline", "period", "plan"):
            return True
        return mention.role == "period_name" and any(
            self.text.find(w, mention.end, piece_end) >= 0 for w in self.rules.plan_tails)

    def _names_document(self, mention: TimeMention, piece_start: int, piece_end: int) -> bool:
        """A word titles end with follows the year in its piece (2023年政府工作报告), or, for
        a period, stands right before it (…三年行动方案(2024—2026年))."""
        text = self.text
        if any(text.find(w, mention.start, piece_end) >= 0 for w in self.document_words):
            return True  # (from its start: "十四五"规划 names its document itself)
        tail = text[piece_start : mention.start]
        before = tail.rstrip(" \t\n\u3000" + _OPENING_BRACKETS)
        if "\n" in tail[len(before) :] and not tail.rstrip(" \t\u3000").endswith(tuple(_OPENING_BRACKETS)):
            return False  # (the next line's "十四五"期间，…: the body's, unless a bracket opens it)
        return mention.role != "deadline" and before.endswith(self.document_words)

    def _issued(self, piece_start: int, pos: int) -> bool:
        """``pos`` is outside any book title, or inside one the piece opens with or that
        follows a word of issuing (印发《…》)."""
        text = self.text
        opening = text.rfind("《", piece_start, pos)
        if opening == -1 or text.rfind("》", opening, pos) != -1:
            return True
        before = text[piece_start:opening].rstrip(" \t\n\u3000")
        return not before or before.endswith(self.rules.issue_words)

    def _date_year(self) -> int | None:
        """The year of the document's date: a line that is only a date (under the
        signature, or under the title in brackets), else a date ending one of the first
        lines (冀政字〔2019〕31号2019年7月1日), else the first full date of the head."""
        meta = metadata_rules()
        last = self.last_lines(_DATE_LINES)
        first = [line for line, _ in zip(self.lines(0, len(self.text)), range(3), strict=False)]
        for ls, le in [*last, *first]:
            line = self.text[ls:le].strip(" \t\u3000()（）")
            if len(line) <= _TITLE_MAX and meta.date_line.match(line):
                date = iso_date(line)
                if date:
                    return int(date[:4])
        for ls, le in first:
            line = self.text[ls:le].rstrip(" \t\u3000")
            ending = [m for m in meta.date.finditer(line) if m.end() == len(line)]
            date = iso_date(ending[0].group(0)) if ending else ""
            if date:
                return int(date[:4])
        # A date inside the head (…请认真抓好落实。二〇〇六年二月七日（…）).
        for match in meta.date.finditer(self.text, 0, min(self.first_root, _HEAD)):
            date = iso_date(match.group(0))
            if date and _DAY in match.group(0):
                return int(date[:4])
        return None

    def _goals_horizon(self) -> _Choice | None:
        """The one deadline year a goals section states (发展目标: 到2025年…)."""
        for node in self.nodes:
            if node.review or not any(w in node.title[:_GOALS_TITLE] for w in self.rules.goals_titles):
                continue  # (目标任务“十四五”时期,… is a goals heading glued to its text)
            found = self.in_span(node.label_start, max(node.end, node.label_end), _HORIZON_ROLES)
            years = {m.year for m in found}
            if len(years) == 1:
                return _Choice(found[0].year, "goals_horizon", found[0])
            if years:
                return None  # several horizons (到2020年…到2025年): none for all
        return None

    def _year_after_review(self) -> int | None:
        """The year after the one a review part looks back on: the year its heading names
        (“十一五”时期…的回顾: 2010), else the year its text names most often (2004年…)."""
        for node in self.nodes:
            if not node.review:
                continue
            title_start, title_end = self.line_of(node.label_start)
            named = [m.year for m in self.in_span(title_start, title_end, _HORIZON_ROLES) if m.year]
            if not named:
                counts = Counter(m.year for m in self.in_span(
                    node.label_start, max(node.end, node.label_end), _HORIZON_ROLES) if m.year)
                named = [max(counts, key=lambda y: (counts[y], y))] if counts else []
            if named:
                return named[-1] + 1
        return None

    def _this_year_document(self, first_target: int) -> _Choice | None:
        """The text says 今年 (全年, 年内…) before its first target: the plan's own year."""
        if self.own_year is None or not self.in_span(0, first_target, _THIS_YEAR):
            return None
        return _Choice(self.own_year, "this_year_document")


# ---------------------------------------------------------------------- the stage


class Timeframe:
    """Sets ``year``, ``base_year``, ``per_year`` and ``attribute`` on target drafts.
    Build once per lexicon, reuse (immutable)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.rules = TimeRules(lexicon)

    def document(self, text: str, structure: Structure) -> _Document:
        """What the stage reads of a whole document (its time mentions, title, own year),
        read once: the pipeline asks for the year the document speaks in before targets are
        assembled (``present_year``) and hands the same reading to :meth:`apply`."""
        return _Document(self.rules, text, structure)

    def apply(
        self, text: str, structure: Structure, drafts: list[Draft],
        outcomes: list[MentionOutcome] | None = None, doc: _Document | None = None,
    ) -> tuple[list[Draft], list[MentionOutcome] | None]:
        """The drafts with their time fields, and the outcomes with the time rules added to
        the readers of the kept mentions.

        Args:
            text: the normalised document text (as the structure stage read it).
            structure: its tree.
            drafts: the target drafts, in reading order.
            outcomes: the decisions on every mention (``explain``), or ``None``.
            doc: :meth:`document` of the same text and structure, if already read.
        """
        if not drafts:
            return drafts, outcomes
        doc = doc or _Document(self.rules, text, structure)
        doc.first_target = min(d.quantity.start for d in drafts)
        positions = [d.quantity.start for d in drafts]
        timed = _restated([self._draft(doc, draft, positions, i) for i, draft in enumerate(drafts)])
        if outcomes is not None:
            readers: dict[int, tuple[tuple[str, str], ...]] = {}
            for draft in timed:
                readers.setdefault(draft.quantity.start, draft.readers)
            outcomes = [replace(o, readers=readers[o.quantity.start])
                        if o.kept and o.quantity.start in readers else o for o in outcomes]
        return timed, outcomes

    # ------------------------------------------------------------------ one draft
    def _draft(self, doc: _Document, draft: Draft, positions: list[int], index: int) -> Draft:
        # The fields a table reader set (its time readers come last: tables).
        timed = bool(draft.readers) and draft.readers[-1][0] in _TIME_FIELDS
        set_by = {name for name, _ in draft.readers} if timed else _NONE
        q = draft.quantity
        at = doc.place(q.start, q.end)
        added: list[tuple[str, str]] = []
        year, base_year, per_year, attribute = draft.year, draft.base_year, draft.per_year, draft.attribute
        periodic = False  # the year is the end of a period (2012—2015年, 3年内)
        if "year" not in set_by:
            choice = self._year(doc, at)
            if choice is not None and choice.value is not None:
                year = int(choice.value)
                added.append(("year", choice.rule))
                periodic = choice.mention is not None and choice.mention.role in ("period", "duration")
        if "base_year" not in set_by and doc.has_bases:
            choice = self._base_year(doc, draft, year, at, positions)
            if choice is not None and choice.value is not None:
                base_year = int(choice.value)
                added.append(("base_year", choice.rule))
        if "per_year" not in set_by:
            rule = self._per_year(doc, at, periodic)
            if rule:
                per_year = True
                added.append(("per_year", rule))
        if "attribute" not in set_by and doc.has_attributes:
            before = positions[index - 1] if index > 0 else -1
            after = positions[index + 1] if index + 1 < len(positions) else len(doc.text)
            choice = self._attribute(doc, at, before, after)
            if choice is not None:
                attribute = choice.value
                added.append(("attribute", choice.rule))
        if not added:
            return draft
        return Draft(q, draft.indicator, draft.action, draft.kind, draft.modality, draft.comparator,
                     (*draft.readers, *added), year, base_year, per_year, attribute)

    # ------------------------------------------------------------------ year
    def _year(self, doc: _Document, at: _Place) -> _Choice | None:
        # The nearest time expression before the target in its paragraph.
        found = doc.last_in(at.para_start, at.start, YEAR_ROLES)
        if found is not None and found.role in _SENTENCE_ROLES and found.start < at.sentence_start:
            found = doc.last_in(at.para_start, at.start, YEAR_ROLES, sentence_from=at.sentence_start)
        if found is not None:
            return self._year_of(doc, found, at)
        # A deadline right after it, in its clause or the next (总计100万平方米,至"十三五"期末…).
        if doc.last_in(at.end, at.para_end, _HORIZON_ROLES) is not None:
            limit = min(doc.next_mark(_CLAUSE_MARKS, at.clause_end + 1, at.para_end), at.sentence_end)
            after = doc.in_span(at.end, limit, _HORIZON_ROLES)
            if after:
                return _Choice(after[0].year, "year_after_target", after[0])
        chain = doc.chain(at.start)
        key = (at.para_start, id(chain[0]) if chain else 0, at.start >= doc.first_root)
        cached = doc.above.get(key)
        if cached is None:
            cached = doc.above[key] = self._year_above(doc, at, chain)
        return cached[0]

    def _year_above(self, doc: _Document, at: _Place, chain: list[Node]) -> tuple[_Choice | None]:
        """The year the item and the headings above a paragraph give it (else the
        document's): the same for every target of the paragraph."""
        if chain:
            # An earlier paragraph of its item (its heading, a lead-in, the paragraph before).
            owner = chain[0]
            found = doc.last_in(owner.label_start, min(at.para_start, owner.own_end), _CARRIED_ROLES)
            if found is not None:
                ls, le = doc.line_of(found.start)
                rule = ("heading_year" if ls == doc.line_of(owner.label_start)[0]
                        else "lead_in_year" if doc.is_lead_in(ls, le) else "earlier_paragraph_year")
                return (replace(self._year_of(doc, found), rule=rule),)
            # The headings above it (with their lead-in text): one year, or none if several.
            for node in chain[1:]:
                years = doc.heading_years.get(id(node))
                if years is None:
                    years = doc.heading_years[id(node)] = {
                        self._year_of(doc, m).value for m in doc.in_span(node.label_start, node.own_end,
                                                                         _CARRIED_ROLES)}
                years = set(years)
                if len(years) > 1:
                    return (_Choice(None, "several_years"),)
                if years:
                    return (_Choice(years.pop(), "heading_year"),)
        # A lead-in line right before the first numbered item of the document.
        top = min(doc.first_root, chain[-1].label_start if chain else at.para_start)
        if at.start >= doc.first_root:
            end = top
            while end > 0 and doc.text[end - 1] in " \t\n\u3000":
                end -= 1
            ls, le = doc.line_of(max(0, end - 1))
            found = doc.last_in(ls, le, _CARRIED_ROLES) if end and doc.is_lead_in(ls, le) else None
            if found is not None:
                return (replace(self._year_of(doc, found), rule="lead_in_year"),)
        return (doc.default,)

    def _year_of(self, doc: _Document, mention: TimeMention, at: _Place | None = None) -> _Choice:
        """The year a mention gives (the plan's own year for 今年, a start plus a duration)."""
        if mention.role == "deadline":
            return _Choice(mention.year, "year_in_paragraph", mention)
        if mention.role == "period":
            return _Choice(mention.year, "period_in_paragraph", mention)
        if mention.role == "this_year":
            return _Choice(doc.own_year, "this_year_word", mention)
        if mention.role == "within_year":
            return _Choice(doc.own_year, "this_year_word", mention)
        if mention.role == "next_year":
            return _Choice(None if doc.own_year is None else doc.own_year + 1, "next_year_word", mention)
        # A duration: counted from the start written before it in its sentence (2012年起5年内);
        # without one, from the plan's own year where that ends in a year the document sets
        # as a deadline (4年外购… in a 2019 opinion that aims at 2022); else no year can be read
        # (五年统筹投入… in a 2025 report: 2025–2029 or 2026–2030).
        sentence_start = at.sentence_start if at is not None else doc.line_of(mention.start)[0]
        starts = doc.in_span(sentence_start, mention.start, _STARTS)
        if starts:
            first = starts[-1].first or starts[-1].year
            last = None if first is None else first + mention.years - 1
            return _Choice(last, "duration_from_start", mention)
        title = doc.title.mention if doc.title is not None else None
        if title is not None and title.role != "deadline" and title.first is not None \
                and title.year is not None and title.year - title.first + 1 == mention.years:
            # 三年累计完成… in a plan for 2026—2028: the plan's whole span, its last year.
            return _Choice(title.year, "duration_of_plan", mention)
        if doc.own_year is not None and doc.own_year + mention.years - 1 in doc.horizons:
            return _Choice(doc.own_year + mention.years - 1, "duration_from_plan_year", mention)
        return _Choice(None, "duration_without_start", mention)

    # ------------------------------------------------------------------ base year
    def _base_year(self, doc: _Document, draft: Draft, year: int | None, at: _Place,
                   positions: list[int]) -> _Choice | None:
        if not doc.any_in(doc.base_starts, at.para_start, at.start):
            return None
        mention = doc.last_in(at.sentence_start, at.start, BASE_ROLES)
        if mention is None:
            return None
        if mention.start < at.clause_start:
            if draft.kind is not Kind.CHANGE:
                return None  # 比上年增长6%,达到…: the comparison is the change's, not the level's
            # An earlier clause compares for the sentence (与2020年相比,…) unless it is the
            # clause of another target (比"十二五"翻一番,…,新违法搭建实现零增长).
            clause_end = doc.next_mark(_CLAUSE_MARKS, mention.end, at.para_end)
            i = bisect.bisect_left(positions, mention.end)
            if i < len(positions) and positions[i] < clause_end:
                return None
        if mention.role == "previous_base":
            return _Choice(None if year is None else year - 1, "previous_year", mention)
        rule = "base_period_end" if mention.role == "base_period" else "base_year_written"
        return _Choice(mention.year, rule, mention)

    # ------------------------------------------------------------------ per year
    def _per_year(self, doc: _Document, at: _Place, periodic: bool) -> str:
        """The rule that makes a target's value apply to each year, or ``""``."""
        rules = self.rules
        text = doc.text
        if rules.yearly_words.search(text, at.clause_start, at.start):
            segment = text[at.clause_start : at.start]
            if rules.per_year_marker(segment):
                return "per_year_word"
            if rules.totals.search(segment):
                return ""  # 总计100万平方米: a total over the period
            if periodic and rules.yearly_marker(segment):
                return "yearly_in_period"
            if rules.opens_with_yearly_verb(segment):
                return "yearly_verb"  # 年引进创投机构50家: 年 before the clause's verb
        elif rules.totals.search(text, at.clause_start, at.start):
            return ""
        # A clause that opens with 每年 earlier in the sentence governs this one.
        if rules.openers.search(text, max(at.para_start, at.clause_start - _REACH), at.clause_start):
            end = at.clause_start - 1
            while end > at.sentence_start:
                start = doc.after_mark(_CLAUSE_MARKS, at.sentence_start, end)
                if rules.opens_with_per_year(text[start:end]):
                    return "per_year_opener"
                end = start - 1
        return ""

    # ------------------------------------------------------------------ attribute
    def _attribute(self, doc: _Document, at: _Place, before: int, after: int) -> _Choice | None:
        if not doc.any_in(doc.attribute_starts, at.para_start, at.para_end + 1):
            return self._attribute_above(doc, at) if doc.attribute_heads else None
        # A mark after the target (…13.5%(约束性)), else before it in its clause.
        marks = doc.in_span(at.end, min(at.clause_end + 1, after), _ATTRIBUTE_ROLES)
        if marks:
            return _Choice(marks[0].value, "attribute_mark", marks[0])
        mark = doc.last_in(max(at.clause_start, before), at.start, _ATTRIBUTE_ROLES)
        if mark is not None:
            return _Choice(mark.value, "attribute_mark", mark)
        # A list head earlier in the paragraph (约束性指标: …).
        head = doc.last_in(at.para_start, at.start, _LIST_ROLES)
        if head is not None:
            return _Choice(head.value, "attribute_list", head)
        return self._attribute_above(doc, at)

    def _attribute_above(self, doc: _Document, at: _Place) -> _Choice | None:
        """The attribute a heading or a lead-in line above the target names (约束性指标)."""
        line_start = at.para_start
        for node in doc.chain(at.start):
            title_start, title_end = doc.line_of(node.label_start)
            named = doc.last_line(doc.attribute_heads, title_end + 1, min(line_start, node.own_end))
            if named is None and title_start != at.para_start:
                named = doc.last_line(doc.attribute_heads, title_start, title_start + 1)
            if named is not None:
                return _Choice(named[2], "attribute_list")
            line_start = title_start
        return None


def _restated(drafts: list[Draft]) -> list[Draft]:
    """A target the text states again with the value of a row that a table marks 约束性 or
    预期性 (same value and unit, indicators sharing a word) carries the row's attribute: the
    mark belongs to the indicator (``attribute:table_row``)."""
    marked: dict[tuple[str, float], list[Draft]] = {}
    for draft in drafts:
        if draft.attribute and ("attribute", _TABLE_ATTRIBUTE) in draft.readers:
            marked.setdefault((draft.quantity.unit, round(draft.quantity.value, 6)), []).append(draft)
    if not marked:
        return drafts
    out = []
    for draft in drafts:
        q = draft.quantity
        rows = marked.get((q.unit, round(q.value, 6)))
        # (翻一番 is a change of 100 percent, never a restated row value of 100%)
        if not rows or draft.attribute or not any(ch.isdigit() for ch in q.text):
            out.append(draft)
            continue
        pairs = _pairs(draft.indicator.text)
        values = {m.attribute for m in rows if pairs & _pairs(m.indicator.text)}
        if len(values) != 1 or any(name == "attribute" for name, _ in draft.readers):
            out.append(draft)
            continue
        out.append(replace(draft, attribute=values.pop(),
                           readers=(*draft.readers, ("attribute", "table_row"))))
    return out


@functools.lru_cache(maxsize=4096)
def _pairs(text: str) -> frozenset[str]:
    """The two characters in a row of ``text`` (indicators that share one share a word)."""
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


_MODIFIER_AFTER_DATE = re.compile("[\u4e00-\u9fff]{1,3}的[\u4e00-\u9fff]")


def _dates_a_modifier(text: str, mention: TimeMention) -> bool:
    """A date ending with 前 right before a short verb and 的 (2000年底前建成的…, 2019年以前
    登记的…): it dates the things a noun names, it is no deadline of a target."""
    return text.endswith("前", 0, mention.end) and _MODIFIER_AFTER_DATE.match(text, mention.end) is not None
