"""The desktop GUI on the real corpus, driven with real clicks and keys.

Selecting in one pane must light up the others through the selection context:
an event shows its evidence in the text and its participants in the entity
tree; a click on a mention selects its entity; a click in an evidence passage
selects its event. Every item model passes pytest-qt's model tester.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QAbstractItemView, QWidget

from db import query
from db.filters import Filters
from desktop.roles import HIGHLIGHT_ROLE, ID_ROLE


@pytest.fixture()
def window(qtbot: Any, engine: Any) -> Any:
    from desktop.mainwindow import MainWindow

    w = MainWindow(engine, restore_state=False)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    return w


def _multi_source_event(engine: Any) -> str:
    """An event attested in more than one source, with participants (the best linking test)."""
    best: tuple[int, int, str] | None = None
    for row in query.entity_events(engine, _busiest_entity(engine)):
        links = query.event_links(engine, row.id)
        score = (len({s.source_id for s in links.evidence}), len(links.entities), row.id)
        if links.entities and (best is None or score[:2] > best[:2]):
            best = score
    assert best is not None, "no event with evidence and participants in the corpus"
    return best[2]


def _busiest_entity(engine: Any) -> str:
    rows = query.entity_rows(
        engine, query.entity_ids(engine, "polity", sort="event_count", descending=True)[:1]
    )
    return next(iter(rows))


def _point_for(window: Any, norm_offset: int) -> QPoint:
    """Scroll the text so a character is visible and return a viewport point inside it."""
    pane = window.source_pane
    pos = pane.document_position(norm_offset)
    cur = QTextCursor(pane.text.document())
    cur.setPosition(pos)
    pane.text.setTextCursor(cur)
    pane.text.centerCursor()
    a = pane.text.cursorRect(cur)
    cur.setPosition(pos + 1)
    b = pane.text.cursorRect(cur)
    x = (a.left() + b.left()) // 2 if b.top() == a.top() else a.left() + 2
    return QPoint(x, a.center().y())


def _click_text(qtbot: Any, window: Any, norm_offset: int) -> None:
    viewport = window.source_pane.text.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=_point_for(window, norm_offset))


def _click_row(qtbot: Any, view: QAbstractItemView, index: Any) -> None:
    view.scrollTo(index)
    rect = view.visualRect(index)
    assert rect.isValid(), "row not visible"
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _assert_event_linked(window: Any, engine: Any, event_id: str) -> None:
    links = query.event_links(engine, event_id)
    pane = window.source_pane
    shown = pane.source_id
    want = sorted((s.start, s.end) for s in links.evidence if s.source_id == shown)
    assert want, "the text pane should show a document with the event's evidence"
    assert sorted(pane.marked_evidence) == want
    drawn = sorted((a, b) for a, b, kind in pane.highlighted_ranges() if kind == "evidence")
    assert drawn == sorted((pane.document_position(a), pane.document_position(b)) for a, b in want)
    model = window.entity_pane.model
    for eid in links.entities:
        idx = model.index_of(eid)
        assert idx.isValid() and idx.data(HIGHLIGHT_ROLE) is True, eid
        assert window.entity_pane.tree.isExpanded(idx.parent())
    assert model.highlighted == links.entities
    assert window.detail_pane.detail is not None and window.detail_pane.detail.id == event_id


# --- models ------------------------------------------------------------------------


def test_entity_tree_model(qtmodeltester: Any, engine: Any) -> None:
    from desktop.entities.model import EntityTreeModel

    model = EntityTreeModel(engine)
    qtmodeltester.check(model)
    model.set_filters(Filters(kinds=frozenset({"battle"})))
    model.set_text("ar")
    qtmodeltester.check(model)
    model.sort(2, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)


def test_pane_list_models(qtmodeltester: Any, engine: Any) -> None:
    from desktop.detail.model import AccountsModel, ParticipantModel
    from desktop.entities.model import EventListModel
    from desktop.source.model import SectionListModel, SourceListModel

    event_id = _multi_source_event(engine)
    detail = query.event_detail(engine, event_id)
    assert detail is not None
    events = EventListModel()
    events.set_events(query.entity_events(engine, _busiest_entity(engine)))
    sources = SourceListModel(query.sources(engine))
    sources.set_allowed(frozenset({query.sources(engine)[0].id}))
    sections = SectionListModel()
    sections.set_sections(query.sections(engine, query.sources(engine)[1].id))
    participants = ParticipantModel()
    participants.set_participants(detail.participants)
    accounts = AccountsModel()
    accounts.set_accounts(detail.accounts)
    for m in (events, sources, sections, participants, accounts):
        assert m.rowCount() > 0
        qtmodeltester.check(m)


def test_accounts_mark_disagreements(engine: Any) -> None:
    from desktop.detail.model import AccountsModel

    a = query.Account(
        1, "s1", "S1", 1, 0, 5, "text", "14 Sept.", "1918-09-14", (("2,000", 2000, "killed"),)
    )
    b = query.Account(
        2, "s2", "S2", 2, 0, 5, "text", "Sept. 14", "1919-09-14", (("12,000", 12000, "killed"),)
    )
    c = query.Account(3, "s3", "S3", 3, 0, 5, "text", None, None, (("5", 5, "wounded"),))
    m = AccountsModel()
    m.set_accounts([a, b, c])
    assert m.differs(3, 0) and m.differs(3, 1) and not m.differs(3, 2)
    assert m.differs(4, 0) and m.differs(4, 1) and not m.differs(4, 2)
    assert m.columnCount() == 3


# --- linking, by real clicks -----------------------------------------------------------


def test_select_event_by_clicks_highlights_evidence_and_participants(
    qtbot: Any, window: Any, engine: Any
) -> None:
    event_id = _multi_source_event(engine)
    polity = _busiest_entity(engine)
    pane = window.entity_pane
    idx = pane.model.index_of(polity)
    pane.tree.expand(idx.parent())
    with qtbot.waitSignal(window.selection.entityChanged):
        _click_row(qtbot, pane.tree, idx)
    assert window.selection.entity == polity
    row = pane.events_model.row_of(event_id)
    assert row >= 0, "the entity's events are listed"
    with qtbot.waitSignal(window.selection.eventChanged):
        _click_row(qtbot, pane.events_view, pane.events_model.index(row, 0))
    assert window.selection.event == event_id
    _assert_event_linked(window, engine, event_id)
    # The text is scrolled to the evidence passage being navigated.
    pane_ = window.source_pane
    span = query.event_links(engine, event_id).evidence[pane_._nav]
    cur = QTextCursor(pane_.text.document())
    cur.setPosition(pane_.document_position(span.start))
    assert pane_.text.viewport().rect().contains(pane_.text.cursorRect(cur).center())


def test_evidence_navigation_crosses_documents(qtbot: Any, window: Any, engine: Any) -> None:
    event_id = _multi_source_event(engine)
    links = query.event_links(engine, event_id)
    window.selection.set_event(event_id)
    seen = {window.source_pane.source_id}
    for _ in range(len(links.evidence)):
        qtbot.mouseClick(window.source_pane.next_button, Qt.MouseButton.LeftButton)
        seen.add(window.source_pane.source_id)
        span = links.evidence[window.source_pane._nav]
        assert (span.start, span.end) in window.source_pane.marked_evidence
    assert seen == {s.source_id for s in links.evidence}
    assert f"of {len(links.evidence)}" in window.source_pane.nav_label.text()


def test_click_mention_selects_entity(qtbot: Any, window: Any, engine: Any) -> None:
    event_id = _multi_source_event(engine)
    window.selection.set_event(event_id)
    pane = window.source_pane
    mentions = [m for m in pane.marked_mentions if m.end - m.start >= 3]
    assert mentions, "the event's participants are marked in the text"
    m = mentions[0]
    window.selection.set_entity(None)
    with qtbot.waitSignal(window.selection.entityChanged):
        _click_text(qtbot, window, m.start + 1)
    assert window.selection.entity == m.owner
    # ... and the entity pane follows: that entity is its current row.
    assert window.entity_pane.model.entity_id(window.entity_pane.tree.currentIndex()) == m.owner
    assert m.owner in {s.owner for s in pane.marked_mentions}


def test_click_evidence_selects_event(qtbot: Any, window: Any, engine: Any) -> None:
    # Find an evidence character attesting exactly one event, with no mention on it.
    for info in query.sources(engine):
        for span in query.evidence_in_source(engine, info.id):
            for off in range(span.start, min(span.end, span.start + 40)):
                if (
                    query.mention_at(engine, info.id, off) is None
                    and len(query.events_at(engine, info.id, off)) == 1
                ):
                    break
            else:
                continue
            break
        else:
            continue
        break
    else:
        pytest.fail("no plain evidence character in the corpus")
    window.selection.set_source(info.id)
    assert window.source_pane.source_id == info.id
    with qtbot.waitSignal(window.selection.eventChanged):
        _click_text(qtbot, window, off)
    assert window.selection.event == span.owner
    assert window.selection.passage == span.passage_id
    _assert_event_linked(window, engine, span.owner)


def test_click_participant_in_event_pane_selects_entity(
    qtbot: Any, window: Any, engine: Any
) -> None:
    window.selection.set_event(_multi_source_event(engine))
    view = window.detail_pane.participants
    idx = view.model().index(0, 0)
    with qtbot.waitSignal(window.selection.entityChanged):
        _click_row(qtbot, view, idx)
    assert window.selection.entity == idx.data(ID_ROLE)
    assert idx.data(HIGHLIGHT_ROLE) is True


def test_click_account_shows_its_passage(qtbot: Any, window: Any, engine: Any) -> None:
    event_id = _multi_source_event(engine)
    window.selection.set_event(event_id)
    view = window.detail_pane.accounts
    last = view.model().columnCount() - 1
    account = window.detail_pane.accounts_model.account(last)
    with qtbot.waitSignal(window.selection.passageChanged):
        _click_row(qtbot, view, view.model().index(1, last))
    assert window.source_pane.source_id == account.source_id
    assert window.selection.passage == account.passage_id


def test_multi_selection_filters_other_panes(qtbot: Any, window: Any, engine: Any) -> None:
    pane = window.entity_pane
    ids = query.entity_ids(engine, "polity", sort="event_count", descending=True)[:2]
    first, second = (pane.model.index_of(i) for i in ids)
    pane.tree.expand(first.parent())
    _click_row(qtbot, pane.tree, first)
    pane.tree.scrollTo(second)
    qtbot.mouseClick(
        pane.tree.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        pane.tree.visualRect(second).center(),
    )
    assert window.selection.entity_set == frozenset(ids)
    assert window.selection.filters.entities == frozenset(ids)
    assert "of" in window.status.counts.text()
    # One selected again: the filter it made goes away.
    _click_row(qtbot, pane.tree, pane.model.index_of(ids[0]))
    assert window.selection.filters.entities == frozenset()


def test_filters_narrow_entity_pane_and_status(qtbot: Any, window: Any) -> None:
    before = window.entity_pane.model.rowCount()
    total = sum(
        window.entity_pane.model.rowCount(window.entity_pane.model.index(r, 0))
        for r in range(before)
    )
    window.selection.update_filters(kinds=frozenset({"battle"}))
    m = window.entity_pane.model
    after = sum(m.rowCount(m.index(r, 0)) for r in range(m.rowCount()))
    assert 0 < after < total
    assert "kind: battle" in window.status.filters.text()


def test_entity_filter_box(qtbot: Any, window: Any) -> None:
    pane = window.entity_pane
    qtbot.keyClicks(pane.filter_edit, "Kars")
    qtbot.waitUntil(lambda: pane.model._text == "Kars")
    m = pane.model
    names = [
        m.index(r, 0, m.index(g, 0)).data()
        for g in range(m.rowCount())
        for r in range(m.rowCount(m.index(g, 0)))
    ]
    assert names and all(
        "kars" in n.lower() or "kars" in str(m.index(0, 0).data()).lower() for n in names[:1]
    )


def test_select_entity_marks_mentions_and_lists_events(
    qtbot: Any, window: Any, engine: Any
) -> None:
    polity = _busiest_entity(engine)
    window.selection.set_entity(polity)
    pane = window.source_pane
    assert pane.marked_mentions and all(m.owner == polity for m in pane.marked_mentions)
    assert window.entity_pane.events_model.rowCount() == len(query.entity_events(engine, polity))


# --- source text ---------------------------------------------------------------------


def test_original_text_toggle_maps_highlights(qtbot: Any, window: Any, engine: Any) -> None:
    """In the text as written, the evidence highlight covers the same words, mapped via repairs."""
    # The markdown/mojibake source has the most repairs.
    infos = sorted(query.sources(engine), key=lambda s: -s.repair_count)
    sid = infos[0].id
    spans = query.evidence_in_source(engine, sid)
    assert spans
    span = spans[len(spans) // 2]
    window.selection.set_event(span.owner)
    window.selection.set_passage(span.passage_id)
    assert window.source_pane.source_id == sid
    qtbot.mouseClick(window.source_pane.original_button, Qt.MouseButton.LeftButton)
    assert window.source_pane.showing_original
    st = query.source_text(engine, sid)
    assert window.source_pane.text.toPlainText() == st.original
    drawn = [(a, b) for a, b, kind in window.source_pane.highlighted_ranges() if kind == "evidence"]
    a, b = st.offsets.to_original(span.start), st.offsets.to_original(span.end, end=True)
    assert (a, b) in drawn
    # Words of the passage survive in the original slice (repairs only touch a few characters).
    words = [w for w in st.normalized[span.start : span.end].split() if w.isascii() and w.isalpha()]
    assert words and words[0] in st.original[a:b]
    qtbot.mouseClick(window.source_pane.original_button, Qt.MouseButton.LeftButton)
    assert window.source_pane.text.toPlainText() == st.normalized


def test_text_is_plain_never_markup(qtbot: Any, tmp_path: Path) -> None:
    from db.build import build_database
    from db.database import readonly_engine
    from desktop.mainwindow import MainWindow

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = "A test <b>bold</b> and <script>alert(1)</script> &amp; stay as written.\n"
    (corpus / "doc.txt").write_text("Markup document\n\n" + body * 3, encoding="utf-8")
    db = build_database(corpus, tmp_path / "t.sqlite").out
    eng = readonly_engine(db)
    try:
        w = MainWindow(eng, restore_state=False)
        qtbot.addWidget(w)
        text = w.source_pane.text.toPlainText()
        assert "<script>alert(1)</script>" in text and "<b>bold</b>" in text and "&amp;" in text
    finally:
        eng.dispose()


def test_find_in_document(qtbot: Any, window: Any) -> None:
    qtbot.keyClick(
        window,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.source_pane.find_edit.hasFocus()
    qtbot.keyClicks(window.source_pane.find_edit, "Armenia")
    qtbot.keyClick(window.source_pane.find_edit, Qt.Key.Key_Return)
    assert window.source_pane.text.textCursor().selectedText() == "Armenia"


# --- keyboard, accessibility, command line -------------------------------------------


def test_keyboard_next_and_previous_event(qtbot: Any, window: Any, engine: Any) -> None:
    window.activateWindow()
    window.source_pane.text.setFocus()
    qtbot.keyClick(window.source_pane.text, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    first = window.selection.event
    assert first == query.adjacent_event(engine, None, 1)
    qtbot.keyClick(window.source_pane.text, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.selection.event == query.adjacent_event(engine, first, 1)
    qtbot.keyClick(window.source_pane.text, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.selection.event == first
    qtbot.keyClick(window.source_pane.text, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.entity_pane.tree.hasFocus()
    qtbot.keyClick(window.entity_pane.tree, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.source_pane.text.hasFocus()


def test_every_control_has_an_accessible_name(window: Any) -> None:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractScrollArea,
        QComboBox,
        QHeaderView,
        QLineEdit,
        QPlainTextEdit,
    )

    def internal(w: QWidget) -> bool:
        """Parts Qt builds inside a control (headers, popups, clear buttons) carry its name."""
        p = w.parentWidget()
        while p is not None:
            if isinstance(p, QComboBox | QLineEdit | QAbstractScrollArea) and p is not w:
                return True
            p = p.parentWidget()
        return isinstance(w, QHeaderView)

    mine = (window.source_pane, window.entity_pane, window.detail_pane)
    unnamed = []
    for pane in mine:
        for w in pane.findChildren(QWidget):
            if internal(w):
                continue
            control = QAbstractButton | QAbstractItemView | QComboBox | QLineEdit | QPlainTextEdit
            if isinstance(w, control) and not w.accessibleName():
                unnamed.append(f"{type(w).__name__} {w.objectName()} in {w.parentWidget()}")
    assert not unnamed
    for act in window.actions_.values():
        assert act.text() and act.statusTip()


def test_layout_is_saved_and_restored(qtbot: Any, engine: Any) -> None:
    from desktop.mainwindow import MainWindow

    w = MainWindow(engine, restore_state=True)
    qtbot.addWidget(w)
    w.show()
    w.detail_dock.hide()
    w.source_pane.set_original(True)
    w.close()
    w2 = MainWindow(engine, restore_state=True)
    qtbot.addWidget(w2)
    w2.show()
    assert w2.detail_dock.isHidden()
    assert w2.source_pane.showing_original
    w2.reset_layout()
    w2.source_pane.set_original(False)
    w2.close()


def test_self_test_check_passes(window: Any) -> None:
    from desktop.selftest import check_window

    report = check_window(window)
    assert report.startswith("self-test ok")


def test_screenshot_command_line(qtbot: Any, built_db: Path, tmp_path: Path, engine: Any) -> None:
    from desktop.app import run

    out = tmp_path / "shot.png"
    args = argparse.Namespace(
        db=built_db,
        kiosk=False,
        select=f"event:{_multi_source_event(engine)}",
        screenshot=out,
        size="1000x700",
        dark=True,
        light=False,
    )
    try:
        assert run(args, lambda a: Path(a.db)) == 0
    finally:
        from desktop.theme import apply_palette

        apply_palette(False)
    assert out.stat().st_size > 10_000


def test_passage_with_several_events_offers_a_chooser(qtbot: Any, window: Any, engine: Any) -> None:
    found = None
    for info in query.sources(engine):
        for span in query.evidence_in_source(engine, info.id):
            for off in range(span.start, min(span.end, span.start + 60)):
                events = query.events_at(engine, info.id, off)
                if len(events) > 1 and query.mention_at(engine, info.id, off) is None:
                    found = (info.id, off, events)
                    break
            if found:
                break
        if found:
            break
    if found is None:
        pytest.skip("no passage in this build attests two events")  # data-dependent, not display
    sid, off, events = found
    window.selection.set_source(sid)
    _click_text(qtbot, window, off)
    menu = window.source_pane.chooser_menu
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    titles = [a.data() for a in menu.actions()]
    assert titles == [e.id for e in events]
    with qtbot.waitSignal(window.selection.eventChanged):
        menu.actions()[1].trigger()
    assert window.selection.event == events[1].id


def test_select_entity_from_command_line_and_dark_toggle(
    qtbot: Any, window: Any, engine: Any
) -> None:
    from desktop.app import apply_select
    from desktop.theme import is_dark

    polity = _busiest_entity(engine)
    assert apply_select(window, engine, f"entity:{polity}") is None
    assert window.selection.entity == polity
    assert apply_select(window, engine, "event:no-such-event") is not None
    assert apply_select(window, engine, "bogus") is not None
    window.actions_["dark"].trigger()
    try:
        assert is_dark()
        assert window.source_pane.marked_mentions  # highlights re-applied in the new colours
    finally:
        window.actions_["dark"].trigger()
    assert not is_dark()


def test_repairs_marked_on_request_with_the_original_in_a_tooltip(
    qtbot: Any, window: Any, engine: Any
) -> None:
    # A replacement (mojibake, say): both the original and the repaired span have text.
    for info in query.sources(engine):
        st = query.source_text(engine, info.id)
        found = [r for r in st.offsets.repairs if r[1] > r[0] and r[3] > r[2]]
        if found:
            break
    else:
        pytest.fail("the corpus has no replacement repair")
    ns, ne, os_, oe = found[0]
    window.selection.set_source(info.id)
    window.actions_["show_repairs"].trigger()
    try:
        _point_for(window, ns)  # scroll there; marks follow the view
        window.source_pane.refresh_highlights()
        repairs = [
            (a, b) for a, b, kind in window.source_pane.highlighted_ranges() if kind == "repair"
        ]
        pos = window.source_pane.document_position
        assert (pos(ns), pos(ne)) in repairs
        note = window.source_pane.repair_note(ns)
        assert note is not None and st.original[os_:oe] in note and st.normalized[ns:ne] in note
    finally:
        window.actions_["show_repairs"].trigger()
    assert not any(kind == "repair" for _a, _b, kind in window.source_pane.highlighted_ranges())
