"""Turning a user's document file into text the ingest pipeline reads.

Plain text and Markdown pass through; HTML has its text extracted (scripts,
styles and other non-content dropped, headings kept as Markdown headings);
DOCX paragraphs are read from the document XML; PDF text comes from pypdf.
Anything that cannot be read raises :class:`ConversionError` with the reason.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

from db.ingest.reader import IngestError, decode_bytes

#: The largest document accepted for import (the pipeline reads about 1 MB a second).
MAX_IMPORT_BYTES = 25_000_000

TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES + (".docx", ".pdf")


class ConversionError(Exception):
    """A file cannot be imported; the message names it and says why."""


@dataclass(frozen=True)
class Converted:
    text: str
    suffix: str  # ".txt" or ".md": how the converted text is stored
    format: str  # what the file was: text, markdown, html, docx, pdf
    title: str | None
    warnings: tuple[str, ...] = ()


_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "head",
    "iframe",
    "object",
    "canvas",
    "button",
    "select",
    "nav",
    "form",
}
_BLOCK = {
    "p", "div", "section", "article", "main", "aside", "header", "footer", "blockquote", "pre",
    "ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "td", "th", "caption", "figure",
    "figcaption", "hr", "br", "address", "details", "summary",
}  # fmt: skip
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._skip_depth = 0
        self._heading: int | None = None
        self.title: str | None = None
        self._in_title = False

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            prefix = "#" * self._heading + " " if self._heading else ""
            self.blocks.append(prefix + text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in _SKIP:
            self._skip_depth += 1
        elif tag in _HEADINGS:
            self._flush()
            self._heading = _HEADINGS[tag]
        elif tag in _BLOCK:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _HEADINGS:
            self._flush()
            self._heading = None
        elif tag in _BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = (self.title or "") + data.strip()
        elif self._skip_depth == 0:
            self._current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_to_text(html: str) -> tuple[str, str | None]:
    """(text with Markdown headings, the <title>) of an HTML document; tolerant of truncation."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return "\n\n".join(parser.blocks) + "\n", parser.title


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_to_text(data: bytes, name: str) -> tuple[str, str | None]:
    """Paragraph text of a DOCX file; Heading styles become Markdown headings."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = z.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ConversionError(f"{name}: not a readable DOCX file ({exc}).") from exc
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise ConversionError(f"{name}: the DOCX document XML is damaged ({exc}).") from exc
    blocks: list[str] = []
    title = None
    for p in root.iter(f"{_W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{_W}t")).strip()
        if not text:
            continue
        style = p.find(f"{_W}pPr/{_W}pStyle")
        style_name = style.get(f"{_W}val", "") if style is not None else ""
        m = re.match(r"(?i)heading\s*(\d)", style_name)
        if style_name.lower() == "title":
            title = title or text
            blocks.append(f"# {text}")
        elif m:
            blocks.append("#" * int(m.group(1)) + " " + text)
        else:
            blocks.append(text)
    return "\n\n".join(blocks) + "\n", title


def pdf_to_text(data: bytes, name: str) -> tuple[str, tuple[str, ...]]:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - pypdf is a runtime dependency
        raise ConversionError(f"{name}: PDF import needs the pypdf package.") from exc
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ConversionError(f"{name}: the PDF is encrypted.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise ConversionError(f"{name}: not a readable PDF ({exc}).") from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise ConversionError(f"{name}: the PDF has no text layer (a scan needs OCR first).")
    # PDF text is hard-wrapped by the layout; the ingest joins wrapped lines into paragraphs.
    return text + "\n", ("PDF text is extracted page by page; check the layout of the result.",)


def convert_file(path: Path) -> Converted:
    """Read a document file for import, or raise ConversionError saying why it cannot be."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(SUPPORTED_SUFFIXES)
        raise ConversionError(f"{name}: this kind of file cannot be imported (supported: {kinds}).")
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise ConversionError(
                f"{name}: {size / 1e6:.0f} MB is more than the {MAX_IMPORT_BYTES / 1e6:.0f} MB a document may have; split it first."
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ConversionError(f"{name}: cannot be read ({exc.strerror or exc}).") from exc
    try:
        if suffix == ".docx":
            text, title = docx_to_text(data, name)
            return Converted(text, ".md", "docx", title)
        if suffix == ".pdf":
            if not data.startswith(b"%PDF"):
                raise ConversionError(f"{name}: not a PDF file.")
            text, pdf_warnings = pdf_to_text(data, name)
            return Converted(text, ".txt", "pdf", None, pdf_warnings)
        decoded, _encoding, warnings = decode_bytes(data, name)
        if suffix in HTML_SUFFIXES:
            text, title = html_to_text(decoded)
            if not text.strip():
                raise ConversionError(f"{name}: the HTML has no text.")
            return Converted(text, ".md", "html", title, tuple(warnings))
        fmt = "markdown" if suffix in MARKDOWN_SUFFIXES else "text"
        return Converted(
            decoded, ".md" if fmt == "markdown" else ".txt", fmt, None, tuple(warnings)
        )
    except IngestError as exc:
        raise ConversionError(str(exc)) from exc
