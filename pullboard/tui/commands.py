"""Command palette: jump to any milestone or issue by ref or title, or to one of the views."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from pullboard.model import Issue, Milestone
from pullboard.tui.context import context_of
from pullboard.tui.messages import OpenRequested
from pullboard.tui.screens.board import BoardScreen
from pullboard.tui.views import TITLES, VIEWS


def _label(item: Milestone | Issue) -> str:
    kind = "milestone" if isinstance(item, Milestone) else "issue"
    return f"{item.ref}  {item.title}  ({kind})"


class ItemProvider(Provider):
    """Every milestone and issue on the board, matched on "ref title"."""

    def _items(self) -> list[Milestone | Issue]:
        snapshot = context_of(self.app).snapshot
        if snapshot is None:
            return []
        return [*snapshot.milestones, *snapshot.issues]

    def _open(self, url: str) -> None:
        self.app.post_message(OpenRequested(url))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for item in self._items():
            label = _label(item)
            score = matcher.match(label)
            if score > 0:
                # Titles are tracker text: build Content literally, then mark the matched letters
                # (matcher.highlight would parse the title as markup).
                _, offsets = matcher.fuzzy_search.match(query, label)
                display = Content(label)
                for offset in offsets:
                    display = display.stylize("bold underline", offset, offset + 1)
                yield Hit(
                    score,
                    display,
                    partial(self._open, item.url),
                    text=label,
                    help=f"Open {item.url}",
                )

    async def discover(self) -> Hits:
        snapshot = context_of(self.app).snapshot
        if snapshot is None:
            return
        for m in snapshot.milestones:
            yield DiscoveryHit(Content(_label(m)), partial(self._open, m.url), text=_label(m))


def view_commands(app: App[Any]) -> Iterator[SystemCommand]:
    """One palette command per view of the board (the same as keys 1-5)."""
    for n, view in enumerate(VIEWS, start=1):
        yield SystemCommand(
            f"View: {TITLES[view]}",
            f"Show the {TITLES[view]} list (key {n})",
            partial(_show_view, app, view),
        )


def _show_view(app: App[Any], view: str) -> None:
    """Back to the board from any screen above it, then switch to `view`."""
    while len(app.screen_stack) > 2:
        app.pop_screen()
    if isinstance(app.screen, BoardScreen):
        app.screen.action_view(view)
