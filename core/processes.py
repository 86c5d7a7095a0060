"""Worker processes that end with the process that started them.

A pool worker outlives its parent when the parent is killed outright (SIGKILL leaves no time to
shut the pool down): it would go on holding hundreds of megabytes under PID 1. On Linux the kernel
can send the worker a signal when its parent dies (prctl PR_SET_PDEATHSIG); elsewhere a worker
ends once its pipe to the parent breaks.
"""
from __future__ import annotations

import ctypes
import os
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Call first thing in a worker: it is killed when the process `parent_pid` ends."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:   # the parent died before the request was made
        os._exit(1)
