"""The pinned Qt binding must not corrupt the interpreter.

PySide6 6.12.0 on CPython 3.11 drops a reference to None on every void Qt
call (and to True/False on signal emission); a few thousand calls later the
process aborts with "none_dealloc". The dependency pin avoids it; this test
fails if an upgrade brings it back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QRectF, Signal


class _Emitter(QObject):
    fired = Signal(bool)


def test_void_calls_and_signals_keep_singleton_refcounts():
    rect = QRectF()
    emitter = _Emitter()
    emitter.fired.connect(lambda _flag: None)
    before = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    for _ in range(2_000):
        rect.setWidth(1.0)
        emitter.fired.emit(True)
        emitter.fired.emit(False)
    after = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    # A few references may come and go with the interpreter's own work; a leak is thousands.
    assert all(abs(a - b) < 100 for a, b in zip(after, before, strict=True)), (before, after)
