"""Reading a document's bytes into text, refusing what is not text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path


class IngestError(Exception):
    """A document could not be ingested; the message is meant for the user and names the file."""


@dataclass
class RawDocument:
    path: Path
    text: str
    encoding: str
    sha256: str
    warnings: list[str] = field(default_factory=list)


# Magic numbers of common binary formats, so the message can say what the file is.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (DOCX, ODT, XLSX, ...)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"SQLite format 3", "an SQLite database"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
)


def _looks_binary(data: bytes) -> str | None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    sample = data[:65536]
    if b"\x00" in sample:
        return "binary data (it contains NUL bytes)"
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if sample and controls / len(sample) > 0.05:
        return "binary data (it is mostly control characters)"
    return None


def decode_bytes(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Decode a document's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252.

    Returns (text, encoding, warnings). Raises IngestError for empty or binary input.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text16 = data.decode("utf-16").removeprefix("\ufeff")
            return text16.replace("\r\n", "\n").replace("\r", "\n"), "utf-16", []
        except UnicodeDecodeError as exc:
            raise IngestError(
                f"{name}: declares UTF-16 but is not valid UTF-16 ({exc.reason})."
            ) from exc
    if not data.strip():
        raise IngestError(f"{name}: the file is empty.")
    what = _looks_binary(data)
    if what is not None:
        raise IngestError(f"{name}: not a text document — it looks like {what}.")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
        warnings: list[str] = []
    except UnicodeDecodeError as exc:
        # The declared fallback: Windows-1252, the usual encoding of legacy
        # Western text; its five undefined bytes fall back to Latin-1.
        text = data.decode("cp1252", errors="replace")
        if "\ufffd" in text:
            text = data.decode("latin-1")
            encoding = "latin-1"
        else:
            encoding = "cp1252"
        warnings = [
            f"{name}: not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r}); "
            f"decoded as {encoding}."
        ]
    text = text.removeprefix("\ufeff")
    # Newlines: keep offsets stable on every OS by reading CRLF/CR as LF.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestError(f"{name}: the file is empty.")
    return text, encoding, warnings


def read_document(path: Path) -> RawDocument:
    """Read one document from disk. Raises IngestError with a message naming the file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path.name}: cannot be read ({exc.strerror or exc}).") from exc
    text, encoding, warnings = decode_bytes(data, path.name)
    return RawDocument(path, text, encoding, hashlib.sha256(data).hexdigest(), warnings)
