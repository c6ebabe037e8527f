"""Scoring the event stage against the hand-made list in tests/data/events_gold.yaml.

Run as a script to print the figures for a built database:

    .venv/bin/python tests/test_events_gold.py /tmp/ev.sqlite

The test asserts the done-when figures of issue 5 (recall ≥ 0.9, multi-document
merge rate ≥ 0.8) on the session's build of the default corpus and prints them.
"""

from __future__ import annotations

import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

GOLD = Path(__file__).resolve().parent / "data" / "events_gold.yaml"
ROOT = Path(__file__).resolve().parent.parent
PREC_SLACK = {"day": 3, "part_of_month": 12, "month": 31, "season": 92, "year": 366}


@dataclass
class Score:
    total: int = 0
    found: int = 0
    multi: int = 0
    merged: int = 0
    missed: list[str] = field(default_factory=list)
    unmerged: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.total if self.total else 0.0

    @property
    def merge_rate(self) -> float:
        return self.merged / self.multi if self.multi else 0.0

    def report(self) -> str:
        lines = [
            f"events gold: recall {self.found}/{self.total} = {self.recall:.3f}; "
            f"multi-document merged {self.merged}/{self.multi} = {self.merge_rate:.3f}"
        ]
        lines += [f"  missed: {m}" for m in self.missed]
        lines += [f"  not merged: {m}" for m in self.unmerged]
        return "\n".join(lines)


def _interval(value: str) -> tuple[int, int]:
    from db.events.curated import parse_date

    a, b, _ = parse_date(value)
    return a, b


def score(db_path: Path, gold_path: Path = GOLD) -> Score:
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    con = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)
    sources = [r[0] for r in con.execute("SELECT id FROM source ORDER BY ordinal")]
    texts = {sid: t for sid, t in con.execute("SELECT id, normalized_text FROM source")}
    prefix = {f"{i:03d}": sid for i, sid in enumerate(sources)}
    events = {eid: (a, b) for eid, a, b in con.execute("SELECT id, earliest, latest FROM event")}
    evidence: dict[str, list[tuple[str, int, int]]] = {}
    by_source: dict[str, list[tuple[int, int, str]]] = {}
    for eid, sid, s, e in con.execute("SELECT event_id, source_id, start, end FROM evidence"):
        evidence.setdefault(eid, []).append((sid, s, e))
        by_source.setdefault(sid, []).append((s, e, eid))
    con.close()

    def covering(sid: str, qs: int, qe: int) -> set[str]:
        need = (qe - qs) / 2
        return {eid for s, e, eid in by_source.get(sid, []) if min(e, qe) - max(s, qs) >= need}

    sc = Score()
    for entry in gold:
        ga, gb = _interval(str(entry["date"]))
        slack = PREC_SLACK[entry["precision"]]
        label = f"{entry['date']} {entry['quotes'][0][1][:70]!r}"
        spans = []
        for pfx, q in entry["quotes"]:
            sid = prefix[pfx]
            i = texts[sid].find(q)
            if i < 0:
                raise AssertionError(f"gold quote not in {sid}: {q!r}")
            spans.append((sid, i, i + len(q)))
        sc.total += 1
        # Candidate events: cover any quote and have a matching date.
        matches: set[str] = set()
        for sid, qs, qe in spans:
            for eid in covering(sid, qs, qe):
                a, b = events[eid]
                if a <= gb and ga <= b and (b - a) <= (gb - ga) + slack:
                    matches.add(eid)
        if matches:
            sc.found += 1
        else:
            sc.missed.append(label)
        docs = {sid for sid, _, _ in spans}
        if len(docs) > 1:
            sc.multi += 1
            ok = False
            for eid in matches:
                per_doc = {sid: False for sid in docs}
                for sid, qs, qe in spans:
                    if eid in covering(sid, qs, qe):
                        per_doc[sid] = True
                if all(per_doc.values()):
                    ok = True
                    break
            if ok:
                sc.merged += 1
            else:
                sc.unmerged.append(label)
    return sc


def test_gold_recall_and_merging(built_db: Path) -> None:
    sc = score(built_db)
    print()
    print(sc.report())
    assert sc.total >= 100
    assert sc.multi >= 10
    assert sc.recall >= 0.9, sc.report()
    assert sc.merge_rate >= 0.8, sc.report()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(score(Path(sys.argv[1])).report())
