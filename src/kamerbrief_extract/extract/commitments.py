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
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
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


@dataclass(frozen=True, slots=True)
class _Rule:
    id: str
    kind: str
    priority: int
    actor: str  # "sender" | "sender_or_passive" | "not_third_party" | "any"
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


@dataclass(frozen=True, slots=True)
class _Patterns:
    rules: dict[str, _Rule]
    raw: dict[str, list[list[dict[str, Any]]]]
    vocabulary: _Vocabulary


# Participles of the cue verbs: with these the tense is in the auxiliary, and only a future or
# passive auxiliary ("zal ... worden geïnformeerd", "wordt ... geïnformeerd") makes a promise.
_PARTICIPLE = re.compile(r"^(ge|toege|ingel|teruggek|aangeb|voorgel|gerap).*[dt]$|^ontvangen$")
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
_THIRD_PARTY_WINDOW = 8
_TENSE_WINDOW = 10


def _expand(token: dict[str, Any], classes: dict[str, list[str]]) -> dict[str, Any]:
    """Replace the ``CLASS`` shorthand by a LOWER IN set."""
    if "CLASS" not in token:
        return token
    out = {k: v for k, v in token.items() if k != "CLASS"}
    out["LOWER"] = {"IN": classes[token["CLASS"]]}
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
        raw[entry["id"]] = [[_expand(t, classes) for t in alt] for alt in entry["pattern"]]
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
    )
    return _Patterns(rules, raw, vocabulary)


@cache
def _matcher(nlp_vocab: Any) -> Matcher:
    matcher = Matcher(nlp_vocab)
    for rule_id, alternatives in load_patterns().raw.items():
        matcher.add(rule_id, alternatives)
    return matcher


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


def _actor(words: list[Token], lo: int, hi: int, v: _Vocabulary) -> str | None:
    """The sender as actor nearest to the cue words [lo, hi): ik / wij / het kabinet ..."""
    best: tuple[int, str] | None = None
    lowers = _lower(words)
    for i, w in enumerate(lowers):
        label = v.sender_subjects.get(w) or v.sender_possessives.get(w)
        if label is None and w in v.cabinet_heads and i > 0:
            qualified = i + 1 < len(lowers) and lowers[i + 1] in v.third_party_qualifiers
            if lowers[i - 1] in v.cabinet_determiners and not qualified:
                label = v.cabinet_heads[w]
        if label is None:
            continue
        distance = lo - i if i < lo else i - hi + 1 if i >= hi else 0
        if distance <= _ACTOR_WINDOW and (best is None or distance < best[0]):
            best = (distance, label)
    return best[1] if best else None


def _third_party(words: list[Token], lo: int, hi: int, v: _Vocabulary) -> bool:
    """A third-person finite verb next to the cue: "De gemeente heeft toegezegd"."""
    window = _lower(words[max(0, lo - _THIRD_PARTY_WINDOW) : hi + _THIRD_PARTY_WINDOW])
    return any(w in v.third_person_finite for w in window)


def _is_participle(words: list[Token], lo: int, hi: int) -> bool:
    return any(_PARTICIPLE.match(t.lower_) for t in words[lo:hi])


def _passive(words: list[Token], v: _Vocabulary) -> bool:
    return any(t.lower_ in v.passive_aux or t.lower_ in ("zal", "zullen") for t in words)


def _is_past(words: list[Token], lo: int, hi: int, v: _Vocabulary) -> bool:
    """Perfect or past reports ("heb ik uw Kamer geïnformeerd") are not promises."""
    lowers = _lower(words)
    near = lowers[max(0, lo - _TENSE_WINDOW) : hi + _TENSE_WINDOW]
    if _is_participle(words, lo, hi):
        return not any(w in ("zal", "zullen", "zult", "wordt", "worden") for w in near)
    if any(not w.endswith("en") and w.isalpha() for w in lowers[lo:hi] if w in v.finite_cues):
        return False  # "doe", "kom", "informeert": a present singular finite verb
    c_lo, c_hi = _clause(words, lo)
    clause = lowers[max(c_lo, lo - _TENSE_WINDOW) : min(max(c_hi, hi), hi + _TENSE_WINDOW)]
    return any(w in v.perfect_aux for w in clause) and not any(w in v.future_aux for w in clause)


def _present_delivery(words: list[Token], v: _Vocabulary) -> bool:
    """ "Hierbij informeer ik uw Kamer" describes this letter, not a future act."""
    lowers = _lower(words)
    if any(w in ("zal", "zullen") for w in lowers):
        return False
    return any(_contains(lowers, p) >= 0 for p in v.present_delivery)


def _addressee(words: list[Token], v: _Vocabulary) -> str | None:
    lowers = _lower(words)
    found = [(i, p) for p in v.chamber_phrases if (i := _contains(lowers, p)) >= 0]
    if not found:
        return None
    found.sort(key=lambda ip: (ip[0], -len(ip[1])))
    return _CHAMBER_LABELS.get(found[0][1], " ".join(found[0][1]))


def _pick_deadline(
    sent: Span, cue_start: int, cue_end: int, reference: dt.date | None, after_cue: bool
) -> Deadline | None:
    """The non-past deadline nearest to the cue, offsets into the doc text.

    With ``after_cue`` only expressions from the cue on count: in "In het najaar heb ik
    toegezegd ..." the time dates the promising, the promised period follows the verb.
    """
    best: tuple[int, Deadline] | None = None
    for d in find_deadlines(sent.text, reference):
        if reference is not None and d.date is not None and d.date < reference:
            continue
        start, end = d.start + sent.start_char, d.end + sent.start_char
        if after_cue and start < cue_start:
            continue
        distance = max(0, cue_start - end, start - cue_end)
        if best is None or distance < best[0]:
            best = (distance, Deadline(d.date, d.raw, start, end, d.precision))
    return best[1] if best else None


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
        actor = _actor(words, lo, hi, v)
        if rule.actor == "sender" and actor is None:
            continue
        passive = _is_participle(words, lo, hi) and _passive(words, v)
        if rule.actor == "sender_or_passive" and actor is None and not passive:
            continue
        if rule.actor == "not_third_party" and actor is None and _third_party(words, lo, hi, v):
            continue
        if "not_past" in rule.constraints and _is_past(words, lo, hi, v):
            continue
        if "not_present_delivery" in rule.constraints and _present_delivery(words, v):
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
        if "deadline" in rule.constraints and deadline is None:
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
        )
    return None


def commitments_in_doc(doc: Doc, reference: dt.date | None = None) -> list[CommitmentMatch]:
    """Commitments in a Doc that already has sentence boundaries; offsets into ``doc.text``."""
    patterns = load_patterns()
    matcher = _matcher(doc.vocab)
    by_sentence: dict[int, list[tuple[_Rule, int, int]]] = {}
    sentences: dict[int, Span] = {}
    for match_id, start, end in matcher(doc):
        sent = doc[start].sent
        if end > sent.end:
            continue
        rule = patterns.rules[doc.vocab.strings[match_id]]
        by_sentence.setdefault(sent.start, []).append((rule, start, end))
        sentences[sent.start] = sent
    out: list[CommitmentMatch] = []
    for key in sorted(by_sentence):
        sent = sentences[key]
        if sent.text.rstrip().endswith("?"):
            continue  # a question promises nothing
        cues = _shortest(by_sentence[key])
        match = _classify(sent, cues, reference)
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
                )
            )
    return out
