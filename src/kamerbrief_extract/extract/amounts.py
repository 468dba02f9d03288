"""Amounts of money in euros, with qualifier, recurrence and the years they concern.

Follows ANNOTATION.md §4. Reading happens in three passes over the text:

1. *Atoms*: a number (digits or Dutch number words) with optional currency before
   ("€", "EUR", OCR "C"/"E"), scale after ("mln.", "miljard", "duizend", "K") and
   currency after ("euro"). Two atoms joined by "-", "tot", "à" (or "tussen … en …")
   become one range.
2. *Acceptance*: an atom is money when it carries a currency sign or word; a bare
   "20 miljoen" only when its sentence talks about money and the next word is not a
   noun being counted ("miljoen inwoners").
3. *Attributes*: qualifier words directly before the amount; recurrence and year
   phrases attach to the nearest amount in the same sentence, then flow forward to
   later amounts of the sentence (enumerations, colon lists) and into a next sentence
   that opens with an anaphor ("Dit geld", "Hiervan", "Van het … bedrag").

Qualifier mapping onto the ANNOTATION list (documented choice): "meer dan" → ruim;
"ca."/"c.a." → circa; "zo'n"/"rond de"/"naar schatting"/"±" → ongeveer;
"nagenoeg"/"vrijwel"/"krap" → bijna; "ten hoogste"/"hooguit"/"minder dan"/"max." →
maximaal; "ten minste"/"minstens" → minimaal; "oplopend tot"/"tot wel" → tot.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal
from text_to_num import text2num

__all__ = ["AmountMatch", "find_amounts"]


@dataclass(frozen=True, slots=True)
class AmountMatch:
    """One amount of money; a range ("€5-10 mln.") is one match with two bounds."""

    value_eur: Decimal
    start: int
    end: int
    raw: str
    qualifier: str | None
    recurrence: str | None
    value_max_eur: Decimal | None = None
    years: tuple[int, ...] = ()
    years_relation: str | None = None
    spread_years: int | None = None


# --------------------------------------------------------------------------- tables

# Scale words, lower-cased and without trailing period. OCR variants of "mln" are
# trusted only next to a currency sign ("20 min." is twenty minutes).
_SCALES: dict[str, Decimal] = {
    "duizend": Decimal(1000),
    "k": Decimal(1000),
    "mln": Decimal(10) ** 6,
    "miljoen": Decimal(10) ** 6,
    "mld": Decimal(10) ** 9,
    "mrd": Decimal(10) ** 9,
    "miljard": Decimal(10) ** 9,
    "biljoen": Decimal(10) ** 12,
}
_OCR_SCALES: dict[str, str] = {"min": "mln", "rnln": "mln", "rnin": "mln", "m1n": "mln"}
# Scales that make a currency-less number money-like ("1 miljoen per jaar").
_BARE_SCALES = frozenset({"mln", "miljoen", "mld", "mrd", "miljard", "biljoen"})

# Fractions text2num does not know.
_FRACTIONS: dict[str, Decimal] = {
    "half": Decimal("0.5"),
    "een half": Decimal("0.5"),
    "één half": Decimal("0.5"),
    "anderhalf": Decimal("1.5"),
    "kwart": Decimal("0.25"),
    "een kwart": Decimal("0.25"),
    "één kwart": Decimal("0.25"),
    "driekwart": Decimal("0.75"),
}

# Morphemes of Dutch cardinal words; a word made only of these is handed to text2num.
_NUMBER_MORPHEMES: tuple[str, ...] = (
    "één",
    "eén",  # capitalised "Eén" lower-cases to this
    "een",
    "twee",
    "drie",
    "vier",
    "vijf",
    "zes",
    "zeven",
    "acht",
    "negen",
    "tien",
    "elf",
    "twaalf",
    "dertien",
    "veertien",
    "twintig",
    "dertig",
    "veertig",
    "tachtig",
    "negentig",
    "tig",
    "honderd",
    "duizend",
    "ën",
    "en",
)

_QUALIFIERS: dict[str, str] = {
    "ruim": "ruim",
    "meer dan": "ruim",
    "ruimschoots": "ruim",
    "circa": "circa",
    "ca.": "circa",
    "c.a.": "circa",
    "ca": "circa",
    "ongeveer": "ongeveer",
    "zo'n": "ongeveer",
    "zo’n": "ongeveer",
    "rond de": "ongeveer",
    "rond": "ongeveer",
    "omstreeks": "ongeveer",
    "naar schatting": "ongeveer",
    "ongeveer zo'n": "ongeveer",
    "±": "ongeveer",
    "bijna": "bijna",
    "nagenoeg": "bijna",
    "vrijwel": "bijna",
    "krap": "bijna",
    "maximaal": "maximaal",
    "max.": "maximaal",
    "ten hoogste": "maximaal",
    "hooguit": "maximaal",
    "minder dan": "maximaal",
    "maximum van": "maximaal",
    "minimaal": "minimaal",
    "ten minste": "minimaal",
    "tenminste": "minimaal",
    "minstens": "minimaal",
    "minimum van": "minimaal",
    "tot": "tot",
    "tot wel": "tot",
    "oplopend tot": "tot",
    "tot aan": "tot",
}

# Recurrence cue words; longer cues first so "niet structureel" beats "structureel".
_RECURRENCE_CUES: tuple[tuple[str, str], ...] = (
    ("one_off", r"niet[- ]structure(?:el|le)"),
    ("per_year", r"jaarlijks(?:e)?"),
    ("per_year", r"per\s+jaar"),
    ("per_year", r"per\s+annum"),
    ("per_year", r"(?:elk|ieder|elke)\s+jaar"),
    ("per_year", r"p/j|p\.j\."),
    ("per_year", r"/\s?jaar"),
    ("per_year", r"structure(?:el|le)"),
    ("one_off", r"(?:één|een)malig(?:e)?"),
    ("one_off", r"incidente(?:el|le)"),
)

# Words that may directly follow a bare "20 miljoen" of money; any other lower-case
# word is taken as the thing counted ("miljoen mensen", "miljoen ton").
_BARE_FOLLOWER_WORDS = """
    per voor aan van in uit op naar bij om tot met over door via tegen zonder binnen
    extra beschikbaar structureel jaarlijks eenmalig incidenteel cumulatief totaal netto
    bruto additioneel meer minder méér minimaal maximaal ruim
    is wordt werd was zijn worden werden waren kan kunnen zal zullen gaat gaan moet
    moeten mag mogen blijft blijven bedraagt bedragen kost kostte kosten komt komen
    beschikbaar gesteld gereserveerd vrijgemaakt toegekend uitgetrokken geïnvesteerd
    geïnvesteerd bijgedragen nodig uitgegeven begroot geraamd besteed verdeeld
    en of maar dat die wat waarvan waarmee waarbij te ook nog al reeds wel niet
"""
_BARE_FOLLOWERS = frozenset(_BARE_FOLLOWER_WORDS.split())

_WORD_START = r"(?<![\w])"

# A sentence speaks about money when it holds one of these.
_MONEY_CUES = re.compile(
    r"€|\bEUR\b|(?i:\beuro(?:'s|’s)?\b|\bbudget\w*|\bbedrag\w*|\bkost(?:en|te|ten)?\b"
    r"|\binvester\w*|\binvestering\w*|(?<!verdovende )\bmiddelen\b|\bfinancier\w*"
    r"|\bsubsidie\w*|\bgeld\b|\bgelden\b|\bbegroting\w*|\buitgave\w*|\bopbrengst\w*"
    r"|\bbespar\w*|\bbezuinig\w*|\bbijdrage\w*|\benvelop\w*|\bcompensatie\w*"
    r"|\btekort\w*|\bbudgettair\w*)"
)

# Openings of a sentence that continue the money of the sentence before.
_ANAPHOR = re.compile(
    r"(?i:(?:dit|dat|deze|die|het)\s+(?:geld|bedrag|bedragen|budget|middelen|gelden)\b"
    r"|(?:hiervan|daarvan|waarvan|tevens|voorts)\b"
    r"|van\s+(?:dit|dat|het|deze|die)\b[^.;:]{0,40}?\b"
    r"(?:bedrag|geld|budget|middelen|gelden|totaal)\b)"
)
_BULLET = re.compile(r"(?:[-–•*·▪]|[a-z0-9][.)])\s")

_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_YEAR = r"(?:19|20)[0-9]{2}"
_YEAR_END = r"(?![0-9]|/[0-9])"
_DATE = rf"(?:[0-9]{{1,2}}\s+(?:{_MONTHS})\s+)?"

# Year phrases: (relation, pattern). Ranges resolve to every year in between.
_YEAR_PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "in",
        re.compile(
            rf"(?i:\b(?:in\s+de\s+periode|periode|van|in|voor|over)\s+)?(?P<y1>{_YEAR})\s*"
            rf"(?:-|–|t/m|(?i:tot\s+en\s+met))\s*(?P<y2>{_YEAR}|[0-9]{{2}}){_YEAR_END}"
        ),
    ),
    ("in", re.compile(rf"(?i:\btussen)\s+(?P<y1>{_YEAR})\s+en\s+(?P<y2>{_YEAR}){_YEAR_END}")),
    (
        "from",
        re.compile(
            rf"(?i:\b(?:vanaf|sinds|m\.i\.v\.|met\s+ingang\s+van|per)\s+){_DATE}(?P<y1>{_YEAR}){_YEAR_END}"
        ),
    ),
    (
        "until",
        re.compile(rf"(?i:\b(?:tot\s+en\s+met|t/m|tot)\s+){_DATE}(?P<y1>{_YEAR}){_YEAR_END}"),
    ),
    (
        "in",
        re.compile(
            rf"(?i:\b(?:in|over|voor)\s+(?:het\s+jaar\s+)?)(?P<y1>{_YEAR}){_YEAR_END}"
            rf"(?P<more>(?:\s*(?:,|en)\s*{_YEAR}{_YEAR_END})*)"
        ),
    ),
    (
        "spread",
        re.compile(
            r"(?i:\b(?:(?:verdeeld|gespreid|uitgesmeerd)\s+over(?:\s+een\s+periode\s+van)?"
            r"|over\s+een\s+periode\s+van)\s+(?P<n>[0-9]{1,2}|[a-zë]+)\s+jaar\b)"
        ),
    ),
)
# Citation contexts whose "2021-2022" is a parliamentary year, not a budget period.
_NOT_BUDGET_YEAR = re.compile(
    r"(?:vergaderjaar|Kamerstukken?\s+I{1,2}|Handelingen\s+I{1,2}|Stb\.|Stcrt\.)\s*,?\s*$"
)

_RECURRENCE_GAP = 50  # characters between a cue and the amount it qualifies
_YEAR_GAP = 60
_LOOKBACK_SENTENCES = 2

# --------------------------------------------------------------------------- atom pattern

_DIGITS = r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]+(?:[.,][0-9]+)?"
_MORPH = "|".join(sorted(_NUMBER_MORPHEMES, key=len, reverse=True))
_WORDS = (
    rf"(?i:(?:een|één|eén)\s+(?:half|kwart)|anderhalf|driekwart|half|kwart"
    rf"|(?:{_MORPH})+(?:ën|en)half|(?:{_MORPH})+)(?![\w'’])"
)
_PRE = r"€|(?<![A-Za-z])EUR(?![A-Za-z])|(?<![\w€])[CE](?=\s?[0-9])"
_SCALE = (
    r"(?i:miljoen|miljard|biljoen|duizend)(?![A-Za-z])"
    r"|(?:(?i:mln|mld|mrd)|m[Il1i]n|rn[li]n)(?![A-Za-z])\.?"
    r"|[kK](?![A-Za-z0-9])"
)
_POST = r"(?i:euro(?:'s|’s)?)(?![A-Za-z])|EUR(?![A-Za-z])"

_ATOM = re.compile(
    rf"(?:(?P<pre>{_PRE})\s{{0,2}}(?:[-−–]\s?)?|(?<![\w.,€]))"
    rf"(?:(?P<digits>{_DIGITS})(?P<dash>,-{{1,2}}|,—)?|(?<![\w'’])(?P<words>{_WORDS}))"
    rf"(?:\s{{0,2}}(?P<scale>{_SCALE}))?"
    rf"(?:\s{{0,2}}(?P<post>{_POST}))?"
)
_FRACTION_WORDS = ("anderhalf", "driekwart", "half", "kwart")  # as in `_WORDS`
_NUMBER_WORD_INITIALS = "".join(
    sorted(
        {c for w in (*_NUMBER_MORPHEMES, *_FRACTION_WORDS) for c in (w[0].lower(), w[0].upper())}
    )
)
# Every character an `_ATOM` match can start with: a currency sign or its OCR guess, a
# digit, the first letter of a word that opens with a number word.
_ATOM_START = re.compile(
    rf"[€EC0-9]|(?<![\w'’])(?=[{_NUMBER_WORD_INITIALS}])"
    rf"(?i:(?={_MORPH}|{'|'.join(_FRACTION_WORDS)}))[{_NUMBER_WORD_INITIALS}]"
)


_WORD_OR_SLASH = re.compile(r"(?<!\w)\w|/")
"""Where a recurrence cue can start: a word, a slash ("/jaar")."""


def _matches(
    pattern: re.Pattern[str], text: str, starts: re.Pattern[str] = _WORD_OR_SLASH
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, tried only at the characters where `starts` says a match
    can begin: the same matches, without running the whole pattern at every character."""
    resume = 0
    for start in starts.finditer(text):
        pos = start.start()
        if pos < resume:
            continue
        match = pattern.match(text, pos)
        if match is not None:
            yield match
            resume = match.end()


_RANGE_AHEAD = re.compile(r"\s*(?:[-–—]|tot\b|à|a\b|t/m|en\b)")
_RANGE_WORD = re.compile(r"\s*(?:tot(?:\s+en\s+met)?|à|a|t/m)\s*")
_RANGE_DASH = re.compile(r"\s*[-–—]\s*")
_TIGHT_DASH = re.compile(r"[-–]")
_TABLE_HEADER = re.compile(r"(?:^|[\s(\[])[x×]\s*$")
_QUALIFIER = re.compile(
    "(?:"
    + "|".join(
        (r"(?<![\w])" if q[0].isalnum() else "") + re.escape(q).replace(r"\ ", r"\s+")
        for q in sorted(_QUALIFIERS, key=len, reverse=True)
    )
    + r")\s*$",
    re.IGNORECASE,
)
_CUES = re.compile(
    "|".join(
        f"(?P<c{i}>{'' if p.startswith('/') else _WORD_START}{p})"
        for i, (_, p) in enumerate(_RECURRENCE_CUES)
    ),
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(
    r"[.!?]['\"’”)]*[\u00b9\u00b2\u00b3\u2070-\u2079]*\s+(?=['\"‘“(]?[A-ZÀ-Ý])|\n\s*\n"
)
_TITLE_ABBREVIATIONS = re.compile(
    r"(?i:\b(?:mr|dr|drs|prof|ir|ing|dhr|mw|mevr|nr|nrs|art|bijv|vgl|o\.a|e\.a|z\.g\.n|zgn)\.)$"
)


# --------------------------------------------------------------------------- data holders


@dataclass(frozen=True, slots=True)
class _Atom:
    start: int
    end: int
    number: Decimal
    scale: str | None
    currency: bool  # a currency sign or word belongs to this atom
    weak_currency: bool  # the sign is an OCR guess ("C", "E")
    year_like: bool


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    low: Decimal
    high: Decimal | None
    rec: str | None = None
    rec_gap: int = 10**9
    years: tuple[int, ...] = ()
    years_rel: str | None = None
    years_gap: int = 10**9
    spread: int | None = None


# --------------------------------------------------------------------------- helpers


def _tidy(value: Decimal) -> Decimal:
    """Give integral amounts an integral exponent so they print as 20000000, not 2.0E+7."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def _parse_digits(s: str) -> Decimal | None:
    """Dutch separators first; "3.5" (decimal point) only when Dutch reading fails."""
    for locale in ("nl_NL", "en"):
        try:
            return Decimal(parse_decimal(s, locale=locale, strict=True))
        except (NumberFormatError, InvalidOperation, ValueError):
            continue
    return None


def _parse_words(s: str) -> Decimal | None:
    """Number words via text2num; halves and quarters from the fraction table."""
    key = " ".join(s.lower().split()).replace("eén", "één")
    if key in _FRACTIONS:
        return _FRACTIONS[key]
    half = Decimal(0)
    for suffix in ("ënhalf", "enhalf"):
        if key.endswith(suffix) and len(key) > len(suffix):
            key, half = key[: -len(suffix)], Decimal("0.5")
            break
    try:
        return Decimal(text2num(key, "nl")) + half
    except (ValueError, TypeError, IndexError, KeyError, AssertionError):
        return None


def _scale_key(raw: str | None) -> str | None:
    if raw is None:
        return None
    key = raw.rstrip(".").lower()
    key = _OCR_SCALES.get(key, key)
    return key if key in _SCALES else None


def _atoms(text: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    for m in _matches(_ATOM, text, _ATOM_START):
        digits, words = m.group("digits"), m.group("words")
        plain = not (m.group("pre") or m.group("scale") or m.group("post"))
        if plain and (words or not _RANGE_AHEAD.match(text, m.end())):
            continue  # a plain number matters only as the lower bound of a range
        number = _parse_digits(digits) if digits else _parse_words(words or "")
        if number is None:
            continue
        scale_raw = m.group("scale")
        scale = _scale_key(scale_raw)
        pre, post = m.group("pre"), m.group("post")
        start, end = m.start(), m.end()
        ocr_scale = bool(scale_raw) and scale_raw.rstrip(".").lower() in _OCR_SCALES
        k_scale = scale == "k"
        weak = pre in ("C", "E")
        # OCR guesses stand only together: a guessed "€" needs a real scale word, an
        # OCR'd "mln" or a "K" needs a real currency sign or word.
        if weak and (scale not in _BARE_SCALES or ocr_scale):
            pre, start = None, m.start("digits") if digits else m.start("words")
            weak = False
        if (ocr_scale or k_scale) and not ((pre and not weak) or post):
            scale = None
            end = m.end("digits") if digits else m.end("words")
            post = None
        if words and scale is None and not post:
            continue
        if _TABLE_HEADER.search(text, max(0, start - 8), start):
            continue
        atoms.append(
            _Atom(
                start=start,
                end=end,
                number=number,
                scale=scale,
                currency=bool(pre or post),
                weak_currency=weak,
                year_like=bool(
                    digits and re.fullmatch(_YEAR, digits) and scale is None and not (pre or post)
                ),
            )
        )
    return atoms


def _value(atom: _Atom, scale: str | None) -> Decimal:
    return atom.number * (_SCALES[scale] if scale else Decimal(1))


def _is_money(atom: _Atom) -> bool:
    return atom.currency or atom.scale in _BARE_SCALES


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans; "mln. Dit" ends a sentence, "mr. Jansen" does not."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group().startswith(".") and _TITLE_ABBREVIATIONS.search(
            text, max(0, m.start() - 8), m.start() + 1
        ):
            continue
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _sentence_index(spans: Sequence[tuple[int, int]], pos: int) -> int:
    lo, hi = 0, len(spans) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if spans[mid][0] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _next_word_ok(text: str, end: int) -> bool:
    m = re.match(r"\s*([^\W\d_][\w'’-]*)", text[end : end + 60])
    if m is None:
        return True
    # A word glued to "miljoen" by mere space is its noun ("miljoen Nederlanders"), even
    # capitalised: a new sentence would need punctuation first.
    return m.group(1).lower() in _BARE_FOLLOWERS


def _merge_ranges(text: str, atoms: list[_Atom]) -> list[tuple[_Atom, _Atom | None]]:
    """Pair "€5 tot €10 mln." style bounds; the lower bound borrows the upper's scale."""
    out: list[tuple[_Atom, _Atom | None]] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        if b is not None and _is_range(text, a, b):
            out.append((a, b))
            i += 2
        else:
            out.append((a, None))
            i += 1
    return out


def _is_range(text: str, a: _Atom, b: _Atom) -> bool:
    if not _is_money(b) or a.year_like:
        return False
    gap = text[a.end : b.start]
    tight_dash = _TIGHT_DASH.fullmatch(gap) is not None
    if _RANGE_WORD.fullmatch(gap) or tight_dash:
        ok = True
    elif _RANGE_DASH.fullmatch(gap):
        ok = a.currency
    elif re.fullmatch(r"\s+en\s+", gap):
        ok = re.search(r"(?i:\btussen)\s*$", text[max(0, a.start - 12) : a.start]) is not None
    else:
        ok = False
    if not ok:
        return False
    return _range_low(a, b) is not None


def _range_low(a: _Atom, b: _Atom) -> Decimal | None:
    """Lower bound of a range: "€5-10 mln." borrows the scale, "€500.000 tot €1 mln." not."""
    high = _value(b, b.scale)
    options = [a.scale] if a.scale else [b.scale, None] if a.currency else [b.scale]
    for scale in options:
        low = _value(a, scale)
        # An unscaled lower bound must itself look like money ("€500.000"), not "€10".
        if low <= high and (scale is not None or a.scale is not None or low >= 1000):
            return low
    return None


def _accept(text: str, spans: Sequence[tuple[int, int]], head: _Atom, tail: _Atom) -> bool:
    if tail.currency or head.currency:
        return True
    if tail.scale not in _BARE_SCALES:
        return False
    s, e = spans[_sentence_index(spans, head.start)]
    return _MONEY_CUES.search(text, s, e) is not None and _next_word_ok(text, tail.end)


def _qualifier(text: str, start: int) -> str | None:
    m = _QUALIFIER.search(text, max(0, start - 30), start)
    if m is None:
        return None
    key = " ".join(m.group().lower().split()).strip()
    return _QUALIFIERS.get(key)


def _gap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    if a_end <= b_start:
        return b_start - a_end
    if b_end <= a_start:
        return a_start - b_end
    return 0


def _nearest(
    text: str, found: Sequence[_Found], idx: Sequence[int], start: int, end: int, limit: int
) -> tuple[int, int] | None:
    """(index, gap) of the amount closest to start..end within limit characters.

    An amount across a bracket loses to one on the same level: in "€ 3 mld. voor 2026
    (binnen het totaal van € 3,5 mld.)" the year belongs to the first amount.
    """
    best: tuple[int, int] | None = None
    best_key: tuple[bool, int] | None = None
    for i in idx:
        f = found[i]
        g = _gap(f.start, f.end, start, end)
        if g > limit:
            continue
        lo, hi = (f.end, start) if f.end <= start else (end, f.start)
        key = (any(c in "()[]" for c in text[lo:hi]), g)
        if best_key is None or key < best_key:
            best, best_key = (i, g), key
    return best


def _spread_count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    try:
        return int(text2num(word.lower(), "nl"))
    except (ValueError, TypeError, IndexError, KeyError, AssertionError):
        return None


def _year_phrases(text: str) -> list[tuple[int, int, str, tuple[int, ...], int | None]]:
    """All year phrases, overlaps resolved in favour of the longer one."""
    cands: list[tuple[int, int, str, tuple[int, ...], int | None]] = []
    for relation, pattern in _YEAR_PHRASES:
        for m in pattern.finditer(text):
            if relation == "spread":
                n = _spread_count(m.group("n"))
                if n is not None and 0 < n <= 50:
                    cands.append((m.start(), m.end(), relation, (), n))
                continue
            if _NOT_BUDGET_YEAR.search(text, max(0, m.start() - 30), m.start()):
                continue
            y1 = int(m.group("y1"))
            years: tuple[int, ...]
            if "y2" in pattern.groupindex:
                y2s = m.group("y2")
                y2 = int(y2s) if len(y2s) == 4 else y1 // 100 * 100 + int(y2s)
                if not y1 < y2 <= y1 + 30:
                    continue
                years = tuple(range(y1, y2 + 1))
            else:
                more = m.groupdict().get("more") or ""
                years = (y1, *(int(y) for y in re.findall(_YEAR, more)))
            cands.append((m.start(), m.end(), relation, years, None))
    cands.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    out: list[tuple[int, int, str, tuple[int, ...], int | None]] = []
    for c in cands:
        if out and c[0] < out[-1][1]:
            continue
        out.append(c)
    return out


def _attach(text: str, found: list[_Found], spans: Sequence[tuple[int, int]]) -> None:
    by_sentence: dict[int, list[int]] = {}
    for i, f in enumerate(found):
        by_sentence.setdefault(_sentence_index(spans, f.start), []).append(i)

    for m in _matches(_CUES, text):
        kind = next(
            _RECURRENCE_CUES[int(k[1:])][0] for k, v in m.groupdict().items() if v is not None
        )
        idx = by_sentence.get(_sentence_index(spans, m.start()), [])
        hit = _nearest(text, found, idx, m.start(), m.end(), _RECURRENCE_GAP)
        if hit is not None and hit[1] < found[hit[0]].rec_gap:
            found[hit[0]].rec, found[hit[0]].rec_gap = kind, hit[1]

    spreads: dict[int, int] = {}
    for start, end, relation, years, n in _year_phrases(text):
        idx = by_sentence.get(_sentence_index(spans, start), [])
        hit = _nearest(text, found, idx, start, end, _YEAR_GAP)
        if hit is None:
            continue
        f = found[hit[0]]
        if relation == "spread" and n is not None:
            spreads[hit[0]] = n
        elif hit[1] < f.years_gap:
            f.years, f.years_rel, f.years_gap = years, relation, hit[1]
    for i, n in spreads.items():
        f = found[i]
        f.spread = n
        if len(f.years) == 1 and f.years_rel in ("from", "in"):
            f.years = tuple(range(f.years[0], f.years[0] + n))
        f.years_rel = "spread"

    _propagate(text, found, spans, by_sentence)


def _continues(text: str, spans: Sequence[tuple[int, int]], si: int) -> bool:
    """Does sentence si elaborate the money of the sentence(s) before it?"""
    s, e = spans[si]
    body = text[s:e].lstrip(" \t\n\"'‘“*_")
    if _ANAPHOR.match(body):
        return True
    if _BULLET.match(body) and si > 0:
        ps, pe = spans[si - 1]
        prev = text[ps:pe].rstrip()
        return prev.endswith(":") or _BULLET.match(text[ps:pe].lstrip()) is not None
    return False


def _propagate(
    text: str,
    found: list[_Found],
    spans: Sequence[tuple[int, int]],
    by_sentence: dict[int, list[int]],
) -> None:
    """Parts of an enumeration inherit recurrence and years from the amount they split."""
    for si in sorted(by_sentence):
        rec: str | None = None
        years: tuple[int, ...] = ()
        years_rel: str | None = None
        if _continues(text, spans, si):
            for back in range(si - 1, max(-1, si - 1 - _LOOKBACK_SENTENCES), -1):
                if back in by_sentence:
                    last = [found[i] for i in by_sentence[back]]
                    rec = next((f.rec for f in reversed(last) if f.rec), None)
                    with_years = [f for f in last if f.years]
                    if with_years:
                        years, years_rel = with_years[-1].years, with_years[-1].years_rel
                    break
        for i in by_sentence[si]:
            f = found[i]
            if f.rec is None:
                f.rec = rec
            rec = f.rec or rec
            if not f.years and f.years_rel is None:
                f.years, f.years_rel = years, years_rel
            if f.years:
                years, years_rel = f.years, f.years_rel


# --------------------------------------------------------------------------- public


def find_amounts(text: str) -> list[AmountMatch]:
    """Every euro amount in ``text`` in reading order (ANNOTATION.md §4)."""
    atoms = _atoms(text)
    if not atoms:
        return []  # no number that could be money: sentences and cues need not be read
    spans = _sentences(text)
    found: list[_Found] = []
    quals: list[str | None] = []
    for head, tail in _merge_ranges(text, atoms):
        last = tail or head
        if not _accept(text, spans, head, last):
            continue
        if tail is None:
            low, high = _value(head, head.scale), None
        else:
            low = _range_low(head, tail) or Decimal(0)
            high = _value(tail, tail.scale)
        found.append(_Found(start=head.start, end=last.end, low=low, high=high))
        quals.append(_qualifier(text, head.start))
    if found:  # recurrence and year cues only qualify amounts
        _attach(text, found, spans)
    return [
        AmountMatch(
            value_eur=_tidy(f.low),
            start=f.start,
            end=f.end,
            raw=text[f.start : f.end],
            qualifier=q,
            recurrence=f.rec,
            value_max_eur=None if f.high is None else _tidy(f.high),
            years=f.years,
            years_relation=f.years_rel,
            spread_years=f.spread,
        )
        for f, q in zip(found, quals, strict=True)
    ]
