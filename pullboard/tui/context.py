"""What screens, widgets and the command palette read from the board: a small leaf context.

They never import the app (it imports them); they read this Protocol, which the app
implements, and post intents up as messages (`pullboard.tui.messages`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, cast

from textual.app import App

from pullboard.model import Snapshot
from pullboard.tui.views import ViewContext


class BoardContext(Protocol):
    """The read side of the board, as the app holds it."""

    @property
    def snapshot(self) -> Snapshot | None:
        """The board's current data, or None before anything arrived."""

    @property
    def loading(self) -> bool:
        """True until this run's first refresh is over: an empty list may still fill."""

    @property
    def read_only(self) -> str | None:
        """Why this user can't write the insights file (write keys are hidden), or None."""

    def clock(self) -> datetime:
        """Now, from the board's clock (fixed in tests and snapshots)."""

    def view_context(self, query: str = "") -> ViewContext | None:
        """The snapshot with the view settings (expired insights, details, theme) and a
        filter, or None before the first snapshot."""

    def is_complete(self, url: str) -> bool:
        """True once a milestone's full issue list is in the snapshot."""


def context_of(app: App[Any]) -> BoardContext:
    """The board context of the running app (the app implements `BoardContext`)."""
    return cast(BoardContext, app)
