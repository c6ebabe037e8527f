"""Search benchmark: one-word, two-word and prefix queries over a generated ~100 MB corpus.

Run: .venv/bin/pytest tests/benchmarks/bench_search.py --benchmark-only -s
Budget: median under 20 ms per query (DESIGN.md). Wall and CPU medians are
printed; the assertion is on CPU time, because on a shared 2-core machine the
wall clock also measures whatever else is running.

The corpus is the default corpus's sentences with about a third of their words
swapped for others drawn from a Zipf-like vocabulary (real words plus made-up
ones, so the vocabulary grows as a real 100 MB corpus's would), written as
passages into a temporary SQLite database with the schema and ``passage_fts``
definition the build uses, plus 5,000 entities (a few real ones with their
aliases, mentioned in ~1% of passages each), 100,000 events with participants
and evidence, and the ``search_index`` stage's tables. It is cached in the temp folder (keyed by size and
generator version), so only the first run pays the ~1–2 minutes to make it.
CHRONOSCOPE_BENCH_SEARCH_MB sets the size (default 100).
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from db.database import create_schema, readonly_engine, writable_engine
from db.search import search_all

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "resources" / "corpus"
GENERATOR_VERSION = 4
BUDGET_MS = 20.0

QUERIES = {
    "one word, rare": "Nakhchivan",
    "one word, common": "Armenian",
    "one word, diacritic": "Kazim",
    "two words": "Red Army",
    "two words, common": "Armenian forces",
    "prefix": "Nakh",
    "prefix, 2 letters": "ar",
    "prefix as typed": "Karabekir pa",
    "alias": "Shushi",
    "entity, prefix": "Kazimbe",
}

#: Named entities planted in the generated corpus: (id, name, aliases).
ENTITIES = [
    ("shusha", "Shusha", ["Shusha", "Shushi"]),
    ("nakhchivan", "Nakhchivan", ["Nakhchivan", "Nakhichevan", "Naxçıvan"]),
    ("kazim-karabekir", "Kâzım Karabekir", ["Kâzım Karabekir", "Kazm Karabekir", "Karabekir"]),
    ("kazimbeyov", "Kazimbeyov", ["Kazimbeyov", "Colonel Kazimbeyov"]),
]
N_ENTITIES = 5_000
N_EVENTS = 100_000


def _sentences() -> list[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [p.strip() for p in parts if len(p.strip()) > 30]


def _made_up_words(rng: random.Random, n: int) -> list[str]:
    syllables = [
        "ka",
        "ra",
        "be",
        "kir",
        "nakh",
        "chi",
        "van",
        "sha",
        "zan",
        "gez",
        "ur",
        "an",
        "dro",
        "pol",
        "mir",
        "yan",
        "ov",
        "li",
        "gar",
        "tash",
        "su",
        "erd",
        "ist",
    ]
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(n)]


def generate(path: Path, megabytes: float, seed: int = 8) -> dict[str, int]:
    """Write ~``megabytes`` of passages into a new database at ``path``."""
    rng = random.Random(seed)
    sentences = _sentences()
    real_words = sorted({w for s in sentences for w in re.findall(r"[^\W\d_]{3,}", s)})
    vocab = real_words + _made_up_words(rng, 200_000)
    # Zipf-like: word i drawn with weight 1/(i+10); cumulative weights for fast choices().
    rng.shuffle(vocab)
    cum: list[float] = []
    total = 0.0
    for i in range(len(vocab)):
        total += 1.0 / (i + 10)
        cum.append(total)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    engine = writable_engine(tmp, bulk=True)
    create_schema(engine)
    engine.dispose()
    con = sqlite3.connect(tmp)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    n_sources = 200
    con.executemany(
        "INSERT INTO source (id, ordinal, file_name, title, format, encoding, sha256, "
        "original_text, normalized_text, warnings, origin) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                f"gen-{i:03d}",
                i,
                f"gen{i}.txt",
                f"Generated document {i}",
                "plain",
                "utf-8",
                "",
                "",
                "",
                "[]",
                "bundled",
            )
            for i in range(n_sources)
        ],
    )
    con.executemany(
        "INSERT INTO section (id, source_id, ordinal, level, title, start, end) "
        "VALUES (?,?,0,0,'',0,0)",
        [(i + 1, f"gen-{i:03d}") for i in range(n_sources)],
    )
    con.executemany(
        "INSERT INTO paragraph (id, source_id, section_id, ordinal, kind, start, end) "
        "VALUES (?,?,?,0,'text',0,0)",
        [(i + 1, f"gen-{i:03d}", i + 1) for i in range(n_sources)],
    )
    written = 0
    pid = 0
    batch: list[tuple[Any, ...]] = []
    target = int(megabytes * 1e6)
    offsets = [0] * n_sources
    while written < target:
        words = rng.choice(sentences).split(" ")
        swap = rng.choices(vocab, cum_weights=cum, k=len(words))
        out = [swap[i] if rng.random() < 0.33 else w for i, w in enumerate(words)]
        sentence = " ".join(out)
        pid += 1
        src = (pid // 3500) % n_sources
        start = offsets[src]
        offsets[src] += len(sentence) + 1
        batch.append(
            (
                pid,
                f"gen-{src:03d}",
                src + 1,
                src + 1,
                pid,
                "sentence",
                start,
                start + len(sentence),
                sentence,
            )
        )
        written += len(sentence.encode("utf-8"))
        if len(batch) >= 20_000:
            con.executemany("INSERT INTO passage VALUES (?,?,?,?,?,?,?,?,?)", batch)
            batch.clear()
    if batch:
        con.executemany("INSERT INTO passage VALUES (?,?,?,?,?,?,?,?,?)", batch)
    con.execute("INSERT INTO passage_fts(passage_fts) VALUES ('rebuild')")
    con.execute("INSERT INTO passage_fts(passage_fts) VALUES ('optimize')")
    _add_entities_and_events(con, rng, vocab, pid)
    con.commit()
    con.close()
    from db import search_index

    reader = sqlite3.connect(tmp)
    t0 = time.perf_counter()
    rows = sorted(search_index.terms(r[0] for r in reader.execute("SELECT text FROM passage")))
    print(f"\nsearch_term: {len(rows)} words listed in {time.perf_counter() - t0:.1f} s")
    reader.close()
    engine = writable_engine(tmp, bulk=True)
    with engine.begin() as sa_con:
        search_index.fill(sa_con, [])
        sa_con.exec_driver_sql("INSERT INTO search_term VALUES (?, ?)", rows)
    engine.dispose()
    os.replace(tmp, path)
    return {"passages": pid, "bytes": written}


def _add_entities_and_events(
    con: sqlite3.Connection, rng: random.Random, vocab: list[str], n_passages: int
) -> None:
    entities = [(i, n, a) for i, n, a in ENTITIES]
    for k in range(N_ENTITIES - len(ENTITIES)):
        name = " ".join(rng.sample(vocab[:20000], rng.randint(1, 2))).title()
        entities.append((f"gen-entity-{k}", name, [name, name.lower() + "i"]))
    con.executemany(
        "INSERT INTO entity (id, type, name, coord_approx, curated, mention_count, event_count,"
        " source_count) VALUES (?, 'place', ?, 1, 1, ?, 0, 0)",
        [(i, n, 0) for i, n, _a in entities],
    )
    con.executemany(
        "INSERT INTO alias (entity_id, text, ambiguous) VALUES (?, ?, 0)",
        [(i, a) for i, _n, aliases in entities for a in aliases],
    )
    # The planted entities are mentioned in ~1% of passages each (6,000 mentions at 100 MB).
    mentions = []
    for eid, name, _a in ENTITIES:
        for p in rng.sample(range(1, n_passages + 1), max(1, n_passages // 100)):
            mentions.append((eid, f"gen-{(p // 3500) % 200:03d}", p, 0, len(name), name))
    con.executemany(
        "INSERT INTO mention (entity_id, source_id, passage_id, start, end, text, method,"
        " as_participant) VALUES (?, ?, ?, ?, ?, ?, 'gazetteer', 1)",
        mentions,
    )
    con.execute(
        "UPDATE entity SET mention_count = (SELECT count(*) FROM mention m WHERE m.entity_id = entity.id)"
    )
    kinds = ["battle", "massacre", "occupation", "political", "treaty", "other"]
    events, participants, evidence = [], [], []
    for k in range(N_EVENTS):
        day = 697000 + rng.randint(0, 1500)
        p = rng.randint(1, n_passages)
        title_words = rng.choices(vocab[:30000], k=rng.randint(3, 7))
        eid = f"gen-event-{k}"
        events.append(
            (
                eid,
                k + 1,
                " ".join(title_words).capitalize(),
                rng.choice(kinds),
                day,
                day + rng.randint(0, 5),
                "day",
                "1920",
                "1920",
            )
        )
        for ent in rng.sample(entities, 2):
            participants.append((eid, ent[0]))
        evidence.append((eid, f"gen-{(p // 3500) % 200:03d}", p))
    con.executemany(
        "INSERT INTO event (id, rowkey, title, kind, earliest, latest, precision, value, date_text,"
        " date_inferred, date_confidence, origin, key_event, conflicts)"
        " VALUES (?,?,?,?,?,?,?,?,?,0,1.0,'extracted',0,'[]')",
        events,
    )
    con.executemany(
        "INSERT INTO participant (event_id, entity_id, role) VALUES (?, ?, 'participant')",
        participants,
    )
    con.executemany(
        "INSERT INTO evidence (event_id, source_id, passage_id, start, end, text, numbers)"
        " SELECT ?, ?, id, start, end, text, '[]' FROM passage WHERE id = ?",
        evidence,
    )


@pytest.fixture(scope="module")
def big_db() -> Path:
    mb = float(os.environ.get("CHRONOSCOPE_BENCH_SEARCH_MB", "100"))
    path = (
        Path(tempfile.gettempdir())
        / f"chronoscope-bench-search-v{GENERATOR_VERSION}-{mb:g}mb.sqlite"
    )
    if not path.exists():
        t0 = time.perf_counter()
        info = generate(path, mb)
        print(
            f"\ngenerated {info['passages']} passages, {info['bytes'] / 1e6:.1f} MB of text "
            f"in {time.perf_counter() - t0:.0f} s → {path}"
        )
    return path


@pytest.fixture(scope="module")
def big_engine(big_db: Path) -> Iterator[Any]:
    engine = readonly_engine(big_db)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("label", list(QUERIES))
def test_search_speed(benchmark: Any, big_engine: Any, label: str) -> None:
    query = QUERIES[label]
    search_all(big_engine, query, limit=20)  # warm the page cache and the per-engine facts
    cpu: list[float] = []

    def timed() -> Any:
        t0 = time.process_time()
        out = search_all(big_engine, query, limit=20)
        cpu.append((time.process_time() - t0) * 1000)
        return out

    result = benchmark.pedantic(timed, rounds=30, iterations=1)
    median_ms = benchmark.stats.stats.median * 1000
    cpu_ms = statistics.median(cpu)
    print(
        f"\n{label:22} {query!r:18} median {median_ms:6.2f} ms wall, {cpu_ms:6.2f} ms CPU "
        f"(budget {BUDGET_MS:.0f}); {_counts(result)}"
    )
    assert result.hits, f"{query!r} found nothing in the generated corpus"
    # CPU time: this machine's cores are shared, and wall time there measures the neighbours.
    assert cpu_ms < BUDGET_MS


FILTERED = {
    "source": {"sources": frozenset({"gen-150"})},
    "kind + date": {"kinds": frozenset({"battle"}), "earliest": 697100, "latest": 697400},
    "entity": {"entities": frozenset({"shusha"})},
}


@pytest.mark.parametrize("label", list(FILTERED))
def test_filtered_search_speed(benchmark: Any, big_engine: Any, label: str) -> None:
    """With filters (no budget in DESIGN.md; printed, and guarded at 2.5x the search budget)."""
    from db.filters import Filters

    filters = Filters(**FILTERED[label])
    search_all(big_engine, "Armenian", limit=20, filters=filters)
    cpu: list[float] = []

    def timed() -> Any:
        t0 = time.process_time()
        out = search_all(big_engine, "Armenian", limit=20, filters=filters)
        cpu.append((time.process_time() - t0) * 1000)
        return out

    result = benchmark.pedantic(timed, rounds=15, iterations=1)
    median_ms = benchmark.stats.stats.median * 1000
    cpu_ms = statistics.median(cpu)
    print(
        f"\n'Armenian' filtered by {label:12} median {median_ms:6.2f} ms wall, "
        f"{cpu_ms:6.2f} ms CPU; {_counts(result)}"
    )
    assert cpu_ms < 2.5 * BUDGET_MS


def _counts(result: Any) -> str:
    return ", ".join(
        f"{result.counts.get(k, 0)}{'+' if result.more.get(k) else ''} {k}"
        for k in ("passage", "event", "entity")
    )


def test_typing_sequence(benchmark: Any, big_engine: Any) -> None:
    """Every prefix of a query as typed (the search field's limit of 8): the slowest keystroke."""
    word = "Nakhchivan Karabekir"
    wall: list[float] = []
    cpu: list[float] = []

    def type_it() -> None:
        for i in range(1, len(word) + 1):
            t0, c0 = time.perf_counter(), time.process_time()
            search_all(big_engine, word[:i], limit=8)
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)

    benchmark.pedantic(type_it, rounds=3, iterations=1)
    print(
        f"\ntyping {word!r}, {len(wall)} keystrokes: median {statistics.median(wall):.2f} ms wall "
        f"{statistics.median(cpu):.2f} ms CPU, slowest {max(wall):.2f} ms wall {max(cpu):.2f} ms CPU"
    )
    assert statistics.median(cpu) < BUDGET_MS
