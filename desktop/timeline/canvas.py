"""The custom-painted timeline: date axis, phase bands, lanes of event marks.

One ``paintEvent`` draws everything; there is no item per event. When more
than :data:`~desktop.timeline.data.DETAIL_LIMIT` events are in view the lanes
show density histograms with cluster counts instead, so a frame costs what
the pixels cost.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QElapsedTimer,
    QEvent,
    QLineF,
    QPointF,
    QRectF,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QStaticText,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QGestureEvent, QPinchGesture, QSizePolicy, QToolTip, QWidget

from db.timeline_query import EventMark
from desktop.timeline.axis import Axis, compute_axis
from desktop.timeline.calendar import NEW_STYLE_START, format_day
from desktop.timeline.data import TimelineData
from desktop.timeline.layout import PhaseLayout, layout_lane, layout_phases
from desktop.timeline.style import TimelineStyle
from desktop.timeline.viewport import Viewport

HEADER_W = 132  # lane header column
AXIS_H = 36  # context row + tick labels
PHASE_ROW_H = 15
ROW_H = 16  # one row of marks inside a lane at the default font (grows with the font)
COLLAPSED_H = 16
BIN_PX = 5  # width of one density bin
CLUSTER_BINS = 24  # bins per counted cluster window (120 px)
MAX_LABEL_W = 220.0
POINT_R = 4.0
DRAG_THRESHOLD = 4


@dataclass
class _Hit:
    rect: QRectF
    event_id: str | None  # None for a density cluster
    first: int
    last: int
    count: int = 1
    lane: int = 0


@dataclass
class _LaneFrame:
    """What one lane of single events paints, and where it can be clicked."""

    extents: dict[tuple[str, bool], list[QRectF]] = field(default_factory=dict)
    bars: dict[tuple[str, bool], list[QRectF]] = field(default_factory=dict)
    points: dict[tuple[str, bool, float], list[QPointF]] = field(default_factory=dict)
    labels: list[tuple[QRectF, str, QColor, bool, bool]] = field(default_factory=list)
    on_top: list[tuple[str, QRectF]] = field(default_factory=list)
    hits: list[_Hit] = field(default_factory=list)


@dataclass
class _Frame:
    """The last density frame as painted, with what hit-testing and tooltips read from it."""

    key: tuple[object, ...]
    keep: tuple[object, ...]
    pixmap: QPixmap
    headers: list[tuple[QRectF, int]]
    density: tuple[list[int], list[list[int]], list[tuple[float, float]]] | None
    axis: Axis | None


class TimelineCanvas(QWidget):
    """Paints one viewport of the timeline and turns input into viewport changes and clicks."""

    rangeChanged = Signal(float, float)  # visible [start, end) in days
    eventActivated = Signal(str)  # the user clicked an event mark
    laneToggled = Signal(int)
    stepRequested = Signal(int)  # arrow keys: -1 previous event, +1 next

    def __init__(self, data: TimelineData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        lo, hi = data.span()
        pad = max(15.0, (hi - lo) * 0.04)
        self.viewport = Viewport(lo - pad, hi + 1 + pad, lo - pad * 4, hi + 1 + pad * 4)
        self.julian = False
        self.current: str | None = None
        self.date_filter: tuple[int | None, int | None] = (None, None)
        self.collapsed: set[str | None] = set()
        self._hover: str | None = None
        self._hits: list[_Hit] = []
        self._headers: list[tuple[QRectF, int]] = []
        self._axis: Axis | None = None
        self._style: TimelineStyle | None = None
        self._press: QPointF | None = None
        self._press_range: tuple[float, float] | None = None
        self._dragging = False
        self._velocity = 0.0  # px per ms, for the kinetic flick
        self._last_move = QElapsedTimer()
        self._last_x = 0.0
        self._flick = QTimer(self)
        self._flick.setInterval(16)
        self._flick.timeout.connect(self._on_flick_timeout)
        self._flick_clock = QElapsedTimer()

        self._label_width: dict[tuple[str, bool], float] = {}
        self._header_pixmap: tuple[object, QPixmap] | None = None
        self._phase_layout: tuple[object, PhaseLayout] | None = None
        self._badges: list[tuple[QRectF, int, int]] = []  # "+N longer" per lane, last frame
        self._lane_cache: dict[int, tuple[tuple[object, ...], _LaneFrame]] = {}
        self._frame: _Frame | None = None
        self._density_frame: tuple[list[int], list[list[int]], list[tuple[float, float]]] | None = (
            None
        )
        self._set_fonts()

        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.grabGesture(Qt.GestureType.PinchGesture)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(120)

    # --- coordinates -------------------------------------------------------
    @property
    def content_left(self) -> float:
        return float(HEADER_W)

    @property
    def content_width(self) -> float:
        return max(1.0, self.width() - HEADER_W)

    def x_of(self, day: float) -> float:
        vp = self.viewport
        return HEADER_W + (day - vp.start) * self.content_width / vp.length

    def day_at(self, x: float) -> float:
        vp = self.viewport
        return vp.start + (x - HEADER_W) * vp.length / self.content_width

    def _phase_rows(self) -> int:
        return self.phase_layout.rows

    @property
    def phase_layout(self) -> PhaseLayout:
        if self._phase_layout is None or self._phase_layout[0] is not self.data.phases:
            self._phase_layout = (self.data.phases, layout_phases(self.data.phases))
        return self._phase_layout[1]

    @property
    def lanes_top(self) -> float:
        return self._axis_h + self._phase_rows() * self._phase_row_h

    def lane_geometry(self) -> list[tuple[float, float]]:
        """(top, height) of each lane."""
        lanes = self.data.density.lanes
        if not lanes:
            return []
        top = self.lanes_top
        avail = max(0.0, self.height() - top)
        n_open = sum(1 for lane in lanes if lane.key not in self.collapsed)
        n_closed = len(lanes) - n_open
        open_h = (avail - n_closed * COLLAPSED_H) / n_open if n_open else 0.0
        open_h = max(self._row_h + 4.0, min(open_h, 6 * self._row_h + 8.0))
        out = []
        y = top
        for lane in lanes:
            h = COLLAPSED_H if lane.key in self.collapsed else open_h
            out.append((y, h))
            y += h
        return out

    # --- public API ------------------------------------------------------
    def visible_range(self) -> tuple[float, float]:
        return self.viewport.start, self.viewport.end

    def set_visible_range(self, start: float, end: float) -> None:
        self.viewport.set_range(start, end)
        self._changed()

    def fit_all(self) -> None:
        """Show every event."""
        lo, hi = self.data.span()
        pad = max(10.0, (hi - lo) * 0.03)
        self.set_visible_range(lo - pad, hi + 1 + pad)

    def fit_core(self) -> None:
        """Show where the events are, leaving out stray outliers: the opening view."""
        lo, hi = self.data.core_span()
        pad = max(10.0, (hi - lo) * 0.02)
        self.set_visible_range(lo - pad, hi + 1 + pad)

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        anchor = None if anchor_x is None else self.day_at(anchor_x)
        self.viewport.zoom(factor, anchor)
        self._changed()

    def pan_pixels(self, dx: float) -> None:
        self.viewport.pan(-dx * self.viewport.length / self.content_width)
        self._changed()

    def show_event(self, first: int, last: int) -> None:
        """Centre on an event, zooming out if it is wider than most of the view."""
        before = (self.viewport.start, self.viewport.end)
        length = last + 1 - first
        if length > self.viewport.length * 0.8:
            self.viewport.set_range(first - length * 0.15, last + 1 + length * 0.15)
        else:
            self.viewport.center_on((first + last + 1) / 2)
            # Centred near the edge of the data, the view would show empty years: slide it
            # back inside the span of the events (the event stays in view).
            lo, hi = self.data.core_span()
            width = self.viewport.length
            start = self.viewport.start
            if width >= hi - lo and lo <= first and last <= hi:
                start = (lo + hi + 1) / 2 - width / 2  # the whole span fits: show all of it
            elif width < hi - lo:
                start = min(max(start, lo - width * 0.03), hi + width * 0.03 - width)
            start = min(start, first - width * 0.05)
            start = max(start, last + 1 + width * 0.05 - width)
            self.viewport.set_range(start, start + width)
        if (self.viewport.start, self.viewport.end) != before:
            self._changed()

    def set_current(self, event_id: str | None) -> None:
        """Mark the selected event, repainting only the lanes it changes while the view stays.

        Only the lanes holding the previous and the new selection change (the bold title,
        the ring); a full repaint of every lane would cost several times more.
        """
        previous, self.current = self.current, event_id
        if previous == event_id:
            return
        lanes = {h.lane for h in self._hits if h.event_id in (previous, event_id)}
        geometry = self.lane_geometry()
        for lane in lanes:
            if lane < len(geometry):
                top, h = geometry[lane]
                self.update(QRectF(0, top, self.width(), h).toAlignedRect())

    def axis(self) -> Axis:
        vp = self.viewport
        return compute_axis(vp.start, vp.end, self.content_width, self._text_width, self.julian)

    def mark_rect(self, event_id: str) -> QRectF | None:
        """Where an event was last painted (for tests and for keyboard focus)."""
        for hit in self._hits:
            if hit.event_id == event_id:
                return QRectF(hit.rect)
        return None

    def painted_event_ids(self) -> list[str]:
        return [h.event_id for h in self._hits if h.event_id is not None]

    def _changed(self) -> None:
        self.update()
        self.rangeChanged.emit(self.viewport.start, self.viewport.end)

    def _text_width(self, text: str, bold: bool = False) -> float:
        key = (text, bold)
        w = self._label_width.get(key)
        if w is None:
            if len(self._label_width) > 20000:
                self._label_width.clear()
            w = (self._fm_bold if bold else self._fm).horizontalAdvance(text)
            self._label_width[key] = w
        return w

    def _elided(self, text: str, width: float, which: str) -> str:
        """``elidedText`` through a cache: the same titles are cut to the same widths frame
        after frame, and eliding lays the text out each time."""
        key = (text, width, which)
        out = self._elisions.get(key)
        if out is None:
            if len(self._elisions) > 4000:
                self._elisions.clear()
            fm = {"normal": self._fm, "small": self._fm_small, "bold": self._fm_bold}[which]
            out = fm.elidedText(text, Qt.TextElideMode.ElideRight, width)
            self._elisions[key] = out
        return out

    # --- painting --------------------------------------------------------
    def _draw_static(self, p: QPainter, x: float, baseline: float, text: str, which: str) -> None:
        """drawText at a baseline through a QStaticText cache: the same axis labels, counts and
        titles recur frame after frame, and laying text out is most of what drawText costs."""
        key = (text, which)
        static = self._statics.get(key)
        if static is None:
            if len(self._statics) > 4000:
                self._statics.clear()
            static = QStaticText(text)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(QTransform(), self._fonts[which])
            self._statics[key] = static
        p.drawStaticText(QPointF(x, baseline - self._ascent[which]), static)

    def _set_fonts(self) -> None:
        self._font = QFont(self.font())
        self._small = QFont(self.font())
        self._small.setPointSizeF(max(6.5, self.font().pointSizeF() * 0.85))
        self._bold = QFont(self._font)
        self._bold.setBold(True)
        self._fm = QFontMetricsF(self._font)
        self._fm_small = QFontMetricsF(self._small)
        self._fm_bold = QFontMetricsF(self._bold)
        # Rows follow the font, so a larger font (the kiosk's) keeps titles inside them.
        self._row_h = max(float(ROW_H), math.ceil(self._fm.height()) + 2.0)
        self._phase_row_h = max(float(PHASE_ROW_H), math.ceil(self._fm_small.height()) + 2.0)
        self._axis_h = max(
            float(AXIS_H), math.ceil(self._fm.height() + self._fm_bold.height()) + 4.0
        )
        self._fonts = {"normal": self._font, "small": self._small, "bold": self._bold}
        self._ascent = {
            "normal": self._fm.ascent(),
            "small": self._fm_small.ascent(),
            "bold": self._fm_bold.ascent(),
        }
        self._statics: dict[tuple[str, str], QStaticText] = {}
        self._elisions: dict[tuple[str, float, str], str] = {}
        self._label_width.clear()
        self._header_pixmap = None

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._style = None
        if event.type() == QEvent.Type.FontChange:
            self._set_fonts()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._style is None:
            self._style = TimelineStyle(self.palette())
        st = self._style
        vp = self.viewport
        marks = self.data.marks(vp.start, vp.end)
        if marks is not None:
            self._frame = None
            p = QPainter(self)
            self._paint_frame(p, st, marks, QRectF(event.rect()))
            p.end()
            return
        # Zoomed out, a frame shows densities only: nothing in it depends on the selected or
        # hovered event, so selecting one repaints from the last frame while the view stays.
        key = self._density_frame_key(st)
        if self._frame is None or self._frame.key != key:
            ratio = self.devicePixelRatioF()
            pix = QPixmap(round(self.width() * ratio), round(self.height() * ratio))
            pix.setDevicePixelRatio(ratio)
            p = QPainter(pix)
            p.setFont(self.font())
            p.setPen(self.palette().color(self.foregroundRole()))
            self._paint_frame(p, st, None, QRectF(self.rect()))
            p.end()
            self._frame = _Frame(
                key,
                (st, self.data.density, self.data.phases, self._statics),
                pix,
                self._headers,
                self._density_frame,
                self._axis,
            )
        frame = self._frame
        self._hits, self._badges = [], []
        self._headers = frame.headers
        self._density_frame = frame.density
        self._axis = frame.axis
        p = QPainter(self)
        p.drawPixmap(0, 0, frame.pixmap)
        p.end()

    def _density_frame_key(self, st: TimelineStyle) -> tuple[object, ...]:
        """Everything a density frame depends on. Objects appear by id: the frame keeps them
        alive (:attr:`_Frame.keep`), so an id cannot be reused while it is cached."""
        vp = self.viewport
        return (
            self.width(),
            self.height(),
            self.devicePixelRatioF(),
            vp.start,
            vp.end,
            self.julian,
            self.date_filter,
            frozenset(self.collapsed),
            self.data.mode,
            id(st),
            id(self.data.density),
            id(self.data.phases),
            id(self._statics),  # fonts
        )

    def _paint_frame(
        self, p: QPainter, st: TimelineStyle, marks: list[EventMark] | None, dirty: QRectF
    ) -> None:
        """Everything, though Qt keeps only what falls in ``dirty``: lanes of marks outside
        it are not drawn (their hit areas are still collected)."""
        p.fillRect(self.rect(), st.base)
        self._hits = []
        self._headers = []
        self._badges = []
        self._density_frame = None
        geometry = self.lane_geometry()
        self._axis = self.axis()
        self._paint_phases(p, st)
        self._paint_lane_backgrounds(p, st, geometry)
        self._paint_grid(p, st)
        p.setClipRect(QRectF(HEADER_W, self.lanes_top, self.content_width, self.height()))
        if marks is None:
            self._paint_density(p, st, geometry)
        else:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._paint_marks(p, st, geometry, marks, dirty)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.setClipping(False)
        self._paint_filter_shade(p, st)
        self._paint_headers(p, st, geometry)
        if dirty.top() < self._axis_h:
            self._paint_axis(p, st)

    def _paint_phases(self, p: QPainter, st: TimelineStyle) -> None:
        """Bands of the innermost phases behind the lanes; every phase named in the strip."""
        layout = self.phase_layout
        if not layout.rows:
            return
        left, right = self.content_left, float(self.width())
        top = float(self._axis_h)
        height = self.height() - top
        for first, last, hues in layout.segments:
            x0 = max(left, self.x_of(first))
            x1 = min(right, self.x_of(last + 1))
            if x1 > x0:
                p.fillRect(QRectF(x0, top, x1 - x0, height), st.phase_band(hues))
        p.setFont(self._small)
        align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        for ph, row, hue in layout.placed:
            x0 = max(left, self.x_of(ph.earliest))
            x1 = min(right, self.x_of(ph.latest + 1))
            if x1 <= x0:
                continue
            y = top + row * self._phase_row_h
            fill = st.phase_color(hue, True) if hue is not None else st.grid_major
            p.fillRect(QRectF(x0, y + 1, x1 - x0 - 1, self._phase_row_h - 2), fill)
            text_w = x1 - x0 - 8
            if text_w > 12:
                title = self._elided(ph.title, text_w, "small")
                p.setPen(st.text)
                p.drawText(QRectF(x0 + 4, y, text_w, self._phase_row_h), align, title)

    def _paint_lane_backgrounds(
        self, p: QPainter, st: TimelineStyle, geometry: list[tuple[float, float]]
    ) -> None:
        p.setPen(st.grid_major)
        w = float(self.width())
        p.drawLines([QLineF(0, top + h - 0.5, w, top + h - 0.5) for top, h in geometry])

    def _paint_grid(self, p: QPainter, st: TimelineStyle) -> None:
        assert self._axis is not None
        top, bottom = self.lanes_top, float(self.height())
        left = self.content_left
        minor: list[QLineF] = []
        major: list[QLineF] = []
        for t in self._axis.ticks:
            x = round(self.x_of(t.day)) + 0.5
            if x >= left:
                (major if t.major else minor).append(QLineF(x, top, x, bottom))
        for ctx in self._axis.context:
            x = round(self.x_of(ctx.day)) + 0.5
            if x >= left:
                major.append(QLineF(x, top, x, bottom))
        if minor:
            p.setPen(st.grid)
            p.drawLines(minor)
        if major:
            p.setPen(st.grid_major)
            p.drawLines(major)
        if self.julian:
            x = self.x_of(NEW_STYLE_START)
            if left <= x <= self.width():
                pen = QPen(st.mid_text, 1, Qt.PenStyle.DashLine)
                p.setPen(pen)
                p.drawLine(QPointF(x, self._axis_h - 14), QPointF(x, bottom))

    def _paint_axis(self, p: QPainter, st: TimelineStyle) -> None:
        assert self._axis is not None
        p.fillRect(QRectF(0, 0, self.width(), self._axis_h), st.header)
        p.setPen(st.grid_major)
        p.drawLine(QPointF(0, self._axis_h - 0.5), QPointF(self.width(), self._axis_h - 0.5))
        left, right = self.content_left, float(self.width())
        p.setFont(self._font)
        fm = self._fm
        baseline = self._axis_h - 2.0 - self._fm.descent() - 2.0
        for t in self._axis.ticks:
            x = self.x_of(t.day)
            if x < left - 40 or x > right + 40:
                continue
            p.setPen(st.mid_text)
            if left <= x:
                p.drawLine(QPointF(x, self._axis_h - 4), QPointF(x, self._axis_h))
            if t.label:
                w = fm.horizontalAdvance(t.label)
                if x - w / 2 >= left:
                    p.setPen(st.text)
                    self._draw_static(p, x - w / 2, baseline, t.label, "normal")
        # Context row: the enclosing year or month, the first one sticky at the left edge.
        ctx = self._axis.context
        p.setFont(self._bold)
        cfm = QFontMetricsF(self._bold)
        y = 2.0 + self._fm_bold.ascent()
        for i, t in enumerate(ctx):
            x = self.x_of(t.day)
            w = cfm.horizontalAdvance(t.label)
            nxt = self.x_of(ctx[i + 1].day) if i + 1 < len(ctx) else math.inf
            if nxt < left:
                continue
            lx = max(x + 4, left + 4)
            lx = min(lx, nxt - w - 8)
            if lx < left + 4 or lx > right:
                continue  # pushed off by the next one: a clipped year or month reads wrong
            p.setPen(st.text)
            p.save()
            p.setClipRect(QRectF(left, 0, right - left, self._axis_h))
            self._draw_static(p, lx, y, t.label, "bold")
            p.restore()
            if left <= x <= right:
                p.setPen(st.grid_major)
                p.drawLine(QPointF(x, 2), QPointF(x, self._axis_h))
        # The corner above the lane headers says which calendar the axis uses.
        p.fillRect(QRectF(0, 0, HEADER_W, self._axis_h), st.header)
        p.setFont(self._small)
        p.setPen(st.mid_text)
        note = "Julian before 14 Feb 1918" if self.julian else "Gregorian (new style)"
        p.drawText(
            QRectF(6, 0, HEADER_W - 8, self._axis_h),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap,
            note,
        )
        if self._phase_rows():
            p.drawText(
                QRectF(6, self._axis_h, HEADER_W - 8, self._phase_row_h),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                "Phases",
            )

    def _paint_headers(
        self, p: QPainter, st: TimelineStyle, geometry: list[tuple[float, float]]
    ) -> None:
        """The lane header column, from a pixmap redrawn only when lanes or their sizes change."""
        self._headers = [
            (QRectF(0, top, HEADER_W - 1, h), i) for i, (top, h) in enumerate(geometry)
        ]
        key = (
            id(self.data.density.lanes),
            tuple(geometry),
            frozenset(self.collapsed),
            self.height(),
            id(st),
            self.devicePixelRatioF(),
        )
        if self._header_pixmap is None or self._header_pixmap[0] != key:
            ratio = self.devicePixelRatioF()
            pix = QPixmap(round(HEADER_W * ratio), round(self.height() * ratio))
            pix.setDevicePixelRatio(ratio)
            pix.fill(st.header)
            hp = QPainter(pix)
            self._draw_headers(hp, st, geometry)
            hp.end()
            self._header_pixmap = (key, pix)
        top = self.lanes_top
        p.drawPixmap(
            QRectF(0, top, HEADER_W, self.height() - top),
            self._header_pixmap[1],
            QRectF(
                0,
                top * self.devicePixelRatioF(),
                HEADER_W * self.devicePixelRatioF(),
                (self.height() - top) * self.devicePixelRatioF(),
            ),
        )

    def _draw_headers(
        self, p: QPainter, st: TimelineStyle, geometry: list[tuple[float, float]]
    ) -> None:
        lanes = self.data.density.lanes
        p.setPen(st.grid_major)
        p.drawLine(QPointF(HEADER_W - 0.5, self._axis_h), QPointF(HEADER_W - 0.5, self.height()))
        p.drawLines([QLineF(0, top + h - 0.5, HEADER_W, top + h - 0.5) for top, h in geometry])
        for (top, h), lane in zip(geometry, lanes, strict=True):
            collapsed = lane.key in self.collapsed
            p.setPen(st.mid_text)
            p.setFont(self._small)
            arrow = "▸" if collapsed else "▾"
            row = QRectF(4, top, HEADER_W - 8, min(h, self._row_h + 2))
            p.drawText(row, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, arrow)
            count = f"{lane.count:,}"
            cw = self._fm_small.horizontalAdvance(count)
            p.drawText(row, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, count)
            p.setPen(st.text)
            p.setFont(self._font)
            name = self._fm.elidedText(lane.label, Qt.TextElideMode.ElideRight, HEADER_W - 28 - cw)
            p.drawText(
                row.adjusted(14, 0, 0, 0),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                name,
            )

    def _paint_filter_shade(self, p: QPainter, st: TimelineStyle) -> None:
        first, last = self.date_filter
        top = self.lanes_top
        veil = st.overlay(0.6)
        if first is not None:
            x = min(float(self.width()), self.x_of(first))
            if x > HEADER_W:
                p.fillRect(QRectF(HEADER_W, top, x - HEADER_W, self.height() - top), veil)
        if last is not None:
            x = max(float(HEADER_W), self.x_of(last + 1))
            if x < self.width():
                p.fillRect(QRectF(x, top, self.width() - x, self.height() - top), veil)

    def _paint_marks(
        self,
        p: QPainter,
        st: TimelineStyle,
        geometry: list[tuple[float, float]],
        marks: list[EventMark],
        dirty: QRectF,
    ) -> None:
        """Single events: points, bars and faded extents, labelled where there is room.

        Each lane's layout is kept (:meth:`_lane_frame`): selecting an event re-lays out only
        the lanes holding the previous and the new selection.
        """
        n_lanes = len(geometry)
        lanes = self.data.density.lanes
        per_lane: list[list[EventMark]] = [[] for _ in range(n_lanes)]
        for m in marks:
            if m.lane < n_lanes:
                per_lane[m.lane].append(m)
        dim_focus = not self.data.focus.is_empty()
        extents: dict[tuple[str, bool], list[QRectF]] = {}
        bars: dict[tuple[str, bool], list[QRectF]] = {}
        points: dict[tuple[str, bool, float], list[QPointF]] = {}
        labels: list[tuple[QRectF, str, QColor, bool, bool]] = []
        on_top: list[tuple[str, QRectF]] = []
        cache: dict[int, tuple[tuple[object, ...], _LaneFrame]] = {}
        for lane_i, lane_marks in enumerate(per_lane):
            if not lane_marks:
                continue
            collapsed = lanes[lane_i].key in self.collapsed
            frame = self._lane_frame(
                st, lane_i, geometry[lane_i], collapsed, dim_focus, tuple(lane_marks), cache
            )
            self._hits.extend(frame.hits)
            top, h = geometry[lane_i]
            if top >= dirty.bottom() or top + h <= dirty.top():
                continue  # not repainted: Qt would clip all of it away
            for key, rects in frame.extents.items():
                extents.setdefault(key, []).extend(rects)
            for key, rects in frame.bars.items():
                bars.setdefault(key, []).extend(rects)
            for pkey, centres in frame.points.items():
                points.setdefault(pkey, []).extend(centres)
            labels.extend(frame.labels)
            on_top.extend(frame.on_top)
        self._lane_cache = cache
        # Rectangles are axis-aligned: antialiasing them only costs time. Dots need it.
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for (kind, faded), rects in extents.items():
            fill = QColor(st.kind_color(kind))
            fill.setAlphaF(0.07 if faded else 0.22)
            p.setPen(st.kind_color(kind, 0.2 if faded else 0.6))
            p.setBrush(fill)
            p.drawRects([rect.adjusted(0.5, 0.5, -0.5, -0.5) for rect in rects])
        p.setPen(Qt.PenStyle.NoPen)
        for (kind, faded), rects in bars.items():
            p.setBrush(st.kind_color(kind, 0.25 if faded else 0.9))
            p.drawRects(rects)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for (kind, faded, radius), centres in points.items():
            # One call per colour: a round-capped pen as wide as the dot draws each point.
            pen = QPen(st.kind_color(kind, 0.25 if faded else 1.0), 2 * radius)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            p.setPen(pen)
            p.drawPoints(centres)
        self._paint_long_badges(p, st, geometry)
        labels.sort(key=lambda label: label[3])  # the selected event's title last, on top
        for rect, text, color, bold, inside in labels:
            fm = self._fm_bold if bold else self._fm
            if bold and not inside:
                # The selected event's label may cross others: give it a backing.
                p.fillRect(rect.adjusted(-2, 2, 2, -2), st.base)
            p.setPen(color)
            if self._text_width(text, bold) > rect.width():
                text = self._elided(text, rect.width(), "bold" if bold else "normal")
            baseline = rect.center().y() + (fm.ascent() - fm.descent()) / 2
            self._draw_static(p, rect.x(), baseline, text, "bold" if bold else "normal")
        for event_id, rect in on_top:
            pen = QPen(st.highlight if event_id == self.current else st.mid_text, 2.0)
            p.setPen(pen)
            p.drawRoundedRect(rect.adjusted(-2.5, -2.5, 2.5, 2.5), 3, 3)

    def _lane_frame(
        self,
        st: TimelineStyle,
        lane_i: int,
        geometry: tuple[float, float],
        collapsed: bool,
        dim_focus: bool,
        lane_marks: tuple[EventMark, ...],
        cache: dict[int, tuple[tuple[object, ...], _LaneFrame]],
    ) -> _LaneFrame:
        """One lane's marks, labels and hit areas, reused while nothing they depend on changed."""
        ids = [m.id for m in lane_marks]
        current = self.current if self.current in ids else None
        hover = self._hover if self._hover in ids else None
        key = (
            lane_marks,
            geometry,
            collapsed,
            dim_focus,
            current,
            hover,
            self.viewport.start,
            self.viewport.end,
            self.width(),
            id(st),
            id(self._statics),  # fonts
        )
        kept = self._lane_cache.get(lane_i)
        if kept is not None and kept[0] == key:
            cache[lane_i] = kept
            return kept[1]
        frame = _LaneFrame()
        left, right = self.content_left, float(self.width())
        px_per_day = self.content_width / self.viewport.length
        start = self.viewport.start
        top, h = geometry
        rows = 1 if collapsed else max(1, int((h - 2) // self._row_h))
        items: list[tuple[float, float, float, bool]] = []
        force = None
        for k, m in enumerate(lane_marks):
            x0 = left + (m.earliest - start) * px_per_day
            x1 = left + (m.latest + 1 - start) * px_per_day
            point = m.precision == "day" and m.latest == m.earliest
            if point:
                xc = (x0 + x1) / 2
                x0, x1 = xc - POINT_R, xc + POINT_R
            elif x1 - x0 < 3:
                xc = (x0 + x1) / 2
                x0, x1 = xc - 1.5, xc + 1.5
            bold = m.id == self.current
            tw = 0.0 if collapsed else min(MAX_LABEL_W, self._text_width(m.title, bold))
            items.append((x0, x1, tw, point))
            if m.id == self.current:
                force = k
        placed = layout_lane(items, rows, left, right, force, labels=not collapsed)
        r = POINT_R if not collapsed else 2.5
        bh = 8.0 if not collapsed else 5.0
        for m, pl in zip(lane_marks, placed, strict=True):
            y = top + h / 2 if collapsed else top + 2 + pl.row * self._row_h + self._row_h / 2
            # Out of focus when filtering; or rejected by the reviewer and shown dimmed.
            faded = not m.focus and (dim_focus or self.data.review.dimmed(m.id))
            x0, x1 = pl.x0, pl.x1
            if m.precision == "day" and m.latest == m.earliest:
                xc = (x0 + x1) / 2
                x0, x1 = xc - r, xc + r
                frame.points.setdefault((m.kind, faded, r), []).append(QPointF(xc, y))
                y0, y1 = y - r, y + r
            else:
                y0, y1 = y - bh / 2, y + bh / 2
                # A stated range is solid; a date known only to the month, season or
                # year is a translucent, outlined extent.
                group = frame.bars if m.precision == "day" else frame.extents
                group.setdefault((m.kind, faded), []).append(QRectF(x0, y0, x1 - x0, bh))
            hx0, hy0, hx1, hy1 = x0 - 2, y0 - 3, x1 + 2, y1 + 3
            if pl.label_x is not None:
                lrect = QRectF(pl.label_x, y - self._row_h / 2, pl.label_w + 1, self._row_h)
                if pl.inside and m.precision == "day" and not faded:
                    tc = st.base if st.dark else QColor("white")
                else:  # beside the mark, or inside a faded (translucent) one
                    tc = st.faint_text if faded else st.text
                frame.labels.append((lrect, m.title, tc, m.id == self.current, pl.inside))
                hx1 = max(hx1, pl.label_x + pl.label_w + 1)
                hy0, hy1 = min(hy0, y - self._row_h / 2), max(hy1, y + self._row_h / 2)
            if m.id == self.current or m.id == self._hover:
                frame.on_top.append((m.id, QRectF(x0, y0, x1 - x0, y1 - y0)))
            frame.hits.append(
                _Hit(
                    QRectF(hx0, hy0, hx1 - hx0, hy1 - hy0),
                    m.id,
                    m.earliest,
                    m.latest,
                    1,
                    lane_i,
                )
            )
        cache[lane_i] = (key, frame)
        return frame

    def _paint_long_badges(
        self, p: QPainter, st: TimelineStyle, geometry: list[tuple[float, float]]
    ) -> None:
        """Per lane, how many events spanning far more than the view were left out of it."""
        counts = self.data.long_counts
        if not counts:
            return
        right = float(self.width()) - 4
        fm = self._fm_small
        for lane, ((top, h), n) in enumerate(zip(geometry, counts, strict=False)):
            if not n or self.data.density.lanes[lane].key in self.collapsed:
                continue
            text = f"+{_short_count(n)} longer"
            w = fm.horizontalAdvance(text) + 8
            rect = QRectF(right - w, top + h - fm.height() - 3, w, fm.height() + 2)
            p.fillRect(rect, st.header)
            p.setPen(st.mid_text)
            self._draw_static(p, rect.x() + 4, rect.bottom() - 1 - fm.descent(), text, "small")
            self._badges.append((rect, lane, n))

    def _paint_density(
        self, p: QPainter, st: TimelineStyle, geometry: list[tuple[float, float]]
    ) -> None:
        """Per-lane histograms of event midpoints, with a count over each stretch of them.

        Cost is per bin and per lane (pixels), never per event. Hit-testing reads the same
        bins later (:meth:`_density_hit`), so painting stores no per-cluster objects.
        """
        left, width = self.content_left, self.content_width
        n_bins = max(1, int(width // BIN_PX))
        vp = self.viewport
        edges = [math.floor(vp.start + i * BIN_PX * vp.length / width) for i in range(n_bins + 1)]
        edges[-1] = max(edges[-1], math.ceil(vp.end))
        focus = self.data.density.focus is not None
        per_lane = self.data.bin_counts(edges)
        per_lane_focus = self.data.bin_counts(edges, True) if focus else None
        self._density_frame = (edges, per_lane, geometry)
        peak = max((max(b) for b in per_lane if b), default=0) or 1
        kind_mode = self.data.mode == "kind"
        p.setFont(self._small)
        digit_w = self._fm_small.horizontalAdvance("0")
        p.setPen(Qt.PenStyle.NoPen)
        sqrt = math.sqrt
        labels: list[tuple[QPointF, str]] = []
        for i, (top, h) in enumerate(geometry):
            lane = self.data.density.lanes[i]
            counts = per_lane[i]
            collapsed = lane.key in self.collapsed
            base = top + h - 1
            scale = (h - (4 if collapsed else 16)) / sqrt(peak)
            layers = [(counts, 0.3 if focus else 0.75)]
            if per_lane_focus is not None:
                layers.append((per_lane_focus[i], 0.9))
            rows = max(1, int(h - (3 if collapsed else 15)))
            for values, alpha in layers:
                color = st.kind_color(lane.key, alpha) if kind_mode else st.neutral_color(alpha)
                image = histogram_image(values, rows, scale, color)
                if image is not None:
                    p.drawImage(QRectF(left, base - rows, n_bins * BIN_PX, rows), image)
            if collapsed:
                continue
            # Counts over fixed windows of the lane, centred on the events they count.
            for w0 in range(0, n_bins, CLUSTER_BINS):
                window = counts[w0 : w0 + CLUSTER_BINS]
                total = sum(window)
                if not total:
                    continue
                filled = [k for k, c in enumerate(window) if c]
                centre = left + (w0 + (filled[0] + filled[-1] + 1) / 2) * BIN_PX
                text = _short_count(total)
                labels.append((QPointF(centre - len(text) * digit_w / 2, top + 11), text))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(st.mid_text)
        for pos, text in labels:
            self._draw_static(p, pos.x(), pos.y(), text, "small")

    def _density_hit(self, pos: QPointF) -> _Hit | None:
        """The cluster under a point of the last density frame: its window's days and count."""
        if self._density_frame is None or pos.x() < HEADER_W:
            return None
        edges, per_lane, geometry = self._density_frame
        lane = next((i for i, (top, h) in enumerate(geometry) if top <= pos.y() < top + h), None)
        if lane is None:
            return None
        b = int((pos.x() - HEADER_W) // BIN_PX)
        if not 0 <= b < len(per_lane[lane]):
            return None
        w0 = b - b % CLUSTER_BINS
        w1 = min(len(per_lane[lane]), w0 + CLUSTER_BINS)
        total = sum(per_lane[lane][w0:w1])
        if not total:
            return None
        top, h = geometry[lane]
        rect = QRectF(HEADER_W + w0 * BIN_PX, top, (w1 - w0) * BIN_PX, h)
        return _Hit(rect, None, edges[w0], edges[w1] - 1, total, lane)

    # --- input -----------------------------------------------------------
    def hit_at(self, pos: QPointF) -> _Hit | None:
        for hit in reversed(self._hits):
            if hit.rect.contains(pos):
                return hit
        return self._density_hit(pos)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        pixel = event.pixelDelta()
        x = event.position().x()
        if abs(delta.x()) > abs(delta.y()) or event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            d = pixel.x() or pixel.y() or (delta.x() or delta.y()) / 4
            self.pan_pixels(float(d))
        elif delta.y():
            self.zoom(math.pow(1.0015, delta.y()), max(x, self.content_left))
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._flick.stop()
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        pos = event.position()
        if pos.x() < HEADER_W:
            for rect, lane in self._headers:
                if rect.contains(pos):
                    self.laneToggled.emit(lane)
                    return None
            return None
        self._press = pos
        self._press_range = (self.viewport.start, self.viewport.end)
        self._dragging = False
        self._velocity = 0.0
        self._last_x = pos.x()
        self._last_move.start()
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            if not self._dragging and abs(pos.x() - self._press.x()) >= DRAG_THRESHOLD:
                self._dragging = True
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
            if self._dragging:
                assert self._press_range is not None
                start, end = self._press_range
                days = (pos.x() - self._press.x()) * (end - start) / self.content_width
                self.viewport.set_range(start - days, end - days)
                elapsed = max(1, self._last_move.restart())
                v = (pos.x() - self._last_x) / elapsed
                self._velocity = 0.6 * v + 0.4 * self._velocity
                self._last_x = pos.x()
                self._changed()
            return
        hit = self.hit_at(pos)
        hover = hit.event_id if hit is not None else None
        if hover != self._hover:
            self._hover = hover
            self.setCursor(
                Qt.CursorShape.PointingHandCursor if hit is not None else Qt.CursorShape.ArrowCursor
            )
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return super().mouseReleaseEvent(event)
        pos = event.position()
        if self._dragging:
            self.unsetCursor()
            # A flick: keep gliding if the pointer was still moving when released.
            if abs(self._velocity) > 0.3 and self._last_move.elapsed() < 60:
                self._flick_clock.start()
                self._flick.start()
        else:
            hit = self.hit_at(pos)
            if hit is not None and hit.event_id is not None:
                self.eventActivated.emit(hit.event_id)
            elif hit is not None:
                # A cluster: zoom into its days.
                pad = max(1.0, (hit.last - hit.first) * 0.3)
                self.set_visible_range(hit.first - pad, hit.last + 1 + pad)
        self._press = None
        self._dragging = False
        return None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.position().x() >= HEADER_W and self.hit_at(event.position()) is None:
            self.zoom(2.0, event.position().x())

    @Slot()
    def _on_flick_timeout(self) -> None:
        dt = max(1, self._flick_clock.restart())
        self.pan_pixels(self._velocity * dt)
        self._velocity *= math.pow(0.94, dt / 16)
        if abs(self._velocity) < 0.02:
            self._flick.stop()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1.5)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom(1 / 1.5)
        elif key == Qt.Key.Key_Home:
            self.fit_all()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.stepRequested.emit(1 if key == Qt.Key.Key_Right else -1)
        else:
            super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QGestureEvent):
            pinch = event.gesture(Qt.GestureType.PinchGesture)
            if isinstance(pinch, QPinchGesture):
                if pinch.changeFlags() & QPinchGesture.ChangeFlag.ScaleFactorChanged:
                    centre = self.mapFromGlobal(pinch.centerPoint().toPoint())
                    self.zoom(pinch.scaleFactor(), float(centre.x()))
                event.accept()
                return True
        if (
            isinstance(event, QNativeGestureEvent)
            and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture
        ):
            # Trackpad pinch (macOS): value is the change of scale since the last event.
            self.zoom(1.0 + event.value(), event.position().x())
            return True
        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            tip = self._tooltip_at(QPointF(event.pos()))
            if tip is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), tip, self)
            return True
        return super().event(event)

    def _tooltip_at(self, pos: QPointF) -> str | None:
        """Tooltip text for an event mark, a cluster, a phase or a lane header."""
        for rect, _lane, n in self._badges:
            if rect.contains(pos):
                return (
                    f"{n:,} events in this lane span far more than the visible days "
                    "(dates known only to the month, season or year).<br>Zoom out to see them."
                )
        hit = self.hit_at(pos)
        if hit is not None:
            return self._tooltip(hit)
        if self._axis_h <= pos.y() < self.lanes_top and pos.x() >= HEADER_W:
            row = int((pos.y() - self._axis_h) // self._phase_row_h)
            day = self.day_at(pos.x())
            for ph, r, _hue in self.phase_layout.placed:
                if r == row and ph.earliest <= day < ph.latest + 1:
                    a = format_day(ph.earliest, self.julian)
                    b = format_day(ph.latest, self.julian)
                    return f"<b>{_esc(ph.title)}</b><br>{a} – {b}"
        if pos.x() < HEADER_W:
            lane = next((i for r, i in self._headers if r.contains(pos)), None)
            if lane is not None:
                info = self.data.density.lanes[lane]
                tip = f"<b>{_esc(info.label)}</b> — {info.count:,} events"
                if info.tooltip:
                    tip += f"<br>{_esc(info.tooltip)}"
                return tip + "<br><i>click to collapse or expand</i>"
        return None

    def _tooltip(self, hit: _Hit) -> str:
        if hit.event_id is None:
            a = format_day(hit.first, self.julian)
            b = format_day(hit.last, self.julian)
            return f"<b>{hit.count:,} events</b><br>{a} – {b}<br><i>click to zoom in</i>"
        info = self.data.info(hit.event_id)
        if info is None:
            return hit.event_id
        lines = [
            f"<b>{_esc(info.title)}</b>",
            f"{_esc(info.date_text)} <span style='color:gray'>({_esc(info.precision.replace('_', ' '))})</span>",
        ]
        if info.julian:
            lines.append(f"old style: {_esc(info.julian)}")
        if info.sources:
            lines.append("Sources: " + "; ".join(_esc(s) for s in info.sources))
        return "<br>".join(lines)


_ROW_TABLES: dict[int, list[bytes]] = {}


def histogram_image(values: list[int], rows: int, scale: float, color: QColor) -> QImage | None:
    """Bars of height ``scale * sqrt(count)`` as a ``len(values)`` x ``rows`` image, one pixel per bin.

    Built with ``bytes.translate`` row by row, so it costs a few C calls per row rather than
    a QRectF per bin; the painter scales it to the bins' width without smoothing.
    """
    if not any(values):
        return None
    rows = min(rows, 255)
    tables = _ROW_TABLES.get(rows)
    if tables is None:
        # Row y (0 = top) is filled where the bar height reaches it: height >= rows - y.
        tables = [bytes(1 if v >= rows - y else 0 for v in range(256)) for y in range(rows)]
        _ROW_TABLES[rows] = tables
    n = len(values)
    stride = (n + 3) & ~3  # QImage rows are 32-bit aligned
    sqrt = math.sqrt
    heights = bytes(min(rows, int(scale * sqrt(c)) + 1) if c else 0 for c in values)
    heights += bytes(stride - n)
    data = b"".join(heights.translate(t) for t in tables)
    image = QImage(data, n, rows, stride, QImage.Format.Format_Indexed8)
    image.setColorTable([0, color.rgba()])
    # Converting detaches from ``data`` (which Python may free), and a premultiplied image
    # draws several times faster than an indexed one.
    return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _short_count(n: int) -> str:
    if n >= 10000:
        return f"{n / 1000:.0f}k"
    if n >= 1000:
        return f"{n / 1000:.1f}k"
    return str(n)
