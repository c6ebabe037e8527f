"""db.filters: what each filter means for events, passages and entities, and how they combine.

On the tiny database (tests/test_search_fixtures.py), where every right answer is known.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_search_fixtures import EVENTS, tiny_engine

from db.filters import (
    Filters,
    chip_counts,
    counts,
    entity_clause,
    event_clause,
    labels,
    options,
    passage_clause,
)
from db.models import Entity, Event, Passage

D = date.toordinal
ALL_EVENTS = {"e-shusha", "e-nakh", "e-zang", "e-letter"}
REVIEW = {"e-zang": "confirmed", "e-nakh": "rejected"}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    engine = tiny_engine(tmp_path_factory.mktemp("tiny") / "tiny.sqlite")
    yield engine
    engine.dispose()


def events(engine: Any, f: Filters, review: dict[str, str] | None = None) -> set[str]:
    with Session(engine) as s:
        return set(s.scalars(select(Event.id).where(event_clause(f, review=review))))


def passages(engine: Any, f: Filters, review: dict[str, str] | None = None) -> set[int]:
    with Session(engine) as s:
        return set(s.scalars(select(Passage.id).where(passage_clause(f, review=review))))


def entities(engine: Any, f: Filters) -> set[str]:
    with Session(engine) as s:
        return set(s.scalars(select(Entity.id).where(entity_clause(f))))


# --- events ------------------------------------------------------------------------------


def test_no_filters_pass_everything(tiny: Any) -> None:
    assert events(tiny, Filters()) == ALL_EVENTS
    assert passages(tiny, Filters()) == set(range(1, 8))
    assert entities(tiny, Filters()) == {"shusha", "karabekir", "nakhchivan", "armenia"}


def test_date_range_keeps_events_that_overlap_it_inclusively(tiny: Any) -> None:
    # e-zang ends on 28 Feb 1920, e-shusha begins on 22 Mar 1920: both touch the range.
    f = Filters(earliest=D(date(1920, 2, 28)), latest=D(date(1920, 3, 22)))
    assert events(tiny, f) == {"e-zang", "e-shusha"}
    f = Filters(earliest=D(date(1920, 2, 29)), latest=D(date(1920, 3, 21)))
    assert events(tiny, f) == set()
    assert events(tiny, Filters(earliest=D(date(1920, 3, 27)))) == {"e-nakh"}
    assert events(tiny, Filters(latest=D(date(1919, 7, 1)))) == {"e-letter"}


def test_values_within_a_field_are_alternatives(tiny: Any) -> None:
    assert events(tiny, Filters(kinds=frozenset({"battle", "massacre"}))) == {"e-zang", "e-shusha"}
    assert events(tiny, Filters(sources=frozenset({"a", "b"}))) == ALL_EVENTS
    assert events(tiny, Filters(phases=frozenset({"p1"}))) == {"e-shusha", "e-zang", "e-letter"}


def test_fields_combine_with_and(tiny: Any) -> None:
    f = Filters(kinds=frozenset({"battle", "massacre"}), sources=frozenset({"b"}))
    assert events(tiny, f) == {"e-shusha"}  # e-zang is attested only in source a
    f = Filters(phases=frozenset({"p1"}), earliest=D(date(1919, 8, 1)))
    assert events(tiny, f) == {"e-shusha", "e-zang"}
    f = Filters(entities=frozenset({"karabekir"}), sources=frozenset({"a"}))
    assert events(tiny, f) == {"e-nakh"}


def test_entities_any_or_all(tiny: Any) -> None:
    two = frozenset({"shusha", "karabekir"})
    assert events(tiny, Filters(entities=two)) == {"e-shusha", "e-nakh", "e-letter"}
    assert events(tiny, Filters(entities=two, entities_all=True)) == set()
    pair = frozenset({"karabekir", "nakhchivan"})
    assert events(tiny, Filters(entities=pair, entities_all=True)) == {"e-nakh"}


def test_review_status_reads_the_workspace_mapping(tiny: Any) -> None:
    confirmed = Filters(review_statuses=frozenset({"confirmed"}))
    assert events(tiny, confirmed, REVIEW) == {"e-zang"}
    unreviewed = Filters(review_statuses=frozenset({"unreviewed"}))
    assert events(tiny, unreviewed, REVIEW) == {"e-shusha", "e-letter"}
    both = Filters(review_statuses=frozenset({"unreviewed", "confirmed"}))
    assert events(tiny, both, REVIEW) == {"e-shusha", "e-letter", "e-zang"}
    # With no annotations every event is unreviewed.
    assert events(tiny, confirmed) == set()
    assert events(tiny, unreviewed) == ALL_EVENTS


_single_fields = st.fixed_dictionaries(
    {},
    optional={
        "earliest": st.sampled_from([None, *sorted({e[3] for e in EVENTS})]),
        "latest": st.sampled_from([None, *sorted({e[4] for e in EVENTS})]),
        "kinds": st.frozensets(st.sampled_from(["battle", "massacre", "occupation", "political"])),
        "sources": st.frozensets(st.sampled_from(["a", "b"])),
        "entities": st.frozensets(
            st.sampled_from(["shusha", "karabekir", "nakhchivan", "armenia"])
        ),
        "entities_all": st.booleans(),
        "phases": st.frozensets(st.sampled_from(["p1"])),
        "review_statuses": st.frozensets(
            st.sampled_from(["unreviewed", "confirmed", "rejected", "disputed"])
        ),
    },
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fields=_single_fields)
def test_any_combination_is_the_intersection_of_its_parts(
    tiny: Any, fields: dict[str, Any]
) -> None:
    """A filter set passes exactly the events every one of its fields passes alone."""
    combined = events(tiny, Filters(**fields), REVIEW)
    expected = set(ALL_EVENTS)
    for name, value in fields.items():
        if name == "entities_all":
            continue
        part: dict[str, Any] = {name: value}
        if name == "entities":
            part["entities_all"] = fields.get("entities_all", False)
        expected &= events(tiny, Filters(**part), REVIEW)
    assert combined == expected


# --- passages and entities ----------------------------------------------------------------


def test_passages_by_source_and_entity(tiny: Any) -> None:
    assert passages(tiny, Filters(sources=frozenset({"a"}))) == {1, 2, 3}
    assert passages(tiny, Filters(entities=frozenset({"shusha"}))) == {1, 5}
    pair = frozenset({"karabekir", "nakhchivan"})
    assert passages(tiny, Filters(entities=pair)) == {2, 4, 6}
    assert passages(tiny, Filters(entities=pair, entities_all=True)) == {2}


def test_passages_under_event_filters_are_the_evidence_of_passing_events(tiny: Any) -> None:
    assert passages(tiny, Filters(kinds=frozenset({"battle"}))) == {3}
    in_1919 = Filters(earliest=D(date(1919, 1, 1)), latest=D(date(1919, 12, 31)))
    assert passages(tiny, in_1919) == {3, 4}
    f = Filters(kinds=frozenset({"massacre"}), sources=frozenset({"b"}))
    assert passages(tiny, f) == {5}
    confirmed = Filters(review_statuses=frozenset({"confirmed"}))
    assert passages(tiny, confirmed, REVIEW) == {3}


def test_entities_are_those_taking_part_in_passing_events(tiny: Any) -> None:
    # Source b attests e-shusha (shusha, armenia), e-nakh (karabekir, nakhchivan), e-letter.
    assert entities(tiny, Filters(sources=frozenset({"b"}))) == {
        "shusha",
        "armenia",
        "karabekir",
        "nakhchivan",
    }
    assert entities(tiny, Filters(phases=frozenset({"p1"}), sources=frozenset({"b"}))) == {
        "shusha",
        "armenia",
        "karabekir",
    }
    assert entities(tiny, Filters(kinds=frozenset({"battle"}))) == {"armenia"}
    # Choosing an entity shows it and the entities it shares events with.
    assert entities(tiny, Filters(entities=frozenset({"karabekir"}))) == {"karabekir", "nakhchivan"}


# --- the value object -------------------------------------------------------------------


def test_chips_one_per_value_and_removing_one() -> None:
    f = Filters(
        earliest=D(date(1920, 1, 1)),
        latest=D(date(1920, 12, 31)),
        kinds=frozenset({"battle", "massacre"}),
        entities=frozenset({"shusha", "karabekir"}),
        entities_all=True,
    )
    assert f.chips() == [
        ("dates", None, "1920-01-01 – 1920-12-31"),
        ("kinds", "battle", "battle"),
        ("kinds", "massacre", "massacre"),
        ("entities", "karabekir", "karabekir"),
        ("entities", "shusha", "shusha"),
    ]
    g = f.without_value("kinds", "battle")
    assert g.kinds == frozenset({"massacre"}) and g.entities == f.entities
    g = f.without_value("dates", None)
    assert g.earliest is None and g.latest is None and g.kinds == f.kinds
    g = f.without_value("entities", "shusha").without_value("entities", "karabekir")
    assert g.entities == frozenset() and g.entities_all is False
    assert Filters().chips() == [] and Filters().is_empty()
    assert f.without("kinds").without("entities").without("dates").is_empty()


def test_open_ended_date_chip() -> None:
    assert Filters(earliest=D(date(1919, 1, 1))).chips() == [("dates", None, "1919-01-01 – …")]


def test_counts_labels_and_options(tiny: Any) -> None:
    assert counts(tiny, Filters()) == {"event": 4, "entity": 4, "passage": 7}
    assert counts(tiny, Filters(kinds=frozenset({"battle"}))) == {
        "event": 1,
        "entity": 1,
        "passage": 1,
    }
    names = labels(tiny, Filters(entities=frozenset({"shusha"}), sources=frozenset({"a"})))
    assert names == {("entities", "shusha"): "Shusha", ("sources", "a"): "Source A"}
    opts = options(tiny)
    assert dict(opts.kinds) == {"battle": 1, "massacre": 1, "occupation": 1, "political": 1}
    assert [(i, n) for i, _t, n in opts.sources] == [("a", 3), ("b", 3)]
    assert [(i, n) for i, _t, n in opts.phases] == [("p1", 3)]
    assert opts.date_range == (D(date(1919, 7, 1)), D(date(1920, 6, 9)))


def test_chip_counts_are_per_chip_alone(tiny: Any) -> None:
    f = Filters(
        kinds=frozenset({"battle", "occupation"}),
        earliest=D(date(1920, 1, 1)),
        review_statuses=frozenset({"confirmed"}),
    )
    assert chip_counts(tiny, f, review=REVIEW) == {
        ("dates", None): 3,
        ("kinds", "battle"): 1,
        ("kinds", "occupation"): 1,
        ("review_statuses", "confirmed"): 1,
    }
