"""Fixtures for the real-terminal tests."""

from __future__ import annotations

from terminal_driver import board_command, terminal

__all__ = ["board_command", "terminal"]
