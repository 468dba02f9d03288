"""Batch runs: bad input is reported per file, the batch goes on, outputs stay whole."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kamerbrief_extract.batch import ERRORS, MANIFEST, assign_output_names, run_batch
from kamerbrief_extract.cli import app
from kamerbrief_extract.ingest.errors import IngestError
from kamerbrief_extract.ingest.limits import Limits
from kamerbrief_extract.parallel import run_parallel
from kamerbrief_extract.process import process_file
from kamerbrief_extract.store import iter_records

LETTER = (
    "Den Haag, 3 maart 2024\n\n"
    "Hierbij informeer ik uw Kamer over de voortgang van het programma in de gemeente Utrecht.\n"
    "Zoals toegezegd in het commissiedebat stuur ik uw Kamer voor de zomer een brief.\n\n"
    "De Minister van Justitie en Veiligheid,\n\nA.B. Voorbeeld\n"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(LETTER, encoding="utf-8")
    (src / "cp1252.txt").write_bytes(LETTER.replace("programma", "programma café").encode("cp1252"))
    (src / "latin1.txt").write_bytes(
        "Geachte Voorzitter, één brief met ß en ÿ erin.\n".encode("latin-1")
    )
    (src / "empty.txt").write_bytes(b"")
    (src / "garbage.txt").write_bytes(os.urandom(4096) + b"\x00" * 16)
    (src / "unreadable.txt").symlink_to(src / "does-not-exist.txt")
    return src


def test_bad_inputs_fail_alone_and_are_logged(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_batch(folder, out)
    status = {o.path: o.status for o in result.outcomes}
    assert status == {
        "cp1252.txt": "ok",
        "empty.txt": "failed",
        "garbage.txt": "failed",
        "good.txt": "ok",
        "latin1.txt": "ok",
        "unreadable.txt": "failed",
    }
    errors = [json.loads(line) for line in (out / ERRORS).read_text().splitlines()]
    by_file = {e["file"]: e for e in errors}
    assert "empty" in by_file["empty.txt"]["message"]
    assert "binary" in by_file["garbage.txt"]["message"]
    assert by_file["unreadable.txt"]["stage"] == "read"
    record = json.loads((out / "cp1252.json").read_text())
    assert "café" in record["text"] and record["source"]["encoding"] == "cp1252"
    assert (
        record["source"]["sha256"]
        == json.loads((out / MANIFEST).read_text())["inputs"]["cp1252.txt"]["sha256"]
    )
    assert not list(out.glob(".*.tmp"))  # no half-written files


def test_rerun_skips_unchanged_and_force_redoes(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for bad in ("empty.txt", "garbage.txt", "unreadable.txt"):
        (folder / bad).unlink()
    first = run_batch(folder, out)
    assert first.counts() == {"ok": 3, "skipped": 0, "failed": 0}
    second = run_batch(folder, out)
    assert second.counts() == {"ok": 0, "skipped": 3, "failed": 0}
    (folder / "good.txt").write_text(LETTER + "\nNog een zin erbij voor de wijziging.\n")
    third = run_batch(folder, out)
    assert third.counts() == {"ok": 1, "skipped": 2, "failed": 0}
    assert run_batch(folder, out, force=True).counts()["ok"] == 3


def test_too_large_text_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    line = "Dit is een regel tekst die steeds herhaald wordt in een heel groot bestand.\n"
    with (src / "huge.txt").open("w") as handle:
        handle.write(line * (50 * 1024 * 1024 // len(line) + 1))
    (src / "good.txt").write_text(LETTER)
    result = run_batch(src, tmp_path / "out")
    failed = {o.path: o for o in result.failed}
    assert set(failed) == {"huge.txt"} and "MB" in (failed["huge.txt"].message or "")
    assert (tmp_path / "out" / "good.json").exists()


def test_cli_run_exit_code_and_extract(folder: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(folder), "--out", str(out), "--no-links"])
    assert result.exit_code == 1  # some files failed
    assert (out / "good.json").exists()
    one = runner.invoke(app, ["extract", str(folder / "good.txt")])
    assert one.exit_code == 0, one.output
    record = json.loads(one.stdout)
    assert record["meta"]["date"] == "2024-03-03"
    assert record["meta"]["sender"] == "A.B. Voorbeeld"
    bad = runner.invoke(app, ["extract", str(folder / "empty.txt")])
    assert bad.exit_code == 1


def test_schema_command_prints_the_record_schema() -> None:
    result = CliRunner().invoke(app, ["schema"])
    schema = json.loads(result.stdout)
    assert schema["title"] == "Record"
    assert {"source", "meta", "citations", "commitments", "schema_version"} <= set(
        schema["properties"]
    )


# --------------------------------------------------------------------------- hostile folders


def _errors(out: Path) -> dict[str, dict[str, str]]:
    lines = (out / ERRORS).read_text(encoding="utf-8").splitlines()
    return {e["file"]: e for e in map(json.loads, lines)}


@pytest.mark.parametrize("shard", [None, (0, 2), (1, 2)])
def test_a_name_that_is_not_utf8_is_one_error_line(tmp_path: Path, shard: Any) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(LETTER, encoding="utf-8")
    with open(os.path.join(os.fsencode(src), b"brief\xff.txt"), "wb") as handle:
        handle.write(LETTER.encode("utf-8"))
    out = tmp_path / "out"
    results = [run_parallel(src, out, shard=s) for s in ([shard] if shard else [None])]
    if shard:  # the other half too: together they cover the folder
        results.append(run_parallel(src, out, shard=(1 - shard[0], 2)))
    outcomes = {o.path: o for r in results for o in r.outcomes}
    assert outcomes["good.txt"].status == "ok"
    assert outcomes["brief\\xff.txt"].status == "failed"
    assert _errors(out)["brief\\xff.txt"]["stage"] == "name"
    assert "UTF-8" in _errors(out)["brief\\xff.txt"]["message"]
    assert [p.name for p in out.glob("*.json") if p.name != MANIFEST] == ["good.json"]


def test_colliding_names_get_unique_stable_outputs(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "a").mkdir(parents=True)
    for rel in ("a/b.md", "a/b.txt.md", "a__b.txt"):
        (src / rel).write_text(LETTER.replace("Utrecht", rel), encoding="utf-8")
    out = tmp_path / "out"
    assert run_batch(src, out).counts() == {"ok": 3, "skipped": 0, "failed": 0}
    inputs = json.loads((out / MANIFEST).read_text())["inputs"]
    names = {rel: entry["output"] for rel, entry in inputs.items()}
    assert names["a/b.md"] == "a__b.json"
    assert names["a/b.txt.md"] == "a__b.txt.json"
    assert re.fullmatch(r"a__b~[0-9a-f]{8}\.json", names["a__b.txt"])
    for rel, name in names.items():  # one record per input, naming its own input
        assert json.loads((out / name).read_text())["source"]["path"] == rel
    (src / "a" / "b.txt").write_text(LETTER, encoding="utf-8")  # a fourth claimant
    run_batch(src, out)
    again = json.loads((out / MANIFEST).read_text())["inputs"]
    assert {rel: again[rel]["output"] for rel in names} == names  # earlier names kept
    assert len({e["output"] for e in again.values()}) == 4


@pytest.mark.parametrize(
    ("rels", "expected"),
    [
        (["x.txt"], {"x.txt": "x.json"}),
        (["d/x.txt", "d__x.md"], {"d/x.txt": "d__x.json", "d__x.md": "d__x~"}),
        (["X.txt", "x.md"], {"X.txt": "X.json", "x.md": "x~"}),  # case-insensitive disks
        (["q/" + "n" * 300 + ".txt"], {"q/" + "n" * 300 + ".txt": "q__nnn"}),
    ],
)
def test_assign_output_names(rels: list[str], expected: dict[str, str]) -> None:
    names = assign_output_names(rels, {})
    assert len({n.casefold() for n in names.values()}) == len(rels)
    for rel, start in expected.items():
        assert names[rel].startswith(start) and names[rel].endswith(".json")
        assert len(names[rel].encode()) < 255
    assert assign_output_names(list(reversed(rels)), {}) == names  # order-independent


def test_manifest_names_are_kept_unless_they_clash() -> None:
    previous = {"d/x.txt": "d__x~0123abcd.json", "d__x.md": "d__x.json"}
    # a name that is not one of the input's own candidates is not kept
    names = assign_output_names(["d/x.txt", "d__x.md"], previous)
    assert names["d__x.md"] == "d__x.json"
    assert names["d/x.txt"] != "d__x~0123abcd.json" and names["d/x.txt"].startswith("d__x~")


def test_records_of_gone_inputs_are_removed(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("een.txt", "twee.txt", "drie.txt"):
        (src / name).write_text(LETTER.replace("Utrecht", name), encoding="utf-8")
    out = tmp_path / "out"
    run_batch(src, out)
    (src / "twee.txt").unlink()
    (src / "drie.txt").rename(src / "vier.txt")
    result = run_batch(src, out)
    assert result.removed == ["drie.txt", "twee.txt"]
    assert sorted(p.name for p in out.glob("*.json")) == ["een.json", MANIFEST, "vier.json"]
    assert set(json.loads((out / MANIFEST).read_text())["inputs"]) == {"een.txt", "vier.txt"}
    assert sorted(r.source.path for r in iter_records(out)) == ["een.txt", "vier.txt"]
    assert run_batch(src, out).removed == []  # nothing more to remove


def test_cli_reports_removed_records_and_rebuilds_links(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "een.txt").write_text(LETTER, encoding="utf-8")
    (src / "twee.txt").write_text(LETTER, encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(app, ["run", str(src), "--out", str(out)]).exit_code == 0
    (src / "twee.txt").unlink()
    result = runner.invoke(app, ["run", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 records removed" in " ".join(result.output.split())
    assert "twee.txt" not in (out / "links.json").read_text()


def test_hidden_names_are_reported_and_links_out_refused(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / ".git").mkdir(parents=True)
    (src / ".git" / "notes.txt").write_text(LETTER)
    (src / ".verborgen.txt").write_text(LETTER)
    (src / "good.txt").write_text(LETTER)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(LETTER)
    (src / "naar_buiten.txt").symlink_to(outside / "secret.txt")
    (src / "map_buiten").symlink_to(outside, target_is_directory=True)
    (src / "binnen.txt").symlink_to(src / "good.txt")
    out = tmp_path / "out"
    result = run_batch(src, out)
    status = {o.path: o.status for o in result.outcomes}
    assert status == {
        "binnen.txt": "ok",
        "good.txt": "ok",
        "map_buiten": "failed",
        "naar_buiten.txt": "failed",
    }
    assert sorted(o.path for o in result.ignored) == [".git", ".verborgen.txt"]
    errors = _errors(out)
    assert errors["naar_buiten.txt"]["stage"] == errors["map_buiten"]["stage"] == "symlink"
    assert errors[".git"]["stage"] == errors[".verborgen.txt"]["stage"] == "hidden"
    assert not (out / "secret.json").exists() and not (out / "map_buiten__secret.json").exists()


def test_unreadable_file_is_one_error_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(LETTER)
    (src / "dicht.txt").write_text(LETTER)
    (src / "dicht.txt").chmod(0)
    real_open = Path.open

    def no_access(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "dicht.txt":  # root reads anything: refuse as the kernel would
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", no_access)
    result = run_batch(src, tmp_path / "out")
    assert {o.path: o.stage for o in result.failed} == {"dicht.txt": "read"}
    assert _errors(tmp_path / "out")["dicht.txt"]["message"] == "Permission denied"
    assert (tmp_path / "out" / "good.json").exists()


def _enospc_after(monkeypatch: pytest.MonkeyPatch, allowed: int) -> None:
    """os.replace works `allowed` times, then the disk is full."""
    real = os.replace
    calls = {"n": 0}

    def replace(src: Any, dst: Any) -> None:
        calls["n"] += 1
        if calls["n"] > allowed:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


def test_disk_full_stops_the_batch_cleanly_and_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(5):
        (src / f"brief_{i}.txt").write_text(LETTER.replace("Utrecht", f"U{i}"), encoding="utf-8")
    out = tmp_path / "out"
    _enospc_after(monkeypatch, 2)
    result = run_batch(src, out)
    assert result.stopped is not None and "disk full" in result.stopped
    assert result.counts() == {"ok": 2, "skipped": 0, "failed": 1}
    assert result.failed[0].stage == "disk-full"
    assert _errors(out)["brief_2.txt"]["stage"] == "disk-full"
    assert not list(out.glob(".*.tmp"))  # nothing half-written
    monkeypatch.undo()  # space freed
    again = run_batch(src, out)
    assert again.counts() == {"ok": 3, "skipped": 2, "failed": 0}
    assert sorted(r.source.path for r in iter_records(out)) == [f"brief_{i}.txt" for i in range(5)]


def test_cli_says_disk_full_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(LETTER)
    _enospc_after(monkeypatch, 0)
    result = CliRunner().invoke(app, ["run", str(src), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    said = " ".join(result.output.split())
    assert "disk full" in said and "Traceback" not in said


# --------------------------------------------------------------------------- bounds per document


@pytest.fixture(scope="module")
def long_text(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A letter-like text of about 400 kB (the same paragraphs again and again)."""
    path = tmp_path_factory.mktemp("long") / "lang.txt"
    paragraph = LETTER.split("\n\n", 1)[1]
    path.write_text(LETTER + "\n\n".join([paragraph] * 1500), encoding="utf-8")
    return path


def test_text_path_has_a_time_limit(long_text: Path) -> None:
    with pytest.raises(IngestError) as info:
        process_file(long_text, limits=Limits(timeout_s=0.2))
    assert info.value.stage == "limits" and "Limits.timeout_s" in info.value.message


MEMORY_PROBE = """
import resource, sys
from pathlib import Path
from kamerbrief_extract.ingest.errors import IngestError
from kamerbrief_extract.ingest.limits import Limits
from kamerbrief_extract.nlp.pipeline import load_pipeline
from kamerbrief_extract.process import process_file
from kamerbrief_extract.store import iter_records

nlp = load_pipeline()
before = resource.getrlimit(resource.RLIMIT_AS)
try:
    process_file(Path(sys.argv[1]), nlp, limits=Limits(memory_mb=10))
    print("no error")
except IngestError as exc:
    print(exc.stage, exc.message)
print("restored", resource.getrlimit(resource.RLIMIT_AS) == before)
print("next", process_file(Path(sys.argv[1]), nlp).meta.date)
"""


def test_text_path_has_a_memory_limit_that_is_given_back(long_text: Path) -> None:
    # A fresh process: the limit is "this much more address space than now", and a
    # long-lived test process has freed heap that it can reuse without new mappings.
    run = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(long_text)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = run.stdout.splitlines()
    assert lines[0].startswith("limits out of memory") and "Limits.memory_mb" in lines[0], run
    assert lines[1] == "restored True"
    assert lines[2] == "next 2024-03-03"  # the next document runs freely


def test_time_limit_off_the_main_thread(long_text: Path) -> None:
    caught: list[IngestError] = []

    def work() -> None:
        try:
            process_file(long_text, limits=Limits(timeout_s=0.2))
        except IngestError as exc:
            caught.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    assert [e.stage for e in caught] == ["limits"]


def test_a_document_over_its_limit_is_an_error_line_and_the_batch_goes_on(
    long_text: Path, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(LETTER)
    (src / "lang.txt").write_bytes(long_text.read_bytes())
    out = tmp_path / "out"
    result = run_batch(src, out, limits=Limits(timeout_s=2.0))
    assert {o.path: o.status for o in result.outcomes} == {"good.txt": "ok", "lang.txt": "failed"}
    assert "time limit of 2 s" in _errors(out)["lang.txt"]["message"]


# --------------------------------------------------------------------------- kamerbrief show


@pytest.fixture(scope="module")
def one_record(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    src = tmp_path_factory.mktemp("show_in")
    (src / "good.txt").write_text(LETTER, encoding="utf-8")
    out = tmp_path_factory.mktemp("show_out")
    run_batch(src, out)
    return dict(json.loads((out / "good.json").read_text(encoding="utf-8")))


def test_show_writes_the_review_page(one_record: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "good.json"
    path.write_text(json.dumps(one_record), encoding="utf-8")
    result = CliRunner().invoke(app, ["show", str(path), "--html", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert "Utrecht" in (tmp_path / "r.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("note_number", "content", "message"),
    [
        ("3a", None, "footnotes.0.n"),
        ("x", None, "footnotes.0.n"),
        (None, None, "footnotes.0.n"),
        (1, "{niet: json", "not JSON"),
        (1, b"\xff\xfe\xfa", "not JSON"),
    ],
)
def test_show_on_a_malformed_record_is_a_clear_error(
    one_record: dict[str, Any],
    tmp_path: Path,
    note_number: Any,
    content: str | bytes | None,
    message: str,
) -> None:
    path = tmp_path / "bad.json"
    record = {**one_record, "footnotes": [{"n": note_number, "text": "Zie de bijlage."}]}
    if content is None:
        path.write_text(json.dumps(record), encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    html = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["show", str(path), "--html", str(html)])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)  # no traceback
    said = "".join(result.output.split())  # the console wraps long lines
    assert "".join(message.split()) in said and "bad.json" in said
    assert not html.exists()
