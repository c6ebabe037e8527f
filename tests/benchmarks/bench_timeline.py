"""Timeline repaint cost while panning and zooming, at 1,000 / 10,000 / 100,000 events.

Run: ``.venv/bin/pytest tests/benchmarks/bench_timeline.py --benchmark-only -s``

Each measured round moves the view one step along a fixed script (zoom from the whole
span down to two days and back, panning at every level) and renders the whole pane into
a QImage, the way a paint after a wheel or drag event does: the viewport query, the level
of detail decision and the painting are all inside the measurement. The budget is one
frame (16 ms) at 100,000 events, and the cost should not grow with the event count.
"""

from __future__ import annotations

import gc
import os
import resource
import statistics
import time
import tracemalloc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

SIZES = (1_000, 10_000, 100_000)
FRAME_BUDGET_MS = 16.0
WIDTH, HEIGHT = 1400, 520
_RESULTS: dict[int, dict[str, float]] = {}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    from db.synthetic import generate_database

    root = tmp_path_factory.mktemp("timeline-bench")
    return {n: generate_database(root / f"events-{n}.sqlite", n) for n in SIZES}


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    yield
    if not _RESULTS:
        return
    print()
    print(f"Timeline repaint while panning and zooming ({WIDTH}x{HEIGHT} px, whole pane)")
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"wall = elapsed time per frame; cpu = this thread's CPU time (load average {load})")
    head = (
        f"{'events':>9} {'frames':>7} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}"
        f" {'cpu med':>8} {'cpu p95':>8} {'detail%':>8} {'pane MiB':>9} {'frame peak MiB':>15}"
        f" {'RSS MiB':>8}  budget (p95 < 16 ms)"
    )
    print(head)
    print("-" * len(head))
    for n, r in sorted(_RESULTS.items()):
        ok = "ok" if r["p95"] < FRAME_BUDGET_MS else "OVER"
        print(
            f"{n:>9,} {int(r['frames']):>7} {r['median']:>10.2f} {r['p95']:>8.2f} {r['max']:>8.2f}"
            f" {r['cpu_median']:>8.2f} {r['cpu_p95']:>8.2f} {r['detail']:>8.0f} {r['pane_mib']:>9.1f} {r['frame_mib']:>15.2f} {r['rss_mib']:>8.0f}  {ok}"
        )


def _script(start: int, end: int) -> list[tuple[float, float]]:
    """Visible ranges: zoom in from the whole span to two days, panning at each level, then out."""
    centre = date(1918, 3, 15).toordinal()
    ranges: list[tuple[float, float]] = []
    length = float(end - start)
    lengths = []
    while length > 2.0:
        lengths.append(length)
        length /= 2.2
    lengths.append(2.0)
    for ln in lengths + lengths[::-1]:
        for k in range(6):  # pan across a third of the view in six steps
            c = centre + (k - 3) * ln / 18
            ranges.append((c - ln / 2, c + ln / 2))
    return ranges


def _percentile(data: list[float], q: float) -> float:
    s = sorted(data)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


@pytest.mark.parametrize("n_events", SIZES)
def test_repaint_pan_zoom(benchmark, qtbot, generated: dict[int, Path], n_events: int) -> None:  # type: ignore[no-untyped-def]
    from db.database import readonly_engine
    from desktop.selection import SelectionContext
    from desktop.timeline import TimelinePane

    engine = readonly_engine(generated[n_events])
    gc.collect()
    tracemalloc.start()
    pane = TimelinePane(engine, SelectionContext())
    pane_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    qtbot.addWidget(pane)
    pane.resize(WIDTH, HEIGHT)
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32_Premultiplied)
    lo, hi = pane.data.span()
    script = _script(lo, hi)

    def render() -> None:
        pane.render(image)

    state = {"i": 0, "detail": 0}
    cpu_ms: list[float] = []

    def frame() -> None:
        cpu = time.thread_time()
        a, b = script[state["i"] % len(script)]
        state["i"] += 1
        pane.set_visible_range(a, b)
        render()
        cpu_ms.append((time.thread_time() - cpu) * 1000)
        if pane.canvas.painted_event_ids():
            state["detail"] += 1

    for a, b in script[:6]:  # warm the page cache and font caches
        pane.set_visible_range(a, b)
        render()
    benchmark.pedantic(frame, rounds=len(script) * 2, iterations=1, warmup_rounds=0)
    times_ms = [t * 1000 for t in benchmark.stats.stats.data]

    # Memory of painting itself, measured apart (tracemalloc slows Python down).
    tracemalloc.start()
    for a, b in script:
        pane.set_visible_range(a, b)
        render()
    frame_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    _RESULTS[n_events] = {
        "frames": len(times_ms),
        "median": statistics.median(times_ms),
        "p95": _percentile(times_ms, 0.95),
        "max": max(times_ms),
        "cpu_median": statistics.median(cpu_ms),
        "cpu_p95": _percentile(cpu_ms, 0.95),
        "detail": 100.0 * state["detail"] / max(1, state["i"]),
        "pane_mib": pane_bytes / 2**20,
        "frame_mib": frame_peak / 2**20,
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    benchmark.extra_info.update({k: round(v, 3) for k, v in _RESULTS[n_events].items()})
    engine.dispose()
