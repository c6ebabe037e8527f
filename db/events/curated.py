"""The curated event catalogue (``resources/curated/events.yaml``).

The catalogue supplements extraction for the bundled corpus: titles and kinds
for the key events, merges the extractor misses (several quotes under one
entry), splits it gets wrong (two entries), clauses that are not events
(``exclude``), and the phases of the war. Every entry anchors on a quote that
must occur verbatim (up to whitespace) in the named source; a quote that is
not found fails the build with a message naming the entry, so the catalogue
cannot silently drift from the text. Entries whose source is not part of the
build are skipped (the catalogue describes the bundled corpus).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from db.models import EVENT_KINDS
from db.yamlio import load_yaml


class CatalogueError(Exception):
    """The curated catalogue is malformed or does not match the text."""


@dataclass
class Quote:
    source: str
    text: str
    start: int = -1  # found offsets into the source's normalized text
    end: int = -1


@dataclass
class CuratedPhase:
    id: str
    title: str
    earliest: int
    latest: int
    parent: str | None
    description: str | None
    keywords: list[str]
    quote: Quote | None


@dataclass
class CuratedEvent:
    id: str
    title: str
    kind: str
    earliest: int
    latest: int
    precision: str
    value: str
    phase: str | None
    key: bool
    quotes: list[Quote]
    exclusive: bool = False
    note: str | None = None
    tour: int | None = None
    #: Roles the curator fixes (entity id → role, or "none" to drop a wrong participant).
    participants: dict[str, str] = field(default_factory=dict)


@dataclass
class Catalogue:
    phases: list[CuratedPhase] = field(default_factory=list)
    events: list[CuratedEvent] = field(default_factory=list)
    exclude: list[Quote] = field(default_factory=list)


def parse_date(value: str) -> tuple[int, int, str]:
    """``1918``, ``1918-03``, ``1918-03-30`` or ``A/B`` → (earliest, latest, precision)."""
    value = str(value).strip()
    if "/" in value:
        a, b = value.split("/", 1)
        ea, _, pa = parse_date(a)
        _, lb, pb = parse_date(b)
        prec = pa if pa == pb else max(pa, pb, key=["day", "month", "year"].index)
        if prec == "day" and lb - ea > 3:
            prec = "day" if lb - ea <= 3 else "part_of_month" if lb - ea <= 16 else "month"
        return ea, lb, prec
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if m is None:
        raise CatalogueError(f"not a date: {value!r} (use YYYY, YYYY-MM, YYYY-MM-DD or A/B)")
    y = int(m.group(1))
    if m.group(3):
        d = date(y, int(m.group(2)), int(m.group(3))).toordinal()
        return d, d, "day"
    if m.group(2):
        mo = int(m.group(2))
        return (
            date(y, mo, 1).toordinal(),
            date(y, mo, calendar.monthrange(y, mo)[1]).toordinal(),
            "month",
        )
    return date(y, 1, 1).toordinal(), date(y, 12, 31).toordinal(), "year"


def _quote(raw: Any, where: str) -> Quote:
    if not isinstance(raw, dict) or "source" not in raw or "text" not in raw:
        raise CatalogueError(f"{where}: a quote needs 'source' and 'text'")
    return Quote(str(raw["source"]), str(raw["text"]))


_ROLES = ("agent", "target", "commander", "place", "participant", "none")


def _participants(raw: Any, where: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or any(r not in _ROLES for r in raw.values()):
        raise CatalogueError(
            f"{where}: participants must map entity ids to one of {', '.join(_ROLES)}"
        )
    return {str(k): str(v) for k, v in raw.items()}


def load_catalogue(path: Path) -> Catalogue:
    """Read and validate the catalogue file (quotes are located later, against the build's texts)."""
    try:
        raw = load_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(f"{path.name}: cannot be read ({exc})") from exc
    if not isinstance(raw, dict):
        raise CatalogueError(f"{path.name}: expected a mapping with 'phases' and 'events'")
    cat = Catalogue()
    seen: set[str] = set()
    for i, p in enumerate(raw.get("phases") or []):
        where = f"{path.name}: phase {p.get('id', i + 1)!r}"
        try:
            a, _, _ = parse_date(p["start"])
            _, b, _ = parse_date(p["end"])
        except (KeyError, ValueError) as exc:
            raise CatalogueError(f"{where}: bad or missing start/end ({exc})") from exc
        if p["id"] in seen:
            raise CatalogueError(f"{where}: id used twice")
        seen.add(p["id"])
        cat.phases.append(
            CuratedPhase(
                id=str(p["id"]),
                title=str(p["title"]),
                earliest=a,
                latest=b,
                parent=p.get("parent"),
                description=p.get("description"),
                keywords=[str(k) for k in p.get("keywords") or []],
                quote=_quote(p["quote"], where) if p.get("quote") else None,
            )
        )
    phase_ids = {p.id for p in cat.phases}
    for p in cat.phases:
        if p.parent is not None and p.parent not in phase_ids:
            raise CatalogueError(f"{path.name}: phase {p.id!r} names unknown parent {p.parent!r}")
    for i, e in enumerate(raw.get("events") or []):
        where = f"{path.name}: event {e.get('id', i + 1)!r}"
        for key in ("id", "title", "kind", "date", "quotes"):
            if key not in e:
                raise CatalogueError(f"{where}: missing {key!r}")
        if e["kind"] not in EVENT_KINDS:
            raise CatalogueError(
                f"{where}: kind {e['kind']!r} is not one of {', '.join(EVENT_KINDS)}"
            )
        if e["id"] in seen:
            raise CatalogueError(f"{where}: id used twice")
        seen.add(e["id"])
        if e.get("phase") is not None and e["phase"] not in phase_ids:
            raise CatalogueError(f"{where}: unknown phase {e['phase']!r}")
        try:
            a, b, prec = parse_date(e["date"])
        except ValueError as exc:
            raise CatalogueError(f"{where}: bad date ({exc})") from exc
        quotes = [_quote(q, where) for q in e["quotes"]]
        if not quotes:
            raise CatalogueError(f"{where}: needs at least one quote")
        cat.events.append(
            CuratedEvent(
                id=str(e["id"]),
                title=str(e["title"]),
                kind=str(e["kind"]),
                earliest=a,
                latest=b,
                precision=str(e.get("precision") or prec),
                value=str(e["date"]),
                phase=e.get("phase"),
                key=bool(e.get("key", False)),
                quotes=quotes,
                exclusive=bool(e.get("exclusive", False)),
                note=e.get("note"),
                tour=e.get("tour"),
                participants=_participants(e.get("participants"), where),
            )
        )
    for i, q in enumerate(raw.get("exclude") or []):
        cat.exclude.append(_quote(q, f"{path.name}: exclude #{i + 1}"))
    return cat


def locate(quote: Quote, texts: dict[str, str], where: str) -> bool:
    """Find the quote in its source; False if the source is not in this build.

    Raises :class:`CatalogueError` when the source is present but the quote is not.
    """
    text = texts.get(quote.source)
    if text is None:
        return False
    i = text.find(quote.text)
    if i >= 0:
        quote.start, quote.end = i, i + len(quote.text)
        return True
    pattern = r"\s+".join(re.escape(w) for w in quote.text.split())
    m = re.search(pattern, text)
    if m is None:
        raise CatalogueError(
            f"curated catalogue, {where}: the quote {quote.text!r} is not in source "
            f"{quote.source!r}. Fix the quote in resources/curated/events.yaml to match the text."
        )
    quote.start, quote.end = m.span()
    return True
