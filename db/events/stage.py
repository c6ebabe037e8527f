"""The event stage of the build: dated clauses → candidates → one event per happening.

Runs after the time-expression and entity stages and takes what they found
(``ctx.data["timex"]``, ``ctx.data["entities"]``; on a context without them, what
they stored in ``time_expression``, ``mention`` and ``entity``). Each document's
candidates are drafted by :func:`prepare` (in a worker process on large corpora);
their participants, the merging and the catalogue are corpus-wide. Writes
``event``, ``evidence``, ``participant``, ``phase``, the ``event_rtree`` interval index and
``entity.event_count``. On the bundled corpus the curated catalogue
(``resources/curated/events.yaml``) names the key events, fixes merges and
splits and adds the phases; on imported documents (``ctx.curated`` false) the
extractor works alone.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import time
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from db.events.curated import Catalogue, CatalogueError, CuratedEvent, load_catalogue, locate
from db.events.extract import (
    EVENT_PRECISIONS,
    Candidate,
    DateRef,
    MentionRef,
    PassageData,
    clause_participants,
    content_tokens,
    draft_candidates,
    participant_roles,
)
from db.events.lexicon import classify
from db.events.merge import PRECISION_RANK, Cluster, Merger, majority_kind, merge, primary
from db.events.numbers import find_numbers
from db.events.titles import fit
from db.models import Phase
from db.resources import resource_path
from db.stages import prepared

if TYPE_CHECKING:
    from db.build import BuildContext, PassageRow
    from db.entities.stage import EntityResult
    from db.ingest import ParsedDocument
    from db.timex import TimeExpr

CATALOGUE_FILE = ("curated", "events.yaml")
_ROLE_RANK = {"commander": 0, "agent": 1, "target": 2, "place": 3, "participant": 4}


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def _value(a: int, b: int, precision: str) -> str:
    da, db_ = date.fromordinal(a), date.fromordinal(b)
    if precision in ("year", "decade", "century"):
        one = f"{da.year:04d}"
        two = f"{db_.year:04d}"
    elif precision in ("month", "season"):
        one = f"{da.year:04d}-{da.month:02d}"
        two = f"{db_.year:04d}-{db_.month:02d}"
    else:
        one, two = da.isoformat(), db_.isoformat()
    return one if one == two else f"{one}/{two}"


# ---------------------------------------------------------------- loading


def _cursor(ctx: BuildContext) -> sqlite3.Cursor:
    # Plain DB-API cursors: on large corpora these are millions of rows, and Row
    # objects cost more than the event extraction itself.
    raw = ctx.session.connection().connection.dbapi_connection
    assert raw is not None
    return cast("sqlite3.Cursor", raw.cursor())


def _passage_data(p: PassageRow) -> PassageData:
    return PassageData(
        p.id, p.source_id, p.section_id, p.paragraph_id, p.kind, p.start, p.end, p.text
    )


_APPARATUS = re.compile(
    r"\s*(?:external links|references|notes|bibliography|further reading|see also|sources|"
    r"literature|citations|footnotes)\b",
    re.IGNORECASE,
)


def _load_passages(ctx: BuildContext) -> list[PassageData]:
    """The passages that carry dates, with their dates and mentions attached, in build order.

    Passages without a date cannot give an event, so on large corpora most of them
    (and their mentions) are never loaded.
    """
    cur = _cursor(ctx)
    dates: dict[int, list[DateRef]] = defaultdict(list)
    rows = cur.execute(
        "SELECT t.id, t.passage_id, t.start, t.end, t.text, t.value, t.earliest, t.latest, "
        "t.precision, t.kind, t.julian, t.confidence, a.text "
        "FROM time_expression t LEFT JOIN time_expression a ON a.id = t.anchor_id "
        "WHERE t.earliest IS NOT NULL AND t.latest IS NOT NULL AND t.value IS NOT NULL "
        "AND t.precision IN ('day', 'part_of_month', 'month', 'season', 'year')"
    ).fetchall()
    for r in rows:
        kind = r[9] or ""
        dates[r[1]].append(
            DateRef(
                r[0],
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                r[7],
                r[8],
                kind,
                r[10],
                float(r[11] if r[11] is not None else 1.0),
                kind in ("underspecified", "relative"),
                r[12],
            )
        )
    # Reference apparatus (links, notes, bibliographies) names works, not happenings.
    apparatus = {
        sec_id
        for sec_id, title in cur.execute("SELECT id, title FROM section")
        if _APPARATUS.match(title or "")
    }
    # Events are dated by the time expressions the timex stage stored; a passage
    # without one gives no event.
    passages: list[PassageData] = []
    for sid, _doc in ctx.documents:
        for p in ctx.passages.get(sid, []):
            found = dates.get(p.id)
            if found and p.section_id not in apparatus and p.kind != "bibliography":
                pd = _passage_data(p)
                pd.dates = sorted(found, key=lambda d: d.start)
                passages.append(pd)
    _attach_mentions(cur, {pd.id: pd for pd in passages})
    cur.close()
    return passages


def _attach_mentions(cur: sqlite3.Cursor, by_id: dict[int, PassageData]) -> None:
    if not by_id:
        return
    types = dict(cur.execute("SELECT id, type FROM entity").fetchall())
    cur.execute("CREATE TEMP TABLE IF NOT EXISTS _event_passages (id INTEGER PRIMARY KEY)")
    cur.execute("DELETE FROM _event_passages")
    cur.executemany("INSERT INTO _event_passages VALUES (?)", [(i,) for i in by_id])
    for pid, eid, start, end, as_participant in cur.execute(
        "SELECT m.passage_id, m.entity_id, m.start, m.end, m.as_participant "
        "FROM _event_passages p JOIN mention m ON m.passage_id = p.id"
    ):
        by_id[pid].mentions.append(
            MentionRef(eid, types.get(eid, ""), start, end, bool(as_participant))
        )
    cur.execute("DROP TABLE _event_passages")
    for pd in by_id.values():
        if len(pd.mentions) > 1:
            pd.mentions.sort(key=lambda m: m.start)


@dataclass(slots=True)
class DocumentDrafts:
    """One document's candidates without participants, as :func:`prepare` leaves them.

    Ids are the document's own: a candidate's ``passage_id`` is the index of its
    passage in ``doc.passages()``, ``paragraph_id`` the index of its paragraph and
    ``date.id`` the index of its expression in the tagger's list; the main process
    turns them into row ids (:func:`_drafted_candidates`).
    """

    dated: int  # passages with a date that can place an event
    passages: list[tuple[int, list[Candidate]]]  # (passage index, its candidates), in order


def _date_ref(i: int, tx: TimeExpr, tagged: Sequence[TimeExpr]) -> DateRef:
    kind = tx.kind or ""
    assert tx.value is not None and tx.earliest is not None and tx.latest is not None
    return DateRef(
        i,
        tx.start,
        tx.end,
        tx.text,
        tx.value,
        tx.earliest,
        tx.latest,
        tx.precision,
        kind,
        tx.julian,
        float(tx.confidence if tx.confidence is not None else 1.0),
        kind in ("underspecified", "relative"),
        tagged[tx.anchor].text if tx.anchor is not None else None,
    )


def draft_document(doc: ParsedDocument, tagged: Sequence[TimeExpr]) -> DocumentDrafts:
    """The candidates of one document from its time expressions (as the timex stage
    tags them), in the order and with the dates :func:`_load_passages` would give."""
    rows = doc.passages()
    if not rows:
        return DocumentDrafts(0, [])
    starts = [r[0] for r in rows]
    dates: dict[int, list[DateRef]] = defaultdict(list)
    for i, tx in enumerate(tagged):
        if (
            tx.earliest is None
            or tx.latest is None
            or tx.value is None
            or tx.precision not in EVENT_PRECISIONS
        ):
            continue
        # The passage the timex stage links the expression to.
        k = max(0, bisect_right(starts, tx.start) - 1)
        dates[k].append(_date_ref(i, tx, tagged))
    apparatus = {i for i, sec in enumerate(doc.sections) if _APPARATUS.match(sec.title or "")}
    out = DocumentDrafts(0, [])
    for k in sorted(dates):
        start, end, kind, pi = rows[k]
        section = doc.section_of[pi]
        if section in apparatus or kind == "bibliography":
            continue
        out.dated += 1
        pd = PassageData(k, "", section, pi, kind, start, end, doc.normalized[start:end])
        pd.dates = sorted(dates[k], key=lambda d: d.start)
        drafted = draft_candidates(pd)
        if drafted:
            out.passages.append((k, drafted))
    return out


def prepare(doc: ParsedDocument, ahead: dict[str, Any]) -> DocumentDrafts:
    """The per-document part (in a worker process for large corpora): the document's
    candidates, from the dates the timex stage's ``prepare`` found."""
    from db.timex import tag_document

    tagged = ahead.get("db.timex.stage")
    return draft_document(doc, tagged if tagged is not None else tag_document(doc))


def _passage_mentions(
    entities: EntityResult, source_id: str, passage_ids: set[int]
) -> dict[int, list[MentionRef]]:
    """The mentions of those passages, by start (as the mention table holds them)."""
    types = entities.types
    out: dict[int, list[MentionRef]] = defaultdict(list)
    for r in entities.mentions.get(source_id, ()):
        if r.passage_id in passage_ids:
            out[r.passage_id].append(
                MentionRef(
                    r.entity_id, types.get(r.entity_id, ""), r.start, r.end, r.as_participant
                )
            )
    for found in out.values():
        if len(found) > 1:
            found.sort(key=lambda m: m.start)
    return out


def _drafted_candidates(
    ctx: BuildContext, timex: dict[str, list[tuple[int, TimeExpr]]], entities: EntityResult
) -> tuple[list[Candidate], int]:
    """Every document's candidates with row ids and participants, in build order, and
    the number of dated passages."""
    candidates: list[Candidate] = []
    dated = 0
    for sid, doc in ctx.documents:
        rows = ctx.passages.get(sid, [])
        found = timex.get(sid)
        if not rows or not found:
            continue
        drafts = prepared(ctx, sid, __name__)
        if drafts is None:
            drafts = draft_document(doc, [tx for _id, tx in found])
        assert isinstance(drafts, DocumentDrafts)
        dated += drafts.dated
        mentions = _passage_mentions(entities, sid, {rows[k].id for k, _c in drafts.passages})
        mapped: set[int] = set()  # DateRefs already given their row id
        for k, drafted in drafts.passages:
            row = rows[k]
            in_passage = mentions.get(row.id, [])
            for c in drafted:
                c.source_id, c.passage_id, c.paragraph_id = sid, row.id, row.paragraph_id
                if id(c.date) not in mapped:
                    mapped.add(id(c.date))
                    c.date.id = found[cast(int, c.date.id)][0]
                c.participants = clause_participants(c, in_passage)
                candidates.append(c)
    return candidates, dated


def _stored_candidates(ctx: BuildContext) -> tuple[list[Candidate], int]:
    """The same from the stored tables (a context the earlier stages did not fill)."""
    passages = _load_passages(ctx)
    candidates: list[Candidate] = []
    for pd in passages:
        for c in draft_candidates(pd):
            c.participants = clause_participants(c, pd.mentions)
            candidates.append(c)
    return candidates, len(passages)


# ---------------------------------------------------------------- curation


def _overlaps(c: Candidate, start: int, end: int) -> bool:
    return c.start < end and start < c.end


def _apply_catalogue(
    ctx: BuildContext,
    cat: Catalogue,
    candidates: list[Candidate],
    texts: dict[str, str],
    mentions_of: Callable[[PassageData], list[MentionRef]],
    merger: Merger,
) -> tuple[list[Candidate], dict[int, CuratedEvent], list[CuratedEvent]]:
    """Seed curated clusters with the candidates their quotes anchor; drop excluded clauses.

    Returns the candidates left for automatic merging, the curated entry of each
    seeded cluster, and the curated entries in this build.
    """
    by_source: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_source[c.source_id].append(c)
    taken: set[int] = set()
    for i, q in enumerate(cat.exclude):
        if locate(q, texts, f"exclude #{i + 1}"):
            for c in by_source[q.source]:
                if _overlaps(c, q.start, q.end):
                    taken.add(id(c))
    for p in cat.phases:
        if p.quote is not None:
            locate(p.quote, texts, f"phase {p.id!r}")
    curated_of: dict[int, CuratedEvent] = {}
    present: list[CuratedEvent] = []

    def passage_at(source: str, offset: int) -> PassageData | None:
        for row in ctx.passages.get(source, []):
            if row.start <= offset < row.end:
                pd = _passage_data(row)
                pd.mentions = mentions_of(pd)
                return pd
        return None

    for e in cat.events:
        members: list[Candidate] = []
        found_any = False
        for q in e.quotes:
            if not locate(q, texts, f"event {e.id!r}"):
                continue
            found_any = True
            hits = [
                c
                for c in by_source[q.source]
                if id(c) not in taken and _overlaps(c, q.start, q.end)
            ]
            if hits:
                # The quote anchors the clause it overlaps most.
                best = max(hits, key=lambda c: min(c.end, q.end) - max(c.start, q.start))
                members.append(best)
                taken.add(id(best))
            else:
                members.append(_quote_candidate(e, q, passage_at(q.source, q.start)))
        if not found_any:
            continue
        present.append(e)
        idx = merger.seed(members, e.earliest, e.latest, e.precision, e.id, e.exclusive)
        curated_of[idx] = e
    rest = [c for c in candidates if id(c) not in taken]
    return rest, curated_of, present


def _quote_candidate(e: CuratedEvent, q: Any, pd: PassageData | None) -> Candidate:
    """Evidence for a curated event whose quote no extracted clause covers: the quote itself."""
    if pd is None:
        raise CatalogueError(f"curated event {e.id!r}: its quote is not inside any passage")
    end = min(q.end, max(pd.end, q.end))
    clause = pd.text[q.start - pd.start : end - pd.start] if end <= pd.end else q.text
    d = DateRef(
        None,
        q.start,
        q.start,
        "",
        e.value,
        e.earliest,
        e.latest,
        e.precision,
        "curated",
        None,
        1.0,
        False,
        None,
    )
    inside = [m for m in pd.mentions if q.start <= m.start and m.end <= q.end]
    parts = participant_roles(clause, q.start, inside, classify(clause)[1])
    if e.kind in ("treaty", "ceasefire", "negotiation"):
        parts = [(ent, "participant" if r in ("agent", "target") else r) for ent, r in parts]
    return Candidate(
        source_id=pd.source_id,
        passage_id=pd.id,
        start=q.start,
        end=q.start + len(clause),
        text=clause,
        date=d,
        kind=e.kind,
        title=e.title,
        participants=parts,
        numbers=find_numbers(clause),
        tokens=content_tokens(clause),
        order=-1,
        paragraph_id=pd.paragraph_id,
    )


# ---------------------------------------------------------------- output


_VAGUE_TIME = re.compile(
    r"^(?:by|at|around|about|during|in)\b.*\b(?:time|moment|period|days|weeks)\b", re.IGNORECASE
)


def _conflicts(k: Cluster, source_order: dict[str, int]) -> list[dict[str, Any]]:
    """Where the accounts of one event differ: dates (per source) and numbers of the same kind."""
    out: list[dict[str, Any]] = []
    dated = [m for m in k.members if m.date.kind != "curated"]
    values = {m.date.value for m in dated}
    if len(values) > 1:
        # Coarser mentions of a precise date are not a disagreement; different days are.
        # Vague relatives ("By this time", "At the same time") place a happening only
        # roughly; a day they resolve to is no source's claim.
        fine = [
            m
            for m in dated
            if PRECISION_RANK.get(m.date.precision, 4) <= 1 and not _VAGUE_TIME.search(m.date.text)
        ]
        # Some two of the intervals are disjoint iff the latest start is after the earliest end.
        disjoint = bool(fine) and max(m.date.earliest for m in fine) > min(
            m.date.latest for m in fine
        )
        curated_off = k.curated_id is not None and any(
            m.date.latest < k.earliest or k.latest < m.date.earliest for m in fine
        )
        if disjoint or curated_off:
            out.append(
                {
                    "field": "date",
                    "accounts": [
                        {"source": m.source_id, "text": m.date.text, "value": m.date.value}
                        for m in sorted(
                            dated, key=lambda m: (source_order.get(m.source_id, 0), m.start)
                        )
                    ],
                }
            )
    by_what: dict[str, list[tuple[Candidate, dict[str, Any]]]] = defaultdict(list)
    for m in k.members:
        for n in m.numbers:
            by_what[str(n["what"])].append((m, n))
    for what, items in sorted(by_what.items()):
        sources = {m.source_id for m, _ in items}
        texts = {str(n["text"]) for _, n in items}
        if len(items) > 1 and len(texts) > 1 and (len(sources) > 1 or len(items) > 1):
            out.append(
                {
                    "field": "number",
                    "what": what,
                    "accounts": [
                        {"source": m.source_id, "text": n["text"], "value": n["value"]}
                        for m, n in items
                    ],
                }
            )
    return out


def _assign_phase(earliest: int, latest: int, text_blob: str, phases: list[Any]) -> str | None:
    """The most specific phase containing the date whose keywords the evidence mentions."""
    best: tuple[int, str] | None = None
    for p in phases:
        if not (p.earliest <= earliest and latest <= p.latest):
            continue
        if p.keywords and not any(kw in text_blob for kw in p.keywords):
            continue
        span = p.latest - p.earliest
        if best is None or span < best[0]:
            best = (span, p.id)
    return best[1] if best else None


def _insert_rows(s: Session, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Plain executemany: the ORM's per-row parameter processing costs more than SQLite's
    insert on large corpora (JSON columns arrive serialized)."""
    if not rows:
        return
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    raw = s.connection().connection.dbapi_connection
    assert raw is not None
    cur = raw.cursor()
    cur.executemany(sql, rows)
    cur.close()


_PRONOUN = re.compile(r"^(?:He|She)\b")


def _resolve_pronoun_titles(ctx: BuildContext, candidates: list[Candidate]) -> None:
    """``He orders his troops ...`` → ``Andranik Ozanian orders his troops ...``: the person
    named last before the clause in the same source (within a couple of paragraphs)."""
    todo = [c for c in candidates if _PRONOUN.match(c.title)]
    if not todo:
        return
    cur = _cursor(ctx)
    for c in todo:
        row = cur.execute(
            "SELECT e.name FROM mention m JOIN entity e ON e.id = m.entity_id "
            "WHERE m.source_id = ? AND m.start < ? AND m.start > ? AND e.type = 'person' "
            "ORDER BY m.start DESC LIMIT 1",
            (c.source_id, c.start, c.start - 1500),
        ).fetchone()
        if row is not None:
            c.title = fit(_PRONOUN.sub(str(row[0]), c.title, count=1))
    cur.close()


def run(ctx: BuildContext) -> None:
    """Extract, curate, merge and store the events of the documents in ``ctx``."""
    t1 = time.perf_counter()
    timex = ctx.data.get("timex")
    entities = ctx.data.get("entities")
    mentions_of: Callable[[PassageData], list[MentionRef]]
    if timex is not None and entities is not None:
        candidates, dated = _drafted_candidates(ctx, timex, entities)

        def mentions_of(pd: PassageData) -> list[MentionRef]:
            return _passage_mentions(entities, pd.source_id, {pd.id}).get(pd.id, [])
    else:
        candidates, dated = _stored_candidates(ctx)

        def mentions_of(pd: PassageData) -> list[MentionRef]:
            cur = _cursor(ctx)
            _attach_mentions(cur, {pd.id: pd})
            cur.close()
            return pd.mentions

    texts = {sid: doc.normalized for sid, doc in ctx.documents}
    for i, c in enumerate(candidates):
        c.order = i
    _resolve_pronoun_titles(ctx, candidates)
    t2 = time.perf_counter()

    merger = Merger(candidates)
    curated_of: dict[int, CuratedEvent] = {}
    cat = Catalogue()
    if ctx.curated:
        path = resource_path(*CATALOGUE_FILE)
        if path.is_file():
            from db.build import BuildError

            try:
                cat = load_catalogue(path)
                candidates, curated_of, _present = _apply_catalogue(
                    ctx, cat, candidates, texts, mentions_of, merger
                )
            except CatalogueError as exc:
                raise BuildError(str(exc)) from exc
    clusters = merge(candidates, merger)
    t3 = time.perf_counter()
    _store(ctx, clusters, curated_of, cat)
    t4 = time.perf_counter()
    ctx.log(
        f"events: {dated} dated passages, "
        f"{len(candidates)} candidates in {t2 - t1:.1f} s, merged in {t3 - t2:.1f} s, "
        f"stored in {t4 - t3:.1f} s"
    )


def _store(
    ctx: BuildContext, clusters: list[Cluster], curated_of: dict[int, CuratedEvent], cat: Catalogue
) -> None:
    s = ctx.session
    source_order = {sid: i for i, (sid, _d) in enumerate(ctx.documents)}
    known_entities = (
        {r[0] for r in s.execute(text("SELECT id FROM entity"))} if curated_of else set()
    )
    phase_ids = {p.id for p in cat.phases}
    if cat.phases:
        s.execute(
            insert(Phase),
            [
                {
                    "id": p.id,
                    "title": p.title,
                    "parent_id": p.parent,
                    "earliest": p.earliest,
                    "latest": p.latest,
                    "description": p.description,
                }
                for p in sorted(cat.phases, key=lambda p: (p.parent is not None, p.earliest, p.id))
            ],
        )
    events: list[dict[str, Any]] = []
    evidence: list[tuple[Any, ...]] = []
    participants: list[tuple[str, str, str]] = []
    used_ids: Counter[str] = Counter()
    for idx, k in enumerate(clusters):
        if not k.members:
            continue
        cur = curated_of.get(idx)
        members = sorted(k.members, key=lambda m: (source_order.get(m.source_id, 0), m.start))
        p = primary(k)
        if cur is not None:
            title, kind = cur.title, cur.kind
            earliest, latest, precision = cur.earliest, cur.latest, cur.precision
            value = _value(earliest, latest, precision)
            dated = [m for m in members if m.date.kind != "curated"]
            ref = next(
                (m for m in dated if m.date.earliest == earliest and m.date.latest == latest), None
            )
            ref = ref or (
                min(dated, key=lambda m: PRECISION_RANK.get(m.date.precision, 4)) if dated else p
            )
            date_text = ref.date.text or cur.value
            julian = ref.date.julian if ref.date.earliest == earliest else None
            inferred, confidence, anchor = False, 1.0, None
            eid = cur.id
            origin = "curated"
        else:
            title, kind = p.title, majority_kind(k)
            earliest, latest, precision = p.date.earliest, p.date.latest, p.date.precision
            value = p.date.value or _value(earliest, latest, precision)
            date_text, julian = p.date.text, p.date.julian
            inferred, confidence, anchor = p.date.inferred, p.date.confidence, p.date.anchor_text
            eid = f"{value.replace('/', '_')}-{kind}-{_slug(title)}"[:90].rstrip("-")
            origin = "extracted"
        if eid in used_ids:
            # Two happenings with the same date, kind and title: tell them apart by
            # where the first is told (stable across rebuilds of the same texts).
            h = hashlib.sha1(f"{p.source_id}:{p.start}".encode()).hexdigest()[:10]
            base, n = f"{eid}-{h}", 1
            eid = base
            while eid in used_ids:
                n += 1
                eid = f"{base}-{n}"
        used_ids[eid] += 1
        blob = " ".join(m.text for m in members)
        phase = cur.phase if cur is not None and cur.phase in phase_ids else None
        if phase is None and cat.phases:
            phase = _assign_phase(earliest, latest, blob, cat.phases)
        events.append(
            {
                "id": eid,
                "title": title,
                "kind": kind,
                "earliest": earliest,
                "latest": latest,
                "precision": precision,
                "value": value,
                "date_text": date_text,
                "julian": julian,
                "date_inferred": inferred,
                "date_confidence": confidence,
                "anchor_text": anchor,
                "phase_id": phase,
                "origin": origin,
                "key_event": bool(cur.key) if cur is not None else False,
                "conflicts": _conflicts(k, source_order),
            }
        )
        for m in members:
            evidence.append(
                (
                    eid,
                    m.source_id,
                    m.passage_id,
                    m.start,
                    m.end,
                    m.text,
                    m.date.id,
                    m.date.text or None,
                    m.date.value,
                    json.dumps(m.numbers, ensure_ascii=False) if m.numbers else "[]",
                )
            )
        roles: dict[str, str] = {}
        for m in members:
            for ent, role in m.participants:
                prev = roles.get(ent)
                if prev is None or _ROLE_RANK[role] < _ROLE_RANK[prev]:
                    roles[ent] = role
        if cur is not None:
            for ent, role in cur.participants.items():
                if role == "none":
                    roles.pop(ent, None)
                elif ent in known_entities:
                    roles[ent] = role
        participants.extend((eid, e, r) for e, r in sorted(roles.items()))

    events.sort(key=lambda e: (e["earliest"], e["latest"], e["id"]))
    # Rows in index order insert much faster into SQLite's B-trees on large corpora
    # (sorted() is stable: each event's evidence keeps its order).
    evidence.sort(key=lambda r: r[0])
    participants.sort()
    for i, e in enumerate(events, start=1):
        e["rowkey"] = i
    columns = list(events[0]) if events else []
    _insert_rows(
        s,
        "event",
        columns,
        [
            tuple(
                json.dumps(e[c], ensure_ascii=False) if c == "conflicts" else e[c] for c in columns
            )
            for e in events
        ],
    )
    _insert_rows(
        s,
        "event_rtree",
        ["rowkey", "earliest", "latest"],
        [(e["rowkey"], e["earliest"], e["latest"]) for e in events],
    )
    _insert_rows(
        s,
        "evidence",
        [
            "event_id",
            "source_id",
            "passage_id",
            "start",
            "end",
            "text",
            "timex_id",
            "date_text",
            "value",
            "numbers",
        ],
        evidence,
    )
    _insert_rows(s, "participant", ["event_id", "entity_id", "role"], participants)
    # Evidence attached by the catalogue or by merging may not carry its own date:
    # give it the first date its passage states inside the evidence span, as written.
    s.execute(
        text(
            "UPDATE evidence SET (timex_id, date_text) = ("
            " SELECT t.id, t.text FROM time_expression t"
            " WHERE t.passage_id = evidence.passage_id AND t.start >= evidence.start"
            " AND t.end <= evidence.end AND t.precision != 'duration'"
            " ORDER BY t.start LIMIT 1)"
            " WHERE evidence.date_text IS NULL AND EXISTS ("
            " SELECT 1 FROM time_expression t WHERE t.passage_id = evidence.passage_id"
            " AND t.start >= evidence.start AND t.end <= evidence.end AND t.precision != 'duration')"
        )
    )
    s.execute(
        text(
            "UPDATE entity SET event_count = "
            "(SELECT count(DISTINCT p.event_id) FROM participant p WHERE p.entity_id = entity.id)"
        )
    )
    ctx.log(f"events: {len(events)} events, {len(evidence)} pieces of evidence")
