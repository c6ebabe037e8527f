"""Draw Chronoscope's application icon and write it as PNG, ICO (Windows) and ICNS (macOS).

Run once when the design changes: ``python packaging/make_icon.py``; the outputs are
committed under resources/icons/ so builds need no image tools.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"


def draw(size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 512
    frame = QPainterPath()
    frame.addRoundedRect(QRectF(24 * s, 24 * s, 464 * s, 464 * s), 96 * s, 96 * s)
    p.fillPath(frame, QColor("#1f3a5f"))
    # the timeline: an axis with ticks, a range bar and dated events
    p.setPen(QPen(QColor("#dbe4ee"), 14 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(92 * s, 300 * s), QPointF(420 * s, 300 * s))
    for x in (132, 212, 292, 372):
        p.drawLine(QPointF(x * s, 300 * s), QPointF(x * s, 326 * s))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#e8a33d"))
    p.drawRoundedRect(QRectF(150 * s, 236 * s, 150 * s, 30 * s), 15 * s, 15 * s)
    for x, colour in ((128, "#d9534f"), (334, "#5cb85c"), (392, "#5bc0de")):
        p.setBrush(QColor(colour))
        p.drawEllipse(QPointF(x * s, 251 * s), 24 * s, 24 * s)
    # the scope: a lens over the timeline
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(QColor("#ffffff"), 22 * s))
    p.drawEllipse(QPointF(230 * s, 200 * s), 92 * s, 92 * s)
    p.setPen(QPen(QColor("#ffffff"), 34 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(298 * s, 268 * s), QPointF(372 * s, 342 * s))
    p.end()
    return img


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - image plugins need an application
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw(512)
    ok = all(
        (
            draw(256).save(str(OUT / "chronoscope.png")),
            draw(256).save(str(OUT / "chronoscope.ico")),
            big.save(str(OUT / "chronoscope.icns")),
        )
    )
    print("wrote", ", ".join(sorted(p.name for p in OUT.iterdir())))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
