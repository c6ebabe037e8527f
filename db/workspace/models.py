"""The workspace schema: the reviewer's own work, separate from the read-only bundled database.

One table holds every annotation. A row is addressed two ways: by its ``id``
(a ``urn:uuid:`` that survives export and import) and by its *slot*
``(kind, target_type, target_id, key)``. Single-valued annotations (a review
status, a correction of one field, a participant added or removed) use a fixed
key so a new value replaces the old one in the same slot; notes, evidence links
and new events use their id as key so there can be many.

The schema is changed only by the Alembic scripts in ``migrations/``; this
module must describe the *latest* revision.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import JSON, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: What a reviewer can say about an event.
STATUSES = ("unreviewed", "confirmed", "disputed", "rejected")
#: Fields of an event a reviewer can correct.
CORRECTABLE = ("title", "kind", "date", "phase")
#: Annotation kinds and the W3C Web Annotation motivation each is exported with.
MOTIVATIONS: dict[str, str] = {
    "status": "assessing",
    "correction": "editing",
    "participant": "identifying",
    "note": "commenting",
    "event": "describing",
    "evidence": "linking",
    "tag": "tagging",
}
KINDS = tuple(MOTIVATIONS)
TARGET_TYPES = ("event", "entity", "passage")
NOTE_FORMATS = ("plain", "markdown")
ANCHOR_STATES = ("anchored", "moved", "orphaned")


class WorkspaceBase(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON}


class Annotation(WorkspaceBase):
    """One piece of reviewer work on an event, entity or passage."""

    __tablename__ = "annotation"
    id: Mapped[str] = mapped_column(String, primary_key=True)  # urn:uuid:...
    kind: Mapped[str] = mapped_column(String)  # one of KINDS
    target_type: Mapped[str] = mapped_column(String)  # one of TARGET_TYPES
    target_id: Mapped[str] = mapped_column(String)
    key: Mapped[str] = mapped_column(String)  # slot within (kind, target): see module doc
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    # W3C selectors for text this annotation points at: {"source", "exact", "prefix",
    # "suffix", "start", "end"}; None for annotations on an event or entity as a whole.
    selector: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    anchor: Mapped[str] = mapped_column(String, default="anchored")  # one of ANCHOR_STATES
    # Added in revision 0002: notes are plain text or Markdown.
    format: Mapped[str] = mapped_column(String, default="plain", server_default="plain")
    reviewer: Mapped[str] = mapped_column(String)
    created: Mapped[str] = mapped_column(String)  # ISO 8601, UTC
    modified: Mapped[str] = mapped_column(String)

    __table_args__ = (
        UniqueConstraint("kind", "target_type", "target_id", "key", name="uq_annotation_slot"),
        Index("ix_annotation_target", "target_type", "target_id"),
    )

    def __repr__(self) -> str:
        return f"Annotation({self.kind} {self.target_type}:{self.target_id} [{self.key}])"


class History(WorkspaceBase):
    """What happened, in order: every applied action, undo and redo, per event."""

    __tablename__ = "history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    target_type: Mapped[str] = mapped_column(String)
    target_id: Mapped[str] = mapped_column(String)
    action: Mapped[str] = mapped_column(Text)  # what the reviewer saw in the Edit menu
    kind: Mapped[str] = mapped_column(String)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reviewer: Mapped[str] = mapped_column(String)
    at: Mapped[str] = mapped_column(String)

    __table_args__ = (Index("ix_history_target", "target_type", "target_id"),)

    def __repr__(self) -> str:
        return f"History({self.at} {self.target_type}:{self.target_id} {self.action!r})"


class WorkspaceMeta(WorkspaceBase):
    """Facts about the workspace itself (revision 0003), e.g. ``anchored_against``."""

    __tablename__ = "workspace_meta"
    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"WorkspaceMeta({self.key!r}={self.value!r})"
