"""The source pane: document chooser, catalogue entry, outline, and the text with highlights.

The text is plain text (``QTextDocument.setPlainText``), never HTML, so markup in a
document shows as written. Highlights are ``ExtraSelections`` computed from
offsets into the normalized text and mapped to the original text when the
reader switches to it.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QHelpEvent, QMouseEvent, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTextEdit,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from db import query
from db.filters import Filters
from db.query import SourceText, Span
from desktop import theme
from desktop.roles import OFFSET_ROLE
from desktop.selection import SelectionContext
from desktop.source.model import SectionListModel, SourceListModel, catalogue_entry
from desktop.source.text import TextDoc

#: Mentions marked at once (they are looked up in a window around the view).
MAX_MARKED_MENTIONS = 600
#: Documents kept laid out in their own editor.
MAX_EDITORS = 6


class SourcePane(QWidget):
    """Shows one source; follows and drives the selection context."""

    #: Emitted after highlights are applied (tests and benchmarks wait on it).
    highlightsApplied = Signal()
    # The user's text selection as (source id, start, end) in normalized offsets, or None;
    # right in the "As written" view too (offsets map through the repairs).
    textSelectionChanged = Signal(object)

    def __init__(
        self, engine: Engine, selection: SelectionContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sourcePane")
        self._engine = engine
        self._selection = selection
        self._syncing = False
        self._texts: dict[str, SourceText] = {}
        self._docs: dict[tuple[str, bool], TextDoc] = {}
        self._doc: TextDoc | None = None
        self._evidence: tuple[Span, ...] = ()
        self._nav = -1
        self._event_entities: frozenset[str] = frozenset()
        self._marked_evidence: list[tuple[int, int]] = []  # (start, end) in normalized offsets
        self._marked_mentions: list[Span] = []
        self.chooser_menu: QMenu | None = None
        self._warm_queue: list[str] = []
        self._show_repairs = False
        self._sections: dict[str, list[query.SectionRow]] = {}
        self._warm_budget = 0
        self._scrolling = False  # _scroll_to is moving the view

        self.sources_model = SourceListModel(query.sources(engine), self)
        self.source_combo = QComboBox(self)
        self.source_combo.setObjectName("sourceChooser")
        self.source_combo.setAccessibleName("Document")
        self.source_combo.setModel(self.sources_model)
        self.source_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.source_combo.setMinimumContentsLength(20)
        self.source_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        self.original_button = QToolButton(self)
        self.original_button.setObjectName("originalToggle")
        self.original_button.setText("As written")
        self.original_button.setCheckable(True)
        self.original_button.setAccessibleName("Show the text as the source has it")
        self.original_button.setToolTip(
            "Show the text exactly as the source has it (unchecked: the repaired text)"
        )

        self.catalogue = QLabel(self)
        self.catalogue.setObjectName("catalogueEntry")
        self.catalogue.setTextFormat(Qt.TextFormat.PlainText)
        self.catalogue.setWordWrap(True)
        self.catalogue.setAccessibleName("Catalogue entry")
        self.catalogue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.catalogue.setForegroundRole(self.catalogue.foregroundRole())

        self.outline_model = SectionListModel(self)
        self.outline = QListView(self)
        self.outline.setObjectName("sectionOutline")
        self.outline.setAccessibleName("Section outline")
        self.outline.setModel(self.outline_model)
        self.outline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.outline.setUniformItemSizes(True)
        self.outline.setTextElideMode(Qt.TextElideMode.ElideRight)

        # One editor per recently shown document: switching documents is then a page flip,
        # not a relayout of the whole text.
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("sourceTextStack")
        self._editors: OrderedDict[tuple[str, bool], QPlainTextEdit] = OrderedDict()
        self.text = self._new_editor()
        self.stack.addWidget(self.text)
        self._mention_window = (0, -1)  # normalized range whose mentions are marked
        self._rehighlight_timer = QTimer(self, singleShot=True, interval=40)
        self._rehighlight_timer.timeout.connect(self._on_rehighlight_timer_timeout)

        self.prev_button = QToolButton(self)
        self.prev_button.setObjectName("previousEvidence")
        self.prev_button.setText("◀")
        self.prev_button.setAccessibleName("Previous evidence passage")
        self.prev_button.setToolTip("Previous evidence passage (Shift+F8)")
        self.next_button = QToolButton(self)
        self.next_button.setObjectName("nextEvidence")
        self.next_button.setText("▶")
        self.next_button.setAccessibleName("Next evidence passage")
        self.next_button.setToolTip("Next evidence passage (F8)")
        self.nav_label = QLabel("No event selected", self)
        self.nav_label.setObjectName("evidenceCount")
        self.nav_label.setAccessibleName("Evidence passage count")

        self.find_edit = QLineEdit(self)
        self.find_edit.setObjectName("findInDocument")
        self.find_edit.setPlaceholderText("Find in document…")
        self.find_edit.setAccessibleName("Find in document")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.setMaximumWidth(260)
        self.find_edit.setMinimumWidth(140)

        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self.source_combo, 1)
        top.addWidget(self.original_button)
        bottom = QHBoxLayout()
        bottom.setSpacing(4)
        bottom.addWidget(self.prev_button)
        bottom.addWidget(self.nav_label)
        bottom.addWidget(self.next_button)
        bottom.addStretch(1)
        bottom.addWidget(self.find_edit)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("sourceSplitter")
        split.addWidget(self.outline)
        split.addWidget(self.stack)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([150, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.catalogue)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)

        self.source_combo.currentIndexChanged.connect(self._on_source_combo_current_index_changed)
        self.original_button.toggled.connect(self._on_original_button_toggled)
        self.outline.clicked.connect(self._on_outline_clicked)
        self.outline.activated.connect(self._on_outline_clicked)
        self.prev_button.clicked.connect(self.previous_evidence)
        self.next_button.clicked.connect(self.next_evidence)
        self.find_edit.returnPressed.connect(self._on_find_edit_return_pressed)
        selection.eventChanged.connect(self._on_selection_event_changed)
        selection.entityChanged.connect(self._on_selection_entity_changed)
        selection.passageChanged.connect(self._on_selection_passage_changed)
        selection.sourceChanged.connect(self._on_selection_source_changed)
        selection.filtersChanged.connect(self._on_selection_filters_changed)
        selection.reviewChanged.connect(self._on_selection_review_changed)

        info0 = self.sources_model.info(0)
        first = selection.source or (info0.id if info0 is not None else None)
        if first is not None:
            self._show_source(first)
        self._update_nav()

    # --- public API (actions call these) ----------------------------------------
    @property
    def source_id(self) -> str | None:
        return self._doc.source_id if self._doc else None

    @property
    def showing_original(self) -> bool:
        return self.original_button.isChecked()

    @property
    def marked_evidence(self) -> list[tuple[int, int]]:
        """Evidence ranges of the selected event highlighted now, as normalized offsets."""
        return list(self._marked_evidence)

    @property
    def marked_mentions(self) -> list[Span]:
        return list(self._marked_mentions)

    def highlighted_ranges(self) -> list[tuple[int, int, str]]:
        """What the text view really shows: (start, end, kind) in document positions."""
        out = []
        for sel in self.text.extraSelections():
            kind = sel.format.property(QTextFormat.Property.UserProperty)
            out.append((sel.cursor.selectionStart(), sel.cursor.selectionEnd(), str(kind)))
        return out

    def document_position(self, norm_offset: int) -> int:
        """The text view position of a normalized offset in the shown document."""
        return self._doc.to_qt(norm_offset) if self._doc else 0

    def warm(self, limit: int = MAX_EDITORS, budget_chars: int = 2_000_000) -> None:
        """Prepare the first documents ahead of use, one per idle turn of the event loop."""
        todo = [
            info.id
            for r in range(min(limit, self.sources_model.rowCount()))
            if (info := self.sources_model.info(r)) is not None
        ]
        self._warm_queue = todo
        self._warm_budget = budget_chars
        QTimer.singleShot(0, self._on_warm_timer_timeout)

    @Slot()
    def _on_warm_timer_timeout(self) -> None:
        if self._warm_budget <= 0:
            self._warm_queue.clear()
        if not self._warm_queue:
            return
        sid = self._warm_queue.pop(0)
        doc = self._document(sid, self.showing_original)
        self._warm_budget -= doc.length
        if (sid, self.showing_original) not in self._editors and len(self._editors) < MAX_EDITORS:
            ed = self._new_editor()
            self.stack.addWidget(ed)
            ed.setDocument(doc.document)
            self._editors[(sid, self.showing_original)] = ed
            self._editors.move_to_end((sid, self.showing_original), last=False)
        QTimer.singleShot(0, self._on_warm_timer_timeout)

    def refresh_highlights(self) -> None:
        """Re-apply highlights (after a palette change)."""
        self._apply_highlights()

    @Slot()
    def next_evidence(self) -> None:
        self._go_evidence(self._nav + 1)

    @Slot()
    def previous_evidence(self) -> None:
        self._go_evidence(self._nav - 1)

    def set_original(self, on: bool) -> None:
        self.original_button.setChecked(on)

    def focus_find(self) -> None:
        self.find_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_edit.selectAll()

    # --- documents --------------------------------------------------------------
    def _document(self, source_id: str, original: bool) -> TextDoc:
        key = (source_id, original)
        doc = self._docs.get(key)
        if doc is None:
            st = self._texts.get(source_id)
            if st is None:
                st = self._texts[source_id] = query.source_text(self._engine, source_id)
            doc = self._docs[key] = TextDoc(st, original, self.text.font())
        return doc

    def _new_editor(self) -> QPlainTextEdit:
        ed = QPlainTextEdit(self)
        ed.setObjectName("sourceText")
        ed.setAccessibleName("Source text")
        ed.setReadOnly(True)
        ed.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        ed.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        ed.viewport().installEventFilter(self)
        ed.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        ed.verticalScrollBar().valueChanged.connect(self._on_text_scrolled)
        ed.selectionChanged.connect(self._on_text_selection_changed)
        return ed

    def text_selection(self) -> tuple[str, int, int] | None:
        """The selected text of the shown document, in normalized offsets."""
        if self._doc is None:
            return None
        cursor = self.text.textCursor()
        if not cursor.hasSelection():
            return None
        start = self._doc.from_qt(cursor.selectionStart())
        end = self._doc.from_qt(cursor.selectionEnd())
        return (self._doc.source_id, start, end) if end > start else None

    @Slot()
    def _on_text_selection_changed(self) -> None:
        if self.sender() is self.text:  # not the editors kept for other documents
            self.textSelectionChanged.emit(self.text_selection())

    def _editor_for(self, doc: TextDoc) -> QPlainTextEdit:
        """The editor showing this document, made (or recycled) on first use."""
        key = (doc.source_id, doc.original)
        ed = self._editors.get(key)
        if ed is not None:
            self._editors.move_to_end(key)
            return ed
        if not self._editors and self.text.document().isEmpty():
            ed = self.text  # the first, still empty editor
        elif len(self._editors) >= MAX_EDITORS:
            _old_key, ed = self._editors.popitem(last=False)
        else:
            ed = self._new_editor()
            self.stack.addWidget(ed)
        ed.setDocument(doc.document)
        self._editors[key] = ed
        return ed

    def _show_source(
        self, source_id: str, *, keep_position: bool = False, highlight: bool = True
    ) -> None:
        if self._doc is not None and (self._doc.source_id, self._doc.original) == (
            source_id,
            self.showing_original,
        ):
            return
        anchor = None
        if keep_position and self._doc is not None:
            anchor = self._doc.from_qt(self.text.cursorForPosition(QPoint(4, 4)).position())
        doc = self._document(source_id, self.showing_original)
        new_source = self._doc is None or self._doc.source_id != source_id
        self._doc = doc
        self._mention_window = (0, -1)
        self.text.setExtraSelections([])
        self.text = self._editor_for(doc)
        self.stack.setCurrentWidget(self.text)
        if new_source:
            row = self.sources_model.row_of(source_id)
            self._syncing = True
            try:
                self.source_combo.setCurrentIndex(row)
            finally:
                self._syncing = False
            info = self.sources_model.info(row)
            self.catalogue.setText(catalogue_entry(info) if info else "")
            sections = self._sections.get(source_id)
            if sections is None:
                sections = self._sections[source_id] = query.sections(self._engine, source_id)
            self.outline_model.set_sections(sections)
            # An outline of one untitled body section says nothing: give the text the room.
            self.outline.setVisible(self.outline_model.rowCount() > 1)
            self._syncing = True
            try:
                self._selection.set_source(source_id)
            finally:
                self._syncing = False
        if highlight:
            self._apply_highlights(anchor)
        if anchor is not None:
            self._scroll_to(anchor, top=True)

    # --- highlights -----------------------------------------------------------------
    def _apply_highlights(self, center: int | None = None) -> None:
        """Mark the selected event's evidence and its (and the selected entity's) mentions.

        ``center`` is the normalized offset the view is about to show (default: the top
        of what it shows now).
        """
        doc = self._doc
        if doc is None:
            return
        sid = doc.source_id
        sels: list[QTextEdit.ExtraSelection] = []
        self._marked_evidence = []
        current = self._evidence[self._nav] if 0 <= self._nav < len(self._evidence) else None
        for span in self._evidence:
            if span.source_id != sid:
                continue
            fmt = QTextCharFormat()
            fmt.setBackground(
                theme.current_evidence_colour() if span is current else theme.evidence_colour()
            )
            fmt.setProperty(QTextFormat.Property.UserProperty, "evidence")
            sels.append(self._selection_for(span.start, span.end, fmt))
            self._marked_evidence.append((span.start, span.end))
        wanted = set(self._event_entities)
        if self._selection.entity is not None:
            wanted.add(self._selection.entity)
        # Mentions are marked in a window around what is on screen (re-marked on scroll),
        # so a document with thousands of them costs no more than one with ten. Qt lays
        # out every paragraph that holds a mark, so the window is sized by the view: from
        # three quarters of a screenful before ``center`` to a screenful after it, which
        # covers the view whether ``center`` is its middle or its top.
        if center is None:
            center = self._top_offset()
        screen = self._view_chars()
        lo, hi = max(0, center - screen * 3 // 4), center + screen
        self._mention_window = (lo, hi)
        mentions = query.entity_mentions(self._engine, wanted, sid, lo, hi) if wanted else []
        mentions = mentions[:MAX_MARKED_MENTIONS]
        self._marked_mentions = mentions
        # One format per entity, shared by its mentions: an entity is often mentioned many
        # times in a window, and each format is half a dozen calls into Qt.
        formats: dict[tuple[str, str], QTextCharFormat] = {}
        for m in mentions:
            fmt = formats.get((m.entity_type or "", m.owner))
            if fmt is None:
                fmt = formats[(m.entity_type or "", m.owner)] = self._mention_format(m)
            sels.append(self._selection_for(m.start, m.end, fmt))
        if self._show_repairs:
            sels.extend(self._repair_selections(lo, hi))
        self.text.setExtraSelections(sels)
        self.highlightsApplied.emit()

    def _mention_format(self, m: Span) -> QTextCharFormat:
        """Underlined in its entity type's colour; shaded when it is the selected entity."""
        colour = theme.entity_colour(m.entity_type or "")
        fmt = QTextCharFormat()
        fmt.setForeground(colour)
        fmt.setFontUnderline(True)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        fmt.setUnderlineColor(colour)
        if m.owner == self._selection.entity:
            bg = QColor(colour)
            bg.setAlpha(55)
            fmt.setBackground(bg)
        fmt.setProperty(QTextFormat.Property.UserProperty, f"mention:{m.owner}")
        fmt.setToolTip(m.owner)
        return fmt

    def _repair_selections(self, lo: int, hi: int) -> list[QTextEdit.ExtraSelection]:
        """Dotted marks on what normalization changed (in the shown window of the text)."""
        assert self._doc is not None
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        fmt.setUnderlineColor(theme.repair_colour())
        fmt.setProperty(QTextFormat.Property.UserProperty, "repair")
        out = []
        doc = self._doc
        last = doc.document.characterCount() - 1
        for ns, ne, os_, oe in doc.offsets.between(lo, hi)[:MAX_MARKED_MENTIONS]:
            if doc.original:
                a, b = doc.positions.to_qt(os_), doc.positions.to_qt(max(oe, os_ + 1))
            else:
                # A deletion has no width in the repaired text: mark the character after it.
                a, b = doc.positions.to_qt(ns), doc.positions.to_qt(max(ne, ns + 1))
            sel = QTextEdit.ExtraSelection()
            cur = QTextCursor(doc.document)
            cur.setPosition(min(a, last))
            cur.setPosition(min(b, last), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cur
            sel.format = fmt
            out.append(sel)
        return out

    def set_show_repairs(self, on: bool) -> None:
        """Mark the characters normalization repaired (hover one to see the original)."""
        if on != self._show_repairs:
            self._show_repairs = on
            self._apply_highlights()

    @property
    def showing_repairs(self) -> bool:
        return self._show_repairs

    def repair_note(self, norm_offset: int) -> str | None:
        """What the source has where the repaired text has this character, for a tooltip."""
        if self._doc is None:
            return None
        st = self._texts.get(self._doc.source_id)
        rep = self._doc.offsets.at(norm_offset)
        if st is None or rep is None:
            return None
        ns, ne, os_, oe = rep
        return f"As written: “{st.original[os_:oe]}”\nRepaired: “{st.normalized[ns:ne]}”"

    def _selection_for(
        self, start: int, end: int, fmt: QTextCharFormat
    ) -> QTextEdit.ExtraSelection:
        assert self._doc is not None
        sel = QTextEdit.ExtraSelection()
        cur = QTextCursor(self._doc.document)
        cur.setPosition(self._doc.to_qt(start))
        cur.setPosition(self._doc.to_qt(end, end=True), QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cur
        sel.format = fmt
        return sel

    def _scroll_to(self, norm_offset: int, *, top: bool = False) -> None:
        if self._doc is None:
            return
        cur = QTextCursor(self._doc.document)
        cur.setPosition(self._doc.to_qt(norm_offset))
        # The view reports where it scrolled once, at the end, not at every step.
        self._scrolling = True
        try:
            if top:
                self.text.setTextCursor(cur)
                bar = self.text.verticalScrollBar()
                bar.setValue(cur.block().firstLineNumber())
            else:
                # Moving the cursor scrolls to show it; centred at once, that is one scroll
                # (and one layout of the text above it) rather than one to the edge of the
                # view and a second to the centre.
                self.text.setCenterOnScroll(True)
                self.text.setTextCursor(cur)
                self.text.setCenterOnScroll(False)
                self.text.centerCursor()  # when it was in view already (no scroll if centred)
        finally:
            self._scrolling = False
        self._on_view_scrolled()

    def _go_evidence(self, i: int) -> None:
        if not self._evidence:
            return
        self._nav = i % len(self._evidence)
        span = self._evidence[self._nav]
        self._show_source(span.source_id, highlight=False)
        self._apply_highlights(span.start)
        self._scroll_to(span.start)
        self._update_nav()
        self._syncing = True
        try:
            self._selection.set_passage(span.passage_id)
        finally:
            self._syncing = False

    def _update_nav(self) -> None:
        n = len(self._evidence)
        if self._selection.event is None:
            self.nav_label.setText("No event selected")
        elif n == 0:
            self.nav_label.setText("No evidence")
        else:
            span = self._evidence[self._nav]
            docs = len({s.source_id for s in self._evidence})
            info = self.sources_model.info(self.sources_model.row_of(span.source_id))
            where = info.title if info else span.source_id
            in_docs = f" in {docs} documents" if docs > 1 else ""
            self.nav_label.setText(f"Evidence {self._nav + 1} of {n}{in_docs}")
            self.nav_label.setToolTip(f"This passage is in “{where}”")
        self.prev_button.setEnabled(n > 1)
        self.next_button.setEnabled(n > 1)

    # --- from the selection context ---------------------------------------------------
    @Slot(object, object)
    def _on_selection_event_changed(self, current: str | None, _previous: str | None) -> None:
        if current is None:
            self._evidence, self._event_entities, self._nav = (), frozenset(), -1
            self._apply_highlights()
            self._update_nav()
            return
        links = query.event_links(self._engine, current)
        self._evidence = links.evidence
        self._event_entities = links.entities
        if not self._evidence:
            self._nav = -1
            self._apply_highlights()
            self._update_nav()
            return
        here = [i for i, s in enumerate(self._evidence) if s.source_id == self.source_id]
        self._nav = here[0] if here else 0
        span = self._evidence[self._nav]
        self._show_source(span.source_id, highlight=False)
        self._apply_highlights(span.start)
        self._scroll_to(span.start)
        self._update_nav()

    @Slot()
    def _on_selection_review_changed(self) -> None:
        """The reviewer linked evidence or changed participants: re-mark the event, in place."""
        current = self._selection.event
        if current is None:
            return
        links = query.event_links(self._engine, current)
        self._evidence = links.evidence
        self._event_entities = links.entities
        self._nav = min(self._nav, len(self._evidence) - 1)
        self._apply_highlights()
        self._update_nav()

    @Slot(object, object)
    def _on_selection_entity_changed(self, current: str | None, _previous: str | None) -> None:
        if self._syncing:
            return
        if current is not None and self._selection.event is None:
            found = dict(query.entity_mention_sources(self._engine, current))
            if found:
                # Stay in this document if it mentions the entity, else go to the first that does.
                sid = self.source_id if self.source_id in found else next(iter(found))
                self._show_source(sid, highlight=False)
                self._apply_highlights(found[sid])
                self._scroll_to(found[sid])
                return
        self._apply_highlights()

    @Slot(object, object)
    def _on_selection_passage_changed(self, current: int | None, _previous: int | None) -> None:
        if self._syncing or current is None:
            return
        loc = query.passage_location(self._engine, current)
        if loc is None:
            return
        sid, start, _end = loc
        for i, span in enumerate(self._evidence):
            if span.passage_id == current:
                self._nav = i
                break
        self._show_source(sid, highlight=False)
        self._apply_highlights(start)
        self._scroll_to(start)
        self._update_nav()

    @Slot(object, object)
    def _on_selection_source_changed(self, current: str | None, _previous: str | None) -> None:
        if not self._syncing and current is not None:
            self._show_source(current)

    @Slot(object, object)
    def _on_selection_filters_changed(self, current: Filters, _previous: Filters) -> None:
        self.sources_model.set_allowed(current.sources)

    # --- from the widgets --------------------------------------------------------------
    @Slot(int)
    def _on_source_combo_current_index_changed(self, row: int) -> None:
        if self._syncing:
            return
        info = self.sources_model.info(row)
        if info is not None:
            self._show_source(info.id, highlight=False)
            self.text.verticalScrollBar().setValue(0)
            self._apply_highlights(0)

    @Slot(bool)
    def _on_original_button_toggled(self, _on: bool) -> None:
        if self._doc is not None:
            self._show_source(self._doc.source_id, keep_position=True)

    @Slot(QModelIndex)
    def _on_outline_clicked(self, index: QModelIndex) -> None:
        off = index.data(OFFSET_ROLE)
        if isinstance(off, int):
            self._scroll_to(off, top=True)

    @Slot(int)
    def _on_text_scrolled(self, _value: int) -> None:
        if self._scrolling or self.sender() is not self.text.verticalScrollBar():
            return
        self._on_view_scrolled()

    def _on_view_scrolled(self) -> None:
        """The outline follows the text; mentions are re-marked when the view leaves them."""
        if self._doc is None:
            return
        top = self._top_offset()
        self.outline_model.set_current(self.outline_model.row_at(top))
        lo, hi = self._mention_window
        if not lo <= top <= hi - self._view_chars():
            self._rehighlight_timer.start()

    @Slot()
    def _on_rehighlight_timer_timeout(self) -> None:
        self._apply_highlights()

    def _view_chars(self) -> int:
        """A little more than the number of characters the text view shows at once."""
        view = self.text.viewport()
        fm = self.text.fontMetrics()
        lines = max(1, view.height() // max(1, fm.lineSpacing()))
        # The font's average character is wider than that of running text: an overestimate.
        return lines * max(20, view.width() // max(1, fm.averageCharWidth()))

    def _top_offset(self) -> int:
        """The normalized offset at the top-left of the text view."""
        if self._doc is None:
            return 0
        # A plain text view scrolls by lines and shows line ``value`` of its scroll bar at
        # the top (QPlainTextEdit looks it up the same way): no hit test, no layout.
        line = self.text.verticalScrollBar().value()
        block = self._doc.document.findBlockByLineNumber(line)
        if not block.isValid():
            return self._doc.from_qt(self.text.cursorForPosition(QPoint(4, 4)).position())
        pos = block.position()
        layout = block.layout()
        k = line - block.firstLineNumber()
        if layout is not None and 0 < k < layout.lineCount():
            pos += layout.lineAt(k).textStart()
        return self._doc.from_qt(pos)

    @Slot()
    def _on_find_edit_return_pressed(self) -> None:
        needle = self.find_edit.text()
        if not needle:
            return
        if not self.text.find(needle):
            cur = self.text.textCursor()
            cur.movePosition(QTextCursor.MoveOperation.Start)
            self.text.setTextCursor(cur)
            if not self.text.find(needle):
                self.find_edit.setToolTip(f"“{needle}” is not in this document")
                return
        self.find_edit.setToolTip("")
        self.text.centerCursor()

    # --- clicks in the text -----------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ToolTip
            and self._show_repairs
            and getattr(self, "text", None) is not None
            and watched is self.text.viewport()
            and isinstance(event, QHelpEvent)
        ):
            off = self.offset_at(event.pos())
            note = self.repair_note(off) if off is not None else None
            if note:
                QToolTip.showText(event.globalPos(), note, self.text.viewport())
            else:
                QToolTip.hideText()
            return True
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and getattr(self, "text", None) is not None
            and watched is self.text.viewport()
            and event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and not self.text.textCursor().hasSelection()
        ):
            self.click_at(event.position().toPoint())
        return super().eventFilter(watched, event)

    def offset_at(self, point: QPoint) -> int | None:
        """The normalized offset of the character under a viewport point."""
        if self._doc is None:
            return None
        cur = self.text.cursorForPosition(point)
        pos = cur.position()
        # cursorForPosition snaps to the nearest gap between characters; the character
        # under the mouse is the one before that gap when the click was left of it.
        if point.x() < self.text.cursorRect(cur).left() and pos > 0:
            pos -= 1
        return self._doc.from_qt(pos)

    def click_at(self, point: QPoint) -> None:
        """A click on the text: a mention selects its entity, an evidence passage its event."""
        off = self.offset_at(point)
        sid = self.source_id
        if off is None or sid is None:
            return
        passage = query.passage_at(self._engine, sid, off)
        if passage is not None:
            self._syncing = True
            try:
                self._selection.set_passage(passage)
            finally:
                self._syncing = False
        entity = query.mention_at(self._engine, sid, off)
        if entity is not None:
            self._selection.set_entity(entity)
            return
        events = query.events_at(self._engine, sid, off, self._selection.filters)
        if len(events) == 1:
            self._selection.set_event(events[0].id)
        elif len(events) > 1:
            self._choose_event(events, point)

    def _choose_event(self, events: list[query.EventRow], point: QPoint) -> None:
        """A passage attesting several events: a small menu to pick one."""
        menu = QMenu(self)
        menu.setObjectName("eventChooser")
        menu.setAccessibleName("Events attested by this passage")
        for e in events:
            act = menu.addAction(f"{e.date_label}  {e.title}")
            act.setData(e.id)
        menu.triggered.connect(lambda a: self._selection.set_event(a.data()))
        self.chooser_menu = menu
        menu.popup(self.text.viewport().mapToGlobal(point))
