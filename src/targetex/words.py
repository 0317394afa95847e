"""Word segmentation through a private jieba ``Tokenizer`` loaded with the policy dictionary.

The global ``jieba`` module is never touched: other code in the same process (spaCy's
Chinese tokenizer among it) keeps its own dictionary and results.  The tokenizer is built
lazily, on the first call that needs words, so ``import targetex`` stays cheap.
"""

from __future__ import annotations

import functools
import logging
from importlib import resources
from typing import Any

__all__ = ["new_tokenizer", "pos_tokenizer", "tokenizer"]

USER_DICT = "userdict.txt"


def new_tokenizer(*user_dicts: str) -> Any:
    """A private ``jieba.Tokenizer`` with jieba's dictionary, ``models/userdict.txt`` and
    ``user_dicts`` loaded.

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
