"""Insights from the board: p pins, e edits, u unpins, a acknowledges; x and d toggle views."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from msgspec.structs import replace
from textual.widgets import Checkbox, Input, TextArea
from tui_helpers import NOW, burst, settle, static_text, table_text

from pullboard import insights
from pullboard.model import Insight
from pullboard.sources.demo import demo_config
from pullboard.tui.app import PullboardApp, create_app
from pullboard.tui.screens.back_brief import BackBriefForm
from pullboard.tui.screens.board import BoardScreen
from pullboard.tui.screens.insight_form import ChoiceScreen, InsightForm
from pullboard.tui.widgets.insight_strip import InsightStrip

SIZE = (80, 24)


def stored(app: PullboardApp) -> list[Insight]:
    loaded = insights.load(app.board.insights_path)
    assert loaded.error is None
    return list(loaded.insights)


async def wait_saved(app: PullboardApp, pilot: object) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


async def test_p_pins_on_the_selected_milestone(demo_app: Callable[[], PullboardApp]) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("slash", *"Gift", "enter", "p")
        await pilot.pause()
        assert isinstance(app.screen, InsightForm)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, InsightForm), "an empty title is refused"
        assert "title" in static_text(app, "#form-error")
        await pilot.press(*"Gift cards need legal review", "tab", *"Legal signs off Friday")
        await pilot.press("ctrl+s")
        await wait_saved(app, pilot)
        assert isinstance(app.screen, BoardScreen)
        new = [i for i in stored(app) if i.title == "Gift cards need legal review"]
        assert len(new) == 1
        assert new[0].on == "https://github.com/acme/shop/milestone/5"
        assert new[0].summary == "Legal signs off Friday" and new[0].author == "dana"
        assert "Legal signs off Friday" in static_text(app, "#strip")


async def test_bad_expiry_date_is_refused_in_the_form(demo_app: Callable[[], PullboardApp]) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("p", *"Title")
        app.screen.query_one("#expires", Input).value = "next week"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InsightForm)
        assert "not a date" in static_text(app, "#form-error")


async def test_form_names_each_problem_once() -> None:
    config = demo_config()
    nobody = create_app(replace(config, board=replace(config.board, me=("",))), clock=lambda: NOW)
    async with nobody.run_test(size=SIZE) as pilot:
        await settle(nobody)
        await pilot.press("p", "ctrl+s")
        await pilot.pause()
        error = static_text(nobody, "#form-error")
        assert error.count("title: missing") == 1
        assert error.count("author: missing") == 1


async def test_e_edits_and_a_acknowledges_in_the_insights_view(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("4")
        key = app.screen.table().selected_key  # type: ignore[attr-defined]
        before = next(i for i in stored(app) if i.id == key)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, BackBriefForm)
        await pilot.press("enter")
        await wait_saved(app, pilot)
        after = next(i for i in stored(app) if i.id == key)
        assert after.acked_by("dana") and after.revision == before.revision
        assert after.acks["dana"].stance == "read"
        assert "read by dana" in static_text(app, "#why")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, InsightForm)
        app.screen.query_one("#summary", Input).value = "Now two weeks late"
        await pilot.press("ctrl+s")
        await wait_saved(app, pilot)
        edited = next(i for i in stored(app) if i.id == key)
        assert edited.summary == "Now two weeks late" and edited.revision == before.revision + 1
        assert not edited.acked_by("dana"), "an edit asks everyone to read again"
        assert "not yet seen the change: dana" in static_text(app, "#why")


async def test_a_refused_edit_keeps_the_text_and_offers_to_reapply_it(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("4")
        key = app.screen.table().selected_key  # type: ignore[attr-defined]
        await pilot.press("e")
        await pilot.pause()
        current = next(i for i in stored(app) if i.id == key)
        insights.edit(
            app.board.insights_path,
            key,
            {"why": "Changed by lee"},
            base_revision=current.revision,
            user="lee",
            now=app.clock(),
        )
        form = app.screen
        assert isinstance(form, InsightForm)
        form.query_one("#summary", Input).value = "Mine"
        await pilot.press("ctrl+s")
        await wait_saved(app, pilot)
        assert app.screen is form, "the form stays open with what was typed"
        assert form.query_one("#summary", Input).value == "Mine"
        assert form.query_one("#why", Input).value == "Changed by lee", "lee's change is in"
        note = static_text(app, "#form-note")
        assert "lee changed" in note and "why" in note and "ctrl+s" in note.casefold()
        assert f"(revision {current.revision + 1})" in static_text(app, "#dialog-title")
        unchanged = next(i for i in stored(app) if i.id == key)
        assert unchanged.summary != "Mine" and unchanged.revision == current.revision + 1
        await pilot.press("ctrl+s")
        await wait_saved(app, pilot)
        assert isinstance(app.screen, BoardScreen)
        final = next(i for i in stored(app) if i.id == key)
        assert (final.summary, final.why) == ("Mine", "Changed by lee")
        assert final.revision == current.revision + 2 and final.updated_by == "dana"


async def test_read_column_counts_stale_acks_apart(
    demo_app: Callable[[], PullboardApp],
) -> None:
    """`Read` is the expected readers who back-briefed this revision (of the audience), then
    `+N↻` for those who read an earlier revision."""
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("4")
        table = app.screen.table()  # type: ignore[attr-defined]
        assert str(table.get_row("demo-3")[4]) == "1/6", "sam of the team read this revision"
        path, now = app.board.insights_path, app.clock()
        insights.edit(path, "demo-3", {"why": "New date"}, base_revision=1, user="lee", now=now)
        insights.ack(path, "demo-3", "priya", now, base_revision=2)
        app.insights_watch.reload()
        await pilot.pause()
        assert str(table.get_row("demo-3")[4]) == "1/6+1↻", "priya read revision 2, sam only 1"


async def test_u_takes_an_insight_off_the_strip_or_deletes_it_for_everyone(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("4")
        key = app.screen.table().selected_key  # type: ignore[attr-defined]
        title = next(i.title for i in stored(app) if i.id == key)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        question = static_text(app, "#question")
        assert "for everyone" in question and "off the strip" in question
        assert "pinned" not in question.replace("is pinned", ""), "no field the form lacks"
        await pilot.press("escape")
        assert next(i for i in stored(app) if i.id == key).pinned
        await pilot.press("u", "s")
        await wait_saved(app, pilot)
        after = next(i for i in stored(app) if i.id == key)
        assert not after.pinned and after.title == title, "kept, off the strip"
        assert title not in static_text(app, "#strip")
        await pilot.press("u")
        await pilot.pause()
        assert "off the strip" not in static_text(app, "#question")
        await pilot.press("d")
        await wait_saved(app, pilot)
        assert not any(i.id == key for i in stored(app))
        assert key not in table_text(app.screen.table())  # type: ignore[attr-defined]


async def test_the_form_pins_and_unpins(demo_app: Callable[[], PullboardApp]) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("4")
        key = app.screen.table().selected_key  # type: ignore[attr-defined]
        await pilot.press("e")
        await pilot.pause()
        box = app.screen.query_one("#pinned", Checkbox)
        assert box.value is True
        box.focus()
        await pilot.press("space", "ctrl+s")
        await wait_saved(app, pilot)
        assert not next(i for i in stored(app) if i.id == key).pinned


async def test_x_shows_expired_and_d_switches_to_details(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("4")
        assert "on-call rota" not in table_text(app.screen.table())  # type: ignore[attr-defined]
        await pilot.press("x")
        await pilot.pause()
        assert "on-call rota" in table_text(app.screen.table())  # type: ignore[attr-defined]
        headline = table_text(app.screen.table())  # type: ignore[attr-defined]
        assert "The due date moved twice, 30 days in all" in headline
        await pilot.press("d")
        await pilot.pause()
        assert "WCAG date in the enterprise contract" in static_text(app, "#why"), "details"


async def test_change_by_someone_else_shows_within_seconds(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        other = Insight(
            id="", on="board", title="Lee's news", summary="Posted from elsewhere", author="lee"
        )
        insights.pin(app.board.insights_path, other, now=app.clock())
        await app.insights_watch.poll()  # what the 2-second timer does
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Posted from elsewhere" in static_text(app, "#strip")


async def test_a_look_for_changes_that_fails_is_said_once_and_tried_again(
    demo_app: Callable[[], PullboardApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        looks: list[int] = []

        def broken() -> bool:
            looks.append(1)
            raise OSError("stale file handle")

        monkeypatch.setattr(app.board, "changed", broken)
        for _ in range(3):
            await app.insights_watch.poll()
        await pilot.pause()
        said = [n for n in app._notifications if "look for changes" in str(n.message)]
        assert len(looks) == 3 and len(said) == 1
        assert app.is_running


async def test_the_clock_tick_leaves_an_unchanged_strip_alone(
    demo_app: Callable[[], PullboardApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redrawing the strip lays out the whole screen: the 15-second tick must not, unless a
    pin expired or arrived."""
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        strip = app.screen.query_one(InsightStrip)
        layouts: list[bool] = []
        real = strip.refresh

        def spy(*args: object, **kwargs: bool) -> object:
            layouts.append(kwargs.get("layout", False))
            return real(*args, **kwargs)

        monkeypatch.setattr(strip, "refresh", spy)
        app._tick()  # shows the strip again, synchronously
        assert True not in layouts

        other = Insight(id="", on="board", title="Fresh pin", summary="Just now", author="lee")
        insights.pin(app.board.insights_path, other, now=app.clock())
        await app.insights_watch.poll()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert True in layouts and "Just now" in static_text(app, "#strip")


async def test_broken_file_is_shown_and_never_written(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    path = app.board.insights_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('version = 1\n[[insight]]\nid = "x"\ntitle = "unterminated\n')
    before = path.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        assert "Insights unavailable" in static_text(app, "#strip")
        assert "line" in static_text(app, "#strip")
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen), "the form is refused"
        assert any("broken" in str(n.message) for n in app._notifications)
    assert path.read_bytes() == before


async def test_read_only_insights_hide_the_write_keys(
    demo_app: Callable[[], PullboardApp], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A state "dir" that is a regular file: nothing can be written below it, even by root
    # (a chmod would not stop root, and CI runs as root).
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        assert app.read_only and "not writable" in app.read_only
        assert any("read-only" in str(n.title) for n in app._notifications)
        footer_keys = {b.binding.key for b in app.screen.active_bindings.values() if b.enabled}
        assert "p" not in footer_keys
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)


async def test_tab_in_a_burst_of_typing_moves_to_the_next_field(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("p")
        await pilot.pause()
        burst(app, "Freeze moves\tNow on the 19th\tLegal asked\tSee the wiki.\t")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InsightForm)
        assert form.query_one("#title", Input).value == "Freeze moves"
        assert form.query_one("#summary", Input).value == "Now on the 19th"
        assert form.query_one("#why", Input).value == "Legal asked"
        assert form.query_one("#detail", TextArea).text == "See the wiki."
        assert app.focused is form.query_one("#expires", Input)


async def test_keys_after_enter_in_the_filter_reach_the_list(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        board = app.screen
        burst(app, "/Gift\rp")
        await pilot.pause()
        assert board.query_one("#filter", Input).value == "Gift"
        assert isinstance(app.screen, InsightForm), "p pinned on the filtered list"


async def test_a_opens_the_back_brief_form_and_saves_a_stance_and_a_note(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("4")
        key = app.screen.table().selected_key  # type: ignore[attr-defined]
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, BackBriefForm)
        await pilot.press("down", "down", "down", "tab", *"QA is short", "enter")
        await wait_saved(app, pilot)
        assert isinstance(app.screen, BoardScreen)
        brief = next(i for i in stored(app) if i.id == key).acks["dana"]
        assert (brief.stance, brief.note) == ("concern", "QA is short")
        assert "2 concern" in static_text(app, "#why"), "jun raised one in the demo"
        await pilot.press("d")
        await pilot.pause()
        assert "dana concern: QA is short" in static_text(app, "#why")
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, BackBriefForm) and form.stance == "concern", "mine, filled in"
        assert form.query_one("#note", Input).value == "QA is short"
        await pilot.press("escape")


async def test_goals_show_above_the_milestones_and_t_opens_the_goal_screen(
    demo_app: Callable[[], PullboardApp],
) -> None:
    from pullboard.tui.screens.goals import GoalScreen

    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        assert "◎ Holiday launch" in static_text(app, "#goal-bar")
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, GoalScreen)
        rows = table_text(app.screen.table())
        assert "Holiday launch" in rows and "  PAY@2.1" in rows and "  acme/shop@v1.4" in rows
        assert "milestones are done by" in static_text(app, "#why")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "MilestoneScreen"


async def test_an_ask_of_me_sits_in_mine_until_i_answer_it(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("3")
        assert app.screen.table().selected_key == "demo-ask"  # type: ignore[attr-defined]
        assert "Asked: dana ?, sam decline" in static_text(app, "#why")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, BackBriefForm)
        await pilot.press("enter")  # accept, the first answer offered
        await wait_saved(app, pilot)
        ask = next(i for i in stored(app) if i.id == "demo-ask")
        assert ask.acks["dana"].stance == "accept"
        assert app.screen.table().selected_key != "demo-ask"  # type: ignore[attr-defined]


async def test_p_on_the_goal_screen_pins_on_the_goal(demo_app: Callable[[], PullboardApp]) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("t", "p", *"Campaign moved", "ctrl+s")
        await wait_saved(app, pilot)
        (pinned,) = [i for i in stored(app) if i.title == "Campaign moved"]
        assert pinned.on == "goal:holiday"
        await pilot.press("escape", "4")
        await pilot.pause()
        row = app.screen.table().get_row(pinned.id)  # type: ignore[attr-defined]
        assert str(row[2]) == "goal holiday", "a goal is no unmatched item"
