"""The one door every reviewer change goes through.

Actions are planned as an :class:`Edit` (a label and a list of :class:`Put` /
:class:`Delete` operations on annotation rows) and applied by
:meth:`AnnotationService.apply` in one transaction, which returns the inverse
edit (for undo) and a typed :class:`Change` record that is also sent to every
subscriber, so each pane decides what to refresh.

Planning reads the current state, so an edit must be applied right after it is
planned; replaying it later (redo) is safe because a ``Put`` carries the whole
row and displaces whatever occupies its slot.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.workspace import bundled
from db.workspace.anchoring import make_selector, reanchor
from db.workspace.models import (
    CORRECTABLE,
    KINDS,
    NOTE_FORMATS,
    STATUSES,
    TARGET_TYPES,
    Annotation,
    History,
    WorkspaceMeta,
)
from db.workspace.store import Workspace

PRECISION_OF_LENGTH = {10: "day", 7: "month", 4: "year"}
USER_EVENT_PREFIX = "user-"
log = logging.getLogger(__name__)
ANCHORED_AGAINST = "anchored_against"  # fingerprint of the bundled build anchors were checked on


# --- values -------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """A plain snapshot of one annotation row (never a live ORM object)."""

    id: str
    kind: str
    target_type: str
    target_id: str
    key: str
    body: dict[str, Any]
    reviewer: str
    created: str
    modified: str
    selector: dict[str, Any] | None = None
    anchor: str = "anchored"
    format: str = "plain"

    @property
    def slot(self) -> tuple[str, str, str, str]:
        return (self.kind, self.target_type, self.target_id, self.key)

    def same_content(self, other: Row) -> bool:
        """Same slot and same meaning (who and when aside)."""
        return (
            self.slot == other.slot
            and self.body == other.body
            and self.format == other.format
            and (self.selector or {}) == (other.selector or {})
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Row:
        """From :meth:`to_dict` output, tolerating keys older or newer versions wrote."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})

    @classmethod
    def from_orm(cls, a: Annotation) -> Row:
        return cls(
            id=a.id,
            kind=a.kind,
            target_type=a.target_type,
            target_id=a.target_id,
            key=a.key,
            body=dict(a.body),
            reviewer=a.reviewer,
            created=a.created,
            modified=a.modified,
            selector=None if a.selector is None else dict(a.selector),
            anchor=a.anchor,
            format=a.format,
        )


@dataclass(frozen=True)
class Put:
    """Write this row (insert, or replace the row with the same id or the same slot)."""

    row: Row


@dataclass(frozen=True)
class Delete:
    """Remove the row with this id (nothing happens when there is none)."""

    id: str


Op = Put | Delete


@dataclass(frozen=True)
class Edit:
    """One reviewer action: what the Edit menu calls it and what it writes."""

    label: str
    ops: tuple[Op, ...]

    @property
    def empty(self) -> bool:
        return not self.ops


@dataclass(frozen=True)
class Change:
    """What one applied edit changed; panes refresh what concerns them."""

    label: str
    events: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()
    passages: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    annotation_ids: frozenset[str] = frozenset()
    new_events: frozenset[str] = frozenset()  # user events that appeared or disappeared
    everything: bool = False  # import, restore, re-anchoring: refresh all

    @property
    def review(self) -> bool:
        """True when review statuses (and so the progress count) may have changed."""
        return self.everything or bool(self.kinds & {"status", "event"})

    def touches_event(self, event_id: str) -> bool:
        return self.everything or event_id in self.events


@dataclass(frozen=True)
class Applied:
    change: Change
    inverse: Edit


@dataclass(frozen=True)
class HistoryEntry:
    at: str
    reviewer: str
    action: str
    kind: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class DateValue:
    """A corrected date: inclusive day-number interval, precision and its compact text."""

    earliest: int
    latest: int
    precision: str
    value: str

    def to_body(self) -> dict[str, Any]:
        return asdict(self)


def parse_date(text: str, precision: str | None = None) -> DateValue:
    """``1918-03-30``, ``1918-03``, ``1918`` or ``START/END`` as a :class:`DateValue`."""
    value = text.strip()
    parts = value.split("/")
    if len(parts) > 2 or not value:
        raise ValueError(f"not a date: {text!r} (use YYYY, YYYY-MM, YYYY-MM-DD or START/END)")
    bounds = [_date_bounds(p) for p in parts]
    earliest, latest = bounds[0][0], bounds[-1][1]
    if latest < earliest:
        raise ValueError(f"the end of {text!r} is before its start")
    prec = precision or (bounds[0][2] if len(parts) == 1 else _wider(bounds[0][2], bounds[1][2]))
    return DateValue(earliest, latest, prec, value)


def _wider(a: str, b: str) -> str:
    order = ("day", "month", "year")
    return a if order.index(a) >= order.index(b) else b


def _date_bounds(part: str) -> tuple[int, int, str]:
    bits = part.split("-")
    try:
        nums = [int(b) for b in bits]
        if len(bits[0]) != 4 or len(nums) > 3:
            raise ValueError
        if len(nums) == 1:
            return date(nums[0], 1, 1).toordinal(), date(nums[0], 12, 31).toordinal(), "year"
        if len(nums) == 2:
            first = date(nums[0], nums[1], 1)
            nxt = date(nums[0] + (nums[1] == 12), nums[1] % 12 + 1, 1)
            return first.toordinal(), nxt.toordinal() - 1, "month"
        day = date(nums[0], nums[1], nums[2]).toordinal()
        return day, day, "day"
    except ValueError:
        raise ValueError(f"not a date: {part!r} (use YYYY, YYYY-MM or YYYY-MM-DD)") from None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _tagged_date(text: str, start: int, end: int) -> dict[str, Any] | None:
    """The timex tagger's date for a span of a document: the first resolved date inside
    the span, else the last one before it (marked inferred). The text before the span is
    tagged too, so a bare "12 May" takes its year from the narrative."""
    from db.timex import tag_text  # imported here: only this action needs the tagger

    stop = text.find("\n", end)
    found = tag_text(text[: len(text) if stop == -1 else stop])
    dated = [
        t
        for t in found
        if t.earliest is not None and t.latest is not None and t.precision != "duration"
    ]
    inside = [t for t in dated if t.start >= start and t.end <= end]
    before = [t for t in dated if t.end <= start]
    pick = inside[0] if inside else (before[-1] if before else None)
    if pick is None:
        return None
    return {
        "earliest": pick.earliest,
        "latest": pick.latest,
        "precision": pick.precision,
        "value": pick.value,
        "text": pick.text,
        "inferred": not inside,
    }


# --- the service ------------------------------------------------------------------


class AnnotationService:
    """Plans, applies and reads reviewer annotations in one workspace.

    ``engine`` is the read-only bundled database; actions that need the text
    (new event from a selection, evidence links, re-anchoring) require it.
    """

    def __init__(
        self,
        workspace: Workspace,
        engine: Engine | None = None,
        *,
        reviewer: str = "reviewer",
        clock: Callable[[], str] = _now,
        backup_every: int = 50,
    ) -> None:
        self.workspace = workspace
        self.engine = engine
        self.reviewer = reviewer
        self._clock = clock
        self._subscribers: list[Callable[[Change], None]] = []
        self._backup_every = backup_every
        self._since_backup = 0

    # --- observers --------------------------------------------------------------------
    def subscribe(self, callback: Callable[[Change], None]) -> Callable[[], None]:
        """Call ``callback(change)`` after every applied edit; returns the unsubscriber."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback)

    def _announce(self, change: Change) -> None:
        # The edit is committed by now: a failing subscriber must not make it look undone.
        for cb in list(self._subscribers):
            try:
                cb(change)
            except Exception:
                log.exception("annotation change subscriber failed")

    # --- applying -----------------------------------------------------------------------
    def apply(self, edit: Edit, *, history_label: str | None = None) -> Applied:
        """Write an edit in one transaction; returns its inverse and what changed."""
        now = self._clock()
        label = history_label or edit.label
        inverse: list[list[Op]] = []
        touched: list[Row] = []
        with Session(self.workspace.engine) as s, s.begin():
            for op in edit.ops:
                undo: list[Op] = []
                if isinstance(op, Put):
                    row = op.row
                    self._check(row)
                    before = s.get(Annotation, row.id)
                    displaced = s.scalar(
                        select(Annotation).where(
                            Annotation.kind == row.kind,
                            Annotation.target_type == row.target_type,
                            Annotation.target_id == row.target_id,
                            Annotation.key == row.key,
                            Annotation.id != row.id,
                        )
                    )
                    old = Row.from_orm(before) if before is not None else None
                    gone = Row.from_orm(displaced) if displaced is not None else None
                    if displaced is not None:
                        s.delete(displaced)
                        s.flush()
                    if before is None:
                        s.add(Annotation(**row.to_dict()))
                    else:
                        for k, v in row.to_dict().items():
                            setattr(before, k, v)
                    undo.append(Put(old) if old is not None else Delete(row.id))
                    if gone is not None:
                        undo.append(Put(gone))
                    for r in (old, gone, row):
                        if r is not None:
                            touched.append(r)
                    self._log(s, row, label, gone or old, row, now)
                    if old is not None and gone is not None:
                        self._log(s, gone, label, gone, None, now)
                else:
                    current = s.get(Annotation, op.id)
                    if current is None:
                        continue
                    old = Row.from_orm(current)
                    s.delete(current)
                    undo.append(Put(old))
                    touched.append(old)
                    self._log(s, old, label, old, None, now)
                s.flush()
                inverse.append(undo)
        change = self._change(label, touched)
        self._since_backup += 1
        if self._backup_every and self._since_backup >= self._backup_every:
            self._since_backup = 0
            try:
                self.workspace.backup()
            except (OSError, sqlite3.Error):  # the edit itself is committed; try again later
                log.exception("rolling backup failed")
        self._announce(change)
        ops = tuple(op for undo in reversed(inverse) for op in undo)
        return Applied(change, Edit(edit.label, ops))

    @staticmethod
    def _check(row: Row) -> None:
        if row.kind not in KINDS:
            raise ValueError(f"unknown annotation kind {row.kind!r}")
        if row.target_type not in TARGET_TYPES:
            raise ValueError(f"unknown target type {row.target_type!r}")
        if row.format not in NOTE_FORMATS:
            raise ValueError(f"unknown note format {row.format!r}")

    def _log(
        self, s: Session, row: Row, label: str, before: Row | None, after: Row | None, now: str
    ) -> None:
        target_type, target_id = row.target_type, row.target_id
        if row.kind == "evidence" or (row.target_type != "event" and "event" in row.body):
            target_type, target_id = "event", str(row.body.get("event", row.target_id))
        s.add(
            History(
                target_type=target_type,
                target_id=target_id,
                action=label,
                kind=row.kind,
                before=None if before is None else before.to_dict(),
                after=None if after is None else after.to_dict(),
                reviewer=self.reviewer,
                at=now,
            )
        )

    @staticmethod
    def _change(label: str, rows: Iterable[Row]) -> Change:
        events: set[str] = set()
        entities: set[str] = set()
        passages: set[str] = set()
        new_events: set[str] = set()
        kinds: set[str] = set()
        ids: set[str] = set()
        for r in rows:
            kinds.add(r.kind)
            ids.add(r.id)
            {"event": events, "entity": entities, "passage": passages}[r.target_type].add(
                r.target_id
            )
            if r.kind == "event":
                new_events.add(r.target_id)
            if r.kind == "participant":
                entities.add(str(r.body.get("entity")))
        return Change(
            label,
            frozenset(events),
            frozenset(entities),
            frozenset(passages),
            frozenset(kinds),
            frozenset(ids),
            frozenset(new_events),
        )

    # --- reading ----------------------------------------------------------------------
    def rows(
        self,
        *,
        kind: str | None = None,
        target_type: str | None = None,
        target_id: str | None = None,
    ) -> list[Row]:
        """Annotations, oldest first, optionally narrowed to a kind and/or target."""
        q = select(Annotation).order_by(Annotation.created, Annotation.id)
        if kind is not None:
            q = q.where(Annotation.kind == kind)
        if target_type is not None:
            q = q.where(Annotation.target_type == target_type)
        if target_id is not None:
            q = q.where(Annotation.target_id == target_id)
        with Session(self.workspace.engine) as s:
            return [Row.from_orm(a) for a in s.scalars(q)]

    def row(self, annotation_id: str) -> Row | None:
        with Session(self.workspace.engine) as s:
            a = s.get(Annotation, annotation_id)
            return None if a is None else Row.from_orm(a)

    def _slot(self, kind: str, target_type: str, target_id: str, key: str) -> Row | None:
        with Session(self.workspace.engine) as s:
            a = s.scalar(
                select(Annotation).where(
                    Annotation.kind == kind,
                    Annotation.target_type == target_type,
                    Annotation.target_id == target_id,
                    Annotation.key == key,
                )
            )
            return None if a is None else Row.from_orm(a)

    def history(self, target_type: str, target_id: str) -> list[HistoryEntry]:
        """Everything that happened to one event (or entity, passage), oldest first."""
        with Session(self.workspace.engine) as s:
            rows = s.scalars(
                select(History)
                .where(History.target_type == target_type, History.target_id == target_id)
                .order_by(History.id)
            )
            return [
                HistoryEntry(h.at, h.reviewer, h.action, h.kind, h.before, h.after) for h in rows
            ]

    def name(self, target_type: str, target_id: str) -> str:
        """How labels and history name a target: “title” of an event, an entity's name."""
        found: str | None = None
        if self.engine is not None and target_type == "event":
            found = bundled.event_title(self.engine, target_id)
        elif self.engine is not None and target_type == "entity":
            found = bundled.entity_name(self.engine, target_id)
        if found is None and target_type == "event":
            made = self._slot("event", "event", target_id, "")
            found = None if made is None else str(made.body.get("title", "")) or None
        if found is None:
            return f"{target_type} {target_id}"
        return f"“{found if len(found) <= 48 else found[:47] + '…'}”"

    # --- planning actions ------------------------------------------------------------------
    def _new_row(
        self,
        kind: str,
        target_type: str,
        target_id: str,
        key: str,
        body: dict[str, Any],
        *,
        selector: dict[str, Any] | None = None,
        fmt: str = "plain",
    ) -> Row:
        """A row for this slot, keeping the id and creation time of what occupies it now."""
        now = self._clock()
        current = self._slot(kind, target_type, target_id, key)
        return Row(
            id=current.id if current is not None else new_id(),
            kind=kind,
            target_type=target_type,
            target_id=target_id,
            key=key,
            body=body,
            reviewer=self.reviewer,
            created=current.created if current is not None else now,
            modified=now,
            selector=selector,
            format=fmt,
        )

    def set_status(self, event_id: str, status: str, reason: str = "") -> Edit:
        """Review an event: unreviewed, confirmed, disputed or rejected, with a reason."""
        if status not in STATUSES:
            raise ValueError(f"unknown review status {status!r}; one of {', '.join(STATUSES)}")
        row = self._new_row("status", "event", event_id, "", {"status": status, "reason": reason})
        return Edit(f"Mark {self.name('event', event_id)} {status}", (Put(row),))

    def correct(self, event_id: str, field: str, value: Any) -> Edit:
        """Correct an event's title, kind, date (a :class:`DateValue` or text) or phase."""
        if field not in CORRECTABLE:
            raise ValueError(f"cannot correct {field!r}; one of {', '.join(CORRECTABLE)}")
        if field == "date":
            if isinstance(value, str):
                value = parse_date(value)
            if not isinstance(value, DateValue):
                raise TypeError("a date correction needs a DateValue or date text")
            payload: Any = value.to_body()
        else:
            payload = None if value is None else str(value).strip()
            if field in ("title", "kind") and not payload:
                raise ValueError(f"the {field} cannot be empty")
        row = self._new_row(
            "correction", "event", event_id, field, {"field": field, "value": payload}
        )
        return Edit(f"Correct {field} of {self.name('event', event_id)}", (Put(row),))

    def clear_correction(self, event_id: str, field: str) -> Edit:
        current = self._slot("correction", "event", event_id, field)
        ops: tuple[Op, ...] = (Delete(current.id),) if current is not None else ()
        return Edit(f"Restore original {field} of {self.name('event', event_id)}", ops)

    def add_participant(self, event_id: str, entity_id: str, role: str = "participant") -> Edit:
        """Add an entity to an event (``role="place"`` for a place)."""
        return self._participant(event_id, entity_id, role, "add")

    def remove_participant(self, event_id: str, entity_id: str, role: str = "participant") -> Edit:
        return self._participant(event_id, entity_id, role, "remove")

    def _participant(self, event_id: str, entity_id: str, role: str, op: str) -> Edit:
        body = {"entity": entity_id, "role": role, "op": op}
        row = self._new_row("participant", "event", event_id, f"{role}:{entity_id}", body)
        what = "place" if role == "place" else "participant"
        verb = "Add" if op == "add" else "Remove"
        return Edit(
            f"{verb} {what} {self.name('entity', entity_id)} {'to' if op == 'add' else 'from'} {self.name('event', event_id)}",
            (Put(row),),
        )

    def add_note(
        self,
        target_type: str,
        target_id: str,
        text: str,
        fmt: str = "plain",
    ) -> Edit:
        """A note on an event, an entity or a passage (plain text or Markdown)."""
        if not text.strip():
            raise ValueError("a note cannot be empty")
        selector = None
        if target_type == "passage" and self.engine is not None:
            span = bundled.passage_span(self.engine, int(target_id))
            src = None if span is None else bundled.source_text(self.engine, span[0])
            if span is not None and src is not None:
                selector = make_selector(span[0], src, span[1], span[2])
        nid = new_id()
        now = self._clock()
        row = Row(
            nid,
            "note",
            target_type,
            target_id,
            nid,
            {"text": text},
            self.reviewer,
            now,
            now,
            selector,
            format=fmt,
        )
        return Edit(f"Note on {self.name(target_type, target_id)}", (Put(row),))

    def edit_note(self, note_id: str, text: str, fmt: str | None = None) -> Edit:
        current = self._existing(note_id, "note")
        row = replace(
            current,
            body={**current.body, "text": text},
            format=fmt or current.format,
            reviewer=self.reviewer,
            modified=self._clock(),
        )
        return Edit(
            f"Edit note on {self.name(current.target_type, current.target_id)}", (Put(row),)
        )

    def delete_note(self, note_id: str) -> Edit:
        current = self._existing(note_id, "note")
        return Edit(
            f"Delete note on {self.name(current.target_type, current.target_id)}",
            (Delete(note_id),),
        )

    def _existing(self, annotation_id: str, kind: str) -> Row:
        row = self.row(annotation_id)
        if row is None or row.kind != kind:
            raise KeyError(f"no {kind} {annotation_id}")
        return row

    def add_tag(self, target_type: str, target_id: str, tag: str) -> Edit:
        name = tag.strip()
        if not name:
            raise ValueError("a tag cannot be empty")
        row = self._new_row("tag", target_type, target_id, name.casefold(), {"tag": name})
        return Edit(f"Tag {self.name(target_type, target_id)} #{name}", (Put(row),))

    def remove_tag(self, target_type: str, target_id: str, tag: str) -> Edit:
        current = self._slot("tag", target_type, target_id, tag.strip().casefold())
        ops: tuple[Op, ...] = (Delete(current.id),) if current is not None else ()
        return Edit(f"Untag {self.name(target_type, target_id)} #{tag.strip()}", ops)

    def _need_engine(self) -> Engine:
        if self.engine is None:
            raise RuntimeError("this action needs the bundled database")
        return self.engine

    def _text_selector(self, source_id: str, start: int, end: int) -> dict[str, Any]:
        engine = self._need_engine()
        text = bundled.source_text(engine, source_id)
        if text is None:
            raise KeyError(f"no source {source_id!r}")
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            raise ValueError("the selection is empty")
        return make_selector(source_id, text, start, end)

    def link_evidence(self, event_id: str, source_id: str, start: int, end: int) -> Edit:
        """Link a text span (a passage or part of it) as further evidence of an event."""
        selector = self._text_selector(source_id, start, end)
        passage = bundled.passage_at(self._need_engine(), source_id, selector["start"])
        nid = new_id()
        now = self._clock()
        body = {"event": event_id, "passage": passage}
        row = Row(nid, "evidence", "event", event_id, nid, body, self.reviewer, now, now, selector)
        return Edit(f"Link evidence to {self.name('event', event_id)}", (Put(row),))

    def unlink_evidence(self, annotation_id: str) -> Edit:
        current = self._existing(annotation_id, "evidence")
        return Edit(
            f"Unlink evidence from {self.name('event', current.target_id)}",
            (Delete(annotation_id),),
        )

    def suggest_event(self, source_id: str, start: int, end: int) -> dict[str, Any]:
        """What a new event from this selection would be: title, date, participants, places."""
        engine = self._need_engine()
        selector = self._text_selector(source_id, start, end)
        s, e, exact = selector["start"], selector["end"], selector["exact"]
        title = " ".join(exact.split())
        if len(title) > 80:
            title = title[:79].rsplit(" ", 1)[0] + "…"
        date_body: dict[str, Any] | None = None
        hits = bundled.timexes_in(engine, source_id, s, e)
        if hits:
            h = hits[0]
            date_body = {
                "earliest": h.earliest,
                "latest": h.latest,
                "precision": h.precision,
                "value": h.value,
                "text": h.text,
            }
        else:
            text = bundled.source_text(engine, source_id) or ""
            date_body = _tagged_date(text, s, e)
        participants = [
            {"entity": eid, "role": "place" if etype == "place" else "participant"}
            for eid, etype in bundled.mentions_in(engine, source_id, s, e)
        ]
        return {
            "title": title,
            "kind": "other",
            "date": date_body,
            "participants": participants,
            "passage": bundled.passage_at(engine, source_id, s),
            "selector": selector,
        }

    def new_event_from_selection(
        self,
        source_id: str,
        start: int,
        end: int,
        *,
        title: str | None = None,
        kind: str | None = None,
    ) -> Edit:
        """A new event whose evidence is the selected text; date and participants suggested."""
        sug = self.suggest_event(source_id, start, end)
        event_id = f"{USER_EVENT_PREFIX}{uuid.uuid4().hex[:12]}"
        now = self._clock()
        body = {
            "title": title or sug["title"],
            "kind": kind or sug["kind"],
            "date": sug["date"],
            "participants": sug["participants"],
            "passage": sug["passage"],
        }
        nid = new_id()
        row = Row(
            nid, "event", "event", event_id, "", body, self.reviewer, now, now, sug["selector"]
        )
        return Edit(f"New event “{body['title']}”", (Put(row),))

    def resolve(self, theirs: Row) -> Edit:
        """Take the other reviewer's side of an import conflict."""
        return Edit(
            f"Take {theirs.reviewer}'s {theirs.kind} on {self.name(theirs.target_type, theirs.target_id)}",
            (Put(theirs),),
        )

    # --- re-anchoring ------------------------------------------------------------------
    def reanchor(self) -> list[Row]:
        """Re-anchor every text selector against the bundled texts (after a corpus update).

        Moves selectors whose quote moved, marks the ones whose quote is gone as
        orphaned (they are kept) and returns the orphaned annotations. Targets
        that are events the bundled database no longer has are listed too.
        Remembers which build it checked against (see :meth:`reanchor_if_needed`).
        """
        engine = self._need_engine()
        stamp = bundled.fingerprint(engine)
        changed: list[Row] = []
        with Session(self.workspace.engine) as s, s.begin():
            anchored = list(s.scalars(select(Annotation).where(Annotation.selector.is_not(None))))
            texts = bundled.source_texts(
                engine, {str((a.selector or {}).get("source")) for a in anchored}
            )
            for a in anchored:
                sel = dict(a.selector or {})
                where = reanchor(texts.get(str(sel.get("source"))), sel)
                if (where.start, where.end) != (
                    sel["start"],
                    sel["end"],
                ) or where.state != a.anchor:
                    sel["start"], sel["end"] = where.start, where.end
                    a.selector = sel
                    a.anchor = where.state
                    if a.target_type == "passage" and where.state != "orphaned":
                        pid = bundled.passage_at(engine, str(sel["source"]), where.start)
                        if pid is not None:
                            a.target_id = str(pid)
                    changed.append(Row.from_orm(a))
            s.merge(WorkspaceMeta(key=ANCHORED_AGAINST, value=stamp))
        if changed:
            self._announce(replace(self._change("Re-anchor annotations", changed), everything=True))
        return self.unanchored()

    def reanchor_if_needed(self) -> list[Row] | None:
        """Re-anchor when the bundled build differs from the one last checked against.

        Returns None when nothing needed doing, else the annotations that lost their anchor.
        """
        engine = self._need_engine()
        with Session(self.workspace.engine) as s:
            last = s.get(WorkspaceMeta, ANCHORED_AGAINST)
            seen = None if last is None else last.value
        if seen == bundled.fingerprint(engine):
            return None
        return self.reanchor()

    def unanchored(self) -> list[Row]:
        """Annotations that no longer find their text or their event: to be shown, not dropped."""
        lost = [r for r in self.rows() if r.anchor == "orphaned"]
        if self.engine is not None:
            user_events = {r.target_id for r in self.rows(kind="event")}
            seen = {r.id for r in lost}
            for r in self.rows(target_type="event"):
                if r.id in seen or r.kind == "event" or r.target_id in user_events:
                    continue
                if not bundled.event_exists(self.engine, r.target_id):
                    lost.append(r)
        return lost


def describe(row: Row) -> str:
    """A one-line human description of an annotation (history lists, conflict lists)."""
    b = row.body
    if row.kind == "status":
        return f"{b.get('status')}" + (f": {b['reason']}" if b.get("reason") else "")
    if row.kind == "correction":
        v = b.get("value")
        shown = v.get("value") if isinstance(v, dict) else v
        return f"{b.get('field')} → {shown}"
    if row.kind == "participant":
        return f"{b.get('op')} {b.get('role')} {b.get('entity')}"
    if row.kind == "note":
        return str(b.get("text", ""))[:80]
    if row.kind == "tag":
        return f"#{b.get('tag')}"
    if row.kind == "event":
        return f"new event “{b.get('title')}”"
    if row.kind == "evidence":
        return f"evidence “{(row.selector or {}).get('exact', '')[:60]}”"
    return row.kind


__all__ = [
    "AnnotationService",
    "Applied",
    "Change",
    "DateValue",
    "Delete",
    "Edit",
    "HistoryEntry",
    "Op",
    "Put",
    "Row",
    "describe",
    "parse_date",
]
