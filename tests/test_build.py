"""Building databases: content, determinism, atomicity, the catalogue, the bundled cache, the CLI."""

from __future__ import annotations

import ast
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

import main
from db.build import BuildError, build_database
from db.cache import ensure_bundled_database

ROOT = Path(__file__).resolve().parent.parent


def _content_digest(path: Path) -> str:
    """A digest of every row of every ordinary table, independent of file layout."""
    con = sqlite3.connect(path)
    tables = [
        r[0]
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        )
        if not r[0].startswith(("passage_fts", "event_rtree", "sqlite_"))
    ]
    h = hashlib.sha256()
    for t in tables:
        for row in con.execute(f"SELECT * FROM {t} ORDER BY 1"):
            h.update(repr(row).encode())
    con.close()
    return h.hexdigest()


def test_built_database_has_the_catalogue_and_passages(built_db):
    con = sqlite3.connect(built_db)
    rows = con.execute(
        "SELECT id, title, author, kind, perspective FROM source ORDER BY ordinal"
    ).fetchall()
    assert [r[0] for r in rows] == [
        "andersen-1920",
        "wikipedia-war-short",
        "wikipedia-war-long",
        "gse-armenian-turkish-war",
        "wikipedia-red-army-azerbaijan",
    ]
    assert rows[3][2].startswith("Great Soviet Encyclopedia")
    assert "Soviet historiography" in rows[3][4]
    # normalized[start:end] == text for every passage
    texts = dict(con.execute("SELECT id, normalized_text FROM source"))
    for sid, start, end, text in con.execute("SELECT source_id, start, end, text FROM passage"):
        assert texts[sid][start:end] == text
    assert "(1918–1920)" in texts["wikipedia-war-long"]
    assert not any("â€" in t for t in texts.values())
    # the full-text index answers, diacritic-insensitively
    assert (
        con.execute("SELECT count(*) FROM passage_fts WHERE passage_fts MATCH 'kazim'").fetchone()[
            0
        ]
        >= 1
    )
    con.close()


def test_same_inputs_same_content(tmp_path, corpus_dir):
    a = build_database(corpus_dir, tmp_path / "a.sqlite").out
    b = build_database(corpus_dir, tmp_path / "b.sqlite").out
    assert _content_digest(a) == _content_digest(b)


def test_folder_without_catalogue_takes_titles_from_files(tmp_path, corpus_dir):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(next(corpus_dir.glob("003_*.txt")), folder / "gse.txt")
    (folder / "notes.md").write_text(
        "# My notes on Kars\n\nOn 30 October 1920 Kars fell. That was bad.\n", encoding="utf-8"
    )
    report = build_database(folder, tmp_path / "out.sqlite")
    con = sqlite3.connect(report.out)
    titles = dict(con.execute("SELECT id, title FROM source"))
    assert titles == {"gse": "Armenian-Turkish War of 1920", "notes": "My notes on Kars"}


def test_catalogue_naming_a_missing_file_fails_cleanly(tmp_path, corpus_dir):
    folder = tmp_path / "docs"
    shutil.copytree(corpus_dir, folder)
    (folder / "sources.yaml").write_text(
        "- id: gone\n  file: missing.txt\n  title: Gone\n", encoding="utf-8"
    )
    out = tmp_path / "out.sqlite"
    with pytest.raises(BuildError, match="'gone' names 'missing.txt', which is not in"):
        build_database(folder, out)
    assert not out.exists()
    assert list(tmp_path.glob("out.sqlite*")) == []  # no temporary left behind


def test_a_bad_document_fails_the_build_and_keeps_the_old_database(tmp_path, corpus_dir):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text("On 5 April 1920 it happened. Then more.", encoding="utf-8")
    out = tmp_path / "out.sqlite"
    build_database(folder, out)
    before = out.read_bytes()
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02binary" * 50)
    with pytest.raises(BuildError, match="bad.txt: not a text document"):
        build_database(folder, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "out.sqlite"]


def test_bundled_database_is_built_once_and_rebuilt_when_inputs_change(
    tmp_path, monkeypatch, corpus_dir
):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    monkeypatch.setattr("db.cache.corpus_dir", lambda: corpus)
    logs: list[str] = []

    def builds() -> int:
        return sum(1 for line in logs if line.startswith("building the bundled database"))

    first = ensure_bundled_database(tmp_path / "cache", logs.append)
    assert first.is_file() and builds() == 1
    mtime = first.stat().st_mtime_ns
    assert ensure_bundled_database(tmp_path / "cache", logs.append) == first
    assert builds() == 1 and first.stat().st_mtime_ns == mtime
    doc = next(corpus.glob("000_*.txt"))
    doc.write_text(
        doc.read_text(encoding="utf-8") + "\nOn 1 May 1920 something else happened.\n",
        encoding="utf-8",
    )
    ensure_bundled_database(tmp_path / "cache", logs.append)
    assert builds() == 2


def test_bundled_database_opens_read_only(built_db):
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from db.database import readonly_engine

    engine = readonly_engine(built_db)
    with engine.connect() as con:
        assert con.execute(text("SELECT count(*) FROM source")).scalar_one() == 5
        with pytest.raises(OperationalError):
            con.execute(text("DELETE FROM source"))
    engine.dispose()


def test_cli_build_and_export_json(tmp_path, corpus_dir, capsys):
    out = tmp_path / "cli.sqlite"
    assert main.main(["build", "--corpus", str(corpus_dir), "--out", str(out)]) == 0
    assert "5 source" in capsys.readouterr().out
    export = tmp_path / "export.json"
    assert main.main(["export", "--db", str(out), "--format", "json", "--out", str(export)]) == 0
    doc = json.loads(export.read_text(encoding="utf-8"))
    assert doc["format"] == "chronoscope" and doc["version"] == 1
    assert [s["id"] for s in doc["sources"]][0] == "andersen-1920"
    assert set(doc) == {"format", "version", "sources", "entities", "events"}
    for ev in doc["events"]:
        assert ev["evidence"], ev
        for piece in ev["evidence"]:
            text = next(s["text"] for s in doc["sources"] if s["id"] == piece["source"])
            assert text[piece["start"] : piece["end"]] == piece["text"]


def test_cli_build_reports_bad_input(tmp_path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    assert main.main(["build", "--corpus", str(folder), "--out", str(tmp_path / "x.sqlite")]) == 2
    assert "empty.txt: the file is empty" in capsys.readouterr().err


def test_cli_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main.main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == "Chronoscope 0.1.0"


def test_data_layer_never_imports_qt():
    """db/ is pure Python: no module under it imports PySide6 or the desktop package."""
    offenders = []
    for path in (ROOT / "db").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in ("PySide6", "PyQt5", "PyQt6", "shiboken6", "desktop"):
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_parallel_reading_builds_the_same_database(tmp_path, corpus_dir, monkeypatch):
    """Large corpora are read (and dates tagged, names matched) in worker processes."""
    import db.build

    seq = build_database(corpus_dir, tmp_path / "seq.sqlite").out
    monkeypatch.setattr(db.build, "PARALLEL_MIN_BYTES", 0)
    par = build_database(corpus_dir, tmp_path / "par.sqlite").out
    assert _content_digest(seq) == _content_digest(par)


def test_a_broken_reference_fails_the_build(tmp_path):
    """The build checks foreign keys once at the end instead of on every insert."""
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from db.build import _bulk_settings, _check_references
    from db.database import create_schema, writable_engine

    engine = writable_engine(tmp_path / "x.sqlite", bulk=True)
    create_schema(engine)
    _bulk_settings(engine)
    with Session(engine) as s, s.begin():
        _check_references(s)  # an empty database refers to nothing
        s.execute(text("INSERT INTO alias (entity_id, text, ambiguous) VALUES ('nobody', 'x', 0)"))
        with pytest.raises(BuildError, match="alias"):
            _check_references(s)
    engine.dispose()


def _fts_rows(path: Path) -> list[object]:
    con = sqlite3.connect(path)
    rows = [
        con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
        for t in (
            "passage_fts_data",
            "passage_fts_idx",
            "passage_fts_docsize",
            "passage_fts_config",
        )
    ]
    con.close()
    return rows


def test_full_text_index_built_aside_is_the_one_built_in_place(tmp_path, corpus_dir, monkeypatch):
    """On large corpora a forked child builds passage_fts while the stages run; its rows
    must be the ones the build's own rebuild writes, and when the child fails the build
    rebuilds the index itself."""
    import db.build

    seq = build_database(corpus_dir, tmp_path / "seq.sqlite").out
    monkeypatch.setattr(db.build, "PARALLEL_MIN_BYTES", 0)
    aside = build_database(corpus_dir, tmp_path / "aside.sqlite").out
    assert _fts_rows(aside) == _fts_rows(seq)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aside.sqlite", "seq.sqlite"]

    # The child cannot create the index.
    monkeypatch.setattr(
        db.build, "_passage_fts_ddl", lambda: "CREATE VIRTUAL TABLE passage_fts USING no_such()"
    )
    messages: list[str] = []
    fallback = build_database(corpus_dir, tmp_path / "fallback.sqlite", log=messages.append).out
    assert any(m.startswith("full-text index: the child process failed") for m in messages)
    assert _fts_rows(fallback) == _fts_rows(seq)
    assert _content_digest(fallback) == _content_digest(seq)
