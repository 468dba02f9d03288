"""Links at corpus scale: the cost per record of `run`'s links step at 1x, 10x and 100x.

The default `kamerbrief run` (with links) extracts the sample letters and the
XML motions once (1x, timed as a whole and for its links step). Larger corpora
are that run's records replicated: copy i is the same documents ten years
later per copy (letter dates, deadlines and the years written in the text move
together, four-digit years stay four digits so every offset holds) with its own
Kamerstuk ids. Identical copies on identical dates would make every copy of a
letter cite every copy of its target, so the links would grow with the square
of the factor by construction; spread over time the replicated corpus looks
like a longer run of the same kind of documents. On each, the links step runs
exactly as `run` calls it (`write_links`: read and validate every record,
build the links and registries, write links.json).

    python -m bench.run --only links
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

YEARS_PER_COPY = 10
REPEAT = 3
YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


def _shift(date: dt.date | None, years: int) -> dt.date | None:
    if date is None:
        return None
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def later_years(text: str, years: int) -> str:
    """Every written year `years` later; 2021 + 1000 is still four digits."""
    return YEAR.sub(lambda m: str(int(m[1]) + years), text) if years else text


def replicate(records_dir: Path, target: Path, factor: int) -> int:
    """`factor` copies of the records in records_dir, each a decade later than the last."""
    from kamerbrief_extract.store import read_records, write_record

    records = read_records(records_dir)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for i in range(factor):
        years = i * YEARS_PER_COPY
        suffix = f"-r{i}" if i else ""
        for rec in records:
            copy = rec.model_copy(deep=True)
            copy.source.path = f"r{i:03d}/{rec.source.path}"
            copy.text = later_years(rec.text, years)
            copy.meta.date = _shift(rec.meta.date, years)
            if copy.meta.kamerstuk:
                copy.meta.kamerstuk += suffix
            for cit in copy.citations:
                cit.id += suffix
            for motion in copy.motions:
                motion.citation = motion.citation + suffix if motion.citation else None
            for com in copy.commitments:
                com.deadline = _shift(com.deadline, years)
                com.text = later_years(com.text, years)
            if copy.motion_document:
                doc = copy.motion_document
                doc.kamerstuk = doc.kamerstuk + suffix if doc.kamerstuk else None
                doc.date = _shift(doc.date, years)
            name = rec.source.path.replace("/", "__").rsplit(".", 1)[0]
            write_record(target / f"r{i:03d}_{name}.json", copy)
    return len(records) * factor


def bench_links(quick: bool, work: Path, make_corpus: Any) -> list[dict[str, Any]]:
    """Seconds and ms per record of the links step at each factor, and the 1x run as a whole.

    The ratio is taken on CPU time (`time.process_time`): on a shared machine the
    wall time of a second-long step mostly says how busy the others are.
    """
    from kamerbrief_extract.corpus.links import write_links
    from kamerbrief_extract.store import read_corpus_links

    src = make_corpus(work, 1)
    base_out = work / "out_links_1x_run"
    shutil.rmtree(base_out, ignore_errors=True)
    cli = Path(sys.executable).with_name("kamerbrief")
    start = time.perf_counter()
    subprocess.run(
        [str(cli), "run", str(src), "--out", str(base_out)], check=True, capture_output=True
    )
    run_seconds = time.perf_counter() - start
    rows: list[dict[str, Any]] = []
    base: float | None = None
    for factor in (1, 5, 10) if quick else (1, 10, 100):
        folder = work / f"links_{factor}x"
        records = replicate(base_out, folder, factor)
        wall, cpu = float("inf"), float("inf")
        for _ in range(REPEAT):  # best of: the least disturbed by the other load on the machine
            start, start_cpu = time.perf_counter(), time.process_time()
            write_links(folder)
            wall = min(wall, time.perf_counter() - start)
            cpu = min(cpu, time.process_time() - start_cpu)
        corpus = read_corpus_links(folder)
        per_record = cpu / records
        base = base or per_record
        rows.append(
            {
                "factor": factor,
                "records": records,
                "links": len(corpus.links) if corpus else 0,
                "links_seconds": round(wall, 2),
                "ms_per_record": round(wall / records * 1000, 3),
                "cpu_ms_per_record": round(per_record * 1000, 3),
                "cpu_per_record_vs_1x": round(per_record / base, 2),
                "run_1x_seconds": round(run_seconds, 2) if factor == 1 else None,
            }
        )
        shutil.rmtree(folder, ignore_errors=True)
    return rows
