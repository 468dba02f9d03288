"""Commitments (toezeggingen): sentences in which the sender promises, recalls or fulfils a promise.

A promise in a Kamerbrief is a grammatical construction, not a topic: a first-person or
cabinet actor, a future or modal verb, the Chamber as addressee ("zal ik uw Kamer
informeren", "kom ik hierop terug"), or the explicit vocabulary of promising ("toezegging",
"toegezegd").  Cues are spaCy Matcher patterns kept as data
(``data/commitment_patterns.json``); this module only adds the sentence-level checks that a
token pattern cannot express: who the actor is, whether the verb is past, whether the
sentence merely delivers this letter ("hierbij"), and the deadline (``deadlines.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import numpy as np
from spacy.attrs import LEMMA, LOWER, SENT_START
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.strings import hash_string  # type: ignore[attr-defined]
from spacy.tokens import Doc, Span, Token

from kamerbrief_extract.extract.deadlines import Deadline, find_deadlines

__all__ = ["CommitmentMatch", "commitments_in_doc", "find_commitments", "load_patterns"]


@dataclass(frozen=True, slots=True)
class CommitmentMatch:
    """One commitment sentence; offsets are character offsets into the given text."""

    kind: str  # "new" | "reference" | "fulfilled"
    text: str
    start: int
    end: int
    deadline: dt.date | None
    deadline_raw: str | None
    actor: str | None  # "ik" | "wij" | "kabinet" | "regering" | "minister" | ...
    addressee: str | None  # "uw Kamer" | "de Kamer" | "Tweede Kamer" | "u" | ...
    cue: str  # id of the pattern that fired
    cue_start: int
    cue_end: int
    deadline_precision: str | None = None  # "day" | "month" | "quarter" | "season" | "year"
    official: str | None = None  # a cabinet member the sentence names: "minister van Financiën"


@dataclass(frozen=True, slots=True)
class _Rule:
    id: str
    kind: str
    priority: int
    actor: str  # "sender" | "sender_or_passive" | "not_third_party" | "subject" | "any"
    constraints: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    sender_subjects: dict[str, str]
    sender_possessives: dict[str, str]
    cabinet_heads: dict[str, str]
    cabinet_determiners: frozenset[str]
    third_party_qualifiers: frozenset[str]
    future_aux: frozenset[str]
    perfect_aux: frozenset[str]
    third_person_finite: frozenset[str]
    passive_aux: frozenset[str]
    present_delivery: tuple[tuple[str, ...], ...]
    time_adverbs: frozenset[str]
    future_in_past: frozenset[str]
    finite_cues: frozenset[str]
    chamber_phrases: tuple[tuple[str, ...], ...]
    official_heads: frozenset[str]
    official_qualifiers: frozenset[str]
    negations: frozenset[str]
    request_verbs: frozenset[str]
    request_sources: frozenset[str]
    target_cues: frozenset[str]
    subordinators: frozenset[str]
    passive_future_aux: frozenset[str]
    past_forms: frozenset[str]
    not_acts: frozenset[str]
    requester_cues: frozenset[str]
    reporting_verbs: frozenset[str]
    document_nouns: frozenset[str]
    opinion_verbs: frozenset[str]
    first_person_forms: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Patterns:
    rules: dict[str, _Rule]
    raw: dict[str, list[list[dict[str, Any]]]]
    vocabulary: _Vocabulary
    anchors: frozenset[str]  # lower forms and lemmas a sentence needs for any cue at all
    single_lower: dict[str, tuple[str, ...]]  # one-word cues by lower form: rule ids
    single_lemma: dict[str, tuple[str, ...]]  # one-word cues by lemma: rule ids
    multi: dict[str, list[list[dict[str, Any]]]]  # cues of several words, for the Matcher
    multi_anchors: frozenset[str]  # words a sentence needs for any multi-word cue


# Participles of the cue verbs: with these the tense is in the auxiliary, and only a future or
# passive auxiliary ("zal ... worden geïnformeerd", "wordt ... geïnformeerd") makes a promise.
_PARTICIPLE = re.compile(
    r"^(ge|toege|ingel|teruggek|aangeb|aangel|opgel|voorgel|gerap|toegest).*[dt]$"
    r"|^(ontvangen|verzonden|toegezonden|aangeboden|verstuurd|verschenen)$"
)
# Any past participle: ge- after an optional separable prefix ("aangescherpt", "geëvalueerd",
# "opgeleverd"), or an unstressed prefix without ge- ("verbeterd", "herzien" aside).
_ANY_PARTICIPLE = re.compile(
    r"^(?:aan|af|bij|door|in|mee|na|om|op|over|terug|toe|uit|vast|voor|weg|samen|bekend|"
    r"beschikbaar|vrij)?ge[a-zëï]{2,}(?:d|t|en)$|^(?:be|ver|ont|her)[a-zëï]{3,}[dt]$"
)
# "aangeeft", "opgaat": a present tense of a separable verb, not a participle.
_PRESENT_SEPARABLE = re.compile(r"ge(?:eft|ven|aat|aan|ld|lden)$")
_CLAUSE_BOUNDARY = frozenset({",", ";", ":", "(", ")", "–", "—"})
_CHAMBER_LABELS: dict[tuple[str, ...], str] = {
    ("uw", "kamer"): "uw Kamer",
    ("de", "tweede", "kamer"): "Tweede Kamer",
    ("tweede", "kamer"): "Tweede Kamer",
    ("de", "eerste", "kamer"): "Eerste Kamer",
    ("eerste", "kamer"): "Eerste Kamer",
    ("de", "kamer"): "de Kamer",
    ("uw", "commissie"): "uw commissie",
    ("de", "vaste", "commissie"): "de vaste commissie",
    ("u",): "u",
}
_ACTOR_WINDOW = 15
_CLAUSE_WINDOW = 30
_NOT_NEGATING = frozenset({"alleen", "enkel", "slechts", "later", "eerder", "langer"})
_THIRD_PARTY_WINDOW = 8
_TENSE_WINDOW = 10


def _expand(
    token: dict[str, Any], classes: dict[str, list[str]], lemmas: dict[str, list[str]]
) -> dict[str, Any]:
    """Replace the ``CLASS`` shorthand by a LOWER IN set and ``LEMMAS`` by a LEMMA IN set."""
    out = {k: v for k, v in token.items() if k not in ("CLASS", "LEMMAS")}
    if "CLASS" in token:
        out["LOWER"] = {"IN": classes[token["CLASS"]]}
    if "LEMMAS" in token:
        out["LEMMA"] = {"IN": lemmas[token["LEMMAS"]]}
    return out


# Articles, possessives, prepositions, particles, forms of zijn/worden: too common to tell
# sentences apart.
_FUNCTION_WORDS = frozenset(
    "de het een dit deze mijn ons onze uw u met zoals in op aan te van voor om bij af na toe "
    "terug is zijn was wordt worden daarbij hierbij".split()
)


def _token_values(token: dict[str, Any]) -> set[str]:
    out: set[str] = set()
    for key in ("LOWER", "LEMMA"):
        value = token.get(key)
        if isinstance(value, str):
            out.add(value.lower())
        elif isinstance(value, dict):
            out.update(w.lower() for w in value["IN"])
    return out


def _anchor_words(alternatives: list[list[dict[str, Any]]]) -> set[str]:
    """Per alternative, the values of one token every match must contain.

    A required token (no OP) that is not an article or possessive: a sentence without any of
    these words cannot match, so the Matcher need not run on it.
    """
    out: set[str] = set()
    for alt in alternatives:
        required = [_token_values(t) for t in alt if "OP" not in t]
        required = [values for values in required if values]
        required.sort(key=lambda values: (len(values & _FUNCTION_WORDS), len(values)))
        out.update(required[0])
    return out


@cache
def load_patterns() -> _Patterns:
    """The cue table from ``data/commitment_patterns.json``, classes expanded."""
    data = json.loads(
        resources.files("kamerbrief_extract")
        .joinpath("data/commitment_patterns.json")
        .read_text(encoding="utf-8")
    )
    classes: dict[str, list[str]] = data["classes"]
    lemmas: dict[str, list[str]] = data["lemma_classes"]
    rules: dict[str, _Rule] = {}
    raw: dict[str, list[list[dict[str, Any]]]] = {}
    for entry in data["patterns"]:
        rules[entry["id"]] = _Rule(
            id=entry["id"],
            kind=entry["kind"],
            priority=int(entry["priority"]),
            actor=entry.get("actor", "any"),
            constraints=frozenset(entry.get("constraints", ())),
        )
        raw[entry["id"]] = [[_expand(t, classes, lemmas) for t in alt] for alt in entry["pattern"]]
    v = data["vocabulary"]
    vocabulary = _Vocabulary(
        sender_subjects=dict(v["sender_subjects"]),
        sender_possessives=dict(v["sender_possessives"]),
        cabinet_heads=dict(v["cabinet_heads"]),
        cabinet_determiners=frozenset(v["cabinet_determiners"]),
        third_party_qualifiers=frozenset(v["third_party_qualifiers"]),
        future_aux=frozenset(v["future_aux"]),
        perfect_aux=frozenset(v["perfect_aux"]),
        third_person_finite=frozenset(v["third_person_finite"]),
        passive_aux=frozenset(v["passive_aux"]),
        present_delivery=tuple(tuple(p) for p in v["present_delivery"]),
        time_adverbs=frozenset(v["time_adverbs"]),
        future_in_past=frozenset(v["future_in_past"]),
        finite_cues=frozenset(w for name in v["finite_cue_classes"] for w in classes[name]),
        chamber_phrases=tuple(tuple(p) for p in v["chamber_phrases"]),
        official_heads=frozenset(v["official_heads"]),
        official_qualifiers=frozenset(v["official_qualifiers"]),
        negations=frozenset(v["negations"]),
        request_verbs=frozenset(v["request_verbs"]),
        request_sources=frozenset(v["request_sources"]),
        target_cues=frozenset(v["target_cues"]),
        subordinators=frozenset(v["subordinators"]),
        passive_future_aux=frozenset(v["passive_future_aux"]),
        past_forms=frozenset(v["past_forms"]),
        not_acts=frozenset(v["not_acts"]),
        requester_cues=frozenset(v["requester_cues"]),
        reporting_verbs=frozenset(v["reporting_verbs"]),
        document_nouns=frozenset(classes["DOC_NOUN"]),
        opinion_verbs=frozenset(v["opinion_verbs"]),
        first_person_forms=frozenset(v["first_person_forms"]),
    )
    single_lower: dict[str, list[str]] = {}
    single_lemma: dict[str, list[str]] = {}
    multi: dict[str, list[list[dict[str, Any]]]] = {}
    for rule_id, alternatives in raw.items():
        for alt in alternatives:
            token = alt[0]
            if len(alt) == 1 and len(token) == 1 and ("LOWER" in token or "LEMMA" in token):
                key = "LOWER" if "LOWER" in token else "LEMMA"
                value = token[key]
                words = [value] if isinstance(value, str) else value["IN"]
                table = single_lower if key == "LOWER" else single_lemma
                for w in words:
                    table.setdefault(w.lower() if key == "LOWER" else w, []).append(rule_id)
            else:
                multi.setdefault(rule_id, []).append(alt)
    multi_anchors = frozenset(w for alts in multi.values() for w in _anchor_words(alts))
    anchors = multi_anchors | set(single_lower) | {w.lower() for w in single_lemma}
    return _Patterns(
        rules,
        raw,
        vocabulary,
        frozenset(anchors),
        {w: tuple(dict.fromkeys(ids)) for w, ids in single_lower.items()},
        {w: tuple(dict.fromkeys(ids)) for w, ids in single_lemma.items()},
        multi,
        multi_anchors,
    )


@cache
def _nlp() -> Language:
    """spacy.blank("nl") with a sentencizer and the lookup lemmatizer, built once."""
    import spacy

    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


# --------------------------------------------------------------------------------------
# Sentence-level checks
# --------------------------------------------------------------------------------------


def _words(sent: Span) -> list[Token]:
    return [t for t in sent if not t.is_space]


def _lower(tokens: list[Token]) -> list[str]:
    return [t.lower_ for t in tokens]


def _contains(seq: list[str], phrase: tuple[str, ...]) -> int:
    """Index of the first occurrence of ``phrase`` in ``seq``, or -1."""
    n = len(phrase)
    for i in range(len(seq) - n + 1):
        if tuple(seq[i : i + n]) == phrase:
            return i
    return -1


def _clause(words: list[Token], i: int) -> tuple[int, int]:
    """Word-index range of the clause around word ``i`` (bounded by , ; : brackets)."""
    lo = i
    while lo > 0 and words[lo - 1].text not in _CLAUSE_BOUNDARY:
        lo -= 1
    hi = i
    while hi < len(words) - 1 and words[hi + 1].text not in _CLAUSE_BOUNDARY:
        hi += 1
    return lo, hi + 1


def _official(words: list[Token], i: int, v: _Vocabulary) -> str | None:
    """ "minister van Financiën": a cabinet head, van/voor, then capitalised words."""
    if i + 2 >= len(words) or words[i + 1].lower_ not in v.official_qualifiers:
        return None
    j = i + 2
    while j < len(words) and (
        words[j].text[:1].isupper() or (words[j].lower_ in ("en", "&") and j > i + 2)
    ):
        j += 1
    while j > i + 2 and not words[j - 1].text[:1].isupper():
        j -= 1  # no trailing "en"
    if j == i + 2:
        return None
    return " ".join(t.text for t in words[i:j])


def _actor(words: list[Token], lo: int, hi: int, v: _Vocabulary) -> tuple[str | None, str | None]:
    """The sender as actor nearest to the cue words [lo, hi): ik / wij / het kabinet ...

    A cabinet member the sentence names ("de minister van Financiën") is an actor too; the
    second value is that official, for the register.  "de minister van Financiën" is a cabinet
    member, "de gemeente" or "de politie" is a third party.
    """
    best: tuple[int, str, str | None] | None = None
    lowers = _lower(words)
    for i, w in enumerate(lowers):
        label = v.sender_subjects.get(w) or v.sender_possessives.get(w)
        official = None
        if label is None and w in v.cabinet_heads and i > 0:
            qualified = i + 1 < len(lowers) and lowers[i + 1] in v.third_party_qualifiers
            determined = lowers[i - 1] in v.cabinet_determiners or lowers[i - 1] in (
                v.sender_possessives
            )
            if determined and not qualified:
                label = v.cabinet_heads[w]
            elif determined and w in v.official_heads:
                official = _official(words, i, v)
                label = v.cabinet_heads[w] if official else None
            elif determined and w in ("ministerie", "kabinet", "regering"):
                label = v.cabinet_heads[w]
        if label is None:
            continue
        distance = lo - i if i < lo else i - hi + 1 if i >= hi else 0
        if distance <= _ACTOR_WINDOW and (best is None or distance < best[0]):
            best = (distance, label, official)
    return (best[1], best[2]) if best else (None, None)


def _third_party(words: list[Token], lo: int, hi: int, v: _Vocabulary) -> bool:
    """A third-person finite verb next to the cue: "De gemeente heeft toegezegd"."""
    window = _lower(words[max(0, lo - _THIRD_PARTY_WINDOW) : hi + _THIRD_PARTY_WINDOW])
    return any(w in v.third_person_finite for w in window)


def _is_participle(words: list[Token], lo: int, hi: int) -> bool:
    return any(_PARTICIPLE.match(t.lower_) for t in words[lo:hi])


def _passive(words: list[Token], v: _Vocabulary) -> bool:
    return any(t.lower_ in v.passive_aux or t.lower_ in ("zal", "zullen") for t in words)


def _clause_words(words: list[Token], lo: int, hi: int) -> list[str]:
    """Lower forms of the clause around the cue, at most ``_CLAUSE_WINDOW`` words either side.

    The auxiliary of a long middle field ("De Kamer wordt over ... via de voortgangsbrief
    geïnformeerd") stands far from its participle, but in the same clause.
    """
    c_lo, _ = _clause(words, lo)
    _, c_hi = _clause(words, max(lo, hi - 1))
    return _lower(words[max(c_lo, lo - _CLAUSE_WINDOW) : min(c_hi, hi + _CLAUSE_WINDOW)])


def _is_past(words: list[Token], lo: int, hi: int, v: _Vocabulary) -> bool:
    """Perfect or past reports ("heb ik uw Kamer geïnformeerd") are not promises."""
    lowers = _lower(words)
    clause = _clause_words(words, lo, hi)
    if _is_participle(words, lo, hi):
        return not any(w in v.passive_future_aux for w in clause)
    if any(_past_finite(t, v) for t in words[lo:hi]):
        return True  # "informeerde", "stuurde", "zond"
    if any(not w.endswith("en") and w.isalpha() for w in lowers[lo:hi] if w in v.finite_cues):
        return False  # "doe", "kom", "informeert": a present singular finite verb
    c_lo, c_hi = _clause(words, lo)
    window = slice(max(c_lo, lo - _TENSE_WINDOW), min(max(c_hi, hi), hi + _TENSE_WINDOW))
    near = lowers[window]
    if any(w in v.future_aux for w in near):
        return False
    return any(w in v.perfect_aux for w in near) or any(_past_finite(t, v) for t in words[window])


def _past_finite(token: Token, v: _Vocabulary) -> bool:
    """A weak or strong past form of a verb the lemmatizer knows: "informeerde", "zond"."""
    lower = token.lower_
    if lower in v.past_forms:
        return True
    lemma = token.lemma_.lower()
    return (
        lower.endswith(("de", "te", "den", "ten"))
        and not lower.endswith(("ende", "enden"))  # "volgende": a present participle
        and lemma.endswith("en")
        and lemma != lower
        and not _PARTICIPLE.match(lower)  # "toegezegde", "genoemde": participles as adjectives
    )


def _passive_clause(words: list[Token], lo: int, hi: int, v: _Vocabulary) -> bool:
    """ "wordt in 2026 aangepast", "die eind 2022 wordt opgeleverd": passive with a participle.

    The participle stands in the auxiliary's clause; an expectation ("wordt verwacht") is not
    an act, nor is a perfect ("is gestart").
    """
    clause = _clause_words(words, lo, hi)
    if any(w in v.perfect_aux and w not in v.passive_aux for w in clause):
        return False
    if any(w in v.not_acts for w in clause):
        return False
    return any(_ANY_PARTICIPLE.match(w) and not _PRESENT_SEPARABLE.search(w) for w in clause)


def _third_party_agent(words: list[Token], lo: int, hi: int, v: _Vocabulary) -> bool:
    """ "worden ... door het kennisinstituut uitgevoerd": a passive whose agent is not ours."""
    lowers = _clause_words(words, lo, hi)
    for i, w in enumerate(lowers[:-1]):
        if w != "door":
            continue
        head = (
            lowers[i + 2]
            if lowers[i + 1] in v.cabinet_determiners and i + 2 < len(lowers)
            else (lowers[i + 1])
        )
        if head not in v.cabinet_heads and head not in v.sender_subjects:
            return True
    return False


def _reported_earlier(words: list[Token], lo: int, v: _Vocabulary) -> bool:
    """The promise stands in a "dat"-clause of an earlier statement: "is aangegeven dat ..."."""
    lowers = _lower(words[:lo])
    return any(w in v.reporting_verbs and "dat" in lowers[r + 1 :] for r, w in enumerate(lowers))


def _negated(words: list[Token], lo: int, hi: int, v: _Vocabulary) -> bool:
    """ "kan ik de informatie niet met uw Kamer delen": a refusal, not a promise."""
    clause = _clause_words(words, lo, hi)
    return any(
        w in v.negations and (i + 1 >= len(clause) or clause[i + 1] not in _NOT_NEGATING)
        for i, w in enumerate(clause)
    )


def _quoted_request(words: list[Token], lo: int, v: _Vocabulary) -> bool:
    """ "De motie ... verzoekt de regering om in 2025 ...": the Chamber asks, nobody promises."""
    lowers = _lower(words)
    return any(w in v.request_verbs for w in lowers[:lo]) and any(
        w in v.request_sources for w in lowers
    )


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def _national_target(words: list[Token], deadline: Deadline | None, v: _Vocabulary) -> bool:
    """ "we willen de uitstoot in 2030 met 55% terugdringen": a policy target, not an act.

    A span of years ("in 2023 t/m 2026") is a programme's period, not a promised date.
    """
    if deadline is None or deadline.precision != "year":
        return False
    if len(_YEAR.findall(deadline.raw)) > 1:
        return True
    inside = range(deadline.start, deadline.end)
    quantity = any(
        t.text.lstrip("+-±~")[:1].isdigit() and not _YEAR.search(t.text) and t.idx not in inside
        for t in words
    )
    return quantity or any(t.lower_ in v.target_cues for t in words)


def _same_clause(words: list[Token], lo: int, deadline: Deadline, v: _Vocabulary) -> bool:
    """The deadline stands in the actor's own clause, no subordinate clause in between."""
    offsets = [t.idx for t in words]
    d_index = next((n for n, o in enumerate(offsets) if o >= deadline.start), len(words))
    a, b = sorted((lo, d_index))
    between = words[a:b]
    return not any(t.text in _CLAUSE_BOUNDARY or t.lower_ in v.subordinators for t in between)


def _present_delivery(words: list[Token], v: _Vocabulary) -> bool:
    """ "Hierbij informeer ik uw Kamer" describes this letter, not a future act."""
    lowers = _lower(words)
    if any(w in ("zal", "zullen") for w in lowers):
        return False
    return any(_contains(lowers, p) >= 0 for p in v.present_delivery)


def _addressee(words: list[Token], v: _Vocabulary) -> str | None:
    """The Chamber the sentence addresses; "u als verzoeker" is a requester, not the Chamber."""
    lowers = _lower(words)
    if any(w in v.requester_cues for w in lowers):
        lowers = ["" if w == "u" else w for w in lowers]
    found = [(i, p) for p in v.chamber_phrases if (i := _contains(lowers, p)) >= 0]
    if not found:
        return None
    found.sort(key=lambda ip: (ip[0], -len(ip[1])))
    return _CHAMBER_LABELS.get(found[0][1], " ".join(found[0][1]))


@lru_cache(maxsize=1024)
def _deadlines_in(text: str, reference: dt.date | None) -> tuple[Deadline, ...]:
    """The time expressions of a sentence, found once for all its cues."""
    return tuple(find_deadlines(text, reference))


def _pick_deadline(
    sent: Span, cue_start: int, cue_end: int, reference: dt.date | None, after_cue: bool
) -> Deadline | None:
    """The non-past deadline nearest to the cue, offsets into the doc text.

    With ``after_cue`` only expressions from the cue on count: in "In het najaar heb ik
    toegezegd ..." the time dates the promising, the promised period follows the verb.
    """
    best: tuple[int, int, Deadline] | None = None
    text = sent.text
    for d in _deadlines_in(text, reference):
        if reference is not None and d.date is not None and d.date < reference:
            continue
        if _quoted(text, d.start, d.end):
            continue  # "spreken we van ‘voor 2030’": the words are cited, not promised
        start, end = d.start + sent.start_char, d.end + sent.start_char
        if after_cue and start < cue_start:
            continue
        distance = max(0, cue_start - end, start - cue_end)
        span_of_years = len(_YEAR.findall(d.raw)) > 1  # "Actieprogramma 2023-2026": a name
        if best is None or (span_of_years, distance) < best[:2]:
            best = (span_of_years, distance, Deadline(d.date, d.raw, start, end, d.precision))
    return best[2] if best else None


_OPEN_QUOTES = "‘“'\"«„"
_CLOSE_QUOTES = "’”'\"»“"


def _quoted(text: str, start: int, end: int) -> bool:
    before = text[:start].rstrip()[-1:]
    after = text[end:].lstrip()[:1]
    return bool(before) and before in _OPEN_QUOTES and bool(after) and after in _CLOSE_QUOTES


def _classify(
    sent: Span, cues: list[tuple[_Rule, int, int]], reference: dt.date | None
) -> CommitmentMatch | None:
    """Best cue of the sentence that survives its checks, as a CommitmentMatch."""
    v = load_patterns().vocabulary
    words = _words(sent)
    index = {t.i: n for n, t in enumerate(words)}
    for rule, start, end in sorted(cues, key=lambda c: (-c[0].priority, c[1])):
        span_words = [index[i] for i in range(start, end) if i in index]
        if not span_words:
            continue
        lo, hi = span_words[0], span_words[-1] + 1
        if "deadline" in rule.constraints and not _deadlines_in(sent.text, reference):
            continue  # cheap first: most sentences name no period at all
        actor, official = _actor(words, lo, hi, v)
        if actor is None and any(w.lower_ in v.first_person_forms for w in words[lo:hi]):
            actor = "ik"  # "informeer de Kamer na de zomer": the verb's form names the sender
        if rule.actor in ("sender", "subject") and actor is None:
            continue
        passive = _is_participle(words, lo, hi) and _passive(words, v)
        if rule.actor == "sender_or_passive" and actor is None and not passive:
            continue
        if rule.actor == "not_third_party" and actor is None and _third_party(words, lo, hi, v):
            continue
        if "not_past" in rule.constraints and _is_past(words, lo, hi, v):
            continue
        if "passive_future" in rule.constraints and not (
            _is_participle(words, lo, hi) and not _is_past(words, lo, hi, v)
        ):
            continue
        if "passive_participle" in rule.constraints and not _passive_clause(words, lo, hi, v):
            continue
        if actor is None and rule.kind == "new" and _third_party_agent(words, lo, hi, v):
            continue
        if "zal" in rule.constraints and not any(
            w in v.passive_future_aux and w not in v.passive_aux
            for w in _clause_words(words, lo, hi)
        ):
            continue
        if "not_present_delivery" in rule.constraints and _present_delivery(words, v):
            continue
        if rule.kind == "new" and (_negated(words, lo, hi, v) or _quoted_request(words, lo, v)):
            continue
        addressee = _addressee(words, v)
        if "addressee" in rule.constraints and addressee is None:
            continue
        doc = sent.doc
        cue_start, cue_end = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
        # A fulfilled promise has no open deadline; "de in december toegezegde" dates the promise.
        deadline = (
            None
            if rule.kind == "fulfilled"
            else _pick_deadline(sent, cue_start, cue_end, reference, rule.kind == "reference")
        )
        if "deadline" in rule.constraints and (
            deadline is None
            or deadline.date is None  # an act needs a date
            or reference is None  # without the letter's date "in 2026" may be past
            or _national_target(words, deadline, v)
        ):
            continue
        if (
            "document_or_deadline" in rule.constraints
            and deadline is None
            and not any(t.lower_ in v.document_nouns for t in words)
        ):
            continue
        if "not_opinion" in rule.constraints and any(
            w in v.opinion_verbs for w in _clause_words(words, lo, hi)
        ):
            continue
        if (
            "same_clause" in rule.constraints
            and deadline is not None
            and not _same_clause(words, lo, deadline, v)
        ):
            continue
        if (
            "deadline_or_time" in rule.constraints
            and deadline is None
            and not any(t.lower_ in v.time_adverbs for t in words)
        ):
            continue
        kind = rule.kind
        near = _lower(words[max(0, lo - _TENSE_WINDOW) : hi + _TENSE_WINDOW])
        if kind == "new" and any(w in v.future_in_past for w in near):
            kind = "reference"  # "dat ik uw Kamer voor de zomer zou informeren": said before
        if kind == "new" and _reported_earlier(words, lo, v):
            kind = "reference"  # "In de brief van 15 december is aangegeven dat het kabinet ..."
        return CommitmentMatch(
            kind=kind,
            text=sent.text,
            start=sent.start_char,
            end=sent.end_char,
            deadline=deadline.date if deadline else None,
            deadline_raw=deadline.raw if deadline else None,
            actor=actor,
            addressee=addressee,
            cue=rule.id,
            cue_start=cue_start,
            cue_end=cue_end,
            deadline_precision=_precision(deadline),
            official=official,
        )
    return None


def _precision(deadline: Deadline | None) -> str | None:
    """day / month / quarter / season / year; an event without a calendar date has none."""
    if deadline is None or deadline.precision not in _PRECISIONS:
        return None
    return deadline.precision


_PRECISIONS = frozenset({"day", "month", "quarter", "season", "year"})


def _ensure_lemmas(doc: Doc) -> Doc:
    """Patterns read lemmas; a Doc from a pipeline without the lemmatizer gets them here."""
    if not doc.has_annotation("LEMMA"):
        lemmatizer: Any = _nlp().get_pipe("lemmatizer")
        doc = lemmatizer(doc)
    return doc


_NO_RULES: tuple[str, ...] = ()
_NO_ANCHORED: frozenset[str] = frozenset()
_NO_CUE = (_NO_RULES, _NO_ANCHORED)
_LEMMA_CACHE_SIZE = 200_000


class _CueIndex:
    """The cue table keyed by string hashes, so a Doc's cue words are found from its
    LOWER and LEMMA arrays (numpy) instead of one Token object per word.

    Per word form: the one-word rules it fires, and the multi-word rules whose anchor it
    is (``_anchor_words`` per rule); lemmas are looked up once per lemma and remembered.
    """

    def __init__(self, patterns: _Patterns, vocab: Any) -> None:
        self.strings = vocab.strings
        self.single_lower = {hash_string(w): ids for w, ids in patterns.single_lower.items()}
        self.single_lemma = patterns.single_lemma
        rule_anchors = {r: _anchor_words(alts) for r, alts in patterns.multi.items()}
        word_rules: dict[str, set[str]] = {}
        for rule_id, words in rule_anchors.items():
            for w in words:
                word_rules.setdefault(w, set()).add(rule_id)
        self.word_rules = {w: frozenset(ids) for w, ids in word_rules.items()}
        self.lower_rules = {hash_string(w): ids for w, ids in self.word_rules.items()}
        self.lower_keys = np.array(
            sorted(set(self.single_lower) | set(self.lower_rules)), dtype=np.uint64
        )
        self.rule_order = {r: n for n, r in enumerate(patterns.multi)}
        self._lemmas: dict[int, tuple[tuple[str, ...], frozenset[str]]] = {}

    def lemma(self, key: int) -> tuple[tuple[str, ...], frozenset[str]]:
        """One-word rules of a lemma, and multi-word rules its lower form anchors."""
        found = self._lemmas.get(key)
        if found is None:
            if len(self._lemmas) >= _LEMMA_CACHE_SIZE:
                self._lemmas.clear()
            text = self.strings[key] if key else ""
            found = self._lemmas[key] = (
                self.single_lemma.get(text, _NO_RULES),
                self.word_rules.get(text.lower(), _NO_ANCHORED),
            )
        return found


@cache
def _cue_index(vocab: Any) -> _CueIndex:
    return _CueIndex(load_patterns(), vocab)


@lru_cache(maxsize=512)
def _rules_matcher(vocab: Any, rule_ids: tuple[str, ...]) -> Matcher:
    """A Matcher holding only these multi-word rules, added in the table's order.

    The Matcher's states never interact, so its matches for a subset of the rules are,
    in the same order, the full Matcher's matches of those rules; a rule whose anchor
    word the sentence lacks cannot match, and leaving it out saves its states on every
    token (the Matcher's cost grows with tokens times patterns).
    """
    matcher = Matcher(vocab)
    multi = load_patterns().multi
    for rule_id in rule_ids:
        matcher.add(rule_id, multi[rule_id])
    return matcher


def _doc_cues(doc: Doc, text: str) -> Iterator[tuple[Span, list[tuple[_Rule, int, int]]]]:
    """Each sentence with a cue and its cues, as ``_cues`` finds them, from token arrays.

    Cue words are found in the LOWER and LEMMA columns at once; only their sentences
    become Spans, and the Matcher runs on a sentence with just the rules it anchors.
    Questions are skipped (a question promises nothing).
    """
    n = len(doc)
    if not n:
        return
    if not doc.has_annotation("SENT_START"):
        list(doc.sents)  # spaCy's own error: the Doc has no sentence boundaries
    index = _cue_index(doc.vocab)
    rules = load_patterns().rules
    columns = doc.to_array([LOWER, LEMMA])
    lower, lemma = columns[:, 0], columns[:, 1]
    lemma_hits = [k for k in np.unique(lemma).tolist() if index.lemma(k) != _NO_CUE]
    hit = np.isin(lower, index.lower_keys)
    if lemma_hits:
        hit |= np.isin(lemma, np.array(lemma_hits, dtype=np.uint64))
    positions = np.flatnonzero(hit).tolist()
    if not positions:
        return
    breaks = (np.flatnonzero(doc.to_array(SENT_START)[1:] == 1) + 1).tolist()
    starts, ends = [0, *breaks], [*breaks, n]
    sent_of = np.searchsorted(np.array(breaks, dtype=np.int64), positions, side="right").tolist()
    lower_list, lemma_list = lower.tolist(), lemma.tolist()
    strings = doc.vocab.strings
    i = 0
    while i < len(positions):
        si = sent_of[i]
        j = i
        while j < len(positions) and sent_of[j] == si:
            j += 1
        start, end = starts[si], ends[si]
        sent_text = text[doc[start].idx : doc[end - 1].idx + len(doc[end - 1])]
        if sent_text.rstrip().endswith("?"):
            i = j
            continue
        found: list[tuple[_Rule, int, int]] = []
        active: set[str] = set()
        for t in positions[i:j]:
            by_lemma, lemma_anchors = index.lemma(lemma_list[t])
            for rule_id in index.single_lower.get(lower_list[t], _NO_RULES):
                found.append((rules[rule_id], t, t + 1))
            for rule_id in by_lemma:
                found.append((rules[rule_id], t, t + 1))
            active |= index.lower_rules.get(lower_list[t], _NO_ANCHORED)
            active |= lemma_anchors
        sent = doc[start:end]
        if active:
            matcher = _rules_matcher(
                doc.vocab, tuple(sorted(active, key=index.rule_order.__getitem__))
            )
            found += [
                (rules[strings[match_id]], start + s, start + e) for match_id, s, e in matcher(sent)
            ]
        if found:
            yield sent, found
        i = j


def commitments_in_doc(
    doc: Doc, reference: dt.date | None = None, *, text: str | None = None
) -> list[CommitmentMatch]:
    """Commitments in a Doc that already has sentence boundaries; offsets into ``doc.text``.

    Sentences without any cue word are skipped at once; see ``_doc_cues`` for the rest.
    ``text`` is ``doc.text`` when the caller has it at hand.
    """
    doc = _ensure_lemmas(doc)
    out: list[CommitmentMatch] = []
    for sent, found in _doc_cues(doc, doc.text if text is None else text):
        match = _classify(sent, _shortest(found), reference)
        if match is not None:
            out.append(match)
    return out


def _shortest(cues: list[tuple[_Rule, int, int]]) -> list[tuple[_Rule, int, int]]:
    """Per rule and start token keep the shortest match (gaps make the Matcher return many)."""
    best: dict[tuple[str, int], tuple[_Rule, int, int]] = {}
    for cue in cues:
        key = (cue[0].id, cue[1])
        if key not in best or cue[2] < best[key][2]:
            best[key] = cue
    return list(best.values())


_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
# Footnote markers glued to words ("trajecten.²⁵") hide the sentence end from the tokenizer.
_FOOTNOTE_MARKS = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079]+")
_TERMINAL = re.compile(r"[.!?:;)»\"'”’]\s*$")
_LONG_LINE = 100  # a blank line after an unterminated run of this length is a page break


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans; a blank line inside a sentence (a page break) does not split."""
    bounds: list[tuple[int, int]] = []
    pos = 0
    for m in _PARAGRAPH.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    merged: list[tuple[int, int]] = []
    for start, end in bounds:
        if not text[start:end].strip():
            continue
        if merged:
            p_start, p_end = merged[-1]
            previous = text[p_start:p_end]
            if len(previous) >= _LONG_LINE and not _TERMINAL.search(previous):
                merged[-1] = (p_start, end)
                continue
        merged.append((start, end))
    return merged


def _join_lowercase_sentences(doc: Doc) -> Doc:
    """A "sentence" that starts in lower case continues the previous one (OCR "toegezegde?")."""
    for sent in list(doc.sents)[1:]:
        first = sent[0]
        if first.text[:1].islower() and first.is_alpha:
            first.is_sent_start = False
    return doc


def find_commitments(text: str, reference: dt.date | None = None) -> list[CommitmentMatch]:
    """Commitments in plain text; sentences never cross a paragraph break."""
    nlp = _nlp()
    masked = _FOOTNOTE_MARKS.sub(lambda m: " " * len(m.group(0)), text)
    bounds = _paragraphs(masked)
    docs = nlp.pipe(masked[s:e] for s, e in bounds)
    out: list[CommitmentMatch] = []
    for (offset, _), doc in zip(bounds, docs, strict=True):
        for c in commitments_in_doc(_join_lowercase_sentences(doc), reference):
            start, end = c.start + offset, c.end + offset
            out.append(
                CommitmentMatch(
                    kind=c.kind,
                    text=text[start:end],
                    start=start,
                    end=end,
                    deadline=c.deadline,
                    deadline_raw=c.deadline_raw,
                    actor=c.actor,
                    addressee=c.addressee,
                    cue=c.cue,
                    cue_start=c.cue_start + offset,
                    cue_end=c.cue_end + offset,
                    deadline_precision=c.deadline_precision,
                    official=c.official,
                )
            )
    return out
