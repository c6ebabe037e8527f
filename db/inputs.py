"""What a database build reads, hashed: the cached database is rebuilt when this changes.

Kept apart from :mod:`db.build` so that opening the bundled database at start-up
(which only checks the hash) does not import the ingest pipeline.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from db import __version__
from db.models import SCHEMA_VERSION

#: Bump when the pipeline's output changes, so cached databases are rebuilt.
PIPELINE_VERSION = "1"


def inputs_hash(corpus_dir: Path, imported_dir: Path | None = None) -> str:
    """Hash of everything a build reads: documents, catalogue, curated data, pipeline version."""
    from db.resources import resource_path

    h = hashlib.sha256()
    h.update(f"{PIPELINE_VERSION}/{SCHEMA_VERSION}/{__version__}".encode())
    roots = [corpus_dir, resource_path("curated")]
    if imported_dir is not None:
        roots.append(Path(imported_dir))
    for root in roots:
        if not root.exists():
            continue
        for p in sorted(root.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(p.relative_to(root).as_posix().encode())
                h.update(p.read_bytes())
    # The pipeline's own code is an input too.
    pkg = Path(__file__).resolve().parent
    for p in sorted(pkg.rglob("*.py")):
        h.update(p.read_bytes())
    return h.hexdigest()
