"""The first ingest stage on the real corpus documents and on bad input."""

from __future__ import annotations

import re

import pytest

from db.ingest import IngestError, parse_bytes, parse_text
from db.ingest.edits import Edit, apply_edits, offset_map
from db.ingest.segment import split_sentences


def _sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


# --- offsets and repairs -------------------------------------------------------


def test_passage_text_is_a_slice_of_the_normalized_text(parsed_corpus):
    for doc in parsed_corpus.values():
        for start, end, _kind, _p in doc.passages():
            assert 0 <= start < end <= len(doc.normalized)
            text = doc.normalized[start:end]
            assert text == text.strip(), (doc.name, text)


def test_every_repair_maps_back_to_its_original_span(parsed_corpus):
    for doc in parsed_corpus.values():
        for r in doc.repairs:
            assert doc.original[r.orig_start : r.orig_end] == r.original
            assert doc.normalized[r.norm_start : r.norm_end] == r.replacement
            # Deletions are zero-width in the normalized text: a position there maps to the
            # text after what was deleted; both ends of every repair map exactly.
            # (Where two repairs touch, the shared boundary maps to one of them.)
            touching = any(
                o.orig_start in (r.orig_start, r.orig_end) for o in doc.repairs if o is not r
            )
            if not touching:
                assert doc.offset_map.to_original(r.norm_end) == r.orig_end
                if r.orig_start < r.orig_end:  # (an insertion point maps to after the insertion)
                    assert doc.offset_map.to_normalized(r.orig_start) == r.norm_start
                assert doc.offset_map.to_normalized(r.orig_end) == r.norm_end


def test_offsets_map_both_ways_outside_repairs(parsed_corpus):
    doc = parsed_corpus["002"]
    # Every word that normalization left alone maps to the same word in the original.
    for m in list(re.finditer(r"[A-Za-z]{6,}", doc.normalized))[::37]:
        o_start = doc.offset_map.to_original(m.start())
        o_end = doc.offset_map.to_original(m.end())
        assert doc.original[o_start:o_end] == m.group()


def test_apply_edits_drops_overlaps_and_keeps_priority():
    text = "abcdefghij"
    edits = [Edit(2, 5, "X", "a"), Edit(4, 6, "Y", "b"), Edit(8, 8, "-", "c")]
    out, repairs = apply_edits(text, edits)
    assert out == "abXfgh-ij"
    assert [r.kind for r in repairs] == ["a", "c"]
    omap = offset_map(repairs)
    assert omap.to_normalized(6) == 4 and omap.to_original(4) == 6
    assert omap.to_original(len(out)) == len(text)


# --- the five documents ----------------------------------------------------------


def test_001_markdown_front_matter_headings_images_mojibake(parsed_corpus):
    doc = parsed_corpus["001"]
    assert doc.format == "markdown"
    assert "â€" not in doc.normalized and "Ã" not in doc.normalized
    assert "Armenian-Azerbaijani war (1918–1920)" in doc.normalized
    infobox = doc.infobox["infoboxes"][0]
    assert infobox["conflict"]["text"] == "Armenian–Azerbaijani war"
    assert "🇦🇲 Armenia" in infobox["combatant1"]["text"]
    titles = [s.title for s in doc.sections]
    for heading in (
        "Background",
        "War proper",
        "Fight for Nakhichevan, 1919–20",
        "Treaty of Kars, 23 October 1921",
    ):
        assert heading in titles
    war = doc.sections[titles.index("Fight for Baku and Karabakh, 1918–19")]
    assert war.level == 3 and doc.sections[war.parent].title == "War proper"
    for start, end, kind, _p in doc.passages():
        text = doc.normalized[start:end]
        assert "![" not in text and "](" not in text and "## " not in text, text
        assert "*Evelina*" not in text
    assert "the ship Evelina was armed" in doc.normalized
    assert any(r.kind == "mojibake" and r.replacement == "–" for r in doc.repairs)


def test_001_lost_byte_mojibake_in_azerbaijani_names(parsed_corpus):
    doc = parsed_corpus["001"]
    assert "Kılıç" in doc.infobox["infoboxes"][0]["commander2"]["text"] or "Kılıç" in str(
        doc.infobox
    )
    assert "Ələsgərli" in doc.normalized
    assert "Şərur" in doc.normalized


def test_002_stripped_characters_repaired(parsed_corpus):
    doc = parsed_corpus["002"]
    assert "Armenian–Azerbaijani war (1918–1920)" in doc.normalized
    assert "January 22–25 (9–12)" in doc.normalized
    assert "Tiflis–Bilajari" in doc.normalized
    assert "Alexandropol–Dilijan–Aghstafa" in doc.normalized
    assert "Christians—mostly Armenians—to" in doc.normalized
    for glued in (
        "Colonel Plowden—the",
        "TSFSR—was",
        "Erivan Governorate—were",
        "Arsen Mikaelyan—an",
    ):
        assert glued in doc.normalized
    for word in (
        "Governor-Generalship",
        "Karabakhis" if "Karabakhis" in doc.original else "Karabakh",
    ):
        assert word in doc.normalized
    assert "(September 20–24)" in doc.normalized
    assert "27–28 April" in doc.normalized and "22–23 March" in doc.normalized
    assert "1905–1906" in doc.normalized
    # Real words are left alone.
    assert "Southwestern" in doc.normalized
    assert all(r.kind == "stripped_dash" for r in doc.repairs)


def test_003_bibliography_is_its_own_kind(parsed_corpus):
    doc = parsed_corpus["003"]
    kinds = [kind for _s, _e, kind, _p in doc.passages()]
    assert kinds.count("bibliography") == 3
    bib = [doc.normalized[s:e] for s, e, k, _p in doc.passages() if k == "bibliography"]
    assert bib[0].startswith("Kadishev, A. B.")
    sentences = [doc.normalized[s:e] for s, e, k, _p in doc.passages() if k == "sentence"]
    assert not any("Moscow, 1960" in s for s in sentences)


def test_004_infobox_rows_and_reference_markers(parsed_corpus):
    doc = parsed_corpus["004"]
    rows = doc.infobox["infobox"]
    assert rows["date"] == "27 April – 12 May 1920"
    assert rows["commander2"] == "Mammad H. Hajinski Samad Mehmandarov"
    assert rows["result"] == "Bolshevik victory"
    infobox_passages = [doc.normalized[s:e] for s, e, k, _p in doc.passages() if k == "infobox"]
    assert "Date: 27 April – 12 May 1920" in infobox_passages
    for s, e, kind, _p in doc.passages():
        text = doc.normalized[s:e]
        assert not re.search(r"\[\d+\]", text), text
        assert "|" not in text
    assert "Azerbaijan Democratic Republic. This invasion" in doc.normalized


def test_000_captions_are_not_narrative(parsed_corpus):
    doc = parsed_corpus["000"]
    captions = [doc.normalized[s:e] for s, e, k, _p in doc.passages() if k == "caption"]
    assert captions == ["Click on the map for better resolution", "The ruins of Shusha / June 1920"]
    sentences = [doc.normalized[s:e] for s, e, k, _p in doc.passages() if k == "sentence"]
    assert any(s.startswith("On August 10 1920, the cease-fire agreement") for s in sentences)


# --- sentence splitting ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "According to Russian historian A.B. Shirokorad, the invasion followed a plan. It worked.",
        "The officer V.M. Mukhanov reported it. Nobody listened.",
        "The explorer M. A. Przhevalsky travelled there. He returned.",
        "Gen. Thomson arrived in Baku. He took command.",
        "Dr. Khosrov bey Sultanov was appointed governor. The Armenians protested.",
        "Lt. Col. Smith and St. Petersburg were mentioned. Then more.",
    ],
)
def test_sentences_do_not_break_on_initials_and_titles(text):
    assert len(_sentences(text)) == 2, _sentences(text)


def test_sentences_do_not_break_inside_quotations():
    text = 'He wrote: "The army is ready. We march at dawn." Then he left. “Stop. Now.” She said.'
    assert _sentences(text) == [
        'He wrote: "The army is ready. We march at dawn."',
        "Then he left.",
        "“Stop. Now.”",
        "She said.",
    ]


def test_sentences_end_on_roman_numeral_of_a_war():
    assert len(_sentences("It began in World War I. Then it ended.")) == 2


def test_corpus_sentences_keep_names_whole(parsed_corpus):
    doc = parsed_corpus["004"]
    sentences = [doc.normalized[s:e] for s, e, k, _p in doc.passages() if k == "sentence"]
    assert any("A.B. Shirokorad, the Soviet invasion" in s for s in sentences)


# --- bad input --------------------------------------------------------------------------


def test_empty_file_is_refused_by_name():
    with pytest.raises(IngestError, match="empty.txt: the file is empty"):
        parse_bytes(b"", "empty.txt")
    with pytest.raises(IngestError, match="empty"):
        parse_bytes(b"  \n\n ", "blank.txt")


def test_binary_file_is_refused_by_name():
    with pytest.raises(
        IngestError, match="pic.txt: not a text document — it looks like a PNG image"
    ):
        parse_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "pic.txt")
    with pytest.raises(IngestError, match="NUL"):
        parse_bytes(b"abc\x00def" * 100, "blob.txt")


def test_cp1252_file_is_decoded_with_a_warning():
    doc = parse_bytes(
        "Kâzım Karabekir took Kars – in 1920.".encode("cp1252", errors="replace"), "old.txt"
    )
    assert doc.encoding == "cp1252"
    assert "Kâz" in doc.normalized and "–" in doc.normalized
    assert any("not valid UTF-8" in w and "old.txt" in w for w in doc.warnings)


def test_five_megabyte_single_line():
    text = ("On 5 April 1920 the army advanced on Shusha. " * 120_000).strip()
    assert len(text) > 5_000_000
    doc = parse_text(text, "big.txt")
    passages = doc.passages()
    assert len(passages) == 120_000
    s, e, _k, _p = passages[-1]
    assert doc.normalized[s:e] == "On 5 April 1920 the army advanced on Shusha."


def test_markup_is_kept_verbatim_as_text():
    doc = parse_text("<script>alert(1)</script> and <b>bold</b> text. Second sentence.", "x.txt")
    assert doc.normalized.startswith("<script>alert(1)</script> and <b>bold</b> text.")
    first = doc.passages()[0]
    assert doc.normalized[first[0] : first[1]] == "<script>alert(1)</script> and <b>bold</b> text."


def test_invalid_front_matter_keeps_the_body_and_tells_the_user():
    text = "---\ntitle: [unclosed\nkey: : :\n---\n\n# Heading\n\nThe body is here. It has two sentences.\n"
    doc = parse_text(text, "broken.md")
    assert doc.infobox is None
    assert any("front matter is not valid YAML" in w and "broken.md" in w for w in doc.warnings)
    assert "The body is here." in doc.normalized
    assert "unclosed" not in doc.normalized


def test_utf16_with_bom():
    doc = parse_bytes("\ufeffNakhichevan’ in 1920.".encode("utf-16"), "u16.txt")
    assert doc.normalized == "Nakhichevan’ in 1920."
