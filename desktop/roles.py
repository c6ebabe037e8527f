"""Item-data roles shared by Chronoscope's models, so views and tests ask for ids the same way."""

from __future__ import annotations

from PySide6.QtCore import Qt

_BASE = Qt.ItemDataRole.UserRole.value

ID_ROLE = _BASE + 1  # the domain id of the row (entity id, event id, source id, ...)
TYPE_ROLE = _BASE + 2  # entity type / event kind
HIGHLIGHT_ROLE = _BASE + 3  # True when the row is lit by the current selection
SORT_ROLE = _BASE + 4  # a value to sort by
OFFSET_ROLE = _BASE + 5  # a character offset into a source's normalized text
