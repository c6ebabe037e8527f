"""A tiny hand-made database for search and filter tests (imported by test_search*/test_filters*).

Sources: ``a`` and ``b``. Entities: Shusha (alias Shushi), Kâzım Karabekir
(dotless ı; alias Kazm Karabekir, as the stripped document spells him),
Nakhchivan, Armenia. Events with known dates, kinds, phases, participants and
evidence, so filter combinations have one right answer.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import text

from db.database import create_schema, writable_engine

D = date.toordinal

PASSAGES = [
    # id, source, text
    (1, "a", "The Armenian population of Shusha was expelled in March 1920."),
    (2, "a", "Kâzım Karabekir advanced on Nakhchivan in June."),
    (3, "a", "Armenian forces held Zangezur through the winter."),
    (4, "b", "Kazm Karabekir wrote to the commander of the division."),
    (5, "b", "The town was burned; the Armenian quarter did not recover."),
    (6, "b", "Nakhichevan was occupied by Turkish forces."),
    (7, "b", "Nothing about any place here, NEAR the end: AND OR NOT."),
]
ENTITIES = [
    # id, type, name, aliases, mention_count
    ("shusha", "place", "Shusha", ["Shusha", "Shushi"], 2),
    (
        "karabekir",
        "person",
        "Kâzım Karabekir",
        ["Kâzım Karabekir", "Kazm Karabekir", "Karabekir"],
        2,
    ),
    ("nakhchivan", "place", "Nakhchivan", ["Nakhchivan", "Nakhichevan", "Naxçıvan"], 2),
    ("armenia", "polity", "Armenia", ["Armenia", "Republic of Armenia"], 0),
]
MENTIONS = [
    # entity, passage, text  (passage 5 says "The town": the entity stage resolved it to Shusha)
    ("shusha", 1, "Shusha"),
    ("shusha", 5, "The town"),
    ("karabekir", 2, "Kâzım Karabekir"),
    ("karabekir", 4, "Kazm Karabekir"),
    ("nakhchivan", 2, "Nakhchivan"),
    ("nakhchivan", 6, "Nakhichevan"),
]
PHASES = [("p1", "War of 1918–1920", D(date(1918, 5, 28)), D(date(1920, 4, 27)))]
EVENTS = [
    # id, title, kind, earliest, latest, phase, participants, evidence passages
    (
        "e-shusha",
        "Shusha massacre",
        "massacre",
        D(date(1920, 3, 22)),
        D(date(1920, 3, 26)),
        "p1",
        ["shusha", "armenia"],
        [1, 5],
    ),
    (
        "e-nakh",
        "Turkish advance on Nakhchivan",
        "occupation",
        D(date(1920, 6, 9)),
        D(date(1920, 6, 9)),
        None,
        ["karabekir", "nakhchivan"],
        [2, 6],
    ),
    (
        "e-zang",
        "Defence of Zangezur",
        "battle",
        D(date(1919, 11, 1)),
        D(date(1920, 2, 28)),
        "p1",
        ["armenia"],
        [3],
    ),
    (
        "e-letter",
        "Karabekir's letter",
        "political",
        D(date(1919, 7, 1)),
        D(date(1919, 7, 31)),
        "p1",
        ["karabekir"],
        [4],
    ),
]


def make_db(path: Path, *, search_index: bool = True) -> Path:
    """Write the tiny database to ``path``; without ``search_index``, the fallback paths run."""
    engine = writable_engine(path)
    create_schema(engine)
    with engine.begin() as con:
        ex = con.execute
        for i, sid in enumerate(("a", "b")):
            ex(
                text(
                    "INSERT INTO source (id, ordinal, file_name, title, format, encoding, sha256,"
                    " original_text, normalized_text, warnings, origin)"
                    " VALUES (:id, :o, :f, :t, 'plain', 'utf-8', '', '', '', '[]', 'bundled')"
                ),
                {"id": sid, "o": i, "f": f"{sid}.txt", "t": f"Source {sid.upper()}"},
            )
            ex(
                text(
                    "INSERT INTO section (id, source_id, ordinal, level, title, start, end)"
                    " VALUES (:i, :s, 0, 0, '', 0, 0)"
                ),
                {"i": i + 1, "s": sid},
            )
            ex(
                text(
                    "INSERT INTO paragraph (id, source_id, section_id, ordinal, kind, start, end)"
                    " VALUES (:i, :s, :i, 0, 'text', 0, 0)"
                ),
                {"i": i + 1, "s": sid},
            )
        offset: dict[str, int] = {"a": 0, "b": 0}
        starts: dict[int, int] = {}
        for pid, sid, body in PASSAGES:
            starts[pid] = offset[sid]
            ex(
                text(
                    "INSERT INTO passage (id, source_id, section_id, paragraph_id, ordinal, kind,"
                    " start, end, text) VALUES (:id, :s, :sec, :sec, :id, 'sentence', :a, :b, :t)"
                ),
                {
                    "id": pid,
                    "s": sid,
                    "sec": 1 if sid == "a" else 2,
                    "a": offset[sid],
                    "b": offset[sid] + len(body),
                    "t": body,
                },
            )
            offset[sid] += len(body) + 1
        for eid, etype, name, aliases, n in ENTITIES:
            ex(
                text(
                    "INSERT INTO entity (id, type, name, coord_approx, curated, mention_count,"
                    " event_count, source_count) VALUES (:id, :t, :n, 1, 1, :m, 0, 0)"
                ),
                {"id": eid, "t": etype, "n": name, "m": n},
            )
            for a in aliases:
                ex(
                    text("INSERT INTO alias (entity_id, text, ambiguous) VALUES (:e, :a, 0)"),
                    {"e": eid, "a": a},
                )
        bodies = {pid: (sid, body) for pid, sid, body in PASSAGES}
        for eid, pid, surface in MENTIONS:
            sid, body = bodies[pid]
            local = body.index(surface)
            ex(
                text(
                    "INSERT INTO mention (entity_id, source_id, passage_id, start, end, text, method,"
                    " as_participant) VALUES (:e, :s, :p, :a, :b, :t, 'gazetteer', 1)"
                ),
                {
                    "e": eid,
                    "s": sid,
                    "p": pid,
                    "a": starts[pid] + local,
                    "b": starts[pid] + local + len(surface),
                    "t": surface,
                },
            )
        for pid_, title, lo, hi in PHASES:
            ex(
                text("INSERT INTO phase (id, title, earliest, latest) VALUES (:i, :t, :a, :b)"),
                {"i": pid_, "t": title, "a": lo, "b": hi},
            )
        for n, (eid, title, kind, lo, hi, phase, parts, evidence) in enumerate(EVENTS):
            ex(
                text(
                    "INSERT INTO event (id, rowkey, title, kind, earliest, latest, precision, value,"
                    " date_text, date_inferred, date_confidence, phase_id, origin, key_event,"
                    " conflicts) VALUES (:id, :rk, :t, :k, :a, :b, 'day', :v, :v, 0, 1.0, :ph,"
                    " 'curated', 0, '[]')"
                ),
                {
                    "id": eid,
                    "rk": n + 1,
                    "t": title,
                    "k": kind,
                    "a": lo,
                    "b": hi,
                    "v": date.fromordinal(lo).isoformat(),
                    "ph": phase,
                },
            )
            for ent in parts:
                ex(
                    text(
                        "INSERT INTO participant (event_id, entity_id, role)"
                        " VALUES (:e, :x, 'participant')"
                    ),
                    {"e": eid, "x": ent},
                )
            for pid in evidence:
                sid, body = bodies[pid]
                ex(
                    text(
                        "INSERT INTO evidence (event_id, source_id, passage_id, start, end, text,"
                        " numbers) VALUES (:e, :s, :p, :a, :b, :t, '[]')"
                    ),
                    {
                        "e": eid,
                        "s": sid,
                        "p": pid,
                        "a": starts[pid],
                        "b": starts[pid] + len(body),
                        "t": body,
                    },
                )
        ex(text("INSERT INTO passage_fts(passage_fts) VALUES ('rebuild')"))
        if search_index:
            from db.search_index import fill

            fill(con, (body for _p, _s, body in PASSAGES))
    engine.dispose()
    return path


def tiny_engine(path: Path, *, search_index: bool = True) -> Any:
    from db.database import readonly_engine

    return readonly_engine(make_db(path, search_index=search_index))


def test_tiny_database_has_what_the_tests_expect(tmp_path: Path) -> None:
    engine = tiny_engine(tmp_path / "tiny.sqlite")
    with engine.connect() as con:
        n = {
            t: con.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("passage", "entity", "alias", "mention", "event", "evidence", "entity_fts")
        }
    engine.dispose()
    assert n == {
        "passage": 7,
        "entity": 4,
        "alias": 10,
        "mention": 6,
        "event": 4,
        "evidence": 6,
        "entity_fts": 4,
    }
