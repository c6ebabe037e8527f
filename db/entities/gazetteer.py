"""The curated gazetteer (``resources/curated/gazetteer.yaml``): loading and validation."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.models import ENTITY_TYPES
from db.resources import resource_path
from db.yamlio import load_yaml

#: libyaml's loader when PyYAML has it (the gazetteer parses ten times faster).


class GazetteerError(ValueError):
    """The gazetteer file is malformed; the message names the entry."""


@dataclass(frozen=True)
class GazetteerEntity:
    id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    ambiguous: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    coord_approx: bool = True
    description: str = ""

    def all_spellings(self) -> tuple[str, ...]:
        """Every text that names this entity: aliases, shared spellings, adjectives."""
        return self.aliases + self.ambiguous + self.adjectives


@dataclass
class Gazetteer:
    entities: list[GazetteerEntity]
    by_id: dict[str, GazetteerEntity] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {e.id: e for e in self.entities}


def _strings(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GazetteerError(f"{where}: '{key}' must be a list of non-empty strings")
    return tuple(value)


def _entity(entry: Any, n: int) -> GazetteerEntity:
    if not isinstance(entry, dict):
        raise GazetteerError(f"entry {n}: not a mapping")
    eid = entry.get("id")
    where = f"entry {n} ({eid!r})"
    if not isinstance(eid, str) or not eid or eid != eid.strip().lower() or " " in eid:
        raise GazetteerError(f"{where}: id must be a lower-case slug")
    etype = entry.get("type")
    if etype not in ENTITY_TYPES:
        raise GazetteerError(f"{where}: type must be one of {', '.join(ENTITY_TYPES)}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise GazetteerError(f"{where}: name is required")
    aliases = _strings(entry, "aliases", where)
    if not aliases:
        raise GazetteerError(f"{where}: at least one alias is required")
    lat = lon = None
    approx = True
    coords = entry.get("coords")
    if coords is not None:
        if not isinstance(coords, dict) or not {"lat", "lon"} <= set(coords):
            raise GazetteerError(f"{where}: coords must be {{lat, lon, approx}}")
        lat, lon = float(coords["lat"]), float(coords["lon"])
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            raise GazetteerError(f"{where}: coordinates out of range")
        approx = coords.get("approx", True)
        if not isinstance(approx, bool):
            raise GazetteerError(f"{where}: coords.approx must be true or false")
    elif etype == "place":
        raise GazetteerError(f"{where}: a place needs coords")
    return GazetteerEntity(
        id=eid,
        type=etype,
        name=name,
        aliases=aliases,
        ambiguous=_strings(entry, "ambiguous", where),
        adjectives=_strings(entry, "adjectives", where),
        context=_strings(entry, "context", where),
        lat=lat,
        lon=lon,
        coord_approx=approx,
        description=str(entry.get("description") or ""),
    )


def parse_gazetteer(data: Any) -> Gazetteer:
    """Validate the parsed YAML: unique ids, sorted, no spelling shared unless marked ambiguous."""
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise GazetteerError("the gazetteer must hold a list under 'entities'")
    entities = [_entity(e, n) for n, e in enumerate(data["entities"], start=1)]
    ids = [e.id for e in entities]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise GazetteerError(f"duplicate ids: {', '.join(dup)}")
    if ids != sorted(ids):
        first = next(a for a, b in zip(ids, sorted(ids), strict=True) if a != b)
        raise GazetteerError(f"entries must be sorted by id (first out of place: {first})")
    owners: dict[str, set[str]] = {}
    shared: dict[str, set[str]] = {}
    for e in entities:
        for text in e.aliases + e.adjectives:
            owners.setdefault(text, set()).add(e.id)
        for text in e.ambiguous:
            shared.setdefault(text, set()).add(e.id)
    for text, who in owners.items():
        if len(who) > 1:
            raise GazetteerError(f"alias {text!r} is shared by {', '.join(sorted(who))}")
        if text in shared:
            raise GazetteerError(
                f"{text!r} is an alias of {min(who)} and ambiguous for {', '.join(sorted(shared[text]))}"
            )
    for text, who in shared.items():
        if len(who) < 2:
            raise GazetteerError(f"{text!r} is marked ambiguous but only {min(who)} uses it")
    return Gazetteer(entities)


def gazetteer_path() -> Path:
    return resource_path("curated", "gazetteer.yaml")


@functools.lru_cache(maxsize=4)
def _load_cached(path: str, mtime: float) -> Gazetteer:
    with open(path, encoding="utf-8") as fh:
        return parse_gazetteer(load_yaml(fh))


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The curated gazetteer (parsed once per file version)."""
    p = path or gazetteer_path()
    return _load_cached(str(p), p.stat().st_mtime)
