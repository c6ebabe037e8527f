"""GraphML: the network of entities that take part in events together, for Gephi or NetworkX."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from itertools import combinations
from pathlib import Path

from db.export.data import ExportData, day_text
from db.files import write_bytes_atomically

NS = "http://graphml.graphdrawing.org/xmlns"

_KEYS = (
    # (id, for, attr.name, attr.type)
    ("label", "node", "label", "string"),
    ("type", "node", "type", "string"),
    ("events", "node", "events", "int"),
    ("lat", "node", "lat", "double"),
    ("lon", "node", "lon", "double"),
    ("weight", "edge", "weight", "int"),
    ("first", "edge", "first_date", "string"),
    ("last", "edge", "last_date", "string"),
    ("event_ids", "edge", "events", "string"),
)


def document(data: ExportData) -> ET.Element:
    weight: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], int] = {}
    last: dict[tuple[str, str], int] = {}
    event_ids: dict[tuple[str, str], list[str]] = {}
    node_events: Counter[str] = Counter()
    for ev in data.events:
        ids = sorted({e for e, _role in ev.participants})
        node_events.update(ids)
        for a, b in combinations(ids, 2):
            weight[(a, b)] += 1
            first[(a, b)] = min(first.get((a, b), ev.earliest), ev.earliest)
            last[(a, b)] = max(last.get((a, b), ev.latest), ev.latest)
            event_ids.setdefault((a, b), []).append(ev.id)
    root = ET.Element("graphml", {"xmlns": NS})
    for key_id, domain, name, typ in _KEYS:
        ET.SubElement(
            root, "key", {"id": key_id, "for": domain, "attr.name": name, "attr.type": typ}
        )
    graph = ET.SubElement(root, "graph", {"id": "chronoscope", "edgedefault": "undirected"})
    for ent in data.entities:
        if ent.id not in node_events:
            continue
        node = ET.SubElement(graph, "node", {"id": ent.id})
        ET.SubElement(node, "data", {"key": "label"}).text = ent.name
        ET.SubElement(node, "data", {"key": "type"}).text = ent.type
        ET.SubElement(node, "data", {"key": "events"}).text = str(node_events[ent.id])
        if ent.lat is not None and ent.lon is not None:
            ET.SubElement(node, "data", {"key": "lat"}).text = repr(ent.lat)
            ET.SubElement(node, "data", {"key": "lon"}).text = repr(ent.lon)
    known = {e.id for e in data.entities}
    for n, ((a, b), w) in enumerate(sorted(weight.items())):
        if a not in known or b not in known:
            continue
        edge = ET.SubElement(graph, "edge", {"id": f"e{n}", "source": a, "target": b})
        ET.SubElement(edge, "data", {"key": "weight"}).text = str(w)
        ET.SubElement(edge, "data", {"key": "first"}).text = day_text(first[(a, b)], "day")
        ET.SubElement(edge, "data", {"key": "last"}).text = day_text(last[(a, b)], "day")
        ET.SubElement(edge, "data", {"key": "event_ids"}).text = " ".join(event_ids[(a, b)])
    return root


def write_graphml(data: ExportData, out: Path) -> None:
    root = document(data)
    ET.indent(root)
    write_bytes_atomically(out, ET.tostring(root, encoding="utf-8", xml_declaration=True))
