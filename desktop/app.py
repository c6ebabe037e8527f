"""Application setup. (Placeholder window until the GUI issue lands.)"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel


def run(args: argparse.Namespace, database: Callable[[argparse.Namespace], Path]) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    path = database(args)
    label = QLabel(f"Chronoscope — {path}")
    label.resize(800, 600)
    if args.screenshot:
        label.grab().save(str(args.screenshot))
        return 0
    label.show()
    return app.exec()
