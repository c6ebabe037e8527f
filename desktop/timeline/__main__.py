"""Run the timeline pane on its own: ``python -m desktop.timeline --db FILE [--shot PNG]``.

For development and for the screenshots in docs/: ``--range 1918-03-01:1918-06-30``
sets the visible days, ``--dark`` uses a dark palette, ``--shot`` renders
offscreen to a PNG and exits.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication


def dark_palette() -> QPalette:
    pal = QPalette()
    roles = QPalette.ColorRole
    for role, color in (
        (roles.Window, "#2b2d30"),
        (roles.WindowText, "#dfe1e5"),
        (roles.Base, "#1e1f22"),
        (roles.AlternateBase, "#2b2d30"),
        (roles.Text, "#dfe1e5"),
        (roles.Button, "#3c3f41"),
        (roles.ButtonText, "#dfe1e5"),
        (roles.Highlight, "#3d8ee6"),
        (roles.HighlightedText, "#ffffff"),
        (roles.ToolTipBase, "#3c3f41"),
        (roles.ToolTipText, "#dfe1e5"),
    ):
        pal.setColor(role, QColor(color))
    pal.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor("#8a8d91"))
    pal.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor("#8a8d91"))
    return pal


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m desktop.timeline")
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--shot", type=Path)
    ap.add_argument("--range", help="FIRST:LAST as ISO dates")
    ap.add_argument("--size", default="1400x520")
    ap.add_argument("--mode", default="kind")
    ap.add_argument("--julian", action="store_true")
    ap.add_argument("--dark", action="store_true")
    ap.add_argument("--select", help="event id to select")
    args = ap.parse_args(argv)

    from db.database import readonly_engine
    from desktop.selection import SelectionContext
    from desktop.timeline import TimelinePane

    app = QApplication.instance() or QApplication(sys.argv)
    app.setStyle("Fusion")  # type: ignore[attr-defined]
    if args.dark:
        app.setPalette(dark_palette())  # type: ignore[attr-defined]
    selection = SelectionContext()
    pane = TimelinePane(readonly_engine(args.db), selection)
    w, h = (int(v) for v in args.size.split("x"))
    pane.resize(w, h)
    pane.set_lane_mode(args.mode)
    pane.set_julian(args.julian)
    if args.select:
        selection.set_event(args.select)
    if args.range:
        a, b = args.range.split(":")
        pane.set_visible_range(
            date.fromisoformat(a).toordinal(), date.fromisoformat(b).toordinal() + 1
        )
    if args.shot:
        pane.grab().save(str(args.shot))
        return 0
    pane.show()
    return int(app.exec())  # type: ignore[attr-defined,unused-ignore]


if __name__ == "__main__":
    sys.exit(main())
