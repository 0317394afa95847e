"""Extraction on Dask (``targetex.dask`` and ``targetex extract --dask``) gives, document by
document, what the single-process extraction and the local batch give.

A real ``distributed.LocalCluster`` of two worker processes (one thread each) is started once
for the module.  The tests are skipped, saying why, only when the ``dask`` extra is not
installed.
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("dask.dataframe", reason="the 'dask' extra is not installed: pip install "
                                             "'targetex[dask]'")
pytest.importorskip("distributed", reason="the 'dask' extra is not installed: pip install 'targetex[dask]'")

import dask.bag as db
import dask.dataframe as dd
import pandas as pd
from dask.delayed import delayed
from distributed import Client, LocalCluster

import targetex
from targetex import dask as tdask
from targetex.cli import main
from targetex.export import documents_dataframe, tasks_dataframe, to_dataframe
from targetex.io import read_source
from targetex.records import Document

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora"
#: Short corpus documents of different layouts, and a web page in a portal's furniture.
DOCUMENTS = ("pingan-2017", "guangdong-2021", "shapingba-2022", "caidian-2023", "xinchang-2021",
             "guobanfa-xizangban-1996")
PAGE = ROOT / "tests" / "data" / "web" / "gov-county-table-utf8.shtml"


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as dask_client:
        yield dask_client


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder as a user has it: documents in sub-folders, a web page, a binary file, an
    empty file and a README (left out by the walk)."""
    folder = tmp_path_factory.mktemp("batch") / "in"
    (folder / "b").mkdir(parents=True)
    for i, name in enumerate(DOCUMENTS):
        shutil.copy(CORPUS / f"{name}.txt", folder / ("b" if i % 2 else ".") / f"{name}.txt")
    shutil.copy(PAGE, folder / "b" / PAGE.name)
    (folder / "b" / "broken.txt").write_bytes(b"\x00\x01\x02\x03 not a document \xff\xfe\x00")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "README.md").write_text("# about this folder\n", encoding="utf-8")
    return folder


def local_document(path: Path, doc_id: str) -> Document:
    """One document as the single-process extraction gives it (text and metadata of its reader)."""
    source = read_source(path)
    doc = targetex.extract(source.text, doc_id=doc_id)
    return Document(doc.doc_id, doc.tasks, doc.targets, source.meta)


def plain(value: Any) -> Any:
    """A cell as plain Python, whether it came from pandas, Dask or Parquet."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def records(frame: pd.DataFrame, doc_id: str) -> list[dict[str, Any]]:
    rows = frame[frame["doc_id"] == doc_id].to_dict("records")
    return [{k: plain(v) for k, v in row.items()} for row in rows]


def dtype_names(frame: pd.DataFrame) -> dict[str, str]:
    return {str(k): str(v) for k, v in frame.dtypes.items()}


def assert_same_documents(tables: tuple[pd.DataFrame, ...], expected: list[Document]) -> None:
    """Every document's targets, tasks and document row equal the single-process ones."""
    targets, tasks, documents = tables[:3]
    assert sorted(documents["doc_id"]) == sorted(d.doc_id for d in expected)
    for doc in expected:
        assert doc.targets, f"{doc.doc_id}: a test document without targets tests little"
        assert records(targets, doc.doc_id) == records(to_dataframe(doc), doc.doc_id), doc.doc_id
        assert records(tasks, doc.doc_id) == records(tasks_dataframe(doc), doc.doc_id), doc.doc_id
        assert records(documents, doc.doc_id) == records(documents_dataframe(doc), doc.doc_id), doc.doc_id


# --------------------------------------------------------------------------- the Python API


def test_paths_on_the_cluster_equal_single_process(client: Client, batch: Path) -> None:
    files = sorted(p for p in batch.rglob("*") if p.is_file() and p.suffix != ".md")
    pairs = [(p.relative_to(batch).with_suffix("").as_posix(), str(p)) for p in files]
    frames = tdask.extract_paths(db.from_sequence(pairs, npartitions=3))
    targets, tasks, documents, failures = frames.compute()

    readable = [(doc_id, Path(path)) for doc_id, path in pairs if Path(path).stat().st_size > 0
                and not path.endswith("broken.txt")]
    assert_same_documents((targets, tasks, documents), [local_document(p, i) for i, p in readable])
    assert sorted(failures["doc_id"]) == ["b/broken", "empty"]
    message = failures.set_index("doc_id")["error"]
    assert message["empty"] == f"{batch / 'empty.txt'}: empty file (0 bytes): nothing to read"
    assert str(batch / "b" / "broken.txt") in message["b/broken"]
    # Same columns and dtypes as the export functions (categories are per partition).
    assert dtype_names(targets) == dtype_names(to_dataframe([]))
    assert dtype_names(tasks) == dtype_names(tasks_dataframe([]))
    assert dtype_names(documents) == dtype_names(documents_dataframe([]))


def test_meta_is_declared_not_computed() -> None:
    """Building the frames and asking for their columns and dtypes runs no partition: a
    partition that would raise is never touched."""
    def explode() -> list[str]:
        raise AssertionError("a partition was computed to infer the meta")

    paths = db.from_delayed([delayed(explode)()])
    frames = tdask.extract_paths(paths)
    assert list(frames.targets.columns) == list(to_dataframe([]).columns)
    assert dtype_names(frames.targets._meta) == dtype_names(to_dataframe([]))
    assert dtype_names(frames.tasks._meta) == dtype_names(tasks_dataframe([]))
    assert dtype_names(frames.documents._meta) == dtype_names(documents_dataframe([]))
    assert list(frames.failures.columns) == list(tdask.FAILURE_COLUMNS)
    # Lists stay lists (Dask would make strings of object columns).
    assert str(frames.targets.dtypes["lead_units"]) == "object"
    assert not frames.targets["unit"].cat.known


def test_each_worker_builds_its_extractor_once(client: Client) -> None:
    texts = [(f"d{i}", f"（一）新增企业{i + 1}家。\n牵头单位：市经信局") for i in range(24)]
    targets, *_ = tdask.extract_texts(db.from_sequence(texts, npartitions=12)).compute()
    assert sorted(targets["value"].tolist()) == [float(i + 1) for i in range(24)]

    def builds() -> tuple[int, int]:
        from targetex.pipeline import default_extractor

        info = default_extractor.cache_info()
        return info.misses, info.hits

    counts = client.run(builds)
    assert len(counts) == 2
    assert all(misses == 1 for misses, _ in counts.values()), counts
    assert sum(hits for _, hits in counts.values()) >= 24 - 2


def test_texts_pairs_plain_and_bad_elements(client: Client) -> None:
    bag = db.from_sequence([("a", "（一）地区生产总值增长7%左右。"), "（二）新增高新技术企业70家。", 42],
                           npartitions=2)
    targets, _, documents, failures = tdask.extract_texts(bag).compute()
    assert records(targets, "a") == records(to_dataframe(targetex.extract("（一）地区生产总值增长7%左右。",
                                                                          doc_id="a")), "a")
    assert records(targets, "")[0]["value"] == 70.0 and records(targets, "")[0]["task_id"] == "2"
    assert sorted(documents["doc_id"]) == ["", "a"]
    assert failures.to_dict("records") == [{"doc_id": "42", "source": "",
                                            "error": "42: not a text or a (doc_id, text) pair"}]


def test_frame_with_a_text_column(client: Client) -> None:
    texts = {"x1": "（一）城镇新增就业1.2万人以上。\n牵头单位：市人力社保局",
             "x2": "（一）新增5G基站1万个，打造示范园区3个。"}
    pandas_frame = pd.DataFrame({"id": list(texts), "body": list(texts.values())})
    frame = dd.from_pandas(pandas_frame, npartitions=2)
    targets, tasks, _, _ = tdask.extract_frame(frame, text="body", doc_id="id").compute()
    for doc_id, text in texts.items():
        expected = targetex.extract(text, doc_id=doc_id)
        assert records(targets, doc_id) == records(to_dataframe(expected), doc_id)
        assert records(tasks, doc_id) == records(tasks_dataframe(expected), doc_id)
    by_index, *_ = tdask.extract_frame(frame.set_index("id"), text="body", doc_id=None).compute()
    assert sorted(set(by_index["doc_id"])) == ["x1", "x2"]
    with pytest.raises(KeyError, match="'text' is not a column"):
        tdask.extract_frame(frame, doc_id="id")


def test_frames_to_parquet_and_si_units(client: Client, tmp_path: Path) -> None:
    text = "（一）新增造林面积1.5万亩，治理水土流失300平方公里。"
    frames = tdask.extract_texts(db.from_sequence([("f", text)]), units="SI")
    frames.to_parquet(tmp_path / "out")
    written = pd.read_parquet(tmp_path / "out" / "targets")
    assert records(written, "f") == records(to_dataframe(targetex.extract(text, doc_id="f"), units="SI"), "f")
    assert set(written["unit"]) == {"hectare"}
    tables = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert tables == ["documents", "failures", "targets", "tasks"]
    with pytest.raises(ValueError, match="units must be"):
        tdask.extract_texts(db.from_sequence([text]), units="imperial")


def test_a_document_that_breaks_its_task_fails_alone(client: Client, tmp_path: Path) -> None:
    """A document that makes its task raise (not a reader's InputError: a bug) fails alone:
    the chunk is tried again one document per task and its other documents are written."""
    good = [tdask.Item(f"g{i}", text=f"（一）新增企业{i + 1}家。") for i in range(3)]
    broken = tdask.Item("bad", path="bad.txt", data="bytes expected, a str given")  # type: ignore[arg-type]
    items = [good[0], broken, good[1], good[2]]
    steps = list(tdask.run_batch(client, items, tmp_path, chunk=4))
    outcomes = [o for step in steps for o in step.outcomes]
    assert [o.doc_id for o in outcomes] == ["g0", "bad", "g1", "g2"]
    assert sum(step.done for step in steps) == 4
    assert outcomes[1].error is not None and outcomes[1].error.startswith("bad.txt: failed on the cluster: ")
    assert all(o.error is None and o.n_targets == 1 for o in outcomes if o.doc_id != "bad")
    assert sorted(pd.read_parquet(tmp_path / "targets")["doc_id"]) == ["g0", "g1", "g2"]


def test_parts_hold_whole_documents_in_input_order(client: Client, tmp_path: Path) -> None:
    texts = [f"（一）新增企业{i + 1}家。\n（二）建成基站{i + 2}个。" for i in range(7)]
    items = [tdask.Item(f"d{i}", text=t) for i, t in enumerate(texts)]
    list(tdask.run_batch(client, items, tmp_path, chunk=1, documents_per_part=2))
    for table in ("targets", "tasks", "documents"):
        parts = sorted((tmp_path / table).glob("part.*.parquet"))
        assert len(parts) == 4, table  # 2 + 2 + 2 + 1 documents
        ids = [sorted(set(pd.read_parquet(p)["doc_id"])) for p in parts]
        assert ids == [["d0", "d1"], ["d2", "d3"], ["d4", "d5"], ["d6"]], table
    assert len(pd.read_parquet(tmp_path / "targets")) == 14


def test_run_batch_follows_its_own_clients_loop(client: Client, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """With another client in the process (the default one, on another loop thread), the
    batch's results are still tracked on its own client's loop (else the two threads race)."""
    import distributed

    loops = []

    class Recording(distributed.as_completed):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            loops.append(self.loop)

    monkeypatch.setattr(distributed, "as_completed", Recording)
    items = [tdask.Item(f"d{i}", text=f"（一）新增企业{i + 1}家。") for i in range(6)]
    with Client(client.scheduler.address) as other:
        assert distributed.default_client() is other and other.loop is not client.loop
        outcomes = [o for step in tdask.run_batch(client, items, tmp_path, chunk=1) for o in step.outcomes]
    assert loops == [client.loop]
    assert [o.n_targets for o in outcomes] == [1] * 6


def test_workers_without_targetex_are_refused(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cluster whose workers lack the package is refused before any document is sent,
    rather than failing every document."""
    tdask.check_workers(client)  # the test cluster's workers have it
    real_run = client.run

    def run_elsewhere(function: Any, *args: Any, **kwargs: Any) -> Any:
        answers = real_run(function, *args, **kwargs)
        first = sorted(answers)[0]
        from importlib.metadata import PackageNotFoundError

        return {**answers, first: PackageNotFoundError("targetex")}

    monkeypatch.setattr(client, "run", run_elsewhere)
    with pytest.raises(tdask.ClusterError, match="1 of 2 Dask workers have no targetex"):
        list(tdask.run_batch(client, [tdask.Item("a", text="新增企业3家")], Path("/nonexistent")))


def test_unreachable_scheduler_is_a_cluster_error() -> None:
    unreachable = r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"
    connection = tdask.connect("tcp://127.0.0.1:9", timeout="1s")
    with pytest.raises(tdask.ClusterError, match=unreachable), connection:
        pass


# --------------------------------------------------------------------------- the command line


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def without_time(err: str) -> list[str]:
    """stderr lines, the summary's time left out."""
    return [line.rsplit(",", 1)[0] if line.startswith("targetex: ") and "documents," in line else line
            for line in err.splitlines()]


def test_cli_dask_equals_the_local_batch(client: Client, batch: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    local_json = tmp_path / "local.json"
    local_status, _, local_err = run(capsys, "extract", str(batch), "-o", str(local_json))
    out = tmp_path / "out"
    address = client.scheduler.address
    status, stdout, err = run(capsys, "extract", str(batch), "--dask", address, "-o", str(out))

    assert status == local_status == 1  # the broken and the empty file failed; the others were written
    assert stdout == ""
    assert without_time(err) == without_time(local_err)
    assert f"targetex: error: {batch / 'empty.txt'}: empty file (0 bytes): nothing to read" in err
    assert "targetex: 6 documents" not in err and "7 documents" in err and "2 failed, 1 skipped" in err

    expected = [Document.from_dict(d) for d in json.loads(local_json.read_text(encoding="utf-8"))]
    written = tuple(pd.read_parquet(out / table) for table in ("targets", "tasks", "documents"))
    assert_same_documents(written, expected)
    assert sorted(p.name for p in out.iterdir()) == ["documents", "targets", "tasks"]
    # Read back, the tables have the dtypes of the local batch's Parquet output.
    local_parquet = tmp_path / "local.parquet"
    assert run(capsys, "extract", str(batch), "-o", str(local_parquet))[0] == 1
    assert dtype_names(written[0]) == dtype_names(pd.read_parquet(local_parquet))

    # Run again over the previous output: it is replaced whole.
    (batch / "empty.txt").write_text("（一）新增企业5家。", encoding="utf-8")
    try:
        status, _, err = run(capsys, "extract", str(batch), "--dask", address, "-o", str(out), "--quiet")
    finally:
        (batch / "empty.txt").write_bytes(b"")
    assert status == 1 and err.count("targetex: error:") == 1
    assert "empty" in set(pd.read_parquet(out / "documents")["doc_id"])


def test_cli_dask_writes_nothing_when_nothing_can_be_read(client: Client, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "blank"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"")
    (folder / "b.txt").write_text(" \n\u3000\n", encoding="utf-8")
    out = tmp_path / "out"
    address = client.scheduler.address
    status, stdout, err = run(capsys, "extract", str(folder), "--dask", address, "-o", str(out))
    assert status == 1 and stdout == "" and err.count("targetex: error:") == 2
    assert "only white space" in err and "0 documents, 0 targets, 2 failed" in err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["blank"]


def test_cli_dask_local_cluster_and_standard_input(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    text = "（一）地区生产总值增长7%左右。\n牵头单位：市发改局"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("gb18030"))))
    status, _, err = run(capsys, "extract", "-", str(CORPUS / "caidian-2023.txt"), "--dask", "local:2",
                         "-o", str(tmp_path / "out"))
    assert status == 0, err
    targets = pd.read_parquet(tmp_path / "out" / "targets")
    assert records(targets, "stdin") == records(to_dataframe(targetex.extract(text, doc_id="stdin")), "stdin")
    documents = pd.read_parquet(tmp_path / "out" / "documents").set_index("doc_id")
    assert documents.loc["stdin", "source"] == "-" and documents.loc["stdin", "encoding"] == "gb18030"
    assert documents.loc["caidian-2023", "n_targets"] == len(local_document(CORPUS / "caidian-2023.txt",
                                                                            "caidian-2023").targets)


@pytest.mark.parametrize(("extra", "message"), [
    ((), "--dask writes a folder of Parquet tables: give -o FOLDER"),
    (("-o", "out.csv"), "not a .csv file"),
    (("-o", "out", "--format", "json"), "--dask writes Parquet, not json"),
    (("-o", "out", "--jobs", "2"), "--jobs does not go with --dask"),
    (("-o", "out", "--explain"), "--explain does not go with --dask"),
])
def test_cli_dask_usage_errors(extra: tuple[str, ...], message: str, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    status, _, err = run(capsys, "extract", str(CORPUS / "caidian-2023.txt"), "--dask", "local:1", *extra)
    assert status == 2 and message in err
    assert not (tmp_path / "out").exists()


def test_cli_dask_bad_address_and_output(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    doc = str(CORPUS / "caidian-2023.txt")
    status, _, err = run(capsys, "extract", doc, "--dask", "local:0", "-o", str(tmp_path / "o"))
    assert status == 2 and "local:N with N worker processes" in err
    monkeypatch.setattr(tdask, "CONNECT_TIMEOUT", "1s")
    status, _, err = run(capsys, "extract", doc, "--dask", "tcp://127.0.0.1:9", "-o", str(tmp_path / "o"))
    assert status == 5 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
    assert not (tmp_path / "o").exists() and not list(tmp_path.glob(".o.*"))  # no partial output left
    # The output folder is created, the folder it goes in is not (as for an output file).
    status, _, err = run(capsys, "extract", doc, "--dask", "local:1", "-o", str(tmp_path / "no" / "out"))
    assert status == 3 and f"the folder {tmp_path / 'no'} does not exist" in err
    assert not (tmp_path / "no").exists()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    status, _, err = run(capsys, "extract", doc, "--dask", "tcp://127.0.0.1:9", "-o", str(tmp_path / "mine"))
    assert status == 3 and "holds other files (notes.txt)" in err
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep me"
