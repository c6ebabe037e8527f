"""The event-detail pane: what is known of the selected event, and each source's account of it."""

from desktop.detail.pane import EventDetailPane

__all__ = ["EventDetailPane"]
