"""The one selection context: current event, entity, passage, and the active filters.

Every pane syncs with this object both ways and never calls another pane.
Signals carry ``(current, previous)``; setting the value a pane already shows
is a no-op, so a pane that re-emits while reacting cannot loop.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from db.filters import Filters

__all__ = ["Filters", "SelectionContext"]


class SelectionContext(QObject):
    """Owns what is selected and filtered. Ids are strings for events/entities, ints for passages."""

    eventChanged = Signal(object, object)  # (current event id | None, previous)
    entityChanged = Signal(object, object)  # (current entity id | None, previous)
    passageChanged = Signal(object, object)  # (current passage id | None, previous)
    entitySetChanged = Signal(object)  # frozenset of entity ids multi-selected in the entity pane
    filtersChanged = Signal(object, object)  # (Filters, previous Filters)
    sourceChanged = Signal(object, object)  # (source id shown in the text pane | None, previous)
    #: The reviewer's changes (db.query.review_of) changed: panes showing events redraw them.
    reviewChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._event: str | None = None
        self._entity: str | None = None
        self._passage: int | None = None
        self._source: str | None = None
        self._entity_set: frozenset[str] = frozenset()
        self._filters = Filters()

    # --- current values -------------------------------------------------
    @property
    def event(self) -> str | None:
        return self._event

    @property
    def entity(self) -> str | None:
        return self._entity

    @property
    def passage(self) -> int | None:
        return self._passage

    @property
    def source(self) -> str | None:
        return self._source

    @property
    def entity_set(self) -> frozenset[str]:
        return self._entity_set

    @property
    def filters(self) -> Filters:
        return self._filters

    # --- setters (slots) -------------------------------------------------
    @Slot(object)
    def set_event(self, event_id: str | None) -> None:
        if event_id == self._event:
            return
        previous, self._event = self._event, event_id
        self.eventChanged.emit(event_id, previous)

    @Slot(object)
    def set_entity(self, entity_id: str | None) -> None:
        if entity_id == self._entity:
            return
        previous, self._entity = self._entity, entity_id
        self.entityChanged.emit(entity_id, previous)

    @Slot(object)
    def set_passage(self, passage_id: int | None) -> None:
        if passage_id == self._passage:
            return
        previous, self._passage = self._passage, passage_id
        self.passageChanged.emit(passage_id, previous)

    @Slot(object)
    def set_source(self, source_id: str | None) -> None:
        if source_id == self._source:
            return
        previous, self._source = self._source, source_id
        self.sourceChanged.emit(source_id, previous)

    @Slot(object)
    def set_entity_set(self, ids: frozenset[str]) -> None:
        ids = frozenset(ids)
        if ids == self._entity_set:
            return
        self._entity_set = ids
        self.entitySetChanged.emit(ids)

    @Slot(object)
    def set_filters(self, filters: Filters) -> None:
        if filters == self._filters:
            return
        previous, self._filters = self._filters, filters
        self.filtersChanged.emit(filters, previous)

    def notify_review_changed(self) -> None:
        """The reviewer changed events (status, correction, a new event): panes re-read them."""
        self.reviewChanged.emit()

    def update_filters(self, **changes: Any) -> None:
        """Change some filter fields, e.g. ``update_filters(kinds=frozenset({"battle"}))``."""
        self.set_filters(replace(self._filters, **changes))

    def clear(self) -> None:
        """Nothing selected, no filters: the start view."""
        self.set_event(None)
        self.set_entity(None)
        self.set_passage(None)
        self.set_entity_set(frozenset())
        self.set_filters(Filters())
