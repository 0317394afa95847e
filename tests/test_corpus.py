"""The accuracy floors on the bundled corpus (docs/annotation.md section 8 scoring).

The corpus has batches (``corpora/batches.toml``) that the rules have known for different
lengths of time, so their floors differ:

* the **first batch** (Cixi and 14 documents, tuned on since 2026-11): micro strict F1 ≥ 0.93,
  detection ≥ 0.97, tasks and units ≥ 0.95, and no document under 0.85 strict;
* the **second batch's development part** (24 documents, first seen on 2026-12-06 and tuned
  on since): floors a little under what the extractor measures today, so that the work
  cannot slide back unnoticed. Issue 11 asks for strict ≥ 0.93 and detection ≥ 0.97 there;
  that is not reached (the README's Accuracy section gives the figures), and these floors
  do not pretend it is.

The sealed part (``corpora/sealed/``) is not scored here: it is scored once, by
``benchmarks/first_seen.py``, and never tuned on.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from targetex.evaluation import Scores, evaluate_corpus

CORPUS = Path(__file__).resolve().parent.parent / "corpora"
BATCHES: dict[str, list[str]] = tomllib.loads((CORPUS / "batches.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus_scores() -> dict[str, Scores]:
    results, _ = evaluate_corpus(CORPUS)
    return {r.doc_id: r.scores for r in results}


def _micro(per_document: dict[str, Scores], batch: str) -> Scores:
    total = Scores()
    for doc_id in BATCHES[batch]:
        total.add(per_document[doc_id])
    return total


def test_every_gold_document_is_in_one_batch(corpus_scores: dict[str, Scores]) -> None:
    listed = [doc_id for batch in ("first", "second_development") for doc_id in BATCHES[batch]]
    assert sorted(listed) == sorted(corpus_scores)
    sealed = sorted(p.name[: -len(".gold.json")] for p in (CORPUS / "sealed").glob("*.gold.json"))
    assert sorted(BATCHES["second_sealed"]) == sealed


def test_cixi_meets_its_floor(corpus_scores: dict[str, Scores]) -> None:
    cixi = corpus_scores["cixi-2021"]
    assert cixi.strict.f1 >= 0.95
    assert cixi.detection.f1 >= 0.98
    assert cixi.tasks.f1 == 1.0
    assert cixi.lead_units.f1 >= 0.98
    assert cixi.cooperating_units.f1 >= 0.98


def test_first_batch_meets_its_floor(corpus_scores: dict[str, Scores]) -> None:
    total = _micro(corpus_scores, "first")
    assert total.strict.f1 >= 0.93
    assert total.detection.f1 >= 0.97
    assert total.tasks.f1 >= 0.95
    assert total.lead_units.f1 >= 0.95


@pytest.mark.parametrize("doc_id", BATCHES["first"])
def test_no_first_batch_document_under_the_floor(corpus_scores: dict[str, Scores], doc_id: str) -> None:
    assert corpus_scores[doc_id].strict.f1 >= 0.85


def test_second_batch_does_not_slide_back(corpus_scores: dict[str, Scores]) -> None:
    total = _micro(corpus_scores, "second_development")
    assert total.strict.f1 >= 0.80
    assert total.detection.f1 >= 0.93
    assert total.tasks.f1 >= 0.98
    assert total.lead_units.f1 >= 0.87
    assert total.accuracy("year") >= 0.97
