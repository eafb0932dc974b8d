"""The small form `a` opens: where I stand on an insight, and one line in my own words.

A back-brief says more than a read receipt: agree, disagree and commit, or a concern (and,
to an ask, accept or decline). Enter saves the highlighted stance; Tab moves to the note.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from pullboard.model import ASK, Insight
from pullboard.tui.screens.form import FormScreen, form_bindings

CHOICES = {
    "read": "Read: I have read this",
    "agree": "Agree",
    "commit": "Disagree and commit",
    "concern": "Concern: I see a problem (say which below)",
    "accept": "Accept: I will do it",
    "decline": "Decline: I can't (say why below)",
}
"""Each stance as the form offers it."""
NOTE_STANCES = ("read", "agree", "commit", "concern")
ASK_STANCES = ("accept", "decline", "concern", "read")

Brief = Callable[["BackBriefForm", str, str], None]
"""Saves (stance, note), then calls the form's `refused` or dismisses it."""


class BackBriefForm(FormScreen):
    """Stance (a list: arrows or j/k) and an optional note; Enter or Ctrl+S saves."""

    BINDINGS = form_bindings("brief")

    def __init__(self, insight: Insight, user: str, save: Brief) -> None:
        super().__init__()
        self.insight = insight
        self.save = save
        self.stances = ASK_STANCES if insight.kind == ASK else NOTE_STANCES
        mine = insight.acks.get(user)
        self.start = mine.stance if mine and mine.stance in self.stances else self.stances[0]
        self.note = mine.note if mine else ""
        # The list starts on my last stance: say so, and whether the insight changed since.
        earlier = mine is not None and not insight.acked_by(user)
        self.last = (
            f"Your last: {mine.stance}{', on an earlier version' if earlier else ''}"
            if mine
            else ""
        )

    def compose(self) -> ComposeResult:
        what = "Answer the ask" if self.insight.kind == ASK else "Back-brief"
        with Vertical(id="form"):
            yield Static(f"{what}: “{self.insight.title}”", id="dialog-title", markup=False)
            if self.last:
                yield Static(self.last, classes="hint", markup=False)
            yield OptionList(*(Option(CHOICES[s], id=s) for s in self.stances), id="stances")
            yield Static("In your own words (optional, one line)", classes="hint")
            yield Input(
                self.note, "type a line, or leave empty", id="note", max_length=280, compact=True
            )
            yield Static("", id="form-error", markup=False)
            yield Static("Enter saves · Tab note · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        stances = self.query_one("#stances", OptionList)
        stances.highlighted = self.stances.index(self.start)
        stances.focus()

    @property
    def stance(self) -> str:
        """The highlighted stance."""
        index = self.query_one("#stances", OptionList).highlighted
        return self.stances[index or 0]

    def action_save(self) -> None:
        if self.saving:
            return  # one write at a time
        self.saving = True
        self.query_one("#form-error", Static).update("Saving…")
        self.save(self, self.stance, self.query_one("#note", Input).value.strip())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_save()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()
