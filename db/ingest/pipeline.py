"""The first stage of ingest: read → detect format → parse → normalize → segment."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.ingest.edits import AppliedRepair, Edit, apply_edits, offset_map
from db.ingest.markup import Block, parse_markup
from db.ingest.normalize import looks_ascii_stripped, mojibake_edits, stripped_char_edits
from db.ingest.reader import RawDocument, decode_bytes, read_document
from db.ingest.segment import Para, split_paragraphs, split_sentences
from db.offsets import OffsetMap


@dataclass
class SectionSpan:
    start: int
    end: int
    level: int
    title: str
    parent: int | None  # index into the section list


@dataclass
class ParsedDocument:
    """One document after the first stage; all offsets are into ``normalized``."""

    name: str
    original: str
    normalized: str
    format: str
    encoding: str
    sha256: str
    repairs: list[AppliedRepair]
    offset_map: OffsetMap
    infobox: dict[str, Any] | None
    sections: list[SectionSpan]
    paragraphs: list[Para]  # each with its section index in `section_of`
    section_of: list[int]
    warnings: list[str] = field(default_factory=list)

    def passages(self) -> list[tuple[int, int, str, int]]:
        """(start, end, kind, paragraph index) for every passage, in text order."""
        out: list[tuple[int, int, str, int]] = []
        for i, p in enumerate(self.paragraphs):
            if p.kind == "text":
                out.extend((s.start, s.end, "sentence", i) for s in p.sentences)
            else:
                out.append((p.start, p.end, p.kind, i))
        return out


def _para_kind(start: int, end: int, blocks: list[tuple[int, int, Block]]) -> Block | None:
    for s, e, b in blocks:
        if s < end and start < e:
            return b
    return None


def parse_text(
    text: str,
    name: str,
    encoding: str = "utf-8",
    sha256: str = "",
    warnings: list[str] | None = None,
) -> ParsedDocument:
    """Run the first stage on already-decoded text (``name`` is used in messages and format detection)."""
    warnings = list(warnings or [])
    markup = parse_markup(text, name)
    warnings.extend(f"{name}: {w}" for w in markup.warnings)
    # Priority: markup removal first, then character repairs inside what remains.
    edits: list[Edit] = list(markup.edits)
    edits.extend(mojibake_edits(text))
    if looks_ascii_stripped(text):
        edits.extend(stripped_char_edits(text))
    normalized, repairs = apply_edits(text, edits)
    omap = offset_map(repairs)

    blocks = [(omap.to_normalized(b.start), omap.to_normalized(b.end), b) for b in markup.blocks]
    blocks.sort(key=lambda t: t[0])

    paragraphs: list[Para] = []
    breaks = frozenset(s for s, _e, _b in blocks)
    for start, end in split_paragraphs(normalized, breaks):
        b = _para_kind(start, end, blocks)
        if b is None:
            p = Para(start, end, "text")
            p.sentences = split_sentences(normalized, start, end)
        else:
            title = normalized[start:end] if b.kind == "heading" else ""
            p = Para(start, end, b.kind, b.level, title)
        paragraphs.append(p)

    # Sections from headings; text before the first heading is section 0 (level 0).
    sections: list[SectionSpan] = [SectionSpan(0, len(normalized), 0, "", None)]
    stack: list[int] = [0]
    section_of: list[int] = []
    for p in paragraphs:
        if p.kind == "heading":
            while len(stack) > 1 and sections[stack[-1]].level >= max(p.level, 1):
                stack.pop()
            sections.append(
                SectionSpan(p.start, len(normalized), max(p.level, 1), p.title, stack[-1])
            )
            stack.append(len(sections) - 1)
        section_of.append(stack[-1])
    # Close each section where the next one at the same or a higher level starts.
    if len(sections) > 1:
        sections[0].end = sections[1].start
    for i, sec in enumerate(sections[1:], start=1):
        sec.end = next(
            (later.start for later in sections[i + 1 :] if later.level <= sec.level),
            len(normalized),
        )
    sections[0].title = sections[0].title or "(opening)"

    return ParsedDocument(
        name=name,
        original=text,
        normalized=normalized,
        format=markup.format,
        encoding=encoding,
        sha256=sha256,
        repairs=repairs,
        offset_map=omap,
        infobox=markup.infobox,
        sections=sections,
        paragraphs=paragraphs,
        section_of=section_of,
        warnings=warnings,
    )


def parse_document(path: Path) -> ParsedDocument:
    """Read and parse one document file. Raises IngestError with a user-facing message."""
    raw: RawDocument = read_document(path)
    return parse_text(raw.text, path.name, raw.encoding, raw.sha256, raw.warnings)


def parse_bytes(data: bytes, name: str) -> ParsedDocument:
    import hashlib

    text, encoding, warnings = decode_bytes(data, name)
    return parse_text(text, name, encoding, hashlib.sha256(data).hexdigest(), warnings)


def title_from_text(doc: ParsedDocument) -> str:
    """A title for a document with no catalogue entry: its first heading, else its first line."""
    for p in doc.paragraphs:
        if p.kind == "heading" and p.title.strip():
            return p.title.strip()
    first = re.search(r"\S[^\n]{0,120}", doc.normalized)
    stem = Path(doc.name).stem
    return first.group().strip() if first and len(first.group()) < 100 else stem
