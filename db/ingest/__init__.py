"""Ingest: turn document files into parsed, normalized, segmented text."""

from db.ingest.pipeline import ParsedDocument, parse_bytes, parse_document, parse_text
from db.ingest.reader import IngestError

__all__ = ["IngestError", "ParsedDocument", "parse_bytes", "parse_document", "parse_text"]
