"""Layout invariance over the corpus: the share of records kept when a document changes shape.

Every corpus document that is not a table flattened one cell per line is rewritten in the
layouts of ``tests/layout_variants.py`` (a document with a table flattened one cell per line
beside its prose is left out of the one-line and hard-wrapped variants, which cannot give
that table back) (one line, ``　　`` paragraph marks, CRLF, ``<p>``
paragraphs read through the HTML reader, indentation removed or added, hard wraps every
30–40 characters) and extracted again; the records must not change (offsets aside).

    python benchmarks/layout.py              # a table and one summary line
    python benchmarks/layout.py --details    # also every record that changed
    python benchmarks/layout.py --seeds 5    # hard wraps with five seeds per document

(d) reads the page with ``html_to_text(main_content=False)``, every rendered line; the row
``d-html-article`` reads it as ``targetex extract`` does (the article chosen), for
information.

Shares are shared / (shared + lost + extra) records, summed over the documents: targets
(every field), tasks (id, part title, leaders, lead and cooperating units) and task ids.
Required: at least 0.99 for every variant.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import targetex  # noqa: E402
from layout_variants import (  # noqa: E402
    CELL_TABLES,
    READER_VARIANTS,
    VARIANTS,
    checked,
    hard_wrap,
    kept,
    record_keys,
    variant,
)

REQUIRED = 0.99


def documents(corpus: Path) -> list[tuple[str, str]]:
    """(doc_id, text) of every gold document of ``corpus`` that is not a cell table."""
    out = []
    for gold in sorted(corpus.glob("*.gold.json")):
        doc_id = gold.name[: -len(".gold.json")]
        if doc_id not in CELL_TABLES:
            out.append((doc_id, (corpus / f"{doc_id}.txt").read_text(encoding="utf-8")))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpora")
    parser.add_argument("--details", action="store_true", help="print every record that changed")
    parser.add_argument("--seeds", type=int, default=1, help="hard-wrap seeds per document (default 1)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    extractor = targetex.Extractor()
    docs = documents(args.corpus)
    originals = {doc_id: record_keys(extractor.extract(text, doc_id)) for doc_id, text in docs}
    rows = []
    for name in [*VARIANTS, *READER_VARIANTS]:
        totals = [0, 0, 0, 0, 0, 0]  # targets shared/all, tasks shared/all, ids shared/all
        bad_docs = []
        for doc_id, text in docs:
            if not checked(doc_id, name if name in VARIANTS else "d-html-p"):
                continue
            texts = [variant(name, text, doc_id)]
            if name == "f-hard-wrap":
                texts += [hard_wrap(text, seed) for seed in range(1, args.seeds)]
            tasks0, targets0 = originals[doc_id]
            for shaped in texts:
                tasks1, targets1 = record_keys(extractor.extract(shaped, doc_id))
                t_shared, t_all = kept(targets0, targets1)
                k_shared, k_all = kept(tasks0, tasks1)
                i_shared, i_all = kept([t[-1:] for t in tasks0], [t[-1:] for t in tasks1])
                for i, n in enumerate((t_shared, t_all, k_shared, k_all, i_shared, i_all)):
                    totals[i] += n
                if t_shared != t_all or k_shared != k_all:
                    bad_docs.append(doc_id)
                    if args.details:
                        _show(name, doc_id, tasks0, tasks1, targets0, targets1)
        rows.append((name, *totals, sorted(set(bad_docs))))
    print(f"{'variant':<18} {'targets':>15} {'tasks':>13} {'task ids':>13}  documents that changed")
    worst = 1.0
    for name, ts, ta, ks, ka, is_, ia, bad in rows:
        shares = [s / a if a else 1.0 for s, a in ((ts, ta), (ks, ka), (is_, ia))]
        if name in VARIANTS:
            worst = min(worst, *shares)
        print(f"{name:<18} {shares[0]:.3f} {ts:>4}/{ta:<4} {shares[1]:.3f} {ks:>3}/{ka:<3} "
              f"{shares[2]:.3f} {is_:>3}/{ia:<3}  {', '.join(bad) or '-'}")
    verdict = "ok" if worst >= REQUIRED else f"BELOW {REQUIRED}"
    print(f"{len(docs)} documents x {len(VARIANTS)} variants: lowest share kept {worst:.3f} ({verdict}); "
          f"d-html-article (the page's article as `targetex extract` chooses it) is shown, not required; "
          f"{time.perf_counter() - started:.1f}s")
    return 0 if worst >= REQUIRED else 1


def _show(name: str, doc_id: str, tasks0: list, tasks1: list, targets0: list, targets1: list) -> None:  # type: ignore[type-arg]
    for label, before, after in (("task", tasks0, tasks1), ("target", targets0, targets1)):
        lost = [r for r in before if r not in after]
        extra = [r for r in after if r not in before]
        for r in lost:
            print(f"  {name} {doc_id} lost {label}: {dict(r)}")
        for r in extra:
            print(f"  {name} {doc_id} extra {label}: {dict(r)}")


if __name__ == "__main__":
    raise SystemExit(main())
