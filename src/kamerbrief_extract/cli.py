"""`kamerbrief`: batch runs, single extractions, evaluation and the record schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kamerbrief_extract.ingest.limits import Limits

if TYPE_CHECKING:
    from kamerbrief_extract.batch import BatchResult

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Dutch parliamentary documents to validated, linked JSON records.",
)
console = Console(stderr=True)
DOCUMENT_LIMITS = Limits()


@app.command()
def run(
    input_dir: Annotated[
        Path, typer.Argument(help="Folder of letters (txt, md, pdf, xml, images)")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder")] = Path(
        "data/processed"
    ),
    force: Annotated[bool, typer.Option(help="Reprocess inputs whose sha256 is unchanged")] = False,
    links: Annotated[bool, typer.Option(help="Build the corpus links after the batch")] = True,
    workers: Annotated[int, typer.Option(help="Worker processes (or Dask workers)", min=1)] = 1,
    shard: Annotated[
        str | None, typer.Option(help="Only shard i/N (0 <= i < N) of the inputs, by path hash")
    ] = None,
    executor: Annotated[str, typer.Option(help="local (process pool) or dask")] = "local",
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address, e.g. tcp://host:8786")
    ] = None,
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
    """
    from kamerbrief_extract.batch import FileOutcome, scan_inputs
    from kamerbrief_extract.ingest.limits import Limits
    from kamerbrief_extract.parallel import parse_shard, run_parallel, shard_of

    if not input_dir.is_dir():
        console.print(f"[red]{input_dir}: not a folder[/red]")
        raise typer.Exit(2)
    input_dir = input_dir.resolve()  # workers and outputs name files relative to one root
    if executor not in {"local", "dask"}:
        console.print(f"[red]--executor {executor}: choose local or dask[/red]")
        raise typer.Exit(2)
    try:
        part = parse_shard(shard) if shard else None
    except ValueError as exc:
        console.print(f"[red]--shard: {exc}[/red]")
        raise typer.Exit(2) from exc
    scan = scan_inputs(input_dir)
    mine = [
        f
        for f in scan.files
        if part is None or shard_of(str(f.relative_to(input_dir)), part[1]) == part[0]
    ]
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}"),
        console=console,
        disable=not sys.stderr.isatty(),
    ) as progress:
        task = progress.add_task("extracting", total=len(mine), current="")

        def advance(outcome: FileOutcome) -> None:
            progress.update(task, advance=1, current=f"{outcome.status}: {outcome.path}")

        result = run_parallel(
            input_dir,
            out,
            workers=workers,
            shard=part,
            executor=executor,
            scheduler=scheduler,
            force=force,
            on_progress=advance,
            scan=scan,
            limits=Limits(timeout_s=timeout, memory_mb=memory_mb),
        )
    if links and part is None and not result.stopped:
        _build_links(out)
    _print_summary(result, out)
    if result.failed or result.stopped:
        raise typer.Exit(1)


def _print_summary(result: BatchResult, out: Path) -> None:
    counts = result.counts()
    console.print(
        f"{counts['ok']} processed, {counts['skipped']} unchanged (skipped), "
        f"{counts['failed']} failed -> {out}"
    )
    if result.removed:
        console.print(f"{len(result.removed)} records removed: their inputs are gone")
    if result.ignored:
        console.print(f"{len(result.ignored)} hidden names skipped (listed in errors.jsonl)")
    for failure in result.failed:
        console.print(
            f"[red]failed[/red] {escape(failure.path)}: {failure.stage}: "
            f"{escape(failure.message or '')}"
        )
    if result.stopped:
        console.print(f"[red]stopped[/red]: {escape(result.stopped)}")


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
    """Print the record of one document as JSON."""
    from kamerbrief_extract.ingest.errors import IngestError
    from kamerbrief_extract.process import process_file

    try:
        record = process_file(file, display_path=str(file))
    except IngestError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
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
    """Score records against gold (ANNOTATION.md §9) and fail below the floors."""
    from kamerbrief_extract.evaluate import check_floors, evaluate

    evaluation = evaluate(gold, pred)
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
    """Print the JSON Schema of a record."""
    from kamerbrief_extract.records import record_json_schema

    typer.echo(json.dumps(record_json_schema(), indent=2))


@app.command("build-model")
def build_model(
    out: Annotated[
        Path | None, typer.Option(help="Target folder (default models/kamerbrief_nl)")
    ] = None,
) -> None:
    """Assemble the spaCy pipeline and save it for `spacy.load`."""
    from kamerbrief_extract.nlp.pipeline import save_pipeline

    console.print(f"saved pipeline to {save_pipeline(out)}")


@app.command()
def query(
    sql: Annotated[
        str,
        typer.Argument(
            help="One SELECT/WITH query; views: letters, footnotes, "
            "citations, amounts, municipalities, places, motions, "
            "commitments, links"
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Output folder of `kamerbrief run`")] = Path(
        "data/processed"
    ),
    fmt: Annotated[str, typer.Option("--format", help="table | csv | jsonl | parquet")] = "table",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file")
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
    """Run a read-only SQL query over the records of an output folder (in-memory DuckDB)."""
    import duckdb

    from kamerbrief_extract.corpus.query import (
        QueryError,
        QueryLimits,
        connect,
        parse_params,
        write_result,
    )

    if not out.is_dir():
        console.print(f"[red]{out}: not a folder[/red]")
        raise typer.Exit(2)
    if fmt == "parquet" and output is None:
        console.print("[red]parquet output needs a file (-o)[/red]")
        raise typer.Exit(2)
    try:
        with connect(out, QueryLimits(timeout_s=timeout, memory_mb=memory_mb)) as sandbox:
            params = parse_params(param or [])
            if fmt == "parquet" and output is not None:
                sandbox.write_parquet(sql, params, output)
                return
            result = sandbox.run(sql, params)
    except (QueryError, duckdb.Error) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    if fmt == "table" and output is None:
        table = Table(show_lines=False)
        for column in result.columns:
            table.add_column(column)
        for row in result.rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        Console().print(table)
        return
    try:
        text = write_result(result, "csv" if fmt == "table" else fmt, output)
    except QueryError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    if text is not None:
        typer.echo(text, nl=False)


@app.command()
def export(
    out_dir: Annotated[Path, typer.Argument(help="Output folder of `kamerbrief run`")],
    to: Annotated[str, typer.Option("--to", help="parquet | csv | sqlite")] = "parquet",
    dest: Annotated[
        Path | None, typer.Option("--out", help="Target folder (parquet/csv) or .sqlite file")
    ] = None,
) -> None:
    """Export the records as typed tables (Parquet/CSV files or one SQLite database with FTS5)."""
    from kamerbrief_extract.corpus.export import export as do_export

    if to not in {"parquet", "csv", "sqlite"}:
        console.print(f"[red]unknown format {to}[/red]")
        raise typer.Exit(2)
    if not out_dir.is_dir():
        console.print(f"[red]{out_dir}: not a folder[/red]")
        raise typer.Exit(2)
    console.print(f"wrote {do_export(out_dir, to, dest)}")  # type: ignore[arg-type]


@app.command()
def show(
    record: Annotated[Path, typer.Argument(help="One record JSON")],
    html_out: Annotated[Path, typer.Option("--html", help="HTML file to write")],
) -> None:
    """Write an HTML page with the record's text and every extracted item highlighted."""
    from kamerbrief_extract.batch import atomic_write_text
    from kamerbrief_extract.corpus.review import links_touching, render_html

    data = _load_record(record)
    links_file = record.parent / "links.json"
    try:
        corpus = json.loads(links_file.read_text(encoding="utf-8")) if links_file.exists() else {}
    except (OSError, ValueError) as exc:
        console.print(f"[yellow]{escape(str(links_file))}: ignored, not readable: {exc}[/yellow]")
        corpus = {}
    links = links_touching(str(data.get("source", {}).get("path", "")), corpus)
    try:
        page = render_html(data, links)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        console.print(f"[red]{escape(str(record))}: cannot render this record: {exc}[/red]")
        raise typer.Exit(2) from exc
    atomic_write_text(html_out, page)
    console.print(f"wrote {escape(str(html_out))}")


def _load_record(path: Path) -> dict[str, Any]:
    """A record file as JSON, checked against the record contract; clear errors, exit 2."""
    from pydantic import ValidationError

    from kamerbrief_extract.records import Record

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        console.print(f"[red]{escape(str(path))}: cannot read: {exc.strerror or exc}[/red]")
        raise typer.Exit(2) from exc
    except ValueError as exc:  # JSON or UTF-8
        console.print(f"[red]{escape(str(path))}: not a JSON record: {exc}[/red]")
        raise typer.Exit(2) from exc
    try:
        Record.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors()[:3]
        )
        more = f" (and {exc.error_count() - 3} more)" if exc.error_count() > 3 else ""
        console.print(
            f"[red]{escape(str(path))}: not a valid record: {escape(problems)}{more}[/red]"
        )
        raise typer.Exit(2) from exc
    return dict(data)


if __name__ == "__main__":  # pragma: no cover
    app()
