"""Filters every pane applies: a plain value object plus the SQL it means.

Held by the GUI's selection context; pure Python so the query layer, the
exporters and the command line can apply the same filters.

Semantics (each set field restricts; fields combine with AND, values within a
field with OR — except entities with ``entities_all``):

- events (:func:`event_clause`): the date interval overlaps [earliest, latest];
  kind, phase in the chosen ones; at least one evidence passage from a chosen
  source; the chosen entities take part (any, or all); review status (from the
  workspace, passed as ``review``; events without one are ``"unreviewed"``).
- passages (:func:`passage_clause`): in a chosen source; mentioning the chosen
  entities (any/all); and, when a date, kind, phase or review filter is set,
  evidence for an event passing those.
- entities (:func:`entity_clause`): taking part in at least one event that
  passes the filters (with an entity filter: the chosen entities and those
  sharing an event with them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, exists, func, not_, select, true
from sqlalchemy.orm import Session, aliased

from db.models import Entity, Event, Evidence, Mention, Participant, Passage, Phase, Source

_Ev = aliased(Evidence)
_Pa = aliased(Participant)

#: Review status of an event the workspace has no annotation for.
UNREVIEWED = "unreviewed"


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

    def chips(self) -> list[tuple[str, str | None, str]]:
        """(field, value, label) for each removable chip: one per chosen value, one for the dates.

        Labels use ids; a widget that knows names (:func:`labels`) can relabel them.
        """
        from datetime import date

        out: list[tuple[str, str | None, str]] = []
        if self.earliest is not None or self.latest is not None:
            a = date.fromordinal(self.earliest).isoformat() if self.earliest is not None else "…"
            b = date.fromordinal(self.latest).isoformat() if self.latest is not None else "…"
            out.append(("dates", None, f"{a} – {b}"))
        for name in ("kinds", "sources", "entities", "phases", "review_statuses"):
            values: frozenset[str] = getattr(self, name)
            out.extend((name, v, v) for v in sorted(values))
        return out

    def without_value(self, name: str, value: str | None) -> Filters:
        """These filters with one chip removed (``value`` None: the whole field)."""
        if value is None or name == "dates":
            return self.without(name)
        current: frozenset[str] = getattr(self, name)
        rest = current - {value}
        if name == "entities" and not rest:
            return replace(self, entities=frozenset(), entities_all=False)
        changes: dict[str, Any] = {name: rest}
        return replace(self, **changes)

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


def _review_clause(
    statuses: frozenset[str], review: Mapping[str, str] | None
) -> ColumnElement[bool]:
    """Events whose review status (``review``: event id → status) is one of ``statuses``."""
    review = review or {}
    if UNREVIEWED in statuses:
        # Everything except the events annotated with a status not asked for.
        excluded = sorted(e for e, st in review.items() if st not in statuses)
        return not_(Event.id.in_(excluded)) if excluded else true()
    included = sorted(e for e, st in review.items() if st in statuses)
    return Event.id.in_(included)


def event_clause(
    filters: Filters, *, review: Mapping[str, str] | None = None
) -> ColumnElement[bool]:
    """A WHERE clause on ``Event`` meaning "this event passes the filters".

    ``review`` maps event id → review status (annotations live in the
    workspace database, not beside the events); only the review-status filter
    reads it.
    """
    # Subqueries use aliases so that, nested in a query that itself reads evidence or
    # participants (passage_clause, entity_clause), they never correlate to its rows.
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
                select(_Ev.id).where(
                    _Ev.event_id == Event.id, _Ev.source_id.in_(sorted(filters.sources))
                )
            )
        )
    if filters.entities:
        wanted = sorted(filters.entities)
        if filters.entities_all:
            n = (
                select(func.count(func.distinct(_Pa.entity_id)))
                .where(_Pa.event_id == Event.id, _Pa.entity_id.in_(wanted))
                .correlate(Event)
                .scalar_subquery()
            )
            parts.append(n == len(wanted))
        else:
            parts.append(
                exists(select(_Pa.id).where(_Pa.event_id == Event.id, _Pa.entity_id.in_(wanted)))
            )
    if filters.review_statuses:
        parts.append(_review_clause(filters.review_statuses, review))
    return and_(true(), *parts)


def has_event_restriction(filters: Filters) -> bool:
    """Whether a filter is set that only events can answer (dates, kinds, phases, review)."""
    return bool(
        filters.earliest is not None
        or filters.latest is not None
        or filters.kinds
        or filters.phases
        or filters.review_statuses
    )


def _event_only(filters: Filters) -> Filters:
    return replace(filters, sources=frozenset(), entities=frozenset(), entities_all=False)


def passage_clause(
    filters: Filters, *, review: Mapping[str, str] | None = None
) -> ColumnElement[bool]:
    """A WHERE clause on ``Passage`` meaning "this passage passes the filters"."""
    parts: list[ColumnElement[bool]] = []
    if filters.sources:
        parts.append(Passage.source_id.in_(sorted(filters.sources)))
    if filters.entities:
        wanted = sorted(filters.entities)
        if filters.entities_all:
            n = (
                select(func.count(func.distinct(Mention.entity_id)))
                .where(Mention.passage_id == Passage.id, Mention.entity_id.in_(wanted))
                .correlate(Passage)
                .scalar_subquery()
            )
            parts.append(n == len(wanted))
        else:
            parts.append(
                exists(
                    select(Mention.id).where(
                        Mention.passage_id == Passage.id, Mention.entity_id.in_(wanted)
                    )
                )
            )
    if has_event_restriction(filters):
        parts.append(
            exists(
                select(Evidence.id)
                .join(Event, Event.id == Evidence.event_id)
                .where(
                    Evidence.passage_id == Passage.id,
                    event_clause(_event_only(filters), review=review),
                )
            )
        )
    return and_(true(), *parts)


def entity_clause(
    filters: Filters, *, review: Mapping[str, str] | None = None
) -> ColumnElement[bool]:
    """A WHERE clause on ``Entity`` meaning "this entity passes the filters"."""
    if filters.is_empty():
        return true()
    # Through events, also for a source filter, so the filter bar's count agrees with the
    # entity pane (db.query._entity_scope): entities are in the chronology by their events.
    return exists(
        select(Participant.id)
        .join(Event, Event.id == Participant.event_id)
        .where(Participant.entity_id == Entity.id, event_clause(filters, review=review))
    )


# --- what the filter bar offers and counts ------------------------------------------------


@dataclass(frozen=True)
class FilterOptions:
    """The values a filter can take in one database, with how many events each has."""

    kinds: tuple[tuple[str, int], ...]  # (kind, events)
    sources: tuple[tuple[str, str, int], ...]  # (id, title, events with evidence there)
    phases: tuple[tuple[str, str, int], ...]  # (id, title, events)
    date_range: tuple[int, int] | None  # earliest and latest event day


def options(engine: Engine) -> FilterOptions:
    """Every kind, source and phase present, for the filter menus."""
    with Session(engine) as s:
        kinds = tuple(
            (str(k), int(n))
            for k, n in s.execute(
                select(Event.kind, func.count()).group_by(Event.kind).order_by(Event.kind)
            )
        )
        ev_per_source = (
            select(Evidence.source_id, func.count(func.distinct(Evidence.event_id)).label("n"))
            .group_by(Evidence.source_id)
            .subquery()
        )
        sources = tuple(
            (str(i), str(t), int(n or 0))
            for i, t, n in s.execute(
                select(Source.id, Source.title, ev_per_source.c.n)
                .outerjoin(ev_per_source, ev_per_source.c.source_id == Source.id)
                .order_by(Source.ordinal)
            )
        )
        ev_per_phase = (
            select(Event.phase_id, func.count().label("n")).group_by(Event.phase_id).subquery()
        )
        phases = tuple(
            (str(i), str(t), int(n or 0))
            for i, t, n in s.execute(
                select(Phase.id, Phase.title, ev_per_phase.c.n)
                .outerjoin(ev_per_phase, ev_per_phase.c.phase_id == Phase.id)
                .order_by(Phase.earliest, Phase.id)
            )
        )
        lo, hi = s.execute(select(func.min(Event.earliest), func.max(Event.latest))).one()
    return FilterOptions(
        kinds, sources, phases, (int(lo), int(hi)) if lo is not None and hi is not None else None
    )


def labels(engine: Engine, filters: Filters) -> dict[tuple[str, str], str]:
    """Readable names for the ids a filter holds: ``{("entities", "shusha"): "Shusha", ...}``."""
    out: dict[tuple[str, str], str] = {}
    with Session(engine) as s:
        if filters.entities:
            for i, n in s.execute(
                select(Entity.id, Entity.name).where(Entity.id.in_(sorted(filters.entities)))
            ):
                out[("entities", str(i))] = str(n)
        if filters.sources:
            for i, n in s.execute(
                select(Source.id, Source.title).where(Source.id.in_(sorted(filters.sources)))
            ):
                out[("sources", str(i))] = str(n)
        if filters.phases:
            for i, n in s.execute(
                select(Phase.id, Phase.title).where(Phase.id.in_(sorted(filters.phases)))
            ):
                out[("phases", str(i))] = str(n)
    return out


def counts(
    engine: Engine, filters: Filters, *, review: Mapping[str, str] | None = None
) -> dict[str, int]:
    """How many events, entities and passages pass the filters."""
    with Session(engine) as s:
        return {
            "event": int(
                s.execute(
                    select(func.count())
                    .select_from(Event)
                    .where(event_clause(filters, review=review))
                ).scalar_one()
            ),
            "entity": int(
                s.execute(
                    select(func.count())
                    .select_from(Entity)
                    .where(entity_clause(filters, review=review))
                ).scalar_one()
            ),
            "passage": int(
                s.execute(
                    select(func.count())
                    .select_from(Passage)
                    .where(passage_clause(filters, review=review))
                ).scalar_one()
            ),
        }


def chip_counts(
    engine: Engine, filters: Filters, *, review: Mapping[str, str] | None = None
) -> dict[tuple[str, str | None], int]:
    """For each chip of ``filters``, how many events that chip alone lets through."""
    out: dict[tuple[str, str | None], int] = {}
    with Session(engine) as s:
        for name, value, _label in filters.chips():
            if name == "dates":
                alone = Filters(earliest=filters.earliest, latest=filters.latest)
            else:
                changes: dict[str, Any] = {name: frozenset({value})}
                alone = replace(Filters(), **changes)
            out[(name, value)] = int(
                s.execute(
                    select(func.count())
                    .select_from(Event)
                    .where(event_clause(alone, review=review))
                ).scalar_one()
            )
    return out
