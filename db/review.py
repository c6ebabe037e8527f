"""The reviewer's changes as every pane sees them: an overlay on the read-only bundled data.

The bundled database never changes; the reviewer's statuses, corrections, added or removed
participants, extra evidence and own events live in the workspace
(:mod:`db.workspace`). :class:`ReviewOverlay` holds what of that changes what a pane
shows, in memory: the review status of every reviewed event and the *effective* version
of each event the reviewer changed or created. It is small (one entry per reviewed or
changed event), so applying it to a query's rows costs a dictionary lookup per row.

:mod:`db.query` keeps one overlay per engine (:func:`db.query.set_review`); its event
functions return the effective view.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from db.filters import UNREVIEWED, Filters

if TYPE_CHECKING:
    from db.workspace.effective import EffectiveEvent

REJECTED = "rejected"


@dataclass(frozen=True, eq=False)
class ReviewOverlay:
    """Review statuses and changed events; ``show_rejected`` False hides rejected events."""

    statuses: Mapping[str, str] = field(default_factory=dict)  # reviewed events only
    events: Mapping[str, EffectiveEvent] = field(default_factory=dict)  # changed or the reviewer's
    show_rejected: bool = True

    # Derived once per overlay (it is replaced, never changed, on every workspace change).
    @cached_property
    def rejected(self) -> frozenset[str]:
        return frozenset(e for e, s in self.statuses.items() if s == REJECTED)

    def status(self, event_id: str) -> str:
        return self.statuses.get(event_id, UNREVIEWED)

    def hidden(self, event_id: str) -> bool:
        """Rejected, and the reviewer chose to hide rejected events."""
        return not self.show_rejected and self.statuses.get(event_id) == REJECTED

    @cached_property
    def hidden_ids(self) -> frozenset[str]:
        """The events no pane shows (rejected, while rejected events are hidden)."""
        return frozenset() if self.show_rejected else self.rejected

    @cached_property
    def overridden(self) -> frozenset[str]:
        """Bundled events whose stored rows must not be shown as they are: hidden, or
        replaced by the reviewer's version (queries leave them out and add ``events``)."""
        return self.hidden_ids | frozenset(self.events)

    def dimmed(self, event_id: str) -> bool:
        """Rejected, and shown dimmed."""
        return self.show_rejected and self.statuses.get(event_id) == REJECTED

    def is_empty(self) -> bool:
        return not self.statuses and not self.events

    def user_ids(self) -> list[str]:
        return [e.id for e in self.events.values() if e.origin == "user"]

    def matches(self, event: EffectiveEvent, filters: Filters | None) -> bool:
        """Whether an effective event passes the filters (what :func:`db.filters.event_clause`
        means, evaluated on the reviewer's values instead of the bundled ones)."""
        if filters is None:
            return True
        f = filters
        if f.earliest is not None and event.latest < f.earliest:
            return False
        if f.latest is not None and event.earliest > f.latest:
            return False
        if f.kinds and event.kind not in f.kinds:
            return False
        if f.phases and event.phase_id not in f.phases:
            return False
        if f.sources and not any(ev.source_id in f.sources for ev in event.evidence):
            return False
        if f.entities:
            involved = {e for e, _role in event.participants}
            if f.entities_all and not f.entities <= involved:
                return False
            if not f.entities_all and not f.entities & involved:
                return False
        return not (f.review_statuses and self.status(event.id) not in f.review_statuses)


#: No reviewer changes: the bundled data as built.
EMPTY = ReviewOverlay()
