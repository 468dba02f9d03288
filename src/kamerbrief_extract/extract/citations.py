"""Citations of official documents: Kamerstukken, Handelingen, gazettes, ECLI, zaak/document ids.

Follows ANNOTATION.md §3. The extractor is a small recursive-descent reader over the
text: a *series* word ("Kamerstuk", "Handelingen II", "Stb.") anchors a citation and the
parts that follow (chamber, vergaderjaar, dossier, number) are read one by one with
small patterns. Without a series word only shapes that cannot be confused with counts,
amounts, postal codes or phone numbers are accepted ("12345 nr. 7", "23456-07-890").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import get_args

from kamerbrief_extract.records import CitationKind

__all__ = ["KINDS", "CitationKind", "CitationMatch", "find_citations"]

KINDS: tuple[str, ...] = get_args(CitationKind)


@dataclass(frozen=True, slots=True)
class CitationMatch:
    """One referenced document; a citation naming two documents yields two matches."""

    id: str
    kind: str
    start: int
    end: int
    raw: str
    vergaderjaar: str | None = None
    dossier: str | None = None
    number: str | None = None


# --------------------------------------------------------------------------- building blocks

_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"
_DASH = f"[{_DASHES}]"
# Space that may sit inside a number ("12 345"): OCR and typesetting use several kinds.
_NSP = "[ \u00a0\u202f\u2009]"
# Left edge for citations without a series word: not glued to a word, a number
# or a decimal/range ("1.12345", "12-12345").
_LEFT = rf"(?<![\w.,/{_DASHES}])"
# A number and a space before a bare dossier make it part of a longer figure, unless
# that number is a footnote number opening the line ("3 12345 nr. 7").
_DIGIT_SPACE_BEFORE = re.compile(rf"\d{_NSP}$")
_FOOTNOTE_NUMBER_BEFORE = re.compile(rf"(?:^|\n)[ \t]*\d{{1,3}}{_NSP}$")


def _free_left(text: str, start: int) -> bool:
    window = max(0, start - 8)
    if _DIGIT_SPACE_BEFORE.search(text, window, start) is None:
        return True
    return _FOOTNOTE_NUMBER_BEFORE.search(text, max(0, start - 8), start) is not None


_YEAR = re.compile(
    rf"(?P<y1>(?:18|19|20)\d\d)\s*(?:/|{_DASH})\s*(?P<y2>\d{{4}}|\d\d)(?!\d)",
)
_VERGADERJAAR = re.compile(rf"\s*,?\s*(?:(?i:vergaderjaar)\s*)?{_YEAR.pattern}")

# Chamber designators and their OCR confusions ("11", "Il", "ll" for "II").
_CHAMBER_TOKENS: dict[str, str] = {
    "II": "tk",
    "TK": "tk",
    "11": "tk",
    "Il": "tk",
    "lI": "tk",
    "ll": "tk",
    "1I": "tk",
    "I1": "tk",
    "I": "ek",
    "EK": "ek",
    "1": "ek",
    "l": "ek",
}
# Tokens that are only read as a chamber when a vergaderjaar follows.
_CHAMBER_NEEDS_YEAR = frozenset({"11", "Il", "lI", "ll", "1I", "I1", "1", "l"})
_CHAMBER = re.compile(
    r"\s*,?\s*(?P<ch>"
    + "|".join(sorted(map(re.escape, _CHAMBER_TOKENS), key=len, reverse=True))
    + r")(?!\w)"
)

# Budget chapters (VI, XIV, IXB) and fund letters (A, B, C) after a dossier number.
_CHAPTER = r"(?:[IVXL]{1,6}[A-C]?|[A-Z])(?![\w])"
_DOSSIER = re.compile(
    rf"(?P<num>\d\d{_NSP}?\d{{3}})(?![\w])(?!{_NSP}\d)"
    rf"(?:(?:\s*{_DASH}\s*|{_NSP}+)(?P<chap>{_CHAPTER})|{_DASH}(?P<sub>\d{{1,2}})(?![\d\w]))?"
)
_DOSSIER_JOIN = re.compile(r"\s*(?:,|&|\ben\b)\s*")

_NR_MARK = r"(?i:nummers?|nrs?)(?:\s*[.,:])?"
_NUMBER = re.compile(
    rf"(?P<sep>\s*[,:]\s*|\s*{_DASH}\s*|\s+)?(?:(?P<mark>{_NR_MARK})\s*)?"
    r"(?P<n>\d{1,5})(?!\d)(?![.,]\d)(?![^\W\d_])"
)
_NUMBER_MORE = re.compile(
    r"(?P<sep>\s*,\s*|\s*&\s*|\s+en\s+)(?:(?i:nrs?)\.?\s*)?(?P<n>\d{1,5})(?!\d)(?![.,]\d)(?!\w)"
)
# A renumbered document names its former number after the new one ("nr. 12, was nr. 8");
# both cite the dossier.
_FORMER_NUMBER = re.compile(
    rf"\s*,?\s*(?i:was|voorheen|eerder|oud)\s+(?:{_NR_MARK})\s*(?P<n>\d{{1,5}})(?!\d)(?![.,]\d)"
)
# What may follow the last item of a list joined by "en" ("nr. 7 en 387.").
_LIST_END = re.compile(r"\s*(?:[).;:,\]]|$)")


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True, slots=True)
class _Group:
    """Matches sharing one span (e.g. "Kamerstukken 12 345 en 23 456, nr. 10")."""

    start: int
    end: int
    matches: tuple[CitationMatch, ...]


def _vergaderjaar(m: re.Match[str]) -> str | None:
    """'2021/22' -> '2021-2022'; None unless the two years are consecutive."""
    y1 = int(m["y1"])
    y2 = m["y2"]
    second = int(y2) if len(y2) == 4 else (y1 + 1) // 100 * 100 + int(y2)
    return f"{y1}-{y1 + 1}" if second == y1 + 1 else None


def _read_vergaderjaar(text: str, pos: int) -> tuple[str, int] | None:
    m = _VERGADERJAAR.match(text, pos)
    if m is None:
        return None
    vj = _vergaderjaar(m)
    return (vj, m.end()) if vj else None


def _read_chamber(text: str, pos: int) -> tuple[str, int] | None:
    m = _CHAMBER.match(text, pos)
    if m is None:
        return None
    token = m["ch"]
    if token in _CHAMBER_NEEDS_YEAR and _read_vergaderjaar(text, m.end()) is None:
        return None
    return _CHAMBER_TOKENS[token], m.end()


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def _dossier_id(m: re.Match[str]) -> str:
    num = _digits(m["num"])
    part = m["chap"] or m["sub"]
    return f"{num}-{part}" if part else num


def _read_numbers(text: str, pos: int, *, need_mark: bool) -> tuple[list[str], int] | None:
    """The document number(s) after a dossier: 'nr. 7', ', 355', 'nrs. 379 en 387'."""
    m = _NUMBER.match(text, pos)
    if m is None or (need_mark and not m["mark"]):
        return None
    if not m["mark"] and (m["sep"] is None or not m["sep"].strip()):
        return None  # "12345 355": two bare numbers side by side are not a citation
    numbers = [m["n"]]
    end = m.end()
    plural = bool(m["mark"]) and m["mark"].lower().rstrip(".,: ").endswith(("s", "mers"))
    more: list[tuple[str, str, int]] = []
    cur = end
    while (nm := _NUMBER_MORE.match(text, cur)) is not None:
        more.append((nm["sep"].strip(), nm["n"], nm.end()))
        cur = nm.end()
    if more:
        if plural:
            numbers += [n for _, n, _ in more]
            end = more[-1][2]
        else:
            # A singular "nr." takes a list only when it closes with "en N" at a clause end.
            last_en = max((i for i, (s, _, _) in enumerate(more) if s in ("en", "&")), default=-1)
            if last_en >= 0 and _LIST_END.match(text, more[last_en][2]):
                numbers += [n for _, n, _ in more[: last_en + 1]]
                end = more[last_en][2]
    if m["mark"]:
        while (fm := _FORMER_NUMBER.match(text, end)) is not None:
            numbers.append(fm["n"])
            end = fm.end()
    return numbers, end


def _group(
    text: str,
    start: int,
    end: int,
    items: Sequence[tuple[str, str, str | None, str | None]],
    vj: str | None,
) -> _Group:
    """Build a group from (id, kind, dossier, number) tuples sharing one span."""
    raw = text[start:end]
    return _Group(
        start,
        end,
        tuple(
            CitationMatch(i, k, start, end, raw, vergaderjaar=vj, dossier=d, number=n)
            for i, k, d, n in items
        ),
    )


def _kst_items(
    dossiers: list[str], numbers: list[str]
) -> list[tuple[str, str, str | None, str | None]]:
    if not numbers:
        return [(f"kst-{d}", "kamerstuk", d, None) for d in dict.fromkeys(dossiers)]
    pairs = dict.fromkeys((d, n) for d in dossiers for n in numbers)
    return [(f"kst-{d}-{n}", "kamerstuk", d, n) for d, n in pairs]


# --------------------------------------------------------------------------- Kamerstukken

# Series words that open a Kamerstuk citation: (pattern, chamber it implies, whether the
# series may cite a whole dossier without a document number, as in "Kamerstuk 34 567").
_KST_SERIES: tuple[tuple[re.Pattern[str], str | None, bool], ...] = (
    (
        re.compile(r"(?i:k)(?<![\w-](?i:k))(?i:amer(?:-\s*)?stuk(?:ken|nummers?)?)(?!\w)"),
        None,
        True,
    ),
    (re.compile(r"(?i:k)(?<![\w-](?i:k))(?i:st)(?:\.|(?![\w-]))"), None, True),
    (
        re.compile(
            r"(?P<ch>(?i:t)(?<!\w(?i:t))(?i:weede)|(?i:e)(?<!\w(?i:e))(?i:erste))\s+(?i:kamer)"
            r"(?:\s+(?i:der)\s+(?i:staten)[-\s]?(?i:generaal))?\s*,?\s*(?=(?i:vergaderjaar))"
        ),
        None,
        False,
    ),
    (re.compile(r"T(?<![\w-]T)K(?![\w-])"), "tk", False),
    (re.compile(r"E(?<![\w-]E)K(?![\w-])"), "ek", False),
)
# Eerste Kamer documents are lettered: "Kamerstukken I 2020/21, 34 567, A".
_EK_LETTER = re.compile(rf"\s*,\s*(?:{_NR_MARK}\s*)?(?P<n>[A-Z]{{1,2}})(?![\w-])")


_LEAD = re.compile(r"\s*[,:]?\s*")
# Between citations that share one series word: "…, nr. 5; 2022/23, 12 345, nr. 8".
_CONTINUE = re.compile(r"\s*(?:;|,|&|\ben\b)\s*(?:(?i:en|alsmede|en\s+ook)\s+)?")


def _parse_dossiers_numbers(
    text: str, pos: int, *, chamber: str | None, dossier_only: bool, need_mark: bool
) -> tuple[list[str], list[str], int, int] | None:
    """Read '12 345 [en 23 456], nr. 7' from pos: (dossiers, numbers, start, end)."""
    lead = _LEAD.match(text, pos)
    assert lead is not None
    dm = _DOSSIER.match(text, lead.end())
    if dm is None:
        return None
    found: list[tuple[str, int]] = [(_dossier_id(dm), dm.end())]
    cur = dm.end()
    while (jm := _DOSSIER_JOIN.match(text, cur)) is not None and (
        nd := _DOSSIER.match(text, jm.end())
    ) is not None:
        found.append((_dossier_id(nd), nd.end()))
        cur = nd.end()
    for k in range(len(found), 0, -1):
        read = _read_numbers(text, found[k - 1][1], need_mark=need_mark)
        if read is not None:
            return [d for d, _ in found[:k]], read[0], dm.start(), read[1]
    if chamber == "ek" and (lm := _EK_LETTER.match(text, found[-1][1])) is not None:
        return [d for d, _ in found], [lm["n"]], dm.start(), lm.end()
    if dossier_only:
        return [d for d, _ in found], [], dm.start(), found[-1][1]
    return None


_AANHANGSEL_NUMBER = re.compile(
    rf"\s*,?\s*(?i:aanhangsel)(?:\s+(?i:van\s+de|bij\s+de)\s+(?i:handelingen))?\s*,?\s*"
    rf"(?:{_NR_MARK}\s*)?(?P<n>\d{{1,5}})(?![\d.,]\d)"
)


def _kamerstuk_series(text: str) -> Iterator[_Group]:
    """Kamerstukken opened by a series word ('Kamerstuk', 'Tweede Kamer, vergaderjaar')."""
    for pattern, implied, dossier_only in _KST_SERIES:
        for m in pattern.finditer(text):
            pos = m.end()
            chamber = implied
            if "ch" in pattern.groupindex:
                chamber = "ek" if m["ch"].lower() == "eerste" else "tk"
            if (ch := _read_chamber(text, pos)) is not None:
                chamber, pos = ch
            vj: str | None = None
            if (y := _read_vergaderjaar(text, pos)) is not None:
                vj, pos = y
            if vj and (ah := _AANHANGSEL_NUMBER.match(text, pos)) is not None:
                # "Kamerstukken II 2021/22, Aanhangsel, nr. 1694": an Aanhangsel, not a dossier
                n = ah["n"]
                item = (f"ah-{chamber}-{vj.replace('-', '')}-{n}", "aanhangsel", None, n)
                yield _group(text, m.start(), ah.end(), [item], vj)
                continue
            parsed = _parse_dossiers_numbers(
                text, pos, chamber=chamber, dossier_only=dossier_only, need_mark=False
            )
            if parsed is None:
                continue
            dossiers, numbers, _, end = parsed
            yield _group(text, m.start(), end, _kst_items(dossiers, numbers), vj)
            # Further citations under the same series word, each with its own span; they
            # inherit the vergaderjaar unless they state one, and need "nr." unless they do.
            while numbers and (cm := _CONTINUE.match(text, end)) is not None:
                start, pos, own_vj = cm.end(), cm.end(), None
                if (y := _read_vergaderjaar(text, pos)) is not None:
                    own_vj, pos = y
                more = _parse_dossiers_numbers(
                    text, pos, chamber=chamber, dossier_only=False, need_mark=own_vj is None
                )
                if more is None:
                    break
                dossiers, numbers, dstart, end = more
                if own_vj is None:
                    start = dstart
                vj = own_vj or vj
                yield _group(text, start, end, _kst_items(dossiers, numbers), vj)


_BARE_DOSSIER = re.compile(rf"\d(?<![\w.,/{_DASHES}]\d)(?=\d)")  # `_LEFT` before two digits


def _kamerstuk_bare(text: str) -> Iterator[_Group]:
    """'12345 nr. 7', '23 456-07, nr. 89': a dossier shape with an explicit 'nr.'."""
    for m in _BARE_DOSSIER.finditer(text):
        if not _free_left(text, m.start()):
            continue
        dm = _DOSSIER.match(text, m.start())
        if dm is None:
            continue
        read = _read_numbers(text, dm.end(), need_mark=True)
        if read is not None:
            yield _group(text, m.start(), read[1], _kst_items([_dossier_id(dm)], read[0]), None)


_HYPHENATED = re.compile(
    rf"(?P<num>\d(?<![\w.,/{_DASHES}]\d)\d{_NSP}?\d{{3}}){_DASH}(?P<part>\d{{1,2}}|[IVXL]{{1,6}}[A-C]?)"
    rf"{_DASH}(?P<n>\d{{1,5}})(?![\w{_DASHES}])(?![.,]\d)"
)


def _kamerstuk_hyphenated(text: str) -> Iterator[_Group]:
    """'23456-07-890': dossier, sub-dossier and number joined by dashes."""
    for m in _HYPHENATED.finditer(text):
        if not _free_left(text, m.start()):
            continue
        d = f"{_digits(m['num'])}-{m['part']}"
        yield _group(text, m.start(), m.end(), _kst_items([d], [m["n"]]), None)


# Handelingen name a renumbered motion number first and its dossier after it in brackets:
# "Zij krijgt nr. 12, was nr. 8 (34567)", "(nrs. 12 en 13 (21501-08))". A former number
# ("was nr. 8", "voorheen nr. 8") cites the same dossier.
# `_NR_MARK` after `(?<![\w.])`, written first letter first (see `_words_after`).
_NUMBER_FIRST = re.compile(
    r"(?P<mark>(?i:n)(?<![\w.](?i:n))(?i:ummers?|rs?)(?:\s*[.,:])?)\s*(?P<n>\d{1,5})(?!\d)(?![.,]\d)(?![^\W\d_])"
)
_BRACKETED_DOSSIER = re.compile(rf"\s*\(\s*(?={_DOSSIER.pattern}\s*\))")


def _kamerstuk_number_first(text: str) -> Iterator[_Group]:
    """'nr. 726, was nr. 719 (21501-08)': number(s) first, the dossier alone in brackets."""
    for m in _NUMBER_FIRST.finditer(text):
        read = _read_numbers(text, m.start(), need_mark=True)
        if read is None:
            continue
        numbers, pos = read
        bm = _BRACKETED_DOSSIER.match(text, pos)
        if bm is None:
            continue
        dm = _DOSSIER.match(text, bm.end())
        assert dm is not None
        close = text.index(")", dm.end()) + 1
        items = _kst_items([_dossier_id(dm)], numbers)
        yield _group(text, m.start(), close, items, None)


# --------------------------------------------------------------------------- written-out ids

_WRITTEN_KST = re.compile(
    r"(?i:k)(?<![\w-](?i:k))(?i:st)-(?P<num>\d{4,6})(?:-(?P<part>[IVXL]{1,6}[A-C]?|[A-Z]|\d{1,2}))?"
    r"(?:-(?P<n>\d{1,5}))?(?![\w-])"
)
_WRITTEN_HAND = re.compile(
    r"(?P<p>(?i:a)(?<![\w-](?i:a))(?i:h)|(?i:h)(?<![\w-](?i:h)))-(?P<ch>(?i:tk|ek))-(?P<y1>\d{4})(?P<y2>\d{4})-(?P<n>\d{1,5})"
    r"(?:-\d{1,3})?(?![\w-])"  # an item suffix ("h-tk-20232024-12-3") cites the same meeting
)
_WRITTEN_GAZETTE = re.compile(
    r"(?P<p>(?i:s)(?<![\w-](?i:s))(?i:tb|tcrt)|(?i:t)(?<![\w-](?i:t))(?i:rb))-(?P<y>(?:18|19|20)\d\d)-(?P<n>\d{1,6})(?![\w-])"
)
_GAZETTE_KIND = {"stb": "staatsblad", "stcrt": "staatscourant", "trb": "tractatenblad"}


def _written_out(text: str) -> Iterator[_Group]:
    """Ids already in normalised form ('kst-12345-7', also inside URLs)."""
    for m in _WRITTEN_KST.finditer(text):
        part, n = m["part"], m["n"]
        if part and part.isdigit() and n is None:
            part, n = None, part  # "kst-12345-7": one numeric segment is the number
        d = f"{m['num']}-{part}" if part else m["num"]
        yield _group(text, m.start(), m.end(), _kst_items([d], [n] if n else []), None)
    for m in _WRITTEN_HAND.finditer(text):
        vj = _vergaderjaar(m)
        if vj is None:
            continue
        p, ch = m["p"].lower(), m["ch"].lower()
        kind = "aanhangsel" if p == "ah" else "handelingen"
        i = f"{p}-{ch}-{vj.replace('-', '')}-{m['n']}"
        yield _group(text, m.start(), m.end(), [(i, kind, None, m["n"])], vj)
    for m in _WRITTEN_GAZETTE.finditer(text):
        p = m["p"].lower()
        i = f"{p}-{m['y']}-{m['n']}"
        yield _group(text, m.start(), m.end(), [(i, _GAZETTE_KIND[p], None, m["n"])], None)


# --------------------------------------------------------------------------- Handelingen

_HANDELINGEN = re.compile(
    r"(?:(?P<ah>(?i:a)(?<![\w-](?i:a))(?i:anhangsel|anh\.)\s+(?:(?i:van\s+de|bij\s+de)\s+)?)"
    r"(?i:handelingen|hand\.)|(?i:h)(?<![\w-](?i:h))(?i:andelingen|and\.))(?!\w)"
)
_ITEMS_TAIL = re.compile(
    r"\s*,?\s*(?i:items?|blz\.?|pp?\.|pagina'?s?)\s*\d{1,4}"
    rf"(?:\s*(?:,|&|\ben\b|t/m|{_DASH})\s*\d{{1,4}})*"
)


def _handelingen(text: str) -> Iterator[_Group]:
    """'Handelingen II 2022/23, nr. 24, items 6 en 11', 'Aanhangsel Handelingen II …'."""
    for m in _HANDELINGEN.finditer(text):
        pos = m.end()
        chamber = "tk"  # letters to the Tweede Kamer are the norm when OCR lost the chamber
        if (ch := _read_chamber(text, pos)) is not None:
            chamber, pos = ch
        y = _read_vergaderjaar(text, pos)
        if y is None:
            continue
        vj, pos = y
        read = _read_numbers(text, pos, need_mark=False)
        if read is None:
            continue
        numbers, end = read
        if (tail := _ITEMS_TAIL.match(text, end)) is not None:
            end = tail.end()
        prefix, kind = ("ah", "aanhangsel") if m["ah"] else ("h", "handelingen")
        year = vj.replace("-", "")
        items = [(f"{prefix}-{chamber}-{year}-{n}", kind, None, n) for n in dict.fromkeys(numbers)]
        yield _group(text, m.start(), end, items, vj)


# --------------------------------------------------------------------------- gazettes

# Series word -> id prefix. Source: the citation styles of officielebekendmakingen.nl
# ("Stb.", "Stcrt.", "Trb.") and their spelled-out names.
_GAZETTES: dict[str, str] = {
    "stb": "stb",
    "staatsblad": "stb",
    "stcrt": "stcrt",
    "staatscourant": "stcrt",
    "trb": "trb",
    "tractatenblad": "trb",
}


def _words_after(before: str, words: Iterable[str]) -> str:
    """`(?<!before)(?i:w1|w2|…)` written first letter first, so that the regex engine
    jumps from one possible first letter to the next (a pattern that opens with a
    lookbehind is tried at every character). Words keep their order within a letter."""
    by_letter: dict[str, list[str]] = {}
    for word in words:
        by_letter.setdefault(word[0].lower(), []).append(re.escape(word[1:]))
    return "|".join(
        rf"(?i:{re.escape(c)})(?<!{before}(?i:{re.escape(c)}))(?i:{'|'.join(rests)})"
        for c, rests in by_letter.items()
    )


_GAZETTE = re.compile(
    r"(?P<s>" + _words_after(r"[\w-]", sorted(_GAZETTES, key=len, reverse=True)) + r")\.?"
    r"(?:\s+(?i:van))?\s*(?P<y>(?:18|19|20)\d\d)(?![\d\w])"
    rf"(?P<sep>\s*[,/:]\s*|\s+)(?:(?P<mark>{_NR_MARK})\s*)?(?P<n>\d{{1,6}})(?!\d)(?![.,]\d)(?!\w)"
)


def _gazettes(text: str) -> Iterator[_Group]:
    """'Stb. 2020, nr. 123', 'Staatscourant 2019, 45678', 'Trb. 2010, 12'."""
    for m in _GAZETTE.finditer(text):
        if not m["sep"].strip() and not m["mark"]:
            continue  # "Staatsblad 2020 123" without a comma or nr. is too loose
        p = _GAZETTES[m["s"].lower()]
        i = f"{p}-{m['y']}-{m['n']}"
        yield _group(text, m.start(), m.end(), [(i, _GAZETTE_KIND[p], None, m["n"])], None)


# --------------------------------------------------------------------------- ECLI, zaak, document

_ECLI = re.compile(
    # OCR glues a stray letter before the id ("LECLI:…") or into the country code ("NLE").
    r"(?i:e)(?<![\d:](?i:e))(?i:cli)\s?:\s?(?P<c>[A-Za-z]{2})[A-Za-z]?\s?:\s?(?P<court>[A-Za-z0-9]{1,7})\s?:\s?"
    r"(?P<y>\d(?: ?\d){3})\s?:\s?(?P<n>[A-Za-z0-9](?:[A-Za-z0-9.]*[A-Za-z0-9])?)"
)


def _ecli(text: str) -> Iterator[_Group]:
    """European Case Law Identifier, any country and court code."""
    for m in _ECLI.finditer(text):
        year = m["y"].replace(" ", "")  # OCR spaces digits apart: "201 7"
        i = f"ECLI:{m['c']}:{m['court']}:{year}:{m['n']}".upper()
        yield _group(text, m.start(), m.end(), [(i, "ecli", None, None)], None)


_ZAAK_DOC = re.compile(r"(?P<y>1(?<!\w1)9\d\d|2(?<!\w2)0\d\d)(?P<t>[ZD2])(?P<n>\d{5})(?!\w)")
# OCR reads the Z of a zaak number as 2 (`2022220667`); such a number only counts where
# the text shows it is a Kamer id: after "vergaderjaar …," or "kenmerk", or paired with "/…D…".
_OCR_ZAAK_CONTEXT = re.compile(r"(?i:kenmerk)\s*:?\s*$")
_OCR_ZAAK_PAIR = re.compile(r"\s*/\s*(?:19|20)\d\d[ZD]\d{5}")
_ZAAK_DOC_KIND = {"Z": "zaak", "D": "document"}
# "Tweede Kamer, vergaderjaar 2022-2023, nr. " right before a zaak/document id.
_ZAAK_DOC_LEAD = re.compile(
    r"(?i:tweede|eerste)\s+(?i:kamer)\s*,?\s*(?i:vergaderjaar)\s*"
    + _YEAR.pattern
    + rf"\s*,?\s*(?:{_NR_MARK}\s*)?$"
)


def _zaak_document(text: str) -> Iterator[_Group]:
    """Tweede Kamer zaak ('2023Z01234') and document ('2023D05678') numbers."""
    for m in _ZAAK_DOC.finditer(text):
        start, vj = m.start(), None
        window = max(0, start - 120)
        if (lead := _ZAAK_DOC_LEAD.search(text, window, start)) is not None:
            vj = _vergaderjaar(lead)
            if vj is not None:
                start = lead.start()
        kind = m["t"]
        if kind == "2":
            ocr_context = (
                lead is not None
                or _OCR_ZAAK_CONTEXT.search(text, window, m.start()) is not None
                or _OCR_ZAAK_PAIR.match(text, m.end()) is not None
            )
            if not ocr_context:
                continue
            kind = "Z"
        i = f"{m['y']}{kind}{m['n']}"
        yield _group(text, start, m.end(), [(i, _ZAAK_DOC_KIND[kind], None, None)], vj)


# --------------------------------------------------------------------------- entry point

# Earlier finders win ties between overlapping candidates with the same start and length.
_FINDERS: tuple[Callable[[str], Iterator[_Group]], ...] = (
    _written_out,
    _ecli,
    _handelingen,
    _gazettes,
    _kamerstuk_series,
    _zaak_document,
    _kamerstuk_hyphenated,
    _kamerstuk_bare,
    _kamerstuk_number_first,
)


def find_citations(text: str) -> list[CitationMatch]:
    """All citations in text, in order of position, one per document referenced."""
    candidates = [
        (g.start, -(g.end - g.start), rank, g)
        for rank, finder in enumerate(_FINDERS)
        for g in finder(text)
    ]
    candidates.sort(key=lambda c: c[:3])
    result: list[CitationMatch] = []
    covered_to = -1
    for start, _, _, group in candidates:
        if start < covered_to:
            continue  # overlaps a longer or earlier citation already taken
        result.extend(group.matches)
        covered_to = group.end
    return result
