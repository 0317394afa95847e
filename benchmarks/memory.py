#!/usr/bin/env python
"""Peak memory (RSS) of extracting one large text: the corpus concatenated to N MB.

The text is ``corpora/*.txt`` joined with blank lines and repeated until it reaches
``--size-mb`` megabytes of UTF-8 (default 50).  A fresh interpreter then

1. imports targetex and extracts every corpus document (whatever ``extract`` loads lazily
   is then in memory): the *baseline* RSS;
2. reads the big file: RSS with the text in memory;
3. runs the extraction (``--mode api``: ``targetex.extract`` and ``to_dict`` of the result;
   ``--mode cli``: ``targetex extract FILE --format jsonl -o OUT`` in process):
   the *peak* RSS.

RSS is ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` of that process (the high-water mark,
KiB on Linux); the parent writes the text in pieces and stays small, since Linux carries
``ru_maxrss`` over ``exec``.  The figures are printed and, with ``--json PATH``, written as JSON.

    python benchmarks/memory.py                 # 50 MB, API
    python benchmarks/memory.py --size-mb 5     # quick
    python benchmarks/memory.py --mode cli      # through the command line
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora"

_CHILD = r"""
import json, resource, sys, time

def rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

path, mode, out, corpus = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
import pathlib
import targetex
from targetex.io import read_document
# Warm up on every corpus document, so that whatever extract() loads lazily is loaded.
for doc_path in sorted(pathlib.Path(corpus).glob("*.txt")):
    targetex.extract(read_document(doc_path), doc_id="warm-up")
baseline = rss_mib()
if mode == "api":
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with_text = rss_mib()
    start = time.perf_counter()
    doc = targetex.extract(text, doc_id="big")
    data = doc.to_dict()
    seconds = time.perf_counter() - start
    n_chars, n_targets, n_tasks = len(text), len(data["targets"]), len(data["tasks"])
else:
    from targetex.cli import main
    with_text = baseline
    start = time.perf_counter()
    status = main(["extract", path, "--format", "jsonl", "-o", out, "--quiet"])
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"targetex extract exited with {status}")
    n_chars, n_tasks = None, None
    with open(out, encoding="utf-8") as f:
        n_targets = sum(1 for _ in f)
print(json.dumps({"baseline_rss_mib": round(baseline, 1), "with_text_rss_mib": round(with_text, 1),
                  "peak_rss_mib": round(rss_mib(), 1), "seconds": round(seconds, 2),
                  "chars": n_chars, "targets": n_targets, "tasks": n_tasks}))
"""


def write_text(path: Path, size_mb: float) -> int:
    """Write the corpus documents joined by blank lines, repeated to ``size_mb`` MB of UTF-8.

    Written copy by copy, so that this process stays small: Linux keeps ``ru_maxrss`` across
    ``exec``, so a big parent would inflate the child's figures.
    """
    docs = [p.read_bytes().decode("utf-8-sig") for p in sorted(CORPUS.glob("*.txt"))]
    if not docs:
        sys.exit(f"no documents in {CORPUS}")
    unit = ("\n\n".join(docs) + "\n\n").encode("utf-8")
    copies = max(1, -(-int(size_mb * 1_000_000) // len(unit)))
    with path.open("wb") as f:
        for _ in range(copies):
            f.write(unit)
    return copies * len(unit)


def measure(size_mb: float, mode: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="targetex-memory-") as tmp:
        path = Path(tmp) / "big.txt"
        size_bytes = write_text(path, size_mb)
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(path), mode, str(Path(tmp) / "out.jsonl"),
                               str(CORPUS)],
                              capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"measurement failed ({proc.returncode}):\n{proc.stderr}")
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    result.update({"mode": mode, "size_mb": round(size_bytes / 1_000_000, 2), "wall_seconds": round(wall, 2),
                   "python": sys.version.split()[0]})
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size-mb", type=float, default=50.0,
                        help="size of the text in MB of UTF-8 (default 50)")
    parser.add_argument("--mode", choices=("api", "cli"), default="api",
                        help="extract through the Python API (default) or the command line")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    args = parser.parse_args(argv)
    result = measure(args.size_mb, args.mode)
    print(f"text: {result['size_mb']} MB UTF-8"
          + (f", {result['chars']:,} characters" if result.get("chars") else "")
          + f"; mode {result['mode']}")
    print(f"baseline RSS (targetex loaded): {result['baseline_rss_mib']} MiB")
    if result["mode"] == "api":
        print(f"RSS with the text read:         {result['with_text_rss_mib']} MiB")
    print(f"peak RSS:                       {result['peak_rss_mib']} MiB")
    print(f"extraction: {result['seconds']} s, {result['targets']:,} targets"
          + (f", {result['tasks']:,} tasks" if result.get("tasks") is not None else ""))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
