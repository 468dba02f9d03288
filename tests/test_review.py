"""The HTML review page: highlights, footnote links, tooltips, escaping, real browser."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from factory import make_record
from kamerbrief_extract.corpus.review import FILTER_SCRIPT, highlights, render_html
from kamerbrief_extract.records import Amount, Link, Record

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
OUTPUT = ROOT / "tests" / "output"

TEXT = "Met €5 mln. voor Rotterdam.<script>alert(1)</script> Zie Kamerstuk 1 nr. 2.Noot een."


def record(text: str = TEXT, **changes: Any) -> Record:
    body_end = text.index("Noot")
    fields: dict[str, Any] = {
        "footnotes": [{"n": 1, "text": "Noot een.", "marker": body_end, "start": body_end}],
        "amounts": [
            {"start": 4, "end": 11, "value_eur": 5000000, "raw": "€5 mln.", "recurrence": "one_off"}
        ],
        "municipalities": [
            {"start": 17, "end": 26, "name": "Rotterdam", "cbs_code": "GM0599", "status": "current"}
        ],
        "citations": [
            {
                "start": text.index("Kamerstuk"),
                "end": text.index("Noot") - 1,
                "id": "kst-1-2",
                "kind": "kamerstuk",
                "raw": "Kamerstuk 1 nr. 2",
            }
        ],
        # overlaps the amount and the municipality
        "commitments": [
            {"start": 0, "end": 27, "kind": "new", "text": text[:27], "deadline": "2023-12-31"}
        ],
    }
    fields.update(changes)
    return make_record(
        "brief<1>.txt",
        text,
        {"date": "2023-05-22", "subject": "Onderwerp & <b>vet</b>"},
        body_end=body_end,
        **fields,
    )


class Marks(HTMLParser):
    """Collects (label, title, text) of every mark, and script tags."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.marks: list[tuple[str, str, str]] = []
        self.scripts = 0
        self.ids: set[str] = set()
        self.hrefs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "script":
            self.scripts += 1
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.hrefs.add(a["href"])
        if tag == "mark" and "data-label" in a:
            self.stack.append((a["data-label"], a.get("title", "")))
            self.marks.append((a["data-label"], a.get("title", ""), ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for depth in range(len(self.stack)):
            index = len(self.marks) - 1 - depth
            label, title, text = self.marks[index]
            self.marks[index] = (label, title, text + data)


def parse(page: str) -> Marks:
    parser = Marks()
    parser.feed(page)
    return parser


def test_document_text_is_escaped() -> None:
    page = render_html(record())
    assert page.count("<script>") == 1  # ours only
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>vet</b>" not in page and "&lt;b&gt;vet&lt;/b&gt;" in page
    assert parse(page).scripts == 1  # the page's own filter, allowed by its hash only
    assert f"<script>{FILTER_SCRIPT}</script>" in page
    assert "script-src 'sha256-" in page


def test_escaped_in_attributes_too() -> None:
    rec = record()
    rec.amounts[0].raw = '"><script>x</script>'
    rec.amounts[0].qualifier = '"><img src=x onerror=alert(1)>'
    rec.meta.sender = "<script>y</script>"
    page = render_html(rec)
    assert "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
    assert parse(page).scripts == 1


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("abc\u202edef", "abc[U+202E]def"),  # right-to-left override
        ("x\u2066y\u2069", "x[U+2066]y[U+2069]"),  # isolates
        ("a\u200fb", "a[U+200F]b"),  # right-to-left mark
        ("gewoon", "gewoon"),
        ("אבג", "אבג"),  # right-to-left letters themselves are text, not controls
    ],
)
def test_bidi_controls_are_shown_not_obeyed(text: str, shown: str) -> None:
    rec = record()
    rec.meta.subject = text
    rec.meta.sender = text
    page = render_html(rec)
    assert f"<h1>{shown}</h1>" in page
    assert f"<td>{shown}</td>" in page
    body = make_record("x.txt", f"Een zin met {text} erin.")
    assert f"Een zin met {shown} erin." in render_html(body)
    assert not any(c in page for c in "\u202e\u2066\u2069\u200f")


@pytest.mark.parametrize(
    ("label", "text", "value"),
    [
        ("amount", "€5 mln.", "€ 5.000.000 eenmalig"),
        ("municipality", "Rotterdam", "GM0599 Rotterdam"),
        ("citation", "Kamerstuk 1 nr. 2", "kst-1-2 (kamerstuk)"),
        ("commitment", "Met €5 mln. voor Rotterdam.", "new · deadline 2023-12-31"),
    ],
)
def test_items_show_their_value_in_the_text_and_the_table(
    label: str, text: str, value: str
) -> None:
    page = render_html(record())
    marks = parse(page).marks
    assert any(m[0] == label and value in m[1] for m in marks), marks  # tooltip
    assert f'<span class="val val-{label}">{value}</span>' in page  # visible beside the text
    row = re.search(rf'<tr class="t-{label}" data-label="{label}">(.*?)</tr>', page, re.S)
    assert row and f"<td>{value}</td>" in row[1] and ">" + text[:7] in row[1]


def test_item_table_links_to_the_place_in_the_text() -> None:
    parsed = parse(render_html(record()))
    assert {"#item-amount-0", "#item-municipality-0", "#item-citation-0"} <= parsed.hrefs
    assert {"item-amount-0", "item-municipality-0", "item-citation-0"} <= parsed.ids


def test_warnings_and_coverage_at_the_top() -> None:
    rec = record(warnings=["page 2: no text layer"], coverage=0.91)
    page = render_html(rec)
    assert page.index("page 2: no text layer") < page.index('<div class="letter">')
    assert "Text coverage: 91.0%" in page


@pytest.mark.parametrize(
    ("text", "headings"),
    [
        ("Inleiding\n\nDit is de tekst.", ["Inleiding"]),
        ("Kosten en baten\n\nDe kosten zijn hoog.", ["Kosten en baten"]),
        ("Dit is een zin.\n\nNog een zin.", []),  # closing punctuation: a paragraph
        ("Naast de onderzoeken is het\n\nduidelijk dat", []),  # a sentence cut by a page
        ("Onder meer:\n\nDe kosten.", []),
    ],
)
def test_headings_are_headings(text: str, headings: list[str]) -> None:
    page = render_html(make_record("x.txt", text))
    assert re.findall(r"<h3>(.*?)</h3>", page) == headings


def test_overlapping_items_both_cover_their_text() -> None:
    marks = parse(render_html(record())).marks
    covered = "".join(m[2] for m in marks if m[0] == "commitment")
    assert covered == "Met €5 mln. voor Rotterdam."


def test_footnote_marker_links_to_note_and_back() -> None:
    parsed = parse(render_html(record()))
    assert {"fnref-1", "fn-1"} <= parsed.ids
    assert {"#fn-1", "#fnref-1"} <= parsed.hrefs


def test_items_with_bad_offsets_are_skipped() -> None:
    rec = record()
    rec.amounts.append(Amount(start=5, end=9999, value_eur=Decimal(1), raw="x"))
    rec.amounts.append(Amount(start=8, end=8, value_eur=Decimal(1), raw="x"))
    assert [h.label for h in highlights(rec)].count("amount") == 1


def test_links_are_listed() -> None:
    link = Link(source="a.txt", to="b.txt", kind="cites", confidence=0.9)
    page = render_html(record(), [link])
    assert "<td>cites</td>" in page and "<td>b.txt</td>" in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_page_in_headless_chromium(tmp_path: Path) -> None:
    from kamerbrief_extract.process import process_file

    sample = sorted(RAW.glob("*.txt"))[0]
    data = json.loads(process_file(sample, display_path=sample.name).model_dump_json())
    data["text"] = data["text"] + " <script>document.title='pwned'</script>"
    page = tmp_path / "review.html"
    page.write_text(render_html(data), encoding="utf-8")
    assert CHROMIUM is not None
    flags = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [*flags, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    parsed = parse(dom)
    labels = {m[0] for m in parsed.marks}
    assert {"citation", "municipality", "motion", "commitment"} <= labels
    assert any(m[0] == "municipality" and m[2] == "Delft" for m in parsed.marks)
    assert "pwned" not in dom.split("</title>")[0]  # the script did not run
    OUTPUT.mkdir(exist_ok=True)
    shot = OUTPUT / "review.png"
    shot.unlink(missing_ok=True)
    subprocess.run(
        [*flags, f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri()],
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert shot.exists() and shot.stat().st_size > 10_000
