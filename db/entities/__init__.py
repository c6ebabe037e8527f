"""Entities: the curated gazetteer, mention recognition and disambiguation,
infobox facts, and discovery of names the gazetteer does not know.

Pure Python (no Qt). The build stage is :mod:`db.entities.stage`; the curator
report is :mod:`db.entities.report`.
"""

from db.entities.gazetteer import Gazetteer, GazetteerEntity, GazetteerError, load_gazetteer
from db.entities.recognize import Found, Recognizer

__all__ = [
    "Found",
    "Gazetteer",
    "GazetteerEntity",
    "GazetteerError",
    "Recognizer",
    "load_gazetteer",
]
