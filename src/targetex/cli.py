"""Command line: ``targetex extract``, ``targetex eval`` and ``targetex segment``.

Exit status: 0 success; 1 some inputs could not be read (the others were processed);
2 bad usage; 3 the output could not be written; 4 a gold file is malformed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from targetex import __version__
from targetex.errors import GoldError, InputError
from targetex.records import Document

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_OUTPUT, EXIT_GOLD = 0, 1, 2, 3, 4
FORMATS = ("table", "json", "jsonl", "csv")

_EXTRACT_EPILOG = """examples:
  targetex extract corpora/cixi-2021.txt
  targetex extract corpora/cixi-2021.txt --format json -o cixi.json
  targetex extract reports/ --format csv -o targets.csv --jobs 2

exit status: 0 ok, 1 some inputs failed (others were written), 2 usage, 3 cannot write output"""

_EVAL_EPILOG = """examples:
  targetex eval corpora/
  targetex eval corpora/ --json > scores.json

Scores follow ANNOTATION.md section 6. Exit status 4 when a gold file is malformed."""


def _error(message: str) -> None:
    print(f"targetex: error: {message}", file=sys.stderr)


def _walk(paths: Sequence[str]) -> tuple[list[Path], list[str]]:
    """Expand folders into their text documents, in sorted order; report missing paths."""
    from targetex.io import DOCUMENT_SUFFIXES

    files: list[Path] = []
    problems: list[str] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)
            if not found:
                problems.append(f"{path}: directory has no documents ({', '.join(DOCUMENT_SUFFIXES)})")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            problems.append(f"{path}: no such file or directory")
    return files, problems


@dataclass(frozen=True)
class _Result:
    """What a worker sends back for one file."""

    path: str
    document: Document | None = None  # when the output needs the records
    rendered: str = ""  # the file's part of a jsonl/csv output, made by the worker
    n_targets: int = 0
    text: str | None = None  # only with --with-text
    error: str | None = None


def _process(path: Path, with_text: bool = False, render: str | None = None) -> _Result:
    """Worker: read and extract one file.  For line formats (jsonl, csv) the worker renders
    its own lines, so the parent only concatenates them: less to send back, less to do
    serially.  The text goes back only when it is asked for."""
    from targetex.export import to_csv, to_jsonl
    from targetex.io import read_document
    from targetex.pipeline import extract

    try:
        text = read_document(path)
    except InputError as exc:
        return _Result(str(path), error=str(exc))
    doc = extract(text, doc_id=_doc_id(path))
    if render == "jsonl":
        return _Result(str(path), rendered=to_jsonl([doc]), n_targets=len(doc.targets))
    if render == "csv":
        return _Result(str(path), rendered=to_csv([doc], header=False), n_targets=len(doc.targets))
    return _Result(str(path), document=doc, n_targets=len(doc.targets), text=text if with_text else None)


def _doc_id(path: Path) -> str:
    return path.stem  # page.html -> page, cixi-2021.txt -> cixi-2021


def _results(files: list[Path], jobs: int, with_text: bool, render: str | None) -> Iterator[_Result]:
    if jobs <= 1 or len(files) <= 1:
        for path in files:
            yield _process(path, with_text, render)
        return
    import functools
    import multiprocessing

    from targetex.pipeline import default_extractor

    # Where the platform can fork, workers start from this process with the extractor
    # already built (no re-import, no second dictionary load); elsewhere they spawn.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods:
        default_extractor()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # imap keeps the input order; a few files per task keep the workers busy without
    # holding back the progress bar.
    chunk = max(1, min(8, len(files) // (jobs * 8)))
    with context.Pool(jobs) as pool:
        work = functools.partial(_process, with_text=with_text, render=render)
        yield from pool.imap(work, files, chunksize=chunk)


class _Progress:
    def __init__(self, total: int, enabled: bool, stream: TextIO) -> None:
        self.total, self.enabled, self.stream, self.done = total, enabled, stream, 0
        self.start = time.perf_counter()

    def step(self, name: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        width = 24
        filled = int(width * self.done / max(1, self.total))
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                          f"{Path(name).name[:30]:<30}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")


def cmd_extract(args: argparse.Namespace) -> int:
    from targetex.export import to_csv, to_json, to_table

    files, problems = _walk(args.inputs)
    for message in problems:
        _error(message)
    if not files:
        return EXIT_INPUT
    out_path = Path(args.output) if args.output else None
    fmt: str | None = args.format
    if out_path is not None and fmt is None:
        fmt = {".json": "json", ".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}.get(
            out_path.suffix.lower(), "table")
    fmt = fmt or "table"
    assert fmt is not None
    if fmt == "parquet" and out_path is None:
        _error("--format parquet needs -o PATH")
        return EXIT_USAGE
    if out_path is not None:
        blocker = next((p for p in reversed(out_path.parents) if p.exists() and not p.is_dir()), None)
        if blocker is not None:
            _error(f"{out_path}: cannot write: {blocker} is a file, not a directory")
            return EXIT_OUTPUT
        if out_path.is_dir():
            _error(f"{out_path}: cannot write: it is a directory")
            return EXIT_OUTPUT
        try:
            out_path.parent.mkdir(parents=True, exist_ok=True)
            with out_path.open("a", encoding="utf-8"):
                pass
        except OSError as exc:
            _error(f"{out_path}: cannot write: {exc.strerror or exc}")
            return EXIT_OUTPUT
    show = not args.quiet and sys.stderr.isatty() and len(files) > 1
    progress = _Progress(len(files), show, sys.stderr)
    started = time.perf_counter()
    documents: list[Document] = []
    texts: list[str] = []
    rendered: list[str] = []
    n_targets = n_documents = 0
    failures = len(problems)
    render = fmt if fmt in ("jsonl", "csv") else None
    for result in _results(files, max(1, args.jobs), bool(args.with_text), render):
        progress.step(result.path)
        if result.error is not None:
            progress.close() if show else None
            _error(result.error)
            failures += 1
            continue
        n_documents += 1
        n_targets += result.n_targets
        if render:
            rendered.append(result.rendered)
        else:
            assert result.document is not None
            documents.append(result.document)
            texts.append(result.text or "")
    progress.close()
    if fmt == "json":
        single = len(args.inputs) == 1 and not Path(args.inputs[0]).is_dir()
        if single and documents:  # one input file: one object; several or a folder: a list
            payload = to_json(documents[0], text=texts[0] if args.with_text else None)
        else:
            payload = "[" + ",\n".join(to_json(d, text=t if args.with_text else None)
                                       for d, t in zip(documents, texts, strict=True)) + "]"
        payload += "\n"
    elif fmt == "jsonl":
        payload = "".join(rendered)
    elif fmt == "csv":
        payload = to_csv([]) + "".join(rendered)
    elif fmt == "parquet":
        payload = ""
    else:
        payload = to_table(documents)
    try:
        if fmt == "parquet":
            from targetex.export import to_dataframe

            assert out_path is not None
            to_dataframe(documents).to_parquet(out_path)
        elif out_path is not None:
            out_path.write_text(payload, encoding="utf-8")
        else:
            sys.stdout.write(payload)
    except ImportError as exc:
        _error(f"--format parquet needs pandas and pyarrow ({exc})")
        return EXIT_OUTPUT
    except OSError as exc:
        _error(f"{out_path}: cannot write: {exc.strerror or exc}")
        return EXIT_OUTPUT
    if not args.quiet and (len(files) > 1 or out_path is not None):
        print(f"targetex: {n_documents} documents, {n_targets} targets, {failures} failed, "
              f"{time.perf_counter() - started:.2f}s", file=sys.stderr)
    return EXIT_INPUT if failures else EXIT_OK


def _format_eval(results: list[Any], total: Any) -> str:
    from targetex.evaluation import FIELDS

    head = (f"{'document':<26}{'gold':>5}{'pred':>5}{'P':>7}{'R':>7}{'F1':>7}{'strict':>8}"
            f"{'tasks':>7}{'lead':>7}{'coop':>7}{'leaders':>8}")
    lines = [head, "-" * len(head)]

    def row(name: str, s: Any) -> str:
        gold = int(s.detection.tp + s.detection.fn)
        pred = int(s.detection.tp + s.detection.fp)
        return (f"{name[:25]:<26}{gold:>5}{pred:>5}{s.detection.precision:>7.3f}{s.detection.recall:>7.3f}"
                f"{s.detection.f1:>7.3f}{s.strict.f1:>8.3f}{s.tasks.f1:>7.3f}{s.lead_units.f1:>7.3f}"
                f"{s.cooperating_units.f1:>7.3f}{s.leaders.f1:>8.3f}")

    for result in results:
        lines.append(row(result.doc_id, result.scores))
    lines.append("-" * len(head))
    lines.append(row(f"micro average ({len(results)} docs)", total))
    lines.append("")
    lines.append("field accuracy over matched targets (micro): " + "  ".join(
        f"{name} {total.accuracy(name):.3f}" for name in FIELDS))
    mean_f1 = total.indicator_char_f1 / total.matched if total.matched else 1.0
    lines.append(f"indicator mean character F1: {mean_f1:.3f}")
    return "\n".join(lines) + "\n"


def cmd_eval(args: argparse.Namespace) -> int:
    from targetex.evaluation import evaluate_corpus

    folder = Path(args.corpus)
    if not folder.is_dir():
        _error(f"{folder}: not a directory")
        return EXIT_INPUT
    try:
        results, total = evaluate_corpus(folder)
    except GoldError as exc:
        _error(str(exc))
        return EXIT_GOLD
    except InputError as exc:
        _error(str(exc))
        return EXIT_INPUT
    if not results:
        _error(f"{folder}: no <doc_id>.txt with a <doc_id>.gold.json beside it")
        return EXIT_INPUT
    if args.details:
        for result in results:
            for pred, gold in result.scores.pairs:
                diffs = [f for f in ("value", "unit", "comparator", "kind", "modality", "task_id",
                                     "action", "indicator") if getattr(pred, f) != getattr(gold, f)]
                if diffs:
                    print(f"{result.doc_id} {gold.text} " + "; ".join(
                        f"{f}: {getattr(pred, f)!s} != gold {getattr(gold, f)!s}" for f in diffs))
            for t in result.scores.missed:
                print(f"{result.doc_id} MISSED {t.task_id} {t.text} {t.indicator}")
            for t in result.scores.spurious:
                print(f"{result.doc_id} SPURIOUS {t.task_id} {t.text} {t.indicator}")
    if args.json:
        data = {"documents": {r.doc_id: r.scores.to_dict() for r in results}, "micro": total.to_dict()}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(_format_eval(results, total))
    return EXIT_OK


_SEGMENT_EPILOG = """examples:
  targetex segment corpora/cixi-2021.txt
  targetex segment corpora/cixi-2021.txt --format json > tree.json
  targetex segment corpora/cixi-2021.txt --format words

The tree shows each numbered section with its id, title and lead units."""


def _tree_lines(section: Any, depth: int = 0) -> list[str]:
    units = "、".join(section.lead_units)
    mark = "*" if section.structural_task else " "
    title = section.title if len(section.title) <= 40 else section.title[:39] + "…"
    line = f"{'  ' * depth}{mark} {section.node_id:<8} {title}"
    if units:
        line += f"  [牵头: {units}]"
    out = [line]
    for child in section.children:
        out.extend(_tree_lines(child, depth + 1))
    return out


def cmd_segment(args: argparse.Namespace) -> int:
    from targetex.io import read_document
    from targetex.segmentation import segment

    try:
        text = read_document(args.file)
    except InputError as exc:
        _error(str(exc))
        return EXIT_INPUT
    seg = segment(text)
    if args.format == "json":
        data = {"doc_id": _doc_id(Path(args.file)), **seg.to_dict()}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "words":
        sys.stdout.write(" ".join(w.text for w in seg.words) + "\n")
    else:
        lines = [line for section in seg.sections for line in _tree_lines(section)]
        lines.append(f"({sum(1 for _ in seg.walk_sections())} sections, {len(seg.sentences)} sentences;"
                     " * marks items that are tasks by structure)")
        sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``targetex`` command."""
    parser = argparse.ArgumentParser(
        prog="targetex",
        description="Extract quantitative targets from Chinese policy documents.",
        epilog="Run 'targetex COMMAND --help' for the options and examples of each command.",
    )
    parser.add_argument("--version", action="version", version=f"targetex {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("extract", help="extract targets from documents",
                       description="Extract tasks and targets from text files or folders of them.",
                       epilog=_EXTRACT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR", help="documents (.txt) or folders")
    p.add_argument("-f", "--format", choices=(*FORMATS, "parquet"), default=None,
                   help="output format (default: table, or from the -o suffix)")
    p.add_argument("-o", "--output", metavar="PATH", help="write to PATH instead of standard output")
    p.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="worker processes (default 1)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary line")
    p.add_argument("--with-text", action="store_true",
                   help="with --format json, include the document text so offsets can be checked")
    p.set_defaults(func=cmd_extract)

    e = sub.add_parser("eval", help="score the extractor against gold annotations",
                       description="Run the extractor on every <doc_id>.txt that has a <doc_id>.gold.json "
                                   "and print per-document and micro-averaged scores.",
                       epilog=_EVAL_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    e.add_argument("corpus", metavar="DIR", help="folder with <doc_id>.txt and <doc_id>.gold.json")
    e.add_argument("--json", action="store_true", help="print the scores as JSON")
    e.add_argument("--details", action="store_true", help="also list every error (missed, spurious, fields)")
    e.set_defaults(func=cmd_eval)

    s = sub.add_parser("segment", help="show the document tree, or its sentences and words",
                       description="Segment a document: numbered sections with their responsibility "
                                   "lines, sentences and clauses, and words.",
                       epilog=_SEGMENT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("file", metavar="FILE", help="a document")
    s.add_argument("-f", "--format", choices=("tree", "json", "words"), default="tree",
                   help="tree (default), json (sections and sentences), or words")
    s.set_defaults(func=cmd_segment)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``targetex`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if getattr(args, "jobs", 1) < 1:
        parser.error("--jobs must be at least 1")
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (targetex ... | head): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
