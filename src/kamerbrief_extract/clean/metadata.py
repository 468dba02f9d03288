"""Document metadata (ANNOTATION.md §1) from the blocks: colofon, dateline, title, signature.

What the container states (XML elements, a PDF's colofon column) comes first; the
running text only fills what it leaves open. The sender is read from the
signature block as Dutch officialdom writes it — the office, a comma, maybe
"namens deze" and a second office, then the name (or the name first, the office
under it) — and for answers to Kamervragen from "Antwoord van Minister X (…)".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from babel.dates import get_month_names

from kamerbrief_extract.document import CONTENT_KINDS, Block, Document
from kamerbrief_extract.extract.motion_document import title_kind
from kamerbrief_extract.layout.engine import COLOFON_LABELS


@lru_cache(maxsize=1)
def dutch_months() -> dict[str, int]:
    """Month names and their usual abbreviations, from babel's Dutch locale data."""
    months: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for number, name in get_month_names(width, locale="nl").items():
            months[name.lower().rstrip(".")] = number
    months["sept"] = 9
    return months


_DATE = re.compile(
    r"\b(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,10})\.?\s+(?P<year>(?:19|20)\d{2})\b"
)
_NUMERIC_DATE = re.compile(r"\b(?P<day>\d{1,2})-(?P<month>\d{1,2})-(?P<year>(?:19|20)\d{2})\b")


_DATE_LABEL = re.compile(
    r"\bDatum\s*:?\s+(?P<day>\d{1,2})\s+(?P<month>[a-z]{3,10})\.?\s+"
    r"(?P<year>(?:19|20)\d{2})\d?\b"
)


def parse_numeric_date(text: str) -> dt.date | None:
    """First `22-05-2023` date in text (news and press pages print dates this way)."""
    for match in _NUMERIC_DATE.finditer(text):
        try:
            return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            continue
    return None


def parse_dutch_date(text: str) -> dt.date | None:
    """First `22 mei 2023`-style date in text."""
    for match in _DATE.finditer(text):
        month = dutch_months().get(match.group("month").lower())
        if month is None:
            continue
        try:
            return dt.date(int(match.group("year")), month, int(match.group("day")))
        except ValueError:
            continue
    return None


# --------------------------------------------------------------------------- #
# Signature


_OFFICE_WORDS = (
    r"minister(?:-president)?|staatssecretaris|secretaris-generaal|ministerie|"
    r"directeur(?:[- ]generaal)?|plaatsvervangend\s+directeur(?:[- ]generaal)?|"
    r"teammanager|afdelingshoofd|hoofd|burgemeester|commissaris"
)
# The office ends at a comma, colon or line end; a ministry name may hold a comma
# ("Volksgezondheid, Welzijn en Sport"), and a second office may follow one
# ("De Minister-President, Minister van Algemene Zaken").
_OFFICE = re.compile(
    # at a line's start, or after the closing formula; never inside a sentence
    rf"(?:(?<=\n)|^|(?<=(?i:hoogachtend),\s)|(?<=(?i:hoogachtend),))\s*"
    rf"(?P<office>(?:(?i:de|het)\s+)?(?i:{_OFFICE_WORDS})\b[^,\n]{{0,110}}?"
    r"(?:,\s+[A-Z][\w-]+\s+en\s+[A-Z][\w-]+)?"
    rf"(?:,\s+(?i:minister|staatssecretaris)\s+(?:van|voor)\s+[^,\n]{{1,80}}?)?)"
    r"\s*(?:[,:]|\n|$)"
)
_ON_BEHALF = re.compile(r"^\s*namens\s+(?:deze|dezen|haar|hem)\s*[,:;.]?\s*", re.IGNORECASE)
_TITLES = r"(?:(?i:drs|mr|dr|ir|ing|prof|ds|mevr|mevrouw|dhr|de\s+heer)\.?,?\s+)"
_PARTICLES = r"(?:(?:van|de|der|den|te|ten|ter|in\s+'t|in\s+’t|'t|’t|du|la|le|da|di|el|al)\s+)"
_NAME_WORD = r"[A-ZÀ-ÝĆČŞŽ][a-zà-ÿćčşžğı’'`]+(?:-[A-ZÀ-Ýa-zà-ÿ][a-zà-ÿćčşžğı’'`]+)*"
_INITIALS = r"(?:[A-ZÀ-Ý][a-z]{0,2}\.\s?-?){1,6}"
_LOOSE_INITIALS = r"(?:[A-ZÀ-Ý][a-z]{0,2}\.\s?-?){1,6}|[A-Z]{2,4}\.\s?"
"""Initials as OCR may leave them: "GJ." for "G.J."."""
_ROLE_WORDS = (
    r"(?i:minister|staatssecretaris|directeur|teammanager|manager|hoofd|afdeling|bijlage|"
    r"bijlagen|pagina|kopie|noten|voetnoten|secretaris|coördinator|coordinator|adviseur|"
    r"plaatsvervangend|senior|beleidsmedewerker|ministerie|rijksdienst|dienst)"
)
_NAME = re.compile(
    rf"^\s*(?P<title>{_TITLES}*)"
    rf"(?P<name>(?:{_INITIALS}\s?|(?:{_NAME_WORD}\s+){{1,2}}(?={_PARTICLES}*{_NAME_WORD}))?"
    rf"{_PARTICLES}*(?:[Vv]an\s+|[Dd]e\s+)*{_NAME_WORD}"
    rf"(?:[ ](?!{_ROLE_WORDS}\b){_NAME_WORD})?)"
    r"(?=\s|$|[,.;])"
)
_INITIALLED_NAME = re.compile(
    rf"(?<![\w.])(?P<title>{_TITLES}*)"
    rf"(?P<name>(?:{_LOOSE_INITIALS})\s?{_PARTICLES}*(?:[Vv]an\s+|[Dd]e\s+)*{_NAME_WORD}"
    rf"(?:[ ](?!{_ROLE_WORDS}\b){_NAME_WORD})?)"
    r"(?=\s|$|[,.;])"
)
"""A signer's name with initials, wherever it stands after the office ("Secretaris-
Generaal drs. G.J. Jansen", "Plv. Secretaris-Generaal dr. mr. L. de Vries")."""
_NOT_A_NAME = re.compile(
    r"^(?:bijlage|bijlagen|pagina|kopie|cc|noten|voetnoten|hoogachtend|directeur|minister|"
    r"staatssecretaris|ministerie|afdeling|team|teammanager|datum|kenmerk|postbus|namens|"
    r"hoofd|uw|de|het|een|dit|deze|en|met|tevens|mede|ons|onze|ik|wij|we|u|zij|hij|"
    r"voorzitter|secretaris|lid|leden|college|burgemeester|wethouder)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Signatory:
    name: str | None
    office: str | None
    ministry: str | None


_LOWER_IN_NAMES = frozenset({"en", "van", "voor", "de", "het", "der", "den"})


def _tidy_office(office: str) -> str:
    """The office as printed, whitespace folded; capitals ("DE MINISTER VAN …") in title
    case the way the office is written in running text ("De Minister van …")."""
    office = re.sub(r"\s+", " ", office).strip(" ,:")
    parts = []
    for part in office.split(", "):
        if part.isupper():
            words = part.lower().split()
            part = " ".join(
                w
                if (k and w in _LOWER_IN_NAMES)
                else "-".join(p[:1].upper() + p[1:] for p in w.split("-"))
                for k, w in enumerate(words)
            )
        parts.append(part[:1].upper() + part[1:])
    return ", ".join(parts)


def ministry_of(office: str | None) -> str | None:
    """'Financiën' from 'De Staatssecretaris van Financiën'; None for a non-ministerial office."""
    if not office:
        return None
    match = re.search(
        r"\b(?:minister|staatssecretaris|ministerie)\b(?:-president)?\s+(?:van|voor)\s+"
        r"(?P<m>[^,(–]+(?:,\s+[A-Z][\w-]+\s+en\s+[A-Z][\w-]+)?)",
        office,
        re.IGNORECASE,
    )
    if not match:
        return None
    ministry = re.split(r"\s*[(–]|\s+-\s+", match.group("m"))[0].strip(" ,")
    return ministry or None


_SENTENCE_GOES_ON = re.compile(rf"[ \t]+(?!{_ROLE_WORDS}\b)[a-zà-ÿ]")
"""A lower-case word after a "name" that is no office: the words run on as a sentence
("… namens deze, Bezwaar Heeft u vragen", "van de Awb. Overeenkomstig de Awb kan")."""


def _name_at(text: str) -> str | None:
    match = _NAME.match(text)
    if not match or _SENTENCE_GOES_ON.match(text, match.end()):
        return None
    return _checked_name(match.group("name"))


def _checked_name(raw: str) -> str | None:
    name = re.sub(r"\s+", " ", raw).strip()
    if _NOT_A_NAME.match(name) or re.search(r"\d", name):
        return None
    # OCR drops the dots between initials: "GJ. Jansen" is "G.J. Jansen".
    return re.sub(r"^([A-Z]{2,4})\.", lambda m: ".".join(m.group(1)) + ".", name)


def _signer_after(rest: str) -> str | None:
    """The name under an office: on the next line, or after a second office ("namens
    deze, de directeur X, drs. J. Jansen")."""
    found = _INITIALLED_NAME.search(rest[:160])
    if (
        found
        and not _SENTENCE_GOES_ON.match(rest, found.end())
        and (name := _checked_name(found.group("name")))
    ):
        return name
    return _name_at(rest)


def find_signatory(text: str) -> Signatory | None:
    """The signature of the closing: the office (on whose behalf, when "namens deze"
    follows) and the name of who signs — or the name with the office under it. Where
    two officials sign together, the first of them (the letter's lead)."""
    found = _signatures(text)
    if not found:
        return None
    k = len(found) - 1
    while k > 0 and found[k][0] - found[k - 1][1] <= _COSIGNED_GAP and found[k - 1][2].name:
        k -= 1
    return found[k][2]


_COSIGNED_GAP = 120
"""Characters at most between two signatures signed side by side or one under the other."""


def _signatures(text: str) -> list[tuple[int, int, Signatory]]:
    """Signatures in text order as (start, end, signatory); a "namens deze" signature
    ends the list (its first office is whom the letter is from)."""
    out: list[tuple[int, int, Signatory]] = []
    best: Signatory | None = None
    for match in _OFFICE.finditer(text):
        rest = text[match.end() :]
        office = _tidy_office(match.group("office"))
        behalf = _ON_BEHALF.match(rest)
        if behalf:
            rest = rest[behalf.end() :]
        elif office.lower().startswith("ministerie"):
            continue  # a ministry signs only through someone "namens deze"
        name = _signer_after(rest) if behalf else _name_at(rest)
        if name is None:
            before = text[: match.start()].rstrip()
            last_line = before.rsplit("\n", 1)[-1]
            name = _name_at(last_line) if len(last_line.split()) <= 5 else None
        if name is None and best is not None:
            continue
        best = Signatory(name, office, ministry_of(office))
        end = match.end() + (behalf.end() if behalf else 0) + len(name or "")
        if out and out[-1][2].name is None:
            out.pop()  # an office without a name gives way to the next signature
        out.append((match.start(), end, best))
        if behalf:
            break  # the first office of "X, namens deze, Y" is whom the letter is from
    return out


_SERIAL_LABEL = re.compile(r"^(?:fiche|bijlage|annex)\s+\d+\s*[:.–-]\s+(?=\S)", re.IGNORECASE)


def _tidy_subject(subject: str) -> str:
    """The subject without the serial label of a series it stands in ("Fiche 1: …")."""
    subject = re.sub(r"\s+", " ", subject).strip()
    return _SERIAL_LABEL.sub("", subject) or subject


def _signature_text(document: Document) -> str:
    """The closing of the document: its signature blocks, else its last content blocks."""
    signed = [b.str for b in document.blocks if b.kind == "signature"]
    if signed:
        return "\n".join(signed)
    body = [b for b in document.blocks if b.kind in {"paragraph", "heading", "answer"}]
    return "\n".join(b.str for b in body[-_CLOSING_BLOCKS:])


_CLOSING_BLOCKS = 14
"""Content blocks at the end of a letter that its closing and signature stand in."""
_ANNEX_HEAD = re.compile(
    r"^\s*(?:Bijlage|BIJLAGE|Annex|ANNEX)\s+(?:\d{1,2}|[IVX]{1,4}|[A-Z])(?![\w.])\s*(?:[:.—–-]|\s|$)"
)
"""The head of an annex ("Bijlage 1 — Overzicht …") opening a page after the letter."""


def _closing_signatory(document: Document) -> Signatory | None:
    """Who signs: at the end of the document, or, when annexes follow the letter on
    their own pages ("Bijlage 1 — …", a Woo-besluit's lists), at the end of the letter."""
    found = find_signatory(_signature_text(document))
    if found is not None and found.name:
        return found
    from_source = _source_signatory(document)
    if from_source is not None:
        return from_source
    body = [b for b in document.blocks if b.kind in {"paragraph", "heading", "answer"}]
    pages_seen: set[int | None] = set()
    for k, block in enumerate(body):
        first_on_page = block.page not in pages_seen
        pages_seen.add(block.page)
        if k and first_on_page and (block.page or 1) > 1 and _ANNEX_HEAD.match(block.str):
            letter = "\n".join(b.str for b in body[max(0, k - _CLOSING_BLOCKS) : k])
            before = find_signatory(letter)
            if before is not None and before.name:
                return before
            break
    return found


_LABELLED_SUBJECT = re.compile(
    r"^[ \t]*(?:(?:Betreft|BETREFT|Onderwerp|ONDERWERP|Subject)[ \t]*:?"
    r"|(?:Nota[ \t]+)?\([ \t]*ter[ \t]+(?:beslissing|informatie|advisering|kennisname|"
    r"ondertekening|besluitvorming)[ \t]*\))[ \t]+(?P<value>[^\s:][^\n]*?)[ \t\r]*$",
    re.MULTILINE,
)
"""A subject on its label's line in the source: the colofon's "Betreft …", an e-mail's
"Subject: …", a nota's "(ter beslissing) …"; for when the layout ran the colofon into
the running text."""


def _first_page(document: Document) -> str:
    end = document.page_starts[1] if len(document.page_starts) > 1 else None
    return document.source_text[:end]


def _source_subject(document: Document) -> str | None:
    """The subject from the first page's source lines, where no block gave it a label."""
    first_page = _first_page(document)
    match = _LABELLED_SUBJECT.search(first_page)
    if match:
        return match["value"]
    return _label_column(first_page).get("subject")


_LABEL_ONLY = re.compile(
    r"^[ \t]*(?P<label>"
    + "|".join(re.escape(k) for k in sorted(COLOFON_LABELS, key=len, reverse=True))
    + r")[ \t]*:?[ \t\r]*$",
    re.IGNORECASE,
)


def _label_column(text: str) -> dict[str, str]:
    """Colofon fields of a copy that printed the labels as one column and their values as
    the next ("Datum\nBetreft\n\n22 mei 2023\nOnderwerp van de brief"): the run of
    label lines, a blank line, then as many value lines, paired in order."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        j = i
        keys: list[str] = []
        while j < len(lines) and (m := _LABEL_ONLY.match(lines[j])):
            keys.append(COLOFON_LABELS[re.sub(r"\s+", " ", m["label"].lower())])
            j += 1
        k = j
        while k < len(lines) and not lines[k].strip():
            k += 1
        values = [v.strip() for v in lines[k : k + len(keys)]]
        if (
            len(keys) >= 2
            and k > j
            and len(values) == len(keys)
            and all(v and not _LABEL_ONLY.match(v) for v in values)
        ):
            return dict(zip(keys, values, strict=True))
        i = max(j, i + 1)
    return {}


_KENMERK_LINES = re.compile(
    r"^[ \t]*(?:Ons[ \t]+kenmerk|Onze[ \t]+referentie|Kenmerk)[ \t]*:?[ \t\r]*\n"
    r"[ \t]*(?P<value>(?=[^\n]*\d)[\w/.-]+(?:[ \t]+[\w/.-]+){0,4})[ \t\r]*$",
    re.MULTILINE | re.IGNORECASE,
)
_LONE_CHARACTER = re.compile(r"(\w)(?<![\w/]\w) (?=\w)")


def _source_kenmerk(document: Document) -> str | None:
    """ "Ons kenmerk" with its value on the next line of the first page's source; the
    spaces a copy put between letters ("I E NW/BSK-1") are taken out."""
    match = _KENMERK_LINES.search(_first_page(document))
    if match is None:
        return None
    value = match["value"]
    if not re.search(r"\s/\s", value):
        value = _LONE_CHARACTER.sub(r"\1", value)
    return value if not re.search(r"\s", value) or re.search(r"\s/\s", value) else None


_CLOSING_FORMULA = re.compile(
    r"^[ \t]*(?:Hoogachtend|Met[ \t]+(?:vriendelijke|hoogachtende)[ \t]+groet(?:en)?),?[ \t\r]*$",
    re.MULTILINE | re.IGNORECASE,
)


def _source_signatory(document: Document) -> Signatory | None:
    """The signature read from the source lines under the last closing formula, where the
    layout put the signer's name in another block (a note zone, the colofon)."""
    closings = list(_CLOSING_FORMULA.finditer(document.source_text))
    if not closings:
        return None
    last = closings[-1]
    found = find_signatory(document.source_text[last.end() : last.end() + 400])
    return found if found is not None and found.name else None


_PAGE_IN_HEAD = re.compile(r"^\s*\d{1,4}\s*[|·•–-]?\s*|\s*[|·•–-]?\s*\d{1,4}\s*$")


def _cover_title(document: Document) -> str | None:
    """A publication's title: the cover's first line, repeated in the running heads
    of its pages ("AI Toolkit" on the cover, "2 | AI Toolkit" over page 2)."""
    heads = [
        _PAGE_IN_HEAD.sub("", b.str).strip()
        for b in document.blocks
        if b.kind == "furniture" and b.label == "running head"
    ]
    repeated = {h for h in heads if heads.count(h) >= 2 and re.search(r"[^\W\d_]{2}", h)}
    first = next((b for b in document.blocks if b.kind in CONTENT_KINDS), None)
    if first is None or first.page not in (None, 1):
        return None
    opening = first.str.split("\n", 1)[0]
    return next((h for h in repeated if opening == h or opening.startswith(h + " ")), None)


# --------------------------------------------------------------------------- #
# Kamervragen


_ASKERS = re.compile(
    r"Vragen\s+van\s+(?:het\s+lid|de\s+leden)\s+(?P<names>.+?)\s+aan\s+(?:de|het)\s+"
    r"(?P<to>.+?)(?:\s+over\s+(?P<subject>.+?))?\s*\(\s*ingezonden\s+(?P<date>[^)]+)\)",
    re.DOTALL,
)
_ANSWER = re.compile(
    r"Antwoord\s+van\s+(?:de\s+)?(?P<office>[Mm]inister(?:-[Pp]resident)?|"
    r"[Ss]taatssecretaris)(?:\s+(?:van|voor)\s+[^()]+?)?\s+(?P<name>[^()]+?)\s*"
    r"\((?P<ministry>[^)]+)\)(?P<rest>.{0,200}?)\(\s*ontvangen\s+(?P<date>[^)]+)\)",
    re.DOTALL,
)
_PARTY = re.compile(r"\s*\([^)]*\)")


@dataclass(frozen=True, slots=True)
class KamervragenHead:
    askers: list[str]
    asked: dt.date | None
    subject: str | None
    answered_by: str | None
    office: str | None
    ministry: str | None
    answered: dt.date | None


def read_kamervragen_head(text: str) -> KamervragenHead | None:
    """Who asked whom about what and when, and who answered when (Aanhangsel heads)."""
    ask = _ASKERS.search(text)
    if not ask:
        return None
    names = _PARTY.sub("", ask.group("names"))
    askers = [n.strip() for n in re.split(r",\s*|\s+en\s+", names) if n.strip()]
    answer = _ANSWER.search(text, ask.end())
    answered_by = office = ministry = None
    answered = None
    if answer:
        answered_by = re.sub(r"\s+", " ", answer.group("name")).strip()
        ministry = re.split(r"\s+[–-]\s+", answer.group("ministry"))[0].strip()
        ministry = re.sub(r"\s+", " ", ministry)
        office = f"{answer.group('office').capitalize()} van {ministry}"
        answered = parse_dutch_date(answer.group("date"))
    subject = ask.group("subject")
    return KamervragenHead(
        askers,
        parse_dutch_date(ask.group("date")),
        re.sub(r"\s+", " ", subject).strip() if subject else None,
        answered_by,
        office,
        ministry,
        answered,
    )


# --------------------------------------------------------------------------- #
# Document type


_OWN_KAMERSTUK = re.compile(
    r"^\s*(?P<dossier>\d{2}\s?\d{3}(?:-[A-Z0-9]{1,4}|\s[IVXL]{1,5})?)\b.{0,120}?\n"
    r"(?:.*\n){0,3}?\s*Nr\.\s*(?P<number>\d{1,4})\b",
    re.MULTILINE,
)
_TYPE_TITLE = re.compile(
    r"^\s*(?:Nr\.\s*\d+\s+)?(?:[A-Z]+\s+){0,3}(?:BRIEF|MOTIE|AMENDEMENT|VERSLAG|NOTA|MEMORIE|"
    r"VOORSTEL|GEWIJZIGD)\b"
)
_OWN_AANHANGSEL = re.compile(r"\b(?:ah|h)[ -]tk[ -](?P<year>\d{8})[ -](?P<n>\d{1,5})\b")
"""The Aanhangsel's own id in its page foot: "ah-tk-20232024-1786" (a text copy may print
it as "h tk 20232024 387")."""
_DOC_LABELS = {
    "nota": "beslisnota",
    "beslisnota": "beslisnota",
    "memo": "other",
    "notitie": "other",
    "persbericht": "persbericht",
    "nieuwsbericht": "persbericht",
    "motie": "motie",
    "brief": "brief",
}
_WOO = re.compile(
    r"\b(?:besluit|beslissing|beschikking)\s+op\s+(?:uw\s+|het\s+)?(?:bezwaar\s+)?"
    r"(?:\w+\s+){0,3}?(?:wob|woo)[- ]?verzoek|\b(?:wob|woo)-?besluit\b|\bdeelbesluit\b.{0,40}"
    r"\b(?:wob|woo)\b",
    re.IGNORECASE,
)
_BNC = re.compile(r"^\s*(?:BNC-)?Fiche\s*\d*\s*:|\bBNC-fiche\b", re.IGNORECASE | re.MULTILINE)
_DECISION_MEMO = re.compile(r"\((?i:ter\s+beslissing)\)|^\s*Beslispunten\b", re.MULTILINE)
"""A nota put to the minister for a decision ("(ter beslissing)", a "Beslispunten" part)."""
_CHAMBER = re.compile(r"\b(?:uw|de)\s+Kamer\b|Voorzitter van de (?:Tweede|Eerste) Kamer", re.I)


def guess_doc_type(document: Document, body: str, head: str) -> str:
    stated = document.metadata.get("doc_type")
    if stated and stated != "other":
        return stated
    label = next((b.str.strip().lower() for b in document.blocks if b.label == "doc_label"), None)
    if label:
        return _DOC_LABELS.get(label, "other")
    kind = title_kind(head, body)
    if kind:
        return kind
    if re.search(r"^\s*(?:Pers|Nieuws)bericht\b", head[:400], re.I | re.M):
        return "persbericht"
    if _ASKERS.search(head) or re.search(r"Aanhangsel van de Handelingen", head):
        return "kamervragen"
    if _BNC.search(head[:600]):
        return "bnc-fiche"
    subject = " ".join(b.str for b in document.blocks if b.kind in {"colofon", "title"})
    if _WOO.search(subject) or _WOO.search(head[:1500]):
        return "woo-besluit"
    title = next((b.str for b in document.blocks if b.kind == "title"), "")
    if re.match(r"(?i)(beslis)?nota\b", title) or _DECISION_MEMO.search(head[:2500]):
        return "beslisnota"
    if stated:
        return stated
    chamber = _CHAMBER.search(body)
    signed = _closing_signatory(document)
    dated = any(b.kind == "dateline" for b in document.blocks) or any(
        b.kind == "colofon" and b.label == "date_text" for b in document.blocks
    )
    if chamber and (signed or dated):
        return "brief"
    return "other"


# --------------------------------------------------------------------------- #
# Everything together


def _colofon(document: Document) -> dict[str, str]:
    out: dict[str, str] = {}
    for block in document.blocks:
        if block.kind == "colofon" and block.label and block.label not in out:
            out[block.label] = block.str
    return out


def _colofon_page(document: Document, label: str) -> int | None:
    block = next((b for b in document.blocks if b.kind == "colofon" and b.label == label), None)
    return block.page if block is not None else None


def _first(document: Document, kind: str) -> Block | None:
    return next((b for b in document.blocks if b.kind == kind), None)


def extract_metadata(document: Document, body: str) -> dict[str, str | None]:
    """Metadata as ANNOTATION.md §1 names it; values the document does not state are None."""
    colofon = _colofon(document)
    head = document.text[:4000]
    dateline = _first(document, "dateline")
    date = None
    for text in (colofon.get("date_text"), dateline.str if dateline else None):
        if text and (date := parse_dutch_date(text)):
            break
    doc_type = guess_doc_type(document, body, head)
    if date is None and (label := _DATE_LABEL.search(head)):
        # "Datum 22 november 2021" run into one line with the other colofon fields (an
        # OCR layer's reading order); a raised marker may be glued to the year.
        date = parse_dutch_date(f"{label['day']} {label['month']} {label['year']}")
    if date is None:
        voorgesteld = re.search(r"Voorgesteld\s+(\d{1,2}\s+\w+\s+\d{4})", head)
        if voorgesteld:
            date = parse_dutch_date(voorgesteld.group(1))
        elif doc_type not in _UNDATED_TYPES:
            date = parse_dutch_date(body[:1500]) or parse_numeric_date(head[:600])
    kenmerk = colofon.get("kenmerk")
    if _colofon_page(document, "kenmerk") not in (None, 1) or kenmerk is None:
        kenmerk = _source_kenmerk(document) or kenmerk  # the first page's own kenmerk first
    if kenmerk:
        # "A / B" as printed; a space on one side only is a text layer's kerning ("A/ B").
        kenmerk = re.sub(r"(?<=\S)\s+/(?=\S)|(?<=\S)/\s+", "/", kenmerk.strip())
        kenmerk = re.sub(r"\s+/\s+", " / ", kenmerk)
        kenmerk = re.sub(r"\s+", "", kenmerk) if re.fullmatch(r"[\d\s]+", kenmerk) else kenmerk
    signatory = _closing_signatory(document)
    own = _OWN_KAMERSTUK.search(head[:1500])
    kamerstuk = None
    if own:
        dossier = re.sub(r"\s+", "", own.group("dossier"))
        roman = re.search(r"\s([IVXL]{1,5})$", own.group("dossier"))
        if roman:
            dossier = (
                re.sub(r"\s+", "", own.group("dossier")[: roman.start()]) + "-" + roman.group(1)
            )
        kamerstuk = f"kst-{dossier}-{own.group('number')}"
    elif doc_type == "kamervragen" and (aanhangsel := _OWN_AANHANGSEL.search(document.source_text)):
        kamerstuk = f"ah-tk-{aanhangsel['year']}-{aanhangsel['n']}"
    title = _first(document, "title")
    if title is not None and _TYPE_TITLE.match(title.str):
        title = None  # "BRIEF VAN DE MINISTER …" names the kind of stuk, not its subject
    subject = colofon.get("subject") or (title.str if title else None)
    sender = signatory.name if signatory else None
    office = signatory.office if signatory else None
    ministry = signatory.ministry if signatory else None
    if doc_type == "kamervragen" and (qa := read_kamervragen_head(head)):
        sender, office, ministry = qa.answered_by, qa.office, qa.ministry
        subject = qa.subject or subject
        date = qa.answered or date
    if subject is None and doc_type in {"persbericht", "bnc-fiche"}:
        headlines = [
            b.str
            for b in document.blocks
            if b.kind == "letterhead"
            and b.label != "doc_label"
            and not re.search(r"(?i)bericht\b", b.str)
        ]
        subject = headlines[0] if headlines else None
    if subject is None:
        subject = _source_subject(document) or _cover_title(document)
    if ministry is None:
        ministry = _letterhead_ministry(document) or _named_ministry(body[:3000])
    meta: dict[str, str | None] = {
        "date": date.isoformat() if date else None,
        "doc_type": doc_type,
        "subject": _tidy_subject(subject) if subject else None,
        "sender": sender,
        "sender_office": office,
        "ministry": ministry,
        "kamerstuk": kamerstuk,
        "kenmerk": kenmerk,
    }
    # What the container states outright beats a reading of the running text.
    for key, value in document.metadata.items():
        if key in meta and value:
            meta[key] = value
    return meta


_UNDATED_TYPES = frozenset({"bnc-fiche", "kamervragen", "handelingen"})
"""Types whose first dates in the running text are not the document's own date."""

_RESPONSIBLE_MINISTRY = re.compile(
    r"(?i:verantwoordelijk\s+ministerie)\s*:?\s*Ministerie\s+van\s+"
    r"(?P<m>[A-Z][^\n.;]{2,80}?)(?=\s+[a-z]\)|\s*$|\n|\s+[A-Z]\w*\s+[a-z])"
)


def _named_ministry(text: str) -> str | None:
    """A fiche's "Eerstverantwoordelijk ministerie: Ministerie van Financiën"."""
    match = _RESPONSIBLE_MINISTRY.search(text)
    return match.group("m").strip(" ,") if match else None


def _letterhead_ministry(document: Document) -> str | None:
    """'Infrastructuur en Waterstaat' from a "Ministerie van …" letterhead or colofon: the
    name runs on over the next lines until an address or a label."""
    for block in document.blocks:
        if block.kind not in {"furniture", "letterhead", "colofon"}:
            continue
        lines = block.str.split("\n")
        for i, line in enumerate(lines):
            match = re.match(r"^\s*Ministerie\s+van\s+(?P<m>.*?)\s*$", line)
            if not match:
                continue
            parts = [match.group("m")]
            for more in lines[i + 1 :]:
                if re.search(r"\d|@|^\s*(?:postbus|retouradres)\b", more, re.I) or not more.strip():
                    break
                parts.append(more.strip())
            name = " ".join(p for p in parts if p).strip(" ,")
            if name:
                return name
    return None
