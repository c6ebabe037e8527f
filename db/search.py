"""Full-text search over passages, events and entities at once.

The user types free text; it is never handed to FTS5 as a query. It is cut
into words the same way FTS5's ``unicode61`` tokenizer cuts text, each word is
quoted (so ``AND``, ``NEAR``, ``*``, ``:`` and ``(`` are just characters) and
matched as a prefix, and balanced double quotes make a phrase. Anything the
parser dropped or reinterpreted is reported in :attr:`SearchResult.notes`, for
the search field to explain.

Diacritics: ``unicode61 remove_diacritics 2`` folds letters that decompose
(``â`` → ``a``) but not those that don't (Turkish dotless ``ı``, ``ø``, ``ł``),
so ``Kazim`` would not find ``Kâzım``. :func:`fold` folds both, the
``search_index`` build stage lists every indexed word beside its folded form
(``search_term``), and a query word is expanded to the indexed spellings.

Aliases: a query that names an entity (by its name or any alias, folded) also
finds the passages that mention it (``mention``) or spell it another way, and
the events it takes part in, so ``Shushi`` finds Shusha and all its passages.

Speed: candidate passages are read in rowid order with a LIMIT, so FTS5 stops
early and no ranking function walks the whole doclist of a common word; the
candidates are then ranked here. A long prefix is expanded to the words it
starts (``search_term``) because FTS5 merges a long prefix's doclists
eagerly. That keeps a query on a 100 MB corpus within a frame.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import unicodedata
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    Engine,
    Integer,
    String,
    and_,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)

from db.filters import Filters, entity_clause, event_clause, passage_clause
from db.models import Entity, Event, Evidence, Passage

__all__ = [
    "KINDS",
    "Hit",
    "Query",
    "SearchResult",
    "fold",
    "fts_term",
    "parse_query",
    "search",
    "search_all",
    "tokenize",
    "warm",
]

KINDS = ("entity", "event", "passage")

#: Letters FTS5's unicode61 does not fold because they do not decompose.
_EXTRA_FOLD = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ŧ": "t",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ŀ": "l",
        "ĸ": "k",
    }
)

#: What unicode61 treats as a token: letters, numbers and private-use characters.
_TOKEN = re.compile(r"[^\W_]+")

_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
_MAX_TERMS = 8
#: How many matching entities widen the passage and event searches with their aliases.
_NAMED_ENTITIES = 3
#: Up to this many rows, every match is ranked (see _EngineInfo.cap).
_SMALL_TABLE = 5000
#: A prefix with up to this many completions is searched as an OR of them.
_MAX_EXPANSION = 30
#: With filters set, how many text matches are checked against them (see _search_passages).
_FILTER_SCAN = 10_000
#: A query word that is a year: events match it by date.
_YEAR = re.compile(r"1\d{3}|20\d{2}")
_SNIPPET_CHARS = 180


def fold(s: str) -> str:
    """Case- and diacritic-folded text: ``Kâzım`` → ``kazim``, ``Nakhichevan’`` → ``nakhichevan’``."""
    if s.isascii():
        return s.lower()
    return _fold_unicode(s)


@functools.lru_cache(maxsize=65536)
def _fold_unicode(s: str) -> str:
    decomposed = unicodedata.normalize("NFKD", s.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(_EXTRA_FOLD)


def fts_term(word: str) -> str:
    """The term FTS5's unicode61 (remove_diacritics 2) indexes for ``word``, approximately:
    lower case, decomposable diacritics removed, ``ı`` and ``ø`` kept."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def tokenize(s: str) -> list[tuple[int, int, str]]:
    """(start, end, folded token) for each word of ``s``, as FTS5 unicode61 would cut it."""
    return [(m.start(), m.end(), fold(m.group())) for m in _TOKEN.finditer(s)]


@dataclass(frozen=True)
class Term:
    """One thing every hit must contain: a word (matched as a prefix) or a quoted phrase."""

    tokens: tuple[str, ...]
    phrase: bool = False

    @property
    def prefix(self) -> bool:
        # One-letter prefixes have no prefix index and would merge half the vocabulary.
        return not self.phrase and len(self.tokens[0]) >= 2


@dataclass(frozen=True)
class Query:
    text: str
    terms: tuple[Term, ...]
    notes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.terms


def parse_query(raw: str) -> Query:
    """The user's text as terms; never raises, whatever the text."""
    notes: list[str] = []
    raw = raw or ""
    if raw.count('"') % 2:
        notes.append("Unbalanced quote ignored.")
        last = raw.rfind('"')
        raw_for_phrases = raw[:last] + " " + raw[last + 1 :]
    else:
        raw_for_phrases = raw
    terms: list[Term] = []
    parts = raw_for_phrases.split('"')
    operators: list[Term] = []
    saw_operator = False
    saw_syntax = False
    for i, part in enumerate(parts):
        if i % 2 == 1:  # inside quotes
            # Quoted: exact words in this order (no prefix matching).
            toks = tuple(t for _s, _e, t in tokenize(part))
            if toks:
                terms.append(Term(toks, phrase=True))
            continue
        for m in _TOKEN.finditer(part):
            if m.group() in _OPERATORS:
                saw_operator = True
                operators.append(Term((fold(m.group()),)))
            else:
                terms.append(Term((fold(m.group()),)))
        if re.search(r"[*:()^+\-{}]", part):
            saw_syntax = True
    if saw_operator and terms:
        notes.append("Every word must match: AND, OR, NOT and NEAR are ignored.")
    elif saw_operator:
        # Nothing but operator words: the user is looking for the words themselves.
        terms = operators
        notes.append("AND, OR, NOT and NEAR are searched as ordinary words.")
    if saw_syntax:
        notes.append("Search syntax (* : ( ) ^ + -) is ignored; words are matched as prefixes.")
    # Drop repeated terms; keep the first few.
    unique: list[Term] = []
    for t in terms:
        if t not in unique:
            unique.append(t)
    if len(unique) > _MAX_TERMS:
        notes.append(f"Only the first {_MAX_TERMS} words are searched.")
        unique = unique[:_MAX_TERMS]
    if not unique and raw.strip():
        notes.append("Nothing to search for: type letters or numbers.")
    return Query(raw, tuple(unique), tuple(notes))


@dataclass(frozen=True)
class Hit:
    """One search result: what to select (kind + id) and how to show it."""

    kind: str  # "entity" | "event" | "passage"
    id: str | int  # entity/event id (str) or passage id (int)
    title: str
    snippet: str
    spans: tuple[tuple[int, int], ...]  # matched words, as offsets into ``snippet``
    score: float = 0.0
    source_id: str | None = None  # passages: the source they are in
    start: int | None = None  # passages: the passage's offsets into the source's normalized text
    end: int | None = None
    title_spans: tuple[tuple[int, int], ...] = ()  # matched words in ``title``
    detail: str = ""  # a short line under the title: entity type, event date, source title

    def marked(self, open_: str = "[", close: str = "]") -> str:
        """The snippet with each matched span wrapped in ``open_`` … ``close``."""
        return _mark(self.snippet, self.spans, open_, close)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "detail": self.detail,
            "snippet": self.snippet,
            "highlighted": self.marked("**", "**"),
            "spans": [list(s) for s in self.spans],
            "title_spans": [list(s) for s in self.title_spans],
            "score": round(self.score, 3),
        }
        if self.kind == "passage":
            out["source"] = self.source_id
            out["start"] = self.start
            out["end"] = self.end
        return out


@dataclass
class SearchResult:
    query: Query
    hits: list[Hit] = field(default_factory=list)  # grouped: entities, then events, then passages
    counts: dict[str, int] = field(default_factory=dict)  # per kind, capped (see ``more``)
    more: dict[str, bool] = field(default_factory=dict)  # True where the count is a lower bound
    entities_matched: tuple[str, ...] = ()  # entity ids the query names (alias expansion)

    @property
    def notes(self) -> tuple[str, ...]:
        return self.query.notes

    def by_kind(self, kind: str) -> list[Hit]:
        return [h for h in self.hits if h.kind == kind]


# --- matching helpers ---------------------------------------------------------


def _mark(s: str, spans: Iterable[tuple[int, int]], open_: str, close: str) -> str:
    out: list[str] = []
    pos = 0
    for a, b in sorted(spans):
        if a < pos:
            continue
        out.append(s[pos:a])
        out.append(open_ + s[a:b] + close)
        pos = b
    out.append(s[pos:])
    return "".join(out)


def _token_matches(token: str, term_token: str, prefix: bool) -> bool:
    return token.startswith(term_token) if prefix else token == term_token


def _match_spans(
    text_: str, terms: Sequence[Term], extra_phrases: Sequence[tuple[str, ...]] = ()
) -> tuple[list[tuple[int, int]], set[int], int]:
    """Spans in ``text_`` matched by the terms (and by alias phrases), which terms matched,
    and how many matched as whole words rather than prefixes."""
    toks = tokenize(text_)
    spans: list[tuple[int, int]] = []
    matched: set[int] = set()
    whole = 0
    for ti, term in enumerate(terms):
        n = len(term.tokens)
        last_prefix = term.prefix or (term.phrase and False)
        for i in range(len(toks) - n + 1):
            ok = True
            for k in range(n):
                pref = last_prefix and k == n - 1
                if not _token_matches(toks[i + k][2], term.tokens[k], pref):
                    ok = False
                    break
            if ok:
                spans.append((toks[i][0], toks[i + n - 1][1]))
                if ti not in matched and toks[i + n - 1][2] == term.tokens[-1]:
                    whole += 1
                matched.add(ti)
    if extra_phrases:
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in extra_phrases:
            by_first.setdefault(phrase[0], []).append(phrase)
        for i, (_a, _b, tok) in enumerate(toks):
            for phrase in by_first.get(tok, ()):
                n = len(phrase)
                if i + n <= len(toks) and all(toks[i + k][2] == phrase[k] for k in range(1, n)):
                    spans.append((toks[i][0], toks[i + n - 1][1]))
    return _merge(spans, text_), matched, whole


def _merge(spans: list[tuple[int, int]], text_: str | None = None) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans; with ``text_``, words a single space apart become one."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and (
            a <= out[-1][1]
            or (text_ is not None and a - out[-1][1] == 1 and text_[out[-1][1]] == " ")
        ):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _snippet(
    text_: str, spans: Sequence[tuple[int, int]], width: int = _SNIPPET_CHARS
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A window of ``text_`` around its first match, with the spans shifted into it."""
    clean = text_.replace("\n", " ")
    if len(clean) <= width:
        return clean, tuple(spans)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 3)
    # Start at a word boundary.
    if start > 0:
        sp = clean.rfind(" ", 0, start)
        start = sp + 1 if sp >= 0 and start - sp < 20 else start
    end = min(len(clean), start + width)
    if end < len(clean):
        sp = clean.find(" ", end)
        end = sp if 0 <= sp - end < 20 else end
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(clean) else ""
    shift = len(prefix) - start
    inside = tuple((a + shift, min(b, end) + shift) for a, b in spans if a >= start and a < end)
    return prefix + clean[start:end] + suffix, inside


def _fts_token(tok: str) -> str:
    # Tokens are [^\W_]+ so they never contain a quote; quoting makes them literal strings.
    return '"' + tok + '"'


def _fts_expression(
    terms: Sequence[Term],
    alternatives: Mapping[str, Sequence[str]],
    alias_phrases: Sequence[tuple[str, ...]] = (),
    required: Sequence[Term] = (),
) -> str:
    """An FTS5 MATCH expression that means the terms (AND), OR any alias phrase.

    ``alternatives`` gives, for a word, the FTS5 fragments to OR instead of the
    word itself (see :func:`_expansions`).
    """
    parts: list[str] = []
    for t in terms:
        if t.phrase:
            parts.append('"' + " ".join(t.tokens) + '"')
            continue
        tok = t.tokens[0]
        frags = alternatives.get(tok) or [_fts_token(tok) + ("*" if t.prefix else "")]
        parts.append("(" + " OR ".join(dict.fromkeys(frags)) + ")")
    expr = " AND ".join(parts)
    if alias_phrases:
        alias_expr = " OR ".join('"' + " ".join(p) + '"' for p in alias_phrases)
        if required:
            # The alias stands for the words that named the entity; the rest (years) remain.
            rest = _fts_expression(required, alternatives)
            alias_expr = f"({alias_expr}) AND ({rest})"
        expr = f"({expr}) OR {alias_expr}" if expr else alias_expr
    return expr


# --- the FTS tables, as far as SQLAlchemy needs to know them ---------------------------

_PASSAGE_FTS = table("passage_fts", column("rowid", Integer))
_EVENT_FTS = table("event_fts", column("event_id", String))
_PASSAGE_COLS = (
    Passage.id,
    Passage.source_id,
    Passage.start,
    Passage.end,
    Passage.kind,
    Passage.text,
)


def _match(fts_table: str) -> ColumnElement[bool]:
    """``<fts_table> MATCH :q`` (the expression is always built by :func:`_fts_expression`)."""
    return literal_column(fts_table).op("MATCH", return_type=Boolean)(bindparam("q"))


# --- per-engine facts (which optional tables exist; small tables cached) --------------


@dataclass
class _EngineInfo:
    tables: set[str]
    entities: list[tuple[str, str, str, int, tuple[str, ...]]] | None = None
    entity_index: dict[str, tuple[str, str, str, int, tuple[str, ...]]] | None = None
    sources: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # passages / events in the database

    def cap(self, table: str, limit: int) -> int:
        """How many candidates to rank. A small database ranks every match; a large one
        ranks the first few hundred in rowid order, so a common word stays within a frame."""
        if self.rows.get(table, 0) <= _SMALL_TABLE:
            return _SMALL_TABLE
        return max(limit * 5, 100)


_INFO: weakref.WeakKeyDictionary[Engine, _EngineInfo] = weakref.WeakKeyDictionary()


def _info(engine: Engine, con: Connection) -> _EngineInfo:
    info = _INFO.get(engine)
    if info is None:
        names = {r[0] for r in con.execute(text("SELECT name FROM sqlite_master"))}
        info = _EngineInfo(names)
        if "source" in names:
            info.sources = {
                str(r[0]): str(r[1]) for r in con.execute(text("SELECT id, title FROM source"))
            }
        for table in ("passage", "event"):
            if table in names:
                # max(rowid) is instant (count(*) walks the table) and bounds the count.
                n = con.execute(text(f"SELECT max(rowid) FROM {table}")).scalar()
                info.rows[table] = int(n or 0)
        _INFO[engine] = info
    return info


def _entity_rows(
    info: _EngineInfo, con: Connection
) -> list[tuple[str, str, str, int, tuple[str, ...]]]:
    if info.entities is None:
        rows = con.execute(
            text(
                "SELECT e.id, e.name, e.type, e.mention_count, group_concat(a.text, char(31)) "
                "FROM entity e LEFT JOIN alias a ON a.entity_id = e.id GROUP BY e.id"
            )
        )
        info.entities = [
            (
                str(r[0]),
                str(r[1]),
                str(r[2]),
                int(r[3] or 0),
                tuple(x for x in (r[4] or "").split("\x1f") if x),
            )
            for r in rows
        ]
    return info.entities


# --- the three searches -------------------------------------------------------------------

_EntityRow = tuple[str, str, str, int, tuple[str, ...]]  # id, name, type, mentions, aliases


def _entity_by_id(info: _EngineInfo, con: Connection) -> dict[str, _EntityRow]:
    if info.entity_index is None:
        info.entity_index = {r[0]: r for r in _entity_rows(info, con)}
    return info.entity_index


def _search_entities(
    con: Connection,
    info: _EngineInfo,
    q: Query,
    limit: int,
    filters: Filters,
) -> tuple[list[Hit], int, list[str]]:
    """Entity hits, how many matched, and the ids whose spelling matched every word whole."""
    if "entity" not in info.tables:
        return [], 0, []
    candidates: Iterable[_EntityRow]
    if "entity_fts" in info.tables:
        expr = _fts_expression(q.terms, {})
        rows = con.execute(
            text("SELECT f.entity_id FROM entity_fts f WHERE entity_fts MATCH :q LIMIT 200"),
            {"q": expr},
        )
        index = _entity_by_id(info, con)
        candidates = [index[str(r[0])] for r in rows if str(r[0]) in index]
    else:
        candidates = _entity_rows(info, con)
    scorer = _Scorer(q.terms)
    n_terms = len(q.terms)
    query_tokens = [tok for term in q.terms for tok in term.tokens]
    # Score each entity by its best-matching spelling (regexes on folded text; cheap).
    scored: list[tuple[float, str, _EntityRow]] = []
    whole_ids: set[str] = set()
    for row in candidates:
        eid, name, _etype, mentions, aliases = row
        best: tuple[float, str] | None = None
        whole_match = False
        for rank, spelling in enumerate((name, *aliases)):
            folded = fold(spelling)
            matched, whole = scorer.counts(folded)
            if matched < n_terms:
                continue
            exact = whole == n_terms and _TOKEN.findall(folded) == query_tokens
            score = 10.0 * exact + 2.0 * whole + (1.0 if rank == 0 else 0.0)
            score -= 0.01 * len(_TOKEN.findall(folded))  # shorter names first
            if best is None or score > best[0]:
                best = (score, spelling)
            whole_match = whole_match or whole == n_terms
        if best is not None:
            scored.append((best[0] + math.log1p(mentions), best[1], row))
            if whole_match:
                whole_ids.add(eid)
    if scored and not filters.is_empty():
        # Only the entities that matched the text are checked against the filters.
        text_matches = [r[0] for _s, _n, r in scored]
        allowed = {
            str(r[0])
            for r in con.execute(
                select(Entity.id).where(Entity.id.in_(text_matches), entity_clause(filters))
            )
        }
        scored = [x for x in scored if x[2][0] in allowed]
    scored.sort(key=lambda x: (-x[0], x[2][1]))
    hits: list[Hit] = []
    for score, spelling, (eid, name, etype, mentions, aliases) in scored[:limit]:
        spans, _m, _w = _match_spans(spelling, q.terms)
        title_spans: tuple[tuple[int, int], ...] = ()
        snip_spans: tuple[tuple[int, int], ...] = ()
        if spelling == name:
            title_spans = tuple(spans)
            others = [a for a in aliases if fold(a) != fold(name)][:4]
            snippet = etype + (" · also " + ", ".join(others) if others else "")
        else:
            lead = f"{etype} · also "
            snippet = lead + spelling
            snip_spans = tuple((a + len(lead), b + len(lead)) for a, b in spans)
        hits.append(
            Hit(
                "entity",
                eid,
                name,
                snippet,
                snip_spans,
                score,
                title_spans=title_spans,
                detail=f"{etype} · {mentions} mention{'' if mentions == 1 else 's'}",
            )
        )
    return hits, len(scored), [r[0] for _s, _n, r in scored if r[0] in whole_ids]


def _search_events(
    con: Connection,
    info: _EngineInfo,
    q: Query,
    limit: int,
    filters: Filters,
    entity_ids: Sequence[str],
    review: Mapping[str, str] | None,
) -> tuple[list[Hit], int, bool]:
    if "event" not in info.tables:
        return [], 0, False
    cap = info.cap("event", limit)
    # A year in the query ("Zangezur 1920") means the event's date, not a word of its title.
    years = [t for t in q.terms if _is_year(t)]
    terms = [t for t in q.terms if t not in years]
    clause = and_(
        event_clause(filters, review=review),
        *(
            and_(
                Event.latest >= date(int(t.tokens[0]), 1, 1).toordinal(),
                Event.earliest <= date(int(t.tokens[0]), 12, 31).toordinal(),
            )
            for t in years
        ),
    )
    base = select(Event.id, Event.title, Event.kind, Event.value).where(clause)
    scorer = _Scorer(terms)
    rows: list[Any]
    if not terms:
        rows = list(con.execute(base.order_by(Event.earliest, Event.id).limit(cap)))
    elif "event_fts" in info.tables:
        expr = _fts_expression(terms, {})
        stmt = (
            base.select_from(_EVENT_FTS)
            .join(Event, Event.id == _EVENT_FTS.c.event_id)
            .where(_match("event_fts"))
            .limit(cap)
        )
        rows = list(con.execute(stmt, {"q": expr}))
    else:
        n_terms = len(terms)
        rows = [r for r in con.execute(base) if scorer.counts(fold(str(r[1])))[0] == n_terms]
    more = len(rows) >= cap
    # (score, event id, title, kind, value); spans are cut for the winners only.
    scored: dict[str, tuple[float, str, str, str, str]] = {}
    for eid, title, kind, value in rows:
        _matched, whole = scorer.counts(fold(str(title)))
        score = 5.0 + whole - 0.01 * len(str(title))
        scored[str(eid)] = (score, str(eid), str(title), str(kind), str(value))
    phrases = _alias_phrases(info, con, entity_ids)
    if entity_ids and "participant" in info.tables:
        placeholders = ", ".join(f":e{i}" for i in range(len(entity_ids)))
        params: dict[str, Any] = {f"e{i}": e for i, e in enumerate(entity_ids)}
        params["cap"] = cap
        sub = text(
            f"SELECT DISTINCT event_id FROM participant WHERE entity_id IN ({placeholders}) "
            "LIMIT :cap"
        )
        ids = [str(r[0]) for r in con.execute(sub, params) if str(r[0]) not in scored]
        if ids:
            names_entity = _any_phrase(phrases)
            for eid, title, kind, value in con.execute(base.where(Event.id.in_(ids))):
                # Involving an entity the query names ranks above a mere prefix in a title,
                # and naming it in the title (by any alias) above that.
                score = 6.5 if names_entity(fold(str(title))) else 5.5
                scored[str(eid)] = (score, str(eid), str(title), str(kind), str(value))
    ordered = sorted(scored.values(), key=lambda x: (-x[0], x[4], x[1]))
    top: list[Hit] = []
    for score, eid, title, kind, value in ordered[:limit]:
        spans, _m, _w = _match_spans(title, terms, phrases)
        detail = f"{value} · {kind}"
        top.append(
            Hit("event", eid, title, detail, (), score, title_spans=tuple(spans), detail=detail)
        )
    return _with_evidence_snippets(con, info, top, q, phrases), len(ordered), more


def _with_evidence_snippets(
    con: Connection,
    info: _EngineInfo,
    hits: list[Hit],
    q: Query,
    phrases: Sequence[tuple[str, ...]],
) -> list[Hit]:
    """Each event hit with a snippet of its first evidence passage, matches highlighted."""
    if not hits or "evidence" not in info.tables:
        return hits
    first: dict[str, str] = {}
    rows = con.execute(
        select(Evidence.event_id, Evidence.text)
        .where(Evidence.event_id.in_([str(h.id) for h in hits]))
        .order_by(Evidence.id)
    )
    for eid, body in rows:
        first.setdefault(str(eid), str(body))
    out: list[Hit] = []
    for h in hits:
        body = first.get(str(h.id), "")
        if not body:
            out.append(h)
            continue
        spans, _m, _w = _match_spans(body, q.terms, phrases)
        snippet, snip_spans = _snippet(body, spans)
        out.append(dataclasses.replace(h, snippet=snippet, spans=snip_spans))
    return out


def _expansions(con: Connection, info: _EngineInfo, terms: Sequence[Term]) -> dict[str, list[str]]:
    """For each query word, the indexed words to OR in its place (``search_term``).

    A prefix with at most :data:`_MAX_EXPANSION` completions becomes an OR of
    them (lazy in FTS5, unlike a long prefix); with more it stays a prefix,
    plus the spellings that fold to it but start differently (``kazım``).
    """
    if "search_term" not in info.tables:
        return {}
    out: dict[str, list[str]] = {}
    for t in terms:
        if t.phrase:
            continue
        tok = t.tokens[0]
        if t.prefix:
            found = [
                str(r[0])
                for r in con.execute(
                    text(
                        "SELECT term FROM search_term WHERE folded >= :a AND folded < :b LIMIT :n"
                    ),
                    {"a": tok, "b": tok + "\U0010ffff", "n": _MAX_EXPANSION + 1},
                )
            ]
            if not found:
                continue  # not in the vocabulary: the plain prefix finds the same nothing
            if len(found) <= _MAX_EXPANSION:
                out[tok] = [_fts_token(w) for w in dict.fromkeys(found)]
                continue
            frags = [_fts_token(tok) + "*"]
            if len(tok) >= 3:
                frags += [
                    _fts_token(str(r[0]))
                    for r in con.execute(
                        text(
                            "SELECT DISTINCT term FROM search_term "
                            "WHERE folded >= :a AND folded < :b AND substr(term, 1, :n) != :a "
                            "LIMIT 20"
                        ),
                        {"a": tok, "b": tok + "\U0010ffff", "n": len(tok)},
                    )
                ]
            out[tok] = frags
        else:
            found = [
                str(r[0])
                for r in con.execute(
                    text("SELECT term FROM search_term WHERE folded = :a LIMIT 20"), {"a": tok}
                )
            ]
            if found:
                out[tok] = [_fts_token(w) for w in dict.fromkeys([tok, *found])]
    return out


def _alias_phrases(
    info: _EngineInfo, con: Connection, entity_ids: Sequence[str], *, indexed: bool = False
) -> list[tuple[str, ...]]:
    """Every spelling of the given entities as token tuples (at most 40): folded by
    :func:`fold` for matching here, or with ``indexed`` as FTS5 indexes them (``kazım``)."""
    if not entity_ids:
        return []
    index = _entity_by_id(info, con)
    phrases: list[tuple[str, ...]] = []
    for eid in entity_ids:
        row = index.get(eid)
        if row is None:
            continue
        for a in (row[1], *row[4]):
            if indexed:
                toks = tuple(fts_term(m.group()) for m in _TOKEN.finditer(a))
            else:
                toks = tuple(t for _s, _e, t in tokenize(a))
            if toks and toks not in phrases:
                phrases.append(toks)
    return phrases[:40]


def _search_passages(
    con: Connection,
    info: _EngineInfo,
    q: Query,
    limit: int,
    filters: Filters,
    entity_ids: Sequence[str],
    review: Mapping[str, str] | None,
) -> tuple[list[Hit], int, bool]:
    if "passage_fts" not in info.tables:
        return [], 0, False
    cap = info.cap("passage", limit)
    alternatives = _expansions(con, info, q.terms)
    alias_phrases = _alias_phrases(info, con, entity_ids)
    # Year words stay required beside an entity's aliases (see _fts_expression).
    years = [t for t in q.terms if _is_year(t)]
    if not _without_years(q).terms or not years:
        years = []
    expr = _fts_expression(
        q.terms, alternatives, _alias_phrases(info, con, entity_ids, indexed=True), years
    )
    clause = passage_clause(filters, review=review)
    # Candidates in rowid order so FTS5 stops after `cap` rows (no full-doclist ranking).
    if filters.is_empty():
        stmt = (
            select(*_PASSAGE_COLS)
            .select_from(_PASSAGE_FTS)
            .join(Passage, Passage.id == _PASSAGE_FTS.c.rowid)
            .where(_match("passage_fts"))
            .limit(cap)
        )
        rows = list(con.execute(stmt, {"q": expr}))
        more = len(rows) >= cap
    else:
        # A selective filter would make FTS5 walk the whole doclist of a common word: look
        # at the first _FILTER_SCAN matches only (every match in a small database).
        # A source's passages have consecutive ids, so a source filter becomes rowid ranges,
        # which FTS5 seeks to directly.
        ranges: list[tuple[int | None, int | None]] = [(None, None)]
        if filters.sources:
            ranges = [
                (int(lo), int(hi))
                for lo, hi in con.execute(
                    select(func.min(Passage.id), func.max(Passage.id))
                    .where(Passage.source_id.in_(sorted(filters.sources)))
                    .group_by(Passage.source_id)
                )
            ]
        rows = []
        more = False
        for lo, hi in ranges:
            scan_q = select(_PASSAGE_FTS.c.rowid).where(_match("passage_fts"))
            if lo is not None and hi is not None:
                scan_q = scan_q.where(_PASSAGE_FTS.c.rowid.between(lo, hi))
            scan = scan_q.limit(_FILTER_SCAN).scalar_subquery()
            stmt = select(*_PASSAGE_COLS).where(Passage.id.in_(scan), clause).limit(cap)
            rows.extend(con.execute(stmt, {"q": expr}))
            more = more or (
                con.execute(scan_q.offset(_FILTER_SCAN).limit(1), {"q": expr}).first() is not None
            )
        more = more or len(rows) >= cap
    mentioned: dict[int, list[tuple[int, int]]] = {}
    if entity_ids and "mention" in info.tables:
        placeholders = ", ".join(f":e{i}" for i in range(len(entity_ids)))
        params: dict[str, Any] = {f"e{i}": e for i, e in enumerate(entity_ids)}
        params["cap"] = cap
        for pid, start, end in con.execute(
            text(
                f"SELECT m.passage_id, m.start - p.start, m.end - p.start FROM mention m "
                f"JOIN passage p ON p.id = m.passage_id "
                f"WHERE m.entity_id IN ({placeholders}) LIMIT :cap"
            ),
            params,
        ):
            mentioned.setdefault(int(pid), []).append((int(start), int(end)))
        have = {int(r[0]) for r in rows}
        missing = [p for p in mentioned if p not in have]
        if missing:
            extra = select(*_PASSAGE_COLS).where(Passage.id.in_(missing), clause)
            dated = _Scorer(years)  # a year in the query must be in these passages too
            rows.extend(
                r
                for r in con.execute(extra)
                if not years or dated.counts(fold(str(r[5])))[0] == len(years)
            )
    more = more or len(rows) >= cap
    # Rank every candidate cheaply on its folded text; cut snippets for the winners only.
    scorer = _Scorer(q.terms)
    names_entity = _any_phrase(alias_phrases)
    ranked: list[tuple[float, int, Any]] = []
    for row in rows:
        body = str(row[5])
        score = (
            scorer.score(fold(body))
            # Naming an entity the query names (by mention or any alias) counts as a whole match.
            + (4.0 if int(row[0]) in mentioned or names_entity(fold(body)) else 0.0)
            + (1.0 if row[4] == "heading" else 0.0)
            - 0.002 * len(body)
        )
        ranked.append((score, int(row[0]), row))
    ranked.sort(key=lambda x: (-x[0], x[1]))
    hits: list[Hit] = []
    for score, pid, (_pid, source_id, pstart, pend, pkind, ptext) in ranked[:limit]:
        body = str(ptext)
        spans, _matched, _whole = _match_spans(body, q.terms, alias_phrases)
        spans = _merge(spans + mentioned.get(pid, []), body)
        snippet, snip_spans = _snippet(body, spans)
        hits.append(
            Hit(
                "passage",
                pid,
                info.sources.get(str(source_id), str(source_id)),
                snippet,
                snip_spans,
                score,
                source_id=str(source_id),
                start=int(pstart),
                end=int(pend),
                detail=str(pkind),
            )
        )
    return hits, len(ranked), more


def _any_phrase(phrases: Sequence[tuple[str, ...]]) -> Callable[[str], bool]:
    """A test "does this folded text contain any of these phrases as whole words"."""
    if not phrases:
        return lambda _s: False
    alternatives = "|".join(
        r"[\W_]+".join(re.escape(tok) for tok in p) for p in sorted(phrases, key=len, reverse=True)
    )
    pattern = re.compile(r"(?<![^\W_])(?:" + alternatives + r")(?![^\W_])")
    return lambda folded: pattern.search(folded) is not None


class _Scorer:
    """Scores folded text by the query terms it contains: 3 per term, +1 if a whole word."""

    def __init__(self, terms: Sequence[Term]) -> None:
        self._patterns: list[tuple[re.Pattern[str], re.Pattern[str]]] = []
        for t in terms:
            body = r"[\W_]+".join(re.escape(tok) for tok in t.tokens)
            start = r"(?<![^\W_])" + body
            whole = start + r"(?![^\W_])"
            self._patterns.append((re.compile(start if t.prefix else whole), re.compile(whole)))

    def counts(self, folded: str) -> tuple[int, int]:
        """(terms found, of which as whole words) in ``folded`` text."""
        found = whole_words = 0
        for anywhere, whole in self._patterns:
            if anywhere.search(folded):
                found += 1
                if whole is anywhere or whole.search(folded):
                    whole_words += 1
        return found, whole_words

    def score(self, folded: str) -> float:
        found, whole_words = self.counts(folded)
        return 3.0 * found + 1.0 * whole_words


def _is_year(t: Term) -> bool:
    return not t.phrase and _YEAR.fullmatch(t.tokens[0]) is not None


def _without_years(q: Query) -> Query:
    """The query less its year words (when something else is left)."""
    rest = tuple(t for t in q.terms if not _is_year(t))
    return dataclasses.replace(q, terms=rest) if rest else q


def warm(engine: Engine) -> None:
    """Read what every search needs once per database (table list, sources, entities), so
    the first keystroke is as quick as the others."""
    with engine.connect() as con:
        info = _info(engine, con)
        if "entity" in info.tables:
            _entity_by_id(info, con)


def search_all(
    engine: Engine,
    query: str,
    *,
    limit: int = 20,
    filters: Filters | None = None,
    kinds: Iterable[str] = KINDS,
    review: Mapping[str, str] | None = None,
) -> SearchResult:
    """Search entities, events and passages; at most ``limit`` hits of each kind.

    ``filters`` restrict every kind the way the panes are restricted
    (:mod:`db.filters`); ``review`` maps event id → review status for the
    review-status filter (annotations live in the workspace database).
    """
    q = parse_query(query)
    result = SearchResult(q)
    if q.empty:
        return result
    filters = filters or Filters()
    kinds = set(kinds)
    limit = max(1, int(limit))
    with engine.connect() as con:
        info = _info(engine, con)
        # Entities the query names: their aliases and mentions widen the other searches.
        # A year in the query dates events and passages; the rest may name an entity.
        named_by = _without_years(q)
        ent_hits, n_ent, whole_ids = _search_entities(con, info, named_by, max(limit, 5), Filters())
        # The best few entities the query names (all its words are in a name or alias).
        # Those whose name has the query's words whole (Shushi → Shusha, not Shushikend);
        # while a word is still being typed (only prefixes match), the best one.
        named = tuple(whole_ids[:_NAMED_ENTITIES]) or tuple(
            h.id for h in ent_hits[:1] if isinstance(h.id, str)
        )
        result.entities_matched = named
        if "entity" in kinds:
            if filters.is_empty():
                hits, n = ent_hits[:limit], n_ent
            else:
                hits, n, _whole = _search_entities(con, info, named_by, limit, filters)
            result.hits.extend(hits)
            result.counts["entity"] = n
            result.more["entity"] = False
        if "event" in kinds:
            ev, n, more = _search_events(con, info, q, limit, filters, named, review)
            result.hits.extend(ev)
            result.counts["event"] = n
            result.more["event"] = more
        if "passage" in kinds:
            ps, n, more = _search_passages(con, info, q, limit, filters, named, review)
            result.hits.extend(ps)
            result.counts["passage"] = n
            result.more["passage"] = more
    return result


def search(
    engine: Engine,
    query: str,
    *,
    limit: int = 20,
    filters: Filters | None = None,
    kinds: Iterable[str] = KINDS,
    review: Mapping[str, str] | None = None,
) -> list[Hit]:
    """The hits of :func:`search_all`, grouped by kind: entities, events, then passages."""
    return search_all(engine, query, limit=limit, filters=filters, kinds=kinds, review=review).hits
