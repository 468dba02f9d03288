"""Official publications in the officielebekendmakingen XML format.

Kamerstukken (``kst``), Aanhangsels (``ah-tk``: Kamervragen with their answers),
Handelingen (``h-tk``), Staatsblad (``stb``) and Staatscourant (``stcrt``) share
one family of schemas (op-xsd). The XML states what every piece of text is —
title, paragraph (``<al>``), heading (``<kop>``, ``<tussenkop>``), list item,
footnote (``<noot>``) at the place of its marker, signature
(``<ondertekening>``), question and answer (``<vraag>``, ``<antwoord>``) — so we
map elements to blocks directly and never infer layout.

Every text node of the publication lands in `Document.source_text`, in document
order; blocks map their characters back into it. Whatever the mapping does not
place in a content block therefore shows up as lost in the record's text coverage.

The files come from outside, so they are parsed with ``defusedxml``: a DTD, an
entity declaration or an external reference is refused with an `IngestError`
before anything is expanded or fetched.

Metadata keys (all strings): ``date`` (ISO), ``doc_type``, ``doc_type_official``,
``publication`` (the root's publication element: ``kamerstuk``, ``handelingen`` …),
``kamerstuk`` (the document's own id: ``kst-21501-02-2807``, ``ah-tk-20232024-1786``,
``h-tk-20172018-70`` for an item of sitting 70, ``stb-2018-84``), ``identifier`` (the id as
stated, items included: ``h-tk-20172018-70-6``), ``dossier``, ``number``, ``vergaderjaar``,
``title`` (the stuk's own title), ``subject`` (the dossier title), ``other_dossiers``,
``submitters_official``, ``signatories`` (``;``-separated names from the signature),
``extrefs`` (JSON list of ``{"doc", "text"}``), ``metadata_record``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from kamerbrief_extract.document import (
    Block,
    BlockKind,
    Document,
    NoteMarker,
)
from kamerbrief_extract.ingest.errors import IngestError
from kamerbrief_extract.offsets import MappedBuilder, MappedText

MAX_BYTES = 20 * 1024 * 1024
"""A publication's XML is kilobytes to a few megabytes; anything larger is refused."""

_BLOCK_KINDS: dict[str, BlockKind] = {
    "al": "paragraph",
    "considerans.al": "paragraph",
    "wij": "paragraph",
    "slotformulering": "paragraph",
    "tekstregel": "paragraph",
    "intitule": "title",
    "item-titel": "title",
    "titel": "title",
    "subtitel": "heading",
    "kop": "heading",
    "tussenkop": "heading",
    "stuknr": "heading",
    "spreker": "heading",
    "datumtekst": "dateline",
    "dagtekening": "dateline",
    "uitgifte": "dateline",
    "ondertekening": "signature",
    "koning": "signature",
    "entry": "table_cell",
    "td": "table_cell",
    "th": "table_cell",
}
"""Elements rendered as one block each, their inline content flattened."""

_CONTAINER_KINDS: dict[str, BlockKind] = {"vraag": "question", "antwoord": "answer"}
"""Containers whose paragraphs take the container's kind."""

_PREFIX_TAGS = frozenset({"li.nr", "lidnr", "vraag.nr", "antwoord.nr"})
"""Numbers printed before the first block of their parent (``a.``, ``1.``)."""

_SPACED_INLINE = frozenset(
    {"label", "nr", "voornaam", "voorvoegsels", "achternaam", "naam", "functie", "politiek"}
)
"""Inline elements that are separate words: a space keeps them apart."""

_LINE_PER_CHILD = frozenset({"ondertekening"})
"""Blocks whose element children are lines of their own (function, then name)."""

_MASTHEAD = frozenset({"kamerstukkop"})
"""Publication furniture: kept as letterhead blocks, not content."""

_SPACE = re.compile(r"\s+")
_CLOSING_FORMULA = re.compile(r"\borde\s+van\s+(?:de\s+)?dag\s*[.,]?\s*$", re.IGNORECASE)
_NAME_LINE = re.compile(r"^[^\W\d_][\w.'’ ()-]{0,60},?$")
_EXPLANATION = re.compile(r"^\s*toelichting\s*$", re.IGNORECASE)

_DOC_TYPES: tuple[tuple[str, str], ...] = (
    ("motie", "motie"),
    ("amendement", "amendement"),
    ("subamendement", "amendement"),
    ("brief", "brief"),
)
"""Title or official-type prefix (lower case) → our ``doc_type``."""

_AMENDED = re.compile(r"^(?:\w+\s+)?(?:nader\s+)?gewijzigde?\s+", re.IGNORECASE)
""""Tweede nader gewijzigde motie", "Gewijzigd amendement": still a motion, an amendment."""

_PUBLICATION_TYPES = {
    "handelingen": "handelingen",
    "aanhangsel": "kamervragen",
    "kamervragen": "kamervragen",
}


def _local(tag: object) -> str:
    """Tag name without a namespace (processing instructions have no str tag)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _flat(el: Element) -> str:
    return _SPACE.sub(" ", "".join(el.itertext())).strip()


# --------------------------------------------------------------------------- #
# Source text: every text node in document order


@dataclass(slots=True)
class _SourceText:
    """The text nodes of the publication, concatenated, with each node's offset."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    text_at: dict[int, int] = field(default_factory=dict)
    tail_at: dict[int, int] = field(default_factory=dict)
    masthead: list[tuple[int, int]] = field(default_factory=list)

    def add(self, text: str) -> int:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start

    def walk(self, el: Element, *, in_masthead: bool = False) -> None:
        if not isinstance(el.tag, str):
            return
        if _local(el.tag) == "metadata":
            return
        start = self.length
        if el.text:
            self.text_at[id(el)] = self.add(el.text)
        for child in el:
            self.walk(child, in_masthead=in_masthead)
            if child.tail:
                self.tail_at[id(child)] = self.add(child.tail)
        if _local(el.tag) in _MASTHEAD or _local(el.tag) == "noot.nr":
            self.masthead.append((start, self.length))

    @property
    def text(self) -> str:
        return "".join(self.parts)


# --------------------------------------------------------------------------- #
# Blocks


_RUNS = re.compile(r"\s+|\S+")


@dataclass(slots=True)
class _Inline:
    """Flattens inline content into mapped text, folding whitespace."""

    source: _SourceText
    out: MappedBuilder = field(default_factory=MappedBuilder)
    pending_space: int | None = None  # source offset of a folded run of whitespace
    layout_space: bool = False  # the pending whitespace holds a newline (pretty-printing)
    markers: list[NoteMarker] = field(default_factory=list)

    def text(self, value: str | None, start: int | None) -> None:
        if not value or start is None:
            return
        # Run by run, not character by character: a word is appended in one piece.
        for run in _RUNS.finditer(value):
            i, chunk = run.start(), run.group()
            if chunk[0].isspace():
                if len(self.out) and self.pending_space is None:
                    self.pending_space = start + i
                if "\n" in chunk:
                    self.layout_space = True
                continue
            if self.pending_space is not None:
                if not self._layout_only(chunk[0]):
                    self.out.insert(" ", self.pending_space)
                self.pending_space = None
            self.layout_space = False
            self.out.append_source(chunk, start + i)

    def _layout_only(self, following: str) -> bool:
        """Whether a pending space is indentation only: after a line break of our own, or a
        pretty-printer's newline before punctuation, after an opening bracket, between digits."""
        last = self.out.last_char()
        if last == "\n":
            return True
        if not self.layout_space:
            return False
        return following in ",.;:)]!?»" or last in "([«" or (last.isdigit() and following.isdigit())

    def space(self, at: int) -> None:
        if len(self.out) and self.pending_space is None:
            self.pending_space = at

    def newline(self, at: int) -> None:
        if len(self.out):
            self.pending_space = None
            self.out.insert("\n", at)

    def build(self) -> MappedText:
        return self.out.build()


@dataclass(slots=True)
class _Renderer:
    """Walks the publication and emits blocks in document order."""

    source: _SourceText
    blocks: list[Block] = field(default_factory=list)
    notes: list[Block] = field(default_factory=list)
    extrefs: list[dict[str, str]] = field(default_factory=list)
    note_numbers: set[int] = field(default_factory=set)

    # ----- inline content ----- #

    def inline(self, el: Element, into: _Inline, *, lines: bool = False) -> None:
        into.text(el.text, self.source.text_at.get(id(el)))
        for child in el:
            tag = _local(child.tag)
            if not tag:
                pass
            elif tag == "noot":
                self._note(child, into)
            elif tag in _PREFIX_TAGS and into is not None:
                self.inline(child, into)
                into.space(self._end_of(child))
            else:
                if lines:
                    into.newline(self._start_of(child))
                elif tag in _SPACED_INLINE:
                    into.space(self._start_of(child))
                if tag == "extref":
                    self.extrefs.append({"doc": child.get("doc", ""), "text": _flat(child)})
                self.inline(child, into, lines=False)
                if tag in _SPACED_INLINE:
                    into.space(self._end_of(child))
            into.text(child.tail, self.source.tail_at.get(id(child)))

    def _start_of(self, el: Element) -> int:
        return self.source.text_at.get(id(el), 0)

    def _end_of(self, el: Element) -> int:
        start = self.source.text_at.get(id(el))
        return start + len(el.text or "") if start is not None else 0

    def _note(self, note: Element, into: _Inline) -> None:
        number_el = note.find("noot.nr")
        printed = _flat(number_el) if number_el is not None else ""
        n = int(printed) if printed.isdigit() else len(self.note_numbers) + 1
        self.note_numbers.add(n)
        into.markers.append(NoteMarker(len(into.out), n))
        body = _Inline(self.source)
        for child in note:
            if _local(child.tag) == "noot.nr":
                continue
            if len(body.out):
                body.space(self._start_of(child))
            self.inline(child, body)
        self.notes.append(Block("footnote", body.build(), n=n, label="noot"))

    # ----- blocks ----- #

    def emit(self, el: Element, kind: BlockKind, prefix: _Inline | None = None) -> None:
        into = prefix or _Inline(self.source)
        self.inline(el, into, lines=_local(el.tag) in _LINE_PER_CHILD)
        text = into.build()
        if text.text.strip():
            self.blocks.append(Block(kind, text, markers=tuple(into.markers), label=_local(el.tag)))

    def walk(self, el: Element, kind: BlockKind | None = None) -> None:
        """Render the block content of `el` in document order."""
        tag = _local(el.tag)
        if not tag or tag == "metadata":
            return
        if tag in _MASTHEAD:
            for child in el:
                self.emit(child, "letterhead")
            return
        if tag == "dossier":
            self._dossier(el)
            return
        if tag in _CONTAINER_KINDS:
            kind = _CONTAINER_KINDS[tag]
        if tag == "al-groep" and _is_signature_group(el, self.blocks):
            self.emit_lines(el, "signature")
            return
        if tag in _BLOCK_KINDS and not _has_block_children(el):
            block_kind = _BLOCK_KINDS[tag]
            if kind and block_kind == "paragraph":
                block_kind = kind
            if block_kind == "paragraph" and _closes_motion(self.blocks) and _is_name(el):
                block_kind = "signature"
            self.emit(el, block_kind)
            return
        # A container: its own loose text is a paragraph, its children are walked.
        prefix: _Inline | None = None
        loose = _Inline(self.source)
        loose.text(el.text, self.source.text_at.get(id(el)))
        self._flush_loose(loose, kind)
        for child in el:
            ctag = _local(child.tag)
            if ctag in _PREFIX_TAGS:
                prefix = _Inline(self.source)
                self.inline(child, prefix)
                prefix.space(self._end_of(child))
            elif ctag == "noot":
                holder = _Inline(self.source)
                self._note(child, holder)
            elif prefix is not None and ctag:
                before = len(self.blocks)
                if ctag in _BLOCK_KINDS and not _has_block_children(child):
                    block_kind = _BLOCK_KINDS[ctag]
                    if kind and block_kind == "paragraph":
                        block_kind = kind
                    if block_kind == "paragraph" and tag == "li":
                        block_kind = "list_item"
                    self.emit(child, block_kind, prefix)
                else:
                    self.walk(child, kind)
                if len(self.blocks) > before:
                    prefix = None
            else:
                if tag == "li" and ctag in _BLOCK_KINDS:
                    self.emit(child, "list_item")
                else:
                    self.walk(child, kind)
            loose = _Inline(self.source)
            loose.text(child.tail, self.source.tail_at.get(id(child)))
            self._flush_loose(loose, kind)

    def _flush_loose(self, loose: _Inline, kind: BlockKind | None) -> None:
        text = loose.build()
        if text.text.strip() and text.text.strip() not in ".,;:-":
            self.blocks.append(Block(kind or "paragraph", text, markers=(), label="text"))

    def emit_lines(self, el: Element, kind: BlockKind) -> None:
        into = _Inline(self.source)
        for child in el:
            into.newline(self._start_of(child))
            self.inline(child, into)
        text = into.build()
        if text.text.strip():
            self.blocks.append(Block(kind, text, markers=tuple(into.markers), label=_local(el.tag)))

    def _dossier(self, el: Element) -> None:
        """The dossier number and title: one heading ("36 600 VI Begroting …")."""
        into = _Inline(self.source)
        number = el.find("dossiernummer")
        if number is not None:
            self.inline(number, into)
            for child in number:
                if _local(child.tag) in {"begrotingshoofdstuk", "hoofdstuk", "volgnr", "raadnr"}:
                    into.space(self._start_of(child))
        for child in el:
            if _local(child.tag) == "dossiernummer":
                continue
            into.space(self._start_of(child))
            self.inline(child, into)
        text = into.build()
        if text.text.strip():
            self.blocks.append(Block("heading", text, markers=tuple(into.markers), label="dossier"))


def _has_block_children(el: Element) -> bool:
    for child in el:
        tag = _local(child.tag)
        if (
            tag in _BLOCK_KINDS
            or tag in _CONTAINER_KINDS
            or tag
            in {
                "lijst",
                "li",
                "al-groep",
                "tekst",
                "lid",
                "artikel",
                "table",
                "tgroup",
                "tbody",
                "row",
                "motie",
            }
        ):
            return True
    return False


def _closes_motion(blocks: list[Block]) -> bool:
    """After "en gaat over tot de orde van de dag." a motion has only its signatures."""
    for block in reversed(blocks):
        if block.kind == "signature":
            continue
        return bool(_CLOSING_FORMULA.search(block.str))
    return False


def _is_name(el: Element) -> bool:
    text = _flat(el)
    return bool(text) and len(text.split()) <= 6 and bool(_NAME_LINE.match(text))


def _signatories(blocks: list[Block]) -> list[str]:
    """Names signed under a motion: the signature lines right after its (last) closing
    formula; whatever follows them (a stray paragraph, a note) is not a name."""
    content = [b for b in blocks if b.kind not in {"footnote", "letterhead"}]
    closing = max(
        (
            i
            for i, b in enumerate(content)
            if b.kind != "signature" and _CLOSING_FORMULA.search(b.str)
        ),
        default=None,
    )
    if closing is None:
        return []
    names: list[str] = []
    for block in content[closing + 1 :]:
        if block.kind != "signature":
            break
        names += [ln.strip().rstrip(",").strip() for ln in block.str.split("\n") if ln.strip()]
    return names


def _amendment_signatories(blocks: list[Block]) -> list[str]:
    """Names signed under an amendment: its signature, or the name lines that end the
    text after the "Toelichting" (an amendment has no closing formula)."""
    content = [b for b in blocks if b.kind not in {"footnote", "letterhead"}]
    if not any(b.kind in {"heading", "title"} and _EXPLANATION.match(b.str) for b in content):
        return []
    names: list[str] = []
    for block in reversed(content):
        lines = [ln.strip().rstrip(",").strip() for ln in block.str.split("\n") if ln.strip()]
        if block.kind == "signature" or (
            lines and all(len(ln.split()) <= 6 and _NAME_LINE.match(ln) for ln in lines)
        ):
            names = lines + names
        else:
            break
    return names


def _is_signature_group(el: Element, blocks: list[Block]) -> bool:
    """An `<al-groep>` of names right after a motion's closing formula."""
    children = [c for c in el if _local(c.tag)]
    if not children or any(_local(c.tag) != "al" for c in children):
        return False
    return _closes_motion(blocks) and all(_is_name(c) for c in children)


# --------------------------------------------------------------------------- #
# Decoding and parsing


_DOUBLE_BOM = "\u00ef\u00bb\u00bf".encode()
"""A UTF-8 byte-order mark encoded once more as UTF-8 (the file was converted twice)."""


def _decode(data: bytes, path: Path | str) -> tuple[bytes, list[str]]:
    """Bytes that an XML parser can read: byte-order marks and double encoding undone."""
    warnings: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
        text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
        return text.encode("utf-8"), warnings
    if data.startswith(_DOUBLE_BOM):
        text = data[len(_DOUBLE_BOM) :].decode("utf-8", errors="replace")
        try:
            repaired = text.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            try:
                repaired = text.encode("latin-1").decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                repaired = text
        if repaired != text:
            warnings.append("file was UTF-8 encoded twice (doubled byte-order mark); repaired")
        return repaired.lstrip().encode("utf-8"), warnings
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.lstrip(), warnings


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


# --------------------------------------------------------------------------- #
# Metadata the XML states


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


def _doc_type(title: str, official: str, publication: str) -> str:
    for source in (title, official):
        stem = _AMENDED.sub("", source.strip()).lower()
        for prefix, doc_type in _DOC_TYPES:
            if stem.startswith(prefix):
                return doc_type
    return _PUBLICATION_TYPES.get(publication, "other")


def _dossier_id(dossier: Element) -> str:
    """``36600-VI`` from a ``<dossier>``'s number parts."""
    number = dossier.find("dossiernummer")
    if number is None:
        return ""
    main = ""
    sub = ""
    for child in number:
        tag = _local(child.tag)
        if tag == "dossiernr":
            main = _flat(child)
        elif tag in {"raadnr", "begrotingshoofdstuk", "hoofdstuk", "volgnr"}:
            sub = _flat(child)
    normalised = re.sub(r"\s+", "", main)
    return f"{normalised}-{sub}" if normalised and sub else normalised


_OWN_ID = re.compile(r"/(?P<id>(?:kst|ah|h|stb|stcrt|trb|blg)-[\w-]+)/metadata\.xml$")


def _vergaderjaar(text: str) -> str:
    match = re.search(r"(\d{4})\s*[-–/]\s*(\d{2,4})", text)
    if not match:
        return ""
    end = match.group(2)
    return f"{match.group(1)}-{end if len(end) == 4 else match.group(1)[:2] + end}"


def _metadata(
    root: Element, publication: Element, blocks: list[Block], extrefs: list[dict[str, str]]
) -> tuple[dict[str, str], list[str]]:
    meta = _meta(root)
    warnings: list[str] = []
    kind = _local(publication.tag)
    kop = {
        line.get("inhoud", ""): _flat(line)
        for line in publication.iterfind("kamerstukkop/tekstregel")
    }
    dossiers = [d for d in (_dossier_id(el) for el in publication.iterfind("dossier")) if d]
    stuk = publication.find("stuk")
    number = title = iso_date = ""
    if stuk is not None:
        ondernummer = stuk.find("stuknr/ondernummer")
        number = _flat(ondernummer) if ondernummer is not None else ""
        title_el = stuk.find("titel")
        title = _flat(title_el) if title_el is not None else ""
        datum = stuk.find("datumtekst/datum")
        iso_date = (datum.get("isodatum") or "") if datum is not None else ""
    if not iso_date:
        for datum in publication.iter("datum"):
            if datum.get("isodatum"):
                iso_date = datum.get("isodatum", "")
                break
    if not title:
        for tag in ("intitule", "item-titel", "titel"):
            found = next(publication.iter(tag), None)
            if found is not None and _flat(found):
                title = _flat(found)
                break
    dossier_title_el = publication.find("dossier/titel")
    subject = _flat(dossier_title_el) if dossier_title_el is not None else ""

    meta_dossier = _first(meta, "OVERHEIDop.dossiernummer")
    meta_number = _first(meta, "OVERHEIDop.ondernummer")
    dossier = dossiers[0] if dossiers else meta_dossier
    if meta_dossier and dossiers and meta_dossier not in dossiers:
        warnings.append(f"metadata dossier {meta_dossier} differs from document {dossiers[0]}")
    if meta_number and number and meta_number != number:
        warnings.append(f"metadata number {meta_number} differs from document {number}")
    number = number or meta_number
    official_type = _first(meta, "DC.type", "OVERHEIDop.KamerstukTypen")
    record = _first(meta, "OVERHEIDop.externMetadataRecord")
    own = ""
    if kind == "kamerstuk" and dossier and number:
        own = f"kst-{dossier}-{number}"
    else:
        stated = _first(meta, "DC.identifier") or _first(meta, "OVERHEIDop.ParlID")
        match = _OWN_ID.search(record)
        own = stated or (match.group("id") if match else "")
    identifier = _first(meta, "DC.identifier", "OVERHEIDop.ParlID")
    if identifier and own and identifier != own:
        warnings.append(f"metadata identifier {identifier} differs from {own}")
    doc_type = _doc_type(title, official_type, kind)
    signatories = (
        _amendment_signatories(blocks) if doc_type == "amendement" else _signatories(blocks)
    )
    fields = {
        "publication": kind,
        "date": iso_date or _first(meta, "DCTERMS.issued") or _first(meta, "DCTERMS.available"),
        "doc_type": doc_type,
        "doc_type_official": official_type,
        # A Handelingen item ("h-tk-20172018-70-6") is cited by its sitting's number
        # (ANNOTATION §3: "h-tk-20172018-70"); the item stays in `identifier`.
        "kamerstuk": re.sub(r"^(h-(?:tk|ek)-\d{8}-\d+)-\d+$", r"\1", own),
        "identifier": own,
        "dossier": dossier,
        "number": number,
        "vergaderjaar": _vergaderjaar(kop.get("vergaderjaar", ""))
        or _first(meta, "OVERHEIDop.vergaderjaar"),
        "title": title or _first(meta, "OVERHEIDop.documenttitel"),
        "subject": subject or _first(meta, "OVERHEIDop.dossiertitel"),
        "other_dossiers": ";".join(dossiers[1:]),
        "submitters_official": ";".join(v for v in meta.get(("OVERHEIDop.indiener", "*"), []) if v),
        "signatories": ";".join(signatories),
        "metadata_record": record,
    }
    out = {k: v for k, v in fields.items() if v}
    if extrefs:
        out["extrefs"] = json.dumps(extrefs, ensure_ascii=False)
    return out, warnings


# --------------------------------------------------------------------------- #
# Entry points


def _publication(root: Element) -> Iterator[Element]:
    """The publication elements under the root (``kamerstuk``, ``handelingen`` …)."""
    for child in root:
        tag = _local(child.tag)
        if tag and tag not in {"metadata", "meta"}:
            yield child


def parse_officiele_xml(data: bytes, path: Path | str = "<bytes>") -> Document:
    """Officielebekendmakingen XML bytes → Document; `path` only names the source in errors."""
    if len(data) > MAX_BYTES:
        raise IngestError(path, "read", f"{len(data)} bytes is too large for a publication")
    data, warnings = _decode(data, path)
    root = _parse(data, path)
    if _local(root.tag) != "officiele-publicatie":
        raise IngestError(
            path,
            "xml-structure",
            f"root <{_local(root.tag)}> is not <officiele-publicatie> "
            "(officielebekendmakingen XML)",
        )
    parts = list(_publication(root))
    main = [p for p in parts if _local(p.tag) != "kop"]
    if not main:
        raise IngestError(path, "xml-structure", "<officiele-publicatie> holds no publication")
    source = _SourceText()
    source.walk(root)
    renderer = _Renderer(source)
    for part in parts:
        if _local(part.tag) == "kop":  # the publication's masthead ("Staatsblad …")
            for child in part:
                renderer.emit(child, "letterhead")
            continue
        renderer.walk(part)
    notes = sorted(renderer.notes, key=lambda b: b.n or 0)
    blocks = renderer.blocks + notes
    source_text = source.text
    masthead = {i for s, e in source.masthead for i in range(s, e)}
    for block in blocks:
        if block.kind in ("letterhead", "dateline"):  # stated metadata, read into meta
            masthead.update(block.text.source)
    content = [i for i, ch in enumerate(source_text) if not ch.isspace() and i not in masthead]
    metadata, meta_warnings = _metadata(root, main[0], blocks, renderer.extrefs)
    return Document(
        source_kind="xml",
        source_text=source_text,
        blocks=blocks,
        metadata=metadata,
        warnings=warnings + meta_warnings,
        content_offsets=content,
    )


def read_officiele_xml(path: Path) -> Document:
    """Read one officielebekendmakingen XML file into a Document."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(path, "read", exc.strerror or str(exc)) from exc
    if size > MAX_BYTES:
        raise IngestError(path, "read", f"{size} bytes is too large for a publication")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(path, "read", exc.strerror or str(exc)) from exc
    return parse_officiele_xml(data, path)
