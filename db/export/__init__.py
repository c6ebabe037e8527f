"""Exports of a database to the formats researchers' other tools read, honouring the filters.

``FORMATS`` maps a format name to a writer of :class:`~db.export.data.ExportData`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from db.export.data import ExportData, load
from db.export.geojson import write_geojson
from db.export.graphml import write_graphml
from db.export.json_export import write_json
from db.export.tables import write_csv
from db.export.tei import write_tei
from db.export.timelinejs import write_timelinejs
from db.export.webannotation import write_webannotation
from db.filters import Filters
from db.review import ReviewOverlay

Writer = Callable[[ExportData, Path], None]

FORMATS: dict[str, Writer] = {
    "json": write_json,
    "csv": write_csv,
    "timelinejs": write_timelinejs,
    "tei": write_tei,
    "graphml": write_graphml,
    "geojson": write_geojson,
    "webannotation": write_webannotation,
}

#: What each format writes, for the export dialog and --help.
DESCRIPTIONS: dict[str, str] = {
    "json": "Chronoscope JSON — complete and lossless (.json)",
    "csv": "CSV tables — events, entities, evidence, participants (folder)",
    "timelinejs": "TimelineJS3 — slides and eras for the web (.json)",
    "tei": "TEI P5 XML — texts with names and dates tagged (.xml)",
    "graphml": "GraphML — network of co-participating entities (.graphml)",
    "geojson": "GeoJSON — places and their events (.geojson)",
    "webannotation": "W3C Web Annotations — JSON-LD (.jsonld)",
}


def export(
    engine: Engine,
    fmt: str,
    out: Path,
    filters: Filters | None = None,
    review: ReviewOverlay | None = None,
) -> ExportData:
    """Write the database (restricted to ``filters``; with the reviewer's changes when
    ``review`` is given) to ``out`` in format ``fmt``."""
    try:
        writer = FORMATS[fmt]
    except KeyError:
        raise ValueError(
            f"unknown export format {fmt!r}; choose one of {', '.join(sorted(FORMATS))}"
        ) from None
    data = load(engine, filters, review)
    writer(data, Path(out))
    return data
