"""The command line: argparse, one module per command group, no business logic.

- `entry`: the entry point (`pullboard`, `python -m pullboard`) and the board/export commands.
- `common`: options every command takes, and config loading with `--demo`.
- `insights`: `pin`, `edit`, `unpin`, `ack`, `insights`.
- `init`: the config wizard.  `doctor`: checks a setup end to end.

Importing this package loads nothing else: `run` pauses the garbage collector before the
commands' modules load (`collector`).
"""

from __future__ import annotations

from collections.abc import Sequence

from pullboard.cli import collector


def run() -> int:
    """The process's entry point (the `pullboard` script, `python -m pullboard`)."""
    collector.loading()
    from pullboard.cli.entry import run as run_entry

    return run_entry()


def main(argv: Sequence[str] | None = None) -> int:
    """`pullboard` with these arguments, in this process (what the tests call)."""
    from pullboard.cli.entry import main as main_entry

    return main_entry(argv)


__all__ = ["main", "run"]
