#!/usr/bin/env python
"""Throughput of the local batch (``--jobs 1``/``2``) and of Dask (1 and 2 workers), in one run.

The corpus (``corpora/*.txt``) is copied ``--copies`` times into a folder (a few hundred
documents), and the same batch is run, in rounds that alternate the modes (against the
drift of a shared machine):

* **end to end**: ``targetex extract FOLDER -o OUT --quiet`` as a fresh process, with
  ``--jobs 1``, ``--jobs 2``, ``--dask local:1`` and ``--dask local:2``: what a user waits
  for, cluster start-up included;
* **warm**: the same command run inside this process (``targetex.cli.main``) with the
  workers already started and warmed up: the local batch, and ``--dask ADDRESS`` against a
  running cluster of 1 and of 2 workers; and ``run_batch(..., chunk=1)`` on the 1-worker
  cluster (one document per task: the scheduler's cost per task).

Reported: median seconds and documents per second of each mode, throughput as a ratio to
``--jobs 1`` of the same kind (end to end / warm), the time Dask adds per document
((warm Dask 1 worker − warm ``--jobs 1``) / documents), and the machine's load: load
averages at the start and end, and the cores' worth of CPU that other processes used during
each mode (from ``/proc/stat``, less this process and its children).

    python benchmarks/scale.py                       # about 3 minutes on 2 cores
    python benchmarks/scale.py --copies 20 --reps 5
    python benchmarks/scale.py --scheduler tcp://HOST:8786 --workdir /shared/scratch

With ``--scheduler``, the Dask modes run on that cluster (with the workers it has) instead
of local clusters of 1 and 2 workers; ``--workdir`` must then be a folder its workers read
at the same path.  Results: ``benchmarks/results/scale-<date>.json`` and a Markdown table.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from speed import machine_info, system_busy  # noqa: E402  (the same machine record as speed.py)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def our_cpu() -> float:
    """CPU seconds of this process, its finished children and its live descendants
    (the workers of a local cluster)."""
    import resource

    import psutil

    me, done = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    total = me.ru_utime + me.ru_stime + done.ru_utime + done.ru_stime
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            times = child.cpu_times()
            total += times.user + times.system
    return total


def make_batch(folder: Path, copies: int) -> tuple[int, int]:
    """The corpus copied ``copies`` times into ``folder``: (documents, characters)."""
    docs = sorted(p for p in (ROOT / "corpora").glob("*.txt") if not p.name.lower().startswith("readme"))
    chars = 0
    for i in range(copies):
        sub = folder / f"copy{i:03d}"
        sub.mkdir(parents=True)
        for path in docs:
            text = path.read_text(encoding="utf-8")
            (sub / path.name).write_text(text, encoding="utf-8")
            chars += len(text)
    return copies * len(docs), chars


class Timer:
    """Times runs of one mode: wall seconds, CPU seconds of this process and its children
    (the local cluster's workers and scheduler included), and the cores' worth of CPU other
    processes used meanwhile."""

    def __init__(self) -> None:
        self.seconds: list[float] = []
        self.cpu: list[float] = []
        self.other_cores: list[float] = []

    def run(self, fn: Callable[[], object]) -> None:
        busy, ours = system_busy(), our_cpu()
        start = time.perf_counter()
        fn()
        took = time.perf_counter() - start
        after_busy, after_ours = system_busy(), our_cpu()
        self.seconds.append(took)
        self.cpu.append(after_ours - ours)
        if busy is not None and after_busy is not None:
            self.other_cores.append(max(0.0, (after_busy - busy) - (after_ours - ours)) / took)

    def summary(self, documents: int) -> dict[str, Any]:
        median = statistics.median(self.seconds)
        return {"median_s": round(median, 3), "min_s": round(min(self.seconds), 3),
                "max_s": round(max(self.seconds), 3), "times_s": [round(s, 3) for s in self.seconds],
                "docs_per_s": round(documents / median, 1),
                "cpu_ms_per_document": round(1000 * statistics.median(self.cpu) / documents, 2),
                "other_processes_cores": round(statistics.median(self.other_cores), 2) if self.other_cores
                else None}


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "targetex", "extract", *args, "--quiet"]


def fresh_process(command: list[str]) -> Callable[[], object]:
    def run() -> None:
        # Exit status 0: every document of the batch was read.
        subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return run


def in_process(argv: list[str]) -> Callable[[], object]:
    from targetex.cli import main

    def run() -> None:
        status = main(argv)
        if status != 0:
            raise SystemExit(f"targetex {' '.join(argv)} exited {status}")
    return run


@contextlib.contextmanager
def clusters(scheduler: str | None) -> Iterator[dict[str, Any]]:
    """Clients of the clusters the Dask modes run on: ``{label: client}``."""
    import logging

    from distributed import Client, LocalCluster

    with contextlib.ExitStack() as stack:
        if scheduler:
            yield {"cluster": stack.enter_context(Client(scheduler, timeout="10s"))}
            return
        out = {}
        for workers in (1, 2):
            cluster = stack.enter_context(LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                silence_logs=logging.ERROR))
            out[f"{workers} worker{'s' if workers > 1 else ''}"] = stack.enter_context(Client(cluster))
        yield out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=10,
                        help="copies of the corpus (default 10: 390 documents)")
    parser.add_argument("--reps", type=int, default=3, help="rounds (default 3; the median is reported)")
    parser.add_argument("--scheduler", help="run the Dask modes on this running cluster (tcp://HOST:PORT)")
    parser.add_argument("--workdir", type=Path, help="where to write the batch (a folder the workers can "
                                                     "read; default: a temporary folder)")
    parser.add_argument("--no-end-to-end", action="store_true", help="only the warm modes")
    parser.add_argument("--json", type=Path,
                        help="scorecard path (default benchmarks/results/scale-DATE.json)")
    args = parser.parse_args(argv)

    import logging

    from targetex.dask import Item, run_batch

    settings = vars(args) | {"json": None, "workdir": None}
    card: dict[str, Any] = {"machine": machine_info(), "settings": settings}
    card["machine"]["packages"] |= {name: metadata.version(name) for name in ("dask", "distributed", "pandas",
                                                                               "pyarrow")}
    began, busy_began, ours_began = time.perf_counter(), system_busy(), our_cpu()
    with tempfile.TemporaryDirectory(prefix="targetex-scale-", dir=args.workdir) as tmp:
        folder = Path(tmp) / "in"
        documents, chars = make_batch(folder, args.copies)
        card["batch"] = {"documents": documents, "characters": chars, "copies_of_corpus": args.copies}
        log(f"batch: {documents} documents, {chars:,} characters in {folder}")
        out = Path(tmp) / "out"

        def out_file() -> str:
            shutil.rmtree(out, ignore_errors=True)
            return str(out / "targets.parquet")

        with clusters(args.scheduler) as clients:
            logging.getLogger("distributed").setLevel(logging.ERROR)
            # name -> (kind, worker processes, a maker of one run)
            modes: dict[str, tuple[str, int, Callable[[], Callable[[], object]]]] = {}
            sizes = {label: len(client.nthreads()) for label, client in clients.items()}
            if not args.no_end_to_end:
                for jobs in (1, 2):
                    modes[f"end to end: --jobs {jobs}"] = ("end", jobs, lambda jobs=jobs: fresh_process(
                        cli(str(folder), "-o", out_file(), "--jobs", str(jobs))))
                targets = ({args.scheduler: sum(sizes.values())} if args.scheduler
                           else {"local:1": 1, "local:2": 2})
                for address, size in targets.items():
                    modes[f"end to end: --dask {address}"] = ("end", size, lambda address=address: (
                        fresh_process(cli(str(folder), "-o", str(out / "dask"), "--dask", address))))
            for jobs in (1, 2):
                modes[f"warm: --jobs {jobs}"] = ("warm", jobs, lambda jobs=jobs: in_process(
                    ["extract", str(folder), "-o", out_file(), "--jobs", str(jobs), "--quiet"]))
            for label, client in clients.items():
                address = client.scheduler.address
                modes[f"warm: --dask, {label}"] = ("warm", sizes[label], lambda address=address: in_process(
                    ["extract", str(folder), "--dask", address, "-o", str(out / "dask"), "--quiet"]))
            first_label, first = next(iter(clients.items()))
            files = sorted(p for p in folder.rglob("*.txt"))
            items = [Item(str(p.relative_to(folder).with_suffix("")), path=str(p)) for p in files]

            def one_per_task() -> Callable[[], object]:
                def run() -> None:
                    target = out / "chunk1"
                    shutil.rmtree(target, ignore_errors=True)
                    list(run_batch(first, items, target, chunk=1))
                return run
            modes[f"warm: one document per task, {first_label}"] = ("warm", sizes[first_label], one_per_task)

            log("warm-up: every mode once")
            for _, _, make in modes.values():
                make()()
            timers = {name: Timer() for name in modes}
            for rep in range(args.reps):
                for name, (_, _, make) in modes.items():
                    log(f"round {rep + 1}/{args.reps}: {name}")
                    timers[name].run(make())
    took = time.perf_counter() - began
    results = {name: timer.summary(documents) for name, timer in timers.items()}
    for name, cell in results.items():
        kind, processes, _ = modes[name]
        base = results[f"{'end to end' if kind == 'end' else 'warm'}: --jobs 1"]
        cell["throughput_vs_jobs1"] = round(base["median_s"] / cell["median_s"], 2)
        # What the machine's load cannot hide: with every worker on a free core and the
        # work perfectly spread, the throughput ratio is at most processes x CPU(--jobs 1) /
        # CPU(this mode).
        cell["worker_processes"] = processes
        cell["ceiling_vs_jobs1_free_cores"] = round(
            processes * base["cpu_ms_per_document"] / cell["cpu_ms_per_document"], 2)
    dask_one = next(name for name in results if name.startswith("warm: --dask"))
    added = (results[dask_one]["median_s"] - results["warm: --jobs 1"]["median_s"]) / documents
    chunk_one = next(name for name in results if name.startswith("warm: one document per task"))
    added_per_task = (results[chunk_one]["median_s"] - results["warm: --jobs 1"]["median_s"]) / documents
    card["results"] = results
    card["dask_added_cpu_ms_per_document"] = round(
        results[dask_one]["cpu_ms_per_document"] - results["warm: --jobs 1"]["cpu_ms_per_document"], 2)
    card["dask_added_cpu_ms_per_document_one_per_task"] = round(
        results[chunk_one]["cpu_ms_per_document"] - results["warm: --jobs 1"]["cpu_ms_per_document"], 2)
    card["dask_added_ms_per_document"] = round(1000 * added, 2)
    card["dask_added_ms_per_document_one_per_task"] = round(1000 * added_per_task, 2)
    busy_end, ours_end = system_busy(), our_cpu()
    card["machine"]["loadavg_end"] = list(os.getloadavg())
    card["machine"]["seconds"] = round(took, 1)
    if busy_began is not None and busy_end is not None:
        card["machine"]["other_processes_cores"] = round(
            max(0.0, (busy_end - busy_began) - (ours_end - ours_began)) / took, 2)

    path = args.json or RESULTS / f"scale-{dt.date.today().isoformat()}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(card, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(markdown(card))
    log(f"scorecard: {path}")
    return 0


def markdown(card: dict[str, Any]) -> str:
    machine = card["machine"]
    batch = card["batch"]
    lines = [f"{batch['documents']} documents ({batch['characters']:,} characters: the corpus "
             f"x{batch['copies_of_corpus']}), median of {card['settings']['reps']} rounds after a "
             "warm-up, modes alternating:", "",
             "| mode | seconds (min–max) | documents/s | throughput vs --jobs 1 | CPU ms/document "
             "| at most, on free cores | other processes (cores) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, cell in card["results"].items():
        other = "" if cell["other_processes_cores"] is None else f"{cell['other_processes_cores']:.2f}"
        lines.append(f"| {name} | {cell['median_s']:.2f} ({cell['min_s']:.2f}–{cell['max_s']:.2f}) | "
                     f"{cell['docs_per_s']:.0f} | {cell['throughput_vs_jobs1']:.2f} | "
                     f"{cell['cpu_ms_per_document']:.1f} | {cell['ceiling_vs_jobs1_free_cores']:.2f} | "
                     f"{other} |")
    lines += ["",
              f"Dask adds {card['dask_added_ms_per_document']:.2f} ms per document of wall time on one warm "
              f"worker ({card['dask_added_ms_per_document_one_per_task']:.2f} ms with one document per "
              f"task), and {card['dask_added_cpu_ms_per_document']:.2f} ms of CPU, all processes "
              f"({card['dask_added_cpu_ms_per_document_one_per_task']:.2f} ms with one document per task).",
              "CPU ms/document: this process, its children and the local clusters' processes; at most, on "
              "free cores: worker processes x CPU of --jobs 1 / CPU of the mode.",
              f"Machine: {machine['cpu_count']} CPUs, load average {machine['loadavg_start'][0]:.2f} at the "
              f"start and {machine['loadavg_end'][0]:.2f} at the end; other processes used "
              f"{machine.get('other_processes_cores', '?')} cores on average over the {machine['seconds']} s "
              "run."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
