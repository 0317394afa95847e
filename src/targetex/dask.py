"""Extraction on a Dask cluster: the records of the local batch, over millions of documents.

Three entry points take a Dask collection of documents and return :class:`Frames`, four lazy
Dask DataFrames:

- :func:`extract_paths`: a bag of file paths (or ``(doc_id, path)`` pairs), read on the
  workers as ``targetex extract`` reads them;
- :func:`extract_texts`: a bag of texts (or ``(doc_id, text)`` pairs);
- :func:`extract_frame`: a Dask DataFrame with a text column.

``targets``, ``tasks`` and ``documents`` have the columns and dtypes of
:func:`~targetex.export.to_dataframe`, :func:`~targetex.export.tasks_dataframe` and
:func:`~targetex.export.documents_dataframe` (the ``documents`` sheet): their ``meta`` is
those functions' output for no documents, so the columns are defined once, in
``targetex.export``, and Dask never computes a partition to infer them.  Categorical columns
have unknown categories (each partition has its own).  ``failures`` has one row per
document that could not be read (``doc_id``, ``source``, ``error``: the message the local
batch prints).

The four frames share one extraction per partition: ``Frames.compute()``,
``Frames.persist()`` and ``Frames.to_parquet()`` read and extract every document once (so
does ``compute(frames.targets, frames.tasks)``); computing the frames one at a time
extracts again.

Each worker process builds its :class:`~targetex.pipeline.Extractor` once, on its first
partition (:func:`worker_extractor`), and reuses it for every later one: extraction is pure
Python, so give workers one thread each and as many processes as cores.

:func:`run_batch` is the engine of ``targetex extract --dask``: documents go to the cluster a
few at a time, the client writes the results as Parquet parts that each hold whole
documents, in input order, and reports every document in input order.

Needs ``pip install 'targetex[dask]'`` (``dask[dataframe]`` and ``distributed``).
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import logging
import math
import operator
import os
import threading
import typing
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

try:
    import dask.config
    import dask.dataframe as dd
    import pandas as pd
    from dask.base import compute, persist
    from dask.dataframe.utils import clear_known_categories
    from dask.delayed import delayed
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise ImportError(f"targetex.dask needs Dask: pip install 'targetex[dask]' ({exc})") from exc

from targetex.errors import InputError, TargetexError
from targetex.export import documents_dataframe, tasks_dataframe, to_dataframe
from targetex.records import Document, DocumentMeta, Target, Task

if TYPE_CHECKING:  # pragma: no cover
    import dask.bag as db
    import pyarrow
    from distributed import Client, Future

    from targetex.pipeline import Extractor

__all__ = [
    "CONNECT_TIMEOUT",
    "DATASET_TABLES",
    "FAILURE_COLUMNS",
    "Batch",
    "ClusterError",
    "Frames",
    "Item",
    "Outcome",
    "Progress",
    "arrow_schema",
    "check_workers",
    "chunk_size",
    "connect",
    "extract_frame",
    "extract_items",
    "extract_paths",
    "extract_texts",
    "metas",
    "read_items",
    "run_batch",
    "worker_extractor",
]

log = logging.getLogger(__name__)

#: Columns of the ``failures`` frame: the document, where it came from, and why it failed.
FAILURE_COLUMNS = ("doc_id", "source", "error")
#: The four tables of a batch, in the order of :class:`Frames` and :class:`Batch`.
TABLES = ("targets", "tasks", "documents", "failures")
#: The tables :func:`run_batch` writes (failures are reported, not written, as in the local batch).
DATASET_TABLES = TABLES[:3]


class ClusterError(TargetexError):
    """The Dask cluster cannot be reached, or was lost during a batch."""


# --------------------------------------------------------------------------- on the workers


_extractor_lock = threading.Lock()


def worker_extractor() -> Extractor:
    """The extractor of this process, built on first use and reused by every later
    partition (the default one: the same as the local batch's).  A lock makes the build
    happen once even when a worker runs several threads."""
    from targetex.pipeline import default_extractor

    with _extractor_lock:
        return default_extractor()


@dataclass(frozen=True, slots=True)
class Item:
    """One document for a worker: a file to read, bytes read by the client, or a text.

    Attributes:
        doc_id: the document's id in every table.
        path: the path as given: errors and ``meta.source`` name the document by it.
        location: where the worker reads the file (an absolute path, so that workers
            started elsewhere find it); ``""`` reads ``path``.
        data: the document's bytes, when the client read them (standard input).
        text: the document's text, when there is no file.
        problem: why the element cannot be a document (it fails with this message).
    """

    doc_id: str
    path: str = ""
    location: str = ""
    data: bytes | None = None
    text: str | None = None
    problem: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one document of a batch ended: ``error`` is ``None`` when it was extracted;
    ``notes`` are the messages of its notes (``Document.notes``)."""

    doc_id: str
    source: str
    error: str | None
    n_targets: int = 0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Batch:
    """What a worker returns for a partition of a Dask collection: the four tables as
    pandas frames."""

    targets: pd.DataFrame
    tasks: pd.DataFrame
    documents: pd.DataFrame
    failures: pd.DataFrame


def _extract_one(item: Item) -> Document | Outcome:
    """Read and extract one document as the local batch does (``targetex.cli``): the text
    of the file's reader, the metadata it found; an unreadable file is an :class:`Outcome`
    carrying the reader's message."""
    from targetex.io import read_bytes, read_source

    if item.problem:
        return Outcome(item.doc_id, item.path, item.problem)
    extractor = worker_extractor()
    if item.text is not None:
        return extractor.extract(item.text, doc_id=item.doc_id)
    name = str(Path(item.path))
    try:
        if item.data is not None:
            source = read_bytes(item.data, name)
        else:
            source = read_source(item.location or item.path)
    except InputError as exc:
        message = str(exc)
        if item.location:  # name the file as it was given, as the local batch does
            message = message.replace(str(Path(item.location)), name, 1)
        return Outcome(item.doc_id, name, message)
    meta = source.meta
    if item.location:
        meta = dataclasses.replace(meta, source=name)
    return dataclasses.replace(extractor.extract(source.text, doc_id=item.doc_id), meta=meta)


def read_items(items: Iterable[Item]) -> list[Document | Outcome]:
    """Extract documents with this process's extractor (runs on a worker): each one's
    :class:`~targetex.records.Document`, or the :class:`Outcome` that says why it failed."""
    return [_extract_one(item) for item in items]


def extract_items(items: Iterable[Item], units: str = "canonical") -> Batch:
    """Extract a partition's documents into the four tables (runs on a worker).

    Args:
        items: the documents, in order.
        units: ``"canonical"`` or ``"SI"``, as for :func:`~targetex.export.to_dataframe`.
    """
    results = read_items(items)
    documents = [r for r in results if isinstance(r, Document)]
    failed = [r for r in results if isinstance(r, Outcome)]
    return Batch(to_dataframe(documents, units=units), tasks_dataframe(documents),
                 documents_dataframe(documents), _failures_frame(failed))


def _failures_frame(failed: Sequence[Outcome]) -> pd.DataFrame:
    rows = [(f.doc_id, f.source, f.error) for f in failed]
    return pd.DataFrame(rows, columns=list(FAILURE_COLUMNS)).astype("string")


def _path_items(records: Iterable[Any]) -> list[Item]:
    items = []
    for record in records:
        if isinstance(record, tuple) and len(record) == 2:
            doc_id, path = record
            items.append(Item(str(doc_id), path=os.fspath(path)))
        elif isinstance(record, str | os.PathLike):
            items.append(Item(os.fspath(record), path=os.fspath(record)))
        else:
            problem = f"{record!r:.80}: not a path or a (doc_id, path) pair"
            items.append(Item(repr(record)[:80], problem=problem))
    return items


def _text_items(records: Iterable[Any]) -> list[Item]:
    items = []
    for record in records:
        if isinstance(record, tuple) and len(record) == 2 and isinstance(record[1], str):
            items.append(Item(str(record[0]), text=record[1]))
        elif isinstance(record, str):
            items.append(Item("", text=record))
        else:
            problem = f"{record!r:.80}: not a text or a (doc_id, text) pair"
            items.append(Item(repr(record)[:80], problem=problem))
    return items


def _extract_records(records: Iterable[Any], kind: str, units: str) -> Batch:
    return extract_items(_path_items(records) if kind == "paths" else _text_items(records), units)


def _extract_rows(partition: pd.DataFrame, text: str, doc_id: str | None, units: str) -> Batch:
    ids = partition[doc_id] if doc_id is not None else partition.index.to_series()
    items = [Item(str(i), text=t) if isinstance(t, str)
             else Item(str(i), problem=f"{i}: the {text!r} column holds {type(t).__name__}, not a text")
             for i, t in zip(ids, partition[text], strict=True)]
    return extract_items(items, units)


# --------------------------------------------------------------------------- on the client


def _empty() -> dict[str, pd.DataFrame]:
    """The four tables for no documents: the export functions' own output."""
    return {"targets": to_dataframe([]), "tasks": tasks_dataframe([]),
            "documents": documents_dataframe([]), "failures": _failures_frame(())}


def metas() -> dict[str, pd.DataFrame]:
    """The empty frames that give the four tables their columns and dtypes (Dask ``meta``):
    the export functions' output for no documents, with categories marked unknown."""
    return {name: clear_known_categories(frame) for name, frame in _empty().items()}


def _list_fields() -> frozenset[str]:
    """Record fields that are tuples of strings (lists in frames, list<string> in Parquet)."""
    names = set()
    for record in (Target, Task, DocumentMeta):
        for name, hint in typing.get_type_hints(record).items():
            if typing.get_origin(hint) is tuple and typing.get_args(hint) == (str, ...):
                names.add(name)
    return frozenset(names)


def arrow_schema(meta: pd.DataFrame) -> pyarrow.Schema:
    """The Parquet schema of a table, from its meta (not from data, where an empty list or
    an all-empty column says nothing): nullable integers and floats, strings, categories
    as dictionaries, lists of strings."""
    import pyarrow as pa

    lists = _list_fields()
    fields = []
    for name, dtype in meta.dtypes.items():
        kind = str(dtype)
        if kind == "category":
            arrow: pa.DataType = pa.dictionary(pa.int32(), pa.string())
        elif kind == "Int64":
            arrow = pa.int64()
        elif kind == "Float64":
            arrow = pa.float64()
        elif kind == "boolean":
            arrow = pa.bool_()
        elif kind in ("string", "str"):
            arrow = pa.string()
        elif name in lists:
            arrow = pa.list_(pa.string())
        else:  # pragma: no cover - a new field type the export does not know yet
            raise TypeError(f"column {name!r} has dtype {kind}: no Parquet type for it")
        fields.append(pa.field(str(name), arrow))
    return pa.schema(fields)


@dataclass(frozen=True)
class Frames:
    """The four tables of an extraction as lazy Dask DataFrames (see the module's doc)."""

    targets: dd.DataFrame
    tasks: dd.DataFrame
    documents: dd.DataFrame
    failures: dd.DataFrame

    def compute(self, **kwargs: Any) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """The four tables as pandas frames, every document extracted once."""
        targets, tasks, documents, failures = compute(
            self.targets, self.tasks, self.documents, self.failures, **kwargs)
        return targets, tasks, documents, failures

    def persist(self, **kwargs: Any) -> Frames:
        """The same frames held in the cluster's memory, every document extracted once."""
        targets, tasks, documents, failures = persist(
            self.targets, self.tasks, self.documents, self.failures, **kwargs)
        return Frames(targets, tasks, documents, failures)

    def to_parquet(self, path: str | os.PathLike[str], **kwargs: Any) -> None:
        """Write ``PATH/targets``, ``PATH/tasks``, ``PATH/documents`` and ``PATH/failures``
        as Parquet datasets (one file per partition, written by the workers: ``path`` must
        be where they can write, e.g. a shared folder or an fsspec URL); every document is
        extracted once.  ``kwargs`` go to :meth:`dask.dataframe.DataFrame.to_parquet`."""
        root = os.fspath(path).rstrip("/")
        schemas = {name: arrow_schema(meta) for name, meta in metas().items()}
        writes = [getattr(self, name).to_parquet(f"{root}/{name}", schema=schemas[name], write_index=False,
                                                 compute=False, **kwargs) for name in TABLES]
        compute(*writes)


def _frames(batches: Sequence[Any]) -> Frames:
    """The four Dask frames of delayed :class:`Batch` objects (one per partition)."""
    meta = metas()
    # Dask would otherwise turn every object column into strings, lists included.
    with dask.config.set({"dataframe.convert-string": False}):
        tables = [dd.from_delayed([delayed(operator.attrgetter(name), pure=True)(batch)
                                   for batch in batches], meta=meta[name]) for name in TABLES]
    return Frames(*tables)


def _check_units(units: str) -> None:
    if units not in ("canonical", "SI"):
        raise ValueError(f"units must be 'canonical' or 'SI', not {units!r}")


def extract_paths(paths: db.Bag, units: str = "canonical") -> Frames:
    """Read and extract the documents of a bag of paths on the workers.

    Args:
        paths: file paths (str or ``os.PathLike``; the ``doc_id`` is the path as given) or
            ``(doc_id, path)`` pairs.  The workers open them: on a cluster, give paths
            every worker can read (a shared file system).  Any format ``targetex extract``
            reads.
        units: ``"canonical"`` or ``"SI"`` (see :func:`~targetex.export.to_dataframe`).

    Returns:
        :class:`Frames`; a file that cannot be read is a row of ``failures`` with the
        message the local batch prints, and the others are extracted.

    Example::

        import dask.bag as db
        frames = extract_paths(db.from_sequence(sorted(glob.glob("docs/*.html")), npartitions=64))
        targets, tasks, documents, failures = frames.compute()
    """
    _check_units(units)
    return _frames([delayed(_extract_records, pure=True)(part, "paths", units)
                    for part in paths.to_delayed()])


def extract_texts(texts: db.Bag, units: str = "canonical") -> Frames:
    """Extract a bag of texts on the workers.

    Args:
        texts: ``(doc_id, text)`` pairs, or texts alone (their ``doc_id`` is ``""``, as
            for :func:`targetex.extract`).
        units: ``"canonical"`` or ``"SI"``.
    """
    _check_units(units)
    return _frames([delayed(_extract_records, pure=True)(part, "texts", units)
                    for part in texts.to_delayed()])


def extract_frame(frame: dd.DataFrame, text: str = "text", doc_id: str | None = "doc_id",
                  units: str = "canonical") -> Frames:
    """Extract the texts of a Dask DataFrame's column on the workers.

    Args:
        frame: one row per document.
        text: the column that holds the texts.
        doc_id: the column that holds the document ids; ``None`` takes the index (as
            strings).
        units: ``"canonical"`` or ``"SI"``.

    Raises:
        KeyError: ``text`` or ``doc_id`` is not a column of ``frame`` (checked on its meta,
            nothing is computed).
    """
    _check_units(units)
    for column in (text, doc_id):
        if column is not None and column not in frame.columns:
            raise KeyError(f"{column!r} is not a column of the frame (columns: {list(frame.columns)})")
    return _frames([delayed(_extract_rows, pure=True)(part, text, doc_id, units)
                    for part in frame.to_delayed()])


# --------------------------------------------------------------------------- the CLI's batch


#: How long :func:`connect` waits for a scheduler that does not answer.
CONNECT_TIMEOUT = "10s"


@contextlib.contextmanager
def connect(address: str, timeout: str | None = None) -> Iterator[Client]:
    """A client of the cluster at ``address``, closed (with its cluster, if made here) on exit.

    ``local:N`` starts a cluster of N worker processes of one thread each on this machine
    (its HTTP server on a free port);
    anything else is a scheduler address (``tcp://HOST:PORT``, ``tls://…``) of a running
    cluster (``dask scheduler``, dask-jobqueue, dask-kubernetes), waited for ``timeout``
    (default :data:`CONNECT_TIMEOUT`).

    Raises:
        ValueError: ``local:N`` with N not a positive whole number.
        ClusterError: the cluster cannot be started or its scheduler cannot be reached.
    """
    from distributed import Client, LocalCluster

    with ExitStack() as stack:
        client: Client
        if address.startswith("local:"):
            count = address.removeprefix("local:")
            if not count.isdigit() or int(count) < 1:
                raise ValueError(f"--dask {address}: local:N needs a number of workers N >= 1")
            try:
                cluster = stack.enter_context(LocalCluster(
                    n_workers=int(count), threads_per_worker=1, processes=True, dashboard_address=":0",
                    silence_logs=logging.ERROR))
                client = stack.enter_context(Client(cluster))
            except Exception as exc:
                raise ClusterError(f"cannot start a local Dask cluster: {exc}") from exc
        else:
            try:
                client = stack.enter_context(Client(address, timeout=timeout or CONNECT_TIMEOUT))
            except Exception as exc:
                raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        yield client


@dataclass(frozen=True)
class Progress:
    """A step of :func:`run_batch`: how many documents just finished (in any order), and
    the outcomes that are now known in input order."""

    done: int
    outcomes: tuple[Outcome, ...]


class _PartWriter:
    """Writes the tables as Parquet parts ``FOLDER/<table>/part.NNNNN.parquet`` that each
    hold whole documents, consecutive in input order."""

    def __init__(self, folder: Path, documents_per_part: int, units: str) -> None:
        self.folder = folder
        self.documents_per_part = documents_per_part
        self.units = units
        empty = _empty()
        self.schemas = {name: arrow_schema(empty[name]) for name in DATASET_TABLES}
        self.pending: list[Document] = []
        self.parts = 0
        for name in self.schemas:
            (folder / name).mkdir(parents=True, exist_ok=True)

    def add(self, documents: Iterable[Document]) -> None:
        self.pending.extend(documents)
        if len(self.pending) >= self.documents_per_part:
            self.flush()

    def flush(self, force: bool = False) -> None:
        """Write what is pending as the next part (with ``force``, even an empty part, so
        that every table exists with its schema)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.pending and not force:
            return
        frames = {"targets": to_dataframe(self.pending, units=self.units),
                  "tasks": tasks_dataframe(self.pending), "documents": documents_dataframe(self.pending)}
        for name, schema in self.schemas.items():
            table = pa.Table.from_pandas(frames[name], schema=schema, preserve_index=False)
            pq.write_table(table, self.folder / name / f"part.{self.parts:05d}.parquet")
        self.pending = []
        self.parts += 1

    def close(self) -> None:
        self.flush(force=self.parts == 0)


def check_workers(client: Client) -> None:
    """Refuse a cluster whose workers cannot run targetex (so that a batch does not fail
    document by document for want of an install); warn when their version differs.

    Raises:
        ClusterError: some worker has no ``targetex`` package.
    """
    from importlib.metadata import version

    from targetex import __version__

    versions = client.run(version, "targetex", on_error="return")
    missing = {worker: v for worker, v in versions.items() if isinstance(v, BaseException)}
    if missing:
        worker, problem = next(iter(missing.items()))
        raise ClusterError(f"{len(missing)} of {len(versions)} Dask workers have no targetex "
                           f"(install 'targetex[dask]' where they run; {worker}: {problem!r})")
    others = sorted({str(v) for v in versions.values()} - {__version__})
    if others:
        log.warning("Dask workers run targetex %s, this process %s: results may differ",
                    ", ".join(others), __version__)


def chunk_size(n_documents: int, n_threads: int) -> int:
    """Documents per task: about eight tasks per worker thread (so the load balances and
    the progress bar moves), at most 64 documents (so each task stays short)."""
    return max(1, min(64, math.ceil(n_documents / (max(1, n_threads) * 8))))


def run_batch(client: Client, items: Sequence[Item], folder: Path, *, chunk: int | None = None,
              documents_per_part: int = 1000, units: str = "canonical") -> Iterator[Progress]:
    """Extract ``items`` on the cluster of ``client`` and write the tables under ``folder``.

    Documents go to the workers ``chunk`` at a time (default: :func:`chunk_size`), with a
    bounded number of chunks in flight; the client writes ``targets``, ``tasks`` and
    ``documents`` Parquet parts of whole documents in input order as results arrive.  A
    chunk whose task fails (a bug, a worker killed by a document) is tried again one
    document per task, so the document that fails, fails alone.

    Yields:
        :class:`Progress` steps; every document's :class:`Outcome` comes exactly once, in
        input order.

    Raises:
        ClusterError: a worker has no targetex (:func:`check_workers`), or the cluster went
            away (its futures were lost or cancelled).
    """
    from distributed import as_completed

    _check_units(units)
    check_workers(client)
    n_threads = sum(client.nthreads().values())
    size = chunk or chunk_size(len(items), n_threads)
    chunks = [list(items[i:i + size]) for i in range(0, len(items), size)]
    window = max(16, 4 * n_threads)
    writer = _PartWriter(folder, documents_per_part, units)
    # Results per chunk, one per document (None: not back yet from a chunk tried again
    # document by document).
    results: dict[int, list[Document | Outcome | None]] = {}
    owner: dict[Future[list[Document | Outcome]], tuple[int, int | None]] = {}  # -> (chunk, document)
    queue = collections.deque(enumerate(chunks))
    cursor = 0
    run = uuid.uuid4().hex[:12]  # keys unique to this batch
    # Results are gathered by the client's event loop as tasks finish (not by this thread);
    # its loop, named: by default as_completed takes the default client's, which is another
    # thread's when the process has several clients (a notebook's, a benchmark's).
    running = as_completed(loop=client.loop, with_results=True, raise_errors=False)

    def submit(index: int, work: list[Item], position: int | None = None) -> None:
        part = "all" if position is None else position
        future = client.submit(read_items, work, key=f"targetex-extract-{run}-{index}-{part}")
        owner[future] = (index, position)
        running.add(future)

    def top_up() -> None:
        while queue and len(owner) < window:
            index, work = queue.popleft()
            submit(index, work)

    def failure(item: Item, error: BaseException) -> Outcome:
        name = str(Path(item.path)) if item.path else item.doc_id
        return Outcome(item.doc_id, name, f"{name}: failed on the cluster: {type(error).__name__}: {error}")

    top_up()
    for future, result in running:
        index, position = owner.pop(future)
        work = chunks[index]
        done = len(work) if position is None else 1
        if future.status == "finished":
            if position is None:
                results[index] = list(result)
            else:
                results[index][position] = result[0]
        elif future.status == "error":
            error = result[1]  # (type, exception, traceback)
            if position is None and len(work) > 1:
                log.warning("chunk %d failed on the cluster (%s: %s): trying its documents one by one",
                            index, type(error).__name__, error)
                results[index] = [None] * len(work)
                for i, item in enumerate(work):
                    submit(index, [item], i)
                done = 0
            else:
                results.setdefault(index, [None])[position or 0] = failure(work[position or 0], error)
        else:
            raise ClusterError(f"lost the Dask cluster: a task was {future.status}")
        future.release()
        ready: list[Outcome] = []
        while cursor in results and all(r is not None for r in results[cursor]):
            for item, extracted in zip(chunks[cursor], results.pop(cursor), strict=True):
                if isinstance(extracted, Document):
                    writer.add([extracted])
                    ready.append(Outcome(extracted.doc_id, item.path, None, len(extracted.targets),
                                         tuple(note.message for note in extracted.notes)))
                elif extracted is not None:
                    ready.append(extracted)
            cursor += 1
        top_up()
        yield Progress(done, tuple(ready))
    writer.close()

