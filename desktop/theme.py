"""Look and feel: the bundled font, light and dark palettes, and the colours panes share.

Fusion everywhere, with our own palettes, so the app looks the same on every
OS and in offscreen screenshots; the system's colour scheme picks the palette
unless ``--dark``/``--light`` says otherwise. Scroll bars are drawn flat (a pill on
the window colour): Fusion's gradients took 0.6 ms per repaint, and every selection
moves two of them.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionComplex,
    QStyleOptionSlider,
    QWidget,
)

from db.resources import resource_path

FONT_FAMILY = "DejaVu Sans"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")

# Entity-type colours (mention underlines, tree icons), readable on both palettes.
ENTITY_COLOURS_LIGHT = {
    "person": "#1f6fd1",
    "place": "#1e8a3c",
    "polity": "#b0450c",
    "organisation": "#7a3fb8",
    "military_unit": "#b3261e",
    "group": "#8a6d00",
}
ENTITY_COLOURS_DARK = {
    "person": "#6aa8ff",
    "place": "#5fcf7c",
    "polity": "#ff9a57",
    "organisation": "#c49bff",
    "military_unit": "#ff7b72",
    "group": "#e3c455",
}


def load_fonts() -> str:
    """Register the bundled font and make it the application font; returns the family used."""
    family = FONT_FAMILY
    for name in FONT_FILES:
        path = resource_path("fonts", name)
        if path.is_file():
            QFontDatabase.addApplicationFont(str(path))
    if family not in QFontDatabase.families():
        return QApplication.font().family()
    font = QFont(family, 10)
    font.setHintingPreference(QFont.HintingPreference.PreferVerticalHinting)
    QApplication.setFont(font)
    return family


def system_prefers_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def is_dark() -> bool:
    """Whether the palette in use is dark (by its window colour)."""
    return QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def entity_colour(entity_type: str) -> QColor:
    table = ENTITY_COLOURS_DARK if is_dark() else ENTITY_COLOURS_LIGHT
    return QColor(table.get(entity_type, "#888888"))


def evidence_colour() -> QColor:
    """Background of evidence passages of the selected event."""
    return QColor("#5c4a12") if is_dark() else QColor("#ffe9a8")


def other_evidence_colour() -> QColor:
    """Faint background of evidence passages of other events (clickable)."""
    return QColor("#2c2f36") if is_dark() else QColor("#f1f3f6")


def current_evidence_colour() -> QColor:
    """The evidence passage the `n of N` navigation is on."""
    return QColor("#7a5d00") if is_dark() else QColor("#ffd65c")


def highlight_row_colour() -> QColor:
    """Rows of the entity tree that take part in the selected event."""
    return QColor("#4a3f14") if is_dark() else QColor("#fff1c2")


def repair_colour() -> QColor:
    """Dotted underline under characters normalization repaired."""
    return QColor("#9aa0a8") if is_dark() else QColor("#7a808a")


def difference_colour() -> QColor:
    """Account cells that disagree with another account."""
    return QColor("#5a2a2a") if is_dark() else QColor("#ffd9d4")


def _light() -> QPalette:
    p = QPalette()
    c = {
        QPalette.ColorRole.Window: "#f3f4f6",
        QPalette.ColorRole.WindowText: "#1d2125",
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#f6f7f9",
        QPalette.ColorRole.ToolTipBase: "#ffffe6",
        QPalette.ColorRole.ToolTipText: "#1d2125",
        QPalette.ColorRole.PlaceholderText: "#80868e",
        QPalette.ColorRole.Text: "#1d2125",
        QPalette.ColorRole.Button: "#eceef1",
        QPalette.ColorRole.ButtonText: "#1d2125",
        QPalette.ColorRole.BrightText: "#d0021b",
        QPalette.ColorRole.Highlight: "#2f6fd6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#1f5fbf",
        QPalette.ColorRole.LinkVisited: "#6a3fb0",
        QPalette.ColorRole.Light: "#ffffff",
        QPalette.ColorRole.Midlight: "#e4e6ea",
        QPalette.ColorRole.Mid: "#c4c8ce",
        QPalette.ColorRole.Dark: "#9aa0a8",
        QPalette.ColorRole.Shadow: "#60656c",
    }
    for role, col in c.items():
        p.setColor(role, QColor(col))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#9aa0a8"))
    return p


def _dark() -> QPalette:
    p = QPalette()
    c = {
        QPalette.ColorRole.Window: "#24272c",
        QPalette.ColorRole.WindowText: "#e3e5e8",
        QPalette.ColorRole.Base: "#1a1c20",
        QPalette.ColorRole.AlternateBase: "#202328",
        QPalette.ColorRole.ToolTipBase: "#2d3036",
        QPalette.ColorRole.ToolTipText: "#e3e5e8",
        QPalette.ColorRole.PlaceholderText: "#8b9098",
        QPalette.ColorRole.Text: "#e3e5e8",
        QPalette.ColorRole.Button: "#2f3238",
        QPalette.ColorRole.ButtonText: "#e3e5e8",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Highlight: "#3d7be0",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#7fb0ff",
        QPalette.ColorRole.LinkVisited: "#c49bff",
        QPalette.ColorRole.Light: "#3a3e45",
        QPalette.ColorRole.Midlight: "#33363c",
        QPalette.ColorRole.Mid: "#41454c",
        QPalette.ColorRole.Dark: "#15171a",
        QPalette.ColorRole.Shadow: "#0b0c0e",
    }
    for role, col in c.items():
        p.setColor(role, QColor(col))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b7078"))
    return p


_SCROLL_BAR = QStyle.ComplexControl.CC_ScrollBar
_SLIDER = QStyle.SubControl.SC_ScrollBarSlider
_ARROWS = (
    (QStyle.SubControl.SC_ScrollBarSubLine, QStyle.PrimitiveElement.PE_IndicatorArrowUp),
    (QStyle.SubControl.SC_ScrollBarAddLine, QStyle.PrimitiveElement.PE_IndicatorArrowDown),
)
_ARROWS_H = (
    (QStyle.SubControl.SC_ScrollBarSubLine, QStyle.PrimitiveElement.PE_IndicatorArrowLeft),
    (QStyle.SubControl.SC_ScrollBarAddLine, QStyle.PrimitiveElement.PE_IndicatorArrowRight),
)


class ChronoscopeStyle(QProxyStyle):
    """Fusion, with flat scroll bars: the same geometry (so clicks land where they did),
    a rounded slider in the text colour, translucent, darker while hovered or dragged."""

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if control != _SCROLL_BAR or not isinstance(option, QStyleOptionSlider):
            super().drawComplexControl(control, option, painter, widget)
            return
        pal = option.palette
        painter.fillRect(option.rect, pal.color(QPalette.ColorRole.Window))
        horizontal = option.orientation == Qt.Orientation.Horizontal
        if option.maximum > option.minimum:
            slider = QRectF(self.subControlRect(_SCROLL_BAR, option, _SLIDER, widget))
            r = slider.adjusted(1, 3, -1, -3) if horizontal else slider.adjusted(3, 1, -3, -1)
            colour = QColor(pal.color(QPalette.ColorRole.Text))
            active = bool(option.activeSubControls & _SLIDER)
            colour.setAlphaF(0.55 if active else 0.32)
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            radius = min(r.width(), r.height()) / 2
            painter.drawRoundedRect(r, radius, radius)
            painter.restore()
        for sub, arrow in _ARROWS_H if horizontal else _ARROWS:
            rect = self.subControlRect(_SCROLL_BAR, option, sub, widget)
            if rect.isEmpty():
                continue
            o = QStyleOption()
            o.rect = rect.adjusted(2, 2, -2, -2)
            o.palette = pal
            o.state = option.state
            self.proxy().drawPrimitive(arrow, o, painter, widget)


_style: QStyle | None = None


def apply_palette(dark: bool) -> None:
    """Switch the whole application to the light or dark palette."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    global _style
    _style = ChronoscopeStyle()  # kept referenced: the application does not own it in Python
    app.setStyle(_style)
    app.setPalette(_dark() if dark else _light())
    app.setProperty("chronoscopeDark", dark)
