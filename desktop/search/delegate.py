"""Paints a search hit: its title and a snippet, with the matched words highlighted."""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

from db.search import Hit
from desktop.search.model import SearchResultsModel

__all__ = ["HitDelegate", "hit_html", "marked_html"]

_MARK_STYLE = "background-color:#ffe28a;color:#000;font-weight:600"


def marked_html(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` as HTML with each span in a highlight."""
    out: list[str] = []
    pos = 0
    for a, b in sorted(spans):
        if a < pos or a >= len(text):
            continue
        out.append(html.escape(text[pos:a]))
        out.append(f'<span style="{_MARK_STYLE}">{html.escape(text[a:b])}</span>')
        pos = b
    out.append(html.escape(text[pos:]))
    return "".join(out)


def hit_html(hit: Hit, detail_color: str = "#777") -> str:
    title = marked_html(hit.title, hit.title_spans)
    detail = html.escape(hit.detail)
    snippet = marked_html(hit.snippet, hit.spans)
    return (
        f"<div><b>{title}</b> <span style='color:{detail_color}'>{detail}</span></div>"
        f"<div>{snippet}</div>"
    )


class HitDelegate(QStyledItemDelegate):
    """Two lines per hit (title + snippet), a bold header per group."""

    def _document(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(2)
        hit = index.data(SearchResultsModel.HitRole)
        if isinstance(hit, Hit):
            selected = bool(option.state & QStyle.StateFlag.State_Selected)
            color = (
                option.palette.color(QPalette.ColorRole.HighlightedText).name()
                if selected
                else "#777"
            )
            doc.setHtml(hit_html(hit, color))
        else:
            doc.setHtml(f"<b>{html.escape(str(index.data() or ''))}</b>")
        # sizeHint gets no rect: wrap to the view's width so heights match what is painted.
        width = option.rect.width()
        view = option.widget
        if width <= 0 and isinstance(view, QTreeView):
            indent = view.indentation() if index.parent().isValid() else 0
            width = view.viewport().width() - indent
        doc.setTextWidth(max(200, width if width > 0 else 480))
        return doc

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(opt, index)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        if opt.state & QStyle.StateFlag.State_Selected:
            ctx.palette.setColor(
                QPalette.ColorRole.Text,
                opt.palette.color(QPalette.ColorRole.HighlightedText),
            )
        rect = opt.rect
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(QRectF(0, 0, rect.width(), rect.height()))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()))
