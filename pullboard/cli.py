"""The `pullboard` command: parse arguments, load config, hand over. No business logic here.

Exit codes: 0 fine; 1 some source failed (or a check failed); 2 bad usage or config.
stdout belongs to `export` and friends; every diagnostic goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from pullboard import __version__, config, export
from pullboard.board import Board
from pullboard.errors import ConfigError, PullboardError
from pullboard.paths import state_dir

Handler = Callable[[argparse.Namespace], int]


def _common(parser: argparse.ArgumentParser) -> None:
    """Options every subcommand accepts, so `--config` works wherever it is written."""
    parser.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="config file (default: $PULLBOARD_CONFIG or $XDG_CONFIG_HOME/pullboard/config.toml)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="use the embedded demo data: no network, no config",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the cached board only; never touch the network",
    )


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (the README's command reference follows it)."""
    parser = argparse.ArgumentParser(
        prog="pullboard",
        description="A terminal status board: milestones, pressing issues and pinned insights.",
    )
    parser.add_argument("--version", action="version", version=f"pullboard {__version__}")
    _common(parser)
    parser.set_defaults(handler=cmd_board)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    p = sub.add_parser("board", help="show the board (the default)")
    _common(p)
    p.set_defaults(handler=cmd_board)
    p = sub.add_parser("export", help="print the snapshot as JSON or Markdown")
    _common(p)
    p.add_argument("--format", choices=("json", "markdown"), default="json")
    p.set_defaults(handler=cmd_export)
    return parser


def load_config(args: argparse.Namespace) -> config.Config:
    """The demo config with `--demo`, else the config file (raises ConfigError)."""
    if getattr(args, "demo", False):
        from pullboard.sources.demo import demo_config

        return demo_config()
    return config.load(getattr(args, "config", None))


def cmd_board(args: argparse.Namespace) -> int:
    """Run the TUI."""
    from pullboard.tui.app import create_app

    app = create_app(load_config(args), offline=getattr(args, "offline", False))
    app.run()
    return app.return_code or 0


def cmd_export(args: argparse.Namespace) -> int:
    """Print the board without a UI; progress goes to stderr only when it is a terminal."""
    board = Board(load_config(args))

    def progress(source: str, message: str) -> None:
        print(f"pullboard: {source}: {message}", file=sys.stderr, flush=True)

    async def run() -> int:
        try:
            if getattr(args, "offline", False):
                snapshot = board.cached()
                if snapshot is None:
                    raise PullboardError("Nothing cached yet: run once without --offline.")
            else:
                tty = sys.stderr.isatty()
                snapshot = await board.refresh(progress if tty else _silent, full=True)
        finally:
            await board.aclose()
        render = export.to_markdown if args.format == "markdown" else export.to_json
        sys.stdout.write(render(snapshot))
        return 0 if all(s.ok for s in snapshot.sources) else 1

    return asyncio.run(run())


def _silent(source: str, message: str) -> None:
    """Progress sink when stderr is not a terminal (scripts get clean output)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: every failure becomes a sentence on stderr and an exit code, no traceback."""
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except ConfigError as err:
        for problem in err.problems:
            print(f"pullboard: {problem}", file=sys.stderr)
        return 2
    except PullboardError as err:
        print(f"pullboard: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # the last line of defence: log it, tell the user where
        log = _crash_log(err)
        print(f"pullboard: internal error: {err!r}. Details in {log}", file=sys.stderr)
        return 1


def _crash_log(err: BaseException) -> Path:
    """Write the traceback to the state dir, where a bug report can pick it up."""
    path = state_dir() / "crash.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(traceback.format_exception(err)), encoding="utf-8")
    except OSError:
        pass
    return path
