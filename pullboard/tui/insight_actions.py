"""Pin, edit, unpin and acknowledge insights from the board: the app's helper for the
`PinRequested`, `EditRequested`, `UnpinRequested` and `AckRequested` messages.

Writes block (lock, fsync, or GitHub's contents API), so they run in thread workers; `saved`
(the app re-reading the file) runs afterwards and every screen redraws from the new snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from msgspec.structs import replace
from textual.app import App

from pullboard import insights
from pullboard.errors import InsightsError
from pullboard.model import BOARD, Insight
from pullboard.tui.context import BoardContext

if TYPE_CHECKING:
    from pullboard.tui.screens.back_brief import BackBriefForm
    from pullboard.tui.screens.insight_form import InsightForm, Save


class InsightActions:
    """The write side of insights: the file, who writes, and where forms and toasts go.

    Args:
        ui: the running app, as Textual's `App`: modals, toasts and thread workers.
        board: what the board shows now (the snapshot, the clock).
        store: where the insights live (a local file or a GitHub repository).
        user: the name written on pins, edits and acknowledgements.
        role: the user's `[[person]]` role (None: not listed, not limited); an action the role
            doesn't allow is refused with the reason in a toast.
        saved: called on the UI thread after every write attempt (re-read the file).
    """

    def __init__(
        self,
        ui: App[Any],
        board: BoardContext,
        store: insights.Store,
        user: str,
        *,
        role: str | None = None,
        saved: Callable[[], None],
    ) -> None:
        self.ui = ui
        self.board = board
        self.store = store
        self.writer = insights.Writer(store, user, role)
        self.user = user
        self.saved = saved

    def _refused(self, action: insights.Action) -> bool:
        """Say why this user's role doesn't allow `action` (True), before any form opens."""
        reason = self.writer.refusal(action)
        if reason:
            self.ui.notify(reason, title="Not allowed", severity="error", markup=False)
        return reason is not None

    def refused(self) -> str | None:
        """Why writes can't happen now (a broken or read-only file), or None."""
        snapshot = self.board.snapshot
        if snapshot is not None and snapshot.insights_error:
            return f"The insights file is broken, so nothing is saved: {snapshot.insights_error}"
        return self.store.writable()

    def pin(self, on: str) -> None:
        """Open the form for a new insight on an item URL (or the board)."""
        if self._refused("pin"):
            return
        now = self.board.clock()
        draft = Insight(id="", on=on, title="", author=self.user, created=now)
        where = "the whole board" if on == BOARD else self._ref(on)

        def save(form: InsightForm, new: Insight) -> None:
            self._write(lambda: self.writer.pin(new, now=now), f"Pinned “{new.title}”.", form)

        self._form(draft, f"Pin an insight on {where}", save)

    def edit(self, insight: Insight) -> None:
        """Open the form on an insight; if someone else changes it before this user saves,
        the form stays open with their text and offers to save it onto the new revision."""
        if self._refused("edit"):
            return
        self._form(insight, _heading(insight), self._saver(insight))

    def unpin(self, insight: Insight) -> None:
        """Offer what `u` can do: take a pinned insight off the strip (it stays on its item),
        or delete it from the file, which deletes it for everyone."""
        if self._refused("unpin"):
            return
        where = "the whole board" if insight.on == BOARD else self._ref(insight.on)
        choices = [("d", "delete it for everyone (from the insights file)")]
        if insight.pinned:
            choices.insert(0, ("s", f"off the strip for everyone; it stays on {where}"))
        state = "is pinned on the overview strip" if insight.pinned else "is not on the strip"

        def chosen(key: str | None) -> None:
            if key == "s":
                self._change(insight, {"pinned": False}, f"Took “{insight.title}” off the strip.")
            elif key == "d":
                self._write(
                    lambda: self.writer.unpin(insight.id, base_revision=insight.revision),
                    f"Deleted “{insight.title}”.",
                )

        from pullboard.tui.screens.insight_form import ChoiceScreen  # loaded on first use

        self.ui.push_screen(ChoiceScreen(f"“{insight.title}” {state}.", choices), chosen)

    def ack(self, insight: Insight) -> None:
        """Open the back-brief form for the revision on screen (my earlier stance and note
        filled in): read, agree, commit or concern; accept or decline for an ask."""
        if self._refused("ack"):
            return
        from pullboard.tui.screens.back_brief import BackBriefForm  # loaded on first use

        def save(form: BackBriefForm, stance: str, note: str) -> None:
            now = self.board.clock()
            said = "Acknowledged" if stance == "read" else f"Back-briefed ({stance})"
            self._write(
                lambda: self.writer.ack(
                    insight.id, now, base_revision=insight.revision, stance=stance, note=note
                ),
                f"{said} “{insight.title}”.",
                form,
            )

        self.ui.push_screen(BackBriefForm(insight, self.user, save))

    # -- plumbing -----------------------------------------------------------------------------

    def _ref(self, url: str) -> str:
        snapshot = self.board.snapshot
        item = snapshot.find(url) if snapshot else None
        return item.ref if item else url

    def _form(self, draft: Insight, heading: str, save: Save) -> None:
        if reason := self.refused():
            self.ui.notify(reason, severity="error", markup=False)
            return
        from pullboard.tui.screens.insight_form import InsightForm  # loaded on first use

        self.ui.push_screen(InsightForm(draft, heading=heading, save=save))

    def _saver(self, base: Insight) -> Save:
        """Saves the form's insight as an edit of revision `base`."""

        def save(form: InsightForm, new: Insight) -> None:
            changes = _changes(base, new)
            self._change(
                base,
                changes,
                f"Saved “{new.title}”.",
                form,
                conflict=lambda current: form.rebase(
                    replace(current, **changes),
                    _conflict_note(base, current, changes),
                    self._saver(current),
                    heading=_heading(current),
                ),
            )

        return save

    def _change(
        self,
        base: Insight,
        changes: insights.Changes,
        done: str,
        form: InsightForm | None = None,
        *,
        conflict: Callable[[Insight], None] | None = None,
    ) -> None:
        """Edit `changes` into the insight, refused if it is no longer at `base`'s revision."""
        now = self.board.clock()
        self._write(
            lambda: self.writer.edit(base.id, changes, base_revision=base.revision, now=now),
            done,
            form,
            conflict=conflict,
        )

    def _write(
        self,
        change: Callable[[], object],
        done: str,
        form: InsightForm | BackBriefForm | None = None,
        *,
        conflict: Callable[[Insight], None] | None = None,
    ) -> None:
        """Run one file change in a thread worker, then reload and say how it went: a form
        closes on success and stays open, with its text, when the change was refused."""

        def finish(error: InsightsError | None) -> None:
            if isinstance(error, insights.Conflict) and conflict and form and form.is_attached:
                conflict(error.current)
            elif error is not None and form is not None and form.is_attached:
                form.refused(str(error))
            elif error is not None:
                self.ui.notify(str(error), severity="error", timeout=10, markup=False)
            else:
                if form is not None and form.is_attached:
                    form.dismiss(None)
                self.ui.notify(done, markup=False)
            self.saved()

        def work() -> None:
            try:
                change()
            except InsightsError as err:
                self.ui.call_from_thread(finish, err)
            else:
                self.ui.call_from_thread(finish, None)

        self.ui.run_worker(
            work,
            thread=True,
            group="insights",
            exit_on_error=False,
            description="Saving the insights file",
        )


FIELDS = ("title", "summary", "detail", "why", "expires", "audience", "pinned")
"""What the form edits."""


def _changes(base: Insight, new: Insight) -> insights.Changes:
    """The fields the user changed from `base` (only those are written, or reapplied)."""
    changed: Any = {f: getattr(new, f) for f in FIELDS if getattr(new, f) != getattr(base, f)}
    return cast(insights.Changes, changed)


def _heading(insight: Insight) -> str:
    return f"Edit “{insight.title}” (revision {insight.revision})"


def _conflict_note(base: Insight, current: Insight, mine: insights.Changes) -> str:
    """What happened while the user edited, and what ctrl+s now does."""
    who = current.updated_by or "someone"
    at = f" at {current.updated:%H:%M}" if current.updated else ""
    theirs = [f for f in FIELDS if getattr(current, f) != getattr(base, f)]
    both = [f for f in mine if f in theirs]
    what = f" ({', '.join(theirs)})" if theirs else ""
    clash = f" For {', '.join(both)} yours replaces theirs." if both else ""
    return (
        f"{who} changed this insight{what}{at} while you were editing. Below: your changes "
        f"on top of theirs (revision {current.revision}).{clash} Ctrl+S saves them; "
        f"Esc leaves it as {who} left it."
    )
