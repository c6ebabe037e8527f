"""Render the kiosk's start view and a tour stop offscreen, for the docs.

    python -m desktop.kiosk.screenshots --db build/chronoscope.sqlite --out docs

writes ``kiosk-start.png`` (the welcome card over the start view) and
``kiosk-event.png`` (a key event selected, with its tour caption) at 1920x1080.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m desktop.kiosk.screenshots")
    p.add_argument("--db", type=Path, required=True, help="a built Chronoscope database")
    p.add_argument("--out", type=Path, default=Path("docs"))
    p.add_argument("--size", default="1920x1080")
    p.add_argument("--settings", type=Path, default=None, help="kiosk settings file")
    p.add_argument("--stop", type=int, default=0, help="which tour stop to show (0 = first)")
    p.add_argument("--dark", action="store_true")
    args = p.parse_args(argv)

    from desktop.app import create_application, parse_size

    app = create_application(offscreen=True, dark=args.dark)
    from db.database import readonly_engine
    from desktop.kiosk import enter_kiosk
    from desktop.mainwindow import MainWindow
    from desktop.selection import SelectionContext

    width, height = parse_size(args.size)
    engine = readonly_engine(args.db)
    window = MainWindow(engine, SelectionContext(), restore_state=False)
    window.resize(width, height)
    kiosk = enter_kiosk(window, args.settings, fullscreen=False, quit_app=lambda: None)
    kiosk.tour_timer.stop()
    kiosk.idle_timer.stop()
    args.out.mkdir(parents=True, exist_ok=True)

    def settle() -> None:
        for _ in range(4):
            app.processEvents()

    settle()
    kiosk.apply_layout()
    kiosk.place_caption()
    settle()
    start = args.out / "kiosk-start.png"
    window.grab().save(str(start))
    kiosk._tour_index = args.stop - 1
    kiosk.advance_tour()
    settle()
    if window.selection.event is not None:
        # Docks settle after the selection: scroll the text to the evidence again.
        window.selection.eventChanged.emit(window.selection.event, None)
    settle()
    event = args.out / "kiosk-event.png"
    window.grab().save(str(event))
    print(f"wrote {start} and {event} ({width}x{height})")
    kiosk.release()
    window.close()
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
