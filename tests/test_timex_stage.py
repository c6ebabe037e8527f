"""The build stores every time expression with its passage, interval, anchor and readings."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_time_expressions_are_stored_complete(built_db: Path) -> None:
    (n,) = _rows(built_db, "SELECT count(*) FROM time_expression")[0]
    assert n > 400
    # every expression lies inside the passage it is linked to, in the same source
    assert not _rows(
        built_db,
        """SELECT t.id FROM time_expression t JOIN passage p ON p.id = t.passage_id
           WHERE t.start < p.start OR t."end" > p."end" OR t.source_id != p.source_id""",
    )
    # the stored text is the source's normalized text at those offsets
    assert not _rows(
        built_db,
        """SELECT t.id FROM time_expression t JOIN source s ON s.id = t.source_id
           WHERE substr(s.normalized_text, t.start + 1, t."end" - t.start) != t.text""",
    )
    assert not _rows(built_db, "SELECT id FROM time_expression WHERE earliest > latest")
    # durations: no interval; resolved dates: both ends
    assert not _rows(
        built_db,
        """SELECT id FROM time_expression WHERE (precision = 'duration') != (kind = 'duration')
           OR (kind = 'duration' AND earliest IS NOT NULL)
           OR ((earliest IS NULL) != (latest IS NULL))""",
    )
    # anchors point at another expression of the same source: an earlier one, or a
    # later one in the same paragraph (an undated paragraph opening anchored on its first date)
    assert not _rows(
        built_db,
        """SELECT t.id FROM time_expression t JOIN time_expression a ON a.id = t.anchor_id
           JOIN passage pt ON pt.id = t.passage_id JOIN passage pa ON pa.id = a.passage_id
           WHERE a.source_id != t.source_id OR a.start = t.start
              OR (a.start > t.start AND pa.paragraph_id != pt.paragraph_id)""",
    )
    anchored = _rows(built_db, "SELECT count(*) FROM time_expression WHERE anchor_id IS NOT NULL")
    assert anchored[0][0] > 100


def test_dual_dates_keep_the_julian_reading(built_db: Path) -> None:
    rows = _rows(
        built_db,
        "SELECT text, value, julian, calendar FROM time_expression WHERE kind = 'dual_calendar'",
    )
    by_text = {r[0]: r[1:] for r in rows}
    assert by_text["December 5 (old calendar: 18), 1917"] == ("1917-12-18", "December 5", "dual")
    assert by_text["January 30 (February 12)"] == ("1918-02-12", "January 30", "dual")
    assert by_text["January 22–25 (9–12)"] == ("1918-01-22/1918-01-25", "9–12", "dual")
