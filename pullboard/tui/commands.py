"""Command palette: jump to any milestone or issue by ref or title."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from pullboard.model import Issue, Milestone

if TYPE_CHECKING:
    from pullboard.tui.app import PullboardApp


def _label(item: Milestone | Issue) -> str:
    kind = "milestone" if isinstance(item, Milestone) else "issue"
    return f"{item.ref}  {item.title}  ({kind})"


class ItemProvider(Provider):
    """Every milestone and issue on the board, matched on "ref title"."""

    def _items(self) -> list[Milestone | Issue]:
        app = cast("PullboardApp", self.app)
        snapshot = app.snapshot
        if snapshot is None:
            return []
        return [*snapshot.milestones, *snapshot.issues]

    def _open(self, url: str) -> None:
        cast("PullboardApp", self.app).open_item(url)

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
        app = cast("PullboardApp", self.app)
        if app.snapshot is None:
            return
        for m in app.snapshot.milestones:
            yield DiscoveryHit(Content(_label(m)), partial(self._open, m.url), text=_label(m))
