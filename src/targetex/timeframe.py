"""Stage: time — the year, base year, per-year flag and attribute of every target.

Runs after target assembly (and the table readers), before linking.  The stage first finds
the *time expressions* of the document in one pass (:class:`TimeMention`: ``到2025年``,
``2012—2015年``, ``"十四五"期间``, ``比2020年``, ``较上年``, ``今年``, ``10月底前``, ``3年内``,
``（约束性）``…; the words and patterns are ``models/timeframe.toml``), then gives every
draft the one that governs it, by named rules (ANNOTATION.md section 3):

``year``
    ``year_in_paragraph`` (``到2025年``, ``2023年底前``, the nearest before the target in its
    paragraph), ``period_in_paragraph`` (``2023—2027年``, ``"十四五"期间``: the last year),
    ``duration_from_start`` (``2012年起5年内`` → 2016; ``3年内`` counted from the plan's own
    year), ``this_year_word`` (``今年``, ``年底前``, ``10月底前``: the plan's own year),
    ``next_year_word`` (``明年``); else what a heading or a lead-in sentence above it says
    (``lead_in_year``: ``到2025年,实现以下目标:``; ``heading_year``: ``一、2023年主要预期目标``);
    else the document's: ``title_year`` (the year or period of a plan named in the title,
    ``2023年政府工作报告``), ``goals_horizon`` (the one deadline year a goals section states),
    ``this_year_document`` (the text says 今年 before its first target: the date line's year).
``base_year``
    ``base_year_written`` (``比2020年``, ``与2020年相比``, ``在2020年基础上``),
    ``base_period_end`` (``比"十三五"末`` → 2020), ``previous_year`` (``比上年``, ``同比``:
    the target's year − 1) — for a change, or a comparison written in the target's clause.
``per_year``
    ``per_year_word`` (``年均``, ``每年``, ``年递增`` in the target's clause, unless a total
    word such as ``累计`` follows it), ``yearly_in_period`` (``年度``, ``当年`` or ``年`` before
    a verb, where the year comes from a period).
``attribute``
    ``attribute_mark`` (``（约束性）`` in the target's clause), ``attribute_list`` (a list headed
    ``约束性指标:`` earlier in the paragraph, or a heading or lead-in naming it).

A field a table reader already set (the year of a column, the 属性 cell; see
:mod:`targetex.table_rows`) is kept.  Every rule that sets a field is added to the draft's
readers (``year:title_year``), so ``--explain`` says which rule set it.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from targetex.clauses import CLAUSE_END, SENTENCE_END
from targetex.drafts import Draft, MentionOutcome
from targetex.errors import ResourceError
from targetex.metadata import iso_date
from targetex.metadata import rules as metadata_rules
from targetex.numerals import parse_number
from targetex.records import Kind
from targetex.resources import Lexicon, read_toml
from targetex.structure import Node, Structure

__all__ = ["TimeMention", "TimeRules", "Timeframe", "time_mentions"]

#: Roles of a time mention that give a target its year.
YEAR_ROLES = frozenset({"deadline", "period", "this_year", "next_year", "duration"})
#: Roles of a time mention that give a target its base year.
BASE_ROLES = frozenset({"base", "base_period", "previous_base"})
#: Year rules whose year is the end of a period (a yearly word then means each year).
PERIOD_RULES = frozenset({"period_in_paragraph", "duration_from_start"})

_TITLE_MAX = 60  # characters of a title line at most
_TITLE_LINES = 40  # lines before the first numbered heading read for a title
_LOOK = 6  # characters read around a year for the words that qualify it
_DATE_LINES = 40  # last lines of a document read for its date line
_GOALS_TITLE = 20  # characters of a goals heading at most (发展目标, 2025年主要目标)
_HORIZON_ROLES = frozenset({"deadline", "period"})
_SHORT_HEAD = 12  # characters of an unnumbered heading line (约束性指标) at most
_REACH = 400  # characters a clause or sentence reaches back at most


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time expression of the normalised text.

    Attributes:
        start, end: its span.
        role: ``deadline`` (到2025年), ``period`` (2012—2015年, "十四五"期间), ``plan``
            ("十四五"规划: a plan's period, for its title), ``start``
            (从2023年起), ``base`` (比2020年), ``base_period`` (比"十三五"末),
            ``previous_base`` (比上年, 同比), ``this_year`` (今年, 年底前, 10月底前),
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


class TimeRules:
    """The compiled words and patterns of ``models/timeframe.toml`` (with the lexicon's cue
    verbs and attribute words).  Build once per lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        data = _data()
        try:
            words: dict[str, Any] = data["words"]
            patterns: dict[str, str] = data["patterns"]
            self.periods: dict[str, tuple[int, int]] = {
                name: (int(first), int(last)) for name, (first, last) in data["periods"].items()}
            self.base_before = tuple(words["base_before"])
            self.base_after = tuple(words["base_after"])
            self.start_before = tuple(words["start_before"])
            self.start_after = tuple(words["start_after"])
            self.retrospective_after = tuple(words["retrospective_after"])
            self.per_year = tuple(sorted(words["per_year"], key=len, reverse=True))
            self.yearly_in_period = tuple(words["yearly_in_period"])
            self.period_total = tuple(words["period_total"])
            self.goals_titles = tuple(words["goals_titles"])
            self.plan_nouns = tuple(words["plan_nouns"])
            self.attribute_list = tuple(words["attribute_list"])
            previous_year = tuple(words["previous_year"])
            same_period = str(words["same_period_last_year"])
            period_tails = tuple(words["period_tails"])
            plan_tails = tuple(words["plan_tails"])
            this_year, next_year = tuple(words["this_year"]), tuple(words["next_year"])
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
            pattern = patterns[name]
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
            ("next_year", _alternation(next_year)),
            ("duration", expand("duration")),
            ("attribute", expand("attribute")),
        ]
        try:
            self.scanner = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in alternatives))
            self._yearly_verb = re.compile(
                "(?<![\\d一二两三四五六七八九十几多每当今明去全上下本近])年(?:" + _alternation(
                    [v for v in lexicon.verbs if len(v) >= 2]) + ")")
        except re.error as exc:
            raise ResourceError(f"models/timeframe.toml: bad pattern: {exc}") from None
        self.verbs = re.compile(_alternation(list(lexicon.verbs)))
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
        out = [m for m in (self._mention(text, match) for match in self.scanner.finditer(text, start, end))
               if m is not None]
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
            first, last = int(match.group("first")), int(match.group("last"))
            if last < first:
                return None
            return self._qualified(text, s, e, last, first, "period")
        if kind == "year_at":
            return self._qualified(text, s, e, int(match.group("year")), None, "deadline")
        if kind == "period_at":
            quoted = match.group(0)[0] in "“\"「『"
            if not match.group("tail") and not match.group("plan") and not quoted:
                return None  # 十五个: not a plan period
            first, last = self.periods[match.group("period")]
            # "十四五"规划 (or "十四五" alone) names a plan: a title's period, no deadline.
            mention = self._qualified(text, s, e, last, first, "period" if match.group("tail") else "plan")
            return replace(mention, role="base_period") if mention.role == "base" else mention
        if kind == "previous":
            return TimeMention(s, e, "previous_base")
        if kind in ("month", "year_end", "this_year"):
            return TimeMention(s, e, "this_year")
        if kind == "next_year":
            return TimeMention(s, e, "next_year")
        if kind == "duration":
            years = _count(match.group("years"))
            if years is None or not 1 <= years <= 20:
                return None
            if not match.group("within") and not self.verbs.match(text, e):
                return None  # 三年行动计划, 5年以上: not a period a target is met in
            return TimeMention(s, e, "duration", years=years)
        if kind == "attribute":
            word = match.group("mark") or match.group("head")
            role = "attribute" if match.group("mark") else "attribute_list"
            return TimeMention(s, e, role, value=self.attribute_values[word])
        return None  # pragma: no cover - every alternative is handled above

    def _qualified(self, text: str, s: int, e: int, year: int, first: int | None, role: str) -> TimeMention:
        """A year or period read with the words around it: a base (比2020年, 2020年的基础上),
        a start (从2023年起), a look back (2021年以来), else a deadline or a period."""
        before = text[max(0, s - _LOOK) : s].rstrip()
        after = text[e : e + _LOOK].lstrip()
        if before.endswith(self.base_before) or after.startswith(self.base_after):
            return TimeMention(s, e, "base", year, first)
        if after.startswith(self.retrospective_after):
            return TimeMention(s, e, "retrospective", year, first)
        if role == "deadline" and (before.endswith(self.start_before) or after.startswith(self.start_after)):
            return TimeMention(s, e, "start", year)
        return TimeMention(s, e, role, year, first)

    # ------------------------------------------------------------------ markers
    def per_year_marker(self, segment: str) -> bool:
        """A per-year word (年均, 每年…) in ``segment`` with no total word (累计) after it."""
        at = max((segment.rfind(w) for w in self.per_year), default=-1)
        if at < 0:
            return False
        return not any(w in segment[at:] for w in self.period_total)

    def yearly_marker(self, segment: str) -> bool:
        """A yearly word (年度, 当年, 年 before a verb: 年筹集) in ``segment``, no total word."""
        if any(w in segment for w in self.period_total):
            return False
        return (any(w in segment for w in self.yearly_in_period)
                or self._yearly_verb.search(segment) is not None)


def _count(text: str) -> int | None:
    try:
        return int(text) if text.isdigit() else int(parse_number(text))
    except (ValueError, ArithmeticError):
        return None


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def time_mentions(text: str, lexicon: Lexicon | None = None) -> list[TimeMention]:
    """The time expressions of a (normalised) text, as the time stage reads them.

    >>> [(m.role, m.year) for m in time_mentions("到2025年,单位能耗比2020年下降13.5%")]
    [('deadline', 2025), ('base', 2020)]
    >>> [(m.role, m.year, m.first) for m in time_mentions("“十四五”期间,2012—2015年")]
    [('period', 2025, 2021), ('period', 2015, 2012)]
    """
    return (TimeRules(lexicon) if lexicon is not None else _default_rules()).scan(text)


@functools.cache
def _default_rules() -> TimeRules:
    from targetex.resources import load

    return TimeRules(load())


# ---------------------------------------------------------------------- the document


@dataclass(frozen=True, slots=True)
class _Choice:
    """A value for a field and the rule that chose it."""

    value: Any
    rule: str
    mention: TimeMention | None = None


class _Document:
    """What the time stage knows about one document: its lines, time mentions, tree, and
    the years the document gives every target (its own year, its default year)."""

    def __init__(self, rules: TimeRules, text: str, structure: Structure, first_target: int) -> None:
        self.rules = rules
        self.text = text
        self.mentions = rules.scan(text)
        self.starts = [m.start for m in self.mentions]
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.nodes = structure.nodes
        self.node_starts = [n.label_start for n in self.nodes]
        self.first_root = next((n.label_start for n in structure.nodes if n.style != "annex"), len(text))
        self.year_leads = self._year_leads()
        self.attribute_heads = self._attribute_heads()
        title = self._title_year()
        self.date_year = self._date_year()
        # The plan's own year: a one-year plan's, else the year of the document's date.
        self.own_year: int | None = title.value if title is not None and title.rule == "title_year" \
            and title.mention is not None and title.mention.role == "deadline" else self.date_year
        self.default = title or self._goals_horizon() or self._this_year_document(first_target)

    # -- lines -------------------------------------------------------------------
    def line_of(self, pos: int) -> tuple[int, int]:
        """The span of the line (paragraph) holding ``pos``."""
        i = bisect.bisect_right(self.line_starts, pos) - 1
        start = self.line_starts[max(i, 0)]
        end = self.text.find("\n", start)
        return start, len(self.text) if end == -1 else end

    def lines_between(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """The lines starting in ``[start, end)``, last first."""
        i = bisect.bisect_left(self.line_starts, start)
        j = bisect.bisect_left(self.line_starts, end)
        for k in range(j - 1, i - 1, -1):
            ls = self.line_starts[k]
            le = self.text.find("\n", ls)
            yield ls, len(self.text) if le == -1 else le

    def in_span(self, start: int, end: int, roles: frozenset[str]) -> list[TimeMention]:
        """The mentions of ``roles`` that start in ``[start, end)``."""
        i = bisect.bisect_left(self.starts, start)
        j = bisect.bisect_left(self.starts, end)
        return [m for m in self.mentions[i:j] if m.role in roles]

    def last_in(self, start: int, end: int, roles: frozenset[str]) -> TimeMention | None:
        """The last mention of ``roles`` that starts in ``[start, end)``."""
        i = bisect.bisect_left(self.starts, start)
        for k in range(bisect.bisect_left(self.starts, end) - 1, i - 1, -1):
            if self.mentions[k].role in roles:
                return self.mentions[k]
        return None

    def is_lead_in(self, start: int, end: int) -> bool:
        """A line that ends with a colon: it introduces what follows (到2025年,实现以下目标:)."""
        return self.text[start:end].rstrip(" \t\u3000").endswith((":", "："))

    def _year_leads(self) -> list[tuple[int, int, TimeMention]]:
        """Lead-in lines that state a year, with the last year mention of each, in order."""
        out: list[tuple[int, int, TimeMention]] = []
        for mention in self.mentions:
            if mention.role not in YEAR_ROLES:
                continue
            ls, le = self.line_of(mention.start)
            if self.is_lead_in(ls, le):
                if out and out[-1][0] == ls:
                    out[-1] = (ls, le, mention)
                else:
                    out.append((ls, le, mention))
        return out

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
    def last_line(lines: list[tuple[int, int, Any]], start: int, end: int) -> tuple[int, int, Any] | None:
        """The last of ``lines`` (sorted) that starts in ``[start, end)``."""
        j = bisect.bisect_left(lines, (end, -1)) - 1
        return lines[j] if j >= 0 and lines[j][0] >= start else None

    # -- the tree ---------------------------------------------------------------
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

    # -- years of the whole document -----------------------------------------------
    def _title_lines(self) -> Iterator[tuple[int, int]]:
        """Lines that may be a title: before the first numbered heading, short, not prose."""
        count = 0
        for k, ls in enumerate(self.line_starts):
            if ls >= self.first_root or count >= _TITLE_LINES:
                return
            le = self.line_starts[k + 1] - 1 if k + 1 < len(self.line_starts) else len(self.text)
            line = self.text[ls:le].strip(" \t\u3000")
            if not line:
                continue
            count += 1
            if len(line) <= _TITLE_MAX and not line.endswith(("。", ";", ",", ":")) and "。" not in line:
                yield ls, le

    def _title_year(self) -> _Choice | None:
        """The year (or the last year of the period) of a plan named in the title:
        ``2023年政府工作报告``, ``…三年行动计划(2023—2025年)``, ``“十四五”…规划``."""
        for ls, le in self._title_lines():
            found = self.rules.scan(self.text, ls, le, books=False)
            line = self.text[ls:le]
            periods = [m for m in found if m.role in ("period", "plan")
                       and _names_plan(line, m, ls, self.rules, True)]
            if periods:
                return _Choice(periods[-1].year, "title_year", periods[-1])
            years = [m for m in found if m.role == "deadline" and _names_plan(line, m, ls, self.rules, False)]
            if years:
                return _Choice(years[0].year, "title_year", years[0])
        return None

    def _date_year(self) -> int | None:
        """The year of the document's date: a line that is only a date (under the
        signature), else a date ending one of the first lines (冀政字〔2019〕31号2019年7月1日)."""
        meta = metadata_rules()
        last = list(self.lines_between(self.line_starts[max(0, len(self.line_starts) - _DATE_LINES)],
                                       len(self.text) + 1))
        first = list(self.lines_between(0, self.line_starts[min(len(self.line_starts) - 1, 3)] + 1))
        for ls, le in [*last, *first]:
            line = self.text[ls:le]
            if len(line) <= _TITLE_MAX and meta.date_line.match(line):
                date = iso_date(line)
                if date:
                    return int(date[:4])
        for ls, le in reversed(first):
            line = self.text[ls:le].rstrip(" \t\u3000")
            ending = [m for m in meta.date.finditer(line) if m.end() == len(line)]
            date = iso_date(ending[0].group(0)) if ending else ""
            if date:
                return int(date[:4])
        return None

    def _goals_horizon(self) -> _Choice | None:
        """The one deadline year a goals section states (发展目标: 到2025年…)."""
        for node in self.nodes:
            if node.review or len(node.title) > _GOALS_TITLE or not any(
                    w in node.title for w in self.rules.goals_titles):
                continue
            found = self.in_span(node.label_start, max(node.end, node.label_end), _HORIZON_ROLES)
            years = {m.year for m in found}
            if len(years) == 1:
                return _Choice(found[0].year, "goals_horizon", found[0])
            if years:
                return None  # several horizons (到2020年…到2025年): none for all
        return None

    def _this_year_document(self, first_target: int) -> _Choice | None:
        """The text says 今年 (全年, 年内…) before its first target: the date line's year."""
        if self.date_year is None or not self.in_span(0, first_target, frozenset({"this_year"})):
            return None
        return _Choice(self.date_year, "this_year_document")


def _names_plan(line: str, mention: TimeMention, line_start: int, rules: TimeRules, period: bool) -> bool:
    """A year of a title line that names the plan: a plan word after it (2023年政府工作报告),
    or, for a period, right before it (规划(2021—2025年))."""
    after = line[mention.end - line_start :]
    if any(w in after[:24] for w in rules.plan_nouns):
        return True
    before = line[: mention.start - line_start].rstrip("(（[【 ")
    return period and before.endswith(rules.plan_nouns)


# ---------------------------------------------------------------------- the stage


class Timeframe:
    """Sets ``year``, ``base_year``, ``per_year`` and ``attribute`` on target drafts.
    Build once per lexicon, reuse (immutable)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.rules = TimeRules(lexicon)

    def apply(
        self, text: str, structure: Structure, drafts: list[Draft],
        outcomes: list[MentionOutcome] | None = None,
    ) -> tuple[list[Draft], list[MentionOutcome] | None]:
        """The drafts with their time fields, and the outcomes with the time rules added to
        the readers of the kept mentions.

        Args:
            text: the normalised document text (as the structure stage read it).
            structure: its tree.
            drafts: the target drafts, in reading order.
            outcomes: the decisions on every mention (``explain``), or ``None``.
        """
        if not drafts:
            return drafts, outcomes
        doc = _Document(self.rules, text, structure, min(d.quantity.start for d in drafts))
        positions = [d.quantity.start for d in drafts]
        timed = [self._draft(doc, draft, positions, i) for i, draft in enumerate(drafts)]
        if outcomes is not None:
            readers: dict[int, tuple[tuple[str, str], ...]] = {}
            for draft in timed:
                readers.setdefault(draft.quantity.start, draft.readers)
            outcomes = [replace(o, readers=readers[o.quantity.start])
                        if o.kept and o.quantity.start in readers else o for o in outcomes]
        return timed, outcomes

    # ------------------------------------------------------------------ one draft
    def _draft(self, doc: _Document, draft: Draft, positions: list[int], index: int) -> Draft:
        set_by = {name for name, _ in draft.readers}
        q = draft.quantity
        para_start, para_end = doc.line_of(q.start)
        clause_start = _last_mark(doc.text, para_start, q.start, CLAUSE_END)
        added: list[tuple[str, str]] = []
        changes: dict[str, Any] = {}
        year = draft.year
        year_rule = ""
        if "year" not in set_by:
            choice = self._year(doc, q.start, para_start)
            if choice is not None and choice.value is not None:
                year, year_rule = int(choice.value), choice.rule
                changes["year"] = year
                added.append(("year", year_rule))
        if "base_year" not in set_by:
            choice = self._base_year(doc, draft, year, para_start, clause_start)
            if choice is not None and choice.value is not None:
                changes["base_year"] = int(choice.value)
                added.append(("base_year", choice.rule))
        if "per_year" not in set_by:
            segment = doc.text[clause_start : q.start]
            if self.rules.per_year_marker(segment):
                changes["per_year"] = True
                added.append(("per_year", "per_year_word"))
            elif year_rule in PERIOD_RULES and self.rules.yearly_marker(segment):
                changes["per_year"] = True
                added.append(("per_year", "yearly_in_period"))
        if "attribute" not in set_by:
            before = positions[index - 1] if index > 0 else -1
            after = positions[index + 1] if index + 1 < len(positions) else len(doc.text)
            choice = self._attribute(doc, q.start, q.end, para_start, para_end, clause_start, before, after)
            if choice is not None:
                changes["attribute"] = choice.value
                added.append(("attribute", choice.rule))
        if not changes:
            return draft
        return replace(draft, readers=(*draft.readers, *added), **changes)

    # ------------------------------------------------------------------ year
    def _year(self, doc: _Document, pos: int, para_start: int) -> _Choice | None:
        # The nearest time expression before the target in its paragraph.
        found = doc.last_in(para_start, pos, YEAR_ROLES)
        if found is not None:
            return self._year_of(doc, found, para_start)
        # A lead-in line, or a heading, above it: the innermost first.
        line_start = para_start
        for node in doc.chain(pos):
            title_start, title_end = doc.line_of(node.label_start)
            lead = doc.last_line(doc.year_leads, title_end + 1, min(line_start, node.own_end))
            if lead is not None:
                return replace(self._year_of(doc, lead[2], lead[0]), rule="lead_in_year")
            if title_start != para_start:
                found = doc.last_in(title_start, title_end, YEAR_ROLES)
                if found is not None:
                    return replace(self._year_of(doc, found, title_start), rule="heading_year")
            line_start = title_start
        # A lead-in line right before the first numbered item of the document.
        if pos >= doc.first_root:
            lead = doc.last_line(doc.year_leads, 0, min(doc.first_root, line_start))
            if lead is not None and not doc.text[lead[1] : min(doc.first_root, line_start)].strip():
                return replace(self._year_of(doc, lead[2], lead[0]), rule="lead_in_year")
        return doc.default

    def _year_of(self, doc: _Document, mention: TimeMention, para_start: int) -> _Choice:
        """The year a mention gives (the plan's own year for 今年, a start plus a duration)."""
        if mention.role == "deadline":
            return _Choice(mention.year, "year_in_paragraph", mention)
        if mention.role == "period":
            return _Choice(mention.year, "period_in_paragraph", mention)
        if mention.role == "this_year":
            return _Choice(doc.own_year, "this_year_word", mention)
        if mention.role == "next_year":
            return _Choice(None if doc.own_year is None else doc.own_year + 1, "next_year_word", mention)
        # A duration: counted from the start written before it in its sentence, else from
        # the plan's own year (4年外购… in a 2019 opinion: 2019–2022).
        sentence_start = _last_mark(doc.text, para_start, mention.start, SENTENCE_END)
        starts = doc.in_span(sentence_start, mention.start, frozenset({"start", "period"}))
        start = starts[-1].first or starts[-1].year if starts else doc.own_year
        return _Choice(None if start is None else start + mention.years - 1, "duration_from_start", mention)

    # ------------------------------------------------------------------ base year
    def _base_year(
        self, doc: _Document, draft: Draft, year: int | None, para_start: int, clause_start: int,
    ) -> _Choice | None:
        pos = draft.quantity.start
        sentence_start = _last_mark(doc.text, para_start, pos, SENTENCE_END)
        found = doc.in_span(sentence_start, pos, BASE_ROLES)
        if not found:
            return None
        mention = found[-1]
        if draft.kind is not Kind.CHANGE and mention.start < clause_start:
            return None  # 比上年增长6%,达到…: the comparison is the change's, not the level's
        if mention.role == "previous_base":
            return _Choice(None if year is None else year - 1, "previous_year", mention)
        rule = "base_period_end" if mention.role == "base_period" else "base_year_written"
        return _Choice(mention.year, rule, mention)

    # ------------------------------------------------------------------ attribute
    def _attribute(
        self, doc: _Document, start: int, end: int, para_start: int, para_end: int, clause_start: int,
        before: int, after: int,
    ) -> _Choice | None:
        attributes = frozenset({"attribute"})
        clause_end = _next_mark(doc.text, end, para_end, CLAUSE_END)
        # A mark after the target (…13.5%(约束性)), else before it in its clause.
        marks = doc.in_span(end, min(clause_end + 1, after), attributes)
        if marks:
            return _Choice(marks[0].value, "attribute_mark", marks[0])
        marks = doc.in_span(max(clause_start, before), start, attributes)
        if marks:
            return _Choice(marks[-1].value, "attribute_mark", marks[-1])
        # A list head earlier in the paragraph (约束性指标: …).
        head = doc.last_in(para_start, start, frozenset({"attribute_list"}))
        if head is not None:
            return _Choice(head.value, "attribute_list", head)
        # A heading or a lead-in line above it that names the list.
        line_start = para_start
        for node in doc.chain(start):
            title_start, title_end = doc.line_of(node.label_start)
            named = doc.last_line(doc.attribute_heads, title_end + 1, min(line_start, node.own_end))
            if named is None and title_start != para_start:
                named = doc.last_line(doc.attribute_heads, title_start, title_start + 1)
            if named is not None:
                return _Choice(named[2], "attribute_list")
            line_start = title_start
        return None


def _last_mark(text: str, start: int, pos: int, marks: str) -> int:
    """The position after the last of ``marks`` in ``text[start:pos]``, looking back at most
    ``_REACH`` characters (``start``, or that far back, if none)."""
    low = max(start, pos - _REACH)
    for i in range(pos - 1, low - 1, -1):
        if text[i] in marks:
            return i + 1
    return low


def _next_mark(text: str, pos: int, end: int, marks: str) -> int:
    """The position of the first of ``marks`` in ``text[pos:end]``, looking ahead at most
    ``_REACH`` characters."""
    high = min(end, pos + _REACH)
    for i in range(pos, high):
        if text[i] in marks:
            return i
    return high
