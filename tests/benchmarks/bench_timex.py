"""Throughput of the temporal-expression tagger against dateparser's ``search_dates``.

    .venv/bin/pytest tests/benchmarks/bench_timex.py --benchmark-only -s

Both read the normalized text of the five corpus documents (about 220 kB);
dateparser gets it paragraph by paragraph, as ``db.timex.evaluate`` does. The
last benchmark prints the comparison table: gold-set span P/R and value
accuracy beside the speed of each. Budgets (issue 3): at least 1 MB/s and at
least 10x dateparser.
"""

from __future__ import annotations

from typing import Any

import pytest

from db.timex import tag_document
from db.timex.evaluate import (
    Scores,
    chronoscope_predictions,
    corpus_bytes,
    dateparser_predictions,
    load_gold,
    loose_value_match,
    relocate,
    score,
    table,
)

_SPEED: dict[str, float] = {}


@pytest.fixture(scope="module")
def docs(parsed_corpus: dict[str, Any]) -> dict[str, Any]:
    return parsed_corpus


def test_timex_throughput(benchmark: Any, docs: dict[str, Any]) -> None:
    nbytes = corpus_bytes(docs)

    def run() -> int:
        return sum(len(tag_document(d)) for d in docs.values())

    found = benchmark.pedantic(run, rounds=20, iterations=1, warmup_rounds=2)
    assert found > 400
    _SPEED["chronoscope"] = nbytes / benchmark.stats.stats.min / 1e6
    print(f"\ndb.timex: {nbytes / 1e3:.0f} kB, {_SPEED['chronoscope']:.2f} MB/s (best of 20)")


def test_dateparser_throughput_and_comparison(benchmark: Any, docs: dict[str, Any]) -> None:
    nbytes = corpus_bytes(docs)
    result: dict[str, Any] = {}

    def run() -> None:
        result["predictions"] = dateparser_predictions(docs)

    benchmark.pedantic(run, rounds=1, iterations=1)
    _SPEED["dateparser"] = nbytes / benchmark.stats.stats.min / 1e6
    print(f"\ndateparser.search_dates: {_SPEED['dateparser']:.3f} MB/s")

    regions, gold = load_gold()
    gold = relocate(gold, docs)
    rows: list[tuple[str, Scores, float | None]] = [
        (
            "chronoscope (db.timex)",
            score(chronoscope_predictions(docs), regions, gold),
            _SPEED.get("chronoscope"),
        ),
        (
            "dateparser.search_dates",
            score(result["predictions"], regions, gold, loose_value_match),
            _SPEED["dateparser"],
        ),
    ]
    print(f"gold set: {len(gold)} expressions")
    print(table(rows))
    if "chronoscope" in _SPEED:
        ratio = _SPEED["chronoscope"] / _SPEED["dateparser"]
        print(f"speed ratio: {ratio:.0f}x (budget: >= 1 MB/s and >= 10x)")
        assert _SPEED["chronoscope"] >= 1.0
        assert ratio >= 10
