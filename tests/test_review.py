"""The HTML review page: highlights, footnote links, tooltips, escaping, real browser."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from factory import make_record
from kamerbrief_extract.corpus.query import load_corpus
from kamerbrief_extract.corpus.report import render_report
from kamerbrief_extract.corpus.review import FILTER_SCRIPT, highlights, render_html
from kamerbrief_extract.records import Amount, Link, Record
from test_query import sample_out

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
OUTPUT = ROOT / "tests" / "output"
__all__ = ["sample_out"]  # the fixture, shared with test_query

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
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)
INJECTED = (
    " <script>document.title='pwned'</script>"
    " <img src=x onerror=\"document.title='pwned'\">"
    " <a href=\"javascript:document.title='pwned'\">x</a>"
)


def _chromium(tmp_path: Path, *args: str) -> str:
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
    done = subprocess.run([*flags, *args], capture_output=True, text=True, timeout=90, check=True)
    return done.stdout


class Rows(HTMLParser):
    """The item table's rows: (label, hidden) for each."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, bool]] = []
        self.body: dict[str, str] = {}
        self.svgs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "tr" and "data-label" in a:
            self.rows.append((a["data-label"], "hidden" in a))
        if tag == "body":
            self.body = a
        if tag == "svg":
            self.svgs += 1


@needs_chromium
def test_page_in_headless_chromium(tmp_path: Path) -> None:
    from kamerbrief_extract.process import process_file

    sample = sorted(RAW.glob("*.txt"))[0]
    data = process_file(sample, display_path=sample.name)
    data.text = data.text + INJECTED
    page = tmp_path / "review.html"
    page.write_text(render_html(data), encoding="utf-8")
    dom = _chromium(tmp_path, "--dump-dom", page.as_uri())
    parsed = parse(dom)
    labels = {m[0] for m in parsed.marks}
    assert {"citation", "municipality", "motion", "commitment"} <= labels
    assert any(m[0] == "municipality" and m[2] == "Delft" for m in parsed.marks)
    assert "pwned" not in dom.split("</title>")[0]  # nothing from the letter ran
    rows = Rows()
    rows.feed(dom)
    assert rows.body.get("data-filter") == "all"  # the page's own script did run
    assert len(rows.rows) == len(highlights(data)) and not any(h for _, h in rows.rows)
    OUTPUT.mkdir(exist_ok=True)
    shot = OUTPUT / "review.png"
    shot.unlink(missing_ok=True)
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2400", page.as_uri())
    assert shot.exists() and shot.stat().st_size > 10_000


@needs_chromium
def test_filter_by_type_in_headless_chromium(tmp_path: Path) -> None:
    from kamerbrief_extract.process import process_file

    sample = sorted(RAW.glob("*.txt"))[0]
    page = tmp_path / "review.html"
    page.write_text(render_html(process_file(sample, display_path=sample.name)), encoding="utf-8")
    rows = Rows()
    rows.feed(_chromium(tmp_path, "--dump-dom", page.as_uri() + "#type=municipality"))
    assert rows.body.get("data-filter") == "municipality"
    shown = {label for label, hidden in rows.rows if not hidden}
    assert shown == {"municipality"}
    assert {label for label, hidden in rows.rows if hidden} >= {"citation", "commitment"}


@needs_chromium
def test_corpus_page_in_headless_chromium(sample_out: Path, tmp_path: Path) -> None:
    records, corpus = load_corpus(sample_out)
    records[0].meta.subject = "Onderwerp" + INJECTED
    records[0].municipalities[0].name = "<script>document.title='pwned'</script>"
    page = tmp_path / "corpus.html"
    page.write_text(render_report(records, corpus), encoding="utf-8")
    dom = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert "pwned" not in dom.split("</title>")[0]
    parsed = Rows()
    parsed.feed(dom)
    assert parsed.svgs >= 5  # one plot per question, inline
    assert parse(dom).scripts == 0
    for title in ("Documents over time", "Euros per year by recurrence", "Most-mentioned"):
        assert title in dom
    assert "<td>Rotterdam</td><td>GM0599</td><td>3</td><td>1</td>" in dom  # the plot's numbers
    OUTPUT.mkdir(exist_ok=True)
    shot = OUTPUT / "corpus.png"
    shot.unlink(missing_ok=True)
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,3600", page.as_uri())
    assert shot.exists() and shot.stat().st_size > 10_000


def test_corpus_page_numbers(sample_out: Path) -> None:
    records, corpus = load_corpus(sample_out)
    page = render_report(records, corpus, today=dt.date(2024, 1, 1))
    assert page.count("<svg") == 5 and "<script" not in page
    # the 2022 letter's distinct per-year amounts, as in the README's query
    assert "<td>2022</td><td>per year</td><td>1.583.000.000</td>" in page
    assert "<td>000_2080eeb4b84fdb39.txt</td><td>1</td><td>0</td>" in page  # cited once
    assert "<td>2023-07</td><td>fulfilled</td><td>1</td>" in page
