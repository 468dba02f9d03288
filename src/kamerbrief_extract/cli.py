"""`kamerbrief`: batch runs, single extractions, evaluation, corpus queries and pages.

Option names mean one thing across commands: `--out`/`-o` is always where results
go (a folder for `run`, a file or folder for `export` and `query`); the records a
command reads are `--records` (or the first argument); `--html` is the page a
command writes.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import logging
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kamerbrief_extract import __version__
from kamerbrief_extract.ingest.limits import Limits

if TYPE_CHECKING:
    from kamerbrief_extract.batch import BatchResult

log = logging.getLogger("kamerbrief_extract")
app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Dutch parliamentary documents to validated, linked JSON records.\n\n"
    "Examples:\n\n"
    "  kamerbrief run data/raw --out data/processed\n\n"
    '  kamerbrief query "SELECT * FROM amounts" --records data/processed\n\n'
    "  kamerbrief report data/processed --html corpus.html",
)
console = Console(stderr=True, soft_wrap=True)
DEFAULT_RECORDS = Path("data/processed")
DOCUMENT_LIMITS = Limits()


class Executor(enum.StrEnum):
    local = "local"
    dask = "dask"


class QueryFormat(enum.StrEnum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


class ExportTo(enum.StrEnum):
    parquet = "parquet"
    csv = "csv"
    sqlite = "sqlite"
    register = "register"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kamerbrief {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="More log lines (-vv: debug)")
    ] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version"),
    ] = False,
) -> None:
    """Dutch parliamentary documents to validated, linked JSON records."""
    levels = (logging.WARNING, logging.INFO, logging.DEBUG)
    handler = _StderrHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", datefmt="%H:%M:%S")
    )
    log.handlers[:] = [handler]
    log.setLevel(logging.ERROR if quiet else levels[min(verbose, 2)])
    log.propagate = False


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a line is logged (test runners swap it)."""

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass


def _fail(message: str, code: int = 2) -> typer.Exit:
    console.print(f"[red]{message}[/red]", highlight=False)
    return typer.Exit(code)


class LineProgress:
    """Progress as plain lines for a log file: every `every` seconds and at the end."""

    def __init__(self, total: int, every: float = 10.0) -> None:
        self.total, self.every = total, every
        self.done = 0
        self.counts: Counter[str] = Counter()
        self.start = self.last = time.monotonic()

    def update(self, status: str, path: str) -> None:
        self.done += 1
        self.counts[status] += 1
        now = time.monotonic()
        if now - self.last >= self.every or self.done == self.total:
            self.last = now
            rate = self.done / max(now - self.start, 1e-9)
            left = (self.total - self.done) / rate if rate else 0.0
            line = (
                f"extracting {self.done}/{self.total} ({self.done / max(self.total, 1):.0%}): "
                f"{self.counts['ok']} ok, {self.counts['skipped']} unchanged, "
                f"{self.counts['failed']} failed; {rate:.1f} files/s, {left:.0f} s left; "
                f"last {path}"
            )
            print(line, file=sys.stderr, flush=True)


def unread_files(input_dir: Path, read: Iterable[Path]) -> Counter[str]:
    """Suffixes of the visible files under input_dir that the batch does not read."""
    taken = {p.resolve() for p in read}
    skipped: Counter[str] = Counter()
    for path in input_dir.rglob("*"):
        rel = path.relative_to(input_dir)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.resolve() not in taken:
            skipped[path.suffix.lower() or "(no suffix)"] += 1
    return skipped


def looks_parliamentary(record: object) -> bool:
    """Anything a parliamentary document has: a date, a sender, an id, a citation, a type."""
    from kamerbrief_extract.records import Record

    assert isinstance(record, Record)
    meta = record.meta
    return bool(
        meta.date
        or meta.sender
        or meta.kamerstuk
        or meta.kenmerk
        or meta.doc_type != "other"
        or record.citations
        or record.motion_document
        or record.kamervragen
    )


@app.command()
def run(
    input_dir: Annotated[
        Path, typer.Argument(help="Folder of documents (txt, md, pdf, xml, images)")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder for the records")] = (
        DEFAULT_RECORDS
    ),
    force: Annotated[bool, typer.Option(help="Reprocess inputs whose sha256 is unchanged")] = False,
    links: Annotated[bool, typer.Option(help="Build the corpus links after the batch")] = True,
    workers: Annotated[int, typer.Option(help="Worker processes (or Dask workers)", min=1)] = 1,
    shard: Annotated[
        str | None, typer.Option(help="Only shard i/N (0 <= i < N) of the inputs, by path hash")
    ] = None,
    executor: Annotated[
        Executor, typer.Option(help="local (process pool) or dask")
    ] = Executor.local,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address, e.g. tcp://host:8786")
    ] = None,
    progress_every: Annotated[
        float, typer.Option(help="Seconds between progress lines when stderr is not a terminal")
    ] = 10.0,
    timeout: Annotated[
        float, typer.Option(help="Time limit per document in seconds (any file type)", min=1)
    ] = DOCUMENT_LIMITS.timeout_s,
    memory_mb: Annotated[
        int, typer.Option("--memory-mb", help="Memory limit per document in MB", min=256)
    ] = DOCUMENT_LIMITS.memory_mb or 4096,
) -> None:
    """Process every document under INPUT_DIR; one JSON record per input in --out.

    Each record is named after its input's relative path (folders joined by `__`);
    when two inputs would share a name, the later in sorted order gets a hash of
    its path added. Names starting with a dot are skipped and listed in
    errors.jsonl, as are links to outside INPUT_DIR (refused). Records of inputs
    that are gone since the last run into --out are removed.

    Examples:

      kamerbrief run data/raw --out data/processed

      kamerbrief run letters/ -o out/ --workers 2 --force

      kamerbrief run letters/ -o out/ --shard 0/4 --no-links
    """
    if not input_dir.is_dir():
        raise _fail(f"{input_dir}: not a folder")
    if workers > 1 and executor == Executor.local:
        from kamerbrief_extract.forkserver import start

        start()  # loads the pipeline for the workers while this process imports and scans
    from kamerbrief_extract.batch import FileOutcome, scan_inputs
    from kamerbrief_extract.parallel import parse_shard, run_parallel, shard_of

    input_dir = input_dir.resolve()  # workers and outputs name files relative to one root
    try:
        part = parse_shard(shard) if shard else None
    except ValueError as exc:
        raise _fail(f"--shard: {exc}") from exc
    scan = scan_inputs(input_dir)
    unread = unread_files(input_dir, scan.files)
    if unread:
        kinds = ", ".join(f"{suffix} {n}" for suffix, n in sorted(unread.items()))
        console.print(
            f"[yellow]not read[/yellow]: {sum(unread.values())} files of a type the batch "
            f"does not read ({kinds}); save them as PDF or text to include them",
            highlight=False,
        )
    mine = [
        f
        for f in scan.files
        if part is None or shard_of(str(f.relative_to(input_dir)), part[1]) == part[0]
    ]
    lines = None if sys.stderr.isatty() else LineProgress(len(mine), progress_every)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}"),
        console=console,
        disable=lines is not None,
    ) as progress:
        task = progress.add_task("extracting", total=len(mine), current="")

        def advance(outcome: FileOutcome) -> None:
            log.debug("%s: %s", outcome.status, outcome.path)
            if lines is not None:
                lines.update(outcome.status, outcome.path)
            progress.update(task, advance=1, current=f"{outcome.status}: {outcome.path}")

        result = run_parallel(
            input_dir,
            out,
            workers=workers,
            shard=part,
            executor=executor.value,
            scheduler=scheduler,
            force=force,
            on_progress=advance,
            scan=scan,
            limits=Limits(timeout_s=timeout, memory_mb=memory_mb),
        )
    _warn_not_parliamentary(out, [o.output for o in result.outcomes if o.status == "ok"])
    if links and part is None and not result.stopped:
        started = time.perf_counter()
        _build_links(out)
        log.info("links built in %.1f s", time.perf_counter() - started)
    _print_summary(result, out)
    if result.failed or result.stopped:
        raise typer.Exit(1)


def _print_summary(result: BatchResult, out: Path) -> None:
    counts = result.counts()
    console.print(
        f"{counts['ok']} processed, {counts['skipped']} unchanged (skipped), "
        f"{counts['failed']} failed -> {escape(str(out))}",
        highlight=False,
    )
    if result.removed:
        console.print(f"{len(result.removed)} records removed: their inputs are gone")
    if result.ignored:
        console.print(f"{len(result.ignored)} hidden names skipped (listed in errors.jsonl)")
    for failure in result.failed:
        console.print(
            f"[red]failed[/red] {escape(failure.path)}: {failure.stage}: "
            f"{escape(failure.message or '')}",
            highlight=False,
        )
    if result.stopped:
        console.print(f"[red]stopped[/red]: {escape(result.stopped)}", highlight=False)


def _warn_not_parliamentary(out: Path, names: Iterable[str | None]) -> None:
    from kamerbrief_extract.store import RecordFileError, read_record

    odd: list[str] = []
    for name in names:
        if not name:
            continue
        try:
            record = read_record(out / name)
        except RecordFileError as exc:
            console.print(f"[red]{exc}[/red]", highlight=False)
            continue
        if not looks_parliamentary(record):
            odd.append(record.source.path)
    if odd:
        shown = ", ".join(odd[:5]) + (f" and {len(odd) - 5} more" if len(odd) > 5 else "")
        console.print(
            f"[yellow]not a parliamentary document?[/yellow] {len(odd)} inputs have no date, "
            f"sender, Kamerstuk, citation or document type: {shown}",
            highlight=False,
        )


def _build_links(out: Path) -> None:
    try:
        from kamerbrief_extract.corpus.links import write_links
    except ImportError:
        return
    write_links(out)


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="One document")],
    indent: Annotated[int, typer.Option(help="JSON indentation")] = 2,
) -> None:
    """Print the record of one document as JSON.

    Examples:

      kamerbrief extract data/raw/brief.txt

      kamerbrief extract motie.xml --indent 0 > motie.json
    """
    from kamerbrief_extract.ingest.errors import IngestError
    from kamerbrief_extract.process import process_file

    try:
        record = process_file(file, display_path=str(file))
    except IngestError as exc:
        raise _fail(str(exc), 1) from exc
    if not looks_parliamentary(record):
        console.print(
            f"[yellow]not a parliamentary document?[/yellow] {file}: no date, sender, "
            "Kamerstuk, citation or document type",
            highlight=False,
        )
    typer.echo(record.model_dump_json(indent=indent or None))


@app.command("eval")
def eval_command(
    gold: Annotated[Path, typer.Option("--gold", help="Folder of gold JSON files")],
    pred: Annotated[Path, typer.Option("--pred", help="Folder of records")],
    floors: Annotated[
        Path | None, typer.Option(help='JSON {measure: floor}, e.g. {"citations": 0.97}')
    ] = None,
    floor: Annotated[
        list[str] | None, typer.Option(help="measure=value, e.g. citations=0.97, meta.date=1")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON")] = False,
    show_misses: Annotated[bool, typer.Option("--misses", help="List misses and FPs")] = False,
) -> None:
    """Score records against gold (ANNOTATION.md §9) and fail below the floors.

    Examples:

      kamerbrief eval --gold tests/gold --pred data/processed --floors tests/floors.json

      kamerbrief eval --gold tests/gold --pred out/ --floor citations=0.97 --misses
    """
    from kamerbrief_extract.evaluate import check_floors, evaluate
    from kamerbrief_extract.store import RecordFileError

    try:
        evaluation = evaluate(gold, pred)
    except RecordFileError as exc:
        raise _fail(str(exc)) from exc
    wanted: dict[str, float] = {}
    if floors:
        wanted.update(
            {
                k: float(v)
                for k, v in json.loads(floors.read_text()).items()
                if not k.startswith("_")
            }
        )
    for item in floor or []:
        key, _, value = item.partition("=")
        wanted[key.strip()] = float(value)
    if as_json:
        typer.echo(json.dumps(evaluation.to_dict(), indent=2, ensure_ascii=False))
    else:
        _print_table(evaluation, show_misses)
    failures = check_floors(evaluation, wanted)
    for failure in failures:
        console.print(f"[red]below floor[/red] {failure}")
    if failures or evaluation.missing_predictions:
        for name in evaluation.missing_predictions:
            console.print(f"[red]no record for[/red] {name}")
        raise typer.Exit(1)


def _print_table(evaluation: object, show_misses: bool) -> None:
    from kamerbrief_extract.evaluate import Evaluation

    assert isinstance(evaluation, Evaluation)
    out = Console()
    table = Table(title=f"Evaluation over {evaluation.documents} documents")
    for col in ("type", "P", "R", "F1", "tp", "fp", "fn", "secondary accuracy"):
        table.add_column(
            col, justify="right" if col not in {"type", "secondary accuracy"} else "left"
        )
    for kind, score in evaluation.types.items():
        secondary = ", ".join(
            f"{name} {acc:.2f}"
            for name in score.secondary
            if (acc := score.accuracy(name)) is not None
        )
        table.add_row(
            kind,
            f"{score.precision:.3f}",
            f"{score.recall:.3f}",
            f"{score.f1:.3f}",
            str(score.tp),
            str(score.fp),
            str(score.fn),
            secondary,
        )
    out.print(table)
    meta = ", ".join(
        f"{k} {acc:.2f}"
        for k in evaluation.meta
        if (acc := evaluation.meta_accuracy(k)) is not None
    )
    out.print(f"meta accuracy: {meta}")
    if show_misses:
        for kind, score in evaluation.types.items():
            for miss in score.misses:
                out.print(f"  [yellow]miss[/yellow] {kind} {miss}")
            for fp in score.false_positives:
                out.print(f"  [magenta]false positive[/magenta] {kind} {fp}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of a record.

    Examples:

      kamerbrief schema > record.schema.json
    """
    from kamerbrief_extract.records import record_json_schema

    typer.echo(json.dumps(record_json_schema(), indent=2))


@app.command("build-model")
def build_model(
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Target folder (default models/kamerbrief_nl)"),
    ] = None,
) -> None:
    """Assemble the spaCy pipeline and save it for `spacy.load`.

    Examples:

      kamerbrief build-model

      kamerbrief build-model --out /tmp/model
    """
    from kamerbrief_extract.nlp.pipeline import save_pipeline

    console.print(f"saved pipeline to {save_pipeline(out)}")


def _records_dir(records: Path, old: Path | None, name: str = "--out") -> Path:
    if old is not None:
        console.print(
            f"[yellow]{name} for the records folder is deprecated: use --records[/yellow]",
            highlight=False,
        )
        records = old
    if not records.is_dir():
        raise _fail(f"{records}: not a folder")
    return records


@app.command()
def query(
    sql: Annotated[
        str,
        typer.Argument(
            help="One SELECT/WITH query; tables: letters, footnotes, "
            "citations, amounts, municipalities, places, motions, "
            "commitments, links"
        ),
    ],
    records: Annotated[
        Path, typer.Option("--records", "-r", help="Records folder (output of `kamerbrief run`)")
    ] = DEFAULT_RECORDS,
    fmt: Annotated[QueryFormat, typer.Option("--format", "-f", help="Output format")] = (
        QueryFormat.table
    ),
    out: Annotated[
        Path | None, typer.Option("--out", "-o", "--output", help="Write to this file")
    ] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", help="name=value for $name in the query")
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Stop the query after this many seconds", min=0.1)
    ] = 120.0,
    memory_mb: Annotated[
        int, typer.Option("--memory-mb", help="Memory limit of the query in MB", min=64)
    ] = 2048,
) -> None:
    """Run a read-only SQL query over the records of a folder (in-memory DuckDB).

    Examples:

      kamerbrief query "SELECT name, count(*) FROM municipalities GROUP BY name"

      kamerbrief query "SELECT * FROM amounts WHERE value_eur >= $min" --param min=1000000 -f csv

      kamerbrief query "SELECT * FROM links" -r out/ -f parquet -o links.parquet
    """
    import duckdb

    from kamerbrief_extract.corpus.query import (
        QueryError,
        QueryLimits,
        connect,
        parse_params,
        write_result,
    )
    from kamerbrief_extract.store import RecordFileError

    if out is not None and out.is_dir() and records == DEFAULT_RECORDS:
        records, out = _records_dir(records, out), None  # the old `--out DIR` for the input
    records = _records_dir(records, None)
    if fmt is QueryFormat.parquet and out is None:
        raise _fail("parquet output needs a file (-o)")
    try:
        with connect(records, QueryLimits(timeout_s=timeout, memory_mb=memory_mb)) as sandbox:
            params = parse_params(param or [])
            if fmt is QueryFormat.parquet and out is not None:
                sandbox.write_parquet(sql, params, out)
                return
            result = sandbox.run(sql, params)
    except (QueryError, duckdb.Error, RecordFileError) as exc:
        raise _fail(str(exc)) from exc
    if fmt is QueryFormat.table and out is None:
        table = Table(show_lines=False)
        for column in result.columns:
            table.add_column(column)
        for row in result.rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        Console().print(table)
        return
    try:
        text = write_result(result, "csv" if fmt is QueryFormat.table else fmt.value, out)
    except QueryError as exc:
        raise _fail(str(exc)) from exc
    if text is not None:
        typer.echo(text, nl=False)


@app.command()
def export(
    records: Annotated[Path, typer.Argument(help="Records folder (output of `kamerbrief run`)")],
    to: Annotated[ExportTo, typer.Option("--to", help="Format")] = ExportTo.parquet,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Target folder (parquet/csv), .sqlite file or register .csv file"
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--on", help="register: status (open/fulfilled/overdue) on DATE, ISO"),
    ] = None,
) -> None:
    """Export the records as typed tables (Parquet/CSV files, or one SQLite file for
    Datasette), or the commitments as a register (one CSV row per distinct commitment).

    The SQLite export writes NAME.datasette.json beside it: open both with
    `datasette corpus.sqlite -m corpus.datasette.json`.

    Examples:

      kamerbrief export data/processed --to sqlite --out corpus.sqlite

      kamerbrief export data/processed --to parquet --out parquet/

      kamerbrief export data/processed --to register --on 2024-01-01 --out register.csv
    """
    from kamerbrief_extract.corpus.export import export as do_export
    from kamerbrief_extract.store import RecordFileError

    records = _records_dir(records, None)
    try:
        on_date = dt.date.fromisoformat(on) if on else None
    except ValueError as exc:
        raise _fail(f"--on {on}: not an ISO date (YYYY-MM-DD)") from exc
    try:
        console.print(f"wrote {do_export(records, to.value, out, on_date)}", highlight=False)
    except RecordFileError as exc:
        raise _fail(str(exc)) from exc


@app.command()
def show(
    record: Annotated[Path, typer.Argument(help="One record JSON")],
    html_out: Annotated[Path, typer.Option("--html", help="HTML page to write")],
) -> None:
    """Write a review page: the record's text with every item marked, and a table of items.

    Examples:

      kamerbrief show data/processed/brief.json --html review.html
    """
    from kamerbrief_extract.corpus.review import links_touching, render_html
    from kamerbrief_extract.store import (
        RecordFileError,
        atomic_write_text,
        read_corpus_links,
        read_record,
    )

    try:
        data = read_record(record)
    except RecordFileError as exc:
        raise _fail(escape(str(exc))) from exc
    try:
        corpus = read_corpus_links(record.parent)
    except RecordFileError as exc:
        console.print(f"[yellow]{escape(str(exc))}: links ignored[/yellow]", highlight=False)
        corpus = None
    links = links_touching(data.source.path, corpus.links) if corpus else []
    try:
        page = render_html(data, links)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise _fail(f"{escape(str(record))}: cannot render this record: {exc}") from exc
    atomic_write_text(html_out, page)
    console.print(f"wrote {escape(str(html_out))}", highlight=False)


@app.command()
def report(
    records: Annotated[Path, typer.Argument(help="Records folder (output of `kamerbrief run`)")],
    html_out: Annotated[Path, typer.Option("--html", help="HTML page to write")],
) -> None:
    """Write the corpus page: letters over time, euros, commitments, municipalities, citations.

    Examples:

      kamerbrief report data/processed --html corpus.html
    """
    from kamerbrief_extract.corpus.query import load_corpus
    from kamerbrief_extract.corpus.report import render_report
    from kamerbrief_extract.store import RecordFileError, atomic_write_text

    records = _records_dir(records, None)
    try:
        recs, corpus = load_corpus(records)
    except RecordFileError as exc:
        raise _fail(str(exc)) from exc
    atomic_write_text(html_out, render_report(recs, corpus))
    console.print(f"wrote {html_out} ({len(recs)} records)", highlight=False)


if __name__ == "__main__":  # pragma: no cover
    app()
