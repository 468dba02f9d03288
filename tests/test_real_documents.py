"""Regression and invariants on published documents in their real layouts.

`tests/fixtures/real-documents/documents/` holds published documents as they were
found (ministry PDFs, official Kamerstuk PDFs, Woo decisions, scans, XML, markdown
and text copies that other tools made; see SOURCES.md there). The whole folder is
run once. Two kinds of checks follow:

- invariants over every document, gold or not: the share of source text that
  reached the record, and every footnote with its marker and its text, or a
  warning that says what was lost;
- regression on the documents with gold in `tests/gold_real/` (written from the
  documents against ANNOTATION.md): every gold item its own case, floors per
  layout and type in `tests/floors_real.json`, known misses in
  `tests/known_failures_real.json` as strict expected failures with a reason.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from kamerbrief_extract.evaluate import TYPES, check_floors, count_matches, evaluate, item_label
from kamerbrief_extract.parallel import run_parallel

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "tests" / "fixtures" / "real-documents" / "documents"
GOLD = ROOT / "tests" / "gold_real"
LAYOUTS: dict[str, list[str]] = json.loads((ROOT / "tests" / "real_documents.json").read_text())[
    "layouts"
]
FLOORS: dict[str, dict[str, float]] = {
    k: v
    for k, v in json.loads((ROOT / "tests" / "floors_real.json").read_text()).items()
    if not k.startswith("_")
}
KNOWN: dict[str, dict[str, dict[str, str]]] = {
    k: v
    for k, v in json.loads((ROOT / "tests" / "known_failures_real.json").read_text()).items()
    if not k.startswith("_")
}
COVERAGE_FLOOR = 0.99


def gold_for(document: str) -> dict[str, Any] | None:
    """Gold of a document; a text copy made by another tool is scored against its PDF's gold."""
    name = Path(document).name
    original = name.split(".")[0] + ".pdf" if document.startswith("copies/") else name
    path = GOLD / f"{Path(original).stem}.json"
    if not path.exists():
        return None
    gold: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    gold["source"] = name
    return gold


def _annotated() -> list[tuple[str, str]]:
    return [(layout, doc) for layout, docs in LAYOUTS.items() for doc in docs if gold_for(doc)]


@pytest.fixture(scope="session")
def real_records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real-documents")
    result = run_parallel(DOCUMENTS, out, workers=2)
    assert not result.failed, [f"{o.path}: {o.message}" for o in result.failed]
    return out


def _records(out: Path) -> dict[str, dict[str, Any]]:
    records = {}
    for path in out.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("source"), dict):
            records[Path(data["source"]["path"]).name] = data
    return records


@pytest.fixture(scope="session")
def records(real_records: Path) -> dict[str, dict[str, Any]]:
    """The records by source file name, read once for all cases."""
    return _records(real_records)


# -- invariants over every document -------------------------------------------------


def test_every_document_gives_a_record(records: dict[str, dict[str, Any]]) -> None:
    sources = {p.name for p in DOCUMENTS.rglob("*") if p.is_file()}
    assert sources - set(records) == set()


def test_text_coverage_or_a_warning_naming_what_was_lost(
    records: dict[str, dict[str, Any]],
) -> None:
    silent = []
    for name, record in sorted(records.items()):
        coverage = record["coverage"]
        warned = any("text coverage" in w and "e.g." in w for w in record["warnings"])
        if coverage is None or (coverage < COVERAGE_FLOOR and not warned):
            silent.append(f"{name}: {coverage}")
    assert silent == []


def test_median_coverage_of_real_documents(records: dict[str, dict[str, Any]]) -> None:
    values = sorted(r["coverage"] for r in records.values())
    assert values[len(values) // 2] >= 0.998
    assert values[0] >= 0.98


def test_every_footnote_has_marker_and_text_or_a_warning(
    records: dict[str, dict[str, Any]],
) -> None:
    silent = []
    for name, record in sorted(records.items()):
        warned = {
            int(m.group(1)) for w in record["warnings"] if (m := re.match(r"footnote (\d+):", w))
        }
        for note in record["footnotes"]:
            complete = note["text"] and note["marker"] is not None
            if not complete and note["n"] not in warned:
                silent.append(f"{name}: footnote {note['n']}")
    assert silent == []


def test_no_footnote_text_lost_in_the_official_kamerstuk_layout(
    records: dict[str, dict[str, Any]],
) -> None:
    lost = [
        f"{doc}: {note['n']}"
        for doc in LAYOUTS["kamerstuk-pdf"]
        for note in records[doc]["footnotes"]
        if not note["text"]
    ]
    notes = sum(len(records[doc]["footnotes"]) for doc in LAYOUTS["kamerstuk-pdf"])
    assert notes >= 30
    assert lost == []


# -- regression on the documents with gold ------------------------------------------


def _layout_gold(layout: str, tmp: Path) -> Path:
    folder = tmp / layout
    folder.mkdir(parents=True, exist_ok=True)
    for document in LAYOUTS[layout]:
        gold = gold_for(document)
        if gold is not None:
            (folder / f"{Path(document).name}.json").write_text(json.dumps(gold))
    return folder


@pytest.mark.parametrize("layout", sorted(FLOORS))
def test_layout_scores_meet_floors(real_records: Path, layout: str, tmp_path: Path) -> None:
    evaluation = evaluate(_layout_gold(layout, tmp_path), real_records)
    assert evaluation.documents > 0
    assert evaluation.missing_predictions == []
    assert check_floors(evaluation, FLOORS[layout]) == []


def _cases() -> list[Any]:
    cases = []
    for layout, document in _annotated():
        gold = gold_for(document)
        assert gold is not None
        known = KNOWN.get(Path(document).name, {})
        for kind in TYPES:
            if kind == "links":
                continue  # links need the corpus; the sample-letter regression covers them
            seen: dict[str, int] = {}
            for item in gold.get(kind, []):
                if item.get("optional"):
                    continue
                key = item_label(kind, item)
                seen[key] = seen.get(key, 0) + 1
                # A key named twice in a document: "key#2" is its second occurrence.
                reason = known.get(kind, {}).get(f"{key}#{seen[key]}") or (
                    known.get(kind, {}).get(key) if seen[key] == 1 else None
                )
                marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
                short = Path(document).name.split("_")[-1][:24]
                cases.append(
                    pytest.param(
                        document,
                        kind,
                        item,
                        seen[key],
                        id=f"{layout}-{short}-{kind}-{key[:40]}",
                        marks=marks,
                    )
                )
    return cases


@pytest.mark.parametrize(("document", "kind", "item", "occurrence"), _cases())
def test_gold_item_found(
    records: dict[str, dict[str, Any]],
    document: str,
    kind: str,
    item: dict[str, Any],
    occurrence: int,
) -> None:
    record = records[Path(document).name]
    assert count_matches(kind, item, record.get(kind) or []) >= occurrence


def _meta_cases() -> list[Any]:
    cases = []
    for layout, document in _annotated():
        gold = gold_for(document)
        assert gold is not None
        known = KNOWN.get(Path(document).name, {}).get("meta", {})
        for field in ("date", "doc_type", "sender", "subject", "kamerstuk"):
            if field not in gold.get("meta", {}):
                continue
            reason = known.get(field)
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            short = Path(document).name[:40]
            cases.append(pytest.param(document, field, id=f"{layout}-{short}-{field}", marks=marks))
    return cases


@pytest.mark.parametrize(("document", "field"), _meta_cases())
def test_metadata_field(records: dict[str, dict[str, Any]], document: str, field: str) -> None:
    gold = gold_for(document)
    assert gold is not None
    assert records[Path(document).name]["meta"][field] == gold["meta"][field]


# -- every real motion keeps its text -----------------------------------------------

MOTIONS = ROOT / "tests" / "fixtures" / "kst-motions"


@pytest.fixture(scope="session")
def motion_records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("kst-motions")
    result = run_parallel(MOTIONS, out, workers=1)
    assert not result.failed, [f"{o.path}: {o.message}" for o in result.failed]
    return _records(out)


def test_all_real_motions_keep_their_text(motion_records: dict[str, dict[str, Any]]) -> None:
    assert len(motion_records) == len(list(MOTIONS.glob("*.xml"))) >= 200
    low = {name: r["coverage"] for name, r in motion_records.items() if r["coverage"] < 0.99}
    assert low == {}


def test_real_motions_keep_their_dictum_and_signature(
    motion_records: dict[str, dict[str, Any]],
) -> None:
    short = [
        name
        for name, record in motion_records.items()
        if len(record["text"]) < 200 or "orde van de dag" not in record["text"]
    ]
    assert short == []
