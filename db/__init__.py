"""Chronoscope's data layer: schema, ingest pipeline and query layer. Never imports Qt."""

__version__ = "0.1.0"
