"""The kiosk's look: a larger type scale and touch-sized controls, as one style sheet.

Sizes are in device-independent pixels, so 48 px is 48 px at 1x and scales with
the screen. Colours come from the palette (``palette(...)``) so the light and
dark palettes both still work.
"""

from __future__ import annotations

#: The smallest touch target, in device-independent pixels.
TOUCH = 48


def kiosk_stylesheet(font_pt: float) -> str:
    """The window's style sheet for body text of ``font_pt`` points."""
    big = font_pt * 1.55
    small = font_pt * 0.85
    return f"""
    QMainWindow::separator {{ width: 10px; height: 10px; background: palette(midlight); }}
    QToolBar {{ spacing: 12px; padding: 6px 12px; border: none; }}
    QStatusBar {{ font-size: {small:.1f}pt; }}

    QToolButton, QPushButton {{
        min-height: {TOUCH}px; min-width: {TOUCH}px; padding: 0px 18px;
        border: 1px solid palette(mid); border-radius: 12px; background: palette(button);
    }}
    QToolButton:pressed, QPushButton:pressed, QToolButton:checked, QPushButton:checked {{
        background: palette(highlight); color: palette(highlighted-text);
    }}
    QToolButton:disabled, QPushButton:disabled {{ color: palette(mid); }}
    QComboBox {{
        min-height: {TOUCH}px; padding: 0px 16px; border: 1px solid palette(mid);
        border-radius: 12px; background: palette(button);
    }}
    QComboBox::drop-down {{ width: {TOUCH}px; border: none; }}
    QComboBox QAbstractItemView::item {{ min-height: {TOUCH + 8}px; padding: 0px 12px; }}
    QLineEdit {{
        min-height: {TOUCH}px; padding: 0px 14px; border: 1px solid palette(mid);
        border-radius: 12px; background: palette(base);
    }}
    QLineEdit:focus {{ border: 2px solid palette(highlight); }}

    QTreeView#entityTree::item, QListView#entityEvents::item,
    QListView#sectionOutline::item {{ height: {TOUCH + 8}px; }}
    QListView#eventParticipants::item {{
        height: {TOUCH}px; padding: 0px 12px; border-radius: 10px;
    }}
    QTableView#eventAccounts::item {{ padding: 10px; }}
    QHeaderView::section {{
        min-height: 40px; padding: 6px 10px; border: none;
        border-bottom: 1px solid palette(mid); background: palette(window);
        font-weight: bold;
    }}
    QScrollBar:vertical {{ width: 14px; background: transparent; margin: 2px; }}
    QScrollBar:horizontal {{ height: 14px; background: transparent; margin: 2px; }}
    QScrollBar::handle {{ background: palette(mid); border-radius: 5px; min-height: 60px;
                         min-width: 60px; }}
    QScrollBar::add-line, QScrollBar::sub-line {{ width: 0px; height: 0px; }}
    QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}

    QLabel#eventTitle {{ font-size: {big:.1f}pt; font-weight: bold; }}
    QLabel#eventPlaceholder {{ font-size: {font_pt * 1.1:.1f}pt; }}
    QLabel#catalogueEntry {{ font-size: {small:.1f}pt; }}
    """
