"""The timeline's pure parts: calendar, axis, viewport, lane/label layout, phase packing, queries."""

from __future__ import annotations

import itertools
import random
from datetime import date
from pathlib import Path

import pytest

from db.timeline_query import PhaseBand
from desktop.timeline.axis import compute_axis
from desktop.timeline.calendar import NEW_STYLE_START, from_julian, to_julian
from desktop.timeline.layout import layout_lane, layout_phases
from desktop.timeline.viewport import Viewport


def _measure(text: str) -> float:
    return 7.0 * len(text)


def test_julian_calendar_round_trip_and_the_1918_switch() -> None:
    assert to_julian(date(1918, 2, 14).toordinal()) == (1918, 2, 1)
    assert to_julian(date(1917, 12, 18).toordinal()) == (1917, 12, 5)  # "December 5 (old: 18)"
    assert from_julian(1918, 1, 31) == NEW_STYLE_START - 1
    rng = random.Random(1)
    for _ in range(500):
        day = rng.randrange(600_000, 740_000)
        assert from_julian(*to_julian(day)) == day


@pytest.mark.parametrize("seed", range(20))
def test_axis_labels_never_collide(seed: int) -> None:
    rng = random.Random(seed)
    start = rng.uniform(690_000, 700_000)
    length = 10 ** rng.uniform(0.5, 4.5)
    width = rng.uniform(200, 1600)
    axis = compute_axis(start, start + length, width, _measure, julian=bool(seed % 2))
    px = width / length
    spans = sorted(
        ((t.day - start) * px - _measure(t.label) / 2, (t.day - start) * px + _measure(t.label) / 2)
        for t in axis.ticks
        if t.label
    )
    assert spans, "some label is always shown"
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))


def test_viewport_zoom_keeps_anchor_and_respects_bounds() -> None:
    vp = Viewport(100.0, 200.0, 0.0, 1000.0)
    vp.zoom(2.0, 150.0)
    assert (vp.start, vp.end) == (125.0, 175.0)
    vp.zoom(0.001)
    assert (vp.start, vp.end) == (0.0, 1000.0)
    vp.set_range(990, 1010)
    assert vp.end == 1000.0 and vp.length == 20


def test_labels_go_only_where_there_is_room() -> None:
    items = [(0.0, 8.0, 100.0, True), (50.0, 58.0, 100.0, True), (300.0, 600.0, 80.0, False)]
    placed = layout_lane(items, rows=1, left=0, right=1000)
    first, second, bar = placed
    assert first.label_x is None  # only 42 px before the next mark: hidden, shown on hover
    assert second.label_x == pytest.approx(62.0) and second.label_w == 100.0
    assert bar.inside and bar.label_x == pytest.approx(304.0)
    # Every label ends before the next mark in its row.
    assert second.label_x + second.label_w < bar.x0


def test_overlapping_marks_use_the_rows_the_lane_has() -> None:
    items = [(0.0, 500.0, 50.0, False), (10.0, 18.0, 50.0, True), (20.0, 28.0, 50.0, True)]
    placed = layout_lane(items, rows=2, left=0, right=1000)
    assert [p.row for p in placed] == [0, 1, 1]
    forced = layout_lane(items, rows=1, left=0, right=1000, force=1)
    assert forced[1].label_x is not None  # the selected event always shows its title


def test_phases_pack_into_rows_without_overlap() -> None:
    d = date.toordinal
    phases = [
        PhaseBand("war", "War", None, d(date(1918, 1, 1)), d(date(1920, 12, 31)), 0),
        PhaseBand("a", "A", "war", d(date(1918, 3, 1)), d(date(1919, 8, 31)), 1),
        PhaseBand("b", "B", "war", d(date(1918, 3, 1)), d(date(1920, 8, 31)), 1),
        PhaseBand("c", "C", "war", d(date(1919, 10, 1)), d(date(1919, 12, 31)), 1),
        PhaseBand("t", "T", None, d(date(1920, 6, 9)), d(date(1920, 12, 2)), 0),
    ]
    layout = layout_phases(phases)
    rows: dict[int, list[PhaseBand]] = {}
    for ph, row, _hue in layout.placed:
        rows.setdefault(row, []).append(ph)
    for members in rows.values():
        members.sort(key=lambda p: p.earliest)
        assert all(a.latest < b.earliest for a, b in itertools.pairwise(members))
    hues = {ph.id: hue for ph, _r, hue in layout.placed}
    assert hues["war"] is None  # a phase with sub-phases is named, not banded
    assert len({hues["a"], hues["b"], hues["c"], hues["t"]}) == 4
    # Where A and B overlap, the band carries both hues.
    assert any(len(h) == 2 for _a, _b, h in layout.segments)


@pytest.fixture(scope="module")
def query_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from db.synthetic import generate_database

    return generate_database(tmp_path_factory.mktemp("tlq") / "q.sqlite", 2_000, seed=5)


def test_viewport_query_matches_a_plain_interval_scan(query_db: Path) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from db.database import readonly_engine
    from db.models import Event
    from db.timeline_query import TimelineQuery

    engine = readonly_engine(query_db)
    q = TimelineQuery(engine)
    density = q.density("kind")
    lo, _hi = q.span() or (0, 0)
    first, last = lo + 4000, lo + 4060
    marks = q.events_in(density, first, last, 10_000)
    assert marks is not None
    with Session(engine) as s:
        expected = set(
            s.execute(
                select(Event.id).where(Event.earliest <= last, Event.latest >= first)
            ).scalars()
        )
    assert {m.id for m in marks} == expected
    assert q.count_in(first, last, 10_000) == len(expected)
    assert q.events_in(density, first, last, len(expected) - 1) is None
    assert sum(lane.count for lane in density.lanes) == 2_000
    engine.dispose()


def test_long_events_are_counted_apart_when_they_would_crowd_out_the_rest(
    query_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db.database import readonly_engine
    from desktop.timeline import data as data_module
    from desktop.timeline.data import TimelineData

    engine = readonly_engine(query_db)
    data = TimelineData(engine)
    lo, _hi = data.span()
    first, last = lo + 5000, lo + 5006
    everything = data.query.count_in(first, last, 10_000)
    short = data.query.count_in(first, last, 10_000, shorter_than=64)
    assert everything > short
    monkeypatch.setattr(data_module, "DETAIL_LIMIT", everything - 1)
    marks = data.marks(first, last)
    assert marks is not None
    assert all(m.latest - m.earliest < 64 for m in marks)
    assert data.long_counts is not None
    assert sum(data.long_counts) >= everything - len(marks)
    engine.dispose()
