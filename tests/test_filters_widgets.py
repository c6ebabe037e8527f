"""FilterBar: chips follow the selection context's filters, and editing them goes back through it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from test_search_fixtures import tiny_engine

from db.filters import Filters
from desktop.search import FilterBar
from desktop.selection import SelectionContext

D = date.toordinal


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    engine = tiny_engine(tmp_path_factory.mktemp("tiny") / "tiny.sqlite")
    yield engine
    engine.dispose()


@pytest.fixture()
def selection() -> SelectionContext:
    return SelectionContext()


@pytest.fixture()
def bar(qtbot: Any, tiny: Any, selection: SelectionContext) -> FilterBar:
    fb = FilterBar(selection, engine=tiny)
    qtbot.addWidget(fb)
    fb.show()
    return fb


def menu_action(fb: FilterBar, field: str, value: str) -> QAction:
    fb.menu.aboutToShow.emit()
    for sub in fb.menu.actions():
        menu = sub.menu()
        if menu is None:
            continue
        for action in menu.actions():
            if action.data() == (field, value):
                return action
    raise AssertionError(f"no menu entry for {field}={value}")


def test_no_filters_no_chips_and_the_event_count(bar: FilterBar) -> None:
    assert bar.chips == []
    assert bar.count_label.text() == "4 events"
    assert not bar.clear_button.isVisible()


def test_chips_show_names_and_counts_update(
    qtbot: Any, bar: FilterBar, selection: SelectionContext
) -> None:
    with qtbot.waitSignal(bar.chipsChanged):
        selection.update_filters(entities=frozenset({"shusha"}), sources=frozenset({"a"}))
    assert sorted(c.label for c in bar.chips) == ["entity: Shusha", "source: Source A"]
    assert bar.count_label.text() == "1 event · 2 entities · 1 passage"


def test_each_chip_shows_how_many_events_it_alone_lets_through(
    bar: FilterBar, selection: SelectionContext
) -> None:
    selection.set_filters(
        Filters(kinds=frozenset({"battle", "massacre"}), entities=frozenset({"karabekir"}))
    )
    texts = sorted(c.text() for c in bar.chips)
    assert texts == [
        "entity: Kâzım Karabekir · 2  ✕",
        "kind: battle · 1  ✕",
        "kind: massacre · 1  ✕",
    ]


def test_clicking_a_chip_removes_only_that_value(
    qtbot: Any, bar: FilterBar, selection: SelectionContext
) -> None:
    selection.set_filters(
        Filters(kinds=frozenset({"battle", "massacre"}), earliest=D(date(1920, 1, 1)))
    )
    assert len(bar.chips) == 3
    chip = bar.chip("kinds", "massacre")
    assert chip is not None
    with qtbot.waitSignal(selection.filtersChanged):
        qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert selection.filters == Filters(kinds=frozenset({"battle"}), earliest=D(date(1920, 1, 1)))
    date_chip = bar.chip("dates")
    assert date_chip is not None and date_chip.label == "1920-01-01 – …"
    qtbot.mouseClick(date_chip, Qt.MouseButton.LeftButton)
    assert selection.filters == Filters(kinds=frozenset({"battle"}))
    assert bar.count_label.text() == "1 event · 1 entity · 1 passage"


def test_clear_all(qtbot: Any, bar: FilterBar, selection: SelectionContext) -> None:
    selection.set_filters(Filters(kinds=frozenset({"battle"}), phases=frozenset({"p1"})))
    assert bar.clear_button.isVisible()
    qtbot.mouseClick(bar.clear_button, Qt.MouseButton.LeftButton)
    assert selection.filters.is_empty() and bar.chips == []


def test_any_all_toggle_for_several_entities(
    qtbot: Any, bar: FilterBar, selection: SelectionContext
) -> None:
    selection.update_filters(entities=frozenset({"karabekir"}))
    assert not bar.mode_button.isVisible()
    selection.update_filters(entities=frozenset({"karabekir", "nakhchivan"}))
    assert bar.mode_button.isVisible() and bar.mode_button.text() == "any of"
    assert bar.count_label.text().startswith("2 events")
    qtbot.mouseClick(bar.mode_button, Qt.MouseButton.LeftButton)
    assert selection.filters.entities_all
    assert bar.mode_button.text() == "all of"
    assert bar.count_label.text().startswith("1 event ")


def test_menu_adds_and_removes_a_kind(bar: FilterBar, selection: SelectionContext) -> None:
    action = menu_action(bar, "kinds", "battle")
    assert action.text() == "battle (1)" and not action.isChecked()
    action.trigger()
    assert selection.filters.kinds == frozenset({"battle"})
    assert [c.label for c in bar.chips] == ["kind: battle"]
    action = menu_action(bar, "kinds", "battle")
    assert action.isChecked()
    action.trigger()
    assert selection.filters.kinds == frozenset()


def test_review_status_is_offered_only_with_a_review_source(
    qtbot: Any, tiny: Any, selection: SelectionContext, bar: FilterBar
) -> None:
    bar.menu.aboutToShow.emit()
    assert "Review status" not in [a.text() for a in bar.menu.actions()]
    reviewed = FilterBar(selection, engine=tiny, review=dict)
    qtbot.addWidget(reviewed)
    reviewed.menu.aboutToShow.emit()
    assert "Review status" in [a.text() for a in reviewed.menu.actions()]


def test_menu_offers_sources_phases_and_review(
    qtbot: Any, tiny: Any, selection: SelectionContext
) -> None:
    bar = FilterBar(selection, engine=tiny, review=dict)  # every event unreviewed
    qtbot.addWidget(bar)
    bar.show()
    menu_action(bar, "sources", "b").trigger()
    menu_action(bar, "phases", "p1").trigger()
    menu_action(bar, "review_statuses", "unreviewed").trigger()
    assert selection.filters == Filters(
        sources=frozenset({"b"}),
        phases=frozenset({"p1"}),
        review_statuses=frozenset({"unreviewed"}),
    )
    # e-shusha (source b, phase p1) and e-letter (b, p1); none reviewed.
    assert bar.count_label.text().startswith("2 events")


def test_selected_entities_become_an_entity_filter(
    bar: FilterBar, selection: SelectionContext
) -> None:
    bar.menu.aboutToShow.emit()
    entry = next(a for a in bar.menu.actions() if a.text() == "Selected entities")
    assert not entry.isEnabled()
    selection.set_entity("shusha")
    selection.set_entity_set(frozenset({"armenia"}))
    bar.menu.aboutToShow.emit()
    entry = next(a for a in bar.menu.actions() if a.text() == "Selected entities")
    entry.trigger()
    assert selection.filters.entities == frozenset({"shusha", "armenia"})


def test_without_a_database_chips_use_ids(qtbot: Any, selection: SelectionContext) -> None:
    fb = FilterBar(selection)
    qtbot.addWidget(fb)
    selection.update_filters(entities=frozenset({"shusha"}))
    assert [c.label for c in fb.chips] == ["entity: shusha"]
    assert fb.count_label.text() == ""


def test_date_range_dialog_gives_ordered_day_numbers(qtbot: Any) -> None:
    from desktop.search.filterbar import DateRangeDialog

    dialog = DateRangeDialog(D(date(1920, 4, 27)), D(date(1918, 5, 28)))
    qtbot.addWidget(dialog)
    assert dialog.range() == (D(date(1918, 5, 28)), D(date(1920, 4, 27)))
