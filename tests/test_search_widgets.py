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


def test_enter_selects_the_passage_in_the_selection_context(
    qtbot: Any, bar: SearchBar, selection: SelectionContext
) -> None:
    bar.line_edit.setText("Karabekir")
    with qtbot.waitSignal(selection.passageChanged, timeout=2000):
        qtbot.keyClick(bar.line_edit, Qt.Key.Key_Return)
    assert selection.passage is not None
    assert selection.source is not None


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
