"""Stage 4: target assembly — which quantities are targets, and their fields.

For every quantity mention the stage reads the *segment* of its clause that leads up to
it (from the clause start, or from the previous target of the same list) and then runs a
short sequence of named steps:

1. the **non-target rules** of stage ``mention`` (``models/non_targets.toml``): names,
   dates, enumerations, scope modifiers, parameters, baselines, reviews…;
2. the **predicate** (:meth:`~targetex.readers.PhraseReaders.find_verb`): a cue verb at the
   end of the segment (``地区生产总值增长``), at its start (``新增高新技术企业``) or inside a
   statistic's name (``城镇新增就业``); a list item without one takes its neighbour's;
3. the rules of stage ``reading`` (durations, per-unit amounts, subsidy parameters);
4. the **indicator**: rate-of-change nouns, the noun written after the number, what an
   investment is for, and what a list item takes from the item before it;
5. kind, modality, comparator and sign; then ``各``/``均`` (one value for each item) and
   ``分别`` (values in the order of the indicators).

Every decision is kept (:class:`~targetex.drafts.MentionOutcome`) when asked for, so that
``--explain`` can say which rule dropped a quantity or which readers set a target's fields.
Offsets stay in the normalised text; the link stage maps them back to the raw text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from targetex.clauses import CLAUSE_END, SENTENCE_END, clause_offsets, end_of_clause
from targetex.drafts import Draft, MentionOutcome
from targetex.non_targets import MentionContext, NonTargetRules, Reading, Verdict
from targetex.phrase import Phrase
from targetex.quantities import Mention
from targetex.readers import PhraseReaders, Verb, alternation, cut_match, dictionary_end_verb, is_manner
from targetex.records import Comparator, Kind, Modality, Quantity
from targetex.resources import Lexicon
from targetex.words import tokenizer, word_classes

__all__ = ["TargetAssembler"]

SEGMENT_LIMIT = 120
SENTENCE_WINDOW = 400
# A list number before a box entry (1.城镇污水处理提质增效工程, 01　…) and a number that is
# not part of a code (S3线, G328 are names): for the project_clause reader.
_ENUMERATOR = re.compile(r"^[\d０-９]{1,2}\s*[.．、]?\s*")
_NUMBER = re.compile(r"(?<![A-Za-zＡ-Ｚａ-ｚ])[\d０-９]")
# A number in a name that counts something (not a code: G328, S215, 5G).
_COUNTED_NUMBER = re.compile(r"(?<![A-Za-z\d.])\d+(?:\.\d+)?(?![\dA-Za-z.])")
_SENTENCE_END_RE = re.compile("[" + re.escape(SENTENCE_END) + "]")
# After the noun of a list item: another item written number first (、200支队伍).
_LIST_GOES_ON = re.compile(r"[、和及与]\d")
# The marks that close one item of a list of travel times (“市域1小时通达、都市圈2小时通达”).
_TRAVEL_ITEM_MARKS = "、，,；;：:“”\"。\n"
_TRAVEL_ITEM_END = re.compile("[" + re.escape(_TRAVEL_ITEM_MARKS) + "]")
_CLAUSE_REACH = 30  # characters read after a word for the rest of its clause
# After a value of a 分别 list: the next value follows (、7%, 和7%, ，300个).
_VALUES_GO_ON = re.compile(r"\s*[、和及与,，;；]\s*[\d一二两三四五六七八九十百千]")
_CJK_AT = re.compile(r"[\u4e00-\u9fff]")
_BRACKET_END = re.compile(r"[）)]")
# The next item of a list of counts: a separator, its number and measure word, its noun.
_NEXT_ITEM_NOUN = re.compile(
    r"[、和及与][\d.]+[\u4e00-\u9fff](?P<noun>(?:[\d.]+[万亿千百]*)?[\u4e00-\u9fff]{2,24})")


@dataclass(slots=True)
class _Previous:
    """What a list item may take from the item before it."""

    action: Phrase
    kind: str
    sign: int
    indicator: Phrase
    end: int  # where the previous target's text ends (its quantity, or its noun after it)
    unit: str
    object_after: bool  # its indicator was the noun written after the number
    respective: list[Phrase]  # indicators still waiting for their values (分别)
    group: list[int]  # indexes of drafts in the current 分别 group
    verb_bound: Comparator | None = None  # a bound written before its verb (至少拥有…)
    per_unit: Phrase = field(default_factory=Phrase.empty)  # 每个县 of a per-unit provision


@dataclass(slots=True)
class _Segment:
    """The text a mention is read from."""

    s_start: int  # sentence start, bounded
    clause_start: int  # clause start, bounded
    segment: Phrase  # what leads up to the quantity
    continues_list: bool  # the previous target of the sentence ends inside this clause
    in_group: bool  # continues a 分别 group after a list separator
    object_position: bool  # the quantity follows a verb: it opens the verb's object


@dataclass(slots=True)
class _Reading:
    """The fields read so far, and which reader set each."""

    stripped: Phrase
    verb: Verb | None
    action: Phrase
    kind: str
    sign: int
    indicator: Phrase
    respective: list[Phrase] | None
    distributive: str
    possession: bool = False
    used_right: bool = False
    right: Phrase = field(default_factory=Phrase.empty)  # the noun written after the number
    right_end: int = -1
    per_unit: Phrase = field(default_factory=Phrase.empty)  # 每个县 of a per-unit provision
    basis_bound: Comparator | None = None  # a comparator word before a rate's basis (超每千人)
    by: dict[str, str] = field(default_factory=dict)


_VERB_MAX = 4  # characters of one verb of a list of verbs (改扩建, 提质改造)
_PURPOSE_MAX = 12  # characters of a purpose that names a kind of money (…技术改造建设资金)


class TargetAssembler:
    """Turns quantity mentions into target drafts.  Build once per lexicon, reuse."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.words = lexicon.readers
        self.readers = PhraseReaders(lexicon)
        self.rules = NonTargetRules(lexicon, self.readers)
        self._capacity_marker = alternation(self.words.capacity_markers)
        self._currencies = lexicon.unit_table.currencies
        self._budget_verbs = tuple(lexicon.budget_verbs)
        self._comparator_words = tuple(self.readers.comparator_words)  # for one endswith test
        self._suffix_words = tuple(sorted(lexicon.comparator_suffix, key=len, reverse=True))

    # ------------------------------------------------------------------ public
    def assemble(
        self,
        text: str,
        mentions: list[Mention],
        excluded: list[tuple[int, int]],
        decisions: list[MentionOutcome] | None = None,
        terms: list[tuple[int, int]] | None = None,
        present_year: int | None = None,
    ) -> list[Draft]:
        """Drafts for the mentions of ``text`` that are targets, in order.

        Args:
            text: the normalised document text (labels blanked).
            mentions: its quantity mentions (from ``quantities``).
            excluded: spans (sorted) of parts that review past work.
            decisions: if given, one :class:`MentionOutcome` per mention is appended to it.
            terms: spans (sorted) of the articles of a rules document that set terms.
            present_year: the document's own year (the time stage's reading of its title
                and date), if known: a sentence about an earlier year reports results.
        """
        drafts: list[Draft] = []
        starts = [s for s, _ in excluded]
        terms = terms or []
        term_starts = [s for s, _ in terms]
        by_sentence: dict[tuple[int, int], list[Mention]] = {}
        marks = _sentence_marks(text, mentions)
        for mention in mentions:
            by_sentence.setdefault(self._sentence_of(text, marks, mention.quantity), []).append(mention)
        for (s_start, s_end), items in by_sentence.items():
            reviewed = _in_spans(excluded, starts, s_start)
            in_terms = bool(terms) and _in_spans(terms, term_starts, s_start)
            drafts.extend(self._sentence(text, s_start, s_end, items, reviewed, decisions, in_terms,
                                         present_year))
        return drafts

    # ------------------------------------------------------------------ sentences
    @staticmethod
    def _sentence_of(text: str, marks: list[int], q: Quantity) -> tuple[int, int]:
        """The sentence around a quantity, looked for within SENTENCE_WINDOW characters
        (a longer "sentence", text without punctuation, is cut into windows); ``marks``
        are the offsets of the sentence ends around the mentions (``_sentence_marks``)."""
        start = max(0, q.start - SENTENCE_WINDOW)
        before = bisect.bisect_left(marks, q.start) - 1  # the last mark before the quantity
        if before >= 0 and marks[before] >= start:
            start = marks[before] + 1
        after = bisect.bisect_left(marks, q.end)  # the first mark from its end on
        if after < len(marks) and marks[after] < q.end + SENTENCE_WINDOW:
            return start, marks[after] + 1
        return start, min(len(text), q.end + SENTENCE_WINDOW)

    def _sentence(
        self, text: str, s_start: int, s_end: int, mentions: list[Mention], reviewed: bool,
        decisions: list[MentionOutcome] | None, in_terms: bool = False, present_year: int | None = None,
    ) -> list[Draft]:
        clause_starts = clause_offsets(text, s_start, s_end)
        drafts: list[Draft] = []
        prev: _Previous | None = None
        skip_to = s_start  # end of the last quantity that was not a target
        for mention in mentions:
            q = mention.quantity
            ci = max(0, bisect.bisect_right(clause_starts, q.start) - 1)
            clause_start = clause_starts[ci] if clause_starts else s_start
            seg = self._segment(text, s_start, clause_start, mention, prev, skip_to)
            ctx = MentionContext(
                text, mention, seg.s_start, seg.clause_start, seg.segment, seg.object_position,
                prev_unit=prev.unit if prev else "", prev_end=prev.end if prev else -1,
                continues_list=seg.continues_list, sentence_end=s_end, in_review_section=reviewed,
                in_terms_article=in_terms, present_year=present_year,
            )
            made, new_prev, verdict = self._mention(text, seg, ctx, prev, drafts)
            if decisions is not None:
                decisions.append(_decision(q, made, verdict))
            if made:
                drafts.extend(made)
                prev = new_prev
            elif q.unit in self.lex.time_units and not self._bounds_noun(text, q, verdict):
                # 4年外购10万头: the duration is not the subject (but an age bound, 拥有3岁以下
                # 托位数, belongs to the noun it bounds)
                skip_to = max(skip_to, q.context_end)
        return drafts

    # ------------------------------------------------------------------ one mention
    def _mention(
        self, text: str, seg: _Segment, ctx: MentionContext, prev: _Previous | None, drafts: list[Draft]
    ) -> tuple[list[Draft], _Previous | None, Verdict | None]:
        """The named steps for one mention: rules, predicate, rules on the reading,
        indicator, then the drafts."""
        verdict = self.rules.first(ctx)
        if verdict is not None:
            return [], prev, verdict
        mention = ctx.mention
        if mention.doubling and seg.segment.endswith(self.words.doubling_verb):
            seg.segment = seg.segment[:-1]
        reading = self._read_predicate(text, mention, seg, prev)
        ctx.reading = Reading(reading.action, reading.kind, reading.sign, reading.indicator)
        verdict = self.rules.first(ctx, stage="reading")
        if verdict is not None:
            return [], prev, verdict
        q = mention.quantity
        self._read_rate_noun(reading, prev)
        self._read_noun_after(text, q, seg, reading)
        self._read_per_unit(text, q, seg, reading, prev)
        self._read_investment(text, q, reading)
        self._read_purpose(text, q, reading)
        self._read_capacity(text, q, seg, reading)
        self._read_travel_time(text, q, reading)
        respective = self._inherit_indicator(text, seg, reading, prev)
        self._read_bracketed_measure(text, q, seg, reading)
        self._read_project_clause(text, seg, reading, drafts)
        self._read_sentence_project(q, seg, reading, drafts)
        q = self._read_rank(q, seg, reading)
        made, new_prev = self._drafts(text, q, seg, reading, respective, prev, drafts)
        return made, new_prev, None

    def _segment(
        self, text: str, s_start: int, clause_start: int, mention: Mention, prev: _Previous | None,
        skip_to: int,
    ) -> _Segment:
        """What leads up to the quantity: from the clause start, or from the end of the
        previous target when the quantity continues its list."""
        q = mention.quantity
        edges = self.words.edges
        # A segment never reaches back more than SEGMENT_LIMIT characters: indicators are
        # short, and a text without punctuation must not cost quadratic time.
        clause_start = max(clause_start, q.context_start - SEGMENT_LIMIT)
        s_start = max(s_start, q.context_start - 2 * SEGMENT_LIMIT)
        continues_list = prev is not None and prev.end >= clause_start
        left = max(clause_start, prev.end) if (prev is not None and continues_list) else clause_start
        raw_segment = Phrase.of(text, left, q.context_start)
        segment = raw_segment
        # A quantity that was not a target and opens the segment (7年繁育…) is cut off.
        if skip_to > left and text[left:skip_to].strip(edges) and skip_to <= q.context_start:
            if skip_to - left <= 12:
                segment = Phrase.of(text, skip_to, q.context_start)
        for opener in () if continues_list else self.lex.predicate_openers:
            cut = segment.rfind(opener)
            if cut > 0 and self.readers.verb_re.match(segment.text, cut + len(opener)):
                shared = segment.text[max(0, cut - 2) : cut]
                if cut > 2 and shared in word_classes().verbs:
                    # 入境过夜游客恢复并达到…: two verbs of one subject; the subject stays
                    segment = segment[: cut - 2] + segment[cut + len(opener) :]
                else:
                    segment = segment[cut + len(opener) :]
                break
        if "、" in segment.text:  # (…新品牌、力争旅居人数达600万)
            strive = max(segment.text.rfind("、" + w) for w in self.lex.strive_openers)
            if strive > 0:
                segment = segment[strive + 1 :]
        opening = raw_segment.text.strip(" ")[:1]
        separator_before = continues_list and opening in tuple(self.words.list_separators)
        in_group = prev is not None and bool(prev.group) and continues_list and separator_before
        # After a verb, or after 和 in a list of its objects, a quantity opens an object
        # (实施1009户棚户区改造和712户农村危旧房改造).
        object_position = self.readers.verb_before(segment) or (
            prev is not None and prev.object_after and continues_list
            and not segment.text.strip(edges + self.words.coordinators)
        )
        return _Segment(s_start, clause_start, segment, continues_list, in_group, object_position)

    def _read_predicate(self, text: str, mention: Mention, seg: _Segment, prev: _Previous | None) -> _Reading:
        """The predicate and the first reading of the indicator around it."""
        q = mention.quantity
        stripped, respective, distributive = self.readers.strip_segment(seg.segment)
        basis = self.words.rate_basis_tail.search(stripped.text) if "每" in stripped.text else None
        population = Phrase.empty()
        basis_bound: Comparator | None = None
        if basis is not None and (basis.start() > 0 or seg.continues_list):  # (…和每人每月720元)
            # 提高到每人每月900元, 抽检量达到每千人5批次: the basis between the verb and the
            # number is not part of the predicate; a population's stays with the indicator.
            if self.words.population_basis.match(basis.group(0)):
                population = stripped[basis.start() :]
            stripped = stripped[: basis.start()]
            # (食品抽检量超每千人6.5批次: the comparator word before the basis bounds the number)
            word = next((stripped.text[-k:] for k in (3, 2, 1)
                         if stripped.text[-k:] in self.lex.comparator_prefix), "")
            if word:
                basis_bound = Comparator(self.lex.comparator_prefix[word])
        # A comparator word of two characters or more before the number that is a verb
        # (突破, 超过): read once, used three ways below.
        bound = self._comparator_verb(text, q)
        verb = self.readers.find_verb(stripped, first_of_clause=not seg.continues_list)
        if (verb is None or verb.reader == "dictionary_verb") and not seg.continues_list:
            verb = self._dictionary_verb_before_object(text, q, seg, stripped) or verb
        reading = _Reading(stripped, verb, Phrase.empty(), "", 1, stripped, respective, distributive,
                           basis_bound=basis_bound)
        if verb is not None and prev is not None and self._activity_item(seg, verb, stripped, prev):
            # 完成退耕还林3万亩、人工造林1.5万亩: the verb that governs the list governs this
            # item too; the item's own verb at its end names the activity (人工造林).
            reading.action, reading.kind, reading.sign = prev.action, prev.kind, prev.sign
            reading.indicator = stripped
            reading.by.update(action="previous_item", kind="previous_item", indicator="activity_item")
        elif verb is not None:
            self._place_verb(text, reading, verb, q)
        elif (obtaining := self._obtaining_verb(text, q, seg, stripped)) is not None:
            # 争取上级资金20亿元: the strive word is the only verb; the target is obtained.
            reading.action, reading.kind, reading.sign = obtaining, "amount", 1
            reading.by.update(action="obtaining_verb", kind="obtaining_verb")
        elif bound is not None and prev is not None:
            # 净增80家、总数突破900家: the comparator before the number is the item's own verb
            # (a verb of the lexicon of two characters or more), not the list's verb again.
            entry = self.lex.verbs[bound.text]
            reading.action, reading.kind, reading.sign = bound, entry.kind, entry.sign
            reading.by.update(action="comparator_verb", kind="comparator_verb")
        elif prev is not None and self._elided_verb(text, q, seg, prev, own_verb=bound is not None):
            # 新增承诺单位超1.5万家，承诺店超4500家: the next clause counts the same way and
            # leaves the verb out; it is done again.
            reading.action, reading.kind, reading.sign = prev.action, prev.kind, prev.sign
            reading.by.update(action="elided_verb", kind="elided_verb")
        elif prev is not None and (seg.continues_list or seg.segment.lstrip().startswith("(")
                                   or seg.segment.strip(self.words.edges).startswith(self.words.breakdown)):
            # (其中护理型床位不少于180张: a part of the total just counted is counted the same
            # way; 其中 is read on the raw segment, since the stripped one has lost it)
            # 转移支付增加1.5万亿元、规模近9.8万亿元: a level noun has its own value.
            if not (prev.kind == "change" and stripped.endswith(self.lex.level_nouns)):
                reading.action, reading.kind, reading.sign = prev.action, prev.kind, prev.sign
                reading.by.update(action="previous_item", kind="previous_item")
        if bound is not None and bound.text in self.words.predicate_bounds and reading.kind == "amount" \
                and reading.action and 0 <= reading.action.start + len(reading.action) < bound.start:
            # 接待游客突破1亿人次: the bound after the verb's object is the predicate, a level
            # reached (新增突破200家: right after the verb, it only bounds the amount)
            entry = self.lex.verbs[bound.text]
            reading.action, reading.kind, reading.sign = bound, entry.kind, entry.sign
            reading.by.update(action="predicate_bound", kind="predicate_bound")
        if mention.doubling:
            # A word amount is its own predicate (corpus rulings: 翻一番 whole; 增长 of 零增长).
            at = max(0, text.find(mention.action, q.start, q.end) - q.start) if mention.action else 0
            size = len(mention.action) if mention.action else q.end - q.start
            reading.action = Phrase.of(text, q.start + at, q.start + at + size)
            reading.kind = "change"
            reading.by.update(action="doubling", kind="doubling")
        prefix_word = Phrase.of(text, q.context_start, q.start).strip()
        if not reading.action and prefix_word.text in self.lex.verbs:
            # 期望寿命超过80岁: the comparator word is the only predicate.
            entry = self.lex.verbs[prefix_word.text]
            # (its kind is read from the unit and the indicator: 收入超500亿元 is a level,
            # 快检超800万批次 an amount done)
            reading.action, reading.sign = prefix_word, entry.sign
            reading.by.update(action="comparator_word")
        reading.indicator = self.readers.clean_indicator(reading.indicator)
        if population and reading.indicator and not reading.indicator.startswith(population.text):
            reading.indicator = population + reading.indicator
            reading.by["indicator"] = "population_basis"
        per = self.words.per_population.match(text, q.end)
        if per is not None and reading.indicator and reading.kind != "change":
            # 抽检不少于4.5批次/千人: a rate per thousand people, the level reached
            population = Phrase.synthetic("每") + Phrase.of(text, per.start(1), per.end(1))
            reading.indicator = population + reading.indicator
            reading.kind = "level"
            reading.by.update(indicator="population_basis", kind="population_basis")
        return reading

    @staticmethod
    def _activity_item(seg: _Segment, verb: Verb, stripped: Phrase, prev: _Previous) -> bool:
        """A later item of a list of amounts done (…、人工造林1.5万亩) whose only verb closes a
        noun before it: an activity named as a noun, under the list's verb."""
        return (seg.continues_list and bool(prev.action) and prev.kind == "amount" == verb.kind
                and verb.end == len(stripped) and verb.start >= 2
                and not prev.object_after)  # (新增…20家、培育…10家: verbs before their objects)

    def _dictionary_verb_before_object(
        self, text: str, q: Quantity, seg: _Segment, stripped: Phrase
    ) -> Verb | None:
        """分领域发布100个场景, 重点支持8条街区: a verb of jieba's dictionary written right
        before a count whose object (a noun, not a verb or 目标) follows the number."""
        end_verb = dictionary_end_verb(stripped)
        if end_verb is None or q.unit in self.words.share_units:
            return None
        if not seg.segment.text.rstrip().endswith(end_verb.word.text):
            return None  # (邯郸（军民结合）5个: a word inside brackets)
        return end_verb if self._object_follows(text, q) else None

    def _bounds_noun(self, text: str, q: Quantity, verdict: Verdict | None) -> bool:
        """A quantity dropped as the bound of the noun right after it (3岁以下托位数; not 3年
        以上放宽至…, where a verb follows)."""
        return (verdict is not None and verdict.rule == "noun_modifier" and self._object_follows(text, q)
                and not _is_verb_word(text[q.context_end : q.context_end + 2]))

    def _object_follows(self, text: str, q: Quantity) -> bool:
        """A noun follows the number: the things counted, a verb's object (not a verb, 的 or
        目标: 收入9600元以下提高到…, 增速30%以上目标, 产能300万吨的任务)."""
        after = text[q.context_end : q.context_end + 4]
        return (_CJK_AT.match(after) is not None and not after.startswith(self.words.attributive)
                and not self.readers.verb_at(after) and not after.startswith(self.lex.goal_nouns))

    def _object_missing(self, text: str, q: Quantity, reading: _Reading) -> bool:
        """A count whose verb closes its segment (…培育5家、) and whose noun is not written
        after it: a list item that leaves its noun to a later item."""
        verb = reading.verb
        return (bool(q.classifier) and text.startswith("、", q.context_end) and verb is not None
                and verb.end == len(reading.stripped) and verb.kind == "amount")

    def _noun_of_later_count(self, text: str, q: Quantity) -> Phrase:
        """The noun after a later count of the same measure word in the clause (…、引进3家
        高新技术企业), or an empty phrase."""
        later = re.compile(rf"、[^，,。；;：:]{{0,12}}?[\d.]+(?:以上|以内|左右)?{re.escape(q.classifier)}"
                           rf"(?=[\u4e00-\u9fff])")
        found = later.match(text, q.context_end)
        if found is None:
            return Phrase.empty()
        noun, _ = self.readers.right_indicator(text, replace(q, context_end=found.end()))
        return noun

    def _head_of_next_item(self, text: str, pos: int) -> Phrase:
        """建设50个乡镇级、650个村级标准化饮用水源地: the head noun after the level word of the
        next item of a list of counts, which a first item naming only its level shares."""
        item = _NEXT_ITEM_NOUN.match(text, pos)
        if item is None:
            return Phrase.empty()
        noun_start = item.start("noun")
        cut = text.rfind(self.words.level_word, noun_start, item.end("noun"))
        return Phrase.of(text, cut + 1, item.end("noun")) if cut > noun_start else Phrase.empty()

    def _read_per_unit(
        self, text: str, q: Quantity, seg: _Segment, reading: _Reading, prev: _Previous | None
    ) -> None:
        """每个县至少建成1所托育机构: a provision every unit of a place is to have is a level,
        and the unit stays in the indicator (每个县托育机构): a 每 + measure word phrase
        before a verb of providing, with 至少 or 以上; later items of its list share it
        (每个市至少建成1个…平台、3个以上…园区)."""
        action = reading.action
        if (reading.kind != "amount" or not action or action.text not in self.lex.provision_verbs
                or q.unit not in self.lex.provision_units):
            return
        if seg.continues_list and prev is not None and prev.per_unit and prev.action.text == action.text:
            basis = prev.per_unit
        else:
            basis = self._per_unit_basis(text, q, seg, action)
        if basis:
            reading.kind, reading.indicator, reading.per_unit = "level", basis + reading.indicator, basis
            reading.by.update(kind="per_unit_provision", indicator="per_unit_provision")

    def _per_unit_basis(self, text: str, q: Quantity, seg: _Segment, action: Phrase) -> Phrase:
        """The unit (每个县) written before the verb of a per-unit provision, else empty."""
        start, verb_at = seg.segment.start, action.start
        if start < 0 or not start <= verb_at <= q.start:
            return Phrase.empty()
        before = text[start:verb_at]
        at = max(before.rfind(w) for w in self.lex.per_item_words)
        bound = self.lex.provision_bound
        if at < 0 or (bound not in text[start + at : q.start] and q.comparator is not Comparator.GE):
            return Phrase.empty()
        # the unit ends at 至少 or at the first modal word (每个区应当单独设置至少1个)
        ends = [before.find(w, at + 2) for w in (bound, *self.lex.provision_modals)]
        end = min((e for e in ends if e >= 0), default=len(before))
        return Phrase.of(text, start + at, start + end).strip(self.words.edges)

    def _obtaining_verb(self, text: str, q: Quantity, seg: _Segment, stripped: Phrase) -> Phrase | None:
        """A word of striving that is the last front word stripped before the noun counted
        (全年争取上级资金: 争取), when the count is not a share; else ``None``."""
        start = stripped.start
        if not stripped or start < seg.segment.start or q.unit in self.words.share_units:
            return None
        front = text[seg.segment.start : start]
        word = next((w for w in self.lex.obtaining_verbs if front.endswith(w)), None)
        return None if word is None else Phrase.of(text, start - len(word), start)

    def _elided_verb(self, text: str, q: Quantity, seg: _Segment, prev: _Previous, own_verb: bool) -> bool:
        """The clause right after an amount's clause, with no verb, counting in the same unit
        (``own_verb``: a comparator verb stands before the number, the clause's own)."""
        between = text[prev.end : seg.clause_start]
        segment = seg.segment.strip(self.words.edges).text
        # (布局3个科创走廊: a word before a number that has its noun after it is a verb)
        noun_after = bool(segment) and "\u4e00" <= text[q.context_end : q.context_end + 1] <= "\u9fff"
        # (其中… breaks a total down; 布局3个…, 森林抚育100万亩: a verb of its own; looked
        # up last, when all else holds)
        # (高新技术企业总数突破1600家: a comparator verb before the number is the clause's own)
        return (not seg.continues_list and prev.kind in ("amount", "level") and bool(prev.action)
                and not noun_after and not own_verb
                and prev.unit == q.unit and q.unit not in self.words.share_units
                and bool(between) and not between.strip(self.words.edges + "，,")
                and not segment.startswith(self.words.breakdown) and not _has_own_verb(segment))

    def _comparator_verb(self, text: str, q: Quantity) -> Phrase | None:
        """The comparator word before the number when it is a verb of the lexicon of two
        characters or more (总数突破900家), else ``None`` (超 alone: 承诺店超4500家)."""
        if q.start - q.context_start < 2:
            return None  # (no comparator word of two characters before the number: the usual case)
        prefix = Phrase.of(text, q.context_start, q.start).strip()
        return prefix if len(prefix) >= 2 and prefix.text in self.lex.verbs else None

    def _place_verb(self, text: str, reading: _Reading, verb: Verb, q: Quantity) -> None:
        """Where the indicator stands from the verb: before it, after it, or around it."""
        stripped = reading.stripped
        reading.action, reading.kind, reading.sign = verb.word, verb.kind, verb.sign
        reading.by.update(action=verb.reader, kind=verb.reader)
        reading.possession = verb.word.text in self.lex.possession_verbs
        if verb.end == len(stripped):  # 地区生产总值增长: indicator before the verb
            before = stripped[: verb.start]
            based = verb.kind == "amount" and self.words.comparison_tail.search(before.text) is not None
            if based:  # 总量在2024年基础上净增: a step from a written base, a change
                reading.kind = "change"
            if verb.kind == "amount" and q.unit in self.lex.activity_units and before and not based:
                reading.indicator = stripped  # 职业技能培训: the activity is the statistic
                reading.by["indicator"] = "activity_statistic"
            else:
                reading.indicator = before
                reading.by["indicator"] = "subject_before_verb"
        elif verb.start == 0:  # 新增高新技术企业: indicator after the verb
            rest = stripped[verb.end :]
            # 新增解决, 培育形成: a second verb of the lexicon is part of the action, and its
            # object follows; 退税减税: two verbs known only to jieba are one activity. (产能
            # is tagged v by jieba, so after 压减 it stays the object.)
            jieba_pair = _is_verb_word(rest.text) and (
                (verb.word.text not in self.lex.verbs and _is_verb_word(verb.word.text))
                or self._object_follows(text, q))  # 遴选推介30家单位: the object after both
            if rest.text in self.lex.verbs or jieba_pair:
                reading.action, reading.indicator = stripped, Phrase.empty()
                reading.by["indicator"] = "object_after_verbs"
            else:
                reading.indicator = rest
                reading.by["indicator"] = "object_after_verb"
                if verb.word.text in self.lex.object_amount_verbs and rest:
                    # 突破关键核心技术50项: what is achieved is counted, an amount
                    reading.kind = "amount"
                    reading.by["kind"] = "object_amount_verb"
                inner = self.readers.find_verb(rest, first_of_clause=True) \
                    if verb.word.text in self.lex.light_verbs else None
                if inner is not None and inner.kind == "amount_inner":
                    # 实现城镇新增就业50万人: a light verb before a statistic with a verb of its
                    # own; the statistic's verb is the action (新增: an amount)
                    reading.action, reading.kind, reading.sign = inner.word, "amount_inner", inner.sign
                    reading.by.update(action="statistic_verb", kind="statistic_verb")
        elif is_manner(stripped.text[: verb.start]):  # 自主培育优秀种公牛: a manner, then the verb
            reading.action = stripped[: verb.end]
            reading.indicator = stripped[verb.end :]
            reading.by["indicator"] = "object_after_manner_verb"
        elif self._actor_before(stripped[: verb.start]) and verb.end < len(stripped):
            # 县财政每年统筹安排城市更新专项资金: who acts, then the verb and what it commits
            reading.indicator = stripped[verb.end :]
            reading.by["indicator"] = "object_after_actor"
        else:  # 城镇新增就业: the verb is inside the statistic's name
            reading.by["indicator"] = "statistic_with_verb"

    def _read_rate_noun(self, reading: _Reading, prev: _Previous | None) -> None:
        """Rate-of-change nouns: 居民消费价格涨幅3% is a change of 居民消费价格."""
        indicator = reading.indicator
        if reading.kind in ("", "level") and not reading.action:
            # 广义货币增长目标为12%, 经济增长预期目标为8%左右: the goal of a change
            goal = ""
            if indicator.endswith(self.words.goal_suffixes):  # (one test for the usual case: none)
                goal = next(w for w in self.words.goal_suffixes if indicator.endswith(w))
            named = indicator[: len(indicator) - len(goal)] if goal else indicator
            change = ""
            if goal:  # (a change verb matters only before a goal word: most have none)
                change = next((v for v in self.readers.change_level if named.endswith(v)
                               and self.lex.verbs[v].kind == "change" and len(named) > len(v)), "")
            if goal and change:
                reading.indicator = named[: len(named) - len(change)]
                reading.action = named[len(named) - len(change) :]
                reading.kind, reading.sign = "change", self.lex.verbs[change].sign
                reading.by.update(indicator="goal_of_change", kind="goal_of_change", action="goal_of_change")
                return
            indicator = named
        if reading.kind not in ("", "level") or not indicator.endswith(self.lex.rate_of_change_nouns):
            return
        rate_noun = next((w for w in self.lex.rate_of_change_nouns if indicator.endswith(w)), None)
        if rate_noun:
            # 年均增速不低于20% after 绿色贷款余额达到…: the quantity that changes was named
            # before.
            named_before = prev.indicator if prev is not None else indicator
            reading.indicator = indicator[: -len(rate_noun)] or named_before
            reading.kind = "change"
            if rate_noun in self.lex.decrease_rate_nouns:
                reading.sign = -1  # 排放下降率5%: a decrease of 5%
            reading.by.update(indicator="rate_of_change_noun", kind="rate_of_change_noun")

    def _read_noun_after(self, text: str, q: Quantity, seg: _Segment, reading: _Reading) -> None:
        """The noun after the number is the indicator after a verb of having or doing, after
        a place, or when nothing else names it (新增70家高新技术企业)."""
        right, right_end = self.readers.right_indicator(text, q)
        if right.endswith(self.words.level_word) and len(right.text.lstrip("0123456789.")) <= 4:
            right = right + self._head_of_next_item(text, right_end)
        reading.right, reading.right_end = right, right_end
        if not right and self._object_missing(text, q, reading):
            shared = self._noun_of_later_count(text, q)
            if shared:  # 培育5家、引进3家高新技术企业: the noun written once, after the last count
                reading.indicator = shared
                reading.by["indicator"] = "noun_of_later_count"
                return
        if right and self._noun_after_is_indicator(text, q, seg, reading):
            # 每个街道建有1个综合服务中心 (the thing had), 新增70家高新技术企业,
            # 对人民中路等3条城区道路… (a partial list before the count).
            reading.indicator, reading.used_right = right, True
            reading.by["indicator"] = "noun_after_number"
        self._read_action_after_noun(text, q, reading)
        self._read_place_activity(text, reading)

    def _read_place_activity(self, text: str, reading: _Reading) -> None:
        """年内6个村实现通气接污: a count of places (the noun after the number ends with a
        place word) followed by a verb of doing says where; what is done there is the
        indicator."""
        place = reading.right.text.rstrip("()（）")
        if not reading.used_right or not place.endswith(self.words.place_activity_endings):
            return
        pos = reading.right_end
        while pos < len(text) and text[pos] in " \n":
            pos += 1
        adverb = next((w for w in self.lex.adverbs if text.startswith(w, pos)), "")
        pos += len(adverb)
        verb = next((w for w in self.words.place_activity_verbs if text.startswith(w, pos)), "")
        if not verb:
            return
        start = pos + len(verb)
        end = end_of_clause(text, start, start + _CLAUSE_REACH)
        activity = self.readers.clean_indicator(Phrase.of(text, start, end))
        if len(activity) >= 2:
            reading.indicator = activity
            reading.by["indicator"] = "activity_in_places"
            if not reading.action:
                reading.action = Phrase.of(text, pos, pos + len(verb))

    def _noun_after_is_indicator(self, text: str, q: Quantity, seg: _Segment, reading: _Reading) -> bool:
        """Whether the noun after the number (``reading.right``) names what is measured."""
        right, right_end, verb = reading.right, reading.right_end, reading.verb
        if right.text in self.words.bare_work_nouns and reading.indicator:
            return False  # …改造1.2万户的目标任务: the work is named before the number
        located = (reading.indicator.startswith(tuple(self.words.place_openers))
                   or reading.distributive == "places")
        # 全省体育用品产业累计推出1000项以上新产品: after an amount verb, the noun after the
        # number is the thing done; what stands before the verb is who does it.
        object_after_verb = (verb is not None and verb.end == len(reading.stripped)
                             and reading.kind == "amount")
        governed = seg.segment.rstrip().endswith(tuple(self.words.governing_prepositions))
        # 韩江治理工程和40宗堤防: what stands before ends a coordinated item of its own;
        # 联动200个阵地、200支队伍: each number of a list is written before its own noun.
        coordinated = reading.indicator.endswith(tuple(self.words.coordinators)) or (
            _LIST_GOES_ON.match(text, right_end) is not None)
        # 不少于20万平方米的整治任务: the work named (a bare 任务 was turned away above).
        work = (text.startswith(self.words.attributive, q.context_end)
                and right.endswith(self.words.work_nouns))
        # 对…发现问题的40家学生集体用餐配送单位: a modifier with 的 before a count; its noun after.
        modified_count = q.unit in self.words.object_units and seg.segment.rstrip().endswith(
            self.words.attributive) and q.unit not in self.words.share_units
        # 涵盖…3大平台、19类功能模块, 完成…上线前15项业务编码贯标: a measure word counts the
        # noun written right after it, whatever stands before the number.
        counted_after = (bool(q.classifier) and q.unit == "count" and right_end > q.context_end
                         and self._object_follows(text, q) and not right.startswith(self.lex.light_verbs)
                         and not right.startswith(self.words.capacity_nouns))  # (芯片2亿颗能力)
        # 实现90%的研发投入出自企业: a share written before 的 and its noun is a share of that noun.
        # (提高至工资薪金总额8%的税收政策: a standard raised to a share keeps its subject)
        raised = reading.kind == "change" or self.readers.raising_re.search(seg.segment.text) is not None
        share_of = (q.unit in self.words.share_units and not raised
                    and text.startswith(self.words.attributive, q.context_end))
        # (为全市10万名中小学生: the scope word went, the preposition alone names nothing)
        bare_preposition = reading.indicator.text in self.words.governing_prepositions
        return (reading.possession or located or object_after_verb or not reading.indicator or governed
                or bare_preposition
                or coordinated or work or share_of or modified_count or counted_after
                or seg.segment.rstrip().endswith(self.words.etc))

    def _read_action_after_noun(self, text: str, q: Quantity, reading: _Reading) -> None:
        """The action written after the number or its noun, where none came before it."""
        right_end = reading.right_end
        if reading.action and reading.by.get("action") == "comparator_word" and reading.used_right:
            # 推动超1万家工业企业开展技术改造, 为超73万名新生儿免费提供…: 超 bounds the count;
            # the verb after the things counted is what is done to them.
            done = self.readers.verb_after_object(text, right_end)
            if done:
                entry = self.lex.verbs.get(done.text)
                reading.action, reading.kind = done, entry.kind if entry is not None else "amount"
                reading.by.update(action="verb_after_object", kind="verb_after_object")
        if reading.action:
            return
        if reading.used_right:
            # (a light verb, else the longest cue verb)
            word = next((v for v in self.lex.light_verbs if text.startswith(v, right_end)), "") or (
                text[right_end : right_end + self.readers.verb_length(text, right_end)])
            # 每年推动50家企业完成股份制改造, 为2万名老人免费安装…: the verb after its object
            done = Phrase.of(text, right_end, right_end + len(word)) if word else (
                self.readers.verb_after_object(text, right_end))
            if done:
                reading.action = done
                reading.by["action"] = "verb_after_object"
                entry = self.lex.verbs.get(done.text)
                every = any(w in text[q.context_end : done.start] for w in self.words.all_words)
                if entry is not None and entry.kind == "level" and not reading.kind and every:
                    # 129个县（市、区）全部达到…标准: the state all the units reach, a level
                    reading.kind = "level"
                    reading.by["kind"] = "verb_after_object"
                elif entry is not None and entry.kind == "amount" and not reading.kind:
                    # 将19个以上…项目纳入医保: what is done to the things counted, an amount
                    reading.kind = "amount"
                    reading.by["kind"] = "verb_after_object"
                return
        if reading.verb is None:
            word = next((v for v in self.lex.light_verbs if text.startswith(v, q.context_end)), "")
            if word:
                reading.action = Phrase.of(text, q.context_end, q.context_end + len(word))
                reading.by["action"] = "light_verb_after_number"

    def _read_rank(self, q: Quantity, seg: _Segment, reading: _Reading) -> Quantity:
        """A rank (进入全国前20位, 18名以内 after a ranking word): a number, at most that place."""
        words = self.words
        segment = seg.segment.rstrip()
        after_prefix = segment.endswith(words.rank_prefix)
        bare_rank = q.unit == "number" and after_prefix  # (保持全市前3: no measure word)
        if not (q.text.endswith(words.rank_measure_words) or bare_rank):
            return q
        bounded = q.comparator is Comparator.LE and any(w in segment.text for w in words.rank_words)
        if not (after_prefix or bounded):
            return q
        stripped = reading.stripped
        for word in words.rank_words:  # 综合排名进入全国前: what is ranked, then the rank word
            at = stripped.find(word)
            if at > 0:
                reading.indicator = self.readers.clean_indicator(stripped[:at])
                reading.action = stripped[at : at + len(word)]
                reading.by.update(indicator="rank", action="rank")
                break
        reading.kind = "level"
        reading.by["kind"] = "rank"
        return replace(q, unit="number", classifier="", comparator=Comparator.LE)

    def _read_capacity(self, text: str, q: Quantity, seg: _Segment, reading: _Reading) -> None:
        """A capacity (形成年产…N万吨, N吨生产能力) is a level the plan reaches (an amount
        when it is added: 新增晶圆2.4万片加工能力); its indicator is the yearly marker, what
        is made and the capacity noun (年产表贴型电子陶瓷封装材料能力)."""
        words = self.words
        after = text[q.context_end : q.context_end + 8].lstrip(words.attributive)
        right = reading.right
        segment = seg.segment.rstrip()
        # (Most quantities have neither a capacity noun nor a yearly marker: one test each.)
        capacity = ""
        if right.endswith(words.capacity_nouns) or after.startswith(words.capacity_nouns):
            capacity = next((n for n in words.capacity_nouns if right.endswith(n)), "") or next(
                (n for n in words.capacity_nouns if after.startswith(n)), "")
        has_marker = self._capacity_marker.search(segment.text) is not None
        if not capacity and not has_marker:
            return
        marker_at = max(segment.rfind(m) for m in words.capacity_markers)
        # 形成年产芯片3000万只、模块5万套能力: a later item of the list is yearly too
        clause = Phrase.of(text, seg.clause_start, q.context_start)
        in_clause = max(clause.rfind(m) for m in words.capacity_markers)
        added = in_clause < 0 and reading.action.text in words.capacity_added_verbs
        reading.kind = "amount" if added else "level"
        reading.by["kind"] = "capacity"
        if not capacity:
            return
        if right.endswith(capacity):
            noun = right[: len(right) - len(capacity)].rstrip(words.attributive)
            capacity_phrase = right[len(right) - len(capacity) :]
        else:
            start = text.index(capacity, q.context_end)
            noun, capacity_phrase = Phrase.empty(), Phrase.of(text, start, start + len(capacity))
        if marker_at >= 0:
            marker = next(m for m in words.capacity_markers if segment.startswith(m, marker_at))
            made = segment[marker_at + len(marker) :].rstrip(words.edges + words.etc)
            product = noun or made
            reading.indicator = segment[marker_at : marker_at + len(marker)] + product + capacity_phrase
        else:  # 新增晶圆2.4万片加工能力: what is made stands before the number
            yearly = Phrase.empty()
            if in_clause >= 0:
                yearly_word = next(m for m in words.capacity_markers if clause.startswith(m, in_clause))
                yearly = clause[in_clause : in_clause + len(yearly_word)]
            reading.indicator = yearly + (noun or reading.indicator) + capacity_phrase
        reading.by["indicator"] = "capacity"

    def _read_investment(self, text: str, q: Quantity, reading: _Reading) -> None:
        """What is invested in: the noun after the amount, or the next clause's object."""
        action = reading.action
        if not action.endswith(self.lex.investment_verbs) or q.unit in self.words.share_units:
            return  # (产业项目投资占比不低于55%: a share of the investment, not an amount invested)
        suffix = self.lex.investment_suffix
        suffix_phrase = action[-len(suffix) :] if action.endswith(suffix) else Phrase.synthetic(suffix)
        right = reading.right
        modified = text[q.context_end : q.context_end + 1] == self.words.attributive
        obj = right if right and modified else Phrase.empty()
        obj = obj or self.readers.investment_object(text, q)
        indicator = reading.indicator
        if obj:
            reading.indicator = obj if obj.endswith(suffix) else obj + suffix_phrase
        else:  # nothing named: the investment itself (项目总投资, 投资)
            reading.indicator = indicator + action if indicator and not indicator.endswith(suffix) else action
        reading.by["indicator"] = "investment_object"

    def _actor_before(self, before: Phrase) -> bool:
        """``before`` (what stands before a verb inside a segment) names who acts: a payer
        (县财政), perhaps with an adverb of time after it (每年)."""
        text = before.text
        for adverb in self.lex.adverbs:
            if text.endswith(adverb) and len(text) > len(adverb):
                text = text[: -len(adverb)]
                break
        return text.endswith(self.words.payer_endings)

    def _read_purpose(self, text: str, q: Quantity, reading: _Reading) -> None:
        """安排30亿元建设资金，支持国有煤矿安全技术改造: money a budget verb commits, whose
        indicator says only who pays (中央财政) or what kind of money it is (建设资金), is
        for what the next clause names after a word of purpose."""
        if q.unit not in self._currencies:
            return
        words = self.words
        indicator = reading.indicator
        payer = indicator.endswith(words.payer_endings)
        fund = indicator.endswith(words.fund_nouns) and len(indicator) <= 4
        if not (payer or fund) or not reading.action.endswith(self._budget_verbs):
            return
        pos = reading.right_end if reading.used_right else q.context_end
        if text[pos : pos + 1] not in ",，":
            return
        word = next((w for w in words.purpose_words if text.startswith(w, pos + 1)), "")
        if not word:
            return
        start = pos + 1 + len(word)
        end = end_of_clause(text, start, start + _CLAUSE_REACH)
        purpose = self.readers.clean_indicator(Phrase.of(text, start, end))
        if len(purpose) < 2 or (fund and not payer and (len(purpose) > _PURPOSE_MAX or "、" in purpose.text)):
            return  # (a kind of money keeps its name before a long or listed purpose)
        reading.indicator = indicator + purpose if payer else purpose + indicator
        reading.by["indicator"] = "purpose_clause"

    def _inherit_indicator(
        self, text: str, seg: _Segment, reading: _Reading, prev: _Previous | None
    ) -> list[Phrase]:
        """A list item takes what it lacks from the item before it (分别 lists, elided
        subjects, breakdowns by place or level), else from an earlier clause; returns the
        分别 indicators still waiting for their values."""
        indicator = reading.indicator
        respective: list[Phrase] = []
        how = ""
        if reading.respective:
            respective = reading.respective
            indicator, how = respective.pop(0), "respective_list"
        elif not indicator and prev is not None and prev.respective and seg.continues_list:
            respective = prev.respective
            indicator, how = respective.pop(0), "respective_list"
        elif not indicator and prev is not None:
            indicator, how = prev.indicator, "previous_item"
        elif prev is not None:
            indicator, how = self._from_previous(indicator, seg, prev)
        if not how and self._bare_rate(indicator) and not seg.continues_list:
            # 接种率达到90% after 为适龄女孩免费接种HPV疫苗: the rate of the thing just named
            thing = prev.indicator if prev is not None else self.readers.clause_before(
                text, seg.s_start, seg.clause_start, indicator.text)
            # (not after another rate, 安置率…帮教率, nor a thing that names the rate's own
            # stem, 赤字规模…赤字率: each is a rate of its own)
            stem = indicator.text[:-1] if len(indicator) == self.words.bare_rate_length else indicator.text
            if thing and not thing.endswith(self.words.bare_rate_endings) and stem not in thing.text:
                indicator, how = thing + indicator, "rate_of_clause_before"
        if not indicator:
            indicator, how = self.readers.topic(text, seg.s_start, seg.clause_start), "earlier_clause"
            items = self.readers.split_list(indicator) if self._respective_here(seg) else []
            if len(items) > 1:
                # A建设…，分别达到100个、300个: the earlier clause names the 分别 list
                indicator, respective, how = items[0], items[1:], "respective_topic"
        if not indicator and len(reading.action) >= 2 and not seg.continues_list:
            # 退税减税约2.5万亿元: nothing else is named; the activity is the statistic
            indicator, how = reading.action, "activity_as_indicator"
        if how:
            reading.by["indicator"] = how
        reading.indicator = indicator
        return respective

    def _read_travel_time(self, text: str, q: Quantity, reading: _Reading) -> None:
        """市域1小时通达, 1小时到省会: a travel time is the level a place's reach is held at;
        the verb of reaching after the number is the action, the place written right before
        the number (else right after the verb) the indicator."""
        lex = self.lex
        if q.unit not in lex.travel_units:
            return
        verb = next((w for w in lex.travel_verbs if text.startswith(w, q.context_end)), "")
        if not verb:
            return
        marks = _TRAVEL_ITEM_MARKS
        start = max(text.rfind(c, max(0, q.context_start - 12), q.context_start) for c in marks) + 1
        place = Phrase.of(text, start, q.context_start).strip(self.words.edges)
        if len(place) < 2:  # 1小时到省会: the place is where the verb reaches
            after = q.context_end + len(verb)
            end = end_of_clause(text, after, after + 12, _TRAVEL_ITEM_END)
            place = Phrase.of(text, after, end).strip(self.words.edges)
        place = self.readers.clean_indicator(place)
        if place:
            reading.indicator = place
        reading.action = Phrase.of(text, q.context_end, q.context_end + len(verb))
        reading.kind = "level"
        reading.by.update(action="travel_time", kind="travel_time", indicator="travel_time")

    def _read_bracketed_measure(self, text: str, q: Quantity, seg: _Segment, reading: _Reading) -> None:
        """南外环高速公路（长38公里，总投资86亿元）: a measure written inside the brackets after
        a project's name is the project's (南外环高速公路总投资; 长 alone gives the name), and
        the size of what is built, an amount; another noun there is the part counted."""
        indicator = reading.indicator
        opening = text.rfind("(", seg.s_start, q.start)  # (the text is normalised: ASCII brackets)
        if opening < 0 or text.rfind(")", opening, q.start) >= 0:
            return  # not inside brackets
        name_start = max(text.rfind(c, seg.s_start, opening) for c in CLAUSE_END + "、）)") + 1
        name = Phrase.of(text, max(name_start, seg.s_start), opening).strip(self.words.edges)
        name = self.readers.strip_front(name)
        verb = self.readers.start_verb(name)  # (建设国道G205…工程（…）: the name follows the verb)
        if verb is not None and verb.end < len(name):
            name = name[verb.end :]
        if not name or _COUNTED_NUMBER.search(name.text):
            return  # (a name with a number of its own counts something; G328, 5G are codes)
        measures = self.words.project_measures
        cut = indicator.find("（") if "（" in indicator.text else indicator.find("(")
        if cut > 0 and 0 <= indicator.start < opening:
            inside = indicator[cut + 1 :]
            measure = next((m for m in sorted(measures, key=len, reverse=True) if inside.endswith(m)), "")
            if measure:  # (市境内长56公里: a scope before the measure goes with it)
                kept = inside[len(inside) - len(measure) :] if len(measure) > 1 else Phrase.empty()
                indicator = indicator[:cut] + kept
            else:  # 北河航道整治工程（三级航道65公里: the part of the project counted
                indicator = self.readers.strip_front(inside)
        elif indicator.text in measures and indicator.start > opening:
            indicator = name + indicator
        else:
            return
        if not indicator:
            return
        reading.indicator = indicator
        reading.by["indicator"] = "bracketed_measure"
        if reading.kind in ("", "level") and not reading.action and q.unit not in self.words.share_units:
            reading.kind = "amount"  # (建筑面积6.2万平方米 of a project: the size built)
            reading.by["kind"] = "bracketed_measure"

    def _read_project_clause(self, text: str, seg: _Segment, reading: _Reading, drafts: list[Draft]) -> None:
        """建成淮州至连港高铁，全长186公里，总投资412亿元: a measure that opens its clause (全长,
        总投资) after a first clause that names a project and holds no number is the
        project's measure (淮州至连港高铁全长); the first clause's opening verb (建成) and a
        stage of work at its end (前期工作) are not the project's name."""
        words = self.words
        measure = reading.indicator.text
        if measure not in words.project_clause_measures or seg.clause_start <= seg.s_start:
            return
        # The sentence's targets read otherwise than as the project's measures.
        others = [d.quantity.start for d in drafts if d.quantity.start >= seg.s_start
                  and ("indicator", "project_clause") not in d.readers]
        if any(at >= seg.clause_start for at in others):
            return  # (推介项目400个、总投资2000亿元: the clause counts something else first)
        opening = seg.segment.text.lstrip(words.edges + " ")
        if not (opening.startswith(measure) or opening.startswith(reading.action.text + measure)):
            return  # (改造里程238公里: the action may open the measure's name)
        first = end_of_clause(text, seg.s_start, seg.clause_start)
        written = text[seg.s_start : first].strip(words.edges + " ")
        name = _ENUMERATOR.sub("", written)  # (1., 01)
        if not name or _NUMBER.search(name):
            return  # (铁路专用线12条，总长约96公里: a first clause with a number of its own)
        verb = next((v for v in words.project_clause_verbs
                     if name.startswith(v) and len(name) > len(v) + 1), "")
        name = name[len(verb) :]
        # The first clause names a project: a verb of building opens it, or a list number, or
        # it is an entry of its own (a line) and no other count comes before the measure
        # (not 围绕…方向，实施项目200个，总投资580亿元).
        entry = seg.s_start == 0 or text[seg.s_start - 1] == "\n"
        if not (verb or name != written or (entry and not others)):
            return
        for tail in words.project_clause_tails:
            if name.endswith(tail) and len(name) > len(tail) + 1:
                name = name[: -len(tail)]
                break
        start = text.find(name, seg.s_start, first)
        project = Phrase.of(text, start, start + len(name))
        overlap = next((k for k in range(min(len(name), len(measure)) - 1, 1, -1)
                        if name.endswith(measure[:k])), 0)  # (…电气化改造 + 改造里程: one 改造)
        # (a measure of one character, 长, is dropped: 南湖路, as in brackets)
        reading.indicator = project if len(measure) == 1 else project + reading.indicator[overlap:]
        reading.by["indicator"] = "project_clause"

    def _read_sentence_project(
        self, q: Quantity, seg: _Segment, reading: _Reading, drafts: list[Draft],
    ) -> None:
        """改造城镇老旧小区120个，惠及居民2.6万户，总投资9.8亿元: money that names only
        itself (总投资, 投资, 资金) at the end of a sentence is the cost of what the sentence's
        first target counts (城镇老旧小区总投资)."""
        bare = reading.indicator.text
        if q.unit not in self._currencies or not (bare in self.words.project_measures
                                                   or bare in self.words.fund_nouns):
            return
        first = self._first_target(seg, drafts)
        if first is None:
            return
        reading.indicator = first.indicator + reading.indicator
        reading.by["indicator"] = "sentence_project"

    def _first_target(self, seg: _Segment, drafts: list[Draft]) -> Draft | None:
        """The first target read in the sentence of ``seg``, if it counts something that is
        not money and names it."""
        first = next((d for d in drafts if d.quantity.start >= seg.s_start), None)
        if first is None or not first.indicator or first.quantity.unit in self._currencies:
            return None
        return first

    def _respective_here(self, seg: _Segment) -> bool:
        """The segment says 分别 (到2020年分别达到…)."""
        return any(w in seg.segment.text for w in self.lex.respective)

    def _bare_rate(self, indicator: Phrase) -> bool:
        """覆盖率, 开放率, 占比: a rate named by its noun alone."""
        words = self.words
        return 0 < len(indicator) <= words.bare_rate_length and indicator.endswith(words.bare_rate_endings)

    def _from_previous(self, indicator: Phrase, seg: _Segment, prev: _Previous) -> tuple[Phrase, str]:
        """An item whose own indicator is only part of one: the rest from the previous."""
        words = self.words
        if words.quantity_only.fullmatch(indicator.text):
            return prev.indicator, "previous_item"  # 规模达到500亿元的1个、100亿元的1个
        if not prev.indicator:
            return indicator, ""
        if len(indicator) <= 2 and indicator.endswith(self.lex.level_nouns) and not prev.indicator.endswith(
            indicator.text
        ):
            # 转移支付增加1.5万亿元、规模近9.8万亿元: 转移支付规模.  When the previous indicator
            # ends with a measure of its own (粮食播种面积…，产量…), the new one replaces it:
            # 粮食产量, not 粮食播种面积产量.
            parts = list(tokenizer().cut(prev.indicator.text, HMM=False))
            if len(parts) >= 2 and parts[-1].endswith(self.lex.level_nouns):
                parts.pop()  # (and the verb of the measure: 油料|种植|面积 → 油料)
                while len(parts) > 1 and parts[-1] in word_classes().verbs:
                    parts.pop()
                return prev.indicator[: len("".join(parts))] + indicator, "previous_head"
            return prev.indicator + indicator, "previous_head"
        breakdown = seg.segment.strip(words.edges + "(（").startswith(words.breakdown)
        if breakdown and indicator.endswith(self.lex.place_suffixes):
            # 总规模达到1200亿元，其中定州市达到500亿元: the place's share of the total's indicator.
            return indicator + prev.indicator, "breakdown_by_place"
        if len(indicator) <= 3 and indicator.endswith(words.level_word):
            # 新增市级以上专精特新企业20家，其中国家级2家: the level replaces the total's.
            return indicator + cut_match(prev.indicator, words.level_head), "breakdown_by_level"
        return indicator, ""

    def _drafts(
        self, text: str, q: Quantity, seg: _Segment, reading: _Reading, respective: list[Phrase],
        prev: _Previous | None, drafts: list[Draft],
    ) -> tuple[list[Draft], _Previous]:
        """Kind, modality, comparator and sign; one draft per indicator of the reading."""
        readers = self.readers
        if q.comparator is Comparator.EQ and prev is not None and prev.group and seg.in_group:
            first = drafts[prev.group[0]]
            if first.comparator is not Comparator.EQ and first.quantity.context_start < first.quantity.start:
                # 分别突破1200亿元、800亿元: the bound written before the first value is every value's
                q = replace(q, comparator=first.comparator)
                reading.by["comparator"] = "respective_bound"
        per_day = f"{q.unit}/day"
        daily = self.words.daily_capacity.search(reading.indicator.text) is not None
        if daily and per_day in self.lex.unit_table.canonical:
            q = replace(q, unit=per_day)  # 污水日处理能力10万吨: a capacity per day
            reading.by["unit"] = "daily_capacity"
        kind = readers.kind(reading.kind, reading.indicator, q)
        if kind is Kind.CHANGE and q.unit == "count" and reading.used_right:
            kind = Kind.AMOUNT  # 增加350个行政村通双车道: new things counted, an amount added
            reading.by["kind"] = "count_added"
        reading.by.setdefault("kind", "unit_and_indicator")
        modality = readers.modality_of(text, seg.clause_start, q.context_start)
        if modality is Modality.PLAIN:
            modality = readers.sentence_modality(text, seg.s_start, seg.clause_start)
        comparator, before_verb = self._comparator(text, q, seg, reading)
        if comparator is Comparator.EQ and reading.basis_bound is not None:
            comparator = reading.basis_bound
        if comparator is Comparator.EQ and prev is not None and prev.verb_bound is not None \
                and reading.by.get("action") == "previous_item":
            comparator = prev.verb_bound  # 至少拥有一所…和一所…: the bound governs the verb's list
        quantity = q
        if kind is Kind.CHANGE and reading.sign < 0:
            value = -q.value
            value_max = -q.value_max if q.value_max is not None else None
            if value_max is not None:
                value, value_max = value_max, value  # keep value <= value_max
            quantity = replace(q, value=value, value_max=value_max)
        indicators = [reading.indicator]
        actions = [reading.action]
        if respective and _VALUES_GO_ON.match(text, q.context_end) is None:
            # 接待游客人次和旅游总收入分别增长10%以上: one value for the whole 分别 list
            indicators, respective = [reading.indicator, *respective], []
            reading.by["indicator"] = "respective_one_value"
        if reading.distributive == "items":
            # 新创建A和B各1个 / A和B均达到45%: one target per indicator of the list.
            indicators = readers.distribute(reading.indicator)
            if len(indicators) == 1:
                actions = self._distributed_verbs(reading.action)  # 开工、投产项目各10个
        elif reading.distributive == "places" and not reading.used_right and prev is not None:
            indicators = [prev.indicator]  # 其中石家庄、张家口、邢台市各建设1条 (of the same thing)
        by = tuple(sorted(reading.by.items()))
        made = [Draft(quantity, ind, act, kind, modality, comparator, by)
                for ind in indicators for act in actions]
        # 分别 lists: a comparator after the last value applies to every value.
        group = list(prev.group) if (prev is not None and seg.in_group) else []
        if respective or group:
            group = [*group, len(drafts)]
        if comparator is not Comparator.EQ and len(group) > 1:
            for index in group[:-1]:
                if drafts[index].comparator is Comparator.EQ:
                    drafts[index] = replace(drafts[index], comparator=comparator)
        new_prev = _Previous(
            action=reading.action,
            kind=reading.kind,
            sign=reading.sign,
            indicator=indicators[-1],
            end=reading.right_end if reading.used_right else q.context_end,
            unit=q.unit,
            object_after=reading.used_right,
            per_unit=reading.per_unit,
            respective=respective,
            group=group if (respective or group) else [],
            verb_bound=comparator if (before_verb or (
                prev is not None and comparator is prev.verb_bound)) else None,
        )
        return made, new_prev

    def _distributed_verbs(self, action: Phrase) -> list[Phrase]:
        """The verbs of a list that one value is given to each of (开工、投产新能源项目各1000万
        千瓦: as many started as put into operation), or the action alone."""
        verbs = [v for v in self.readers.split_list(action) if v]
        # (every item a short word, one of them a known verb: 开工、投产; 新建和改扩建)
        if len(verbs) > 1 and all(len(v) <= _VERB_MAX for v in verbs) \
                and any(self.readers.verb_length(str(v)) == len(v) for v in verbs):
            return verbs
        return [action]

    def _bound_after_bracket(self, text: str, q: Quantity) -> Comparator:
        """A bound written after a bracket right after the number bounds both the number and
        the one in the bracket (拆除总量的50%（15万平方米）以上: both >=)."""
        end = q.context_end
        if text.startswith(("（", "("), end):
            close = _BRACKET_END.search(text, end + 1, end + 24)
            end = close.end() if close is not None else end
        elif text.startswith(("）", ")"), end):
            end += 1
        else:
            return Comparator.EQ
        word = next((w for w in self._suffix_words if text.startswith(w, end)), "")
        return Comparator(self.lex.comparator_suffix[word]) if word else Comparator.EQ

    def _comparator(self, text: str, q: Quantity, seg: _Segment,
                    reading: _Reading) -> tuple[Comparator, bool]:
        """The quantity's comparator, and whether it is a bound written before the verb
        (各区至少有1所)."""
        comparator = self.readers.comparator_of(q, seg.segment)
        if comparator is Comparator.EQ:
            comparator = self._bound_after_bracket(text, q)
        verb = reading.verb
        if comparator is Comparator.EQ and verb is not None and verb.end == len(reading.stripped):
            before_verb = reading.stripped.text[: verb.start]
            if before_verb.endswith(self._comparator_words):  # (one test for the usual case)
                word = next(w for w in self.readers.comparator_words if before_verb.endswith(w))
                comparator = Comparator(self.lex.comparator_prefix[word])
                if reading.indicator.endswith(word):
                    reading.indicator = reading.indicator[: -len(word)]
                return comparator, True
        if comparator is Comparator.EQ and verb is None:
            # 每月至少办理1件: a bound, then a two-character word the lexicon does not know
            # (a verb: a bound is never written before a noun and its count)
            text = reading.stripped.text
            head = text[:-2]
            if len(text) > 2 and head.endswith(self._comparator_words) and _CJK_AT.fullmatch(text[-1]) \
                    and _CJK_AT.fullmatch(text[-2]):
                word = next(w for w in self.readers.comparator_words if head.endswith(w))
                return Comparator(self.lex.comparator_prefix[word]), True
        return comparator, False



def _is_verb_word(text: str, nouns_too: bool = False) -> bool:
    """``text`` is one verb of jieba's dictionary (a pure verb; a verbal noun too when
    ``nouns_too``: 布局)."""
    classes = word_classes()
    return text in (classes.verbs if nouns_too else classes.pure_verbs)


def _has_own_verb(segment: str) -> bool:
    """The segment is a verb of jieba's dictionary, or opens or ends with one of two or
    three characters."""
    return _is_verb_word(segment, nouns_too=True) or any(
        _is_verb_word(segment[:k]) or _is_verb_word(segment[-k:]) for k in (2, 3))


def _decision(q: Quantity, made: list[Draft], verdict: Verdict | None) -> MentionOutcome:
    if made:
        return MentionOutcome(q, True, readers=made[0].readers)
    if verdict is not None:
        return MentionOutcome(q, False, verdict.rule, verdict.reason)
    return MentionOutcome(q, False, "no_reading", "no indicator could be read")  # pragma: no cover


def _sentence_marks(text: str, mentions: list[Mention]) -> list[int]:
    """Offsets of the sentence-end characters within SENTENCE_WINDOW characters of the
    mentions, found once for them all (each mention's sentence is then two bisections)."""
    if not mentions:
        return []
    low = min(m.quantity.start for m in mentions) - SENTENCE_WINDOW
    high = max(m.quantity.end for m in mentions) + SENTENCE_WINDOW
    return [m.start() for m in _SENTENCE_END_RE.finditer(text, max(0, low), high)]


def _in_spans(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]
