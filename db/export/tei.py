"""TEI P5 XML: each source's text with names and dates tagged inline, lists of people,
places, organisations and events in the header.

Each source's text is one ``<ab xml:space="preserve">`` so that the character
content of the element is exactly the normalized text: the inline tags sit at
the same offsets as the database's mentions and time expressions.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from db.export.data import ExportData, XEntity, day_text
from db.files import write_bytes_atomically

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_NAME_TAG = {
    "person": "persName",
    "place": "placeName",
}  # everything else is an organisation-like name


def _t(tag: str) -> str:
    return f"{{{TEI_NS}}}{tag}"


def _xml_id(entity_id: str) -> str:
    """A valid xml:id (an NCName) for an entity id."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in entity_id)
    return safe if safe[:1].isalpha() or safe[:1] == "_" else f"e_{safe}"


def _date_attrs(earliest: int, latest: int, precision: str) -> dict[str, str]:
    if earliest == latest or (precision in ("day",) and earliest == latest):
        return {"when": date.fromordinal(earliest).isoformat()}
    start, end = day_text(earliest, precision), day_text(latest, precision)
    if start == end:
        return {"when": start}
    return {
        "notBefore": date.fromordinal(earliest).isoformat(),
        "notAfter": date.fromordinal(latest).isoformat(),
    }


def _header(data: ExportData, tei: ET.Element, entities: list[XEntity]) -> None:
    header = ET.SubElement(tei, _t("teiHeader"))
    fd = ET.SubElement(header, _t("fileDesc"))
    ts = ET.SubElement(fd, _t("titleStmt"))
    ET.SubElement(ts, _t("title")).text = "Chronoscope chronology"
    ps = ET.SubElement(fd, _t("publicationStmt"))
    ET.SubElement(ps, _t("p")).text = "Exported from Chronoscope."
    sd = ET.SubElement(fd, _t("sourceDesc"))
    bibl = ET.SubElement(sd, _t("listBibl"))
    for s in data.sources:
        b = ET.SubElement(bibl, _t("bibl"), {XML_ID: _xml_id("src-" + s.id)})
        ET.SubElement(b, _t("title")).text = s.title
        if s.author:
            ET.SubElement(b, _t("author")).text = s.author
    people = ET.SubElement(sd, _t("listPerson"))
    places = ET.SubElement(sd, _t("listPlace"))
    orgs = ET.SubElement(sd, _t("listOrg"))
    for ent in entities:
        if ent.type == "person":
            el = ET.SubElement(people, _t("person"), {XML_ID: _xml_id(ent.id)})
            ET.SubElement(el, _t("persName")).text = ent.name
        elif ent.type == "place":
            el = ET.SubElement(places, _t("place"), {XML_ID: _xml_id(ent.id)})
            ET.SubElement(el, _t("placeName")).text = ent.name
            if ent.lat is not None and ent.lon is not None:
                loc = ET.SubElement(
                    el, _t("location"), {"precision": "low"} if ent.coord_approx else {}
                )
                ET.SubElement(loc, _t("geo")).text = f"{ent.lat} {ent.lon}"
        else:
            el = ET.SubElement(orgs, _t("org"), {XML_ID: _xml_id(ent.id), "type": ent.type})
            ET.SubElement(el, _t("orgName")).text = ent.name
        for alias in ent.aliases:
            if alias != ent.name:
                tag = _NAME_TAG.get(ent.type, "orgName")
                ET.SubElement(el, _t(tag), {"type": "alias"}).text = alias
        if ent.description:
            ET.SubElement(el, _t("note")).text = ent.description
    events = ET.SubElement(sd, _t("listEvent"))
    for ev in data.events:
        el = ET.SubElement(
            events,
            _t("event"),
            {
                XML_ID: _xml_id("ev-" + ev.id),
                "type": ev.kind,
                **_date_attrs(ev.earliest, ev.latest, ev.precision),
            },
        )
        ET.SubElement(el, _t("label")).text = ev.title
        who = " ".join("#" + _xml_id(e) for e in ev.actors)
        where = " ".join("#" + _xml_id(e) for e in ev.places)
        if who or where:
            desc = ET.SubElement(el, _t("desc"))
            if who:
                ET.SubElement(desc, _t("name"), {"ref": who}).text = "participants"
            if where:
                ET.SubElement(desc, _t("placeName"), {"ref": where}).text = "places"


def _inline(ab: ET.Element, text: str, spans: list[tuple[int, int, str, dict[str, str]]]) -> None:
    """Fill ``ab`` with ``text``, wrapping non-overlapping spans (longest first wins) in tags."""
    chosen: list[tuple[int, int, str, dict[str, str]]] = []
    last_end = -1
    for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if span[0] >= last_end and span[1] <= len(text) and span[0] < span[1]:
            chosen.append(span)
            last_end = span[1]
    pos = 0
    prev: ET.Element | None = None
    ab.text = ""
    for start, end, tag, attrs in chosen:
        gap = text[pos:start]
        if prev is None:
            ab.text += gap
        else:
            prev.tail = (prev.tail or "") + gap
        el = ET.SubElement(ab, _t(tag), attrs)
        el.text = text[start:end]
        prev = el
        pos = end
    if prev is None:
        ab.text += text[pos:]
    else:
        prev.tail = (prev.tail or "") + text[pos:]


def document(data: ExportData) -> ET.Element:
    ET.register_namespace("", TEI_NS)
    tei = ET.Element(_t("TEI"))
    entities = data.involved
    _header(data, tei, entities)
    text_el = ET.SubElement(tei, _t("text"))
    group = ET.SubElement(text_el, _t("group"))
    types = {e.id: e.type for e in entities}
    for src in data.sources:
        spans: list[tuple[int, int, str, dict[str, str]]] = []
        for ent in entities:
            for m in ent.mentions:
                if m.source == src.id:
                    spans.append(
                        (
                            m.start,
                            m.end,
                            _NAME_TAG.get(types[ent.id], "orgName"),
                            {"ref": "#" + _xml_id(ent.id)},
                        )
                    )
        for tx in data.timexes:
            if tx.source == src.id and tx.earliest is not None and tx.latest is not None:
                spans.append(
                    (tx.start, tx.end, "date", _date_attrs(tx.earliest, tx.latest, tx.precision))
                )
        inner = ET.SubElement(group, _t("text"), {XML_ID: _xml_id("text-" + src.id)})
        body = ET.SubElement(inner, _t("body"))
        div = ET.SubElement(
            body, _t("div"), {"type": "source", "source": "#" + _xml_id("src-" + src.id)}
        )
        ab = ET.SubElement(div, _t("ab"), {XML_SPACE: "preserve"})
        _inline(ab, src.text, spans)
    return tei


def write_tei(data: ExportData, out: Path) -> None:
    write_bytes_atomically(out, ET.tostring(document(data), encoding="utf-8", xml_declaration=True))
