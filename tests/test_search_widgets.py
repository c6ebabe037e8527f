"""The search field and filter bar, driven as a user would (pytest-qt, real built database)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from db.filters import Filters
from desktop.search import FilterBar, SearchBar
from desktop.selection import SelectionContext


@pytest.fixture()
def selection() -> SelectionContext:
    return SelectionContext()


@pytest.fixture()
def bar(qtbot: Any, engine: Any, selection: SelectionContext) -> SearchBar:
    search_bar = SearchBar(engine, selection)
    qtbot.addWidget(search_bar)
    search_bar.timer.setInterval(1)
    search_bar.show()
    return search_bar


def test_typing_shows_grouped_results_after_the_debounce(qtbot: Any, bar: SearchBar) -> None:
    with qtbot.waitSignal(bar.resultsReady, timeout=2000) as blocker:
        qtbot.keyClicks(bar.line_edit, "Nakhch")
    result = blocker.args[0]
    assert result.query.text == "Nakhch"
    assert bar.model.rowCount() >= 1
    passages = result.by_kind("passage")
    assert passages and all(h.spans for h in passages)


def test_typing_fast_runs_the_query_once(qtbot: Any, bar: SearchBar) -> None:
    bar.timer.setInterval(50)
    seen: list[Any] = []
    bar.resultsReady.connect(seen.append)
    qtbot.keyClicks(bar.line_edit, "Shusha")
    qtbot.waitUntil(lambda: len(seen) >= 1, timeout=2000)
    assert [r.query.text for r in seen] == ["Shusha"]


def test_enter_selects_the_first_hit_an_entity(
    qtbot: Any, bar: SearchBar, selection: SelectionContext
) -> None:
    bar.line_edit.setText("Karabekir")
    with qtbot.waitSignal(selection.entityChanged, timeout=2000):
        qtbot.keyClick(bar.line_edit, Qt.Key.Key_Return)
    assert selection.entity == "kazim-karabekir"
    assert not bar.popup.isVisible()


def test_arrow_down_to_a_passage_then_enter_selects_it_and_its_source(
    qtbot: Any, bar: SearchBar, selection: SelectionContext
) -> None:
    with qtbot.waitSignal(bar.resultsReady, timeout=2000):
        qtbot.keyClicks(bar.line_edit, "Karabekir")
    assert bar.popup.isVisible()
    while (hit := bar.current_hit()) is not None and hit.kind != "passage":
        qtbot.keyClick(bar.line_edit, Qt.Key.Key_Down)
    assert hit is not None
    with qtbot.waitSignal(selection.passageChanged, timeout=2000):
        qtbot.keyClick(bar.line_edit, Qt.Key.Key_Return)
    assert selection.passage == hit.id
    assert selection.source == hit.source_id


def test_clicking_an_event_selects_it(
    qtbot: Any, bar: SearchBar, selection: SelectionContext
) -> None:
    with qtbot.waitSignal(bar.resultsReady, timeout=2000):
        qtbot.keyClicks(bar.line_edit, "Shushi")
    index = next(i for i in bar.model.hit_indexes() if bar.model.hit(i).kind == "event")
    view = bar.popup.view
    with qtbot.waitSignal(selection.eventChanged, timeout=2000):
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
        )
    assert selection.event == bar.model.hit(index).id


@pytest.mark.parametrize("raw", ['"', "NEAR(", "AND", "*", ":", "(", '"Red Army', "a OR"])
def test_hostile_text_in_the_field(qtbot: Any, bar: SearchBar, raw: str) -> None:
    with qtbot.waitSignal(bar.resultsReady, timeout=2000) as blocker:
        qtbot.keyClicks(bar.line_edit, raw)
    result = blocker.args[0]
    if result.notes:
        assert bar.popup.notes.isVisible()
        assert bar.popup.notes.text().startswith(result.notes[0])


def test_escape_closes_and_clearing_hides(qtbot: Any, bar: SearchBar) -> None:
    with qtbot.waitSignal(bar.resultsReady, timeout=2000):
        qtbot.keyClicks(bar.line_edit, "Shusha")
    assert bar.popup.isVisible()
    qtbot.keyClick(bar.line_edit, Qt.Key.Key_Escape)
    assert not bar.popup.isVisible()
    with qtbot.waitSignal(bar.resultsReady, timeout=2000):
        bar.line_edit.clear()
    assert not bar.popup.isVisible() and bar.model.rowCount() == 0


def test_changing_filters_reruns_the_search_with_them(
    qtbot: Any, bar: SearchBar, selection: SelectionContext
) -> None:
    with qtbot.waitSignal(bar.resultsReady, timeout=2000):
        qtbot.keyClicks(bar.line_edit, "Nakhch")
    before = bar.result
    assert before is not None and before.by_kind("passage")
    source = before.by_kind("passage")[0].source_id
    assert source is not None
    with qtbot.waitSignal(bar.resultsReady, timeout=2000) as blocker:
        selection.update_filters(sources=frozenset({source}))
    after = blocker.args[0]
    assert after.by_kind("passage")
    assert {h.source_id for h in after.by_kind("passage")} == {source}


def test_results_model_passes_the_model_tester(
    qtbot: Any, qtmodeltester: Any, bar: SearchBar
) -> None:
    with qtbot.waitSignal(bar.resultsReady, timeout=2000):
        qtbot.keyClicks(bar.line_edit, "Shusha")
    qtmodeltester.check(bar.model)


def test_ctrl_k_focuses_the_field(qtbot: Any, engine: Any, selection: SelectionContext) -> None:
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    other = QLineEdit(window)
    search_bar = SearchBar(engine, selection, window)
    layout.addWidget(other)
    layout.addWidget(search_bar)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    qtbot.keyClick(other, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(search_bar.line_edit.hasFocus)


def test_filter_chip_click_removes_that_filter(qtbot: Any, selection: SelectionContext) -> None:
    fb = FilterBar(selection)
    qtbot.addWidget(fb)
    selection.set_filters(Filters(kinds=frozenset({"battle", "massacre"})))
    assert sorted(c.value or "" for c in fb.chips) == ["battle", "massacre"]
    chip = fb.chip("kinds", "battle")
    assert chip is not None
    with qtbot.waitSignal(selection.filtersChanged):
        qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert selection.filters.kinds == frozenset({"massacre"})
    assert [c.value for c in fb.chips] == ["massacre"]
