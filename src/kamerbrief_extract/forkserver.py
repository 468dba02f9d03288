"""The fork server that pool workers are forked from, started before the batch's imports.

The server imports the package and loads the pipeline once (`PRELOAD`); every worker
forked from it starts with both in memory. Started first thing in a run with several
workers, it does that on the second core while the batch process imports its own
modules and scans the input folder, instead of after them.
"""

from __future__ import annotations

import multiprocessing as mp
from multiprocessing.context import ForkServerContext

PRELOAD = ["kamerbrief_extract.parallel", "kamerbrief_extract.nlp.preload"]


def context() -> ForkServerContext:
    """The fork-server context with the package preloaded."""
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def start() -> None:
    """Start the fork server now (it loads in the background); a no-op when running."""
    from multiprocessing import forkserver

    context()
    forkserver.ensure_running()
