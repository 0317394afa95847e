"""The article of a government web page, and what the page says about the document.

``targetex.io`` renders a page into lines (one paragraph, list item or table cell per
line); this module chooses which of those lines are the article:

1. the 政务公开 metadata block (索引号：… 发布机构：… 成文日期：… 文号：…) is read into fields
   and dropped;
2. lines of site furniture (breadcrumb ``当前位置：``, ``上一篇``, ``【打印】``, ICP/备案 footer;
   ``models/documents.toml``) are dropped;
3. trafilatura (optional: ``pip install 'targetex[html]'``) picks the main content of the
   page; the lines it kept are kept, *as this reader rendered them* (so white space, table
   cells one per line and offsets follow the reader's rules, not the library's).  Menus,
   related-link lists and side bars go.  A page that is all article (a plain page of
   ``<p>`` lines) comes back whole, and so does a fragment without ``<html>`` or ``<body>``;
4. the document's title (``<meta name="ArticleTitle">``, the block's 标题, ``<h1>``, the
   page ``<title>``) is put back as the first line when the library dropped it.

Why trafilatura: on the saved pages of ``tests/data/web/`` it removed every false target
of the menus and related-link lists and kept the most article text of the three libraries
compared (trafilatura, readability-lxml, jusText; ``benchmarks/webpages.py``), and it is
maintained and Apache-2.0 licensed.
"""

from __future__ import annotations

import difflib
import functools
import html as html_module
import importlib
import importlib.util
import logging
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from targetex.metadata import (
    boilerplate_line,
    label_block,
    merge,
    meta_tag_fields,
    page_title,
    squeeze,
)

__all__ = ["Article", "article", "main_content"]

log = logging.getLogger(__name__)

_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([a-zA-Z_:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_WHOLE_PAGE = re.compile(r"<(?:html|body)[\s>]", re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    """The lines of a page's article, and the fields the page gives."""

    lines: list[str]
    fields: dict[str, str] = field(default_factory=dict)
    main_content: bool = False  # whether a main-content library chose the lines


def _meta_tags(page: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    for tag in _META_TAG.findall(page[:200_000]):
        attributes = {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
                      for m in _ATTRIBUTE.finditer(tag)}
        name = (attributes.get("name") or attributes.get("property") or "").lower()
        if name and "content" in attributes and name not in tags:
            tags[name] = html_module.unescape(attributes["content"]).strip()
    return tags


def _inner_text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html_module.unescape(_TAG.sub("", fragment))).strip()


def _trafilatura() -> Any:
    """trafilatura, or None (said once in the log when it is installed but cannot load)."""
    try:
        return importlib.import_module("trafilatura")
    except ImportError as exc:
        if sys.modules.get("trafilatura", False) is not None and importlib.util.find_spec("trafilatura"):
            _warn_once(f"trafilatura is installed but cannot be imported ({exc}); web pages are read "
                       "without main-content extraction")
        return None


@functools.cache
def _warn_once(message: str) -> None:
    log.warning("%s", message)


def main_content(page: str) -> str | None:
    """The HTML of the page's main content as trafilatura chooses it.

    ``None`` when trafilatura is not installed, fails, or finds no content.
    """
    trafilatura = _trafilatura()
    if trafilatura is None:
        return None
    try:
        chosen: str | None = trafilatura.extract(
            page, output_format="html", include_tables=True, include_comments=False,
            include_images=False, include_links=False, include_formatting=False,
            deduplicate=False, with_metadata=False,
        )
    except Exception as exc:  # a library failure must not lose the page: keep every line
        log.warning("main-content extraction failed (%s: %s); keeping the whole page",
                    type(exc).__name__, exc)
        return None
    return chosen or None


def _align(lines: Sequence[str], chosen: Sequence[str]) -> list[int]:
    """Indices of ``lines`` that the library's ``chosen`` lines hold, in order.

    The two sequences are aligned line by line (white space ignored); a line of ours
    inside a stretch where the two differ is still kept when the library's lines of that
    stretch contain it (the library joined, split or re-spelled a line there).
    """
    ours = [squeeze(line) for line in lines]
    theirs = [squeeze(line) for line in chosen]
    matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
    kept: list[int] = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            kept.extend(range(a1, a2))
        elif tag == "replace":
            stretch = "".join(theirs[b1:b2])
            kept.extend(i for i in range(a1, a2) if ours[i] and ours[i] in stretch)
    if not kept:
        return kept
    # The library drops a paragraph that repeats an earlier one (deduplicate=False or not):
    # a task breakdown repeats its responsibility lines under item after item.  Inside the
    # chosen stretch, a line that repeats a chosen line is the article's.
    kept_set = set(kept)
    texts = {ours[i] for i in kept}
    repeats = [i for i in range(min(kept), max(kept)) if i not in kept_set and ours[i] and ours[i] in texts]
    return sorted(kept_set.union(repeats))


def article(lines: Sequence[str], page: str, render: Callable[[str], list[str]], *,
            main: bool = True) -> Article:
    """Choose the article among a page's rendered ``lines`` (see the module docstring).

    Args:
        lines: the page rendered one paragraph, list item or table cell per line.
        page: the page's HTML (for ``<meta>``, ``<title>``, ``<h1>`` and the library).
        render: renders HTML into lines the way ``lines`` were rendered (for the
            library's choice).
        main: ask the main-content library; ``False`` keeps every line but the metadata
            block and the site furniture.
    """
    lines = list(lines)
    tags = _meta_tags(page)
    block = label_block(lines)
    block_fields: dict[str, str] = {}
    if block is not None:
        (start, end), block_fields = block
        del lines[start:end]
    lines = [line for line in lines if not boilerplate_line(line)]
    chosen = False
    # A fragment (no <html> or <body>) is all article: there is nothing to choose from.
    if main and lines and _WHOLE_PAGE.search(page[:100_000]):
        content = main_content(page)
        if content:
            kept = _align(lines, render(content))
            if kept:
                lines = [lines[i] for i in kept]
                chosen = True
    title_tag = _TITLE.search(page[:200_000])
    h1 = _H1.search(page)
    fields = merge(block_fields, meta_tag_fields(tags))
    title = fields.get("title") or (_inner_text(h1.group(1)) if h1 else "") or (
        page_title(_inner_text(title_tag.group(1))) if title_tag else "")
    if title:
        fields["title"] = title
        core = squeeze(title)
        body = page[max(0, page.lower().find("<body")):]
        shown = core in squeeze(html_module.unescape(_TAG.sub("", body)))
        if shown and not any(core in squeeze(line) for line in lines[:3]):
            lines.insert(0, title)
    return Article(lines, fields, chosen)
