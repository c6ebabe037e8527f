"""Discovery of names the gazetteer does not cover.

A capitalised word sequence ("Colonel Tongiyev", "Armistice of Mudros") that no
mention covers is a candidate name, unless the stop list
(``resources/curated/entities_stoplist.yaml``) explains why it is not one
(titles, months, sentence-initial words, event names, ...). Two rules keep the
stop list short and work on documents nobody curated: a single word whose
lower-case form occurs in the corpus (``However``, ``Parliament``) is an
ordinary word, and so is any sentence-initial word with that property.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick

from db.resources import resource_path
from db.yamlio import load_yaml

_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’\-]*"
_CONNECTORS = frozenset(
    {"of", "the", "de", "al", "bey", "ibn", "von", "van", "der", "du", "la", "le"}
)
# "Council of the Republic", "Amir bey Zamanbeyzadeh" are one name; "the" joins only
# after "of" ("After the Armistice the Ottoman Empire" is two).
_JOIN = r"(?:of(?:[ \t]+the)?|de|al|bey|ibn|von|van|der|du|la|le)"
_SEQUENCE = re.compile(rf"(?<![\w'’\-]){_WORD}(?:(?:[ \t]+{_JOIN})?[ \t]+{_WORD})*")
_LOWER_WORD = re.compile(r"(?<![\w'’\-])[a-z][a-z\-]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words that start sentences in any English text; with the corpus's own lower-case
#: vocabulary they keep "Later the Tarkhun Regiment" or "According to ..." from
#: reading as names even in a short document that never uses them in lower case.
COMMON_WORDS = _words(
    """
    a about above according accordingly after afterwards again against all almost
    also although always among an and another any anyway are around as at because
    before behind below beside besides between beyond both but by consequently
    despite did do does during each earlier either else elsewhere even eventually
    every everyone few finally first following for formerly from further
    furthermore had has have having he hence her here hers herself him himself his
    how however i if in indeed instead is it its itself just last later least less
    likewise many may meanwhile might more moreover most much must my namely near
    neither never nevertheless next no none nonetheless nor not now of often on
    once one only or other others otherwise our ours out over perhaps previously
    rather second several she should similarly since so some someone sometimes
    soon still subsequently such than that the their them then there thereafter
    therefore these they third this those though through throughout thus to
    together too toward towards two under unless unlike until upon us very was we
    were what whatever when whenever where whereas wherever whether which while
    who whom whose why will with within without would yet you your
    """
)

#: Event names ("Battle of Sardarabad", "Treaty of Kars") are the events stage's,
#: not entities: a name with one of these words is not made an entity.
EVENT_WORDS = _words(
    """
    Battle Battles Siege Treaty Massacre Massacres Pogrom War Wars Armistice
    Agreement Conference Revolution Uprising Campaign Offensive Days Events Genocide
    """
)

_PLACE_HEADS = _words(
    """
    River Valley Mountain Mountains Pass Gorge Lake Sea Uyezd Uezd Governorate
    Province District Oblast Station Bay Plain Plateau Heights Village Island
    """
)
_PLACE_FIRST = _words(
    """
    Lake Mount Mt Cape Gulf Fort Port Upper Lower Greater Lesser New Old North South
    East West Northern Southern Eastern Western Central Nor Verin Nerkin Yukhari Ashaghi
    """
)
_UNIT_HEADS = _words(
    """
    Army Armies Regiment Division Corps Brigade Battalion Fleet Flotilla Detachment
    Squadron Expedition Legion Force Forces
    """
)
_POLITY_HEADS = _words("Republic Empire Kingdom Khanate Sultanate Emirate Federation Union State")
_ORG_WORDS = _words(
    """
    Party Committee Council Bureau Congress Commission Commissariat Society Assembly
    Ministry Government Sejm Parliament Company Movement League Organization
    Organisation Relief
    """
)
_PERSON_SUFFIX = re.compile(
    r"(?:ov|ova|ev|eva|yan|ian|ski|sky|zade|zadeh|oglu|dze|shvili|enko|ich)$"
)
_PLACE_PREPOSITIONS = _words("in at near to from toward towards into village villages of")
# Before a name of several words only these mean a place ("according to X", "wrote to X").
_PLACE_PREPOSITIONS_STRICT = _words("in at near into toward towards")
_HEAD_NOUNS = _PLACE_HEADS | _UNIT_HEADS | _POLITY_HEADS | _ORG_WORDS


@dataclass(frozen=True)
class StopList:
    words: dict[str, str]  # single word → reason
    phrases: dict[str, str]  # multi-word phrase → reason
    titles: frozenset[str]  # words that, before a name, mark a person
    _phrase_automaton: Any = field(default=None, compare=False, repr=False)

    def phrase_mask(self, text: str) -> bytearray:
        """1 over every stop phrase found (on word boundaries) in ``text``."""
        mask = bytearray(len(text))
        if not self.phrases:
            return mask
        automaton = self._phrase_automaton
        if automaton is None:
            automaton = ahocorasick.Automaton()
            for phrase in self.phrases:
                automaton.add_word(phrase, len(phrase))
            automaton.make_automaton()
            object.__setattr__(self, "_phrase_automaton", automaton)
        n = len(text)
        for last, length in automaton.iter(text):
            start, end = last - length + 1, last + 1
            if (start == 0 or not text[start - 1].isalnum()) and (
                end == n or not text[end].isalnum()
            ):
                mask[start:end] = b"\x01" * length
        return mask


def stoplist_path() -> Path:
    return resource_path("curated", "entities_stoplist.yaml")


def parse_stoplist(data: Any) -> StopList:
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list):
        raise ValueError("the stop list must hold a list under 'groups'")
    words: dict[str, str] = {}
    phrases: dict[str, str] = {}
    titles: set[str] = set()
    for n, group in enumerate(data["groups"], start=1):
        reason = group.get("reason") if isinstance(group, dict) else None
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError(f"stop list group {n}: a reason is required")
        entries = group.get("entries", [])
        if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
            raise ValueError(f"stop list group {n}: entries must be a list of strings")
        for e in entries:
            (phrases if " " in e else words)[e] = reason
        if group.get("titles"):
            titles.update(e for e in entries if " " not in e)
    return StopList(words, phrases, frozenset(titles))


@functools.lru_cache(maxsize=4)
def _load_cached(path: str, mtime: float) -> StopList:
    with open(path, encoding="utf-8") as fh:
        return parse_stoplist(load_yaml(fh))


def load_stoplist(path: Path | None = None) -> StopList:
    p = path or stoplist_path()
    if not p.exists():
        return StopList({}, {}, frozenset())
    return _load_cached(str(p), p.stat().st_mtime)


def lowercase_vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Every lower-case word of the texts: capitalised forms of these are ordinary words."""
    vocab: set[str] = set()
    for t in texts:
        vocab.update(_LOWER_WORD.findall(t))
    return frozenset(vocab)


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    name: str
    type: str  # guessed entity type


def _bare(token: str) -> str:
    for suffix in ("'s", "’s", "'", "’", "-"):
        if token.endswith(suffix):
            return token[: -len(suffix)]
    return token


def guess_type(words: Sequence[str], titled: bool, before: str) -> str:
    """A plausible entity type for an unknown name, from its words and what precedes it."""
    last = words[-1]
    if last in _PLACE_HEADS:
        return "place"
    if last in _UNIT_HEADS:
        return "military_unit"
    if last in _POLITY_HEADS:
        return "polity"
    if any(w in _ORG_WORDS for w in words):
        return "organisation"
    if words[0] in _PLACE_FIRST:
        return "place"
    if titled or _PERSON_SUFFIX.search(last):
        return "person"
    if len(words) >= 2:
        return "place" if before.lower() in _PLACE_PREPOSITIONS_STRICT else "person"
    return "place"


def find_unknown(
    text: str,
    passages: Sequence[tuple[int, int]],
    covered: bytearray,
    vocab: frozenset[str],
    stop: StopList,
) -> list[Candidate]:
    """Capitalised names in ``text`` that no mention covers (``covered[i]`` is 1 inside a mention)."""
    out: list[Candidate] = []
    stopped = stop.phrase_mask(text)
    for p_start, p_end in passages:
        for m in _SEQUENCE.finditer(text, p_start, p_end):
            if covered.find(0, m.start(), m.end()) < 0:
                continue  # all of it is a mention already (most sequences)
            cand = _candidate(text, p_start, m.start(), m.group(), covered, stopped, vocab, stop)
            if cand is not None:
                out.append(cand)
    return out


class _Misses:
    """A document's own lower-case words, noting each word asked for that it lacks."""

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words
        self.missed: set[str] = set()

    def __contains__(self, word: object) -> bool:
        if word in self.words:
            return True
        assert isinstance(word, str)
        self.missed.add(word)
        return False


@dataclass(frozen=True)
class Tentative:
    """What :func:`_candidate` made of one sequence, knowing only its document's words.

    A word in the document's lower-case vocabulary is in the corpus's too; a word
    ``missed`` there may not be, so the answer stands only if the corpus lacks every
    missed word (:func:`settle`).
    """

    p_start: int
    seq_start: int
    seq: str
    candidate: Candidate | None
    missed: frozenset[str]


def find_unknown_ahead(
    text: str,
    passages: Sequence[tuple[int, int]],
    covered: bytearray,
    stop: StopList,
) -> tuple[frozenset[str], list[Tentative]]:
    """:func:`find_unknown` for one document before the corpus's vocabulary is known
    (in a worker process): the document's lower-case words, and the sequences whose
    answer is a name or could change with the corpus's words, in order."""
    words = lowercase_vocabulary([text])
    out: list[Tentative] = []
    stopped = stop.phrase_mask(text)
    for p_start, p_end in passages:
        for m in _SEQUENCE.finditer(text, p_start, p_end):
            if covered.find(0, m.start(), m.end()) < 0:
                continue
            vocab = _Misses(words)
            cand = _candidate(text, p_start, m.start(), m.group(), covered, stopped, vocab, stop)
            if cand is not None or vocab.missed:
                out.append(Tentative(p_start, m.start(), m.group(), cand, frozenset(vocab.missed)))
    return words, out


def settle(
    text: str,
    tentative: Sequence[Tentative],
    covered: Callable[[], bytearray],
    vocab: frozenset[str],
    stop: StopList,
) -> list[Candidate]:
    """What :func:`find_unknown` gives with the corpus's ``vocab``, from
    :func:`find_unknown_ahead`'s answers (``covered`` is asked for only when one of
    them has to be worked out again)."""
    out: list[Candidate] = []
    masks: tuple[bytearray, bytearray] | None = None
    for t in tentative:
        cand = t.candidate
        if not vocab.isdisjoint(t.missed):
            if masks is None:
                masks = (covered(), stop.phrase_mask(text))
            cand = _candidate(text, t.p_start, t.seq_start, t.seq, masks[0], masks[1], vocab, stop)
        if cand is not None:
            out.append(cand)
    return out


def _candidate(
    text: str,
    p_start: int,
    seq_start: int,
    seq: str,
    covered: bytearray,
    stopped: bytearray,
    vocab: Container[str],
    stop: StopList,
) -> Candidate | None:
    # (start, end, bare word, kind) with kind in covered | stop | connector | name
    words: list[tuple[int, int, str, str]] = []
    sentence_start = not any(c.isalnum() for c in text[p_start:seq_start])
    titled = False
    for tm in re.finditer(r"\S+", seq):
        s, tok = seq_start + tm.start(), tm.group()
        bare = _bare(tok)
        e = s + len(bare)
        if tok in _CONNECTORS:
            kind = "connector"
        elif any(covered[s:e]):
            kind = "covered"
        elif (
            bare in stop.words
            or any(stopped[s:e])
            or len(bare) == 1
            or (
                s == seq_start
                and sentence_start
                and (bare.lower() in COMMON_WORDS or bare.lower() in vocab)
            )
        ):
            kind = "stop"
            if bare in stop.titles:
                titled = True
        else:
            kind = "name"
        words.append((s, e, bare, kind))

    def trim(
        ws: list[tuple[int, int, str, str]], drop: set[str]
    ) -> list[tuple[int, int, str, str]]:
        while ws and ws[0][3] in drop:
            ws = ws[1:]
        while ws and ws[-1][3] in drop:
            ws = ws[:-1]
        return ws

    words = trim(words, {"stop", "connector"})
    if not words:
        return None
    phrase = text[words[0][0] : words[-1][1]]
    if phrase in stop.phrases:
        return None
    core = trim(words, {"stop", "connector", "covered"})
    if not core:
        return None
    if not any(k == "name" for _s, _e, _b, k in core):
        return None
    if any(k == "name" and w in EVENT_WORDS for _s, _e, w, k in words):
        return None  # "Battle of Sardarabad": an event, for the events stage
    if len(core) == 1 and core[0][2].lower() in vocab:
        # "Treaty" of "Treaty of Kars": an ordinary word; the named thing is the phrase.
        if len(words) > 1 and any(k == "connector" for *_x, k in words):
            core = words
        else:
            return None
    elif len(core) == 1 and len(words) > 1 and core[0][2] in _HEAD_NOUNS:
        core = words  # "German Caucasus Expedition", not "Expedition"
    start, end = core[0][0], core[-1][1]
    name = text[start:end]
    if name in stop.phrases or name in stop.words:
        return None
    before_m = re.search(r"(\w+)\W*$", text[max(p_start, start - 30) : start])
    before = before_m.group(1) if before_m else ""
    wtitled = titled or any(k == "stop" and w in stop.titles for _s, _e, w, k in words)
    return Candidate(start, end, name, guess_type([w for *_x, w, _k in core], wtitled, before))
