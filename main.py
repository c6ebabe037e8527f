"""Chronoscope's command line: the GUI by default, plus scriptable commands.

Thin on purpose: it parses arguments and hands over to ``desktop`` (GUI) or
``db`` (everything else). See ``python main.py --help``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from db import __version__

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from db.review import ReviewOverlay

APP_NAME = "Chronoscope"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="chronoscope", description="Chronoscope — a desktop chronology explorer."
    )
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    p.add_argument("--db", type=Path, help="database file to open (default: the bundled one)")
    p.add_argument("--kiosk", action="store_true", help="locked full-screen kiosk mode")
    p.add_argument(
        "--kiosk-settings",
        type=Path,
        help="kiosk settings file (default: kiosk.ini beside the app)",
    )
    p.add_argument(
        "--select", metavar="KIND:ID", help="open with this selected, e.g. event:ID or entity:ID"
    )
    p.add_argument(
        "--screenshot",
        type=Path,
        metavar="FILE.png",
        help="render the window offscreen to a PNG and exit",
    )
    p.add_argument(
        "--size", default="1600x1000", help="window size for --screenshot (WIDTHxHEIGHT)"
    )
    p.add_argument(
        "--dark", action="store_true", help="use the dark palette (default: follow the system)"
    )
    p.add_argument(
        "--light", action="store_true", help="use the light palette (default: follow the system)"
    )
    p.add_argument(
        "--self-test",
        action="store_true",
        help="open the bundled data offscreen, check linking, report, exit",
    )
    sub = p.add_subparsers(dest="command")
    # Every command that reads a database takes --db, before or after the command name.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,
        help="database file (default: the bundled one)",
    )

    b = sub.add_parser("build", help="build a database from a folder of documents")
    b.add_argument(
        "--corpus",
        type=Path,
        required=True,
        help="folder of documents (a sources.yaml beside them is optional)",
    )
    b.add_argument("--out", type=Path, required=True, help="database file to write")

    e = sub.add_parser(
        "export", help="export the database (honouring the filters given)", parents=[common]
    )
    e.add_argument(
        "--format",
        default="json",
        help="json, csv, timelinejs, tei, graphml, geojson, webannotation",
    )
    e.add_argument("--out", type=Path, required=True, help="output file (a folder for csv)")
    e.add_argument(
        "--from",
        dest="date_from",
        metavar="YYYY[-MM[-DD]]",
        help="only events on or after this date",
    )
    e.add_argument(
        "--to", dest="date_to", metavar="YYYY[-MM[-DD]]", help="only events on or before this date"
    )
    e.add_argument(
        "--kind", action="append", default=[], help="only events of this kind (repeatable)"
    )
    e.add_argument(
        "--source",
        action="append",
        default=[],
        help="only evidence from this source id (repeatable)",
    )
    e.add_argument(
        "--entity",
        action="append",
        default=[],
        help="only events involving this entity id (repeatable)",
    )
    e.add_argument(
        "--all-entities",
        action="store_true",
        help="with several --entity: events involving all of them",
    )
    e.add_argument(
        "--phase", action="append", default=[], help="only events of this phase id (repeatable)"
    )
    e.add_argument(
        "--workspace",
        type=Path,
        metavar="FILE",
        help="a reviewer's workspace: export the events as reviewed (corrections applied, "
        "rejected events left out, the reviewer's own events included)",
    )

    t = sub.add_parser(
        "timex", help="print the temporal expressions found in a text file, one JSON object a line"
    )
    t.add_argument("file", type=Path)

    im = sub.add_parser(
        "import", help="import documents (txt, md, html, docx, pdf) into your library"
    )
    im.add_argument("files", type=Path, nargs="+")

    lib = sub.add_parser("library", help="list your imported documents, or remove one")
    lib.add_argument("--remove", metavar="ID", help="remove this imported document")

    n = sub.add_parser("entities", help="entity reports for curators", parents=[common])
    n.add_argument(
        "--unknown", action="store_true", help="list capitalised names the gazetteer does not cover"
    )

    q = sub.add_parser(
        "search",
        help="search passages, events and entities; one JSON object a line",
        parents=[common],
    )
    q.add_argument("query", nargs="*", default=[])
    q.add_argument("--limit", type=int, default=20)
    return p


def _library():  # type: ignore[no-untyped-def]
    from db.library import Library
    from db.resources import corpus_dir
    from desktop.paths import data_dir

    return Library(data_dir() / "library", corpus_dir())


def _database(args: argparse.Namespace) -> Path:
    """The database to open: --db, else the library (bundled + imported documents), else the bundled one."""
    if getattr(args, "db", None) is not None:
        if not args.db.is_file():
            raise SystemExit(f"chronoscope: no database at {args.db}")
        return Path(args.db)
    from db.cache import ensure_bundled_database
    from desktop.paths import cache_dir

    def log(message: str) -> None:
        print(message, file=sys.stderr)

    library = _library().database(log)
    return library if library is not None else ensure_bundled_database(cache_dir(), log=log)


def cmd_import(args: argparse.Namespace) -> int:
    from db.library import LibraryError

    def progress(step: int, steps: int, what: str) -> None:
        print(f"[{step}/{steps}] {what}", file=sys.stderr)

    try:
        report = _library().import_files(args.files, progress=progress)
    except LibraryError as exc:
        print(f"chronoscope import: {exc} Nothing was imported.", file=sys.stderr)
        return 2
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    for doc in report.added:
        print(f"imported {doc.original_name} as {doc.id}: {doc.title}")
    counts = ", ".join(f"{v} {k}" for k, v in report.build.counts.items())
    print(f"library now has {counts}")
    return 0


def cmd_library(args: argparse.Namespace) -> int:
    from db.library import LibraryError

    library = _library()
    if args.remove:
        try:
            library.remove(args.remove)
        except LibraryError as exc:
            print(f"chronoscope library: {exc}", file=sys.stderr)
            return 2
        print(f"removed {args.remove}")
        return 0
    for doc in library.documents():
        print(json.dumps(doc.__dict__, ensure_ascii=False))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from db.build import BuildError, build_database

    try:
        report = build_database(args.corpus, args.out, log=lambda m: print(m, file=sys.stderr))
    except BuildError as exc:
        print(f"chronoscope build: {exc}", file=sys.stderr)
        return 2
    counts = ", ".join(f"{v} {k}" for k, v in report.counts.items())
    print(f"built {report.out}: {counts}")
    return 0


def _day(text: str | None, *, end: bool) -> int | None:
    """A YYYY, YYYY-MM or YYYY-MM-DD bound as a day number (the last day of it for an end bound)."""
    import calendar
    from datetime import date

    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    year, month, day = [*parts, 0, 0][:3]
    if end:
        month = month or 12
        day = day or calendar.monthrange(year, month)[1]
    return date(year, month or 1, day or 1).toordinal()


def cmd_export(args: argparse.Namespace) -> int:
    from db.database import readonly_engine
    from db.export import FORMATS, export
    from db.filters import Filters

    if args.format not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        print(
            f"chronoscope export: unknown format {args.format!r}; choose one of {known}",
            file=sys.stderr,
        )
        return 2
    try:
        filters = Filters(
            earliest=_day(args.date_from, end=False),
            latest=_day(args.date_to, end=True),
            kinds=frozenset(args.kind),
            sources=frozenset(args.source),
            entities=frozenset(args.entity),
            entities_all=args.all_entities,
            phases=frozenset(args.phase),
        )
    except ValueError as exc:
        print(
            f"chronoscope export: bad date ({exc}); use YYYY, YYYY-MM or YYYY-MM-DD",
            file=sys.stderr,
        )
        return 2
    engine = readonly_engine(_database(args))
    review = None
    if args.workspace is not None:
        review = _load_review(engine, args.workspace)
        if review is None:
            return 1
    data = export(engine, args.format, args.out, filters, review)
    print(
        f"exported {len(data.events)} events, {len(data.involved)} entities as {args.format} to {args.out}"
    )
    return 0


def _load_review(engine: Engine, path: Path) -> ReviewOverlay | None:
    """The reviewer's changes in the workspace at ``path`` (db.review), or None when unusable."""
    from db.workspace import open_workspace
    from db.workspace.effective import load_overlay

    if not path.is_file():
        print(f"chronoscope export: no workspace at {path}", file=sys.stderr)
        return None
    ws = open_workspace(path, backup=False)
    try:
        if ws.notice:
            print(f"chronoscope export: {ws.notice}", file=sys.stderr)
            return None
        return load_overlay(engine, ws, show_rejected=False)
    finally:
        ws.close()


def cmd_timex(args: argparse.Namespace) -> int:
    from db.ingest import IngestError, parse_document
    from db.timex import tag_document

    try:
        doc = parse_document(args.file)
    except IngestError as exc:
        print(f"chronoscope timex: {exc}", file=sys.stderr)
        return 2
    for tx in tag_document(doc):
        print(json.dumps(tx.to_json(), ensure_ascii=False))
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    from db.database import readonly_engine
    from db.entities.report import unknown_names

    engine = readonly_engine(_database(args))
    for row in unknown_names(engine):
        print(json.dumps(row, ensure_ascii=False))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from db.database import readonly_engine
    from db.search import search_all

    engine = readonly_engine(_database(args))
    result = search_all(engine, " ".join(args.query), limit=args.limit)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    for hit in result.hits:
        print(json.dumps(hit.to_json(), ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    # Large builds read documents in worker processes; a frozen app started with
    # 'spawn' (Windows, macOS) must let a worker run its task instead of the app.
    import multiprocessing

    multiprocessing.freeze_support()
    args = _parser().parse_args(argv)
    handlers = {
        "build": cmd_build,
        "export": cmd_export,
        "timex": cmd_timex,
        "entities": cmd_entities,
        "search": cmd_search,
        "import": cmd_import,
        "library": cmd_library,
    }
    if args.command in handlers:
        return handlers[args.command](args)
    if args.self_test:
        from desktop.selftest import run_self_test

        return run_self_test(args, _database)
    from desktop.app import run

    return run(args, _database)


if __name__ == "__main__":
    sys.exit(main())
