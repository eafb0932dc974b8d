"""System programs some tests drive for real (tmux, sshd, gnome-keyring) and root.

On a developer's machine a missing program skips the test with the reason, so the README's
test command passes on a fresh clone. `.ci/run` installs them all and sets
`PULLBOARD_NO_SKIP=1`, under which `tests/conftest.py` turns every skip into a failure.
"""

from __future__ import annotations

import os
import shutil

import pytest

SBIN = ("/usr/sbin", "/sbin")
"""Where Debian puts daemons such as sshd, often not on a normal user's PATH."""


def find(program: str) -> str | None:
    """The program's path, looking in the sbin folders too; None when it isn't installed."""
    found = shutil.which(program)
    if found is None:
        path = os.pathsep.join(SBIN)
        found = shutil.which(program, path=path)
    return found


def needs(*programs: str, package: str) -> list[str]:
    """Skip the calling test, saying what to install, unless every program is installed.

    Returns:
        The programs' paths, in order.
    """
    found = [find(p) for p in programs]
    missing = [p for p, path in zip(programs, found, strict=True) if path is None]
    if missing:
        pytest.skip(
            f"needs {', '.join(missing)}: not installed "
            f"(apt-get install {package}; .ci/run installs it)"
        )
    return [path for path in found if path is not None]


def needs_root(why: str) -> None:
    """Skip the calling test unless it runs as root (CI does)."""
    if os.geteuid() != 0:
        pytest.skip(f"needs root: {why}")
