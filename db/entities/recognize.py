"""Mention recognition: every gazetteer spelling found in a text in one pass.

One Aho-Corasick automaton holds every spelling (aliases, shared spellings,
adjectives, plus apostrophe and ASCII-stripped variants generated here). A
match counts only on word boundaries, so ``Kars`` is never found inside
``Karsten``; where matches overlap the leftmost, then longest, wins (``Baku
Commune`` over ``Baku``, ``11th Red Army`` over ``Red Army``). Spellings are
case-sensitive: proper names are capitalised, and lower-case ``dro`` or
``ray`` are ordinary words.

Possessives need no special case (``Andranik's``: the apostrophe is a
boundary), except in document 002, whose apostrophes were stripped
(``Andraniks``, ``Dros``): a name followed directly by ``s`` and a boundary
is accepted as its possessive. After a lower-case prefix (``anti-Soviet``,
``pro-Russian``) a spelling is not a mention.

An adjective (``Armenian``) is always a mention of its polity or people, and
a participant only when what follows is an actor or an action (``Armenian
troops``, ``Armenian government``, ``Armenian offensive``, ``British Gen.
Thomson``) or when it is used as a noun (``the British withdrew``); ``Armenian
villages`` is not.

A spelling shared by several entities (``Sultanov``, ``Khalil``) goes to the
candidate last named in full earlier in the same section; failing that, to the
one whose context words occur around it; failing that, to the first listed.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick

from db.entities.gazetteer import Gazetteer


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Nouns after an adjective that make it stand for the state or people acting:
#: "Armenian troops" is Armenia taking part, "Armenian villages" is not.
ACTOR_NOUNS = _words(
    """
    troops army armies force forces soldiers units unit detachment detachments
    regiment regiments battalion battalions brigade brigades division divisions
    corps cavalry infantry artillery artillerymen militia militias militiamen partisans
    guerrillas guerillas fighters irregulars regulars insurgents rebels volunteers
    officers officer commander commanders command garrison garrisons platoons
    companies police gendarmes defenders positions lines front occupants warlords
    bandits nationalists government governments authorities authority cabinet
    administration leadership leaders leader parliament delegation delegations
    delegates representatives representative envoy envoys diplomats minister
    ministers ministry mission officials official commissioner commissioners
    governor governor-general colonel captain side sides bands band war
    wars conflict offensive offensives counteroffensive counter-offensive attack
    attacks counterattack counter-attack assault assaults advance invasion
    invasions occupation resistance uprising uprisings revolt rebellion
    intervention column columns assistance support aid operation operations withdrawal
    retreat pressure campaign
    """
)

#: Capitalised titles after an adjective: someone acting for that state
#: ("British Gen. W. Thomson", "British Chief Commissioner").
TITLES = sorted(
    _words(
        "General Gen Colonel Col Captain Major Lieutenant Admiral Sir Chief Commissioner "
        "Governor-General Governor Ambassador Consul Commander"
    ),
    key=len,
    reverse=True,
)

_ACTOR_ALTERNATION = "|".join(sorted(ACTOR_NOUNS, key=len, reverse=True))
# After the adjective (and any coordinated ones: "Armenian and Azerbaijani",
# "Armenian–Azerbaijani"): an actor noun, in any case ("Armenian–Azerbaijani War",
# "Soviet Russian Government"), or one word then an actor noun in lower case
# ("Armenian regular troops"; not "Russian Civil War"), or "Prime Minister".
_ACTOR_TAIL = re.compile(
    r"(?:(?:\s*[-–—/]\s*|\s+and\s+|\s*,\s*|\s+or\s+)[A-Z][\w'’]*)*[ \t]+"
    rf"(?:(?i:{_ACTOR_ALTERNATION})(?![\w\-])"
    rf"|[A-Za-z][a-z\-]*[ \t]+(?:{_ACTOR_ALTERNATION})(?![\w\-])"
    r"|(?:Prime|Foreign|War|Interior)[ \t]+Minister\b"
    rf"|(?:{'|'.join(TITLES)})(?![\w\-]))"
)


_NEXT_TOKEN = re.compile(r"[ \t]*(\w+|[^\w\s])")
_FUNCTION_WORDS = _words(
    "to had has have was were did in at on from with by who which that also then would "
    "could for as still now along against under over into out after before during since "
    "because but although while when where"
)
# Punctuation after "the British" that shows a noun; not "-" ("the Armenian-populated").
_NOMINAL_PUNCTUATION = frozenset(",.;:)!?\"”’'")


class Found(NamedTuple):
    """One mention: offsets into the text, the entity, how it was resolved.

    A named tuple rather than a dataclass: recognition makes millions of these."""

    start: int
    end: int
    entity_id: str
    method: str  # "gazetteer" (unique spelling) or "context" (shared spelling resolved)
    participant: bool  # False for an adjective that does not stand for an actor


@dataclass(frozen=True, slots=True)
class _Spelling:
    text: str
    candidates: tuple[str, ...]  # entity ids; more than one when ambiguous
    adjective: bool
    possessive_s: bool  # accept "Xs" as the stripped possessive "X's"


def _variants(text: str) -> set[str]:
    """The spelling itself, with either apostrophe, and as ASCII-stripped text."""
    out = {text}
    for t in list(out):
        if "'" in t:
            out.add(t.replace("'", "’"))
        if "’" in t:
            out.add(t.replace("’", "'"))
    if not text.isascii():
        folded = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
        for t in (text, folded):
            stripped = "".join(c for c in t if c.isascii())
            if len(stripped) >= 3 and stripped[0].isupper():
                out.add(stripped)
        if folded.isascii():
            out.add(folded)
    return out


class Recognizer:
    """Finds gazetteer mentions in text; build once, use for many documents."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.context_words = {e.id: e.context for e in gazetteer.entities}
        explicit: dict[str, tuple[list[str], bool]] = {}
        for e in gazetteer.entities:
            for text in e.aliases + e.ambiguous:
                explicit.setdefault(text, ([], False))[0].append(e.id)
            for text in e.adjectives:
                explicit[text] = ([e.id], True)
        spellings: dict[str, _Spelling] = {}
        # Explicit spellings first, so a generated variant never overrides one.
        for text, (ids, adjective) in explicit.items():
            spellings[text] = self._spelling(text, ids, adjective)
        for text, (ids, adjective) in explicit.items():
            for v in _variants(text) - {text}:
                if v not in spellings:
                    spellings[v] = self._spelling(v, ids, adjective)
        self.spellings = list(spellings.values())
        self._lengths = [len(s.text) for s in self.spellings]
        # Per spelling, for the hot loop: 0 a unique name, 1 an adjective, 2 shared.
        self._kinds = [
            2 if len(s.candidates) > 1 else 1 if s.adjective else 0 for s in self.spellings
        ]
        self._first = [s.candidates[0] for s in self.spellings]
        self._longest = max(self._lengths, default=1)
        automaton = ahocorasick.Automaton()
        for i, s in enumerate(self.spellings):
            automaton.add_word(s.text, i)
        automaton.make_automaton()
        self._automaton = automaton

    @staticmethod
    def _spelling(text: str, ids: list[str], adjective: bool) -> _Spelling:
        possessive = not adjective and text[-1].isalpha() and text[-1] not in "sS"
        return _Spelling(text, tuple(dict.fromkeys(ids)), adjective, possessive)

    def _accept(self, text: str, start: int, end: int, idx: int) -> bool:
        """Is text[start:end] (spelling ``idx``) a whole word, or a name's stripped possessive?"""
        n = len(text)
        if start > 0:
            before = text[start - 1]
            if before.isalnum():
                return False
            # "pro-Russian", "anti-Armenian": after a lower-case prefix, not a
            # mention ("Armenian-Azerbaijani" and "Kurdo-Tatar" are).
            if before == "-" and start > 1 and text[start - 2].isalpha():
                w = start - 2
                while w > 0 and text[w - 1].isalpha():
                    w -= 1
                if text[w].islower():
                    return False
        if end < n and text[end].isalnum():
            return (
                text[end] == "s"
                and self.spellings[idx].possessive_s
                and (end + 1 >= n or not text[end + 1].isalnum())
            )
        return True

    def spans(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, spelling index) of every accepted match, leftmost-longest, no overlaps.

        The automaton's own leftmost-longest scan does most of the work in C. Where
        its match fails the word-boundary test ("anti-Soviet", or "Armeniansto" glued
        by the stripped text of 002), a shorter match, or one starting inside it, may
        still be valid: the window is scanned again and those matches are merged in.
        If one of them would overlap a match already taken, the text is done again
        with the exact (slower) method rather than risk a wrong choice.
        """
        lengths = self._lengths
        accept = self._accept
        found: list[tuple[int, int, int]] = []
        append = found.append
        rejected: list[tuple[int, int]] = []
        n = len(text)
        for last, idx in self._automaton.iter_long(text):
            start = last - lengths[idx] + 1
            end = last + 1
            # Fast path inline (most matches): plain boundaries on both sides.
            if (
                (start == 0 or (not (c := text[start - 1]).isalnum() and c != "-"))
                and (end == n or not text[end].isalnum())
            ) or accept(text, start, end, idx):
                append((start, end, idx))
            else:
                rejected.append((start, end))
        if not rejected:
            return found
        extras: list[tuple[int, int, int]] = []
        for r_start, r_end in rejected:
            # Scan a slice: the automaton copies whatever string it is given.
            window = text[r_start : r_end + self._longest]
            for last, idx in self._automaton.iter(window):
                start = r_start + last - lengths[idx] + 1
                end = r_start + last + 1
                if start < r_end and accept(text, start, end, idx):
                    extras.append((start, end, idx))
        if not extras:
            return found
        merged = self._merge(found, extras)
        return merged if merged is not None else self._spans_exact(text)

    @staticmethod
    def _merge(
        found: list[tuple[int, int, int]], extras: list[tuple[int, int, int]]
    ) -> list[tuple[int, int, int]] | None:
        """Add the window matches to the fast scan's; None if any would overlap one of it."""
        extras.sort(key=lambda t: (t[0], -t[1]))
        chosen: list[tuple[int, int, int]] = []
        reach = -1
        for item in extras:
            if item[0] >= reach:
                chosen.append(item)
                reach = item[1]
        starts = [f[0] for f in found]
        for start, end, _idx in chosen:
            k = bisect_right(starts, start)
            if (k > 0 and found[k - 1][1] > start) or (k < len(found) and found[k][0] < end):
                return None
        merged = found + chosen
        merged.sort()  # two sorted runs: a linear merge
        return merged

    def _spans_exact(self, text: str) -> list[tuple[int, int, int]]:
        """Every boundary-valid match, then leftmost-longest over them all."""
        lengths = self._lengths
        accept = self._accept
        valid = [
            (last - lengths[idx] + 1, -(last + 1), idx)
            for last, idx in self._automaton.iter(text)
            if accept(text, last - lengths[idx] + 1, last + 1, idx)
        ]
        valid.sort()
        chosen: list[tuple[int, int, int]] = []
        reach = -1
        for start, neg_end, idx in valid:
            if start >= reach:
                reach = -neg_end
                chosen.append((start, reach, idx))
        return chosen

    def find(self, text: str, section_starts: Sequence[int] = ()) -> list[Found]:
        """Mentions in ``text``; a shared spelling resolves to the candidate named
        nearest before it in the same section (``section_starts`` sorted), else by
        the context words of the surrounding text, else to its first candidate."""
        out: list[Found] = []
        append = out.append
        new_found = tuple.__new__  # skips the named tuple's Python-level __new__
        kinds, first = self._kinds, self._first
        acts = _ACTOR_TAIL.match
        last_seen: dict[str, int] = {}
        section = -1
        for start, end, idx in self.spans(text):
            if section_starts:
                sec = bisect_right(section_starts, start)
                if sec != section:
                    section = sec
                    last_seen.clear()
            kind = kinds[idx]
            if kind == 0:
                entity_id = first[idx]
                last_seen[entity_id] = start
                append(new_found(Found, (start, end, entity_id, "gazetteer", True)))
            elif kind == 1:
                participant = acts(text, end) is not None or self._noun_use(text, start, end)
                append(new_found(Found, (start, end, first[idx], "gazetteer", participant)))
            else:
                candidates = self.spellings[idx].candidates
                entity_id, method = self._resolve(candidates, last_seen, text, start, end)
                append(new_found(Found, (start, end, entity_id, method, True)))
        return out

    def _resolve(
        self,
        candidates: tuple[str, ...],
        last_seen: dict[str, int],
        text: str,
        start: int,
        end: int,
    ) -> tuple[str, str]:
        seen = [(last_seen[c], c) for c in candidates if c in last_seen]
        if seen:
            return max(seen)[1], "context"
        window = text[max(0, start - 400) : end + 400]
        scores = [
            (sum(window.count(w) for w in self.context_words.get(c, ())), -i, c)
            for i, c in enumerate(candidates)
        ]
        best = max(scores)
        if best[0] > 0:
            return best[2], "context"
        return candidates[0], "gazetteer"

    @staticmethod
    def _noun_use(text: str, start: int, end: int) -> bool:
        """An adjective used as a noun: "the Soviet's 11th Army", "ordered by the British to"."""
        if text.startswith(("'s", "’s"), end):
            return True
        if text[max(0, start - 4) : start] in ("the ", "The "):
            nxt = _NEXT_TOKEN.match(text, end)
            if nxt is None:
                return False
            word = nxt.group(1)
            # "the British preferred ...": a verb in the past tense follows a noun.
            return (
                word in _NOMINAL_PUNCTUATION
                or word in _FUNCTION_WORDS
                or (word.islower() and word.endswith("ed"))
            )
        return False

    @staticmethod
    def _acts(text: str, start: int, end: int) -> bool:
        """Does the adjective at text[start:end] stand for the state or people acting?"""
        return _ACTOR_TAIL.match(text, end) is not None or Recognizer._noun_use(text, start, end)
