"""The item table on its own: the cursor follows keys across lists, an unchanged row is
rendered once, a click picks a row, the header stays on top."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult
from tui_helpers import lines_of, settle, static_text

from pullboard.tui.app import PullboardApp
from pullboard.tui.screens.milestone import MilestoneScreen
from pullboard.tui.widgets.item_table import ItemTable, Row

SIZE = (40, 12)


def rows(count: int) -> list[Row]:
    return [Row(f"k{n}", (Text(f"row {n}"), Text(str(n)))) for n in range(count)]


class OneTable(App[None]):
    """A table and what it reported, by message."""

    def __init__(self) -> None:
        super().__init__()
        self.highlighted: list[str] = []
        self.selected: list[str] = []

    def compose(self) -> ComposeResult:
        yield ItemTable([("Title", None), ("N", 4)], id="t")

    @on(ItemTable.RowHighlighted)
    def _highlighted(self, event: ItemTable.RowHighlighted) -> None:
        self.highlighted.append(event.row_key)

    @on(ItemTable.RowSelected)
    def _selected(self, event: ItemTable.RowSelected) -> None:
        self.selected.append(event.row_key)


async def test_the_cursor_stays_on_its_row_when_the_rows_are_reordered() -> None:
    app = OneTable()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(ItemTable)
        table.focus()
        shown = rows(5)
        table.show(shown)
        await pilot.press("j", "j")
        assert table.cursor_key == "k2"
        table.show(list(reversed(shown)))
        await pilot.pause()
        assert (table.cursor_row, table.cursor_key) == (2, "k2")
        table.show([shown[4], shown[2]])
        assert (table.cursor_row, table.cursor_key) == (1, "k2")
        table.show(shown[:2], keep="k1")
        assert table.cursor_key == "k1"


async def test_an_unchanged_row_is_rendered_once() -> None:
    app = OneTable()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(ItemTable)
        shown = rows(100)
        table.show(shown)
        await pilot.pause()
        first = table.rendered
        assert 0 < first <= SIZE[1]
        table.show(list(shown))  # the same Row objects in a new list, as the row cache hands out
        await pilot.pause()
        assert table.rendered == first, "no row rendered again"
        table.show([Row("k0", (Text("row 0 edited"), Text("0"))), *shown[1:]])
        await pilot.pause()
        assert table.rendered == first + 1, "only the changed row"
        assert "row 0 edited" in lines_of(app, table)[1]


async def test_a_click_moves_the_cursor_and_a_click_on_the_cursor_selects() -> None:
    app = OneTable()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(ItemTable)
        table.show(rows(5))
        await pilot.pause()
        await pilot.click(ItemTable, offset=(3, 3))  # line 0 is the header: row 2
        assert table.cursor_key == "k2" and app.highlighted[-1] == "k2"
        assert app.selected == []
        await pilot.click(ItemTable, offset=(3, 3))
        assert app.selected == ["k2"]


async def test_on_the_board_a_click_shows_why_and_a_second_click_opens(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        await pilot.pause()
        table = app.screen.query_one("#milestones", ItemTable)
        assert table.row_count > 2 and table.cursor_row == 0
        why = static_text(app, "#why")
        offset = (3, 3)  # the header, then rows 0, 1, 2
        await pilot.click("#milestones", offset=offset)
        await pilot.pause()
        assert table.cursor_row == 2
        assert static_text(app, "#why") != why, "the why line follows the click"
        title = str(table.get_row_at(2)[0])
        await pilot.click("#milestones", offset=offset)
        await settle(app)
        assert isinstance(app.screen, MilestoneScreen)
        assert app.screen.milestone.title in title


async def test_the_header_stays_on_top_while_the_rows_scroll() -> None:
    app = OneTable()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(ItemTable)
        table.focus()
        table.show(rows(50))
        await pilot.press("G")
        await pilot.pause()
        lines = lines_of(app, table)
        assert lines[0].split() == ["Title", "N"]
        assert lines[-1].split() == ["row", "49", "49"], "the cursor's row is in view"
        assert table.scroll_y > 0
        await pilot.press("g")
        await pilot.pause()
        assert lines_of(app, table)[1].split() == ["row", "0", "0"]


async def test_a_cell_longer_than_its_column_ends_with_an_ellipsis_and_markup_stays_text() -> None:
    app = OneTable()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(ItemTable)
        long = Text("[bold]x[/bold] " + "word " * 20, no_wrap=True, overflow="ellipsis")
        table.show([Row("a", (long, "[b]7"))])
        await pilot.pause()
        line = lines_of(app, table)[1]
        assert line.startswith(" [bold]x[/bold] word") and "…" in line
        assert "[b]7" in line


async def test_a_redraw_keeps_where_the_wheel_scrolled(
    demo_app: Callable[[], PullboardApp],
) -> None:
    """New data or the clock's tick redraw the list; a view scrolled away from the cursor
    stays where the reader put it."""
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        await pilot.press("5")
        await pilot.pause()
        table = app.screen.table()  # type: ignore[attr-defined]
        for _ in range(3):
            await pilot._post_mouse_events([events.MouseScrollDown], table, (5, 5))
            await pilot.pause()
        scrolled = table.scroll_y
        assert scrolled > 0
        app._tick()  # the New view's ages follow the clock
        app._redraw()  # what new data does
        await pilot.pause()
        assert table.scroll_y == scrolled


async def test_a_wider_terminal_redraws_lines_whose_columns_kept_their_widths(
    demo_app: Callable[[], PullboardApp],
) -> None:
    """Below about 60 columns the flexible column keeps its least width; the lines still
    reach the new edge (the cursor's colour to the last cell)."""
    app = demo_app()
    async with app.run_test(size=(56, 20)) as pilot:
        await settle(app)
        table = app.screen.table()  # type: ignore[attr-defined]
        widths = list(table._widths)
        await pilot.resize_terminal(61, 20)
        await pilot.pause()
        assert table._widths == widths
        line = table.cursor_row + 1 - table.scroll_offset.y
        strip = app.screen._compositor.render_strips()[table.region.y + line]
        cells = strip.crop(table.region.x, table.region.right - 1)  # the scrollbar aside
        assert len({segment.style.bgcolor for segment in cells if segment.style}) == 1


@pytest.mark.parametrize("size", [(60, 20), (72, 22)])
async def test_the_cursor_stays_on_screen_when_the_list_gets_shorter(
    demo_app: Callable[[], PullboardApp], size: tuple[int, int]
) -> None:
    """The lines under the list take a third row for some rows: the list loses one, and the
    cursor's row must stay in what is left."""
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await settle(app)
        await pilot.press("5")
        await pilot.pause()
        table = app.screen.table()  # type: ignore[attr-defined]
        hidden = []
        for _ in range(table.row_count):
            await pilot.press("j")
            await pilot.pause()
            top, page = table.scroll_offset.y, table.scrollable_content_region.height - 1
            if not top <= table.cursor_row < top + page:
                hidden.append((table.cursor_row, top, page))
        assert hidden == []
