"""A small bundled database for the workspace and annotation tests.

Built from db.models directly so these tests do not depend on the state of the
extraction pipeline; offsets are computed from the text, never hard-coded.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.database import create_schema, readonly_engine, writable_engine
from db.models import (
    Entity,
    Event,
    Evidence,
    Mention,
    Paragraph,
    Participant,
    Passage,
    Phase,
    Section,
    Source,
    TimeExpression,
)

TEXT = (
    "On 30 March 1918 fighting broke out in Baku between the Bolsheviks and the Musavat. "
    "The Armenian National Council joined the Bolsheviks. "
    "In September 1918 the Army of Islam took Baku. "
    "Shusha burned in March 1920. "
    "Later the Bolsheviks returned to Baku."
)
PHASES = [
    ("phase-1", "The March Days", date(1918, 3, 1).toordinal(), date(1918, 4, 30).toordinal()),
    ("phase-2", "The Battle of Baku", date(1918, 6, 1).toordinal(), date(1918, 9, 30).toordinal()),
]

ENTITIES = {
    "baku": ("place", "Baku"),
    "bolsheviks": ("organisation", "Bolsheviks"),
    "musavat": ("organisation", "Musavat"),
    "army_of_islam": ("military_unit", "Army of Islam"),
    "shusha": ("place", "Shusha"),
}
TIMEX = {
    "30 March 1918": ("1918-03-30", date(1918, 3, 30), date(1918, 3, 30), "day"),
    "September 1918": ("1918-09", date(1918, 9, 1), date(1918, 9, 30), "month"),
    "March 1920": ("1920-03", date(1920, 3, 1), date(1920, 3, 31), "month"),
}
EVENTS = ("march_days", "battle_of_baku", "shusha_fire")


def sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for i, ch in enumerate(text):
        if ch == "." and (i + 1 == len(text) or text[i + 1] == " "):
            spans.append((start, i + 1))
            start = i + 2
    return spans


def make_bundled(path: Path, text: str = TEXT) -> Path:
    """Write a bundled database with one source, five entities and three events."""
    eng = writable_engine(path)
    create_schema(eng)
    with Session(eng) as s, s.begin():
        s.add(
            Source(
                id="s1",
                ordinal=0,
                file_name="s1.txt",
                title="Test source",
                author=None,
                kind=None,
                language="en",
                perspective=None,
                format="plain",
                encoding="utf-8",
                sha256=hashlib.sha256(text.encode()).hexdigest(),
                original_text=text,
                normalized_text=text,
                infobox=None,
                warnings=[],
            )
        )
        s.flush()
        s.add(
            Section(
                id=1,
                source_id="s1",
                parent_id=None,
                ordinal=0,
                level=0,
                title="",
                start=0,
                end=len(text),
            )
        )
        s.flush()
        s.add(
            Paragraph(
                id=1, source_id="s1", section_id=1, ordinal=0, kind="text", start=0, end=len(text)
            )
        )
        s.flush()
        for n, (a, b) in enumerate(sentences(text)):
            s.add(
                Passage(
                    id=n + 1,
                    source_id="s1",
                    section_id=1,
                    paragraph_id=1,
                    ordinal=n,
                    kind="sentence",
                    start=a,
                    end=b,
                    text=text[a:b],
                )
            )
        for eid, (etype, name) in ENTITIES.items():
            s.add(Entity(id=eid, type=etype, name=name))
        for pid, title, first, last in PHASES:
            s.add(Phase(id=pid, title=title, earliest=first, latest=last))
        s.flush()
        spans = sentences(text)

        def passage_of(pos: int) -> int:
            return next(i + 1 for i, (a, b) in enumerate(spans) if a <= pos < b)

        for eid, (_t, name) in ENTITIES.items():
            pos = text.find(name)
            while pos != -1:
                s.add(
                    Mention(
                        entity_id=eid,
                        source_id="s1",
                        passage_id=passage_of(pos),
                        start=pos,
                        end=pos + len(name),
                        text=name,
                        method="gazetteer",
                    )
                )
                pos = text.find(name, pos + 1)
        for surface, (value, first, last, prec) in TIMEX.items():
            pos = text.find(surface)
            if pos != -1:
                s.add(
                    TimeExpression(
                        source_id="s1",
                        passage_id=passage_of(pos),
                        start=pos,
                        end=pos + len(surface),
                        text=surface,
                        value=value,
                        earliest=first.toordinal(),
                        latest=last.toordinal(),
                        precision=prec,
                        kind="absolute",
                    )
                )
        dates = [TIMEX["30 March 1918"], TIMEX["September 1918"], TIMEX["March 1920"]]
        titles = ["March Days", "Battle of Baku", "Burning of Shusha"]
        kinds = ["massacre", "battle", "massacre"]
        parts = [
            [("bolsheviks", "agent"), ("musavat", "target"), ("baku", "place")],
            [("army_of_islam", "agent"), ("baku", "place")],
            [("shusha", "place")],
        ]
        for i, eid in enumerate(EVENTS):
            value, first, last, prec = dates[i]
            s.add(
                Event(
                    id=eid,
                    rowkey=i + 1,
                    title=titles[i],
                    kind=kinds[i],
                    earliest=first.toordinal(),
                    latest=last.toordinal(),
                    precision=prec,
                    value=value,
                    date_text=value,
                    julian=None,
                    origin="extracted",
                )
            )
            s.flush()
            a, b = spans[[0, 2, 3][i]]
            s.add(
                Evidence(
                    event_id=eid,
                    source_id="s1",
                    passage_id=[1, 3, 4][i],
                    start=a,
                    end=b,
                    text=text[a:b],
                )
            )
            for ent, role in parts[i]:
                s.add(Participant(event_id=eid, entity_id=ent, role=role))
    eng.dispose()
    return path


def bundled_engine(path: Path) -> Engine:
    return readonly_engine(path)


def test_fixture_database_is_consistent(tmp_path: Path) -> None:
    eng = bundled_engine(make_bundled(tmp_path / "b.sqlite"))
    with Session(eng) as s:
        assert s.scalar(select(Source.normalized_text)) == TEXT
        for m in s.scalars(select(Mention)):
            assert TEXT[m.start : m.end] == m.text
        assert len(list(s.scalars(select(Event)))) == 3
    eng.dispose()
