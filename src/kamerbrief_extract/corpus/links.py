"""Links across the records of one corpus, and registries of motions and commitments.

A letter rarely cites its siblings by Kamerstuk id (most letters in a batch have
none yet); it names them by date and kind: "de voortgangsbrief van 3 maart 2021".
So a `cites` link is either an id match or a date match backed by a document noun
next to the date and by the target's own words (its subject or the way it names
itself: "Met deze voortgangsbrief"). Everything here is a pure function over record
`Record`s (read back through `store`); `write_links` is the only side effect.

Every comparison goes through an index, so the work per record does not grow
with the corpus: targets by Kamerstuk id and by date, motions by their
submitters, promises by (content word, year), and content words computed once
per item (`Words`). Everything a rule needs of a record's text (its own names, its
title words, its dates with the sentence around each) is taken in one pass as the
record is read (`prepare_one`), so `write_links` keeps no record text in memory.
A reference joins a promise of at most `REFERENCE_YEARS`
earlier: a cabinet's term, beyond which "zoals toegezegd" names a new promise.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from rapidfuzz import fuzz, process

from kamerbrief_extract.records import Commitment, Link, Record
from kamerbrief_extract.store import CorpusLinks, iter_records, write_corpus_links

RegistryRow = dict[str, Any]
"""One row of the motion or commitment registry, as written to links.json."""
LinkKind = Literal["cites", "about", "fulfils", "same_motion"]
Corpus = CorpusLinks

MONTHS: dict[str, int] = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6,
    "juli": 7, "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}  # fmt: skip

# Heads of compound nouns that name a document ("voortgangsbrief", "beslisnota").
DOC_HEADS: tuple[str, ...] = (
    "brief", "nota", "rapportage", "reactie", "bericht", "notitie", "rapport",
    "verslag", "memorie", "voorstel", "agenda", "monitor", "evaluatie", "stuk",
)  # fmt: skip
# Plural forms back to the singular the heads use.
PLURALS: tuple[tuple[str, str], ...] = (
    ("brieven", "brief"), ("nota's", "nota"), ("notas", "nota"), ("berichten", "bericht"),
    ("rapportages", "rapportage"), ("reacties", "reactie"), ("rapporten", "rapport"),
    ("verslagen", "verslag"), ("notities", "notitie"), ("stukken", "stuk"),
)  # fmt: skip
# Words around a date that say it is when a document was sent, not when an event was.
SENT_WORDS = re.compile(
    r"\b(?:verzonden|verstuurd|gestuurd|aangeboden|toegezonden|ontvangen)\b", re.I
)
# How a document names itself: "Met deze jaarbrief", "Hierbij ontvangt u de voortgangsbrief".
SELF_NAMING = re.compile(
    r"\b(?:met|in|bij|via)\s+(?:deze|dit)\s+(?P<a>[a-zà-ÿ-]+)"
    r"|\bhierbij\s+(?:ontvangt\s+u|stuur\s+ik\s+u|bied\s+ik\s+u|zend\s+ik\s+u)\s+"
    r"(?:de|het|mijn|onze)?\s*(?:[a-zà-ÿ-]+\s+){0,2}?(?P<b>[a-zà-ÿ-]+(?:brief|nota|rapportage))",
    re.I,
)
DATE_RE = re.compile(
    r"\b(?P<day>[0-3]?\d)\s+(?P<month>" + "|".join(MONTHS) + r")\b"
    r"(?:\s+(?P<year>(?:19|20)\d\d)\b|\s+(?P<rel>jl|a\.?s)\.?)?",
    re.I,
)
WORD_RE = re.compile(r"[^\W\d_][\w'-]*", re.U)
STOPWORDS: frozenset[str] = frozenset(
    "de het een van en in op te met voor aan bij over naar is zijn dat die dit deze als "
    "ook om door uw kamer tweede u ik we wij heb heeft hebben wordt worden zal zou".split()
)

CITES_BY_ID = 0.98
FULFIL_GRACE_DAYS = 92  # a deadline a season before the later letter still counts
FULFIL_OPEN_DAYS = 366  # a promise without a deadline is delivered within a year
REFERENCE_YEARS = 4  # a cabinet term


@dataclass(frozen=True)
class DateMention:
    """A day-month date in a text, with the year resolved against the letter's date."""

    start: int
    end: int
    raw: str
    date: dt.date
    year_given: bool


@dataclass(frozen=True)
class Words:
    """Content words of one text, computed once and compared many times."""

    joined: str

    @classmethod
    def of(cls, text: str) -> Words:
        return cls(" ".join(content_words(text)))

    @cached_property
    def unique(self) -> frozenset[str]:
        return frozenset(self.joined.split())


def _link(
    source: str,
    to: str,
    kind: LinkKind,
    confidence: float,
    evidence: dict[str, str | float | int | None],
) -> Link:
    return Link(source=source, to=to, kind=kind, confidence=round(confidence, 3), evidence=evidence)


# --------------------------------------------------------------------------- helpers


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _path(record: Record) -> str:
    return record.source.path


def _singular(word: str) -> str:
    low = word.lower()
    for plural, singular in PLURALS:
        if low.endswith(plural):
            return low[: -len(plural)] + singular
    return low


def doc_noun(word: str) -> tuple[str, str] | None:
    """(modifier, head) for a document noun: "najaarsbrief" -> ("najaar", "brief")."""
    low = _singular(word)
    for head in DOC_HEADS:
        if low.endswith(head):
            modifier = low[: -len(head)].rstrip("-")
            if modifier.endswith("s") and len(modifier) > 4:
                modifier = modifier[:-1]  # linking s: najaar-s-brief
            return modifier, head
    return None


def content_words(text: str) -> list[str]:
    return [w.lower() for w in WORD_RE.findall(text) if w.lower() not in STOPWORDS and len(w) > 2]


def resolve_year(
    day: int, month: int, ref: dt.date, direction: str | None = None
) -> dt.date | None:
    """The date with that day and month closest to `ref` ("jl." = before, "a.s." = after)."""
    best: dt.date | None = None
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            cand = dt.date(year, month, day)
        except ValueError:
            continue
        if direction == "past" and cand > ref:
            continue
        if direction == "future" and cand < ref:
            continue
        if best is None or abs((cand - ref).days) < abs((best - ref).days):
            best = cand
    return best


def find_dates(text: str, ref: dt.date | None) -> list[DateMention]:
    """Every "4 november 2022" / "22 mei" / "1 juli jl." in the text."""
    out: list[DateMention] = []
    for m in DATE_RE.finditer(text):
        day, month = int(m["day"]), MONTHS[m["month"].lower()]
        if m["year"]:
            try:
                date = dt.date(int(m["year"]), month, day)
            except ValueError:
                continue
        elif ref is not None:
            rel = (m["rel"] or "").lower().replace(".", "")
            direction = "past" if rel == "jl" else "future" if rel == "as" else None
            resolved = resolve_year(day, month, ref, direction)
            if resolved is None:
                continue
            date = resolved
        else:
            continue
        out.append(DateMention(m.start(), m.end(), m.group(), date, bool(m["year"])))
    return out


def sentence_around(text: str, start: int, end: int, limit: int = 300) -> tuple[int, int]:
    """Bounds of the sentence holding text[start:end], at most `limit` characters each way."""
    lo = max(0, start - limit)
    cut = max(text.rfind(". ", lo, start), text.rfind("\n\n", lo, start))
    left = cut + 2 if cut >= 0 else lo
    hi = min(len(text), end + limit)
    ends = [i for i in (text.find(". ", end, hi), text.find("\n\n", end, hi)) if i >= 0]
    right = min(ends) + 1 if ends else hi
    return left, right


def self_names(record: Record, head_chars: int = 3000) -> list[tuple[str, str]]:
    """The document nouns a record uses for itself, from its subject and opening text."""
    names: list[tuple[str, str]] = []
    for word in WORD_RE.findall(record.meta.subject or ""):
        noun = doc_noun(word)
        if noun and noun[0]:
            names.append(noun)
    for m in SELF_NAMING.finditer(record.text[:head_chars]):
        word = m["a"] or m["b"] or ""
        noun = doc_noun(word)
        if noun:
            names.append(noun)
    if record.meta.doc_type in {"beslisnota", "persbericht", "motie"}:
        names.append(("", record.meta.doc_type))
    return names


def noun_matches(noun: tuple[str, str], names: Iterable[tuple[str, str]]) -> bool:
    """Same kind of document: same head, and the same modifier when either has one."""
    modifier, head = noun
    for other_mod, other_head in names:
        if other_head != head and not (other_head.endswith(head) or head.endswith(other_head)):
            continue
        if not modifier or not other_mod:
            continue  # a bare "brief" says nothing specific
        if modifier == other_mod or (
            min(len(modifier), len(other_mod)) >= 4
            and (modifier.startswith(other_mod) or other_mod.startswith(modifier))
        ):
            return True
    return False


def title_of(record: Record, chars: int = 600) -> str:
    return record.meta.subject or record.text[:chars]


def word_similarity(a: Words, b: Words) -> float:
    """Word-set similarity 0..1 over content words (order and stop words ignored)."""
    if not a.joined or not b.joined:
        return 0.0
    return float(fuzz.token_set_ratio(a.joined, b.joined)) / 100.0


def similarity(a: str, b: str) -> float:
    return word_similarity(Words.of(a), Words.of(b))


@dataclass(frozen=True)
class Prepared:
    """What every rule needs of a record, computed once: path, date, own names, title words,
    and each date in its text with the sentence around it (the window `cites` reads)."""

    record: Record
    path: str
    date: dt.date | None
    names: list[tuple[str, str]]
    title: Words
    mentions: tuple[tuple[DateMention, str], ...]


# What no rule reads once a record is prepared: emptied in the records `write_links` keeps.
DROPPED_AFTER_PREPARE: Mapping[str, Any] = {
    "footnotes": (), "amounts": (), "municipalities": (), "places": (), "kamervragen": None,
    "links": (), "warnings": (),
}  # fmt: skip


def prepare_one(rec: Record, *, slim: bool = False) -> Prepared:
    """One record's part of every rule.

    With `slim` the record itself is emptied of its text and of what no rule reads
    (for `write_links`, which owns the records it reads: the corpus is not kept in memory).
    """
    text = rec.text
    mentions = []
    for mention in find_dates(text, rec.meta.date):
        left, right = sentence_around(text, mention.start, mention.end)
        mentions.append((mention, text[left:right]))
    prepared = Prepared(
        rec, _path(rec), rec.meta.date, self_names(rec), Words.of(title_of(rec)), tuple(mentions)
    )
    if slim:  # straight into the fields: nothing to validate in an empty value
        rec.__dict__.update(DROPPED_AFTER_PREPARE, text="")
    return prepared


def prepare(records: Sequence[Record]) -> list[Prepared]:
    return [prepare_one(rec) for rec in records]


class DateIndex:
    """Prepared records sorted by date, for the ones in a date range."""

    def __init__(self, items: Iterable[Prepared]) -> None:
        dated = sorted((p for p in items if p.date), key=lambda p: (p.date, p.path))
        self.items = dated
        self.dates: list[dt.date] = [p.date for p in dated if p.date]
        self.by_date: dict[dt.date, list[Prepared]] = defaultdict(list)
        for p in dated:
            if p.date:
                self.by_date[p.date].append(p)

    def between(self, lo: dt.date, hi: dt.date, *, open_lo: bool = False) -> list[Prepared]:
        left = bisect_right(self.dates, lo) if open_lo else bisect_left(self.dates, lo)
        return self.items[left : bisect_right(self.dates, hi)]


# --------------------------------------------------------------------------- cites


def _kamerstuk_ids(rec: Record) -> list[str]:
    ids = [rec.meta.kamerstuk]
    if rec.motion_document:
        ids.append(rec.motion_document.kamerstuk)
    return [i for i in ids if i]


def cites_links(
    records: Sequence[Record], prepared: Sequence[Prepared] | None = None
) -> list[Link]:
    """`cites`: by the target's own Kamerstuk id, else by date + document noun + title."""
    prepared = prepared if prepared is not None else prepare(records)
    by_id = {key: p.path for p in prepared for key in _kamerstuk_ids(p.record)}
    dates = DateIndex(prepared)
    names = {p.path: p.names for p in prepared}
    out: list[Link] = []
    for p in prepared:
        for cit in p.record.citations:
            target = by_id.get(cit.id)
            if target and target != p.path:
                out.append(
                    _link(
                        p.path,
                        target,
                        "cites",
                        CITES_BY_ID,
                        {"rule": "id", "citation": cit.id, "start": cit.start},
                    )
                )
        out.extend(_cites_by_date(p, dates.by_date, names))
    return out


def _cites_by_date(
    p: Prepared,
    by_date: Mapping[dt.date, list[Prepared]],
    names: Mapping[str, list[tuple[str, str]]],
) -> list[Link]:
    out: list[Link] = []
    for mention, window in p.mentions:
        if mention.date == p.date or mention.date not in by_date:
            continue  # same-day documents are `about`, not `cites`
        nouns = [(w, n) for w in WORD_RE.findall(window) if (n := doc_noun(w))]
        if not nouns:
            continue  # a date of an event, not of a document
        sent = bool(SENT_WORDS.search(window))
        window_words = Words.of(window)
        candidates = [t for t in by_date[mention.date] if t.path != p.path]
        sims = {t.path: word_similarity(window_words, t.title) for t in candidates}
        best_sim = max(sims.values(), default=0.0)
        for target in candidates:
            dst = target.path
            kind_word = next((w for w, n in nouns if noun_matches(n, names[dst])), None)
            sim = sims[dst]
            score = 0.45 + (0.3 if kind_word else 0.0) + 0.15 * sim + (0.05 if sent else 0.0)
            score += 0.05 if mention.year_given else 0.0
            if not kind_word and (sim < 0.5 or sim < best_sim):
                continue  # without a matching kind word only the clearly most similar title counts
            out.append(
                _link(
                    p.path,
                    dst,
                    "cites",
                    min(score, 0.95),
                    {
                        "rule": "date",
                        "date": mention.date.isoformat(),
                        "phrase": window.strip()[:200],
                        "kind_word": kind_word,
                        "title_similarity": round(sim, 3),
                        "start": mention.start,
                        "end": mention.end,
                    },
                )
            )
    return out


# --------------------------------------------------------------------------- about


ABOUT_TYPES = frozenset({"persbericht", "beslisnota"})


def about_links(
    records: Sequence[Record],
    min_similarity: float = 0.6,
    prepared: Sequence[Prepared] | None = None,
) -> list[Link]:
    """`about`: a press release or beslisnota and a letter of the same date (±1 day) and subject."""
    prepared = prepared if prepared is not None else prepare(records)
    dates = DateIndex(p for p in prepared if p.record.meta.doc_type not in ABOUT_TYPES)
    out: list[Link] = []
    for p in prepared:
        if p.record.meta.doc_type not in ABOUT_TYPES or p.date is None:
            continue
        day = dt.timedelta(days=1)
        best: tuple[float, Prepared] | None = None
        for target in sorted(dates.between(p.date - day, p.date + day), key=lambda t: t.path):
            sim = word_similarity(p.title, target.title)
            if sim >= min_similarity and (best is None or sim > best[0]):
                best = (sim, target)
        if best:
            sim, target = best
            out.append(
                _link(
                    p.path,
                    target.path,
                    "about",
                    0.5 + 0.5 * sim,
                    {
                        "rule": "date+subject",
                        "title_similarity": round(sim, 3),
                        "days_apart": abs(((target.date or p.date) - p.date).days),
                    },
                )
            )
    return out


# --------------------------------------------------------------------------- motions


def _submitters_key(submitters: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted(s.lower() for s in submitters))


SubjectKey = tuple[tuple[str, ...], str]
"""Motion rows a mention without citation may join: (its submitters, its kind)."""
PREFILTER_FROM = 16  # rows under one key compared one by one before the rest is screened


class SubjectIndex:
    """Motion rows with a subject by (submitters, kind), oldest first, to find the first
    whose subject is similar to a mention's.

    A subject asked for again gets the same row without a comparison: the rows before
    the one it found (or the one made for it) do not change and later rows come after
    it. Past the oldest rows a long list is screened by rapidfuzz in one call with a
    cut-off a hair below the threshold, and only what passes is compared as before, so
    the row found is the same.
    """

    def __init__(self) -> None:
        self.rows: dict[SubjectKey, list[RegistryRow]] = defaultdict(list)
        self.words: dict[SubjectKey, list[Words]] = defaultdict(list)
        self.found: dict[tuple[SubjectKey, str], RegistryRow] = {}

    def add(self, key: SubjectKey, row: RegistryRow, words: Words) -> None:
        self.rows[key].append(row)
        self.words[key].append(words)

    def remember(self, key: SubjectKey, words: Words, row: RegistryRow) -> None:
        """The row made for a subject that found none: the first match from now on."""
        self.found[(key, words.joined)] = row

    def first_similar(self, key: SubjectKey, words: Words, min_sim: float) -> RegistryRow | None:
        if (key, words.joined) in self.found:
            return self.found[(key, words.joined)]
        rows, subjects = self.rows.get(key, []), self.words.get(key, [])
        for i in self._in_order(subjects, words, min_sim):
            if word_similarity(words, subjects[i]) >= min_sim:
                self.found[(key, words.joined)] = rows[i]
                return rows[i]
        return None

    @staticmethod
    def _in_order(subjects: Sequence[Words], words: Words, min_sim: float) -> Iterator[int]:
        """The oldest rows one by one (the first often matches), then what passes the screen."""
        yield from range(min(len(subjects), PREFILTER_FROM))
        if len(subjects) > PREFILTER_FROM:
            passed = process.extract(
                words.joined,
                [w.joined for w in subjects[PREFILTER_FROM:]],
                scorer=fuzz.token_set_ratio,
                score_cutoff=min_sim * 100 - 0.01,
                limit=None,
            )
            yield from sorted(PREFILTER_FROM + index for _, _, index in passed)


def motion_registry(records: Sequence[Record], min_subject: float = 0.7) -> list[dict[str, Any]]:
    """One row per distinct motion or amendment: keyed by citation id, else by submitters +
    subject; a motion or amendment document in the corpus is the row's canonical record."""
    rows: list[dict[str, Any]] = []
    by_citation: dict[str, dict[str, Any]] = {}
    by_subject = SubjectIndex()

    def new_row(
        citation: str | None, submitters: list[str], subject: str | None, kind: str = "motie"
    ) -> dict[str, Any]:
        row: dict[str, Any] = {
            "motion_id": citation or f"m{len(rows) + 1}",
            "kind": kind,
            "citation": citation,
            "submitters": submitters,
            "subject": subject,
            "canonical": None,
            "mentions": [],
            "status": None,
            "timeline": [],
        }
        rows.append(row)
        if citation:
            by_citation[citation] = row
        if submitters and subject:
            by_subject.add((_submitters_key(submitters), kind), row, Words.of(subject))
        return row

    for rec in records:  # motion documents first: they are canonical for their id
        doc = rec.motion_document
        if doc and rec.meta.doc_type in {"motie", "amendement"}:
            citation = doc.kamerstuk
            subject = " ".join(doc.requests)[:300] or rec.meta.subject
            row = by_citation.get(citation) if citation else None
            row = row or new_row(citation, list(doc.submitters), subject, doc.kind)
            row["canonical"] = _path(rec)
            row["mentions"].append(
                {
                    "source": _path(rec),
                    "date": _iso(rec.meta.date),
                    "start": None,
                    "end": None,
                    "status": None,
                    "canonical": True,
                }
            )
    for rec in records:
        for motion in [*rec.motions, *rec.amendments]:
            citation = motion.citation
            submitters = list(motion.submitters)
            subject = motion.subject
            kind = motion.kind
            row = by_citation.get(citation) if citation else None
            if row is None and not citation and submitters and subject:
                key, words = (_submitters_key(submitters), kind), Words.of(subject)
                row = by_subject.first_similar(key, words, min_subject)
                if row is None:
                    row = new_row(citation, submitters, subject, kind)
                    by_subject.remember(key, words, row)
            if row is None:
                row = new_row(citation, submitters, subject, kind)
            if not row["subject"] and subject:
                row["subject"] = subject
                if row["submitters"]:
                    by_subject.add(
                        (_submitters_key(row["submitters"]), row["kind"]), row, Words.of(subject)
                    )
            row["mentions"].append(
                {
                    "source": _path(rec),
                    "date": _iso(rec.meta.date),
                    "start": motion.start,
                    "end": motion.end,
                    "status": motion.status,
                    "canonical": False,
                }
            )
    for row in rows:
        dated = sorted(
            (m for m in row["mentions"] if m["status"]),
            key=lambda m: (m["date"] or "", m["source"]),
        )
        row["timeline"] = [
            {"date": m["date"], "status": m["status"], "source": m["source"]} for m in dated
        ]
        row["status"] = dated[-1]["status"] if dated else None
    return rows


def same_motion_links(registry: Sequence[RegistryRow]) -> list[Link]:
    """`same_motion`: each later mention points at the canonical document or the first mention."""
    out: list[Link] = []
    seen: set[tuple[str, str]] = set()
    for row in registry:
        mentions = sorted(row["mentions"], key=lambda m: (m["date"] or "", m["source"]))
        anchor = row["canonical"] or (mentions[0]["source"] if mentions else None)
        for mention in mentions:
            src = mention["source"]
            if anchor is None or src == anchor or (src, anchor) in seen:
                continue
            seen.add((src, anchor))
            rule = "citation" if row["citation"] else "submitters+subject"
            out.append(
                _link(
                    src,
                    anchor,
                    "same_motion",
                    0.95 if row["citation"] else 0.75,
                    {
                        "rule": rule,
                        "motion_id": row["motion_id"],
                        "submitters": ", ".join(row["submitters"]),
                    },
                )
            )
    return out


# --------------------------------------------------------------------------- commitments


FULFIL_SOURCE_TYPES = frozenset({"brief", "other"})  # only what is sent to the Chamber fulfils


def _promised_nouns(text: str) -> list[tuple[str, str]]:
    """Document nouns in a promise; "halfjaarlijkse brief" gives ("halfjaar", "brief")."""
    words = WORD_RE.findall(text)
    nouns: list[tuple[str, str]] = []
    for i, word in enumerate(words):
        noun = doc_noun(word)
        if noun is None:
            continue
        if not noun[0] and i > 0:
            adj = words[i - 1].lower()
            for suffix in ("lijkse", "lijks", "se", "e"):
                if adj.endswith(suffix) and len(adj) - len(suffix) >= 4:
                    nouns.append((adj[: -len(suffix)], noun[1]))
                    break
        nouns.append(noun)
    return nouns


@dataclass(frozen=True)
class Fulfilment:
    """A later letter delivering an earlier promise: the link and the promise's id."""

    link: Link
    commitment_id: str
    index: int


def commitment_id(path: str, index: int) -> str:
    return f"{path}#{index}"


def fulfil_candidates(
    records: Sequence[Record],
    cites: Sequence[Link],
    prepared: Sequence[Prepared] | None = None,
) -> list[Fulfilment]:
    """Each earlier promise that a later letter delivers, with the link that says so."""
    prepared = prepared if prepared is not None else prepare(records)
    cited = {(link.source, link.to) for link in cites}
    senders = DateIndex(p for p in prepared if p.record.meta.doc_type in FULFIL_SOURCE_TYPES)
    delivered: dict[str, list[Words]] = {
        p.path: [
            Words.of(c.text) for c in p.record.commitments if c.kind in {"fulfilled", "reference"}
        ]
        for p in prepared
    }
    out: list[Fulfilment] = []
    for earlier in prepared:
        if earlier.date is None:
            continue
        for index, com in enumerate(earlier.record.commitments):
            if com.kind != "new":
                continue
            last = (
                com.deadline + dt.timedelta(days=FULFIL_GRACE_DAYS)
                if com.deadline
                else earlier.date + dt.timedelta(days=FULFIL_OPEN_DAYS)
            )
            promised = _promised_nouns(com.text)
            words = Words.of(com.text)
            for later in senders.between(earlier.date, last, open_lo=True):
                self_named = next(
                    (f"{m}{h}" for m, h in promised if noun_matches((m, h), later.names)),
                    None,
                )
                fulfil_sim = max(
                    (word_similarity(w, words) for w in delivered[later.path]), default=0.0
                )
                if not self_named and fulfil_sim < 0.8:
                    continue
                cites_it = (later.path, earlier.path) in cited
                score = (
                    0.45
                    + (0.3 if self_named else 0.0)
                    + 0.15 * fulfil_sim
                    + (0.1 if cites_it else 0.0)
                )
                link = _link(
                    later.path,
                    earlier.path,
                    "fulfils",
                    min(score, 0.95),
                    {
                        "rule": "self-naming" if self_named else "fulfilment sentence",
                        "commitment": com.text[:200],
                        "deadline": _iso(com.deadline),
                        "self_named_as": self_named,
                        "fulfilment_similarity": round(fulfil_sim, 3),
                        "cites_target": int(cites_it),
                    },
                )
                out.append(Fulfilment(link, commitment_id(earlier.path, index), index))
    return out


def _promise_row(rec: Record, index: int, com: Commitment) -> dict[str, Any]:
    return {
        "commitment_id": commitment_id(_path(rec), index),
        "source": _path(rec),
        "date": _iso(rec.meta.date),
        "kind": com.kind,
        "text": com.text,
        "deadline": _iso(com.deadline),
        "deadline_raw": com.deadline_raw,
        "deadline_precision": com.deadline_precision,
        "official": com.official,
        "ministry": com.ministry or rec.meta.ministry,
        "citation": com.citation,
        "cue": com.cue,
        "in_footnote": com.in_footnote,
        "in_answer": com.in_answer,
        "mentions": [],
        "fulfilled_by": [],
        "status": None,
    }


Promises = dict[tuple[str, int | None], list[tuple[int, dict[str, Any], Words]]]
"""Promises by (content word, year): (order in the registry, row, the promise's words)."""


def commitment_registry(
    records: Sequence[Record], fulfilments: Sequence[Fulfilment], min_sim: float = 0.8
) -> list[dict[str, Any]]:
    """One row per distinct promise: its `new` sentence, later references, who fulfilled it.

    A reference looks for its promise only among promises that share a content word
    with it and were made in the `REFERENCE_YEARS` before it (an index by word and year).
    """
    rows: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    promises: Promises = defaultdict(list)
    years: set[int | None] = set()
    items = [(rec, index, com) for rec in records for index, com in enumerate(rec.commitments)]
    # promises first, so that a reference can join a promise from any letter
    items.sort(key=lambda item: item[2].kind != "new")
    for rec, index, com in items:
        path, date = _path(rec), rec.meta.date
        mention = {
            "source": path,
            "date": _iso(date),
            "kind": com.kind,
            "start": com.start,
            "end": com.end,
            "text": com.text,
        }
        words = Words.of(com.text)
        row = None
        if com.kind != "new":
            row = _find_promise(promises, years, words, path, date, min_sim)
        if row is None:
            row = _promise_row(rec, index, com)
            rows.append(row)
            by_id[row["commitment_id"]] = row
            if com.kind == "new":
                year = date.year if date else None
                years.add(year)
                for word in words.unique:
                    promises[(word, year)].append((len(rows), row, words))
        row["mentions"].append(mention)
    rows.sort(key=lambda r: (r["source"], int(r["commitment_id"].rpartition("#")[2])))
    for fulfilment in fulfilments:
        if fulfilment.commitment_id in by_id:
            by_id[fulfilment.commitment_id]["fulfilled_by"].append(
                {"source": fulfilment.link.source, "confidence": fulfilment.link.confidence}
            )
    for row in rows:
        if row["kind"] == "new":
            row["status"] = "fulfilled" if row["fulfilled_by"] else "open"
        else:
            row["status"] = row["kind"]
    return rows


def _find_promise(
    promises: Promises,
    years: set[int | None],
    words: Words,
    path: str,
    date: dt.date | None,
    min_sim: float,
) -> dict[str, Any] | None:
    """The first promise (in registry order) from another letter, not later, this refers to."""
    wanted: list[int | None] = (
        list(years) if date is None else [*range(date.year - REFERENCE_YEARS, date.year + 1), None]
    )
    found: dict[int, tuple[dict[str, Any], Words]] = {}
    for word in words.unique:
        for year in wanted:
            for order, row, row_words in promises.get((word, year), ()):
                found[order] = (row, row_words)
    for order in sorted(found):
        row, row_words = found[order]
        if row["source"] == path:
            continue
        if date and row["date"] and row["date"] > date.isoformat():
            continue
        if word_similarity(words, row_words) >= min_sim:
            return row
    return None


# --------------------------------------------------------------------------- corpus


def _best_per_pair(links: Iterable[Link]) -> list[Link]:
    best: dict[tuple[str, str, str], Link] = {}
    for link in links:
        key = (link.source, link.to, link.kind)
        if key not in best or link.confidence > best[key].confidence:
            best[key] = link
    return sorted(best.values(), key=lambda k: (k.source, k.kind, k.to))


def build_corpus(records: Sequence[Record]) -> CorpusLinks:
    """All links plus the motion and commitment registries of a set of records."""
    return build_prepared(prepare(records))


def build_prepared(items: Iterable[Prepared]) -> CorpusLinks:
    """`build_corpus` over records already prepared (in any order: sorted by path here)."""
    prepared = sorted(items, key=lambda p: p.path)
    records = [p.record for p in prepared]
    cites = cites_links(records, prepared)
    motions = motion_registry(records)
    fulfilments = fulfil_candidates(records, cites, prepared)
    links = _best_per_pair(
        [
            *cites,
            *about_links(records, prepared=prepared),
            *same_motion_links(motions),
            *(f.link for f in fulfilments),
        ]
    )
    return CorpusLinks(
        links=links, motions=motions, commitments=commitment_registry(records, fulfilments)
    )


@contextlib.contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while the block runs.

    Reading and linking a corpus allocates millions of small objects that form no
    cycles; each of Python's full collections would walk every one of them again,
    so with it on the cost per record grows with the corpus (measured: 2x from
    2,000 to 20,000 records). Reference counting still frees what is dropped.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_links(out_dir: Path) -> Path:
    """Write DIR/links.json for the records in DIR (atomically).

    Each record is prepared as it is read and kept without its text, so memory holds
    what the rules need, not the corpus.
    """
    with cycle_collection_paused():  # nothing of the corpus left when collection resumes
        prepared = (prepare_one(rec, slim=True) for rec in iter_records(out_dir))
        return write_corpus_links(out_dir, build_prepared(prepared))
