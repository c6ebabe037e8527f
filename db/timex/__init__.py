"""Temporal expressions in historical narrative: find, normalize, anchor.

``tag_document(doc)`` and ``tag_text(text)`` return :class:`TimeExpr` records
in text order, with offsets into the (normalized) text. See DESIGN.md for the
value forms and issue 3 for what the tagger understands.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from db.timex.anchor import Block, resolve
from db.timex.extract import document_era, find_mentions
from db.timex.model import TimeExpr

if TYPE_CHECKING:
    from db.ingest.pipeline import ParsedDocument

__all__ = ["Block", "TimeExpr", "tag_document", "tag_text"]

_BLANK_LINES = re.compile(r"\n\s*\n")


def _blocks_of_text(text: str) -> list[Block]:
    """Paragraphs split at blank lines, all in one section."""
    blocks: list[Block] = []
    pos = 0
    for m in _BLANK_LINES.finditer(text):
        blocks.append(Block(pos, m.start(), "text", 0))
        pos = m.end()
    blocks.append(Block(pos, len(text), "text", 0))
    return blocks


def tag_text(text: str, blocks: list[Block] | None = None) -> list[TimeExpr]:
    """The temporal expressions of ``text``; ``blocks`` gives its paragraphs and sections."""
    mentions = find_mentions(text, document_era(text))
    return resolve(text, mentions, blocks if blocks is not None else _blocks_of_text(text))


def document_blocks(doc: ParsedDocument) -> list[Block]:
    return [Block(p.start, p.end, p.kind, doc.section_of[i]) for i, p in enumerate(doc.paragraphs)]


def tag_document(doc: ParsedDocument) -> list[TimeExpr]:
    """The temporal expressions of a parsed document's normalized text."""
    return tag_text(doc.normalized, document_blocks(doc))
