"""Main-content extraction on saved government pages: trafilatura vs readability-lxml vs jusText.

For every page ``tests/data/web/<name>.<suffix>`` with its article written out in
``<name>.article.txt`` (what a reader counts as the document: title, 文号, body, tables,
signature and date — not menus, breadcrumbs, the 索引号 block, related links or footers),
each method's text is scored:

* false targets: targets found in the method's text that the article's text does not have
  (compared as (indicator, value, unit), as many times as they occur);
* missed targets: targets of the article the method's text loses;
* article kept: the share of article lines found in the method's text (white space ignored);
* other lines: lines of the method's text that are not article lines.

Methods: the reader as it was before (whole page, only ``<nav>/<header>/<footer>`` tags
dropped), each library on its own (its chosen HTML rendered by targetex's reader, so tables
come out one cell per line for all three), and targetex's reader as it is (metadata block and
site furniture dropped, trafilatura's choice of lines, title put back).

    python benchmarks/webpages.py [--json benchmarks/results/webpages.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import targetex
from targetex.io import _html_bytes, _read_html, _render_html
from targetex.metadata import squeeze

WEB = Path(__file__).resolve().parent.parent / "tests" / "data" / "web"


def _lines_text(html: str) -> str:
    return "\n".join(_render_html(html, "auto"))


def before(page: str) -> str:
    return _lines_text(page)


def trafilatura_alone(page: str) -> str:
    import trafilatura

    chosen = trafilatura.extract(page, output_format="html", include_tables=True, include_comments=False,
                                 deduplicate=False)
    return _lines_text(chosen or "")


def readability_alone(page: str) -> str:
    from readability import Document

    return _lines_text(Document(page).summary())


def justext_alone(page: str) -> str:
    import justext

    # No Chinese stop list exists: jusText's language-independent mode, as its docs say.
    paragraphs = justext.justext(page.encode("utf-8"), frozenset(), stopwords_low=0, stopwords_high=0,
                                 encoding="utf-8")
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def justext_short(page: str) -> str:
    import justext

    # The same, with paragraph lengths for Chinese (a character carries what a word does).
    paragraphs = justext.justext(page.encode("utf-8"), frozenset(), stopwords_low=0, stopwords_high=0,
                                 length_low=10, length_high=40, encoding="utf-8")
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def targetex_reader(page: str) -> str:
    return _read_html(page, "<page>").text


def furniture_only(page: str) -> str:
    return _read_html(page, "<page>", main_content=False).text


METHODS: dict[str, Callable[[str], str]] = {
    "before (whole page)": before,
    "trafilatura": trafilatura_alone,
    "readability-lxml": readability_alone,
    "jusText": justext_alone,
    "jusText, Chinese lengths": justext_short,
    "targetex: furniture rules only": furniture_only,
    "targetex: rules + trafilatura": targetex_reader,
}


def _keys(text: str) -> Counter[tuple[str, float, str]]:
    return Counter((t.indicator, t.value, t.unit) for t in targetex.extract(text).targets)


def score(text: str, article: str) -> dict[str, float]:
    got, want = _keys(text), _keys(article)
    article_lines = [squeeze(line) for line in article.splitlines() if line.strip()]
    whole = squeeze(text)
    kept = sum(1 for line in article_lines if line in whole)
    article_set = set(article_lines)
    other = sum(1 for line in text.splitlines() if line.strip() and squeeze(line) not in article_set)
    return {
        "false_targets": sum((got - want).values()),
        "missed_targets": sum((want - got).values()),
        "article_targets": sum(want.values()),
        "article_kept": kept / len(article_lines),
        "other_lines": other,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", metavar="PATH", help="write the figures as JSON")
    args = parser.parse_args(argv)
    pages = sorted(p for p in WEB.iterdir() if p.name.startswith("gov-") and not p.name.endswith(".txt"))
    results: dict[str, dict[str, dict[str, float]]] = {}
    for path in pages:
        page, _ = _html_bytes(path.read_bytes(), str(path))
        article = path.with_name(path.name.split(".")[0] + ".article.txt").read_text(encoding="utf-8")
        results[path.name] = {}
        for name, method in METHODS.items():
            method(page)  # warm-up (imports)
            start = time.perf_counter()
            text = method(page)
            seconds = time.perf_counter() - start
            results[path.name][name] = {**score(text, article), "ms": round(1000 * seconds, 1)}
    head = f"{'page':<30}{'method':<32}{'false':>6}{'missed':>7}{'kept':>7}{'other':>7}{'ms':>8}"
    print(head)
    print("-" * len(head))
    for page_name, by_method in results.items():
        for name, s in by_method.items():
            print(f"{page_name:<30}{name:<32}{s['false_targets']:>6}{s['missed_targets']:>7}"
                  f"{s['article_kept']:>7.2f}{s['other_lines']:>7}{s['ms']:>8.1f}")
    print("-" * len(head))
    for name in METHODS:
        rows = [by_method[name] for by_method in results.values()]
        print(f"{'all ' + str(len(rows)) + ' pages':<30}{name:<32}{sum(r['false_targets'] for r in rows):>6}"
              f"{sum(r['missed_targets'] for r in rows):>7}"
              f"{sum(r['article_kept'] for r in rows) / len(rows):>7.2f}"
              f"{sum(r['other_lines'] for r in rows):>7}"
              f"{sum(r['ms'] for r in rows) / len(rows):>8.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
