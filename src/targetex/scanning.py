"""Searching a long text fast for a pattern that Python's regex engine would try at every
offset: the characters a match can start with are read from the parsed pattern
(:func:`start_class`), and the search jumps from one of them to the next
(:func:`search`, :func:`matches`).  The quantity scan and the layout's scans of a whole
text use it.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterator
from typing import Any

__all__ = ["matches", "search", "start_class"]


def search(regex: re.Pattern[str], start_chars: re.Pattern[str] | None, text: str, pos: int,
           end: int) -> re.Match[str] | None:
    """``regex.search(text, pos, end)``, jumping from one possible first character of a
    match (``start_chars``, see :func:`start_class`) to the next."""
    if start_chars is None:
        return regex.search(text, pos, end)
    while True:
        candidate = start_chars.search(text, pos, end)
        if candidate is None:
            return None
        match = regex.match(text, candidate.start(), end)
        if match is not None:
            return match
        pos = candidate.start() + 1


def matches(regex: re.Pattern[str], start_chars: re.Pattern[str] | None, text: str, start: int,
            end: int) -> Iterator[re.Match[str]]:
    """``regex.finditer(text, start, end)``, with :func:`search`."""
    if start_chars is None:
        yield from regex.finditer(text, start, end)
        return
    pos = start
    while pos < end:
        match = search(regex, start_chars, text, pos, end)
        if match is None:
            return
        yield match
        pos = match.end()  # (never empty: a pattern that can match "" has no start class)


@functools.lru_cache(maxsize=512)
def start_class(regex: re.Pattern[str]) -> re.Pattern[str] | None:
    r"""A character class holding every character that a match of ``regex`` can start with,
    read from the parsed pattern; ``None`` when that is not known (a match may be empty or
    start with any character, case is ignored, or the pattern uses a construct not read
    here).  Kept per pattern: a stage that scans with a pattern of the lexicon asks for its
    class on every document.

    Python's regex engine skips ahead fast only for a pattern that opens with one character
    class or literal (it then needs no help: ``None`` too, a plain search is faster than
    jumping from Python); for an alternation, a repeat or a look-behind first it tries
    every branch at every position.

    >>> start_class(re.compile(r"(?:19|20)\d{2}年|[一二]月")).pattern
    '[12一二]'
    >>> start_class(re.compile(r"(\d{1,3})、")).pattern
    '[\\d]'
    >>> start_class(re.compile(r"(\d\d{0,2})、")) is None  # (the engine skips to digits)
    True
    >>> start_class(re.compile(r"a*")) is None
    True
    """
    if regex.flags & re.IGNORECASE:
        return None
    try:  # (the parser of the re module: private, but it has been there since Python 3.11)
        parser: Any = importlib.import_module("re._parser")
        parsed = parser.parse(regex.pattern, regex.flags)
        if _engine_skips(parser, parsed):
            return None
        items, can_be_empty = _first_items(parser, parsed)
    except Exception:  # pragma: no cover - another Python's parser: search as usual
        return None
    if items is None or can_be_empty or not items:
        return None
    return re.compile("[" + "".join(sorted(items)) + "]")


def _engine_skips(parser: Any, sequence: Any) -> bool:
    """Whether the regex compiler gives the parsed pattern a first-character prefix of its
    own (a literal or one character class first, maybe inside groups without flags), so
    that its search skips to candidates in C."""
    while sequence.data:
        op, av = sequence.data[0]
        if op is parser.SUBPATTERN and not av[1] and not av[2]:
            sequence = av[3]
            continue
        return op is parser.LITERAL or op is parser.IN
    return False


def _first_items(parser: Any, sequence: Any) -> tuple[set[str] | None, bool]:
    """The character-class items that can open a match of the parsed ``sequence``, and
    whether the sequence can match the empty string; ``None`` items when not known."""
    items: set[str] = set()
    for op, av in sequence:
        if op is parser.LITERAL:
            return items | {re.escape(chr(av))}, False
        if op is parser.IN:
            found = _class_items(parser, av)
            return (None if found is None else items | found), False
        if op in (parser.AT, parser.ASSERT, parser.ASSERT_NOT):
            continue  # zero width: the next item opens the match
        if op is parser.BRANCH:
            alternatives = [_first_items(parser, alternative) for alternative in av[1]]
            nullable = False
            for found, empty in alternatives:
                if found is None:
                    return None, False
                items |= found
                nullable = nullable or empty
        elif op is parser.SUBPATTERN or op is parser.ATOMIC_GROUP:
            found, nullable = _first_items(parser, av[3] if op is parser.SUBPATTERN else av)
            if found is None:
                return None, False
            items |= found
        elif op in (parser.MAX_REPEAT, parser.MIN_REPEAT, parser.POSSESSIVE_REPEAT):
            low, _, repeated = av
            found, empty = _first_items(parser, repeated)
            if found is None:
                return None, False
            items |= found
            nullable = low == 0 or empty
        else:
            return None, False  # a back-reference, any character…: not known
        if not nullable:
            return items, False
    return items, True


def _class_items(parser: Any, members: Any) -> set[str] | None:
    """The items of a parsed character class as regex class text (``None``: negated or
    unknown)."""
    categories = {parser.CATEGORY_DIGIT: r"\d", parser.CATEGORY_SPACE: r"\s", parser.CATEGORY_WORD: r"\w"}
    items = set()
    for op, av in members:
        if op is parser.LITERAL:
            items.add(re.escape(chr(av)))
        elif op is parser.RANGE:
            items.add(re.escape(chr(av[0])) + "-" + re.escape(chr(av[1])))
        elif op is parser.CATEGORY and av in categories:
            items.add(categories[av])
        else:
            return None
    return items
