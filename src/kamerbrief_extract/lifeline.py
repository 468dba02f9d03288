"""Child processes that end with the process they work for.

A batch killed with SIGKILL cannot clean up, so its helpers watch for it
themselves: a direct child asks the kernel for SIGKILL when its parent dies
(``PR_SET_PDEATHSIG``, Linux), and a pool worker, whose parent is the
multiprocessing fork server rather than the batch, polls the batch's process id.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1


def die_with_parent() -> bool:
    """Ask for SIGKILL when the parent process ends (Linux); False where unsupported.

    Also ends this process at once when the parent is already gone (the parent
    died before the request was made).
    """
    if not sys.platform.startswith("linux"):
        return False
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if parent == 1 or not _alive(parent):
        os.kill(os.getpid(), signal.SIGKILL)
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def watch_parent(pid: int, interval_s: float = 0.5) -> threading.Thread:
    """A daemon thread that kills this process (and its process group's strays) once `pid` ends."""

    def watch() -> None:
        while _alive(pid) and os.getppid() != 1:
            time.sleep(interval_s)
        os.kill(os.getpid(), signal.SIGKILL)

    thread = threading.Thread(target=watch, name="lifeline", daemon=True)
    thread.start()
    return thread
