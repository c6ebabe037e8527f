"""Search field and filter bar for the main window's toolbar.

``SearchBar(engine, selection, parent)`` searches passages, events and
entities as you type; ``FilterBar(selection, parent, engine=...)`` shows the
selection context's filters as removable chips.
"""

from __future__ import annotations

from desktop.search.bar import SearchBar
from desktop.search.filterbar import FilterBar, FilterChip
from desktop.search.model import SearchResultsModel

__all__ = ["FilterBar", "FilterChip", "SearchBar", "SearchResultsModel"]
