"""Filters every pane applies: a plain value object plus the SQL it means for events.

Held by the GUI's selection context; pure Python so the query layer, the
exporters and the command line can apply the same filters.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select, true

from db.models import Event, Evidence, Participant


@dataclass(frozen=True)
class Filters:
    """What every pane restricts itself to. Empty/None fields mean 'no restriction'."""

    earliest: int | None = None  # day numbers (date.toordinal()), inclusive
    latest: int | None = None
    kinds: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()
    entities_all: bool = False  # True: an event must involve all chosen entities; False: any
    phases: frozenset[str] = frozenset()
    review_statuses: frozenset[str] = frozenset()
    extra: tuple[tuple[str, Any], ...] = field(default=())

    def is_empty(self) -> bool:
        return self == Filters()

    def describe(self) -> list[tuple[str, str]]:
        """(field, label) pairs for the active filters, e.g. for removable chips."""
        from datetime import date

        out: list[tuple[str, str]] = []
        if self.earliest is not None or self.latest is not None:
            a = date.fromordinal(self.earliest).isoformat() if self.earliest is not None else "…"
            b = date.fromordinal(self.latest).isoformat() if self.latest is not None else "…"
            out.append(("dates", f"{a} – {b}"))
        if self.kinds:
            out.append(("kinds", "kind: " + ", ".join(sorted(self.kinds))))
        if self.sources:
            out.append(("sources", "source: " + ", ".join(sorted(self.sources))))
        if self.entities:
            joiner = " & " if self.entities_all else " | "
            out.append(("entities", "entity: " + joiner.join(sorted(self.entities))))
        if self.phases:
            out.append(("phases", "phase: " + ", ".join(sorted(self.phases))))
        if self.review_statuses:
            out.append(("review_statuses", "review: " + ", ".join(sorted(self.review_statuses))))
        return out

    def without(self, name: str) -> Filters:
        """These filters with one field (as named by :meth:`describe`) cleared."""
        if name == "dates":
            return replace(self, earliest=None, latest=None)
        if name == "entities":
            return replace(self, entities=frozenset(), entities_all=False)
        empty: frozenset[str] = frozenset()
        if name == "kinds":
            return replace(self, kinds=empty)
        if name == "sources":
            return replace(self, sources=empty)
        if name == "phases":
            return replace(self, phases=empty)
        if name == "review_statuses":
            return replace(self, review_statuses=empty)
        raise ValueError(f"no filter named {name!r}")


def event_clause(filters: Filters) -> ColumnElement[bool]:
    """A WHERE clause on ``Event`` meaning "this event passes the filters"."""
    parts: list[ColumnElement[bool]] = []
    if filters.earliest is not None:
        parts.append(Event.latest >= filters.earliest)
    if filters.latest is not None:
        parts.append(Event.earliest <= filters.latest)
    if filters.kinds:
        parts.append(Event.kind.in_(sorted(filters.kinds)))
    if filters.phases:
        parts.append(Event.phase_id.in_(sorted(filters.phases)))
    if filters.sources:
        parts.append(
            exists(
                select(Evidence.id).where(
                    Evidence.event_id == Event.id, Evidence.source_id.in_(sorted(filters.sources))
                )
            )
        )
    if filters.entities:
        wanted = sorted(filters.entities)
        if filters.entities_all:
            n = (
                select(func.count(func.distinct(Participant.entity_id)))
                .where(Participant.event_id == Event.id, Participant.entity_id.in_(wanted))
                .correlate(Event)
                .scalar_subquery()
            )
            parts.append(n == len(wanted))
        else:
            parts.append(
                exists(
                    select(Participant.id).where(
                        Participant.event_id == Event.id, Participant.entity_id.in_(wanted)
                    )
                )
            )
    return and_(true(), *parts)
