"""The source-text pane: one document at a time, plain text, with the selection's highlights."""

from desktop.source.pane import SourcePane

__all__ = ["SourcePane"]
