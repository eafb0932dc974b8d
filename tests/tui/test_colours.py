"""Risk levels read apart at 16 colours and under the ANSI themes, not only in truecolour."""

from __future__ import annotations

import pytest
from rich.color import ColorSystem
from rich.style import Style
from rich.text import Text
from tui_helpers import NOW, settle

from pullboard.model import Risk
from pullboard.sources.demo import demo_config
from pullboard.tui.app import PullboardApp, create_app
from pullboard.tui.formatting import RISK_TEXT
from pullboard.tui.widgets.item_table import ItemTable

SYSTEMS = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT}


def risk_cells(app: PullboardApp) -> dict[Risk, Text]:
    """The Risk cell of one milestone per risk level, as the overview shows it."""
    table = app.screen.query_one("#milestones", ItemTable)
    cells = [table.get_row_at(row)[4] for row in range(table.row_count)]
    by_label = {cell.plain: cell for cell in cells if isinstance(cell, Text)}
    return {risk: by_label[label] for risk, label in RISK_TEXT.items() if label in by_label}


def ansi_hue(app: PullboardApp, style: Style | str) -> int:
    """The colour a 16-colour terminal shows, folded onto the eight hues (bright red is red)."""
    assert isinstance(style, Style) and style.color is not None
    system = SYSTEMS.get(app.console.color_system or "", ColorSystem.STANDARD)
    number = style.color.downgrade(min(system, ColorSystem.STANDARD)).number
    assert number is not None
    return number % 8


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "ansi-dark", "ansi-light"])
async def test_risk_levels_differ_in_colour_at_16_colours(
    monkeypatch: pytest.MonkeyPatch, theme: str
) -> None:
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("COLORTERM", raising=False)
    app = create_app(demo_config(), clock=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await settle(app)
        await pilot.pause()
        assert app.console.color_system == "standard"
        cells = risk_cells(app)
        at_risk, off_track = cells[Risk.AT_RISK], cells[Risk.OFF_TRACK]
        assert at_risk.plain.startswith("▲") and off_track.plain.startswith("✗")
        assert ansi_hue(app, at_risk.style) != ansi_hue(app, off_track.style)
        assert ansi_hue(app, cells[Risk.ON_TRACK].style) not in (
            ansi_hue(app, at_risk.style),
            ansi_hue(app, off_track.style),
        )
        stalled = cells[Risk.STALLED]
        assert stalled.plain.startswith("‖"), "a glyph of its own, for no colour at all"
        signals = {ansi_hue(app, cells[r].style) for r in (Risk.ON_TRACK, Risk.AT_RISK)}
        assert ansi_hue(app, stalled.style) not in signals | {ansi_hue(app, off_track.style)}


async def test_a_new_theme_recolours_the_board_at_once() -> None:
    app = create_app(demo_config(), clock=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        await pilot.pause()
        before = risk_cells(app)[Risk.AT_RISK].style
        app.theme = "ansi-dark"
        await pilot.pause()
        after = risk_cells(app)[Risk.AT_RISK].style
        assert isinstance(before, Style) and isinstance(after, Style)
        assert before.color != after.color
        assert after.color is not None and after.color.number == 3, "the theme's ansi_yellow"
