"""The board at 80x24 and at 60x20: everything that matters stays on screen."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from fakes.github_server import TOKEN, FakeGitHub
from textual.widgets import Footer, Input, Static, TextArea
from textual.widgets._footer import FooterKey
from tui_helpers import NOW, lines_of, screen_lines, settle, static_text, table_text

from pullboard.config import BoardConfig, Config, SourceConfig
from pullboard.tui.app import PullboardApp, create_app
from pullboard.tui.screens.back_brief import BackBriefForm
from pullboard.tui.screens.insight_form import InsightForm
from pullboard.tui.screens.modals import HelpScreen
from pullboard.tui.widgets.item_table import ItemTable

SIZES = [(80, 24), (60, 20)]


def shown(app: PullboardApp, selector: str) -> str:
    """A one-line widget's text, asserting it fits its width (nothing cut off the end)."""
    widget = app.screen.query_one(selector, Static)
    text = static_text(app, selector)
    assert len(text) <= widget.content_size.width, f"{selector} overflows: {text!r}"
    return text


def footer_keys(app: PullboardApp) -> set[str]:
    """Keys whose whole label is inside the terminal."""
    footer = app.screen.query_one(Footer)
    width = app.size.width
    return {k.key for k in footer.query(FooterKey) if k.region.width and k.region.right <= width}


@pytest.mark.parametrize("size", SIZES)
async def test_top_bar_view_bar_and_footer_keep_what_matters(
    demo_app: Callable[[], PullboardApp], size: tuple[int, int]
) -> None:
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await settle(app)
        await pilot.pause()
        top = shown(app, "#top")
        assert all(mark in top for mark in ("shop ✓", "web ✓", "payments ✓")), top
        views = shown(app, "#views")
        for view in ("Milestones 10", "Pressing 20", "Mine 10", "Insights 6", "New 16"):
            assert view in views, views
        assert {"q", "r", "question_mark", "p", "slash"} <= footer_keys(app)
        assert "escape" not in footer_keys(app), "Esc does nothing on the board without a filter"
        await pilot.press("slash")
        await pilot.pause()
        assert "escape" in footer_keys(app), "Esc clears the filter"


@pytest.mark.parametrize("size", SIZES)
async def test_the_milestone_table_fits_and_says_where_each_milestone_lives(
    demo_app: Callable[[], PullboardApp], size: tuple[int, int]
) -> None:
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await settle(app)
        await pilot.pause()
        table = app.screen.query_one("#milestones", ItemTable)
        assert table.virtual_size.width <= table.size.width, "no column off the right edge"
        names = [str(table.get_row_at(r)[0]) for r in range(table.row_count)]
        assert "shop v1.4 Saved carts" in names and "web 2.0 Accessibility pass" in names
        assert "PAY 2.1" in names, "a title that already names its project keeps it once"
        assert "PAY Sprint 42" in names, "a Cloud sprint lives in its project too"


@pytest.mark.parametrize("size", SIZES)
async def test_help_lists_every_pullboard_key_and_no_dead_framework_key(
    demo_app: Callable[[], PullboardApp], size: tuple[int, int]
) -> None:
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await settle(app)
        board = app.screen
        ours = {b.binding.description for b in board.active_bindings.values() if b.binding.id}
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        described = {description for _, description in help_screen.keys}
        assert ours - {"Back to the list"} <= described
        listed = " ".join(key for key, _ in help_screen.keys).split()
        for dead in ("←", "→", "^pgup", "^pgdn", "tab", "shift+tab", "super+c"):
            assert dead not in listed, dead
        assert "j" in listed and "↓" in listed, "arrows and j/k are one entry each"
        assert ("g home", "Top") in help_screen.keys and ("G end", "Bottom") in help_screen.keys
        scroll = help_screen.query_one("#help-scroll")
        dialog = help_screen.query_one("#dialog")
        assert dialog.region.height >= min(size[1] - 2, len(help_screen.keys) + 3)
        assert scroll.max_scroll_y == max(0, len(help_screen.keys) - scroll.size.height)


@pytest.mark.parametrize("size", SIZES)
async def test_insights_view_gives_the_text_room(
    demo_app: Callable[[], PullboardApp], size: tuple[int, int]
) -> None:
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await settle(app)
        await pilot.press("4", "d")
        await pilot.pause()
        cells = table_text(app.screen.query_one("#insights", ItemTable))
        assert "WCAG" not in cells, "why and detail are not crammed into the cell"
        why = app.screen.query_one("#why", Static)
        text = static_text(app, "#why")
        assert "The WCAG date in the enterprise contract does not move with us." in text
        assert "We close 0.29 issues a day; the due date needs 0.56." in text
        assert why.size.height >= 4, "the selected insight's why and detail get lines"
        await pilot.press("d")
        await pilot.pause()
        assert why.size.height <= 3, "headlines: three lines at most, the list gets the room"


@pytest.fixture
def fast_and_held(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[FakeGitHub, FakeGitHub, threading.Event]]:
    """Two GitHubs: `fast` answers at once, `held` holds every answer until the test lets go."""
    monkeypatch.setenv("FAKE_TOKEN", TOKEN)
    gate = threading.Event()
    with (
        FakeGitHub(token=TOKEN) as fast,
        FakeGitHub(token=TOKEN, web="https://ghe.example") as held,
    ):
        for fake, repo in ((fast, "acme/app"), (held, "acme/lib")):
            fake.add_repo(repo)
            fake.add_milestone(repo, "v2.0", due_on=NOW + timedelta(days=10))
            fake.add_issue(repo, "Only issue", milestone=1)
        held.fail("/repos/*", None, times=None, gate=gate)
        yield fast, held, gate
        gate.set()


async def test_a_view_says_loading_until_its_rows_can_have_arrived(
    fast_and_held: tuple[FakeGitHub, FakeGitHub, threading.Event],
) -> None:
    fast, held, gate = fast_and_held
    sources = tuple(
        SourceConfig(
            name=name,
            kind="github",
            url=fake.url,
            repos=(f"acme/{name}",),
            milestones="open",
            token_env="FAKE_TOKEN",
        )
        for name, fake in (("app", fast), ("lib", held))
    )
    config = Config(path=None, board=BoardConfig(title="t"), sources=sources)
    app = create_app(config, clock=lambda: NOW)

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")  # Mine: empty so far, and `lib` may still bring some
        for _ in range(500):  # until `app` has painted (bounded: no sleep, no clock)
            if app.snapshot is not None and app.snapshot.milestones:
                break
            await pilot.pause()
        assert app.snapshot is not None and {m.source for m in app.snapshot.milestones} == {"app"}
        assert static_text(app, "#why").startswith("Loading"), "lib may still bring rows"
        gate.set()
        await settle(app)
        await pilot.pause()
        assert static_text(app, "#why").startswith("Nothing here."), "and then it is true"


async def test_a_failing_source_keeps_its_mark_however_many_long_names_share_the_line(
    demo_app: Callable[[], PullboardApp],
) -> None:
    from msgspec.structs import replace

    from pullboard.model import SourceStatus
    from pullboard.tui.widgets.top_bar import TopBar

    app = demo_app()
    async with app.run_test(size=(60, 20)):
        await settle(app)
        assert app.snapshot is not None
        names = ["source-shop", "source-web", "source-api", "source-mobile", "zz-broken"]
        sources = tuple(
            SourceStatus(n, "github", ok=n != "zz-broken", error=None, fetched_at=NOW)
            for n in names
        )
        bar = app.screen.query_one(TopBar)
        bar.show(replace(app.snapshot, sources=sources), NOW)
        line = bar._text(60)
        assert line.cell_len <= 60
        assert "✗" in line.plain and line.plain.count("✓") == 4, line.plain


async def _select(app: PullboardApp, pilot: object, key: str) -> None:
    """Move the list's cursor down to the row with this key."""
    table = app.screen.table()  # type: ignore[attr-defined]
    while table.selected_key != key:
        await pilot.press("down")  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", SIZES)
async def test_the_why_lines_wrap_a_long_reason_and_keep_the_footer(
    demo_app: Callable[[], PullboardApp], size: tuple[int, int]
) -> None:
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await settle(app)
        assert app.snapshot is not None
        url = next(m.url for m in app.snapshot.milestones if m.ref == "acme/web@2.0")
        reason = app.snapshot.status[url].reason
        assert "due moved twice" in reason and len(reason) > size[0], "a reason longer than a line"
        await _select(app, pilot, url)
        await pilot.pause()
        why = app.screen.query_one("#why", Static)
        shown_lines = lines_of(app, why)
        assert why.size.height == 3, shown_lines
        said = " ".join(" ".join(shown_lines).split())
        assert reason in said, "the drift at the end of the reason is on screen"
        table = app.screen.query_one("#milestones", ItemTable)
        assert not table.show_horizontal_scrollbar, "the row given up is not spent on a scrollbar"
        assert "? Keys" in screen_lines(app)[-1], "the footer stays"


@pytest.mark.parametrize("size", SIZES)
async def test_why_lines_that_need_more_than_three_lines_end_in_an_ellipsis(
    demo_app: Callable[[], PullboardApp], size: tuple[int, int]
) -> None:
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await settle(app)
        await pilot.press("4")
        await pilot.pause()
        why = app.screen.query_one("#why", Static)
        shown_lines = lines_of(app, why)
        assert why.size.height == 3, shown_lines
        assert shown_lines[-1].rstrip().endswith("…"), shown_lines
        assert "missing: alex" in " ".join(shown_lines), "the readers' line keeps its row"
        assert "? Keys" in screen_lines(app)[-1], "the footer stays"
        if size == (80, 24):
            await pilot.press("1", "down")  # a short reason: two lines, the list gets its row
            await pilot.pause()
            assert why.size.height == 2, lines_of(app, why)


async def test_the_milestone_screen_says_risk_forecast_and_chance_on_one_line(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        assert app.snapshot is not None
        for m in app.snapshot.milestones:
            st = app.snapshot.status[m.url]
            if st.on_time is None:
                continue
            await _select(app, pilot, m.url)
            await pilot.press("enter")
            await pilot.pause()
            summary = lines_of(app, app.screen.query_one("#summary", Static))
            assert summary[1].rstrip().endswith("% on time"), (m.ref, summary)
            assert summary[2].strip() == st.reason[: len(summary[2].strip())], "then the reason"
            await pilot.press("escape")
            await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
async def test_the_new_view_footer_keeps_refresh_and_keys(
    demo_app: Callable[[], PullboardApp], size: tuple[int, int]
) -> None:
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await settle(app)
        await pilot.press("5")
        await pilot.pause()
        await pilot.pause()
        assert {"s", "q", "r", "question_mark"} <= footer_keys(app), screen_lines(app)[-1]
        footer = app.screen.query_one(Footer)
        cut = [k.key for k in footer.query(FooterKey) if k.region.right > size[0]]
        assert not cut, f"keys cut off the edge: {cut}"


async def test_form_fields_show_in_a_plain_terminal_and_the_last_stance_is_named(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InsightForm)
        fields = form.query_one("#form-fields")
        seen = [
            f for f in fields.query("Input, TextArea") if fields.region.contains_region(f.region)
        ]
        assert len(seen) >= 3, "the first fields are in view"
        for field in seen:
            assert isinstance(field, Input | TextArea)
            assert any(line.strip() for line in lines_of(app, field)), field.id
        await pilot.press("escape", "4", "a")
        await pilot.pause()
        assert isinstance(app.screen, BackBriefForm)
        note = app.screen.query_one("#note", Input)
        assert any(line.strip() for line in lines_of(app, note)), "the note field shows"
        assert "Your last" not in " ".join(screen_lines(app)), "dana has not back-briefed it"
        await pilot.press("down", "down", "enter")
        for _ in range(200):
            if not isinstance(app.screen, BackBriefForm):
                break
            await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, BackBriefForm)
        assert "Your last: commit" in " ".join(screen_lines(app))


async def test_the_goal_line_fits_sixty_columns_and_keeps_the_risk(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app)
        await pilot.pause()
        line = shown(app, "#goal-bar")
        assert line.startswith("◎ Holiday launch"), line
        assert "▲ at risk" in line and line.rstrip().endswith("%"), line


async def test_a_milestone_with_insights_at_60x20_keeps_the_top_bar_and_its_issues(
    demo_app: Callable[[], PullboardApp],
) -> None:
    """With a pinned insight and the burn-up, 2.0 Accessibility pass showed no issue rows and
    scrolled its top bar away at 60x20 (a QA finding): a short terminal drops the chart."""
    from pullboard.tui.screens.milestone import MilestoneScreen

    app = demo_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app)
        m = next(m for m in app.snapshot.milestones if m.title == "2.0 Accessibility pass")  # type: ignore[union-attr]
        app.push_screen(MilestoneScreen(m))
        await settle(app)
        await pilot.pause()
        lines = screen_lines(app)
        assert "web ✓" in lines[0], lines[0]
        assert sum(1 for line in lines if "acme/web#" in line) >= 3, "\n".join(lines)


async def test_the_goal_screen_at_60x20_keeps_the_risk_words_whole(
    demo_app: Callable[[], PullboardApp],
) -> None:
    """The goal list cut "▲ at risk" to "▲ at ri" at 60 columns (a QA finding); progress goes
    narrow as it does on the milestones list."""
    app = demo_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app)
        await pilot.press("t")
        await settle(app)
        text = "\n".join(screen_lines(app))
        assert "▲ at risk" in text and "✗ off track" in text, text
