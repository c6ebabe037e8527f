"""The tagger on the hand-annotated gold set: fails under 0.95 value accuracy.

Run with ``-s`` to see the figures; ``python -m db.timex.evaluate`` prints the
full comparison with dateparser.
"""

from __future__ import annotations

from typing import Any

from db.timex.evaluate import (
    chronoscope_predictions,
    held_out,
    load_gold,
    relocate,
    score,
)


def test_gold_set_covers_the_issue(parsed_corpus: dict[str, Any]) -> None:
    _regions, gold = load_gold()
    gold = relocate(gold, parsed_corpus)
    assert len(gold) >= 200
    assert {g.doc for g in gold} == {"000", "001", "002", "003", "004"}
    surfaces = {g.text for g in gold}
    for case in (
        "December 5 (old calendar: 18), 1917",
        "January 30 (February 12)",
        "January 22–25 (9–12)",
        "22–23 March",  # repaired by normalization from 002's "2223 March"
        "Between August 7 and 17",
        "the summer of 1918",
        "the 1880s",
        "the late 19th century",
        "The next day",
        "two weeks later",
        "1914",
        "three days",
    ):
        assert case in surfaces, case
    for g in gold:
        assert parsed_corpus[g.doc].normalized[g.start : g.end] == g.text


def test_value_accuracy_on_the_gold_set(parsed_corpus: dict[str, Any]) -> None:
    regions, gold = load_gold()
    gold = relocate(gold, parsed_corpus)
    predictions = chronoscope_predictions(parsed_corpus)
    s = score(predictions, regions, gold)
    h_regions, h_gold = held_out(regions, gold)
    h = score(predictions, h_regions, h_gold)
    print(
        f"\ntimex gold ({s.gold} expressions): span P={s.precision:.3f} R={s.recall:.3f} "
        f"(exact P={s.exact_precision:.3f} R={s.exact_recall:.3f}), "
        f"value accuracy={s.value_accuracy:.3f}, end-to-end={s.end_to_end:.3f}; "
        f"held-out ({h.gold}): P={h.precision:.3f} R={h.recall:.3f} value={h.value_accuracy:.3f}"
    )
    for g, p in s.errors:
        print(f"  {g.doc}:{g.start} {g.text!r} gold={g.value} got={None if p is None else p.value}")
    assert s.value_accuracy >= 0.95
    assert s.recall >= 0.9 and s.precision >= 0.9


def test_julian_readings_on_the_gold_set(parsed_corpus: dict[str, Any]) -> None:
    from db.timex import tag_document

    _regions, gold = load_gold()
    gold = relocate(gold, parsed_corpus)
    duals = [g for g in gold if g.julian]
    assert len(duals) >= 4
    for g in duals:
        got = {(t.start, t.end): t for t in tag_document(parsed_corpus[g.doc])}
        tx = got[(g.start, g.end)]
        assert (tx.value, tx.julian_value, tx.kind) == (g.value, g.julian, "dual_calendar")
