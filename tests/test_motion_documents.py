"""Official XML ingestion and motion documents, checked against the XML itself."""

from __future__ import annotations

import datetime
import json
import re
import time
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kamerbrief_extract.extract.motion_document import parse_motion_document
from kamerbrief_extract.ingest.errors import IngestError
from kamerbrief_extract.ingest.officiele_xml import parse_officiele_xml, read_officiele_xml

MOTIONS_DIR = Path(__file__).resolve().parent / "fixtures" / "kst-motions"
REAL_PDF = (
    Path(__file__).resolve().parent / "fixtures" / "real-motion-pdf" / "kst-21501-02-3121.pdf"
)
XML_FILES = sorted(MOTIONS_DIR.glob("kst-*.xml"))

needs_corpus = pytest.mark.skipif(not XML_FILES, reason="shared motion corpus not present")


# --- An independent reading of the XML, for scoring ------------------------------------


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip(" .,")


def _expected(path: Path) -> dict[str, object]:
    """What the file's own elements say: dossier, number, date, title names + signatures."""
    root = ET.parse(path).getroot()
    meta = {m.get("name"): m.get("content") for m in root.iter("meta")}
    number_el = root.find("kamerstuk/dossier/dossiernummer")
    assert number_el is not None
    dossier = "".join(number_el.findtext("dossiernr", "").split())
    for tag in ("raadnr", "begrotingshoofdstuk"):
        if number_el.findtext(tag):
            dossier += "-" + number_el.findtext(tag, "").strip()
    if meta.get("OVERHEIDop.dossiernummer"):
        assert meta["OVERHEIDop.dossiernummer"] == dossier
    number = root.findtext("kamerstuk/stuk/stuknr/ondernummer", "").strip()
    datum = root.find("kamerstuk/stuk/datumtekst/datum")
    date = datum.get("isodatum") if datum is not None else None
    title = " ".join("".join(root.find("kamerstuk/stuk/titel").itertext()).split())  # type: ignore[union-attr]
    als = [" ".join("".join(a.itertext()).split()) for a in root.iter("al")]
    closing = max(i for i, a in enumerate(als) if "orde van de dag" in a.lower())
    signatures = [a.strip(" .,") for a in als[closing + 1 :] if a.strip(" .,")]
    count = 1 if " HET LID " in title else title.split(" LEDEN ", 1)[1].count(" EN ") + 1
    return {
        "dossier": dossier,
        "number": number,
        "date": date,
        "submitters": [_fold(s) for s in signatures[:count]],
        "cosigned": " C.S" in title,
        "amended": title.startswith("GEWIJZIGDE"),
        "kamerstuk": path.stem,
    }


def _agreement(use_metadata: bool) -> tuple[dict[str, float], list[str]]:
    fields = ("dossier", "number", "date", "submitters", "cosigned", "amended", "kamerstuk")
    hits = dict.fromkeys(fields, 0)
    misses: list[str] = []
    for path in XML_FILES:
        ingested = read_officiele_xml(path)
        doc = parse_motion_document(ingested.text, ingested.metadata if use_metadata else None)
        expected = _expected(path)
        assert doc is not None, path.name
        got = {
            "dossier": doc.dossier,
            "number": doc.number,
            "date": doc.date.isoformat() if doc.date else None,
            "submitters": [_fold(s) for s in doc.submitters],
            "cosigned": doc.cosigned,
            "amended": doc.amended,
            "kamerstuk": doc.kamerstuk,
        }
        for name in fields:
            if got[name] == expected[name]:
                hits[name] += 1
            else:
                misses.append(f"{path.name} {name}: {got[name]!r} != {expected[name]!r}")
    return {name: hits[name] / len(XML_FILES) for name in fields}, misses


@needs_corpus
@pytest.mark.parametrize("use_metadata", [True, False], ids=["with-metadata", "text-only"])
def test_agreement_on_all_official_motions(use_metadata: bool) -> None:
    assert len(XML_FILES) == 202
    scores, misses = _agreement(use_metadata)
    for name, score in scores.items():
        assert score >= 0.98, (name, score, misses)


@needs_corpus
def test_every_motion_has_considerations_or_requests() -> None:
    without = []
    for path in XML_FILES:
        doc = parse_motion_document(read_officiele_xml(path).text)
        assert doc is not None
        if not doc.requests:
            without.append(path.name)
    assert len(without) <= 2, without


@needs_corpus
def test_clause_counts_match_the_paragraphs() -> None:
    """Each <al> opening with a clause word is one consideration or request."""
    considerations = re.compile(
        r"(?:voorts |tevens )?(?:constaterende|overwegende|erkennende|van mening|van oordeel)"
    )
    requests = re.compile(r"(?:verzoekt|spreekt|roept|zegt|besluit)\b")
    wrong = []
    for path in XML_FILES:
        als = [" ".join("".join(a.itertext()).split()) for a in ET.parse(path).getroot().iter("al")]
        doc = parse_motion_document(read_officiele_xml(path).text)
        assert doc is not None
        expected = (
            sum(1 for a in als if considerations.match(a)),
            sum(1 for a in als if requests.match(a)),
        )
        if expected != (len(doc.considerations), len(doc.requests)):
            wrong.append(path.name)
    assert wrong == []


# --- Specific documents ------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize(
    ("name", "submitters", "cosigned", "amended", "replaces", "signatories"),
    [
        ("kst-19637-3331.xml", ("Van Zanten",), False, False, None, ("Van Zanten",)),
        (
            "kst-21501-02-2863.xml",
            ("Hirsch", "Teunissen"),
            False,
            True,
            "2834",
            ("Hirsch", "Teunissen"),
        ),
        ("kst-24515-787.xml", ("Inge van Dijk",), False, False, None, ("Inge van Dijk",)),
        ("kst-33836-95.xml", ("Kostić",), True, False, None, None),
        ("kst-36600-XVI-75.xml", ("Joseph",), False, False, None, ("Joseph",)),
        ("kst-19637-3369.xml", ("Ceder", "Diederik van Dijk"), False, False, None, None),
        ("kst-36410-XIV-65.xml", ("Beckerman",), True, False, None, None),
        ("kst-35646-51.xml", ("Diederik van Dijk",), True, True, "45", None),
    ],
)
def test_title_names_take_the_signed_spelling(
    name: str,
    submitters: tuple[str, ...],
    cosigned: bool,
    amended: bool,
    replaces: str | None,
    signatories: tuple[str, ...] | None,
) -> None:
    doc = parse_motion_document(read_officiele_xml(MOTIONS_DIR / name).text)
    assert doc is not None
    assert doc.submitters == submitters
    assert doc.cosigned is cosigned
    assert doc.amended is amended
    assert doc.replaces == replaces
    if signatories is not None:
        assert doc.signatories == signatories


@needs_corpus
def test_list_items_stay_in_their_request() -> None:
    doc = parse_motion_document(read_officiele_xml(MOTIONS_DIR / "kst-24587-1036.xml").text)
    assert doc is not None
    assert len(doc.requests) == 1
    assert doc.requests[0].startswith("verzoekt de regering met spoed")
    assert doc.requests[0].count("•") == 6
    # A consideration split over two <al> in the source is joined again.
    assert doc.considerations[1].endswith("strafrechtelijke handhaving;")


@needs_corpus
def test_real_pdf_text_layer() -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(REAL_PDF) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    doc = parse_motion_document(text)
    assert doc is not None
    assert doc.dossier == "21501-02"
    assert doc.number == "3121"
    assert doc.kamerstuk == "kst-21501-02-3121"
    assert doc.date == datetime.date(2025, 4, 10)
    assert doc.submitters == ("Ceder",)
    assert not doc.cosigned
    assert [c.split()[0] for c in doc.considerations] == [
        "constaterende",
        "overwegende",
        "overwegende",
    ]
    assert len(doc.requests) == 1
    assert doc.requests[0].startswith("verzoekt de regering Israël op te roepen")
    assert doc.requests[0].endswith("een duurzaam perspectief,")


PLAIN_MOTION = """\
Tweede Kamer der Staten-Generaal
Vergaderjaar 2023-2024
36 410 XVI Vaststelling van de begrotingsstaten
Nr. 94 MOTIE VAN DE LEDEN VAN DER VEEN EN
INGE DE BOER
Voorgesteld tijdens het Wetgevingsoverleg van 29 januari 2024
De Kamer,
gehoord de beraadslaging,
constaterende dat er een bezui-
niging is;
voorts constaterende dat dit onvoldoende
wordt gemotiveerd;
van mening dat dit anders moet;
verzoekt de regering de bezuiniging te schrappen,
en gaat over tot de orde van de dag.
Van der Veen
Inge de Boer
"""


def test_plain_text_motion() -> None:
    doc = parse_motion_document(PLAIN_MOTION)
    assert doc is not None
    assert doc.submitters == ("Van der Veen", "Inge de Boer")
    assert doc.dossier == "36410-XVI"
    assert doc.number == "94"
    assert doc.kamerstuk == "kst-36410-XVI-94"
    assert doc.date == datetime.date(2024, 1, 29)
    assert doc.considerations == (
        "constaterende dat er een bezuiniging is;",
        "voorts constaterende dat dit onvoldoende wordt gemotiveerd;",
        "van mening dat dit anders moet;",
    )
    assert doc.requests == ("verzoekt de regering de bezuiniging te schrappen,",)


@pytest.mark.parametrize(
    ("text", "submitters"),
    [
        # No signatures: particles are title-cased by rule.
        ("MOTIE VAN HET LID VAN 'T HOF\n\nDe Kamer,", ("Van 't Hof",)),
        ("MOTIE VAN DE LEDEN PETER DE VRIES EN EL AMRANI\n", ("Peter de Vries", "El Amrani")),
        ("Motie van het lid Van der Veen over de haven", ("Van der Veen",)),
    ],
)
def test_title_casing_without_signatures(text: str, submitters: tuple[str, ...]) -> None:
    doc = parse_motion_document(text)
    assert doc is not None
    assert doc.submitters == submitters


@pytest.mark.parametrize(
    "text",
    [
        "Brief van de minister over de motie van het lid Smit.",
        "",
        "MOTIE VAN WANTROUWEN",
    ],
)
def test_not_a_motion_document(text: str) -> None:
    assert parse_motion_document(text) is None


def test_metadata_title_and_fields_win() -> None:
    doc = parse_motion_document(
        "De Kamer,\n\ngehoord de beraadslaging,\n\nverzoekt de regering iets,",
        {
            "title": "MOTIE VAN HET LID SMIT C.S.",
            "dossier": "21501-02",
            "number": "7",
            "date": "2025-01-02",
        },
    )
    assert doc is not None
    assert (doc.submitters, doc.cosigned, doc.kamerstuk, doc.date) == (
        ("Smit",),
        True,
        "kst-21501-02-7",
        datetime.date(2025, 1, 2),
    )


# --- The XML reader ----------------------------------------------------------------

FOOTNOTE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<officiele-publicatie>
  <metadata>
    <meta name="DC.type" scheme="OVERHEIDop.KamerstukTypen" content="Brief"/>
    <meta name="OVERHEIDop.dossiernummer" content="36200-VI"/>
  </metadata>
  <kamerstuk>
    <kamerstukkop><tekstregel inhoud="vergaderjaar">Vergaderjaar 2022/23</tekstregel></kamerstukkop>
    <dossier><dossiernummer><dossiernr>36 200</dossiernr>
      <begrotingshoofdstuk>VI</begrotingshoofdstuk></dossiernummer>
      <titel>Begroting</titel></dossier>
    <stuk>
      <stuknr>Nr. <ondernummer>72</ondernummer></stuknr>
      <titel>BRIEF VAN DE MINISTER</titel>
      <algemeen><vrije-tekst><tekst>
        <al>Zie de brief<noot id="n1" type="voet"><noot.nr>1</noot.nr><noot.al>Kamerstuk
          <extref doc="kst-29911-379">29 911, nr. 379</extref>.</noot.al></noot> over
          <extref doc="kst-29911-365">29 911, nr. 365</extref> en <nadruk>meer</nadruk>.</al>
        <al>Tweede<?xpp ignore?> alinea.<noot id="n2" type="voet"><noot.nr>2</noot.nr>
          <noot.al>Tweede noot.</noot.al></noot></al>
      </tekst></vrije-tekst></algemeen>
    </stuk>
  </kamerstuk>
</officiele-publicatie>
"""


def test_footnotes_extrefs_and_metadata() -> None:
    ingested = parse_officiele_xml(FOOTNOTE_XML.encode())
    text = ingested.text
    assert "Zie de brief¹ over 29 911, nr. 365 en meer." in text
    assert "Tweede alinea.²" in text
    assert text.endswith("1 Kamerstuk 29 911, nr. 379.\n2 Tweede noot.")
    assert "\n\n" in text and ingested.source_kind == "xml"
    # The markers are stated, not found: offsets in their paragraph, the notes numbered.
    first = next(b for b in ingested.blocks if b.str.startswith("Zie de brief"))
    assert [(m.offset, m.n) for m in first.markers or ()] == [(len("Zie de brief"), 1)]
    assert [(b.n, b.str) for b in ingested.of_kind("footnote")] == [
        (1, "Kamerstuk 29 911, nr. 379."),
        (2, "Tweede noot."),
    ]
    refs = json.loads(ingested.metadata["extrefs"])
    assert [r["doc"] for r in refs] == ["kst-29911-379", "kst-29911-365"]
    assert refs[1]["text"] == "29 911, nr. 365"
    meta = ingested.metadata
    assert meta["kamerstuk"] == "kst-36200-VI-72"
    assert meta["dossier"] == "36200-VI"
    assert meta["doc_type"] == "brief"
    assert meta["vergaderjaar"] == "2022-2023"
    assert meta["subject"] == "Begroting"
    assert ingested.warnings == []


@needs_corpus
def test_metadata_of_a_linked_only_record() -> None:
    meta = read_officiele_xml(MOTIONS_DIR / "kst-21501-02-2863.xml").metadata
    assert meta["kamerstuk"] == "kst-21501-02-2863"
    assert meta["dossier"] == "21501-02"
    assert meta["number"] == "2863"
    assert meta["doc_type"] == "motie"
    assert meta["metadata_record"].endswith("/kst-21501-02-2863/metadata.xml")
    assert meta["title"].startswith("GEWIJZIGDE MOTIE")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<officiele-publicatie><kamerstuk><stuk><al>&lol9;</al></stuk></kamerstuk></officiele-publicatie>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<officiele-publicatie><kamerstuk><stuk><al>&xxe;</al></stuk></kamerstuk></officiele-publicatie>
"""

EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE officiele-publicatie SYSTEM "http://example.invalid/evil.dtd">
<officiele-publicatie><kamerstuk/></officiele-publicatie>
"""


@pytest.mark.parametrize(
    ("payload", "stage"),
    [
        (BILLION_LAUGHS, "xml-security"),
        (XXE, "xml-security"),
        (EXTERNAL_DTD, "xml-security"),
        ("<officiele-publicatie><kamerstuk>", "xml-parse"),
        ("<html><body/></html>", "xml-structure"),
    ],
    ids=["billion-laughs", "xxe", "external-dtd", "truncated", "not-a-kamerstuk"],
)
def test_hostile_or_broken_xml_is_refused(tmp_path: Path, payload: str, stage: str) -> None:
    path = tmp_path / "kst-1-1.xml"
    path.write_text(payload, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(IngestError) as caught:
        read_officiele_xml(path)
    assert time.perf_counter() - started < 1.0
    assert caught.value.stage == stage
    assert str(path) in str(caught.value)
    assert "lol" * 10 not in str(caught.value)
    assert "root:" not in str(caught.value)


def test_missing_file_is_an_ingest_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as caught:
        read_officiele_xml(tmp_path / "absent.xml")
    assert caught.value.stage == "read"
