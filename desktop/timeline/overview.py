"""The overview strip: the whole span in miniature, with the visible window on it.

Drag the window to pan. Drag across the strip elsewhere to show that range;
hold Shift while doing so to make it the date filter as well.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.timeline.data import TimelineData
from desktop.timeline.layout import layout_phases
from desktop.timeline.style import TimelineStyle

STRIP_H = 40


class OverviewStrip(QWidget):
    """Miniature of all events over the whole span."""

    windowMoved = Signal(float, float)  # the user moved the window: show [start, end)
    rangeChosen = Signal(float, float, bool)  # dragged a range: (start, end, also filter by date)

    def __init__(self, data: TimelineData, left_margin: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.left_margin = left_margin
        lo, hi = data.core_span()
        pad = max(15.0, (hi - lo) * 0.04)
        self.lo, self.hi = lo - pad, hi + 1 + pad
        self.view_window = (self.lo, self.hi)
        self.date_filter: tuple[int | None, int | None] = (None, None)
        self._bins: tuple[tuple[int, int], list[int], list[int] | None] | None = None
        self._drag: str | None = None  # "move" | "range"
        self._press_x = 0.0
        self._press_window = self.view_window
        self._range_x: tuple[float, float] | None = None
        self._style: TimelineStyle | None = None
        self._pixmap: tuple[object, QPixmap] | None = None
        self.setFixedHeight(STRIP_H)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setToolTip(
            "Whole span. Drag the window to pan; drag elsewhere to show a range "
            "(hold Shift to make it the date filter too)."
        )

    # --- coordinates ----------------------------------------------------
    @property
    def _w(self) -> float:
        return max(1.0, self.width() - self.left_margin - 2)

    def x_of(self, day: float) -> float:
        return self.left_margin + (day - self.lo) * self._w / (self.hi - self.lo)

    def day_at(self, x: float) -> float:
        return self.lo + (x - self.left_margin) * (self.hi - self.lo) / self._w

    def set_window(self, start: float, end: float) -> None:
        self.view_window = (start, end)
        self.update()

    def set_bounds(self, lo: float, hi: float) -> None:
        self.lo, self.hi = lo, hi
        self._bins = None
        self.update()

    def invalidate(self) -> None:
        self._bins = None
        self.update()

    def window_rect(self) -> QRectF:
        x0 = self.x_of(self.view_window[0])
        x1 = self.x_of(self.view_window[1])
        if x1 - x0 < 6:
            c = (x0 + x1) / 2
            x0, x1 = c - 3, c + 3
        return QRectF(x0, 1, x1 - x0, self.height() - 2)

    # --- painting -------------------------------------------------------
    def _histogram(self) -> tuple[list[int], list[int] | None]:
        key = (self.width(), id(self.data.density))  # identity: Density holds big tuples
        if self._bins is None or self._bins[0] != key:
            n = max(1, int(self._w // 3))
            edges = [math.floor(self.lo + i * (self.hi - self.lo) / n) for i in range(n + 1)]
            total = [sum(col) for col in zip(*self.data.bin_counts(edges), strict=True)]
            focus = None
            if self.data.density.focus is not None:
                focus = [sum(col) for col in zip(*self.data.bin_counts(edges, True), strict=True)]
            self._bins = (key, total, focus)
        return self._bins[1], self._bins[2]

    def _background(self, st: TimelineStyle) -> QPixmap:
        """Phases and the histogram: redrawn only when the size, data or palette change."""
        ratio = self.devicePixelRatioF()
        key = (self.width(), self.height(), id(self.data.density), id(st), self.lo, self.hi, ratio)
        if self._pixmap is not None and self._pixmap[0] == key:
            return self._pixmap[1]
        pix = QPixmap(round(self.width() * ratio), round(self.height() * ratio))
        pix.setDevicePixelRatio(ratio)
        pix.fill(st.header)
        p = QPainter(pix)
        left = float(self.left_margin)
        h = float(self.height())
        for first, last, hues in layout_phases(self.data.phases).segments:
            x0, x1 = self.x_of(first), self.x_of(last + 1)
            p.fillRect(QRectF(x0, 0, x1 - x0, h), st.phase_band(hues, True))
        total, focus = self._histogram()
        peak = max(total, default=0) or 1
        scale = (h - 8) / math.sqrt(peak)
        p.setPen(Qt.PenStyle.NoPen)
        for values, alpha in ((total, 0.35 if focus else 0.75), (focus, 0.9)):
            if values is None:
                continue
            rects = [
                QRectF(left + i * 3, h - 2 - hh, 3, hh)
                for i, c in enumerate(values)
                if c
                for hh in (max(1.0, scale * math.sqrt(c)),)
            ]
            if rects:
                p.setBrush(st.neutral_color(alpha))
                p.drawRects(rects)
        p.fillRect(QRectF(0, 0, left, h), st.header)
        p.setPen(st.mid_text)
        p.drawText(
            QRectF(6, 0, left - 8, h),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            "Overview",
        )
        p.end()
        self._pixmap = (key, pix)
        return pix

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._style is None:
            self._style = TimelineStyle(self.palette())
        st = self._style
        p = QPainter(self)
        p.drawPixmap(0, 0, self._background(st))
        left = float(self.left_margin)
        h = float(self.height())
        first, last = self.date_filter
        if first is not None or last is not None:
            shade = st.overlay(0.65)
            if first is not None:
                p.fillRect(QRectF(left, 0, self.x_of(first) - left, h), shade)
            if last is not None:
                x = self.x_of(last + 1)
                p.fillRect(QRectF(x, 0, self.width() - x, h), shade)
        if self._range_x is not None:
            a, b = sorted(self._range_x)
            sel = QColor(st.highlight)
            sel.setAlphaF(0.3)
            p.fillRect(QRectF(a, 0, b - a, h), sel)
        win = self.window_rect()
        fill = QColor(st.highlight)
        fill.setAlphaF(0.16)
        p.fillRect(win, fill)
        p.setPen(QPen(st.highlight, 1.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(win)
        p.end()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._style = None
        super().changeEvent(event)

    # --- input ----------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        x = event.position().x()
        if x < self.left_margin:
            return None
        self._press_x = x
        self._press_window = self.view_window
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        win = self.window_rect()
        # A window covering nearly everything cannot usefully be moved: pick a range instead.
        movable = win.width() < 0.85 * self._w
        if not shift and movable and win.adjusted(-3, 0, 3, 0).contains(event.position()):
            self._drag = "move"
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        else:
            self._drag = "range"
            self._range_x = (x, x)
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        x = event.position().x()
        if self._drag == "move":
            start, end = self._press_window
            days = (x - self._press_x) * (self.hi - self.lo) / self._w
            self.windowMoved.emit(start + days, end + days)
        elif self._drag == "range":
            self._range_x = (self._press_x, x)
            self.update()
        elif self.window_rect().adjusted(-3, 0, 3, 0).contains(event.position()):
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            self.setCursor(Qt.CursorShape.CrossCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mouseReleaseEvent(event)
        x = event.position().x()
        if self._drag == "range":
            a, b = sorted((self._press_x, x))
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if b - a >= 4:
                self.rangeChosen.emit(self.day_at(a), self.day_at(b), shift)
            else:
                # A click: centre the window there.
                length = self.view_window[1] - self.view_window[0]
                c = self.day_at(x)
                self.windowMoved.emit(c - length / 2, c + length / 2)
        self._drag = None
        self._range_x = None
        self.unsetCursor()
        self.update()
        return None
