"""The accuracy floors on the bundled corpus (ANNOTATION.md section 6 scoring)."""

from __future__ import annotations

from pathlib import Path

import pytest

from targetex.evaluation import Scores, evaluate_corpus

CORPUS = Path(__file__).resolve().parent.parent / "corpora"


@pytest.fixture(scope="module")
def corpus_scores() -> tuple[dict[str, Scores], Scores]:
    results, total = evaluate_corpus(CORPUS)
    return {r.doc_id: r.scores for r in results}, total


def test_cixi_meets_its_floor(corpus_scores: tuple[dict[str, Scores], Scores]) -> None:
    cixi = corpus_scores[0]["cixi-2021"]
    assert cixi.strict.f1 >= 0.95
    assert cixi.detection.f1 >= 0.98
    assert cixi.tasks.f1 == 1.0
    assert cixi.lead_units.f1 >= 0.98
    assert cixi.cooperating_units.f1 >= 0.98


def test_corpus_meets_its_floor(corpus_scores: tuple[dict[str, Scores], Scores]) -> None:
    per_document, total = corpus_scores
    assert len(per_document) >= 15
    assert total.strict.f1 >= 0.93
    assert total.detection.f1 >= 0.97
    assert total.tasks.f1 >= 0.95
    assert total.lead_units.f1 >= 0.95


@pytest.mark.parametrize("doc_id", sorted(p.name.split(".")[0] for p in CORPUS.glob("*.gold.json")))
def test_no_document_under_the_floor(corpus_scores: tuple[dict[str, Scores], Scores], doc_id: str) -> None:
    assert corpus_scores[0][doc_id].strict.f1 >= 0.85
