"""Widgets drawn over the kiosk window: the welcome/tour caption and the PIN pad.

Both are child widgets of the main window, not dialogs or windows of their own:
the kiosk blocks every dialog, and a child widget cannot be moved, minimised or
left behind when the window is full screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsDropShadowEffect,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.kiosk.settings import Labels

MAX_PIN = 12


def _label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class CaptionOverlay(QFrame):
    """A dark card with a heading, a headline, a line under it and a hint, over the text pane.

    It lets every touch through (transparent for mouse events): the controller's
    input guard sees the touch and ends the attract loop.
    """

    def __init__(self, parent: QWidget, font_pt: float) -> None:
        super().__init__(parent)
        self.setObjectName("kioskCaption")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(
            f"""
            #kioskCaption {{ background: rgba(22, 27, 34, 236); border-radius: 22px;
                             border: 2px solid rgba(242, 193, 78, 150); }}
            #kioskCaption QLabel {{ color: #f4f1ea; background: transparent; }}
            #kioskCaptionHeading {{ color: #f2c14e; font-size: {font_pt * 0.8:.1f}pt;
                                    font-weight: bold; letter-spacing: 1px; }}
            #kioskCaptionTitle {{ font-size: {font_pt * 1.9:.1f}pt; font-weight: bold; }}
            #kioskCaptionLine {{ font-size: {font_pt * 1.2:.1f}pt; color: #e8e2d4; }}
            #kioskCaptionHint {{ font-size: {font_pt * 0.9:.1f}pt; color: #b9c3cf; }}
            """
        )
        self.heading = _label(self, "kioskCaptionHeading")
        self.title = _label(self, "kioskCaptionTitle")
        self.line = _label(self, "kioskCaptionLine")
        self.hint = _label(self, "kioskCaptionHint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 26, 36, 26)
        layout.setSpacing(10)
        for w in (self.heading, self.title, self.line, self.hint):
            layout.addWidget(w)
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(40)
        shadow.setOffset(0, 8)
        self.setGraphicsEffect(shadow)
        self.hide()

    def show_caption(self, heading: str, title: str, line: str, hint: str) -> None:
        for label, text in (
            (self.heading, heading),
            (self.title, title),
            (self.line, line),
            (self.hint, hint),
        ):
            label.setText(text)
            label.setVisible(bool(text))
        self.setAccessibleName(title)
        self.show()
        self.raise_()

    def place(self, area: QWidget, *, narrow: bool = False, middle: bool = False) -> None:
        """Put the card over ``area`` (a widget inside the same window), at its foot or, with
        ``middle``, its centre; ``narrow`` fills the area's width instead of a wide card."""
        parent = self.parentWidget()
        assert parent is not None
        top_left = area.mapTo(parent, area.rect().topLeft())
        width = max(320, area.width() - 24) if narrow else max(480, min(area.width() - 48, 1100))
        self.setFixedWidth(width)
        # Wrapped labels need their height for this width, which adjustSize() does not ask.
        height = self.heightForWidth(width)
        self.setFixedHeight(height if height > 0 else self.sizeHint().height())
        x = top_left.x() + (area.width() - width) // 2
        if middle:
            y = top_left.y() + (area.height() - self.height()) // 2
        else:
            y = top_left.y() + area.height() - self.height() - (12 if narrow else 36)
        self.move(max(0, x), max(0, y))


class PinPad(QWidget):
    """A full-window veil with a keypad card: digits, Delete, OK, Cancel.

    Emits ``submitted(pin)`` on OK and ``cancelled()`` on Cancel; the controller
    decides whether the PIN is right and calls :meth:`reject` when it is not.
    """

    submitted = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget, labels: Labels, font_pt: float) -> None:
        super().__init__(parent)
        self.setObjectName("kioskPinPad")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._entered = ""
        key = max(96, round(font_pt * 6.2))
        self.setStyleSheet(
            f"""
            #kioskPinPad {{ background: rgba(10, 12, 16, 200); }}
            #kioskPinCard {{ background: palette(window); border-radius: 24px; }}
            #kioskPinCard QLabel {{ background: transparent; }}
            #kioskPinTitle {{ font-size: {font_pt * 1.3:.1f}pt; font-weight: bold; }}
            #kioskPinDots {{ font-size: {font_pt * 1.8:.1f}pt; letter-spacing: 6px; }}
            #kioskPinMessage {{ color: #c0392b; font-size: {font_pt:.1f}pt; font-weight: bold; }}
            #kioskPinCard QPushButton {{
                min-width: {key}px; min-height: {key}px; font-size: {font_pt * 1.5:.1f}pt;
                border-radius: 16px; border: 1px solid palette(mid); background: palette(button);
            }}
            #kioskPinCard QPushButton:pressed {{ background: palette(highlight);
                                                 color: palette(highlighted-text); }}
            #kioskPinCard QPushButton#kioskPinOk {{ background: #2f6fd6; color: white; }}
            #kioskPinCard QPushButton#kioskPinCancel {{ min-height: {round(key * 0.7)}px;
                                                        font-size: {font_pt * 1.1:.1f}pt; }}
            """
        )
        card = QFrame(self)
        card.setObjectName("kioskPinCard")
        card.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.title = _label(card, "kioskPinTitle")
        self.title.setText(labels["pin_title"])
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = _label(card, "kioskPinDots")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots.setAccessibleName("PIN entered")
        self.message = _label(card, "kioskPinMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._wrong_text = labels["pin_wrong"]

        grid = QGridLayout()
        grid.setSpacing(14)
        self.digit_buttons: dict[str, QPushButton] = {}
        for i, digit in enumerate("123456789"):
            self.digit_buttons[digit] = self._button(card, digit, f"kioskPin{digit}")
            grid.addWidget(self.digit_buttons[digit], i // 3, i % 3)
        self.delete_button = self._button(card, "⌫", "kioskPinDelete")
        self.delete_button.setAccessibleName(labels["pin_delete"])
        self.digit_buttons["0"] = self._button(card, "0", "kioskPin0")
        self.ok_button = self._button(card, labels["pin_ok"], "kioskPinOk")
        grid.addWidget(self.delete_button, 3, 0)
        grid.addWidget(self.digit_buttons["0"], 3, 1)
        grid.addWidget(self.ok_button, 3, 2)
        self.cancel_button = self._button(card, labels["pin_cancel"], "kioskPinCancel")

        inner = QVBoxLayout(card)
        inner.setContentsMargins(44, 36, 44, 36)
        inner.setSpacing(16)
        inner.addWidget(self.title)
        inner.addWidget(self.dots)
        inner.addWidget(self.message)
        inner.addLayout(grid)
        inner.addWidget(self.cancel_button)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        col = QVBoxLayout()
        col.addStretch(1)
        col.addWidget(card)
        col.addStretch(1)
        outer.addLayout(col)
        outer.addStretch(1)

        for digit, button in self.digit_buttons.items():
            button.clicked.connect(lambda _checked=False, d=digit: self.press(d))
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.ok_button.clicked.connect(self._on_ok_button_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        parent.installEventFilter(self)
        self.hide()

    def _button(self, parent: QWidget, text: str, name: str) -> QPushButton:
        b = QPushButton(text, parent)
        b.setObjectName(name)
        b.setAccessibleName(text)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.setAutoDefault(False)
        return b

    # --- API -----------------------------------------------------------------------
    @property
    def entered(self) -> str:
        return self._entered

    def open(self) -> None:
        self._entered = ""
        self.message.clear()
        self._update_dots()
        parent = self.parentWidget()
        assert parent is not None
        self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def press(self, digit: str) -> None:
        if len(self._entered) < MAX_PIN:
            self._entered += digit
            self.message.clear()
            self._update_dots()

    def reject(self) -> None:
        """The PIN was wrong: say so and start again."""
        self._entered = ""
        self.message.setText(self._wrong_text)
        self._update_dots()

    def _update_dots(self) -> None:
        self.dots.setText("●" * len(self._entered) if self._entered else "○ ○ ○ ○")

    # --- events ----------------------------------------------------------------------
    @Slot()
    def _on_delete_button_clicked(self) -> None:
        self._entered = self._entered[:-1]
        self._update_dots()

    @Slot()
    def _on_ok_button_clicked(self) -> None:
        self.submitted.emit(self._entered)

    @Slot()
    def _on_cancel_button_clicked(self) -> None:
        self.hide()
        self.cancelled.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit():
            self.press(text)
        elif event.key() == Qt.Key.Key_Backspace:
            self._on_delete_button_clicked()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_ok_button_clicked()
        event.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            parent = self.parentWidget()
            if parent is not None:
                self.setGeometry(parent.rect())
        return False
