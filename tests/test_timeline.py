"""The timeline pane, driven like a user drives it: wheel, drag, clicks, keys, the overview strip."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QFontMetricsF, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.models import Event, Source

D = date.toordinal


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from db.synthetic import generate_database

    return generate_database(tmp_path_factory.mktemp("timeline") / "tl.sqlite", 400, seed=3)


@pytest.fixture()
def tl_engine(synthetic_db: Path) -> Iterator[Engine]:
    from db.database import readonly_engine

    eng = readonly_engine(synthetic_db)
    yield eng
    eng.dispose()


@pytest.fixture()
def selection():  # type: ignore[no-untyped-def]
    from desktop.selection import SelectionContext

    return SelectionContext()


@pytest.fixture()
def pane(qtbot, tl_engine: Engine, selection):  # type: ignore[no-untyped-def]
    from desktop.timeline import TimelinePane

    widget = TimelinePane(tl_engine, selection)
    qtbot.addWidget(widget)
    widget.resize(1100, 460)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _lonely_day_event(engine: Engine) -> tuple[str, int]:
    """A day-precise single-day event with no other event starting within 20 days."""
    with Session(engine) as s:
        rows = s.execute(
            select(Event.id, Event.earliest, Event.latest, Event.precision).order_by(Event.earliest)
        ).all()
    starts = [r.earliest for r in rows]
    for i, r in enumerate(rows):
        if r.precision != "day" or r.latest != r.earliest:
            continue
        before = starts[i - 1] if i else -(10**9)
        after = starts[i + 1] if i + 1 < len(starts) else 10**9
        if r.earliest - before > 20 and after - r.earliest > 20:
            return r.id, r.earliest
    raise AssertionError("no lonely event in the synthetic database")


def _wheel(widget, pos: QPointF, dy: int) -> None:  # type: ignore[no-untyped-def]
    event = QWheelEvent(
        pos,
        widget.mapToGlobal(pos),
        QPoint(0, 0),
        QPoint(0, dy),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def _mouse(
    widget, kind: QEvent.Type, pos: QPointF, buttons, modifiers=Qt.KeyboardModifier.NoModifier
) -> None:  # type: ignore[no-untyped-def]
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    event = QMouseEvent(kind, pos, widget.mapToGlobal(pos), button, buttons, modifiers)
    QApplication.sendEvent(widget, event)


def _drag(widget, a: QPointF, b: QPointF, modifiers=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    left = Qt.MouseButton.LeftButton
    _mouse(widget, QEvent.Type.MouseButtonPress, a, left, modifiers)
    steps = 5
    for i in range(1, steps + 1):
        p = QPointF(a.x() + (b.x() - a.x()) * i / steps, a.y() + (b.y() - a.y()) * i / steps)
        _mouse(widget, QEvent.Type.MouseMove, p, left, modifiers)
    _mouse(widget, QEvent.Type.MouseButtonRelease, b, Qt.MouseButton.NoButton, modifiers)


# --- viewport: wheel, drag, keys -------------------------------------------


def test_wheel_zooms_in_and_out_around_the_pointer(pane) -> None:  # type: ignore[no-untyped-def]
    canvas = pane.canvas
    pane.set_visible_range(D(date(1915, 1, 1)), D(date(1925, 1, 1)))
    x = canvas.content_left + 300.0
    day_under = canvas.day_at(x)
    before = pane.visible_range()
    with pytest.MonkeyPatch.context():
        _wheel(canvas, QPointF(x, 200), 240)
    start, end = pane.visible_range()
    assert end - start < (before[1] - before[0]) * 0.8
    assert canvas.day_at(x) == pytest.approx(day_under, abs=0.5)
    _wheel(canvas, QPointF(x, 200), -240)
    start, end = pane.visible_range()
    assert end - start == pytest.approx(before[1] - before[0], rel=1e-6)
    assert start == pytest.approx(before[0], abs=0.5)


def test_drag_pans_and_the_overview_window_follows(pane, qtbot) -> None:  # type: ignore[no-untyped-def]
    canvas = pane.canvas
    pane.set_visible_range(D(date(1918, 1, 1)), D(date(1920, 1, 1)))
    start, end = pane.visible_range()
    days_per_px = (end - start) / canvas.content_width
    with qtbot.waitSignal(canvas.rangeChanged):
        _drag(canvas, QPointF(700, 250), QPointF(900, 250))
    canvas._flick.stop()  # the release may have started a kinetic glide; measure the drag itself
    new_start, new_end = pane.visible_range()
    assert new_end - new_start == pytest.approx(end - start)
    assert new_start == pytest.approx(start - 200 * days_per_px, rel=0, abs=days_per_px * 2)
    assert pane.overview.view_window == pytest.approx((new_start, new_end))


def test_flick_keeps_gliding_after_release(pane, qtbot) -> None:  # type: ignore[no-untyped-def]
    canvas = pane.canvas
    pane.set_visible_range(D(date(1918, 1, 1)), D(date(1920, 1, 1)))
    _drag(canvas, QPointF(500, 250), QPointF(800, 250))
    after_release = pane.visible_range()[0]
    assert canvas._flick.isActive()
    qtbot.waitUntil(lambda: pane.visible_range()[0] < after_release - 1)
    qtbot.waitUntil(lambda: not canvas._flick.isActive(), timeout=5000)


def test_keys_zoom_and_home_fits_everything(pane, qtbot) -> None:  # type: ignore[no-untyped-def]
    canvas = pane.canvas
    pane.set_visible_range(D(date(1918, 1, 1)), D(date(1919, 1, 1)))
    length = canvas.viewport.length
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.viewport.length == pytest.approx(length / 1.5)
    qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    assert canvas.viewport.length == pytest.approx(length)
    qtbot.keyClick(canvas, Qt.Key.Key_Home)
    lo, hi = pane.data.span()
    start, end = pane.visible_range()
    assert start <= lo and end >= hi + 1


def test_arrow_keys_walk_events_in_date_order(pane, qtbot, selection, tl_engine) -> None:  # type: ignore[no-untyped-def]
    with Session(tl_engine) as s:
        ordered = (
            s.execute(select(Event.id).order_by(Event.earliest, Event.id).limit(3)).scalars().all()
        )
    selection.set_event(ordered[0])
    with qtbot.waitSignal(selection.eventChanged):
        qtbot.keyClick(pane.canvas, Qt.Key.Key_Right)
    assert selection.event == ordered[1]
    qtbot.keyClick(pane.canvas, Qt.Key.Key_Right)
    assert selection.event == ordered[2]
    qtbot.keyClick(pane.canvas, Qt.Key.Key_Left)
    assert selection.event == ordered[1]


# --- selection ---------------------------------------------------------------


def test_clicking_an_event_mark_selects_it(pane, qtbot, selection, tl_engine) -> None:  # type: ignore[no-untyped-def]
    event_id, day = _lonely_day_event(tl_engine)
    pane.set_visible_range(day - 10, day + 10)
    pane.canvas.repaint()
    rect = pane.canvas.mark_rect(event_id)
    assert rect is not None, "the event should be drawn as a single mark at this zoom"
    before = pane.visible_range()
    with qtbot.waitSignal(selection.eventChanged) as blocker:
        qtbot.mouseClick(pane.canvas, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert blocker.args[0] == event_id
    assert selection.event == event_id
    assert pane.visible_range() == before  # a click in the timeline does not scroll it


def test_selecting_elsewhere_scrolls_the_timeline_to_the_event(pane, selection, tl_engine) -> None:  # type: ignore[no-untyped-def]
    event_id, day = _lonely_day_event(tl_engine)
    pane.set_visible_range(day + 3000, day + 3060)
    selection.set_event(event_id)
    start, end = pane.visible_range()
    assert start < day < end
    assert end - start == pytest.approx(60)  # zoom kept
    lo, hi = pane.data.core_span()
    if lo + 30 < day < hi - 30:
        assert (start + end) / 2 == pytest.approx(day + 0.5, abs=1)  # centred
    else:  # near the edge of the data: the view stays inside it, the event in view
        assert start >= lo - 60 * 0.03 - 1 or end <= hi + 60 * 0.03 + 1
    pane.canvas.repaint()
    assert pane.canvas.mark_rect(event_id) is not None


def test_centring_near_the_edge_of_the_data_shows_no_empty_years(
    pane, selection, tl_engine
) -> None:  # type: ignore[no-untyped-def]
    lo, hi = pane.data.core_span()
    with Session(tl_engine) as s:
        first_id, first_day = s.execute(
            select(Event.id, Event.earliest)
            .where(Event.earliest >= lo)
            .order_by(Event.earliest)
            .limit(1)
        ).one()
    width = (hi - lo) * 0.5
    pane.set_visible_range(hi - width, hi)
    selection.set_event(first_id)
    start, end = pane.visible_range()
    assert start < first_day < end
    assert (
        start >= lo - width * 0.06
    )  # a margin, not half a view of nothing before the first events


def test_a_filter_dims_events_that_do_not_pass_it(pane, selection, tl_engine) -> None:  # type: ignore[no-untyped-def]
    event_id, day = _lonely_day_event(tl_engine)
    pane.set_visible_range(day - 400, day + 400)
    with Session(tl_engine) as s:
        kind = s.execute(select(Event.kind).where(Event.id == event_id)).scalar_one()
    selection.update_filters(kinds=frozenset({kind}))
    marks = pane.data.marks(*pane.visible_range())
    assert marks is not None
    assert {m.focus for m in marks} == {True, False}
    assert all(m.focus == (m.kind == kind) for m in marks)
    selection.update_filters(kinds=frozenset())
    assert all(m.focus for m in pane.data.marks(*pane.visible_range()) or [])


def test_overview_shift_drag_sets_the_date_filter(pane, selection) -> None:  # type: ignore[no-untyped-def]
    ov = pane.overview
    a, b = QPointF(ov.left_margin + 100, 20), QPointF(ov.left_margin + 260, 20)
    _drag(ov, a, b, Qt.KeyboardModifier.ShiftModifier)
    f = selection.filters
    assert f.earliest is not None and f.latest is not None
    assert f.earliest == pytest.approx(ov.day_at(a.x()), abs=1)
    assert f.latest == pytest.approx(ov.day_at(b.x()), abs=1)
    start, _end = pane.visible_range()
    assert start == pytest.approx(ov.day_at(a.x()), abs=1)
    assert pane.canvas.date_filter == (f.earliest, f.latest)


def test_dragging_the_overview_window_pans(pane) -> None:  # type: ignore[no-untyped-def]
    pane.set_visible_range(D(date(1910, 1, 1)), D(date(1912, 1, 1)))
    ov = pane.overview
    win = ov.window_rect()
    before = pane.visible_range()
    _drag(ov, win.center(), win.center() + QPointF(50, 0))
    shift = 50 * (ov.hi - ov.lo) / ov._w
    after = pane.visible_range()
    assert after[0] == pytest.approx(before[0] + shift, abs=2)


# --- axis, lanes, calendar ---------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "unit", "expect"),
    [
        (date(1910, 1, 1), date(1925, 1, 1), "year", {"1918"}),
        # Every month, or every quarter spelled out, depending on the font's width.
        (date(1917, 6, 1), date(1919, 9, 1), "month", {"Mar", "April", "July"}),
        (date(1918, 3, 3), date(1918, 3, 14), "day", {"10"}),
    ],
)
def test_axis_labels_at_year_month_day_zoom(pane, first, last, unit, expect) -> None:  # type: ignore[no-untyped-def]
    pane.set_visible_range(D(first), D(last))
    axis = pane.axis()
    assert axis.unit == unit
    labels = [t.label for t in axis.ticks if t.label]
    assert expect & set(labels), labels
    if unit == "month":
        assert "1918" in [c.label for c in axis.context]
    if unit == "day":
        assert "March 1918" in [c.label for c in axis.context]
    # Labels never overlap, measured with the font the canvas paints with.
    fm = QFontMetricsF(pane.canvas.font())
    extents = sorted(
        (
            pane.canvas.x_of(t.day) - fm.horizontalAdvance(t.label) / 2,
            pane.canvas.x_of(t.day) + fm.horizontalAdvance(t.label) / 2,
        )
        for t in axis.ticks
        if t.label
    )
    assert all(a[1] < b[0] for a, b in pairwise(extents))


def test_julian_axis_labels_old_style_dates_before_february_1918(pane) -> None:  # type: ignore[no-untyped-def]
    pane.set_visible_range(D(date(1918, 1, 20)), D(date(1918, 2, 28)))
    gregorian = [c.label for c in pane.axis().context]
    pane.set_julian(True)
    julian = [c.label for c in pane.axis().context]
    assert "January 1918 (O.S.)" in julian and "January 1918 (O.S.)" not in gregorian
    assert "O.S." in pane.range_label.text()
    pane.canvas.repaint()


def test_lanes_switch_between_kind_place_source_and_side(pane, tl_engine) -> None:  # type: ignore[no-untyped-def]
    assert pane.lane_mode == "kind"
    assert pane.lane_labels()[0] == "Battle"
    with Session(tl_engine) as s:
        titles = set(s.execute(select(Source.title)).scalars())
    pane.set_lane_mode("source")
    assert pane.lane_combo.currentData() == "source"
    labels = pane.lane_labels()
    assert set(labels) - {label for label in labels if label.startswith("Other")} <= titles
    pane.set_lane_mode("place")
    assert pane.lane_mode == "place" and pane.lane_labels() != labels
    pane.set_lane_mode("side")
    assert pane.lane_mode == "side"
    assert sum(lane.count for lane in pane.data.density.lanes) == 400
    pane.canvas.repaint()


def test_clicking_a_lane_header_collapses_it(pane, qtbot) -> None:  # type: ignore[no-untyped-def]
    pane.canvas.repaint()
    top, h = pane.canvas.lane_geometry()[0]
    qtbot.mouseClick(pane.canvas, Qt.MouseButton.LeftButton, pos=QPoint(40, int(top + 6)))
    assert pane.data.density.lanes[0].key in pane.canvas.collapsed
    assert pane.canvas.lane_geometry()[0][1] < h
    qtbot.mouseClick(pane.canvas, Qt.MouseButton.LeftButton, pos=QPoint(40, int(top + 6)))
    assert not pane.canvas.collapsed


def test_zoomed_out_lanes_show_clusters_that_zoom_in_when_clicked(pane, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("desktop.timeline.data.DETAIL_LIMIT", 50)
    pane.canvas.fit_all()
    pane.canvas.repaint()
    assert pane.canvas.painted_event_ids() == []  # more events in view than the limit: density
    canvas = pane.canvas
    top, h = canvas.lane_geometry()[0]
    y = top + h - 3
    cluster = next(
        hit
        for x in range(int(canvas.content_left) + 2, canvas.width(), 5)
        if (hit := canvas.hit_at(QPointF(x, y))) is not None
    )
    assert cluster.event_id is None and cluster.count >= 1
    before = pane.canvas.viewport.length
    qtbot.mouseClick(pane.canvas, Qt.MouseButton.LeftButton, pos=cluster.rect.center().toPoint())
    assert pane.canvas.viewport.length < before / 4


def test_paints_in_a_dark_palette(pane) -> None:  # type: ignore[no-untyped-def]
    from desktop.timeline.__main__ import dark_palette

    pane.setPalette(dark_palette())
    image = pane.grab().toImage()
    corner = image.pixelColor(pane.canvas.x() + 200, pane.canvas.y() + 200)
    assert corner.lightness() < 100


def test_opens_the_default_corpus_database(qtbot, engine, selection) -> None:  # type: ignore[no-untyped-def]
    from desktop.timeline import TimelinePane

    widget = TimelinePane(engine, selection)
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.grab()
    assert widget.lane_mode == "kind"


def test_selecting_an_entity_dims_events_without_it(pane, selection, tl_engine) -> None:  # type: ignore[no-untyped-def]
    from db.models import Participant

    event_id, day = _lonely_day_event(tl_engine)
    with Session(tl_engine) as s:
        entity = s.execute(
            select(Participant.entity_id).where(Participant.event_id == event_id)
        ).scalar_one()
        involved = set(
            s.execute(select(Participant.event_id).where(Participant.entity_id == entity)).scalars()
        )
    pane.set_visible_range(day - 2000, day + 2000)
    selection.set_entity(entity)
    marks = pane.data.marks(*pane.visible_range())
    assert marks is not None and any(m.id == event_id for m in marks)
    assert all(m.focus == (m.id in involved) for m in marks)
    pane.canvas.repaint()


def test_hover_tooltip_gives_title_date_as_written_and_sources(pane, tl_engine) -> None:  # type: ignore[no-untyped-def]
    event_id, day = _lonely_day_event(tl_engine)
    pane.set_visible_range(day - 10, day + 10)
    pane.canvas.repaint()
    rect = pane.canvas.mark_rect(event_id)
    assert rect is not None
    hit = pane.canvas.hit_at(rect.center())
    assert hit is not None and hit.event_id == event_id
    tip = pane.canvas._tooltip(hit)
    with Session(tl_engine) as s:
        title, date_text = s.execute(
            select(Event.title, Event.date_text).where(Event.id == event_id)
        ).one()
    assert title in tip and date_text in tip and "Synthetic source" in tip


def test_pinch_zooms_around_the_fingers(pane) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QNativeGestureEvent, QPointingDevice

    canvas = pane.canvas
    pane.set_visible_range(D(date(1915, 1, 1)), D(date(1925, 1, 1)))
    x = canvas.content_left + 400.0
    day_under = canvas.day_at(x)
    length = canvas.viewport.length
    pos = QPointF(x, 200)
    event = QNativeGestureEvent(
        Qt.NativeGestureType.ZoomNativeGesture,
        QPointingDevice.primaryPointingDevice(),
        2,
        pos,
        pos,
        canvas.mapToGlobal(pos),
        0.5,
        QPointF(0, 0),
    )
    QApplication.sendEvent(canvas, event)
    assert canvas.viewport.length == pytest.approx(length / 1.5)
    assert canvas.day_at(x) == pytest.approx(day_under, abs=0.5)


def test_tooltips_name_phases_and_lanes(pane, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    canvas = pane.canvas
    ph = pane.data.phases[0]
    pane.set_visible_range(ph.earliest - 30, ph.latest + 30)
    canvas.repaint()
    row = next(r for p, r, _h in canvas.phase_layout.placed if p.id == ph.id)
    y = canvas._axis_h + row * canvas._phase_row_h + canvas._phase_row_h / 2
    pos = QPoint(int(canvas.x_of((ph.earliest + ph.latest) / 2)), int(y))
    QApplication.sendEvent(canvas, QHelpEvent(QEvent.Type.ToolTip, pos, canvas.mapToGlobal(pos)))
    qtbot.waitUntil(QToolTip.isVisible)
    assert ph.title in QToolTip.text()
    top, _h = canvas.lane_geometry()[0]
    assert "Battle" in (canvas._tooltip_at(QPointF(40, top + 5)) or "")


def test_filter_to_view_button_sets_the_date_filter(pane, qtbot, selection) -> None:  # type: ignore[no-untyped-def]
    pane.set_visible_range(D(date(1918, 3, 1)), D(date(1918, 7, 1)))
    qtbot.mouseClick(pane.filter_button, Qt.MouseButton.LeftButton)
    assert selection.filters.earliest == D(date(1918, 3, 1))
    assert selection.filters.latest == D(date(1918, 6, 30))
    assert "O.S." not in pane.range_label.text()
