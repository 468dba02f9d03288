"""The long-lived worker that keeps the time and memory bounds of PDF and image reads."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from kamerbrief_extract.ingest.errors import IngestError
from kamerbrief_extract.ingest.limits import Limits, run_bounded

FILE = Path("some.pdf")


def test_one_worker_serves_file_after_file() -> None:
    first = run_bounded(os.getpid, path=FILE, limits=Limits())
    second = run_bounded(os.getpid, path=FILE, limits=Limits())
    assert first == second
    assert first != os.getpid()


def test_in_process_when_not_isolated() -> None:
    assert run_bounded(os.getpid, path=FILE, limits=Limits(isolate=False)) == os.getpid()


def test_timeout_kills_the_worker_and_the_next_call_gets_a_fresh_one() -> None:
    before = run_bounded(os.getpid, path=FILE, limits=Limits())
    with pytest.raises(IngestError) as err:
        run_bounded(time.sleep, 30, path=FILE, limits=Limits(timeout_s=0.3))
    assert err.value.stage == "limits"
    assert "Limits.timeout_s" in err.value.message
    after = run_bounded(os.getpid, path=FILE, limits=Limits())
    assert after != before


def test_a_worker_that_dies_is_an_error_naming_the_file_and_is_replaced() -> None:
    with pytest.raises(IngestError) as err:
        run_bounded(os._exit, 3, path=FILE, limits=Limits())
    assert str(err.value.path) == str(FILE)
    assert "worker died (exit code 3)" in err.value.message
    assert isinstance(run_bounded(os.getpid, path=FILE, limits=Limits()), int)


def test_errors_in_the_worker_come_back_as_parse_errors() -> None:
    with pytest.raises(IngestError) as err:
        run_bounded(int, "not a number", path=FILE, limits=Limits())
    assert err.value.stage == "parse"
    assert "ValueError" in err.value.message
