"""Build benchmarks: the default corpus (budget < 2 s) and a generated large corpus (budget ≥ 1 MB/s).

Run: .venv/bin/pytest tests/benchmarks/bench_build.py --benchmark-only -s
The large corpus is CHRONOSCOPE_BENCH_MB megabytes (default 100) of the real
documents repeated with their dates shifted, written to a temporary folder, or
to CHRONOSCOPE_BENCH_CORPUS when set: that folder is reused by later runs while
it holds a corpus generated for the same size (generating 100 MB takes a while).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from db.build import build_database

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "resources" / "corpus"


def test_build_default_corpus(benchmark, tmp_path):
    out = tmp_path / "default.sqlite"
    report = benchmark.pedantic(
        build_database, args=(CORPUS, out), rounds=5, iterations=1, warmup_rounds=1
    )
    median = benchmark.stats.stats.median
    print(f"\ndefault corpus: {report.bytes_read / 1e6:.2f} MB, {report.counts}")
    print(f"default build: median {median * 1000:.0f} ms (budget 2000 ms)")


@pytest.fixture(scope="module")
def large_corpus(tmp_path_factory) -> Path:
    target_mb = float(os.environ.get("CHRONOSCOPE_BENCH_MB", "100"))
    cached = os.environ.get("CHRONOSCOPE_BENCH_CORPUS")
    folder = Path(cached) if cached else tmp_path_factory.mktemp("large")
    marker = folder / ".generated"
    stamp = f"{target_mb} MB from {len(list(CORPUS.glob('*.txt')))} documents\n"
    if cached and marker.is_file() and marker.read_text(encoding="utf-8") == stamp:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("doc*.txt"):
        old.unlink()
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    written = 0
    i = 0
    while written < target_mb * 1e6:
        # Shift years so the copies are distinct documents, not byte-identical repeats.
        shift = i % 50
        body = re.sub(
            r"\b(19[0-2]\d)\b", lambda m, s=shift: str(int(m.group(1)) + s), texts[i % len(texts)]
        )
        path = folder / f"doc{i:05d}.txt"
        path.write_text(body, encoding="utf-8")
        written += len(body.encode("utf-8"))
        i += 1
    marker.write_text(stamp, encoding="utf-8")
    return folder


def test_build_large_corpus_throughput(benchmark, large_corpus, tmp_path):
    out = tmp_path / "large.sqlite"
    t0, c0 = time.perf_counter(), time.process_time()
    report = benchmark.pedantic(build_database, args=(large_corpus, out), rounds=1, iterations=1)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    mb = report.bytes_read / 1e6
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nlarge corpus: {report.sources} documents, {mb:.1f} MB, {report.counts}")
    print(
        f"large build: {seconds:.1f} s wall → {mb / seconds:.2f} MB/s; {cpu:.1f} s CPU → "
        f"{mb / cpu:.2f} MB/s (budget ≥ 1 MB/s; load average {load:.1f})"
    )
