"""Throughput, memory, scaling, stage costs, start-up and worker speedup of the pipeline.

Every figure is quoted next to a bare baseline measured in the same run on the
same files (spaCy's blank Dutch tokeniser over the same text; pdfplumber's
`extract_text` and pdfium's `get_text_range` over the same PDFs; the `tesseract`
command alone on the same uncompressed page images; one worker against two), and
pipeline and baseline are run in turn, pair by pair, so the ratios hold on a
machine whose speed drifts under other load. Results go to `bench/results/<time>.json`.

    python -m bench.run                      # full: scaling to 100x, workers on 2,050 documents
    python -m bench.run --quick              # capped sizes, a few minutes
    python -m bench.run --documents DIR      # add the text-layer PDFs of DIR to the PDF path
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
import statistics
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
SAMPLES = sorted((ROOT / "data" / "raw").glob("*.txt"))
LETTERS = [*SAMPLES, *sorted((ROOT / "tests" / "letters").glob("*.txt"))]
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


def _paired(a: Callable[[], Any], b: Callable[[], Any], pairs: int) -> dict[str, float]:
    """Run a and b in turn `pairs` times; medians of each and of the pair-by-pair ratio a/b
    in wall time ("ratio") and in this process's CPU time ("cpu_ratio", which other load
    on a shared machine disturbs less)."""
    ta: list[float] = []
    tb: list[float] = []
    ca: list[float] = []
    cb: list[float] = []
    for _ in range(pairs):
        start = time.process_time()
        ta.append(_timed(a))
        ca.append(time.process_time() - start)
        start = time.process_time()
        tb.append(_timed(b))
        cb.append(time.process_time() - start)
    return {
        "a": statistics.median(ta),
        "b": statistics.median(tb),
        "ratio": statistics.median(x / y for x, y in zip(ta, tb, strict=True) if y > 0),
        "cpu_ratio": statistics.median(x / y for x, y in zip(ca, cb, strict=True) if y > 0),
    }


def _bounded_worker_cpu() -> float:
    """CPU seconds of this thread's long-lived PDF workers and the children they reaped."""
    from kamerbrief_extract.ingest import limits

    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for worker in (getattr(limits._workers, "pool", None) or {}).values():
        try:
            fields = Path(f"/proc/{worker.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15]) / tick  # utime stime cutime cstime
    return total


def _bounded_worker_peak_mb() -> float:
    """Peak resident memory (VmHWM) of this thread's long-lived PDF workers."""
    from kamerbrief_extract.ingest import limits

    peak = 0.0
    for worker in (getattr(limits._workers, "pool", None) or {}).values():
        try:
            status = Path(f"/proc/{worker.proc.pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) / 1024)
    return peak


def _cpu_seconds() -> float:
    """This process, its reaped children and its live PDF workers."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime + _bounded_worker_cpu()


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


def _blank_nl() -> Any:
    import spacy

    return spacy.blank("nl")


def _tokenise_text(paths: Sequence[Path], nlp: Any) -> None:
    """Read the file and tokenise it with spacy.blank("nl"): the bare text path."""
    for p in paths:
        nlp(p.read_text(encoding="utf-8", errors="replace"))


def _tokenise_xml(paths: Sequence[Path], nlp: Any) -> None:
    """Parse the XML, join its text and tokenise it with spacy.blank("nl")."""
    from defusedxml import ElementTree

    for p in paths:
        nlp("".join(ElementTree.parse(p).getroot().itertext()))


def _pdfplumber_text(paths: Sequence[Path]) -> None:
    import pdfplumber

    for p in paths:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_text()


def _pdfium_text(paths: Sequence[Path]) -> None:
    """pdfium's own text of every page (`get_text_range`): the floor of any text-layer reader."""
    import pypdfium2

    for p in paths:
        doc = pypdfium2.PdfDocument(p)
        try:
            for page in doc:
                textpage = page.get_textpage()
                textpage.get_text_range()
                textpage.close()
                page.close()
        finally:
            doc.close()


def _page_images(paths: Sequence[Path], work: Path) -> list[Path]:
    """The pages the pipeline hands Tesseract, written as PGM files (uncompressed).

    PDF pages rendered as `ocr.ocr_pdf_pages` renders them (300 dpi, grey); images
    prepared as `ocr.read_image` prepares them.
    """
    import pypdfium2
    from PIL import Image

    from kamerbrief_extract.ingest.ocr import OCR_DPI, _prepare

    images: list[Any] = []
    for p in paths:
        if p.suffix.lower() == ".pdf":
            doc = pypdfium2.PdfDocument(p)
            try:
                for page in doc:
                    rendered = page.render(scale=OCR_DPI / 72, grayscale=True)
                    images.append(rendered.to_pil().convert("L"))
            finally:
                doc.close()
        else:
            with Image.open(p) as img:
                images.append(_prepare(img.copy())[0])
    out = work / "ocr_pages"
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for i, img in enumerate(images):
        files.append(out / f"page_{i:03d}.pgm")
        img.save(files[-1], format="PPM")
    return files


def _tesseract_cli(pages: Sequence[Path]) -> None:
    """The `tesseract` command alone on the page files, one single-threaded run per core."""
    from concurrent.futures import ThreadPoolExecutor

    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    command = ["tesseract", "{}", "stdout", "-l", "nld", "--psm", "3", "tsv"]

    def one(page: Path) -> None:
        args = [str(page) if a == "{}" else a for a in command]
        subprocess.run(args, check=True, capture_output=True, env=env)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(one, pages))


def _pytesseract_png(pages: Sequence[Path]) -> None:
    """The former OCR hand-over: pytesseract, which PNG-encodes every page to a temp file."""
    from concurrent.futures import ThreadPoolExecutor

    import pytesseract
    from PIL import Image

    os.environ["OMP_THREAD_LIMIT"] = "1"

    def one(page: Path) -> None:
        with Image.open(page) as img:
            pytesseract.image_to_data(img.copy(), lang="nld", config="--psm 3")

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(one, pages))


# --------------------------------------------------------------------------- sections


def _text_layer_pdfs(paths: Sequence[Path]) -> tuple[list[Path], int]:
    """The PDFs the pipeline reads from their text layer alone (no page OCR'd), and
    their pages."""
    from kamerbrief_extract.ingest.errors import IngestError
    from kamerbrief_extract.process import process_file as extract_record

    keep = []
    pages = 0
    for p in paths:
        try:
            record = extract_record(p)
        except IngestError:
            continue
        if record.source.kind == "pdf" and not any("OCR used" in w for w in record.warnings):
            keep.append(p)
            pages += record.source.pages or 1
    return keep, pages


def bench_paths(quick: bool, work: Path, documents: Path | None = None) -> list[dict[str, Any]]:
    """Each ingestion path against its bare baseline, run in turn pair by pair.

    text/xml: speed as a share of spaCy's blank Dutch tokeniser over the same text.
    pdf: pages per second of wall time and per CPU second (pages/s per core), and
    the speed as a multiple of pdfplumber's `extract_text` and of pdfium's
    `get_text_range`. ocr: time as a multiple of the `tesseract` command alone on the
    same uncompressed page images (and of pytesseract's PNG hand-over, the former way).
    """
    from kamerbrief_extract.nlp.pipeline import load_pipeline
    from kamerbrief_extract.process import process_file as extract_record

    load_pipeline()
    extract_record(SAMPLES[-1])  # the first call starts the PDF worker lazily otherwise
    fixtures = _load_make_pdfs().build_fixtures(work / "pdf")
    extra = sorted(documents.glob("*.pdf")) if documents else []
    pdfs, pages = _text_layer_pdfs(
        [fixtures["letter_000"], fixtures["letter_001"], *REAL_PDFS, *extra]
    )
    scans = (
        [fixtures["scan_001_p2_png"]]
        if quick
        else [fixtures["scan_000"], fixtures["scan_001_p2_png"]]
    )
    blank = _blank_nl()
    pairs = 2 if quick else 3
    text_pairs = 3 if quick else 7  # cheap paths: more pairs, a steadier median
    rows: list[dict[str, Any]] = []

    def pipeline(files: Sequence[Path]) -> int:
        return sum(extract_record(f).source.pages or 1 for f in files)

    for kind, files, baseline, what in (
        ("text", LETTERS, partial(_tokenise_text, LETTERS, blank), 'spacy.blank("nl") tokenise'),
        ("xml", MOTIONS, partial(_tokenise_xml, MOTIONS, blank), 'parse + spacy.blank("nl")'),
    ):
        t = _paired(partial(pipeline, files), baseline, text_pairs)
        rows.append(
            {
                "path": kind,
                "documents": len(files),
                "seconds": round(t["a"], 3),
                "docs_per_s": round(len(files) / t["a"], 1),
                "baseline": what,
                "baseline_seconds": round(t["b"], 3),
                "speed_vs_baseline": round(1 / t["ratio"], 3),
                "cpu_speed_vs_baseline": round(1 / t["cpu_ratio"], 3),
                "traced_peak_mb_one_doc": round(
                    _traced_peak_mb(partial(extract_record, files[0])), 1
                ),
            }
        )

    # One round: the pipeline (wall and CPU), pdfplumber, pdfium; ratios taken round by round.
    walls: list[float] = []
    cpus: list[float] = []
    plumbers: list[float] = []
    pdfiums: list[float] = []
    for _ in range(pairs):
        cpu_start, wall_start = _cpu_seconds(), time.perf_counter()
        pipeline(pdfs)
        walls.append(time.perf_counter() - wall_start)
        cpus.append(_cpu_seconds() - cpu_start)
        plumbers.append(_timed(partial(_pdfplumber_text, pdfs)))
        pdfiums.append(_timed(partial(_pdfium_text, pdfs)))
    plumber = {
        "a": statistics.median(walls),
        "b": statistics.median(plumbers),
        "ratio": statistics.median(w / b for w, b in zip(walls, plumbers, strict=True)),
    }
    pdfium = {
        "b": statistics.median(pdfiums),
        "ratio": statistics.median(w / b for w, b in zip(walls, pdfiums, strict=True)),
    }
    cpu = statistics.median(cpus)
    rows.append(
        {
            "path": "pdf",
            "documents": len(pdfs),
            "pages": pages,
            "seconds": round(plumber["a"], 3),
            "pages_per_s": round(pages / plumber["a"], 1),
            "pages_per_cpu_s": round(pages / cpu, 1),
            "baseline": "pdfplumber extract_text",
            "baseline_seconds": round(plumber["b"], 3),
            "speed_vs_baseline": round(1 / plumber["ratio"], 2),
            "pdfium_get_text_range_seconds": round(pdfium["b"], 4),
            "time_vs_pdfium": round(pdfium["ratio"], 1),
            "traced_peak_mb_one_doc": None,
            "peak_rss_pdf_worker_mb": round(_bounded_worker_peak_mb(), 1),
        }
    )

    images = _page_images(scans, work)
    ocr_pairs = 1 if quick else 2
    bare = _paired(partial(pipeline, scans), partial(_tesseract_cli, images), ocr_pairs)
    png = _timed(partial(_pytesseract_png, images))
    rows.append(
        {
            "path": "ocr",
            "documents": len(scans),
            "pages": len(images),
            "seconds": round(bare["a"], 2),
            "pages_per_s": round(len(images) / bare["a"], 2),
            "baseline": "tesseract command, same PGM pages",
            "baseline_seconds": round(bare["b"], 2),
            "time_vs_baseline": round(bare["ratio"], 2),
            "pytesseract_png_seconds": round(png, 2),
            "png_handover_vs_baseline": round(png / bare["b"], 2),
        }
    )
    return rows


def bench_bounds(quick: bool, work: Path) -> dict[str, Any]:
    """What keeping a PDF's time and memory bounds costs per file.

    The same one-page PDF read in-process (no bounds), through the long-lived bounded
    worker, and through a fresh interpreter per file (the former way), in turn.
    """
    from kamerbrief_extract.ingest.limits import Limits
    from kamerbrief_extract.ingest.pdf import read_pdf

    fixtures = _load_make_pdfs().build_fixtures(work / "pdf")
    one_page = work / "one_page.pdf"
    import pypdfium2

    src = pypdfium2.PdfDocument(fixtures["letter_000"])
    dst = pypdfium2.PdfDocument.new()
    dst.import_pages(src, [0])
    dst.save(one_page)
    src.close()
    dst.close()
    n = 5 if quick else 20
    fresh = [
        sys.executable,
        "-c",
        "import sys; from pathlib import Path; from kamerbrief_extract.ingest.limits import Limits;"
        "from kamerbrief_extract.ingest.pdf import _read_pdf;"
        "_read_pdf(Path(sys.argv[1]), 'auto', Limits())",
        str(one_page),
    ]

    def many(fn: Callable[[], Any]) -> Callable[[], None]:
        def run() -> None:
            for _ in range(n):
                fn()

        return run

    in_process = many(partial(read_pdf, one_page, limits=Limits(isolate=False)))
    bounded = many(partial(read_pdf, one_page))
    interpreter = many(partial(subprocess.run, fresh, check=True, capture_output=True))
    bounded()  # the worker starts once per process
    worker = _paired(bounded, in_process, 3)
    former = _paired(interpreter, in_process, 3)
    return {
        "files": n,
        "ms_per_file_in_process": round(worker["b"] / n * 1000, 1),
        "ms_per_file_long_lived_worker": round(worker["a"] / n * 1000, 1),
        "ms_per_file_fresh_interpreter": round(former["a"] / n * 1000, 1),
        "worker_vs_in_process": round(worker["ratio"], 2),
        "fresh_interpreter_vs_in_process": round(former["ratio"], 2),
    }


_STARTUP_PROBE = """
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from kamerbrief_extract.process import process_file
t1 = time.perf_counter()
from kamerbrief_extract.nlp.pipeline import load_pipeline
load_pipeline()
t2 = time.perf_counter()
process_file(Path(sys.argv[1]))
t3 = time.perf_counter()
process_file(Path(sys.argv[2]))
t4 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_pipeline_s": t2 - t1,
                  "first_doc_s": t3 - t2, "second_doc_s": t4 - t3}))
"""


def bench_startup(quick: bool, work: Path) -> dict[str, Any]:
    """A fresh interpreter: imports, load_pipeline (gazetteer included), first and second
    document (a copy of the first under another name). Everything loads at start-up when
    the first document costs what the second does."""
    first = MOTIONS[0]
    second = work / f"copy_{first.name}"
    shutil.copyfile(first, second)
    runs = []
    for _ in range(2 if quick else 3):
        done = subprocess.run(
            [sys.executable, "-c", _STARTUP_PROBE, str(first), str(second)],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    out = {k: round(statistics.median(r[k] for r in runs), 3) for k in runs[0]}
    out["first_vs_second_doc"] = round(out["first_doc_s"] / max(out["second_doc_s"], 1e-9), 2)
    return out


def bench_profile(top: int = 5) -> list[dict[str, Any]]:
    """The text and XML paths under cProfile: the functions with the most own time."""
    import cProfile
    import pstats

    from kamerbrief_extract.process import process_file as extract_record

    files = [*LETTERS, *MOTIONS]
    extract_record(files[0])
    profile = cProfile.Profile()
    profile.enable()
    for f in files:
        extract_record(f)
    profile.disable()
    stats = pstats.Stats(profile)
    total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
    ranked = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])  # type: ignore[attr-defined]
    rows = []
    for (file, line, name), (_, calls, own, cum, _) in ranked[:top]:
        where = Path(file).name if file != "~" else "builtin"
        rows.append(
            {
                "function": f"{where}:{line}({name})",
                "calls": calls,
                "own_s": round(own, 3),
                "own_share": round(own / total, 3),
                "cumulative_s": round(cum, 3),
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
    """`kamerbrief run` at 1 and 2 workers on the replicated letters and motions, in turn.

    Pairs of (one worker, two workers) runs on the same corpus (2,050 documents in the
    full run); the speedup is the median of the pair-by-pair ratios. End to end includes
    what does not shrink with more workers: the parent's imports and each worker's
    pipeline load; that start-up is measured on a one-document corpus and subtracted to
    give the processing rate.
    """
    factor = 3 if quick else 10
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
    pairs = 1 if quick else 2
    times: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(pairs):
        for w in (1, 2):
            times[w].append(timed(src, w))
    startup = {w: timed(tiny, w) for w in (1, 2)}
    median = {w: statistics.median(times[w]) for w in (1, 2)}
    rate = {w: docs / max(median[w] - startup[w], 1e-9) for w in (1, 2)}
    speedups = [a / b for a, b in zip(times[1], times[2], strict=True)]
    return {
        "corpus_factor": factor,
        "documents": docs,
        "cpus": os.cpu_count(),
        "pairs": pairs,
        "seconds_1_worker": round(median[1], 2),
        "seconds_2_workers": round(median[2], 2),
        "speedup": round(statistics.median(speedups), 2),
        "speedup_per_pair": [round(x, 2) for x in speedups],
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


def _all_columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    return columns


SECTIONS = ["paths", "bounds", "startup", "profile", "scaling", "stages", "workers", "links"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="cap corpus sizes")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for results JSON")
    parser.add_argument(
        "--documents", type=Path, default=None, help="more PDFs for the PDF path (a folder)"
    )
    parser.add_argument("--only", nargs="*", choices=SECTIONS, help="sections")
    args = parser.parse_args(argv)
    wanted = set(args.only or SECTIONS)
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
                results["paths"] = bench_paths(args.quick, work, args.documents)
            console.print(
                _table(
                    "Throughput per path against its bare baseline, measured in turn "
                    "(speed_vs_baseline = baseline time / pipeline time)",
                    results["paths"],
                    _all_columns(results["paths"]),
                )
            )
        if "bounds" in wanted:
            with console.status("PDF bounds"):
                results["bounds"] = bench_bounds(args.quick, work)
            b = results["bounds"]
            console.print(_table("Cost of the PDF time/memory bounds per file", [b], list(b)))
        if "startup" in wanted:
            with console.status("start-up"):
                results["startup"] = bench_startup(args.quick, work)
            st = results["startup"]
            console.print(_table("Start-up of a fresh interpreter (seconds)", [st], list(st)))
        if "profile" in wanted:
            with console.status("profile"):
                results["profile"] = bench_profile()
            console.print(
                _table(
                    "Profile of the text and XML paths: top five by own time",
                    results["profile"],
                    _all_columns(results["profile"]),
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
                        "fixed_cpu_ms",
                        "net_cpu_ms_per_record",
                        "net_per_record_vs_1x",
                        "peak_rss_mb",
                        "rss_kb_per_record",
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
                    "Workers (kamerbrief run, 1 and 2 workers in turn: end to end, and rate "
                    "after start-up)",
                    [w],
                    list(w),
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
