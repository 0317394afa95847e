"""Word segmentation through a private jieba ``Tokenizer`` loaded with the policy dictionary.

The global ``jieba`` module is never touched: other code in the same process (spaCy's
Chinese tokenizer among it) keeps its own dictionary and results.  The tokenizer is built
lazily, on the first call that needs words, so ``import targetex`` stays cheap.
"""

from __future__ import annotations

import functools
import io
import logging
from dataclasses import dataclass
from importlib import resources
from typing import Any

from targetex.resources import load

__all__ = ["WordClasses", "new_tokenizer", "pos_tokenizer", "tokenizer", "word_classes"]

USER_DICT = "userdict.txt"
#: jieba frequency of the unit words (the weight of the user dictionary's own entries).
UNIT_WORD_FREQ = 1000


def new_tokenizer(*user_dicts: str) -> Any:
    """A private ``jieba.Tokenizer`` with jieba's dictionary, ``models/userdict.txt``, the
    unit words of ``models/units.toml`` and ``user_dicts`` loaded.

    The prefix dictionary is built in memory: ``Tokenizer.initialize`` would write a cache
    file to the temporary directory, and targetex writes nothing but what the user asks
    for (building it takes as long as loading the cache).
    """
    import jieba

    tok = jieba.Tokenizer()
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.WARNING)  # jieba announces its dictionary work on stderr
    try:
        with tok.lock:
            tok.FREQ, tok.total = tok.gen_pfdict(tok.get_dict_file())
            tok.initialized = True
        with resources.as_file(resources.files("targetex.models").joinpath(USER_DICT)) as path:
            tok.load_userdict(str(path))
        for word in load().unit_table.tokenizer_words:
            tok.add_word(word, UNIT_WORD_FREQ, "q")
        for user_dict in user_dicts:
            tok.load_userdict(user_dict)
    finally:
        logger.setLevel(level)
    return tok


@functools.cache
def tokenizer() -> Any:
    """The shared private ``jieba.Tokenizer`` with ``models/userdict.txt`` loaded."""
    return new_tokenizer()


@functools.cache
def pos_tokenizer() -> Any:
    """A part-of-speech tokenizer (``jieba.posseg``) over the private tokenizer."""
    from jieba import posseg

    return posseg.POSTokenizer(tokenizer())


@dataclass(frozen=True)
class WordClasses:
    """Words of jieba's dictionary by part of speech, for the few classes targetex needs.

    The target stage asks only "is this word a verb / an adverb / a place name?" about the
    first word of a short phrase; a set look-up answers that without building jieba's
    prefix dictionary and POS tables (about 180 MB), so extraction stays small and fast.
    """

    verbs: frozenset[str]
    pure_verbs: frozenset[str]  # tagged v only (not vn: 管理, 服务 are nouns as often as verbs)
    adverbs: frozenset[str]
    places: frozenset[str]
    longest: int

    def first(self, phrase: str, words: frozenset[str]) -> str:
        """The longest word of ``words`` that ``phrase`` starts with, or ``""``."""
        for k in range(min(self.longest, len(phrase)), 0, -1):
            if phrase[:k] in words:
                return phrase[:k]
        return ""


@functools.cache
def word_classes() -> WordClasses:
    """Verbs (v, vn), adverbs (d) and place names (ns) of jieba's dictionary, read once."""
    import jieba

    verbs: set[str] = set()
    pure_verbs: set[str] = set()
    adverbs: set[str] = set()
    places: set[str] = set()
    longest = 1
    with io.TextIOWrapper(jieba.Tokenizer().get_dict_file(), encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) != 3:
                continue
            word, _, tag = parts
            if tag in ("v", "vn"):
                verbs.add(word)
                if tag == "v":
                    pure_verbs.add(word)
            elif tag == "d":
                adverbs.add(word)
            elif tag == "ns":
                places.add(word)
            else:
                continue
            longest = max(longest, len(word))
    return WordClasses(frozenset(verbs), frozenset(pure_verbs), frozenset(adverbs), frozenset(places),
                       min(longest, 8))
