#!/usr/bin/env python
"""Profile targetex with cProfile: extract the concatenated corpus repeated N times (10).

The extractor is built and warmed up on the corpus first, so the profile shows the
steady state (``--cold`` profiles the first call instead, dictionary loads included).
Prints the top functions by cumulative and by total (own) time, and each function's
share of the profiled time (process CPU time by default: robust when the machine is
busy with other work).

    python benchmarks/profile.py                 # corpus x10, top 25
    python benchmarks/profile.py --copies 1 --cold
    python benchmarks/profile.py -o /tmp/targetex.prof   # for snakeviz / pstats
"""

from __future__ import annotations

import argparse
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"


def corpus_text(folder: Path) -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no *.txt documents in {folder}")
    return "".join(t if t.endswith("\n") else t + "\n" for t in texts)


def short_name(path: str) -> str:
    """``.../src/targetex/targets.py`` → ``targetex/targets.py``; other paths shortened too."""
    for marker in ("/src/", "/site-packages/", "/lib/python"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def table(stats: pstats.Stats, key: str, top: int, total: float) -> str:
    """The ``top`` functions by ``key`` ("cumulative" or "tottime") with their share of ``total``."""
    raw = stats.stats  # {(file, line, name): (cc, nc, tt, ct, callers)}
    index = 3 if key == "cumulative" else 2
    rows = sorted(raw.items(), key=lambda item: item[1][index], reverse=True)[:top]
    out = [f"{'share':>6} {'cumtime':>8} {'tottime':>8} {'calls':>9}  function",
           "-" * 78]
    for (file, line, name), (_cc, ncalls, tottime, cumtime, _callers) in rows:
        where = f"{short_name(file)}:{line}({name})" if line else name
        value = cumtime if index == 3 else tottime
        out.append(f"{value / total:6.1%} {cumtime:8.3f} {tottime:8.3f} {ncalls:9d}  {where}")
    return "\n".join(out)


def by_module(stats: pstats.Stats, total: float, top: int = 12) -> str:
    """Own time summed per source file (C built-ins counted apart)."""
    sums: dict[str, float] = {}
    for (file, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        key = "built-ins (str/re/dict methods, max, ...)" if file == "~" else short_name(file)
        sums[key] = sums.get(key, 0.0) + tottime
    rows = sorted(sums.items(), key=lambda item: item[1], reverse=True)[:top]
    return "\n".join(f"{value / total:6.1%} {value:8.3f}  {name}" for name, value in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=10, help="copies of the corpus (10)")
    parser.add_argument("--top", type=int, default=25, help="functions per table (25)")
    parser.add_argument("--corpus", type=Path, default=CORPORA, help="folder of *.txt documents")
    parser.add_argument("--cold", action="store_true",
                        help="profile the first extraction (no warm-up: dictionary loads included)")
    parser.add_argument("--targetex-only", action="store_true",
                        help="list only functions in targetex's own modules")
    parser.add_argument("--timer", choices=("cpu", "wall"), default="cpu",
                        help="cpu: process CPU time, robust on a busy machine (default); wall: elapsed")
    parser.add_argument("-o", "--output", type=Path, help="also write the raw profile (pstats format)")
    args = parser.parse_args(argv)

    # This file is named profile.py: run as a script, its folder heads sys.path and would
    # shadow the standard library's ``profile`` module, which cProfile imports.
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    import cProfile

    corpus = corpus_text(args.corpus)
    text = corpus * args.copies
    from targetex import Extractor

    extractor = Extractor()
    if not args.cold:
        extractor.extract(corpus)
    profiler = cProfile.Profile(time.process_time if args.timer == "cpu" else time.perf_counter)
    start, cpu_start = time.perf_counter(), time.process_time()
    profiler.enable()
    doc = extractor.extract(text)
    profiler.disable()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    stats = pstats.Stats(profiler, stream=io.StringIO())
    # The profiled time in the timer's unit (the root's cumulative time can exceed the sum of
    # own times by the timer's rounding).
    total = max(stats.total_tt, *(v[3] for v in stats.stats.values()))
    if args.targetex_only:
        keep = {k: v for k, v in stats.stats.items()
                if "targetex" in k[0]}
        stats.stats = keep
    if args.output:
        profiler.dump_stats(str(args.output))

    print(f"targetex extract of the corpus x{args.copies}: {len(text):,} chars, "
          f"{len(doc.targets):,} targets{'; cold: first call' if args.cold else ''}")
    print(f"under the profiler: {wall:.2f} s wall, {cpu:.2f} s CPU ({len(text) / cpu:,.0f} chars per CPU "
          f"second; the profiler slows Python code down); timer: {args.timer}")
    print()
    print(f"Top {args.top} by cumulative time (share = cumtime / all profiled time, {total:.2f} s)")
    print(table(stats, "cumulative", args.top, total))
    print()
    print(f"Top {args.top} by total (own) time (share = tottime / all profiled time)")
    print(table(stats, "tottime", args.top, total))
    print()
    print("Own time by source file")
    print(by_module(stats, total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
