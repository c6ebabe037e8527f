"""Infobox roles: combatants, commanders and strengths per side, as facts of a conflict.

Document 001 has YAML front matter (``{"infoboxes": [{key: {"text": ...}}]}``),
document 004 ``Key: | value |`` rows (``{"infobox": {key: value}}``). Keys such
as ``combatant2`` / ``commander1`` / ``strength3`` carry the side number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from db.entities.recognize import Recognizer

_SIDE_KEY = re.compile(r"^(combatant|commander|strength|casualties|units)(\d+)$")
_ROLES = {
    "combatant": "combatant",
    "commander": "commander",
    "strength": "strength",
    "casualties": "casualties",
    "units": "units",
}
_GENERAL_KEYS = ("date", "place", "result", "territory", "partof", "status")
# Flags are pairs of regional-indicator symbols; bullets start list items.
_NOISE = re.compile(r"[\U0001F1E6-\U0001F1FF]+|^\s*[*•-]\s*", re.MULTILINE)


@dataclass(frozen=True)
class FactRow:
    conflict: str
    side: int | None
    role: str
    text: str
    entity_id: str | None


def _text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("text", "")
    return str(value or "").strip()


def infobox_tables(infobox: dict[str, Any] | None) -> list[dict[str, str]]:
    """Each infobox as a flat ``{key: text}`` table."""
    if not infobox:
        return []
    raw: list[Any] = []
    if isinstance(infobox.get("infoboxes"), list):
        raw.extend(infobox["infoboxes"])
    if isinstance(infobox.get("infobox"), dict):
        raw.append(infobox["infobox"])
    return [{str(k): _text(v) for k, v in t.items()} for t in raw if isinstance(t, dict)]


def _items(text: str) -> list[str]:
    cleaned = _NOISE.sub(" ", text)
    return [re.sub(r"\s+", " ", line).strip() for line in cleaned.splitlines() if line.strip()]


def _split_names(item: str, recognizer: Recognizer) -> list[tuple[str, str | None]]:
    """One (text, entity) per name in an item; 004 runs several names together."""
    found = [f for f in recognizer.find(item) if f.participant]
    if not found:
        return [(item, None)]
    if len(found) == 1:
        return [(item, found[0].entity_id)]
    out: list[tuple[str, str | None]] = []
    pos = 0
    for f in found:
        gap = item[pos : f.start].strip(" ,;")
        if re.search(r"[A-Z]", gap):
            out.append((gap, None))
        out.append((item[f.start : f.end], f.entity_id))
        pos = f.end
    rest = item[pos:].strip(" ,;")
    if re.search(r"[A-Z]", rest) and not re.fullmatch(r"\(.*\)", rest):
        out.append((rest, None))
    return out


def infobox_facts(infobox: dict[str, Any] | None, recognizer: Recognizer) -> list[FactRow]:
    rows: list[FactRow] = []
    for table in infobox_tables(infobox):
        conflict = table.get("conflict") or table.get("title") or ""
        for key, value in table.items():
            if not value:
                continue
            m = _SIDE_KEY.match(key)
            if m is None:
                if key in _GENERAL_KEYS:
                    rows.append(FactRow(conflict, None, key, value, None))
                continue
            role, side = _ROLES[m.group(1)], int(m.group(2))
            if role in ("combatant", "commander"):
                for item in _items(value):
                    for text, entity_id in _split_names(item, recognizer):
                        rows.append(FactRow(conflict, side, role, text, entity_id))
            else:
                rows.append(FactRow(conflict, side, role, " ".join(_items(value)), None))
    return rows
