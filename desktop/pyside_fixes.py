"""Work-arounds for PySide6 bugs, applied once at application setup.

PySide6 6.12 on CPython 3.11 drops a reference to ``None`` on every call of a
void Qt method (and on ``QModelIndex.data()`` returning nothing): it assumes
the immortal ``None`` of Python 3.12+ (PEP 683). A few thousand painter calls
then end the process with "Fatal Python error: none_dealloc". We give ``None``
what 3.12 gives it, a reference count that never reaches zero. Found by the
timeline engineer (desktop/timeline/_none_refcount.py); adopted here.
"""

from __future__ import annotations

import ctypes
import sys


def void_calls_leak_none() -> bool:
    """Whether calling a void Qt method lowers None's reference count."""
    from PySide6.QtCore import QRectF

    rect = QRectF()
    before = sys.getrefcount(None)
    for _ in range(16):
        rect.setWidth(1.0)
    return sys.getrefcount(None) < before - 8


def make_none_immortal() -> bool:
    """Raise None's reference count out of reach if the leak is present. True if applied."""
    if sys.version_info >= (3, 12) or not void_calls_leak_none():
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
    return True
