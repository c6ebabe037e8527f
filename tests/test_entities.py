"""Entities: gazetteer validity, recognition rules, disambiguation, infobox facts,
unknown-name discovery, and precision/recall on the hand-checked sample."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from db.entities import Recognizer, load_gazetteer
from db.entities.discover import load_stoplist, parse_stoplist
from db.entities.gazetteer import GazetteerError, gazetteer_path, parse_gazetteer
from db.entities.infobox import infobox_facts
from db.entities.stage import section_starts

SAMPLE = Path(__file__).parent / "data" / "mentions_sample.json"


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return Recognizer(load_gazetteer())


def found(recognizer: Recognizer, text: str) -> list[tuple[str, str]]:
    return [(text[f.start : f.end], f.entity_id) for f in recognizer.find(text)]


# --- the gazetteer file -------------------------------------------------------


def test_gazetteer_file_is_valid_sorted_and_complete() -> None:
    raw = yaml.safe_load(gazetteer_path().read_text(encoding="utf-8"))
    gaz = parse_gazetteer(raw)  # raises on any rule broken
    ids = [e.id for e in gaz.entities]
    assert ids == sorted(ids)
    assert len(ids) == len(set(ids))
    assert len(ids) >= 400
    for e in gaz.entities:
        if e.type == "place":
            assert e.lat is not None and e.lon is not None, e.id
            assert -90 <= e.lat <= 90 and -180 <= e.lon <= 180, e.id
            assert e.coord_approx is True, e.id
        else:
            assert e.lat is None and e.lon is None, e.id
        assert e.description, e.id


@pytest.mark.parametrize(
    "entries, message",
    [
        ([{"id": "b", "type": "person", "name": "B", "aliases": ["B"]}] * 2, "duplicate"),
        (
            [
                {"id": "b", "type": "person", "name": "B", "aliases": ["B"]},
                {"id": "a", "type": "person", "name": "A", "aliases": ["A"]},
            ],
            "sorted",
        ),
        (
            [
                {"id": "a", "type": "person", "name": "A", "aliases": ["Same"]},
                {"id": "b", "type": "person", "name": "B", "aliases": ["Same"]},
            ],
            "shared",
        ),
        (
            [
                {
                    "id": "a",
                    "type": "place",
                    "name": "A",
                    "aliases": ["A"],
                    "coords": {"lat": 95, "lon": 0},
                }
            ],
            "range",
        ),
        ([{"id": "a", "type": "place", "name": "A", "aliases": ["A"]}], "coords"),
        ([{"id": "a", "type": "city", "name": "A", "aliases": ["A"]}], "type"),
    ],
)
def test_gazetteer_validation_rejects(entries: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(GazetteerError, match=message):
        parse_gazetteer({"entities": entries})


def test_shared_spelling_must_be_marked_ambiguous_by_every_owner() -> None:
    ok = [
        {"id": "a", "type": "person", "name": "A X", "aliases": ["A X"], "ambiguous": ["X"]},
        {"id": "b", "type": "person", "name": "B X", "aliases": ["B X"], "ambiguous": ["X"]},
    ]
    parse_gazetteer({"entities": ok})
    lone = [{"id": "a", "type": "person", "name": "A", "aliases": ["A"], "ambiguous": ["X"]}]
    with pytest.raises(GazetteerError, match="ambiguous"):
        parse_gazetteer({"entities": lone})


def test_stoplist_is_valid_and_every_group_has_a_reason() -> None:
    stop = load_stoplist()
    assert stop.words and stop.phrases and "General" in stop.titles
    assert all(reason.strip() for reason in [*stop.words.values(), *stop.phrases.values()])
    with pytest.raises(ValueError, match="reason"):
        parse_stoplist({"groups": [{"entries": ["X"]}]})


# --- recognition rules ---------------------------------------------------------


def test_every_alias_resolves_to_its_entity_in_a_sentence(recognizer: Recognizer) -> None:
    gaz = load_gazetteer()
    failures = []
    for e in gaz.entities:
        for alias in e.aliases + e.adjectives:
            text = f"Reports said that {alias} was there."
            got = found(recognizer, text)
            if got != [(alias, e.id)]:
                failures.append((e.id, alias, got))
    assert not failures, failures[:20]


def test_every_ambiguous_spelling_resolves_to_the_person_named_before_it(
    recognizer: Recognizer,
) -> None:
    gaz = load_gazetteer()
    failures = []
    for e in gaz.entities:
        for amb in e.ambiguous:
            text = f"{e.aliases[0]} arrived in the morning. Later that day {amb} left."
            got = found(recognizer, text)
            if got[-1] != (amb, e.id):
                failures.append((e.id, amb, got))
    assert not failures, failures


@pytest.mark.parametrize(
    "text, expected",
    [
        # Every spelling of Nakhchivan is one entity.
        (
            "Nakhchivan, Nakhichevan, Naxcivan and Nakhichevan’ are one town.",
            [
                ("Nakhchivan", "nakhchivan"),
                ("Nakhichevan", "nakhchivan"),
                ("Naxcivan", "nakhchivan"),
                ("Nakhichevan’", "nakhchivan"),
            ],
        ),
        ("Andranik pulled back his units.", [("Andranik", "andranik-ozanian")]),
        ("Since Dro had been ordered not to engage.", [("Dro", "drastamat-kanayan")]),
        ("By Gen. Thomson's order.", [("Gen. Thomson", "william-thomson")]),
        (
            "Alexandropol, Aleksandropol’ and Leninakan.",
            [
                ("Alexandropol", "alexandropol"),
                ("Aleksandropol’", "alexandropol"),
                ("Leninakan", "alexandropol"),
            ],
        ),
        (
            "Elizavetpol, Yelizavetpol and Ganja.",
            [("Elizavetpol", "ganja"), ("Yelizavetpol", "ganja"), ("Ganja", "ganja")],
        ),
        (
            "Erivan, Yerevan and Iravan.",
            [("Erivan", "yerevan"), ("Yerevan", "yerevan"), ("Iravan", "yerevan")],
        ),
        ("The Baku Commune fell.", [("Baku Commune", "baku-commune")]),
        ("The 11th Red Army advanced.", [("11th Red Army", "11th-red-army")]),
        ("The Red Army advanced.", [("Red Army", "red-army")]),
        (
            "Kazm Karabekir and Kâzım Karabekir.",
            [("Kazm Karabekir", "kazim-karabekir")] * 1 + [("Kâzım Karabekir", "kazim-karabekir")],
        ),
        (
            "Halil Pasha met Halil Bey.",
            [("Halil Pasha", "halil-pasha"), ("Halil Bey", "halil-bey")],
        ),
        (
            "Khalil Pasha and Khalil Bey.",
            [("Khalil Pasha", "halil-pasha"), ("Khalil Bey", "halil-bey")],
        ),
        # Possessives, with the apostrophe and as document 002 has them (stripped).
        ("Andranik's forces and Andraniks forces.", [("Andranik", "andranik-ozanian")] * 2),
        ("Dros detachment.", [("Dro", "drastamat-kanayan")]),
        ("Nakhchivan's status.", [("Nakhchivan", "nakhchivan")]),
    ],
)
def test_issue_examples(recognizer: Recognizer, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(recognizer, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Karsten and Bakunin met Droplet and Ganjaev.",
        "The drone flew over the Armenianist archive.",
        "baku and dro in lower case are not names.",
        "Unkarsable words: preBaku, Shushaland, Georgiana.",
        "anti-Armenian and pro-Russian sentiment.",
    ],
)
def test_no_match_inside_a_longer_word_or_in_lower_case(recognizer: Recognizer, text: str) -> None:
    assert found(recognizer, text) == []


def test_ascii_stripped_spellings_resolve_like_document_002(recognizer: Recognizer) -> None:
    # Document 002 lost every non-ASCII character: "Kazm Karabekir" for "Kazım".
    assert found(recognizer, "Kazm Karabekir and Muzaffer Kl left.") == [
        ("Kazm Karabekir", "kazim-karabekir"),
        ("Muzaffer Kl", "muzaffer-kilic"),
    ]
    assert found(recognizer, "The Muzaffer Kilic group.") == [("Muzaffer Kilic", "muzaffer-kilic")]


def test_fast_scan_chooses_exactly_as_the_exhaustive_one(
    recognizer: Recognizer, parsed_corpus: dict[str, Any]
) -> None:
    """The automaton's leftmost-longest scan plus the window fallback must choose what
    scoring every boundary-valid match would."""
    texts = [doc.normalized for doc in parsed_corpus.values()]
    texts += [
        "anti-Soviet Russia and anti-Soviet Russian troops near Baku.",
        "Armeniansto Bakunin met Soviet Russians; pro-Baku Commune men.",
        "XBaku Commune, Andraniks and Dros men, Nakhichevan’s status.",
    ]
    for text in texts:
        assert recognizer.spans(text) == recognizer._spans_exact(text)


def test_adjectives_are_actors_only_before_an_actor_noun(recognizer: Recognizer) -> None:
    def flags(text: str) -> list[tuple[str, str, bool]]:
        return [(text[f.start : f.end], f.entity_id, f.participant) for f in recognizer.find(text)]

    assert flags("Armenian troops took the town.") == [("Armenian", "armenia", True)]
    assert flags("They burned Armenian villages.") == [("Armenian", "armenia", False)]
    assert flags("Armenian and Azerbaijani forces clashed.") == [
        ("Armenian", "armenia", True),
        ("Azerbaijani", "azerbaijan", True),
    ]
    assert flags("The Armenian–Azerbaijani war began.") == [
        ("Armenian", "armenia", True),
        ("Azerbaijani", "azerbaijan", True),
    ]
    assert flags("It was ordered by the British to leave.") == [("British", "united-kingdom", True)]
    assert flags("The Armenians fled.") == [("Armenians", "armenians", True)]


def test_bare_surname_resolves_by_context(recognizer: Recognizer) -> None:
    text = (
        "Hamid Sultanov joined the Revolutionary Committee. Sultanov presented an ultimatum.\n"
        "Khosrov bey Sultanov was governor of Karabakh. Sultanov ordered attacks."
    )
    got = [(f.entity_id, f.method) for f in recognizer.find(text, [text.index("Khosrov")])]
    assert got[1] == ("hamid-sultanov", "context")
    assert got[-1] == ("khosrov-bey-sultanov", "context")
    # With no full name before it, the context words of the passage decide.
    alone = "The Revolutionary Committee met and Sultanov presented an ultimatum to the Parliament."
    assert [
        f.entity_id for f in recognizer.find(alone) if alone[f.start : f.end] == "Sultanov"
    ] == ["hamid-sultanov"]


def test_sultanov_and_halil_resolve_by_context_in_the_corpus(
    recognizer: Recognizer, parsed_corpus: dict[str, Any]
) -> None:
    def bare(key: str, spelling: str) -> list[str]:
        doc = parsed_corpus[key]
        t = doc.normalized
        return [
            f.entity_id
            for f in recognizer.find(t, section_starts(doc))
            if t[f.start : f.end] == spelling
        ]

    # 004: the Revolutionary Committee's Hamid Sultanov; 001: Karabakh's Khosrov bey.
    assert bare("004", "Sultanov") == ["hamid-sultanov"]
    assert bare("001", "Sultanov") == ["khosrov-bey-sultanov"]
    in_002 = bare("002", "Sultanov")
    assert in_002 and set(in_002) <= {"khosrov-bey-sultanov", "sultan-bey-sultanov"}
    assert in_002.count("khosrov-bey-sultanov") > len(in_002) / 2
    assert bare("004", "Halil Pasha") == ["halil-pasha"]
    assert set(bare("002", "Khalil Bey")) == {"halil-bey"}
    assert set(bare("002", "Khalil Pasha")) == {"halil-pasha"}


# --- infobox roles -------------------------------------------------------------


def test_infobox_facts_give_sides_of_both_conflicts(
    recognizer: Recognizer, parsed_corpus: dict[str, Any]
) -> None:
    war = infobox_facts(parsed_corpus["001"].infobox, recognizer)
    by = {(f.side, f.role, f.entity_id) for f in war}
    assert {f.conflict for f in war} == {"Armenian–Azerbaijani war"}
    assert (1, "combatant", "armenia") in by
    assert (2, "combatant", "azerbaijan") in by
    assert (2, "combatant", "ottoman-empire") in by
    assert (3, "combatant", "soviet-russia") in by
    assert (1, "commander", "andranik-ozanian") in by
    assert (1, "commander", "drastamat-kanayan") in by
    assert (2, "commander", "khosrov-bey-sultanov") in by
    assert (3, "commander", "anatoliy-gekker") in by
    assert any(f.role == "strength" and f.side == 1 and "60,000" in f.text for f in war)

    invasion = infobox_facts(parsed_corpus["004"].infobox, recognizer)
    commanders1 = [f.entity_id for f in invasion if f.role == "commander" and f.side == 1]
    assert commanders1 == [
        "mikhail-levandovsky",
        "mikhail-yefremov",
        "anastas-mikoyan",
        "gazanfar-musabekov",
        "nariman-narimanov",
        "chingiz-ildyrym",
    ]
    assert {(f.side, f.entity_id) for f in invasion if f.role == "combatant"} == {
        (1, "azerbaijani-bolsheviks"),
        (2, "azerbaijan"),
    }
    assert all(f.entity_id for f in war + invasion if f.role in ("combatant", "commander"))


# --- precision and recall on the hand-checked sample -----------------------------


def _match(gold: list[list[Any]], pred: list[list[Any]]) -> int:
    """One-to-one matches: same entity and overlapping span (a title may be in or out)."""
    used: set[int] = set()
    hits = 0
    for gs, ge, _gt, gid, _gp in gold:
        for i, (ps, pe, _pt, pid, _pp) in enumerate(pred):
            if i not in used and pid == gid and ps < ge and gs < pe:
                used.add(i)
                hits += 1
                break
    return hits


def _anchor(text: str, passage: str, hint: int) -> int:
    """Where the sample passage is in today's normalized text (nearest occurrence to
    where it was when checked), so a change in ingest offsets does not void the sample."""
    spots = []
    i = text.find(passage)
    while i >= 0:
        spots.append(i)
        i = text.find(passage, i + 1)
    assert spots, f"sample passage no longer in the corpus: {passage[:60]!r}"
    return min(spots, key=lambda s: abs(s - hint))


def test_precision_and_recall_on_the_hand_checked_sample(
    recognizer: Recognizer, parsed_corpus: dict[str, Any]
) -> None:
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))["passages"]
    predictions: dict[str, list[list[Any]]] = {}
    for key in sorted({p["doc"] for p in sample}):
        doc = parsed_corpus[key]
        t = doc.normalized
        predictions[key] = [
            [f.start, f.end, t[f.start : f.end], f.entity_id, int(f.participant)]
            for f in recognizer.find(t, section_starts(doc))
        ]
    n_gold = n_pred = hits = 0
    n_names = name_hits = n_name_pred = 0
    flag_agree = flag_total = 0
    blind = [0, 0, 0]  # gold, predicted, matched in the blind set
    for p in sample:
        start = _anchor(parsed_corpus[p["doc"]].normalized, p["text"], p["at"])
        end = start + len(p["text"])
        gold = [[start + s, start + e, t, eid, part] for s, e, t, eid, part in p["mentions"]]
        pred = [m for m in predictions[p["doc"]] if start <= m[0] < end]
        n_gold, n_pred = n_gold + len(gold), n_pred + len(pred)
        matched = _match(gold, pred)
        hits += matched
        if p["set"] == "blind":
            blind = [blind[0] + len(gold), blind[1] + len(pred), blind[2] + matched]
        # The same figures without adjective uses (names only).
        gold_names = [m for m in gold if m[4]]
        pred_names = [m for m in pred if m[4]]
        n_names, n_name_pred = n_names + len(gold_names), n_name_pred + len(pred_names)
        name_hits += _match(gold_names, pred_names)
        for g in gold:
            for m in pred:
                if m[:4] == g[:4]:
                    flag_total += 1
                    flag_agree += m[4] == g[4]
    precision, recall = hits / n_pred, hits / n_gold
    print(
        f"\nentity mentions, hand-checked sample ({len(sample)} passages, {n_gold} mentions): "
        f"precision {precision:.3f}, recall {recall:.3f}"
    )
    print(
        f"participants only ({n_names} gold): precision {name_hits / n_name_pred:.3f}, "
        f"recall {name_hits / n_names:.3f}; participant flag agrees on "
        f"{flag_agree}/{flag_total} exact matches"
    )
    print(
        f"blind set ({blind[0]} mentions annotated before looking at the output): "
        f"precision {blind[2] / blind[1]:.3f}, recall {blind[2] / blind[0]:.3f}"
    )
    assert n_gold >= 300
    assert blind[0] >= 100
    assert {p["doc"] for p in sample} == {"000", "001", "002", "003", "004"}
    assert precision >= 0.95
    assert recall >= 0.95


# --- the build stage and the curator report -------------------------------------


def test_build_stores_entities_mentions_counts_and_facts(engine: Any) -> None:
    from sqlalchemy import text

    gaz = load_gazetteer()
    with engine.connect() as c:
        curated = c.execute(text("SELECT count(*) FROM entity WHERE curated")).scalar_one()
        assert curated == len(gaz.entities)
        aliases = c.execute(text("SELECT count(*) FROM alias")).scalar_one()
        assert aliases >= sum(len(e.aliases) for e in gaz.entities)
        # Counts match the mention table; sources also count infobox facts.
        bad = c.execute(
            text(
                "SELECT e.id FROM entity e LEFT JOIN mention m ON m.entity_id = e.id "
                "GROUP BY e.id HAVING e.mention_count != count(m.id) OR e.source_count != "
                "(SELECT count(*) FROM (SELECT source_id FROM mention WHERE entity_id = e.id "
                "UNION SELECT source_id FROM fact WHERE entity_id = e.id))"
            )
        ).all()
        assert bad == []
        cevat = c.execute(
            text("SELECT mention_count, source_count FROM entity WHERE id = 'cevat-pasha'")
        ).one()
        assert tuple(cevat) == (0, 1)  # named only in 001's infobox
        row = c.execute(
            text("SELECT mention_count, source_count FROM entity WHERE id = 'nakhchivan'")
        ).one()
        assert row.mention_count > 100 and row.source_count == 4
        # Offsets point at the mention text, inside its passage.
        wrong = c.execute(
            text(
                "SELECT count(*) FROM mention m JOIN source s ON s.id = m.source_id "
                "JOIN passage p ON p.id = m.passage_id "
                "WHERE substr(s.normalized_text, m.start + 1, m.end - m.start) != m.text "
                "OR m.start < p.start OR m.end > p.end OR p.source_id != m.source_id"
            )
        ).scalar_one()
        assert wrong == 0
        methods = {r[0] for r in c.execute(text("SELECT DISTINCT method FROM mention"))}
        assert {"gazetteer", "context", "infobox"} <= methods
        adjective = c.execute(
            text("SELECT count(*) FROM mention WHERE text = 'Armenian' AND NOT as_participant")
        ).scalar_one()
        assert adjective > 0
        facts = c.execute(
            text("SELECT source_id, side, role, entity_id FROM fact WHERE role = 'combatant'")
        ).all()
        assert ("wikipedia-war-short", 1, "combatant", "armenia") in facts
        assert ("wikipedia-red-army-azerbaijan", 1, "combatant", "azerbaijani-bolsheviks") in facts


def test_unknown_names_lists_nothing_frequent_after_the_default_build(engine: Any) -> None:
    from db.entities.report import unknown_names

    rows = unknown_names(engine)
    frequent = [(r["name"], r["count"]) for r in rows if r["count"] >= 3]
    assert frequent == []
    assert rows, "rare unknown names are still listed for curators"
    first = rows[0]
    assert set(first) >= {"name", "count", "examples", "type"}
    assert first["examples"] and set(first["examples"][0]) == {"source", "passage"}


def test_names_in_an_uncurated_document_become_uncurated_entities(tmp_path: Path) -> None:
    from sqlalchemy import text

    from db.build import build_database
    from db.database import readonly_engine
    from db.entities.report import unknown_names

    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "letter.txt").write_text(
        "The Battle of Kvaretsi\n\n"
        "Colonel Varadian marched from Yerevan to Kvaretsi with his men. "
        "Varadian met the envoy of the Zelkovan Republic near Kvaretsi. "
        "Later the Tarkhun Regiment arrived in Kvaretsi. "
        "According to Martin Holloway, the German Caucasus Expedition reached Lake Sevan.\n",
        encoding="utf-8",
    )
    out = tmp_path / "user.sqlite"
    build_database(corpus, out, curated=False)
    eng = readonly_engine(out)
    try:
        rows = {r["name"]: (r["type"], r["count"]) for r in unknown_names(eng)}
        assert rows == {
            "Kvaretsi": ("place", 3),  # the heading's "Battle of Kvaretsi" is an event
            "Varadian": ("person", 2),
            "Zelkovan Republic": ("polity", 1),
            "Tarkhun Regiment": ("military_unit", 1),
            "Martin Holloway": ("person", 1),
            "German Caucasus Expedition": ("military_unit", 1),
            "Lake Sevan": ("place", 1),
        }
        with eng.connect() as c:
            yerevan = c.execute(
                text("SELECT count(*) FROM mention WHERE entity_id = 'yerevan'")
            ).scalar_one()
            assert yerevan == 1  # the gazetteer still applies to documents nobody curated
            discovered = c.execute(
                text("SELECT count(*) FROM mention WHERE method = 'discovered'")
            ).scalar_one()
            assert discovered == 10
            uncurated = c.execute(
                text("SELECT count(*) FROM entity WHERE NOT curated AND mention_count > 0")
            ).scalar_one()
            assert uncurated == 7
    finally:
        eng.dispose()


# --- discovery ahead of the corpus's vocabulary ---------------------------------


def test_discovery_ahead_settles_to_what_the_whole_corpus_finds(
    recognizer: Recognizer, parsed_corpus: dict[str, Any]
) -> None:
    """Workers discover names knowing only their document's lower-case words; settled
    against the corpus's words the answers equal discovery run on the whole corpus,
    including for the sequences whose answer the corpus's words change."""
    from db.entities.discover import (
        find_unknown,
        find_unknown_ahead,
        lowercase_vocabulary,
        settle,
    )
    from db.entities.stage import _covered

    stop = load_stoplist()
    docs = list(parsed_corpus.values())
    vocab = lowercase_vocabulary(doc.normalized for doc in docs)
    reworked = 0
    for doc in docs:
        text = doc.normalized
        spans = [(start, end) for start, end, _kind, _p in doc.passages()]
        mentions = [(f.start, f.end) for f in recognizer.find(text, section_starts(doc))]
        covered = _covered(text, spans, mentions)
        words, tentative = find_unknown_ahead(text, spans, covered, stop)
        assert words == lowercase_vocabulary([text])
        reworked += sum(not vocab.isdisjoint(t.missed) for t in tentative)
        settled = settle(text, tentative, lambda c=covered: bytearray(c), vocab, stop)
        assert settled == find_unknown(text, spans, covered, vocab, stop)
    assert reworked > 0  # the corpus's words do change some answers
