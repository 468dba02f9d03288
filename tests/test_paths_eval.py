"""Issue 5's yardstick: the PDF and scanned-PDF paths score like the text path on the same gold.

The fixture PDFs are rendered from the sample letters (tests/fixtures/make_pdfs.py);
the scans rasterise every page of them, skewed and with noise, so OCR sees the whole letter.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from kamerbrief_extract.evaluate import evaluate
from kamerbrief_extract.process import process_file

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
from make_pdfs import _save_image_pdf, cached_fixtures, rasterise  # noqa: E402

LETTERS = {"letter_000": "000_2080eeb4b84fdb39", "letter_001": "001_c2062dcf44ea3889"}
TYPES = ("footnotes", "citations", "amounts", "municipalities", "motions", "commitments")


def _score(paths: dict[str, Path], tmp: Path, name: str) -> dict[str, float]:
    gold_dir, pred_dir = tmp / f"gold_{name}", tmp / f"pred_{name}"
    gold_dir.mkdir()
    pred_dir.mkdir()
    for key, stem in LETTERS.items():
        gold = json.loads((ROOT / "tests" / "gold" / f"{stem}.json").read_text())
        gold.pop("links")
        (gold_dir / f"{stem}.json").write_text(json.dumps(gold))
        record = process_file(paths[key], display_path=f"{stem}.txt")
        (pred_dir / f"{stem}.json").write_text(record.model_dump_json())
    evaluation = evaluate(gold_dir, pred_dir)
    return {kind: evaluation.types[kind].f1 for kind in TYPES}


@pytest.fixture(scope="module")
def text_scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    paths = {key: ROOT / "data" / "raw" / f"{stem}.txt" for key, stem in LETTERS.items()}
    return _score(paths, tmp_path_factory.mktemp("text"), "text")


def test_text_layer_pdf_within_002_of_text_path(
    text_scores: dict[str, float], tmp_path: Path
) -> None:
    fixtures = cached_fixtures()
    pdf_scores = _score({k: fixtures[k] for k in LETTERS}, tmp_path, "pdf")
    print("text F1:", text_scores, "pdf F1:", pdf_scores)
    gaps = {k: round(text_scores[k] - pdf_scores[k], 3) for k in TYPES}
    assert all(gap <= 0.02 for gap in gaps.values()), gaps


@pytest.mark.slow
def test_scanned_pdf_within_005_of_text_path(text_scores: dict[str, float], tmp_path: Path) -> None:
    fixtures = cached_fixtures()
    scans: dict[str, Path] = {}
    for key in LETTERS:
        import pypdfium2

        n_pages = len(pypdfium2.PdfDocument(fixtures[key]))
        images = rasterise(fixtures[key], list(range(1, n_pages + 1)), dpi=300, seed=3)
        scans[key] = tmp_path / f"scan_{key}.pdf"
        _save_image_pdf(images, scans[key], 300)
    scan_scores = _score(scans, tmp_path, "scan")
    gaps = {k: round(text_scores[k] - scan_scores[k], 3) for k in TYPES}
    print("scan F1:", scan_scores, "gaps:", gaps)
    assert all(gap <= 0.05 for gap in gaps.values()), gaps
