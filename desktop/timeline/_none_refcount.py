"""Work around a PySide6 6.12 bug on CPython 3.11: calls drop references to the singletons
``None``, ``True`` and ``False`` that they never took.

Every void Qt method (``QPainter.fillRect``, ``QWidget.update`` ...) drops a reference to
``None``, and ``Signal.emit`` one to ``True``. PySide6 6.12 appears to assume the immortal
singletons of Python 3.12+ (PEP 683). On 3.11 ``None``'s reference count starts near 5,000,
so a few frames of painting end the process with "Fatal Python error: none_dealloc"
(or ``bool_dealloc``).

The fix gives the three singletons what 3.12 gives them: a reference count that never reaches
zero. It runs only when the leak is measured and is a no-op on 3.12+. It belongs in application
setup; it lives here until the application adopts it (see the timeline issue's report).
"""

from __future__ import annotations

import ctypes
import sys


def singleton_refs_leak() -> bool:
    """Whether calling a void Qt method or emitting a signal lowers a singleton's reference count."""
    from PySide6.QtCore import QObject, QRectF, Signal

    class _Probe(QObject):
        ping = Signal()

    rect, probe = QRectF(), _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(16):
        rect.setWidth(1.0)
        probe.ping.emit()
    return sys.getrefcount(None) < none_before - 8 or sys.getrefcount(True) < true_before - 8


def make_none_immortal() -> bool:
    """Raise the singletons' reference counts out of reach if the leak is present. True if applied."""
    if sys.version_info >= (3, 12) or not singleton_refs_leak():
        return False
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40
    return True
