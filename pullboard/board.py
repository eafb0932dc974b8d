"""The one pipeline: cache -> sources concurrently -> insights -> history -> analysis -> Snapshot.

The TUI and `export` both drive a `Board`; nothing else orchestrates sources.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

from pullboard import insights
from pullboard.analysis import forecast
from pullboard.assembly import Parts, analysed, assemble, assembled, finished
from pullboard.cache import NOT_CACHED, ForecastFile, SnapshotCache
from pullboard.config import Config, SourceConfig
from pullboard.errors import SourceError, unexpected
from pullboard.history import Keeper, LookState, database_path
from pullboard.model import Issue, Milestone, Snapshot, SourceData, SourceStatus, utc_now
from pullboard.paths import state_dir
from pullboard.sources import Transport, open_tracker
from pullboard.sources.base import Tracker
from pullboard.text import clean, redact, shortened
from pullboard.wiring import BoardInsights, history_seed

DEMO_LAST_LOOK = timedelta(days=2, minutes=-1)
"""The demo's fixed last look: two days ago, less a minute, so the demo items changed exactly
two days before the demo data's own clock reading stay out of New even when a second ticks
between that reading and this one."""

Progress = Callable[[str, str], None]
"""Called with (source name, what it is doing now) while a refresh runs."""
Landed = Callable[[], Awaitable[None]]
"""Awaited when a source's data (its milestones, then its issues) has landed."""


def quiet(source: str, message: str) -> None:
    """The default progress callback: say nothing."""


class Board:
    """Holds each source's latest data across refreshes and builds snapshots from it."""

    def __init__(
        self,
        config: Config,
        *,
        clock: Callable[[], datetime] = utc_now,
        cache: SnapshotCache | None = None,
        looks: LookState | None = None,
        transport: Transport | None = None,
    ) -> None:
        self.config = config
        self.clock = clock
        self.cache = None if config.demo else (cache or SnapshotCache())
        self.looks = looks or LookState()
        self.last_look = clock() - DEMO_LAST_LOOK if config.demo else self.looks.get(self.look_key)
        self.history = Keeper(
            self.key, database_path(config.demo), since=self.last_look,
            window_days=config.board.window_days, seed=history_seed(config),
        )  # fmt: skip
        self._forecasts = ForecastFile(
            self.cache.root.parent / "forecasts.msgpack"
            if self.cache
            else state_dir() / "demo-forecasts.msgpack"
        )
        forecast.remember(self._forecasts.read(forecast.VERSION))  # about 1 ms a milestone
        self._transport = transport
        self._trackers: dict[str, Tracker] = {}
        self._data: dict[str, SourceData] = {}
        self._status: dict[str, SourceStatus] = {}
        self._bodies: dict[str, str] = {}
        self._insights = BoardInsights(config, clock, transport)
        self._generated: datetime | None = None
        self._running: asyncio.Task[Snapshot] | None = None
        self._running_full = False
        self._warnings: dict[str, str] = {}
        """Source name -> why its data couldn't be cached (cleared once a save works)."""
        self.audience: str | None = None
        """Show what this audience should see (`--audience`); None: what is addressed to me."""

    @property
    def key(self) -> str:
        """Identifies this board in state files (its config path, or `demo`)."""
        return "demo" if self.config.demo else str(self.config.path)

    @property
    def look_key(self) -> str:
        """Whose last look this is (`serve` sessions share a state folder)."""
        return self.key

    @property
    def insights_path(self) -> Path:
        """The local insights file (the demo keeps its own file in the state dir)."""
        return self._insights.path

    @property
    def insights_store(self) -> insights.Store:
        """Where insights are read and written: the local file, or the file in a GitHub
        repository (`[board] insights = { repo = ... }`), whose client this board owns."""
        return self._insights.store

    @property
    def watchable(self) -> Path | None:
        """The file whose changes are this board's only news between refreshes, so the TUI
        may be told of them rather than look: the local insights file (None for a file in a
        repository, which only a request can look at)."""
        return self.insights_path if isinstance(self.insights_store, insights.LocalStore) else None

    def cached(self) -> Snapshot | None:
        """The board as last seen, from the on-disk cache, without touching the network."""
        if not self._load_cache():
            return None
        self.reload_insights(fresh=False)
        fetched = [d.fetched_at for d in self._data.values()]
        return self.snapshot(generated_at=min(fetched) if fetched else None)

    def _load_cache(self) -> bool:
        """Take each source's cached data (or why there is none); False when nothing is
        cached at all (an unreadable file is news, not "nothing cached")."""
        found = self.cache.load_all(self.config.sources) if self.cache else {}
        if all(data == NOT_CACHED for data in found.values()):
            return False
        for source in self.config.sources:
            if isinstance(data := found[source.name], str):  # no data: say why, never "fine"
                self._status.setdefault(source.name, _pending(source, data))
                continue
            self._data[source.name] = data
            self._status[source.name] = SourceStatus(
                source.name, source.kind, ok=True, fetched_at=data.fetched_at, from_cache=True
            )
        return True

    async def refresh(
        self,
        progress: Progress = quiet,
        *,
        full: bool = False,
        partial: Callable[[Snapshot], None] | None = None,
    ) -> Snapshot:
        """Fetch every source concurrently; a failing source keeps its last data and its error.

        Refreshes never overlap and no caller cuts one short (a request cut off mid-flight can
        leave connections busy): a call joins the running one (and its first caller's
        callbacks), or waits and runs next if it wants more; a cancelled caller stops waiting.

        Args:
            progress: told what each source is doing.
            full: fetch every milestone's issues (export, the TUI), not only opened ones.
            partial: given a snapshot each time one source lands: with `full`, once when its
                milestones are in and once when its issues are, whatever the others do.
        """
        while (running := self._running) is not None and not running.done():
            if self._running_full or not full:
                return await asyncio.shield(running)
            await asyncio.wait([running])
        self._running_full = full
        self._running = asyncio.create_task(self._refresh(progress, full, partial))
        # Its callers may all have stopped waiting: mark the outcome seen, whatever it is.
        self._running.add_done_callback(lambda t: t.cancelled() or t.exception())
        return await asyncio.shield(self._running)

    async def _refresh(
        self, progress: Progress, full: bool, partial: Callable[[Snapshot], None] | None
    ) -> Snapshot:
        now = self.clock()
        # Beside the sources, in a thread: a repository store asks the network.
        reading = asyncio.ensure_future(asyncio.to_thread(self.reload_insights))

        async def landed() -> None:
            if partial is not None:
                partial(await self.built())

        async def one(source: SourceConfig) -> None:
            await self._refresh_source(source, now, progress, full, landed)
            await landed()

        await asyncio.gather(*(one(s) for s in self.config.sources), reading)
        self._generated = now
        # Analysed once: the history records it, then tells that same one its past.
        base = await analysed(self._parts(), self.history, self.clock())
        await self.history.record(base.recorded, self.has_issues)
        if (kept := forecast.known()) is not None:
            await asyncio.to_thread(self._forecasts.keep, forecast.VERSION, kept)
        return await finished(base, self.history)

    async def open_milestone(self, url: str, progress: Progress = quiet) -> Snapshot:
        """Fetch one milestone's full issue list (what the milestone view shows)."""
        for source in self.config.sources:
            data = self._data.get(source.name)
            milestone = next((m for m in data.milestones if m.url == url), None) if data else None
            if data is None or milestone is None:
                continue
            if url not in data.complete:

                async def fetch(tracker: Tracker, m: Milestone = milestone) -> None:
                    issues = await self._fetch_issues(tracker, [m])
                    await self._store(tracker, self._data[tracker.source.name], [m], issues)

                await self._guarded(source, progress, fetch)
        return await self.built()

    async def body(self, issue: Issue) -> str:
        """The issue's Markdown body, fetched once when a user opens it.

        Raises:
            SourceError: when the tracker can't deliver it.
        """
        if issue.body is not None:
            return issue.body
        if issue.url not in self._bodies:
            tracker = await self._tracker(self._source_config(issue.source), quiet)
            self._bodies[issue.url] = await tracker.issue_body(issue)
        return self._bodies[issue.url]

    def changed(self) -> bool:
        """Whether the insights changed since they were read (another lead's pin): a stat of
        the local file, or a conditional request to a repository store, so call from a thread."""
        return self.insights_store.version() != self._insights.loaded.fingerprint

    def has_issues(self, milestone_url: str) -> bool:
        """True once a milestone's full issue list has been fetched."""
        return any(milestone_url in d.complete for d in self._data.values())

    def reload_insights(self, *, fresh: bool = True) -> insights.Loaded:
        """Re-read the insights (after every write, and when they change); `fresh=False`
        reads a repository store's local copy, without the network."""
        return self._insights.reload(fresh=fresh)

    def mark_looked(self) -> None:
        """Remember now as the user's last look, so the next start shows what changed since
        (the demo's only for this run: its last look is fixed)."""
        self.last_look = self.history.since = self.clock()
        if not self.config.demo:
            self.looks.set(self.look_key, self.last_look)

    async def aclose(self) -> None:
        """Stop a refresh still running, then close every tracker's HTTP client."""
        if self._running is not None and not self._running.done():
            self._running.cancel()
            await asyncio.wait([self._running])
        await asyncio.gather(*(t.aclose() for t in self._trackers.values()))
        self._trackers.clear()
        await asyncio.to_thread(self._insights.close)

    # -- fetching -----------------------------------------------------------------------------

    def _source_config(self, name: str) -> SourceConfig:
        return next(s for s in self.config.sources if s.name == name)

    async def _tracker(self, source: SourceConfig, progress: Progress) -> Tracker:
        """The source's tracker, opened once per run. Opening looks up the token, which may
        run `gh` or talk to the keyring over D-Bus, so it happens off the event loop."""
        if source.name not in self._trackers:
            self._trackers[source.name] = await asyncio.to_thread(
                open_tracker, self.config, source, self.clock(), transport=self._transport
            )
        tracker = self._trackers[source.name]
        prefix = f"{source.name}: "
        tracker.progress = lambda message: progress(source.name, message.removeprefix(prefix))
        return tracker

    async def _refresh_source(
        self, source: SourceConfig, now: datetime, progress: Progress, full: bool, landed: Landed
    ) -> None:
        async def fetch(tracker: Tracker) -> None:
            old = self._data.get(source.name)
            previous = old or (self.cache.load(source) if self.cache and tracker.reuses else None)
            tracker.start_refresh(previous)
            progress(source.name, "fetching milestones")
            since = now - timedelta(days=self.config.board.window_days)
            # With `full`, every issue is asked for at once, beside the milestones: the
            # listing needs no milestone list, so nothing waits on a round trip it needn't.
            listing = asyncio.ensure_future(tracker.all_issues()) if full else None
            try:
                milestones, closed = await asyncio.gather(
                    tracker.milestones(), tracker.recent_closed(since)
                )
            except BaseException:
                if listing is not None:  # never leave a request running on a failed source
                    await asyncio.gather(listing, return_exceptions=True)
                raise
            data = SourceData(tuple(milestones), tuple(closed), now)
            wanted = (
                milestones if full else [m for m in milestones if old and m.url in old.complete]
            )
            if wanted:
                self._data[source.name] = data.keeping(old)
                await landed()
                progress(source.name, f"fetching issues of {len(wanted)} milestones")
            issues = await (listing or self._fetch_issues(tracker, wanted))
            await self._store(tracker, data, wanted, issues, previous)

        await self._guarded(source, progress, fetch)

    async def _fetch_issues(self, tracker: Tracker, wanted: list[Milestone]) -> list[Issue]:
        lists = await asyncio.gather(*(tracker.issues(m) for m in wanted))
        return [i for issues in lists for i in issues]

    async def _store(
        self,
        tracker: Tracker,
        data: SourceData,
        wanted: list[Milestone],
        issues: list[Issue],
        saved: SourceData | None = None,
    ) -> None:
        """Keep `wanted` milestones' issues as the new whole lists of those milestones, and
        save them (in a thread: a big board's file takes a while) unless they are what is
        `saved` already."""
        name = tracker.source.name
        data = data.with_lists((m.url for m in wanted), issues, dict(tracker.marks))
        self._data[name] = data
        if self.cache is not None and not data.same_as(saved):
            problem = await asyncio.to_thread(self.cache.save, self._source_config(name), data)
            self._warnings.pop(name, None)
            if problem:
                self._warnings[name] = problem

    async def _guarded(
        self, source: SourceConfig, progress: Progress, work: Callable[[Tracker], Awaitable[None]]
    ) -> None:
        """Run `work` on the source's tracker and record how it went, never raising: one source's
        failure, expected or not, ends here (cancellation is no failure and passes)."""
        before = self._data.get(source.name)
        try:
            await work(await self._tracker(source, progress))
        except SourceError as err:
            # Shown in toasts, the top bar and exports: quoted server text made inert, and
            # anything credential-like gone, whoever built the message.
            self._failed(source, progress, shortened(clean(redact(str(err)))), before)
            return
        except Exception as err:  # a bug below must not take the healthy sources down too
            self._failed(source, progress, unexpected(source.name, source.url, err), before)
            return
        progress(source.name, "done")
        fetched = self._data[source.name].fetched_at
        self._status[source.name] = SourceStatus(
            source.name, source.kind, ok=True, fetched_at=fetched
        )

    def _failed(
        self, source: SourceConfig, progress: Progress, error: str, before: SourceData | None
    ) -> None:
        """Put back the source's last data (or its cache) and record the error with its age."""
        progress(source.name, f"failed: {error}")
        data = before or (self.cache.load(source) if self.cache else None)
        self._data.pop(source.name, None)  # never a refresh's half: the last whole data or none
        if data is not None:
            self._data[source.name] = data
        self._status[source.name] = SourceStatus(
            source.name,
            source.kind,
            ok=False,
            error=error,
            fetched_at=data.fetched_at if data else None,
            from_cache=data is not None,
        )

    # -- building snapshots -------------------------------------------------------------------

    def snapshot(self, generated_at: datetime | None = None) -> Snapshot:
        """Merge what every source delivered with the insights and analyse it."""
        return assemble(self._parts(generated_at), self.history, self.clock())

    async def built(self) -> Snapshot:
        """`snapshot()` of the data now; a big board's in a thread (its analysis would stall a
        UI loop), from copies of the state that sources landing meanwhile leave alone."""
        return await assembled(self._parts(), self.history, self.clock())

    def _parts(self, generated_at: datetime | None = None) -> Parts:
        sources = self.config.sources
        return Parts(
            config=self.config,
            data=tuple(self._data[s.name] for s in sources if s.name in self._data),
            sources=tuple(self._status.get(s.name, _pending(s)) for s in sources),
            bodies={**self._bodies},
            loaded=self._insights.loaded,
            last_look=self.last_look,
            audience=self.audience,
            warnings=tuple(dict.fromkeys(self._warnings.values())),
            generated_at=generated_at or self._generated,
        )


def _pending(source: SourceConfig, error: str | None = None) -> SourceStatus:
    """A source with no data yet: waiting for its first refresh, or (`error`) why not."""
    return SourceStatus(source.name, source.kind, ok=error is None, error=error, fetched_at=None)
