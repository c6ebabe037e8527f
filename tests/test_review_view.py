"""Every pane shows the bundled data with the reviewer's changes applied (issue 9).

The real main window on the real corpus, with the reviewer's controller installed as the
application installs it: corrections retitle and move events on the timeline, in the
entity pane's event list, in the detail pane and in search; rejected events are hidden or
dimmed; the reviewer's own events appear everywhere; the review-status filter reads the
workspace. Undo puts everything back.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db import query
from db.models import Event, Evidence, Participant
from db.workspace import open_workspace
from db.workspace.service import DateValue
from db.workspace.store import Workspace
from desktop.annotations import AnnotationController


@pytest.fixture()
def ws(tmp_path: Path) -> Iterator[Workspace]:
    w = open_workspace(tmp_path / "workspace.sqlite")
    yield w
    w.close()


@pytest.fixture()
def desk(qtbot: Any, engine: Engine, ws: Workspace) -> Iterator[tuple[Any, AnnotationController]]:
    from desktop.mainwindow import MainWindow

    win = MainWindow(engine, restore_state=False)
    qtbot.addWidget(win)
    ctl = AnnotationController(engine, ws, win.selection, win)
    ctl.install(win)
    ctl.connect_source_pane(win.source_pane)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    yield win, ctl
    ctl.close()


def _event_with_participants(engine: Engine) -> tuple[str, str, int, int]:
    """(event id, a participant, earliest, latest) of a dated event with a non-place participant."""
    with Session(engine) as s:
        row = s.execute(
            select(Event.id, Participant.entity_id, Event.earliest, Event.latest)
            .join(Participant, Participant.event_id == Event.id)
            .where(Participant.role != "place", Event.latest - Event.earliest < 3)
            .order_by(Event.earliest, Event.id)
            .limit(1)
        ).one()
    return str(row[0]), str(row[1]), int(row[2]), int(row[3])


def _marks(win: Any, first: int, last: int) -> dict[str, Any]:
    win.timeline_pane.canvas.set_visible_range(first - 3, last + 4)
    start, end = win.timeline_pane.visible_range()
    marks = win.timeline_pane.data.marks(start, end)
    assert marks is not None
    return {m.id: m for m in marks}


def test_a_correction_shows_in_every_pane_and_undo_restores_it(
    qtbot: Any, desk: tuple[Any, AnnotationController], engine: Engine
) -> None:
    win, ctl = desk
    event, entity, first, last = _event_with_participants(engine)
    bundled = query.event_detail(engine, event)
    assert bundled is not None
    win.selection.set_entity(entity)
    win.selection.set_event(event)
    assert win.detail_pane.title.text() == bundled.title

    new_day = date(1919, 7, 14).toordinal()
    assert ctl.correct(event, "title", "Reviewer's title")
    assert ctl.correct(event, "kind", "massacre" if bundled.kind != "massacre" else "battle")
    assert ctl.correct(event, "date", DateValue(new_day, new_day, "day", "1919-07-14"))

    # Detail pane: the reviewer's values, and a note of what was corrected.
    pane = win.detail_pane
    assert pane.title.text() == "Reviewer's title"
    assert pane.date.text().startswith("1919-07-14")
    assert pane.dating.text() == "corrected by the reviewer"
    assert "corrected: date, kind, title" in pane.review.text()
    # Timeline: drawn on the corrected day, in the corrected kind's lane; gone from the old day.
    data = win.timeline_pane.data
    assert data.interval(event) == (new_day, new_day)
    marks = _marks(win, new_day, new_day)
    assert marks[event].title == "Reviewer's title"
    assert marks[event].lane == data.density.lane_of(pane.detail.kind)
    if abs(first - new_day) > 30:
        assert event not in _marks(win, first, last)
    # Entity pane: the participant's event list shows the corrected title and date.
    rows = {r.id: r for r in win.entity_pane.events_model._rows}
    assert rows[event].title == "Reviewer's title" and rows[event].earliest == new_day
    # Search: the hit carries the reviewer's title.
    win.search_bar.line_edit.setText(bundled.title.split()[0])
    result = win.search_bar.search_now()
    hit = next((h for h in result.hits if h.id == event), None)
    if hit is not None:
        assert hit.title == "Reviewer's title" and "corrected" in hit.detail

    for _ in range(3):
        ctl.actions["undo"].trigger()
    assert pane.title.text() == bundled.title
    assert data.interval(event) == (first, last)
    assert event in _marks(win, first, last)
    assert pane.review.isHidden() or pane.review.text() == ""


def test_rejected_events_are_hidden_or_dimmed(
    qtbot: Any, desk: tuple[Any, AnnotationController], engine: Engine
) -> None:
    win, ctl = desk
    event, entity, first, last = _event_with_participants(engine)
    win.selection.set_entity(entity)
    counts_before = win.statusBar().counts.text()
    show = ctl.actions["show_rejected"]
    show.setChecked(True)
    assert ctl.set_status(event, "rejected", "not in the sources")

    # Shown dimmed: still on the timeline (drawn out of focus), greyed in the event list,
    # struck out in the detail pane.
    assert not _marks(win, first, last)[event].focus
    model = win.entity_pane.events_model
    r = next(i for i, row in enumerate(model._rows) if row.id == event)
    grey = model.index(r, 0).data(Qt.ItemDataRole.ForegroundRole)
    assert grey == QPalette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    win.selection.set_event(event)
    assert win.detail_pane.title.font().strikeOut()
    assert "rejected" in win.detail_pane.review.text()

    # Hidden: gone from the timeline, the event list, the counts and next/previous.
    show.trigger()
    assert not show.isChecked()
    assert event not in _marks(win, first, last)
    assert event not in [row.id for row in model._rows]
    assert win.statusBar().counts.text() != counts_before
    before = query.adjacent_event(engine, event, -1)
    assert query.adjacent_event(engine, before, 1) != event

    show.trigger()
    assert event in _marks(win, first, last)
    ctl.actions["undo"].trigger()
    assert _marks(win, first, last)[event].focus
    assert not win.detail_pane.title.font().strikeOut()


def test_review_status_filter_reads_the_workspace(
    qtbot: Any, desk: tuple[Any, AnnotationController], engine: Engine
) -> None:
    win, ctl = desk
    event, entity, _first, _last = _event_with_participants(engine)
    assert ctl.set_status(event, "confirmed")
    win.selection.update_filters(review_statuses=frozenset({"confirmed"}))
    # Status bar, timeline focus and the entity's event list agree: one confirmed event.
    assert win.statusBar().counts.text().startswith("1 of ")
    data = win.timeline_pane.data
    assert data.density.focus is not None
    assert sum(lane.total for lane in data.density.focus) == 1
    win.selection.set_entity(entity)
    assert [row.id for row in win.entity_pane.events_model._rows] == [event]
    win.filter_bar.menu.aboutToShow.emit()
    assert "Review status" in [a.text() for a in win.filter_bar.menu.actions()]
    win.selection.update_filters(review_statuses=frozenset({"unreviewed"}))
    assert event not in [row.id for row in win.entity_pane.events_model._rows]


def test_participants_added_and_removed_show_in_the_entity_pane_and_text(
    qtbot: Any, desk: tuple[Any, AnnotationController], engine: Engine
) -> None:
    win, ctl = desk
    event, entity, _first, _last = _event_with_participants(engine)
    with Session(engine) as s:
        other = s.scalar(
            select(Participant.entity_id)
            .where(
                Participant.entity_id.not_in(
                    select(Participant.entity_id).where(Participant.event_id == event)
                ),
                Participant.role != "place",
            )
            .limit(1)
        )
    assert other is not None
    assert ctl.add_participant(event, other)
    assert other in query.event_links(engine, event).participants
    win.selection.set_entity(other)
    assert event in [row.id for row in win.entity_pane.events_model._rows]
    win.selection.set_event(event)
    names = [p.entity_id for p in win.detail_pane.detail.participants]
    assert other in names
    assert other in win.entity_pane.model.highlighted

    role = next(p.role for p in win.detail_pane.detail.participants if p.entity_id == entity)
    assert ctl.remove_participant(event, entity, role)
    assert entity not in query.event_links(engine, event).entities
    assert entity not in win.entity_pane.model.highlighted  # the event is still selected
    win.selection.set_entity(entity)
    assert event not in [row.id for row in win.entity_pane.events_model._rows]


def test_the_reviewers_own_event_appears_everywhere(
    qtbot: Any, desk: tuple[Any, AnnotationController], engine: Engine
) -> None:
    win, ctl = desk
    with Session(engine) as s:
        sid, start, end = s.execute(
            select(Evidence.source_id, Evidence.start, Evidence.end).order_by(Evidence.id).limit(1)
        ).one()
    ctl.set_text_selection((sid, start, end))
    new_id = ctl.new_event_from_selection()
    assert new_id is not None
    assert ctl.correct(new_id, "title", "A reviewer's event")
    e = query.review_of(engine).events[new_id]
    assert e.origin == "user"

    win.selection.set_event(new_id)
    pane = win.detail_pane
    assert pane.title.text() == "A reviewer's event"
    assert "added by the reviewer" in pane.review.text()
    assert pane.accounts_model.columnCount() == 1
    links = query.event_links(engine, new_id)
    assert [(sp.source_id, sp.start, sp.end) for sp in links.evidence] == [(sid, start, end)]
    assert new_id in [r.id for r in query.events_at(engine, sid, start)]
    if e.earliest > 0:
        assert new_id in _marks(win, e.earliest, e.latest)
    # Counted: the status bar's total grew by one; undo takes it away everywhere.
    with Session(engine) as s:
        bundled_total = len(s.scalars(select(Event.id)).all())
    assert query.counts(engine).events_total == bundled_total + 1
    ctl.actions["undo"].trigger()
    ctl.actions["undo"].trigger()
    assert query.counts(engine).events_total == bundled_total
    assert new_id not in [r.id for r in query.events_at(engine, sid, start)]
    assert win.detail_pane.detail is None or win.detail_pane.detail.id != new_id


def test_linked_evidence_is_marked_in_the_text_at_once(
    qtbot: Any, desk: tuple[Any, AnnotationController], engine: Engine
) -> None:
    win, ctl = desk
    event, _entity, _first, _last = _event_with_participants(engine)
    win.selection.set_event(event)
    pane = win.source_pane
    sid = pane.source_id
    before = {(a, b) for a, b, kind in pane.highlighted_ranges() if kind == "evidence"}
    taken = {(sp.start, sp.end) for sp in query.event_links(engine, event).evidence}
    with Session(engine) as s:
        start, end = s.execute(
            select(Evidence.start, Evidence.end)
            .where(Evidence.source_id == sid, Evidence.event_id != event)
            .order_by(Evidence.start)
            .limit(1)
        ).one()
    assert (start, end) not in taken
    ctl.set_text_selection((sid, start, end))
    assert ctl.link_selection_as_evidence()
    after = {(a, b) for a, b, kind in pane.highlighted_ranges() if kind == "evidence"}
    assert (pane.document_position(start), pane.document_position(end)) in after - before
    assert f" of {len(taken) + 1}" in pane.nav_label.text()
    ctl.actions["undo"].trigger()
    assert {(a, b) for a, b, kind in pane.highlighted_ranges() if kind == "evidence"} == before


def test_the_review_panel_does_not_make_the_window_taller_than_a_laptop_screen(
    desk: tuple[Any, AnnotationController],
) -> None:
    win, _ctl = desk
    assert win.minimumSizeHint().height() < 700
    assert win.minimumSize().height() < 700
