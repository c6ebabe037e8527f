"""The timeline pane: a custom-painted, zoomable, lane-based timeline of events."""

from desktop.timeline._none_refcount import make_none_immortal

make_none_immortal()  # PySide6 6.12 on Python 3.11 leaks None refs on every void call

from desktop.timeline.pane import TimelinePane  # noqa: E402

__all__ = ["TimelinePane"]
