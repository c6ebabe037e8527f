"""Format detection and markup: front matter, infobox rows, headings, images, reference markers.

Works on the original text and returns edits (markup to remove) and block hints
(regions that are headings, captions, infobox rows, bibliography, list items),
both in original offsets. Nothing here interprets HTML: ``<b>`` stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import ftfy
import yaml

from db.ingest.edits import Edit
from db.yamlio import load_yaml


@dataclass(frozen=True)
class Block:
    start: int  # original offsets of the block's visible content
    end: int
    kind: str  # heading, caption, infobox, bibliography, list_item, byline, navigation
    level: int = 0
    title: str = ""


@dataclass
class Markup:
    format: str
    edits: list[Edit] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    infobox: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(?:\n|\Z)", re.S)
_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.M)
_MD_IMAGE_LINE = re.compile(r"^[ \t]*!\[[^\]\n]*\]\([^)\n]*\)[ \t]*\n?", re.M)
_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_MD_LINK = re.compile(r"(?<!!)\[([^\]\n]+)\]\((?:[^()\n]|\([^()\n]*\))*\)")
_MD_EMPH = re.compile(r"(?<![\w*])(\*{1,2}|_{1,2})(?=\S)([^*_\n]+?)(?<=\S)\1(?![\w*])")
_MD_LIST = re.compile(r"^([ \t]*[*+-][ \t]+)(?=\S)", re.M)
_REF_MARKER = re.compile(r"[ \t]?\[\d{1,3}\](?:[ \t]?\[\d{1,3}\])*")
_INFOBOX_ROW = re.compile(
    r"^([A-Z][A-Za-z0-9 _]{0,40}):[ \t]*\|[ \t]*(.*?)[ \t]*\n?[ \t]*\|[ \t]*$", re.M | re.S
)
_BIBLIO_LINE = re.compile(
    r"^[^\n]{3,300}?(?:\b[A-Z][\w’'.\- ]+,\s*(?:1[5-9]\d\d|20\d\d)(?:[-–]\d{2,4})?\.?|\(\s*(?:1[5-9]\d\d|20\d\d)\s*\)\.?)[ \t]*$",
    re.M,
)
_CAPTION_WORDS = re.compile(
    r"\b(map|click|photo|photograph|picture|image|poster|portrait|ruins of)\b", re.I
)
_SENTENCE_END = re.compile(r"[.!?:;\"”’)]\s*$")


def _fix_strings(value: Any) -> Any:
    """Repair mojibake inside parsed front-matter values."""
    if isinstance(value, str):
        return ftfy.fix_encoding(value)
    if isinstance(value, list):
        return [_fix_strings(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _fix_strings(v) for k, v in value.items()}
    return value


def detect_format(text: str, file_name: str) -> str:
    lower = file_name.lower()
    if (
        lower.endswith((".md", ".markdown"))
        or _FRONT_MATTER.match(text)
        or _MD_HEADING.search(text)
    ):
        return "markdown"
    if _INFOBOX_ROW.search(text[:5000]):
        return "plain+infobox"
    return "plain"


def _front_matter(text: str, m: Markup) -> int:
    fm = _FRONT_MATTER.match(text)
    if not fm:
        return 0
    try:
        data = load_yaml(fm.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        m.warnings.append(
            f"front matter is not valid YAML{where}; it was kept aside and the body ingested"
        )
        data = None
    if isinstance(data, dict):
        m.infobox = _fix_strings(data)
    elif data is not None:
        m.warnings.append("front matter is not a mapping; it was kept aside and the body ingested")
    m.edits.append(Edit(0, fm.end(), "", "front_matter"))
    return fm.end()


def _infobox_rows(text: str, m: Markup) -> None:
    rows: dict[str, Any] = {}
    for row in _INFOBOX_ROW.finditer(text):
        key, value = row.group(1), row.group(2)
        # Keep "Key: value" visible; drop the table pipes.
        vstart = row.start(2)
        vend = row.end(2)
        m.edits.append(Edit(row.end(1) + 1, vstart, " ", "removed_markup"))
        m.edits.append(Edit(vend, row.end(), "", "removed_markup"))
        m.blocks.append(Block(row.start(), row.end(), "infobox", title=key))
        rows[key.strip().lower().replace(" ", "_")] = " ".join(value.split())
    if rows:
        m.infobox = {"infobox": rows}


def _markdown(text: str, body_start: int, m: Markup) -> None:
    body = text[body_start:]
    off = body_start
    for img in _MD_IMAGE_LINE.finditer(body):
        m.edits.append(Edit(off + img.start(), off + img.end(), "", "removed_image"))
    for img in _MD_IMAGE.finditer(body):
        m.edits.append(Edit(off + img.start(), off + img.end(), "", "removed_image"))
    for h in _MD_HEADING.finditer(body):
        m.edits.append(Edit(off + h.start(), off + h.start(2), "", "removed_markup"))
        m.blocks.append(
            Block(off + h.start(2), off + h.end(2), "heading", len(h.group(1)), h.group(2))
        )
    for link in _MD_LINK.finditer(body):
        m.edits.append(Edit(off + link.start(), off + link.start(1), "", "removed_markup"))
        m.edits.append(Edit(off + link.end(1), off + link.end(), "", "removed_markup"))
    for em in _MD_EMPH.finditer(body):
        n = len(em.group(1))
        m.edits.append(Edit(off + em.start(), off + em.start() + n, "", "removed_markup"))
        m.edits.append(Edit(off + em.end() - n, off + em.end(), "", "removed_markup"))
    for li in _MD_LIST.finditer(body):
        m.edits.append(Edit(off + li.start(), off + li.end(), "", "removed_markup"))
        line_end = body.find("\n", li.end())
        line_end = len(body) if line_end < 0 else line_end
        m.blocks.append(Block(off + li.end(), off + line_end, "list_item"))


def _plain_structure(text: str, body_start: int, m: Markup) -> None:
    """Short unpunctuated lines in plain text: captions, headings or a byline; a trailing bibliography."""
    lines = [(mm.start(), mm.end(), mm.group()) for mm in re.finditer(r"[^\n]+", text[body_start:])]
    lines = [(s + body_start, e + body_start, t) for s, e, t in lines if t.strip()]
    if not lines:
        return
    # Trailing bibliography: a run of reference-like lines at the end.
    i = len(lines)
    while i > 0 and _BIBLIO_LINE.match(lines[i - 1][2]) and len(lines[i - 1][2]) < 400:
        i -= 1
    if len(lines) - i >= 2 and i > 0:
        for s, e, _t in lines[i:]:
            m.blocks.append(Block(s, e, "bibliography"))
        lines = lines[:i]
    seen_body = False
    for idx, (s, e, t) in enumerate(lines):
        stripped = t.strip()
        words = stripped.split()
        long_prose = len(words) > 14 or _SENTENCE_END.search(stripped) is not None
        if long_prose:
            seen_body = True
            continue
        if any(b.start <= s < b.end for b in m.blocks):
            continue
        if _CAPTION_WORDS.search(stripped) or " / " in stripped:
            kind = "caption"
        elif not seen_body and idx == 0 and len(words) <= 4 and all(w[:1].isupper() for w in words):
            kind = "byline"
        elif idx + 1 < len(lines) and stripped == lines[idx + 1][2].strip():
            kind = "heading"  # a title printed twice: keep one as the heading
        else:
            kind = "heading"
        m.blocks.append(Block(s, e, kind, 1 if kind == "heading" else 0, stripped))


def parse_markup(text: str, file_name: str) -> Markup:
    fmt = detect_format(text, file_name)
    m = Markup(fmt)
    body_start = _front_matter(text, m)
    if fmt == "plain+infobox":
        _infobox_rows(text, m)
    for ref in _REF_MARKER.finditer(text, body_start):
        m.edits.append(Edit(ref.start(), ref.end(), "", "removed_reference"))
    if fmt == "markdown":
        _markdown(text, body_start, m)
    else:
        _plain_structure(text, body_start, m)
    return m
