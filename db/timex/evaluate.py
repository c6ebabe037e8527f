"""Scoring the tagger — and dateparser's ``search_dates``, for comparison — on the gold set.

``python -m db.timex.evaluate`` prints span precision/recall, value accuracy
and throughput for both. The gold set (``tests/data/timex_gold.jsonl``) lists
regions of the corpus documents that were annotated exhaustively, then every
expression in them with its normalized value (see ``tests/data/timex_gold.md``).

Spans are scored two ways: *exact* (same offsets) and *overlap* (a prediction
overlapping a gold span, each gold expression matched once). Value accuracy is
over the gold expressions that were found (overlap); *end-to-end* value
accuracy counts missed expressions as wrong.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.timex import tag_document

if TYPE_CHECKING:
    from db.ingest.pipeline import ParsedDocument

ROOT = Path(__file__).resolve().parents[2]
GOLD_PATH = ROOT / "tests" / "data" / "timex_gold.jsonl"
CORPUS_DIR = ROOT / "resources" / "corpus"


@dataclass(frozen=True, slots=True)
class Region:
    doc: str
    start: int
    end: int
    held_out: bool = False  # annotated from the text alone, not from the tagger's output


@dataclass(frozen=True, slots=True)
class GoldExpr:
    doc: str
    start: int
    end: int
    text: str
    value: str | None
    julian: str | None = None


@dataclass(frozen=True, slots=True)
class Predicted:
    start: int
    end: int
    text: str
    value: str | None


@dataclass
class Scores:
    """Counts over the gold regions, and the ratios a table shows."""

    predicted: int = 0
    gold: int = 0
    exact: int = 0
    overlap_pred: int = 0
    overlap_gold: int = 0
    value_correct: int = 0
    errors: list[tuple[GoldExpr, Predicted | None]] = field(default_factory=list)

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return a / b if b else 0.0

    @property
    def precision(self) -> float:
        return self._ratio(self.overlap_pred, self.predicted)

    @property
    def recall(self) -> float:
        return self._ratio(self.overlap_gold, self.gold)

    @property
    def exact_precision(self) -> float:
        return self._ratio(self.exact, self.predicted)

    @property
    def exact_recall(self) -> float:
        return self._ratio(self.exact, self.gold)

    @property
    def value_accuracy(self) -> float:
        return self._ratio(self.value_correct, self.overlap_gold)

    @property
    def end_to_end(self) -> float:
        return self._ratio(self.value_correct, self.gold)


def load_gold(path: Path = GOLD_PATH) -> tuple[list[Region], list[GoldExpr]]:
    regions: list[Region] = []
    gold: list[GoldExpr] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        if "region" in rec:
            r = rec["region"]
            regions.append(Region(r["doc"], r["start"], r["end"], bool(r.get("held_out"))))
        else:
            gold.append(
                GoldExpr(
                    rec["doc"],
                    rec["start"],
                    rec["end"],
                    rec["text"],
                    rec["value"],
                    rec.get("julian"),
                )
            )
    return regions, gold


def load_corpus(corpus_dir: Path = CORPUS_DIR) -> dict[str, ParsedDocument]:
    """Each corpus document after ingest, by file-name prefix ('000' ... '004')."""
    from db.ingest import parse_document

    return {p.name[:3]: parse_document(p) for p in sorted(corpus_dir.glob("*.txt"))}


def relocate(gold: list[GoldExpr], docs: dict[str, ParsedDocument]) -> list[GoldExpr]:
    """Gold offsets, moved to the nearest occurrence of the text if ingest has shifted them."""
    out: list[GoldExpr] = []
    for g in gold:
        text = docs[g.doc].normalized
        if text[g.start : g.end] == g.text:
            out.append(g)
            continue
        hits = []
        pos = text.find(g.text)
        while pos >= 0:
            hits.append(pos)
            pos = text.find(g.text, pos + 1)
        if not hits:
            raise ValueError(f"gold expression {g.text!r} ({g.doc}:{g.start}) is not in the text")
        best = min(hits, key=lambda p: abs(p - g.start))
        out.append(GoldExpr(g.doc, best, best + len(g.text), g.text, g.value, g.julian))
    return out


def score(
    predictions: dict[str, list[Predicted]],
    regions: list[Region],
    gold: list[GoldExpr],
    same_value: Callable[[str | None, str | None], bool] = lambda p, g: p == g,
) -> Scores:
    """Span and value scores of ``predictions`` inside the gold regions."""
    s = Scores()

    def inside(doc: str, start: int) -> bool:
        return any(r.doc == doc and r.start <= start < r.end for r in regions)

    by_doc: dict[str, list[GoldExpr]] = {}
    for g in gold:
        by_doc.setdefault(g.doc, []).append(g)
    s.gold = len(gold)
    for doc, preds in predictions.items():
        preds = [p for p in preds if inside(doc, p.start)]
        golds = by_doc.get(doc, [])
        s.predicted += len(preds)
        used: set[int] = set()
        for p in preds:
            if any(p.start < g.end and g.start < p.end for g in golds):
                s.overlap_pred += 1
            if any(p.start == g.start and p.end == g.end for g in golds):
                s.exact += 1
        for g in golds:
            match = None
            for i, p in enumerate(preds):
                # overlapping and unused; prefer the prediction with the same start
                if (
                    i not in used
                    and p.start < g.end
                    and g.start < p.end
                    and (match is None or p.start == g.start)
                ):
                    match = i
            if match is None:
                s.errors.append((g, None))
                continue
            used.add(match)
            s.overlap_gold += 1
            if same_value(preds[match].value, g.value):
                s.value_correct += 1
            else:
                s.errors.append((g, preds[match]))
    return s


def held_out(regions: list[Region], gold: list[GoldExpr]) -> tuple[list[Region], list[GoldExpr]]:
    """Only the regions annotated from the text before the tagger was run on them."""
    kept = [r for r in regions if r.held_out]
    return kept, [
        g for g in gold if any(r.doc == g.doc and r.start <= g.start < r.end for r in kept)
    ]


def chronoscope_predictions(docs: dict[str, ParsedDocument]) -> dict[str, list[Predicted]]:
    return {
        name: [Predicted(t.start, t.end, t.text, t.value) for t in tag_document(doc)]
        for name, doc in docs.items()
    }


def _paragraph_texts(doc: ParsedDocument) -> Iterable[tuple[int, str]]:
    for p in doc.paragraphs:
        yield p.start, doc.normalized[p.start : p.end]


def dateparser_predictions(docs: dict[str, ParsedDocument]) -> dict[str, list[Predicted]]:
    """``search_dates`` paragraph by paragraph (it gives no offsets: found by searching)."""
    from dateparser.search import search_dates

    out: dict[str, list[Predicted]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, doc in docs.items():
            preds: list[Predicted] = []
            for base, para in _paragraph_texts(doc):
                found: list[tuple[str, datetime]] = search_dates(para, languages=["en"]) or []
                cursor = 0
                for surface, when in found:
                    pos = para.find(surface, cursor)
                    if pos < 0:
                        pos = para.find(surface)
                    if pos < 0:
                        continue
                    cursor = pos + len(surface)
                    preds.append(
                        Predicted(
                            base + pos, base + pos + len(surface), surface, when.date().isoformat()
                        )
                    )
            out[name] = preds
    return out


def loose_value_match(predicted: str | None, gold: str | None) -> bool:
    """A peer's single date against a gold value, at the gold value's own granularity.

    dateparser returns one full date for anything it finds; count it right when it
    agrees with the start of the gold value as far as the gold value goes (``1918``
    matches any day of 1918). Durations and unresolvable expressions cannot match.
    """
    if predicted is None or gold is None or gold.startswith(("P", "X")):
        return False
    start = gold.split("/")[0]
    return predicted[: len(start)] == start


def throughput(fn: Callable[[], Any], nbytes: int, min_seconds: float = 0.5) -> float:
    """MB of text per second: the best of repeated runs (at least one)."""
    best = float("inf")
    spent = 0.0
    while spent < min_seconds or best == float("inf"):
        t = time.perf_counter()
        fn()
        dt = time.perf_counter() - t
        spent += dt
        best = min(best, dt)
    return nbytes / best / 1e6


def corpus_bytes(docs: dict[str, ParsedDocument]) -> int:
    return sum(len(d.normalized.encode("utf-8")) for d in docs.values())


def table(rows: list[tuple[str, Scores, float | None]]) -> str:
    """The comparison table (Markdown)."""
    head = (
        "| tagger | span P | span R | exact P | exact R | value acc. | end-to-end | MB/s |\n"
        "|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for name, s, mbs in rows:
        speed = f"{mbs:.3f}" if mbs is not None else "–"
        lines.append(
            f"| {name} | {s.precision:.3f} | {s.recall:.3f} | {s.exact_precision:.3f} "
            f"| {s.exact_recall:.3f} | {s.value_accuracy:.3f} | {s.end_to_end:.3f} | {speed} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--gold", type=Path, default=GOLD_PATH)
    ap.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    ap.add_argument("--no-dateparser", action="store_true", help="score only our tagger")
    ap.add_argument("--errors", action="store_true", help="list our tagger's mistakes")
    args = ap.parse_args(argv)

    docs = load_corpus(args.corpus)
    regions, gold = load_gold(args.gold)
    gold = relocate(gold, docs)
    nbytes = corpus_bytes(docs)
    ours_preds = chronoscope_predictions(docs)
    ours = score(ours_preds, regions, gold)
    ours_speed = throughput(lambda: chronoscope_predictions(docs), nbytes)
    h_regions, h_gold = held_out(regions, gold)
    rows: list[tuple[str, Scores, float | None]] = [("chronoscope (db.timex)", ours, ours_speed)]
    dp_speed = None
    if not args.no_dateparser:
        t = time.perf_counter()
        dp_preds = dateparser_predictions(docs)
        dp_speed = nbytes / (time.perf_counter() - t) / 1e6
        rows.append(
            ("dateparser.search_dates", score(dp_preds, regions, gold, loose_value_match), dp_speed)
        )
    rows.append(("chronoscope, held-out regions", score(ours_preds, h_regions, h_gold), None))
    if not args.no_dateparser:
        rows.append(
            (
                "dateparser, held-out regions",
                score(dp_preds, h_regions, h_gold, loose_value_match),
                None,
            )
        )
    print(
        f"gold: {len(gold)} expressions in {len(regions)} regions "
        f"({len(h_gold)} in {len(h_regions)} held-out regions); corpus {nbytes / 1e3:.0f} kB"
    )
    print(table(rows))
    if dp_speed:
        print(f"speed: {ours_speed:.2f} MB/s vs {dp_speed:.3f} MB/s = {ours_speed / dp_speed:.0f}x")
    if args.errors:
        for g, p in ours.errors:
            got = "missed" if p is None else f"{p.text!r} = {p.value}"
            print(f"{g.doc}:{g.start} {g.text!r} gold={g.value} got {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
