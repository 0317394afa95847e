"""Score recorded predictions (or the current extractor) against gold, per document and micro.

The honest figure of a rule set is its score on documents it was never tuned on.  This
script scores the predictions recorded *before* any change for a new batch (``first seen``,
``benchmarks/results/first-seen-<date>/predictions/``) against the gold made later, and can
score the current extractor on the same documents for comparison, with the project's own
scorer (``targetex.evaluation``).

    python benchmarks/first_seen.py                       # the recorded 2026-12-06 predictions
    python benchmarks/first_seen.py --current             # today's extractor, same documents
    python benchmarks/first_seen.py --gold corpora/sealed --current   # the sealed part (once!)
    python benchmarks/first_seen.py --json out.json       # also write the figures
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from targetex import Document, Extractor
from targetex.evaluation import TIME_FIELDS, Scores, has_time_fields, load_gold, score_document

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PREDICTIONS = ROOT / "benchmarks" / "results" / "first-seen-2026-12-06" / "predictions"
FIELDS = ("value", "unit", "comparator", "kind", "modality", "task_id", "action", "indicator")


def _row(name: str, s: Scores) -> dict[str, float | str | int]:
    return {
        "document": name,
        "gold": int(s.detection.tp + s.detection.fn),
        "pred": int(s.detection.tp + s.detection.fp),
        "detection_f1": round(s.detection.f1, 3),
        "strict_f1": round(s.strict.f1, 3),
        "tasks_f1": round(s.tasks.f1, 3),
        "lead_f1": round(s.lead_units.f1, 3),
        "coop_f1": round(s.cooperating_units.f1, 3),
        **{f: round(s.accuracy(f), 3) for f in (*FIELDS, *TIME_FIELDS)},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=ROOT / "corpora",
                        help="folder of <doc_id>.txt + <doc_id>.gold.json (default corpora/)")
    parser.add_argument("--predictions", type=Path, default=DEFAULT_PREDICTIONS,
                        help="folder of recorded <doc_id>.json predictions")
    parser.add_argument("--current", action="store_true", help="score today's extractor instead")
    parser.add_argument("--all", action="store_true",
                        help="with --current: every gold document, not only those with a recorded prediction")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    args = parser.parse_args(argv)
    extractor = Extractor() if args.current else None
    total = Scores()
    rows = []
    for gold_path in sorted(args.gold.glob("*.gold.json")):
        doc_id = gold_path.name[: -len(".gold.json")]
        text_path = args.gold / f"{doc_id}.txt"
        recorded = args.predictions / f"{doc_id}.json"
        if not recorded.exists() and not args.all:
            continue  # not a document of this batch (or, with --current, use --all)
        if extractor is not None:
            predicted = extractor.extract(text_path.read_text(encoding="utf-8"), doc_id=doc_id)
        else:
            predicted = Document.from_dict(json.loads(recorded.read_text(encoding="utf-8")))
        gold = load_gold(gold_path, text_path.read_text(encoding="utf-8"))
        scores = score_document(predicted, gold, time_fields=has_time_fields(gold_path))
        total.add(scores)
        rows.append(_row(doc_id, scores))
    if not rows:
        print("no documents with both gold and predictions", file=sys.stderr)
        return 1
    rows.append(_row(f"micro ({len(rows)})", total))
    columns = ("document", "gold", "pred", "detection_f1", "strict_f1", "tasks_f1", "lead_f1", "coop_f1")
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")
    micro = rows[-1]
    print("\nfield accuracy over matched targets (micro): "
          + "  ".join(f"{f} {micro[f]}" for f in FIELDS))
    print("time fields (micro): " + "  ".join(f"{f} {micro[f]}" for f in TIME_FIELDS))
    if args.json is not None:
        figures = {"documents": rows[:-1], "micro": micro}
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
