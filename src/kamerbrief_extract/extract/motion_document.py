"""Motion documents: who submitted them, where they are filed, and what they ask.

A motion (``motie``) is a Kamerstuk with a fixed form: a title naming the
submitters in capitals ("MOTIE VAN DE LEDEN X EN Y", "… C.S."), "Voorgesteld
<date>", the preamble "De Kamer, gehoord de beraadslaging,", participial
considerations ("constaterende dat …;", "overwegende dat …;", "van mening dat
…;"), one or more requests or decisions in the third person ("verzoekt de
regering …", "spreekt uit …", "roept … op"), the closing formula "en gaat over
tot de orde van de dag." and the signatures. The same grammar holds in the
official XML rendering, a PDF text layer (wrapped lines, no blank lines) and
plain text, so one parser over text serves them all.

The title is in capitals; the signatures at the end carry the names as the
members write them (particles, first names, diacritics: "Van der Berg", "Anna de Vries",
"Jovanović"), so names are taken from there when they match and title-cased by rule
otherwise.
"""

from __future__ import annotations

import contextlib
import datetime
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from babel.dates import get_month_names
from rapidfuzz import fuzz

from kamerbrief_extract.extract.motions import smart_title_name


@dataclass(frozen=True, slots=True)
class MotionDocument:
    """One motion as filed: submitters, Kamerstuk, date and its clauses."""

    submitters: tuple[str, ...]
    """Names in the title, as signed ("Van Zanten"); for "C.S." only the first."""
    cosigned: bool
    dossier: str | None
    number: str | None
    kamerstuk: str | None
    date: datetime.date | None
    considerations: tuple[str, ...]
    requests: tuple[str, ...]
    amended: bool
    signatories: tuple[str, ...] = ()
    """Everyone who signed, in order (co-signers of a "c.s." motion included)."""
    replaces: str | None = None
    """For a GEWIJZIGDE MOTIE: the number of the motion it replaces."""


MONTHS: dict[str, int] = {
    str(name).lower(): int(number) for number, name in get_month_names("wide", locale="nl").items()
}

_TITLE = re.compile(
    r"(?P<amended>GEWIJZIGDE\s+)?MOTIE\s+VAN\s+(?:DE\s+)?(?:HET\s+LID|DE\s+LEDEN)\s+"
    r"(?P<names>[^\n]+(?:\n(?![^\n]*[a-z])[^\n]+)*)",
)
"""The capitalised title; a wrapped title continues on lines without lower case."""

_TITLE_MIXED = re.compile(
    r"(?im)^(?P<amended>gewijzigde\s+)?motie\s+van\s+(?:het\s+lid|de\s+leden)\s+"
    r"(?P<names>.+?)(?=\s+over\s|\s+ter\s+vervanging|$)",
)
"""A title in sentence case ("Motie van het lid Piri over …"), as in metadata titles."""

_REPLACES = re.compile(r"(?i)\s*ter\s+vervanging\s+van\s+die\s+gedrukt\s+onder\s+nr\.?\s*(\d+)")
_COSIGNED = re.compile(r"(?i)\s*,?\s*\bc\.?\s?s\b\.?\s*$")
_NAME_SPLIT = re.compile(r"(?i)\s*,\s*|\s+en\s+")

_KST_ID = re.compile(r"(?m)^\s*kst-(?P<dossier>\d{4,6}(?:-[0-9A-Z]{1,5})?)-(?P<number>\d+)\b")
_DOSSIER_LINE = re.compile(
    r"(?m)^(?P<main>\d{2}\s?\d{3})(?:\s?-\s?(?P<sub>\d{1,3})|\s+(?P<chapter>[IVXL]+|[A-Z])(?=\s|$))?"
    r"(?=\s|$)"
)
_NUMBER_LINE = re.compile(r"(?m)^\s*Nr\.\s*(?P<number>\d+)\b")
_FOOTER = re.compile(
    r"(?i)vergaderjaar\s+\d{4}\s*[-–/]\s*\d{2,4},\s*(?P<main>\d{2}\s?\d{3})"
    r"(?:\s?-\s?(?P<sub>\d{1,3})|\s+(?P<chapter>[IVXL]+|[A-Z]))?,\s*nr\.\s*(?P<number>\d+)"
)
_DATE = re.compile(r"(?i)\b(?P<day>\d{1,2})\s+(?P<month>[a-z]+)\s+(?P<year>\d{4})\b")
_PROPOSED = re.compile(r"(?i)\bvoorgesteld\b")

_PREAMBLE_END = re.compile(r"(?i)gehoord\s+de\s+beraadslaging\s*,")
_CLOSING = re.compile(r"(?i)\ben\s+gaat\s+over\s+tot\s+de\s+orde\s+van\s+de\s+dag\b\.?")

CONSIDERATION_OPENERS: tuple[str, ...] = (
    r"(?:voorts\s+|tevens\s+|verder\s+|ook\s+|mede\s+|eveneens\s+|nog\s+)?"
    r"(?!(?:on)?voldoende\b|volgende\b|bekende\b|ellende\b)\w+ende\b",
    r"van\s+(?:mening|oordeel|opvatting)\b",
    r"gelet\s+op\b",
    r"gezien\b",
    r"in\s+aanmerking\s+nemende\b",
    r"(?:zich\s+)?ervan\s+bewust\b",
    r"bezorgd\b",
)
"""Considerations are participial clauses ("…ende dat") or a few fixed phrases."""

REQUEST_OPENERS: tuple[str, ...] = (
    r"verzoekt\b",
    r"roept\b",
    r"spreekt\b",
    r"zegt\b",
    r"draagt\b",
    r"dringt\b",
    r"besluit\b",
    r"vraagt\b",
    r"keurt\b",
    r"wijst\b",
    r"stelt\b",
    r"geeft\b",
    r"neemt\b",
    r"betreurt\b",
    r"veroordeelt\b",
    r"erkent\b",
    r"steunt\b",
)
"""Requests and decisions: a finite verb whose subject is "De Kamer"."""

_CONSIDERATION = re.compile(r"(?:" + "|".join(CONSIDERATION_OPENERS) + r")")
_REQUEST = re.compile(r"(?:" + "|".join(REQUEST_OPENERS) + r")")

_SIGNATURE = re.compile(
    r"^(?:[A-ZÀ-ÖØ-Þ][^\W\d_]*|'t|’t)"
    r"(?:[ -](?:[A-ZÀ-ÖØ-Þ][^\W\d_'’]*|van|der|den|de|te|ten|ter|in|op|'t|’t|la|le|da|du|el))*$"
)
"""A signature line: capitalised name parts and particles, nothing else."""
_FURNITURE = re.compile(
    r"(?i)^(?:kst-|issn\b|’s-gravenhage|'s-gravenhage|tweede kamer,|eerste kamer,)"
)


def _fold(text: str) -> str:
    """Case- and accent-insensitive key ("JOVANOVIC" == "Jovanović")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _join_lines(lines: list[str]) -> str:
    """Join wrapped lines of one clause, undoing end-of-line hyphenation."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].islower():
            out = out[:-1] + line
        elif out:
            out += " " + line
        else:
            out = line
    return out


def _clauses(body: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split the text between the preamble and the closing formula into clauses."""
    considerations: list[str] = []
    requests: list[str] = []
    current: list[str] = []
    kind: str | None = None

    def flush() -> None:
        if kind and current:
            clause = _join_lines(current)
            (considerations if kind == "c" else requests).append(clause)

    previous = ""
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        boundary = not previous or previous[-1] in ";,:"
        new_kind = None
        if boundary and line[:1].islower():
            if _REQUEST.match(line):
                new_kind = "r"
            elif _CONSIDERATION.match(line):
                new_kind = "c"
        if new_kind:
            flush()
            kind, current = new_kind, [line]
        elif kind:
            current.append(line)
        previous = line
    flush()
    return tuple(considerations), tuple(requests)


def _title(text: str) -> tuple[list[str], bool, bool, str | None] | None:
    """(names as in the title, cosigned, amended, replaced number) or None."""
    match = _TITLE.search(text)
    names_text = ""
    amended = False
    if match:
        names_text = " ".join(match.group("names").split())
        amended = bool(match.group("amended"))
        # A wrapped capitalised title stops before the next header line.
        names_text = re.split(r"\s+(?=Voorgesteld\b)", names_text)[0]
    else:
        mixed = _TITLE_MIXED.search(text)
        if not mixed:
            return None
        names_text = " ".join(mixed.group("names").split())
        amended = bool(mixed.group("amended"))
    replaces = None
    replaced = _REPLACES.search(names_text)
    if replaced:
        replaces = replaced.group(1)
        names_text = names_text[: replaced.start()]
    cosigned = False
    cs = _COSIGNED.search(names_text)
    if cs:
        cosigned = True
        names_text = names_text[: cs.start()]
    names = [n.strip(" .,") for n in _NAME_SPLIT.split(names_text) if n.strip(" .,")]
    return names, cosigned, amended, replaces


def _signatures(text: str) -> list[str]:
    """Name lines after the closing formula, up to the publication footer."""
    closings = list(_CLOSING.finditer(text))
    if not closings:
        return []
    closing = closings[-1]
    names: list[str] = []
    for raw in text[closing.end() :].splitlines():
        line = raw.strip().strip(",.;").strip()
        if not line:
            continue
        if _FURNITURE.match(line) or line[:1].isdigit():
            break
        if _SIGNATURE.match(line) and len(line.split()) <= 5:
            names.append(line)
        elif names:
            break
    return names


def _restore_case(title_names: list[str], signatures: list[str]) -> list[str]:
    """Pair capitalised title names with signatures; title-case the unmatched."""
    restored: list[str] = []
    used: set[int] = set()
    for index, name in enumerate(title_names):
        key = _fold(name)
        best: tuple[float, int] | None = None
        for j, signature in enumerate(signatures):
            if j in used:
                continue
            score = fuzz.ratio(key, _fold(signature))
            if j == index:
                score += 5  # the title order is the signing order
            if best is None or score > best[0]:
                best = (score, j)
        if best is not None and best[0] >= 85:
            used.add(best[1])
            restored.append(signatures[best[1]])
        else:
            restored.append(smart_title_name(name) if name.isupper() else name)
    return restored


def _date(text: str) -> datetime.date | None:
    proposed = _PROPOSED.search(text)
    window = text[proposed.end() : proposed.end() + 200] if proposed else ""
    for match in _DATE.finditer(window):
        month = MONTHS.get(match.group("month").lower())
        if month:
            try:
                return datetime.date(int(match.group("year")), month, int(match.group("day")))
            except ValueError:
                return None
    return None


def _dossier_id(main: str, sub: str | None, chapter: str | None) -> str:
    dossier = re.sub(r"\s", "", main)
    if sub:
        dossier += "-" + sub
    elif chapter:
        dossier += "-" + chapter
    return dossier


def _location(text: str, title_at: int) -> tuple[str | None, str | None]:
    """(dossier, number) from the footer id, the running footer or the header."""
    for match in _KST_ID.finditer(text):
        return match.group("dossier"), match.group("number")
    footer = _FOOTER.search(text)
    if footer:
        return (
            _dossier_id(footer.group("main"), footer.group("sub"), footer.group("chapter")),
            footer.group("number"),
        )
    header = text[:title_at] if title_at > 0 else text[:1000]
    dossier_match = _DOSSIER_LINE.search(header)
    number_match = _NUMBER_LINE.search(text[: title_at + 40] if title_at > 0 else text[:1000])
    dossier: str | None = None
    if dossier_match:
        dossier = _dossier_id(
            dossier_match.group("main"), dossier_match.group("sub"), dossier_match.group("chapter")
        )
    return dossier, number_match.group("number") if number_match else None


def parse_motion_document(
    text: str, metadata: Mapping[str, str] | None = None
) -> MotionDocument | None:
    """Parse a motion's text; stated metadata (XML ingest) wins over what the text implies."""
    meta = metadata or {}
    title = _title(text)
    if title is None and meta.get("title"):
        title = _title(meta["title"])
    if title is None:
        return None
    names, cosigned, amended, replaces = title
    signatures = _signatures(text)
    submitters = tuple(_restore_case(names, signatures))

    title_match = _TITLE.search(text) or _TITLE_MIXED.search(text)
    dossier, number = _location(text, title_match.start() if title_match else -1)
    dossier = meta.get("dossier") or dossier
    number = meta.get("number") or number
    kamerstuk = meta.get("kamerstuk") or (f"kst-{dossier}-{number}" if dossier and number else None)

    date = _date(text)
    if meta.get("date"):
        with contextlib.suppress(ValueError):
            date = datetime.date.fromisoformat(meta["date"])

    preamble = _PREAMBLE_END.search(text)
    start = preamble.end() if preamble else (title_match.end() if title_match else 0)
    closing = _CLOSING.search(text, start)
    body = text[start : closing.start() if closing else len(text)]
    considerations, requests = _clauses(body)

    return MotionDocument(
        submitters=submitters,
        cosigned=cosigned,
        dossier=dossier,
        number=number,
        kamerstuk=kamerstuk,
        date=date,
        considerations=considerations,
        requests=requests,
        amended=amended,
        signatories=tuple(signatures),
        replaces=replaces,
    )
