"""The event-detail pane: title, dates (as normalized, as written, Julian), how the date was
found, participants and places (click to select), phase, and the accounts side by side."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QListView,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from db import query
from db.query import EventDetail
from desktop.detail.model import AccountsModel, ParticipantModel
from desktop.roles import ID_ROLE
from desktop.selection import SelectionContext

PRECISION_LABELS = {
    "day": "to the day",
    "part_of_month": "part of a month",
    "month": "to the month",
    "season": "to the season",
    "year": "to the year",
    "decade": "to the decade",
    "century": "to the century",
}


def _plain_label(parent: QWidget, name: str, accessible: str, wrap: bool = True) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setAccessibleName(accessible)
    label.setTextFormat(Qt.TextFormat.PlainText)
    # Word-wrapped labels ask for their height by laying the text out repeatedly; short
    # one-line fields skip that on every selection.
    label.setWordWrap(wrap)
    if not wrap:
        label.setMinimumWidth(1)
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def dating_note(d: EventDetail) -> str:
    """Where the date came from: stated in the passage, inferred from the narrative, or set by
    the reviewer."""
    if "date" in d.corrected:
        return "corrected by the reviewer"
    if d.origin == "user":
        return "set by the reviewer"
    if not d.date_inferred:
        return "stated in the passage"
    anchor = f", anchored on “{d.anchor_text}”" if d.anchor_text else ""
    return f"inferred from the narrative{anchor} (confidence {d.date_confidence:.0%})"


class EventDetailPane(QWidget):
    """Shows the selected event; clicking a participant or an account drives the selection."""

    def __init__(
        self, engine: Engine, selection: SelectionContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("eventDetailPane")
        self._engine = engine
        self._selection = selection
        self.detail: EventDetail | None = None

        self.title = _plain_label(self, "eventTitle", "Event title")
        f = QFont(self.title.font())
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.title.setFont(f)
        self.kind = _plain_label(self, "eventKind", "Kind", wrap=False)
        self.date = _plain_label(self, "eventDate", "Date", wrap=False)
        self.written = _plain_label(self, "eventDateWritten", "Date as written")
        self.julian = _plain_label(self, "eventJulian", "Julian date", wrap=False)
        self.dating = _plain_label(self, "eventDating", "How the date was found")
        self.phase = _plain_label(self, "eventPhase", "Phase", wrap=False)
        self.origin = _plain_label(self, "eventOrigin", "Origin", wrap=False)
        self.conflicts = _plain_label(self, "eventConflicts", "Where the accounts disagree")
        self.review = _plain_label(self, "eventReview", "Review status and corrections")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setHorizontalSpacing(10)
        self.form.setVerticalSpacing(3)
        for text, w in (
            ("Kind", self.kind),
            ("Date", self.date),
            ("As written", self.written),
            ("Julian", self.julian),
            ("Dating", self.dating),
            ("Phase", self.phase),
            ("Origin", self.origin),
            ("Disagreements", self.conflicts),
            ("Review", self.review),
        ):
            self.form.addRow(text, w)

        self.participants_label = QLabel("Participants and places", self)
        self.participants_model = ParticipantModel(self)
        self.participants = QListView(self)
        self.participants.setObjectName("eventParticipants")
        self.participants.setAccessibleName("Participants and places")
        self.participants.setModel(self.participants_model)
        self.participants.setFlow(QListView.Flow.LeftToRight)
        self.participants.setWrapping(True)
        self.participants.setResizeMode(QListView.ResizeMode.Adjust)
        self.participants.setSpacing(3)
        self.participants.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.participants.setMaximumHeight(96)
        self.participants.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)

        self.accounts_label = QLabel("Accounts", self)
        self.accounts_model = AccountsModel(self)
        self.accounts = QTableView(self)
        self.accounts.setObjectName("eventAccounts")
        self.accounts.setAccessibleName("Accounts side by side")
        self.accounts.setModel(self.accounts_model)
        self.accounts.setWordWrap(True)
        self.accounts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.accounts.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Side by side while they fit; past that, columns keep a readable width and scroll.
        self.accounts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.accounts.horizontalHeader().setMinimumSectionSize(200)
        self.accounts.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.accounts.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.accounts.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.accounts.verticalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
        )

        self.placeholder = QLabel(
            "Select an event on the timeline, in the entity list or in the text.", self
        )
        self.placeholder.setObjectName("eventPlaceholder")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(6)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addWidget(self.participants_label)
        layout.addWidget(self.participants)
        layout.addWidget(self.accounts_label)
        layout.addWidget(self.accounts, 1)
        self._fields: list[QWidget] = [
            self.kind,
            self.date,
            self.written,
            self.dating,
            self.phase,
            self.origin,
        ]
        self._rows_shown: dict[QWidget, bool] = {}
        self._showing: bool | None = None
        self._content = [
            self.title,
            self.participants_label,
            self.participants,
            self.accounts_label,
            self.accounts,
        ]

        self.participants.clicked.connect(self._on_participants_clicked)
        self.participants.activated.connect(self._on_participants_clicked)
        self.accounts.clicked.connect(self._on_accounts_clicked)
        selection.eventChanged.connect(self._on_selection_event_changed)
        selection.entityChanged.connect(self._on_selection_entity_changed)
        selection.reviewChanged.connect(self._on_review_changed)
        self._show(None)

    # --- from the selection context ------------------------------------------------
    @Slot(object, object)
    def _on_selection_event_changed(self, current: str | None, _previous: str | None) -> None:
        self._show(query.event_detail(self._engine, current) if current else None)

    @Slot()
    def _on_review_changed(self) -> None:
        current = self._selection.event
        self._show(query.event_detail(self._engine, current) if current else None)

    @Slot(object, object)
    def _on_selection_entity_changed(self, current: str | None, _previous: str | None) -> None:
        self.participants_model.set_current(current)

    # --- from the views --------------------------------------------------------------
    @Slot(QModelIndex)
    def _on_participants_clicked(self, index: QModelIndex) -> None:
        eid = index.data(ID_ROLE)
        if isinstance(eid, str):
            self._selection.set_entity(eid)

    @Slot(QModelIndex)
    def _on_accounts_clicked(self, index: QModelIndex) -> None:
        account = self.accounts_model.account(index.column())
        if account is not None:
            self._selection.set_passage(account.passage_id)

    # --- display ----------------------------------------------------------------------
    def _row_visible(self, field: QWidget, visible: bool) -> None:
        # Showing or hiding a form row relayouts the pane; do it only on a change.
        if self._rows_shown.get(field) != visible:
            self._rows_shown[field] = visible
            self.form.setRowVisible(field, visible)

    def _show(self, d: EventDetail | None) -> None:
        self.detail = d
        if self._showing is not (d is not None):
            self._showing = d is not None
            self.placeholder.setVisible(d is None)
            for w in self._content:
                w.setVisible(d is not None)
        for field in self._fields:
            self._row_visible(field, d is not None)
        if d is None:
            self._row_visible(self.julian, False)
            self._row_visible(self.conflicts, False)
            self._row_visible(self.review, False)
            self.participants_model.set_participants([])
            self.accounts_model.set_accounts([])
            return
        self.title.setText(d.title)
        rejected = d.status == "rejected"
        if self.title.font().strikeOut() != rejected:
            f = QFont(self.title.font())
            f.setStrikeOut(rejected)
            self.title.setFont(f)
        self.title.setEnabled(not rejected)
        review = review_note(d)
        self.review.setText(review)
        self._row_visible(self.review, bool(review))
        self.kind.setText(d.kind + ("  ·  key event" if d.key_event else ""))
        a, b = date.fromordinal(d.earliest), date.fromordinal(d.latest)
        span = a.isoformat() if a == b else f"{a.isoformat()} – {b.isoformat()}"
        precision = PRECISION_LABELS.get(d.precision, d.precision)
        extra = f"; {span}" if span != d.date_label and "/" not in d.date_label else ""
        self.date.setText(f"{d.date_label}  ({precision}{extra})")
        self.written.setText(d.date_text or "—")
        self.julian.setText(d.julian or "—")
        self._row_visible(self.julian, bool(d.julian))
        self.dating.setText(dating_note(d))
        self.phase.setText(d.phase_title or "—")
        self.origin.setText(d.origin)
        lines = [_conflict_text(c) for c in d.conflicts]
        conflicts = "\n".join(_shorten(t, 140) for t in lines[:MAX_CONFLICT_LINES])
        if len(lines) > MAX_CONFLICT_LINES:
            conflicts += f"\n… and {len(lines) - MAX_CONFLICT_LINES} more (see the accounts)"
        self.conflicts.setText(conflicts)
        self.conflicts.setToolTip("\n".join(lines))
        self._row_visible(self.conflicts, bool(conflicts))
        self.participants_model.set_participants(d.participants)
        self.participants_model.set_current(self._selection.entity)
        self.participants_label.setText(f"Participants and places ({len(d.participants)})")
        n_sources = len({acc.source_id for acc in d.accounts})
        self.accounts_label.setText(
            f"Accounts: {len(d.accounts)} passages from {n_sources} "
            f"{'source' if n_sources == 1 else 'sources'}"
        )
        self.accounts_model.set_accounts(d.accounts)


MAX_CONFLICT_LINES = 3


def review_note(d: EventDetail) -> str:
    """The reviewer's verdict and what they corrected, e.g. "disputed · corrected: date"."""
    parts = [] if d.status == "unreviewed" else [d.status]
    if d.origin == "user":
        parts.append("added by the reviewer")
    if d.corrected:
        parts.append("corrected: " + ", ".join(sorted(d.corrected)))
    return "  ·  ".join(parts)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _conflict_text(c: object) -> str:
    """One disagreement between accounts, e.g. "killed: nearly 2,000 (wikipedia-war-long) ≠ 2,000 (…)"."""
    if not isinstance(c, dict):
        return str(c)
    what = c.get("what") or c.get("field") or "difference"
    accounts = c.get("accounts")
    if isinstance(accounts, list):
        parts = [
            f"{a.get('text', a.get('value', '?'))} ({a.get('source', '?')})"
            for a in accounts
            if isinstance(a, dict)
        ]
        return f"{what}: " + " ≠ ".join(parts)
    return f"{what}: " + ", ".join(f"{k}={v}" for k, v in c.items() if k not in ("what", "field"))
