"""Motion and amendment documents: who submitted and signed them, where they are filed,
and what they ask or change.

A motion (``motie``) is a Kamerstuk with a fixed form: a title naming the
submitters in capitals ("MOTIE VAN DE LEDEN X EN Y", "… C.S.", "GEWIJZIGDE MOTIE … TER
VERVANGING VAN DIE GEDRUKT ONDER NR. 30"), "Voorgesteld <date>", the preamble "De
Kamer, gehoord de beraadslaging,", participial considerations ("constaterende dat …;",
"overwegende dat …;", "van mening dat …;"), one or more operative clauses with a finite
verb whose subject is "De Kamer" (the dictum: "verzoekt de regering …", "spreekt uit
…", "roept … op", "draagt … op", "besluit …", "constateert …"), the closing formula "en
gaat over tot de orde van de dag." and the signatures, first signatory first.

An amendment (``amendement``) has the same title grammar ("AMENDEMENT VAN HET LID …",
"GEWIJZIGD AMENDEMENT … TER VERVANGING VAN DAT GEDRUKT ONDER NR. 12"), "Ontvangen
<date>", "De ondergetekende stelt het volgende amendement voor:", numbered instructions
naming what they change ("In artikel 1, onderdeel A, wordt …"), a "Toelichting" and the
signatures at its end.

The same grammar holds in the official XML rendering, a PDF text layer (wrapped lines)
and plain text whose paragraphs a layout engine joined, so one parser over text serves
them all; what the XML states in its own elements (dossier, number, date, title, the
signature lines) is passed in as metadata and wins. The title is in capitals; the
signatures carry the names as the members write them ("Van der Berg", "Anna de Vries",
"Jovanović"), so title names take the signed spelling when they match and are title-cased
by rule otherwise.
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

from kamerbrief_extract.document import Document
from kamerbrief_extract.extract.motions import PARTICLES, smart_title_name


@dataclass(frozen=True, slots=True)
class Dictum:
    """One operative clause: its verb ("verzoekt", "spreekt uit", "roept op") and text."""

    verb: str
    text: str


@dataclass(frozen=True, slots=True)
class MotionDocument:
    """One motion or amendment as filed: submitters, signatories, Kamerstuk, date, clauses."""

    submitters: tuple[str, ...]
    """Names in the title, as signed ("Van Zanten"); for "C.S." only those the title names."""
    cosigned: bool
    dossier: str | None
    number: str | None
    kamerstuk: str | None
    date: datetime.date | None
    considerations: tuple[str, ...]
    requests: tuple[str, ...]
    """The dictum's texts (kept for records that read them as plain strings)."""
    amended: bool
    signatories: tuple[str, ...] = ()
    """Everyone who signed, in order, first signatory first (co-signers of "c.s." included)."""
    replaces: str | None = None
    """For an amended motion or amendment: the number of the one it replaces."""
    amendment_level: str | None = None
    """``gewijzigd``, ``nader gewijzigd``, ``tweede nader gewijzigd`` … or None."""
    dictum: tuple[Dictum, ...] = ()
    kind: str = "motie"
    """``motie`` or ``amendement``."""
    title: str | None = None
    changes: tuple[str, ...] = ()
    """For an amendment: what it changes ("artikel I, onderdeel A"), in order."""
    warnings: tuple[str, ...] = ()


MONTHS: dict[str, int] = {
    str(name).lower(): int(number) for number, name in get_month_names("wide", locale="nl").items()
}

ORDINALS: tuple[str, ...] = (
    "tweede",
    "derde",
    "vierde",
    "vijfde",
    "zesde",
    "zevende",
    "achtste",
    "negende",
    "tiende",
)
"""Ordinals before "nader gewijzigde": "TWEEDE NADER GEWIJZIGDE MOTIE"."""

MOTION_KINDS: tuple[str, ...] = (
    "wantrouwen",
    "afkeuring",
    "treurnis",
    "vertrouwen",
    "orde",
    "steun",
    "censuur",
    "regering",
    "minister",
    "staatssecretaris",
    "commissie",
    "kamer",
)
"""Nouns after "motie van" that name the kind of motion or an institution, never a member."""

_LEVEL = (
    r"(?P<level>(?:(?:" + "|".join(ORDINALS) + r")\s+)?(?:nader\s+)?gewijzigde?\s+|"
    r"(?:" + "|".join(ORDINALS) + r")\s+(?:nader\s+)?)?"
)
_KIND_WORD = r"(?P<kind>(?:sub)?amendement|motie)"
_INTRO = r"(?P<intro>(?:(?:de|het|den|he|d[ea]t)\s+){0,2}(?:(?:kamer)?(?:lid|leden|lede)\s+)?)"
""""HET LID", "DE LEDEN", and the typos of real titles ("DE HET LID", "HET" alone)."""

_TITLE_HEAD = re.compile(
    rf"(?i)(?<![\w-]){_LEVEL}{_KIND_WORD}\s+van\s+{_INTRO}(?=[^\W\d_])(?!(?:"
    + "|".join(MOTION_KINDS)
    + r")\b)"
)
_REPLACES = re.compile(
    r"(?i)\s*,?\s*ter\s+vervanging\s+van\s+(?:die|dat|de|het|nr\.?)?\s*(?:gedrukt\s+)?"
    r"(?:onder\s+)?(?:nr\.?|nummer)?\s*(\d+)"
)
_COSIGNED = re.compile(r"(?i)\s*,?\s*\bc\.?\s?s\b\.?\s*$")
_NAME_SPLIT = re.compile(r"(?i)\s*,\s*|\s+en\s+|\s*/\s*")
_TITLE_STOP = re.compile(
    r"(?i)\s+(?=(?:voorgesteld|ontvangen)\b)|\s+over\s+(?=\S)|\s+(?:ten\s+)?(?:aanzien\s+)?"
    r"(?=inzake\b)"
)

_KST_ID = re.compile(r"(?m)^\s*kst-(?P<dossier>\d{4,6}(?:-[0-9A-Z]{1,5})?)-(?P<number>\d+)\b")
_DOSSIER_LINE = re.compile(
    r"(?m)^(?P<main>\d{2}\s?\d{3})(?:\s?-\s?(?P<sub>\d{1,3})|\s+(?P<chapter>[IVXL]+|[A-Z])(?=\s|$))?"
    r"(?=\s|$)"
)
_DOSSIER_RUN = re.compile(
    r"(?<![\d\w.,/–-])(?P<main>\d{2}\s?\d{3})(?![\d,.])(?:\s?-\s?(?P<sub>\d{1,3})"
    r"|\s+(?P<chapter>[IVXL]+|[A-Z])(?=\s))?(?=\s+[A-Z(])"
)
"""The dossier in a header a layout joined into one line ("Kamerstukken 36 800 Nota …")."""
_NUMBER = re.compile(r"(?<![\w.])Nr\.\s*(?P<number>\d+)\b")
_FOOTER = re.compile(
    r"(?i)vergaderjaar\s+\d{4}\s*[-–/]\s*\d{2,4},\s*(?P<main>\d{2}\s?\d{3})"
    r"(?:\s?-\s?(?P<sub>\d{1,3})|\s+(?P<chapter>[IVXL]+|[A-Z]))?,\s*nr\.\s*(?P<number>\d+)"
)
_DATE = re.compile(r"(?i)\b(?P<day>\d{1,2})\s+(?P<month>[a-z]+)\s+(?P<year>\d{4})\b")
_PROPOSED = re.compile(r"(?i)\b(?:voorgesteld|ontvangen)\b")

_PREAMBLE_END = re.compile(r"(?i)gehoord\s+de\s+beraadslaging(?:en)?\s*,")
_CLOSING = re.compile(
    r"(?i)\b(?:en\s+)?gaat\s+(?:vervolgens\s+)?over\s+tot\s+(?:de\s+)?orde\s+van\s+(?:de\s+)?dag\b\.?"
)
_AMENDMENT_START = re.compile(
    r"(?i)\bondergetekenden?\s+(?:stelt|stellen)\s+(?:het\s+)?(?:volgende\s+)?"
    r"(?:sub)?amendement(?:en)?\s+voor\s*:?"
)
_EXPLANATION = re.compile(r"(?m)^\s*Toelichting\b|(?<=\s)Toelichting(?=\s+[A-Z])")

CONSIDERATION_OPENERS: tuple[str, ...] = (
    r"(?:voorts\s+|tevens\s+|verder\s+|ook\s+|mede\s+|eveneens\s+|nog\s+|en\s+)?"
    r"(?!(?:on)?voldoende\b|volgende\b|bekende\b|ellende\b|betreffende\b|ende\b"
    r"|\w*(?:zevende|negende|tiende)\b)[^\W\d_]+ende\b",
    r"van\s+(?:mening|oordeel|opvatting)\b",
    r"gelet\s+op\b",
    r"gezien\b",
    r"in\s+aanmerking\s+nemende\b",
    r"(?:zich\s+)?ervan\s+bewust\b",
    r"bezorgd\b",
)
"""Considerations are participial clauses ("…ende dat") or a few fixed phrases."""

DICTUM_VERBS: dict[str, tuple[str, ...]] = {
    "verzoekt": (),
    "vraagt": (),
    "roept": ("op",),
    "spreekt": ("uit",),
    "draagt": ("op",),
    "dringt": ("aan",),
    "besluit": (),
    "constateert": (),
    "zegt": ("op", "toe"),
    "keurt": ("af", "goed"),
    "wijst": ("af",),
    "stelt": ("vast", "voor"),
    "geeft": ("in overweging", "opdracht"),
    "nodigt": ("uit",),
    "neemt": ("kennis", "afstand"),
    "betreurt": (),
    "veroordeelt": (),
    "erkent": (),
    "steunt": (),
    "verklaart": (),
    "verwerpt": (),
    "eist": (),
    "wenst": (),
    "benadrukt": (),
    "onderstreept": (),
    "onderschrijft": (),
    "herbevestigt": (),
    "bevestigt": (),
    "verzoekt voorts": (),
}
"""The dictum's finite verbs (third person, subject "De Kamer") with the separable particles
that complete them later in the clause ("roept de regering op", "spreekt zich uit")."""

_ADVERBS = r"(?:(?:en|voorts|tevens|daarnaast|daarom|derhalve|mitsdien|ook|eveneens)\s+)?"
_VERB_WORDS = sorted({verb.split()[0] for verb in DICTUM_VERBS}, key=len, reverse=True)
_CONSIDERATION = re.compile(r"(?i)(?:" + "|".join(CONSIDERATION_OPENERS) + r")")
_REQUEST = re.compile(r"(?i)" + _ADVERBS + r"(?P<verb>" + "|".join(_VERB_WORDS) + r")\b")
_OPENER_AT = re.compile(r"(?:^|(?<=[;,:])|(?<=\n))\s*(?=[^\W\d_])")
_PARTICLE_STOPS = frozenset(
    {"dat", "om", "te", "tot", "teneinde", "zodat", "omdat", "of", "indien"}
)

_NAME_PART = re.compile(r"^(?:[^\W\d_]+(?:['’-][^\W\d_]+)*|['’]t|\([^\W\d_]+\)|(?:[A-Z]\.)+)$")


class _Signature:
    """A signature line: capitalised name parts, lower-case particles, initials, nothing else."""

    @staticmethod
    def match(line: str) -> bool:
        words = line.split()
        if not words:
            return False
        for index, word in enumerate(words):
            if not _NAME_PART.match(word):
                return False
            if word[:1].islower() and word.casefold() not in _PARTICLE_WORDS:
                return False
            if index == 0 and word[:1].islower() and word not in {"'t", "’t"}:
                return False
        return True


_SIGNATURE = _Signature()
_FURNITURE = re.compile(
    r"(?i)^(?:kst-|issn\b|’s-gravenhage|'s-gravenhage|tweede kamer,|eerste kamer,)"
)
_FURNITURE_LINE = re.compile(
    r"(?im)^[ \t]*(?:kst-[\w-]+|issn\b[^\n]*|['’]s-gravenhage\s+\d{4}[^\n]*"
    r"|(?:tweede|eerste)\s+kamer,\s+vergaderjaar[^\n]*|\d{1,3})[ \t]*(?:\n|$)"
)
"""Page furniture that a PDF's text layer puts between the clauses (the page foot's id,
ISSN, printer's line, running foot, page number)."""
_PARTICLE_WORDS = frozenset(p.casefold() for p in PARTICLES)
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.)+$|^\([^)]*\)$")


def _fold(text: str) -> str:
    """Case- and accent-insensitive key ("JOVANOVIC" == "Jovanović")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _join_lines(text: str) -> str:
    """Join wrapped lines of one clause, undoing end-of-line hyphenation."""
    out = ""
    for line in text.splitlines():
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


# --------------------------------------------------------------------------- #
# Clauses


def _verb(clause: str, word: str) -> str:
    """The dictum verb with the particle that completes it ("roept … op" → "roept op")."""
    particles = DICTUM_VERBS.get(word.lower(), ())
    words = clause.split()
    try:
        at = next(i for i, w in enumerate(words) if w.lower() == word.lower())
    except StopIteration:
        return word.lower()
    for index, raw in enumerate(words[at + 1 : at + 16], start=at + 1):
        bare = raw.strip(",;:.").lower()
        pair = f"{bare} {words[index + 1].strip(',;:.').lower()}" if index + 1 < len(words) else ""
        if pair in particles:
            return f"{word.lower()} {pair}"
        if bare in particles:
            return f"{word.lower()} {bare}"
        if bare in _PARTICLE_STOPS or raw[-1:] in ",;:":
            break
    return word.lower()


def _clauses(body: str) -> tuple[tuple[str, ...], tuple[Dictum, ...]]:
    """Split the text between the preamble and the closing formula into clauses.

    A clause starts at the start of the body or after ";", "," or ":" (or a line break
    after one), with a consideration opener or a dictum verb; a layout that joined the
    lines into one paragraph splits the same way as the printed lines.
    """
    starts: list[tuple[int, str, str]] = []  # (offset, kind, verb word)
    for match in _OPENER_AT.finditer(body):
        at = match.end()
        before = body[:at].rstrip()
        gap = body[len(before) : at]
        # A clause ends in ";", "," or ":"; a paragraph break (or a line break after a
        # full stop, a slip of the pen for ";") ends one too.
        if (
            before
            and before[-1] not in ";,:"
            and not re.search(r"\n[ \t]*\n", gap)
            and not (before[-1] == "." and "\n" in gap)
        ):
            continue
        # A capitalised opener ("Verzoekt", "Constaterende") only at the start of a line.
        if body[at].isupper() and before and "\n" not in body[len(before) : at]:
            continue
        new_line = not before or "\n" in body[len(before) : at]
        request = _REQUEST.match(body, at)
        consideration = _CONSIDERATION.match(body, at)
        if request:
            starts.append((at, "r", request.group("verb")))
        elif consideration and (
            new_line or before[-1] in ";:" or re.match(r"\s*dat\b", body[consideration.end() :])
        ):
            # After a comma in running text only "…ende dat" opens a consideration:
            # "het staatshoofd, gelet op zijn positie, …" goes on.
            starts.append((at, "c", ""))
    considerations: list[str] = []
    dictum: list[Dictum] = []
    for index, (at, kind, word) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(body)
        clause = _join_lines(body[at:end])
        if not clause:
            continue
        if kind == "c":
            considerations.append(clause)
        else:
            dictum.append(Dictum(_verb(clause, word), clause))
    return tuple(considerations), tuple(dictum)


# --------------------------------------------------------------------------- #
# Title


@dataclass(frozen=True, slots=True)
class _Title:
    kind: str
    names: tuple[str, ...]
    cosigned: bool
    level: str | None
    replaces: str | None
    intro: str
    start: int
    end: int
    text: str


def _level(raw: str | None) -> str | None:
    if not raw or not raw.strip():
        return None
    words = raw.lower().split()
    if words[-1].startswith("gewijzigd"):
        words[-1] = "gewijzigd"
    else:  # "TWEEDE NADER MOTIE" lacks the participle
        words.append("gewijzigd")
    return " ".join(words)


def _find_title(text: str) -> _Title | None:
    """The first title of the motion or amendment: capitals preferred, sentence case after."""
    candidates = [
        m
        for m in _TITLE_HEAD.finditer(text[:6000])
        if m.group("kind").isupper()
        or not text[text.rfind("\n", 0, m.start()) + 1 : m.start()].strip()
    ]
    if not candidates:
        return None
    upper = [m for m in candidates if m.group("kind").isupper()]
    head = (upper or candidates)[0]
    rest = text[head.end() :]
    if head.group("kind").isupper():
        # A capitalised title goes on over lines without lower case.
        lines = rest.split("\n")
        names_text = lines[0]
        for line in lines[1:]:
            if not line.strip() or re.search(r"[a-zß-ÿ]", line):
                break
            names_text += "\n" + line
        lower = re.search(r"(?<=[A-ZÀ-Þ.\d])\s+(?=[A-Z]?[a-zß-ÿ])", names_text)
        if lower:  # a layout joined the title to the text after it
            names_text = names_text[: lower.start()]
    else:
        names_text = rest.split("\n")[0]
    stop = _TITLE_STOP.search(names_text)
    if stop:
        names_text = names_text[: stop.start()]
    end = head.end() + len(names_text)
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
    if replaces is None:
        after = _REPLACES.match(text, end)
        if after:
            replaces = after.group(1)
    names = tuple(n.strip(" .,;:") for n in _NAME_SPLIT.split(names_text) if n.strip(" .,;:"))
    kind = "amendement" if "amendement" in head.group("kind").lower() else "motie"
    return _Title(
        kind=kind,
        names=names,
        cosigned=cosigned,
        level=_level(head.group("level")),
        replaces=replaces,
        intro=head.group("intro"),
        start=head.start(),
        end=end,
        text=" ".join(text[head.start() : end].split()),
    )


# --------------------------------------------------------------------------- #
# Signatures


def _split_signature_line(line: str, known: list[str]) -> list[str]:
    """Names of one line that a layout joined ("Jansen Van der Berg Anna de Vries").

    A name starts at a capitalised word unless the word before is a lower-case particle
    (then it is the surname after "van", "de" …). Names the title spells out ("Jimmy
    Dijk") are taken whole first.
    """
    words = line.split()
    names: list[str] = []
    index = 0
    folded_known = sorted((_fold(k).split() for k in known), key=len, reverse=True)
    while index < len(words):
        for parts in folded_known:
            if len(parts) > 1 and [_fold(w) for w in words[index : index + len(parts)]] == parts:
                names.append(" ".join(words[index : index + len(parts)]))
                index += len(parts)
                break
        else:
            current = [words[index]]
            index += 1
            while index < len(words):
                word = words[index]
                previous = current[-1]
                joins = (
                    word[:1].islower()
                    or (
                        previous.lower() in _PARTICLE_WORDS
                        and (
                            previous[:1].islower() or (len(current) == 1 and previous[:1].isupper())
                        )
                    )
                    or bool(_INITIALS.match(previous))
                )
                if not joins:
                    break
                current.append(word)
                index += 1
            names.append(" ".join(current))
    return names


def _name_lines(lines: list[str], known: list[str]) -> list[str]:
    """The signature lines at the start of `lines`: one name a line as printed, or all
    names on one line where a layout joined them."""
    found: list[str] = []
    for raw in lines:
        line = " ".join(raw.replace(",", " ").split()).strip(".;")
        if not line:
            continue
        if _FURNITURE.match(line) or line[:1].isdigit():
            break
        if not _SIGNATURE.match(line):
            if found:
                break
            continue
        found.append(line)
    if len(found) == 1:
        return _split_signature_line(found[0], known)
    names: list[str] = []
    for line in found:
        names += [line] if len(line.split()) <= 4 else _split_signature_line(line, known)
    return names


def _signatures(text: str, kind: str, known: list[str]) -> list[str]:
    """Name lines after the closing formula (motion) or at the end (amendment)."""
    closings = list(_CLOSING.finditer(text))
    if closings:
        tail = text[closings[-1].end() :]
        # The footer of a text copy can follow the names on the same line.
        tail = re.split(r"(?i)\s(?=kst-\d|issn\b|tweede kamer,|eerste kamer,)", tail)[0]
        return _name_lines(tail.splitlines(), known)
    if kind != "amendement":
        return []
    explanation = list(_EXPLANATION.finditer(text))
    tail = text[explanation[-1].end() :] if explanation else text
    lines = [ln for ln in tail.splitlines() if ln.strip()]
    trailing: list[str] = []
    for line in reversed(lines):
        stripped = line.strip().strip(",.;").strip()
        if _FURNITURE.match(stripped) or stripped[:1].isdigit():
            trailing = []
            continue
        if _SIGNATURE.match(stripped) and stripped[:1].isupper():
            trailing.insert(0, line)
        elif trailing:
            break
    if not trailing and lines:
        # Names joined to the end of the last sentence of the explanation.
        last = lines[-1]
        cut = max(last.rfind(". "), last.rfind("; "))
        if cut >= 0 and _SIGNATURE.match(last[cut + 2 :].strip()):
            trailing = [last[cut + 2 :]]
    return _name_lines(trailing, known)


def official_names(submitters: str) -> list[str]:
    """The metadata's indieners ("J.J. van der Werf", "O.C. (Olger) van Dijk") as signed.

    The official list runs from the last signatory to the first; a signature carries the
    surname with its particles capitalised, or the first name where the record gives one.
    """
    names: list[str] = []
    for raw in reversed([n for n in submitters.split(";") if n.strip()]):
        first = re.search(r"\(([^)]+)\)", raw)
        words = [w for w in re.sub(r"\([^)]*\)", " ", raw).split() if not _INITIALS.match(w)]
        if not words:
            continue
        if first:
            names.append(" ".join([first.group(1).strip(), *words]))
        else:
            names.append(words[0][:1].upper() + words[0][1:] + "".join(" " + w for w in words[1:]))
    return names


def _restore_case(title_names: tuple[str, ...], signatures: list[str]) -> list[str]:
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
        elif (trimmed := _trim_to_signature(name, signatures)) is not None:
            restored.append(trimmed)
        else:
            restored.append(smart_title_name(name) if name.isupper() else name)
    return restored


def _trim_to_signature(name: str, signatures: list[str]) -> str | None:
    """A title name with a stray word before it ("HET ID SMIT", "LID SMIT"): the
    signature that its last words spell."""
    words = name.split()
    for start in range(1, len(words)):
        tail = _fold(" ".join(words[start:]))
        for signature in signatures:
            if fuzz.ratio(tail, _fold(signature)) >= 90:
                return signature
    return None


def _matches(name: str, signatures: list[str]) -> bool:
    return any(fuzz.ratio(_fold(name), _fold(s)) >= 85 for s in signatures)


# --------------------------------------------------------------------------- #
# Location and date


def _date(text: str, start: int = 0) -> datetime.date | None:
    """The "Voorgesteld" (motion) or "Ontvangen" (amendment) date after the title."""
    for proposed in _PROPOSED.finditer(text, max(0, start)):
        window = text[proposed.end() : proposed.end() + 200]
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
    dossier_match = _DOSSIER_LINE.search(header) or _DOSSIER_RUN.search(header)
    number_match = _NUMBER.search(text[: title_at + 40] if title_at > 0 else text[:1000])
    dossier: str | None = None
    if dossier_match:
        dossier = _dossier_id(
            dossier_match.group("main"), dossier_match.group("sub"), dossier_match.group("chapter")
        )
    return dossier, number_match.group("number") if number_match else None


_ARTICLE = re.compile(
    r"(?<![\w-])(?P<what>[Aa]rtikel\s+(?:[IVXLC]+|\d+(?:[.:]\d+)*[a-z]{0,2})\b"
    r"(?:,?\s+(?:(?:sub)?onderdeel\s+(?:[A-Z]{1,3}|\d+°?|[a-z]{1,2})\b|onder\s+[a-z\d]{1,3}\b"
    r"|(?:eerste|tweede|derde|vierde|vijfde|zesde|zevende|achtste|negende|tiende|\w+de)\s+lid\b))*"
    r"|(?<![\w-])(?:[Oo]nderdeel|[Bb]ijlage)\s+(?:[A-Z]{1,3}|\d+|[IVXLC]+)\b)"
)
"""What an amendment's instruction changes: "artikel 1, onderdeel A", "artikel 2.3, eerste lid"."""


def _changes(text: str, start: int) -> tuple[str, ...]:
    begin = _AMENDMENT_START.search(text, start)
    origin = begin.end() if begin else start
    explanation = _EXPLANATION.search(text, origin)
    part = text[origin : explanation.start() if explanation else len(text)]
    seen: list[str] = []
    for match in _ARTICLE.finditer(part):
        what = " ".join(match.group("what").split()).rstrip(",")
        what = what[0].lower() + what[1:]
        if what not in seen:
            seen.append(what)
    return tuple(seen)


# --------------------------------------------------------------------------- #
# Entry point


def printed_text(document: Document) -> str:
    """The document's blocks as printed, page furniture included: a text copy's layout
    sets the "Nr. 94" header and the footer id aside as furniture, and the motion's own
    number stands there. Where the layout joined printed lines into one paragraph (a
    text copy, a PDF), the line breaks are put back: the signature lines are one name
    each ("Danielle Jansen" is one name, "Tielen Jansen" two)."""
    source = document.source_text
    paragraphs: list[str] = []
    for block in document.blocks:
        if block.kind == "footnote":
            continue
        if document.source_kind == "xml" or len(block.text.source) != len(block.str):
            paragraphs.append(block.str)
            continue
        chars = list(block.str)
        offsets = block.text.source
        for i in range(1, len(chars) - 1):
            if (
                chars[i] == " "
                and 0 <= offsets[i - 1] < offsets[i + 1] <= len(source)
                and "\n" in source[offsets[i - 1] + 1 : offsets[i + 1]]
            ):
                chars[i] = "\n"
        paragraphs.append("".join(chars))
    return "\n\n".join(paragraphs)


def title_kind(head: str, body: str = "") -> str | None:
    """``motie`` or ``amendement`` when the head has a capitalised title of one; a title
    without "het lid" ("MOTIE VAN KOSTIĆ") only when the text has the form of one too."""
    title = _find_title(head)
    if title is None or not title.names or not title.text.split()[0].isupper():
        return None
    if not title.intro.strip() and _form_kind(head + "\n" + body) != title.kind:
        return None
    return title.kind


def _form_kind(text: str) -> str | None:
    """``motie`` or ``amendement`` from the document's form alone (its title unread)."""
    if _PREAMBLE_END.search(text[:3000]) and _CLOSING.search(text):
        return "motie"
    if _AMENDMENT_START.search(text[:3000]):
        return "amendement"
    return None


def parse_motion_document(
    text: str, metadata: Mapping[str, str] | None = None
) -> MotionDocument | None:
    """Parse a motion's or amendment's text; what the XML states (metadata) wins.

    None when the text is neither; a document with the form of a motion but a title that
    cannot be read still gets its dossier, number, date and clauses, and a warning.
    """
    meta = metadata or {}
    warnings: list[str] = []
    title = _find_title(text)
    if title is None and meta.get("title"):
        title = _find_title(meta["title"])
        title_at = -1
    else:
        title_at = title.start if title else -1
    stated_kind = meta.get("doc_type") if meta.get("doc_type") in {"motie", "amendement"} else None
    kind = title.kind if title else stated_kind or _form_kind(text)
    if kind is None:
        return None

    signatures = [s for s in meta.get("signatories", "").split(";") if s.strip()]
    known = list(title.names) if title else []
    if not signatures:
        signatures = _signatures(text, kind, known)
    if not signatures and meta.get("submitters_official"):
        signatures = official_names(meta["submitters_official"])

    # "MOTIE VAN KOSTIĆ": without "het lid" the name must be one that signed.
    if (
        title is not None
        and not title.intro.strip()
        and (not title.names or not _matches(title.names[0], signatures))
    ):
        title = None
        kind = stated_kind or _form_kind(text)
        if kind is None:
            return None
    names: tuple[str, ...] = title.names if title else ()
    if title is not None and title.intro.strip().lower() in {"de", "het"} and signatures:
        # "MOTIE VAN DE JONG" lost its "het lid": the article may be the name's particle.
        with_article = (f"{title.intro.strip()} {names[0]}", *names[1:]) if names else names
        if names and not _matches(names[0], signatures) and _matches(with_article[0], signatures):
            names = with_article
    if title is None or not names:
        warnings.append("title names no submitters: " + (title.text if title else "no title"))
    submitters = tuple(_restore_case(names, signatures))

    dossier, number = _location(text, title_at)
    dossier = meta.get("dossier") or dossier
    number = meta.get("number") or number
    kamerstuk = meta.get("kamerstuk") or (f"kst-{dossier}-{number}" if dossier and number else None)
    date = _date(text, title_at)
    if meta.get("date"):
        with contextlib.suppress(ValueError):
            date = datetime.date.fromisoformat(meta["date"])
    for name, value in (("dossier", dossier), ("number", number), ("date", date)):
        if value is None:
            warnings.append(f"no {name} found")

    considerations: tuple[str, ...] = ()
    dictum: tuple[Dictum, ...] = ()
    changes: tuple[str, ...] = ()
    begin = title.end if title and title_at >= 0 else 0
    if kind == "motie":
        preamble = _PREAMBLE_END.search(text, begin)
        start = preamble.end() if preamble else begin
        closing = _CLOSING.search(text, start)
        body = _FURNITURE_LINE.sub("", text[start : closing.start() if closing else len(text)])
        considerations, dictum = _clauses(body)
        if not dictum:
            warnings.append("no dictum found")
    else:
        changes = _changes(text, begin)
        if not changes:
            warnings.append("no article or onderdeel found that the amendment changes")

    return MotionDocument(
        submitters=submitters,
        cosigned=title.cosigned if title else False,
        dossier=dossier,
        number=number,
        kamerstuk=kamerstuk,
        date=date,
        considerations=considerations,
        requests=tuple(d.text for d in dictum),
        amended=bool(title and (title.level or title.replaces)),
        signatories=tuple(signatures),
        replaces=title.replaces if title else None,
        amendment_level=title.level if title else None,
        dictum=dictum,
        kind=kind,
        title=(title.text if title and title_at >= 0 else None) or meta.get("title") or None,
        changes=changes,
        warnings=tuple(warnings),
    )
