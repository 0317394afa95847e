#!/usr/bin/env python
"""Spec cases per phenomenon, and how many pass.

Every case of ``tests/specs/*.jsonl`` belongs to the phenomenon named by the ``//`` comment
above it (or to its file when no comment precedes it).  This script runs
``tests/test_specs.py`` once, reads the outcome of every case from pytest's JUnit XML, and
prints one row per phenomenon: the cases, how many pass (an ``xfail`` case that fails as
documented counts as a known gap, not a pass), and how many were added since a given git
revision (``--since``, default: the commit whose outputs are the first-seen figures).

    python benchmarks/specs.py                 # Markdown table
    python benchmarks/specs.py --json          # machine-readable
    python benchmarks/specs.py --files targets_semantics rules
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "tests" / "specs"
#: The commit whose extractor made benchmarks/results/first-seen-2026-12-06/.
FIRST_SEEN = "7444480"


@dataclass
class Phenomenon:
    """The spec cases under one ``//`` comment of one spec file."""

    file: str
    title: str
    cases: list[int] = field(default_factory=list)  # line numbers
    passed: int = 0
    known_gaps: int = 0
    failed: int = 0
    added: int = 0


def phenomena(files: list[str] | None) -> dict[tuple[str, int], Phenomenon]:
    """Every spec case (file stem, line number) → its phenomenon."""
    by_case: dict[tuple[str, int], Phenomenon] = {}
    for path in sorted(SPECS.glob("*.jsonl")):
        if files and path.stem not in files:
            continue
        current = Phenomenon(path.stem, "(no heading)")
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            stripped = line.strip()
            if stripped.startswith("//"):
                title = stripped.lstrip("/ ").strip()
                if not current.cases:  # a heading continued on the next comment line
                    title = f"{current.title} {title}" if current.title != "(no heading)" else title
                current = Phenomenon(path.stem, title)
            elif stripped:
                current.cases.append(lineno)
                by_case[(path.stem, lineno)] = current
    return by_case


def outcomes(files: list[str] | None) -> dict[tuple[str, int], str]:
    """Run the spec tests once: (file stem, line number) → passed | xfailed | failed."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "specs.xml"
        selection = [] if not files else ["-k", " or ".join(f"{f}:" for f in files)]
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                   str(ROOT / "tests" / "test_specs.py"), f"--junitxml={report}", *selection]
        subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
        tree = ET.parse(report)
    result: dict[tuple[str, int], str] = {}
    for case in tree.iter("testcase"):
        name = case.get("name", "")
        if "[" not in name:
            continue
        stem, lineno = name.split("[", 1)[1].split(":")[:2]
        children = {child.tag for child in case}
        skipped = case.find("skipped")
        if "failure" in children or "error" in children:
            outcome = "failed"
        elif skipped is not None and "xfail" in (skipped.get("type", "") + skipped.get("message", "")):
            outcome = "xfailed"
        else:
            outcome = "passed"
        result[(stem, int(lineno))] = outcome
    return result


def added_lines(since: str) -> dict[str, set[str]]:
    """The spec lines of each file that the revision ``since`` did not have."""
    added: dict[str, set[str]] = {}
    for path in SPECS.glob("*.jsonl"):
        old = subprocess.run(["git", "show", f"{since}:tests/specs/{path.name}"], cwd=ROOT,
                             capture_output=True, text=True, check=False).stdout
        before = {line.strip() for line in old.splitlines()}
        added[path.stem] = {line.strip() for line in path.read_text(encoding="utf-8").splitlines()} - before
    return added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", nargs="*", help="spec file stems (default: all)")
    parser.add_argument("--since", default=FIRST_SEEN, help="count cases added since this git revision")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a Markdown table")
    args = parser.parse_args(argv)

    by_case = phenomena(args.files)
    results = outcomes(args.files)
    added = added_lines(args.since)
    lines = {path.stem: path.read_text(encoding="utf-8").splitlines() for path in SPECS.glob("*.jsonl")}
    rows: dict[int, Phenomenon] = {}
    for (stem, lineno), phenomenon in by_case.items():
        rows[id(phenomenon)] = phenomenon
        outcome = results.get((stem, lineno), "failed")
        if outcome == "passed":
            phenomenon.passed += 1
        elif outcome == "xfailed":
            phenomenon.known_gaps += 1
        else:
            phenomenon.failed += 1
        if lines[stem][lineno - 1].strip() in added.get(stem, set()):
            phenomenon.added += 1
    table = sorted(rows.values(), key=lambda p: (p.file, p.cases[0]))
    totals: dict[str, int] = defaultdict(int)
    for p in table:
        for key in ("passed", "known_gaps", "failed", "added"):
            totals[key] += getattr(p, key)
        totals["cases"] += len(p.cases)
    if args.json:
        print(json.dumps({"since": args.since, "totals": totals, "phenomena": [
            {"file": p.file, "phenomenon": p.title, "cases": len(p.cases), "passed": p.passed,
             "known_gaps": p.known_gaps, "failed": p.failed, f"added_since_{args.since}": p.added}
            for p in table]}, ensure_ascii=False, indent=1))
        return 0
    print(f"| spec file | phenomenon | cases | pass | known gaps | fail | added since {args.since} |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for p in table:
        print(f"| {p.file} | {p.title[:90]} | {len(p.cases)} | {p.passed} | {p.known_gaps} | {p.failed} "
              f"| {p.added} |")
    print(f"| **all** | | {totals['cases']} | {totals['passed']} | {totals['known_gaps']} "
          f"| {totals['failed']} | {totals['added']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
