"""The build's later stages, in order. Each is a module exposing ``run(ctx: BuildContext)``.

Listed by name so each stage lives in its own package and can be developed
and tested alone: time expressions first (events need them), then entities,
then events, then the per-entity counts the entity pane shows.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from db.build import BuildContext
    from db.ingest import ParsedDocument

STAGE_MODULES = (
    "db.timex.stage",
    "db.entities.stage",
    "db.events.stage",
    "db.search_index",  # search tables over entities, aliases and events (after events)
)


@functools.cache
def all_stages() -> tuple[Callable[[BuildContext], None], ...]:
    """The stages' ``run`` functions, in order (imported on first use: stage modules
    import this module's helpers, so importing them here at load time would be circular)."""
    return tuple(_load())


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


def prepare_document(doc: ParsedDocument) -> dict[str, Any]:
    """Per-document work of the stages that offer it (``prepare(doc, ahead)``), by stage module.

    Runs in worker processes for large corpora: what a stage can do for one document
    alone (tagging its dates, matching its names, drafting its events) is done there,
    in parallel; the stage's ``run`` then uses ``ctx.data["prepared"][source_id][module]``
    when present. ``ahead`` holds what the earlier stages' ``prepare`` returned for the
    same document (the events stage drafts from the dates the timex stage found).
    """
    out: dict[str, Any] = {}
    for stage in all_stages():
        module = importlib.import_module(stage.__module__)
        prepare = getattr(module, "prepare", None)
        if prepare is not None:
            out[stage.__module__] = prepare(doc, out)
    return out


def prepared(ctx: BuildContext, source_id: str, module: str) -> Any:
    """What ``prepare`` computed ahead for this document, or None."""
    return ctx.data.get("prepared", {}).get(source_id, {}).get(module)
