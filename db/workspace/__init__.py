"""The reviewer's workspace: annotations in their own SQLite file, with migrations.

Pure Python (no Qt). Open with :func:`open_workspace`, change it only through
:class:`AnnotationService`, read the bundled data with the reviewer's changes
applied through :mod:`db.workspace.effective`.
"""

from __future__ import annotations

from db.workspace.effective import (
    EffectiveEvent,
    Progress,
    ReviewStatus,
    effective_event,
    effective_events,
    progress,
    rejected_events,
    review_status,
    review_statuses,
)
from db.workspace.exchange import ImportFormatError, MergePlan, plan_merge, read_import
from db.workspace.models import CORRECTABLE, STATUSES
from db.workspace.service import AnnotationService, Change, Edit, Row, parse_date
from db.workspace.store import Workspace, WorkspaceError, open_workspace

__all__ = [
    "CORRECTABLE",
    "STATUSES",
    "AnnotationService",
    "Change",
    "Edit",
    "EffectiveEvent",
    "ImportFormatError",
    "MergePlan",
    "Progress",
    "ReviewStatus",
    "Row",
    "Workspace",
    "WorkspaceError",
    "effective_event",
    "effective_events",
    "open_workspace",
    "parse_date",
    "plan_merge",
    "progress",
    "read_import",
    "rejected_events",
    "review_status",
    "review_statuses",
]
