"""Exchange with other reviewers: W3C Web Annotation JSON-LD and review statuses as CSV.

Export writes an ``AnnotationCollection`` whose items are standard annotations
(motivation, creator, created/modified, a ``TextualBody`` or ``SpecificResource``
target with ``TextQuoteSelector`` + ``TextPositionSelector``) and carry the exact
workspace row under ``chronoscope:row`` so a Chronoscope import is lossless.

Import parses and validates the whole file first; any problem raises
:class:`ImportFormatError` saying what is wrong and nothing is written. The
merge plan (:func:`plan_merge`) is one :class:`~db.workspace.service.Edit`,
applied in one transaction like any other action (and undoable); annotations
that disagree with ours on the same target are listed as conflicts, ours kept.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from db.workspace.effective import effective_events, review_statuses
from db.workspace.models import KINDS, MOTIVATIONS, NOTE_FORMATS, STATUSES, TARGET_TYPES
from db.workspace.service import AnnotationService, Edit, Put, Row, new_id

CONTEXT: list[Any] = [
    "http://www.w3.org/ns/anno.jsonld",
    {"chronoscope": "https://chronoscope.example/ns#"},
]
TARGET_IRI = "chronoscope:{type}/{id}"
CSV_FIELDS = ("event_id", "title", "status", "reason", "reviewer", "time")
_FORMAT_MIME = {"plain": "text/plain", "markdown": "text/markdown"}


class ImportFormatError(ValueError):
    """The file is not an annotation export this version can read; nothing was changed."""


# --- export ------------------------------------------------------------------


def to_web_annotation(row: Row) -> dict[str, Any]:
    """One annotation row as a W3C Web Annotation."""
    target: dict[str, Any] = {"id": TARGET_IRI.format(type=row.target_type, id=row.target_id)}
    if row.selector:
        sel = row.selector
        target = {
            "type": "SpecificResource",
            "source": TARGET_IRI.format(type="source", id=sel["source"]),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": sel["exact"],
                    "prefix": sel.get("prefix", ""),
                    "suffix": sel.get("suffix", ""),
                },
                {"type": "TextPositionSelector", "start": sel["start"], "end": sel["end"]},
            ],
            "scope": TARGET_IRI.format(type=row.target_type, id=row.target_id),
        }
    if row.kind == "note":
        body: dict[str, Any] = {
            "type": "TextualBody",
            "value": row.body.get("text", ""),
            "format": _FORMAT_MIME[row.format],
            "purpose": "commenting",
        }
    elif row.kind == "tag":
        body = {"type": "TextualBody", "value": row.body.get("tag", ""), "purpose": "tagging"}
    elif row.kind == "status":
        body = {"type": "TextualBody", "value": row.body.get("status", ""), "purpose": "assessing"}
    else:
        body = {
            "type": "TextualBody",
            "value": json.dumps(row.body, ensure_ascii=False),
            "format": "application/json",
            "purpose": MOTIVATIONS[row.kind],
        }
    return {
        "id": row.id,
        "type": "Annotation",
        "motivation": MOTIVATIONS[row.kind],
        "creator": {"type": "Person", "name": row.reviewer},
        "created": row.created,
        "modified": row.modified,
        "body": body,
        "target": target,
        "chronoscope:row": row.to_dict(),
    }


def export_jsonld(service: AnnotationService) -> dict[str, Any]:
    items = [to_web_annotation(r) for r in service.rows()]
    return {
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": "Chronoscope reviewer annotations",
        "generator": "Chronoscope",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def write_jsonld(service: AnnotationService, path: Path) -> int:
    """Write every annotation to ``path``; returns how many."""
    data = export_jsonld(service)
    tmp = Path(str(path) + ".partial")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
    return int(data["total"])


def write_status_csv(engine: Engine, service: AnnotationService, path: Path) -> int:
    """Review statuses, one event a line; returns how many."""
    statuses = review_statuses(service.workspace)
    events = effective_events(engine, service.workspace, list(statuses))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_FIELDS)
    for eid in sorted(statuses):
        st = statuses[eid]
        ev = events.get(eid)
        w.writerow(
            [eid, ev.title if ev else "", st.status, st.reason, st.reviewer or "", st.at or ""]
        )
    Path(path).write_text(buf.getvalue(), encoding="utf-8")
    return len(statuses)


# --- import: parsing and validation --------------------------------------------


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ImportFormatError("The file is binary, not a text export (it contains NUL bytes).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(
            f"The file is not UTF-8 text (bad byte at position {exc.start})."
        ) from None


def _require(cond: bool, where: str, what: str) -> None:
    if not cond:
        raise ImportFormatError(f"{where}: {what}")


def _row_from_item(item: Any, where: str) -> Row:
    _require(isinstance(item, dict), where, "an annotation must be a JSON object")
    types = item.get("type")
    types = types if isinstance(types, list) else [types]
    _require("Annotation" in types, where, f"type is {item.get('type')!r}, not 'Annotation'")
    raw = item.get("chronoscope:row")
    _require(isinstance(raw, dict), where, "no chronoscope:row: not written by Chronoscope")
    assert isinstance(raw, dict)
    want = {
        "id": str,
        "kind": str,
        "target_type": str,
        "target_id": str,
        "key": str,
        "body": dict,
        "reviewer": str,
        "created": str,
        "modified": str,
    }
    for name, typ in want.items():
        _require(
            isinstance(raw.get(name), typ),
            where,
            f"chronoscope:row.{name} is missing or not a {typ.__name__}",
        )
    _require(raw["kind"] in KINDS, where, f"unknown kind {raw['kind']!r}")
    _require(
        raw["target_type"] in TARGET_TYPES, where, f"unknown target type {raw['target_type']!r}"
    )
    fmt = raw.get("format", "plain")
    _require(fmt in NOTE_FORMATS, where, f"unknown note format {fmt!r}")
    sel = raw.get("selector")
    if sel is not None:
        _require(
            isinstance(sel, dict)
            and isinstance(sel.get("exact"), str)
            and isinstance(sel.get("start"), int)
            and isinstance(sel.get("end"), int)
            and isinstance(sel.get("source"), str),
            where,
            "malformed text selector",
        )
    if raw["kind"] == "status":
        _require(
            raw["body"].get("status") in STATUSES,
            where,
            f"unknown review status {raw['body'].get('status')!r}",
        )
    _require(item.get("id") == raw["id"], where, "the annotation id and chronoscope:row.id differ")
    return Row(
        id=raw["id"],
        kind=raw["kind"],
        target_type=raw["target_type"],
        target_id=raw["target_id"],
        key=raw["key"],
        body=raw["body"],
        reviewer=raw["reviewer"],
        created=raw["created"],
        modified=raw["modified"],
        selector=sel,
        anchor=str(raw.get("anchor", "anchored")),
        format=fmt,
    )


def parse_jsonld(data: bytes) -> list[Row]:
    """The annotations in an export, or :class:`ImportFormatError` saying what is wrong."""
    if not data.strip():
        raise ImportFormatError("The file is empty.")
    text = _decode(data)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        truncated = exc.pos >= len(text.rstrip()) - 1
        why = "it ends too early (truncated?)" if truncated else exc.msg
        raise ImportFormatError(
            f"The file is not valid JSON: {why} at line {exc.lineno}, column {exc.colno}."
        ) from None
    if not isinstance(doc, dict):
        raise ImportFormatError("Not a Web Annotation file: the top level is not a JSON object.")
    if "@context" not in doc:
        hint = (
            " (it looks like a Chronoscope data export)"
            if doc.get("format") == "chronoscope"
            else ""
        )
        raise ImportFormatError(f"Not a Web Annotation file: no JSON-LD @context{hint}.")
    kind = doc.get("type")
    if kind == "AnnotationCollection":
        page = doc.get("first")
        _require(isinstance(page, dict), "AnnotationCollection", "no first page of annotations")
        assert isinstance(page, dict)
        items = page.get("items")
    elif kind == "AnnotationPage":
        items = doc.get("items")
    elif kind == "Annotation":
        items = [doc]
    else:
        raise ImportFormatError(
            f"Wrong JSON-LD type {kind!r}: expected an AnnotationCollection, AnnotationPage or Annotation."
        )
    _require(isinstance(items, list), str(kind), "items is not a list")
    assert isinstance(items, list)
    if kind == "AnnotationCollection" and isinstance(doc.get("total"), int):
        _require(
            doc["total"] == len(items),
            str(kind),
            f"says it has {doc['total']} annotations but holds {len(items)} (incomplete file?)",
        )
    rows = [_row_from_item(item, f"annotation {i + 1}") for i, item in enumerate(items)]
    ids = [r.id for r in rows]
    _require(len(set(ids)) == len(ids), "file", "the same annotation id appears twice")
    return rows


def parse_status_csv(data: bytes, *, reviewer: str, now: str) -> list[Row]:
    """Review statuses from a CSV export, as status annotations."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(header[: len(CSV_FIELDS)]) != CSV_FIELDS:
        raise ImportFormatError(
            f"Not a review status CSV: the first line must be {','.join(CSV_FIELDS)}."
        )
    rows: list[Row] = []
    for n, rec in enumerate(reader, start=2):
        if not rec:
            continue
        _require(
            len(rec) >= len(CSV_FIELDS),
            f"line {n}",
            f"{len(rec)} columns, expected {len(CSV_FIELDS)}",
        )
        eid, _title, status, reason, who, at = rec[: len(CSV_FIELDS)]
        _require(status in STATUSES, f"line {n}", f"unknown review status {status!r}")
        _require(bool(eid), f"line {n}", "no event id")
        rows.append(
            Row(
                new_id(),
                "status",
                "event",
                eid,
                "",
                {"status": status, "reason": reason},
                who or reviewer,
                at or now,
                at or now,
            )
        )
    return rows


# --- merge ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """Both reviewers said something different about the same target; ours was kept."""

    ours: Row
    theirs: Row

    @property
    def target(self) -> str:
        return f"{self.theirs.target_type}:{self.theirs.target_id}"


@dataclass(frozen=True)
class MergePlan:
    edit: Edit
    added: int
    unchanged: int
    conflicts: tuple[Conflict, ...]

    def summary(self) -> str:
        s = f"{self.added} added, {self.unchanged} already present"
        return s + (f", {len(self.conflicts)} conflicts to decide" if self.conflicts else "")


def plan_merge(
    service: AnnotationService, rows: list[Row], label: str = "Import annotations"
) -> MergePlan:
    """What importing ``rows`` would do: one edit adding what is new, conflicts listed."""
    existing = service.rows()
    by_id = {r.id: r for r in existing}
    by_slot = {r.slot: r for r in existing}
    puts: list[Put] = []
    conflicts: list[Conflict] = []
    unchanged = 0
    for theirs in rows:
        ours = by_id.get(theirs.id) or by_slot.get(theirs.slot)
        if ours is None:
            puts.append(Put(theirs))
            by_slot[theirs.slot] = theirs
            by_id[theirs.id] = theirs
        elif ours.same_content(theirs):
            unchanged += 1
        else:
            conflicts.append(Conflict(ours, theirs))
    return MergePlan(Edit(label, tuple(puts)), len(puts), unchanged, tuple(conflicts))


def read_import(path: Path, service: AnnotationService) -> list[Row]:
    """Parse a JSON-LD (or status CSV) export file; raises ImportFormatError."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImportFormatError(f"Cannot read {Path(path).name}: {exc.strerror}.") from None
    if Path(path).suffix.lower() == ".csv":
        return parse_status_csv(data, reviewer=service.reviewer, now=service._clock())
    return parse_jsonld(data)
