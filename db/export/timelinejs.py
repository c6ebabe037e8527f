"""TimelineJS3 JSON: events as slides, phases as eras, so a museum can publish the chronology."""

from __future__ import annotations

import html
import json
from datetime import date
from pathlib import Path
from typing import Any

from db.export.data import ExportData, XEvent
from db.files import write_text_atomically


def _date_parts(day: int, precision: str) -> dict[str, Any]:
    d = date.fromordinal(day)
    parts: dict[str, Any] = {"year": d.year}
    if precision not in ("year", "decade", "century"):
        parts["month"] = d.month
        if precision in ("day", "part_of_month"):
            parts["day"] = d.day
    return parts


def _slide(ev: XEvent, titles: dict[str, str]) -> dict[str, Any]:
    # TimelineJS renders text as HTML: everything from the sources is escaped.
    accounts = "".join(
        f"<blockquote>{html.escape(x.text)}<cite>{html.escape(titles.get(x.source, x.source))}</cite></blockquote>"
        for x in ev.evidence
    )
    slide: dict[str, Any] = {
        "unique_id": ev.id,
        "start_date": _date_parts(ev.earliest, ev.precision),
        "text": {"headline": html.escape(ev.title), "text": accounts},
        "group": ev.kind,
        "display_date": ev.date_text or ev.start_text,
    }
    if ev.latest != ev.earliest:
        slide["end_date"] = _date_parts(ev.latest, ev.precision)
    return slide


def document(data: ExportData, title: str = "Chronoscope chronology") -> dict[str, Any]:
    titles = {s.id: s.title for s in data.sources}
    return {
        "title": {
            "text": {
                "headline": html.escape(title),
                "text": f"{len(data.events)} events from {len(data.sources)} sources",
            }
        },
        "events": [_slide(ev, titles) for ev in data.events],
        "eras": [
            {
                "start_date": _date_parts(ph.earliest, "day"),
                "end_date": _date_parts(ph.latest, "day"),
                "text": {"headline": html.escape(ph.title)},
            }
            for ph in data.phases
        ],
    }


def write_timelinejs(data: ExportData, out: Path) -> None:
    write_text_atomically(out, json.dumps(document(data), ensure_ascii=False, indent=1) + "\n")
