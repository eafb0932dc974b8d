"""The form leads pin and edit insights with, and the choice `u` offers.

The form stays open until the insights file took the change: a refused save (someone else
edited the insight meanwhile, a locked or unwritable file) never throws away what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from msgspec.structs import replace
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static, TextArea

from pullboard.insights import check
from pullboard.model import Insight
from pullboard.tui.screens.form import FormScreen, form_bindings

_HINT = {
    "title": "type a short title",
    "summary": "type the headline people read first",
    "why": "type why it matters now",
    "detail": "type the detail, in Markdown",
    "expires": "YYYY-MM-DD, or leave empty",
    "audience": "e.g. web, payments, or leave empty",
}
"""Placeholders: an empty field shows one, so it is visible in a terminal without colours
(the fields are one line, without a border, to fit the form at 80x24)."""

Save = Callable[["InsightForm", Insight], None]
"""Writes the typed insight, then calls the form's `saved`, `refused` or `rebase`."""


class InsightForm(FormScreen):
    """Title, summary, why, detail, expires, audience, pinned. Ctrl+S saves, Esc cancels."""

    BINDINGS = form_bindings("form")

    def __init__(self, draft: Insight, *, heading: str, save: Save) -> None:
        super().__init__()
        self.draft = draft
        self.heading = heading
        self.save = save

    def compose(self) -> ComposeResult:
        d = self.draft
        with Vertical(id="form"):
            yield Static(self.heading, id="dialog-title", markup=False)
            yield Static("", id="form-note", markup=False)
            with VerticalScroll(id="form-fields"):
                yield Label("Title (short, required)")
                yield Input(d.title, _HINT["title"], id="title", max_length=120, compact=True)
                yield Label("Summary: the one-line headline")
                yield Input(d.summary, _HINT["summary"], id="summary", max_length=200, compact=True)
                yield Label("Why it matters now")
                yield Input(d.why, _HINT["why"], id="why", compact=True)
                yield Label("Detail (Markdown)")
                yield TextArea(
                    d.detail,
                    id="detail",
                    soft_wrap=True,
                    compact=True,
                    placeholder=_HINT["detail"],
                )
                yield Label("Expires (YYYY-MM-DD, empty for never)")
                yield Input(_day(d.expires), _HINT["expires"], id="expires", compact=True)
                yield Label("Audience (comma separated tags)")
                yield Input(", ".join(d.audience), _HINT["audience"], id="audience", compact=True)
                yield Checkbox(
                    "Pinned: on everyone's overview strip", d.pinned, id="pinned", compact=True
                )
            yield Static("", id="form-error", markup=False)
            yield Button(
                "Save  (ctrl+s)   ·   Esc cancels", id="save", variant="primary", compact=True
            )

    def on_mount(self) -> None:
        self.query_one("#form-note").display = False
        self.query_one("#title", Input).focus()

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value.strip()

    def _collect(self) -> tuple[Insight | None, list[str]]:
        """The typed values as an insight, or the problems that stop saving it."""
        problems = []
        expires: date | None = None
        if raw := self._value("expires"):
            try:
                expires = date.fromisoformat(raw)
            except ValueError:
                problems.append(f"expires: {raw!r} is not a date like 2026-12-31")
        audience = tuple(a.strip() for a in self._value("audience").split(",") if a.strip())
        insight = replace(
            self.draft,
            title=self._value("title"),
            summary=self._value("summary"),
            why=self._value("why"),
            detail=self.query_one("#detail", TextArea).text.strip(),
            expires=expires,
            audience=audience,
            pinned=self.query_one("#pinned", Checkbox).value,
        )
        # Each problem once: `check` may name one twice (the author, today).
        problems = list(dict.fromkeys([*problems, *check(insight)]))
        return (None if problems else insight), problems

    def action_save(self) -> None:
        if self.saving:
            return  # one write at a time: a second ctrl+s would race the first
        insight, problems = self._collect()
        if insight is None:
            self.refused("Can't save: " + "; ".join(problems))
            return
        self.saving = True
        self.query_one("#form-error", Static).update("Saving…")
        self.save(self, insight)

    def rebase(self, draft: Insight, note: str, save: Save, *, heading: str) -> None:
        """Someone else changed the insight: show `draft` (their revision with this user's
        changes on top), say what happened, and save onto their revision next time."""
        self.saving, self.draft, self.save = False, draft, save
        self.query_one("#dialog-title", Static).update(heading)
        for field in ("title", "summary", "why"):
            self.query_one(f"#{field}", Input).value = getattr(draft, field)
        self.query_one("#detail", TextArea).text = draft.detail
        self.query_one("#expires", Input).value = _day(draft.expires)
        self.query_one("#audience", Input).value = ", ".join(draft.audience)
        self.query_one("#pinned", Checkbox).value = draft.pinned
        self.query_one("#form-error", Static).update("")
        box = self.query_one("#form-note", Static)
        box.update(note)
        box.display = True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


class ChoiceScreen(ModalScreen[str | None]):
    """A question with a few one-key answers; Esc answers None (do nothing)."""

    BINDINGS = [Binding("escape", "choose('')", "Cancel", id="choice.cancel")]

    def __init__(self, question: str, choices: list[tuple[str, str]]) -> None:
        """`choices` are (key, what it does) pairs; pressing the key answers with it."""
        super().__init__()
        self.question = question
        self.choices = choices

    def compose(self) -> ComposeResult:
        lines = [f"{key}    {what}" for key, what in self.choices] + ["Esc  keep it as it is"]
        with Vertical(id="dialog"):
            yield Static(self.question + "\n\n" + "\n".join(lines), id="question", markup=False)

    def on_key(self, event: events.Key) -> None:
        if any(event.key == key for key, _ in self.choices):
            event.stop()
            self.dismiss(event.key)

    def action_choose(self, key: str) -> None:
        self.dismiss(key or None)
