"""Command line: ``targetex extract``, ``targetex eval`` and ``targetex segment``.

Exit status: 0 success; 1 some inputs could not be read (the others were processed);
2 bad usage, or an optional package the options need is not installed; 3 the output could
not be written; 4 a gold file is malformed; 5 the Dask cluster of ``--dask`` cannot be
started or reached, or was lost.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import fnmatch
import json
import logging
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from targetex import __version__
from targetex.errors import GoldError, InputError, MissingDependencyError
from targetex.records import Document

if TYPE_CHECKING:
    from targetex.io import Source

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_OUTPUT, EXIT_GOLD, EXIT_CLUSTER = 0, 1, 2, 3, 4, 5
FORMATS = ("table", "json", "jsonl", "csv", "parquet", "xlsx")

log = logging.getLogger("targetex")

_EXTRACT_EPILOG = """examples:
  targetex extract corpora/cixi-2021.txt
  targetex extract corpora/cixi-2021.txt --format json -o cixi.json
  targetex extract reports/ -o targets.xlsx --jobs 2
  targetex extract reports/ --include '*.md' --exclude 'drafts/*' -o targets.csv   # .md too, no drafts
  curl -s URL | targetex extract - --format json --with-text
  targetex extract notice.txt --explain       # why each number is, or is not, a target
  targetex extract reports/ --dask local:2 -o out/          # Parquet folder, on a local Dask cluster
  targetex extract /shared/docs --dask tcp://sched:8786 -o /shared/out

inputs: .txt .text .md, web pages (.html .htm .shtml .xhtml), .docx, .pdf, or - for standard
input; folders are walked for these suffixes: README*, LICENSE*, *.md… and hidden files are
left out unless --include names them (--include adds files; to read only some, name them or
use --exclude).  Files left out are counted on one line (-v names each).  Document ids are the
paths relative to the folder given, without the suffix.

output: the format is taken from the -o suffix (.json .jsonl .csv .parquet .xlsx .txt); an
unknown suffix is refused.  -o creates no folders: the folder it goes in must exist.  A .csv
file starts with a byte-order mark so that Excel reads it as UTF-8 (--no-bom to leave it
out; CSV on standard output has none).  Files are written through a temporary file: a
failure leaves no partial file.

--dask: the documents are read and extracted on a Dask cluster (pip install 'targetex[dask]');
the workers open the files (give paths they can read), this process writes -o FOLDER with
Parquet parts of whole documents: FOLDER/targets, FOLDER/tasks, FOLDER/documents (FOLDER is
created; the folder it goes in must exist).

exit status: 0 ok, 1 some inputs failed (others were written), 2 usage (or an optional package
the options need is missing), 3 cannot write output,
5 the Dask cluster cannot be reached or was lost"""

_REPORT_EPILOG = """examples:
  targetex report corpora/cixi-2021.txt -o cixi.html
  targetex report notice.pdf -o notice.html

The page is one self-contained HTML file (no network, no scripts from elsewhere): the text with
every target highlighted (colour by kind; hover for the record), the task tree with its units,
a sortable table of targets and the document's metadata.  Clicking a target shows its task."""

_SCHEMA_EPILOG = """examples:
  targetex schema > schema.json
  targetex extract notice.txt --format json | python -m jsonschema schema.json   # (check-jsonschema…)"""

_EVAL_EPILOG = """examples:
  targetex eval corpora/
  targetex eval corpora/ --json > scores.json
  targetex eval corpora/ --details           # every error, with the rule behind it

Scores follow docs/annotation.md section 8 (Scoring). Exit status 4 when a gold file is malformed."""


def _error(message: str) -> None:
    print(f"targetex: error: {message}", file=sys.stderr)


def _notes(source: str, notes: Sequence[str]) -> None:
    """Print a document's notes (``Document.notes``) on stderr, one line each."""
    for note in notes:
        print(f"targetex: note: {source}: {note}", file=sys.stderr)


# Files a folder walk leaves out unless --include names them: project files, not documents.
DEFAULT_EXCLUDES = ("README*", "LICENSE*", "CHANGELOG*", "NOTICE*", "COPYING*", "*.md", "*.gold.json")


@dataclass(frozen=True)
class _Input:
    """A document to read: its path (``-`` for standard input) and its unique id."""

    path: str
    doc_id: str
    data: bytes | None = None  # the bytes of standard input, read once by the parent


def _matches(relative: PurePosixPath, patterns: Sequence[str]) -> str | None:
    """The first glob that matches the path (or its file name), or None."""
    for pattern in patterns:
        if relative.match(pattern) or fnmatch.fnmatch(relative.name, pattern) \
                or fnmatch.fnmatch(str(relative), pattern):
            return pattern
    return None


@dataclass(frozen=True)
class _Skipped:
    """A file of a folder that was left out, and why: ``kind`` is ``hidden``, ``suffix`` (not
    a document suffix; ``detail`` the suffix), ``excluded`` (``detail`` the --exclude glob)
    or ``name`` (``detail`` the default exclude that matched)."""

    path: str
    kind: str
    detail: str = ""

    def __str__(self) -> str:
        why = {"hidden": "hidden",
               "suffix": f"not a document suffix ({self.detail})",
               "excluded": f"excluded by --exclude {self.detail}",
               "name": f"not a document by name ({self.detail}; --include to read it)"}[self.kind]
        return f"{self.path}: {why}"


def _walk(paths: Sequence[str], include: Sequence[str] = (), exclude: Sequence[str] = ()
          ) -> tuple[list[_Input], list[str], list[_Skipped], list[str]]:
    """Expand the inputs into documents with unique ids.

    Folders are walked in sorted order for files of a document suffix, less hidden files
    and files named like project files (:data:`DEFAULT_EXCLUDES`), which ``include`` globs
    add back; ``exclude`` globs leave out more, whatever ``include`` says.  Globs match the
    path relative to the folder given, or the file name.

    A file reached more than once (named twice, in a folder given twice or also named
    alone, through a symbolic link) is read once, where it is first reached: one document,
    one id.

    Returns:
        (inputs, problems, skipped, repeated): the documents; one message per missing input
        or folder without documents; the files of a folder that were left out; the files
        reached again, as they were named the second time.
    """
    from targetex.io import DOCUMENT_SUFFIXES

    found: list[tuple[str, PurePosixPath]] = []  # (path, id source: relative path)
    problems: list[str] = []
    skipped: list[_Skipped] = []
    for name in paths:
        if name == "-":
            found.append(("-", PurePosixPath("stdin")))
            continue
        path = Path(name)
        if path.is_dir():
            taken = 0
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                relative = PurePosixPath(file.relative_to(path).as_posix())
                included = _matches(relative, include) is not None
                if any(part.startswith(".") for part in relative.parts) and not included:
                    skipped.append(_Skipped(str(file), "hidden"))
                    continue
                if file.suffix.lower() not in DOCUMENT_SUFFIXES:
                    skipped.append(_Skipped(str(file), "suffix", file.suffix or "none"))
                    continue
                excluded = _matches(relative, exclude)
                if excluded is not None:
                    skipped.append(_Skipped(str(file), "excluded", excluded))
                    continue
                default = _matches(relative, DEFAULT_EXCLUDES)
                if default is not None and not included:
                    skipped.append(_Skipped(str(file), "name", default))
                    continue
                found.append((str(file), relative))
                taken += 1
            if not taken:
                problems.append(f"{path}: directory has no documents ({', '.join(DOCUMENT_SUFFIXES)})")
        elif path.exists():
            found.append((name, PurePosixPath(path.name)))
        else:
            problems.append(f"{path}: no such file or directory")
    seen: set[str] = set()
    once: list[tuple[str, PurePosixPath]] = []
    repeated: list[str] = []
    for path_name, relative in found:
        key = path_name if path_name == "-" else os.path.realpath(path_name)
        if key in seen:
            repeated.append(path_name)
        else:
            seen.add(key)
            once.append((path_name, relative))
    return _unique_ids(once), problems, skipped, repeated


def _repeated_note(repeated: Sequence[str]) -> str:
    """One stderr line for the files given more than once (each was read once)."""
    if len(repeated) == 1:
        return f"targetex: note: {repeated[0]}: given more than once; read once"
    shown = ", ".join(repeated[:3]) + (", …" if len(repeated) > 3 else "")
    return f"targetex: note: {len(repeated)} files given more than once ({shown}); each read once"


def _skipped_summary(skipped: Sequence[_Skipped]) -> str:
    """One line for the files a walk left out: how many, of which kinds."""
    counts = Counter(s.kind for s in skipped)
    parts = []
    if counts["suffix"]:
        suffixes = Counter(s.detail for s in skipped if s.kind == "suffix").most_common()
        shown = ", ".join(f"{suffix} {n}" for suffix, n in suffixes[:6])
        shown += ", …" if len(suffixes) > 6 else ""
        parts.append(f"{counts['suffix']} not of a document suffix ({shown})")
    if counts["name"]:
        names = ", ".join(sorted({s.detail for s in skipped if s.kind == "name"}))
        parts.append(f"{counts['name']} not documents by name ({names}; --include GLOB reads them)")
    if counts["excluded"]:
        parts.append(f"{counts['excluded']} excluded by --exclude")
    if counts["hidden"]:
        parts.append(f"{counts['hidden']} hidden")
    files = "file" if len(skipped) == 1 else "files"
    return f"targetex: skipped {len(skipped)} {files}: {'; '.join(parts)} (-v names each)"


def _unique_ids(found: list[tuple[str, PurePosixPath]]) -> list[_Input]:
    """Ids from the relative paths without their suffix.  Where two collide, the next form
    that tells them apart: the path as given without its suffix (``a/report.txt`` and
    ``b/report.html`` give ``a/report`` and ``b/report``), then the relative path with its
    suffix (``plan.txt`` and ``plan.html`` in one folder), then the path as given."""
    def stem(path: PurePosixPath) -> str:
        return str(path.with_suffix("")) if path.suffix else str(path)

    forms = [[stem(rel), stem(PurePosixPath(Path(path).as_posix())), str(rel), Path(path).as_posix()]
             if path != "-" else [str(rel)] * 4 for path, rel in found]
    ids = [f[0] for f in forms]
    for level in range(1, 4):
        counts = Counter(ids)
        ids = [f[level] if counts[i] > 1 else i for i, f in zip(ids, forms, strict=True)]
    return [_Input(path, doc_id) for (path, _), doc_id in zip(found, ids, strict=True)]


@dataclass(frozen=True)
class _Result:
    """What a worker sends back for one file."""

    path: str
    document: Document | None = None  # when the output needs the records
    rendered: str = ""  # the file's part of a jsonl/csv output, made by the worker
    n_targets: int = 0
    text: str | None = None  # only with --with-text
    error: str | None = None
    seconds: float = 0.0
    notes: tuple[str, ...] = ()  # the document's notes (Document.notes), for stderr


def _process(
    item: _Input, with_text: bool = False, render: str | None = None, explain: bool = False
) -> _Result:
    """Worker: read and extract one file.  For line formats (jsonl, csv) the worker renders
    its own lines, so the parent only concatenates them: less to send back, less to do
    serially.  The text goes back only when it is asked for."""
    from targetex.export import to_csv, to_jsonl
    from targetex.io import read_bytes, read_source
    from targetex.pipeline import extract

    debug = log.isEnabledFor(logging.DEBUG)
    started = time.perf_counter()
    try:
        source = read_bytes(item.data, "-") if item.data is not None else read_source(item.path)
    except InputError as exc:
        return _Result(item.path, error=str(exc))
    read = time.perf_counter()
    # -vv tells the decision on every quantity mention (counted by rule): decide with
    # explain, and keep the decisions only when they were asked for.
    doc = dataclasses.replace(extract(source.text, doc_id=item.doc_id, explain=explain or debug),
                              meta=source.meta)
    seconds = time.perf_counter() - started
    log.info("%s: %s %s, %d characters, %d tasks, %d targets, %.3fs", item.path, source.meta.format,
             source.meta.encoding or "-", len(source.text), len(doc.tasks), len(doc.targets), seconds)
    if debug:
        log.debug("%s: read %.3fs, extract %.3fs; %s", item.path, read - started, started + seconds - read,
                  _decision_counts(doc))
        if not explain:
            doc = dataclasses.replace(doc, decisions=())
    notes = tuple(note.message for note in doc.notes)
    if render == "jsonl":
        return _Result(item.path, rendered=to_jsonl([doc]), n_targets=len(doc.targets), seconds=seconds,
                       notes=notes)
    if render == "csv":
        return _Result(item.path, rendered=to_csv([doc], header=False), n_targets=len(doc.targets),
                       seconds=seconds, notes=notes)
    return _Result(item.path, document=doc, n_targets=len(doc.targets),
                   text=source.text if with_text else None, seconds=seconds, notes=notes)


def _decision_counts(doc: Document) -> str:
    """The decisions of a document counted (``-vv``): ``12 quantity mentions: 9 kept,
    3 dropped (support_parameter 2, past_result 1)``."""
    dropped = Counter(d.rule for d in doc.decisions if not d.kept)
    kept = len(doc.decisions) - dropped.total()
    rules = ", ".join(f"{rule} {n}" for rule, n in dropped.most_common())
    return (f"{_count(len(doc.decisions), 'quantity mention')}: {kept} kept, "
            f"{dropped.total()} dropped" + (f" ({rules})" if rules else ""))


def _doc_id(path: Path) -> str:
    return path.stem  # page.html -> page, cixi-2021.txt -> cixi-2021


def _read_one(file: str) -> tuple[Source, str]:
    """The :class:`targetex.io.Source` of one input of ``report`` or ``segment`` (``-``:
    standard input, read as ``extract`` reads it) and its doc id.

    Raises:
        InputError: the input cannot be read; the message names it.
    """
    from targetex.io import read_bytes, read_source

    if file == "-":
        return read_bytes(sys.stdin.buffer.read(), "-"), "stdin"
    return read_source(file), _doc_id(Path(file))


def _results(
    files: list[_Input], jobs: int, with_text: bool, render: str | None, explain: bool = False
) -> Iterator[_Result]:
    if jobs <= 1 or len(files) <= 1:
        for item in files:
            yield _process(item, with_text, render, explain)
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
        work = functools.partial(_process, with_text=with_text, render=render, explain=explain)
        yield from pool.imap(work, files, chunksize=chunk)


#: Output formats by the suffix of ``-o``.
SUFFIX_FORMATS = {".json": "json", ".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet",
                  ".xlsx": "xlsx", ".txt": "table"}
# Formats that are files, not text: they need -o.
_BINARY_FORMATS = ("parquet", "xlsx")
#: The optional packages a format needs, and the extra of pyproject.toml that installs them.
_FORMAT_PACKAGES = {"parquet": (("pandas", "pyarrow"), "parquet"), "xlsx": (("openpyxl",), "xlsx")}


def _format_problem(fmt: str) -> str | None:
    """Why ``fmt`` cannot be written here (a missing optional package), checked before any
    document is read (or None)."""
    from targetex.extras import require

    packages, extra = _FORMAT_PACKAGES.get(fmt, ((), ""))
    for package in packages:
        try:
            require(package, extra, f"--format {fmt}")
        except MissingDependencyError as exc:
            return str(exc)
    return None


def _output_problem(out_path: Path) -> str | None:
    """Why ``out_path`` cannot be written, checked before any work is done (or None).

    No folder is ever created for it: the folder it is written in must exist.
    """
    blocker = next((p for p in reversed(out_path.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        return f"{out_path}: cannot write: {blocker} is a file, not a directory"
    if out_path.is_dir():
        return f"{out_path}: cannot write: it is a directory"
    folder = out_path.parent
    if not folder.is_dir():
        return f"{out_path}: cannot write: the folder {folder} does not exist (targetex creates no folders)"
    if not os.access(folder, os.W_OK):
        return f"{out_path}: cannot write: permission denied"
    return None


def _names_folder(output: str) -> bool:
    """Whether ``-o`` names a folder: one that exists, or a path ending with a separator."""
    return output.endswith(("/", os.sep)) or Path(output).is_dir()


def _write_atomically(out_path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file beside ``out_path``, renamed over it when complete:
    a failure leaves no partial file (and an existing file as it was)."""
    handle, temporary = tempfile.mkstemp(dir=out_path.parent, prefix=f".{out_path.name}.", suffix=".part")
    os.close(handle)
    try:
        write(Path(temporary))
        # mkstemp makes the file private; give it the mode a plain open() would have.
        umask = os.umask(0)
        os.umask(umask)
        mode = out_path.stat().st_mode & 0o777 if out_path.exists() else 0o666 & ~umask
        os.chmod(temporary, mode)
        os.replace(temporary, out_path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _progress(total: int, enabled: bool) -> Any:
    """A tqdm progress bar on stderr (documents done, rate, time left), or a stand-in."""
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=sys.stderr, disable=not enabled, dynamic_ncols=True,
                leave=False)


def cmd_extract(args: argparse.Namespace) -> int:
    from targetex.export import CSV_BOM, to_csv, to_json, to_table

    out_path = Path(args.output) if args.output else None
    fmt: str | None = args.format
    if args.dask is not None:
        problem = _dask_usage_problem(args)
        if problem is not None:
            _error(problem)
            return EXIT_USAGE
        fmt = "parquet"
    if out_path is not None and args.dask is None and _names_folder(args.output):
        _error(f"{args.output}: cannot write: it is a folder; -o takes a file whose suffix gives the format "
               f"({' '.join(SUFFIX_FORMATS)}), or a folder with --dask")
        return EXIT_OUTPUT
    if out_path is not None and fmt is None:
        fmt = SUFFIX_FORMATS.get(out_path.suffix.lower())
        if fmt is None:
            known = " ".join(SUFFIX_FORMATS)
            _error(f"{out_path}: unknown output suffix {out_path.suffix or '(none)'!r} "
                   f"(known: {known}); or give --format")
            return EXIT_USAGE
    fmt = fmt or "table"
    if args.explain and fmt not in ("table", "json"):
        _error(f"--explain works with --format table or json, not {fmt}")
        return EXIT_USAGE
    if args.with_text and fmt != "json":
        _error(f"--with-text works with --format json only, not {fmt}")
        return EXIT_USAGE
    if fmt in _BINARY_FORMATS and out_path is None:
        _error(f"--format {fmt} needs -o PATH")
        return EXIT_USAGE
    problem = _format_problem(fmt) if args.dask is None else None
    if problem is not None:  # the command cannot be run as asked here: a usage error, as for --dask
        _error(problem)
        return EXIT_USAGE
    if args.inputs.count("-") > 1:
        _error("standard input (-) can be read only once")
        return EXIT_USAGE
    files, problems, skipped, repeated = _walk(args.inputs, args.include or (), args.exclude or ())
    for message in problems:
        _error(message)
    if repeated and not args.quiet:
        print(_repeated_note(repeated), file=sys.stderr)
    if skipped and not args.quiet:
        if getattr(args, "verbose", 0):
            for left_out in skipped:
                print(f"targetex: skipped {left_out}", file=sys.stderr)
        else:
            print(_skipped_summary(skipped), file=sys.stderr)
    if not files:
        return EXIT_INPUT
    if out_path is not None:
        problem = _dataset_problem(out_path) if args.dask is not None else _output_problem(out_path)
        if problem is not None:
            _error(problem)
            return EXIT_OUTPUT
    if any(item.path == "-" for item in files):
        data = sys.stdin.buffer.read()
        files = [_Input(i.path, i.doc_id, data) if i.path == "-" else i for i in files]
    show = not args.quiet and sys.stderr.isatty() and len(files) > 1
    if args.dask is not None:
        assert out_path is not None
        return _extract_on_cluster(args, files, len(problems), len(skipped), out_path, show)
    started = time.perf_counter()
    documents: list[Document] = []
    texts: list[str] = []
    rendered: list[str] = []
    n_targets = n_documents = 0
    failures = len(problems)
    render = fmt if fmt in ("jsonl", "csv") else None
    with _progress(len(files), show) as bar:
        for result in _results(files, max(1, args.jobs), bool(args.with_text), render, bool(args.explain)):
            bar.update(1)
            if result.error is not None:
                bar.clear()
                _error(result.error)
                failures += 1
                continue
            n_documents += 1
            n_targets += result.n_targets
            if result.notes and not args.quiet:
                bar.clear()
                _notes(str(result.path), result.notes)
            if render:
                rendered.append(result.rendered)
            else:
                assert result.document is not None
                documents.append(result.document)
                texts.append(result.text or "")
    if not n_documents:
        # Every input failed (each said why on stderr): no empty table or file that could pass
        # for a result.
        if not args.quiet and (len(files) > 1 or out_path is not None):
            _summary(n_documents, n_targets, failures, len(skipped), started)
        return EXIT_INPUT
    bom = fmt == "csv" and out_path is not None and not args.no_bom
    if fmt == "json":
        single = len(args.inputs) == 1 and (args.inputs[0] == "-" or not Path(args.inputs[0]).is_dir())
        if single and documents:  # one input file: one object; several or a folder: a list
            payload = to_json(documents[0], text=texts[0] if args.with_text else None)
        else:
            payload = "[" + ",\n".join(to_json(d, text=t if args.with_text else None)
                                       for d, t in zip(documents, texts, strict=True)) + "]"
        payload += "\n"
    elif fmt == "jsonl":
        payload = "".join(rendered)
    elif fmt == "csv":
        payload = (CSV_BOM if bom else "") + to_csv([]) + "".join(rendered)
    elif fmt in _BINARY_FORMATS:
        payload = ""
    else:
        payload = to_table(documents)
        if args.explain:
            payload += "".join(_explanation(d) for d in documents)
    try:
        if out_path is None:
            sys.stdout.write(payload)
        elif fmt == "parquet":
            from targetex.export import to_dataframe

            frame = to_dataframe(documents)
            _write_atomically(out_path, lambda tmp: frame.to_parquet(tmp))
        elif fmt == "xlsx":
            from targetex.export import to_xlsx

            _write_atomically(out_path, lambda tmp: to_xlsx(documents, tmp))
        else:
            _write_atomically(out_path, lambda tmp: tmp.write_text(payload, encoding="utf-8"))
    except ImportError as exc:
        extra = {"parquet": "parquet", "xlsx": "xlsx"}.get(fmt, "all")
        reason = exc.reason if isinstance(exc, MissingDependencyError) else exc
        _error(f"--format {fmt} needs an optional package: pip install 'targetex[{extra}]' ({reason})")
        return EXIT_USAGE
    except OSError as exc:
        _error(f"{out_path}: cannot write: {exc.strerror or exc}")
        return EXIT_OUTPUT
    if not args.quiet and (len(files) > 1 or out_path is not None):
        _summary(n_documents, n_targets, failures, len(skipped), started)
    return EXIT_INPUT if failures else EXIT_OK


def _count(n: int, noun: str) -> str:
    """``1 document``, ``2 documents``: a count with its noun in the right number."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _summary(n_documents: int, n_targets: int, failures: int, skipped: int, started: float) -> None:
    """The closing line of a batch on stderr (``1 document, 2 targets, 0 failed, 0.31s``)."""
    skipped_note = f", {skipped} skipped" if skipped else ""
    print(f"targetex: {_count(n_documents, 'document')}, {_count(n_targets, 'target')}, {failures} failed"
          f"{skipped_note}, {time.perf_counter() - started:.2f}s", file=sys.stderr)


def _dask_usage_problem(args: argparse.Namespace) -> str | None:
    """Why the options cannot go with ``--dask`` (or None)."""
    address: str = args.dask
    if not args.output:
        return "--dask writes a folder of Parquet tables: give -o FOLDER"
    if args.format not in (None, "parquet"):
        return f"--dask writes Parquet, not {args.format}"
    suffix = Path(args.output).suffix.lower()
    if SUFFIX_FORMATS.get(suffix, "parquet") != "parquet":
        return f"--dask writes a folder of Parquet tables, not a {suffix} file: give -o FOLDER"
    others = (("--jobs", args.jobs != 1), ("--explain", args.explain), ("--with-text", args.with_text))
    for flag, given in others:
        if given:
            return f"{flag} does not go with --dask"
    if address.startswith("local:"):
        count = address.removeprefix("local:")
        if not count.isdigit() or int(count) < 1:
            return f"--dask {address}: give local:N with N worker processes, N >= 1"
    elif "://" not in address and ":" not in address:
        return f"--dask {address}: give a scheduler address (tcp://HOST:PORT) or local:N"
    try:
        import targetex.dask  # noqa: F401
    except ImportError:
        return "--dask needs Dask: pip install 'targetex[dask]'"
    return None


def _dataset_problem(folder: Path) -> str | None:
    """Why the Parquet folder of ``--dask`` cannot be written (or None).  An existing folder
    is replaced only when it is empty or holds nothing but a previous output's tables."""
    from targetex.dask import DATASET_TABLES

    if folder.is_dir():
        others = sorted(p.name for p in folder.iterdir() if p.name not in DATASET_TABLES)
        if others:
            return (f"{folder}: cannot write: the folder holds other files ({', '.join(others[:3])}); "
                    "give a new folder, an empty one or a previous output")
        if not os.access(folder.parent, os.W_OK):
            return f"{folder}: cannot write: permission denied"
        return None
    if folder.exists():
        return f"{folder}: cannot write: it is a file, and --dask writes a folder"
    return _output_problem(folder)


def _extract_on_cluster(args: argparse.Namespace, files: list[_Input], failures: int, skipped: int,
                        out_path: Path, show: bool) -> int:
    """``extract --dask``: the batch on a Dask cluster, written as a Parquet folder through
    a temporary folder beside it (renamed when complete), reported as the local batch."""
    import shutil

    import distributed  # noqa: F401  (its import sets its loggers' levels: set them after it)

    from targetex.dask import ClusterError, Item, connect, run_batch

    # The scheduler of a local cluster runs in this process: its chatter only with -vv.
    verbosity = getattr(args, "verbose", 0)
    logging.getLogger("distributed").setLevel(logging.INFO if verbosity >= 2 else logging.ERROR)
    started = time.perf_counter()
    # Workers may run elsewhere: they get absolute paths; messages name files as given.
    items = [Item(f.doc_id, path=f.path, location="" if f.path == "-" else os.path.abspath(f.path),
                  data=f.data) for f in files]
    n_documents = n_targets = 0
    temporary = Path(tempfile.mkdtemp(dir=out_path.parent, prefix=f".{out_path.name}.", suffix=".part"))
    try:
        with connect(args.dask) as client, _progress(len(files), show) as bar:
            for step in run_batch(client, items, temporary):
                bar.update(step.done)
                for outcome in step.outcomes:
                    if outcome.error is not None:
                        bar.clear()
                        _error(outcome.error)
                        failures += 1
                    else:
                        n_documents += 1
                        n_targets += outcome.n_targets
                        if outcome.notes and not args.quiet:
                            bar.clear()
                            _notes(str(outcome.source), outcome.notes)
        if n_documents:  # (every input failed: no folder that could pass for a result)
            _replace_folder(temporary, out_path)
    except ClusterError as exc:
        _error(str(exc))
        return EXIT_CLUSTER
    except OSError as exc:
        _error(f"{out_path}: cannot write: {exc.strerror or exc}")
        return EXIT_OUTPUT
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    if not args.quiet:
        _summary(n_documents, n_targets, failures, skipped, started)
    return EXIT_INPUT if failures else EXIT_OK


def _replace_folder(new: Path, folder: Path) -> None:
    """Put ``new`` in the place of ``folder`` (which may be a previous output), so that
    ``folder`` is never half written."""
    import shutil

    old = None
    if folder.exists():
        old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".old"))
        os.replace(folder, old / folder.name)
    os.replace(new, folder)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(folder, 0o777 & ~umask)  # mkdtemp makes the folder private
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _explanation(doc: Document) -> str:
    """Every quantity mention of a document with its decision (``--explain``)."""
    head = f"\n{doc.doc_id}: {len(doc.decisions)} quantity mentions, {len(doc.targets)} targets\n"
    return head + (doc.explain() + "\n" if doc.decisions else "")


def _format_eval(results: list[Any], total: Any) -> str:
    from targetex.evaluation import FIELDS, TIME_FIELDS
    from targetex.records import display_width

    average = f"micro average ({len(results)} docs)"
    # The document column is as wide as the longest name: ids are never cut.
    width = max(display_width(name) for name in ("document", average, *(r.doc_id for r in results))) + 1

    def name_cell(name: str) -> str:
        return name + " " * (width - display_width(name))

    head = (f"{name_cell('document')}{'gold':>5}{'pred':>5}{'P':>7}{'R':>7}{'F1':>7}{'strict':>8}"
            f"{'tasks':>7}{'lead':>7}{'coop':>7}{'leaders':>8}")
    lines = [head, "-" * len(head)]

    def row(name: str, s: Any) -> str:
        gold = int(s.detection.tp + s.detection.fn)
        pred = int(s.detection.tp + s.detection.fp)
        return (f"{name_cell(name)}{gold:>5}{pred:>5}{s.detection.precision:>7.3f}{s.detection.recall:>7.3f}"
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
    if total.time_matched:
        accuracies = "  ".join(f"{name} {total.accuracy(name):.3f}" for name in TIME_FIELDS)
        lines.append(f"time fields over {total.time_matched} matched targets whose gold has them "
                     f"(not in strict F1): {accuracies}")
    return "\n".join(lines) + "\n"


def cmd_eval(args: argparse.Namespace) -> int:
    from targetex.evaluation import evaluate_corpus

    folder = Path(args.corpus)
    if not folder.is_dir():
        _error(f"{folder}: not a directory")
        return EXIT_INPUT
    try:
        results, total = evaluate_corpus(folder, explain=bool(args.details))
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
            for label, targets in (("MISSED", result.scores.missed), ("SPURIOUS", result.scores.spurious)):
                for t in targets:
                    print(f"{result.doc_id} {label} {t.task_id} {t.text}@{t.start} {t.indicator} "
                          f"({result.why(t)})")
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
  cat notice.txt | targetex segment -         # - reads standard input, as extract does

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
    from targetex.segmentation import segment

    try:
        source, doc_id = _read_one(args.file)
    except InputError as exc:
        _error(str(exc))
        return EXIT_INPUT
    seg = segment(source.text)
    if args.format == "json":
        data = {"doc_id": doc_id, **seg.to_dict()}
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
    verbose_help = ("log each document to stderr; -vv also the read and extract times, the decisions "
                    "counted by rule, and the reading libraries' debugging output")
    parser.add_argument("-v", "--verbose", action="count", default=0, help=verbose_help)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    verbose = argparse.ArgumentParser(add_help=False)
    verbose.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS, help=verbose_help)

    p = sub.add_parser("extract", parents=[verbose], help="extract targets from documents",
                       description="Extract tasks and targets from text files or folders of them.",
                       epilog=_EXTRACT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR",
                   help="documents, folders of them, or - for standard input")
    p.add_argument("-f", "--format", choices=FORMATS, default=None,
                   help="output format (default: table, or from the -o suffix)")
    p.add_argument("--include", action="append", metavar="GLOB",
                   help="in folders, also read the files matching GLOB that are left out by default "
                        "(README*, LICENSE*, *.md, hidden files…); it adds files, it does not restrict "
                        "the walk to them (repeatable)")
    p.add_argument("--exclude", action="append", metavar="GLOB",
                   help="in folders, leave out files matching GLOB, even those --include names (repeatable)")
    p.add_argument("--no-bom", action="store_true",
                   help="write a .csv file without the byte-order mark Excel needs")
    p.add_argument("-o", "--output", metavar="PATH", help="write to PATH instead of standard output")
    p.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="worker processes (default 1)")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print no progress bar, summary line, line of skipped files or notes on documents' "
                        "results (errors are still printed)")
    p.add_argument("--explain", action="store_true",
                   help="give every quantity mention with its decision: a target (and the readers that "
                        "set its fields) or dropped (and the named rule that dropped it); --format table "
                        "or json only")
    p.add_argument("--with-text", action="store_true",
                   help="include the document text so offsets can be checked (--format json only)")
    p.add_argument("--dask", metavar="ADDRESS",
                   help="run on a Dask cluster: tcp://HOST:PORT of a running scheduler, or local:N for N "
                        "worker processes here; writes -o FOLDER as Parquet (pip install 'targetex[dask]')")
    p.set_defaults(func=cmd_extract, command_parser=p)

    r = sub.add_parser("report", parents=[verbose],
                       help="write an HTML page to look at one document's targets",
                       description="Extract one document and write a static, self-contained HTML page "
                                   "showing its text with the targets highlighted, its task tree, a table "
                                   "of targets and its metadata.",
                       epilog=_REPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("file", metavar="FILE", help="a document (any input format), or - for standard input")
    r.add_argument("-o", "--output", metavar="PATH", required=True, help="the .html file to write")
    r.set_defaults(func=cmd_report, command_parser=r)

    c = sub.add_parser("schema", parents=[verbose], help="print the JSON Schema of the output",
                       description="Print the JSON Schema (draft 2020-12) of what 'targetex extract "
                                   "--format json' writes (and, under $defs/TargetLine, of --format jsonl).",
                       epilog=_SCHEMA_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    c.set_defaults(func=cmd_schema, command_parser=c)

    e = sub.add_parser("eval", parents=[verbose], help="score the extractor against gold annotations",
                       description="Run the extractor on every <doc_id>.txt that has a <doc_id>.gold.json "
                                   "and print per-document and micro-averaged scores.",
                       epilog=_EVAL_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    e.add_argument("corpus", metavar="DIR", help="folder with <doc_id>.txt and <doc_id>.gold.json")
    e.add_argument("--json", action="store_true", help="print the scores as JSON")
    e.add_argument("--details", action="store_true", help="also list every error (missed, spurious, fields)")
    e.set_defaults(func=cmd_eval, command_parser=e)

    s = sub.add_parser("segment", parents=[verbose],
                       help="show the document tree, or its sentences and words",
                       description="Segment a document: numbered sections with their responsibility "
                                   "lines, sentences and clauses, and words.",
                       epilog=_SEGMENT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("file", metavar="FILE", help="a document (any input format), or - for standard input")
    s.add_argument("-f", "--format", choices=("tree", "json", "words"), default="tree",
                   help="tree (default), json (sections and sentences), or words")
    s.set_defaults(func=cmd_segment, command_parser=s)
    return parser


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Logs to whatever ``sys.stderr`` is when a record is emitted (it may be replaced)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


class _LineFormatter(logging.Formatter):
    """``targetex: info: message`` — the form of the command's other stderr lines
    (``targetex: error: …``); a library's record also names its logger
    (``targetex: debug: pdfminer.pdfpage: …``)."""

    def format(self, record: logging.LogRecord) -> str:
        message = super().format(record)
        ours = record.name == "targetex" or record.name.startswith("targetex.")
        source = "" if ours else f"{record.name}: "
        return f"targetex: {record.levelname.lower()}: {source}{message}"


def _configure_logging(verbosity: int) -> None:
    """Standard logging to stderr: warnings always, ``-v`` info, ``-vv`` debug."""
    level = logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    handler = _StderrHandler()
    handler.setFormatter(_LineFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_targetex", False)]:
        root.removeHandler(old)
    handler._targetex = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    # Libraries' chatter (trafilatura's fallbacks, pdfminer's font notes) only with -vv.
    for name in ("trafilatura", "htmldate", "courlan", "readability", "pdfminer"):
        logging.getLogger(name).setLevel(logging.DEBUG if verbosity >= 2 else logging.ERROR)


def cmd_report(args: argparse.Namespace) -> int:
    from targetex.pipeline import extract
    from targetex.report import render_report

    out_path = Path(args.output)
    if out_path.suffix.lower() not in (".html", ".htm"):
        _error(f"{out_path}: the report is an HTML page: give a .html file")
        return EXIT_USAGE
    try:
        source, doc_id = _read_one(args.file)
    except InputError as exc:
        _error(str(exc))
        return EXIT_INPUT
    document = dataclasses.replace(extract(source.text, doc_id=doc_id), meta=source.meta)
    _notes(args.file, [note.message for note in document.notes])
    page = render_report(document, source.text)
    problem = _output_problem(out_path)
    if problem is not None:
        _error(problem)
        return EXIT_OUTPUT
    try:
        _write_atomically(out_path, lambda tmp: tmp.write_text(page, encoding="utf-8"))
    except OSError as exc:
        _error(f"{out_path}: cannot write: {exc.strerror or exc}")
        return EXIT_OUTPUT
    log.info("%s: %d targets, %d tasks -> %s", args.file, len(document.targets), len(document.tasks),
             out_path)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from targetex.schema import json_schema

    sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``targetex`` command; returns the exit status."""
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    args, unknown = parser.parse_known_args(arguments)
    # A usage error is told with the usage of the command it belongs to (extract's, not the
    # top level's), as argparse would if subcommands parsed all their own arguments.
    command_parser: argparse.ArgumentParser = getattr(args, "command_parser", parser)
    if unknown:
        after_command = arguments[arguments.index(args.command) + 1:] if args.command in arguments else []
        owner = command_parser if unknown[0] in after_command else parser
        owner.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if getattr(args, "jobs", 1) < 1:
        command_parser.error("--jobs must be at least 1")
    _configure_logging(args.verbose)
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
