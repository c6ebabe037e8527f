"""Every export format on the real corpus: valid by its own rules, faithful to the database, filtered."""

from __future__ import annotations

import csv
import json
import sqlite3
import xml.etree.ElementTree as ET
from datetime import date

import networkx as nx
import pytest

import main
from db.export import FORMATS, export
from db.export.data import load
from db.filters import Filters

TEI = "{http://www.tei-c.org/ns/1.0}"
APRIL_1920 = Filters(earliest=date(1920, 4, 1).toordinal(), latest=date(1920, 4, 30).toordinal())


@pytest.fixture(scope="module")
def data(built_db):
    from db.database import readonly_engine

    return load(readonly_engine(built_db))


def _export(engine, fmt, tmp_path, filters=None, name=None):
    out = tmp_path / (name or f"out.{fmt}")
    export(engine, fmt, out, filters)
    return out


def test_json_round_trips_and_matches_the_database(engine, tmp_path, built_db):
    doc = json.loads(_export(engine, "json", tmp_path).read_text(encoding="utf-8"))
    con = sqlite3.connect(built_db)
    assert len(doc["events"]) == con.execute("SELECT count(*) FROM event").fetchone()[0] > 100
    assert len(doc["entities"]) == con.execute("SELECT count(*) FROM entity").fetchone()[0] > 50
    texts = {s["id"]: s["text"] for s in doc["sources"]}
    for ev in doc["events"]:
        assert ev["precision"] in ("day", "part_of_month", "month", "season", "year")
        assert ev["evidence"]
        for x in ev["evidence"]:
            assert texts[x["source"]][x["start"] : x["end"]] == x["text"]
    ids = {e["id"] for e in doc["entities"]}
    assert all(p in ids for ev in doc["events"] for p in ev["participants"] + ev["places"])
    again = tmp_path / "again.json"
    again.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert json.loads(again.read_text(encoding="utf-8")) == doc


def test_csv_tables_link_by_id(engine, tmp_path):
    folder = _export(engine, "csv", tmp_path)

    def rows(name):
        with (folder / name).open(encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))

    events, entities, evidence, participants = (
        rows(n) for n in ("events.csv", "entities.csv", "evidence.csv", "participants.csv")
    )
    event_ids = {r["event_id"] for r in events}
    entity_ids = {r["entity_id"] for r in entities}
    assert events and evidence and participants
    assert {r["event_id"] for r in evidence} == event_ids
    assert {r["event_id"] for r in participants} <= event_ids
    assert {r["entity_id"] for r in participants} <= entity_ids


def test_timelinejs_has_its_documented_fields(engine, tmp_path, data):
    doc = json.loads(_export(engine, "timelinejs", tmp_path).read_text(encoding="utf-8"))
    assert len(doc["events"]) == len(data.events)
    ids = set()
    for slide in doc["events"]:
        assert isinstance(slide["start_date"]["year"], int)
        for part in ("start_date", "end_date"):
            if part in slide:
                assert set(slide[part]) <= {"year", "month", "day"}
                assert 1 <= slide[part].get("month", 1) <= 12
                assert 1 <= slide[part].get("day", 1) <= 31
        assert slide["text"]["headline"] and slide["group"] and slide["unique_id"]
        assert "<script" not in slide["text"]["text"]
        ids.add(slide["unique_id"])
    assert len(ids) == len(doc["events"])
    assert doc["eras"] and all("headline" in era["text"] for era in doc["eras"])


def test_tei_is_well_formed_and_inline_tags_sit_on_the_mentions(engine, tmp_path, data):
    root = ET.parse(_export(engine, "tei", tmp_path)).getroot()
    assert root.tag == f"{TEI}TEI"
    source_desc = root.find(f"{TEI}teiHeader/{TEI}fileDesc/{TEI}sourceDesc")
    for lst in ("listPerson", "listPlace", "listOrg", "listEvent"):
        assert len(source_desc.find(f"{TEI}{lst}")) > 0, lst
    texts = {s.id: s.text for s in data.sources}
    mentions = {(m.source, m.start, m.end) for e in data.involved for m in e.mentions}
    tagged = dates = 0
    for inner in root.iter(f"{TEI}text"):
        xml_id = inner.get("{http://www.w3.org/XML/1998/namespace}id")
        if not xml_id:
            continue
        source = xml_id.removeprefix("text-")
        ab = inner.find(f"{TEI}body/{TEI}div/{TEI}ab")
        assert "".join(ab.itertext()) == texts[source]
        pos = len(ab.text or "")
        for el in ab:
            end = pos + len(el.text or "")
            if el.tag in (f"{TEI}persName", f"{TEI}placeName", f"{TEI}orgName"):
                assert (source, pos, end) in mentions
                tagged += 1
            elif el.tag == f"{TEI}date":
                assert el.get("when") or (el.get("notBefore") and el.get("notAfter"))
                dates += 1
            pos = end + len(el.tail or "")
    assert tagged > 100 and dates > 100


def test_graphml_loads_in_networkx(engine, tmp_path):
    g = nx.read_graphml(_export(engine, "graphml", tmp_path))
    assert g.number_of_nodes() > 10 and g.number_of_edges() > 10
    _a, _b, attrs = next(iter(g.edges(data=True)))
    assert attrs["weight"] >= 1 and attrs["first_date"] <= attrs["last_date"]
    assert all("label" in d and "type" in d for _n, d in g.nodes(data=True))


def test_geojson_follows_rfc_7946(engine, tmp_path):
    doc = json.loads(_export(engine, "geojson", tmp_path).read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert doc["features"]
    for f in doc["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    shusha = next(f for f in doc["features"] if f["properties"]["name"] == "Shusha")
    lon, lat = shusha["geometry"]["coordinates"]
    assert 39.5 < lat < 40 and 46.5 < lon < 47  # longitude first
    assert any(f["properties"]["events"] for f in doc["features"])


def test_webannotation_targets_quote_the_text(engine, tmp_path, data):
    doc = json.loads(_export(engine, "webannotation", tmp_path).read_text(encoding="utf-8"))
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection"
    items = doc["first"]["items"]
    assert doc["total"] == len(items) > 0
    texts = {f"urn:chronoscope:source:{s.id}": s.text for s in data.sources}
    for item in items[:: max(1, len(items) // 200)]:
        assert item["type"] == "Annotation"
        quote, position = item["target"]["selector"]
        text = texts[item["target"]["source"]]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])


def test_every_format_honours_the_filters(engine, tmp_path, data):
    filtered = load(engine, APRIL_1920)
    assert 0 < len(filtered.events) < len(data.events)
    for ev in filtered.events:
        assert ev.latest >= APRIL_1920.earliest and ev.earliest <= APRIL_1920.latest
    for fmt in FORMATS:
        assert _export(engine, fmt, tmp_path, APRIL_1920, name=f"april.{fmt}").exists()
    doc = json.loads((tmp_path / "april.json").read_text(encoding="utf-8"))
    assert len(doc["events"]) == len(filtered.events)
    slides = json.loads((tmp_path / "april.timelinejs").read_text(encoding="utf-8"))["events"]
    assert {s["unique_id"] for s in slides} == {ev.id for ev in filtered.events}


def test_cli_export_with_filters_and_bad_arguments(built_db, tmp_path, capsys):
    out = tmp_path / "kind.json"
    args = [
        "export",
        "--db",
        str(built_db),
        "--format",
        "json",
        "--kind",
        "treaty",
        "--out",
        str(out),
    ]
    assert main.main(args) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["events"] and {e["kind"] for e in doc["events"]} == {"treaty"}
    assert (
        main.main(
            ["export", "--db", str(built_db), "--format", "pdf", "--out", str(tmp_path / "x")]
        )
        == 2
    )
    assert "unknown format 'pdf'" in capsys.readouterr().err
    assert (
        main.main(
            ["export", "--db", str(built_db), "--from", "1920-13", "--out", str(tmp_path / "y")]
        )
        == 2
    )
    assert "bad date" in capsys.readouterr().err
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


def test_export_as_reviewed_applies_the_workspace(built_db, tmp_path, capsys):
    """``export --workspace``: rejected events out, corrections in, the reviewer's own events
    with origin "user"; a missing workspace is refused and nothing is written."""
    from db.database import readonly_engine
    from db.workspace import AnnotationService, open_workspace
    from db.workspace.service import DateValue

    engine = readonly_engine(built_db)
    plain = load(engine)
    rejected, corrected = plain.events[0], plain.events[1]
    ev = next(e for e in plain.events[2:] if e.evidence)
    quote = ev.evidence[0]
    ws_path = tmp_path / "ws" / "workspace.sqlite"
    ws = open_workspace(ws_path)
    svc = AnnotationService(ws, engine, reviewer="ann")
    svc.apply(svc.set_status(rejected.id, "rejected", "not an event"))
    svc.apply(svc.correct(corrected.id, "title", "Corrected by ann"))
    day = date(1919, 5, 1).toordinal()
    svc.apply(svc.correct(corrected.id, "date", DateValue(day, day, "day", "1919-05-01")))
    svc.apply(svc.new_event_from_selection(quote.source, quote.start, quote.end, title="Ann's"))
    ws.close()

    out = tmp_path / "reviewed.json"
    args = ["export", "--db", str(built_db), "--workspace", str(ws_path), "--out", str(out)]
    assert main.main(args) == 0
    events = {e["id"]: e for e in json.loads(out.read_text(encoding="utf-8"))["events"]}
    assert rejected.id not in events
    assert events[corrected.id]["title"] == "Corrected by ann"
    assert events[corrected.id]["start"] == "1919-05-01"
    mine = [e for e in events.values() if e["origin"] == "user"]
    assert [e["title"] for e in mine] == ["Ann's"]
    assert mine[0]["evidence"] == [
        {"source": quote.source, "start": quote.start, "end": quote.end, "text": quote.text}
    ]
    assert len(events) == len(plain.events)  # one rejected, one of the reviewer's own
    # The same database without the workspace: as built.
    assert {e.id for e in load(engine).events} == {e.id for e in plain.events}

    missing = tmp_path / "nope.json"
    bad = ["export", "--db", str(built_db), "--workspace", str(tmp_path / "none.sqlite")]
    assert main.main([*bad, "--out", str(missing)]) == 1
    assert "no workspace at" in capsys.readouterr().err and not missing.exists()
