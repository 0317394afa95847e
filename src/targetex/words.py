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

__all__ = ["pos_tokenizer", "tokenizer"]

USER_DICT = "userdict.txt"


@functools.cache
def tokenizer() -> Any:
    """The shared private ``jieba.Tokenizer`` with ``models/userdict.txt`` loaded."""
    import jieba

    tok = jieba.Tokenizer()
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.WARNING)  # jieba announces its dictionary load on stderr
    try:
        tok.initialize()
        with resources.as_file(resources.files("targetex.models").joinpath(USER_DICT)) as path:
            tok.load_userdict(str(path))
    finally:
        logger.setLevel(level)
    return tok


@functools.cache
def pos_tokenizer() -> Any:
    """A part-of-speech tokenizer (``jieba.posseg``) over the private tokenizer."""
    from jieba import posseg

    return posseg.POSTokenizer(tokenizer())
