"""The Textual app: holds the snapshot, runs refresh workers, routes messages between screens.

Orchestration lives in `pullboard.board`; the app only decides *when* to call it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from pullboard.board import Board
from pullboard.config import Config
from pullboard.errors import SourceError
from pullboard.model import BOARD, Issue, Milestone, Snapshot, utc_now
from pullboard.text import clean, redact
from pullboard.tui import hang_up
from pullboard.tui.browser import open_url
from pullboard.tui.commands import ItemProvider, view_commands
from pullboard.tui.display import Display
from pullboard.tui.insight_actions import InsightActions
from pullboard.tui.insights_watch import InsightsWatch
from pullboard.tui.key_gate import KeyGate
from pullboard.tui.messages import (
    AckRequested,
    BodyRequested,
    EditRequested,
    LinkRequested,
    MilestoneShown,
    OpenRequested,
    PinRequested,
    SeenRequested,
    UnpinRequested,
)
from pullboard.tui.screens.base import ListScreen, PullboardScreen
from pullboard.tui.screens.board import BoardScreen
from pullboard.tui.screens.modals import HelpScreen, UrlScreen, keys_of
from pullboard.tui.views import ViewContext
from pullboard.tui.widgets.top_bar import TopBar

TICK_SECONDS = 15
PAINT_WAIT_SECONDS = 0.5
"""Longest the first refresh waits for the frame that paints the cached board."""


class PullboardApp(App[int]):
    """pullboard's TUI. Build it with `create_app`, as the CLI and the tests do.

    It implements `BoardContext` (what screens read) and handles every message they post.
    """

    CSS_PATH = "pullboard.tcss"
    TITLE = "pullboard"
    COMMANDS = App.COMMANDS | {ItemProvider}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("r", "refresh", "Refresh", id="app.refresh"),
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("x", "toggle_expired", "Show expired insights", id="app.expired", show=False),
        Binding("d", "toggle_details", "Insight details / headlines", id="app.details", show=False),
    ]

    snapshot: reactive[Snapshot | None] = reactive(None, always_update=True, init=False)

    def __init__(
        self, board: Board, *, offline: bool = False, clock: Callable[[], datetime] = utc_now
    ) -> None:
        super().__init__()
        self.board = board
        self.offline = offline
        self.clock = clock
        self.show_expired = False
        self.details = False
        self.loading = not offline
        """True until this run's first refresh is over: an empty list may still fill."""
        self.insights_watch = InsightsWatch(self, board, self.show_snapshot)
        """Another lead's change shows; the write keys hide when this user can't write."""
        self.insight_actions = InsightActions(
            self,
            self,
            board.insights_store,
            board.config.board.user,
            role=board.config.role,
            saved=self.insights_watch.reload,
        )
        if board.config.board.keymap:
            self.set_keymap(board.config.board.keymap)
        self.key_gate = KeyGate(self, self.on_event)
        """Keys typed in one burst are handled in turn, each on the screen it left."""
        self.lists = Display(self, self)
        """Which snapshot is shown, and the rows, styles and settings its lists are built with."""
        self._today = clock().date()

    # -- lifecycle ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.push_screen(BoardScreen())
        self.start()
        self.set_interval(TICK_SECONDS, self._tick)
        # Table cells hold resolved colours: a new theme (the palette's Theme) redraws them.
        self.theme_changed_signal.subscribe(self, lambda _theme: self._new_theme())
        self.insights_watch.start()
        self.insights_watch.check_read_only()
        refresh = self.board.config.board.refresh
        if refresh and not self.offline:
            self.set_interval(refresh, self.refresh_board)
        hang_up.catch(self._hung_up)

    @property
    def read_only(self) -> str | None:
        """Why the insights file can't be written by this user (write keys are hidden)."""
        return self.insights_watch.read_only

    def _hung_up(self) -> None:
        """The terminal closed or the process was asked to end: as `q`, the look saved first."""
        self.board.mark_looked()
        hang_up.end_soon()
        self.exit()

    async def on_event(self, event: events.Event) -> None:
        if self.key_gate.holds(event):
            return
        try:
            await super().on_event(event)
        finally:
            self.key_gate.passed(event)

    async def on_unmount(self) -> None:
        self.insights_watch.close()
        self.board.mark_looked()
        hang_up.release()
        await self.board.aclose()

    @work(group="start", exit_on_error=False, description="Reading the cached board")
    async def start(self) -> None:
        """The first frame shows the empty board; the cache is read (off the UI loop) and
        painted after it, then the refresh starts: its work (opening clients, the first
        requests) waits for the frame that paints the cached board."""
        cached = await asyncio.to_thread(self.board.cached)
        await self._show(cached)
        if cached is not None:  # bounded: a screen that closes meanwhile never refreshes
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.screen.wait_for_refresh(), PAINT_WAIT_SECONDS)
        if not self.offline:
            self.refresh_board()
        elif cached is None:
            self.notify(
                "Offline and nothing cached yet: run once without --offline.", severity="error"
            )

    def watch_snapshot(self) -> None:
        self._redraw()

    def _new_theme(self) -> None:
        self.lists.new_theme()
        self._redraw()

    def _tick(self) -> None:
        """Keep "updated N min ago" true: the data age, not the tables (a new day redraws)."""
        if self.clock().date() != self._today:
            self._today = self.clock().date()
            self.show_snapshot(self.snapshot)
        for screen in self.screen_stack:
            if isinstance(screen, PullboardScreen) and screen.is_mounted:
                screen.on_tick()

    def _redraw(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, PullboardScreen) and screen.is_mounted:
                screen.on_snapshot()

    # -- data --------------------------------------------------------------------------------

    def _progress(self, source: str, message: str) -> None:
        """Per-source status in the top bar while a refresh runs."""
        for bar in self.screen.query(TopBar):
            bar.progress = {**bar.progress, source: message}
            if message == "done" or message.startswith("failed"):
                bar.progress = {k: v for k, v in bar.progress.items() if k != source}

    def _partial(self, snapshot: Snapshot) -> None:
        """Paint each source as soon as it is in: a slow or dead host holds back nobody."""
        self.show_snapshot(snapshot)

    def show_snapshot(self, snapshot: Snapshot | None) -> None:
        """Show `snapshot` now, or once a big board's rows are built."""
        if self.lists.at_once(snapshot):
            self.snapshot = snapshot
        else:
            self._build_rows(snapshot)

    @work(group="show", exit_on_error=False, description="Building the lists")
    async def _build_rows(self, snapshot: Snapshot | None) -> None:
        await self._show(snapshot)

    async def _show(self, snapshot: Snapshot | None) -> None:
        """Show `snapshot`, a big board's rows built first in a thread while the UI goes on;
        a snapshot that arrives meanwhile wins (an older one is never shown after it)."""
        if await self.lists.built(snapshot):
            self.snapshot = snapshot

    @work(exclusive=True, group="refresh", exit_on_error=False, description="Refreshing the board")
    async def refresh_board(self) -> None:
        """Each source paints its milestones, then its issues (Pressing, Mine, New), as soon as
        they are in; the board coalesces overlapping refreshes, so a cancelled one stops
        nothing."""
        snapshot = await self.board.refresh(self._progress, full=True, partial=self._partial)
        await self._show(snapshot)
        # A repository store learns the token's permissions on a read.
        self.insights_watch.check_read_only()
        for warning in snapshot.warnings:
            self.notify(warning, title="Warning", markup=False, severity="warning")
        self._loaded()
        for source in snapshot.sources:
            if not source.ok:
                self.notify(
                    source.error or "failed",
                    title=f"{source.name} failed",
                    markup=False,
                    severity="error",
                    timeout=8,
                )

    @work(group="milestone", exit_on_error=False, description="Fetching a milestone's issues")
    async def load_milestone(self, url: str) -> None:
        if not self.offline:
            await self._show(await self.board.open_milestone(url, self._progress))

    def is_complete(self, url: str) -> bool:
        """True once a milestone's full issue list is in the snapshot."""
        return self.board.has_issues(url)

    def _loaded(self) -> None:
        """The first refresh is over (fetched, or failed): empty lists are really empty."""
        if self.loading:
            self.loading = False
            self._redraw()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place unexpected worker errors land: a toast, never a crash."""
        if event.state is WorkerState.ERROR and event.worker.group == "refresh":
            self._loaded()
        if event.state is WorkerState.ERROR:
            # Any exception's text may quote a request header (a token) or server bytes.
            said = clean(redact(f"{type(event.worker.error).__name__}: {event.worker.error}"))
            self.notify(
                f"{event.worker.description} failed ({said}).", severity="error", markup=False
            )

    # -- views -------------------------------------------------------------------------------

    def view_context(self, query: str = "") -> ViewContext | None:
        """What views need to build rows, or None before the first snapshot."""
        return self.lists.context(self.snapshot, query)

    # -- intents from screens ----------------------------------------------------------------

    @on(OpenRequested)
    def _open_requested(self, message: OpenRequested) -> None:
        self.open_item(message.url)

    def open_item(self, url: str) -> None:
        """Show a milestone or issue screen (from Enter or the command palette)."""
        snapshot = self.snapshot
        if snapshot is None:
            return
        insight = snapshot.insight(url)
        item = snapshot.find(insight.on if insight else url)
        # Screens past the board are imported when first opened: the issue screen's Markdown
        # viewer alone costs ~40 ms of start-up.
        if isinstance(item, Milestone):
            from pullboard.tui.screens.milestone import MilestoneScreen

            self.push_screen(MilestoneScreen(item))
        elif isinstance(item, Issue):
            from pullboard.tui.screens.issue import IssueScreen

            self.push_screen(IssueScreen(item))
        elif insight is not None:
            where = "the whole board" if insight.on == BOARD else "an item this board doesn't show"
            self.notify(f"“{insight.title}” is pinned on {where}.", markup=False)

    @on(MilestoneShown)
    def _milestone_shown(self, message: MilestoneShown) -> None:
        if not self.is_complete(message.url):
            self.load_milestone(message.url)

    @on(BodyRequested)
    def _body_requested(self, message: BodyRequested) -> None:
        self.load_body(message.issue)

    @work(exclusive=True, group="body", exit_on_error=False, description="Fetching issue body")
    async def load_body(self, issue: Issue) -> None:
        """Fetch the body through the board; a failure is shown in place, not raised."""
        try:
            body = await self.board.body(issue)
        except SourceError as err:
            body = f"*Couldn't load the description: {err}*"
        from pullboard.tui.screens.issue import IssueScreen

        for screen in self.screen_stack:
            if isinstance(screen, IssueScreen) and screen.issue.url == issue.url:
                await screen.show_body(body)

    @on(PinRequested)
    def _pin_requested(self, message: PinRequested) -> None:
        self.insight_actions.pin(message.on)

    @on(EditRequested)
    def _edit_requested(self, message: EditRequested) -> None:
        self.insight_actions.edit(message.insight)

    @on(UnpinRequested)
    def _unpin_requested(self, message: UnpinRequested) -> None:
        self.insight_actions.unpin(message.insight)

    @on(AckRequested)
    def _ack_requested(self, message: AckRequested) -> None:
        self.insight_actions.ack(message.insight)

    @on(SeenRequested)
    def _seen_requested(self) -> None:
        self.board.mark_looked()
        self.show_snapshot(self.board.snapshot())
        self.notify("Everything is marked seen: new changes show here from now on.")

    @on(LinkRequested)
    def _link_requested(self, message: LinkRequested) -> None:
        if open_url(message.url):
            self.notify(f"Opened {message.url}", markup=False)
            return
        self.copy_to_clipboard(message.url)
        self.push_screen(UrlScreen(message.url, copied=True))

    # -- actions -----------------------------------------------------------------------------

    def action_refresh(self) -> None:
        if self.offline:
            self.notify("Offline: showing the cached board. Restart without --offline to refresh.")
            return
        self.refresh_board()

    def action_toggle_expired(self) -> None:
        self.show_expired = not self.show_expired
        self.notify(
            "Showing expired insights." if self.show_expired else "Hiding expired insights."
        )
        self._redraw()

    def action_toggle_details(self) -> None:
        self.details = not self.details
        self.notify("Insight details." if self.details else "Insight headlines.")
        self._redraw()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(keys_of(self.screen, self.get_key_display)))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Not Textual's "Keys" (pullboard's, below, lists pullboard's keys) nor "Screenshot"
        # (it writes an SVG into the working directory, the host's under `serve`).
        for command in super().get_system_commands(screen):
            if command.title not in ("Keys", "Screenshot"):
                yield command
        yield from view_commands(self)
        yield SystemCommand("Refresh", "Fetch every source now (key r)", self.action_refresh)
        yield SystemCommand("Keys", "List every key (key ?)", self.action_help)
        if isinstance(screen, ListScreen):
            yield SystemCommand("Filter", "Filter the current list (key /)", screen.action_filter)
            yield SystemCommand(
                "Open link", "Open the selected item's page (key o)", screen.action_link
            )


def create_app(
    config: Config,
    *,
    offline: bool = False,
    clock: Callable[[], datetime] = utc_now,
    board: Board | None = None,
) -> PullboardApp:
    """The one factory the CLI and the tests use."""
    # The demo's data is embedded: offline changes nothing for it.
    offline = offline and not config.demo
    return PullboardApp(board or Board(config, clock=clock), offline=offline, clock=clock)
