"""Links across the records of one corpus, and registries of motions and commitments.

A letter rarely cites its siblings by Kamerstuk id (most letters in a batch have
none yet); it names them by date and kind: "de voortgangsbrief van 3 maart 2021".
So a `cites` link is either an id match or a date match backed by a document noun
next to the date and by the target's own words (its subject or the way it names
itself: "Met deze voortgangsbrief"). Everything here is a pure function over record
dicts (as written by `kamerbrief run`); `write_links` is the only side effect.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

Record = Mapping[str, Any]

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


@dataclass(frozen=True)
class DateMention:
    """A day-month date in a text, with the year resolved against the letter's date."""

    start: int
    end: int
    raw: str
    date: dt.date
    year_given: bool


@dataclass(frozen=True)
class LinkOut:
    source: str
    to: str
    kind: str
    confidence: float
    evidence: dict[str, str | float | int | None] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "to": self.to,
            "kind": self.kind,
            "confidence": round(self.confidence, 3),
            "evidence": dict(self.evidence),
        }


@dataclass(frozen=True)
class Corpus:
    links: list[LinkOut]
    motions: list[dict[str, Any]]
    commitments: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "links": [link.as_dict() for link in self.links],
            "motions": self.motions,
            "commitments": self.commitments,
        }


# --------------------------------------------------------------------------- helpers


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _path(record: Record) -> str:
    return str(record["source"]["path"])


def _meta(record: Record) -> Mapping[str, Any]:
    meta = record.get("meta") or {}
    return meta if isinstance(meta, Mapping) else {}


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
    subject = _meta(record).get("subject") or ""
    for word in WORD_RE.findall(subject):
        noun = doc_noun(word)
        if noun and noun[0]:
            names.append(noun)
    text = str(record.get("text") or "")[:head_chars]
    for m in SELF_NAMING.finditer(text):
        word = m["a"] or m["b"] or ""
        noun = doc_noun(word)
        if noun:
            names.append(noun)
    if _meta(record).get("doc_type") in {"beslisnota", "persbericht", "motie"}:
        names.append(("", str(_meta(record)["doc_type"])))
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
    subject = _meta(record).get("subject")
    return str(subject) if subject else str(record.get("text") or "")[:chars]


def similarity(a: str, b: str) -> float:
    """Word-set similarity 0..1 over content words (order and stop words ignored)."""
    wa, wb = " ".join(content_words(a)), " ".join(content_words(b))
    if not wa or not wb:
        return 0.0
    return float(fuzz.token_set_ratio(wa, wb)) / 100.0


# --------------------------------------------------------------------------- cites


def cites_links(records: Sequence[Record]) -> list[LinkOut]:
    """`cites`: by the target's own Kamerstuk id, else by date + document noun + title."""
    by_id: dict[str, str] = {}
    for rec in records:
        for key in (
            _meta(rec).get("kamerstuk"),
            (rec.get("motion_document") or {}).get("kamerstuk"),
        ):
            if key:
                by_id[str(key)] = _path(rec)
    by_date: dict[dt.date, list[Record]] = {}
    for rec in records:
        date = _date(_meta(rec).get("date"))
        if date:
            by_date.setdefault(date, []).append(rec)
    names = {_path(rec): self_names(rec) for rec in records}
    out: list[LinkOut] = []
    for rec in records:
        src = _path(rec)
        for cit in rec.get("citations") or []:
            target = by_id.get(str(cit.get("id")))
            if target and target != src:
                out.append(
                    LinkOut(
                        src,
                        target,
                        "cites",
                        CITES_BY_ID,
                        {"rule": "id", "citation": cit.get("id"), "start": cit.get("start")},
                    )
                )
        out.extend(_cites_by_date(rec, by_date, names))
    return out


def _cites_by_date(
    rec: Record, by_date: Mapping[dt.date, list[Record]], names: Mapping[str, list[tuple[str, str]]]
) -> list[LinkOut]:
    src = _path(rec)
    own_date = _date(_meta(rec).get("date"))
    text = str(rec.get("text") or "")
    out: list[LinkOut] = []
    for mention in find_dates(text, own_date):
        if mention.date == own_date or mention.date not in by_date:
            continue  # same-day documents are `about`, not `cites`
        left, right = sentence_around(text, mention.start, mention.end)
        window = text[left:right]
        nouns = [(w, n) for w in WORD_RE.findall(window) if (n := doc_noun(w))]
        if not nouns:
            continue  # a date of an event, not of a document
        sent = bool(SENT_WORDS.search(window))
        candidates = [t for t in by_date[mention.date] if _path(t) != src]
        sims = {_path(t): similarity(window, title_of(t)) for t in candidates}
        best_sim = max(sims.values(), default=0.0)
        for target in candidates:
            dst = _path(target)
            kind_word = next((w for w, n in nouns if noun_matches(n, names[dst])), None)
            sim = sims[dst]
            score = 0.45 + (0.3 if kind_word else 0.0) + 0.15 * sim + (0.05 if sent else 0.0)
            score += 0.05 if mention.year_given else 0.0
            if not kind_word and (sim < 0.5 or sim < best_sim):
                continue  # without a matching kind word only the clearly most similar title counts
            out.append(
                LinkOut(
                    src,
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


def about_links(records: Sequence[Record], min_similarity: float = 0.6) -> list[LinkOut]:
    """`about`: a press release or beslisnota and a letter of the same date (±1 day) and subject."""
    out: list[LinkOut] = []
    for rec in records:
        if _meta(rec).get("doc_type") not in ABOUT_TYPES:
            continue
        date = _date(_meta(rec).get("date"))
        if date is None:
            continue
        best: tuple[float, Record] | None = None
        for target in records:
            tdate = _date(_meta(target).get("date"))
            if target is rec or tdate is None or abs((tdate - date).days) > 1:
                continue
            if _meta(target).get("doc_type") in ABOUT_TYPES:
                continue
            sim = similarity(title_of(rec), title_of(target))
            if sim >= min_similarity and (best is None or sim > best[0]):
                best = (sim, target)
        if best:
            sim, target = best
            out.append(
                LinkOut(
                    _path(rec),
                    _path(target),
                    "about",
                    0.5 + 0.5 * sim,
                    {
                        "rule": "date+subject",
                        "title_similarity": round(sim, 3),
                        "days_apart": abs((_date(_meta(target).get("date")) or date) - date).days,
                    },
                )
            )
    return out


# --------------------------------------------------------------------------- motions


def _same_submitters(a: Sequence[str], b: Sequence[str]) -> bool:
    return sorted(s.lower() for s in a) == sorted(s.lower() for s in b) and bool(a)


def motion_registry(records: Sequence[Record], min_subject: float = 0.7) -> list[dict[str, Any]]:
    """One row per distinct motion or amendment: keyed by citation id, else by submitters +
    subject; a motion or amendment document in the corpus is the row's canonical record."""
    rows: list[dict[str, Any]] = []
    by_citation: dict[str, dict[str, Any]] = {}

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
        return row

    for rec in records:  # motion documents first: they are canonical for their id
        doc = rec.get("motion_document")
        if doc and _meta(rec).get("doc_type") in {"motie", "amendement"}:
            citation = doc.get("kamerstuk")
            kind = str(doc.get("kind") or _meta(rec).get("doc_type"))
            subject = " ".join(doc.get("requests") or [])[:300] or _meta(rec).get("subject")
            row = by_citation.get(citation) if citation else None
            row = row or new_row(citation, list(doc.get("submitters") or []), subject, kind)
            row["canonical"] = _path(rec)
            row["mentions"].append(
                {
                    "source": _path(rec),
                    "date": _meta(rec).get("date"),
                    "start": None,
                    "end": None,
                    "status": None,
                    "canonical": True,
                }
            )
    for rec in records:
        for motion in [*(rec.get("motions") or []), *(rec.get("amendments") or [])]:
            citation = motion.get("citation")
            submitters = list(motion.get("submitters") or [])
            subject = motion.get("subject")
            kind = motion.get("kind") or "motie"
            row = by_citation.get(citation) if citation else None
            if row is None and not citation:
                row = next(
                    (
                        r
                        for r in rows
                        if r["kind"] == kind
                        and _same_submitters(r["submitters"], submitters)
                        and subject
                        and r["subject"]
                        and similarity(subject, r["subject"]) >= min_subject
                    ),
                    None,
                )
            if row is None:
                row = new_row(citation, submitters, subject, kind)
            if not row["subject"] and subject:
                row["subject"] = subject
            row["mentions"].append(
                {
                    "source": _path(rec),
                    "date": _meta(rec).get("date"),
                    "start": motion.get("start"),
                    "end": motion.get("end"),
                    "status": motion.get("status"),
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


def same_motion_links(registry: Sequence[Mapping[str, Any]]) -> list[LinkOut]:
    """`same_motion`: each later mention points at the canonical document or the first mention."""
    out: list[LinkOut] = []
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
                LinkOut(
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


def fulfil_candidates(
    records: Sequence[Record], cites: Sequence[LinkOut]
) -> list[tuple[LinkOut, str, int]]:
    """(link, commitment_id, index) for each earlier promise that a later letter delivers."""
    cited = {(link.source, link.to) for link in cites}
    names = {_path(rec): self_names(rec) for rec in records}
    out: list[tuple[LinkOut, str, int]] = []
    for earlier in records:
        bdate = _date(_meta(earlier).get("date"))
        if bdate is None:
            continue
        for index, com in enumerate(earlier.get("commitments") or []):
            if com.get("kind") != "new":
                continue
            deadline = _date(com.get("deadline"))
            promised = _promised_nouns(str(com.get("text") or ""))
            for later in records:
                adate = _date(_meta(later).get("date"))
                if later is earlier or adate is None or adate <= bdate:
                    continue
                if _meta(later).get("doc_type") not in FULFIL_SOURCE_TYPES:
                    continue
                if deadline and adate > deadline + dt.timedelta(days=FULFIL_GRACE_DAYS):
                    continue
                if deadline is None and (adate - bdate).days > 366:
                    continue
                self_named = next(
                    (f"{m}{h}" for m, h in promised if noun_matches((m, h), names[_path(later)])),
                    None,
                )
                fulfil_sim = max(
                    (
                        similarity(str(c.get("text") or ""), str(com.get("text") or ""))
                        for c in later.get("commitments") or []
                        if c.get("kind") in {"fulfilled", "reference"}
                    ),
                    default=0.0,
                )
                if not self_named and fulfil_sim < 0.8:
                    continue
                cites_it = (_path(later), _path(earlier)) in cited
                score = (
                    0.45
                    + (0.3 if self_named else 0.0)
                    + 0.15 * fulfil_sim
                    + (0.1 if cites_it else 0.0)
                )
                link = LinkOut(
                    _path(later),
                    _path(earlier),
                    "fulfils",
                    min(score, 0.95),
                    {
                        "rule": "self-naming" if self_named else "fulfilment sentence",
                        "commitment": str(com.get("text") or "")[:200],
                        "deadline": com.get("deadline"),
                        "self_named_as": self_named,
                        "fulfilment_similarity": round(fulfil_sim, 3),
                        "cites_target": int(cites_it),
                    },
                )
                out.append((link, f"{_path(earlier)}#{index}", index))
    return out


def commitment_registry(
    records: Sequence[Record], fulfilments: Sequence[tuple[LinkOut, str, int]], min_sim: float = 0.8
) -> list[dict[str, Any]]:
    """One row per distinct promise: its `new` sentence, later references, who fulfilled it."""
    rows: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    items = [
        (rec, index, com)
        for rec in records
        for index, com in enumerate(rec.get("commitments") or [])
    ]
    # promises first, so that a reference can join a promise from any letter
    items.sort(key=lambda item: item[2].get("kind") != "new")
    for rec, index, com in items:
        mention = {
            "source": _path(rec),
            "date": _meta(rec).get("date"),
            "kind": com.get("kind"),
            "start": com.get("start"),
            "end": com.get("end"),
            "text": com.get("text"),
        }
        row = None
        if com.get("kind") != "new":
            row = next(
                (
                    r
                    for r in rows
                    if r["kind"] == "new"
                    and r["source"] != _path(rec)
                    and str(r["date"] or "") <= str(_meta(rec).get("date") or "9999")
                    and similarity(str(com.get("text") or ""), r["text"]) >= min_sim
                ),
                None,
            )
        if row is None:
            row = {
                "commitment_id": f"{_path(rec)}#{index}",
                "source": _path(rec),
                "date": _meta(rec).get("date"),
                "kind": com.get("kind"),
                "text": str(com.get("text") or ""),
                "deadline": com.get("deadline"),
                "deadline_raw": com.get("deadline_raw"),
                "deadline_precision": com.get("deadline_precision"),
                "official": com.get("official"),
                "ministry": com.get("ministry") or _meta(rec).get("ministry"),
                "citation": com.get("citation"),
                "cue": com.get("cue"),
                "in_footnote": com.get("in_footnote"),
                "in_answer": com.get("in_answer"),
                "mentions": [],
                "fulfilled_by": [],
                "status": None,
            }
            rows.append(row)
            by_id[row["commitment_id"]] = row
        row["mentions"].append(mention)
    rows.sort(key=lambda r: (r["source"], int(r["commitment_id"].rpartition("#")[2])))
    for link, cid, _ in fulfilments:
        if cid in by_id:
            by_id[cid]["fulfilled_by"].append(
                {"source": link.source, "confidence": round(link.confidence, 3)}
            )
    for row in rows:
        if row["kind"] == "new":
            row["status"] = "fulfilled" if row["fulfilled_by"] else "open"
        else:
            row["status"] = row["kind"]
    return rows


# --------------------------------------------------------------------------- corpus


def _best_per_pair(links: Iterable[LinkOut]) -> list[LinkOut]:
    best: dict[tuple[str, str, str], LinkOut] = {}
    for link in links:
        key = (link.source, link.to, link.kind)
        if key not in best or link.confidence > best[key].confidence:
            best[key] = link
    return sorted(best.values(), key=lambda k: (k.source, k.kind, k.to))


def build_corpus(records: Sequence[Record]) -> Corpus:
    """All links plus the motion and commitment registries of a set of records."""
    records = sorted(records, key=_path)
    cites = cites_links(records)
    motions = motion_registry(records)
    fulfilments = fulfil_candidates(records, cites)
    links = _best_per_pair(
        [*cites, *about_links(records), *same_motion_links(motions), *(f[0] for f in fulfilments)]
    )
    return Corpus(links, motions, commitment_registry(records, fulfilments))


def write_links(out_dir: Path) -> Path:
    """Write DIR/links.json for the records in DIR (atomically)."""
    from kamerbrief_extract.batch import atomic_write_text, iter_records

    corpus = build_corpus(list(iter_records(out_dir)))
    path = out_dir / "links.json"
    atomic_write_text(path, json.dumps(corpus.as_dict(), indent=1, ensure_ascii=False, default=str))
    return path
