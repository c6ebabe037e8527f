"""The entities build stage: gazetteer → mentions → discovered names → facts → counts.

Runs after time expressions and before events. It writes Entity, Alias,
Mention and Fact rows, and leaves the mentions in ``ctx.data["entities"]``
(an :class:`EntityResult`) for the events stage.

The gazetteer is general knowledge, so it applies to every build, including
user documents (``ctx.curated`` false). In every build, capitalised names it
does not know become entities of a guessed type with ``curated`` false: on
user documents so that nothing named is invisible, on the bundled corpus so
that ``entities --unknown`` can list them for curators.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Table, insert

from db.entities.discover import (
    Tentative,
    find_unknown,
    find_unknown_ahead,
    load_stoplist,
    lowercase_vocabulary,
    settle,
)
from db.entities.gazetteer import Gazetteer, load_gazetteer
from db.entities.infobox import FactRow, infobox_facts
from db.entities.recognize import Found, Recognizer
from db.models import Alias, Base, Entity, Fact, Mention
from db.stages import indexes_built_after, insert_tuples, prepared

if TYPE_CHECKING:
    from db.build import BuildContext, PassageRow
    from db.ingest import ParsedDocument


class MentionRecord(NamedTuple):
    """One mention as stored (a named tuple: a large corpus has millions)."""

    entity_id: str
    source_id: str
    passage_id: int
    start: int
    end: int
    text: str
    method: str  # gazetteer | context | discovered | infobox
    as_participant: bool


@dataclass
class EntityResult:
    """What the stage leaves for later stages in ``ctx.data["entities"]``."""

    recognizer: Recognizer
    types: dict[str, str]  # entity id → type, curated and discovered
    mentions: dict[str, list[MentionRecord]] = field(default_factory=dict)  # per source, in order


def _table(model: type[Base]) -> Table:
    """The model's table: a Core insert skips the ORM's per-row work (twice as fast
    for the hundreds of thousands of mentions of a large corpus)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "name"


def section_starts(doc: ParsedDocument) -> list[int]:
    """Where each heading-delimited section begins: a shared surname is resolved
    from names met earlier in its own section only."""
    return sorted({sec.start for sec in doc.sections[1:]})


_WORKER_RECOGNIZER: Recognizer | None = None


#: A gazetteer mention before it has row ids: entity id, index of its passage in
#: ``doc.passages()``, start, end, method, as participant.
Located = tuple[str, int, int, int, str, bool]


@dataclass
class DocumentNames:
    """What :func:`prepare` finds in one document ahead of the stage."""

    located: list[Located]  # the gazetteer's matches that lie inside a passage
    words: frozenset[str]  # the document's lower-case vocabulary
    tentative: list[Tentative]  # unknown names, before the corpus's vocabulary is known


def prepare(doc: ParsedDocument, ahead: dict[str, Any]) -> DocumentNames:
    """The per-document part (run in a worker process for large corpora): gazetteer
    matches, and the discovery of unknown names as far as one document allows."""
    global _WORKER_RECOGNIZER
    if _WORKER_RECOGNIZER is None:  # once per worker process
        _WORKER_RECOGNIZER = Recognizer(load_gazetteer())
    found = _WORKER_RECOGNIZER.find(doc.normalized, section_starts(doc))
    passages = [(start, end, kind) for start, end, kind, _p in doc.passages()]
    located = locate(found, passages)
    spans = [(start, end) for start, end, _kind in passages]
    covered = _covered(doc.normalized, spans, [(m[2], m[3]) for m in located])
    words, tentative = find_unknown_ahead(doc.normalized, spans, covered, load_stoplist())
    return DocumentNames(located, words, tentative)


def locate(found: Iterable[Found], passages: Sequence[tuple[int, int, str]]) -> list[Located]:
    """The matches that lie inside a passage (``(start, end, kind)``, in text order),
    each with its passage's index and its method."""
    starts = [p[0] for p in passages]
    out: list[Located] = []
    for f in found:
        i = bisect_right(starts, f.start) - 1
        if i < 0 or f.end > passages[i][1]:
            continue  # outside every passage (markup residue): nothing to point at
        method = "infobox" if passages[i][2] == "infobox" else f.method
        out.append((f.entity_id, i, f.start, f.end, method, f.participant))
    return out


def _covered(
    text: str, passages: Sequence[tuple[int, int]], mentions: Iterable[tuple[int, int]]
) -> bytearray:
    """1 over every mention that lies inside a passage (those are stored; see
    :func:`recognize_document`), 0 elsewhere."""
    starts = [start for start, _end in passages]
    covered = bytearray(len(text))
    for start, end in mentions:
        i = bisect_right(starts, start) - 1
        if i >= 0 and end <= passages[i][1]:
            covered[start:end] = b"\x01" * (end - start)
    return covered


def recognize_document(
    recognizer: Recognizer,
    doc: ParsedDocument,
    passages: list[PassageRow],
    source_id: str,
    located: list[Located] | None = None,
) -> list[MentionRecord]:
    """Gazetteer mentions of one document, each tied to the passage that holds it
    (``located``: the recognizer's matches if :func:`prepare` found them ahead)."""
    text = doc.normalized
    if located is None:
        found = recognizer.find(text, section_starts(doc))
        located = locate(found, [(p.start, p.end, p.kind) for p in passages])
    return [
        MentionRecord(eid, source_id, passages[i].id, start, end, text[start:end], method, part)
        for eid, i, start, end, method, part in located
    ]


# Field getters for millions of mentions (faster than lambdas and generators).
_START = attrgetter("start")
_ENTITY = attrgetter("entity_id")
_ENTITY_SOURCE = attrgetter("entity_id", "source_id")

Occurrence = tuple[str, int, int, int, str]  # source id, passage id, start, end, guessed type


def run(ctx: BuildContext) -> None:
    """Recognize, discover, store: every curated entity, every mention, every infobox fact."""
    started = time.perf_counter()
    gazetteer: Gazetteer = load_gazetteer()
    recognizer = Recognizer(gazetteer)
    result = EntityResult(recognizer, {e.id: e.type for e in gazetteer.entities})

    discovered = _recognize_all(ctx, recognizer, result)
    new_entities = _discovered_entities(discovered, result)
    for records in result.mentions.values():
        records.sort(key=_START)
    facts = [
        (source_id, f)
        for source_id, doc in ctx.documents
        for f in infobox_facts(doc.infobox, recognizer)
    ]
    _store(ctx, gazetteer, new_entities, result, facts)

    ctx.data["entities"] = result
    n_mentions = sum(len(records) for records in result.mentions.values())
    ctx.log(
        f"entities: {len(gazetteer.entities)} curated, {len(new_entities)} discovered, "
        f"{n_mentions} mentions, {len(facts)} infobox facts "
        f"({time.perf_counter() - started:.2f} s)"
    )


def _recognize_all(
    ctx: BuildContext, recognizer: Recognizer, result: EntityResult
) -> dict[str, list[Occurrence]]:
    """Gazetteer mentions of every document (into ``result``), and the names left over."""
    stop = load_stoplist()
    ahead: dict[str, DocumentNames | None] = {
        sid: prepared(ctx, sid, __name__) for sid, _doc in ctx.documents
    }
    # The corpus's lower-case words: the union of each document's (the workers' when given).
    vocab = frozenset[str]().union(
        *(
            ahead_names.words
            if (ahead_names := ahead[sid]) is not None
            else lowercase_vocabulary([doc.normalized])
            for sid, doc in ctx.documents
        )
    )
    discovered: dict[str, list[Occurrence]] = defaultdict(list)
    for source_id, doc in ctx.documents:
        passages = ctx.passages.get(source_id, [])
        names = ahead[source_id]
        found = recognize_document(
            recognizer, doc, passages, source_id, names.located if names is not None else None
        )
        spans = [(p.start, p.end) for p in passages]

        def covered(found: list[MentionRecord] = found, text: str = doc.normalized) -> bytearray:
            covered = bytearray(len(text))
            for m in found:
                covered[m.start : m.end] = b"\x01" * (m.end - m.start)
            return covered

        if names is not None:
            unknown = settle(doc.normalized, names.tentative, covered, vocab, stop)
        else:
            unknown = find_unknown(doc.normalized, spans, covered(), vocab, stop)
        ids = [p.id for p in passages]
        starts = [p.start for p in passages]
        for cand in unknown:
            pid = ids[bisect_right(starts, cand.start) - 1]
            discovered[cand.name].append((source_id, pid, cand.start, cand.end, cand.type))
        result.mentions[source_id] = found
    return discovered


def _discovered_entities(
    discovered: dict[str, list[Occurrence]], result: EntityResult
) -> list[dict[str, Any]]:
    """Names nobody curated become entities too (``curated`` false), so nothing named
    is invisible; each gets the type guessed most often for it."""
    new_entities: list[dict[str, Any]] = []
    used = set(result.types)
    for name in sorted(discovered):
        occurrences = discovered[name]
        eid = _slug(name)
        while eid in used:
            eid += "-x"
        used.add(eid)
        etype = Counter(o[4] for o in occurrences).most_common(1)[0][0]
        result.types[eid] = etype
        new_entities.append({"id": eid, "type": etype, "name": name, "curated": False})
        for source_id, pid, start, end, _t in occurrences:
            rec = MentionRecord(eid, source_id, pid, start, end, name, "discovered", True)
            result.mentions[source_id].append(rec)
    return new_entities


def _store(
    ctx: BuildContext,
    gazetteer: Gazetteer,
    new_entities: list[dict[str, Any]],
    result: EntityResult,
    facts: list[tuple[str, FactRow]],
) -> None:
    """Entity rows with their counts, then aliases, mentions and facts (bulk inserts)."""
    mentions = [m for records in result.mentions.values() for m in records]
    mention_count = Counter(map(_ENTITY, mentions))
    # An entity's sources: where it is mentioned, or named in an infobox (commanders
    # such as Cevat Pasha appear only in 001's front matter).
    sources: dict[str, set[str]] = defaultdict(set)
    for entity_id, source_id in set(map(_ENTITY_SOURCE, mentions)):
        sources[entity_id].add(source_id)
    for source_id, fact in facts:
        if fact.entity_id is not None:
            sources[fact.entity_id].add(source_id)

    entity_rows: list[dict[str, Any]] = [
        {
            "id": e.id,
            "type": e.type,
            "name": e.name,
            "description": e.description or None,
            "lat": e.lat,
            "lon": e.lon,
            "coord_approx": e.coord_approx,
            "curated": True,
        }
        for e in gazetteer.entities
    ]
    entity_rows.extend(
        {**row, "description": None, "lat": None, "lon": None, "coord_approx": True}
        for row in new_entities
    )
    for row in entity_rows:
        row["mention_count"] = mention_count.get(row["id"], 0)
        row["source_count"] = len(sources.get(row["id"], ()))
        row["event_count"] = 0  # the events stage fills it
    ctx.session.execute(insert(_table(Entity)), entity_rows)

    alias_rows = [
        {"entity_id": e.id, "text": text, "ambiguous": text in e.ambiguous}
        for e in gazetteer.entities
        for text in dict.fromkeys(e.all_spellings())
    ]
    ctx.session.execute(insert(_table(Alias)), alias_rows)

    if mentions:
        with indexes_built_after(ctx.session, _table(Mention)):
            insert_tuples(ctx.session, _table(Mention), MentionRecord._fields, mentions)
    if facts:
        ctx.session.execute(
            insert(_table(Fact)),
            [
                {
                    "source_id": source_id,
                    "conflict": f.conflict,
                    "side": f.side,
                    "role": f.role,
                    "text": f.text,
                    "entity_id": f.entity_id,
                }
                for source_id, f in facts
            ],
        )
