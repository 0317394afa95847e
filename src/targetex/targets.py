"""Stage 4: target assembly — which quantities are targets, and their fields.

For every quantity mention the stage reads the *segment* of its clause that leads up to
it (from the clause start, or from the previous target of the same list) and finds:

- the predicate (``action``): a cue verb of ``models/verbs.tsv`` written at the end of the
  segment (``地区生产总值增长``), else at its start (``新增高新技术企业``), else inside it as
  part of a statistic's name (``城镇新增就业``); with no verb of its own a list item takes
  the verb of the item before it (``新增A 8项、B 8家``);
- the ``indicator``: the rest of the segment, cleaned of adverbs and light verbs; an item
  with none takes the noun written after the number (``新增70家高新技术企业``) or the
  indicator of the item before it (``小微企业园新开建1个、建成2个以上``);
- ``kind`` and sign from the verb, ``modality`` from the nearest cue of the sentence;
- coordination: ``分别`` pairs a list of indicators with a list of values, ``各``/``均``
  gives each indicator of a list the same value.

Quantities that are names, dates, enumerations, scope modifiers, policy parameters,
baselines or results already achieved are dropped (ANNOTATION.md section 2).  Offsets stay
in the normalised text; the pipeline maps them back to the raw text.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, replace
from typing import Any

from targetex.clauses import CLAUSE_END, SENTENCE_END, split_clauses
from targetex.quantities import Mention
from targetex.records import Comparator, Kind, Modality, Quantity
from targetex.resources import Lexicon

__all__ = ["Draft", "TargetAssembler"]

_CJK = re.compile(r"[\u4e00-\u9fff]")
SEGMENT_LIMIT = 120
SENTENCE_WINDOW = 400
_LIST_SEPARATORS = "、和及与或"
_EDGES = " 、,，;；:：。|"
_DATE_PHRASE = re.compile(
    r"^(?:到|至|在|于|截至)?(?:(?:19|20)\d{2}年|[一二三四五六七八九十]+年|今年|明年|年内|全年)"
    r"(?:\d{1,2}月)?(?:底|末|前|后|内|起)?[,，]?"
)
# Units that count items or shares: written before a noun they are a target's own object
# (新增70家高新技术企业, 80%以上的驻社区单位); other units before a noun modify it.
_OBJECT_UNITS = frozenset({"count", "percent"})
# Characters after a quantity that do not start a noun (so the quantity is not a modifier).
_FUNCTION_CHARS = frozenset("的以和及与或并等为用于左上下内之将被由从到至在是后前时中每即约近再并且,")


@dataclass(frozen=True, slots=True)
class Draft:
    """A target before it is linked to its task (offsets in the normalised text)."""

    quantity: Quantity
    indicator: str
    action: str
    kind: Kind
    modality: Modality
    comparator: Comparator


@dataclass(slots=True)
class _Verb:
    start: int  # offsets inside the segment string
    end: int
    word: str  # the action as written (with 新, or V和V)
    kind: str
    sign: int


@dataclass(slots=True)
class _Previous:
    """What a list item may take from the item before it."""

    action: str
    kind: str
    sign: int
    indicator: str
    end: int  # where the previous target's text ends (its quantity, or its noun after it)
    unit: str
    object_after: bool  # its indicator was the noun written after the number
    respective: list[str]  # indicators still waiting for their values (分别)
    group: list[int]  # indexes of drafts in the current 分别 group


def _alternation(words: Any) -> re.Pattern[str]:
    ordered = sorted(set(words), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered) if ordered else r"(?!)")


class TargetAssembler:
    """Turns quantity mentions into target drafts.  Build once per lexicon, reuse."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.verbs = lexicon.verbs
        self._verb_words = sorted(self.verbs, key=len, reverse=True)
        self._inner_verbs = [v for v in self._verb_words if v not in lexicon.end_only_verbs]
        self._verb_re = _alternation(self._inner_verbs)
        self._noun_re = _alternation(lexicon.noun_compounds)
        self._adverbs = lexicon.adverbs
        self._modality = sorted(lexicon.modality, key=len, reverse=True)
        self._modality_re = _alternation(self._modality)
        self._review_re = _alternation(lexicon.review_cues)
        self._background_re = _alternation(lexicon.background_cues)
        self._param_re = _alternation(lexicon.parameter_cues)
        self._support_re = _alternation(lexicon.support_cues)
        self._norm_re = _alternation(lexicon.norm_cues)
        self._comparator_words = sorted(lexicon.comparator_prefix, key=len, reverse=True)
        self._change_level = [v for v in self._verb_words if self.verbs[v].kind in ("change", "level")]
        # Word sets and their longest length: suffix/prefix look-ups by slicing are far
        # cheaper than testing every word with endswith.
        self._verb_set = frozenset(self._verb_words)
        self._inner_set = frozenset(self._inner_verbs)
        self._verb_max = max(map(len, self._verb_words))
        self._front_words = frozenset(("其中", *lexicon.conjunctions, *self._adverbs, *self._modality))
        self._back_words = frozenset((*self._adverbs, *self._modality))
        self._word_max = max(map(len, self._front_words))
        self._predicate_re = _alternation([*self._comparator_words, *self._verb_words])
        self._quantity_only = re.compile(r"[\d.]+[万亿千百]*[\u4e00-\u9fff]{0,3}")
        self._unit_alt = "|".join(re.escape(u) for u in sorted([*lexicon.units, *lexicon.classifiers],
                                                               key=len, reverse=True))

    # ------------------------------------------------------------------ public
    def assemble(self, text: str, mentions: list[Mention], excluded: list[tuple[int, int]]) -> list[Draft]:
        """Drafts for the mentions of ``text`` that are targets, in order.

        Args:
            text: the normalised document text (labels blanked).
            mentions: its quantity mentions (from ``quantities``).
            excluded: spans (sorted) of parts that review past work.
        """
        drafts: list[Draft] = []
        starts = [s for s, _ in excluded]
        by_sentence: dict[tuple[int, int], list[Mention]] = {}
        for mention in mentions:
            by_sentence.setdefault(self._sentence_of(text, mention.quantity), []).append(mention)
        for (s_start, s_end), items in by_sentence.items():
            if _in_spans(excluded, starts, s_start):
                continue
            drafts.extend(self._sentence(text, s_start, s_end, items))
        return drafts

    # ------------------------------------------------------------------ sentences
    @staticmethod
    def _sentence_of(text: str, q: Quantity) -> tuple[int, int]:
        """The sentence around a quantity, looked for within SENTENCE_WINDOW characters
        (a longer "sentence", text without punctuation, is cut into windows)."""
        start = max(0, q.start - SENTENCE_WINDOW)
        for mark in _SENTENCE_END_RE.finditer(text, start, q.start):
            start = mark.end()
        after = _SENTENCE_END_RE.search(text, q.end, q.end + SENTENCE_WINDOW)
        end = after.end() if after else min(len(text), q.end + SENTENCE_WINDOW)
        return start, end

    def _sentence(self, text: str, s_start: int, s_end: int, mentions: list[Mention]) -> list[Draft]:
        clauses = split_clauses(text, s_start, s_end)
        clause_starts = [c.start for c in clauses]
        drafts: list[Draft] = []
        prev: _Previous | None = None
        skip_to = s_start  # end of the last quantity that was not a target
        for mention in mentions:
            q = mention.quantity
            ci = max(0, bisect.bisect_right(clause_starts, q.start) - 1)
            clause_start = clauses[ci].start if clauses else s_start
            made, new_prev = self._mention(text, s_start, clause_start, mention, prev, drafts, skip_to)
            if made:
                drafts.extend(made)
                prev = new_prev
            elif q.unit in self.lex.time_units:
                skip_to = max(skip_to, q.context_end)  # 4年外购10万头: the duration is not the subject
        return drafts

    # ------------------------------------------------------------------ one mention
    def _mention(
        self,
        text: str,
        s_start: int,
        clause_start: int,
        mention: Mention,
        prev: _Previous | None,
        drafts: list[Draft],
        skip_to: int,
    ) -> tuple[list[Draft], _Previous | None]:
        q = mention.quantity
        # A segment never reaches back more than SEGMENT_LIMIT characters: indicators are
        # short, and a text without punctuation must not cost quadratic time.
        clause_start = max(clause_start, q.context_start - SEGMENT_LIMIT)
        s_start = max(s_start, q.context_start - 2 * SEGMENT_LIMIT)
        continues_list = prev is not None and prev.end >= clause_start
        left = max(clause_start, prev.end) if (prev is not None and continues_list) else clause_start
        raw_segment = text[left : q.context_start]
        segment = raw_segment
        # A quantity that was not a target and opens the segment (7年繁育…) is cut off.
        if skip_to > left and text[left:skip_to].strip(_EDGES) and skip_to <= q.context_start:
            if skip_to - left <= 12:
                segment = text[skip_to : q.context_start]
        for opener in self.lex.predicate_openers:
            cut = segment.rfind(opener)
            if cut > 0 and not continues_list and self._verb_re.match(segment, cut + len(opener)):
                segment = segment[cut + len(opener) :]
                break
        separator_before = continues_list and raw_segment.strip(" ")[:1] in tuple(_LIST_SEPARATORS)
        in_group = prev is not None and bool(prev.group) and continues_list and separator_before
        clause_text = text[clause_start : q.context_start]
        if (prev is not None and prev.unit == "count" and q.unit not in _OBJECT_UNITS and continues_list
                and not re.search(r"[,，;；、和及与]", text[prev.end : q.start])):
            return [], prev  # 2家以上年销售收入达500亿元的企业: defines what is counted
        # After a verb, or after 和 in a list of its objects, a quantity opens an object
        # (实施1009户棚户区改造和712户农村危旧房改造).
        object_position = self._verb_before(segment) or (
            prev is not None and prev.object_after and continues_list and not segment.strip(_EDGES + "和及与")
        )
        if self._is_non_target(text, s_start, clause_start, mention, segment, clause_text, object_position):
            return [], prev
        if mention.doubling:
            segment = segment[:-1] if segment.endswith("翻") else segment

        stripped, respective_list, distributive = self._strip(segment)
        verb = self._find_verb(stripped, first_of_clause=not continues_list)
        action = kind_word = ""
        sign = 1
        indicator = stripped
        possession = False
        if verb is not None:
            action, kind_word, sign = verb.word, verb.kind, verb.sign
            possession = verb.word in self.lex.possession_verbs
            if verb.end == len(stripped):  # 地区生产总值增长: indicator before the verb
                before = stripped[: verb.start]
                if kind_word == "amount" and q.unit in self.lex.activity_units and before:
                    indicator = stripped  # 职业技能培训: the activity is the statistic
                else:
                    indicator = before
            elif verb.start == 0:  # 新增高新技术企业: indicator after the verb
                indicator = stripped[verb.end :]
            elif _is_manner(stripped[: verb.start]):  # 自主培育优秀种公牛: a manner, then the verb
                action = stripped[: verb.end]
                indicator = stripped[verb.end :]
            else:  # 城镇新增就业: the verb is inside the statistic's name
                indicator = stripped
        elif prev is not None and (continues_list or stripped.startswith("其中")
                                   or segment.lstrip().startswith("(")):
            # 转移支付增加1.5万亿元、规模近9.8万亿元: a level noun has its own value.
            if not (prev.kind == "change" and stripped.endswith(self.lex.level_nouns)):
                action, kind_word, sign = prev.action, prev.kind, prev.sign
        if mention.doubling:
            action, kind_word = "翻", "change"
        prefix_word = text[q.context_start : q.start].strip()
        if not action and prefix_word in self.verbs:
            # 期望寿命超过80岁: the comparator word is the only predicate.
            entry = self.verbs[prefix_word]
            action, kind_word, sign = prefix_word, entry.kind, entry.sign
        indicator = self._clean_indicator(indicator)

        # A per-unit amount (每人1000元) is a parameter, unless a standard is raised to it
        # (低保标准提高到每人每月820元).
        before_number = text[max(s_start, q.context_start - 6) : q.context_start]
        per_unit = before_number.endswith(self.lex.per_unit_prefixes)
        raising = kind_word == "change" or (kind_word == "level" and action.endswith(("到", "至", "达到")))
        if per_unit and not raising:
            return [], prev
        # Amounts of time are durations and deadlines unless the indicator is a time.
        if q.unit in self.lex.time_units and not any(w in indicator for w in self.lex.time_indicators):
            return [], prev
        # A subsidy, award or rule: CNY, rates and bare numbers given, not committed.  A
        # standard raised to a new value stays a target (补助标准提高到90%).
        scope_text = text[s_start : q.context_start] if q.unit == "CNY" else clause_text
        if q.unit in ("CNY", "number", "percent") and not raising and (
            self._param_re.search(scope_text) or self._param_re.search(text, q.end, q.end + 6)
        ):
            return [], prev

        # Rate-of-change nouns: 居民消费价格涨幅3% is a change of 居民消费价格.
        rate_noun = next((w for w in self.lex.rate_of_change_nouns if indicator.endswith(w)), None)
        if rate_noun and kind_word in ("", "level"):
            # 年均增速不低于20% after 绿色贷款余额达到…: the quantity that changes was named
            # before.
            indicator = indicator[: -len(rate_noun)] or (prev.indicator if prev is not None else indicator)
            kind_word = "change"

        right, right_end = self._right_indicator(text, q)
        right_verb = next((v for v in (*self.lex.light_verbs, *self._inner_verbs)
                           if text.startswith(v, right_end)), "") if right else ""
        used_right = False
        located = indicator.startswith(("在", "每个", "每", "各")) or distributive == "places"
        # 全省体育用品产业累计推出1000项以上新产品: after an amount verb, the noun after the
        # number is the thing done; what stands before the verb is who does it.
        object_after_verb = verb is not None and verb.end == len(stripped) and kind_word == "amount"
        if right and (possession or located or object_after_verb or not indicator
                      or segment.rstrip().endswith("等")):
            # 每个街道建有1个综合服务中心 (the thing had), 新增70家高新技术企业,
            # 对人民中路等3条城区道路… (a partial list before the count).
            indicator, used_right = right, True
        if not action and used_right and right_verb:
            action = right_verb  # 每年推动50家企业完成股份制改造: the verb after its object
        elif not action and not verb and text.startswith(tuple(self.lex.light_verbs), q.context_end):
            action = next(v for v in self.lex.light_verbs if text.startswith(v, q.context_end))
        if action.endswith(self.lex.investment_verbs):
            # What is invested in: the noun after the amount, or the next clause's object.
            obj = right if right and text[q.context_end : q.context_end + 1] == "的" else ""
            obj = obj or self._investment_object(text, q)
            suffix = self.lex.investment_suffix
            if obj:
                indicator = obj if obj.endswith(suffix) else obj + suffix
            else:  # nothing named: the investment itself (项目总投资, 投资)
                indicator = indicator + action if indicator and not indicator.endswith(suffix) else action
        respective: list[str] = []
        if respective_list:
            respective = respective_list
            indicator = respective.pop(0) if respective else indicator
        elif not indicator and prev is not None and prev.respective and continues_list:
            respective = prev.respective
            indicator = respective.pop(0)
        elif not indicator and prev is not None:
            indicator = prev.indicator
        elif prev is not None and self._quantity_only.fullmatch(indicator):
            indicator = prev.indicator  # 规模达到500亿元的1个、100亿元的1个
        elif prev is not None and prev.indicator and len(indicator) <= 2 and indicator.endswith(
            self.lex.level_nouns
        ) and not prev.indicator.endswith(indicator):
            indicator = prev.indicator + indicator  # 转移支付增加1.5万亿元、规模近9.8万亿元
        elif prev is not None and prev.indicator and stripped_front_qizhong(segment) and indicator.endswith(
            self.lex.place_suffixes
        ):
            indicator = indicator + prev.indicator  # 总规模达到1200亿元，其中定州市达到500亿元
        elif prev is not None and prev.indicator and len(indicator) <= 3 and indicator.endswith("级"):
            # 新增市级以上专精特新企业20家，其中国家级2家: the level replaces the total's.
            indicator += re.sub(r"^[\u4e00-\u9fff]{0,4}级(?:以上|以下)?", "", prev.indicator)
        if not indicator:
            indicator = self._topic(text, s_start, clause_start)

        kind = self._kind(kind_word, indicator, q)
        modality = self._modality_of(text, clause_start, q.context_start)
        comparator = self._comparator_of(q, segment)
        if comparator is Comparator.EQ and verb is not None and verb.end == len(stripped):
            before_verb = stripped[: verb.start]
            for word in self._comparator_words:
                if before_verb.endswith(word):  # 各区至少有1所: the bound is before the verb
                    comparator = Comparator(self.lex.comparator_prefix[word])
                    if indicator.endswith(word):
                        indicator = indicator[: -len(word)]
                    break
        value, value_max = q.value, q.value_max
        if kind is Kind.CHANGE and sign < 0:
            value = -value
            value_max = -value_max if value_max is not None else None
            if value_max is not None:
                value, value_max = value_max, value  # keep value <= value_max
        quantity = replace(q, value=value, value_max=value_max)
        indicators = [indicator]
        if distributive == "items":
            # 新创建A和B各1个 / A和B均达到45%: one target per indicator of the list.
            indicators = self._distribute(indicator)
        elif distributive == "places" and not used_right and prev is not None:
            indicators = [prev.indicator]  # 其中石家庄、张家口、邢台市各建设1条 (of the same thing)
        made = [Draft(quantity, ind, action, kind, modality, comparator) for ind in indicators]
        # 分别 lists: a comparator after the last value applies to every value.
        group = list(prev.group) if (prev is not None and in_group) else []
        if respective or group:
            group = [*group, len(drafts)]
        if comparator is not Comparator.EQ and len(group) > 1:
            for index in group[:-1]:
                if drafts[index].comparator is Comparator.EQ:
                    drafts[index] = replace(drafts[index], comparator=comparator)
        new_prev = _Previous(
            action=action,
            kind=kind_word,
            sign=sign,
            indicator=indicators[-1],
            end=right_end if used_right else q.context_end,
            unit=q.unit,
            object_after=used_right,
            respective=respective,
            group=group if (respective or group) else [],
        )
        return made, new_prev

    # ------------------------------------------------------------------ filters
    def _is_non_target(
        self,
        text: str,
        s_start: int,
        clause_start: int,
        mention: Mention,
        segment: str,
        clause_text: str,
        object_position: bool,
    ) -> bool:
        q = mention.quantity
        after = text[q.context_end : q.context_end + 16]
        before = text[max(s_start, q.context_start - 12) : q.context_start]
        unit = q.unit
        # Inside quotation marks: a name or slogan (“10分钟健身圈”).
        if _inside_quotes(text, s_start, q.start, q.end):
            return True
        # An enumeration of the items just listed: "A、B等2项", "…等6条产业链", "A、B两项".
        if unit == "count" and self._enumerates(clause_text, q.value, after):
            return True
        if before.rstrip(" ").endswith(("这", "此", "上述")):
            return True
        # A frequency (每年开展1次).
        if unit == "count" and q.classifier in self.lex.frequency_classifiers:
            return True
        # A modifier of a noun: "3岁以下婴幼儿", "新市民2000人以上村", "超10亿元企业",
        # "1万名老人以上的街(镇)", "规模达到500亿元的1个".
        if unit not in _OBJECT_UNITS and re.match(r"的(?:\d|[一二两三四五六七八九十]+[个家项所条座])", after):
            return True  # 规模达到500亿元的1个: the amount defines the things counted
        bounded_modifier = q.context_end > q.end and _CJK.match(after.lstrip("“”\"'")[:1] or " ") and (
            not after.lstrip("“”\"'").startswith(self.lex.scope_followers_allowed)
        ) and not self._verb_at(after.lstrip("“”\"'"))  # 实现25户以上自然村通硬化路
        noun_modifier = unit not in _OBJECT_UNITS and (
            (not object_position and self._modifies_noun(after, q)) or bool(bounded_modifier)
        )
        count_scope = unit == "count" and re.match(r"[\u4e00-\u9fff]{1,4}(?:以上|以下)的", after)
        if noun_modifier or count_scope:
            return True
        # The places a value is spread over, not a target (11个设区的市分别建设1个…).
        if unit == "count" and re.match(r"[^,，。;；、]{1,12}(?:分别|各自|均)", after):
            return True
        # A baseline: "由当前3%提升到10%", "从75%提高到100%", "以1445名为基数".
        if after.startswith(self.lex.baseline_followers):
            return True
        if re.search(r"[由从](?:当前|现在|目前|现有|原来)?的?$", before) and self._starts_change(after):
            return True
        # Policy parameters: per-unit amounts, planning norms, support rules.
        if after.startswith(self.lex.parameter_suffixes):
            return True
        if after.startswith("/") and not after.startswith(self.lex.concentration_denominators):
            return True  # 1000元/人: a rate per person (10万/毫升 is a concentration)
        if self._norm_re.search(clause_text):
            return True
        if unit == "percent" and re.search(r"按(?:照)?[^,，;；。]*的$", clause_text) and not after.startswith(
            ("目标", "以上目标", "的目标")
        ):
            return True  # 按照生鲜乳收购量的10%(进行补贴): a rate a rule applies
        opening = clause_text.lstrip(_EDGES)
        if (opening.startswith("对") or re.match(r"[\u4e00-\u9fff]{1,3}对", opening)) and (
            self._support_re.search(text, clause_start, min(self._sentence_of(text, q)[1],
                                                           q.end + 2 * SEGMENT_LIMIT))
        ):
            return True
        # Results already achieved, reviewed rather than promised: a review cue anywhere
        # before the number in its sentence, a background cue in its clause.
        sentence_before = text[s_start : q.context_start]
        if sentence_before.lstrip(_EDGES).startswith(self.lex.review_openers):
            return True
        for pattern, scope in ((self._review_re, sentence_before), (self._background_re, segment)):
            for m in pattern.finditer(scope):
                if m.start() == 0 or scope[m.start() - 1] not in self.lex.review_exceptions:
                    return True
        return False

    def _verb_before(self, segment: str) -> bool:
        """A cue verb right before the number: what follows is its object (新建1亿亩高标准农田)."""
        s = self._strip_back(segment.rstrip(_EDGES))
        verb = self._end_verb(s)
        return verb is not None and verb.end == len(s) and not s.endswith("的")

    def _modifies_noun(self, after: str, q: Quantity) -> bool:
        follower = after.lstrip("“”\"'")
        if not follower or not _CJK.match(follower[0]):
            return False
        if re.match(r"[\u4e00-\u9fff]{1,4}(?:以上|以下)的", follower):
            return True
        if follower[0] == "的":
            rest = follower[1:]
            if rest[:1].isdigit() or re.match(r"[一二两三四五六七八九十]+[个家项所条座]", rest):
                return True
            return q.comparator is not Comparator.EQ and not rest.startswith(("目标", "任务"))
        if follower[0] in _FUNCTION_CHARS or self._verb_at(follower):
            return False
        return not follower.startswith(self.lex.scope_followers_allowed)

    def _starts_change(self, after: str) -> bool:
        after = after.lstrip(" ,，")
        return any(after.startswith(v) for v in self._change_level) or after.startswith(("提高", "提升"))

    def _enumerates(self, clause_text: str, value: float, after: str) -> bool:
        """The clause names exactly ``value`` items right before the number (A、B等2项)."""
        if value < 2 or value > 20 or value != int(value):
            return False
        tail = clause_text.rstrip(" ")
        if tail.endswith("等"):
            items = [p for p in re.split(r"、|和|及|与", tail[:-1]) if p.strip()]
            return len(items) == int(value) or len(items) >= int(value)
        # "A、B两项省级试点": a list right before a count that is followed by its noun.
        tail = re.split(r"\d", tail)[-1]
        if not after[:1] or not _CJK.match(after[0]):
            return False
        items = [p for p in re.split(r"、", tail) if p.strip()]
        return len(items) >= 2 and len(items) == int(value)

    def _verb_at(self, text: str) -> bool:
        return any(text[:k] in self._inner_set for k in range(min(self._verb_max, len(text)), 0, -1))

    # ------------------------------------------------------------------ pieces
    def _strip_front(self, s: str) -> str:
        """Drop dates, symbols, conjunctions, adverbs and modality words opening ``s``."""
        while True:
            s = _DATE_PHRASE.sub("", s).lstrip(_EDGES + self.lex.leading_symbols)
            for k in range(min(self._word_max, len(s)), 0, -1):
                word = s[:k]
                if word in self._front_words and (
                    word not in self.lex.manner_adverbs
                    or self._verb_at(s[k:]) or s[k:][:k] in self._front_words  # 重点推进 / 重点项目
                ):
                    s = _strip_unbalanced(s[k:].lstrip(_EDGES))
                    break
            else:
                return s

    def _strip_back(self, s: str) -> str:
        """Drop adverbs and modality words ending ``s`` (城镇调查失业率全年 → …失业率)."""
        while True:
            for k in range(min(self._word_max, len(s) - 1), 0, -1):
                if s[-k:] in self._back_words:
                    s = s[:-k].rstrip(_EDGES)
                    break
            else:
                return s

    def _strip(self, segment: str) -> tuple[str, list[str] | None, str]:
        """Strip the segment's edges; detect 分别 (respective list) and 各/均 (distributive)."""
        s = _strip_unbalanced(segment.strip(_EDGES))
        if s in self.lex.conjunctions:
            s = ""  # the bare 和 between two values of a 分别 list
        s = self._strip_front(s)
        respective: list[str] | None = None
        places_word = False
        for word in self.lex.respective:
            cut = s.find(word)
            if cut > 0:
                head, tail = s[:cut], s[cut + len(word) :]
                lead = self._start_verb(head + "\0")
                if lead is not None:
                    head = head[lead.end :]
                    tail = lead.word + tail if self._leading_verb(tail) is None else tail
                items = _share_head([self._clean_indicator(x) for x in _split_list(head)])
                if len(items) > 1:
                    respective = items
                    s = tail
                else:
                    s = head + tail  # one subject: 11个设区的市分别建设… spreads over places
                    places_word = True
                break
        distributive = ""
        for word in self.lex.distributive:
            if s.endswith(word) and len(s) > len(word) and not s.endswith(self.lex.distributive_exceptions):
                s, distributive = s[: -len(word)], "items"  # 新创建A和B各1个
                break
            verb = self._end_verb(s)
            if verb is not None and s[: verb.start].endswith(word) and not s[: verb.start].endswith(
                self.lex.distributive_exceptions
            ):
                s = s[: verb.start - len(word)] + s[verb.start :]
                # A和B均达到45%: the list names indicators; X、Y各建设1条: it names places.
                distributive = "places" if verb.kind == "amount" else "items"
                break
        if places_word and not distributive:
            distributive = "places"
        return self._strip_back(s), respective, distributive

    def _leading_verb(self, s: str) -> _Verb | None:
        if self._noun_re.match(s):
            return None
        for k in range(min(self._verb_max, len(s)), 0, -1):
            word = s[:k]
            if word in self._inner_set:
                entry = self.verbs[word]
                return _Verb(0, k, word, entry.kind, entry.sign)
        return None

    def _end_verb(self, s: str) -> _Verb | None:
        """A verb written right before the number, extended over a verb before it
        (改造提升) and over 新 (新开建)."""
        for k in range(min(self._verb_max, len(s)), 0, -1):
            word = s[-k:]
            if word in self._verb_set and not self._noun_ends(s, len(s) - k):
                start = len(s) - k
                entry = self.verbs[word]
                for j in range(min(self._verb_max, start - 1), 1, -1):
                    other = s[start - j : start]
                    if other in self._inner_set and entry.kind == self.verbs[other].kind == "amount":
                        start -= j  # 改造提升: two amount verbs are one action
                        break
                for prefix in self.lex.action_prefixes:
                    if s[:start].endswith(prefix) and start - len(prefix) > 0:
                        start -= len(prefix)
                return _Verb(start, len(s), s[start:], entry.kind, entry.sign)
        # "占全市老人总数的6%", "不低于居住用地供应总量的70%": the predicate before a
        # denominator written with 的.
        if s.endswith("的"):
            best: _Verb | None = None
            best_end = -1
            for m in self._predicate_re.finditer(s, 1):  # longest first: 不低于 before 低于
                word, at = m.group(0), m.start()
                if at + len(word) <= best_end or self._noun_ends(s, at):
                    continue
                best_end = at + len(word)
                found = self.verbs.get(word)
                if found is None:  # a comparator is not an action: 不低于…的70% has none
                    best = _Verb(at, len(s), "", "level", 1)
                else:
                    best = _Verb(at, len(s), word, found.kind, found.sign)
            return best
        return None

    def _start_verb(self, s: str) -> _Verb | None:
        """A verb opening the segment, with 新 or a second verb (引进和试验)."""
        offset = 0
        for prefix in self.lex.action_prefixes:
            if s.startswith(prefix) and self._leading_verb(s[len(prefix) :]) is not None:
                offset = len(prefix)
        lead = self._leading_verb(s[offset:])
        if lead is None:
            return None
        end = offset + lead.end
        for conj in ("和", "及", "与", "并", "、"):
            if s.startswith(conj, end):
                second = self._leading_verb(s[end + len(conj) :])
                if second is None:
                    second = _jieba_verb(s[end + len(conj) :])
                if second is not None:
                    end = end + len(conj) + second.end
                break
        # Two verbs in a row are one action (改造提升).
        following = self._leading_verb(s[end:])
        rest = s[end + following.end :] if following is not None else ""
        if (following is not None and rest and len(following.word) >= 2
                and not s.endswith(self.lex.level_nouns) and self._leading_verb(rest) is None):
            end += following.end  # (新增造林面积: 造林面积 is the indicator, not 新增造林)
        return _Verb(0, end, s[:end], lead.kind, lead.sign)

    def _after_preposition(self, s: str) -> _Verb | None:
        """在旧城区新(改)建…: the first cue verb after an opening prepositional phrase."""
        if not s.startswith(self.lex.prepositions):
            return None
        for m in self._verb_re.finditer(s, 1):
            if self._noun_ends(s, m.start()) or m.end() >= len(s):
                continue
            verb = self._start_verb(s[m.start() :])
            if verb is not None:
                return _Verb(m.start(), m.start() + verb.end, verb.word, verb.kind, verb.sign)
        return None

    def _find_verb(self, s: str, first_of_clause: bool) -> _Verb | None:
        if not s:
            return None
        end_verb = self._end_verb(s)
        start_verb = self._start_verb(s)
        # 新增国土绿化: an amount verb at the end is part of the indicator when another
        # verb opens the segment; a change or level verb at the end is the predicate.
        if end_verb is not None and end_verb.start > 0:
            if start_verb is None or end_verb.kind != "amount":
                return end_verb
        if start_verb is not None and start_verb.end < len(s):
            return start_verb
        if end_verb is not None:
            return end_verb
        after_prep = self._after_preposition(s)
        if after_prep is not None:
            return _Verb(0, after_prep.end, after_prep.word, after_prep.kind, after_prep.sign)
        if not first_of_clause:
            return None
        # A verb inside a statistic's name (城镇新增就业): it is the action, the whole
        # phrase stays the indicator.
        for m in self._verb_re.finditer(s):
            if self._noun_ends(s, m.start()):
                continue
            entry = self.verbs[m.group(0)]
            if entry.kind == "amount" and m.start() > 0:
                return _Verb(m.start(), m.end(), m.group(0), "amount_inner", entry.sign)
            if m.group(0) in self.lex.possession_verbs and m.start() > 0:
                return _Verb(m.start(), m.end(), m.group(0), "level_inner", entry.sign)  # 每千名老人拥有床位
        # An unknown verb opening the segment, as jieba tags it.
        guess = None if self._noun_re.match(s) else _jieba_verb(s)
        if guess is not None and (guess.end < len(s) or len(s) <= 3):
            return guess  # (获领: a verb of its own, its object written after the number)
        return None

    def _noun_ends(self, s: str, verb_start: int) -> bool:
        """The verb at ``verb_start`` is part of a noun compound (增加值, 建设用地)."""
        for m in self._noun_re.finditer(s, max(0, verb_start - 3)):
            if m.start() <= verb_start < m.end():
                return True
            if m.start() > verb_start:
                break
        return False

    def _clean_indicator(self, s: str) -> str:
        s = _strip_unbalanced(s.strip(_EDGES + "的"))
        s = self._strip_front(s)
        for word in self.lex.light_verbs:
            if s.startswith(word) and len(s) > len(word) + 1:
                s = self._strip_front(s[len(word) :])
                break
        # A baseline written before the predicate: "加计扣除比例从75%" keeps the indicator.
        s = re.sub(r"[由从](?:当前|现在|目前|现有|原来)?的?[^由从]*\d[^由从]*$", "", s)
        s = re.sub(r"^(?:比|较)(?:\d{4}年|上年|去年|上年度|前一年|同期)(?:底|末)?", "", s)
        s = re.sub(r"(?:比|较)(?:\d{4}年|上年|去年|上年度|前一年|同期)(?:底|末)?$", "", s)
        s = re.sub(r"^在?(?:现有|原有|目前)?(.+?)的?基础上$", r"\1", s)
        s = self._strip_back(s)
        while s.endswith("的") and len(s) > 1:
            s = s[:-1]
        return _drop_place(_strip_unbalanced(s.strip(_EDGES)))

    def _right_indicator(self, text: str, q: Quantity) -> tuple[str, int]:
        """The noun written after the number (新增70家高新技术企业), and where it ends."""
        pos = q.context_end
        end = pos
        limit = min(len(text), pos + 40)
        clause_end = pos
        while clause_end < limit and text[clause_end] not in CLAUSE_END:
            clause_end += 1
        # 1个技术、设备、产品高端的现代奶业产业园, 1个100平方米以上的老年人活动站点: a
        # modifier with 的 may hold a list or a number; the head noun follows the last 的.
        has_modifier = "的" in text[pos:clause_end]
        stops = CLAUSE_END + ("" if has_modifier else "、")
        while end < limit and text[end] not in stops and not (text[end].isdigit() and not has_modifier):
            if end > pos and text.startswith(self.lex.predicate_openers, end):
                break
            if end > pos + 1 and text.startswith(tuple(self._change_level), end) and not self._noun_ends(
                text[pos : end + 4], end - pos
            ):
                break  # 80%的区(县级市)达到…: the verb ends the noun
            if text[end] in "和及与" and end + 1 < limit and (text[end + 1].isdigit()):
                break
            if end > pos and text.startswith(self.lex.light_verbs, end):
                break
            end += 1
        phrase = text[pos:end].lstrip(" 的")
        if not phrase or not _CJK.match(phrase[:1]) or phrase.startswith(self.lex.prepositions):
            return "", pos
        if "的" in phrase:
            phrase = phrase[phrase.rfind("的") + 1 :] or phrase
        return self._clean_indicator(phrase), end

    def _topic(self, text: str, s_start: int, clause_start: int) -> str:
        """An indicator named in an earlier clause of the sentence (坝上地区重点扩大优质牧草
        种植面积，…，到2022年达到78万亩): the nearest clause ending with a level noun, else
        the sentence's first clause, without its verbs and adverbs."""
        clauses = [c for c in split_clauses(text, s_start, clause_start) if c.end <= clause_start]
        if not clauses:
            return ""
        chosen = next((c for c in reversed(clauses)
                       if text[c.start : c.end].strip(_EDGES).endswith(self.lex.level_nouns)), clauses[0])
        phrase = text[chosen.start : chosen.end].strip(_EDGES)
        if any(ch.isdigit() for ch in phrase):
            return ""
        for word in (*self._inner_verbs, *self.lex.light_verbs, *self._adverbs):
            if len(word) >= 2:
                phrase = phrase.replace(word, "")
        return self._clean_indicator(phrase)

    def _investment_object(self, text: str, q: Quantity) -> str:
        """What an investment is for: the object of the clause after the amount
        (投资5000万元,提升改造低等级公路40公里 → 低等级公路投资)."""
        pos = q.context_end
        if text[pos : pos + 1] in ",，":
            pos += 1
        end = pos
        limit = min(len(text), pos + SEGMENT_LIMIT)
        while end < limit and text[end] not in CLAUSE_END:
            end += 1
        phrase = self._strip_front(text[pos:end].strip(_EDGES))
        verb = self._after_preposition(phrase) or self._start_verb(phrase)
        if verb is not None and verb.end < len(phrase):
            phrase = phrase[verb.end :]
        # 修建A、B、C3个停车场 / 全面建成33公里绿色出行通道: the noun after the last count;
        # 提升改造低等级公路40公里: the noun before it.
        counts = list(re.finditer(r"\d[\d.]*[万亿千百]?(?:" + self._unit_alt + ")", phrase))
        if counts:
            after_count = re.split(r"[、和及与\d]", phrase[counts[-1].end() :].lstrip("的"))[0]
            phrase = after_count or phrase[: counts[0].start()]
        phrase = self._clean_indicator(re.split(r"[、]", phrase)[0] if not counts else phrase)
        return phrase

    def _distribute(self, indicator: str) -> list[str]:
        items = _share_head([i for i in _split_list(indicator) if i])
        return items if len(items) > 1 else [indicator]

    def _kind(self, kind_word: str, indicator: str, q: Quantity) -> Kind:
        if kind_word == "amount_inner":
            return Kind.AMOUNT
        if kind_word == "level_inner":
            return Kind.LEVEL
        if kind_word:
            return Kind(kind_word)
        if q.unit in ("percent", "percentage_point"):
            return Kind.LEVEL  # a rate with no verb is the rate to reach
        if indicator.endswith(self.lex.level_nouns) or any(w in indicator for w in self.lex.time_indicators):
            return Kind.LEVEL
        return Kind.AMOUNT

    def _comparator_of(self, q: Quantity, segment: str) -> Comparator:
        if q.comparator is not Comparator.EQ or not segment.endswith("的"):
            return q.comparator
        # "不低于居住用地供应总量的70%": the comparator word opens the denominator.
        best, best_end = None, -1
        for word in self._comparator_words:  # longest first: 不低于 before 低于
            at = segment.rfind(word)
            if at != -1 and at + len(word) > best_end:
                best, best_end = word, at + len(word)
        return Comparator(self.lex.comparator_prefix[best]) if best is not None else q.comparator

    def _modality_of(self, text: str, s_start: int, end: int) -> Modality:
        found = None
        for m in self._modality_re.finditer(text, s_start, end):
            found = m.group(0)
        return Modality(self.lex.modality[found]) if found else Modality.PLAIN


_SENTENCE_END_RE = re.compile("[" + re.escape(SENTENCE_END) + "]")


def _share_head(items: list[str]) -> list[str]:
    """Give list items the head noun written only on the last one: 城镇和农村居民人均可支配
    收入 → 城镇居民人均可支配收入; 省级、市级研发机构 → 省级研发机构; 城乡居民医保和职工
    医保参保率 → 城乡居民医保参保率."""
    if len(items) < 2:
        return items
    last = items[-1]
    out = []
    for item in items[:-1]:
        if not item or len(item) >= len(last) or item[-1:] == last[-1:]:
            out.append(item)
            continue
        head = ""
        for k in range(min(len(item), 3), 0, -1):  # a shared word: 医保 … 医保参保率
            at = last.find(item[-k:])
            if at != -1 and at + k < len(last):
                head = last[at + k :]
                break
        if not head and len(item) <= 2:
            head = last[len(item) :]  # parallel modifiers: 城镇 | 农村 居民人均可支配收入
        out.append(item + head)
    return [*out, last]


def _strip_unbalanced(s: str) -> str:
    """Drop brackets at the edges that have no partner (``七)新创`` → ``新创``)."""
    while s and s[0] in "()（）" and (s[0] in ")）" or s.count(s[0]) > s.count(")）"[s[0] == "（"])):
        s = s[1:]
    while s and s[-1] in "()（）" and (s[-1] in "(（" or s.count(s[-1]) > s.count("(（"[s[-1] == "）"])):
        s = s[:-1]
    return s


def _split_list(s: str) -> list[str]:
    parts = [p for p in re.split(r"和|、|及|与|以及", s) if p]
    return parts or [s]


def _inside_quotes(text: str, s_start: int, start: int, end: int) -> bool:
    before = text[s_start:start]
    opened = before.rfind("“")
    if opened == -1 or before.rfind("”") > opened:
        if before.count('"') % 2 == 1:
            return '"' in text[end : end + 20]
        return False
    close = text.find("”", end, end + 20)
    return close != -1


def _in_spans(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def stripped_front_qizhong(segment: str) -> bool:
    """The segment opens a breakdown (其中…)."""
    return segment.strip(_EDGES + "(（").startswith("其中")


_ADMINISTRATIVE = ("省", "市", "自治区", "县", "州", "盟")


def _drop_place(indicator: str) -> str:
    """Drop a place name that only says where (河北省奶牛存栏 → 奶牛存栏); keep one that
    defines what is counted (宁波市级…, 市本级…) and a place that is all there is."""
    if len(indicator) < 5:
        return indicator
    place = _classes().first(indicator, _classes().places)
    if len(place) < 3 or not place.endswith(_ADMINISTRATIVE):
        return indicator  # (城市 is not a place name)
    rest = indicator[len(place) :]
    if not rest or rest[0] in "级属本辖" or len(rest) < 2:
        return indicator
    return rest


@functools.cache
def _classes() -> Any:
    from targetex.words import word_classes

    return word_classes()


def _is_manner(prefix: str) -> bool:
    """Whether ``prefix`` is one adverb or verb of manner (自主, 规划) in jieba's dictionary."""
    if not prefix or len(prefix) > 4:
        return False
    classes = _classes()
    return prefix in classes.verbs or prefix in classes.adverbs


def _jieba_verb(s: str) -> _Verb | None:
    """The first word of ``s`` if jieba's dictionary has it as a verb (verbs the lexicon
    lacks)."""
    if len(s) < 2:
        return None
    word = _classes().first(s, _classes().verbs)
    if len(word) >= 2:
        return _Verb(0, len(word), word, "amount", 1)
    return None
