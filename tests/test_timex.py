"""Unit tests of the temporal-expression tagger: one test per case issue 3 lists."""

from __future__ import annotations

import json
from datetime import date

import pytest

from db.timex import TimeExpr, tag_text
from db.timex.model import julian_offset, julian_to_ordinal


def found(text: str) -> dict[str, TimeExpr]:
    """Expressions by surface text (each surface once in these examples)."""
    return {t.text: t for t in tag_text(text)}


def values(text: str) -> dict[str, str | None]:
    return {t.text: t.value for t in tag_text(text)}


def day(y: int, m: int, d: int) -> int:
    return date(y, m, d).toordinal()


# --- absolute dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "value", "precision"),
    [
        ("It began on 30 March 1918 in Baku.", "30 March 1918", "1918-03-30", "day"),
        ("It began on March 30, 1918 in Baku.", "March 30, 1918", "1918-03-30", "day"),
        ("On 5 April 1920, skirmishes began.", "5 April 1920", "1920-04-05", "day"),
        ("On August 10 1920, the cease-fire was signed.", "August 10 1920", "1920-08-10", "day"),
        ("When about August 25th, 1919 he crossed.", "August 25th, 1919", "1919-08-25", "day"),
        ("In January 1919 troops advanced.", "January 1919", "1919-01", "month"),
        ("In the middle of July, 1920 they agreed.", "the middle of July, 1920", None, None),
        ("Hostilities flared up again in 1918.", "1918", "1918", "year"),
        ("from the 1880s onward", "the 1880s", "1880/1889", "decade"),
        ("date back to the 11th century when", "the 11th century", "1000/1099", "century"),
        ("by the late 19th century.", "the late 19th century", "1867/1899", "century"),
    ],
)
def test_absolute_dates(text: str, surface: str, value: str | None, precision: str | None) -> None:
    tx = found(text)[surface]
    if value is not None:
        assert (tx.value, tx.precision, tx.kind) == (value, precision, "absolute")
        assert tx.anchor is None and tx.confidence == 1.0
    assert tx.earliest is not None and tx.latest is not None and tx.earliest <= tx.latest


def test_day_interval_is_one_day() -> None:
    tx = found("On 30 March 1918, x.")["30 March 1918"]
    assert tx.earliest == tx.latest == day(1918, 3, 30)


# --- ranges -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        (
            "In January 1918 the clash occurred on 22–25 January.",
            "22–25 January",
            "1918-01-22/1918-01-25",
        ),
        (
            "In 1918. Between August 7 and 17, a British force arrived.",
            "Between August 7 and 17",
            "1918-08-07/1918-08-17",
        ),
        ("the massacres from 1905 to 1906 had", "from 1905 to 1906", "1905/1906"),
        ("The war (1918–1920) was", "1918–1920", "1918/1920"),
        ("The war (1918-1920) was", "1918-1920", "1918/1920"),
        ("Fight for Baku, 1918–19", "1918–19", "1918/1919"),
        ("It happened in April–May 1920.", "April–May 1920", "1920-04/1920-05"),
        (
            "End of hostilities, September–November 1920",
            "September–November 1920",
            "1920-09/1920-11",
        ),
        ("Date: 27 April – 12 May 1920", "27 April – 12 May 1920", "1920-04-27/1920-05-12"),
        (
            "Clashes occurred between January 6 and 23, 1920 in",
            "between January 6 and 23, 1920",
            "1920-01-06/1920-01-23",
        ),
        (
            "In 1920. Between 28 July and 1 August, forces took it.",
            "Between 28 July and 1 August",
            "1920-07-28/1920-08-01",
        ),
        (
            "In 1919. The congress was held from December 2 to 11.",
            "from December 2 to 11",
            "1919-12-02/1919-12-11",
        ),
        (
            "In 1920. On 11 and 12 March, wagons arrived.",
            "11 and 12 March",
            "1920-03-11/1920-03-12",
        ),
        (
            "Soviet-Armenian War: November–December, 1920",
            "November–December, 1920",
            "1920-11/1920-12",
        ),
    ],
)
def test_ranges(text: str, surface: str, value: str) -> None:
    tx = found(text)[surface]
    assert tx.value == value
    assert tx.kind == "range"


def test_repaired_ranges_of_002() -> None:
    # db/ingest/normalize.py turns "(19181920)" into "(1918–1920)" and
    # "January 2225 (912)" into "January 22–25 (9–12)".
    v = values(
        "The war (1918–1920). In January 1918 the clash on January 22–25 (9–12) killed many."
    )
    assert v["1918–1920"] == "1918/1920"
    assert v["January 22–25 (9–12)"] == "1918-01-22/1918-01-25"


def test_year_list_is_not_a_range() -> None:
    v = values("In December 1918 and January 1919, the division arrived.")
    assert v == {"December 1918": "1918-12", "January 1919": "1919-01"}


# --- parts of periods and seasons ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "value", "precision"),
    [
        (
            "In late May 1920, the Soviets offered.",
            "late May 1920",
            "1920-05-21/1920-05-31",
            "part_of_month",
        ),
        (
            "In early January 1920, Moscow issued.",
            "early January 1920",
            "1920-01-01/1920-01-10",
            "part_of_month",
        ),
        ("in mid-March 1920 during", "mid-March 1920", "1920-03-11/1920-03-20", "part_of_month"),
        ("until Mid-June 1919, when", "Mid-June 1919", "1919-06-11/1919-06-20", "part_of_month"),
        ("By early 1920, Soviet Russia", "early 1920", "1920-01/1920-04", "season"),
        ("in mid-1919 and", "mid-1919", "1919-05/1919-08", "season"),
        ("Until the end of 1918, Azerbaijan", "the end of 1918", "1918-09/1918-12", "season"),
        ("in the first half of 1918", "the first half of 1918", "1918-01/1918-06", "season"),
        (
            "throughout the summer of 1918 Armenians",
            "the summer of 1918",
            "1918-06/1918-08",
            "season",
        ),
        (
            "the late summer and early autumn of 1918.",
            "the late summer and early autumn of 1918",
            "1918-08/1918-09",
            "season",
        ),
        ("in the early 1920s", "the early 1920s", "1920/1923", "decade"),
        ("in the early 17th century", "the early 17th century", "1600/1633", "century"),
    ],
)
def test_parts_of_periods(text: str, surface: str, value: str, precision: str) -> None:
    tx = found(text)[surface]
    assert (tx.value, tx.precision) == (value, precision)


def test_part_of_month_takes_year_from_narrative() -> None:
    v = values("In April 1920, the 11th Army invaded. By the end of April, the republic collapsed.")
    assert v["the end of April"] == "1920-04-21/1920-04-30"


def test_the_second_half_of_a_month() -> None:
    v = values(
        "On March 15, 1918, clashes erupted. A ceasefire was signed in the second half of April."
    )
    assert v["the second half of April"] == "1918-04-16/1918-04-30"


def test_a_season_without_a_year_or_a_named_fall_is_not_a_date() -> None:
    assert values("During the summer months, herds moved. The fall of Shusha in 1920.") == {
        "1920": "1920"
    }


# --- dual calendars -----------------------------------------------------------------------------------


def test_dual_date_old_calendar_note_later_is_gregorian() -> None:
    tx = found("On December 5 (old calendar: 18), 1917, an armistice was signed.")[
        "December 5 (old calendar: 18), 1917"
    ]
    assert (tx.value, tx.julian_value, tx.julian, tx.kind, tx.calendar) == (
        "1917-12-18",
        "1917-12-05",
        "December 5",
        "dual_calendar",
        "dual",
    )
    assert tx.earliest == day(1917, 12, 18)


def test_dual_dates_in_either_order_take_the_narrative_year() -> None:
    text = (
        "In January 1918, the Russian army abandoned the front. On January 30 (February 12), "
        "the Ottoman army attacked. The Seim convened on February 10 (23)."
    )
    f = found(text)
    jan30 = f["January 30 (February 12)"]
    assert (jan30.value, jan30.julian_value, jan30.julian) == (
        "1918-02-12",
        "1918-01-30",
        "January 30",
    )
    feb10 = f["February 10 (23)"]
    assert (feb10.value, feb10.julian_value, feb10.julian) == (
        "1918-02-23",
        "1918-02-10",
        "February 10",
    )
    assert f["January 30 (February 12)"].anchor == 0


def test_dual_date_across_the_year_end() -> None:
    f = found("In December 1917 units formed. On December 18 (31), the Commissariat announced it.")
    dec18 = f["December 18 (31)"]
    assert (dec18.value, dec18.julian_value, dec18.julian) == (
        "1917-12-31",
        "1917-12-18",
        "December 18",
    )


def test_dual_range() -> None:
    tx = found("In January 1918 clashes. On January 22–25 (9–12), 2,000 died.")[
        "January 22–25 (9–12)"
    ]
    assert tx.value == "1918-01-22/1918-01-25"
    assert (tx.julian_value, tx.julian) == ("1918-01-09/1918-01-12", "9–12")


def test_a_parenthesis_off_the_13_day_offset_is_not_a_dual_date() -> None:
    f = found("In 1918. On January 22 (5), a footnote.")
    assert "January 22" in f and f["January 22"].julian is None


def test_julian_calendar_arithmetic_and_the_1918_switch() -> None:
    assert julian_offset(1917) == 13 and julian_offset(1899) == 12
    # Russia: 31 January 1918 (Julian) was followed by 14 February 1918 (Gregorian).
    assert julian_to_ordinal(1918, 1, 31) + 1 == day(1918, 2, 14)
    assert julian_to_ordinal(1917, 12, 5) == day(1917, 12, 18)


# --- underspecified and relative expressions --------------------------------------------------------


def test_year_inferred_from_the_reference_and_chained() -> None:
    text = (
        "On September 15, 1918, the army took Baku. Thomson demanded a withdrawal by November 17. "
        "On December 28, Thomson recognized the government. British rule was established in Kars "
        "on January 12."
    )
    f = found(text)
    assert f["November 17"].value == "1918-11-17"
    assert f["December 28"].value == "1918-12-28"
    assert f["January 12"].value == "1919-01-12"  # nearest the reference, not the same year
    assert f["November 17"].kind == "underspecified"
    assert 0 < f["November 17"].confidence < 1
    assert f["December 28"].anchor == 1  # anchored on "November 17"


def test_passing_mention_does_not_move_the_reference() -> None:
    text = (
        "In February 1918 the Ottoman army advanced. By March 24, Ottoman forces had reached the "
        "borders of 1914. On April 22, negotiations began. The 1897 census counted them."
    )
    v = values(text)
    assert v["1914"] == "1914" and v["1897"] == "1897"
    assert v["March 24"] == "1918-03-24"
    assert v["April 22"] == "1918-04-22"


def test_flashback_in_past_perfect_does_not_move_the_reference() -> None:
    text = (
        "On January 15, 1919, Thomson sanctioned the appointment. Sultanov had incited Azerbaijanis "
        "against Armenians in the summer of 1918. On February 10, the congress met."
    )
    assert values(text)["February 10"] == "1919-02-10"


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        (
            "On December 5, 1917, the armistice. The next day, the Commissariat decided.",
            "The next day",
            "1917-12-06",
        ),
        (
            "On 28 April 1920, aid was requested. However, the day before, on 27 April, the army invaded.",
            "the day before",
            "1920-04-27",
        ),
        (
            "On 21 April 1920, a directive. The day after, Hajinski failed.",
            "The day after",
            "1920-04-22",
        ),
        (
            "On 27 April 1920, they invaded. On the same day, a committee was founded.",
            "the same day",
            "1920-04-27",
        ),
        (
            "On June 5, 1920 they took Shusha and two weeks later resistance was crushed.",
            "two weeks later",
            "1920-06-19",
        ),
        (
            "On September 15, 1918, Baku fell. However, just a month and a half later, the army withdrew.",
            "a month and a half later",
            "1918-10-30",
        ),
        (
            "In July 1919 ammunition arrived; without it Armenia might have been destroyed a year earlier.",
            "a year earlier",
            "1918",
        ),
        ("In 1919 the treaty. The following year, it was forgotten.", "The following year", "1920"),
        ("In 1919 the treaty was signed. That year, many left.", "That year", "1919"),
        (
            "It was settled in February 1923 and at the republic level in June of the same year.",
            "June of the same year",
            "1923-06",
        ),
        (
            "On 20 November 1920 Sharur was invaded and Karabakh the following day.",
            "the following day",
            "1920-11-21",
        ),
        (
            "On April 4, 1920, troops entered the city. That night, villages were taken.",
            "That night",
            "1920-04-04",
        ),
    ],
)
def test_relative_expressions(text: str, surface: str, value: str) -> None:
    tx = found(text)[surface]
    assert tx.value == value
    assert tx.kind == "relative"
    assert tx.anchor is not None and 0 < tx.confidence < 1


def test_relative_chains_from_the_end_of_a_range() -> None:
    v = values("In January 1918 the clash on January 22–25 lasted. The next day, trains left.")
    assert v["The next day"] == "1918-01-26"


def test_at_the_same_time_takes_the_reference_of_its_paragraph_only() -> None:
    f = found(
        "On November 17, 1918, the British entered Baku. At the same time, Thomson declared it."
    )
    assert f["At the same time"].value == "1918-11-17"
    assert f["At the same time"].confidence <= 0.5
    f = found(
        "On November 17, 1918, the British entered Baku.\n\nAt the same time, Thomson declared it."
    )
    assert f["At the same time"].value is None


def test_unresolved_rather_than_wrong() -> None:
    f = found("On 30 March, the Soviets disarmed the crew. The next day, they attacked.")
    assert f["30 March"].value == "XXXX-03-30"
    assert f["30 March"].earliest is None and f["30 March"].confidence == 0.0
    assert f["The next day"].value is None
    # "the next day" after a month-precise date has no day to count from
    f = found("In January 1919 troops advanced. Sultanov ordered attacks the next day.")
    assert f["the next day"].value is None


def test_reference_resets_at_a_new_section() -> None:
    from db.timex import Block

    text = "In April 1920 the army came.\n\nNext part\n\nOn 30 March, it began."
    blocks = [Block(0, 28, "text", 0), Block(30, 39, "heading", 1), Block(41, len(text), "text", 1)]
    assert {t.text: t.value for t in tag_text(text, blocks)}["30 March"] == "XXXX-03-30"
    assert {t.text: t.value for t in tag_text(text)}["30 March"] == "1920-03-30"


def test_heading_dates_set_the_reference_even_in_passing() -> None:
    from db.timex import Block

    text = "Armenian-Turkish War of 1920\n\nOn June 9, Turkish forces advanced."
    blocks = [Block(0, 28, "heading", 1), Block(30, len(text), "text", 1)]
    assert {t.text: t.value for t in tag_text(text, blocks)}["June 9"] == "1920-06-09"


# --- stripped dashes of document 002 ---------------------------------------------------------------


def test_glued_day_ranges_are_split_only_when_not_a_plausible_year() -> None:
    text = (
        "The war of 1918 and 1919 and 1920. In 1918 the Second Congress (September 2024) "
        "met. In 1920 the uprising was delayed until 2223 March. The operations of 1112 April "
        "failed. In March 1918 clashes began."
    )
    v = values(text)
    assert v["September 2024"] == "1918-09-20/1918-09-24"
    assert v["2223 March"] == "1920-03-22/1920-03-23"
    assert v["1112 April"] == "1920-04-11/1920-04-12"
    assert v["March 1918"] == "1918-03"


# --- what is not a date, and durations ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "the 11th Army invaded",
        "the 26th, 28th, and 32nd rifle divisions",
        "General Karabekir, commander of the XV Army, wrote",
        "the 219th Infantry Reserve Regiment in Ganja",
        "the death of up to 12,000 Azerbaijanis",
        "at an altitude of up to 1,200 meters above sea level",
        "Himmat representatives equaling those of the party (30 members).",
        "the Treaty of Kars [5] was signed",
        "about 1500 soldiers came",
        "the March Days and the October Revolution",
    ],
)
def test_not_dates(text: str) -> None:
    assert tag_text(text) == []


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("This led to three days fighting.", "three days", "P3D"),
        ("after six weeks of occupation", "six weeks", "P6W"),
        ("exhausted by the six years of permanent wars", "six years", "P6Y"),
        ("sparking the 2-week border battles", "2-week", "P2W"),
        ("a three-day battle", "three-day", "P3D"),
        ("within 12 hours", "12 hours", "PT12H"),
        ("for a 24-hour period", "24-hour", "PT24H"),
        ("for several months", "several months", "PXM"),
        ("a new three-week-long war", "three-week-long", "P3W"),
        ("for more than a year", "a year", "P1Y"),
    ],
)
def test_durations(text: str, surface: str, value: str) -> None:
    tx = found(text)[surface]
    assert (tx.value, tx.precision, tx.kind) == (value, "duration", "duration")
    assert tx.earliest is None and tx.latest is None


# --- output -------------------------------------------------------------------------------------------


def test_json_line_has_the_design_shape() -> None:
    tx = found("On December 5 (old calendar: 18), 1917, x.")["December 5 (old calendar: 18), 1917"]
    line = json.loads(json.dumps(tx.to_json()))
    assert {"start", "end", "text", "value", "precision", "julian", "kind"} <= line.keys()
    assert line["value"] == "1917-12-18" and line["julian"] == "December 5"
    assert line["julian_value"] == "1917-12-05"
    assert line["earliest"] == "1917-12-18" and line["precision"] == "day"


def test_offsets_point_into_the_text() -> None:
    text = "On 5 April 1920, skirmishes began; on 7 April, the villages. The next day, a truce."
    for tx in tag_text(text):
        assert text[tx.start : tx.end] == tx.text


def test_no_day_counting_into_a_paragraph_of_unknown_time() -> None:
    text = (
        "The last unit left on June 7, 1919.\n\n"
        "Azerbaijanis refused to vacate houses. At that time, officers repelled the attack. "
        "The next day, Armenians attacked again."
    )
    f = found(text)
    assert f["At that time"].value is None
    assert f["The next day"].value is None
    # the same narrative without the undated paragraph counts on
    assert (
        values("The last unit left on June 7, 1919.\n\nThe next day, they attacked.")[
            "The next day"
        ]
        == "1919-06-08"
    )


def test_year_in_a_clause_does_not_restart_the_narrative() -> None:
    # 002: a year told in passing after a semicolon is not an "In 1918, ..." opener.
    text = (
        "Tekinski reported on July 14, 1919 that Armenian forces were determined. "
        "The battles mobilized the population against Armenian rule; battalions established "
        "in 1918 began to reorganize. On July 20, more money was sent."
    )
    v = values(text)
    assert v["1918"] == "1918"
    assert v["July 20"] == "1919-07-20"
    # while a sentence that opens with its year does restart it
    v = values("On July 14, 1919 they met. In 1918, the war began. On July 20, they left.")
    assert v["July 20"] == "1918-07-20"


def test_undated_paragraph_opening_takes_the_year_of_its_own_first_date() -> None:
    # 002 ends with 001's account of November 1920 after paragraphs about 1923.
    text = (
        "In June 1923, the commission proposed autonomy. On 1 July, Kirov signed a protocol.\n\n"
        "In late November, there was yet another uprising in Armenia. On 28 November, blaming "
        "Armenia for the invasions of Srur on 20 November 1920, the 11th Red Army crossed the line."
    )
    v = values(text)
    assert v["1 July"] == "1923-07-01"
    assert v["late November"] == "1920-11-21/1920-11-30"
    assert v["28 November"] == "1920-11-28"
