"""Every pane respects the filters: the query layer the panes read agrees with db.filters,
and in the assembled window a filter set in the filter bar reaches the panes and is undone
by its chip (pytest-qt, real built corpus)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt

from db import query
from db.filters import Filters, counts

D = date.toordinal

COMBINATIONS = [
    Filters(kinds=frozenset({"massacre"})),
    Filters(kinds=frozenset({"battle", "massacre"}), earliest=D(date(1920, 1, 1))),
    Filters(sources=frozenset({"gse-armenian-turkish-war"})),
    Filters(entities=frozenset({"shusha"})),
    Filters(entities=frozenset({"shusha", "armenia"}), entities_all=True),
    Filters(earliest=D(date(1918, 5, 28)), latest=D(date(1918, 12, 31)), phases=frozenset()),
    Filters(review_statuses=frozenset({"unreviewed"}), kinds=frozenset({"treaty"})),
]


@pytest.mark.parametrize("f", COMBINATIONS, ids=lambda f: ";".join(v for _k, v in f.describe()))
def test_query_layer_counts_agree_with_the_filter_semantics(engine: Any, f: Filters) -> None:
    mine = counts(engine, f)
    assert query.counts(engine, f).events == mine["event"]
    # The entity pane ignores the entity filter (so it can still show and clear it).
    pane = sum(query.entity_type_counts(engine, f).values())
    assert pane == counts(engine, replace(f, entities=frozenset(), entities_all=False))["entity"]


def test_a_filter_reaches_the_panes_and_its_chip_removes_it(qtbot: Any, engine: Any) -> None:
    from desktop.mainwindow import MainWindow

    window = MainWindow(engine, restore_state=False)
    qtbot.addWidget(window)
    window.show()
    bar = window.filter_bar
    assert bar is not None
    entity_model = window.entity_pane.model

    def entities_shown() -> int:
        return sum(
            entity_model.rowCount(entity_model.index(g, 0)) for g in range(entity_model.rowCount())
        )

    everything = entities_shown()
    with qtbot.waitSignal(window.selection.filtersChanged):
        window.selection.update_filters(kinds=frozenset({"massacre"}))
    massacre_entities = counts(engine, Filters(kinds=frozenset({"massacre"})))["entity"]
    qtbot.waitUntil(lambda: entities_shown() == massacre_entities)
    assert massacre_entities < everything
    chip = bar.chip("kinds", "massacre")
    assert chip is not None
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert window.selection.filters.is_empty()
    qtbot.waitUntil(lambda: entities_shown() == everything)
