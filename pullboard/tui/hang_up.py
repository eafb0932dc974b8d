"""A closed terminal (SIGHUP: ssh dropped, tmux pane killed) or SIGTERM ends the board as `q`
does: the app saves the last look first, so the next start shows what changed.

Its own module because signals are process plumbing, not the board: which signals, what to
do where there are none, and the last resort when the terminal is already gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Callable

HANG_UP_GRACE_SECONDS = 3
"""After SIGHUP or SIGTERM, how long a clean exit may take before the process just ends."""
SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def catch(hung_up: Callable[[], None]) -> None:
    """Call `hung_up` on the running loop when the terminal goes away or the process is
    asked to end."""
    loop = asyncio.get_running_loop()
    for sig in SIGNALS:
        # Not in the main thread (an embedding host), or no signals here: `q` still saves.
        with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
            loop.add_signal_handler(sig, hung_up)


def release() -> None:
    """Leave the signals to their defaults again (the app is closing)."""
    loop = asyncio.get_running_loop()
    for sig in SIGNALS:
        with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
            loop.remove_signal_handler(sig)


def end_soon() -> None:
    """End the process after the grace period, however the clean exit fares.

    The terminal may be gone: Textual's driver can wait forever on an input thread restarted
    by the SIGCONT that follows a hang-up. The look is saved by then; end regardless.
    """
    last_resort = threading.Timer(HANG_UP_GRACE_SECONDS, os._exit, args=(0,))
    last_resort.daemon = True
    last_resort.start()
