"""W3C Web Annotations (JSON-LD): events and entity mentions as annotations over the sources.

Each target carries a TextQuoteSelector (exact text with a little context) and
a TextPositionSelector (offsets into the normalized text), so another tool can
re-anchor it even if the text shifts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from db.export.data import ExportData
from db.files import write_text_atomically

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
BASE = "urn:chronoscope:"


def text_target(
    source_id: str, text: str, start: int, end: int, context: int = 32
) -> dict[str, Any]:
    """A Web Annotation target for text[start:end] of a source."""
    return {
        "source": f"{BASE}source:{source_id}",
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": text[start:end],
                "prefix": text[max(0, start - context) : start],
                "suffix": text[end : end + context],
            },
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }


def document(data: ExportData) -> dict[str, Any]:
    texts = {s.id: s.text for s in data.sources}
    items: list[dict[str, Any]] = []
    for ev in data.events:
        for n, x in enumerate(ev.evidence):
            items.append(
                {
                    "id": f"{BASE}annotation:event:{ev.id}:{n}",
                    "type": "Annotation",
                    "motivation": "describing",
                    "body": [
                        {
                            "type": "TextualBody",
                            "purpose": "describing",
                            "value": ev.title,
                            "format": "text/plain",
                        },
                        {"type": "TextualBody", "purpose": "tagging", "value": ev.kind},
                        {
                            "type": "SpecificResource",
                            "purpose": "identifying",
                            "source": f"{BASE}event:{ev.id}",
                        },
                    ],
                    "target": text_target(x.source, texts[x.source], x.start, x.end),
                }
            )
    for ent in data.involved:
        for n, m in enumerate(ent.mentions):
            if m.source not in texts:
                continue
            items.append(
                {
                    "id": f"{BASE}annotation:mention:{ent.id}:{n}",
                    "type": "Annotation",
                    "motivation": "identifying",
                    "body": {
                        "type": "SpecificResource",
                        "source": f"{BASE}entity:{ent.id}",
                        "purpose": "identifying",
                    },
                    "target": text_target(m.source, texts[m.source], m.start, m.end),
                }
            )
    return {
        "@context": CONTEXT,
        "id": f"{BASE}collection",
        "type": "AnnotationCollection",
        "label": "Chronoscope events and mentions",
        "total": len(items),
        "first": {
            "id": f"{BASE}collection:page1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


def write_webannotation(data: ExportData, out: Path) -> None:
    write_text_atomically(out, json.dumps(document(data), ensure_ascii=False, indent=1) + "\n")
