"""No acknowledged edit is lost when the process dies: a child applies annotations and
prints an ack after each committed action; it is SIGKILLed at seeded random points."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from db.workspace import AnnotationService, open_workspace

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import sys
from pathlib import Path
from db.workspace import AnnotationService, open_workspace

path, first = Path(sys.argv[1]), int(sys.argv[2])
ws = open_workspace(path)
svc = AnnotationService(ws, reviewer="child", backup_every=7)
print("READY", flush=True)
for i in range(first, first + 100000):
    if i % 3 == 2:
        edit = svc.add_note("event", f"ev{i}", f"note {i}")
    else:
        edit = svc.set_status(f"ev{i}", "confirmed" if i % 2 else "disputed", f"reason {i}")
    svc.apply(edit)
    print(f"ACK {i}", flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX-only")
def test_killed_writer_loses_no_acknowledged_edit(tmp_path: Path) -> None:
    path = tmp_path / "workspace.sqlite"
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rng = random.Random(20261121)
    acked: set[int] = set()
    first = 0
    for _round in range(3):
        child = subprocess.Popen(
            [sys.executable, str(script), str(path), str(first)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "READY"
        kill_after = rng.randint(1, 25)
        for n, line in enumerate(child.stdout, start=1):
            acked.add(int(line.split()[1]))
            if n >= kill_after:
                os.kill(child.pid, signal.SIGKILL)
                break
        # Whatever was acknowledged before the kill landed counts too.
        for line in child.stdout:
            if line.startswith("ACK"):
                acked.add(int(line.split()[1]))
        child.wait()
        assert child.returncode == -signal.SIGKILL
        first = max(acked) + 10

        ws = open_workspace(path)
        try:
            assert ws.notice is None
            assert ws.integrity_check() == "ok"
            rows = AnnotationService(ws).rows()
            have = {int(r.target_id[2:]) for r in rows}
            assert acked <= have, f"lost acknowledged edits: {sorted(acked - have)}"
        finally:
            ws.close()
