"""What every subcommand shares: the common options and how the config is chosen."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from datetime import date
from typing import TYPE_CHECKING

from msgspec.structs import replace

from pullboard import config, history
from pullboard.errors import UsageError
from pullboard.model import Issue, Milestone
from pullboard.text import clean, looks_secret, one_line, redact

if TYPE_CHECKING:
    from pullboard.board import Board
    from pullboard.model import Snapshot


def add_common(parser: argparse.ArgumentParser, *, me: bool = True) -> None:
    """Options every subcommand accepts, so `--config` works wherever it is written
    (`init` has its own `--me`: the names it writes into the new config)."""
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
    if me:
        parser.add_argument(
            "--me",
            metavar="NAME",
            default=argparse.SUPPRESS,
            help='who "I" am: author, acknowledger, "Mine" (default: $PULLBOARD_ME, else '
            "[board] me, else the OS user)",
        )


def load_config(args: argparse.Namespace) -> config.Config:
    """The demo config with `--demo`, else the config file (raises ConfigError), as the person
    `--me` or `$PULLBOARD_ME` names, when one does.

    Raises:
        UsageError: the name given is empty, holds control characters or looks like a token.
    """
    if getattr(args, "demo", False):
        from pullboard.sources.demo import demo_config

        loaded = demo_config()
    else:
        loaded = config.load(getattr(args, "config", None))
    me = getattr(args, "me", None) or os.environ.get("PULLBOARD_ME", "")
    if not me:
        return loaded
    where = "--me" if getattr(args, "me", None) else "$PULLBOARD_ME"
    if one_line(me) != me or not me.strip() or looks_secret(me):
        raise UsageError(
            f"{where}: expected a user name (printable, not a token), such as --me dana."
        )
    return replace(loaded, board=replace(loaded.board, me=(me.strip(),)))


def add_since(parser: argparse.ArgumentParser) -> None:
    """`--since WHEN` (export, digest): where the change feed starts."""
    parser.add_argument(
        "--since",
        metavar="WHEN",
        default=history.LAST_LOOK,
        help="list changes since WHEN: last-look (default), an ISO date or date-time, "
        "or a span such as 36h, 7d, 2w",
    )


def start_feed(board: Board, when: str) -> None:
    """Start the board's change feed at WHEN (`last-look` keeps the board's own last look).

    Raises:
        UsageError: WHEN names no moment before now (the CLI exits 2).
    """
    if (since := history.parse_since(when, board.clock())) is not None:
        board.history.since = since


def say(message: str) -> None:
    """A diagnostic on stderr (stdout belongs to export): every message passes here, so none
    carries a credential or a byte that drives the terminal, whoever wrote its parts."""
    print(f"pullboard: {clean(redact(message))}", file=sys.stderr, flush=True)


def day_arg(value: str) -> date:
    """An argparse type: a day such as 2026-03-01."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date such as 2026-03-01, got {value!r}"
        ) from None


def names_arg(value: str) -> tuple[str, ...]:
    """An argparse type: comma-separated names or tags, blanks dropped."""
    return tuple(v.strip() for v in value.split(",") if v.strip())


def insights_board(args: argparse.Namespace) -> Board:
    """The board the config names, for insight and goal commands: its insights ready to read
    and write (`--demo` uses, and first seeds, the demo's own file)."""
    from pullboard.board import Board  # the commands that need a board pay for its import

    cfg = load_config(args)
    board = Board(cfg)
    if cfg.demo:
        board.reload_insights()
    return board


def last_seen(board: Board) -> Snapshot | None:
    """The board as last seen, without the network: the demo's own data, else the cache
    (None before the board was ever opened)."""
    return asyncio.run(board.refresh(full=True)) if board.config.demo else board.cached()


def url_of(
    name: str,
    snapshot: Snapshot | None,
    kinds: tuple[type[Milestone | Issue], ...] = (Milestone, Issue),
) -> str | None:
    """The web URL of what `name` names on the board as last seen: a URL it shows, or a ref
    (`acme/shop#12`, `acme/shop@v1.4`, `PAY-7`) of one of `kinds`; None when it shows no
    such thing. What is saved is the URL: a ref stops naming a milestone once it is renamed.
    """
    found = (snapshot.find(name) or snapshot.by_ref(name)) if snapshot else None
    return found.url if isinstance(found, kinds) else None
