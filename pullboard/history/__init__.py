"""What the board has seen over time, per user: for now, when each board was last looked at."""

from __future__ import annotations

from pullboard.history.looks import LookState

__all__ = ["LookState"]
