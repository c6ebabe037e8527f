"""The timeline pane: a custom-painted, zoomable, lane-based timeline of events.

Where things live:

* ``pane.py``      – :class:`TimelinePane`: toolbar (lanes, old style, fit, filter to view),
                     canvas and overview; the only part that talks to the selection context.
* ``canvas.py``    – the painted timeline (axis, phases, lane headers, marks or density) and
                     its input: wheel/pinch zoom at the pointer, drag and flick, keys, tooltips.
* ``overview.py``  – the strip of the whole span with the visible window (drag to pan; drag a
                     range to show it, with Shift to make it the date filter).
* ``data.py``      – what one frame needs from the database, cached; no Qt.
* ``axis.py``, ``calendar.py`` – tick choice without collisions; Gregorian/Julian dates.
* ``layout.py``    – rows and labels inside a lane; phase rows and bands. No Qt.
* ``viewport.py``, ``style.py`` – the visible range; palette-derived colours.
* ``__main__.py``  – ``python -m desktop.timeline --db FILE [--shot PNG]`` for screenshots.

Queries are in :mod:`db.timeline_query`. A frame never costs more than its pixels: beyond
:data:`~desktop.timeline.data.DETAIL_LIMIT` events in view, lanes show density histograms.
"""

from desktop.timeline.pane import TimelinePane

__all__ = ["TimelinePane"]
