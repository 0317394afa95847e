"""Named non-target rules: why a quantity is not a target (docs/annotation.md section 2).

Every rule has a stable name and a reason, both in ``models/non_targets.toml``, tried in
the order written there; the first that fires drops the quantity.  A rule is either data
run by one mechanism (:class:`PatternRule`: a regular expression or a word list searched
in one scope around the quantity) or a mechanism in code (the ``check_*`` functions
below, looked up by the rule's ``check`` name).  ``Extractor.extract(..., explain=True)``
and ``targetex extract --explain`` report the rule behind each dropped quantity.

>>> from targetex.resources import load
>>> rules = NonTargetRules(load())
>>> [r.name for r in rules.rules][:3]
['review_section', 'terms_article', 'counted_with_count']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from targetex.clauses import CLAUSE_END
from targetex.phrase import Phrase
from targetex.quantities import Mention
from targetex.readers import PhraseReaders, alternation
from targetex.records import Comparator, Quantity
from targetex.resources import Lexicon, RuleSpec, expand, read_toml
from targetex.words import word_classes

__all__ = ["MentionContext", "NonTargetRules", "PatternRule", "Reading", "Verdict", "foreign_script"]

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_SCOPES = ("before", "after", "clause", "sentence_start", "classifier")


@dataclass(frozen=True, slots=True)
class Verdict:
    """A non-target rule that fired: its name and its reason."""

    rule: str
    reason: str


@dataclass(slots=True)
class Reading:
    """What the phrase readers made of a quantity so far (rules of stage ``reading``)."""

    action: Phrase
    kind: str
    sign: int
    indicator: Phrase


@dataclass(slots=True)
class MentionContext:
    """A quantity mention with the text around it, as the rules see it.

    Attributes:
        text: the normalised text (numbering labels blanked).
        mention: the mention.
        s_start: start of its sentence (bounded to the rules' reach).
        clause_start: start of its clause.
        segment: the phrase read before it (from the clause start or the previous item).
        object_position: the quantity follows a verb (what comes after it is the verb's
            object, so the quantity does not modify a noun).
        prev_unit, prev_end, continues_list: the previous target of the same list, if any.
        reading: set for the rules of stage ``reading``.
        sentence_end: end of its sentence.
        in_review_section: its sentence lies in a part that reviews past work.
        in_terms_article: its sentence lies in an article of a rules document that sets
            terms, not work (targetex.articles).
        present_year: the document's own year, if known (targetex.timeframe).
    """

    text: str
    mention: Mention
    s_start: int
    clause_start: int
    segment: Phrase
    object_position: bool
    prev_unit: str = ""
    prev_end: int = -1
    continues_list: bool = False
    reading: Reading | None = None
    sentence_end: int = -1
    in_review_section: bool = False
    in_terms_article: bool = False
    present_year: int | None = None
    _cache: dict[str, str] = field(default_factory=dict)
    q: Quantity = field(init=False, repr=False, compare=False)  # the mention's quantity

    def __post_init__(self) -> None:
        # (an attribute, not a property: the rules ask for it a dozen times per mention)
        self.q = self.mention.quantity

    def scope(self, name: str) -> str:
        """The text a data rule looks at (see ``models/non_targets.toml``)."""
        found = self._cache.get(name)
        if found is not None:
            return found
        q = self.q
        if name == "before":
            value = self.text[max(self.s_start, q.context_start - 12) : q.context_start].rstrip(" ")
        elif name == "after":
            value = self.text[q.context_end : q.context_end + 16]
        elif name == "clause":
            value = self.text[self.clause_start : q.context_start]
        elif name == "sentence_start":
            value = self.text[self.s_start : q.context_start]
        elif name == "classifier":
            value = q.classifier
        else:  # pragma: no cover - names are checked when the rules are loaded
            raise KeyError(name)
        self._cache[name] = value
        return value


@dataclass(frozen=True, slots=True)
class PatternRule:
    """A data rule: fires when ``pattern`` is found in its ``scope``."""

    name: str
    reason: str
    stage: str
    scope: str
    pattern: re.Pattern[str]
    units: frozenset[str]
    not_units: frozenset[str]
    unless_after: tuple[str, ...]

    def applies_to(self, unit: str) -> bool:
        """Whether the rule can fire on a quantity of this unit."""
        return (not self.units or unit in self.units) and unit not in self.not_units

    def fires(self, rules: NonTargetRules, ctx: MentionContext) -> bool:
        text = ctx.scope(self.scope)
        if self.scope == "sentence_start":
            text = text.lstrip(rules.edges)
        if self.pattern.search(text) is None:
            return False
        return not (self.unless_after and ctx.scope("after").startswith(self.unless_after))


@dataclass(frozen=True, slots=True)
class CodeRule:
    """A rule whose mechanism is a function of this module (``check_<name>``)."""

    name: str
    reason: str
    stage: str
    check: Callable[[NonTargetRules, MentionContext], bool]

    def applies_to(self, unit: str) -> bool:
        """Code rules look at the unit themselves."""
        return True

    def fires(self, rules: NonTargetRules, ctx: MentionContext) -> bool:
        return self.check(rules, ctx)


Rule = PatternRule | CodeRule
_Test = Callable[["NonTargetRules", MentionContext], bool]


class NonTargetRules:
    """The rules of ``models/non_targets.toml``, compiled once per lexicon."""

    def __init__(self, lexicon: Lexicon, readers: PhraseReaders | None = None) -> None:
        self.lex = lexicon
        self.readers = readers or PhraseReaders(lexicon)
        self.edges = lexicon.readers.edges
        self.rules: tuple[Rule, ...] = tuple(_compile(spec, lexicon.rule_patterns) for spec in lexicon.rules)
        self.by_name = {r.name: r for r in self.rules}
        # (rule, its test) for the rules of a stage that can fire on a unit
        self._applicable: dict[tuple[str, str], list[tuple[Rule, _Test]]] = {}
        self._by_stage: dict[str, list[Rule]] = {}
        for rule in self.rules:
            self._by_stage.setdefault(rule.stage, []).append(rule)
        self.review_re = re.compile(alternation(lexicon.review_cues).pattern + "|"
                                    + lexicon.rule_patterns["done_already"])
        self.background_re = alternation(lexicon.background_cues)
        self.param_re = alternation(lexicon.parameter_cues)
        self.support_re = alternation(lexicon.support_cues)
        self.function_chars = frozenset(lexicon.readers.function_chars)
        patterns = {k: re.compile(expand(v, lexicon.rule_patterns)) for k, v in lexicon.rule_patterns.items()}
        self.bounded_scope = patterns["bounded_scope"]
        self.count_after_attributive = patterns["count_after_attributive"]
        self.baseline_before = patterns["baseline_before"]
        self.beneficiaries = patterns["beneficiaries"]
        self.set_completed_after = patterns["set_completed_after"]
        self.year_opener = patterns["year_opener"]
        # A named plan period that opens a sentence ("十四五"期间，…): its last year, read from
        # the periods of models/timeframe.toml (one place for the fact).
        periods = read_toml("timeframe.toml")["periods"]
        self.period_ends = {name: int(last) for name, (_, last) in periods.items()}
        names = "|".join(sorted(map(re.escape, self.period_ends), key=len, reverse=True))
        self.period_opener = re.compile(f"^[“\"「『]?({names})[”\"」』]?(?:期间|时期|期末|末)?")
        self.plan_span_before_cue = patterns["plan_span_before_cue"]
        self.condition_end = re.compile("的[,，]")
        self.clause_end = re.compile("[,，;；:：]")
        self.currencies = lexicon.unit_table.currencies
        # A bounded amount whose clause goes on to …的 + noun defines a scope (10名以上…的村).
        self.scope_clause = re.compile("[^,，。;；:：]{1,24}的[\u4e00-\u9fff]")
        work_nouns = "|".join(map(re.escape, lexicon.readers.work_nouns))
        self.work_phrase = re.compile("[\u4e00-\u9fff]{0,6}(?:" + work_nouns + ")")
        self.plan_re = alternation(lexicon.plan_cues)
        self.stock_re = alternation(lexicon.stock_cues)
        self.budget_re = alternation(lexicon.budget_verbs)
        self.review_opener_re = alternation(lexicon.review_paragraph_openers)
        self.sentence_end = re.compile("[。！？!?；;]")
        self.item_breaks = re.compile("[" + re.escape(lexicon.item_breaks) + "]")
        self.coordinated = re.compile("[" + re.escape("、" + lexicon.readers.coordinators) + "]")
        # Words between a per-unit prefix and its amount (分别, a bound), and the goal words a
        # threshold never precedes (的目标): built once.
        self.per_unit_skips = (*lexicon.per_unit_fillers, *self.readers.comparator_words)
        words = lexicon.readers
        self.attributive_goals = tuple(words.attributive + goal for goal in words.goal_suffixes)
        # The values of a list written before the last one (60万元、40万元、): one pattern.
        self.earlier_values = re.compile(rf"(?:[\d.]+[{words.magnitudes}]?[^\d、，,。；;\s]{{0,2}}、)+$")

    def first(self, ctx: MentionContext, stage: str = "mention") -> Verdict | None:
        """The first rule of ``stage`` that fires on ``ctx``, or ``None``."""
        key = (stage, ctx.mention.quantity.unit)
        rules = self._applicable.get(key)
        if rules is None:  # the rules of a stage that can fire on a unit, found once
            # (a code rule's check is called directly: every quantity tries every rule)
            rules = self._applicable[key] = [(r, r.check if isinstance(r, CodeRule) else r.fires)
                                             for r in self._by_stage.get(stage, ()) if r.applies_to(key[1])]
        for rule, fires in rules:
            if fires(self, ctx):
                return Verdict(rule.name, rule.reason)
        return None

    # -- helpers shared by the checks -----------------------------------------------
    def reviewing_before(self, text: str, s_start: int, present_year: int | None = None) -> bool:
        """Whether the paragraph holding ``s_start`` reviews past work up to that sentence:
        an earlier sentence opened with a review (过去一年…, or a year before the document's
        own ``present_year``: 2025年，… in a plan for 2026) and none since plans again (a plan
        cue, or a sentence opened by the document's year or a later one).

        The last sentence that opens a review or plans again decides, so the paragraph is
        read backwards from ``s_start`` and the first such sentence ends the reading: the
        answer costs a few sentences, not the whole paragraph.  (No answer is kept: a key
        holding the document text costs a full comparison of that text on every look-up
        when the same text comes again as another string.)"""
        paragraph = max(text.rfind("\n", 0, s_start) + 1, s_start - 3000)
        for sentence in reversed(self.sentence_end.split(text[paragraph:s_start])):
            opening = sentence.lstrip(self.edges + "\u3000 ")
            if self.review_opener_re.match(opening):
                return True
            if self.plan_re.search(sentence):
                return False
            opened = self.opening_year(opening) if present_year is not None else None
            if opened is not None and present_year is not None:
                return opened[0] < present_year  # (a year opens it: before the document's own, a review)
        return False

    def opening_year(self, sentence: str) -> tuple[int, int] | None:
        """The year ``sentence`` opens with (2025年，…, 截至2025年底，…; a named period's last
        year: "十四五"期间，… → 2025) and where that opening ends, else ``None``."""
        opened = self.year_opener.match(sentence)
        if opened is not None:
            return int(opened.group(1)), opened.end()
        period = self.period_opener.match(sentence)
        if period is not None:
            return self.period_ends[period.group(1)], period.end()
        return None

    def earlier_year(self, sentence: str, present_year: int) -> int | None:
        """Where the opening of ``sentence`` ends when it names a year (or a plan period that
        ended) before the document's own year, else ``None``."""
        opened = self.opening_year(sentence)
        return opened[1] if opened is not None and opened[0] < present_year else None

    def modifies_noun(self, after: str, q: Quantity) -> bool:
        """The quantity stands before a noun it modifies (3岁以下婴幼儿)."""
        follower = after.lstrip(self.lex.quotes)
        if not follower or not _CJK.match(follower[0]):
            return False
        if self.bounded_scope.match(follower):
            return True
        attributive = self.lex.readers.attributive
        if follower[0] == attributive:
            rest = follower[1:]
            if rest[:1].isdigit() or self.count_after_attributive.match(rest):
                return True
            if self.work_phrase.match(rest):
                return False  # 不少于20万平方米的整治任务: the size of the work
            if rest[:1] in self.lex.quotes:
                return True  # 规模10亿元的“…基金”: the amount describes a named thing
            return q.comparator is not Comparator.EQ and not rest.startswith(self.lex.goal_nouns)
        if follower[0] in self.function_chars or self.readers.verb_at(follower):
            return False
        return not follower.startswith(self.lex.scope_followers_allowed)

    def enumerates(self, clause_text: str, value: float, after: str, bounded: bool = False) -> bool:
        """The clause names the items right before the number: all of them (A、B等2项, A、B两项)
        or, before 等, examples of a set the count names (A、B等7个项目) — not when the count
        is a bound (A、B等8类以上: how many to reach)."""
        if value < 2 or value > 20 or value != int(value):
            return False
        tail = _BRACKETED.sub("", clause_text.rstrip(" "))  # (张家口（张北、怀来）: one item)
        etc = self.lex.readers.etc
        if tail.endswith(etc):
            items = [p for p in self.coordinated.split(tail[: -len(etc)]) if p.strip()]
            if len(items) >= int(value):
                return True  # A、B等2项: the count of the items listed
            # A、B等18处灌区改造: examples of the set to finish — how many, a target
            return len(items) >= 2 and not bounded and not self.set_completed_after.match(after)
        # "A、B两项省级试点": a list right before a count that is followed by its noun; or
        # "新建A小学、B幼儿园2所，": the count that closes its clause counts the names listed.
        pieces = re.split(r"\d", tail)
        tail = pieces[-1]
        if not after[:1] or not (_CJK.match(after[0]) or after[0] in "，,；;。"):
            return False
        items = [p for p in re.split(r"、", tail) if p.strip()]
        if len(pieces) > 1 and items and len(items[0]) <= 2:
            items = items[1:]  # (培育4家、引进2家: the first piece is an earlier count's measure word)
        return len(items) >= 2 and len(items) == int(value)


def _compile(spec: RuleSpec, fragments: dict[str, str]) -> Rule:
    stage = spec.stage or "mention"
    if spec.check:
        check = _CHECKS.get(spec.check)
        if check is None:
            raise ValueError(f"models/non_targets.toml: rule {spec.name!r}: no check named {spec.check!r}")
        return CodeRule(spec.name, spec.reason, stage, check)
    if spec.scope not in _SCOPES:
        raise ValueError(f"models/non_targets.toml: rule {spec.name!r}: scope must be one of {_SCOPES}")
    if spec.pattern:
        pattern = re.compile(expand(spec.pattern, fragments))
    else:
        words = "|".join(re.escape(w) for w in sorted(spec.words, key=len, reverse=True)) or "(?!)"
        template = {"prefix": "^(?:{})", "suffix": "(?:{})$", "contains": "(?:{})", "equals": "^(?:{})$"}
        if spec.test not in template:
            raise ValueError(f"models/non_targets.toml: rule {spec.name!r}: "
                             f"test must be one of {sorted(template)}")
        pattern = re.compile(template[spec.test].format(words))
    return PatternRule(spec.name, spec.reason, stage, spec.scope, pattern, frozenset(spec.units),
                       frozenset(spec.not_units), tuple(spec.unless_after))


# ---------------------------------------------------------------------------- checks
def check_review_section(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """The sentence lies in a part whose heading says it reviews past work (the structure
    stage marks such parts)."""
    return ctx.in_review_section


def check_terms_article(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """Money, a rate or a bare number in an article of a rules document that sets terms
    (the articles stage marks such articles)."""
    return ctx.in_terms_article and ctx.q.unit in rules.lex.terms_units


def foreign_script(text: str) -> bool:
    """``text`` holds words of another script and not one Chinese character (an English
    abstract, a code listing, a wrongly decoded file)."""
    return _LATIN_WORD.search(text) is not None and _CJK.search(text) is None


def check_no_chinese(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """The sentence is in another script: there is nothing to read a target in."""
    return foreign_script(ctx.text[ctx.s_start : max(ctx.sentence_end, ctx.q.context_end)])


def check_counted_with_count(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """2家以上年销售收入达500亿元的企业: after a count of the same list, an amount with no
    separator in between defines what is counted."""
    if ctx.q.text.endswith(rules.lex.person_measure_words):
        return False  # 支持47家卫生院聘任100名专家: 名 counts people of their own
    if ctx.prev_unit != "count" or not ctx.continues_list:
        return False
    # (a count too, when a 的 closes the modifier it sits in: 1所床位300张以上的综合医院)
    inside_modifier = ctx.q.unit == "count" and ctx.text.startswith(rules.lex.readers.attributive,
                                                                    ctx.q.context_end)
    if ctx.text[ctx.q.context_end : ctx.q.context_end + 1] in CLAUSE_END:
        return False  # (12项民生实事项目计划总投资6.85亿元，: the amount ends the clause, no modifier)
    between = ctx.text[ctx.prev_end : max(ctx.prev_end, ctx.q.start)]
    return ((ctx.q.unit not in rules.lex.readers.object_units or inside_modifier)
            and not rules.item_breaks.search(between)
            and "(" not in between and "（" not in between)  # (3所学校（总投资2亿元）: an aside)


def travel_time(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """A time followed by a verb of reaching (市域1小时通达, 中心城区30分钟可达): a travel-time
    goal, a target even in quotes or before a noun."""
    q = ctx.q
    return q.unit in rules.lex.travel_units and ctx.text.startswith(rules.lex.travel_verbs, q.context_end)


def check_inside_quotes(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """Inside “…” (or ASCII double quotes) closed within 20 characters after the number; a
    travel time there (“市域1小时通达”) is still a goal."""
    text, q = ctx.text, ctx.q
    if travel_time(rules, ctx):
        return False
    before = text[ctx.s_start : q.start]
    opened = before.rfind("“")
    if opened == -1 or before.rfind("”") > opened:
        if before.count('"') % 2 == 1:
            return '"' in text[q.end : q.end + 20]
        return False
    return text.find("”", q.end, q.end + 20) != -1


def check_enumeration(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """A count of the items just listed (A、B等2项, A、B两项省级试点); a comma inside an item's
    brackets (张家口（张北、怀来，大数据）、廊坊…5个) does not end the list."""
    if ctx.q.unit != "count":
        return False
    clause = ctx.scope("clause")
    closing = min((at for at in (clause.find(")"), clause.find("）")) if at != -1), default=-1)
    if closing != -1 and "(" not in clause[:closing] and "（" not in clause[:closing]:
        opened = max(ctx.text.rfind("(", ctx.s_start, ctx.clause_start),
                     ctx.text.rfind("（", ctx.s_start, ctx.clause_start))
        if opened != -1:
            start = max(ctx.text.rfind(c, ctx.s_start, opened) for c in "，,；;：:") + 1
            clause = ctx.text[max(start, ctx.s_start) : ctx.q.context_start]
    bounded = ctx.q.comparator is not Comparator.EQ
    return rules.enumerates(clause, ctx.q.value, ctx.scope("after"), bounded=bounded)


def check_noun_modifier(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """An amount (not a count or share) right before a noun that it bounds or modifies."""
    q = ctx.q
    if q.unit in rules.lex.readers.object_units or travel_time(rules, ctx):
        return False
    if q.unit == "number" and _BARE_BEFORE_NOUN.match(ctx.text, q.context_end):
        return True  # 解决13亿中国人的吃饭问题: a bare number that counts the noun a 的 closes
    after = ctx.scope("after")
    follower = after.lstrip(rules.lex.quotes)
    if rules.bounded_scope.match(follower):
        return True  # 1万名老人以上的街(镇), 2000人以上的村
    clause_after = ctx.text[q.context_end : q.context_end + 32].lstrip(rules.lex.quotes)
    if q.text.endswith(rules.lex.person_measure_words) and not (
        q.comparator is not Comparator.EQ and rules.scope_clause.match(clause_after)
        and not _predicate_closes_noun(rules, ctx)
    ):
        return False  # 面向1万名专业技术人才: 名 counts the people named after it (but 10名以上…的村)
    if _served_count(rules, ctx):
        return False  # 为200户困难老年人家庭实施改造: the households served are counted
    if q.unit in rules.lex.beneficiary_units and _people_who_act(rules, ctx):
        return False  # 支持不低于4万人创业: the people who act are counted
    if follower.lstrip(rules.lex.readers.attributive).startswith(rules.lex.readers.capacity_nouns):
        return False  # 芯片2亿颗能力, 5吨以上的生产能力: the capacity itself
    if ctx.scope("clause").rstrip().endswith(rules.lex.readers.capacity_markers):
        return False  # 形成年产30万吨新型建材的生产能力: a yearly capacity, what it makes after it
    # 10亿元以上企业, 超10亿元优势企业: a bounded amount right before a noun bounds that noun
    # (only money bounds that way before a noun: 不低于56学时 counts hours, 不少于20万平方米的
    # 整治任务 sizes a piece of work)
    bounded = q.context_end > q.end or (q.context_start < q.start and q.unit in rules.currencies
                                         and not follower.startswith(rules.lex.readers.attributive))
    bounded_modifier = bounded and _CJK.match(follower[:1] or " ") and (
        not follower.startswith(rules.lex.scope_followers_allowed)
    ) and not rules.readers.verb_at(follower)  # 实现25户以上自然村通硬化路
    return (not ctx.object_position and rules.modifies_noun(after, q)) or bool(bounded_modifier)


def _served_count(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """A count of people or households right after 为 (为200户…家庭实施…), whose noun a
    predicate closes: the people served."""
    q = ctx.q
    if q.unit not in rules.lex.beneficiary_units or q.context_end > q.end:
        return False
    before = ctx.text[max(ctx.s_start, q.context_start - 6) : q.context_start]
    place = next((w for w in rules.lex.whole_places if before.endswith(w)), "")
    before = before[: len(before) - len(place)]  # (为全市1.5万户…: the whole place is no object)
    return before.endswith(rules.lex.beneficiary_prepositions) and _predicate_closes_noun(rules, ctx)


def _people_who_act(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """What follows the count of people, up to the end of its clause, is one verb of
    jieba's dictionary or of ``people_activities`` (4万人创业, 3000人返乡): the people who do
    it, not a noun they bound."""
    end = ctx.q.context_end
    clause = ctx.text[end : end + 8]
    cut = min((at for at in (clause.find(ch) for ch in CLAUSE_END) if at != -1), default=-1)
    word = clause[:cut] if cut > 1 else ""
    return bool(word) and (word in word_classes().verbs or word in rules.lex.people_activities)


def _predicate_closes_noun(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """The noun after the number ends where a predicate starts, before the 的 that would make
    the count a scope (为超5万名孕产妇免费提供…的咨询服务: the people served are counted)."""
    if ctx.q.context_end > ctx.q.end:
        return False  # (为10名以上老人提供服务的站点: a bound after the number makes a scope)
    noun, end = rules.readers.right_indicator(ctx.text, ctx.q)
    # (a 的 inside the noun whose head is who is served still counts them: 为1200户经济困难的
    # 高龄老年人家庭…)
    return bool(noun) and (rules.lex.readers.attributive not in ctx.text[ctx.q.context_end : end]
                           or noun.endswith(rules.lex.readers.head_nouns))


# A bracketed note inside a list item (承德（大数据）).
_BRACKETED = re.compile(r"（[^（）]*）|\([^()]*\)")
# A short noun closed by 的 right after a bare number (13亿中国人的…).
_BARE_BEFORE_NOUN = re.compile(r"[\u4e00-\u9fff]{1,4}的")
_COUNT_THEN_MODIFIER = re.compile(
    r"(?:\d+|[一二两三四五六七八九十百千万]+)(?:个|家|项|所|座|条|批|类|处)(?P<modifier>[^的,，。;；:：]*)$")
_MODIFIER_CLOSES = re.compile(r"^[^,，。;；:：]{0,30}?的[\u4e00-\u9fff]")


def check_modifier_of_counted_noun(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """培育15个[关键工序数控化率提升5%以上…的]数字化特色产业集群: a count in the clause, no 的
    since it, and a 的 + noun after the quantity before the clause ends."""
    q = ctx.q
    if q.unit == "count":
        return False  # 培育5家…、2家…的企业: a list of counts of the same noun
    count = _COUNT_THEN_MODIFIER.search(ctx.text, max(ctx.s_start, q.context_start - 48), q.context_start)
    if count is None or not count.group("modifier"):
        return False
    return _MODIFIER_CLOSES.match(ctx.text[q.context_end : q.context_end + 32]) is not None


def check_baseline_from(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """由当前3%提升到10%: the value after 由/从 that a change verb follows."""
    before = ctx.text[max(ctx.s_start, ctx.q.context_start - 12) : ctx.q.context_start]
    from_value = rules.baseline_before.search(before) is not None
    return from_value and rules.readers.starts_change(ctx.scope("after"))


def check_support_rule(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """对 + beneficiaries opening the clause, and a support word (给予, 补贴…) in the sentence."""
    clause = ctx.scope("clause")
    if not rules.beneficiaries.search(clause.lstrip(rules.edges)) or rules.budget_re.search(clause):
        return False  # (对…新发放创业担保贷款不低于80亿元: a lending volume, a target)
    end = min(ctx.sentence_end, ctx.q.end + 2 * _SEGMENT_LIMIT)
    return rules.support_re.search(ctx.text, ctx.clause_start, end) is not None


def _cue_before(pattern: re.Pattern[str], scope: str, exceptions: str) -> bool:
    if pattern.search(scope) is None:
        return False  # (the usual case, in one search)
    return any(m.start() == 0 or scope[m.start() - 1] not in exceptions for m in pattern.finditer(scope))


def check_review(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """A review cue anywhere before the number in its sentence (not 比去年, 由当前…), unless a
    later clause plans again (去年完成120亿元，今年计划完成150亿元)."""
    scope = ctx.scope("sentence_start")
    if rules.review_re.search(scope) is None:
        return False  # (the usual case, in one search)
    exceptions = rules.lex.review_exceptions
    cues = [m for m in rules.review_re.finditer(scope)
            if (m.start() == 0 or scope[m.start() - 1] not in exceptions)
            and not _in_earlier_modifier(rules, scope, m.end())
            and rules.plan_span_before_cue.search(scope, max(0, m.start() - 6), m.start()) is None]
    return bool(cues) and not _plans_again(rules, scope, cues[-1].end())


def _in_earlier_modifier(rules: NonTargetRules, scope: str, cue_end: int) -> bool:
    """The cue sits in a modifier that 的 closes in an earlier clause (优化已建成…驿站的服务
    机制，升级…): it says what exists, not that the sentence reports."""
    brk = _CLAUSE_BREAK.search(scope, cue_end)
    return brk is not None and rules.lex.readers.attributive in scope[cue_end : brk.start()]


def check_names_a_program(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """六项任务, 三张清单: a count written in Chinese numerals, a noun of measures right after."""
    q = ctx.q
    if q.unit != "count" or any(ch.isdigit() for ch in q.text):
        return False
    after = ctx.text[q.context_end : q.context_end + rules.lex.program_noun_reach + 4]
    clause = _CLAUSE_BREAK.split(after, maxsplit=1)[0]
    return any(0 <= clause.find(noun) <= rules.lex.program_noun_reach for noun in rules.lex.program_nouns)


def check_last_year(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """A sentence that opens on last year (上年/去年…), unless a later clause plans again."""
    scope = ctx.scope("sentence_start").lstrip(rules.edges)  # (past a paragraph mark, as before)
    opener = next((w for w in rules.lex.last_year_openers if scope.startswith(w)), "")
    return bool(opener) and not _plans_again(rules, scope, len(opener))


def check_past_year(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """A sentence that opens with a year before the document's own year (2023年，全区地区生产
    总值增长5.8% in a plan for 2024), or with a named plan period that ended before it
    ("十四五"期间，… in a 2026 report), unless a later clause plans again."""
    if ctx.present_year is None:
        return False
    scope = ctx.scope("sentence_start").lstrip(rules.edges)
    opened = rules.earlier_year(scope, ctx.present_year)
    return opened is not None and not _plans_again(rules, scope, opened)


def _plans_again(rules: NonTargetRules, scope: str, cue_end: int) -> bool:
    """A clause after the one that holds a review cue (ending at ``cue_end``) opens with a
    plan cue (今年, 计划, 力争…): the sentence turns from results to plans."""
    for brk in _CLAUSE_BREAK.finditer(scope, cue_end):
        if rules.plan_re.match(scope, brk.end()) is not None:
            return True
    return False


_CLAUSE_BREAK = re.compile("[" + re.escape(CLAUSE_END) + "]")


def check_article_or_slogan(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """一 as an article (一支队伍), or the first or second half of a slogan with a parallel
    一 (一人一桌, 一村一品; 成熟一个、启动一个)."""
    q = ctx.q
    one = rules.lex.article_numeral
    if q.value != 1 or not q.text.startswith(one):
        return False
    if q.classifier in rules.lex.article_classifiers:
        return True
    window = ctx.text[q.context_end : q.context_end + 24]
    clause_after = re.split(r"[,，;；:：。！？!?\n]", window, maxsplit=1)[0]
    if clause_after.rstrip().endswith(rules.lex.abstract_nouns):
        return True  # 形成一套较为成熟的推广模式: a way of working, not a thing counted
    after, before = ctx.scope("after"), ctx.text[max(0, q.start - 8) : q.start]
    if after.startswith(one) or before.endswith(one):
        return True  # 一人一桌
    # 成熟一个、启动一个; 一个国家、一个民族
    parallel_after = re.match(rf"\S{{0,4}}[、，,]\S{{0,4}}{one}", after)
    parallel_before = re.search(rf"{one}\S{{1,2}}[、，,]\S{{1,4}}$", before)
    return parallel_after is not None or parallel_before is not None


def check_stock_sentence(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """全市共有学校533所，其中初中96所: a stock cue in the sentence's first clause, no plan
    cue before it, and no verb of doing right before the number."""
    text, q = ctx.text, ctx.q
    first_clause = rules.clause_end.search(text, ctx.s_start, q.context_start)
    head = text[ctx.s_start : first_clause.end() if first_clause else q.context_start]
    if rules.stock_re.search(head) is None:
        return False  # (the usual case, in one search)
    cue = next((head.find(c) for c in rules.lex.stock_cues if c in head), -1)
    if cue == -1 or any(p in head[:cue] for p in rules.lex.plan_cues):
        return False
    if rules.lex.per_item_words and head[:cue].rstrip().endswith(rules.lex.per_item_words):
        return False  # 每个乡镇拥有1所…: a norm per place (a target)
    return not any(p in text[ctx.s_start : q.context_start] for p in rules.lex.plan_cues)


def check_review_paragraph(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """An earlier sentence of the number's paragraph opens with a review (过去一年，…) and no
    sentence since, the number's own included, plans again (今年, 要, 到20XX年…)."""
    text, q = ctx.text, ctx.q
    if not rules.reviewing_before(text, ctx.s_start, ctx.present_year):
        return False
    if ctx.present_year is not None:
        opened = rules.opening_year(ctx.scope("sentence_start").lstrip(rules.edges))
        if opened is not None and opened[0] >= ctx.present_year:
            return False  # (2026年新建… after a paragraph on 2025: the plan again)
    return rules.plan_re.search(text, ctx.s_start, q.context_start) is None


def check_background(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """A background cue (目前, 现有, 截至…) in the segment before the number; not when the cue
    names the base a share is taken of (拆除现有违法建筑总量的50%)."""
    segment = ctx.segment.text
    if ctx.q.unit in rules.lex.readers.share_units and segment.endswith(rules.lex.readers.attributive):
        return False
    return _cue_before(rules.background_re, segment, rules.lex.review_exceptions)


def check_share_of_background(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """A share whose clause opens with 占 (占常住人口的22.4%) after an earlier clause of its
    sentence that states a background figure (全市现有…86.5万人): the share of that figure."""
    if ctx.q.unit not in rules.lex.readers.share_units or ctx.clause_start <= ctx.s_start:
        return False
    if not ctx.text[ctx.clause_start : ctx.q.context_start].lstrip(rules.edges).startswith("占"):
        return False
    earlier = ctx.text[ctx.s_start : ctx.clause_start]
    return _cue_before(rules.background_re, earlier, rules.lex.review_exceptions)


def _raising(rules: NonTargetRules, reading: Reading) -> bool:
    """A change, or a level raised to a new value (提高到, 达到): a standard being set."""
    return reading.kind == "change" or (
        reading.kind == "level" and reading.action.endswith(tuple(rules.lex.readers.raising_endings))
    )


def check_per_unit_amount(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """每人1000元 is a parameter, unless a standard is raised to it (提高到每人每月820元)."""
    assert ctx.reading is not None
    q = ctx.q
    before_number = ctx.text[max(ctx.s_start, q.context_start - 24) : q.context_start]
    if "每" not in before_number:
        return False  # (every per-unit prefix has 每: the usual case, in one test)
    # 每个分别不少于60万元、40万元: the values of a list before this one, their bound, 分别
    before_number = rules.earlier_values.sub("", before_number)
    while before_number.endswith(rules.per_unit_skips):
        word = next(w for w in rules.per_unit_skips if before_number.endswith(w))
        before_number = before_number[: -len(word)]
    return before_number.endswith(rules.lex.per_unit_prefixes) and not _raising(rules, ctx.reading)


def check_conditional_support(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """纳入医保定点的，再增加一次性补贴3万元: a support granted on a condition that opens the
    sentence (…的，) sets the terms of a rule, even when it adds to another support."""
    q = ctx.q
    if q.unit not in ("CNY", "percent") or rules.budget_re.search(ctx.scope("clause")):
        return False
    condition = rules.condition_end.search(ctx.text, ctx.s_start, ctx.clause_start)
    return condition is not None and rules.param_re.search(ctx.scope("clause")) is not None


def check_per_item_standard(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """每处建筑面积不少于1000平方米: an indicator per item of what is regulated, not raised."""
    assert ctx.reading is not None
    if ctx.reading.action or ctx.q.unit in rules.lex.readers.object_units:
        return False  # 每个县办好1所…: a count over places, with or without a known verb (a target)
    indicator = ctx.reading.indicator.text
    return indicator.startswith(rules.lex.per_item_words) or indicator.endswith(rules.lex.per_item_words)


def check_condition_of_support(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """达到1000人次…的，给予补贴: the quantity sits in a condition (…的，) that a support word
    (给予, 奖励, 补贴…) follows in the same sentence."""
    q = ctx.q
    end = min(ctx.sentence_end, q.end + 80)
    condition = rules.condition_end.search(ctx.text, q.end, end)
    return condition is not None and rules.support_re.search(ctx.text, condition.end(),
                                                             min(end, condition.end() + 30)) is not None


def check_threshold_condition(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """不足3000名的, 未满10户的: an upper bound closed by 的 is the threshold of a condition."""
    q = ctx.q
    if q.comparator not in (Comparator.LT, Comparator.LE):
        return False
    return ctx.text.startswith(rules.lex.readers.attributive, q.context_end) \
        and not ctx.text.startswith(rules.attributive_goals, q.context_end)  # (低于5%的目标)


def check_paid_rate(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """A rate right after 按/按照 that a verb of support follows (按60%返还, 按照20%的比例给予
    贴息): the share a rule pays.  A planned rate (赤字率拟按3%左右安排, 按零增长控制) has no
    verb of support after it and stays."""
    if ctx.q.unit != "percent" or not ctx.scope("clause").endswith(("按", "按照")):
        return False
    after = ctx.scope("after").removeprefix("的").removeprefix("比例")
    return rules.support_re.match(after) is not None


def check_duration(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """Amounts of time are durations and deadlines unless the indicator is a time (a value
    reached with no indicator of its own continues the sentence's: 人均预期寿命提高1岁，达到79岁)."""
    assert ctx.reading is not None
    if ctx.q.unit not in rules.lex.time_units or travel_time(rules, ctx):
        return False
    if ctx.text.startswith(rules.lex.return_period_marks, ctx.q.end):
        return False  # 50年一遇: a return period, the standard itself
    if ctx.continues_list and ctx.prev_unit == ctx.q.unit:
        return False  # 城区…控制在12分钟以内、农村控制在30分钟以内: the list's time
    indicator = ctx.reading.indicator.text
    if not indicator and ctx.reading.action.text:
        indicator = ctx.scope("sentence_start")
    return not any(w in indicator for w in rules.lex.time_indicators)


def check_support_parameter(rules: NonTargetRules, ctx: MentionContext) -> bool:
    """CNY, rates and bare numbers in a clause that grants or sets a rule (给予, 最高…),
    unless a standard is raised to them (补助标准提高到90%)."""
    assert ctx.reading is not None
    q = ctx.q
    if q.unit not in ("CNY", "number", "percent") or _raising(rules, ctx.reading):
        return False
    if q.unit == "CNY" and rules.budget_re.search(ctx.scope("clause")):
        return False  # 拟安排补助资金1030亿元: a budget, not the terms of a subsidy
    scope = ctx.text[ctx.s_start : q.context_start] if q.unit == "CNY" else ctx.scope("clause")
    return bool(rules.param_re.search(scope) or rules.param_re.search(ctx.text, q.end, q.end + 6))


_SEGMENT_LIMIT = 120

_CHECKS: dict[str, Any] = {
    name[len("check_") :]: fn for name, fn in list(globals().items()) if name.startswith("check_")
}
