"""The command line: argparse, one module per command group, no business logic.

- `entry`: the entry point (`pullboard`, `python -m pullboard`) and the board/export commands.
- `common`: options every command takes, and config loading with `--demo`.
- `insights`: `pin`, `edit`, `unpin`, `ack`, `insights`.
- `init`: the config wizard.  `doctor`: checks a setup end to end.
"""

from __future__ import annotations

from pullboard.cli.entry import main, run

__all__ = ["main", "run"]
