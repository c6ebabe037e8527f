"""The guided tour's stops: the curated key events in date order. No Qt here."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.models import Event, Evidence

#: How many events the fallback tour shows when none are marked as key events.
FALLBACK_STOPS = 12


@dataclass(frozen=True)
class TourStop:
    event_id: str
    title: str
    earliest: int
    latest: int
    precision: str


def tour_stops(engine: Engine, fallback: int = FALLBACK_STOPS) -> list[TourStop]:
    """Events marked ``key_event`` ordered by date; with none marked, the ``fallback``
    events with the most evidence (also in date order)."""
    cols = (Event.id, Event.title, Event.earliest, Event.latest, Event.precision)
    with Session(engine) as s:
        rows = s.execute(
            select(*cols).where(Event.key_event.is_(True)).order_by(Event.earliest, Event.id)
        ).all()
        if not rows:
            evidence = func.count(Evidence.id)
            best = (
                select(Event.id)
                .join(Evidence, Evidence.event_id == Event.id)
                .group_by(Event.id)
                .order_by(evidence.desc(), Event.earliest, Event.id)
                .limit(fallback)
                .subquery()
            )
            rows = s.execute(
                select(*cols)
                .where(Event.id.in_(select(best.c.id)))
                .order_by(Event.earliest, Event.id)
            ).all()
    return [TourStop(str(r[0]), str(r[1]), int(r[2]), int(r[3]), str(r[4])) for r in rows]
