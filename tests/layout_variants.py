"""The same document in other layouts, and how to compare what targetex reads from them.

Government pages serve one document in many shapes: line by line, as one long line, with
``　　`` paragraph marks instead of line breaks, with Windows line ends, as ``<p>``
paragraphs, with or without indentation, or copied from a PDF with a hard line break every
30–40 characters.  :func:`variants` builds each shape from a line-based text;
:func:`record_keys` reduces an extraction to what must not depend on the shape (offsets
are each variant's own, and the raw ``text`` of a target may hold a wrap's line break).

Used by ``tests/test_layout.py`` and ``benchmarks/layout.py``.
"""

from __future__ import annotations

import html
import random
import re
import zlib
from collections import Counter
from collections.abc import Callable
from typing import Any

from targetex.io import html_to_text
from targetex.records import Document

__all__ = ["CELL_TABLES", "PROSE_AND_CELL_TABLES", "READER_VARIANTS", "VARIANTS", "checked", "hard_wrap",
           "kept", "page", "record_keys", "variant"]

#: Corpus documents whose targets sit in tables flattened one cell per line: a one-line or
#: hard-wrapped copy of such a table cannot be read back (issue 10 leaves them out).
CELL_TABLES = ("guobanfa-xizangban-1996", "shapingba-2022", "yunyang-2023")

#: Corpus documents with prose and a table flattened one cell per line (an annex table, a
#: closing table of indicators, a scoring table): every variant but the one-line and
#: hard-wrapped ones, which cannot give the table's cells back.
PROSE_AND_CELL_TABLES = ("huangpu-lishifengmao-baohu-liyong-shisiwu-2021",
                         "huangpu-shizheng-zonghe-guanli-shisanwu-2016", "shicheng-hezhangzhi-kaohe-2018")
#: The variants that lose the lines of a table flattened one cell per line.
LINE_LOSING = ("a-one-line", "f-hard-wrap")


def checked(doc_id: str, name: str) -> bool:
    """Whether the variant ``name`` of ``doc_id`` must give the same records."""
    return doc_id not in CELL_TABLES and not (doc_id in PROSE_AND_CELL_TABLES and name in LINE_LOSING)

_INDENT = re.compile(r"^[ \t\u3000\u00a0]+", re.M)


def _no_breaks(text: str, seed: int) -> str:
    return text.replace("\r\n", "\n").replace("\n", "")


def _marks(text: str, seed: int) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\u3000\u3000")


def _crlf(text: str, seed: int) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def page(text: str) -> str:
    """``text`` as a web page: each line wrapped in ``<p>``."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.split("\n"))
    return f"<html><body>\n{paragraphs}</body></html>"


def _html(text: str, seed: int) -> str:
    # Every rendered line (main_content=False): the default article choice drops repeated
    # lines (see test_layout.test_the_article_choice_keeps_repeated_lines).
    return html_to_text(page(text), main_content=False)


def _html_article(text: str, seed: int) -> str:
    return html_to_text(page(text))


def _indent_removed(text: str, seed: int) -> str:
    return _INDENT.sub("", text)


def _indent_spaces(text: str, seed: int) -> str:
    return re.sub(r"^(?=.)", "    ", _INDENT.sub("", text), flags=re.M)


def _indent_marks(text: str, seed: int) -> str:
    return re.sub(r"^(?=.)", "\u3000\u3000", _INDENT.sub("", text), flags=re.M)


def hard_wrap(text: str, seed: int, narrow: int = 30, wide: int = 40) -> str:
    """Break every line longer than ``wide`` after ``narrow``–``wide`` characters, wherever
    that falls (inside a number, a unit name, a label), as text copied from a PDF is.

    The widths come from ``random.Random(seed)``: the same seed gives the same wraps.
    """
    rng = random.Random(seed)
    out = []
    for line in text.split("\n"):
        pieces = []
        while len(line) > wide:
            cut = rng.randint(narrow, wide)
            pieces.append(line[:cut])
            line = line[cut:]
        pieces.append(line)
        out.append("\n".join(pieces))
    return "\n".join(out)


_PART_HEADING = re.compile(r"^([ \t\u3000]*)(?=[一二三四五六七八九十]+、|第[一二三四五六七八九十]+章)", re.M)
_ITEM_HEADING = re.compile(r"^([ \t\u3000]*)(?=[（(][一二三四五六七八九十]+[）)])", re.M)


def _markdown(text: str, seed: int) -> str:
    """``text`` as a Markdown page: the title a ``#`` heading, parts (``一、``, ``第一章``)
    ``##`` headings, items (``（一）``) ``###`` headings."""
    text = _PART_HEADING.sub(r"## \1", text.replace("\r\n", "\n"))
    text = _ITEM_HEADING.sub(r"### \1", text)
    return "# " + text


#: Variant name → builder ``(text, seed) -> text``; the letters are those of issue 10.
VARIANTS: dict[str, Callable[[str, int], str]] = {
    "a-one-line": _no_breaks,
    "b-paragraph-marks": _marks,
    "c-crlf": _crlf,
    "d-html-p": _html,
    "e-no-indent": _indent_removed,
    "e-space-indent": _indent_spaces,
    "e-mark-indent": _indent_marks,
    "f-hard-wrap": hard_wrap,
    "g-markdown": _markdown,
}


#: Variants measured by benchmarks/layout.py only: (d) read as ``targetex extract`` reads a
#: page (the article chosen from it).
READER_VARIANTS: dict[str, Callable[[str, int], str]] = {"d-html-article": _html_article}


def variant(name: str, text: str, doc_id: str) -> str:
    """The variant ``name`` of ``text``, seeded by ``doc_id`` (deterministic)."""
    build = VARIANTS.get(name) or READER_VARIANTS[name]
    return build(text, zlib.crc32(doc_id.encode("utf-8")))


_SPACE = re.compile(r"\s+")


def record_keys(doc: Document) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """(tasks, targets) of ``doc`` as comparable tuples: every field but the offsets, with
    the white space of a target's raw ``text`` removed."""
    tasks = []
    for task in doc.tasks:
        data = task.to_dict()
        tasks.append(tuple((k, _freeze(v)) for k, v in sorted(data.items()) if k not in ("start", "end")))
    targets = []
    for target in doc.targets:
        data = target.to_dict()
        data["text"] = _SPACE.sub("", data["text"])
        targets.append(tuple((k, _freeze(v)) for k, v in sorted(data.items()) if k not in ("start", "end")))
    return tasks, targets


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def kept(original: list[tuple[Any, ...]], other: list[tuple[Any, ...]]) -> tuple[int, int]:
    """(records the two lists share, records in either): a variant keeps every record when
    the two numbers are equal (extra records count against it as missing ones do)."""
    a, b = Counter(original), Counter(other)
    shared = sum((a & b).values())
    return shared, sum((a | b).values())
