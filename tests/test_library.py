"""Importing the user's own documents: conversion, all-or-nothing library changes, the CLI."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path

import pytest

import main
from db.build import BuildCancelled
from db.convert import MAX_IMPORT_BYTES, ConversionError, convert_file, html_to_text
from db.library import Library, LibraryError

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "resources" / "corpus"

KARS = (
    "On 30 October 1920 the Turkish army of Kazim Karabekir took Kars after a short siege. "
    "The Armenian garrison surrendered. On 7 November 1920 Turkish troops occupied Alexandropol."
)


def _docx(paragraphs: list[tuple[str, str]]) -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'
        for style, text in paragraphs
    )
    xml = f'<?xml version="1.0"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", xml)
    return buf.getvalue()


def _pdf(text: str) -> bytes:
    """A minimal one-page PDF with a text layer."""
    stream = f"BT /F1 12 Tf 20 700 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


# --- conversion ---------------------------------------------------------------------


def test_html_text_without_scripts_and_styles():
    text, title = html_to_text(
        "<html><head><title>Kars</title><style>p{color:red}</style><script>alert(1)</script></head>"
        "<body><nav>Home | About</nav><h2>The fall</h2><p>First <b>bold</b> sentence.</p><p>Second.</p></body></html>"
    )
    assert title == "Kars"
    assert text == "## The fall\n\nFirst bold sentence.\n\nSecond.\n"


def test_truncated_html_still_gives_its_text(tmp_path):
    path = tmp_path / "cut.html"
    path.write_text(
        "<html><body><h1>Kars</h1><p>" + KARS + "</p><p>On 2 December 1920 the", encoding="utf-8"
    )
    converted = convert_file(path)
    assert "took Kars" in converted.text and converted.text.rstrip().endswith(
        "On 2 December 1920 the"
    )


def test_docx_paragraphs_and_headings(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_bytes(
        _docx([("Title", "Notes on Kars"), ("Heading1", "The siege"), ("Normal", KARS)])
    )
    converted = convert_file(path)
    assert converted.title == "Notes on Kars"
    assert converted.text.startswith("# Notes on Kars\n\n# The siege\n\nOn 30 October 1920")


def test_pdf_text_layer(tmp_path):
    path = tmp_path / "kars.pdf"
    path.write_bytes(_pdf("On 30 October 1920 the Turkish army took Kars."))
    assert "took Kars" in convert_file(path).text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("blob.txt", b"\x00\x01binary\x02" * 40, "not a text document"),
        ("photo.png", b"\x89PNG....", "cannot be imported"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "not a readable DOCX"),
        ("fake.pdf", b"hello", "not a PDF file"),
        ("broken.pdf", b"%PDF-1.4\n garbage", "not a readable PDF"),
        ("nothing.html", b"<html><script>only()</script></html>", "the HTML has no text"),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ConversionError, match=reason) as exc:
        convert_file(path)
    assert name in str(exc.value)


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(MAX_IMPORT_BYTES + 1)  # sparse: no 25 MB written
    with pytest.raises(ConversionError, match="split it first"):
        convert_file(path)


# --- the library -------------------------------------------------------------------


@pytest.fixture()
def library(tmp_path) -> Library:
    return Library(tmp_path / "library", CORPUS)


def _sources(db: Path) -> dict[str, str]:
    con = sqlite3.connect(db)
    rows = dict(con.execute("SELECT id, origin FROM source"))
    con.close()
    return rows


def test_import_builds_the_documents_into_every_table(library, tmp_path):
    doc = tmp_path / "kars.txt"
    doc.write_text(KARS, encoding="utf-8")
    report = library.import_files([doc])
    assert [d.id for d in report.added] == ["kars"]
    db = library.database()
    assert db is not None and _sources(db)["kars"] == "imported"
    con = sqlite3.connect(db)
    # Its dates, names and events are there, beside the bundled ones.
    assert (
        con.execute("SELECT count(*) FROM time_expression WHERE source_id='kars'").fetchone()[0]
        >= 2
    )
    assert (
        con.execute(
            "SELECT count(*) FROM mention WHERE source_id='kars' AND entity_id='kars'"
        ).fetchone()[0]
        >= 1
    )
    assert con.execute("SELECT count(*) FROM evidence WHERE source_id='kars'").fetchone()[0] >= 1
    con.close()


def test_import_is_all_or_nothing(library, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(KARS, encoding="utf-8")
    library.import_files([good])
    before = sorted(p.name for p in library.documents_dir.iterdir())
    db_before = library.database_path.read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00" * 100)
    another = tmp_path / "another.txt"
    another.write_text("On 2 December 1920 Armenia was Sovietized.", encoding="utf-8")
    with pytest.raises(LibraryError, match="bad.txt"):
        library.import_files([another, bad])
    assert sorted(p.name for p in library.documents_dir.iterdir()) == before
    assert library.database_path.read_bytes() == db_before
    assert sorted(p.name for p in library.root.iterdir()) == ["documents", "library.sqlite"]


def test_cancelled_import_leaves_nothing(library, tmp_path):
    doc = tmp_path / "kars.txt"
    doc.write_text(KARS, encoding="utf-8")
    steps: list[str] = []

    def cancel_at_stages() -> bool:
        return "finding dates, names and events" in steps

    with pytest.raises(BuildCancelled):
        library.import_files(
            [doc], progress=lambda _i, _n, what: steps.append(what), cancelled=cancel_at_stages
        )
    assert library.documents() == []
    assert library.database() is None
    assert list(library.root.iterdir()) == []


def test_remove_an_imported_document(library, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.md"
    a.write_text(KARS, encoding="utf-8")
    b.write_text(
        "# Sovietization\n\nOn 2 December 1920 Armenia was Sovietized.\n", encoding="utf-8"
    )
    library.import_files([a, b])
    assert {d.id for d in library.documents()} == {"a", "b"}
    assert library.documents()[1].title == "Sovietization"
    library.remove("a")
    assert [d.id for d in library.documents()] == ["b"]
    assert "a" not in _sources(library.database())
    with pytest.raises(LibraryError, match="only imported documents can be removed"):
        library.remove("wikipedia-war-long")
    library.remove("b")
    assert library.database() is None


def test_same_name_twice_gets_a_new_id(library, tmp_path):
    doc = tmp_path / "kars.txt"
    doc.write_text(KARS, encoding="utf-8")
    library.import_files([doc])
    library.import_files([doc])
    assert [d.id for d in library.documents()] == ["kars", "kars-2"]


def test_cli_import_list_remove(tmp_path, capsys):
    doc = tmp_path / "notes.html"
    doc.write_text(f"<h1>Notes</h1><p>{KARS}</p>", encoding="utf-8")
    assert main.main(["import", str(doc)]) == 0
    assert "imported notes.html as notes" in capsys.readouterr().out
    assert main.main(["library"]) == 0
    assert '"id": "notes"' in capsys.readouterr().out
    assert main.main(["import", str(tmp_path / "missing.txt")]) == 2
    assert "Nothing was imported" in capsys.readouterr().err
    assert main.main(["library", "--remove", "notes"]) == 0
    assert main.main(["library"]) == 0
    assert capsys.readouterr().out.strip().endswith("removed notes")
