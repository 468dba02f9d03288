"""Kamerstukken in the officielebekendmakingen XML format (``kst-*.xml``).

The XML is the only form of a Kamerstuk that keeps its structure: dossier and
sub-number, the proposal date as ISO, footnotes at the place of their marker and
links to the documents it cites. We render it to layout text (one paragraph per
``<al>``, blank line between paragraphs, footnote texts at the end) so that the
same extractors work on XML, PDF and plain text, and we hand the structure over
as metadata.

The files come from outside, so they are parsed with ``defusedxml``: a DTD, an
entity declaration or an external reference is refused with an `IngestError`
before anything is expanded or fetched.

Metadata keys (all strings): ``date`` (ISO), ``doc_type`` (``motie``, ``brief``,
``other``), ``doc_type_official`` (the publisher's own type, when stated),
``kamerstuk`` (``kst-21501-02-2807``), ``dossier`` (``21501-02``, ``36600-VI``),
``number``, ``vergaderjaar`` (``2024-2025``), ``title`` (the stuk title),
``subject`` (the dossier title), ``other_dossiers`` (``;``-separated, for a stuk
filed in several dossiers), ``submitters_official`` (``;``-separated
``OVERHEIDop.indiener`` names, when the full metadata is present), ``extrefs``
(JSON list of ``{"doc", "text", "start", "end"}`` with offsets into the text),
``metadata_record`` (URL of the external metadata, when only linked).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from kamerbrief_extract.ingest.base import IngestedText
from kamerbrief_extract.ingest.errors import IngestError

MAX_BYTES = 20 * 1024 * 1024
"""A Kamerstuk's XML is kilobytes to a few megabytes; anything larger is refused."""

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

_PARAGRAPH_TAGS = frozenset({"al", "tussenkop", "tekstregel", "datumtekst", "stuknr"})
"""Elements rendered as one paragraph each (their inline content flattened)."""

_SKIP_TAGS = frozenset({"metadata", "meta", "kamerstukkop"})
"""Handled separately (``kamerstukkop`` becomes the first two header lines)."""

_SPACE = re.compile(r"\s+")

_DOC_TYPES: tuple[tuple[str, str], ...] = (
    ("gewijzigde motie", "motie"),
    ("motie", "motie"),
    ("brief", "brief"),
)
"""Title or official-type prefix (lower case) → our ``doc_type``."""


@dataclass(slots=True)
class _Renderer:
    """Accumulates paragraphs, footnotes and extrefs while walking the tree."""

    paragraphs: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    extrefs: list[tuple[str, str, int, int]] = field(default_factory=list)
    """(doc id, text, paragraph index or -1 inside a footnote, offset in the paragraph)."""
    note_depth: int = 0

    def inline(self, el: Element, parts: list[str]) -> None:
        """Flatten an element's inline content into ``parts``."""
        if el.text:
            parts.append(el.text)
        for child in el:
            tag = _local(child.tag)
            if tag == "noot":
                self._note(child, parts)
            elif tag == "extref":
                text = _flat(child)
                offset = len(_SPACE.sub(" ", "".join(parts)).lstrip())
                index = -1 if self.note_depth else len(self.paragraphs)
                self.extrefs.append((child.get("doc", ""), text, index, offset))
                parts.append(text)
            elif tag in {"li.nr"}:
                parts.append(_flat(child) + " ")
            else:
                self.inline(child, parts)
            if child.tail:
                parts.append(child.tail)

    def _note(self, note: Element, parts: list[str]) -> None:
        number = ""
        texts: list[str] = []
        self.note_depth += 1
        for child in note:
            if _local(child.tag) == "noot.nr":
                number = _flat(child)
            else:
                sub: list[str] = []
                self.inline(child, sub)
                texts.append(_clean("".join(sub)))
        self.note_depth -= 1
        if not number:
            number = str(len(self.notes) + 1)
        parts.append(number.translate(SUPERSCRIPT))
        self.notes.append((number, " ".join(t for t in texts if t)))

    def paragraph(self, el: Element, prefix: str = "") -> None:
        parts: list[str] = [prefix]
        self.inline(el, parts)
        text = _clean("".join(parts))
        if text:
            self.paragraphs.append(text)

    def walk(self, el: Element, prefix: str = "") -> None:
        """Render block content in document order."""
        tag = _local(el.tag)
        if tag in _SKIP_TAGS:
            return
        if tag == "dossier":
            self.paragraphs.append(_dossier_line(el))
            return
        if tag in _PARAGRAPH_TAGS or tag == "titel":
            self.paragraph(el, prefix)
            return
        if tag == "li":
            marker = ""
            for child in el:
                if _local(child.tag) == "li.nr":
                    marker = _flat(child) + " "
                else:
                    self.walk(child, marker)
                    marker = ""
            return
        for child in el:
            self.walk(child, prefix)
            prefix = ""


def _local(tag: object) -> str:
    """Tag name without a namespace (processing instructions have no str tag)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _flat(el: Element) -> str:
    return _clean("".join(el.itertext()))


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _dossier_parts(dossier: Element) -> tuple[str, str]:
    """(printed dossier number, normalised dossier id) of a ``<dossier>``."""
    number = dossier.find("dossiernummer")
    if number is None:
        return "", ""
    main = ""
    sub = ""
    for child in number:
        tag = _local(child.tag)
        if tag == "dossiernr":
            main = _flat(child)
        elif tag in {"raadnr", "begrotingshoofdstuk", "hoofdstuk", "volgnr"}:
            sub = _flat(child)
    printed = main
    if sub:
        printed += ("-" if sub.isdigit() else " ") + sub
    normalised = main.replace(" ", "").replace("\u00a0", "")
    if sub:
        normalised += "-" + sub
    return printed, normalised


def _dossier_line(dossier: Element) -> str:
    printed, _ = _dossier_parts(dossier)
    title = dossier.find("titel")
    return _clean(f"{printed} {_flat(title) if title is not None else ''}")


def _meta(root: Element) -> dict[tuple[str, str], list[str]]:
    """All ``<meta>`` elements keyed by (name, scheme)."""
    found: dict[tuple[str, str], list[str]] = {}
    for meta in root.iter("meta"):
        name = meta.get("name", "")
        content = (meta.get("content") or "").strip()
        found.setdefault((name, meta.get("scheme", "")), []).append(content)
        found.setdefault((name, "*"), []).append(content)
    return found


def _first(meta: dict[tuple[str, str], list[str]], name: str, scheme: str = "*") -> str:
    for value in meta.get((name, scheme), []):
        if value:
            return value
    return ""


def _doc_type(title: str, official: str) -> str:
    for source in (title.lower(), official.lower()):
        for prefix, doc_type in _DOC_TYPES:
            if source.startswith(prefix):
                return doc_type
    return "other"


def _parse(data: bytes, path: Path | str) -> Element:
    try:
        root: Element = SafeET.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException as exc:
        raise IngestError(
            path, "xml-security", f"refused unsafe XML ({type(exc).__name__}): {exc}"
        ) from exc
    except ParseError as exc:
        raise IngestError(path, "xml-parse", f"not well-formed XML: {exc}") from exc
    return root


def render_officiele_xml(data: bytes, path: Path | str = "<bytes>") -> IngestedText:
    """Render officielebekendmakingen XML bytes; `path` only names the source in errors."""
    if len(data) > MAX_BYTES:
        raise IngestError(path, "read", f"{len(data)} bytes is too large for a Kamerstuk")
    root = _parse(data, path)
    if _local(root.tag) != "officiele-publicatie" or root.find("kamerstuk") is None:
        raise IngestError(
            path, "xml-structure", f"root <{_local(root.tag)}> is not an officiele-publicatie"
        )
    kamerstuk = root.find("kamerstuk")
    assert kamerstuk is not None
    meta = _meta(root)
    metadata: dict[str, str] = {}
    warnings: list[str] = []

    kop = {
        line.get("inhoud", ""): _flat(line)
        for line in kamerstuk.iterfind("kamerstukkop/tekstregel")
    }
    renderer = _Renderer()
    for key in ("kameraanduiding", "vergaderjaar"):
        if kop.get(key):
            renderer.paragraphs.append(kop[key])
    for child in kamerstuk:
        renderer.walk(child)

    # Structure of the document itself.
    dossiers = [_dossier_parts(d)[1] for d in kamerstuk.iterfind("dossier")]
    dossiers = [d for d in dossiers if d]
    stuk = kamerstuk.find("stuk")
    number = ""
    title = ""
    iso_date = ""
    if stuk is not None:
        ondernummer = stuk.find("stuknr/ondernummer")
        number = _flat(ondernummer) if ondernummer is not None else ""
        title_el = stuk.find("titel")
        title = _flat(title_el) if title_el is not None else ""
        datum = stuk.find("datumtekst/datum")
        iso_date = (datum.get("isodatum") or "") if datum is not None else ""
    dossier_title_el = kamerstuk.find("dossier/titel")
    subject = _flat(dossier_title_el) if dossier_title_el is not None else ""
    year_match = re.search(r"(\d{4})\s*[-–/]\s*(\d{2,4})", kop.get("vergaderjaar", ""))
    vergaderjaar = ""
    if year_match:
        end = year_match.group(2)
        vergaderjaar = (
            f"{year_match.group(1)}-{end if len(end) == 4 else year_match.group(1)[:2] + end}"
        )

    # Stated metadata, when the full record is embedded, wins over nothing but is
    # checked against the structure.
    meta_dossier = _first(meta, "OVERHEIDop.dossiernummer")
    meta_number = _first(meta, "OVERHEIDop.ondernummer")
    dossier = dossiers[0] if dossiers else meta_dossier
    if meta_dossier and dossiers and meta_dossier not in dossiers:
        warnings.append(f"metadata dossier {meta_dossier} differs from document {dossiers[0]}")
    if meta_number and number and meta_number != number:
        warnings.append(f"metadata number {meta_number} differs from document {number}")
    number = number or meta_number
    official_type = _first(meta, "DC.type", "OVERHEIDop.KamerstukTypen")

    fields = {
        "date": iso_date or _first(meta, "DCTERMS.issued"),
        "doc_type": _doc_type(title, official_type),
        "doc_type_official": official_type,
        "kamerstuk": f"kst-{dossier}-{number}" if dossier and number else "",
        "dossier": dossier,
        "number": number,
        "vergaderjaar": vergaderjaar or _first(meta, "OVERHEIDop.vergaderjaar"),
        "title": title or _first(meta, "OVERHEIDop.documenttitel"),
        "subject": subject or _first(meta, "OVERHEIDop.dossiertitel"),
        "other_dossiers": ";".join(dossiers[1:]),
        "submitters_official": ";".join(v for v in meta.get(("OVERHEIDop.indiener", "*"), []) if v),
        "metadata_record": _first(meta, "OVERHEIDop.externMetadataRecord"),
    }
    identifier = _first(meta, "DC.identifier", "OVERHEIDop.ParlID")
    if identifier and fields["kamerstuk"] and identifier != fields["kamerstuk"]:
        warnings.append(f"metadata identifier {identifier} differs from {fields['kamerstuk']}")
    metadata.update({k: v for k, v in fields.items() if v})

    # Assemble the layout text; record extref offsets in it.
    starts: list[int] = []
    pieces: list[str] = []
    position = 0
    for paragraph in renderer.paragraphs:
        starts.append(position)
        pieces.append(paragraph)
        position += len(paragraph) + 2
    body = "\n\n".join(pieces)
    if renderer.notes:
        body += "\n\n" + "\n".join(f"{n} {text}" for n, text in renderer.notes)
    refs = []
    for doc, text, index, offset in renderer.extrefs:
        if index < 0 or index >= len(starts):
            refs.append({"doc": doc, "text": text, "start": -1, "end": -1})
            continue  # inside a footnote: its text is in the note line
        start = starts[index] + offset
        if body[start : start + len(text)] == text:
            refs.append({"doc": doc, "text": text, "start": start, "end": start + len(text)})
        else:
            refs.append({"doc": doc, "text": text, "start": -1, "end": -1})
    if refs:
        metadata["extrefs"] = json.dumps(refs, ensure_ascii=False)
    return IngestedText(text=body, source_kind="xml", metadata=metadata, warnings=warnings)


def read_officiele_xml(path: Path) -> IngestedText:
    """Read one officielebekendmakingen ``kst-*.xml`` file into layout text and metadata."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(path, "read", str(exc)) from exc
    if size > MAX_BYTES:
        raise IngestError(path, "read", f"{size} bytes is too large for a Kamerstuk")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(path, "read", str(exc)) from exc
    return render_officiele_xml(data, path)
