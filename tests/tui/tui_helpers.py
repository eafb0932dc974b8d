"""Reading what the user sees from a running app."""

from __future__ import annotations

from datetime import UTC, datetime

from textual._xterm_parser import XTermParser
from textual.app import App
from textual.widget import Widget
from textual.widgets import Static

from pullboard.tui.widgets.item_table import ItemTable

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
"""The fixed clock every TUI test and snapshot runs at."""


def table_text(table: ItemTable) -> str:
    """Every cell of a table as plain text, row by row."""
    lines = []
    for row in range(table.row_count):
        lines.append(" | ".join(str(cell) for cell in table.get_row_at(row)))
    return "\n".join(lines)


def static_text(app: App[object], selector: str) -> str:
    """The plain text a Static widget shows."""
    return str(app.screen.query_one(selector, Static).render())


async def settle(app: App[object]) -> None:
    """Wait until refresh workers have finished and the screen has caught up."""
    await app.workers.wait_for_complete()
    await app.workers.wait_for_complete()


def burst(app: App[object], typed: str) -> None:
    """Deliver `typed` as one read from the terminal, the way keystrokes bundled over SSH
    arrive: the terminal's own parser turns it into keys, all queued before the first is
    handled (`pilot.press` waits for each key to be handled, so it never shows this)."""
    driver = app._driver
    assert driver is not None
    for event in XTermParser().feed(typed):
        driver.send_message(event)


def screen_lines(app: App[object]) -> list[str]:
    """The screen as a plain terminal shows it, line by line (no colours, no styles)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def lines_of(app: App[object], widget: Widget) -> list[str]:
    """The lines of the screen a widget covers, cut to its columns."""
    region = widget.region
    strips = app.screen._compositor.render_strips()[region.y : region.bottom]
    return [strip.crop(region.x, region.right).text for strip in strips]
