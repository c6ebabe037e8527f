"""Importing a new 30 KB document of similar prose (budget: under 1 s, its events on the timeline).

Run: .venv/bin/pytest tests/benchmarks/bench_import.py --benchmark-only -s
The document is 30 KB of the long article's narrative, so its events are real
ones and merge with what the bundled documents already tell.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from db.library import Library

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "resources" / "corpus"


def test_import_a_30kb_document(benchmark, tmp_path):
    text = next(CORPUS.glob("002_*.txt")).read_text(encoding="utf-8")[100_000:130_000]
    doc = tmp_path / "memoir.txt"
    doc.write_text(text, encoding="utf-8")
    runs = iter(range(1000))
    cpu: list[float] = []

    def one_import() -> Library:
        lib = Library(tmp_path / f"lib{next(runs)}", CORPUS)
        c0 = time.process_time()
        lib.import_files([doc])
        cpu.append(time.process_time() - c0)
        return lib

    lib = benchmark.pedantic(one_import, rounds=5, iterations=1, warmup_rounds=1)
    con = sqlite3.connect(lib.database())
    events = con.execute(
        "SELECT count(DISTINCT event_id) FROM evidence WHERE source_id = 'memoir'"
    ).fetchone()[0]
    con.close()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    median = benchmark.stats.stats.median
    print(
        f"\nimport of a {len(text.encode()) // 1000} KB document: median {median * 1000:.0f} ms wall, "
        f"{sorted(cpu)[len(cpu) // 2] * 1000:.0f} ms CPU (budget 1000 ms; load {load:.1f}); "
        f"its evidence is in {events} events"
    )
    assert events > 20
