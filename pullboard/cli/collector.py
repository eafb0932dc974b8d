"""The garbage collector, set for how pullboard's processes use memory.

A refresh allocates hundreds of thousands of objects that live until the next one, and almost
none of them form cycles. With CPython's defaults (a young collection every 700 new objects)
an export of 6,000 issues ran about 250 collections, two of them full passes over everything
imported: 70 ms of a 0.75 s run. Set here, the same export spends about 20 ms.
"""

from __future__ import annotations

import gc

YOUNG = 20_000
"""New objects between young collections (CPython's default: 700)."""


def loading() -> None:
    """Pause the collector while a new process imports its modules: they make hundreds of
    thousands of objects that live as long as the process, and collecting among them as they
    load cost about 15 ms of the board's start. `settle` resumes it."""
    gc.disable()


def settle() -> None:
    """Take everything alive now (the imported modules, for a process that has just started)
    out of all future collections, and collect the young generation less often.

    Call it when what is alive will live as long as the process: once at start, and again
    after importing a large library (the TUI's). Frozen objects are never freed, so never
    call it with a board's data alive.
    """
    gc.freeze()
    gc.set_threshold(YOUNG, 10, 10)
    gc.enable()
