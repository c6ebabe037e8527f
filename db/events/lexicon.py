"""Words that tell what kind of happening a clause narrates.

Each kind has a pattern over the clause's verbs and nouns; when several match,
the earlier kind in :data:`KIND_ORDER` wins (a clause that "signed a treaty
ending hostilities" is a treaty, one that "attacked and captured" a town is a
battle). Kinds are grouped into families for merging: two accounts of one
happening may call it an attack and a capture, but never a treaty and a massacre.
"""

from __future__ import annotations

import re

from db.events.titles import lead_length

_KINDS: dict[str, str] = {
    "treaty": r"reached an? agreement|securing an? [\w–-]+ agreement|treaty|treaties|peace agreement|peace accord|signed (?:an? |the )?(?:\w+[- ])?(?:agreement|accord|pact|protocol)|agreement was signed|concluded? (?:an? )?(?:peace|agreement)",
    "ceasefire": r"cease-?fires?|armistices?|truces?|cessation of hostilities|cease (?:all )?military operations|cease offensive",
    "massacre": r"massacres?|massacred|pogroms?|slaughter\w*|annihilated|genocide|ethnic cleansing|deaths? of (?:up to |over |more than |about |nearly )?[\d,]+|killed (?:between |up to |over |more than |about |nearly )?[\d,–-]+ (?:armenians|azerbaijanis|muslims|civilians|people|inhabitants|residents)|murder\w*",
    "uprising": r"uprisings?|revolts?|revolted|rebell\w+|insurrection|insurgen\w+|coup|mutin\w+|rose (?:up )?against|rise against",
    "invasion": r"invad\w+|invasion|crossed (?:the )?(?:\w+ )?(?:border|demarcation line|frontier)|entering the country",
    "proclamation": r"proclaim\w*|proclamation|declared (?:its |their |his )?(?:own )?(?:independence|neutrality|itself|himself|soviet power|the (?:independent |annexation|establishment|formation))|declaration|independence was declared|was declared|were declared",
    "withdrawal": r"withdr[ae]w\w*|retreat\w*|evacuat\w+|pulled back|abandoned|left the (?:town|city|region)|departed|recalled|fled",
    "battle": r"launched (?:\w+ ){0,2}operations|escalated (?:\w+ ){0,2}into (?:a )?(?:full-scale )?war|battles?|fought|fighting|attack\w*|assaults?|clash\w*|skirmish\w*|offensives?|counter-?attack\w*|counter-offensive|defeat\w*|repel\w*|besieged|siege|bombard\w*|shell\w*|engaged|encountered|resist\w*|ambush\w*|crushed|put down|drove out|dislodge\w*|broke through|expelled",
    "occupation": r"reached the borders?|occup\w+|captur\w+|recaptur\w+|seiz\w+|took (?:over|control)|taken|took|entered|enter|fell|fall of|liberated|annex\w+|established (?:its )?(?:control|authority|rule)|reconquered|conquered|arrived in|marched",
    "negotiation": r"sent (?:\w+ )?representatives|draft agreement|(?:\w+ ){0,3}note was sent|request\w* (?:\w+ )?(?:aid|assistance)|agreed to start|negotiat\w+|talks|conference|delegations?|mediat\w+|telegra\w+|a note|sent (?:a |the )?(?:note|letter|telegram|ultimatum)|ultimatum|met with|meeting|proposals?|proposed|demanded|appeal",
    "political": r"declared (?:its|their) intention|collaps\w+|muslimization|it was decided|appoint\w*|resign\w*|elected|cabinet|government was|recogni[sz]\w+|dissol\w+|decree\w*|ordered|order|decided|decision|convened|congress|established|formed|founded|created|formation|transfer\w*|sovietization|sovietized|surrender\w*|mobiliz\w+|martial law|arrested|executed|issued",
}

KIND_ORDER: tuple[str, ...] = tuple(_KINDS)

KIND_PATTERNS: dict[str, re.Pattern[str]] = {
    k: re.compile(r"\b(?:" + p + r")\b") for k, p in _KINDS.items()
}

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
    return _COMPATIBLE[a, b]


def _compatible(a: str, b: str) -> bool:
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


# Word beginnings (up to four letters) at least one of which a clause must contain for
# a kind's pattern to be tried: a cheap gate in front of the regular expressions, which
# are the costly part of classifying large corpora.
_ANCHORS: dict[str, frozenset[str]] = {
    "treaty": frozenset(["trea", "peac", "sign", "agre", "conc", "reac", "secu"]),
    "ceasefire": frozenset(["ceas", "armi", "truc", "cess"]),
    "massacre": frozenset(["mass", "pogr", "slau", "anni", "geno", "ethn", "deat", "kill", "murd"]),
    "uprising": frozenset(["upri", "revo", "rebe", "insu", "coup", "muti", "rose", "rise"]),
    "invasion": frozenset(["inva", "cros", "ente"]),
    "proclamation": frozenset(["proc", "decl", "inde", "was", "were"]),
    "withdrawal": frozenset(
        ["with", "retr", "evac", "pull", "aban", "left", "depa", "reca", "fled"]
    ),
    "battle": frozenset(
        [
            "batt",
            "foug",
            "figh",
            "atta",
            "assa",
            "clas",
            "skir",
            "offe",
            "coun",
            "defe",
            "repe",
            "besi",
            "sieg",
            "bomb",
            "shel",
            "enga",
            "enco",
            "resi",
            "ambu",
            "crus",
            "put",
            "drov",
            "brok",
            "expe",
            "disl",
            "laun",
            "esca",
        ]
    ),
    "occupation": frozenset(
        [
            "occu",
            "capt",
            "reca",
            "seiz",
            "took",
            "take",
            "ente",
            "fell",
            "fall",
            "libe",
            "anne",
            "esta",
            "reco",
            "conq",
            "arri",
            "marc",
            "reac",
        ]
    ),
    "negotiation": frozenset(
        [
            "nego",
            "talk",
            "conf",
            "dele",
            "medi",
            "tele",
            "note",
            "sent",
            "ulti",
            "met",
            "meet",
            "prop",
            "dema",
            "appe",
            "repr",
            "draf",
            "requ",
            "agre",
        ]
    ),
    "political": frozenset(
        [
            "appo",
            "resi",
            "elec",
            "cabi",
            "gove",
            "reco",
            "diss",
            "decr",
            "orde",
            "deci",
            "conv",
            "cong",
            "esta",
            "form",
            "foun",
            "crea",
            "tran",
            "sovi",
            "surr",
            "mobi",
            "mart",
            "arre",
            "exec",
            "issu",
            "inte",
            "coll",
            "musl",
            "it",
        ]
    ),
}
_WORD = re.compile(r"[a-z]+")


_COMPATIBLE = {(a, b): _compatible(a, b) for a in FAMILY for b in FAMILY}


def classify(clause: str) -> tuple[str, int]:
    """The kind of happening a clause narrates and where its trigger word starts (-1 if none).

    The main clause decides: the first trigger after any introductory phrase ("Shortly
    before the fall of the government, Kerensky ordered ..." is an order, not a fall;
    "X convened and was forced to acknowledge clashes" is a meeting). Without one, the
    kinds are tried in :data:`KIND_ORDER` over the whole clause.
    """
    main = _ASIDE.sub(lambda m: "," + " " * (len(m.group(0)) - 1), clause)
    main = _PARTICIPLE_ASIDE.sub(lambda m: "," + " " * (len(m.group(0)) - 1), main)
    decided = main.find("it was decided")
    start = decided if decided >= 0 else _main_start(main)
    kind, pos = _first_trigger(main, start)
    if kind != "other" and main.count(" ", start, pos) <= _MAIN_WORDS:
        return kind, pos
    kind, pos = _classify(main)
    if kind == "other" and main != clause:
        return _classify(clause)
    return kind, pos


# The first trigger decides only when it is among the main clause's first words (its
# subject and verb); further on, the kinds are tried in order over the whole clause.
_MAIN_WORDS = 10
_CIRCUMSTANCE = re.compile(
    r"^(?:in response to|in retaliation for|despite|following|after|due to|as a result of|amid|"
    r"upon|shortly (?:before|after)|before|with|under|in an attempt to|to)\b[^,;]{0,200},\s*",
    re.IGNORECASE,
)


def _main_start(clause: str) -> int:
    """Where the main clause starts, after introductory phrases."""
    m = _CIRCUMSTANCE.match(clause)
    if m is not None and len(clause) - m.end() > 10:
        return m.end()
    return lead_length(clause)


# Participial asides ("the 27th Division, transferred from Thessaloniki, arrived").
_PARTICIPLE_ASIDE = re.compile(
    r",\s*(?:[a-z]+ed\s+(?:from|by|to|in|at)|(?:seeking|hoping|trying|wishing|fearing))\b[^,;]*,"
)


def _first_trigger(clause: str, start: int) -> tuple[str, int]:
    lower = clause.lower()
    prefixes = {w[:4] for w in _WORD.findall(lower[start:])}
    best, best_pos = "other", -1
    for kind in KIND_ORDER:
        if not (_ANCHORS[kind] & prefixes):
            continue
        m = KIND_PATTERNS[kind].search(lower, start)
        if m is None or (best_pos >= 0 and m.start() >= best_pos):
            continue
        best, best_pos = kind, m.start()
    if best_pos >= 0 and lower.startswith(("issued", "issue"), best_pos):
        # "issued an ultimatum / a declaration": what is issued tells the kind.
        for kind in KIND_ORDER:
            m = KIND_PATTERNS[kind].search(lower, best_pos + 5, best_pos + 40)
            if m is not None and kind != best:
                return kind, m.start()
    if best == "treaty":
        m = KIND_PATTERNS["treaty"].search(lower, start)
        if m is not None and not re.search(r"treat|peace|reached|securing", m.group(0)):
            cease = KIND_PATTERNS["ceasefire"].search(lower)
            if cease is not None:
                return "ceasefire", cease.start()
    return best, best_pos


def _classify(clause: str) -> tuple[str, int]:
    lower = clause.lower()
    prefixes = {w[:4] for w in _WORD.findall(lower)}
    for kind in KIND_ORDER:
        if not (_ANCHORS[kind] & prefixes):
            continue
        m = KIND_PATTERNS[kind].search(lower)
        if m is None:
            continue
        if kind == "treaty" and not re.search(r"treat|peace", m.group(0)):
            cease = KIND_PATTERNS["ceasefire"].search(lower)
            if cease is not None:
                # "a ceasefire agreement was signed": the agreement is a ceasefire.
                return "ceasefire", cease.start()
        return kind, m.start()
    return "other", -1
