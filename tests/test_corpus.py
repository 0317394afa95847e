"""The accuracy floor on the bundled corpus (ANNOTATION.md section 6 scoring)."""

from __future__ import annotations

from pathlib import Path

import pytest

from targetex.evaluation import evaluate_corpus

CORPUS = Path(__file__).resolve().parent.parent / "corpora"


@pytest.fixture(scope="module")
def corpus_scores():
    return evaluate_corpus(CORPUS)


def test_cixi_meets_the_accuracy_floor(corpus_scores):
    results, _ = corpus_scores
    cixi = next(r.scores for r in results if r.doc_id == "cixi-2021")
    assert cixi.strict.f1 >= 0.95
    assert cixi.detection.f1 >= 0.98
    assert cixi.tasks.f1 == 1.0
    assert cixi.lead_units.f1 >= 0.98
    assert cixi.cooperating_units.f1 >= 0.98
