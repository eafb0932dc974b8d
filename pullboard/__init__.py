"""pullboard: a terminal status board that replaces status meetings with pull alignment."""

__version__ = "0.1.0"
