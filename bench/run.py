"""Throughput, memory, scaling, stage costs and worker speedup of the extraction pipeline.

Every figure is quoted next to a bare baseline measured in the same run on the
same files (reading the text file; parsing the XML; pdfplumber's own
`extract_text`; Tesseract alone on the same page images), so the numbers mean
something on any machine. Results go to `bench/results/<time>.json`.

    python -m bench.run            # full: scaling to 100x, speedup on 30x
    python -m bench.run --quick    # capped sizes, about two minutes
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "data" / "raw").glob("*.txt"))
MOTIONS = sorted((ROOT / "tests" / "fixtures" / "kst-motions").glob("*.xml"))
REAL_PDFS = sorted((ROOT / "tests" / "fixtures" / "real-motion-pdf").glob("*.pdf"))
RESULTS = ROOT / "bench" / "results"
console = Console(width=None if sys.stdout.isatty() else 200)


# --------------------------------------------------------------------------- helpers


def _timed(fn: Callable[[], Any], repeat: int = 1) -> float:
    """Best of `repeat` wall times: the least disturbed by other load on the machine."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def _traced_peak_mb(fn: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1048576
    finally:
        tracemalloc.stop()


def _load_make_pdfs() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_pdfs", ROOT / "tests" / "fixtures" / "make_pdfs.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_pdfs"] = module
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- baselines


def _read_text(paths: Sequence[Path]) -> None:
    for p in paths:
        p.read_text(encoding="utf-8", errors="replace")


def _parse_xml(paths: Sequence[Path]) -> None:
    from defusedxml import ElementTree

    for p in paths:
        "".join(ElementTree.parse(p).getroot().itertext())


def _pdfplumber_text(paths: Sequence[Path]) -> None:
    import pdfplumber

    for p in paths:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_text()


def _page_images(paths: Sequence[Path]) -> list[Any]:
    """The images the pipeline hands Tesseract: pages at 300 dpi, greyscale (ocr._prepare)."""
    import pypdfium2
    from PIL import Image

    from kamerbrief_extract.ingest.ocr import _prepare

    images: list[Any] = []
    for p in paths:
        if p.suffix.lower() == ".pdf":
            doc = pypdfium2.PdfDocument(p)
            try:
                for page in doc:
                    img = page.render(scale=300 / 72).to_pil()
                    img.info["dpi"] = (300, 300)
                    images.append(img)
            finally:
                doc.close()
        else:
            with Image.open(p) as img:
                images.append(img.copy())
    return [_prepare(img)[0] for img in images]


def _tesseract(images: Sequence[Any]) -> None:
    """Tesseract as the pipeline runs it (single-threaded, one page per core), nothing else."""
    from concurrent.futures import ThreadPoolExecutor

    import pytesseract

    os.environ["OMP_THREAD_LIMIT"] = "1"

    def one(img: Any) -> None:
        pytesseract.image_to_data(img, lang="nld", config="--psm 3")

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(one, images))


# --------------------------------------------------------------------------- sections


def bench_paths(quick: bool, work: Path) -> list[dict[str, Any]]:
    """Documents/s and pages/s per ingestion path, as a ratio to its bare baseline."""
    from kamerbrief_extract.nlp.pipeline import load_pipeline
    from kamerbrief_extract.process import process_file as extract_record

    load_pipeline()
    extract_record(SAMPLES[-1])  # warm lazy tables, so the first path is not charged for them
    fixtures = _load_make_pdfs().build_fixtures(work / "pdf")
    pdfs = [fixtures["letter_000"], fixtures["letter_001"], *REAL_PDFS]
    scans = (
        [fixtures["scan_001_p2_png"]]
        if quick
        else [fixtures["scan_000"], fixtures["scan_001_p2_png"]]
    )
    paths: dict[str, tuple[list[Path], Callable[[Sequence[Path]], None], str]] = {
        "text": (SAMPLES, _read_text, "read the file"),
        "xml": (MOTIONS[:10] if quick else MOTIONS, _parse_xml, "defusedxml parse + itertext"),
        "pdf": (pdfs, _pdfplumber_text, "pdfplumber extract_text"),
        "ocr": (scans, lambda ps: None, "tesseract alone, same images"),
    }
    rows: list[dict[str, Any]] = []
    for kind, (files, baseline, what) in paths.items():
        pages = 0

        def pipeline(files: list[Path] = files) -> None:
            nonlocal pages
            pages = 0
            for f in files:
                record = extract_record(f)
                pages += record.source.pages or 1

        repeat = 1 if kind == "ocr" else 3
        t_pipe = _timed(pipeline, repeat)
        if kind == "ocr":
            images = _page_images(files)
            t_base = _timed(partial(_tesseract, images))
        else:
            t_base = _timed(partial(baseline, files), repeat)
        one = partial(extract_record, files[0])
        peak = _traced_peak_mb(one) if kind != "ocr" else None
        rows.append(
            {
                "path": kind,
                "documents": len(files),
                "pages": pages,
                "seconds": round(t_pipe, 4),
                "docs_per_s": round(len(files) / t_pipe, 2),
                "pages_per_s": round(pages / t_pipe, 2),
                "baseline": what,
                "baseline_seconds": round(t_base, 6),
                "ratio_vs_baseline": round(t_pipe / t_base, 1) if t_base > 0 else None,
                "traced_peak_mb_one_doc": round(peak, 1) if peak is not None else None,
                "maxrss_mb": round(_maxrss_mb(), 1),
                "maxrss_children_mb": round(_maxrss_mb(resource.RUSAGE_CHILDREN), 1),
            }
        )
    return rows


def make_corpus(root: Path, factor: int) -> Path:
    """The sample letters and XML motions, `factor` times, each copy under a new name."""
    src = root / f"corpus_{factor}x"
    if src.exists():
        return src
    src.mkdir(parents=True)
    for i in range(factor):
        for path in [*SAMPLES, *MOTIONS]:
            shutil.copyfile(path, src / f"r{i:03d}_{path.name}")
    return src


def bench_scaling(quick: bool, work: Path) -> list[dict[str, Any]]:
    """The same corpus at 1x, 10x, 100x: seconds per document should stay flat."""
    from kamerbrief_extract.parallel import run_parallel

    rows: list[dict[str, Any]] = []
    base: float | None = None
    for factor in (1, 5, 10) if quick else (1, 10, 100):
        src = make_corpus(work, factor)
        out = work / f"out_scale_{factor}x"
        shutil.rmtree(out, ignore_errors=True)
        start = time.perf_counter()
        result = run_parallel(src, out, workers=1)
        seconds = time.perf_counter() - start
        docs = len(result.outcomes)
        per_doc = seconds / docs
        base = base or per_doc
        rows.append(
            {
                "factor": factor,
                "documents": docs,
                "failed": len(result.failed),
                "seconds": round(seconds, 2),
                "docs_per_s": round(docs / seconds, 2),
                "ms_per_doc": round(per_doc * 1000, 2),
                "per_doc_vs_1x": round(per_doc / base, 2),
                "maxrss_mb": round(_maxrss_mb(), 1),
            }
        )
        shutil.rmtree(out, ignore_errors=True)
    return rows


def bench_stages(work: Path) -> dict[str, Any]:
    """Seconds per stage, for the text+XML corpus and for the PDF letters; names the slowest."""
    groups = {
        "text+xml": [*SAMPLES, *MOTIONS],
        "pdf": [*sorted((work / "pdf").glob("letter_*.pdf")), *REAL_PDFS],
    }
    return {name: _stages(files, work) for name, files in groups.items()}


def _stages(files: Sequence[Path], work: Path) -> dict[str, Any]:
    from kamerbrief_extract.process import process_file as extract_record
    from kamerbrief_extract.store import write_record

    totals: dict[str, float] = {}
    for f in files:
        record = extract_record(f, timings=totals)
        start = time.perf_counter()
        write_record(work / "stage_out" / f"{f.stem}.json", record)
        totals["write"] = totals.get("write", 0.0) + time.perf_counter() - start
    total = sum(totals.values())
    stages = {k: round(v, 4) for k, v in sorted(totals.items(), key=lambda kv: -kv[1])}
    slowest = max(totals, key=lambda k: totals[k])
    return {
        "documents": len(files),
        "seconds": stages,
        "share": {k: round(v / total, 3) for k, v in stages.items()},
        "slowest": slowest,
        "slowest_share": round(totals[slowest] / total, 3),
    }


def bench_workers(quick: bool, work: Path) -> dict[str, Any]:
    """`kamerbrief run` at 1 and 2 workers, end to end and at steady state.

    End to end includes what does not shrink with more workers: the parent's imports
    and each worker's pipeline load. That start-up is measured in the same run on a
    one-document corpus and subtracted to give the processing rate.
    """
    factor = 10 if quick else 30
    src = make_corpus(work, factor)
    tiny = work / "corpus_one"
    shutil.rmtree(tiny, ignore_errors=True)
    tiny.mkdir()
    first = sorted(src.iterdir())[0]
    shutil.copy(first, tiny / first.name)
    cli = Path(sys.executable).with_name("kamerbrief")

    def timed(corpus: Path, workers: int) -> float:
        out = work / f"out_workers_{workers}"
        shutil.rmtree(out, ignore_errors=True)
        cmd = [str(cli), "run", str(corpus), "--out", str(out), "--no-links"]
        start = time.perf_counter()
        subprocess.run([*cmd, "--workers", str(workers)], check=True, capture_output=True)
        elapsed = time.perf_counter() - start
        shutil.rmtree(out, ignore_errors=True)
        return elapsed

    docs = len(list(src.iterdir()))
    times = {w: timed(src, w) for w in (1, 2)}
    startup = {w: timed(tiny, w) for w in (1, 2)}
    rate = {w: docs / max(times[w] - startup[w], 1e-9) for w in (1, 2)}
    return {
        "corpus_factor": factor,
        "documents": docs,
        "cpus": os.cpu_count(),
        "seconds_1_worker": round(times[1], 2),
        "seconds_2_workers": round(times[2], 2),
        "speedup": round(times[1] / times[2], 2),
        "startup_s_1_worker": round(startup[1], 2),
        "startup_s_2_workers": round(startup[2], 2),
        "docs_per_s_1_worker": round(rate[1], 1),
        "docs_per_s_2_workers": round(rate[2], 1),
        "rate_speedup": round(rate[2] / rate[1], 2),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


# --------------------------------------------------------------------------- report


def _table(title: str, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> Table:
    table = Table(title=title)
    for col in columns:
        table.add_column(col, justify="left" if col in {"path", "baseline"} else "right")
    for row in rows:
        table.add_row(*(str(row.get(col, "")) for col in columns))
    return table


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="cap corpus sizes")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for results JSON")
    parser.add_argument(
        "--only",
        nargs="*",
        choices=["paths", "scaling", "stages", "workers", "links"],
        help="sections",
    )
    args = parser.parse_args(argv)
    wanted = set(args.only or ["paths", "scaling", "stages", "workers", "links"])
    results: dict[str, Any] = {
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    with tempfile.TemporaryDirectory(prefix="kamerbrief_bench_") as tmp:
        work = Path(tmp)
        if "paths" in wanted or "stages" in wanted:
            with console.status("ingestion paths"):
                results["paths"] = bench_paths(args.quick, work)
            console.print(
                _table(
                    "Throughput per path (ratio = pipeline time / bare baseline time)",
                    results["paths"],
                    [
                        "path",
                        "documents",
                        "pages",
                        "seconds",
                        "docs_per_s",
                        "pages_per_s",
                        "baseline",
                        "baseline_seconds",
                        "ratio_vs_baseline",
                        "traced_peak_mb_one_doc",
                        "maxrss_mb",
                        "maxrss_children_mb",
                    ],
                )
            )
        if "stages" in wanted:
            with console.status("stages"):
                results["stages"] = bench_stages(work)
            for group, stages in results["stages"].items():
                rows = [
                    {"stage": k, "seconds": v, "share": stages["share"][k]}
                    for k, v in stages["seconds"].items()
                ]
                title = f"Per-stage time, {group} ({stages['documents']} documents)"
                console.print(_table(title, rows, ["stage", "seconds", "share"]))
                console.print(
                    f"slowest stage ({group}): [bold]{stages['slowest']}[/bold] "
                    f"({stages['slowest_share']:.0%} of the time)"
                )
        if "scaling" in wanted:
            with console.status("scaling"):
                results["scaling"] = bench_scaling(args.quick, work)
            console.print(
                _table(
                    "Scaling (one worker)",
                    results["scaling"],
                    [
                        "factor",
                        "documents",
                        "failed",
                        "seconds",
                        "docs_per_s",
                        "ms_per_doc",
                        "per_doc_vs_1x",
                        "maxrss_mb",
                    ],
                )
            )
        if "links" in wanted:
            from bench.links import bench_links

            with console.status("links at 1x, 10x, 100x"):
                results["links"] = bench_links(args.quick, work, make_corpus)
            console.print(
                _table(
                    "Links step of `run` (replicated corpus; cost per record should stay flat)",
                    results["links"],
                    [
                        "factor",
                        "records",
                        "links",
                        "links_seconds",
                        "ms_per_record",
                        "cpu_ms_per_record",
                        "cpu_per_record_vs_1x",
                        "run_1x_seconds",
                    ],
                )
            )
        if "workers" in wanted:
            with console.status("1 vs 2 workers"):
                results["workers"] = bench_workers(args.quick, work)
            w = results["workers"]
            console.print(
                _table(
                    "Workers (kamerbrief run: end to end, and rate after start-up)",
                    [w],
                    [
                        "documents",
                        "cpus",
                        "seconds_1_worker",
                        "seconds_2_workers",
                        "speedup",
                        "startup_s_1_worker",
                        "startup_s_2_workers",
                        "docs_per_s_1_worker",
                        "docs_per_s_2_workers",
                        "rate_speedup",
                        "load_average_after",
                    ],
                )
            )
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    target = args.out / f"bench-{'quick-' if args.quick else ''}{stamp}.json"
    target.write_text(json.dumps(results, indent=2), encoding="utf-8")
    console.print(f"results: {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
