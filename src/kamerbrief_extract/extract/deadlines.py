"""Dutch time expressions in parliamentary letters, normalised to the last day of a period.

A promise "voor de zomer van 2023" or "in het derde kwartaal" is only comparable across
letters once it is a date.  The grammar is small and table driven: an optional preposition
(which fixes *how* the period counts: before it, by its end, after it), an optional position
within the period (begin, medio, eind) and a head (a day, a month, a quarter, a half year, a
season, a parliamentary recess, a year, a range of years, an event, a duration).

Conventions (the date is the *last day* of the promised period):

==============================  ====================================================
expression                      date
==============================  ====================================================
op / per / uiterlijk 1 juli 2026  2026-07-01
voor 1 januari 2025              2024-12-31 (before a day: the day before)
1 juli jl. / 1 juli a.s.         most recent past / next 1 July from the reference
1 juli, in november, Q3          no year: the next such day/month/quarter on or after
                                 the reference
in 2023 / eind 2024 / voor het   2023-12-31 / 2024-12-31 / 12-31 of the reference year
einde van het jaar
voor 2025                        2024-12-31
begin 2024 / medio 2024          2024-03-31 / 2024-06-30
begin / medio / eind maart       03-10 / 03-15 / 03-31
in het derde kwartaal van 2026   2026-09-30
eerste / tweede helft van 2024   2024-06-30 / 2024-12-31
dit / volgend / komend jaar      12-31 of the reference year / the year after
binnen drie maanden              reference + 3 months
2023-2026, 2023 t/m 2026         2026-12-31
in het voorjaar / rond de zomer  05-31 / 08-31 (meteorological seasons, see ``SEASONS``)
dit najaar / deze winter         11-30 / last day of February
voor de zomer, voor het          07-01 (the summer recess starts), 12-23
zomerreces, voor het kerstreces
na de zomer / na het zomerreces  None: open-ended (precision season, words kept)
in de volgende halfjaarbrief,    date None, precision "event"
bij de Voorjaarsnota
voor Prinsjesdag (2024)          the day before the third Tuesday of September
==============================  ====================================================

Seasons and recesses without a year are the next occurrence whose resolved date is on or
after the reference date ("voor de zomer" in a November letter is next year's summer);
"dit voorjaar" is the reference year's.  Without a reference date, relative expressions keep
their words and precision but get ``date=None``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from babel.dates import get_month_names
from text_to_num import text2num

__all__ = ["Deadline", "find_deadlines"]


@dataclass(frozen=True, slots=True)
class Deadline:
    """A time expression; ``date`` is the last day of the promised period."""

    date: dt.date | None
    raw: str
    start: int
    end: int
    precision: str  # "day" | "month" | "quarter" | "season" | "year"; "event": no calendar date


# --------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------

MONTHS: dict[str, int] = {name: n for n, name in get_month_names("wide", locale="nl").items()}
MONTH_ABBREVIATIONS: dict[str, int] = {
    **{name.rstrip("."): n for n, name in get_month_names("abbreviated", locale="nl").items()},
    "sept": 9,
    "maa": 3,
}

ORDINALS: dict[str, int] = {
    "eerste": 1, "1e": 1, "1ste": 1,
    "tweede": 2, "2e": 2, "2de": 2,
    "derde": 3, "3e": 3, "3de": 3,
    "vierde": 4, "4e": 4, "4de": 4,
    "laatste": 4,
}  # fmt: skip

# Preposition -> how the period counts.  "before": the day before the period starts (or a
# season's/recess's conventional "voor" date); "by": its last day; "after": open-ended, no date.
PREPOSITIONS: dict[str, str] = {
    "uiterlijk voor": "before", "uiterlijk vóór": "before", "ruim voor": "before",
    "ruim vóór": "before", "nog voor": "before", "nog vóór": "before", "voor": "before",
    "vóór": "before", "voorafgaand aan": "before", "tot": "before",
    "tot en met": "by", "t/m": "by", "tot uiterlijk": "by", "uiterlijk op": "by",
    "uiterlijk in": "by", "uiterlijk": "by", "tegen": "by",
    "in de loop van": "in", "ergens in": "in", "later in": "in", "nog in": "in", "in": "in",
    "op": "in", "per": "in", "met ingang van": "in", "tijdens": "in", "gedurende": "in",
    "rond": "in", "rondom": "in", "omstreeks": "in", "bij": "in", "later": "in", "nog": "in",
    "na afloop van": "after", "na": "after",
}  # fmt: skip

# Position inside a period.
POSITIONS: dict[str, str] = {
    "aan het einde van": "end", "aan het eind van": "end", "het einde van": "end",
    "het eind van": "end", "einde van": "end", "eind van": "end", "einde": "end", "eind": "end",
    "ultimo": "end",
    "aan het begin van": "begin", "het begin van": "begin", "begin van": "begin", "begin": "begin",
    "medio": "mid", "halverwege": "mid", "het midden van": "mid", "midden": "mid",
}  # fmt: skip

RELATIVE_YEARS: dict[str, int] = {
    "dit jaar": 0, "dit kalenderjaar": 0, "het lopende jaar": 0, "het jaar": 0,
    "volgend jaar": 1, "komend jaar": 1, "het komende jaar": 1, "het volgende jaar": 1,
    "volgend kalenderjaar": 1, "vorig jaar": -1,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Span:
    """A named period of the calendar, month/day pairs relative to year Y."""

    start: tuple[int, int, int]  # (year offset, month, day)
    end: tuple[int, int, int]
    before: tuple[int, int, int] | None  # conventional date for "voor ..."; None: start - 1


# Seasons are meteorological (ANNOTATION.md §7): voorjaar March-May, zomer June-August, najaar
# September-November, winter December-February.  "in het voorjaar" is 31 May, "rond de zomer"
# 31 August, "dit najaar" 30 November, "deze winter" the last day of February.  "voor de zomer"
# stays 1 July, the start of the summer recess, as parliament counts it.  "na X" has no last
# day: "na de zomer" keeps its words with date None, like "na 1 juli 2026".
SEASONS: dict[str, _Span] = {
    "voorjaar": _Span((0, 3, 1), (0, 5, 31), None),
    "lente": _Span((0, 3, 1), (0, 5, 31), None),
    "zomer": _Span((0, 6, 1), (0, 8, 31), (0, 7, 1)),
    "najaar": _Span((0, 9, 1), (0, 11, 30), None),
    "herfst": _Span((0, 9, 1), (0, 11, 30), None),
    "winter": _Span((0, 12, 1), (1, 2, 28), None),
}

# Tweede Kamer recesses, approximate (they move by a few days each year; the start is what
# "voor het ...reces" promises).  "voor het kerstreces" -> 12-23, "voor het zomerreces" ->
# 07-01; "na het zomerreces" is open-ended, like "na de zomer".  "voor de kerst" is the
# Christmas recess.
RECESSES: dict[str, _Span] = {
    "zomer": _Span((0, 7, 2), (0, 8, 31), (0, 7, 1)),
    "kerst": _Span((0, 12, 24), (1, 1, 8), (0, 12, 23)),
    "krokus": _Span((0, 2, 17), (0, 2, 24), None),
    "voorjaars": _Span((0, 2, 17), (0, 2, 24), None),
    "mei": _Span((0, 4, 25), (0, 5, 10), None),
    "herfst": _Span((0, 10, 14), (0, 10, 22), None),
}

# Events without a calendar date.  NEXT_EVENTS are recurring documents, a deadline only when
# announced as "the next one"; BUDGET_EVENTS are fixed moments of the budget cycle;
# DEBATE_EVENTS count only with a "before" preposition ("voor het commissiedebat").
NEXT_MARKERS: tuple[str, ...] = (
    "eerstvolgende", "eerstkomende", "volgende", "komende", "nieuwe", "aankomende",
)  # fmt: skip
NEXT_EVENT_SUFFIXES: tuple[str, ...] = (
    "brief", "rapportage", "voortgangsrapportage", "verslag", "monitor", "rapport",
    "update", "overzicht", "nota", "agenda",
)  # fmt: skip
BUDGET_EVENTS: tuple[str, ...] = (
    "voorjaarsnota", "najaarsnota", "miljoenennota", "ontwerpbegroting", "begroting",
    "suppletoire begroting", "jaarverslag", "slotwet", "prinsjesdag", "verantwoordingsdag",
)  # fmt: skip
DEBATE_EVENTS: tuple[str, ...] = (
    "debat", "overleg", "begrotingsbehandeling", "behandeling", "notaoverleg",
)  # fmt: skip

# Words that make a bare date a date of something else, not a deadline.
NOT_DEADLINE_BEFORE: frozenset[str] = frozenset(
    {"van", "sinds", "sedert", "vanaf", "d.d.", "dd", "datum", "gedateerd", "dateert",
     "vergaderjaar", "zittingsjaar", "stb.", "stcrt.", "trb.", "nr.", "over"}
)  # fmt: skip

WEEKDAYS: tuple[str, ...] = (
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
)  # fmt: skip

DURATION_UNITS: dict[str, str] = {
    "dag": "day", "dagen": "day", "week": "week", "weken": "week",
    "maand": "month", "maanden": "month", "jaar": "year", "halfjaar": "half",
}  # fmt: skip


# --------------------------------------------------------------------------------------
# Regex pieces, assembled from the tables
# --------------------------------------------------------------------------------------


def _alt(words: Iterable[str]) -> str:
    """Alternation, longest first, with flexible inner whitespace."""
    items = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


_PREP = rf"(?:(?P<prep>{_alt(PREPOSITIONS)})\s+)?"
_POS = rf"(?:(?P<pos>{_alt(POSITIONS)})\s+)?"
_YEAR4 = r"(?:19|20)\d{2}"
_RELYEAR = _alt(RELATIVE_YEARS)
_MONTH_WIDE = _alt(MONTHS)
_MONTH_ANY = rf"{_MONTH_WIDE}|(?:{_alt(MONTH_ABBREVIATIONS)})\.?"
_ORD = _alt(ORDINALS)
_JL = r"jl\.?|j\.l\.|jongstleden|a\.s\.?|aanstaande|aanst\."
# "van 2026", "2026", "van dit jaar", "in 2026"
_YEARSPEC = rf"(?:\s+(?:van\s+|in\s+)?(?P<year>{_YEAR4})|\s+van\s+(?P<relyear>{_RELYEAR}))?"
_B = r"(?<![\w/.-])"  # left boundary
_E = r"(?![\w])"  # right boundary


def _rx(body: str) -> re.Pattern[str]:
    return re.compile(_B + body + _E, re.IGNORECASE)


_RULES_RX: dict[str, re.Pattern[str]] = {
    "range": _rx(
        rf"(?:(?P<prep>van|tussen)\s+)?(?P<y1>{_YEAR4})\s*"
        rf"(?P<sep>-|–|—|t/m|tot\s+en\s+met|tot|en)\s*(?P<y2>{_YEAR4})"
    ),
    "day": _rx(
        rf"{_PREP}(?:(?:{_alt(WEEKDAYS)})\s+)?(?P<day>[12]\d|3[01]|0?[1-9])(?:e|ste|de)?\s+"
        rf"(?P<month>{_MONTH_ANY})(?:\s+(?P<year>{_YEAR4})|\s+(?P<rel>{_JL}))?"
    ),
    "numdate": _rx(
        rf"{_PREP}(?P<day>[12]\d|3[01]|0?[1-9])[-/](?P<mon>1[0-2]|0?[1-9])[-/](?P<year>{_YEAR4})"
    ),
    "month": _rx(
        rf"{_PREP}{_POS}(?P<month>{_MONTH_WIDE})"
        rf"(?:\s+(?P<year>{_YEAR4})|\s+van\s+(?P<relyear>{_RELYEAR})|\s+(?P<rel>{_JL}))?"
    ),
    "relmonth": _rx(rf"{_PREP}{_POS}(?P<relmonth>deze|volgende|komende)\s+maand"),
    "quarter": _rx(
        rf"{_PREP}{_POS}(?:(?:het\s+)?(?P<ord>{_ORD})\s+kwartaal|kwartaal\s+(?P<qn>[1-4])"
        rf"|Q(?P<q>[1-4]))"
        rf"(?:\s+(?:van\s+)?(?P<year>{_YEAR4})|\s+van\s+(?P<relyear>{_RELYEAR}))?"
    ),
    "half": _rx(
        rf"{_PREP}(?:(?:(?:de|het)\s+)?(?P<ord>eerste|tweede|1e|2e)\s+(?:helft|halfjaar|half\s+jaar)"
        rf"|H(?P<h>[12])){_YEARSPEC}"
    ),
    "season": _rx(
        rf"{_PREP}{_POS}(?:(?P<det>de|het|dit|deze|komend|komende|volgend|volgende|aankomend"
        rf"|aankomende)\s+)?(?P<season>{_alt(SEASONS)}){_YEARSPEC}(?!\s+van\b)"
    ),
    "recess": _rx(rf"{_PREP}(?:het\s+)?(?P<recess>{_alt(RECESSES)})-?rec[eèé]s{_YEARSPEC}"),
    "christmas": _rx(rf"{_PREP}(?:de\s+)?kerst(?:vakantie|dagen|periode)?{_YEARSPEC}"),
    "year": _rx(rf"{_PREP}{_POS}(?:(?:het\s+jaar\s+)?(?P<year>{_YEAR4})|(?P<relyear>{_RELYEAR}))"),
    "duration": _rx(rf"(?P<prep>binnen)\s+(?P<n>\d+|[a-zé]+)\s+(?P<unit>{_alt(DURATION_UNITS)})"),
    "event": _rx(
        rf"{_PREP}(?:de|het)\s+(?:(?P<next>{_alt(NEXT_MARKERS)})\s+)?"
        r"(?:(?:half)?jaarlijkse\s+)?(?P<event>[a-zé]*(?:"
        + "|".join(NEXT_EVENT_SUFFIXES + BUDGET_EVENTS + DEBATE_EVENTS)
        + rf")){_YEARSPEC}"
    ),
    "prinsjesdag": _rx(rf"{_PREP}prinsjesdag{_YEARSPEC}"),
}


# --------------------------------------------------------------------------------------
# Resolution
# --------------------------------------------------------------------------------------

_Period = tuple[dt.date, dt.date]


def _ymd(year: int, spec: tuple[int, int, int]) -> dt.date:
    """Date of a table entry; "02-28" means the last day of February."""
    y = year + spec[0]
    last = calendar.monthrange(y, spec[1])[1]
    return dt.date(y, spec[1], last if spec[1:] == (2, 28) else min(spec[2], last))


def _month_period(year: int, month: int) -> _Period:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _quarter_period(year: int, q: int) -> _Period:
    return dt.date(year, 3 * q - 2, 1), _month_period(year, 3 * q)[1]


def _year_period(year: int) -> _Period:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _add_months(day: dt.date, months: int) -> dt.date:
    idx = day.year * 12 + day.month - 1 + months
    y, m = divmod(idx, 12)
    return dt.date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


def _apply_position(period: _Period, pos: str | None, unit: str) -> _Period:
    """Narrow a period to its begin / middle / end part."""
    start, end = period
    if pos == "end":
        return end, end
    if pos == "begin":
        if unit == "year":
            return start, dt.date(start.year, 3, 31)
        if unit == "month":
            return start, start.replace(day=10)
        return start, _month_period(start.year, start.month)[1]
    if pos == "mid":
        if unit == "year":
            return dt.date(start.year, 6, 30), dt.date(start.year, 6, 30)
        if unit == "month":
            return start.replace(day=15), start.replace(day=15)
        middle = _add_months(start, 1)
        last = _month_period(middle.year, middle.month)[1]
        return last, last
    return period


def _resolve(
    period: _Period, prep_kind: str, pos: str | None = None, span: _Span | None = None
) -> dt.date | None:
    start, end = period
    if prep_kind == "before":
        if pos in ("end", "mid"):
            return end
        if span is not None and span.before is not None:
            return _ymd(start.year, span.before)
        return start - dt.timedelta(days=1)
    if prep_kind == "after":
        return None  # "na de zomer": open-ended, no last day (the words stay in deadline_raw)
    return end


def _prep_kind(m: re.Match[str]) -> str:
    prep = m.groupdict().get("prep")
    return PREPOSITIONS[re.sub(r"\s+", " ", prep.lower())] if prep else "bare"


def _pos(m: re.Match[str]) -> str | None:
    pos = m.groupdict().get("pos")
    return POSITIONS[re.sub(r"\s+", " ", pos.lower())] if pos else None


def _year_of(m: re.Match[str], ref: dt.date | None) -> int | None:
    """Explicit or relative year in the match; None when absent or unresolvable."""
    gd = m.groupdict()
    if gd.get("year"):
        return int(gd["year"])
    if gd.get("relyear") and ref is not None:
        return ref.year + RELATIVE_YEARS[re.sub(r"\s+", " ", gd["relyear"].lower())]
    return None


def _has_year(m: re.Match[str]) -> bool:
    gd = m.groupdict()
    return bool(gd.get("year") or gd.get("relyear"))


def _next_on_or_after(
    ref: dt.date, make: Callable[[int], dt.date | None], years: range | None = None
) -> dt.date | None:
    """First resolved date on or after the reference, trying the reference year first."""
    for year in years or range(ref.year, ref.year + 2):
        date = make(year)
        if date is not None and date >= ref:
            return date
    return None


_Result = tuple[dt.date | None, str] | None  # (date, precision), None: not a deadline


def _r_range(m: re.Match[str], ref: dt.date | None) -> _Result:
    y1, y2 = int(m["y1"]), int(m["y2"])
    sep = m["sep"].lower()
    if not 0 < y2 - y1 <= 30 or (sep == "en" and (m["prep"] or "").lower() != "tussen"):
        return None
    end_year = y2 - 1 if sep == "tot" else y2
    return dt.date(end_year, 12, 31), "year"


def _r_day(m: re.Match[str], ref: dt.date | None) -> _Result:
    day = int(m["day"])
    month_word = m["month"].lower().rstrip(".")
    month = MONTHS.get(month_word) or MONTH_ABBREVIATIONS.get(month_word)
    if month is None:
        return None
    kind = _prep_kind(m)
    if kind == "after":
        return None

    def make(year: int) -> dt.date | None:
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None

    if m["year"]:
        date = make(int(m["year"]))
        if date is None:
            return None
    elif ref is None:
        if make(2024) is None:  # 2024: a leap year, so 29 februari is a valid day
            return None
        return None, "day"
    elif m["rel"] and m["rel"].lower().startswith("j"):
        candidates = [d for y in (ref.year, ref.year - 1) if (d := make(y)) and d <= ref]
        if not candidates:
            return None
        date = candidates[0]
    else:
        date = _next_on_or_after(ref, make)
        if date is None:
            return None
    if kind == "before":
        date -= dt.timedelta(days=1)
    return date, "day"


def _r_numdate(m: re.Match[str], ref: dt.date | None) -> _Result:
    try:
        date = dt.date(int(m["year"]), int(m["mon"]), int(m["day"]))
    except ValueError:
        return None
    kind = _prep_kind(m)
    if kind == "after":
        return None
    return (date - dt.timedelta(days=1) if kind == "before" else date), "day"


def _r_month(m: re.Match[str], ref: dt.date | None) -> _Result:
    kind, pos = _prep_kind(m), _pos(m)
    if kind == "after" or (kind == "bare" and pos is None and not _has_year(m) and not m["rel"]):
        return None
    month = MONTHS[m["month"].lower()]

    def make(year: int) -> dt.date | None:
        return _resolve(_apply_position(_month_period(year, month), pos, "month"), kind, pos)

    year = _year_of(m, ref)
    if year is not None:
        return make(year), "month"
    if ref is None:
        return None, "month"
    if m["rel"] and m["rel"].lower().startswith("j"):  # jl.: the most recent such month
        return make(ref.year if month <= ref.month else ref.year - 1), "month"
    # The next such month on or after the reference: compare months, not resolved dates,
    # so "voor november" in a November letter is this November's.
    year = ref.year if month >= ref.month else ref.year + 1
    return make(year), "month"


def _r_relmonth(m: re.Match[str], ref: dt.date | None) -> _Result:
    kind, pos = _prep_kind(m), _pos(m)
    if kind == "after":
        return None
    if ref is None:
        return None, "month"
    first = _add_months(ref.replace(day=1), 0 if m["relmonth"].lower() == "deze" else 1)
    period = _apply_position(_month_period(first.year, first.month), pos, "month")
    return _resolve(period, kind, pos), "month"


def _r_quarter(m: re.Match[str], ref: dt.date | None) -> _Result:
    kind, pos = _prep_kind(m), _pos(m)
    if kind == "after":
        return None
    q = int(m["q"] or m["qn"] or ORDINALS[m["ord"].lower()])
    year = _year_of(m, ref)
    if kind == "bare" and pos is None and year is None and not m["q"]:
        return None

    def make(y: int) -> dt.date | None:
        return _resolve(_apply_position(_quarter_period(y, q), pos, "quarter"), kind, pos)

    if year is not None:
        return make(year), "quarter"
    if ref is None:
        return None, "quarter"
    year = ref.year if q >= (ref.month - 1) // 3 + 1 else ref.year + 1
    return make(year), "quarter"


def _r_half(m: re.Match[str], ref: dt.date | None) -> _Result:
    kind = _prep_kind(m)
    if kind == "after":
        return None
    h = int(m["h"]) if m["h"] else (1 if m["ord"].lower() in ("eerste", "1e") else 2)
    year = _year_of(m, ref)
    if kind == "bare" and year is None and not m["h"]:
        return None

    def make(y: int) -> dt.date | None:
        start = dt.date(y, 1 if h == 1 else 7, 1)
        return _resolve((start, dt.date(y, 6, 30) if h == 1 else dt.date(y, 12, 31)), kind)

    if year is not None:
        return make(year), "quarter"
    if ref is None:
        return None, "quarter"
    return make(ref.year if (h == 1 and ref.month <= 6) or h == 2 else ref.year + 1), "quarter"


def _span_period(span: _Span, year: int) -> _Period:
    return _ymd(year, span.start), _ymd(year, span.end)


def _r_span(m: re.Match[str], ref: dt.date | None, span: _Span, precision: str) -> _Result:
    kind, pos = _prep_kind(m), _pos(m)
    det = (m.groupdict().get("det") or "").lower()
    if kind == "bare" and pos is None and not _has_year(m) and det in ("", "de", "het"):
        return None

    def make(y: int) -> dt.date | None:
        period = _apply_position(_span_period(span, y), pos, "season")
        return _resolve(period, kind, pos, span)

    year = _year_of(m, ref)
    if year is not None:
        return make(year), precision
    if ref is None:
        return None, precision
    if det in ("dit", "deze"):
        return make(ref.year - 1 if span.start[1] == 12 and ref.month <= 2 else ref.year), precision
    if det.startswith(("komend", "volgend", "aankomend")):
        for y in range(ref.year - 1, ref.year + 2):
            if _span_period(span, y)[0] > ref:
                return make(y), precision
        return None
    return _next_on_or_after(ref, make, range(ref.year - 1, ref.year + 2)), precision


def _r_season(m: re.Match[str], ref: dt.date | None) -> _Result:
    if not m["det"] and not _pos(m) and not _has_year(m):
        return None  # "van najaar tot voorjaar": seasons in general, not one period
    return _r_span(m, ref, SEASONS[m["season"].lower()], "season")


def _r_recess(m: re.Match[str], ref: dt.date | None) -> _Result:
    if _prep_kind(m) == "bare":
        return None
    return _r_span(m, ref, RECESSES[m["recess"].lower()], "season")


def _r_christmas(m: re.Match[str], ref: dt.date | None) -> _Result:
    """ "voor de kerst" promises what "voor het kerstreces" promises."""
    if _prep_kind(m) == "bare":
        return None
    return _r_span(m, ref, RECESSES["kerst"], "season")


def _r_year(m: re.Match[str], ref: dt.date | None) -> _Result:
    kind, pos = _prep_kind(m), _pos(m)
    rel = (m["relyear"] or "").lower()
    if kind == "after":
        return None
    if m["year"] and kind == "bare" and pos is None:
        return None  # a bare "2023" is a year, not a deadline
    if re.fullmatch(r"het\s+jaar", rel) and pos is None:
        return None  # "het jaar" only after "(het) einde van"
    year = _year_of(m, ref)
    if year is None:
        return None, "year"
    return _resolve(_apply_position(_year_period(year), pos, "year"), kind, pos), "year"


def _r_duration(m: re.Match[str], ref: dt.date | None) -> _Result:
    word = m["n"].lower()
    try:
        n = int(word) if word.isdigit() else int(text2num(word, "nl"))
    except ValueError:
        return None
    unit = DURATION_UNITS[m["unit"].lower()]
    precision = "day" if unit in ("day", "week") else "month" if unit != "year" else "year"
    if ref is None:
        return None, precision
    if unit == "day":
        return ref + dt.timedelta(days=n), precision
    if unit == "week":
        return ref + dt.timedelta(weeks=n), precision
    months = {"month": n, "year": 12 * n, "half": 6 * n}[unit]
    return _add_months(ref, months), precision


def _r_event(m: re.Match[str], ref: dt.date | None) -> _Result:
    event = m["event"].lower()
    kind = _prep_kind(m)
    if kind in ("bare", "after"):
        return None
    if event == "prinsjesdag":
        return None  # handled by its own rule
    if any(event == b or event.endswith(b) for b in BUDGET_EVENTS if " " not in b):
        if m["prep"].lower() in ("in", "bij", "voor", "vóór", "rond", "uiterlijk bij", "op"):
            return None, "event"
        return None
    if any(event.endswith(d) for d in DEBATE_EVENTS):
        return (None, "event") if kind == "before" else None
    if m["next"] and m["prep"].lower() in ("in", "bij", "voor", "vóór", "op"):
        return None, "event"
    return None


def _third_tuesday_of_september(year: int) -> dt.date:
    first = dt.date(year, 9, 1)
    return first + dt.timedelta(days=(1 - first.weekday()) % 7 + 14)


def _r_prinsjesdag(m: re.Match[str], ref: dt.date | None) -> _Result:
    kind = _prep_kind(m)
    if kind in ("bare", "after"):
        return None
    year = _year_of(m, ref)
    if year is None and ref is not None:
        year = ref.year if _third_tuesday_of_september(ref.year) >= ref else ref.year + 1
    if year is None:
        return None, "event"
    day = _third_tuesday_of_september(year)
    return (day - dt.timedelta(days=1) if kind == "before" else day), "day"


_RESOLVERS: dict[str, Callable[[re.Match[str], dt.date | None], _Result]] = {
    "range": _r_range,
    "day": _r_day,
    "numdate": _r_numdate,
    "month": _r_month,
    "relmonth": _r_relmonth,
    "quarter": _r_quarter,
    "half": _r_half,
    "season": _r_season,
    "recess": _r_recess,
    "christmas": _r_christmas,
    "year": _r_year,
    "duration": _r_duration,
    "event": _r_event,
    "prinsjesdag": _r_prinsjesdag,
}

# Rules whose rejected matches are real dates of something else ("van 1 juli jl.").
_BLOCKING_RULES: frozenset[str] = frozenset({"day", "numdate", "range"})

_WORD_BEFORE = re.compile(r"(\S+)\s*$")


def _blocked_by_previous_word(text: str, m: re.Match[str]) -> bool:
    """A bare date after "van", "sinds", "vergaderjaar" ... dates something else."""
    if m.groupdict().get("prep"):
        return False
    prev = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
    return prev is not None and prev.group(1).lower().strip("(") in NOT_DEADLINE_BEFORE


def find_deadlines(text: str, reference: dt.date | None) -> list[Deadline]:
    """All deadline-like time expressions in ``text``, longest match first, in text order.

    ``reference`` is the letter's date; it anchors "dit jaar", "jl.", "in november" etc.
    """
    candidates: list[tuple[int, int, Deadline]] = []
    blocked: list[tuple[int, int]] = []  # a rejected date also rejects the words inside it
    for name, rx in _RULES_RX.items():
        for m in rx.finditer(text):
            result = None if _blocked_by_previous_word(text, m) else _RESOLVERS[name](m, reference)
            if result is None:
                if name in _BLOCKING_RULES or not m.groupdict().get("prep"):
                    blocked.append((m.start(), m.end()))
                continue
            date, precision = result
            candidates.append(
                (m.start(), m.end(), Deadline(date, m.group(0), m.start(), m.end(), precision))
            )
    candidates = [
        c
        for c in candidates
        if not any(s <= c[0] and c[1] <= e and c[1] - c[0] < e - s for s, e in blocked)
    ]
    chosen: list[tuple[int, int, Deadline]] = []
    for cand in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        if all(cand[1] <= s or cand[0] >= e for s, e, _ in chosen):
            chosen.append(cand)
    return [d for _, _, d in sorted(chosen, key=lambda c: c[0])]
