"""Building a database from a folder of documents.

The output is written to a temporary file beside the target and moved into
place only when complete, so a failed build never leaves a half-built
database. The same inputs always give the same content: ids are assigned in
a fixed order (catalogue order, then file name), and nothing depends on time.
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import multiprocessing.process
import os
import re
import sqlite3
import sys
import tempfile
import threading
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session

from db.database import create_schema, writable_engine
from db.files import FILE_MODE
from db.ingest import IngestError, ParsedDocument, parse_document
from db.ingest.pipeline import title_from_text
from db.inputs import PIPELINE_VERSION, inputs_hash
from db.models import SCHEMA_VERSION, Meta, Paragraph, Passage, Repair, Section, Source, table_of
from db.stages import insert_tuples
from db.yamlio import load_yaml

DOCUMENT_SUFFIXES = (".txt", ".md", ".markdown", ".text")


class BuildError(Exception):
    """The build cannot proceed; the message is for the user."""


@dataclass
class CatalogueEntry:
    id: str
    file: str
    title: str | None = None
    author: str | None = None
    kind: str | None = None
    language: str | None = None
    perspective: str | None = None


@dataclass
class PassageRow:
    id: int
    source_id: str
    section_id: int
    paragraph_id: int
    kind: str
    start: int
    end: int
    text: str


@dataclass
class BuildContext:
    """What later stages (time expressions, entities, events) get to work with."""

    session: Session
    documents: list[tuple[str, ParsedDocument]]  # (source id, parsed document), in order
    passages: dict[str, list[PassageRow]]  # per source id, in text order
    corpus_dir: Path
    curated: bool = True  # False when building user-imported documents with no curation
    log: Callable[[str], None] = lambda _m: None
    data: dict[str, Any] = field(default_factory=dict)  # stages share results here


def load_catalogue(corpus_dir: Path) -> list[CatalogueEntry] | None:
    path = corpus_dir / "sources.yaml"
    if not path.exists():
        return None
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError(f"{path.name}: cannot be read as UTF-8 text ({exc}).") from exc
    try:
        raw = load_yaml(content)
    except yaml.YAMLError:
        # Hand-written catalogues often have unquoted values containing ": ";
        # read the simple "- key: value" form line by line instead.
        raw = _read_simple_catalogue(content)
        if raw is None:
            raise BuildError(
                f"{path.name}: not a valid catalogue (neither YAML nor '- key: value' lines)."
            ) from None
    if not isinstance(raw, list):
        raise BuildError(f"{path.name}: expected a list of sources, one entry per document.")
    entries: list[CatalogueEntry] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or "file" not in item:
            raise BuildError(f"{path.name}: entry {i + 1} has no 'file'.")
        sid = str(item.get("id") or Path(str(item["file"])).stem)
        if sid in seen:
            raise BuildError(f"{path.name}: the id {sid!r} is used twice.")
        seen.add(sid)
        if not (corpus_dir / str(item["file"])).is_file():
            raise BuildError(
                f"{path.name}: entry {sid!r} names {item['file']!r}, which is not in {corpus_dir}."
            )
        entries.append(
            CatalogueEntry(
                id=sid,
                file=str(item["file"]),
                title=item.get("title"),
                author=item.get("author"),
                kind=item.get("kind"),
                language=item.get("language"),
                perspective=item.get("perspective"),
            )
        )
    return entries


def _read_simple_catalogue(content: str) -> list[dict[str, str]] | None:
    """Parse '- key: value' entries, splitting each line at its first ': '."""
    entries: list[dict[str, str]] = []
    for line in content.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if line.startswith("- "):
            entries.append({})
            stripped = line[2:].strip()
        if not entries or ":" not in stripped:
            return None
        key, _, value = stripped.partition(":")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        entries[-1][key.strip()] = value
    return entries or None


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "document"


def discover(corpus_dir: Path) -> list[CatalogueEntry]:
    """The documents to build: the catalogue's entries, else every text file in the folder."""
    if not corpus_dir.is_dir():
        raise BuildError(f"{corpus_dir} is not a folder.")
    entries = load_catalogue(corpus_dir)
    if entries is not None:
        return entries
    files = sorted(
        p for p in corpus_dir.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES
    )
    if not files:
        raise BuildError(f"{corpus_dir} holds no documents ({', '.join(DOCUMENT_SUFFIXES)}).")
    out: list[CatalogueEntry] = []
    used: set[str] = set()
    for f in files:
        sid = _slug(f.stem)
        while sid in used:
            sid += "-2"
        used.add(sid)
        out.append(CatalogueEntry(id=sid, file=f.name))
    return out


def _insert_document(
    s: Session,
    ordinal: int,
    entry: CatalogueEntry,
    doc: ParsedDocument,
    ids: dict[str, int],
    origin: str,
) -> list[PassageRow]:
    s.execute(
        insert(table_of(Source)),
        [
            {
                "id": entry.id,
                "ordinal": ordinal,
                "file_name": entry.file,
                "title": entry.title or title_from_text(doc),
                "author": entry.author,
                "kind": entry.kind,
                "language": entry.language,
                "perspective": entry.perspective,
                "format": doc.format,
                "encoding": doc.encoding,
                "sha256": doc.sha256,
                "original_text": doc.original,
                "normalized_text": doc.normalized,
                "infobox": doc.infobox,
                "warnings": doc.warnings,
                "origin": origin,
            }
        ],
    )
    if doc.repairs:
        s.execute(
            insert(table_of(Repair)),
            [
                {
                    "source_id": entry.id,
                    "kind": r.kind,
                    "orig_start": r.orig_start,
                    "orig_end": r.orig_end,
                    "norm_start": r.norm_start,
                    "norm_end": r.norm_end,
                    "original": r.original,
                    "replacement": r.replacement,
                }
                for r in doc.repairs
            ],
        )
    section_ids: list[int] = []
    rows = []
    for i, sec in enumerate(doc.sections):
        ids["section"] += 1
        section_ids.append(ids["section"])
        rows.append(
            {
                "id": ids["section"],
                "source_id": entry.id,
                "parent_id": section_ids[sec.parent] if sec.parent is not None else None,
                "ordinal": i,
                "level": sec.level,
                "title": sec.title,
                "start": sec.start,
                "end": sec.end,
            }
        )
    s.execute(insert(table_of(Section)), rows)
    para_rows = []
    para_ids: list[int] = []
    for i, p in enumerate(doc.paragraphs):
        ids["paragraph"] += 1
        para_ids.append(ids["paragraph"])
        para_rows.append(
            (
                ids["paragraph"],
                entry.id,
                section_ids[doc.section_of[i]],
                i,
                p.kind,
                p.start,
                p.end,
            )
        )
    # Plain tuples: a large corpus has hundreds of thousands of paragraphs and passages.
    if para_rows:
        insert_tuples(s, table_of(Paragraph), _PARAGRAPH_COLUMNS, para_rows)
    passages: list[PassageRow] = []
    for start, end, kind, pi in doc.passages():
        ids["passage"] += 1
        passages.append(
            PassageRow(
                ids["passage"],
                entry.id,
                section_ids[doc.section_of[pi]],
                para_ids[pi],
                kind,
                start,
                end,
                doc.normalized[start:end],
            )
        )
    if passages:
        insert_tuples(
            s,
            table_of(Passage),
            _PASSAGE_COLUMNS,
            [
                (p.id, p.source_id, p.section_id, p.paragraph_id, n, p.kind, p.start, p.end, p.text)
                for n, p in enumerate(passages)
            ],
        )
    return passages


_PARAGRAPH_COLUMNS = ("id", "source_id", "section_id", "ordinal", "kind", "start", "end")
_PASSAGE_COLUMNS = (
    "id",
    "source_id",
    "section_id",
    "paragraph_id",
    "ordinal",
    "kind",
    "start",
    "end",
    "text",
)


def run_stages(ctx: BuildContext, cancelled: Callable[[], bool] = lambda: False) -> None:
    """Time expressions, then entities, then events (each stage may read the ones before)."""
    from db import stages

    for stage in stages.all_stages():
        if cancelled():
            raise BuildCancelled()
        stage(ctx)


@dataclass
class BuildReport:
    out: Path
    sources: int
    passages: int
    bytes_read: int
    warnings: list[str]
    counts: dict[str, int]


#: Corpora larger than this are read with one worker process per core (the reading,
#: normalizing and date tagging of each document is independent of the others).
PARALLEL_MIN_BYTES = 4_000_000


def _prepare(path: Path) -> tuple[ParsedDocument, object]:
    """Read one document and do the stages' per-document work (in a worker process)."""
    from db.stages import prepare_document

    doc = parse_document(path)
    return doc, prepare_document(doc)


def _read_documents(
    inputs: list[tuple[Path, CatalogueEntry, str]], cancelled: Callable[[], bool]
) -> Generator[tuple[CatalogueEntry, str, ParsedDocument, object | None], None, None]:
    """Each input parsed, in order; large corpora in parallel, with the stages' per-document work."""
    paths = [folder / entry.file for folder, entry, _origin in inputs]
    total = sum(p.stat().st_size for p in paths if p.is_file())
    workers = min(os.cpu_count() or 1, 8)
    if total < PARALLEL_MIN_BYTES or workers < 2:
        for (_folder, entry, origin), path in zip(inputs, paths, strict=True):
            if cancelled():
                raise BuildCancelled()
            try:
                yield entry, origin, parse_document(path), None
            except IngestError as exc:
                raise BuildError(str(exc)) from exc
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = pool.map(_prepare, paths, chunksize=4)
        try:
            for (_folder, entry, origin), (doc, tagged) in zip(inputs, results, strict=True):
                if cancelled():
                    raise BuildCancelled()
                yield entry, origin, doc, tagged
        except IngestError as exc:
            raise BuildError(str(exc)) from exc
        finally:
            pool.shutdown(cancel_futures=True)


def _bulk_settings(engine: Engine) -> None:
    """The build's one connection (a StaticPool) checks its references once, at the end.

    Checking every foreign key of every inserted row costs a third of the inserting on a
    large corpus (millions of mentions, each pointing at an entity, a source and a
    passage); :func:`_check_references` fails the build on the same rows instead. A
    larger page cache keeps the indexes being filled in memory.
    """
    with engine.connect() as con:
        con.exec_driver_sql("PRAGMA foreign_keys=OFF")  # (only outside a transaction)
        con.exec_driver_sql("PRAGMA cache_size=-262144")  # KiB: 256 MB at most


def _check_references(s: Session) -> None:
    """Every foreign key of the built database points at a row (see :func:`_bulk_settings`)."""
    broken = s.execute(text("PRAGMA foreign_key_check")).fetchmany(5)
    if broken:
        found = ", ".join(f"{r[0]} row {r[1]} → {r[2]}" for r in broken)
        raise BuildError(f"the built database refers to rows it does not hold: {found}")


class _PassageIndexAside:
    """The passages' full-text index, built by a forked process while the stages run.

    FTS5's ``rebuild`` of a large corpus's passages is the longest single step of the
    build (8 s on 100 MB, in SQLite), and it needs only the passages, which are all
    stored once the documents are read. A child forked then (it shares the passages'
    memory) writes them to a file of its own beside the build and rebuilds the same
    ``passage_fts`` there, on the second core, while the main process runs the
    stages; the main process then copies the index's shadow tables. The rows are the
    ones ``rebuild`` writes here, since FTS5 builds them from the same rows, ids and
    settings. If the child fails, the build rebuilds the index itself.

    Only a process with no other thread forks (the command line build): a child forked
    while another thread (the desktop app's GUI) holds one of SQLite's global mutexes
    could hang in it, and spawning instead would re-run the main module of a script
    that does not guard it. Nor on macOS, where forking after the system frameworks
    are loaded is unsafe, or where processes cannot fork (Windows).
    """

    _ATTACHED = "passage_index_aside"
    #: The shadow tables of an external-content FTS5 table (its config row is written
    #: by CREATE VIRTUAL TABLE and is the same in both files).
    _SHADOW = ("passage_fts_data", "passage_fts_idx", "passage_fts_docsize")

    def __init__(self, process: multiprocessing.process.BaseProcess, path: Path) -> None:
        self.process = process
        self.path = path
        self.attached = False

    @classmethod
    def start(
        cls, passages: dict[str, list[PassageRow]], beside: Path
    ) -> _PassageIndexAside | None:
        if (
            "fork" not in multiprocessing.get_all_start_methods()
            or sys.platform == "darwin"
            or threading.active_count() > 1
        ):
            return None
        path = beside.with_name(beside.name + ".fts")
        process = multiprocessing.get_context("fork").Process(
            target=_index_passages, args=(str(path), _passage_fts_ddl(), passages), daemon=True
        )
        process.start()
        return cls(process, path)

    def copy_into(self, s: Session) -> bool:
        """Wait for the child and copy its index into the build; False if it failed."""
        self.process.join()
        if self.process.exitcode != 0 or not self.path.is_file():
            return False
        s.execute(text(f"ATTACH DATABASE :path AS {self._ATTACHED}"), {"path": str(self.path)})
        self.attached = True
        for table in self._SHADOW:
            s.execute(text(f"DELETE FROM main.{table}"))
            s.execute(text(f"INSERT INTO main.{table} SELECT * FROM {self._ATTACHED}.{table}"))
        return True

    def detach(self, engine: Engine) -> None:
        """Detach the child's file (after the build's transaction: not possible inside it)."""
        if self.attached:
            with engine.connect() as con:
                con.exec_driver_sql(f"DETACH DATABASE {self._ATTACHED}")
            self.attached = False

    def discard(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.path.unlink(missing_ok=True)


def _passage_fts_ddl() -> str:
    from db.models import VIRTUAL_TABLES

    return next(d for d in VIRTUAL_TABLES if "passage_fts USING" in d)


def _index_passages(path: str, fts_ddl: str, passages: dict[str, list[PassageRow]]) -> None:
    """In the forked child: the passages and their FTS5 index, in a file of their own."""
    con = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-262144"):
            con.execute(f"PRAGMA {pragma}")
        con.execute("BEGIN")
        # The columns passage_fts reads from its content table (content='passage').
        con.execute("CREATE TABLE passage (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
        con.execute(fts_ddl)
        con.executemany(
            "INSERT INTO passage (id, text) VALUES (?, ?)",
            ((p.id, p.text) for found in passages.values() for p in found),
        )
        con.execute("INSERT INTO passage_fts(passage_fts) VALUES ('rebuild')")
        con.execute("COMMIT")
    finally:
        con.close()


class BuildCancelled(Exception):
    """The user cancelled the build; nothing was written."""


Progress = Callable[[int, int, str], None]  # (step, of steps, what)


def build_database(
    corpus_dir: Path,
    out: Path,
    *,
    log: Callable[[str], None] = lambda _m: None,
    curated: bool = True,
    imported_dir: Path | None = None,
    progress: Progress = lambda _i, _n, _what: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> BuildReport:
    """Build a database from a folder of documents into ``out`` (atomically).

    ``imported_dir`` is a second folder (the user's imported documents, with its
    own ``sources.yaml``) built together with the first, its sources marked
    ``origin='imported'``. ``progress`` is told each step; when ``cancelled()``
    turns true the build stops with :class:`BuildCancelled` and leaves nothing.
    """
    with _without_cyclic_gc():
        return _build(corpus_dir, out, log, curated, imported_dir, progress, cancelled)


@contextlib.contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the build.

    A large corpus keeps millions of small objects alive (passages, expressions,
    mentions, candidates) and creates few reference cycles; each full collection
    walks all of them, which cost a quarter of the main process's time. Reference
    counting still frees everything else; cycles wait for the collector to resume.
    (Worker processes forked during the build inherit the pause.) Only a build on the
    main thread pauses it (the command line): the collector is process-wide, and the
    desktop app builds imports on a worker thread while its GUI keeps running.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build(
    corpus_dir: Path,
    out: Path,
    log: Callable[[str], None],
    curated: bool,
    imported_dir: Path | None,
    progress: Progress,
    cancelled: Callable[[], bool],
) -> BuildReport:
    corpus_dir = Path(corpus_dir)
    out = Path(out)
    inputs: list[tuple[Path, CatalogueEntry, str]] = [
        (corpus_dir, e, "bundled") for e in discover(corpus_dir)
    ]
    if (
        imported_dir is not None
        and Path(imported_dir).is_dir()
        and any(Path(imported_dir).iterdir())
    ):
        seen = {e.id for _d, e, _o in inputs}
        for entry in discover(Path(imported_dir)):
            if entry.id in seen:
                raise BuildError(
                    f"imported document id {entry.id!r} is already used by a bundled document."
                )
            inputs.append((Path(imported_dir), entry, "imported"))
    steps = len(inputs) + 4  # documents, then storing, the stages, indexing
    parsed: list[tuple[CatalogueEntry, ParsedDocument, str]] = []
    warnings: list[str] = []
    bytes_read = 0
    prepared: dict[str, object] = {}  # per source id: work done ahead in worker processes
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=out.name + ".", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    engine = writable_engine(tmp, bulk=True)
    aside: _PassageIndexAside | None = None
    try:
        create_schema(engine)
        _bulk_settings(engine)
        with Session(engine) as s, s.begin():
            ids = {"section": 0, "paragraph": 0, "passage": 0}
            all_passages: dict[str, list[PassageRow]] = {}
            # (closing: should storing fail, the reading pool stops at once)
            with contextlib.closing(_read_documents(inputs, cancelled)) as documents:
                for ordinal, (entry, origin, doc, ahead) in enumerate(documents):
                    progress(ordinal, steps, f"reading {entry.file}")
                    bytes_read += len(doc.original.encode("utf-8"))
                    warnings.extend(doc.warnings)
                    for w in doc.warnings:
                        log(f"warning: {w}")
                    parsed.append((entry, doc, origin))
                    if ahead is not None:
                        prepared[entry.id] = ahead
                    # Stored as it arrives: on a large corpus the workers are still
                    # reading the next documents meanwhile.
                    all_passages[entry.id] = _insert_document(s, ordinal, entry, doc, ids, origin)
            progress(len(inputs), steps, "storing the texts")
            if bytes_read >= PARALLEL_MIN_BYTES:
                aside = _PassageIndexAside.start(all_passages, tmp)
            ctx = BuildContext(
                s, [(e.id, d) for e, d, _o in parsed], all_passages, corpus_dir, curated, log
            )
            ctx.data["prepared"] = prepared  # per-document stage work done in workers
            if cancelled():
                raise BuildCancelled()
            progress(len(inputs) + 1, steps, "finding dates, names and events")
            run_stages(ctx, cancelled)
            progress(len(inputs) + 2, steps, "indexing")
            copied = aside is not None and aside.copy_into(s)
            if aside is not None and not copied:
                code = aside.process.exitcode
                log(f"full-text index: the child process failed ({code}), rebuilt")
            if not copied:
                s.execute(text("INSERT INTO passage_fts(passage_fts) VALUES ('rebuild')"))
            s.execute(
                insert(Meta),
                [
                    {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                    {"key": "pipeline_version", "value": PIPELINE_VERSION},
                    {"key": "inputs_hash", "value": inputs_hash(corpus_dir, imported_dir)},
                    {"key": "warnings", "value": json.dumps(warnings, ensure_ascii=False)},
                ],
            )
            _check_references(s)
            counts = {
                t: int(s.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
                for t in (
                    "source",
                    "passage",
                    "time_expression",
                    "entity",
                    "mention",
                    "event",
                    "evidence",
                )
            }
            if cancelled():
                raise BuildCancelled()
        if aside is not None:
            aside.detach(engine)
        engine.dispose()
        os.chmod(tmp, FILE_MODE)  # mkstemp made it private; a database is an ordinary file
        os.replace(tmp, out)
    except BaseException:
        engine.dispose()  # (Windows cannot delete a file that is still open)
        tmp.unlink(missing_ok=True)
        raise
    finally:
        if aside is not None:
            aside.discard()
    progress(steps, steps, "done")
    return BuildReport(out, len(parsed), counts["passage"], bytes_read, warnings, counts)
