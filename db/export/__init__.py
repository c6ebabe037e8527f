"""Exports of a database to the formats other tools read. ``FORMATS`` maps a name to a writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from db.export.json_export import write_json

Writer = Callable[[Engine, Path], None]

FORMATS: dict[str, Writer] = {
    "json": write_json,
}


def export(engine: Engine, fmt: str, out: Path) -> None:
    try:
        writer = FORMATS[fmt]
    except KeyError:
        raise ValueError(
            f"unknown export format {fmt!r}; choose one of {', '.join(sorted(FORMATS))}"
        ) from None
    writer(engine, out)
