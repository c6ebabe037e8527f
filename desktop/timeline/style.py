"""Colours of the timeline, derived from the widget's palette so dark themes work.

Translucent colours are pre-blended over the background into opaque ones: the raster
engine fills opaque pixels many times faster than it blends translucent ones, which is
most of the difference between a 40 ms and a 5 ms frame.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

# One hue per event kind (the same in every lane mode, so colour always means kind).
_KIND_HUES = {
    "battle": "#c0392b",
    "massacre": "#7b1e3c",
    "invasion": "#d35400",
    "occupation": "#a0522d",
    "uprising": "#8e44ad",
    "treaty": "#1e8449",
    "ceasefire": "#16a085",
    "proclamation": "#2e5fb0",
    "negotiation": "#2a8fb0",
    "political": "#566573",
    "withdrawal": "#7d8c2c",
    "other": "#808080",
}

# Soft, distinct hues for the bands of the war's phases.
_PHASE_HUES = ("#4f81bd", "#c0504d", "#9bbb59", "#8064a2", "#f79646", "#4bacc6")


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def blend(fg: QColor, alpha: float, bg: QColor) -> QColor:
    """``fg`` at ``alpha`` over ``bg``, as an opaque colour."""
    a = max(0.0, min(1.0, alpha))
    return QColor(
        round(fg.red() * a + bg.red() * (1 - a)),
        round(fg.green() * a + bg.green() * (1 - a)),
        round(fg.blue() * a + bg.blue() * (1 - a)),
    )


class TimelineStyle:
    """Every colour the timeline paints with, for one palette."""

    def __init__(self, palette: QPalette) -> None:
        self.dark = is_dark(palette)
        self.base = palette.color(QPalette.ColorRole.Base)
        self.window = palette.color(QPalette.ColorRole.Window)
        self.text = palette.color(QPalette.ColorRole.Text)
        self.highlight = palette.color(QPalette.ColorRole.Highlight)
        self.header = palette.color(QPalette.ColorRole.AlternateBase)
        if self.header == self.base:
            self.header = self.window
        self.mid_text = blend(self.text, 0.62, self.base)
        self.faint_text = blend(self.text, 0.35, self.base)
        self.grid = blend(self.text, 0.07, self.base)
        self.grid_major = blend(self.text, 0.18, self.base)
        self.neutral = QColor("#5b7fa6") if not self.dark else QColor("#8fb3d9")
        self._cache: dict[tuple[str, float], QColor] = {}

    def kind_color(self, kind: str | None, alpha: float = 1.0) -> QColor:
        """The kind's hue at ``alpha`` over the background (opaque)."""
        key = (kind or "other", alpha)
        color = self._cache.get(key)
        if color is None:
            hue = QColor(_KIND_HUES.get(kind or "other", _KIND_HUES["other"]))
            if self.dark:
                hue = hue.lighter(150)
            color = blend(hue, alpha, self.base)
            self._cache[key] = color
        return color

    def neutral_color(self, alpha: float) -> QColor:
        return blend(self.neutral, alpha, self.base)

    def phase_color(self, index: int, strong: bool = False) -> QColor:
        """Opaque tint of a phase (``strong``: its box in the strip under the axis)."""
        hue = QColor(_PHASE_HUES[index % len(_PHASE_HUES)])
        if strong:
            return blend(hue, 0.42 if self.dark else 0.32, self.base)
        return blend(hue, 0.14 if self.dark else 0.09, self.base)

    def phase_band(self, hues: tuple[int, ...], strong: bool = False) -> QColor:
        """Opaque tint behind the lanes where the phases with these hues overlap."""
        key = ("band:" + ",".join(map(str, hues)), float(strong))
        color = self._cache.get(key)
        if color is None:
            color = QColor(self.header if strong else self.base)
            alpha = (0.3 if strong else 0.10) if self.dark else (0.22 if strong else 0.065)
            for h in hues:
                color = blend(QColor(_PHASE_HUES[h % len(_PHASE_HUES)]), alpha, color)
            self._cache[key] = color
        return color

    def overlay(self, alpha: float) -> QColor:
        """A translucent veil of the background colour (for what lies outside the date filter)."""
        c = QColor(self.base)
        c.setAlphaF(alpha)
        return c
