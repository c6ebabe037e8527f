"""The entity pane: entities grouped by type, with the events of the current one."""

from desktop.entities.pane import EntityPane

__all__ = ["EntityPane"]
