"""Parallel, sharded, resumable and distributed runs give the sequential run's records."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from kamerbrief_extract.batch import ERRORS, MANIFEST, run_batch
from kamerbrief_extract.nlp.pipeline import load_pipeline
from kamerbrief_extract.parallel import (
    SHARDS,
    parse_shard,
    run_parallel,
    shard_of,
)
from kamerbrief_extract.process import make_long_doc, process_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "data" / "raw").glob("*.txt"))
MOTIONS = sorted((ROOT / "tests" / "fixtures" / "kst-motions").glob("*.xml"))
VOLATILE = frozenset({"links"})

pytestmark = pytest.mark.skipif(not SAMPLES or not MOTIONS, reason="shared samples not present")


def _records(out: Path) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(out.glob("*.json")):
        if path.name == MANIFEST:
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        found[path.name] = {k: v for k, v in data.items() if k not in VOLATILE}
    return found


def _corpus(root: Path, copies: int = 1, motions: int = 3) -> Path:
    src = root / "in"
    (src / "sub").mkdir(parents=True)
    for i in range(copies):
        for sample in SAMPLES:
            shutil.copy(sample, src / f"c{i}_{sample.name}")
    for motion in MOTIONS[:motions]:
        shutil.copy(motion, src / "sub" / motion.name)
    return src


@pytest.mark.parametrize(
    ("spec", "expected"),
    [("0/1", (0, 1)), ("3/8", (3, 8)), ("7/8", (7, 8)), (" 1/2", (1, 2))],
)
def test_parse_shard_accepts(spec: str, expected: tuple[int, int]) -> None:
    assert parse_shard(spec) == expected


@pytest.mark.parametrize("spec", ["8/8", "-1/4", "1", "1/0", "a/b", "1/2/3", ""])
def test_parse_shard_refuses(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_shard(spec)


def test_shards_partition_the_corpus_stably() -> None:
    names = [f"map/{i:04d}.txt" for i in range(400)]
    parts = [[n for n in names if shard_of(n, 4) == i] for i in range(4)]
    assert sorted(n for part in parts for n in part) == names  # disjoint and complete
    assert all(60 <= len(p) <= 140 for p in parts)  # roughly even
    assert shard_of("map/0001.txt", 4) == shard_of("map/0001.txt", 4)
    assert shard_of("a.txt", 1) == 0
    assert shard_of("a.txt", 1000) == 629  # sha256, not Python's salted hash


@pytest.mark.parametrize("limit", [500, 2_000, 9_999])
def test_long_text_is_tokenized_in_sections_with_the_same_text(limit: int) -> None:
    nlp = load_pipeline()
    text = SAMPLES[1].read_text(encoding="utf-8")
    whole = nlp.make_doc(text)
    doc = make_long_doc(nlp, text, limit=limit)
    assert doc.text == text
    assert len(doc) >= len(text) // limit  # several sections were joined
    words = [t.text for t in doc if not t.is_space]
    assert words == [t.text for t in whole if not t.is_space]


def test_short_text_is_one_doc() -> None:
    nlp = load_pipeline()
    assert make_long_doc(nlp, "Korte tekst.", limit=100).text == "Korte tekst."


@pytest.mark.parametrize("path", [*SAMPLES, *MOTIONS[:2]], ids=lambda p: p.name)
def test_stage_timings_do_not_change_the_record(path: Path) -> None:
    timings: dict[str, float] = {}
    ours = process_file(path, display_path=path.name, timings=timings)
    assert ours == process_file(path, display_path=path.name)
    assert {"ingest", "clean", "tokenize", "build", "nlp.kb_citations"} <= set(timings)
    assert all(v >= 0 for v in timings.values())


def test_text_over_max_length_is_processed_in_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = load_pipeline()
    path = SAMPLES[1]
    expected = process_file(path, display_path=path.name)
    monkeypatch.setattr(nlp, "max_length", 20_000)
    assert len(expected.text) > nlp.max_length
    sectioned = process_file(path, display_path=path.name)
    assert sectioned.text == expected.text
    assert sectioned.citations == expected.citations
    assert sectioned.amounts == expected.amounts
    assert sectioned.commitments == expected.commitments


def test_two_workers_give_the_sequential_records(tmp_path: Path) -> None:
    src = _corpus(tmp_path, copies=2, motions=4)
    run_batch(src, tmp_path / "seq")
    # 3 files per worker: two pool generations, so workers are recycled once
    result = run_parallel(src, tmp_path / "par", workers=2, max_tasks_per_child=3)
    assert result.counts() == {"ok": 10, "skipped": 0, "failed": 0}
    assert _records(tmp_path / "par") == _records(tmp_path / "seq")
    manifest = json.loads((tmp_path / "par" / MANIFEST).read_text())
    assert len(manifest["inputs"]) == 10
    assert (tmp_path / "par" / SHARDS / "0-of-1.done").exists()
    assert not list((tmp_path / "par" / SHARDS).glob("*.jsonl"))  # merged into the manifest


def test_shards_split_work_and_resume(tmp_path: Path) -> None:
    src = _corpus(tmp_path, copies=1, motions=5)
    out = tmp_path / "out"
    first = run_parallel(src, out, shard=(0, 2))
    second = run_parallel(src, out, shard=(1, 2))
    done = {o.path for o in first.outcomes} | {o.path for o in second.outcomes}
    assert not {o.path for o in first.outcomes} & {o.path for o in second.outcomes}
    assert len(done) == 8 and first.outcomes and second.outcomes
    assert len(json.loads((out / MANIFEST).read_text())["inputs"]) == 8
    assert len(_records(out)) == 8
    again = run_parallel(src, out, shard=(0, 2))  # the done marker: nothing is read
    assert {o.status for o in again.outcomes} == {"skipped"}
    victim = src / first.outcomes[0].path
    victim.write_text(victim.read_text() + "\nEen extra zin.\n")
    changed = run_parallel(src, out, shard=(0, 2))
    assert [o.path for o in changed.outcomes if o.status == "ok"] == [first.outcomes[0].path]
    full = run_parallel(src, out)  # the unsharded run sees every shard's work
    assert full.counts() == {"ok": 0, "skipped": 8, "failed": 0}


def _corrupt_corpus(root: Path) -> Path:
    src = root / "bad"
    src.mkdir()
    pdf = (ROOT / "tests" / "fixtures" / "real-motion-pdf").glob("*.pdf")
    real = next(iter(pdf), None)
    if real is not None:
        (src / "truncated.pdf").write_bytes(real.read_bytes()[:4000])
    else:
        (src / "truncated.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    (src / "text_named.pdf").write_text("Dit is geen PDF maar gewone tekst.\n", encoding="utf-8")
    (src / "pdf_named.xml").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    (src / "image_named.png").write_text("geen plaatje\n", encoding="utf-8")
    (src / "zero.pdf").write_bytes(b"")
    (src / "zero.txt").write_bytes(b"")
    (src / "huge.txt").write_bytes(b"Een regel tekst.\n" * (60 * 1024 * 1024 // 17))
    shutil.copy(SAMPLES[-1], src / "good.txt")
    return src


BAD = {
    "truncated.pdf",
    "text_named.pdf",
    "pdf_named.xml",
    "image_named.png",
    "zero.pdf",
    "zero.txt",
    "huge.txt",
}


@pytest.mark.parametrize("runner", ["run_batch", "run_parallel"])
def test_corrupt_files_fail_alone(tmp_path: Path, runner: str) -> None:
    src = _corrupt_corpus(tmp_path)
    out = tmp_path / "out"
    result = run_batch(src, out) if runner == "run_batch" else run_parallel(src, out)
    status = {o.path: o.status for o in result.outcomes}
    assert {p for p, s in status.items() if s == "failed"} == BAD
    assert status["good.txt"] == "ok"
    errors = [json.loads(line) for line in (out / ERRORS).read_text().splitlines()]
    assert {e["file"] for e in errors} == BAD
    assert all(e["stage"] and e["message"] for e in errors)
    assert set(_records(out)) == {"good.json"}


def _journal_ok(out: Path) -> list[str]:
    files: list[str] = []
    for journal in (out / SHARDS).glob("*.jsonl"):
        files += [json.loads(line)["file"] for line in journal.read_text().splitlines()]
    return files


def test_sigkill_mid_run_then_resume(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(30):
        shutil.copy(SAMPLES[-1] if i % 3 else SAMPLES[0], src / f"brief_{i:02d}.txt")
    (src / "zero.txt").write_bytes(b"")
    out = tmp_path / "out"
    cli = [sys.executable, "-m", "kamerbrief_extract.cli", "run", str(src), "--out", str(out)]
    cmd = [*cli, "--no-links", "--workers", "2"]
    proc = subprocess.Popen(cmd, start_new_session=True, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("brief_*.json"))) < 4:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the parent and its workers, mid-write or not
    proc.wait()
    first = set(_journal_ok(out))
    assert 4 <= len(first) < 30, "the run must be killed in the middle"
    for path in out.glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))  # no torn record
    finished = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 1  # zero.txt failed, the rest went through
    assert "30 processed" not in finished.stderr
    counts = finished.stderr
    assert f"{30 - len(first)} processed, {len(first)} unchanged" in counts
    records = _records(out)
    assert set(records) == {f"brief_{i:02d}.json" for i in range(30)}
    assert not list(out.glob(".*.tmp"))
    manifest = json.loads((out / MANIFEST).read_text())
    assert set(manifest["inputs"]) == {f"brief_{i:02d}.txt" for i in range(30)}
    errors = [json.loads(line) for line in (out / ERRORS).read_text().splitlines()]
    assert {e["file"] for e in errors} == {"zero.txt"}


def test_dask_executor_equals_local(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    src = _corpus(tmp_path, copies=1, motions=3)
    pdfs = sorted((ROOT / "tests" / "fixtures" / "real-motion-pdf").glob("*.pdf"))[:1]
    for pdf in pdfs:  # PDF parsing starts a child process: workers must not be daemons
        shutil.copy(pdf, src / pdf.name)
    local = run_parallel(src, tmp_path / "local")
    dask = run_parallel(src, tmp_path / "dask", executor="dask", workers=2)
    ok = 6 + len(pdfs)
    assert dask.counts() == local.counts() == {"ok": ok, "skipped": 0, "failed": 0}
    assert _records(tmp_path / "dask") == _records(tmp_path / "local")
    manifest = json.loads((tmp_path / "dask" / MANIFEST).read_text())
    assert manifest["inputs"] == json.loads((tmp_path / "local" / MANIFEST).read_text())["inputs"]


def test_killed_runs_temporaries_are_dropped_but_not_a_live_shards(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLES[-1], src / "brief.txt")
    out = tmp_path / "out"
    out.mkdir()
    torn = out / ".brief.json.k1l2.tmp"
    torn.write_text('{"schema_version": "1", "te')
    run_parallel(src, out, shard=(0, 2))
    run_parallel(src, out, shard=(1, 2))
    assert torn.exists()  # could be another shard's write in progress
    os.utime(torn, (time.time() - 7200, time.time() - 7200))
    run_parallel(src, out, shard=(0, 2))
    assert not torn.exists()
    (out / ".brief.json.zz.tmp").write_text("{")
    run_parallel(src, out)  # one run owns the folder: everything half-written goes
    assert not list(out.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--shard", "2/2"], 2, "0 <= i < N"),
        (["--shard", "x"], 2, "i/N"),
        (["--executor", "slurm"], 2, "is not one of 'local'"),
        (["--workers", "0"], 2, ""),
        (["--shard", "0/1"], 0, "1 processed"),
    ],
)
def test_cli_run_options(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    from typer.testing import CliRunner

    from kamerbrief_extract.cli import app

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLES[-1], src / "brief.txt")
    cmd = ["run", str(src), "--out", str(tmp_path / "out"), "--no-links", *args]
    result = CliRunner().invoke(app, cmd)
    assert result.exit_code == code, result.output
    assert message in result.output


def _tagged(tag: str) -> dict[int, str]:
    """Processes (pid -> command line) that carry KAMERBRIEF_TEST_TAG=tag in their environment."""
    found: dict[int, str] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if f"KAMERBRIEF_TEST_TAG={tag}".encode() not in (proc / "environ").read_bytes():
                continue
            found[int(proc.name)] = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
    return found


def _pdf_in_progress(tag: str) -> bool:
    """A PDF is being parsed: its bounded parse process is alive."""
    return any("kamerbrief_extract.ingest.limits" in cmd for cmd in _tagged(tag).values())


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkill_of_the_parent_during_a_pdf_leaves_no_process_and_resumes(
    tmp_path: Path,
) -> None:
    pdfs = sorted((ROOT / "tests" / "fixtures" / "real-motion-pdf").glob("*.pdf"))
    if not pdfs:
        pytest.skip("no PDF fixture")
    src = tmp_path / "in"
    src.mkdir()
    for i in range(12):
        shutil.copy(SAMPLES[i % len(SAMPLES)], src / f"brief_{i:02d}.txt")
    for i in (3, 7, 11):
        shutil.copy(pdfs[0], src / f"brief_{i:02d}b.pdf")
    out = tmp_path / "out"
    tag = f"{os.getpid()}-{time.monotonic_ns()}"
    env = {**os.environ, "KAMERBRIEF_TEST_TAG": tag}
    cli = [sys.executable, "-m", "kamerbrief_extract.cli", "run", str(src), "--out", str(out)]
    cmd = [*cli, "--no-links", "--workers", "2"]
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (
        len(list(out.glob("brief_*.json"))) >= 3 and _pdf_in_progress(tag)
    ):
        time.sleep(0.02)
    assert _pdf_in_progress(tag), "the batch must be killed while a PDF is parsed"
    os.kill(proc.pid, signal.SIGKILL)  # the parent only: its helpers must follow by themselves
    proc.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and _tagged(tag):
        time.sleep(0.1)
    left = _tagged(tag)
    for pid in left:  # do not leak them into the rest of the suite
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    assert not left, f"processes outlived the batch: {sorted(left.values())}"
    finished = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    assert finished.returncode == 0, finished.stderr
    inputs = sorted(p.name for p in src.iterdir())
    records = [json.loads(p.read_text()) for p in out.glob("*.json") if p.name != MANIFEST]
    assert sorted(r["source"]["path"] for r in records) == inputs  # exactly one each
    assert all(r["schema_version"] and r["text"] for r in records)
    assert not list(out.glob(".*.tmp"))
    assert set(json.loads((out / MANIFEST).read_text())["inputs"]) == set(inputs)
