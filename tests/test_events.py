"""The event stage: invariants of the built database, pinned events, curation, extraction units."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from db.events.extract import DateRef, MentionRef, PassageData, extract_candidates
from db.events.lexicon import classify
from db.events.numbers import find_numbers
from db.events.titles import headline

SOURCES = {
    "000": "andersen-1920",
    "001": "wikipedia-war-short",
    "002": "wikipedia-war-long",
    "003": "gse-armenian-turkish-war",
    "004": "wikipedia-red-army-azerbaijan",
}


@pytest.fixture(scope="module")
def con(built_db: Path) -> sqlite3.Connection:
    c = sqlite3.connect(f"{built_db.resolve().as_uri()}?mode=ro", uri=True)
    c.row_factory = sqlite3.Row
    return c


def d(s: str) -> int:
    return date.fromisoformat(s).toordinal()


# ---------------------------------------------------------------- invariants


def test_default_corpus_yields_many_events(con: sqlite3.Connection) -> None:
    n = con.execute("SELECT count(*) FROM event").fetchone()[0]
    print(f"\nevents on the default corpus: {n}")
    assert n >= 150


def test_every_event_has_evidence_that_quotes_its_source(con: sqlite3.Connection) -> None:
    bare = con.execute(
        "SELECT count(*) FROM event e WHERE NOT EXISTS (SELECT 1 FROM evidence v WHERE v.event_id = e.id)"
    ).fetchone()[0]
    assert bare == 0
    texts = dict(con.execute("SELECT id, normalized_text FROM source").fetchall())
    for row in con.execute(
        "SELECT v.source_id, v.start, v.end, v.text, p.start AS ps, p.end AS pe FROM evidence v "
        "JOIN passage p ON p.id = v.passage_id"
    ):
        assert texts[row["source_id"]][row["start"] : row["end"]] == row["text"]
        assert row["ps"] <= row["start"] < row["pe"]


def test_no_event_is_a_bare_duration(con: sqlite3.Connection) -> None:
    precisions = {r[0] for r in con.execute("SELECT DISTINCT precision FROM event")}
    assert precisions <= {"day", "part_of_month", "month", "season", "year"}
    n = con.execute(
        "SELECT count(*) FROM evidence v JOIN time_expression t ON t.id = v.timex_id "
        "WHERE t.precision = 'duration' OR t.kind = 'duration'"
    ).fetchone()[0]
    assert n == 0
    assert con.execute("SELECT count(*) FROM event WHERE earliest > latest").fetchone()[0] == 0


def test_no_two_events_share_clause_date_and_kind(con: sqlite3.Connection) -> None:
    rows = con.execute(
        "SELECT v.source_id, v.start, v.end, e.value, e.kind, e.id FROM evidence v JOIN event e ON e.id = v.event_id"
    ).fetchall()
    by_clause = Counter((r[0], r[1], r[2], r[3], r[4]) for r in rows)
    assert [k for k, n in by_clause.items() if n > 1] == []
    # Stronger: a clause is evidence of one event only.
    by_span = Counter((r[0], r[1], r[2]) for r in rows)
    assert [k for k, n in by_span.items() if n > 1] == []


def test_rtree_indexes_every_event(con: sqlite3.Connection) -> None:
    n_events = con.execute("SELECT count(*) FROM event").fetchone()[0]
    assert con.execute("SELECT count(*) FROM event_rtree").fetchone()[0] == n_events
    mismatched = con.execute(
        "SELECT count(*) FROM event e JOIN event_rtree r ON r.rowkey = e.rowkey "
        "WHERE r.earliest != e.earliest OR r.latest != e.latest"
    ).fetchone()[0]
    assert mismatched == 0
    # A viewport query: April 1920.
    hits = {
        r[0]
        for r in con.execute(
            "SELECT e.id FROM event_rtree r JOIN event e ON e.rowkey = r.rowkey "
            "WHERE r.latest >= ? AND r.earliest <= ?",
            (d("1920-04-01"), d("1920-04-30")),
        )
    }
    assert "red-army-invades-azerbaijan" in hits


def test_event_ids_are_stable_and_readable(con: sqlite3.Connection) -> None:
    for (eid,) in con.execute("SELECT id FROM event"):
        assert eid == eid.strip() and " " not in eid and len(eid) <= 100


def test_event_ids_are_the_same_after_a_rebuild(con: sqlite3.Connection, tmp_path: Path) -> None:
    from db.build import build_database

    out = tmp_path / "again.sqlite"
    build_database(Path(__file__).resolve().parent.parent / "resources" / "corpus", out)
    again = sqlite3.connect(out)
    first = con.execute("SELECT id, rowkey, title, value FROM event ORDER BY id").fetchall()
    second = again.execute("SELECT id, rowkey, title, value FROM event ORDER BY id").fetchall()
    assert [tuple(r) for r in first] == second


def test_titles_are_short(con: sqlite3.Connection) -> None:
    titles = [r[0] for r in con.execute("SELECT title FROM event")]
    assert all(0 < len(t) <= 70 for t in titles)
    assert all(t[0].isupper() or t[0].isdigit() for t in titles)


def test_entity_event_counts(con: sqlite3.Connection) -> None:
    wrong = con.execute(
        "SELECT count(*) FROM entity e WHERE e.event_count != "
        "(SELECT count(DISTINCT p.event_id) FROM participant p WHERE p.entity_id = e.id)"
    ).fetchone()[0]
    assert wrong == 0
    assert con.execute("SELECT event_count FROM entity WHERE id = 'baku'").fetchone()[0] > 5


# ---------------------------------------------------------------- pinned events

# (event id, value, precision, kind, source prefixes that must attest it, participant ids)
PINNED: list[tuple[str, str, str, str, set[str], set[str]]] = [
    ("march-days", "1918-03-30/1918-04-01", "day", "massacre", {"001", "002"}, set()),
    ("september-days", "1918-09-15", "day", "massacre", {"001", "002"}, {"baku", "army-of-islam"}),
    ("dunsterforce-leaves-baku", "1918-09-14", "day", "withdrawal", {"001", "002"}, set()),
    ("armistice-of-mudros", "1918-10-30", "day", "ceasefire", {"001", "002"}, {"ottoman-empire"}),
    ("british-enter-baku", "1918-11-17", "day", "occupation", {"001", "002"}, {"baku"}),
    ("khaibalikend-massacre", "1919-06-05", "day", "massacre", {"001", "002"}, {"khaibalikend"}),
    ("nakhchivan-july-1919", "1919-07-20", "day", "battle", {"001", "002"}, {"nakhchivan"}),
    ("karabakh-agreement-1919", "1919-08-22", "day", "treaty", {"001", "002"}, {"karabakh"}),
    ("zangezur-offensive-1919", "1919-11-03", "day", "battle", {"001", "002"}, {"zangezur"}),
    ("shusha-massacre-1920", "1920-03-23", "day", "massacre", {"001", "002"}, {"shusha"}),
    ("kazakh-ceasefire-1920", "1920-04-18", "day", "ceasefire", {"001", "002"}, {"kazakh"}),
    (
        "red-army-invades-azerbaijan",
        "1920-04-27/1920-04-28",
        "day",
        "invasion",
        {"000", "001", "002", "004"},
        {"11th-red-army", "azerbaijan"},
    ),
    (
        "azerbaijan-ssr-proclaimed",
        "1920-04-28",
        "day",
        "proclamation",
        {"000", "002", "004"},
        {"baku"},
    ),
    ("red-army-takes-shusha-1920", "1920-06-05", "day", "occupation", {"000", "002"}, {"shusha"}),
    (
        "nakhchivan-ssr-proclaimed",
        "1920-07-28/1920-07-29",
        "day",
        "proclamation",
        {"000", "002"},
        set(),
    ),
    (
        "soviet-armenian-ceasefire-1920",
        "1920-08-10",
        "day",
        "ceasefire",
        {"000", "002"},
        {"yerevan"},
    ),
    ("turks-take-kars", "1920-10-30", "day", "occupation", {"003"}, {"kars"}),
    ("red-army-enters-armenia", "1920-11-28", "day", "invasion", {"001", "002"}, {"11th-red-army"}),
    ("soviet-power-in-armenia", "1920-11-29", "day", "proclamation", {"002", "003"}, set()),
    ("treaty-of-alexandropol", "1920-12-02", "day", "treaty", {"003"}, {"alexandropol"}),
    (
        "red-army-enters-yerevan",
        "1920-12-04",
        "day",
        "occupation",
        {"001", "002"},
        {"yerevan", "red-army"},
    ),
    ("treaty-of-moscow-1921", "1921-03-16", "day", "treaty", {"001", "002", "003"}, {"turkey"}),
    ("kavbiuro-karabakh-decision", "1921-07-05", "day", "political", {"001", "002"}, {"karabakh"}),
    ("treaty-of-kars", "1921-10-13", "day", "treaty", {"001", "002", "003"}, {"kars"}),
    ("nkao-established", "1923-07", "month", "political", {"001", "002"}, set()),
]


def test_pinned_events(con: sqlite3.Connection) -> None:
    multi = 0
    for eid, value, precision, kind, prefixes, participants in PINNED:
        row = con.execute("SELECT * FROM event WHERE id = ?", (eid,)).fetchone()
        assert row is not None, eid
        assert (row["value"], row["precision"], row["kind"]) == (value, precision, kind), eid
        sources = {
            r[0] for r in con.execute("SELECT source_id FROM evidence WHERE event_id = ?", (eid,))
        }
        assert {SOURCES[p] for p in prefixes} <= sources, (eid, sources)
        ents = {
            r[0]
            for r in con.execute("SELECT entity_id FROM participant WHERE event_id = ?", (eid,))
        }
        assert participants <= ents, (eid, ents)
        multi += len(sources) > 1
    assert multi >= 10


def test_extracted_multi_document_merges(con: sqlite3.Connection) -> None:
    """Merges the extractor makes on its own, without a curated entry."""
    rows = con.execute(
        "SELECT e.id, e.value, count(DISTINCT v.source_id) FROM event e JOIN evidence v ON v.event_id = e.id "
        "WHERE e.origin = 'extracted' GROUP BY e.id HAVING count(DISTINCT v.source_id) > 1"
    ).fetchall()
    values = {r[1] for r in rows}
    # The Revkom and the Cheka entering Yerevan, told alike by 001 and 002.
    assert {"1920-12-05", "1920-12-06"} <= values


def test_participant_roles(con: sqlite3.Connection) -> None:
    roles = dict(
        con.execute(
            "SELECT entity_id, role FROM participant WHERE event_id = 'red-army-enters-armenia'"
        ).fetchall()
    )
    assert roles.get("11th-red-army") == "agent"
    assert roles.get("anatoliy-gekker") == "commander"
    places = {r[0] for r in con.execute("SELECT DISTINCT role FROM participant")}
    assert places <= {"agent", "target", "commander", "place", "participant"}


# ---------------------------------------------------------------- accounts and conflicts


def _conflicts(con: sqlite3.Connection, eid: str) -> list[dict[str, Any]]:
    raw = con.execute("SELECT conflicts FROM event WHERE id = ?", (eid,)).fetchone()[0]
    return list(json.loads(raw))


def test_march_days_casualty_accounts_differ(con: sqlite3.Connection) -> None:
    numbers = [
        n
        for (raw,) in con.execute("SELECT numbers FROM evidence WHERE event_id = 'march-days'")
        for n in json.loads(raw)
    ]
    texts = {n["text"] for n in numbers if n["what"] == "killed"}
    assert {"up to 12,000", "over 10,000"} <= texts
    conflict = [c for c in _conflicts(con, "march-days") if c["field"] == "number"]
    assert conflict and {a["value"] for a in conflict[0]["accounts"]} >= {12000, 10000}


def test_date_conflicts_are_recorded(con: sqlite3.Connection) -> None:
    kars = [c for c in _conflicts(con, "treaty-of-kars") if c["field"] == "date"]
    assert kars, "001 heads the Treaty of Kars 23 October; 003 dates it 13 October"
    assert {a["value"] for a in kars[0]["accounts"]} >= {"1921-10-13", "1921-10-23"}
    ssr = [c for c in _conflicts(con, "azerbaijan-ssr-proclaimed") if c["field"] == "date"]
    assert ssr and "1920-04-29" in {a["value"] for a in ssr[0]["accounts"]}


def test_evidence_keeps_each_accounts_date_text(con: sqlite3.Connection) -> None:
    rows = con.execute(
        "SELECT source_id, date_text, value FROM evidence WHERE event_id = 'red-army-takes-shusha-1920'"
    ).fetchall()
    values = {r["value"] for r in rows}
    assert {"1920-06-05", "1920-06-15"} <= values


# ---------------------------------------------------------------- phases and key events


def test_phases_and_key_events(con: sqlite3.Connection) -> None:
    phases = {r["id"]: r for r in con.execute("SELECT * FROM phase")}
    assert len(phases) >= 8
    for p in phases.values():
        assert p["earliest"] <= p["latest"]
        if p["parent_id"] is not None:
            parent = phases[p["parent_id"]]
            assert parent["earliest"] <= p["earliest"] and p["latest"] <= parent["latest"]
    key = con.execute("SELECT id, phase_id, origin FROM event WHERE key_event").fetchall()
    assert len(key) >= 15
    assert all(r["origin"] == "curated" for r in key)
    for r in con.execute(
        "SELECT e.id, e.earliest, e.latest, p.earliest AS pa, p.latest AS pb FROM event e "
        "JOIN phase p ON p.id = e.phase_id"
    ):
        assert r["pa"] <= r["earliest"] and r["latest"] <= r["pb"], r["id"]
    in_karabakh = con.execute(
        "SELECT count(*) FROM event WHERE phase_id = 'karabakh-1920'"
    ).fetchone()[0]
    assert in_karabakh >= 10


# ---------------------------------------------------------------- export


def test_json_export_carries_events(built_db: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "export.json"
    root = Path(__file__).resolve().parent.parent
    subprocess.run(
        [
            sys.executable,
            str(root / "main.py"),
            "export",
            "--format",
            "json",
            "--db",
            str(built_db),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
        cwd=root,
    )
    doc = json.loads(out.read_text(encoding="utf-8"))
    events = {e["id"]: e for e in doc["events"]}
    ev = events["red-army-invades-azerbaijan"]
    assert ev["start"] == "1920-04-27" and ev["end"] == "1920-04-28"
    assert ev["origin"] == "curated" and ev["precision"] == "day"
    assert "11th-red-army" in ev["participants"] and "baku" in ev["places"]
    texts = {s["id"]: s["text"] for s in doc["sources"]}
    for e in doc["events"]:
        assert e["evidence"], e["id"]
        for v in e["evidence"]:
            assert texts[v["source"]][v["start"] : v["end"]] == v["text"]


# ---------------------------------------------------------------- curation and imported documents


def _tiny_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notes.txt").write_text(
        "The siege of Fortville\n\n"
        "On 3 May 1901, the Northern army attacked Fortville. "
        "On 5 May 1901, the defenders of Fortville surrendered to the Northern army. "
        "The Northern army entered Fortville on 5 May 1901 and declared martial law.\n",
        encoding="utf-8",
    )
    return folder


def test_imported_documents_use_the_extractor_alone(tmp_path: Path) -> None:
    from db.build import build_database

    out = tmp_path / "imported.sqlite"
    build_database(_tiny_corpus(tmp_path / "corpus"), out, curated=False)
    c = sqlite3.connect(out)
    rows = c.execute("SELECT value, kind, origin, title FROM event ORDER BY earliest").fetchall()
    assert c.execute("SELECT count(*) FROM phase").fetchone()[0] == 0
    assert {r[2] for r in rows} == {"extracted"}
    values = [r[0] for r in rows]
    assert "1901-05-03" in values and "1901-05-05" in values
    # The surrender and the entry on 5 May are told by two sentences; one sentence, one event.
    assert len(rows) >= 2


def test_missing_curated_quote_fails_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import db.events.stage as stage
    from db.build import BuildError, build_database

    corpus = _tiny_corpus(tmp_path / "corpus")
    cat = tmp_path / "events.yaml"
    cat.write_text(
        "events:\n"
        "  - id: fortville-falls\n"
        "    title: Fortville falls\n"
        "    kind: occupation\n"
        "    date: 1901-05-05\n"
        "    quotes:\n"
        "      - {source: notes, text: 'the defenders of Fortville capitulated'}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(stage, "resource_path", lambda *_parts: cat)
    with pytest.raises(BuildError, match="fortville-falls"):
        build_database(corpus, tmp_path / "bad.sqlite")
    assert not (tmp_path / "bad.sqlite").exists()
    # With the quote fixed the entry names and merges the happening.
    cat.write_text(cat.read_text().replace("capitulated", "surrendered"), encoding="utf-8")
    build_database(corpus, tmp_path / "good.sqlite")
    c = sqlite3.connect(tmp_path / "good.sqlite")
    row = c.execute("SELECT title, origin FROM event WHERE id = 'fortville-falls'").fetchone()
    assert row == ("Fortville falls", "curated")


# ---------------------------------------------------------------- units


def _passage(
    text: str, dates: list[tuple[str, str, str]], mentions: list[tuple[str, str, str]] = ()
) -> PassageData:  # type: ignore[assignment]
    """A passage at offset 0 with dates given as (surface, value, precision)."""
    from db.events.curated import parse_date

    pd = PassageData(1, "s", 1, 1, "sentence", 0, len(text), text)
    for surface, value, precision in dates:
        i = text.index(surface)
        a, b, _ = parse_date(value)
        pd.dates.append(
            DateRef(
                None,
                i,
                i + len(surface),
                surface,
                value,
                a,
                b,
                precision,
                "absolute",
                None,
                1.0,
                False,
                None,
            )
        )
    for surface, eid, etype in mentions:
        i = text.index(surface)
        pd.mentions.append(MentionRef(eid, etype, i, i + len(surface), True))
    return pd


def test_one_sentence_two_happenings() -> None:
    text = (
        "On June 5 they took over Shusha and two weeks later all organized Armenian resistance "
        "in that disputed area was crushed."
    )
    pd = _passage(
        text,
        [("June 5", "1920-06-05", "day"), ("two weeks later", "1920-06-19", "day")],
        [("Shusha", "shusha", "place")],
    )
    cands = extract_candidates(pd)
    assert [c.date.value for c in cands] == ["1920-06-05", "1920-06-19"]
    assert "Shusha" in cands[0].text and "crushed" in cands[1].text
    assert ("shusha", "place") in cands[0].participants
    assert cands[0].kind == "occupation" and cands[1].kind == "battle"


def test_background_year_is_not_an_event() -> None:
    pd = _passage(
        "Specifically, according to the 1870 reform, non-Christians were allocated no more than one-third of seats.",
        [("1870", "1870", "year")],
    )
    assert extract_candidates(pd) == []
    pd = _passage(
        "By March 24, Ottoman forces had reached the borders of 1914.",
        [("March 24", "1918-03-24", "day"), ("1914", "1914", "year")],
    )
    assert [c.date.value for c in extract_candidates(pd)] == ["1918-03-24"]


def test_elliptical_clause_borrows_the_verb() -> None:
    pd = _passage(
        "On September 29 the Turks captured Sarikamis, then Ardahan, and on October 30, Kars.",
        [("September 29", "1920-09-29", "day"), ("October 30", "1920-10-30", "day")],
    )
    cands = extract_candidates(pd)
    assert [c.title for c in cands] == [
        "Turks capture Sarikamis, then Ardahan",
        "Turks capture Kars",
    ]
    assert {c.kind for c in cands} == {"occupation"}


@pytest.mark.parametrize(
    ("clause", "title"),
    [
        ("On 5 July, the Soviet army captured Goris.", "Soviet army captures Goris"),
        (
            "Ashot Melik-Mosesyants, one of the Dashnak leaders, was appointed head of the Ordubad region.",
            "Ashot Melik-Mosesyants appointed head of Ordubad region",
        ),
        (
            "the Turkish troops occupied Aleksandropol’ (now Leninakan)",
            "Turkish troops occupy Aleksandropol’",
        ),
    ],
)
def test_headlines(clause: str, title: str) -> None:
    assert headline(clause.replace("On 5 July,", "")) == title


@pytest.mark.parametrize(
    ("clause", "kind"),
    [
        (
            "On 10 August, a ceasefire agreement was signed between Armenia and the RSFSR",
            "ceasefire",
        ),
        ("the Treaty of Batum was signed between the Ottoman Empire and Armenia", "treaty"),
        ("the 11th Red Army had already invaded Azerbaijan's territory", "invasion"),
        ("the Armenian Soviet Socialist Republic was proclaimed", "proclamation"),
        (
            "Headed by British Gen. W. Thomson, who had declared himself the military governor of Baku, soldiers arrived in Baku",
            "occupation",
        ),
        ("a national revolt against Bolsheviks started", "uprising"),
        ("Armenian defenders of Naxcivan left the town and retreated westwards", "withdrawal"),
    ],
)
def test_kinds(clause: str, kind: str) -> None:
    assert classify(clause)[0] == kind


def test_numbers() -> None:
    nums = find_numbers(
        "This led to three days fighting, resulting in the death of up to 12,000 Azerbaijanis."
    )
    assert nums == [
        {"text": "up to 12,000", "value": 12000, "what": "killed", "qualifier": "up to"}
    ]
    nums = find_numbers("entered Baku on 15 September and killed between 10,000–20,000 Armenians")
    assert nums[0]["value"] == 10000 and nums[0]["high"] == 20000 and nums[0]["what"] == "killed"
    assert find_numbers("the 26th, 28th, and 32nd rifle divisions on 27 April 1920 [5]") == []
    troops = find_numbers("the 2nd mounted corps (consisting of over 30,000 soldiers)")
    assert troops and troops[0]["what"] == "troops" and troops[0]["value"] == 30000


# ---------------------------------------------------------------- the stage's two inputs


def test_stage_on_a_stored_database_finds_the_same_events(built_db: Path, tmp_path: Path) -> None:
    """The build drafts candidates from the timex and entity stages' results; run on a
    database alone (no such results, as ``bench_events`` does) the stage reads the same
    dates and mentions back from the tables and must store the same events."""
    import shutil
    from types import SimpleNamespace

    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from db.build import BuildContext, PassageRow
    from db.database import writable_engine
    from db.events import stage

    tables = {
        "event": "SELECT * FROM event ORDER BY id",
        "evidence": "SELECT * FROM evidence ORDER BY id",
        "participant": "SELECT * FROM participant ORDER BY id",
        "phase": "SELECT * FROM phase ORDER BY id",
        "event_count": "SELECT id, event_count FROM entity ORDER BY id",
    }
    copy = tmp_path / "copy.sqlite"
    shutil.copy(built_db, copy)
    engine = writable_engine(copy)
    with Session(engine) as s, s.begin():
        before = {t: s.execute(text(q)).fetchall() for t, q in tables.items()}
        for t in ("participant", "evidence", "event_rtree", "event", "phase"):
            s.execute(text(f"DELETE FROM {t}"))
        s.execute(text("UPDATE entity SET event_count = 0"))
        documents: list[Any] = []
        passages: dict[str, list[PassageRow]] = {}
        for sid, normalized in s.execute(
            text("SELECT id, normalized_text FROM source ORDER BY ordinal")
        ):
            documents.append((sid, SimpleNamespace(normalized=normalized)))
            passages[sid] = []
        for row in s.execute(
            text(
                "SELECT id, source_id, section_id, paragraph_id, kind, start, end, text "
                "FROM passage ORDER BY id"
            )
        ):
            passages[row[1]].append(PassageRow(*row))
        ctx = BuildContext(s, documents, passages, built_db.parent)
        stage.run(ctx)
        after = {t: s.execute(text(q)).fetchall() for t, q in tables.items()}
    engine.dispose()
    assert before["event"], "the built database has events"
    for t in tables:
        assert after[t] == before[t], t
