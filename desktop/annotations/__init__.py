"""Reviewer annotations in the GUI: undoable commands, the controller with its actions,
the review panel and the text-selection tracker. The data side is ``db.workspace``."""

from __future__ import annotations

from desktop.annotations.controller import AnnotationController
from desktop.annotations.selection import TextSelectionTracker

__all__ = ["AnnotationController", "TextSelectionTracker"]
