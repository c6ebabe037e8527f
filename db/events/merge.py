"""One event per happening: grouping candidates told by several passages and documents.

Candidates are grouped greedily, most precise dates first, so that a month- or
year-level mention ("In April 1920, the 11th Army invaded Azerbaijan") joins
the day-level account of the same happening rather than the other way round.
A candidate joins a group when their dates overlap, their kinds are compatible
and what they say is similar enough: shared participants and places, and
shared rare words (weighted by inverse document frequency over all
candidates, so "Armenian" counts for little and "Evelina" for much). Two
clauses of one sentence are never merged: a sentence that narrates two dated
happenings narrates two events.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat

from db.events.extract import Candidate
from db.events.lexicon import KIND_ORDER, compatible

PRECISION_RANK = {"day": 0, "part_of_month": 1, "month": 2, "season": 3, "year": 4}

#: Thresholds on the weighted word overlap (0..1) for merging.
SAME_DAY_THRESHOLD = 0.34
COARSE_THRESHOLD = 0.5
CROSS_KIND_THRESHOLD = 0.6
#: Day-precise accounts this many days apart may still tell one happening, if similar enough.
NEAR_DAYS = 2
NEAR_THRESHOLD = 0.7
#: Kinds rare enough that two same-day accounts of one are probably one happening.
RARE_KINDS = frozenset({"treaty", "ceasefire", "invasion", "massacre", "proclamation", "uprising"})


@dataclass
class Cluster:
    members: list[Candidate]
    earliest: int
    latest: int
    precision: str
    tokens: set[str]
    entities: set[str]
    passages: set[int]
    curated_id: str | None = None
    paragraphs: set[int] = field(default_factory=set)
    locked: bool = False  # curated with exclusive: no automatic additions
    extra: dict[str, object] = field(default_factory=dict)
    weight: float = -1.0  # cached IDF weight of `tokens` (-1: not computed)
    _kinds: set[str] = field(default_factory=set)
    _kinds_for: int = -1

    @property
    def kinds(self) -> set[str]:
        """The kinds the first accounts give (what later accounts must be compatible with)."""
        if len(self.members) != self._kinds_for:
            self._kinds = {m.kind for m in self.members[:3]}
            self._kinds_for = len(self.members)
        return self._kinds


def _months(a: int, b: int) -> range:
    da, db_ = date.fromordinal(a), date.fromordinal(b)
    return range(da.year * 12 + da.month - 1, db_.year * 12 + db_.month)


class Merger:
    """Greedy grouping of candidates into clusters (one cluster → one event)."""

    def __init__(self, candidates: list[Candidate]) -> None:
        df: Counter[str] = Counter()
        for c in candidates:
            df.update(c.tokens)
        n = max(1, len(candidates))
        self.idf = {t: math.log((n + 1) / (k + 0.5)) for t, k in df.items()}
        # Shared participants count by how telling they are: two accounts naming
        # Khaibalikend are likely the same happening, two naming Armenia are not.
        edf: Counter[str] = Counter()
        for c in candidates:
            edf.update({e for e, _ in c.participants})
        self.entity_bonus = {e: (0.15 if k <= max(3, n // 10) else 0.05) for e, k in edf.items()}
        self.clusters: list[Cluster] = []
        self._by_month: dict[int, list[int]] = defaultdict(list)

    def _weight(self, tokens: set[str] | frozenset[str]) -> float:
        # fsum is exact, so the order sets iterate in does not matter; map() spares a
        # generator frame per token (this is the merging's innermost loop).
        return math.fsum(map(self.idf.get, tokens, repeat(1.0)))

    def similarity(
        self,
        c: Candidate,
        k: Cluster,
        c_weight: float | None = None,
        ents: set[str] | None = None,
    ) -> float:
        shared = c.tokens & k.tokens
        if not shared:
            base = 0.0
        else:
            cw = self._weight(c.tokens) if c_weight is None else c_weight
            kw = k.weight if k.weight >= 0 else self._weight(k.tokens)
            denom = min(cw, kw) or 1.0
            base = self._weight(shared) / denom
        if ents is None:
            ents = {e for e, _ in c.participants}
        common = ents & k.entities
        bonus = self.entity_bonus
        return base + math.fsum(bonus.get(e, 0.15) for e in common)

    def add_cluster(self, k: Cluster) -> int:
        idx = len(self.clusters)
        self.clusters.append(k)
        for mo in _months(k.earliest, k.latest):
            self._by_month[mo].append(idx)
        return idx

    def seed(
        self,
        members: list[Candidate],
        earliest: int,
        latest: int,
        precision: str,
        curated_id: str,
        locked: bool,
    ) -> int:
        k = Cluster(
            members=list(members),
            earliest=earliest,
            latest=latest,
            precision=precision,
            tokens=set().union(*(m.tokens for m in members)) if members else set(),
            entities={e for m in members for e, _ in m.participants},
            passages={m.passage_id for m in members},
            paragraphs={m.paragraph_id for m in members},
            curated_id=curated_id,
            locked=locked,
        )
        return self.add_cluster(k)

    def add(self, c: Candidate) -> None:
        d = c.date
        fine = PRECISION_RANK.get(d.precision, 4)
        c_weight = self._weight(c.tokens)
        c_ents = {e for e, _ in c.participants}
        c_places = {e for e, r in c.participants if r == "place"}
        seen: set[int] = set()
        best, best_score = -1, 0.0
        slack = NEAR_DAYS if fine == 0 else 0
        for mo in _months(d.earliest - slack, d.latest + slack):
            for idx in self._by_month.get(mo, ()):
                if idx in seen:
                    continue
                seen.add(idx)
                k = self.clusters[idx]
                # One paragraph narrating two things on one day ("On July 14, Andranik
                # issued a decree ... On the same day, he sent a letter") tells two
                # happenings; a document repeating itself does so in another paragraph.
                if k.locked or c.passage_id in k.passages or c.paragraph_id in k.paragraphs:
                    continue
                kfine = PRECISION_RANK.get(k.precision, 4)
                near = False
                if d.latest < k.earliest or k.latest < d.earliest:
                    # Accounts that date one happening a day or two apart ("proclaimed on
                    # 28 July" / "the next day ... was proclaimed") still merge when they
                    # agree strongly otherwise; the disagreement is kept as a conflict.
                    gap = max(k.earliest - d.latest, d.earliest - k.latest)
                    # One document dating two similar clauses apart tells two happenings
                    # (the Red Army entering Yerevan on 4 December, the Cheka on the 6th).
                    if not (
                        slack
                        and kfine == 0
                        and gap <= NEAR_DAYS
                        and c.kind in k.kinds
                        and all(m.source_id != c.source_id for m in k.members)
                    ):
                        continue
                    near = True
                score = self.similarity(c, k, c_weight, c_ents)
                if near and score < NEAR_THRESHOLD:
                    continue
                both_fine = fine <= 1 and kfine <= 1
                same_day = both_fine and d.earliest == k.earliest and d.latest == k.latest
                # Accounts may name one happening differently (an arrival told as a
                # proclamation of governorship); only a strong overlap bridges kinds.
                kinds = k.kinds
                if (
                    kinds
                    and not any(compatible(c.kind, kind) for kind in kinds)
                    and not (same_day and score >= CROSS_KIND_THRESHOLD)
                ):
                    continue
                if c.kind in kinds and c.kind != "other":
                    score += 0.15 if same_day and c.kind in RARE_KINDS else 0.05
                if (
                    same_day
                    and c.kind != "other"
                    and c_places & k.entities
                    and any(compatible(c.kind, kind) for kind in kinds if kind != "other")
                    and all(m.source_id != c.source_id for m in k.members)
                ):
                    # Another document, the same day, a compatible kind of happening at the
                    # same place: very likely the same happening, worded differently.
                    score += 0.2
                threshold = SAME_DAY_THRESHOLD if both_fine else COARSE_THRESHOLD
                if not both_fine and k.members and c.kind != k.members[0].kind:
                    threshold += 0.15
                if score >= threshold and score > best_score:
                    best, best_score = idx, score
        if best >= 0:
            k = self.clusters[best]
            k.members.append(c)
            if not c.tokens <= k.tokens:  # (retelling in the same words changes nothing)
                k.tokens |= c.tokens
                k.weight = self._weight(k.tokens)
            k.entities |= c_ents
            k.passages.add(c.passage_id)
            k.paragraphs.add(c.paragraph_id)
            return
        if c.heading:
            # "Sovietization of Armenia, December 1920" names a section; it attests an
            # event told in the text, but is not an account of its own.
            return
        self.add_cluster(
            Cluster(
                members=[c],
                earliest=d.earliest,
                latest=d.latest,
                precision=d.precision,
                tokens=set(c.tokens),
                entities=c_ents,
                passages={c.passage_id},
                paragraphs={c.paragraph_id},
                weight=c_weight,
            )
        )


def merge(candidates: list[Candidate], merger: Merger | None = None) -> list[Cluster]:
    """Group candidates (those not already seeded into curated clusters) into clusters."""
    m = merger or Merger(candidates)
    ordered = sorted(
        candidates,
        key=lambda c: (
            c.heading,
            PRECISION_RANK.get(c.date.precision, 4),
            c.date.latest - c.date.earliest,
            c.order,
        ),
    )
    for c in ordered:
        m.add(c)
    return m.clusters


def primary(k: Cluster) -> Candidate:
    """The member whose date and title stand for the event: the most precise, then the first told."""
    return min(
        k.members,
        key=lambda c: (
            c.heading,
            PRECISION_RANK.get(c.date.precision, 4),
            c.date.latest - c.date.earliest,
            c.date.inferred,
            c.order,
        ),
    )


def majority_kind(k: Cluster) -> str:
    if len(k.members) == 1:
        return k.members[0].kind
    votes: Counter[str] = Counter(m.kind for m in k.members)
    return min(
        votes, key=lambda kind: (-votes[kind], KIND_ORDER.index(kind) if kind in KIND_ORDER else 99)
    )
