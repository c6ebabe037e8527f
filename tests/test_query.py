"""The GUI's query layer on the real corpus: plain values out, filters respected, offsets mapped."""

from __future__ import annotations

from dataclasses import is_dataclass
from typing import Any

import pytest

from db import query
from db.filters import Filters
from db.query import OffsetMap


def _event_with_evidence(engine: Any) -> str:
    eid = query.showcase_event(engine)
    if eid is None:
        pytest.fail("the default corpus has no event with evidence")
    return eid


def test_offset_map_round_trips_outside_repairs() -> None:
    # norm 5-6 came from orig 5-8 (3 mojibake chars → 1); norm 10-10 deletes orig 12-16.
    m = OffsetMap([(5, 6, 5, 8), (10, 10, 12, 16)])
    assert m.to_original(3) == 3
    assert m.to_original(5) == 5
    assert m.to_original(6, end=True) == 8
    assert m.to_original(7) == 9
    assert m.to_original(10) == 16  # a start after a deletion skips the deleted text
    assert m.to_original(10, end=True) == 12  # an end before it stops before it
    assert m.to_normalized(9) == 7
    assert m.to_normalized(6) == 5  # inside a repaired span: its start
    for norm in (0, 4, 7, 9, 11, 20):
        assert m.to_normalized(m.to_original(norm)) == norm


def test_offset_map_on_real_repairs(engine: Any) -> None:
    """Every repair maps its normalized span onto exactly its original text."""
    checked = 0
    for info in query.sources(engine):
        st = query.source_text(engine, info.id)
        for ns, ne, os_, oe in st.offsets.repairs[:200]:
            if ne > ns:
                a = st.offsets.to_original(ns)
                b = st.offsets.to_original(ne, end=True)
                assert (a, b) == (os_, oe)
                checked += 1
    assert checked > 0


def test_sources_and_text(engine: Any) -> None:
    infos = query.sources(engine)
    assert len(infos) == 5
    assert all(is_dataclass(i) for i in infos)
    st = query.source_text(engine, infos[0].id)
    assert st.normalized and st.original


def test_event_detail_and_links_agree(engine: Any) -> None:
    eid = _event_with_evidence(engine)
    detail = query.event_detail(engine, eid)
    links = query.event_links(engine, eid)
    assert detail is not None and detail.id == eid
    assert [(a.source_id, a.start, a.end) for a in detail.accounts] == [
        (s.source_id, s.start, s.end) for s in links.evidence
    ]
    assert {p.entity_id for p in detail.participants} == links.entities
    st = query.source_text(engine, links.evidence[0].source_id)
    a = detail.accounts[0]
    assert st.normalized[a.start : a.end].strip()


def test_events_at_and_mention_at(engine: Any) -> None:
    eid = _event_with_evidence(engine)
    span = query.event_links(engine, eid).evidence[0]
    at = query.events_at(engine, span.source_id, span.start)
    assert eid in {e.id for e in at}
    # A filter that excludes the event's kind hides it.
    kind = query.event_detail(engine, eid).kind  # type: ignore[union-attr]
    assert eid not in {
        e.id
        for e in query.events_at(
            engine, span.source_id, span.start, Filters(kinds=frozenset({"no-such-kind"}))
        )
    }
    assert eid in {
        e.id
        for e in query.events_at(
            engine, span.source_id, span.start, Filters(kinds=frozenset({kind}))
        )
    }
    mentions = query.entity_mentions(
        engine, query.event_links(engine, eid).entities, span.source_id
    )
    if mentions:
        m = mentions[0]
        assert query.mention_at(engine, m.source_id, m.start) is not None


def test_entity_lists_respect_filters(engine: Any) -> None:
    all_counts = query.entity_type_counts(engine)
    assert sum(all_counts.values()) == query.counts(engine).entities
    battle = Filters(kinds=frozenset({"battle"}))
    narrowed = query.entity_type_counts(engine, battle)
    assert sum(narrowed.values()) < sum(all_counts.values())
    for etype, n in narrowed.items():
        assert len(query.entity_ids(engine, etype, battle)) == n
    # The entity filter is the entity pane's own selection: it does not narrow the entity list.
    some = query.entity_ids(engine, next(iter(all_counts)))[:2]
    assert query.entity_type_counts(engine, Filters(entities=frozenset(some))) == all_counts


def test_adjacent_event_walks_in_date_order(engine: Any) -> None:
    first = query.adjacent_event(engine, None, 1)
    second = query.adjacent_event(engine, first, 1)
    assert first is not None and second is not None and first != second
    assert query.adjacent_event(engine, second, -1) == first
    a, b = query.event_rows(engine, [first, second]).values()
    assert (a.earliest, a.id) <= (b.earliest, b.id) or (b.earliest, b.id) <= (a.earliest, a.id)


def test_counts_with_filters(engine: Any) -> None:
    c = query.counts(engine)
    assert c.events == c.events_total > 0
    f = query.counts(engine, Filters(kinds=frozenset({"battle"})))
    assert 0 < f.events < f.events_total
