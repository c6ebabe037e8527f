"""Property tests: on any text the tagger never raises and its output is well formed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from db.timex import Block, tag_text

# Fragments that reach deep into the patterns: months, days, years, dashes, parentheses,
# calendar notes, part words, relative phrases, units, glued digit runs.
_TOKENS = [
    "January",
    "February",
    "March",
    "May",
    "June",
    "December",
    "Sept.",
    "Jan",
    "April",
    "1",
    "5",
    "12",
    "18",
    "22",
    "29",
    "30",
    "31",
    "0",
    "45",
    "99",
    "2223",
    "912",
    "2024",
    "1917",
    "1918",
    "1920",
    "1000",
    "2099",
    "1880s",
    "11th",
    "19th",
    "century",
    "centuries",
    "–",
    "—",
    "-",
    "(",
    ")",
    "(old calendar:",
    "old style",
    ",",
    ".",
    ";",
    " and ",
    " to ",
    "between",
    "Between",
    "from",
    "the",
    "The",
    "early",
    "late",
    "mid-",
    "Mid-",
    "end of",
    "the beginning of",
    "first half of",
    "summer",
    "winter",
    "of",
    "next",
    "following",
    "same",
    "day",
    "days",
    "week",
    "month",
    "year",
    "later",
    "earlier",
    "ago",
    "a",
    "a month and a half",
    "that",
    "That very",
    "At the same time",
    "by this time",
    "On",
    "In",
    "By",
    "\n\n",
    " ",
    "12,000",
    "[5]",
    "XV",
    "Army",
    "hours",
    "24-hour",
    "-long",
    "several",
]

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(_TOKENS), max_size=60).map(" ".join),
    st.lists(st.sampled_from(_TOKENS), max_size=60).map("".join),
)


def _check(text: str, blocks: list[Block] | None = None) -> None:
    out = tag_text(text, blocks)
    last_start = -1
    for i, tx in enumerate(out):
        assert 0 <= tx.start < tx.end <= len(text)
        assert tx.start >= last_start
        last_start = tx.start
        assert text[tx.start : tx.end] == tx.text
        if i > 0:
            assert out[i - 1].end <= tx.start  # no overlaps
        assert (tx.earliest is None) == (tx.latest is None)
        if tx.earliest is not None and tx.latest is not None:
            assert tx.earliest <= tx.latest
            assert tx.value is not None
        if tx.anchor is not None:
            # an earlier expression, or (for an undated paragraph opening) a later one
            assert 0 <= tx.anchor < len(out) and tx.anchor != i
            if tx.anchor > i:
                assert out[tx.anchor].earliest is not None
        assert 0.0 <= tx.confidence <= 1.0
        assert tx.precision in {
            "day",
            "part_of_month",
            "month",
            "season",
            "year",
            "decade",
            "century",
            "duration",
        }
        tx.to_json()


@settings(max_examples=300, deadline=None)
@given(texts)
def test_never_raises_and_output_is_well_formed(text: str) -> None:
    _check(text)


@settings(max_examples=100, deadline=None)
@given(texts, st.integers(min_value=1, max_value=5))
def test_any_block_structure(text: str, n: int) -> None:
    # Blocks of arbitrary kinds and sections, cutting the text anywhere.
    cuts = sorted({0, *(len(text) * k // n for k in range(1, n))})
    kinds = ["text", "heading", "bibliography", "caption", "infobox"]
    blocks = [
        Block(a, b, kinds[i % len(kinds)], i // 2)
        for i, (a, b) in enumerate(zip(cuts, [*cuts[1:], len(text)], strict=True))
    ]
    _check(text, blocks)
