"""The form leads pin and edit insights with: validated before it is saved."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from pullboard.insights import check
from pullboard.model import Insight


@dataclass(frozen=True)
class FormResult:
    """What the user typed, as an insight draft (id and revision come from the original)."""

    insight: Insight


class InsightForm(ModalScreen[FormResult | None]):
    """Title, summary, detail, why, expires, audience. Ctrl+S saves, Esc cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        # Priority: Tab moves focus as soon as it is read, before the keys typed after it in
        # the same burst (fast typing over SSH arrives bundled) are handed to a field; as an
        # ordinary key it would reach the app only after the field had taken them all.
        Binding("tab", "next_field", "Next field", id="form.next", show=False, priority=True),
        Binding(
            "shift+tab",
            "previous_field",
            "Previous field",
            id="form.previous",
            show=False,
            priority=True,
        ),
    ]

    def __init__(self, draft: Insight, *, heading: str) -> None:
        super().__init__()
        self.draft = draft
        self.heading = heading

    def compose(self) -> ComposeResult:
        d = self.draft
        with Vertical(id="form"):
            yield Static(self.heading, id="dialog-title", markup=False)
            with VerticalScroll(id="form-fields"):
                yield Label("Title (short, required)")
                yield Input(d.title, id="title", max_length=120, compact=True)
                yield Label("Summary: the one-line headline")
                yield Input(d.summary, id="summary", max_length=200, compact=True)
                yield Label("Why it matters now")
                yield Input(d.why, id="why", compact=True)
                yield Label("Detail (Markdown)")
                yield TextArea(d.detail, id="detail", soft_wrap=True, compact=True)
                yield Label("Expires (YYYY-MM-DD, empty for never)")
                yield Input(d.expires.isoformat() if d.expires else "", id="expires", compact=True)
                yield Label("Audience (comma separated tags)")
                yield Input(", ".join(d.audience), id="audience", compact=True)
            yield Static("", id="form-error", markup=False)
            yield Button(
                "Save  (ctrl+s)   ·   Esc cancels", id="save", variant="primary", compact=True
            )

    def on_mount(self) -> None:
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
        )
        # Each problem once: `check` may name one twice (the author, today).
        problems = list(dict.fromkeys([*problems, *check(insight)]))
        return (None if problems else insight), problems

    def action_save(self) -> None:
        insight, problems = self._collect()
        if insight is None:
            self.query_one("#form-error", Static).update("Can't save: " + "; ".join(problems))
            return
        self.dismiss(FormResult(insight))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_next_field(self) -> None:
        self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; `y` confirms, `n` or Esc declines."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, markup=False)
            yield Static("y: yes   n / Esc: no", classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
