"""What every subcommand shares: the common options and how the config is chosen."""

from __future__ import annotations

import argparse
import sys

from pullboard import config
from pullboard.text import clean, redact


def add_common(parser: argparse.ArgumentParser) -> None:
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


def load_config(args: argparse.Namespace) -> config.Config:
    """The demo config with `--demo`, else the config file (raises ConfigError)."""
    if getattr(args, "demo", False):
        from pullboard.sources.demo import demo_config

        return demo_config()
    return config.load(getattr(args, "config", None))


def say(message: str) -> None:
    """A diagnostic on stderr (stdout belongs to export): every message passes here, so none
    carries a credential or a byte that drives the terminal, whoever wrote its parts."""
    print(f"pullboard: {clean(redact(message))}", file=sys.stderr, flush=True)
