"""The workspace database and the annotation service (no Qt)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from test_workspace_support import TEXT, bundled_engine, make_bundled

from db.workspace import (
    AnnotationService,
    ImportFormatError,
    effective_event,
    open_workspace,
    plan_merge,
    progress,
    rejected_events,
    review_status,
)
from db.workspace.exchange import (
    export_jsonld,
    parse_jsonld,
    read_import,
    write_jsonld,
    write_status_csv,
)
from db.workspace.service import Change, Edit, Row, parse_date
from db.workspace.store import Workspace, head_revision, make_engine, migrate


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    eng = bundled_engine(make_bundled(tmp_path_factory.mktemp("bundled") / "bundled.sqlite"))
    yield eng
    eng.dispose()


@pytest.fixture()
def ws(tmp_path: Path) -> Iterator[Workspace]:
    w = open_workspace(tmp_path / "data" / "workspace.sqlite")
    yield w
    w.close()


@pytest.fixture()
def svc(ws: Workspace, bundled: Engine) -> AnnotationService:
    return AnnotationService(ws, bundled, reviewer="ana")


def roundtrip(svc: AnnotationService, edit: Edit) -> tuple[list[Row], list[Row], list[Row]]:
    """Apply, undo, redo; the rows after each step."""
    applied = svc.apply(edit)
    after = svc.rows()
    svc.apply(applied.inverse)
    undone = svc.rows()
    svc.apply(edit)
    assert svc.rows() == after
    return after, undone, svc.rows()


def test_new_workspace_is_durable_and_current(ws: Workspace) -> None:
    with ws.engine.connect() as con:
        assert con.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert con.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    assert ws.revision() == head_revision()
    assert ws.notice is None
    assert ws.integrity_check() == "ok"


def test_status_with_reason_undo_redo(svc: AnnotationService) -> None:
    seen: list[Change] = []
    svc.subscribe(seen.append)
    after, undone, _ = roundtrip(svc, svc.set_status("march_days", "disputed", "dates differ"))
    assert undone == []
    st = review_status(svc.workspace, "march_days")
    assert (st.status, st.reason, st.reviewer) == ("disputed", "dates differ", "ana")
    assert seen[0].events == {"march_days"} and seen[0].review
    # A second status replaces the first in the same slot; undo brings the first back.
    applied = svc.apply(svc.set_status("march_days", "rejected", "duplicate"))
    assert [r.body["status"] for r in svc.rows(kind="status")] == ["rejected"]
    assert rejected_events(svc.workspace) == {"march_days"}
    svc.apply(applied.inverse)
    assert svc.rows() == after
    with pytest.raises(ValueError):
        svc.set_status("march_days", "maybe")


def test_corrections_change_the_effective_event(svc: AnnotationService, bundled: Engine) -> None:
    ws = svc.workspace
    for edit in (
        svc.correct("battle_of_baku", "title", "Battle of Baku (1918)"),
        svc.correct("battle_of_baku", "kind", "occupation"),
        svc.correct("battle_of_baku", "date", parse_date("1918-09-15")),
        svc.correct("battle_of_baku", "phase", "phase-2"),
    ):
        roundtrip(svc, edit)
    ev = effective_event(bundled, ws, "battle_of_baku")
    assert ev is not None
    assert (ev.title, ev.kind, ev.precision, ev.value, ev.phase_id) == (
        "Battle of Baku (1918)",
        "occupation",
        "day",
        "1918-09-15",
        "phase-2",
    )
    assert ev.earliest == ev.latest
    assert ev.corrected == {"title", "kind", "date", "phase"}
    svc.apply(svc.clear_correction("battle_of_baku", "title"))
    assert effective_event(bundled, ws, "battle_of_baku").title == "Battle of Baku"  # type: ignore[union-attr]
    with pytest.raises(ValueError):
        parse_date("30 March")
    assert parse_date("1918-03/1918-05").precision == "month"


def test_participants_and_places(svc: AnnotationService, bundled: Engine) -> None:
    ws = svc.workspace
    roundtrip(svc, svc.add_participant("shusha_fire", "army_of_islam", "agent"))
    roundtrip(svc, svc.remove_participant("march_days", "musavat", "target"))
    roundtrip(svc, svc.add_participant("shusha_fire", "baku", "place"))
    shusha = effective_event(bundled, ws, "shusha_fire")
    march = effective_event(bundled, ws, "march_days")
    assert shusha is not None and march is not None
    assert ("army_of_islam", "agent") in shusha.participants
    assert shusha.places == ("shusha", "baku")
    assert ("musavat", "target") not in march.participants
    # Adding back what was removed reuses the slot: one annotation, participant present again.
    svc.apply(svc.add_participant("march_days", "musavat", "target"))
    march = effective_event(bundled, ws, "march_days")
    assert march is not None and ("musavat", "target") in march.participants
    assert len(svc.rows(kind="participant", target_id="march_days")) == 1


def test_notes_plain_and_markdown_on_each_target(svc: AnnotationService, bundled: Engine) -> None:
    for target_type, target_id in (("event", "march_days"), ("entity", "baku"), ("passage", "2")):
        _, undone, _ = roundtrip(
            svc, svc.add_note(target_type, target_id, "**check** this", "markdown")
        )
    passage_note = svc.rows(kind="note", target_type="passage")[0]
    assert passage_note.selector is not None and passage_note.selector["exact"].startswith(
        "The Armenian"
    )
    note = svc.rows(kind="note", target_type="event")[0]
    roundtrip(svc, svc.edit_note(note.id, "plain now", "plain"))
    ev = effective_event(bundled, svc.workspace, "march_days")
    assert ev is not None and [(n.text, n.format) for n in ev.notes] == [("plain now", "plain")]
    after, undone, _ = roundtrip(svc, svc.delete_note(note.id))
    assert note.id in {r.id for r in undone} and note.id not in {r.id for r in after}


def test_tags(svc: AnnotationService, bundled: Engine) -> None:
    roundtrip(svc, svc.add_tag("event", "march_days", "Baku"))
    svc.apply(svc.add_tag("event", "march_days", "baku"))  # same tag, other case: still one
    ev = effective_event(bundled, svc.workspace, "march_days")
    assert ev is not None and ev.tags == ("baku",)
    roundtrip(svc, svc.remove_tag("event", "march_days", "BAKU"))
    ev = effective_event(bundled, svc.workspace, "march_days")
    assert ev is not None and ev.tags == ()


def test_new_event_from_selection_suggests_date_and_participants(
    svc: AnnotationService, bundled: Engine
) -> None:
    start = TEXT.index("In September 1918")
    end = TEXT.index("took Baku.") + len("took Baku.")
    edit = svc.new_event_from_selection("s1", start - 1, end)  # leading space is trimmed
    after, undone, _ = roundtrip(svc, edit)
    assert undone == []
    new = after[0]
    ev = effective_event(bundled, svc.workspace, new.target_id)
    assert ev is not None and ev.origin == "user"
    assert ev.value == "1918-09" and ev.precision == "month"
    assert ("army_of_islam", "participant") in ev.participants and (
        "baku",
        "place",
    ) in ev.participants
    assert ev.evidence[0].text == TEXT[start:end]
    assert str(progress(bundled, svc.workspace)) == "reviewed 0 of 4"
    svc.apply(svc.set_status(new.target_id, "confirmed"))
    assert str(progress(bundled, svc.workspace)) == "reviewed 1 of 4"
    with pytest.raises(ValueError):
        svc.new_event_from_selection("s1", 5, 5)


def test_undated_selection_takes_the_taggers_narrative_date(svc: AnnotationService) -> None:
    start = TEXT.index("Later the Bolsheviks")
    sug = svc.suggest_event("s1", start, len(TEXT))
    assert sug["date"]["value"] == "1920-03" and sug["date"]["inferred"] is True
    assert sug["participants"] == [
        {"entity": "bolsheviks", "role": "participant"},
        {"entity": "baku", "role": "place"},
    ]


def test_link_evidence_and_history(svc: AnnotationService, bundled: Engine) -> None:
    start = TEXT.index("Later the Bolsheviks")
    roundtrip(svc, svc.link_evidence("march_days", "s1", start, len(TEXT)))
    ev = effective_event(bundled, svc.workspace, "march_days")
    assert ev is not None and len(ev.evidence) == 2 and ev.evidence[1].annotation_id is not None
    link = svc.rows(kind="evidence")[0]
    assert link.body["passage"] == 5
    roundtrip(svc, svc.unlink_evidence(link.id))
    history = svc.history("event", "march_days")
    # link, undo, redo, unlink, undo, redo: every step is in the event's history.
    assert len(history) == 6 and all(h.reviewer == "ana" for h in history)
    assert history[0].before is None and history[0].after is not None


def test_reanchoring_after_a_corpus_update(svc: AnnotationService, tmp_path: Path) -> None:
    start = TEXT.index("Shusha burned")
    svc.apply(svc.link_evidence("battle_of_baku", "s1", start, start + len("Shusha burned")))
    gone = TEXT.index("Later the Bolsheviks")
    svc.apply(
        svc.link_evidence("march_days", "s1", gone, gone + len("Later the Bolsheviks returned"))
    )
    svc.apply(svc.set_status("vanished_event", "confirmed"))
    # A new build: text inserted before, one sentence reworded.
    new_text = "Preface added. " + TEXT.replace(
        "Later the Bolsheviks returned", "Soviet power came back"
    )
    updated = bundled_engine(make_bundled(tmp_path / "updated.sqlite", new_text))
    assert svc.reanchor_if_needed() == [
        svc.rows(kind="status")[0]
    ]  # first check: the unknown event
    assert svc.reanchor_if_needed() is None  # same build: nothing to do
    svc.engine = updated
    lost = svc.reanchor_if_needed()
    assert lost is not None
    moved = svc.rows(kind="evidence", target_id="battle_of_baku")[0]
    assert (
        moved.anchor == "moved"
        and new_text[moved.selector["start"] : moved.selector["end"]] == "Shusha burned"
    )  # type: ignore[index]
    assert {r.target_id for r in lost} == {"march_days", "vanished_event"}
    assert len(svc.rows()) == 3  # nothing dropped
    updated.dispose()


def test_export_import_round_trip(svc: AnnotationService, bundled: Engine, tmp_path: Path) -> None:
    svc.apply(svc.set_status("march_days", "confirmed", "three sources agree"))
    svc.apply(svc.correct("shusha_fire", "date", "1920-03-23"))
    svc.apply(svc.add_note("entity", "baku", "# Capital\nof *Azerbaijan*", "markdown"))
    svc.apply(svc.add_tag("event", "march_days", "key"))
    svc.apply(svc.add_participant("march_days", "army_of_islam", "agent"))
    svc.apply(svc.new_event_from_selection("s1", 0, 16))
    svc.apply(svc.link_evidence("march_days", "s1", 0, 16))
    out = tmp_path / "export.jsonld"
    assert write_jsonld(svc, out) == 7
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "AnnotationCollection"
    selectors = [
        a["target"]["selector"] for a in doc["first"]["items"] if "selector" in a["target"]
    ]
    assert {s["type"] for sel in selectors for s in sel} == {
        "TextQuoteSelector",
        "TextPositionSelector",
    }

    other_ws = open_workspace(tmp_path / "other" / "workspace.sqlite")
    other = AnnotationService(other_ws, bundled, reviewer="ben")
    plan = plan_merge(other, read_import(out, other))
    assert (plan.added, plan.conflicts) == (7, ())
    other.apply(plan.edit)
    assert other.rows() == svc.rows()
    # Importing the same file again changes nothing.
    again = plan_merge(other, read_import(out, other))
    assert (again.added, again.unchanged) == (0, 7)
    other_ws.close()

    csv_out = tmp_path / "statuses.csv"
    assert write_status_csv(bundled, svc, csv_out) == 1
    assert (
        csv_out.read_text(encoding="utf-8")
        .splitlines()[1]
        .startswith("march_days,March Days,confirmed,three sources agree,ana,")
    )


def test_merge_lists_conflicts_and_keeps_ours(
    svc: AnnotationService, bundled: Engine, tmp_path: Path
) -> None:
    other_ws = open_workspace(tmp_path / "ben" / "workspace.sqlite")
    ben = AnnotationService(other_ws, bundled, reviewer="ben")
    ben.apply(ben.set_status("march_days", "rejected", "no such event"))
    ben.apply(ben.set_status("battle_of_baku", "confirmed"))
    ben.apply(ben.add_note("event", "march_days", "ben's note"))
    write_jsonld(ben, tmp_path / "ben.jsonld")
    other_ws.close()

    svc.apply(svc.set_status("march_days", "confirmed", "well attested"))
    plan = plan_merge(svc, read_import(tmp_path / "ben.jsonld", svc))
    assert plan.added == 2 and len(plan.conflicts) == 1
    conflict = plan.conflicts[0]
    assert conflict.target == "event:march_days"
    assert (conflict.ours.body["status"], conflict.theirs.body["status"]) == (
        "confirmed",
        "rejected",
    )
    applied = svc.apply(plan.edit)
    assert review_status(svc.workspace, "march_days").status == "confirmed"
    assert review_status(svc.workspace, "battle_of_baku").reviewer == "ben"
    svc.apply(svc.resolve(conflict.theirs))
    assert review_status(svc.workspace, "march_days").status == "rejected"
    assert "merge" not in applied.change.label


MALFORMED = {
    "truncated JSON": lambda good: good[: len(good) // 2],
    "wrong format": lambda _good: json.dumps(
        {"format": "chronoscope", "version": 1, "events": []}
    ).encode(),
    "wrong JSON-LD type": lambda good: good.replace(
        b'"type": "AnnotationCollection"', b'"type": "Collection"', 1
    ),
    "binary": lambda _good: bytes(range(256)) * 4,
    "not UTF-8": lambda _good: "é".encode("latin-1") * 10,
    "empty": lambda _good: b"",
    "bad annotation": lambda good: good.replace(b'"kind": "status"', b'"kind": "verdict"', 1),
    "items missing": lambda good: good.replace(b'"total": 2', b'"total": 5', 1),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_import_changes_nothing_and_says_why(
    case: str, svc: AnnotationService, tmp_path: Path
) -> None:
    svc.apply(svc.set_status("march_days", "confirmed"))
    svc.apply(svc.add_note("event", "march_days", "mine"))
    good = json.dumps(export_jsonld(svc), indent=1).encode()
    before = svc.rows()
    bad = tmp_path / "bad.jsonld"
    bad.write_bytes(MALFORMED[case](good))
    with pytest.raises(ImportFormatError) as err:
        read_import(bad, svc)
    assert str(err.value)
    assert svc.rows() == before
    expected = {
        "truncated JSON": "truncated",
        "wrong format": "Chronoscope data export",
        "wrong JSON-LD type": "Wrong JSON-LD type",
        "binary": "binary",
        "not UTF-8": "UTF-8",
        "empty": "empty",
        "bad annotation": "annotation 1",
        "items missing": "incomplete",
    }[case]
    assert expected in str(err.value)


def test_parse_accepts_a_single_annotation(svc: AnnotationService) -> None:
    svc.apply(svc.set_status("march_days", "confirmed"))
    item = export_jsonld(svc)["first"]["items"][0]
    item["@context"] = "http://www.w3.org/ns/anno.jsonld"
    assert len(parse_jsonld(json.dumps(item).encode())) == 1


def test_corrupt_workspace_is_moved_aside_and_a_fresh_one_starts(tmp_path: Path) -> None:
    path = tmp_path / "workspace.sqlite"
    w = open_workspace(path)
    svc = AnnotationService(w, reviewer="ana")
    svc.apply(svc.set_status("march_days", "confirmed"))
    w.close()
    raw = bytearray(path.read_bytes())
    raw[100:4096] = b"\xde\xad" * ((4096 - 100) // 2)  # wreck the first page after the header
    path.write_bytes(bytes(raw))
    w2 = open_workspace(path)
    assert w2.notice is not None and "kept as" in w2.notice
    assert w2.moved_aside is not None and w2.moved_aside.read_bytes() == bytes(raw)
    assert AnnotationService(w2).rows() == []
    assert w2.integrity_check() == "ok"
    w2.close()
    # Not a database at all, and a database of something else: also kept, not overwritten.
    for content in (b"hello, not sqlite" * 100,):
        path.write_bytes(content)
        w3 = open_workspace(path)
        assert w3.moved_aside is not None and w3.moved_aside.read_bytes() == content
        w3.close()
    path.unlink()
    path.with_name("workspace.sqlite-wal").unlink(missing_ok=True)
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE other (x)")
    con.commit()
    con.close()
    w4 = open_workspace(path)
    assert w4.notice is not None and "not a Chronoscope workspace" in w4.notice
    w4.close()


def test_rolling_backups_and_restore(tmp_path: Path) -> None:
    path = tmp_path / "workspace.sqlite"
    w = open_workspace(path, keep=5)
    svc = AnnotationService(w, reviewer="ana", backup_every=1)
    for status in (
        "confirmed",
        "disputed",
        "rejected",
        "confirmed",
        "disputed",
        "rejected",
        "confirmed",
    ):
        svc.apply(svc.set_status("march_days", status))
    backups = w.backups()
    assert len(backups) == 5
    # The oldest kept backup was taken after the third action ("rejected").
    oldest = backups[-1]
    saved = w.restore(oldest)
    assert review_status(w, "march_days").status == "rejected"
    assert saved in w.backups()
    assert w.integrity_check() == "ok"
    w.close()


def test_migration_from_the_first_schema_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "workspace.sqlite"
    eng = make_engine(path)
    migrate(eng, "0001")
    con = sqlite3.connect(path)
    row = "INSERT INTO annotation (id, kind, target_type, target_id, key, body, selector, anchor, reviewer, created, modified) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
    con.execute(
        row,
        (
            "urn:uuid:1",
            "note",
            "event",
            "march_days",
            "urn:uuid:1",
            json.dumps({"text": "*old*", "markdown": True}),
            None,
            "anchored",
            "ana",
            "2020-01-01T00:00:00Z",
            "2020-01-01T00:00:00Z",
        ),
    )
    con.execute(
        row,
        (
            "urn:uuid:2",
            "note",
            "entity",
            "baku",
            "urn:uuid:2",
            json.dumps({"text": "plain", "markdown": False}),
            None,
            "anchored",
            "ana",
            "2020-01-02T00:00:00Z",
            "2020-01-02T00:00:00Z",
        ),
    )
    con.execute(
        row,
        (
            "urn:uuid:3",
            "status",
            "event",
            "march_days",
            "",
            json.dumps({"status": "confirmed", "reason": "r"}),
            None,
            "anchored",
            "ana",
            "2020-01-03T00:00:00Z",
            "2020-01-03T00:00:00Z",
        ),
    )
    con.commit()
    con.close()
    eng.dispose()

    w = open_workspace(path)
    assert w.revision() == head_revision() != "0001"
    assert len(w.backups()) == 1  # the pre-migration state was backed up
    rows = {r.id: r for r in AnnotationService(w).rows()}
    assert (rows["urn:uuid:1"].format, rows["urn:uuid:1"].body) == ("markdown", {"text": "*old*"})
    assert (rows["urn:uuid:2"].format, rows["urn:uuid:2"].body) == ("plain", {"text": "plain"})
    assert rows["urn:uuid:3"].body == {"status": "confirmed", "reason": "r"}
    assert review_status(w, "march_days").status == "confirmed"
    w.close()


def test_status_csv_imports_and_a_bad_csv_changes_nothing(
    svc: AnnotationService, bundled: Engine, tmp_path: Path
) -> None:
    svc.apply(svc.set_status("march_days", "confirmed", "ok"))
    svc.apply(svc.set_status("battle_of_baku", "disputed", "date?"))
    out = tmp_path / "statuses.csv"
    write_status_csv(bundled, svc, out)
    other_ws = open_workspace(tmp_path / "csv" / "workspace.sqlite")
    other = AnnotationService(other_ws, bundled, reviewer="ben")
    other.apply(other.set_status("march_days", "rejected"))
    plan = plan_merge(other, read_import(out, other))
    assert plan.added == 1 and len(plan.conflicts) == 1
    other.apply(plan.edit)
    assert review_status(other_ws, "battle_of_baku").reviewer == "ana"
    bad = tmp_path / "bad.csv"
    bad.write_text("id,verdict\nmarch_days,yes\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="Not a review status CSV"):
        read_import(bad, other)
    bad.write_text(out.read_text(encoding="utf-8").replace("disputed", "maybe"), encoding="utf-8")
    with pytest.raises(ImportFormatError, match="line 2: unknown review status 'maybe'"):
        read_import(bad, other)
    other_ws.close()


def test_known_revisions_match_the_migration_scripts():
    """REVISIONS (read at every start, without alembic) must list the scripts' revisions."""
    from db.workspace.store import REVISIONS, script_revisions

    revisions, head = script_revisions()
    assert sorted(revisions) == list(REVISIONS) and head == REVISIONS[-1]
