"""Generated databases for benchmarks: the real schema, filled with plausible fake data at scale.

``generate_database(path, n_events=100_000, n_mentions=1_000_000)`` makes a
file with the same tables, indexes and virtual tables as a real build, so
panes, timeline and search can be measured at sizes the default corpus never
reaches. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date
from pathlib import Path

from db.database import create_schema, writable_engine
from db.models import ENTITY_TYPES, EVENT_KINDS

_WORDS = [
    "army",
    "troops",
    "city",
    "village",
    "offensive",
    "retreat",
    "treaty",
    "council",
    "delegation",
    "railway",
    "river",
    "front",
    "governor",
    "district",
    "mountain",
    "pass",
    "garrison",
    "cavalry",
    "infantry",
    "division",
    "regiment",
    "battle",
    "siege",
    "ceasefire",
    "negotiation",
    "occupied",
    "attacked",
    "advanced",
    "proclaimed",
    "withdrew",
    "signed",
    "captured",
    "defended",
    "burned",
    "surrendered",
    "demanded",
    "refugees",
    "population",
    "border",
    "territory",
    "republic",
]
_PRECISIONS = ("day", "day", "day", "part_of_month", "month", "season", "year")
_START = date(1900, 1, 1).toordinal()
_SPAN_DAYS = 365 * 40


def _sentence(rng: random.Random, n: int = 18) -> str:
    words = [rng.choice(_WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def generate_database(
    path: Path,
    n_events: int,
    n_mentions: int = 0,
    seed: int = 0,
    *,
    n_sources: int = 20,
    n_entities: int = 2_000,
    n_phases: int = 12,
) -> Path:
    """Write a synthetic database to ``path`` (replacing it) and return the path."""
    rng = random.Random(seed)
    path = Path(path)
    path.unlink(missing_ok=True)
    engine = writable_engine(path, bulk=True)
    create_schema(engine)
    engine.dispose()

    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    cur = con.cursor()

    # Sources of passages: enough passages to carry one evidence per event and the mentions.
    n_passages = max(n_events, n_mentions // 4, 100)
    per_source = -(-n_passages // n_sources)
    passage_rows = []
    source_rows = []
    pid = 0
    passage_spans: list[tuple[int, str, int, int]] = []  # (passage id, source, start, end)
    for si in range(n_sources):
        sid = f"synthetic-{si:02d}"
        parts: list[str] = []
        pos = 0
        for _ in range(per_source):
            if pid >= n_passages:
                break
            pid += 1
            text = _sentence(rng)
            passage_rows.append(
                (pid, sid, si + 1, si + 1, pid, "sentence", pos, pos + len(text), text)
            )
            passage_spans.append((pid, sid, pos, pos + len(text)))
            parts.append(text)
            pos += len(text) + 1
        body = " ".join(parts)
        source_rows.append(
            (
                sid,
                si,
                f"{sid}.txt",
                f"Synthetic source {si}",
                "generator",
                "synthetic",
                "en",
                None,
                "plain",
                "utf-8",
                "",
                body,
                body,
                None,
                "[]",
                "bundled",
            )
        )
    cur.executemany(
        "INSERT INTO source(id, ordinal, file_name, title, author, kind, language, perspective, format, encoding, sha256,"
        " original_text, normalized_text, infobox, warnings, origin) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        source_rows,
    )
    cur.executemany(
        "INSERT INTO section(id, source_id, parent_id, ordinal, level, title, start, end) VALUES (?,?,NULL,0,0,'(opening)',0,?)",
        [(si + 1, s[0], len(s[12])) for si, s in enumerate(source_rows)],
    )
    cur.executemany(
        "INSERT INTO paragraph(id, source_id, section_id, ordinal, kind, start, end) VALUES (?,?,?,0,'text',0,?)",
        [(si + 1, s[0], si + 1, len(s[12])) for si, s in enumerate(source_rows)],
    )
    cur.executemany(
        "INSERT INTO passage(id, source_id, section_id, paragraph_id, ordinal, kind, start, end, text) VALUES (?,?,?,?,?,?,?,?,?)",
        passage_rows,
    )

    entity_rows = []
    for ei in range(n_entities):
        etype = ENTITY_TYPES[ei % len(ENTITY_TYPES)]
        lat = 38.0 + rng.random() * 4 if etype == "place" else None
        lon = 44.0 + rng.random() * 6 if etype == "place" else None
        entity_rows.append(
            (f"e{ei:05d}", etype, f"{etype.title()} {ei}", None, lat, lon, True, True, 0, 0, 0)
        )
    cur.executemany(
        "INSERT INTO entity(id, type, name, description, lat, lon, coord_approx, curated, mention_count, event_count,"
        " source_count) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        entity_rows,
    )
    cur.executemany(
        "INSERT INTO alias(entity_id, text, ambiguous) VALUES (?,?,0)",
        [(r[0], r[2]) for r in entity_rows],
    )

    phase_len = _SPAN_DAYS // n_phases
    phase_rows = [
        (
            f"phase-{i}",
            f"Phase {i + 1}",
            None,
            _START + i * phase_len,
            _START + (i + 1) * phase_len - 1,
            None,
        )
        for i in range(n_phases)
    ]
    cur.executemany(
        "INSERT INTO phase(id, title, parent_id, earliest, latest, description) VALUES (?,?,?,?,?,?)",
        phase_rows,
    )

    event_rows = []
    evidence_rows = []
    participant_rows = []
    rtree_rows = []
    for i in range(n_events):
        precision = rng.choice(_PRECISIONS)
        start = _START + rng.randrange(_SPAN_DAYS)
        length = {"day": 0, "part_of_month": 9, "month": 29, "season": 90, "year": 364}[precision]
        if precision == "day" and rng.random() < 0.15:
            length = rng.randrange(1, 20)  # a range
        end = start + length
        kind = EVENT_KINDS[i % len(EVENT_KINDS)]
        eid = f"ev{i:06d}"
        d = date.fromordinal(start)
        phase = phase_rows[min(n_phases - 1, (start - _START) // phase_len)][0]
        event_rows.append(
            (
                eid,
                i + 1,
                f"{kind.title()} at {rng.choice(_WORDS)} {i}",
                kind,
                start,
                end,
                precision,
                d.isoformat(),
                d.strftime("%d %B %Y"),
                None,
                False,
                1.0,
                None,
                phase,
                "extracted",
                i % 997 == 0,
                "[]",
            )
        )
        rtree_rows.append((i + 1, start, end))
        ppid, psrc, pstart, pend = passage_spans[i % len(passage_spans)]
        evidence_rows.append(
            (eid, psrc, ppid, pstart, pend, "", None, d.strftime("%d %B %Y"), d.isoformat(), "[]")
        )
        for r in range(1 + i % 3):
            participant_rows.append(
                (
                    eid,
                    entity_rows[(i * 7 + r * 13) % n_entities][0],
                    ("agent", "target", "place")[r],
                )
            )
    cur.executemany(
        "INSERT INTO event(id, rowkey, title, kind, earliest, latest, precision, value, date_text, julian, date_inferred,"
        " date_confidence, anchor_text, phase_id, origin, key_event, conflicts) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        event_rows,
    )
    cur.executemany("INSERT INTO event_rtree(rowkey, earliest, latest) VALUES (?,?,?)", rtree_rows)
    cur.executemany(
        "INSERT INTO evidence(event_id, source_id, passage_id, start, end, text, timex_id, date_text, value, numbers)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        evidence_rows,
    )
    cur.execute(
        "UPDATE evidence SET text = (SELECT passage.text FROM passage WHERE passage.id = evidence.passage_id)"
    )
    cur.executemany(
        "INSERT INTO participant(event_id, entity_id, role) VALUES (?,?,?)", participant_rows
    )

    mention_rows = []
    for m in range(n_mentions):
        ppid, psrc, pstart, _pend = passage_spans[(m * 31) % len(passage_spans)]
        ent = entity_rows[(m * 17) % n_entities]
        offset = (m % 4) * 5
        mention_rows.append(
            (ent[0], psrc, ppid, pstart + offset, pstart + offset + 4, "xxxx", "gazetteer", True)
        )
    cur.executemany(
        "INSERT INTO mention(entity_id, source_id, passage_id, start, end, text, method, as_participant) VALUES (?,?,?,?,?,?,?,?)",
        mention_rows,
    )
    cur.execute(
        "UPDATE entity SET mention_count = (SELECT count(*) FROM mention WHERE mention.entity_id = entity.id),"
        " event_count = (SELECT count(DISTINCT event_id) FROM participant WHERE participant.entity_id = entity.id),"
        " source_count = (SELECT count(DISTINCT source_id) FROM mention WHERE mention.entity_id = entity.id)"
    )
    cur.execute("INSERT INTO passage_fts(passage_fts) VALUES ('rebuild')")
    cur.executemany(
        "INSERT INTO meta(key, value) VALUES (?,?)",
        [
            ("schema_version", "1"),
            ("synthetic", f"{n_events} events, {n_mentions} mentions, seed {seed}"),
        ],
    )
    con.commit()
    con.close()
    return path
