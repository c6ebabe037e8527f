"""The user's library: documents they imported, built with the bundled corpus into one database.

Layout of the library folder (in the user's data directory)::

    documents/            the imported documents, converted to text, with their sources.yaml
    library.sqlite        the database of the bundled corpus plus the imported documents

Imports and removals are all-or-nothing: the next ``documents/`` folder and the
next database are built beside the current ones and swapped in only when both
are complete, so a failed or cancelled import leaves the library as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from db.cache import ensure_built

# The ingest pipeline, the converters and YAML load when documents are imported or read:
# opening the app only asks for the library's database, which checks a hash.
if TYPE_CHECKING:
    from db.build import BuildReport

DOCUMENTS = "documents"
DATABASE = "library.sqlite"


class LibraryError(Exception):
    """An import or removal could not be done; the library is unchanged. The message is for the user."""


@dataclass(frozen=True)
class ImportedDocument:
    id: str
    file: str
    title: str
    original_name: str
    format: str
    imported: str  # ISO date-time


@dataclass(frozen=True)
class ImportReport:
    added: list[ImportedDocument]
    warnings: list[str]
    build: BuildReport


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:40].strip("-") or "document"


class Library:
    def __init__(self, root: Path, bundled_corpus: Path) -> None:
        self.root = Path(root)
        self.bundled_corpus = Path(bundled_corpus)

    @property
    def documents_dir(self) -> Path:
        return self.root / DOCUMENTS

    @property
    def database_path(self) -> Path:
        return self.root / DATABASE

    def documents(self) -> list[ImportedDocument]:
        path = self.documents_dir / "sources.yaml"
        if not path.is_file():
            return []
        from db.yamlio import load_yaml

        raw = load_yaml(path.read_text(encoding="utf-8")) or []
        return [
            ImportedDocument(
                str(d["id"]),
                str(d["file"]),
                str(d.get("title") or d["file"]),
                str(d.get("original_name") or d["file"]),
                str(d.get("format") or "text"),
                str(d.get("imported") or ""),
            )
            for d in raw
        ]

    def database(self, log: Callable[[str], None] = lambda _m: None) -> Path | None:
        """The library database, rebuilt if its inputs changed; None when nothing was imported."""
        if not self.documents():
            return None
        return ensure_built(
            self.bundled_corpus,
            self.database_path,
            imported_dir=self.documents_dir,
            what="the library database",
            log=log,
        )

    # --- changes ------------------------------------------------------------------------
    def import_files(
        self,
        paths: Sequence[Path],
        *,
        progress: Callable[[int, int, str], None] = lambda _i, _n, _w: None,
        cancelled: Callable[[], bool] = lambda: False,
        log: Callable[[str], None] = lambda _m: None,
    ) -> ImportReport:
        """Import documents; all of them or none. Raises LibraryError (or BuildCancelled)."""
        from db.convert import ConversionError, convert_file
        from db.ingest import IngestError, parse_text

        if not paths:
            raise LibraryError("no documents to import.")
        current = self.documents()
        taken = {d.id for d in current} | _bundled_ids(self.bundled_corpus)
        files_taken = {d.file for d in current}
        added: list[tuple[ImportedDocument, str]] = []
        warnings: list[str] = []
        for path in paths:
            try:
                converted = convert_file(Path(path))
                doc = parse_text(converted.text, Path(path).name)
            except (ConversionError, IngestError) as exc:
                raise LibraryError(str(exc)) from exc
            if not doc.passages():
                raise LibraryError(f"{Path(path).name}: no sentences found in it.")
            title = converted.title or _first_heading(converted.text) or Path(path).stem
            base = _slug(Path(path).stem)
            sid = base
            n = 2
            while sid in taken:
                sid = f"{base}-{n}"
                n += 1
            taken.add(sid)
            file = sid + converted.suffix
            while file in files_taken:
                file = f"{sid}-{n}{converted.suffix}"
                n += 1
            files_taken.add(file)
            warnings.extend(converted.warnings)
            warnings.extend(doc.warnings)
            entry = ImportedDocument(
                sid,
                file,
                title,
                Path(path).name,
                converted.format,
                datetime.now(UTC).isoformat(timespec="seconds"),
            )
            added.append((entry, converted.text))
        report = self._rebuild(
            current + [a for a, _t in added],
            {a.file: t for a, t in added},
            progress,
            cancelled,
            log,
        )
        return ImportReport([a for a, _t in added], warnings, report)

    def remove(
        self,
        source_id: str,
        *,
        progress: Callable[[int, int, str], None] = lambda _i, _n, _w: None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> BuildReport | None:
        """Remove one imported document (bundled ones cannot be removed)."""
        current = self.documents()
        if source_id not in {d.id for d in current}:
            raise LibraryError(
                f"{source_id!r} is not an imported document; only imported documents can be removed."
            )
        keep = [d for d in current if d.id != source_id]
        return self._rebuild(keep, {}, progress, cancelled, lambda _m: None)

    def _rebuild(
        self,
        entries: list[ImportedDocument],
        new_texts: dict[str, str],
        progress: Callable[[int, int, str], None],
        cancelled: Callable[[], bool],
        log: Callable[[str], None],
    ) -> BuildReport:
        import yaml

        from db.build import BuildCancelled, BuildError, build_database

        self.root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix="documents.", suffix=".new", dir=self.root))
        tmp_db = staging.with_suffix(".sqlite")
        try:
            for e in entries:
                target = staging / e.file
                if e.file in new_texts:
                    target.write_text(new_texts[e.file], encoding="utf-8", newline="\n")
                else:
                    shutil.copy2(self.documents_dir / e.file, target)
            catalogue = [
                {
                    "id": e.id,
                    "file": e.file,
                    "title": e.title,
                    "original_name": e.original_name,
                    "format": e.format,
                    "imported": e.imported,
                    "kind": f"imported {e.format} document",
                }
                for e in entries
            ]
            (staging / "sources.yaml").write_text(
                yaml.safe_dump(catalogue, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
            try:
                report = build_database(
                    self.bundled_corpus,
                    tmp_db,
                    imported_dir=staging,
                    log=log,
                    progress=progress,
                    cancelled=cancelled,
                )
            except BuildError as exc:
                raise LibraryError(str(exc)) from exc
            if cancelled():
                raise BuildCancelled()
            self._swap_in(staging, tmp_db)
            if not entries:
                self.database_path.unlink(missing_ok=True)
            return report
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            tmp_db.unlink(missing_ok=True)

    def _swap_in(self, staging: Path, tmp_db: Path) -> None:
        """Replace documents/ and the database with the staged ones (database first: it is what the app opens)."""
        os.replace(tmp_db, self.database_path)
        old = self.root / (DOCUMENTS + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.documents_dir.exists():
            self.documents_dir.rename(old)
        staging.rename(self.documents_dir)
        shutil.rmtree(old, ignore_errors=True)


def _first_heading(text: str) -> str | None:
    m = re.search(r"^#{1,6}\s+(.+)$", text, re.M)
    return m.group(1).strip() if m else None


def _bundled_ids(corpus: Path) -> set[str]:
    from db.build import load_catalogue

    entries = load_catalogue(corpus)
    return {e.id for e in entries} if entries else set()
