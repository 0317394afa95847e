"""Stage 4: target assembly — which quantities are targets, and their fields.

For every quantity mention the stage reads the *segment* of its clause that leads up to
it (from the clause start, or from the previous quantity of the same list) and finds:

- the predicate (``action``): a cue verb of ``models/verbs.tsv`` written at the end of the
  segment (``地区生产总值增长``), else at its start (``新增高新技术企业``), else inside it as
  part of a statistic's name (``城镇新增就业``); with no verb of its own a list item takes
  the verb of the item before it (``新增A 8项、B 8家``);
- the ``indicator``: the rest of the segment, cleaned of adverbs and light verbs; an item
  with none takes the one before it (``小微企业园新开建1个、建成2个以上``);
- ``kind`` and sign from the verb, ``modality`` from the nearest cue of the sentence;
- coordination: ``分别`` pairs a list of indicators with a list of values, ``各``/``均``
  gives each indicator of a list the same value.

Quantities that are names, dates, enumerations, scope modifiers, policy parameters or
results already achieved are dropped (ANNOTATION.md section 2).  Offsets stay in the
normalised text; the pipeline maps them back to the raw text.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, replace

from targetex.clauses import CLAUSE_END, split_clauses
from targetex.quantities import Mention
from targetex.records import Comparator, Kind, Modality, Quantity
from targetex.resources import Lexicon

__all__ = ["Draft", "TargetAssembler"]

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LIST_SEPARATORS = "、和及与或"


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
    end: int  # context_end of the previous mention
    respective: list[str]  # indicators still waiting for their values (分别)
    group: list[int]  # indexes of drafts in the current 分别 group


class TargetAssembler:
    """Turns quantity mentions into target drafts.  Build once per lexicon, reuse."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.verbs = lexicon.verbs
        self._verb_words = sorted(self.verbs, key=len, reverse=True)
        self._verb_re = re.compile("|".join(re.escape(v) for v in self._verb_words))
        self._noun_re = re.compile("|".join(re.escape(w) for w in lexicon.noun_compounds))
        self._adverbs = lexicon.adverbs
        self._modality = sorted(lexicon.modality, key=len, reverse=True)
        self._modality_re = re.compile("|".join(re.escape(w) for w in self._modality))
        review = [re.escape(c) for c in lexicon.review_cues]
        self._review_re = re.compile(r"(?<![比较])(?:" + "|".join(review) + ")")
        self._param_re = re.compile("|".join(re.escape(w) for w in lexicon.parameter_cues))
        self._per_unit = lexicon.per_unit_prefixes
        self._openers = lexicon.predicate_openers
        self._distributive = lexicon.distributive
        self._respective = lexicon.respective

    # ------------------------------------------------------------------ public
    def assemble(self, text: str, mentions: list[Mention], excluded: list[tuple[int, int]]) -> list[Draft]:
        """Drafts for the mentions of ``text`` that are targets, in order.

        Args:
            text: the normalised document text.
            mentions: its quantity mentions (from ``quantities``).
            excluded: spans (sorted) of parts that only review or state principles.
        """
        drafts: list[Draft] = []
        if not mentions:
            return drafts
        starts = [s for s, _ in excluded]
        by_sentence: dict[tuple[int, int], list[Mention]] = {}
        sentence_spans = self._sentences_with(text, mentions)
        for mention, span in zip(mentions, sentence_spans, strict=True):
            by_sentence.setdefault(span, []).append(mention)
        for (s_start, s_end), items in by_sentence.items():
            if _in_spans(excluded, starts, s_start):
                continue
            drafts.extend(self._sentence(text, s_start, s_end, items))
        return drafts

    # ------------------------------------------------------------------ sentences
    @staticmethod
    def _sentences_with(text: str, mentions: list[Mention]) -> list[tuple[int, int]]:
        out = []
        for mention in mentions:
            q = mention.quantity
            start = max(text.rfind(ch, 0, q.start) for ch in "。!?！？;；\n") + 1
            ends = [i for i in (text.find(ch, q.end) for ch in "。!?！？;；\n") if i != -1]
            end = min(ends) + 1 if ends else len(text)
            out.append((start, end))
        return out

    def _sentence(self, text: str, s_start: int, s_end: int, mentions: list[Mention]) -> list[Draft]:
        clauses = split_clauses(text, s_start, s_end)
        clause_starts = [c.start for c in clauses]
        drafts: list[Draft] = []
        prev: _Previous | None = None
        for mention in mentions:
            q = mention.quantity
            ci = max(0, bisect.bisect_right(clause_starts, q.start) - 1)
            clause_start = clauses[ci].start if clauses else s_start
            made, prev = self._mention(text, s_start, clause_start, mention, prev, drafts)
            drafts.extend(made)
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
    ) -> tuple[list[Draft], _Previous | None]:
        q = mention.quantity
        # The segment: from the clause start, or the previous quantity of this clause.
        continues_list = prev is not None and prev.end >= clause_start
        left = max(clause_start, prev.end) if (prev is not None and continues_list) else clause_start
        seg_start = left
        segment = text[left : q.context_start]
        # A predicate opener (并, 同时) starts a new segment.
        for opener in self._openers:
            cut = segment.rfind(opener)
            if cut > 0 and not continues_list:
                segment = segment[cut + len(opener) :]
                seg_start = left + cut + len(opener)
                break
        separator_before = continues_list and segment.strip(" ")[:1] in tuple(_LIST_SEPARATORS)
        in_group = prev is not None and bool(prev.group) and continues_list and separator_before
        if self._is_non_target(text, s_start, mention, segment):
            return [], prev
        if mention.doubling:
            segment = segment[:-1] if segment.endswith("翻") else segment

        stripped, respective_list, distributive = self._strip(segment)
        verb = self._find_verb(stripped, first_of_clause=not continues_list)
        action = kind_word = ""
        sign = 1
        indicator = stripped
        if verb is not None:
            action, kind_word, sign = verb.word, verb.kind, verb.sign
            if verb.end == len(stripped):  # 地区生产总值增长: indicator before the verb
                before = stripped[: verb.start]
                if kind_word == "amount" and q.unit in self.lex.activity_units and before:
                    indicator = stripped  # 职业技能培训: the activity is the statistic
                else:
                    indicator = before
            elif verb.start == 0:  # 新增高新技术企业: indicator after the verb
                indicator = stripped[verb.end :]
            else:  # 城镇新增就业: a verb inside a statistic's name
                indicator = stripped
        elif prev is not None and (continues_list or stripped.startswith("其中") or segment.startswith("(")):
            action, kind_word, sign = prev.action, prev.kind, prev.sign
        if mention.doubling:
            action, kind_word = "翻", "change"
        indicator = self._clean_indicator(indicator)
        if distributive:
            indicator = self._clean_indicator(indicator)

        # Time amounts (5年, 3天) are durations and deadlines unless a change or level
        # verb governs them.
        if q.unit in self.lex.time_units and kind_word not in ("change", "level"):
            return [], prev

        # Rate-of-change nouns: 居民消费价格涨幅3% is a change of 居民消费价格.
        rate_noun = next((w for w in self.lex.rate_of_change_nouns if indicator.endswith(w)), None)
        if rate_noun and kind_word in ("", "level"):
            indicator = indicator[: -len(rate_noun)] or indicator
            kind_word = "change"

        # Indicator written after the number (新增70家高新技术企业).
        if not indicator:
            indicator = self._right_indicator(text, q)
        respective: list[str] = []
        if respective_list:
            respective = respective_list
            indicator = respective.pop(0) if respective else indicator
        elif not indicator and prev is not None and prev.respective and continues_list:
            respective = prev.respective
            indicator = respective.pop(0)
        elif not indicator and prev is not None:
            indicator = prev.indicator

        kind = self._kind(kind_word, indicator, q)
        modality = self._modality_of(text, s_start, q.context_start)
        comparator = q.comparator
        value = q.value
        value_max = q.value_max
        if kind is Kind.CHANGE and sign < 0:
            value = -value
            value_max = -value_max if value_max is not None else None
            if value_max is not None:
                value, value_max = value_max, value  # keep value <= value_max
        quantity = replace(q, value=value, value_max=value_max)
        indicators = self._distribute(indicator) if distributive else [indicator]
        made = [
            Draft(quantity, ind, action, kind, modality, comparator) for ind in indicators
        ]
        # 分别 lists: a comparator after the last value applies to every value.
        group = list(prev.group) if (prev is not None and in_group) else []
        if respective_list is not None and respective_list is not respective:
            group = []
        if respective or group:
            group = [*group, len(drafts)]
        if comparator is not Comparator.EQ and group and len(group) > 1:
            for index in group[:-1]:
                if drafts[index].comparator is Comparator.EQ:
                    drafts[index] = replace(drafts[index], comparator=comparator)
        new_prev = _Previous(
            action=action,
            kind=kind_word,
            sign=sign,
            indicator=indicators[-1],
            end=q.context_end,
            respective=respective,
            group=group if (respective or group) else [],
        )
        del seg_start
        return made, new_prev

    # ------------------------------------------------------------------ filters
    def _is_non_target(self, text: str, s_start: int, mention: Mention, segment: str) -> bool:
        q = mention.quantity
        after = text[q.context_end : q.context_end + 6]
        before = text[max(s_start, q.context_start - 12) : q.context_start]
        # Inside quotation marks: a name or slogan (“10分钟健身圈”).
        if _inside_quotes(text, s_start, q.start, q.end):
            return True
        # An enumeration of the items just listed: "…等6条标志性产业链", "A、B两项试点".
        if before.rstrip(" ").endswith(("等", "这", "此")):
            return True
        if mention.chinese and q.unit == "count" and _lists_n_items(segment, q.value):
            return True
        # A scope modifier: "3岁以下婴幼儿", "新市民2000人以上村", "超过100人的企业".
        has_bound = q.context_end > q.end or q.context_start < q.start
        if has_bound and after[:1] and _CJK.match(after[:1]) and q.unit != "count":
            if not after.startswith(self.lex.scope_followers_allowed) and not self._verb_at(after):
                return True
        if after.startswith("的") and not after.startswith(("的目标", "的任务")) and (
            q.comparator is not Comparator.EQ
        ):
            return True
        # Policy parameters: per-unit amounts, subsidies and awards.
        if before.endswith(self._per_unit) or after.startswith(self.lex.parameter_suffixes):
            return True
        if text[q.end : q.end + 1] == "/" :
            return True
        if q.unit == "CNY" and self._param_re.search(segment):
            return True
        # Results already achieved, reviewed rather than promised.
        return bool(self._review_re.search(text, s_start, q.context_start))

    def _verb_at(self, text: str) -> bool:
        return any(text.startswith(v) for v in self._verb_words)

    # ------------------------------------------------------------------ pieces
    def _strip(self, segment: str) -> tuple[str, list[str] | None, bool]:
        """Strip the segment's edges; detect 分别 (respective list) and 各/均 (distributive)."""
        s = _strip_unbalanced(segment.strip(" 、,，;；:：。"))
        if s in self.lex.conjunctions:
            s = ""  # the bare 和 between two values of a 分别 list
        changed = True
        while changed:
            changed = False
            for word in ("其中", *self.lex.conjunctions, *self._adverbs, *self._modality):
                if s.startswith(word) and len(s) > len(word):
                    s = _strip_unbalanced(s[len(word) :].lstrip(" 、,，;；:：。"))
                    changed = True
        respective: list[str] | None = None
        for word in self._respective:
            cut = s.find(word)
            if cut > 0:
                head, tail = s[:cut], s[cut + len(word) :]
                verb = self._find_verb(head + "\0", first_of_clause=True)
                if verb is not None and verb.start == 0:
                    head = head[verb.end :]
                    tail = verb.word + tail if not self._leading_verb(tail) else tail
                respective = [self._clean_indicator(x) for x in _split_list(head)]
                s = tail
                break
        distributive = False
        for word in self._distributive:
            if s.endswith(word):
                s, distributive = s[: -len(word)], True
                break
            verb = self._find_verb(s, first_of_clause=True)
            if verb is not None and verb.end == len(s) and s[: verb.start].endswith(word):
                s = s[: verb.start - len(word)] + s[verb.start :]
                distributive = True
                break
        # Trailing adverbs between the verb and the number: 再, 年均.
        changed = True
        while changed:
            changed = False
            for word in self._adverbs:
                if s.endswith(word) and len(s) > len(word):
                    s = s[: -len(word)]
                    changed = True
        return s, respective, distributive

    def _leading_verb(self, s: str) -> _Verb | None:
        for word in self._verb_words:
            if s.startswith(word) and not self._noun_re.match(s):
                entry = self.verbs[word]
                return _Verb(0, len(word), word, entry.kind, entry.sign)
        return None

    def _end_verb(self, s: str) -> _Verb | None:
        """A verb written right before the number, extended over a verb before it
        (改造提升) and over 新 (新开建)."""
        for word in self._verb_words:
            if s.endswith(word) and not self._noun_ends(s, len(s) - len(word)):
                start = len(s) - len(word)
                entry = self.verbs[word]
                for other in self._verb_words:
                    if (s[:start].endswith(other) and start - len(other) > 0 and len(other) >= 2
                            and entry.kind == "amount" and self.verbs[other].kind == "amount"):
                        start -= len(other)
                        break
                for prefix in self.lex.action_prefixes:
                    if s[:start].endswith(prefix) and start - len(prefix) > 0:
                        start -= len(prefix)
                return _Verb(start, len(s), s[start:], entry.kind, entry.sign)
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
        for conj in ("和", "及", "与", "并"):
            if s.startswith(conj, end):
                second = self._leading_verb(s[end + len(conj) :])
                if second is None:
                    second = _jieba_verb(s[end + len(conj) :])
                if second is not None:
                    end = end + len(conj) + second.end
                break
        # Two verbs in a row are one action (改造提升).
        following = self._leading_verb(s[end:])
        if following is not None and end + following.end < len(s) and len(following.word) >= 2:
            end += following.end
        return _Verb(0, end, s[:end], lead.kind, lead.sign)

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
        if not first_of_clause:
            return None
        # A verb inside a statistic's name (城镇新增就业): it is the action, the whole
        # phrase stays the indicator.
        for m in self._verb_re.finditer(s):
            if self._noun_ends(s, m.start()):
                continue
            entry = self.verbs[m.group(0)]
            if entry.kind == "amount":
                return _Verb(m.start(), m.end(), m.group(0), entry.kind, entry.sign)
        # An unknown verb opening the segment, as jieba tags it.
        guess = _jieba_verb(s)
        if guess is not None and guess.end < len(s):
            return guess
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
        s = _strip_unbalanced(s.strip(" 、,，;；:：。的"))
        changed = True
        while changed:
            changed = False
            for word in ("其中", *self.lex.conjunctions, *self._adverbs, *self._modality):
                if s.startswith(word) and len(s) > len(word):
                    s = _strip_unbalanced(s[len(word) :].lstrip(" 、,，;；:：。"))
                    changed = True
            if s.endswith("的") and len(s) > 1:
                s = s[:-1]
                changed = True
        return _strip_unbalanced(s)

    def _right_indicator(self, text: str, q: Quantity) -> str:
        pos = q.context_end
        end = pos
        while end < len(text) and text[end] not in CLAUSE_END + "、" and end - pos < 30:
            end += 1
        phrase = text[pos:end]
        if not phrase or not _CJK.match(phrase[:1]):
            return ""
        return self._clean_indicator(phrase)

    def _distribute(self, indicator: str) -> list[str]:
        items = _split_list(indicator)
        return items if len(items) > 1 else [indicator]

    def _kind(self, kind_word: str, indicator: str, q: Quantity) -> Kind:
        if kind_word:
            return Kind(kind_word)
        if q.unit in ("percent", "percentage_point", "number") and indicator.endswith(self.lex.level_nouns):
            return Kind.LEVEL
        return Kind.AMOUNT

    def _modality_of(self, text: str, s_start: int, end: int) -> Modality:
        found = None
        for m in self._modality_re.finditer(text, s_start, end):
            found = m.group(0)
        return Modality(self.lex.modality[found]) if found else Modality.PLAIN


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


def _lists_n_items(segment: str, n: float) -> bool:
    """The segment ends with a list of exactly ``n`` items (A、B两项)."""
    if n < 2:
        return False
    tail = re.split(r"[,，;；:：。]", segment)[-1]
    return len([p for p in re.split(r"、|和|及|与", tail) if p.strip()]) == int(n)


def _in_spans(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


@functools.cache
def _posseg() -> object:
    from targetex.words import pos_tokenizer

    return pos_tokenizer()


def _jieba_verb(s: str) -> _Verb | None:
    """The first word of ``s`` if jieba tags it as a verb (for verbs not in the lexicon)."""
    if len(s) < 3:
        return None
    tokenizer = _posseg()
    for word, flag in tokenizer.cut(s[:12]):  # type: ignore[attr-defined]
        if flag.startswith("v") and len(word) >= 2:
            return _Verb(0, len(word), word, "amount", 1)
        return None
    return None
