"""`python -m pullboard` runs the same entry point as the `pullboard` script."""

from pullboard.cli import run

raise SystemExit(run())
