"""Kiosk mode for museums: a locked full-screen touch interface over the main window.

``enter_kiosk(window, settings_path)`` turns an assembled
:class:`~desktop.mainwindow.MainWindow` into the kiosk and returns its
:class:`KioskController`. Settings: :mod:`desktop.kiosk.settings`; the running
kiosk and its guard: :mod:`desktop.kiosk.controller`; docs/kiosk.md for the
exit gesture and for running a kiosk on each OS.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop.kiosk.controller import KioskController
from desktop.kiosk.settings import KioskSettings, Labels, load_settings
from desktop.kiosk.tour import TourStop, tour_stops
from desktop.mainwindow import MainWindow

__all__ = [
    "KioskController",
    "KioskSettings",
    "Labels",
    "TourStop",
    "enter_kiosk",
    "load_settings",
    "tour_stops",
]


def enter_kiosk(
    window: MainWindow,
    settings_path: Path | None = None,
    *,
    fullscreen: bool = True,
    quit_app: Callable[[], None] | None = None,
) -> KioskController:
    """Lock ``window`` into the kiosk and show it full screen.

    ``settings_path`` overrides the kiosk.ini beside the executable, which
    overrides the bundled defaults. ``fullscreen=False`` keeps the window at its
    size (screenshots); ``quit_app`` replaces leaving the application after the
    right PIN (tests).
    """
    controller = KioskController(window, load_settings(settings_path), quit_app=quit_app)
    controller.install(fullscreen=fullscreen)
    return controller
