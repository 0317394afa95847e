#!/usr/bin/env python
"""Speed benchmark of targetex against jieba and Microsoft Recognizers-Text.

Times, on the same texts and in one run:

* ``Extractor.extract`` end to end (one extractor, built once and warmed up);
* ``jieba.lcut`` over the whole text (``jieba.initialize()`` before timing): the
  reference, one word-segmentation pass, the least a Chinese text tool does; target:
  targetex takes <= 0.5x jieba's time;
* Recognizers-Text's Chinese number, percentage, currency and dimension models, when the
  ``recognizers-text-suite`` package imports (it needs ``emoji<2``).

Inputs: every document of ``corpora/*.txt``, the corpus concatenated, and a 10 MB text
made by repeating the corpus.  Besides throughput it measures the time of ``import
targetex`` and to a first result (fresh interpreters), the peak RSS of extracting the
10 MB text, linearity over 1x/10x/100x the corpus and the throughput gain of
``targetex extract --jobs 2`` over ``--jobs 1``.

Every figure is the median of the repetitions after a warm-up, with min and max (the
machine's noise) beside it.  The scorecard goes to ``benchmarks/results/speed-<date>.json``
and a Markdown table for the README is printed at the end.

    python benchmarks/speed.py            # full run (10-15 minutes on 2 cores)
    python benchmarks/speed.py --quick    # fewer repetitions, no 100x (about 3 minutes)

Other processes on the machine distort wall-clock times: the scorecard records how many
cores they kept busy, and CPU-time ratios (robust to that) beside the wall-clock ones.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
RESULTS = ROOT / "benchmarks" / "results"

#: Two short texts for the time to a first result (the second has an amount verb that the
#: lexicon may not list, so it may need jieba's dictionary).
SHORT_NO_DICT = "（一）地区生产总值增长7%左右"
SHORT_WITH_DICT = "（三）建成5G基站1万个，打造示范园区3个。"

SECTIONS = ("startup", "throughput", "linearity", "jobs")  # startup includes the peak RSS

TARGET_RATIO = 0.5  # targetex time / jieba time
TARGET_LINEARITY = 110.0  # time(100x) / time(1x)
TARGET_JOBS = 1.6  # throughput --jobs 2 / --jobs 1

PACKAGES = ("targetex", "jieba", "pint", "recognizers-text-suite", "recognizers-text-number",
            "recognizers-text-number-with-unit", "emoji")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- inputs


def load_corpus(folder: Path) -> list[tuple[str, str]]:
    docs = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))
            if p.name.lower() != "readme.txt"]
    if not docs:
        raise SystemExit(f"no *.txt documents in {folder}")
    return docs


def concatenated(docs: list[tuple[str, str]]) -> str:
    """The documents one after another, each ending with a line break."""
    return "".join(text if text.endswith("\n") else text + "\n" for _, text in docs)


def repeated_to(text: str, megabytes: float) -> tuple[str, int]:
    """``text`` repeated (whole copies) until its UTF-8 form is at least ``megabytes`` MiB."""
    size = len(text.encode("utf-8"))
    copies = max(1, math.ceil(megabytes * 1024 * 1024 / size))
    return text * copies, copies


# --------------------------------------------------------------------------- timing


def summarise(times: list[float], chars: int, warmup: str) -> dict[str, Any]:
    med = statistics.median(times)
    return {
        "reps": len(times),
        "warmup": warmup,
        "median_s": round(med, 6),
        "min_s": round(min(times), 6),
        "max_s": round(max(times), 6),
        "spread": round((max(times) - min(times)) / med, 4) if med else 0.0,
        "chars": chars,
        "chars_per_s": round(chars / med) if med and chars else None,
        "times_s": [round(t, 6) for t in times],
    }


def measure(fn: Callable[[], object], chars: int, reps: int, *, warmup: bool = True,
            budget: float | None = None) -> dict[str, Any]:
    """Median of ``reps`` timed calls of ``fn`` after one untimed warm-up call.

    With ``budget`` (seconds), the repetitions stop early once the next one would end past
    the budget (at least one is always made); the JSON records how many ran.
    """
    if warmup:
        fn()
    times: list[float] = []
    cpu: list[float] = []
    spent = 0.0
    for _ in range(reps):
        gc.collect()
        cpu_start = time.process_time()
        start = time.perf_counter()
        fn()
        took = time.perf_counter() - start
        cpu.append(time.process_time() - cpu_start)
        times.append(took)
        spent += took
        if budget is not None and spent + took > budget:
            break
    result = summarise(times, chars, "one untimed call first" if warmup else "tool already warm")
    # CPU time of this process: unlike the wall time, barely affected by other processes.
    result["cpu_median_s"] = round(statistics.median(cpu), 6)
    result["cpu_times_s"] = [round(t, 6) for t in cpu]
    if budget is not None and len(times) < reps:
        result["budget_limited"] = f"{len(times)} of {reps} repetitions within {budget:.0f}s"
    return result


def run_python(code: str, *args: str, env: dict[str, str] | None = None,
               timeout: float | None = None) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter; it prints one JSON object as its last line."""
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"subprocess failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


# --------------------------------------------------------------------------- tools


class Tools:
    """The three tools, each ready and warm."""

    def __init__(self, with_recognizers: bool) -> None:
        from targetex import Extractor

        start = time.perf_counter()
        self.extractor = Extractor()
        self.extractor_build_s = time.perf_counter() - start

        import jieba

        jieba.setLogLevel(60)
        jieba.initialize()
        self._jieba = jieba
        self.rt_models: list[Any] = []
        self.rt_status = "not requested (--no-recognizers)"
        if with_recognizers:
            self.rt_status = self._load_recognizers()

    def _load_recognizers(self) -> str:
        try:
            from recognizers_number import NumberRecognizer
            from recognizers_number_with_unit import NumberWithUnitRecognizer
            from recognizers_text import Culture

            numbers = NumberRecognizer(Culture.Chinese)
            units = NumberWithUnitRecognizer(Culture.Chinese)
            self.rt_models = [numbers.get_number_model(), numbers.get_percentage_model(),
                              units.get_currency_model(), units.get_dimension_model()]
            self.rt_models[0].parse("增长7%")  # sanity check: the models run
        except Exception as exc:  # any import or runtime failure makes it "not available"
            self.rt_models = []
            return f"not available: {type(exc).__name__}: {exc}"
        return "available"

    def targetex(self, text: str) -> Callable[[], object]:
        return lambda: self.extractor.extract(text)

    def jieba(self, text: str) -> Callable[[], object]:
        return lambda: self._jieba.lcut(text)

    def recognizers(self, text: str) -> Callable[[], object]:
        models = self.rt_models
        return lambda: [model.parse(text) for model in models]

    def recognizers_by_line(self, text: str) -> Callable[[], object]:
        lines = [line for line in text.splitlines() if line.strip()]
        models = self.rt_models
        return lambda: [model.parse(line) for model in models for line in lines]


def compare(tools: Tools, text: str, reps: int, *, warmup: bool, rt_budget: float | None,
            rt: bool) -> dict[str, Any]:
    row: dict[str, Any] = {"chars": len(text), "bytes": len(text.encode("utf-8"))}
    row["targetex"] = measure(tools.targetex(text), len(text), reps, warmup=warmup)
    row["jieba"] = measure(tools.jieba(text), len(text), reps, warmup=warmup)
    row["ratio_targetex_jieba"] = round(row["targetex"]["median_s"] / row["jieba"]["median_s"], 4)
    row["ratio_targetex_jieba_cpu"] = round(
        row["targetex"]["cpu_median_s"] / row["jieba"]["cpu_median_s"], 4)
    if rt and tools.rt_models:
        row["recognizers"] = measure(tools.recognizers(text), len(text), reps, warmup=warmup,
                                     budget=rt_budget)
    return row


# --------------------------------------------------------------------------- fresh processes

_IMPORT_CODE = """
import json, time
start = time.perf_counter()
import targetex
print(json.dumps({"import_s": time.perf_counter() - start}))
"""

_FIRST_CODE = """
import json, sys, time
from pathlib import Path
arg = sys.argv[1]
text = Path(arg[1:]).read_text(encoding="utf-8") if arg.startswith("@") else arg
start = time.perf_counter()
import targetex
doc = targetex.extract(text)
took = time.perf_counter() - start
start = time.perf_counter()
targetex.extract(text)
warm = time.perf_counter() - start
loaded = []
try:  # which lazily built resources the extraction filled (introspection only)
    import functools, targetex.resources, targetex.words
    for module in (targetex.resources, targetex.words):
        for name, obj in sorted(vars(module).items()):
            info = getattr(obj, "cache_info", None)
            if callable(info) and info().currsize:
                loaded.append(module.__name__.split(".")[-1] + "." + name)
except Exception:
    pass
print(json.dumps({"first_s": took, "warm_s": warm, "targets": len(doc.targets), "loaded": loaded}))
"""

_RSS_CODE = """
import json, resource, sys, time
from pathlib import Path

def peak_kib():
    hwm = None
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, hwm

corpus, copies = Path(sys.argv[1]).read_text(encoding="utf-8"), int(sys.argv[2])
from targetex import Extractor
ex = Extractor()
ex.extract(corpus)
warm = peak_kib()
text = corpus * copies
with_text = peak_kib()
start = time.perf_counter()
doc = ex.extract(text)
took = time.perf_counter() - start
after = peak_kib()
print(json.dumps({"after_warmup_kib": warm, "with_input_kib": with_text, "after_extract_kib": after,
                  "chars": len(text), "targets": len(doc.targets), "extract_s": took}))
"""

_SCALE_CODE = """
import gc, json, sys, time
from pathlib import Path
corpus = Path(sys.argv[1]).read_text(encoding="utf-8")
plan = json.loads(sys.argv[2])  # [[copies, reps], ...]
from targetex import Extractor
ex = Extractor()
ex.extract(corpus)  # warm-up: dictionaries and caches
out = {}
for copies, reps in plan:
    text = corpus * copies
    wall, cpu = [], []
    for _ in range(reps):
        gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        ex.extract(text)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    out[str(copies)] = {"times_s": wall, "cpu_times_s": cpu, "chars": len(text)}
    print(json.dumps(out), flush=True)
"""


def import_time(reps: int) -> dict[str, Any]:
    inner = [run_python(_IMPORT_CODE)["import_s"] for _ in range(reps)]
    wall: list[float] = []
    bare: list[float] = []
    for _ in range(reps):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import targetex"], check=True, cwd=ROOT)
        wall.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, cwd=ROOT)
        bare.append(time.perf_counter() - start)
    return {
        "import": summarise(inner, 0, "fresh interpreter each time"),
        "process_with_import": summarise(wall, 0, "fresh interpreter each time"),
        "process_bare_python": summarise(bare, 0, "fresh interpreter each time"),
    }


def first_result(reps: int, corpus_file: Path) -> dict[str, Any]:
    """Fresh interpreter: ``import targetex`` + ``targetex.extract(text)``, timed together.

    targetex builds its word lists and jieba's tables lazily, when a text first needs
    them, so the two short texts may differ.  On the corpus, the one-off cost of the
    lazy loads is the first call minus a second, warm call in the same process.
    """

    def series(label: str, arg: str) -> dict[str, Any]:
        runs = [run_python(_FIRST_CODE, arg) for _ in range(reps)]
        out = summarise([r["first_s"] for r in runs], 0, "fresh interpreter each time")
        out["text"] = label
        out["warm_call_median_s"] = round(statistics.median(r["warm_s"] for r in runs), 6)
        out["one_off_median_s"] = round(statistics.median(r["first_s"] - r["warm_s"] for r in runs), 6)
        out["loaded"] = runs[-1]["loaded"]
        out["targets"] = runs[-1]["targets"]
        return out

    return {"short_text": series(SHORT_NO_DICT, SHORT_NO_DICT),
            "short_text_2": series(SHORT_WITH_DICT, SHORT_WITH_DICT),
            "corpus": series("the corpus concatenated", "@" + str(corpus_file))}


def peak_rss(corpus_file: Path, copies: int) -> dict[str, Any]:
    data = run_python(_RSS_CODE, str(corpus_file), str(copies))
    return {
        "input_copies_of_corpus": copies,
        "chars": data["chars"],
        "targets": data["targets"],
        "extract_s_single_run": round(data["extract_s"], 3),
        # VmHWM is the child's own high-water mark; ru_maxrss can also count the parent's
        # pages at fork time (Linux keeps the larger of the pre- and post-exec peaks), so it
        # is only a cross-check, and this measure runs first, while the parent is small.
        "peak_rss_mib_after_warmup": _mib(data["after_warmup_kib"]),
        "peak_rss_mib_with_input": _mib(data["with_input_kib"]),
        "peak_rss_mib": _mib(data["after_extract_kib"]),
        "ru_maxrss_mib": round(data["after_extract_kib"][0] / 1024, 1),
        "method": "/proc/self/status VmHWM (else getrusage ru_maxrss) in a fresh process",
    }


def _mib(pair: list[int | None]) -> float:
    maxrss, hwm = pair
    return round((hwm if hwm is not None else maxrss or 0) / 1024, 1)


def linearity(corpus_file: Path, reps: int, big_reps: int, with_100x: bool,
              timeout: float) -> dict[str, Any]:
    """Corpus x1, x10 and x100 timed in one fresh process (one code version, one heap)."""
    plan = [[1, reps], [10, reps]] + ([[100, big_reps]] if with_100x else [])
    out: dict[str, Any] = {"method": "one fresh process, warmed on the corpus; 1x, 10x, 100x in turn"}
    proc = subprocess.Popen([sys.executable, "-c", _SCALE_CODE, str(corpus_file), json.dumps(plan)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        timed_out = True
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"linearity run failed: {stderr.strip()[-2000:]}")
    data = json.loads(lines[-1])  # each line holds everything timed so far
    for copies, _ in plan:
        cell = data.get(str(copies))
        if cell is None:
            out[f"{copies}x"] = f"not finished within {timeout:.0f}s" if timed_out else "failed"
            continue
        summary = summarise(cell["times_s"], cell["chars"], "fresh process warmed on the corpus")
        summary["cpu_median_s"] = round(statistics.median(cell["cpu_times_s"]), 6)
        summary["cpu_times_s"] = [round(t, 6) for t in cell["cpu_times_s"]]
        out[f"{copies}x"] = summary
    one = out["1x"]
    for copies in (10, 100):
        cell = out.get(f"{copies}x")
        if isinstance(cell, dict):
            out[f"ratio_{copies}x"] = round(cell["median_s"] / one["median_s"], 2)
            out[f"ratio_{copies}x_cpu"] = round(cell["cpu_median_s"] / one["cpu_median_s"], 2)
    if with_100x:
        ratio = out.get("ratio_100x")
        out["meets_target"] = ratio is not None and ratio <= TARGET_LINEARITY
    else:
        out["100x"] = "skipped (--quick)"
    out["target"] = f"time(100x) <= {TARGET_LINEARITY:g} x time(1x)"
    return out


def jobs_speedup(docs: list[tuple[str, str]], copies: int, reps: int) -> dict[str, Any]:
    """``targetex extract FOLDER --jobs 1`` vs ``--jobs 2`` (runs alternate, against drift).

    Also times both on a folder of two tiny documents (the fixed cost: interpreter start,
    worker start-up and dictionary load in every worker) and reports the marginal ratio,
    with the fixed cost taken out.
    """
    import resource

    cli = [sys.executable, "-m", "targetex", "extract"]
    usage = subprocess.run([*cli, "--help"], capture_output=True, text=True, cwd=ROOT)
    if usage.returncode != 0 or "--jobs" not in usage.stdout:
        return {"status": "not available: `targetex extract` has no --jobs option"}
    smallest = min(docs, key=lambda d: len(d[1]))
    with tempfile.TemporaryDirectory(prefix="targetex-jobs-") as tmp:
        folder, tiny = Path(tmp) / "in", Path(tmp) / "tiny"
        for i in range(copies):
            sub = folder / f"copy{i:03d}"
            sub.mkdir(parents=True)
            for name, text in docs:
                (sub / f"{name}.txt").write_text(text, encoding="utf-8")
        tiny.mkdir()
        for i in range(2):
            (tiny / f"{smallest[0]}-{i}.txt").write_text(smallest[1], encoding="utf-8")
        chars = copies * sum(len(text) for _, text in docs)
        out_file = Path(tmp) / "out.jsonl"
        result: dict[str, Any] = {"files": copies * len(docs), "copies_of_corpus": copies,
                                  "chars": chars,
                                  "command": "python -m targetex extract DIR --format jsonl -o OUT "
                                             "--quiet --jobs N"}

        def run(where: Path, jobs: int) -> tuple[float, float, float | None]:
            before, busy_before = resource.getrusage(resource.RUSAGE_CHILDREN), system_busy()
            start = time.perf_counter()
            subprocess.run([*cli, str(where), "--format", "jsonl", "-o", str(out_file), "--quiet",
                            "--jobs", str(jobs)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
            took = time.perf_counter() - start
            after, busy_after = resource.getrusage(resource.RUSAGE_CHILDREN), system_busy()
            used = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            others = None
            if busy_before is not None and busy_after is not None:
                others = max(0.0, busy_after - busy_before - used)
            return took, used, others

        for where, label, size in ((folder, "", chars), (tiny, "fixed_", 2 * len(smallest[1]))):
            wall: dict[int, list[float]] = {1: [], 2: []}
            cpu: dict[int, list[float]] = {1: [], 2: []}
            other: dict[int, list[float]] = {1: [], 2: []}
            for _ in range(reps):
                for jobs in (1, 2):
                    took, used, others = run(where, jobs)
                    wall[jobs].append(took)
                    cpu[jobs].append(used)
                    if others is not None:
                        other[jobs].append(others / took)
            for jobs in (1, 2):
                cell = summarise(wall[jobs], size, "runs of --jobs 1 and 2 alternate")
                cell["cpu_all_processes_median_s"] = round(statistics.median(cpu[jobs]), 3)
                # Cores' worth of CPU this run got (2.0 = both cores), and what other
                # processes on the machine used meanwhile (in cores).
                cell["cores_used"] = round(statistics.median(c / w for c, w in zip(cpu[jobs], wall[jobs],
                                                                                   strict=True)), 2)
                if other[jobs]:
                    cell["cores_used_by_other_processes"] = round(statistics.median(other[jobs]), 2)
                result[f"{label}jobs{jobs}"] = cell
        ratio = result["jobs1"]["median_s"] / result["jobs2"]["median_s"]
        result["throughput_ratio"] = round(ratio, 3)
        # Whatever the machine's load: with perfect overlap on two free cores, --jobs 2 can
        # go at most 2 x (CPU of --jobs 1) / (CPU of --jobs 2) times as fast.
        cpu1 = result["jobs1"]["cpu_all_processes_median_s"]
        cpu2 = result["jobs2"]["cpu_all_processes_median_s"]
        result["ceiling_two_free_cores"] = round(2 * cpu1 / cpu2, 3)
        net1 = result["jobs1"]["median_s"] - result["fixed_jobs1"]["median_s"]
        net2 = result["jobs2"]["median_s"] - result["fixed_jobs2"]["median_s"]
        result["marginal_throughput_ratio"] = round(net1 / net2, 3) if net2 > 0 else None
        result["target"] = f">= {TARGET_JOBS}"
        result["meets_target"] = ratio >= TARGET_JOBS
        result["note"] = ("each run is a fresh CLI process: start-up, dictionary load in every "
                          "worker and output writing are included; fixed_* = the same on two tiny "
                          "files; marginal = (jobs1 - fixed_jobs1) / (jobs2 - fixed_jobs2)")
    return result


def own_cpu() -> float:
    """CPU seconds used by this process and its finished children."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def system_busy() -> float | None:
    """CPU seconds all processes of the machine have used since boot (from /proc/stat)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except (OSError, IndexError):
        return None
    ticks = [int(x) for x in fields[:7]]  # user nice system idle iowait irq softirq
    busy = sum(ticks) - ticks[3] - ticks[4]
    return busy / os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------- report


def machine_info() -> dict[str, Any]:
    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    commit = None
    if shutil.which("git"):
        proc = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True)
        if proc.returncode == 0:
            dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src", "models"],
                                   capture_output=True, text=True).stdout.strip()
            commit = proc.stdout.strip() + ("+uncommitted changes in src/ or models/" if dirty else "")
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": cpu_model,
        "memory_gib": mem,
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "packages": versions,
        "commit": commit,
        "loadavg_start": list(os.getloadavg()),
    }


def fmt_rate(cell: dict[str, Any] | None) -> str:
    if not cell:
        return "n/a"
    rate = cell["chars_per_s"]
    text = f"{rate / 1000:,.0f} k" if rate >= 10_000 else f"{rate:,}"
    return text + ("*" if cell.get("budget_limited") else "")


def fmt_noise(cell: dict[str, Any]) -> str:
    return f"{cell['min_s']:.3g}–{cell['max_s']:.3g} s"


def markdown(card: dict[str, Any]) -> str:
    lines: list[str] = []
    inputs = card.get("inputs")
    if inputs:
        lines += ["| input | chars | targetex chars/s | jieba.lcut chars/s | time targetex / jieba (CPU) "
                  "| Recognizers-Text chars/s |",
                  "|---|---:|---:|---:|---:|---:|"]
        docs = inputs["documents"]
        total_chars = sum(d["chars"] for d in docs.values())

        def total(tool: str) -> dict[str, Any] | None:
            cells = [d.get(tool) for d in docs.values()]
            if not all(cells):
                return None
            seconds = sum(c["median_s"] for c in cells if c)
            cpu = sum(c.get("cpu_median_s", 0.0) for c in cells if c)
            return {"chars_per_s": round(total_chars / seconds), "median_s": seconds, "cpu_median_s": cpu,
                    "budget_limited": any(c.get("budget_limited") for c in cells if c)}

        t_docs, j_docs = total("targetex"), total("jieba")
        assert t_docs and j_docs
        lines.append(f"| {len(docs)} documents, one by one | {total_chars:,} | {fmt_rate(t_docs)} "
                     f"| {fmt_rate(j_docs)} | {t_docs['median_s'] / j_docs['median_s']:.2f} "
                     f"({t_docs['cpu_median_s'] / j_docs['cpu_median_s']:.2f}) "
                     f"| {fmt_rate(total('recognizers'))} |")
        big_label = f"{card['settings']['size_mb']:g} MB (corpus repeated)"
        for key, label in (("corpus", "corpus concatenated"), ("10mb", big_label)):
            row = inputs.get(key)
            if not row:
                continue
            rt = row.get("recognizers")
            rt_text = fmt_rate(rt) if isinstance(rt, dict) else "not run"
            lines.append(f"| {label} | {row['chars']:,} | {fmt_rate(row['targetex'])} "
                         f"| {fmt_rate(row['jieba'])} | {row['ratio_targetex_jieba']:.2f} "
                         f"({row['ratio_targetex_jieba_cpu']:.2f}) | {rt_text} |")
        lines.append("")
    lines += ["| measure | value |", "|---|---|"]
    startup = card.get("startup")
    if startup:
        imp = startup["import"]["import"]
        lines.append(f"| `import targetex` | {imp['median_s'] * 1000:.0f} ms ({fmt_noise(imp)}) |")
        first = startup["first_result"]
        for key in ("short_text", "short_text_2"):
            cell = first[key]
            lines.append(f"| first result: import + extract `{cell['text']}` | {cell['median_s']:.2f} s "
                         f"({fmt_noise(cell)}) |")
        cold = first["corpus"]
        lines.append(f"| first result on the corpus: import + extract, fresh process "
                     f"| {cold['median_s']:.2f} s (warm call {cold['warm_call_median_s']:.2f} s; one-off "
                     f"loads {cold['one_off_median_s']:.2f} s) |")
    rss = card.get("peak_rss")
    if isinstance(rss, dict):
        lines.append(f"| peak RSS, extracting {rss['chars'] / 1e6:.1f} M chars "
                     f"({card['settings']['size_mb']:g} MB) "
                     f"| {rss['peak_rss_mib']:.0f} MiB (after warm-up {rss['peak_rss_mib_after_warmup']:.0f}"
                     " MiB) |")
    lin = card.get("linearity")
    if lin:
        lin_text = f"10x: {lin.get('ratio_10x')}x the time"
        if "ratio_100x" in lin:
            lin_text += f"; 100x: {lin['ratio_100x']}x the time (target <= {TARGET_LINEARITY:g})"
        elif isinstance(lin.get("100x"), str):
            lin_text += f"; 100x: {lin['100x']}"
        lines.append(f"| linearity (corpus x1 → x10 → x100) | {lin_text} |")
    jobs = card.get("jobs")
    if isinstance(jobs, dict) and "throughput_ratio" in jobs:
        lines.append(f"| `--jobs 2` vs `--jobs 1` throughput ({jobs['files']} files) "
                     f"| {jobs['throughput_ratio']:.2f}x measured (target >= {TARGET_JOBS}); at most "
                     f"{jobs['ceiling_two_free_cores']:.2f}x on two free cores (CPU overhead of the "
                     "workers) |")
    elif isinstance(jobs, dict):
        lines.append(f"| `--jobs 2` | {jobs.get('status')} |")
    lines.append("")
    busy = card["machine"].get("cores_used_by_other_processes")
    if busy is not None and busy > 0.2:
        lines.append(f"Other processes kept {busy} of {card['machine']['cpu_count']} cores busy during "
                     "this run: the wall-clock figures are pessimistic; CPU-time ratios are less affected.")
    note = ""
    if "tools" in card:
        note = (" Recognizers-Text: Chinese number, percentage, currency and dimension models "
                f"({card['tools']['recognizers']['status']}); * = fewer runs (time budget).")
    lines.append(f"Median of {card['settings']['reps']} runs after a warm-up; {card['machine']['cpu_count']}"
                 f" CPUs, Python {card['machine']['python']}, {card['date']}.{note}")
    return "\n".join(lines)


def details(card: dict[str, Any]) -> str:
    if "inputs" not in card:
        return ""
    lines = ["| document | chars | targetex chars/s | jieba chars/s | ratio | RT chars/s "
             "| targetex min–max |", "|---|---:|---:|---:|---:|---:|---|"]
    for name, row in card["inputs"]["documents"].items():
        lines.append(f"| {name} | {row['chars']:,} | {fmt_rate(row['targetex'])} | {fmt_rate(row['jieba'])} "
                     f"| {row['ratio_targetex_jieba']:.2f} | {fmt_rate(row.get('recognizers'))} "
                     f"| {fmt_noise(row['targetex'])} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def throughput(card: dict[str, Any], args: argparse.Namespace, docs: list[tuple[str, str]],
               corpus: str, copies: int, reps: int, big_reps: int) -> None:
    """The three tools on each document, the corpus and the big input (fills ``card``)."""
    log("loading tools")
    tools = Tools(with_recognizers=not args.no_recognizers)
    card["tools"] = {
        "targetex": {"call": "Extractor().extract(text)",
                     "extractor_build_s": round(tools.extractor_build_s, 3)},
        "jieba": {"call": "jieba.lcut(text) after jieba.initialize()"},
        "recognizers": {"status": tools.rt_status,
                        "call": "model.parse(text) for the Chinese number, percentage, currency and "
                                "dimension models"},
    }
    rt = bool(tools.rt_models)
    card["inputs"] = {"documents": {}}
    for name, text in docs:
        log(f"document {name} ({len(text):,} chars)")
        card["inputs"]["documents"][name] = compare(tools, text, reps, warmup=True,
                                                    rt_budget=args.rt_budget, rt=rt)
    log(f"corpus ({len(corpus):,} chars)")
    card["inputs"]["corpus"] = compare(tools, corpus, reps, warmup=True, rt_budget=args.rt_budget, rt=rt)
    if rt:
        by_line = measure(tools.recognizers_by_line(corpus), len(corpus), reps, budget=args.rt_budget)
        card["inputs"]["corpus"]["recognizers_by_line"] = by_line

    big = corpus * copies
    log(f"{args.size_mb:g} MB input ({len(big):,} chars, {copies} copies), {big_reps} reps")
    row = compare(tools, big, big_reps, warmup=False, rt_budget=None, rt=False)
    row["copies_of_corpus"] = copies
    if rt and args.rt_10mb:
        row["recognizers"] = measure(tools.recognizers_by_line(big), len(big), 1, warmup=False)
        row["recognizers"]["mode"] = "line by line"
    elif rt:
        row["recognizers"] = ("not run: its currency and dimension models are super-linear on long "
                              "texts (see corpus x2 in the scorecard); --rt-10mb runs it line by line")
    card["inputs"]["10mb"] = row
    del big
    if rt and not args.quick:
        log("Recognizers-Text on the corpus twice over (scaling)")
        doubled = corpus * 2
        card["inputs"]["corpus"]["recognizers_2x_once"] = measure(
            tools.recognizers(doubled), len(doubled), 1, warmup=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], epilog="Targets: time targetex/jieba <= 0.5; "
        "time(100x)/time(1x) <= 110; --jobs 2 throughput >= 1.6x --jobs 1.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="3 repetitions, 10 MB input timed once, no 100x, smaller --jobs folder")
    parser.add_argument("--reps", type=int, help="timed repetitions per measurement (default 5, quick 3)")
    parser.add_argument("--big-reps", type=int,
                        help="repetitions for the 10 MB and 100x inputs (default --reps; quick: 1, "
                             "and no 100x)")
    parser.add_argument("--size-mb", type=float, default=10.0, help="size of the big input in MiB (10)")
    parser.add_argument("--corpus", type=Path, default=CORPORA, help="folder of *.txt documents")
    parser.add_argument("--no-recognizers", action="store_true", help="skip Recognizers-Text")
    parser.add_argument("--rt-budget", type=float, default=60.0,
                        help="seconds of timed runs per Recognizers-Text measurement (60)")
    parser.add_argument("--rt-10mb", action="store_true",
                        help="also run Recognizers-Text (line by line) on the 10 MB input, once")
    parser.add_argument("--no-jobs", action="store_true", help="skip the --jobs 1 vs 2 measurement")
    parser.add_argument("--jobs-copies", type=int,
                        help="copies of the corpus's documents in the --jobs folder (default 50, "
                             "about 10 MB; quick 12)")
    parser.add_argument("--timeout-100x", type=float, default=1500.0,
                        help="give up the linearity run (1x, 10x, 100x) after this many seconds (1500)")
    parser.add_argument("--only", action="append", choices=SECTIONS, metavar="SECTION",
                        help=f"run only these sections (repeatable): {', '.join(SECTIONS)}")
    parser.add_argument("-o", "--output", type=Path,
                        help="scorecard path (default benchmarks/results/speed-<date>[-quick].json)")
    args = parser.parse_args(argv)

    reps = args.reps or (3 if args.quick else 5)
    big_reps = args.big_reps or (1 if args.quick else reps)
    jobs_copies = args.jobs_copies or (12 if args.quick else 50)
    sections = set(args.only or SECTIONS) - ({"jobs"} if args.no_jobs else set())
    today = dt.date.today().isoformat()
    suffix = ("-quick" if args.quick else "") + ("-" + "-".join(sorted(sections)) if args.only else "")
    output = args.output or RESULTS / f"speed-{today}{suffix}.json"
    began, busy_began, own_began = time.perf_counter(), system_busy(), own_cpu()

    docs = load_corpus(args.corpus)
    corpus = concatenated(docs)
    copies = repeated_to(corpus, args.size_mb)[1]
    card: dict[str, Any] = {
        "date": today,
        "machine": machine_info(),
        "settings": {"reps": reps, "big_reps": big_reps, "quick": args.quick, "size_mb": args.size_mb,
                     "corpus": str(args.corpus), "documents": len(docs), "sections": sorted(sections)},
    }
    with tempfile.TemporaryDirectory(prefix="targetex-speed-") as tmp:
        corpus_file = Path(tmp) / "corpus.txt"
        corpus_file.write_text(corpus, encoding="utf-8")
        if "startup" in sections:
            # Fresh-process measures first, while this process is small (see peak_rss).
            log("peak RSS on the 10 MB input")
            card["peak_rss"] = peak_rss(corpus_file, copies)
            log("import time and first result")
            card["startup"] = {"import": import_time(5), "first_result": first_result(5, corpus_file)}
        if "throughput" in sections:
            throughput(card, args, docs, corpus, copies, reps, big_reps)
        if "linearity" in sections:
            log("linearity")
            card["linearity"] = linearity(corpus_file, reps, big_reps, with_100x=not args.quick,
                                          timeout=args.timeout_100x)
    if "jobs" in sections:
        log(f"--jobs 1 vs 2 on {jobs_copies} copies of the corpus")
        card["jobs"] = jobs_speedup(docs, jobs_copies, reps)

    summary: dict[str, Any] = {}
    if "inputs" in card:
        corpus_row, big_row = card["inputs"]["corpus"], card["inputs"]["10mb"]
        summary.update({
            "ratio_targetex_jieba_corpus": corpus_row["ratio_targetex_jieba"],
            "ratio_targetex_jieba_10mb": big_row["ratio_targetex_jieba"],
            "ratio_targetex_jieba_cpu_corpus": corpus_row["ratio_targetex_jieba_cpu"],
            "ratio_targetex_jieba_cpu_10mb": big_row["ratio_targetex_jieba_cpu"],
            "ratio_target": f"<= {TARGET_RATIO}",
            "meets_ratio_target": max(corpus_row["ratio_targetex_jieba"],
                                      big_row["ratio_targetex_jieba"]) <= TARGET_RATIO,
        })
    spreads = [cell["spread"] for cell in _cells(card) if cell["reps"] > 1]
    summary["noise_worst_spread"] = max(spreads) if spreads else None
    summary["noise_median_spread"] = statistics.median(spreads) if spreads else None
    card["summary"] = summary

    card["machine"]["loadavg_end"] = list(os.getloadavg())
    card["wall_s"] = round(time.perf_counter() - began, 1)
    busy_end = system_busy()
    if busy_began is not None and busy_end is not None:
        others = (busy_end - busy_began) - (own_cpu() - own_began)
        # Average number of cores that other processes kept busy during the run: on a
        # 2-core machine, anything above ~0.2 makes the wall-clock figures unreliable.
        card["machine"]["cores_used_by_other_processes"] = round(max(0.0, others) / card["wall_s"], 2)
    table = markdown(card)
    card["markdown"] = table
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(table)
    print()
    print(details(card))
    print()
    summary, machine = card["summary"], card["machine"]
    if summary["noise_median_spread"] is not None:
        print(f"noise (max-min)/median over repeated measurements: median "
              f"{summary['noise_median_spread']:.1%}, worst {summary['noise_worst_spread']:.1%}")
    print("load average "
          f"{machine['loadavg_start'][0]:.2f} at start, {machine['loadavg_end'][0]:.2f} at end; other "
          f"processes kept {machine.get('cores_used_by_other_processes', '?')} cores busy on average")
    print(f"scorecard: {output} ({card['wall_s']:.0f} s)")
    return 0


def _cells(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every timing summary in the scorecard."""
    found: list[dict[str, Any]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "median_s" in node and "reps" in node:
                found.append(node)
            else:
                for value in node.values():
                    walk(value)

    walk(card)
    return found


if __name__ == "__main__":
    sys.exit(main())
