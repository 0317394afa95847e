"""Share of gold boundaries that fall on token boundaries: targetex.tokenize vs jieba.lcut.

For every gold document of ``corpora/``, the boundaries are: each target mention's start
and end, the boundary between its number (with multiplier) and its unit, and each
responsible unit's start and end (located inside its task's span).  A tokenizer scores the
share of them that are token boundaries.

    python benchmarks/boundaries.py [--corpus corpora] [--json out.json] [--show-misses]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import jieba

from targetex.evaluation import load_gold
from targetex.io import read_document
from targetex.resources import load
from targetex.segmentation import tokenize

_NUMBER = re.compile(r"[\d.,零〇一二两三四五六七八九十百千万亿点]")


def _unit_words() -> list[str]:
    lexicon = load()
    return sorted([*lexicon.units, *lexicon.classifiers], key=len, reverse=True)


UNITS = _unit_words()


def gold_boundaries(text: str, gold_path: Path) -> dict[int, str]:
    """Offsets that must be token boundaries, with a note of what each is."""
    gold = load_gold(gold_path, text)
    marks: dict[int, str] = {}
    for t in gold.targets:
        marks[t.start] = f"target start {t.text}"
        marks[t.end] = f"target end {t.text}"
        # The number (with its multiplier) ends where the written unit begins: 10亿|千瓦.
        unit = next((u for u in UNITS if t.text.endswith(u) and len(u) < len(t.text)), "")
        if unit and _NUMBER.match(t.text[-len(unit) - 1]):
            marks[t.end - len(unit)] = f"number|unit {t.text}"
    for task in gold.tasks:
        for name in (*task.lead_units, *task.cooperating_units, *task.leaders):
            at = text.find(name, task.start, task.end)
            if at == -1:
                at = text.find(name)
            if at != -1:
                marks[at] = f"unit start {name}"
                marks[at + len(name)] = f"unit end {name}"
    return marks


def token_boundaries_targetex(text: str) -> set[int]:
    out: set[int] = {0, len(text)}
    for w in tokenize(text):
        out.add(w.start)
        out.add(w.end)
    return out


def token_boundaries_jieba(text: str) -> set[int]:
    out: set[int] = {0}
    pos = 0
    for word in jieba.lcut(text):
        pos += len(word)
        out.add(pos)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parent.parent / "corpora"))
    parser.add_argument("--json", metavar="PATH", help="write the figures as JSON")
    parser.add_argument("--show-misses", action="store_true", help="list boundaries targetex misses")
    args = parser.parse_args(argv)
    jieba.setLogLevel(60)
    jieba.initialize()
    rows = []
    totals = {"boundaries": 0, "targetex": 0, "jieba": 0}
    for gold_path in sorted(Path(args.corpus).glob("*.gold.json")):
        doc_id = gold_path.name[: -len(".gold.json")]
        text = read_document(gold_path.with_name(doc_id + ".txt"))
        marks = gold_boundaries(text, gold_path)
        ours = token_boundaries_targetex(text)
        plain = token_boundaries_jieba(text)
        hit_ours = sum(1 for b in marks if b in ours)
        hit_plain = sum(1 for b in marks if b in plain)
        rows.append({"doc_id": doc_id, "boundaries": len(marks), "targetex": hit_ours, "jieba": hit_plain})
        totals["boundaries"] += len(marks)
        totals["targetex"] += hit_ours
        totals["jieba"] += hit_plain
        if args.show_misses:
            for b, what in sorted(marks.items()):
                if b not in ours:
                    print(f"  miss {doc_id} @{b}: {what} ...{text[max(0, b - 8):b]}|{text[b:b + 8]}...")
    print(f"{'document':<28}{'boundaries':>11}{'targetex':>10}{'jieba.lcut':>12}")
    for r in rows:
        print(f"{r['doc_id']:<28}{r['boundaries']:>11}{r['targetex'] / r['boundaries']:>10.1%}"
              f"{r['jieba'] / r['boundaries']:>12.1%}")
    share_ours = totals["targetex"] / totals["boundaries"]
    share_plain = totals["jieba"] / totals["boundaries"]
    print(f"{'all':<28}{totals['boundaries']:>11}{share_ours:>10.1%}{share_plain:>12.1%}")
    if args.json:
        Path(args.json).write_text(json.dumps({"documents": rows, "totals": totals,
                                               "targetex_share": share_ours, "jieba_share": share_plain},
                                              indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
