"""Pin, edit, unpin and acknowledge insights from the board: the app's helper for the
`PinRequested`, `EditRequested`, `UnpinRequested` and `AckRequested` messages.

File writes block (lock, fsync), so they run in thread workers; `saved` (the app re-reading
the file) runs afterwards and every screen redraws from the new snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App

from pullboard import insights
from pullboard.errors import InsightsError
from pullboard.model import BOARD, Insight
from pullboard.tui.context import BoardContext
from pullboard.tui.screens.insight_form import ConfirmScreen, FormResult, InsightForm


class InsightActions:
    """The write side of insights: the file, who writes, and where forms and toasts go.

    Args:
        ui: the running app, as Textual's `App`: modals, toasts and thread workers.
        board: what the board shows now (the snapshot, the clock).
        path: the insights file.
        user: the name written on pins, edits and acknowledgements.
        saved: called on the UI thread after every write attempt (re-read the file).
    """

    def __init__(
        self,
        ui: App[Any],
        board: BoardContext,
        path: Path,
        user: str,
        *,
        saved: Callable[[], None],
    ) -> None:
        self.ui = ui
        self.board = board
        self.path = path
        self.user = user
        self.saved = saved

    def refused(self) -> str | None:
        """Why writes can't happen now (a broken or read-only file), or None."""
        snapshot = self.board.snapshot
        if snapshot is not None and snapshot.insights_error:
            return f"The insights file is broken, so nothing is saved: {snapshot.insights_error}"
        return insights.writable(self.path)

    def pin(self, on: str) -> None:
        """Open the form for a new insight on an item URL (or the board)."""
        now = self.board.clock()
        draft = Insight(id="", on=on, title="", author=self.user, created=now)
        where = "the whole board" if on == BOARD else self._ref(on)
        self._form(draft, f"Pin an insight on {where}", self._save_new)

    def edit(self, insight: Insight) -> None:
        """Open the form on an insight; saving is refused if someone else changed it meanwhile."""
        self._form(
            insight,
            f"Edit “{insight.title}” (revision {insight.revision})",
            lambda result: self._save_edit(insight, result),
        )

    def unpin(self, insight: Insight) -> None:
        """Ask, then remove the insight from the file."""

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(
                    lambda: insights.unpin(self.path, insight.id, base_revision=insight.revision),
                    f"Removed “{insight.title}”.",
                )

        question = (
            f"Remove “{insight.title}” from the insights file for everyone? "
            "(To keep it but take it off the strip, edit it instead.)"
        )
        self.ui.push_screen(ConfirmScreen(question), answered)

    def ack(self, insight: Insight) -> None:
        """Record "I have read this" for the revision on screen."""
        if insight.acked_by(self.user):
            self.ui.notify(f"You already acknowledged “{insight.title}”.", markup=False)
            return
        now = self.board.clock()
        self._write(
            lambda: insights.ack(
                self.path, insight.id, self.user, now, base_revision=insight.revision
            ),
            f"Acknowledged “{insight.title}”.",
        )

    # -- plumbing -----------------------------------------------------------------------------

    def _ref(self, url: str) -> str:
        snapshot = self.board.snapshot
        item = snapshot.find(url) if snapshot else None
        return item.ref if item else url

    def _form(self, draft: Insight, heading: str, save: Callable[[FormResult], None]) -> None:
        if reason := self.refused():
            self.ui.notify(reason, severity="error", markup=False)
            return

        def done(result: FormResult | None) -> None:
            if result is not None:
                save(result)

        self.ui.push_screen(InsightForm(draft, heading=heading), done)

    def _save_new(self, result: FormResult) -> None:
        now = self.board.clock()
        self._write(
            lambda: insights.pin(self.path, result.insight, now=now),
            f"Pinned “{result.insight.title}”.",
        )

    def _save_edit(self, original: Insight, result: FormResult) -> None:
        new = result.insight
        fields = ("title", "summary", "detail", "why", "expires", "audience")
        changes: Any = {
            f: getattr(new, f) for f in fields if getattr(new, f) != getattr(original, f)
        }
        now = self.board.clock()
        self._write(
            lambda: insights.edit(
                self.path,
                original.id,
                changes,
                base_revision=original.revision,
                user=self.user,
                now=now,
            ),
            f"Saved “{new.title}”.",
        )

    def _write(self, change: Callable[[], object], done: str) -> None:
        """Run one file change in a thread worker, then reload and say how it went."""

        def work() -> None:
            try:
                change()
            except InsightsError as err:
                self.ui.call_from_thread(
                    self.ui.notify, str(err), severity="error", timeout=10, markup=False
                )
            else:
                self.ui.call_from_thread(self.ui.notify, done, markup=False)
            self.ui.call_from_thread(self.saved)

        self.ui.run_worker(
            work,
            thread=True,
            group="insights",
            exit_on_error=False,
            description="Saving the insights file",
        )
