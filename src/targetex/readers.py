"""Phrase readers: the predicate, the indicator, lists and the comparator of a target.

Each reader looks at the *segment* of text that leads up to a quantity (or the text right
after it) and returns a :class:`~targetex.phrase.Phrase`, so the records can give what was
read exactly as written.  The readers hold no state about a document: build one
:class:`PhraseReaders` per lexicon and share it.

>>> from targetex.resources import load
>>> r = PhraseReaders(load())
>>> verb = r.find_verb(Phrase.of("地区生产总值增长", 0, 8), first_of_clause=True)
>>> (str(verb.word), verb.kind, verb.start)
('增长', 'change', 6)
>>> str(r.clean_indicator(Phrase.of("到2025年，全市规模以上工业增加值", 0, 20)))
'规模以上工业增加值'
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from targetex.clauses import CLAUSE_END, end_of_clause, split_clauses
from targetex.numerals import grammar
from targetex.phrase import Phrase
from targetex.records import Comparator, Kind, Modality, Quantity
from targetex.resources import Lexicon

__all__ = ["PhraseReaders", "Verb", "alternation", "cut_match", "is_manner", "share_head", "strip_unbalanced"]

_CJK = re.compile(r"[\u4e00-\u9fff]")
_NEXT_COUNTED_ITEM = re.compile(r"[、和及与]\d")
_BRACKET_CLOSE = re.compile(r"[）)]")
# An age bound or range (65岁及以上, 0至14周岁) or a size class (400亿级) opening a noun
_SCOPE_BOUND = re.compile(r"\d+(?:\.\d+)?(?:周岁|岁|年)(?:及|或)?(?:以上|以下)(?=[\u4e00-\u9fff])"
                          r"|\d+(?:周岁|岁)?(?:至|到|—|-|~)\d+(?:周岁|岁)(?=[\u4e00-\u9fff])"
                          r"|\d+(?:\.\d+)?[万亿千百]*级(?=[\u4e00-\u9fff、])")  # (or a size class: 400亿级)


def alternation(words: Iterable[str]) -> re.Pattern[str]:
    """A regex matching any of ``words``, longest first (never matches when empty)."""
    ordered = sorted(set(words), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered) if ordered else r"(?!)")


@dataclass(slots=True)
class Verb:
    """A predicate found in a segment.

    Attributes:
        start: offset of the predicate inside the segment read.
        end: offset after it (the indicator is before ``start`` or after ``end``).
        word: the action as written (with 新, or ``V和V``).
        kind: ``change``, ``level`` or ``amount`` (``amount_inner``/``level_inner`` for a
            verb inside a statistic's name).
        sign: -1 for a decrease.
        reader: the name of the reader that found it.
    """

    start: int
    end: int
    word: Phrase
    kind: str
    sign: int
    reader: str


class PhraseReaders:
    """The phrase readers over one lexicon (compiled once; immutable, thread-safe)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self._currencies = lexicon.unit_table.currencies
        words = lexicon.readers
        self.edges: str = words.edges
        self.verbs = lexicon.verbs
        verb_words = sorted(self.verbs, key=len, reverse=True)
        self.inner_verbs = [v for v in verb_words if v not in lexicon.end_only_verbs]
        self.verb_re = alternation(self.inner_verbs)
        self._noun_re = alternation(lexicon.noun_compounds)
        self._modality_re = alternation(lexicon.modality)
        self.comparator_words = sorted(lexicon.comparator_prefix, key=len, reverse=True)
        self.change_level = [v for v in verb_words if self.verbs[v].kind in ("change", "level")]
        # Verbs that raise or set a value (提高至, 增长, 调整到): the value is the subject's.
        self.raising_re = alternation(v for v in self.change_level if self.verbs[v].kind == "change"
                                      or v.endswith(tuple(lexicon.readers.raising_endings)))
        # (超 in 超级计算中心, 有 in 有影响力: only right before a number are they predicates)
        self._inner_change_level = tuple(v for v in self.change_level if v not in lexicon.end_only_verbs)
        # Word sets and their longest length: suffix/prefix look-ups by slicing are far
        # cheaper than testing every word with endswith.
        self._verb_set = frozenset(verb_words)
        self._inner_set = frozenset(self.inner_verbs)
        self._verb_max = max(map(len, verb_words))
        # Every beginning of an inner verb (新, 新增): a look-up stops at the first
        # character that no verb goes on with, most often the first.
        self._inner_beginnings = frozenset(v[:k] for v in self.inner_verbs for k in range(1, len(v) + 1))
        modality = tuple(lexicon.modality)
        self._front_words = frozenset((words.breakdown, *lexicon.conjunctions, *lexicon.adverbs, *modality))
        self._back_words = frozenset((*lexicon.adverbs, *modality, *words.trailing_adverbs))
        self._word_max = max(map(len, self._front_words))
        self._front_beginnings = frozenset(w[:k] for w in self._front_words for k in range(1, len(w) + 1))
        self._back_endings = frozenset(w[-k:] for w in self._back_words for k in range(1, len(w) + 1))
        self._predicate_re = alternation([*self.comparator_words, *verb_words])
        unit_alt = "|".join(re.escape(u) for u in sorted([*lexicon.units, *lexicon.classifiers],
                                                         key=len, reverse=True))
        self._count_re = re.compile(r"\d[\d.]*[" + words.magnitudes + "]?(?:" + unit_alt + ")")
        self._list_re = alternation(words.list_words)
        self._end_verbs: dict[str, tuple[int, int, int, str, int, str] | None] = {}
        self._object_split = re.compile("[" + re.escape("、" + words.coordinators) + r"\d]")

    # ------------------------------------------------------------------ small tests
    def verb_at(self, text: str) -> bool:
        """Whether ``text`` opens with a cue verb (one that may stand inside a phrase).

        >>> from targetex.resources import load
        >>> PhraseReaders(load()).verb_at("新增就业"), PhraseReaders(load()).verb_at("企业")
        (True, False)
        """
        return self.verb_length(text) > 0

    def verb_length(self, text: str, at: int = 0) -> int:
        """The length of the longest cue verb (one that may stand inside a phrase) written
        at ``text[at:]``, or 0."""
        longest = 0
        for k in range(1, min(self._verb_max, len(text) - at) + 1):
            word = text[at : at + k]
            if word not in self._inner_beginnings:
                break  # (no verb opens with it: none longer can stand here)
            if word in self._inner_set:
                longest = k
        return longest

    def _compound_at(self, text: str, pos: int = 0) -> bool:
        """A noun compound with a cue verb inside (建设用地, 建成区) is written at ``pos``."""
        m = self._noun_re.match(text, pos)
        return m is not None and self._whole_word(text, m)

    @staticmethod
    def _whole_word(text: str, m: re.Match[str]) -> bool:
        """The compound ``m`` ends where a word ends: not 建成区 in 建成区域医疗中心, which
        jieba cuts 建成|区域 (a compound jieba cuts inside, 建设|用地, still ends there)."""
        if m.end() >= len(text) or not _CJK.match(text, m.end()):
            return True
        words = _tokenizer().cut(text[m.start() : m.end() + 3], HMM=False)
        ends = list(itertools.accumulate(len(w) for w in words))
        return m.end() - m.start() in ends

    def noun_ends(self, s: str, verb_start: int) -> bool:
        """The verb at ``verb_start`` is part of a noun compound (增加值, 建设用地).

        >>> from targetex.resources import load
        >>> PhraseReaders(load()).noun_ends("工业增加值", 2)
        True
        """
        for m in self._noun_re.finditer(s, max(0, verb_start - 3)):
            if m.start() <= verb_start < m.end() and self._whole_word(s, m):
                return True
            if m.start() > verb_start:
                break
        return False

    def starts_change(self, after: str) -> bool:
        """``after`` opens with a change or level verb (由当前3%|提升到10%)."""
        after = after.lstrip(" ,，")
        return any(after.startswith(v) for v in self.change_level) or after.startswith(
            self.lex.readers.change_openers
        )

    def verb_before(self, segment: Phrase) -> bool:
        """A cue verb right before the number: what follows is its object (新建1亿亩…).

        >>> from targetex.resources import load
        >>> PhraseReaders(load()).verb_before(Phrase.of("全年新建", 0, 4))
        True
        """
        s = self.strip_back(segment.rstrip(self.edges))
        verb = self.end_verb(s)
        return verb is not None and verb.end == len(s) and not s.endswith(self.lex.readers.attributive)

    # ------------------------------------------------------------------ verbs
    def leading_verb(self, s: Phrase) -> Verb | None:
        """The longest cue verb opening ``s`` (none when a noun compound opens it).

        >>> from targetex.resources import load
        >>> str(PhraseReaders(load()).leading_verb(Phrase.of("新建学校", 0, 4)).word)
        '新建'
        """
        k = self.verb_length(s.text)
        if not k or self._compound_at(s.text):
            return None
        entry = self.verbs[s.text[:k]]
        return Verb(0, k, s[:k], entry.kind, entry.sign, "leading_verb")

    def end_verb(self, s: Phrase) -> Verb | None:
        """A verb written right before the number, extended over an amount verb before it
        (改造提升) and over 新 (新开建); or the predicate before a denominator with 的.

        >>> from targetex.resources import load
        >>> r = PhraseReaders(load())
        >>> str(r.end_verb(Phrase.of("小微企业园新开建", 0, 8)).word)
        '新开建'
        >>> r.end_verb(Phrase.of("不低于居住用地供应总量的", 0, 12)).kind
        'level'
        """
        found = self._end_verbs.get(s.text, _UNSEEN)
        if found is _UNSEEN:
            # The same segment text is read several times per quantity (各/均 lists, the
            # predicate, the object position): the answer depends on the text only.
            if len(self._end_verbs) > 50_000:
                self._end_verbs.clear()
            found = self._end_verbs[s.text] = self._end_verb_spec(s.text)
        if found is None:
            return None
        start, word_start, word_end, kind, sign, reader = found
        return Verb(start, len(s), s[word_start:word_end], kind, sign, reader)

    def _end_verb_spec(self, text: str) -> tuple[int, int, int, str, int, str] | None:
        """``(start, word start, word end, kind, sign, reader)`` of the verb ending ``text``."""
        for k in range(min(self._verb_max, len(text)), 0, -1):
            word = text[-k:]
            if word in self._verb_set and not self.noun_ends(text, len(text) - k):
                start = len(text) - k
                entry = self.verbs[word]
                for j in range(min(self._verb_max, start), 1, -1):
                    other = text[start - j : start]
                    if other in self._inner_set and entry.kind == self.verbs[other].kind == "amount":
                        start -= j  # 改造提升: two amount verbs are one action
                        break
                for prefix in self.lex.action_prefixes:
                    if text[:start].endswith(prefix):
                        start -= len(prefix)
                return start, start, len(text), entry.kind, entry.sign, "end_verb"
        if text.endswith((self.lex.readers.attributive, *self.lex.readers.base_nouns)):
            return self._denominator_predicate(text)  # …总量的70%, 提高至工资总额8%
        return None

    def _denominator_predicate(self, text: str) -> tuple[int, int, int, str, int, str] | None:
        """"占全市老人总数的6%", "不低于居住用地供应总量的70%": the predicate before a
        denominator written with 的."""
        best = None
        best_end = -1
        for m in self._predicate_re.finditer(text, 1):  # longest first: 不低于 before 低于
            word, at = m.group(0), m.start()
            if at + len(word) <= best_end or self.noun_ends(text, at):
                continue
            best_end = at + len(word)
            found = self.verbs.get(word)
            if found is None:  # a comparator is not an action: 不低于…的70% has none
                best = (at, at, at, "level", 1, "denominator_predicate")
            else:
                best = (at, at, at + len(word), found.kind, found.sign, "denominator_predicate")
        return best

    def start_verb(self, s: Phrase) -> Verb | None:
        """A verb opening the segment, with 新 or a second verb (引进和试验).

        >>> from targetex.resources import load
        >>> str(PhraseReaders(load()).start_verb(Phrase.of("引进和试验新品种", 0, 8)).word)
        '引进和试验'
        """
        offset = 0
        for prefix in self.lex.action_prefixes:
            if s.startswith(prefix) and self.leading_verb(s[len(prefix) :]) is not None:
                offset = len(prefix)
        lead = self.leading_verb(s[offset:])
        if lead is None:
            return None
        end = offset + lead.end
        for conj in self.lex.readers.verb_joiners:
            if s.startswith(conj, end):
                second = self.leading_verb(s[end + len(conj) :])
                if second is None:
                    second = _jieba_verb(s[end + len(conj) :])
                if second is not None:
                    end = end + len(conj) + second.end
                break
        # Two verbs in a row are one action (改造提升).
        following = self.leading_verb(s[end:])
        rest = s[end + following.end :] if following is not None else Phrase.empty()
        # (培育拥有核心专利的企业: a second verb whose object a 的 closes opens a modifier)
        if (following is not None and rest and len(following.word) >= 2
                and not s.endswith(self.lex.level_nouns) and self.leading_verb(rest) is None
                and self.lex.readers.attributive not in rest.text):
            end += following.end  # (新增造林面积: 造林面积 is the indicator, not 新增造林)
            if lead.word.text in self.lex.light_verbs and following.kind == "amount":
                # 实现新增城镇就业: after a light verb, the second verb says what is done
                return Verb(0, end, s[:end], following.kind, following.sign, "start_verb")
        return Verb(0, end, s[:end], lead.kind, lead.sign, "start_verb")

    def after_preposition(self, s: Phrase) -> Verb | None:
        """在旧城区新(改)建…: the first cue verb after an opening prepositional phrase.

        >>> from targetex.resources import load
        >>> str(PhraseReaders(load()).after_preposition(Phrase.of("在老城区新建停车场", 0, 9)).word)
        '新建'
        """
        if not s.startswith(self.lex.prepositions):
            return None
        for m in self.verb_re.finditer(s.text, 1):
            if self.noun_ends(s.text, m.start()) or m.end() >= len(s):
                continue
            verb = self.start_verb(s[m.start() :])
            if verb is not None:
                return Verb(m.start(), m.start() + verb.end, verb.word, verb.kind, verb.sign,
                            "after_preposition")
        return None

    def find_verb(self, s: Phrase, first_of_clause: bool) -> Verb | None:
        """The predicate of a segment: at its end (地区生产总值增长), at its start
        (新增高新技术企业), after a preposition, or inside a statistic's name (城镇新增就业).

        >>> from targetex.resources import load
        >>> r = PhraseReaders(load())
        >>> v = r.find_verb(Phrase.of("城镇新增就业", 0, 6), first_of_clause=True)
        >>> (str(v.word), v.kind, v.reader)
        ('新增', 'amount_inner', 'inner_verb')
        """
        if not s:
            return None
        end_verb = self.end_verb(s)
        start_verb = self.start_verb(s)
        # 新增国土绿化: an amount verb at the end is part of the indicator when another
        # verb opens the segment; a change or level verb at the end is the predicate.
        if end_verb is not None and end_verb.start > 0:
            if start_verb is None or end_verb.kind != "amount":
                return end_verb
        if end_verb is not None and end_verb.start == 0 and start_verb is not None:
            return end_verb  # 引进留用, 开发储备: two verbs are the whole segment, one action
        if start_verb is not None and start_verb.end < len(s):
            return start_verb
        if end_verb is not None:
            return end_verb
        after_prep = self.after_preposition(s)
        if after_prep is not None:
            return Verb(0, after_prep.end, after_prep.word, after_prep.kind, after_prep.sign,
                        after_prep.reader)
        if not first_of_clause:
            return None
        return self._inner_verb(s)

    def _inner_verb(self, s: Phrase) -> Verb | None:
        """A verb inside a statistic's name (城镇新增就业): it is the action, the whole
        phrase stays the indicator; else an unknown verb opening the segment, as jieba tags it."""
        for m in self.verb_re.finditer(s.text):
            if self.noun_ends(s.text, m.start()):
                continue
            entry = self.verbs[m.group(0)]
            word = s[m.start() : m.end()]
            # (技术转移机构: a verb right before the head noun that ends the phrase names it)
            names_head = s.text[m.end() :] in self.lex.readers.head_nouns
            if entry.kind == "amount" and m.start() > 0 and not names_head:
                return Verb(m.start(), m.end(), word, "amount_inner", entry.sign, "inner_verb")
            if m.group(0) in self.lex.possession_verbs and m.start() > 0:
                # 每千名老人拥有床位
                return Verb(m.start(), m.end(), word, "level_inner", entry.sign, "inner_verb")
        # (合作银行贷款占比: a phrase that ends with a rate noun is an indicator, not V + O.)
        noun_phrase = self._compound_at(s.text) or s.endswith(self.lex.level_nouns)
        guess = None if noun_phrase else _jieba_verb(s)
        if guess is not None and (guess.end < len(s) or len(s) <= 3):
            return guess  # (获领: a verb of its own, its object written after the number)
        return None

    # ------------------------------------------------------------------ edges
    def strip_front(self, s: Phrase) -> Phrase:
        """Drop dates, symbols, conjunctions, adverbs and modality words opening ``s``.

        >>> from targetex.resources import load
        >>> str(PhraseReaders(load()).strip_front(Phrase.of("到2025年，力争农村公路", 0, 13)))
        '农村公路'
        """
        date = self.lex.readers.date_phrase
        front, manner = self._front_words, self.lex.manner_adverbs
        symbols = self.edges + self.lex.leading_symbols
        enumerator = self.lex.readers.enumerator
        comparison = self.lex.readers.comparison_head  # 比上年预算 as a whole (not 比上年 alone)
        while True:
            m = date.match(s.text) or enumerator.match(s.text) or comparison.match(s.text)
            if m is not None and m.end() > 0:
                s = s[m.end() :]
            s = s.lstrip(symbols)
            text = s.text
            scope_end = next((w for w in self.lex.readers.scope_ends if text.startswith(w)
                              and self.verb_at(text[len(w) :])), "")
            if scope_end:  # (3年内建成…: 3年 is a quantity of its own, 内 closes its scope)
                s = s[len(scope_end) :]
                continue
            for k in reversed(self._front_word_lengths(text)):  # the longest first
                word = text[:k]
                # A manner adverb goes only before a verb or another such word (重点推进, not 重点项目).
                # (重点建设项目: 建设项目 is a noun, so 重点 is its modifier, not a manner)
                before_verb = self.verb_at(text[k:]) and not self._compound_at(text, k)
                if k == 1 and self._opens_word(text):
                    continue  # 都市圈, 各类: one character that opens a longer word is no adverb
                if word not in manner or before_verb or text[k:][:k] in front:
                    s = strip_unbalanced(s[k:].lstrip(self.edges))
                    break
            else:
                return s

    @staticmethod
    def _opens_word(text: str) -> bool:
        """The first word jieba reads in ``text`` is longer than one character (都市圈)."""
        return len(_first_word(text[:6])) > 1

    def strip_back(self, s: Phrase) -> Phrase:
        """Drop adverbs and modality words ending ``s`` (城镇调查失业率全年 → …失业率).

        >>> from targetex.resources import load
        >>> str(PhraseReaders(load()).strip_back(Phrase.of("城镇调查失业率全年", 0, 9)))
        '城镇调查失业率'
        """
        back, endings = self._back_words, self._back_endings
        while True:
            text = s.text
            longest = 0  # (the longest word that ends the text, and leaves something before it)
            for k in range(1, min(self._word_max, len(text) - 1) + 1):
                if text[-k:] not in endings:
                    break  # (no word ends with it: none longer can end the text)
                if text[-k:] in back:
                    longest = k
            if not longest:
                return s
            s = s[:-longest].rstrip(self.edges)

    def _front_word_lengths(self, text: str) -> list[int]:
        """The lengths of the words that ``strip_front`` drops (conjunctions, adverbs,
        modality words) that open ``text``, shortest first."""
        lengths = []
        for k in range(1, min(self._word_max, len(text)) + 1):
            word = text[:k]
            if word not in self._front_beginnings:
                break  # (no word opens with it: none longer can open the text)
            if word in self._front_words:
                lengths.append(k)
        return lengths

    def strip_segment(self, segment: Phrase) -> tuple[Phrase, list[Phrase] | None, str]:
        """Strip the segment's edges; read 分别 (a list of indicators whose values follow
        in order) and 各/均 (one value for each item, or for each place).

        Returns:
            ``(rest, respective indicators or None, distributive)`` where distributive is
            ``"items"``, ``"places"`` or ``""``.

        >>> from targetex.resources import load
        >>> segment = Phrase.of("工业投资、民间投资分别增长", 0, 13)
        >>> rest, items, how = PhraseReaders(load()).strip_segment(segment)
        >>> str(rest), [str(i) for i in items], how
        ('增长', ['工业投资', '民间投资'], '')
        """
        s = strip_unbalanced(segment.strip(self.edges))
        if s.text in self.lex.conjunctions:
            s = Phrase.empty()  # the bare 和 between two values of a 分别 list
        s = self.strip_front(s)
        respective: list[Phrase] | None = None
        places_word = False
        for word in self.lex.respective:
            cut = s.find(word)
            if cut > 0:
                head, tail = s[:cut], s[cut + len(word) :]
                lead = self.start_verb(head + "\0")
                attributive = self.lex.readers.attributive
                # (提供中医药服务的社区卫生服务中心、…: a verb inside a modifier with 的 stays)
                first_item = self.split_list(head)[0]
                if lead is not None and attributive not in first_item.text[lead.end :]:
                    head = head[lead.end :]
                    tail = lead.word + tail if self.leading_verb(tail) is None else tail
                items = self._share_modifier_and_relation(
                    share_head([self.clean_indicator(x) for x in self.split_list(head)]))
                if len(items) > 1:
                    respective = items
                    s = tail
                else:
                    s = head + tail  # one subject: 11个设区的市分别建设… spreads over places
                    # (a subject that names no place, 城乡低保标准分别提高到…: its own values)
                    places_word = head.strip(self.edges).endswith(self.lex.place_suffixes)
                break
        s, distributive = self._distributive(s)
        if places_word and not distributive:
            distributive = "places"
        return self.strip_back(s), respective, distributive

    def _share_modifier_and_relation(self, items: list[Phrase]) -> list[Phrase]:
        """A modifier with 的 on the first item and a relation written on the last (占…比例)
        belong to every item: 提供中医药服务的乡镇卫生院、社区卫生服务站占同类机构比例 →
        提供中医药服务的乡镇卫生院占同类机构比例, 提供中医药服务的社区卫生服务站占同类机构比例.

        >>> from targetex.resources import load
        >>> s = "开展服务的卫生院、服务站占机构比例"
        >>> items = [Phrase.of(s, 0, 8), Phrase.of(s, 9, 17)]
        >>> [str(p) for p in PhraseReaders(load())._share_modifier_and_relation(items)]
        ['开展服务的卫生院占机构比例', '开展服务的服务站占机构比例']
        """
        if len(items) < 2:
            return items
        attributive = self.lex.readers.attributive
        first, last = items[0], items[-1]
        cut = first.rfind(attributive)
        modifier = first[: cut + 1] if cut > 0 and all(attributive not in i.text for i in items[1:]) else None
        at = next((last.find(r) for r in self.lex.readers.relation_words if last.find(r) > 0), -1)
        relation = last[at:] if at > 0 and all(last.text[at:] not in i.text for i in items[:-1]) else None
        out = []
        for i, item in enumerate(items):
            if modifier is not None and i > 0:
                item = modifier + item
            if relation is not None and i < len(items) - 1:
                item = item + relation
            out.append(item)
        return out

    def _distributive(self, s: Phrase) -> tuple[Phrase, str]:
        verb = self.end_verb(s)  # (the same for every word)
        for word in self.lex.distributive:
            if s.endswith(word) and len(s) > len(word) and not s.endswith(self.lex.distributive_exceptions):
                return s[: -len(word)], "items"  # 新创建A和B各1个
            if verb is not None and s.text[: verb.start].endswith(word) and not s.text[: verb.start].endswith(
                self.lex.distributive_exceptions
            ):
                # A和B均达到45%: the list names indicators; X、Y各建设1条: it names places.
                spread = "places" if verb.kind == "amount" else "items"
                return s[: verb.start - len(word)] + s[verb.start :], spread
        return s, ""

    # ------------------------------------------------------------------ indicators
    def clean_indicator(self, s: Phrase) -> Phrase:
        """An indicator without dates, adverbs, light verbs, baselines, comparison bases
        and places that only say where.

        >>> from targetex.resources import load
        >>> r = PhraseReaders(load())
        >>> str(r.clean_indicator(Phrase.of("研发费用加计扣除比例从75%", 0, 14)))
        '研发费用加计扣除比例'
        >>> str(r.clean_indicator(Phrase.of("河北省奶牛存栏", 0, 7)))
        '奶牛存栏'
        """
        words = self.lex.readers
        s = strip_unbalanced(s.strip(self.edges + words.attributive))
        reported = words.reporting_head.match(s.text)
        if reported is not None and len(s) - reported.end() >= 2:
            s = s[reported.end() :]  # (中央提出今年经济增长…: what was decided, not who decided it)
        s = self.drop_examples(self.strip_front(s).lstrip(words.attributive))  # (2000年以前的…)
        for word in self.lex.light_verbs if s.text.startswith(self.lex.light_verbs) else ():
            if s.startswith(word) and len(s) > len(word) + 1:
                s = self.strip_front(s[len(word) :])
                break
        # A baseline written before the predicate: "加计扣除比例从75%" keeps the indicator.
        s = cut_match(s, words.baseline_tail)
        s = cut_match(s, words.comparison_head)
        s = cut_match(s, words.comparison_tail)
        basis = words.on_basis.match(s.text) or words.within.match(s.text)
        if basis is not None:
            s = s[basis.start(1) : basis.end(1)]
        s = self.strip_back(s)
        while s.endswith(words.attributive) and len(s) > 1:
            s = s[:-1]
        if s.endswith(words.trailing_copulas) and len(s) > 2:
            s = self.strip_back(s[:-1])  # 增长目标为 / 增长率在
        return self.drop_place(strip_unbalanced(s.strip(self.edges)))

    def drop_examples(self, s: Phrase) -> Phrase:
        """The head after a list of examples closed by 等 (城市燃气、供水、排水等老化管网 →
        老化管网), else ``s``.

        >>> from targetex.resources import load
        >>> r = PhraseReaders(load())
        >>> str(r.drop_examples(Phrase.of("“春风行动”“招聘月”等各类招聘活动", 0, 19)))
        '招聘活动'
        >>> str(r.drop_examples(Phrase.of("高等院校", 0, 4)))
        '高等院校'
        >>> str(r.drop_examples(Phrase.of("三公经费等支出", 0, 7)))
        '三公经费等支出'
        """
        words = self.lex.readers
        at = s.text.rfind(words.etc)
        if at <= 0:
            return s
        head, tail = s.text[:at], s[at + len(words.etc) :]
        listed = "、" in head or head.endswith(("”", '"', "）", ")"))  # (a list, or quoted names)
        if not listed or tail.startswith(words.etc_not_before):
            return s
        for follower in words.etc_followers:
            if tail.startswith(follower):
                tail = tail[len(follower) :]
                break
        # (a head of two characters is too general to stand alone: 等支出, 等设施; a list
        # inside a modifier, 提供照料、护理等服务的设施, is the modifier's)
        return tail if len(tail) > 2 and words.attributive not in tail.text else s

    def drop_place(self, indicator: Phrase) -> Phrase:
        """Drop a place name that only says where (河北省奶牛存栏 → 奶牛存栏); keep one that
        defines what is counted (宁波市级…, 市本级…) and a place that is all there is."""
        if len(indicator) < 5:
            return indicator
        classes = _classes()
        place = classes.first(indicator.text, classes.places)
        if len(place) < 3 or not place.endswith(self.lex.readers.administrative_suffixes):
            return indicator  # (城市 is not a place name)
        rest = indicator[len(place) :]
        if not rest or rest.text[0] in self.lex.readers.place_keepers or len(rest) < 2:
            return indicator
        return rest

    def split_list(self, s: Phrase) -> list[Phrase]:
        """The items of a list of indicators (A、B和C).

        >>> from targetex.resources import load
        >>> [str(p) for p in PhraseReaders(load()).split_list(Phrase.of("耕地、林地和草地", 0, 8))]
        ['耕地', '林地', '草地']
        """
        parts: list[Phrase] = []
        pos = 0
        for m in self._list_re.finditer(s.text):
            if _inside_brackets(s.text, m.start()):
                continue  # 省级创新型县（市、区）: the list inside the brackets is one item's
            if m.start() > pos:
                parts.append(s[pos : m.start()])
            pos = m.end()
        if pos < len(s):
            parts.append(s[pos:])
        return parts or [s]

    def distribute(self, indicator: Phrase) -> list[Phrase]:
        """One indicator per item of a list that shares one value (A和B各1个)."""
        items = share_head([i for i in self.split_list(indicator) if i])
        return items if len(items) > 1 else [indicator]

    def right_indicator(self, text: str, q: Quantity) -> tuple[Phrase, int]:
        """The noun written after the number (新增70家高新技术企业), and where it ends.

        >>> from targetex.resources import load
        >>> from targetex.quantities import finder
        >>> text = "新增70家高新技术企业，"
        >>> q = finder().scan(text)[0].quantity
        >>> noun, end = PhraseReaders(load()).right_indicator(text, q)
        >>> str(noun), end
        ('高新技术企业', 11)
        """
        pos = self._past_aside(text, q.context_end)
        end = pos
        limit = min(len(text), pos + 56)
        clause_end = end_of_clause(text, pos, limit)
        # 1个技术、设备、产品高端的现代奶业产业园, 1个100平方米以上的老年人活动站点: a
        # modifier with 的 may hold a list or a number; the head noun follows the last 的.
        attributive = self.lex.readers.attributive
        lead = 1 if text.startswith(attributive, pos) else 0  # 90%的研发投入: the noun after 的
        share = q.unit in self.lex.readers.share_units
        has_modifier = attributive in text[pos + lead : clause_end]
        stops = CLAUSE_END + ("" if has_modifier else "、")
        # 15个数控化率提升5%以上的产业集群: verbs inside a modifier that a 的 closes do not end
        # the noun (a 的 right after the number is a share's, not a modifier's).
        # (12张名片等景观区域和24条主要道路的…: a list of counts ends the first noun)
        next_item = _NEXT_COUNTED_ITEM.search(text, pos, clause_end)
        item_end = next_item.start() if next_item else clause_end
        in_modifier_until = text.rfind(attributive, pos, item_end) if has_modifier and not lead else -1
        if text.startswith("“", pos):  # 100个“5G+工业互联网”典型案例: a quoted name is one word
            closing = text.find("”", pos, limit)
            end = closing + 1 if closing > 0 else end
        scope = _SCOPE_BOUND.match(text, pos, limit)
        if scope is not None:  # 2.5万名65岁及以上失能老年人, 1个400亿级…: a bound or a class opens the noun
            end = scope.end()
        end = self._noun_end(text, pos, end, limit, stops, has_modifier, in_modifier_until,
                             bool(lead) and share, clause_end)
        item = pos
        while self._shared_modifier(text, item, end, clause_end):
            item = end + 1  # 行业型、专业型、区域型工业互联网平台: modifiers of one head noun
            end = self._noun_end(text, item, item, limit, stops, has_modifier, in_modifier_until,
                                 bool(lead) and share, clause_end)
        phrase = Phrase.of(text, pos, end).lstrip(" " + attributive)
        # (1个100平方米以上的老年人活动站点: a measured modifier closed by 的 opens the noun)
        measured = phrase.text[:1].isdigit() and attributive in phrase.text
        opens_well = (_CJK.match(phrase.text[:1]) or (phrase.text[:1] in "“\"" and len(phrase) > 2) or scope
                      or measured)
        if not phrase or not opens_well:
            return Phrase.empty(), pos
        located = phrase.startswith(self.lex.prepositions)
        if attributive in phrase:
            # A modifier with 的 defines what is counted and stays (网络改造应用良好的企业,
            # 100平方米以上的活动站点); one that lists qualities (技术、设备、产品高端的…) or
            # says where (在国内具有较强影响力的…) gives way to its head noun.
            cut = phrase.rfind(attributive)
            if located or "、" in phrase.text[:cut]:
                phrase = phrase[cut + 1 :] or phrase
        elif located:
            return Phrase.empty(), pos
        return self.clean_indicator(phrase), end

    def _noun_end(self, text: str, pos: int, end: int, limit: int, stops: str, has_modifier: bool,
                  in_modifier_until: int, share_noun: bool, clause_end: int) -> int:
        """Where the noun that starts at ``pos`` after a number ends (scanning from ``end``):
        at a stop character, a number, a predicate opener, a verb of change or level that
        does not end a noun, a light verb, a predicate after a head noun, or (for the noun
        of a share, ``share_noun``) a verb of where; never inside a modifier that a 的 at
        ``in_modifier_until`` closes."""
        while end < limit and not (text[end].isdigit() and not has_modifier):
            if text[end] in stops and not (text[end] == "、" and _inside_brackets(text[pos:end], end - pos)):
                break  # (县（市、区）: a 、 inside brackets does not end the noun)
            if end > pos and text[end] in "(（" and _aside_with_number(text, end):
                break  # 3所学校（总投资2亿元）: an aside with a number of its own ends the noun
            if end < in_modifier_until:
                if end > pos + 1 and self._predicate_after_head(text, pos, end, clause_end):
                    break  # 为61万名孕妇免费提供…的产前筛查: a predicate, not a modifier, follows
                end += 1
                continue
            if end > pos and text.startswith(self.lex.predicate_openers, end):
                break
            if end > pos + 1 and text.startswith(self._inner_change_level, end) and not self.noun_ends(
                text[pos : end + 4], end - pos
            ):
                break  # 80%的区(县级市)达到…: the verb ends the noun
            if text[end] in self.lex.readers.coordinators and end + 1 < limit and (
                    text[end + 1].isdigit() or text[end + 1] in _small_numerals()
                    or _BASIS_THEN_NUMBER.match(text, end + 1)):
                break  # (…综合医院和一所…, …860元和每人每月720元: the next item of a list)
            if end > pos and text.startswith(self.lex.light_verbs, end):
                break
            if share_noun and end > pos + 2 and self._verb_of_where(text, end):
                break  # 90%的研发投入出自企业: a verb of where ends the noun of a share
            if end > pos + 1 and self._predicate_after_head(text, pos, end, clause_end):
                break
            end += 1
        return end

    def _shared_modifier(self, text: str, start: int, end: int, clause_end: int) -> bool:
        """Whether ``text[start:end]`` is a short modifier followed by 、 and another item
        in Chinese (not a count): one of a list of modifiers of the head noun that ends the
        list (跨部门、跨层级数据共享平台)."""
        words = self.lex.readers
        piece = text[start:end]
        if not piece or len(piece) > words.shared_modifier_max or end + 1 >= clause_end \
                or text[end] != "、" or not _CJK.match(text, end + 1) or text[end + 1] in _small_numerals():
            return False
        return piece.endswith(words.shared_modifier_suffixes) \
            or piece.startswith(words.shared_modifier_prefixes)

    @staticmethod
    def _past_aside(text: str, pos: int) -> int:
        """Where the noun after a number starts, past a short bracketed aside (新增2400户（累计
        约3600户）大中型餐饮单位) or past the bracket that closes around the number itself."""
        if text.startswith(("（", "("), pos):
            close = _BRACKET_CLOSE.search(text, pos, pos + 24)
            if close is not None and _CJK.match(text, close.end()):
                return close.end()
        elif text.startswith(("）", ")"), pos) and _CJK.match(text, pos + 1):
            return pos + 1
        return pos

    def _predicate_after_head(self, text: str, pos: int, end: int, clause_end: int) -> bool:
        """A predicate starts at ``end`` after a head noun: 乡镇中心幼儿园|构建…机制,
        专家|到县级医院, 新生儿|免费提供 (not 改造 in 智能化改造项目: no head before it)."""
        words = self.lex.readers
        if not text[pos:end].endswith(words.head_nouns) or end >= clause_end - 1:
            return False
        # The first word after the head, as jieba cuts it (应 opens 应用, not a modal).
        window = text[end:clause_end]
        if not self._may_open_predicate(window):
            return False
        first = next(iter(_tokenizer().cut(window, HMM=False)), "")
        if first in words.predicate_after_head:
            return True
        classes = _classes()
        rest = window[len(first) :].rstrip()
        opens_object = len(rest) >= 2 and rest[0] not in words.list_separators + words.coordinators
        if len(first) > 1 and first in classes.adverbs:
            return opens_object  # 新生儿|免费提供 (not 幼儿园|共同体)
        if len(first) < 2 or first not in classes.pure_verbs:
            return False
        if not rest:
            return True  # 30个重点建设项目|开工。: an intransitive predicate ends the clause
        return opens_object and len(rest) >= 4 and not rest.endswith(words.head_nouns)

    def _may_open_predicate(self, window: str) -> bool:
        """Whether jieba's first word of ``window`` may be one that opens a predicate (a word
        of ``predicate_after_head``, or an adverb or verb of two characters or more).

        Cutting costs far more than looking: for a window that opens with a Chinese
        character, jieba's first word is its first character or a word of its dictionary
        that opens the window (a prefix with a frequency), and when none of these is such a
        word, no cutting is needed to know it."""
        if not "\u4e00" <= window[:1] <= "\u9fd5":
            return True  # (jieba reads digits, letters and symbols otherwise)
        opening = self.lex.readers.predicate_after_head
        if window[:1] in opening:
            return True
        frequencies = _tokenizer().FREQ
        classes = _classes()
        for size in range(2, len(window) + 1):
            word = window[:size]
            if word not in frequencies:
                return False  # (no word of the dictionary opens with it: jieba stops here)
            chosen = frequencies[word] > 0  # (a prefix of longer words only is never chosen)
            if chosen and (word in opening or word in classes.adverbs or word in classes.pure_verbs):
                return True
        return False

    def verb_after_object(self, text: str, pos: int) -> Phrase:
        """The verb written right after an object, past an adverb (新生儿|免费提供): a verb
        of the lexicon, a light verb, or a verb of jieba's dictionary; else empty.

        >>> from targetex.resources import load
        >>> str(PhraseReaders(load()).verb_after_object("1万家企业开展技术改造", 5))
        '开展'
        """
        # Two words are read, so a window of a few words is enough (a clause without
        # punctuation may run on for pages: jieba over all of it for each number was quadratic).
        end = end_of_clause(text, pos, pos + _WORD_WINDOW)
        words = list(_tokenizer().cut(text[pos:end], HMM=False))[:2]
        classes = _classes()
        manners = self.lex.readers.predicate_after_head
        manner = bool(words) and (words[0] in classes.adverbs or words[0] in manners)
        if len(words) == 2 and len(words[0]) > 1 and manner:
            pos, words = pos + len(words[0]), words[1:]
        first = words[0] if words else ""
        known = first in self.verbs or first in self.lex.light_verbs
        if len(first) > 1 and (known or first in classes.pure_verbs):
            return Phrase.of(text, pos, pos + len(first))
        return Phrase.empty()

    def topic(self, text: str, s_start: int, clause_start: int) -> Phrase:
        """An indicator named in an earlier clause of the sentence (坝上地区重点扩大优质牧草
        种植面积，…，到2022年达到78万亩): the nearest clause ending with a level noun, else
        the sentence's first clause, without its verbs and adverbs.  A clause that frames the
        sentence (按照国家要求，…) is never the topic."""
        framing = self.lex.readers.framing_prepositions
        clauses = [c for c in split_clauses(text, s_start, clause_start) if c.end <= clause_start
                   and not text[c.start : c.end].lstrip(self.edges).startswith(framing)]
        if not clauses:
            return Phrase.empty()
        chosen = next((c for c in reversed(clauses)
                       if text[c.start : c.end].strip(self.edges).endswith(self.lex.level_nouns)), clauses[0])
        phrase = Phrase.of(text, chosen.start, chosen.end).strip(self.edges)
        # (a clause with a number has a quantity of its own; a date, 2000年以前, is none)
        if any(ch.isdigit() for ch in self.lex.date_regex.sub("", phrase.text)):
            return Phrase.empty()
        # 对…城镇老旧小区实施综合改造: the thing is what stands before the light verb, after the
        # preposition that introduces it
        cut = min((at for at in (phrase.find(w) for w in self.lex.light_verbs) if at >= 2), default=-1)
        opener = next((p for p in self.lex.prepositions if phrase.startswith(p)), "")
        if cut > len(opener) + 1 and opener:
            phrase = phrase[len(opener) : cut]
        for word in (*self.inner_verbs, *self.lex.light_verbs, *self.lex.adverbs):
            if len(word) >= 2:
                phrase = phrase.replace(word)
        return self.clean_indicator(phrase)

    def clause_before(self, text: str, s_start: int, clause_start: int, rate: str) -> Phrase:
        """What the clause right before ``clause_start`` is about, for the rate noun ``rate``
        (为全区适龄女孩免费接种HPV疫苗 → 全区适龄女孩免费HPV疫苗): the clause without its verbs,
        its opening adverbs and the word naming whom it serves, and without the rate's verb when it
        closes the clause (设施向社会开放 for 开放率 → 设施); empty when it frames the
        sentence."""
        clauses = [c for c in split_clauses(text, s_start, clause_start) if c.end <= clause_start]
        if not clauses:
            return Phrase.empty()
        phrase = Phrase.of(text, clauses[-1].start, clauses[-1].end).strip(self.edges)
        if phrase.startswith(self.lex.readers.framing_prepositions):
            return Phrase.empty()
        stem = rate[:-1] if len(rate) == 3 else ""
        if stem and phrase.endswith(stem) and len(phrase) > len(stem):
            phrase = phrase[: len(phrase) - len(stem)]
            at = max(phrase.rfind(p) for p in self.lex.readers.served_openers)
            phrase = phrase[:at] if at > 0 else phrase
        phrase = self.strip_front(phrase)
        opener = next((w for w in self.lex.readers.served_openers if phrase.startswith(w)), "")
        phrase = phrase[len(opener) :]
        for word in (*self.inner_verbs, *self.lex.light_verbs):  # (adverbs went with the front:
            if len(word) >= 2:                                    # 以上 in 65岁以上 stays)
                phrase = phrase.replace(word)
        return self.clean_indicator(phrase)

    def investment_object(self, text: str, q: Quantity) -> Phrase:
        """What an investment is for: the object of the clause after the amount
        (投资5000万元,提升改造低等级公路40公里 → 低等级公路)."""
        pos = q.context_end
        if text[pos : pos + 1] in ",，":
            pos += 1
        end = end_of_clause(text, pos, pos + _SEGMENT_LIMIT)
        if text.startswith((self.lex.readers.breakdown, "每"), pos):
            # (…1200亿元以上，其中产业项目占比…: a part of it; …，每个市场配备…: a provision
            # per unit; neither says what the money is for)
            return Phrase.empty()
        digit = _FIRST_DIGIT.search(text, pos, end)
        if any(verb in text[pos : digit.start() if digit else end] for verb in self.lex.investment_verbs) \
                or self.lex.readers.comparison_head.match(text[pos : pos + 30]):
            # (总投资586亿元，年度计划投资152亿元: another figure of the money; …，比2025年增长
            # 18.6%: how it compares)
            return Phrase.empty()
        phrase = self.strip_front(Phrase.of(text, pos, end).strip(self.edges))
        verb = self.after_preposition(phrase) or self.start_verb(phrase)
        if verb is not None and verb.end < len(phrase):
            phrase = phrase[verb.end :]
        # 修建A、B、C3个停车场 / 全面建成33公里绿色出行通道: the noun after the last count;
        # 提升改造低等级公路40公里: the noun before it.
        counts = list(self._count_re.finditer(phrase.text))
        if counts:
            after_count = phrase[counts[-1].end() :].lstrip(self.lex.readers.attributive)
            cut = self._object_split.search(after_count.text)
            after_count = after_count[: cut.start()] if cut is not None else after_count
            return self.clean_indicator(after_count or phrase[: counts[0].start()])
        first = phrase.find("、")
        return self.clean_indicator(phrase[:first] if first != -1 else phrase)

    def _verb_of_where(self, text: str, at: int) -> bool:
        """A verb at ``at`` that says where or whence (出自, 建在, 集中在, 用于)."""
        return text.startswith(self.lex.readers.where_verbs, at)

    # ------------------------------------------------------------------ kind, bounds, firmness
    def kind(self, kind_word: str, indicator: Phrase, q: Quantity) -> Kind:
        """The kind of a target from its verb's kind, else from its unit and indicator.

        >>> from targetex.resources import load
        >>> from targetex.quantities import parse_quantity
        >>> PhraseReaders(load()).kind("", Phrase.synthetic("覆盖率"), parse_quantity("90%")).value
        'level'
        """
        share = q.unit in self.lex.readers.share_units
        if kind_word == "amount_inner":
            # 城镇新增就业 counts what is done; 建设达标率 is a rate, a level to reach.
            return Kind.LEVEL if share and indicator.endswith(self.lex.level_nouns) else Kind.AMOUNT
        if kind_word == "amount" and share:
            return Kind.LEVEL  # 覆盖85%以上县: a share reached, not an amount done
        if kind_word == "level_inner":
            return Kind.LEVEL
        if kind_word:
            return _KINDS[kind_word]
        if q.unit in ("percent", "percentage_point"):
            return Kind.LEVEL  # a rate with no verb is the rate to reach
        if indicator.endswith(self.lex.level_nouns) or any(
            w in indicator.text for w in self.lex.time_indicators
        ):
            return Kind.LEVEL
        activity = (q.unit in self.lex.readers.activity_count_units
                    or q.classifier in self.lex.readers.activity_classifiers)
        if q.unit in self._currencies and indicator.endswith(self.lex.readers.fund_nouns):
            return Kind.AMOUNT  # 到位资金不低于80亿元: funds raised or spent, whatever bounds them
        if q.comparator in _BOUNDS and not activity:
            return Kind.LEVEL  # 能耗增量不超过5万吨标准煤, 机构超过10个: with no verb, a bound sets a level
        return Kind.AMOUNT

    def comparator_of(self, q: Quantity, segment: Phrase) -> Comparator:
        """The quantity's comparator, or the one that opens a denominator with 的
        (不低于居住用地供应总量的70% gives ``>=``)."""
        if (q.comparator is not Comparator.EQ or not segment.endswith(self.lex.readers.attributive)
                or q.unit not in self.lex.readers.share_units):
            return q.comparator  # (only a share has a denominator: 超1000亿元的20家 is not one)
        best, best_end = None, -1
        for word in self.comparator_words:  # longest first: 不低于 before 低于
            at = segment.rfind(word)
            if at != -1 and at + len(word) > best_end:
                best, best_end = word, at + len(word)
        return Comparator(self.lex.comparator_prefix[best]) if best is not None else q.comparator

    def modality_of(self, text: str, start: int, end: int) -> Modality:
        """The modality of the last modality cue in ``text[start:end]`` (力争, 确保), else plain.

        >>> from targetex.resources import load
        >>> PhraseReaders(load()).modality_of("力争新增企业上市2家", 0, 8).value
        'strive'
        """
        found = None
        for m in self._modality_re.finditer(text, start, end):
            found = m.group(0)
        return _MODALITIES[self.lex.modality[found]] if found else Modality.PLAIN


    def sentence_modality(self, text: str, s_start: int, clause_start: int) -> Modality:
        """The modality of a sentence that opens with a modality word and a time alone
        (力争到2025年，全市…达到500家，…): it governs every clause after it.

        >>> from targetex.resources import load
        >>> text = "力争到2025年，高新技术企业达到500家"
        >>> PhraseReaders(load()).sentence_modality(text, 0, 10).value
        'strive'
        """
        # (read no further than the clause: a sentence may run on for pages without a comma)
        first = _FIRST_CLAUSE.match(text, s_start, clause_start)
        if first is None:
            return Modality.PLAIN
        opening = strip_unbalanced(Phrase.of(text, s_start, first.end())).text.lstrip(self.edges)
        cue = self._modality_re.match(opening)
        if cue is None:
            return Modality.PLAIN
        rest = opening[cue.end() :]
        date = self.lex.readers.date_phrase.match(rest)
        if date is None or rest[date.end() :].strip(self.edges):
            return Modality.PLAIN
        return Modality(self.lex.modality[cue.group(0)])


_FIRST_DIGIT = re.compile(r"\d")
_SEGMENT_LIMIT = 120
# Characters of the text jieba reads to find the first words after a position.
_WORD_WINDOW = 40
_FIRST_CLAUSE = re.compile(r"[^,，;；:：。]*[,，]")
_BOUNDS = frozenset({Comparator.GE, Comparator.GT, Comparator.LE, Comparator.LT})
# Members by value (a look-up here is ten times cheaper than ``Kind(value)``).
_KINDS = {k.value: k for k in Kind}
_MODALITIES = {m.value: m for m in Modality}
_UNSEEN: Any = object()
_BRACKETS = frozenset("()（）")


@functools.cache
def _small_numerals() -> frozenset[str]:
    """The one-character Chinese numerals of the numeral grammar (digits and 十) that may open
    the next item of a list of counts (…和三座…)."""
    g = grammar()
    tens = (ch for ch, value in g.units.items() if value == 10)
    return frozenset([*(ch for ch in g.digits if not ch.isdigit()), *tens])


def cut_match(s: Phrase, pattern: re.Pattern[str]) -> Phrase:
    """``s`` without the (edge-anchored) match of ``pattern``."""
    m = pattern.search(s.text)
    if m is None or m.end() == m.start():
        return s
    return s[: m.start()] + s[m.end() :]


def share_head(items: list[Phrase]) -> list[Phrase]:
    """Give list items the head noun written only on the last one: 城镇和农村居民人均可支配
    收入 → 城镇居民人均可支配收入; 省级、市级研发机构 → 省级研发机构; 城乡居民医保和职工
    医保参保率 → 城乡居民医保参保率; 电子、装备两大集群收入 → 电子集群收入 (a count of the
    items, 两大, before the noun they share).

    >>> items = [Phrase.of("省级、市级研发机构", 0, 2), Phrase.of("省级、市级研发机构", 3, 9)]
    >>> [str(p) for p in share_head(items)]
    ['省级研发机构', '市级研发机构']
    >>> items = [Phrase.of("电子、装备两大集群收入", 0, 2), Phrase.of("电子、装备两大集群收入", 3, 11)]
    >>> [str(p) for p in share_head(items)]
    ['电子集群收入', '装备集群收入']
    """
    if len(items) < 2:
        return items
    last = items[-1]
    group = _GROUP_COUNT.search(last.text)
    if group is not None and group.start() > 0 and group.end() < len(last):
        # 电子信息、新能源装备两大产业集群营业收入: the noun after 两大 is every item's head
        head = last[group.end() :]
        return [item + head for item in items[:-1]] + [last[: group.start()] + head]
    out = []
    for item in items[:-1]:
        if not item or len(item) >= len(last) or item.text[-1:] == last.text[-1:]:
            out.append(item)
            continue
        head = Phrase.empty()
        for k in range(min(len(item), 3), 0, -1):  # a shared word: 医保 … 医保参保率
            at = last.find(item.text[-k:])
            if at != -1 and at + k < len(last):
                head = last[at + k :]
                break
        if not head and len(item) <= 2:
            head = last[len(item) :]  # parallel modifiers: 城镇 | 农村 居民人均可支配收入
        out.append(item + head)
    return [*out, last]


# A count of the items of a list before their shared noun (两大产业集群, 三类企业)
_GROUP_COUNT = re.compile(r"[两二三四五六七八九十]+(?:大|类|个|项|家)(?=[\u4e00-\u9fff]{2})")


# A rate basis right before a number (每人每月720元): the next value of a list, not a noun.
_BASIS_THEN_NUMBER = re.compile(r"每[\u4e00-\u9fff]{1,6}?\d")


def _aside_with_number(text: str, opening: int) -> bool:
    """The bracket opening at ``opening`` closes within 30 characters and holds a digit:
    an aside with a quantity of its own (（总投资2亿元）, （长52公里）), not part of a name."""
    close = _BRACKET_CLOSE.search(text, opening, opening + 30)
    return close is not None and any(ch.isdigit() for ch in text[opening : close.start()])


def _inside_brackets(text: str, at: int) -> bool:
    """``text[at]`` stands inside an open bracket."""
    before = text[:at]
    return before.count("（") + before.count("(") > before.count("）") + before.count(")")


def strip_unbalanced(s: Phrase) -> Phrase:
    """Drop brackets at the edges that have no partner (``七)新创`` → ``新创``).

    >>> str(strip_unbalanced(Phrase.of("七)新创", 1, 5)))
    '新创'
    """
    text = s.text
    if text[:1] not in _BRACKETS and text[-1:] not in _BRACKETS:
        return s  # (the usual case: no bracket at either edge)
    start, end = 0, len(text)

    def unpaired_open(ch: str) -> bool:  # more of this opening bracket than of its partner
        return text.count(ch, start, end) > text.count(")）"[ch == "（"], start, end)

    def unpaired_close(ch: str) -> bool:
        return text.count(ch, start, end) > text.count("(（"[ch == "）"], start, end)

    while start < end and text[start] in "()（）" and (text[start] in ")）" or unpaired_open(text[start])):
        start += 1
    while end > start and text[end - 1] in "()（）" and (
        text[end - 1] in "(（" or unpaired_close(text[end - 1])
    ):
        end -= 1
    return s[start:end] if (start, end) != (0, len(text)) else s


@functools.cache
def _tokenizer() -> Any:
    from targetex.words import tokenizer

    return tokenizer()


@functools.cache
def _classes() -> Any:
    from targetex.words import word_classes

    return word_classes()


def is_manner(prefix: str) -> bool:
    """Whether ``prefix`` is one adverb or verb of manner (自主, 规划) in jieba's dictionary."""
    if not prefix or len(prefix) > 4:
        return False
    classes = _classes()
    return prefix in classes.verbs or prefix in classes.adverbs


def dictionary_end_verb(s: Phrase) -> Verb | None:
    """The last word of ``s`` if jieba's dictionary has it as a pure verb the lexicon lacks
    (每年分领域发布|100个场景清单, 重点支持|8条商业街区): the caller uses it only when a noun
    follows the number, its object (alone, 就业 or 产能 would be read as verbs).

    >>> str(dictionary_end_verb(Phrase.of("每年分领域发布", 0, 7)).word)
    '发布'
    """
    for k in (3, 2):
        if len(s) >= k and s.text[-k:] in _classes().pure_verbs:
            return Verb(len(s) - k, len(s), s[len(s) - k :], "amount", 1, "dictionary_end_verb")
    return None


@functools.lru_cache(maxsize=4096)
def _first_word(window: str) -> str:
    """The first word jieba reads in ``window`` (a short window: the same ones come again)."""
    return next(iter(_tokenizer().cut(window, HMM=False)), "")


def _jieba_verb(s: Phrase) -> Verb | None:
    """The first word of ``s`` if jieba's dictionary has it as a verb (verbs the lexicon
    lacks)."""
    if len(s) < 2:
        return None
    word = _classes().first(s.text, _classes().verbs)
    if len(word) >= 2 and word not in _classes().places:  # (保定 is a city before it is a verb)
        # (综合保税区: a verb that opens a longer word of the dictionary is no verb there)
        if len(_first_word(s.text[:8])) <= len(word):
            return Verb(0, len(word), s[: len(word)], "amount", 1, "dictionary_verb")
    return None
