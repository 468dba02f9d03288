"""Number the footnotes and tie every marker in the body to its note.

Markers reach us in three states: clean superscripts (``jl.¹``), digits glued to
a word by a web copy (``aangenomen1``), or whatever OCR made of a small raised
digit (``Voorjaarsnota'``, ``c.s.®``, ``gemeenten.”- &``). Numbers at the foot of
the page suffer the same (``¢`` for 9, ``T`` for 11, ``8`` for 6). What stays
reliable is order: notes and markers both run 1..n, and a note stands on the
page of its marker. We number the notes by that order, then choose on each page
as many marker candidates as the page has notes, best-scored first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel.dates import get_month_names

from kamerbrief_extract.layout.engine import (
    BEFORE_A_COUNT,
    DIGIT_CONFUSIONS,
    SUPERSCRIPT_DIGITS,
    superscript_value,
)
from kamerbrief_extract.offsets import MappedBuilder, MappedText


@dataclass(slots=True)
class FootnoteBlock:
    """A footnote's text as found, with the number as printed (maybe mangled) or stated."""

    printed: str
    text: MappedText
    page: int | None
    superscript: bool
    n: int | None = None
    """The number the container states (XML `<noot.nr>`); None when it must be read."""


# Glyphs OCR makes of a raised digit; `-` and `&` appear when two markers stand together.
MARKER_GLYPHS = "'’\"“”?!%*®©¢°·&^"
_RARE_GLYPHS = frozenset("®©¢*&°·^")
_QUOTES = frozenset("'’\"“”")
_OPENING_QUOTES = ("'", "‘", '"', "“", "„")


_GLYPH_TOKEN = re.compile(
    rf"^(?P<core>.*?[\w)\]»])(?P<punct>[.,;:]?)(?P<glyphs>[{re.escape(MARKER_GLYPHS)}]{{1,3}})"
    r"(?P<trail>[-.,;:]?)$"
)
# OCR read a raised marker as digits or a letter next to a glyph: `reclassering.2*`,
# `OMG's.!8`, `jl.t°` (after sentence punctuation, where no word can follow unspaced).
_PUNCT_DIGIT_TOKEN = re.compile(
    rf"^(?P<core>.*?[^\W\d_])(?P<punct>[.,;:])"
    rf"(?P<glyphs>(?=[^\s]*\d)[\d{re.escape(MARKER_GLYPHS)}]{{1,3}}|[tlI][{re.escape(MARKER_GLYPHS)}]{{1,2}})"
    r"(?P<trail>[-.,;:]?)$"
)
_LONE_GLYPHS = re.compile(rf"^-?[{re.escape(MARKER_GLYPHS)}]{{1,2}}-?$")
_SUPERSCRIPT_RUN = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
# A word (or an abbreviation: "c.s.") with the marker after it, behind closing
# punctuation or quotes where the sentence has them ("onvoldoende»»?1").
_GLUED_DIGITS = re.compile(
    r"^(?:(?P<core>.*[^\W\d_]{2})(?P<punct>[.,;:!?)’”\"»›]{0,3})"
    r"|(?P<abbr>\(?(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,3})(?P<dot>\.[,;:)]?))"
    r"(?P<digits>\d{1,3})(?P<trail>[.,;:?!)]?)$"
)
# A year with the marker glued to it: "juni 20222" (2022, note 2), "uit 2018?10".
_YEAR_DIGITS = re.compile(
    r"^(?P<core>(?:19|20)\d\d)(?P<punct>[.,;:!?)’”\"»]{0,3})(?P<digits>\d{1,2})(?P<trail>[.,;:?!)]?)$"
)
# A marker that a text copy set apart from its word: "aangeboden 1." "juni 2022 2 is".
_SPACED_DIGITS = re.compile(r"^(?P<digits>\d{1,3})(?P<trail>[.,;:?!)]?)$")
_MONTH_NAMES = frozenset(name.lower() for name in get_month_names("wide", locale="nl").values())
# Words that a number counts: after one, a number is a quantity, no marker.
_COUNTED = frozenset(
    "procent % euro € miljoen miljard duizend keer maal jaar jaren maand maanden week weken "
    "dag dagen uur uren minuten kilometer km meter ton kilo kg personen mensen".split()
)
# What stands before a year in running text: a month, or a word that dates ("in 2023").
_BEFORE_A_YEAR = _MONTH_NAMES | frozenset(
    "in uit van vanaf sinds tot per voor na rond eind begin medio najaar voorjaar zomer "
    "winter jaar".split()
)
_TOKEN = re.compile(r"\S+")
# Where a candidate token can be, found in the whole text at once rather than by trying
# every token: the ends of tokens that close in a digit or a glyph, the starts of years,
# whole tokens of one to three digits.
_DIGITS_END = re.compile(r"\d[.,;:?!)]?(?!\S)")
_GLYPH_END = re.compile(rf"[\d{re.escape(MARKER_GLYPHS)}][-.,;:]?(?!\S)")
_YEAR_START = re.compile(r"(?:1(?<!\S1)9|2(?<!\S2)0)\d\d")
_SPACED_DIGITS_IN_TEXT = re.compile(r"(?P<digits>\d(?<!\S\d)\d{0,2})(?P<trail>[.,;:?!)]?)(?!\S)")


def _tokens_ending(body: str, end_pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """(start, end) of the whitespace-separated tokens whose end `end_pattern` matches."""
    spans: list[tuple[int, int]] = []
    for match in end_pattern.finditer(body):
        end = match.end()
        if spans and spans[-1][1] == end:
            continue
        start = match.start()
        while start > 0 and not body[start - 1].isspace():
            start -= 1
        spans.append((start, end))
    return spans


def _token_before(body: str, start: int) -> tuple[int, int] | None:
    """The token before the one at `start`, if any."""
    end = start
    while end > 0 and body[end - 1].isspace():
        end -= 1
    if end == 0:
        return None
    begin = end
    while begin > 0 and not body[begin - 1].isspace():
        begin -= 1
    return begin, end


def _token_after(body: str, end: int) -> tuple[int, int] | None:
    """The token after the one ending at `end`, if any."""
    match = _TOKEN.search(body, end)
    return match.span() if match else None


@dataclass(frozen=True, slots=True)
class MarkerCandidate:
    """A place in the body that may be a footnote marker."""

    start: int  # the marker characters to remove
    end: int
    anchor_start: int
    anchor_end: int
    score: float
    value: int | None = None  # the number, when the marker shows one
    extra_removal: tuple[int, int] | None = None  # a lone glyph token after it (`- &`)


@dataclass(slots=True)
class Footnote:
    """A footnote with its number, text and marker, in clean-body coordinates."""

    n: int
    text: MappedText | None
    printed: str | None
    page: int | None
    marker_offset: int | None = None
    anchor_start: int | None = None
    anchor_end: int | None = None
    anchor: str | None = None


def _plain_digits(printed: str) -> str:
    """A printed note number with superscript digits read as digits."""
    return printed.translate(str.maketrans(SUPERSCRIPT_DIGITS, "0123456789"))


def number_blocks(blocks: list[FootnoteBlock]) -> list[int]:
    """Intended numbers for footnote blocks in document order."""
    numbers: list[int] = []
    expected = 1
    for block in blocks:
        if block.n is not None:
            n = block.n
        elif block.superscript:
            n = superscript_value(block.printed)
        elif _plain_digits(block.printed).isdecimal() and _plain_digits(block.printed).isascii():
            printed = int(_plain_digits(block.printed))
            misread = expected % 10 in DIGIT_CONFUSIONS.get(printed % 10, frozenset())
            same_decade = printed < 10 or printed // 10 == expected // 10
            if printed in (expected, expected % 10) or (misread and same_decade):
                n = expected
            elif expected < printed <= expected + 5:
                n = printed  # notes whose text went missing
            else:
                n = expected
        else:
            n = expected
        numbers.append(n)
        expected = n + 1
    return numbers


def _anchor_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """Trim brackets and quotes around an anchor word (`(LSO)` -> `LSO`)."""
    while start < end and body[start] in "([«‘'\"“":
        start += 1
    while end > start and body[end - 1] in ")]»’'\"”":
        end -= 1
    return start, end


# Dutch questions open with a question word or put the finite verb first.
_QUESTION_OPENERS = frozenset(
    "wat wie wiens welk welke waarom waar waarheen waardoor waarmee wanneer hoe hoeveel "
    "hoezo of is zijn was waren kan kunnen moet moeten mag mogen heeft hebben wordt worden "
    "gaat gaan zal zullen wil willen doet doen komt komen blijkt ligt staat bestaat speelt spelen "
    "leidt zou zouden bent kent herkent erkent deelt acht vindt weet klopt hebt".split()
)


def _is_question(body: str, pos: int) -> bool:
    """Whether the sentence (or colon clause) ending at pos reads as a question; else `?`
    is an OCR'd marker. After a comma Dutch inverts declaratives too, so commas do not count."""
    clause_start = max(body.rfind(ch, 0, pos) for ch in ".:;!?\n")
    words = re.findall(r"[^\W\d_]+", body[clause_start + 1 : pos])
    return bool(words) and words[0].lower() in _QUESTION_OPENERS


def _open_quote_before(body: str, pos: int, quote: str) -> bool:
    sentence_start = max(body.rfind(". ", 0, pos), body.rfind("\n", 0, pos), 0)
    window = body[sentence_start:pos]
    if quote in "'’":
        return bool(re.search(r"(?:^|[\s(])['‘]\w", window))
    return bool(re.search(r"(?:^|[\s(])[\"“„]\w", window))


def glyph_candidates(body: str) -> list[MarkerCandidate]:
    """OCR-mangled markers: glyphs glued to the end of a word."""
    out: list[MarkerCandidate] = []
    for base, end in _tokens_ending(body, _GLYPH_END):
        token = body[base:end]
        match = _PUNCT_DIGIT_TOKEN.match(token) or _GLYPH_TOKEN.match(token)
        if not match:
            continue
        glyphs = match.group("glyphs")
        g_start, g_end = base + match.start("glyphs"), base + match.end("glyphs")
        if match.group("trail") == "-":
            g_end += 1
        a_start, a_end = _anchor_bounds(body, base, base + match.end("core"))
        nxt = _token_after(body, end)
        following = body[nxt[0] : nxt[1]] if nxt else ""
        score = 0.0
        if any(g in _RARE_GLYPHS for g in glyphs):
            score += 3
        if glyphs[0] in "?!":
            score += 3 if following[:1].islower() or not _is_question(body, base) else -2
        if glyphs[0] == "%":
            core = match.group("core")
            is_year = core.isdigit() and 1900 <= int(core) <= 2100
            if not core.replace(".", "").replace(",", "").isdigit():
                score += 3  # no percentage follows a word
            elif not is_year:
                score -= 1  # `15%` is a percentage; `2022%` is a year with a marker
        if glyphs[0] in _QUOTES:
            score += 1
            if _open_quote_before(body, a_start, glyphs[0]):
                score -= 3
        if match.group("punct"):
            score += 1
        if len(glyphs) > 1:
            score += 1
        extra = None
        if nxt and _LONE_GLYPHS.match(following):
            extra = (end, nxt[1])
        out.append(MarkerCandidate(g_start, g_end, a_start, a_end, score, None, extra))
    return out


def superscript_candidates(body: str) -> list[MarkerCandidate]:
    out: list[MarkerCandidate] = []
    for match in _SUPERSCRIPT_RUN.finditer(body):
        end = match.start()
        while end > 0 and body[end - 1] in ".,;:!?" + SUPERSCRIPT_DIGITS:
            end -= 1  # `gemeenten.⁷,⁸`: both markers belong to `gemeenten`
        start = end
        while start > 0 and not body[start - 1].isspace():
            start -= 1
        a_start, a_end = _anchor_bounds(body, start, end)
        value = superscript_value(match.group())
        out.append(MarkerCandidate(match.start(), match.end(), a_start, a_end, 5.0, value))
    return out


def glued_digit_candidates(body: str) -> list[MarkerCandidate]:
    """Digits a web copy glued to a word (`aangenomen1`, `is.2`): real numbers never are."""
    out: list[MarkerCandidate] = []
    for base, end in _tokens_ending(body, _DIGITS_END):
        token = body[base:end]
        match = _GLUED_DIGITS.match(token)
        if not match:
            continue
        if base == 0 or body[base - 1] == "\n":
            continue  # a label opening a line ("fo3. Welke …"), not a marker after a word
        if re.match(r"\(?(?:https?://|www\.)", token, re.IGNORECASE):
            continue  # a web address ends in digits of its own
        core_end = match.end("core") if match.group("core") else match.end("abbr")
        a_start, a_end = _anchor_bounds(body, base, base + core_end)
        out.append(
            MarkerCandidate(
                base + match.start("digits"),
                base + match.end("digits"),
                a_start,
                a_end,
                4.0,
                int(match.group("digits")),
            )
        )
    return out


def year_digit_candidates(body: str) -> list[MarkerCandidate]:
    """A marker glued to a year (`20222`: the year 2022 and note 2); only a note
    expected on the page makes one a marker."""
    out: list[MarkerCandidate] = []
    for start in _YEAR_START.finditer(body):
        tok = _TOKEN.match(body, start.start())
        assert tok is not None  # the year's digits start it
        match = _YEAR_DIGITS.match(tok.group())
        if not match:
            continue
        before = body[max(0, tok.start() - 20) : tok.start()].split()
        if not before or before[-1].lower() not in _BEFORE_A_YEAR:
            continue  # "Postbus 20901": a number, not a year with a marker
        after = body[tok.end() : tok.end() + 20].split()
        if not match.group("trail") and after and _counts(after[0]):
            continue  # "20225 euro": an amount
        base = tok.start()
        out.append(
            MarkerCandidate(
                base + match.start("digits"),
                base + match.end("digits"),
                base,
                base + match.end("core"),
                3.0,
                int(match.group("digits")),
            )
        )
    return out


def _counts(word: str) -> bool:
    """Whether a word after a number makes it a date, a quantity or part of a number."""
    folded = word.lower().strip(".,;:")
    return folded in _MONTH_NAMES or folded in _COUNTED or word[:1].isdigit() or word[:1] in "%€"


def spaced_digit_candidates(body: str) -> list[MarkerCandidate]:
    """A marker that a text copy set apart from its word (`aangeboden 1.`, `2022 2 is`):
    a number after a word or a year, where no count or label stands before it, no
    sentence ended and no date or quantity goes on after it."""
    out: list[MarkerCandidate] = []
    for match in _SPACED_DIGITS_IN_TEXT.finditer(body):
        start = match.start()
        prev = _token_before(body, start)
        if prev is None or "\n" in body[prev[1] : start]:
            continue
        word = body[prev[0] : prev[1]]
        if word.lower() in BEFORE_A_COUNT or word[-1:] in ".,;:!?-–(":
            continue
        if word.isdigit() and not re.fullmatch(r"(?:19|20)\d\d", word):
            continue  # "2 5 15": digits spaced apart, not a marker
        if not (word[-1:].isalnum() or word[-1:] in ')’”»"'):
            continue
        nxt = _token_after(body, match.end())
        after = body[nxt[0] : nxt[1]] if nxt else ""
        if not match.group("trail") and _counts(after):
            continue
        a_start, a_end = _anchor_bounds(body, prev[0], prev[1])
        out.append(
            MarkerCandidate(
                prev[1],  # the space goes with the marker: "aangeboden 1." → "aangeboden."
                match.end("digits"),
                a_start,
                a_end,
                2.0,
                int(match.group("digits")),
            )
        )
    return out


def _page_sequences(
    tiers: list[list[MarkerCandidate]],
    footnotes: list[Footnote],
    page_bounds: list[tuple[int, int]],
) -> list[MarkerCandidate]:
    """Numbered candidates that name a note of their own page, in the notes' order.

    Each page's notes are expected in order between the page's bounds; the surest
    kind of candidate is taken first, and a later kind only fills a note still
    missing, where it keeps the order of those already chosen."""
    by_page: dict[int, set[int]] = {}
    for note in footnotes:
        page = 1 if len(page_bounds) <= 1 else min(note.page or 1, len(page_bounds))
        by_page.setdefault(page, set()).add(note.n)
    chosen: list[MarkerCandidate] = []
    for page, wanted in sorted(by_page.items()):
        lo, hi = page_bounds[page - 1] if len(page_bounds) > 1 else (0, 1 << 62)
        picked: dict[int, MarkerCandidate] = {}
        for tier in tiers:
            for cand in sorted(tier, key=lambda c: c.start):
                n = cand.value
                if n is None or n not in wanted or n in picked or not lo <= cand.start < hi:
                    continue
                if all((v < n) == (c.start < cand.start) for v, c in picked.items()):
                    picked[n] = cand
        chosen += picked.values()
    return chosen


def _sequence(
    candidates: list[MarkerCandidate], first: int = 1, *, gaps: int = 0
) -> list[MarkerCandidate]:
    """The markers among candidates whose numbers run first, first+1, ... in order;
    with `gaps`, up to that many notes may be skipped between two (their markers were
    written another way, as raised digits)."""
    chosen: list[MarkerCandidate] = []
    last = first - 1
    for cand in candidates:
        if cand.value is not None and last < cand.value <= last + 1 + gaps:
            chosen.append(cand)
            last = cand.value
    return chosen


def _choose_per_page(
    candidates: list[MarkerCandidate],
    footnotes: list[Footnote],
    page_bounds: list[tuple[int, int]],
) -> dict[int, MarkerCandidate]:
    """Pick, on each page, as many candidates as the page has notes, best first."""
    chosen: dict[int, MarkerCandidate] = {}
    by_page: dict[int, list[Footnote]] = {}
    for note in footnotes:
        by_page.setdefault(note.page or 1, []).append(note)
    single_page = len(page_bounds) <= 1
    groups = [(None, footnotes)] if single_page else sorted(by_page.items(), key=lambda x: x[0])
    taken: set[int] = set()
    for page, notes in groups:
        if page is None:
            pool = list(candidates)
        else:
            lo, hi = page_bounds[min(page, len(page_bounds)) - 1]
            pool = [c for c in candidates if lo <= c.start < hi and c.start not in taken]
        notes = sorted(notes, key=lambda f: f.n)
        # Glued digits that name the note's number are certain; glyphs compete by score.
        exact = {c.value: c for c in pool if c.value is not None}
        picked: list[MarkerCandidate] = []
        wanted = [f for f in notes if f.n not in exact]
        exact_spans = [(c.start, c.end) for c in exact.values()]
        rest = [
            c
            for c in pool
            if c.value is None
            and c.score > -1
            and not any(s <= c.start < e or c.start <= s < c.end for s, e in exact_spans)
        ]
        rest = sorted(rest, key=lambda c: (-c.score, c.start))[: len(wanted)]
        picked = sorted(rest, key=lambda c: c.start)
        # A cluster `gemeenten.”- &` or `gemeenten.”·` carries two markers when the page needs them.
        if len(picked) < len(wanted):
            for cand in sorted(picked, key=lambda c: c.start):
                if len(picked) >= len(wanted):
                    break
                if cand.extra_removal:
                    _, e = cand.extra_removal
                elif cand.end - cand.start >= 2:
                    e = cand.end
                else:
                    continue
                picked.append(
                    MarkerCandidate(e - 1, e, cand.anchor_start, cand.anchor_end, 0, None)
                )
            picked.sort(key=lambda c: c.start)
        for note in notes:
            if note.n in exact:
                chosen[note.n] = exact[note.n]
                taken.add(exact[note.n].start)
        for note, cand in zip(wanted, picked, strict=False):
            chosen[note.n] = cand
            taken.add(cand.start)
    return chosen


@dataclass(slots=True)
class FootnoteResult:
    body: MappedText
    footnotes: list[Footnote]
    body_pages: list[int]


def stated_candidates(body: str, stated: list[tuple[int, int]]) -> list[MarkerCandidate]:
    """Markers the container states at body offsets: (offset, n). The anchor is the word
    the marker follows, its trailing punctuation left out (`gemeenten.` → `gemeenten`)."""
    out: list[MarkerCandidate] = []
    for offset, n in stated:
        end = offset
        while end > 0 and body[end - 1] in ".,;:!?" + SUPERSCRIPT_DIGITS:
            end -= 1
        start = end
        while start > 0 and not body[start - 1].isspace():
            start -= 1
        a_start, a_end = _anchor_bounds(body, start, end)
        out.append(MarkerCandidate(offset, offset, a_start, a_end, 10.0, n))
    return out


def attach_footnotes(
    body: MappedText,
    blocks: list[FootnoteBlock],
    body_pages: list[int],
    stated: list[tuple[int, int]] | None = None,
) -> FootnoteResult:
    """Number the notes, find their markers, and remove the markers from the body.

    `stated`: markers the container states, as (body offset, note number); when given,
    no marker is guessed from the text.
    """
    numbers = number_blocks(blocks)
    footnotes = [
        Footnote(n, block.text, block.printed, block.page)
        for n, block in zip(numbers, blocks, strict=True)
    ]
    text = body.text
    supers = superscript_candidates(text) if stated is None else []
    chosen: dict[int, MarkerCandidate] = {}
    if stated is not None:
        chosen = {c.value: c for c in stated_candidates(text, stated) if c.value is not None}
    elif footnotes:
        bounds = [
            (body_pages[i], body_pages[i + 1] if i + 1 < len(body_pages) else len(text))
            for i in range(len(body_pages))
        ] or [(0, len(text))]
        # Superscripts and glued digits name their note; OCR glyphs compete for the rest.
        glued = glued_digit_candidates(text)
        loose = year_digit_candidates(text) + spaced_digit_candidates(text)
        numbered = supers + _page_sequences([glued, loose], footnotes, bounds)
        glyphs = glyph_candidates(text) if len({c.value for c in supers}) < len(footnotes) else []
        candidates = sorted(numbered + glyphs, key=lambda c: c.start)
        chosen = _choose_per_page(candidates, footnotes, bounds)
    elif supers:
        # Markers whose notes the source lost still number from 1 in order; raised
        # digits that do not (an OCR layer's noise, "10⁸") are no markers.
        for cand in _sequence(supers):
            if cand.value is not None and cand.value not in chosen:
                chosen[cand.value] = cand
    elif stated is None:
        chosen = {c.value: c for c in _sequence(glued_digit_candidates(text)) if c.value}
    known = {f.n for f in footnotes}
    for n in sorted(chosen):
        if n not in known:  # a marker whose note text the source lost
            footnotes.append(Footnote(n, None, None, None))
    footnotes.sort(key=lambda f: f.n)

    removals: list[tuple[int, int]] = []
    for cand in chosen.values():
        removals.append((cand.start, cand.end))
        if cand.extra_removal and any(
            c.start == cand.extra_removal[1] - 1 for c in chosen.values() if c is not cand
        ):
            s, e = cand.extra_removal
            removals.append((s, e))
    clean, shift = _remove_spans(body, removals)
    page_starts = [shift(p) for p in body_pages]
    for note in footnotes:
        marker = chosen.get(note.n)
        if marker is None:
            continue
        note.anchor_start, note.anchor_end = shift(marker.anchor_start), shift(marker.anchor_end)
        note.marker_offset = shift(marker.start)
        note.anchor = _anchor_word(clean.text[note.anchor_start : note.anchor_end])
    return FootnoteResult(clean, footnotes, page_starts)


def _anchor_word(word: str) -> str | None:
    """The anchor as ANNOTATION.md §2 writes it: the word without punctuation, also inside
    it ("(SEPA)-verordening" → "SEPA-verordening")."""
    return re.sub(r"[()\[\]«»“”\"]", "", word) or None


def _remove_spans(mapped: MappedText, spans: list[tuple[int, int]]) -> tuple[MappedText, _Shift]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    out = MappedBuilder()
    pos = 0
    for s, e in merged:
        out.append(mapped.slice(pos, s))
        pos = e
    out.append(mapped.slice(pos, len(mapped)))
    return out.build(), _Shift(merged)


class _Shift:
    """Maps an offset before marker removal to the offset after it."""

    def __init__(self, removed: list[tuple[int, int]]) -> None:
        self.removed = removed

    def __call__(self, offset: int) -> int:
        delta = 0
        for s, e in self.removed:
            if offset >= e:
                delta += e - s
            elif offset > s:
                delta += offset - s
            else:
                break
        return offset - delta
