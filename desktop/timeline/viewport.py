"""The visible day range and the arithmetic of zooming and panning it (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass

MIN_DAYS = 2.0  # the deepest zoom shows two days across the pane


@dataclass
class Viewport:
    """Days ``[start, end)`` are visible; ``lo``/``hi`` bound how far one may pan or zoom out."""

    start: float
    end: float
    lo: float
    hi: float

    @property
    def length(self) -> float:
        return self.end - self.start

    @property
    def center(self) -> float:
        return (self.start + self.end) / 2

    def set_range(self, start: float, end: float) -> None:
        if end < start:
            start, end = end, start
        self.start, self.end = start, end
        self.clamp()

    def zoom(self, factor: float, anchor: float | None = None) -> None:
        """Zoom in (factor > 1) or out, keeping the day ``anchor`` at the same screen position."""
        if anchor is None:
            anchor = self.center
        new_len = self.length / factor
        new_len = max(MIN_DAYS, min(new_len, self.hi - self.lo))
        ratio = (anchor - self.start) / self.length if self.length else 0.5
        self.start = anchor - ratio * new_len
        self.end = self.start + new_len
        self.clamp()

    def pan(self, days: float) -> None:
        self.start += days
        self.end += days
        self.clamp()

    def center_on(self, day: float) -> None:
        half = self.length / 2
        self.start, self.end = day - half, day + half
        self.clamp()

    def clamp(self) -> None:
        length = max(MIN_DAYS, min(self.length, self.hi - self.lo))
        start = min(max(self.start, self.lo), self.hi - length)
        self.start, self.end = start, start + length
