"""The build's later stages, in order. Each is a module exposing ``run(ctx: BuildContext)``.

Listed by name so each stage lives in its own package and can be developed
and tested alone: time expressions first (events need them), then entities,
then events, then the per-entity counts the entity pane shows.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.build import BuildContext

STAGE_MODULES = (
    "db.timex.stage",
    "db.entities.stage",
    "db.events.stage",
    "db.search_index",  # search tables over entities, aliases and events (after events)
)


def _load() -> list[Callable[[BuildContext], None]]:
    stages = []
    for name in STAGE_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and name.startswith(exc.name):
                continue  # stage not present in this build of the pipeline
            raise
        stages.append(module.run)
    return stages


STAGES = _load()
