"""Words that tell what kind of happening a clause narrates.

Each kind has a pattern over the clause's verbs and nouns; when several match,
the earlier kind in :data:`KIND_ORDER` wins (a clause that "signed a treaty
ending hostilities" is a treaty, one that "attacked and captured" a town is a
battle). Kinds are grouped into families for merging: two accounts of one
happening may call it an attack and a capture, but never a treaty and a massacre.
"""

from __future__ import annotations

import re

_KINDS: dict[str, str] = {
    "treaty": r"treaty|treaties|peace agreement|peace accord|signed (?:an? |the )?(?:\w+[- ])?(?:agreement|accord|pact|protocol)|agreement was signed|concluded? (?:an? )?(?:peace|agreement)",
    "ceasefire": r"cease-?fires?|armistices?|truces?|cessation of hostilities|cease (?:all )?military operations|cease offensive",
    "massacre": r"massacres?|massacred|pogroms?|slaughter\w*|annihilated|genocide|ethnic cleansing|deaths? of (?:up to |over |more than |about |nearly )?[\d,]+|killed (?:between |up to |over |more than |about |nearly )?[\d,–-]+ (?:armenians|azerbaijanis|muslims|civilians|people|inhabitants|residents)|murder\w*",
    "uprising": r"uprisings?|revolts?|revolted|rebell\w+|insurrection|insurgen\w+|coup|mutin\w+|rose (?:up )?against|rise against",
    "invasion": r"invad\w+|invasion|crossed (?:the )?(?:\w+ )?(?:border|demarcation line|frontier)|entering the country",
    "proclamation": r"proclaim\w*|proclamation|declared (?:its |their |his )?(?:own )?(?:independence|neutrality|itself|himself|soviet power|the (?:independent |annexation|establishment|formation))|declaration|independence was declared|was declared|were declared",
    "withdrawal": r"withdr[ae]w\w*|retreat\w*|evacuat\w+|pulled back|abandoned|left the (?:town|city|region)|departed|recalled|fled",
    "battle": r"battles?|fought|fighting|attack\w*|assaults?|clash\w*|skirmish\w*|offensives?|counter-?attack\w*|counter-offensive|defeat\w*|repel\w*|besieged|siege|bombard\w*|shell\w*|engaged|encountered|resist\w*|ambush\w*|crushed|put down|drove out|dislodge\w*|broke through|expelled",
    "occupation": r"occup\w+|captur\w+|recaptur\w+|seiz\w+|took (?:over|control)|taken|took|entered|enter|fell|fall of|liberated|annex\w+|established (?:its )?(?:control|authority|rule)|reconquered|conquered|arrived in|marched",
    "negotiation": r"negotiat\w+|talks|conference|delegations?|mediat\w+|telegra\w+|a note|sent (?:a |the )?(?:note|letter|telegram|ultimatum)|ultimatum|met with|meeting|proposals?|proposed|demanded|appeal",
    "political": r"appoint\w*|resign\w*|elected|cabinet|government was|recogni[sz]\w+|dissol\w+|decree\w*|ordered|order|decided|decision|convened|congress|established|formed|founded|created|formation|transfer\w*|sovietization|sovietized|surrender\w*|mobiliz\w+|martial law|arrested|executed|issued",
}

KIND_ORDER: tuple[str, ...] = tuple(_KINDS)

KIND_PATTERNS: dict[str, re.Pattern[str]] = {
    k: re.compile(r"\b(?:" + p + r")\b", re.IGNORECASE) for k, p in _KINDS.items()
}

#: One pattern with a named group per kind, so one scan finds every kind present.
ANY_KIND = re.compile(
    "|".join(rf"\b(?P<{k}>{p})\b" for k, p in _KINDS.items()),
    re.IGNORECASE,
)

FAMILY: dict[str, str] = {
    "battle": "military",
    "occupation": "military",
    "invasion": "military",
    "withdrawal": "military",
    "uprising": "military",
    "massacre": "violence",
    "treaty": "accord",
    "ceasefire": "accord",
    "negotiation": "accord",
    "proclamation": "state",
    "political": "state",
    "other": "other",
}


def compatible(a: str, b: str) -> bool:
    """Whether two kinds can describe one happening in different accounts."""
    if a == b:
        return True
    fa, fb = FAMILY[a], FAMILY[b]
    if fa == fb:
        return True
    # An attack on a town is often told as a massacre by one side.
    return {fa, fb} == {"military", "violence"} or "other" in (fa, fb)


# Relative and participial asides ("who had declared himself governor", "which
# recognized ...") describe something else than the clause's own happening.
_ASIDE = re.compile(r",\s*(?:who|which|whose|whom|where)\b[^,;]*(?:,|$)")


def classify(clause: str) -> tuple[str, int]:
    """The kind of happening a clause narrates and where its trigger word starts (-1 if none)."""
    main = _ASIDE.sub(lambda m: "," + " " * (len(m.group(0)) - 1), clause)
    kind, pos = _classify(main)
    if kind == "other" and main != clause:
        return _classify(clause)
    return kind, pos


def _classify(clause: str) -> tuple[str, int]:
    best = len(KIND_ORDER)
    pos = -1
    ceasefire_at = -1
    treaty_word = False
    for m in ANY_KIND.finditer(clause):
        kind = m.lastgroup
        if kind is None:
            continue
        if kind == "ceasefire" and ceasefire_at < 0:
            ceasefire_at = m.start()
        if kind == "treaty" and re.search(r"treat|peace", m.group(0), re.IGNORECASE):
            treaty_word = True
        rank = KIND_ORDER.index(kind)
        if rank < best:
            best, pos = rank, m.start()
    if best == 0 and ceasefire_at >= 0 and not treaty_word:
        # "a ceasefire agreement was signed": the agreement is a ceasefire.
        return "ceasefire", ceasefire_at
    if best == len(KIND_ORDER):
        return "other", -1
    return KIND_ORDER[best], pos
