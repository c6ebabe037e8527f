"""Chronoscope's command line: the GUI by default, plus scriptable commands.

Thin on purpose: it parses arguments and hands over to ``desktop`` (GUI) or
``db`` (everything else). See ``python main.py --help``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from db import __version__

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

    e = sub.add_parser("export", help="export the database", parents=[common])
    e.add_argument("--format", default="json", help="json (more formats as they land)")
    e.add_argument("--out", type=Path, required=True)

    t = sub.add_parser(
        "timex", help="print the temporal expressions found in a text file, one JSON object a line"
    )
    t.add_argument("file", type=Path)

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


def _database(args: argparse.Namespace) -> Path:
    if args.db is not None:
        if not args.db.is_file():
            raise SystemExit(f"chronoscope: no database at {args.db}")
        return Path(args.db)
    from db.cache import ensure_bundled_database
    from desktop.paths import cache_dir

    return ensure_bundled_database(cache_dir(), log=lambda m: print(m, file=sys.stderr))


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


def cmd_export(args: argparse.Namespace) -> int:
    from db.database import readonly_engine
    from db.export import FORMATS, export

    if args.format not in FORMATS:
        print(
            f"chronoscope export: unknown format {args.format!r}; choose one of {', '.join(sorted(FORMATS))}",
            file=sys.stderr,
        )
        return 2
    engine = readonly_engine(_database(args))
    export(engine, args.format, args.out)
    print(f"exported {args.format} to {args.out}")
    return 0


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
    from db.entities.report import unknown_names

    from db.database import readonly_engine

    engine = readonly_engine(_database(args))
    for row in unknown_names(engine):
        print(json.dumps(row, ensure_ascii=False))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from db.search import search

    from db.database import readonly_engine

    engine = readonly_engine(_database(args))
    for hit in search(engine, " ".join(args.query), limit=args.limit):
        print(json.dumps(hit.to_json(), ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {
        "build": cmd_build,
        "export": cmd_export,
        "timex": cmd_timex,
        "entities": cmd_entities,
        "search": cmd_search,
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
