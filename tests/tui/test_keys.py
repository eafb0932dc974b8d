"""Every key on the board, pressed through Pilot, checked against what is on screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from msgspec.structs import replace
from textual.widgets import ContentSwitcher, Input, Markdown
from tui_helpers import NOW, settle, static_text, table_text

from pullboard.sources.demo import demo_config
from pullboard.tui.app import PullboardApp, create_app
from pullboard.tui.screens.board import BoardScreen
from pullboard.tui.screens.issue import IssueScreen
from pullboard.tui.screens.milestone import MilestoneScreen
from pullboard.tui.screens.modals import HelpScreen, UrlScreen
from pullboard.tui.widgets.item_table import ItemTable

SIZE = (80, 24)


def visible_table(app: PullboardApp) -> ItemTable:
    screen = app.screen
    assert isinstance(screen, BoardScreen)
    return screen.table()


async def test_overview_shows_milestones_insights_and_age(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        text = table_text(visible_table(app))
        assert "2.0 Accessibility pass" in text and "▲ at risk" in text and "✗ off track" in text
        assert "Dec 01–08" in text and "‖ stalled" in text, "PAY 2.1's range; PAY 2.2"
        assert "updated just now" in static_text(app, "#top")
        assert "📌" in static_text(app, "#strip")
        assert "1 Milestones 10" in static_text(app, "#views")


async def test_insights_on_a_milestones_issues_count_in_its_column(
    demo_app: Callable[[], PullboardApp],
) -> None:
    """The demo pins "acme/web#434 blocks Search revamp" on the issue, not on the milestone."""
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        table = visible_table(app)
        cells = {str(row[0]): str(row[5]) for row in map(table.get_row_at, range(table.row_count))}
        assert cells["web 2.1 Search revamp"] == "1" and cells["shop v1.4 Saved carts"] == ""
        names = [str(table.get_row_at(r)[0]) for r in range(table.row_count)]
        table.move_cursor(row=names.index("web 2.1 Search revamp"))
        await pilot.pause()
        assert "acme/web#434 blocks it" in static_text(app, "#why"), "the reason names it"


async def test_number_keys_switch_views(demo_app: Callable[[], PullboardApp]) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        expected = {
            "2": ("pressing", "blocker"),
            "3": ("mine", "acme/"),
            "4": ("insights", "Accessibility pass slipped twice"),
            "5": ("new", "insight"),
            "1": ("milestones", "Sprint 42"),
        }
        for key, (view, needle) in expected.items():
            await pilot.press(key)
            await pilot.pause()
            assert app.screen.query_one(ContentSwitcher).current == view
            assert needle in table_text(visible_table(app)), view


async def test_mine_lists_my_open_asks_then_only_my_open_issues(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("3")
        snapshot = app.snapshot
        assert snapshot is not None
        table = visible_table(app)
        assert table.row_count > 1
        assert [str(c) for c in table.get_row_at(0)[:3]] == [
            "ask",
            "Review the settlement fix",
            "by lee",
        ]
        for row in range(1, table.row_count):
            ref = str(table.get_row_at(row)[0])
            issue = next(i for i in snapshot.issues if i.ref == ref)
            assert issue.state == "open"
            assert {"dana", "Dana Kim"} & set(issue.assignees)


async def test_enter_drills_into_milestone_then_issue_and_escape_returns(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("slash", *"Accessibility", "enter")
        await pilot.press("enter")
        await settle(app)
        assert isinstance(app.screen, MilestoneScreen)
        assert "forecast" in static_text(app, "#summary")
        issues = table_text(app.screen.table())
        assert "In progress (" in issues and "Done (" in issues
        await pilot.press("down", "enter")
        await settle(app)
        assert isinstance(app.screen, IssueScreen)
        body = app.screen.query_one("#body", Markdown)
        assert "## Done when" in body.source
        await pilot.press("escape")
        assert isinstance(app.screen, MilestoneScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, BoardScreen)


async def test_filter_narrows_as_you_type_and_escape_clears(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        table = visible_table(app)
        before = table.row_count
        await pilot.press("slash", *"SEARCH")
        await pilot.pause()
        assert table.row_count == 1
        assert str(table.get_row_at(0)[0]) == "web 2.1 Search revamp"
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == before
        assert not app.screen.query_one("#filter", Input).display


async def test_refresh_key_fetches_again() -> None:
    """Ten minutes on, `r` fetches every source: the data is new again, and says so."""
    now = [NOW]
    app = create_app(demo_config(), clock=lambda: now[0])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        now[0] = NOW + timedelta(minutes=10)
        await pilot.press("r")
        await settle(app)
        assert app.snapshot is not None and all(s.ok for s in app.snapshot.sources)
        assert {s.fetched_at for s in app.snapshot.sources} == {now[0]}
        assert "updated just now" in static_text(app, "#top")


async def test_open_link_without_browser_shows_the_url(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, UrlScreen)
        assert static_text(app, "#url") == "https://github.com/acme/web/milestone/6"
        await pilot.press("escape")
        assert isinstance(app.screen, BoardScreen)


async def test_question_mark_lists_every_key(demo_app: Callable[[], PullboardApp]) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = " ".join(keys for keys, _ in app.screen.keys).split()
        for key in ("1", "2", "3", "4", "5", "/", "o", "r", "q", "^p", "j", "k"):
            assert key in listed, key
        await pilot.press("escape")
        assert isinstance(app.screen, BoardScreen)


async def test_command_palette_jumps_to_an_issue_by_ref(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("ctrl+p", *"PAY-94")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(app)
        assert isinstance(app.screen, IssueScreen)
        assert app.screen.issue.ref == "PAY-94"


async def test_command_palette_switches_views_from_any_screen(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("enter")
        await settle(app)
        assert isinstance(app.screen, MilestoneScreen)
        await pilot.press("ctrl+p", *"View: Pressing")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert app.screen.query_one(ContentSwitcher).current == "pressing"


NEW_IN_THE_DEMO = [
    ('', 'web Q4 hardening'),
    ('-scope', 'acme/web#434 “Vendor search API v2 returns 503 for EU '
     'tenants” moved to 2.1 Search revamp; was in Q4 hardening.'),
    ('', 'web 2.1 Search revamp'),
    ('+scope', 'acme/web#434 “Vendor search API v2 returns 503 for EU '
     'tenants” joined 2.1 Search revamp from Q4 hardening.'),
    ('risk', '2.1 Search revamp went from on track to at risk.'),
    ('', 'The board'),
    ('decline', 'sam declined “Review the settlement fix” on the board: “On call all week”.'),
    ('ask', 'lee asked you “Review the settlement fix” and is waiting for your answer.'),
    ('', 'PAY 2.1'),
    ('closed', 'PAY-80 “Store the processor reference on every refund” was closed.'),
    ('closed', 'PAY-79 “Move refund jobs to the queue” was closed.'),
    ('closed', 'PAY-78 “Alert when a settlement batch is late” was closed.'),
    ('', 'web 2.0 Accessibility pass'),
    ('agree', 'sam agrees with “Accessibility pass slipped twice” on acme/web@2.0.'),
    ('commit', 'marco disagrees but commits to “Accessibility pass slipped '
     "twice” on acme/web@2.0: “I'd rather cut scope, but OK”."),
    ('concern', 'jun raised a concern on “Accessibility pass slipped twice” '
     "on acme/web@2.0: “Two people for a week won't do: the audit keeps finding more”."),
    ('insight', 'priya pinned “Accessibility pass slipped twice” on acme/web@2.0.'),
    ('due', "2.0 Accessibility pass's due date moved from Nov 25 to Dec 09 (14 d later)."),
    ('closed', 'acme/web#410 “Respect prefers-reduced-motion in carousels” was closed.'),
    ('', 'PAY Sprint 42'),
    ('closed', 'PAY-101 “Retry payment webhook delivery with backoff” was closed.'),
    ('', 'shop v1.4 Saved carts'),
    ('closed', 'acme/shop#112 “Track saved-cart events in analytics” was closed.'),
]  # fmt: skip
"""What changed in the demo since its fixed last look (two days back), from its seeded
history and its insights file: one sentence each, under its milestone, newest group first."""


async def test_new_view_is_the_change_feed_and_s_marks_it_seen(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app)
        await pilot.press("5")
        await pilot.pause()
        table = visible_table(app)
        shown = [tuple(map(str, table.get_row_at(r)[:2])) for r in range(table.row_count)]
        assert shown == NEW_IN_THE_DEMO
        assert "5 New 16" in static_text(app, "#views"), "changes are counted, headers not"
        assert table.cursor_row == 1, "the cursor starts on the first change, not a header"
        assert static_text(app, "#why").startswith(NEW_IN_THE_DEMO[1][1][:60]), "whole sentence"
        await pilot.press("enter")
        await settle(app)
        assert isinstance(app.screen, IssueScreen), "a change's row stands for its item"
        assert app.screen.issue.ref == "acme/web#434"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("up")
        assert "Overdue by" in static_text(app, "#why"), "a header stands for its milestone"
        await pilot.press("enter")
        await settle(app)
        assert (
            isinstance(app.screen, MilestoneScreen) and app.screen.milestone.title == "Q4 hardening"
        )
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        table = visible_table(app)
        left = [tuple(map(str, table.get_row_at(r)[:2])) for r in range(table.row_count)]
        assert left == [NEW_IN_THE_DEMO[5], NEW_IN_THE_DEMO[7]], "an ask waits for my answer"
        assert app.board.last_look == NOW


async def test_s_only_acts_in_the_new_view(demo_app: Callable[[], PullboardApp]) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        since = app.board.last_look
        await pilot.press("s")
        await pilot.pause()
        assert app.board.last_look == since


async def test_j_and_k_move_like_arrows(demo_app: Callable[[], PullboardApp]) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        table = visible_table(app)
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1


async def test_cursor_survives_refresh(demo_app: Callable[[], PullboardApp]) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        table = visible_table(app)
        await pilot.press("j", "j", "j")
        key = table.selected_key
        await pilot.press("r")
        await settle(app)
        assert table.selected_key == key


async def test_q_quits(demo_app: Callable[[], PullboardApp]) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_keymap_from_config_rebinds_keys() -> None:
    config = demo_config()
    config = replace(config, board=replace(config.board, keymap={"view.pressing": "P"}))
    app = create_app(config, clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("P")
        await pilot.pause()
        assert app.screen.query_one(ContentSwitcher).current == "pressing"


async def test_palette_lists_each_command_once_and_nothing_that_writes_files(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles)), titles
        assert "Keys" in titles and "Theme" in titles and "Quit" in titles
        assert "Screenshot" not in titles, "it would write into the host's working directory"
