"""Dutch municipalities mentioned as places, resolved to the CBS code valid on the letter's date.

Follows ANNOTATION.md §5. The set of municipalities is closed and published by CBS, so
a gazetteer plus a spaCy ``PhraseMatcher`` finds the candidates; no trained model is
needed. Whether a hit is a *place* is decided by the grammar around it: a postcode or
"Postbus" before it (an address), a date after it at a line start (the dateline), an
institution noun before it ("Universiteit <place>"), a province cue ("provincie
Groningen"), a capitalised surname particle ("Van Delft"). Names that are also Dutch
words ("Best", "Echt") are not trusted at a sentence start. OCR variants ("Vlaardingcn")
are recovered with rapidfuzz, conservatively.

The rule tables live in ``data/municipality_rules.json``, the gazetteers in
``data/gemeenten.csv`` and ``data/woonplaatsen.csv`` (sources in ``data/SOURCES.md``).
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import functools
import gzip
import io
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from spacy.lang.nl import Dutch
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
from spacy.vocab import Vocab, create_vocab

__all__ = [
    "STATUSES",
    "Gemeente",
    "MunicipalityGazetteer",
    "MunicipalityMatch",
    "PlaceMatch",
    "find_municipalities",
    "find_places",
    "gazetteer",
    "match_all",
    "match_doc",
]

STATUSES: tuple[str, ...] = ("current", "former", "ambiguous", "future")

_DATA = "kamerbrief_extract.data"
_APOSTROPHES = "'‘’`´"
# Footnote markers glued to a word ("Rotterdam²", "Rotterdam.¹") hide the word from the
# tokenizer; they are blanked in a same-length copy so offsets stay valid.
# Each pattern starts with its literal, which lets the regex engine skip ahead to it.
_BLANKED_CHARS = "⁰¹²³⁴⁵⁶⁷⁸⁹®¢"
_BLANKED = re.compile(f"[{_BLANKED_CHARS}]")
_SLASH_BETWEEN_LETTERS = re.compile(r"/(?<=[^\W\d_]/)(?=[^\W\d_])")
_LINE_WRAP = re.compile(r"\n(?<=\S\n)(?=\S)")  # "Den\nHaag": one name wrapped over two lines
_DISAMBIGUATOR = re.compile(r"\s*\(([^()\d\n]{1,24})\)$")
_PAREN_AFTER = re.compile(r"\s?\(([^()\d\n]{1,24})\)")
_OCR_TOKEN = re.compile(r"[A-Z][a-zà-ÿ]{5,}")
_SENTENCE_END = ".!?:;"
_SKIPPED_BEFORE = "\"'‘’“”«»(*[-–—•>#_`´"
_SLIP_CACHE_SIZE = 100_000
"""Word forms whose fuzzy verdict is kept; the cache starts afresh when full."""
_LIST_GLUE = re.compile(r"\s*(?:,|;|/|&|,?\s*\ben\b|,?\s*\bof\b)\s*")


@dataclass(frozen=True, slots=True)
class MunicipalityMatch:
    """A municipality mentioned as a place; one per mention."""

    name: str  # as written in the text (whitespace collapsed)
    cbs_code: str | None  # "GM0518"; None when ambiguous
    official_name: str | None  # CBS name, e.g. "'s-Gravenhage"
    status: str  # current | former | ambiguous | future (see STATUSES)
    start: int
    end: int
    raw: str
    merged_into: str | None = None  # for former: the code that took it over, if derivable
    candidates: tuple[str, ...] = ()  # codes when ambiguous
    score: float = 100.0  # rapidfuzz score for OCR variants, 100 for exact
    province: str | None = None


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A woonplaats that is not itself a municipality; never counted as a municipality."""

    name: str
    municipality_code: str
    municipality_name: str
    start: int
    end: int
    raw: str


@dataclass(frozen=True, slots=True)
class Gemeente:
    """One row of the CBS "Gemeentelijke indeling": a code with its validity period."""

    code: str  # "GM0518"
    name: str  # CBS spelling, with disambiguator: "Bergen (NH.)"
    province: str
    begin: dt.date
    end: dt.date | None  # exclusive; None = still exists

    def valid_on(self, day: dt.date | None) -> bool:
        if day is None:
            return self.end is None
        return self.begin <= day and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    key: str
    score: float = 100.0


def _fold(text: str) -> str:
    """Lowercase, one apostrophe, no diacritics: the form names are compared in."""
    text = text.translate({ord(c): "'" for c in _APOSTROPHES})
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _abbr(text: str) -> str:
    """Folded province name or abbreviation without dots, hyphens, spaces: "N.-H." -> "nh"."""
    return re.sub(r"[.\-\s]", "", _fold(text))


def _base_name(name: str, suffix: re.Pattern[str] | None = None) -> str:
    """Strip a CBS/BAG disambiguator: "Bergen (NH.)" -> "Bergen", "Bergen L" -> "Bergen"."""
    name = _DISAMBIGUATOR.sub("", name)
    return (suffix.sub("", name) if suffix else name).strip()


def _spelling_variants(name: str) -> set[str]:
    """Apostrophe and diacritic spellings of a name as letters print it."""
    forms = {name}
    if name[:1] in _APOSTROPHES and name[1:3] == "s-":
        rest = name[1:]
        forms |= {q + rest for q in _APOSTROPHES} | {rest}
    folded = {
        "".join(c for c in unicodedata.normalize("NFKD", f) if not unicodedata.combining(c))
        for f in forms
    }
    return forms | folded


def _alternation(phrases: Iterable[str]) -> str:
    """Regex alternation, longest first, with flexible inner whitespace."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in ordered)


def _read_text(name: str) -> str:
    return resources.files(_DATA).joinpath(name).read_text(encoding="utf-8")


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _make_tokenizer() -> Tokenizer:
    """The tokenizer of ``spacy.blank("nl")``, built from the Dutch defaults directly.

    Building it by hand avoids loading every registered pipeline factory (slow, and it
    fails while a project entry point is unimportable) and gives identical tokens.
    """
    d = Dutch.Defaults
    vocab = create_vocab("nl", d)
    return Tokenizer(
        vocab,
        rules=d.tokenizer_exceptions,
        prefix_search=compile_prefix_regex(d.prefixes or ()).search,
        suffix_search=compile_suffix_regex(d.suffixes or ()).search,
        infix_finditer=compile_infix_regex(d.infixes or ()).finditer,
        token_match=d.token_match,
        url_match=d.url_match,
    )


@functools.cache
def _lemma_words() -> frozenset[str]:
    """Dutch word forms and lemmas from spacy-lookups-data; loaded only when needed."""
    import spacy_lookups_data

    path = Path(str(spacy_lookups_data.nl["lemma_lookup"]))
    gz = path.with_name(path.name + ".gz")
    if gz.exists():
        with gzip.open(gz, "rt", encoding="utf-8") as fh:
            table: dict[str, str] = json.load(fh)
    else:
        table = json.loads(path.read_text(encoding="utf-8"))
    return frozenset(table) | frozenset(table.values())


def _derive_merged_into(records: Sequence[Gemeente], places: dict[str, set[str]]) -> dict[str, str]:
    """Successor of each ceased code, only where the data says so unambiguously.

    1. exactly one new code starts in the same province on the day the old one ends;
    2. otherwise the woonplaats of the same name lies in one municipality of that
       province that exists after the end date (a village absorbed by a neighbour).
    """
    starting: dict[tuple[dt.date, str], set[str]] = defaultdict(set)
    by_code: dict[str, list[Gemeente]] = defaultdict(list)
    for r in records:
        starting[(r.begin, r.province)].add(r.code)
        by_code[r.code].append(r)
    merged: dict[str, str] = {}
    for code, rows in by_code.items():
        ends = [r.end for r in rows]
        if any(e is None for e in ends):
            continue  # the code still exists (e.g. moved to another province)
        last = max(rows, key=lambda r: r.end or dt.date.max)
        end = last.end
        assert end is not None
        new = starting[(end, last.province)] - {code}
        if len(new) == 1:
            merged[code] = next(iter(new))
            continue
        hosts = {
            c
            for c in places.get(_fold(_base_name(last.name)), set())
            if c != code
            and any(r.province == last.province and r.valid_on(end) for r in by_code[c])
        }
        if len(hosts) == 1:
            merged[code] = next(iter(hosts))
    return merged


class MunicipalityGazetteer:
    """CBS municipalities with their validity periods, aliases and context rules.

    Load once through :func:`gazetteer`; matching is then a pure function of the text.
    """

    def __init__(
        self,
        records: Sequence[Gemeente],
        places: Sequence[tuple[str, str, str]],
        rules: dict[str, Any],
    ) -> None:
        self.records: tuple[Gemeente, ...] = tuple(records)
        self.rules = rules
        self.tokenizer = _make_tokenizer()
        self.vocab: Vocab = self.tokenizer.vocab
        self.by_code: dict[str, list[Gemeente]] = defaultdict(list)
        for r in self.records:
            self.by_code[r.code].append(r)

        # key (folded base name or alias) -> records; display form for patterns
        self.by_key: dict[str, tuple[Gemeente, ...]] = {}
        forms: dict[str, set[str]] = defaultdict(set)
        grouped: dict[str, list[Gemeente]] = defaultdict(list)
        for r in self.records:
            base = _base_name(r.name)
            grouped[_fold(base)].append(r)
            forms[_fold(base)].add(base)
        for alias, codes in rules["aliases"].items():
            key = _fold(alias)
            grouped[key].extend(x for c in codes for x in self.by_code["GM" + c])
            forms[key].add(alias)
        self.by_key = {k: tuple(v) for k, v in grouped.items()}

        self.provinces: frozenset[str] = frozenset(r.province for r in self.records)
        self.province_names = {_fold(p): p for p in self.provinces}
        for extra in rules["extra_province_names"]:
            self.province_names.setdefault(_fold(extra), extra)
        self.province_hints = {_abbr(p): p for p in self.provinces}
        for abbr, prov in rules["province_abbreviations"].items():
            self.province_hints.setdefault(_abbr(abbr), prov)
        self.homographs = frozenset(_fold(h) for h in rules["homographs"])

        self.matcher = PhraseMatcher(self.vocab, attr="LOWER")
        self._name_tokens = 1  # tokens of the longest name pattern
        for key, names in forms.items():
            variants = {v for n in names for v in _spelling_variants(n)}
            patterns = [self.tokenizer(v) for v in sorted(variants)]
            self._name_tokens = max(self._name_tokens, *(len(d) for d in patterns))
            self.matcher.add(key, patterns)
        self.single_token_keys = sorted(k for k in self.by_key if " " not in k and len(k) >= 5)

        suffix = re.compile(rf"\s+(?:{_alternation(rules['woonplaats_suffixes'])})$")
        place_to_codes: dict[str, set[str]] = defaultdict(set)
        self._place_forms: dict[str, str] = {}
        for place, code, _ in places:
            form = _base_name(place, suffix)
            place_to_codes[_fold(form)].add("GM" + code)
            self._place_forms.setdefault(_fold(form), form)
        self.place_codes = dict(place_to_codes)
        self.merged_into = _derive_merged_into(self.records, place_to_codes)
        self._place_matcher: PhraseMatcher | None = None
        self._slips: dict[str, tuple[str, float] | None] = {}
        self._provinces_re: dict[dt.date | None, re.Pattern[str]] = {}
        self._compile_context(rules)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls) -> MunicipalityGazetteer:
        """Read the packaged CSV/JSON data (use :func:`gazetteer` for the cached one)."""
        rows = csv.DictReader(io.StringIO(_read_text("gemeenten.csv")), delimiter=";")
        records = [
            Gemeente(
                code="GM" + r["gemeentecode"],
                name=r["gemeentenaam"],
                province=r["provincienaam"],
                begin=dt.date.fromisoformat(r["begindatum"]),
                end=_date(r["einddatum"]),
            )
            for r in rows
        ]
        places = [
            (r["woonplaats"], r["gemeentecode"], r["gemeentenaam"])
            for r in csv.DictReader(io.StringIO(_read_text("woonplaatsen.csv")))
        ]
        rules = json.loads(_read_text("municipality_rules.json"))
        return cls(records, places, rules)

    def _compile_context(self, rules: dict[str, Any]) -> None:
        months = _alternation(rules["months"])
        # The place of an address follows its postcode or Postbus number; an OCR layer may
        # interleave a word or two of the column beside it ("2500 AB Geachte en <place>").
        self.re_address = re.compile(
            r"(?:\b\d{4}\s?[A-Z]{2}(?![^\W\d_])(?:\s+[^\W\d_]{1,12}){0,2}"
            r"|\b[Pp]ostbus\s+\d[\d ]*)\s*$"
        )
        self.re_line_start = re.compile(r"^[\s>*_#|]*$")
        # A letterhead or postal address put the place on its own line under the street
        # and house number ("Korte Straat 12a\n<place>"), or under a postcode that ended
        # the line before ("Postbus 123, 2500 AB\n<place>").
        self.re_street_line = re.compile(
            r"^[\s>*_#|]*(?P<street>[A-Z][^\W\d_][^\d\n,;:]*?)\s+\d{1,5}(?:\s?[a-zA-Z])?"
            r"(?:\s?[-/]\s?\d{1,4}[a-zA-Z]?)?\s*,?\s*$"
        )
        self.re_place_alone = re.compile(r"[ \t]*[.,]?[ \t\r]*(?:\n|$)")
        self.re_date_after = re.compile(
            rf"^\s*,?\s*(?:\d{{1,2}}\s+(?:{months})\.?\s+\d{{4}}|\d{{1,2}}[-./]\d{{1,2}}[-./]\d{{2,4}})",
            re.IGNORECASE,
        )
        self.re_institution = re.compile(
            rf"(?:^|[^\w-])(?:{_alternation(rules['institution_nouns'])})\s+$", re.IGNORECASE
        )
        self.re_follower = re.compile(
            rf"^\s+(?:{_alternation(rules['institution_followers'])})\b", re.IGNORECASE
        )
        self.re_particle = re.compile(rf"(?:^|\W)({_alternation(rules['surname_particles'])})\s+$")
        self.re_province_cue = re.compile(
            rf"(?:^|\W)(?:{_alternation(rules['province_cues'])})\s+$", re.IGNORECASE
        )
        self.re_municipality_cue = re.compile(
            rf"(?:^|\W)(?:{_alternation(rules['municipality_cues'])})\s+$", re.IGNORECASE
        )
        self.demonym_suffixes = tuple(rules["demonym_suffixes"])
        self.ocr_confusions = [tuple(p) for p in rules["ocr_confusions"]]
        self.place_stopwords = frozenset(_fold(w) for w in rules["place_stopwords"])

    def address_line(self, text: str, start: int, end: int) -> bool:
        """Whether the name at ``start:end`` is the place of a postal address or letterhead."""
        line_start = text.rfind("\n", 0, start) + 1
        if self.re_address.search(text, line_start, start):
            return True  # "2500 EH Den Haag", "Postbus 123 Den Haag"
        if not self.re_line_start.match(text[line_start:start]) or line_start == 0:
            return False
        prev = text[text.rfind("\n", 0, line_start - 1) + 1 : line_start - 1].rstrip("\r")
        if self.re_address.search(prev):
            return True  # "Postbus 123, 2500 EH\nDen Haag."
        street = self.re_street_line.match(prev)
        return bool(
            street
            and _fold(street["street"].strip()) not in self.by_key
            and self.re_place_alone.match(text, end)
        )

    def re_dateline(self, line_before: str, after: str) -> bool:
        """A place name opening a line and followed by a date: "Den Haag, 22 mei 2023"."""
        return bool(self.re_line_start.match(line_before) and self.re_date_after.match(after))

    def _province_list_re(self, on_date: dt.date | None) -> re.Pattern[str]:
        """Province names that cannot be a municipality on the date, for list detection."""
        found = self._provinces_re.get(on_date)
        if found is None:
            if len(self._provinces_re) >= _SLIP_CACHE_SIZE:
                self._provinces_re.clear()
            found = self._provinces_re[on_date] = self._compile_province_list(on_date)
        return found

    def _compile_province_list(self, on_date: dt.date | None) -> re.Pattern[str]:
        names = {
            p
            for p in self.province_names.values()
            if not any(r.valid_on(on_date) for r in self.by_key.get(_fold(p), ()))
        }
        return re.compile(_alternation(names))

    # ------------------------------------------------------------------ matching
    def find(self, text: str, on_date: dt.date | None = None) -> list[MunicipalityMatch]:
        """Municipality mentions in ``text``; see module docstring for what counts."""
        normalised = _normalise(text)
        return self._match(
            _Tokens.whole(self.tokenizer(normalised)), text, on_date, None, normalised
        )

    def match_doc(self, doc: Doc, on_date: dt.date | None = None) -> list[MunicipalityMatch]:
        """Like :meth:`find` on an existing Doc (see :meth:`match_all`)."""
        return self.match_all(doc, on_date)[0]

    def match_all(
        self, doc: Doc, on_date: dt.date | None = None, *, text: str | None = None
    ) -> tuple[list[MunicipalityMatch], list[PlaceMatch]]:
        """Municipalities and woonplaatsen in an existing Doc, from one matching pass.

        The Doc's own tokens are used unless the text needs normalising (glued footnote
        markers, letter/letter slashes, wrapped lines); then a same-length copy is
        tokenised once, so offsets still refer to ``doc.text``. The exact hits are found
        once and serve both the municipalities and the places. ``text`` is ``doc.text``
        when the caller has it at hand (spaCy joins it anew on every access).
        """
        text = doc.text if text is None else text
        normalised = _normalise(text)
        tokens = self._tokens(doc, text, normalised)
        exact = self._exact_hits(tokens)
        found = self._match(tokens, text, on_date, exact, normalised)
        return found, self._find_places(tokens, text, exact)

    def _tokens(self, doc: Doc, text: str, normalised: str) -> _Tokens:
        """The tokens of ``normalised``: the Doc's own, except around what normalising
        changed, where a window of the normalised text is tokenised again.

        spaCy tokenises each run of non-space characters on its own, so outside the
        changed runs the tokens are the Doc's. A window reaches as many runs beyond a
        change as the longest name has tokens, so every name touching a change lies
        inside it. One slash in a long letter no longer costs a second tokenisation.
        """
        changed = [
            m.start() for m in _NORMALISED_CHARS.finditer(text) if normalised[m.start()] != m[0]
        ]
        if not changed:
            return _Tokens.whole(doc)
        self._places()  # its names count for the reach too
        reach = self._name_tokens + 1
        windows: list[tuple[int, int, list[tuple[int, int]]]] = []
        for pos in changed:
            core = (_run_start(text, pos), _run_end(text, pos + 1))
            start, end = core
            for _ in range(reach):
                start, end = (
                    _run_start(text, _space_start(text, start)),
                    _run_end(text, _space_end(text, end)),
                )
            if windows and start <= windows[-1][1]:
                last = windows[-1]
                cores = last[2]
                if core[0] <= cores[-1][1]:
                    cores[-1] = (cores[-1][0], max(cores[-1][1], core[1]))
                else:
                    cores.append(core)
                windows[-1] = (last[0], max(last[1], end), cores)
            else:
                windows.append((start, end, [core]))
        return _Tokens(
            doc,
            [
                (start, self.tokenizer(normalised[start:end]), cores)
                for start, end, cores in windows
            ],
        )

    def _match(
        self,
        tokens: _Tokens,
        text: str,
        on_date: dt.date | None,
        exact: list[_Hit] | None,
        normalised: str,
    ) -> list[MunicipalityMatch]:
        hits = list(self._exact_hits(tokens) if exact is None else exact)
        hits += self._ocr_hits(tokens, hits, normalised)
        hits.sort(key=lambda h: h.start)
        heads = _chain_heads(text, hits)
        listed = {h for h in heads if heads.count(h) > 1}
        provinces_re = self._province_list_re(on_date)
        out: list[MunicipalityMatch] = []
        for hit, head in zip(hits, heads, strict=True):
            match = self._judge(text, hit, head, on_date, provinces_re, head in listed)
            if match is not None:
                out.append(match)
        return out

    def _exact_hits(self, tokens: _Tokens) -> list[_Hit]:
        strings = self.vocab.strings
        return _longest(_Hit(s, e, strings[m]) for m, s, e in tokens.matches(self.matcher))

    def _ocr_hits(self, tokens: _Tokens, exact: Sequence[_Hit], text: str) -> list[_Hit]:
        """Capitalised unknown tokens that are one OCR slip away from exactly one name."""
        taken_starts = [h.start for h in exact]  # sorted, not overlapping (`_longest`)
        out: list[_Hit] = []
        starts, lengths = tokens.arrays()
        long_enough = np.flatnonzero(lengths >= 6)  # _OCR_TOKEN: a capital and 5+ letters
        for idx, length in zip(
            starts[long_enough].tolist(), lengths[long_enough].tolist(), strict=True
        ):
            word = text[idx : idx + length]
            before = bisect.bisect_right(taken_starts, idx) - 1
            if not _OCR_TOKEN.fullmatch(word) or (before >= 0 and idx < exact[before].end):
                continue
            found = self._ocr_slip(word)
            if found is not None:
                out.append(_Hit(idx, idx + length, found[0], found[1]))
        return out

    def _ocr_slip(self, word: str) -> tuple[str, float] | None:
        """The one name `word` is an OCR slip of, with its score; cached per word form."""
        try:
            return self._slips[word]
        except KeyError:
            pass
        if len(self._slips) >= _SLIP_CACHE_SIZE:
            self._slips.clear()
        found = self._slips[word] = self._find_slip(word)
        return found

    def _find_slip(self, word: str) -> tuple[str, float] | None:
        low = _fold(word)
        if low in self.by_key or low in self.place_codes or low in self.province_names:
            return None
        if (
            process.extractOne(low, self.single_token_keys, scorer=fuzz.ratio, score_cutoff=75)
            is None
        ):
            return None
        best = self._ocr_scores(low)
        if not best:
            return None
        ranked = sorted(best.items(), key=lambda kv: kv[1], reverse=True)
        key, score = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        if score < 90 or score - second < 5:
            return None
        if low.startswith(key) or (
            low.endswith(self.demonym_suffixes) and not key.endswith(self.demonym_suffixes)
        ):
            return None  # "Amsterdammer", "Utrechter": derived words, not slips
        if low in _lemma_words():
            return None
        return key, round(score, 1)

    def _ocr_scores(self, low: str) -> dict[str, float]:
        """Best ratio per name over the token and its one-confusion repairs (-2 per repair)."""
        variants = {low: 0.0}
        for wrong, right in self.ocr_confusions:
            i = low.find(wrong)
            while i != -1:
                variants.setdefault(low[:i] + right + low[i + len(wrong) :], 2.0)
                i = low.find(wrong, i + 1)
        best: dict[str, float] = {}
        for variant, penalty in variants.items():
            for key, score, _ in process.extract(
                variant, self.single_token_keys, scorer=fuzz.ratio, limit=3, score_cutoff=80
            ):
                value = score - penalty
                if value > best.get(key, 0.0):
                    best[key] = value
        return best

    # ------------------------------------------------------------------ judging
    def _judge(
        self,
        text: str,
        hit: _Hit,
        head: int,
        on_date: dt.date | None,
        provinces_re: re.Pattern[str],
        listed: bool = False,
    ) -> MunicipalityMatch | None:
        start, end, key = hit.start, hit.end, hit.key
        raw = text[start:end]
        if not _capitalised(raw):
            return None
        line_before = text[text.rfind("\n", 0, start) + 1 : start]
        after = text[end : end + 40]
        if self.address_line(text, start, end):
            return None  # postal address / letterhead
        if self.re_dateline(line_before, after):
            return None  # dateline "Den Haag, 22 mei 2023"
        before_head = text[max(0, head - 60) : head]
        if self.re_institution.search(before_head) or self.re_follower.match(after):
            return None  # "Universiteit <place>", "<place> Airport"
        if _inside_proper_name(text, head, end):
            return None  # "AB <place>", "<place> <Name> Airport": part of another name
        particle = self.re_particle.search(before_head)
        if particle and not _sentence_initial(text, max(0, head - 60) + particle.start(1)):
            return None  # surname "Van Delft"
        municipality_cue = bool(self.re_municipality_cue.search(before_head))
        candidates = self.by_key[key]
        if key in self.province_names and not municipality_cue:
            if self.re_province_cue.search(before_head):
                return None  # "provincie Groningen"
            if _listed_with(text, start, end, provinces_re):
                return None  # "Groningen en Drenthe"
            if not any(c.valid_on(on_date) for c in candidates):
                return None  # "Zeeland": the province, its namesake municipality is gone
        hint: str | None = None
        paren = _PAREN_AFTER.match(text[end : end + 30])
        if paren:
            hint = self.province_hints.get(_abbr(paren.group(1)))
            if hint is not None:  # "Bergen (NH.)", "Hengelo (O.)", "Bergen (Limburg)"
                end += paren.end()
                raw = text[start:end]
        if (
            key in self.homographs
            and hint is None
            and not municipality_cue
            and not listed
            and _sentence_initial(text, start)
        ):
            return None  # "Best is ...", "Echt niet" (but "Goes en Middelburg" is a list)
        return self._resolve(text, hit, start, end, raw, candidates, on_date, hint)

    def _resolve(
        self,
        text: str,
        hit: _Hit,
        start: int,
        end: int,
        raw: str,
        candidates: tuple[Gemeente, ...],
        on_date: dt.date | None,
        hint: str | None,
    ) -> MunicipalityMatch:
        if hint is not None:
            candidates = tuple(c for c in candidates if c.province == hint) or candidates
        chosen, status = self.resolve_candidates(candidates, on_date)
        if status == "ambiguous":
            window = text[max(0, start - 120) : end + 120]
            named = {c.province for c in chosen if c.province in window}
            if len(named) == 1:
                chosen = tuple(c for c in chosen if c.province in named)
                status = "current"
        name = " ".join(raw.split())
        if status == "ambiguous":
            codes = tuple(sorted({c.code for c in chosen}))
            return MunicipalityMatch(
                name, None, None, status, start, end, raw, candidates=codes, score=hit.score
            )
        g = chosen[0]
        merged = self.merged_into.get(g.code) if status == "former" else None
        return MunicipalityMatch(
            name, g.code, g.name, status, start, end, raw, merged, (), hit.score, g.province
        )

    def resolve_candidates(
        self, candidates: Sequence[Gemeente], on_date: dt.date | None
    ) -> tuple[tuple[Gemeente, ...], str]:
        """Pick the record(s) a name denotes on the date, with the status of the choice."""
        valid = [c for c in candidates if c.valid_on(on_date)]
        if valid:
            codes = {c.code for c in valid}
            return (tuple(valid[:1]), "current") if len(codes) == 1 else (tuple(valid), "ambiguous")
        day = on_date or dt.date.max
        ended = [c for c in candidates if c.end is not None and c.end <= day]
        if ended:
            last = max(c.end or dt.date.min for c in ended)
            latest = [c for c in ended if c.end == last]
            if len({c.code for c in latest}) == 1:
                return (latest[0],), "former"
            return tuple(latest), "ambiguous"
        first = min(candidates, key=lambda c: c.begin)
        return (first,), "future"

    def resolve(
        self, name: str, on_date: dt.date | None = None, province: str | None = None
    ) -> tuple[tuple[Gemeente, ...], str]:
        """Resolve a bare name (no context rules): records and status; ((), "") if unknown."""
        candidates = self.by_key.get(_fold(_base_name(name)), ())
        if province is not None:
            candidates = tuple(c for c in candidates if c.province == province) or candidates
        return self.resolve_candidates(candidates, on_date) if candidates else ((), "")

    # ------------------------------------------------------------------ places
    def _places(self) -> PhraseMatcher:
        if self._place_matcher is None:
            matcher = PhraseMatcher(self.vocab, attr="LOWER")
            for key, codes in self.place_codes.items():
                if (
                    len(codes) != 1
                    or key in self.by_key
                    or key in self.place_stopwords
                    or key in self.province_names
                ):
                    continue
                form = self._place_forms[key]
                patterns = [self.tokenizer(v) for v in sorted(_spelling_variants(form))]
                self._name_tokens = max(self._name_tokens, *(len(d) for d in patterns))
                matcher.add(key, patterns)
            self._place_matcher = matcher
        return self._place_matcher

    def find_places(self, text: str, on_date: dt.date | None = None) -> list[PlaceMatch]:
        """Woonplaatsen that are not municipalities ("Schiphol" -> Haarlemmermeer).

        The woonplaats table is a recent snapshot, so ``on_date`` does not change the
        host municipality; it is accepted for symmetry with :meth:`find`.
        """
        del on_date
        tokens = _Tokens.whole(self.tokenizer(_normalise(text)))
        return self._find_places(tokens, text, self._exact_hits(tokens))

    def _find_places(self, tokens: _Tokens, text: str, exact: Sequence[_Hit]) -> list[PlaceMatch]:
        taken = [(h.start, h.end) for h in exact]
        strings = self.vocab.strings
        hits = [_Hit(s, e, strings[m]) for m, s, e in tokens.matches(self._places())]
        out: list[PlaceMatch] = []
        for hit in _longest(hits):
            if any(s < hit.end and hit.start < e for s, e in taken):
                continue
            raw = text[hit.start : hit.end]
            line_before = text[text.rfind("\n", 0, hit.start) + 1 : hit.start]
            before = text[max(0, hit.start - 60) : hit.start]
            if (
                not _capitalised(raw)
                or self.address_line(text, hit.start, hit.end)
                or self.re_institution.search(before)
                or self.re_particle.search(before)
                or self.re_dateline(line_before, text[hit.end : hit.end + 40])
                or self.re_follower.match(text[hit.end : hit.end + 40])
            ):
                continue
            code = next(iter(self.place_codes[hit.key]))
            current = [r for r in self.by_code[code] if r.end is None] or self.by_code[code]
            out.append(
                PlaceMatch(" ".join(raw.split()), code, current[0].name, hit.start, hit.end, raw)
            )
        return out

    def warm(self) -> None:
        """Build what matching would otherwise build on the first document."""
        self._places()
        _lemma_words()


# ---------------------------------------------------------------------- helpers
_NORMALISED_CHARS = re.compile(f"[/\n{_BLANKED_CHARS}]")
"""The characters `_normalise` may change."""


class _Tokens:
    """The gazetteer's tokens of a normalised text: a Doc's own tokens, with windows
    tokenised anew around the changed runs (`cores`, sorted character spans)."""

    def __init__(self, doc: Doc, windows: Sequence[tuple[int, Doc, list[tuple[int, int]]]]):
        self.doc = doc
        self.windows = windows
        self.cores = [core for _, _, cores in windows for core in cores]
        self._core_starts = [s for s, _ in self.cores]

    @classmethod
    def whole(cls, doc: Doc) -> _Tokens:
        return cls(doc, ())

    def _in_core(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._core_starts, end) - 1
        return i >= 0 and self.cores[i][1] > start

    def matches(self, matcher: PhraseMatcher) -> list[tuple[int, int, int]]:
        """(match id, start char, end char) of every phrase match, in text order."""
        doc = self.doc
        out = [(m, doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for m, s, e in matcher(doc)]
        if not self.windows:
            return out
        out = [hit for hit in out if not self._in_core(hit[1], hit[2])]
        for offset, window, _ in self.windows:  # windows are disjoint: a hit meets its own cores
            for m, s, e in matcher(window):
                span = window[s:e]
                start, end = span.start_char + offset, span.end_char + offset
                if self._in_core(start, end):
                    out.append((m, start, end))
        out.sort(key=lambda hit: hit[1])
        return out

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Start offsets and lengths of the tokens, in text order."""
        starts, lengths = self.doc.to_array("IDX"), self.doc.to_array("LENGTH")
        if not self.windows:
            return starts, lengths
        keep = np.ones(len(starts), dtype=bool)
        parts_s, parts_l = [], []
        for offset, window, cores in self.windows:
            for a, b in cores:
                keep &= ~((starts < b) & (starts + lengths > a))
            ws, wl = window.to_array("IDX") + offset, window.to_array("LENGTH")
            inside = np.zeros(len(ws), dtype=bool)
            for a, b in cores:
                inside |= (ws < b) & (ws + wl > a)
            parts_s.append(ws[inside])
            parts_l.append(wl[inside])
        all_s = np.concatenate([starts[keep], *parts_s])
        all_l = np.concatenate([lengths[keep], *parts_l])
        order = np.argsort(all_s, kind="stable")
        return all_s[order], all_l[order]


def _run_start(text: str, pos: int) -> int:
    """Start of the run of non-space characters that ends at or holds ``pos - 1``."""
    while pos > 0 and not text[pos - 1].isspace():
        pos -= 1
    return pos


def _run_end(text: str, pos: int) -> int:
    """End of the run of non-space characters that starts at or holds ``pos``."""
    n = len(text)
    while pos < n and not text[pos].isspace():
        pos += 1
    return pos


def _space_start(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos


def _space_end(text: str, pos: int) -> int:
    n = len(text)
    while pos < n and text[pos].isspace():
        pos += 1
    return pos


def _normalise(text: str) -> str:
    """Same-length copy with glued footnote markers, slashes and line wraps blanked.

    Offsets stay valid; context rules still read the original text (line starts).
    """
    return _LINE_WRAP.sub(" ", _SLASH_BETWEEN_LETTERS.sub(" ", _BLANKED.sub(" ", text)))


def _longest(hits: Iterable[_Hit]) -> list[_Hit]:
    """Non-overlapping hits, longest first ("Bergen op Zoom" over "Bergen")."""
    chosen: list[_Hit] = []  # sorted by start, never overlapping: neighbours suffice
    starts: list[int] = []
    for h in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        at = bisect.bisect_left(starts, h.start)
        if (at > 0 and chosen[at - 1].end > h.start) or (
            at < len(chosen) and chosen[at].start < h.end
        ):
            continue
        chosen.insert(at, h)
        starts.insert(at, h.start)
    return chosen


def _chain_heads(text: str, hits: Sequence[_Hit]) -> list[int]:
    """Start of the enumeration each hit belongs to ("gemeenten A, B en C" -> A's start)."""
    heads: list[int] = []
    for i, hit in enumerate(hits):
        if i and _LIST_GLUE.fullmatch(text[hits[i - 1].end : hit.start]):
            heads.append(heads[-1])
        else:
            heads.append(hit.start)
    return heads


def _capitalised(raw: str) -> bool:
    """Place names are written with a capital ("'s-Gravenhage": the G)."""
    core = raw.lstrip(_APOSTROPHES)
    if core[:2].lower() == "s-":
        core = core[2:]
    return core[:1].isupper()


def _sentence_initial(text: str, start: int) -> bool:
    """True when nothing but punctuation, a sentence end or a blank line precedes."""
    i = start - 1
    newlines = 0
    while i >= 0 and (text[i].isspace() or text[i] in _SKIPPED_BEFORE):
        newlines += text[i] == "\n"
        i -= 1
    return i < 0 or newlines >= 2 or text[i] in _SENTENCE_END


_NAME_AFTER = re.compile(r"^ (?:[A-Z][a-z]+|[A-Z]{2,})\b(?!\.)")
_NAME_BEFORE = re.compile(r"(?:^|[^\w.])(?P<word>(?:[A-Z][\w&’'-]*|[A-Z]{2,}))\.? $")
_NOT_NAME_WORDS = frozenset(
    "De Het Een En Of In Op Te Van Voor Met Bij Naar Uit Door Aan Om Over Tot Als Dat Die Dit "
    "Deze Ook Zo Ik Wij We U Zij Hij Gemeente Gemeenten Stad Regio Provincie".split()
)


def _inside_proper_name(text: str, head: int, end: int) -> bool:
    """A municipality name that runs on into another capitalised name, or follows one that
    is not at a sentence start, names an organisation or a thing, not the place."""
    after = _NAME_AFTER.match(text[end : end + 30])
    if after and after.group().strip() not in _NOT_NAME_WORDS:
        return True
    window = text[max(0, head - 40) : head]
    before = _NAME_BEFORE.search(window)
    if before is None or before.group("word") in _NOT_NAME_WORDS:
        return False
    word_start = max(0, head - 40) + before.start("word")
    return not _sentence_initial(text, word_start)


def _listed_with(text: str, start: int, end: int, provinces_re: re.Pattern[str]) -> bool:
    """A province name adjacent in an enumeration: "Groningen, Friesland en Drenthe"."""
    glue = r"\s*(?:,|/|&|\ben\b|\bof\b|-)\s*"
    if re.match(rf"{glue}(?:{provinces_re.pattern})\b", text[end : end + 40]):
        return True
    return bool(
        re.search(rf"\b(?:{provinces_re.pattern}){glue}$", text[max(0, start - 40) : start])
    )


@functools.cache
def gazetteer() -> MunicipalityGazetteer:
    """The packaged gazetteer, loaded once per process."""
    return MunicipalityGazetteer.load()


def find_municipalities(text: str, on_date: dt.date | None = None) -> list[MunicipalityMatch]:
    """Every mention of a Dutch municipality as a place, resolved on ``on_date``."""
    return gazetteer().find(text, on_date)


def match_doc(doc: Doc, on_date: dt.date | None = None) -> list[MunicipalityMatch]:
    """:func:`find_municipalities` on an existing Doc, for the pipeline component."""
    return gazetteer().match_doc(doc, on_date)


def find_places(text: str, on_date: dt.date | None = None) -> list[PlaceMatch]:
    """Woonplaatsen that are not municipalities; never municipality mentions."""
    return gazetteer().find_places(text, on_date)


def match_all(
    doc: Doc, on_date: dt.date | None = None, *, text: str | None = None
) -> tuple[list[MunicipalityMatch], list[PlaceMatch]]:
    """Municipalities and woonplaatsen of a Doc in one pass, for the pipeline component."""
    return gazetteer().match_all(doc, on_date, text=text)
