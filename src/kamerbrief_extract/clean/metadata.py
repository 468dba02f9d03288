"""Letter metadata (ANNOTATION.md §1) from the colofon, dateline, title and signature."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from babel.dates import get_month_names

from kamerbrief_extract.clean.layout import Layout


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


# Closing formula: "De Minister van Justitie en Veiligheid," then the signatory's name.
_SIGNATURE = re.compile(
    r"(?:^|\n|\s)(?:De|de|Het|het)\s+(?:[Mm]inister(?:-[Pp]resident)?|[Ss]taatssecretaris|"
    r"[Ss]ecretaris-[Gg]eneraal|[Dd]irecteur(?:-[Gg]eneraal)?)\b[^,\n]{0,90},\s*"
    r"(?P<name>(?:[A-Z][a-z]?\.\s?){1,4}\s?(?:(?:[Vv]an|[Dd]e[nr]?|[Tt]e[nr]?|[Ii]n|'t)\s+)*"
    r"[A-ZÀ-Ý][\w’'-]+(?:[ ]+(?!Bijlage|Pagina|Kopie|Cc\b|Noten|Voetnoten)[A-ZÀ-Ý][\w’'-]+)?)"
    r"(?=\s|$)"
)
_OWN_KAMERSTUK = re.compile(
    r"^\s*(?P<dossier>\d{2}\s?\d{3}(?:-[A-Z0-9]{1,4}|\s[IVXL]{1,5})?)\b.{0,120}?\n"
    r"(?:.*\n){0,3}?\s*Nr\.\s*(?P<number>\d{1,4})\b",
    re.MULTILINE,
)
_DOC_TYPES = {
    "nota": "beslisnota",
    "beslisnota": "beslisnota",
    "memo": "other",
    "notitie": "other",
    "persbericht": "persbericht",
    "nieuwsbericht": "persbericht",
    "motie": "motie",
    "brief": "brief",
}


def guess_doc_type(layout: Layout, body: str, raw_head: str = "") -> str:
    head = body[:600]
    if layout.doc_label:
        return _DOC_TYPES.get(layout.doc_label, "other")
    # A motion's title stands in the document head, which cleaning sets aside as letterhead.
    if re.search(r"\b(?:GEWIJZIGDE )?MOTIE VAN (?:HET LID|DE LEDEN)\b", raw_head + body[:2000]):
        return "motie"
    if re.search(r"^\s*(?:Pers|Nieuws)bericht\b", raw_head[:400] + "\n" + head, re.I | re.M):
        return "persbericht"
    if layout.title and re.match(r"(?i)(beslis)?nota\b", layout.title):
        return "beslisnota"
    chamber = re.search(r"\b(?:uw|de)\s+Kamer\b|Voorzitter van de (?:Tweede|Eerste) Kamer", body)
    signed = _SIGNATURE.search(body[-3000:])
    if chamber and (signed or layout.dateline or layout.colofon.get("date_text")):
        return "brief"
    return "other"


def extract_metadata(layout: Layout, body: str, raw_head: str) -> dict[str, str | None]:
    """Metadata as ANNOTATION.md §1 names it; values the document does not state are None."""
    date = None
    for text in (layout.colofon.get("date_text"), layout.dateline):
        if text and (date := parse_dutch_date(text)):
            break
    if date is None:
        voorgesteld = re.search(r"Voorgesteld\s+(\d{1,2}\s+\w+\s+\d{4})", raw_head + body[:3000])
        date = parse_dutch_date(voorgesteld.group(1) if voorgesteld else body[:1500])
    if date is None:
        date = parse_numeric_date(raw_head[:600])
    kenmerk = layout.colofon.get("kenmerk")
    kenmerk_digits = re.sub(r"\s+", "", kenmerk) if kenmerk else None
    if kenmerk_digits and re.fullmatch(r"[\d\s]+", kenmerk or ""):
        kenmerk_digits = re.sub(r"\D", "", kenmerk_digits)
    signed = None
    for match in _SIGNATURE.finditer(body[-4000:]):
        signed = match.group("name").strip()
    own = _OWN_KAMERSTUK.search(raw_head[:1500])
    kamerstuk = None
    if own:
        dossier = re.sub(r"\s+", "", own.group("dossier"))
        roman = re.search(r"\s([IVXL]{1,5})$", own.group("dossier"))
        if roman:
            dossier = (
                re.sub(r"\s+", "", own.group("dossier")[: roman.start()]) + "-" + roman.group(1)
            )
        kamerstuk = f"kst-{dossier}-{own.group('number')}"
    subject = layout.colofon.get("subject") or layout.title
    doc_type = guess_doc_type(layout, body, raw_head)
    if subject is None and doc_type == "persbericht":  # the headline under "Persbericht | date"
        headlines = [h for h in layout.header_lines if not re.search(r"(?i)bericht\b", h)]
        subject = headlines[0] if headlines else None
    return {
        "date": date.isoformat() if date else None,
        "doc_type": doc_type,
        "subject": subject,
        "sender": signed,
        "kamerstuk": kamerstuk,
        "kenmerk": kenmerk_digits,
    }
