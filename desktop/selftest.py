"""``chronoscope --self-test``: open the bundled data offscreen, check the linking, report.

Run on the frozen app by the packaging script, so it exercises the real
window, the real database and the bundled resources, and prints one line.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from desktop.roles import HIGHLIGHT_ROLE


def check_window(window: object) -> str:
    """Select a showcase event in a built window and check every pane lit up; returns a report.

    Raises AssertionError with the reason when something is not linked.
    """
    from PySide6.QtWidgets import QApplication

    from db import query
    from desktop.mainwindow import MainWindow

    assert isinstance(window, MainWindow)
    engine = window.engine
    event_id = query.showcase_event(engine)
    if event_id is None:
        raise AssertionError("the database has no event with evidence")
    t0 = time.perf_counter()
    window.selection.set_event(event_id)
    QApplication.processEvents()
    ms = (time.perf_counter() - t0) * 1000
    links = query.event_links(engine, event_id)
    shown = window.source_pane.source_id
    want = sorted((s.start, s.end) for s in links.evidence if s.source_id == shown)
    if not want:
        raise AssertionError(
            f"event {event_id}: the source pane shows {shown}, which has none of its evidence"
        )
    got = sorted(window.source_pane.marked_evidence)
    if got != want:
        raise AssertionError(f"event {event_id}: evidence highlighted {got}, expected {want}")
    drawn = sorted(
        (a, b) for a, b, kind in window.source_pane.highlighted_ranges() if kind == "evidence"
    )
    expected_drawn = sorted(
        (window.source_pane.document_position(a), window.source_pane.document_position(b))
        for a, b in want
    )
    if drawn != expected_drawn:
        raise AssertionError(
            f"event {event_id}: text view draws {drawn}, expected {expected_drawn}"
        )
    model = window.entity_pane.model
    missing = []
    for eid in sorted(links.entities):
        idx = model.index_of(eid)
        if not idx.isValid() or idx.data(HIGHLIGHT_ROLE) is not True:
            missing.append(eid)
    if missing:
        raise AssertionError(
            f"event {event_id}: participants not highlighted in the entity pane: {missing}"
        )
    detail = window.detail_pane.detail
    if detail is None or detail.id != event_id:
        raise AssertionError(f"event {event_id}: the event pane does not show it")
    return (
        f"self-test ok: event {event_id} selected in {ms:.1f} ms; {len(want)}/{len(links.evidence)} "
        f"evidence passages highlighted in {shown}; {len(links.entities)} participants/places lit in "
        f"the entity pane; {len(detail.accounts)} accounts"
    )


def run_self_test(args: argparse.Namespace, database: Callable[[argparse.Namespace], Path]) -> int:
    from desktop.app import create_application

    try:
        create_application(offscreen=True, dark=False)
        from db.database import readonly_engine
        from desktop.mainwindow import MainWindow

        engine = readonly_engine(database(args))
        window = MainWindow(engine, restore_state=False)
        window.resize(1280, 800)
        window.show()
        report = check_window(window)
        from PySide6.QtWidgets import QApplication

        from desktop.theme import FONT_FAMILY

        font = QApplication.font().family()
        if font != FONT_FAMILY:
            raise AssertionError(f"the bundled font did not load (using {font!r})")
        report += f"; font {font}"
        window.close()
        engine.dispose()
    except AssertionError as exc:
        print(f"self-test FAILED: {exc}")
        return 1
    except Exception as exc:  # the frozen app must report, not crash, whatever broke
        print(f"self-test FAILED: {type(exc).__name__}: {exc}", file=sys.stdout)
        return 1
    print(report)
    return 0
