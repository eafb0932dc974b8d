"""A board's insights: which store the config means, wired to the network, what was read, and
what of it this board shows (`aligned`: the audience's insights, the goals rolled up).

`insights` and `sources` are one layer and may not import each other: the repository store
(`insights.RepoStore`) gets its GitHub contents client (`sources.open_contents`) here, in the
board's layer, so the board, the CLI, export and the TUI all see one `insights.Store`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from msgspec.structs import replace

from pullboard import analysis, history, insights
from pullboard.config import Config
from pullboard.errors import InsightsError, UsageError
from pullboard.model import Insight, Snapshot
from pullboard.paths import default_insights_path, state_dir
from pullboard.sources import Transport, open_contents


def insights_path(config: Config) -> Path:
    """The local insights file (the demo keeps its own in the state dir)."""
    if config.demo:
        return state_dir() / "demo-insights.toml"
    return config.board.insights or default_insights_path()


def open_store(config: Config, *, transport: Transport | None = None) -> insights.Store:
    """The store `[board] insights` names: a local file, or a file in a GitHub repository.

    Opening costs nothing: the repository's client looks up its token and connects on first use.
    """
    repo = None if config.demo else config.board.insights_repo
    if repo is None:
        return insights.LocalStore(insights_path(config))
    contents = open_contents(config, repo, transport=transport)
    return insights.RepoStore(contents, repo.source)


class BoardInsights:
    """One board's insights: the store (opened on first use) and the version last read.

    Args:
        config: the board's config.
        clock: the board's clock (the demo's insights are dated from it).
        transport: injected by tests; None means real sockets.
    """

    def __init__(
        self, config: Config, clock: Callable[[], datetime], transport: Transport | None
    ) -> None:
        self.config = config
        self.clock = clock
        self.transport = transport
        self.loaded = insights.Loaded(())
        self._store: insights.Store | None = None

    @property
    def path(self) -> Path:
        return insights_path(self.config)

    @property
    def store(self) -> insights.Store:
        if self._store is None:
            self._store = open_store(self.config, transport=self.transport)
        return self._store

    def reload(self, *, fresh: bool = True) -> insights.Loaded:
        """Read the insights again; `fresh=False` lets a repository store answer from its
        local copy without the network (painting from cache)."""
        if self.config.demo and not self.path.exists():  # seeded once, not on every read
            # A read-only state dir: the demo runs without insights rather than failing.
            with contextlib.suppress(InsightsError):
                insights.seed(self.path, *_demo_insights(self.clock()))
        self.loaded = insights.load(self.store, fresh=fresh)
        return self.loaded

    def close(self) -> None:
        """Close a repository store's connections (blocks briefly: call from a thread)."""
        if self._store is not None:
            self._store.close()


def _demo_insights(now: datetime) -> tuple[list[Insight], dict[str, Any]]:
    from pullboard.sources.demo_align import demo_briefs, demo_tables
    from pullboard.sources.demo_insights import demo_insights

    return demo_briefs(demo_insights(now), now), demo_tables(now)


def check_audience(loaded: insights.Loaded, audience: str | None) -> None:
    """Refuse an `--audience` the insights file doesn't define (a typo shows nothing).

    Raises:
        UsageError: naming the audiences it has.
    """
    if audience is None or audience in loaded.audiences or loaded.error:
        return
    known = ", ".join(sorted(loaded.audiences)) or "none yet"
    raise UsageError(
        f"There is no audience {audience!r} in the insights file (known: {known}); add "
        f"[audiences.{audience}] with its members."
    )


def aligned(
    snapshot: Snapshot,
    loaded: insights.Loaded,
    audience: str | None,
    now: datetime,
    window_days: int,
) -> Snapshot:
    """The snapshot with what the insights file says beyond insights: audiences, and goals
    rolled up from the milestones; and only the insights this board is shown for (`audience`,
    else what is addressed to its user and to everyone). An audience the file no longer has
    (removed while the board is open) sees what is for everyone."""
    audiences = loaded.audiences
    gone = audience is not None and audience not in audiences
    shown = tuple(
        i
        for i in snapshot.insights
        if analysis.for_everyone(i)
        or (not gone and analysis.visible(i, snapshot.me, audiences, audience))
    )
    goal_status = {
        g.id: analysis.goal_status(
            g, snapshot.milestones, snapshot.status, snapshot.issues, now, window_days
        )
        for g in loaded.goals
    }
    return replace(
        snapshot,
        insights=shown,
        audiences=audiences,
        audience=audience,
        goals=loaded.goals,
        goal_status=goal_status,
    )


def history_seed(config: Config) -> history.Seed | None:
    """The demo's past for its own history database (None for a real board): the demo data's
    record of each milestone, told as the history's observations."""
    if not config.demo:
        return None

    def seed(snapshot: Snapshot) -> list[tuple[datetime, str, str, history.Facts]]:
        from pullboard.sources.demo import demo_history

        return history.demo_story(snapshot, demo_history(snapshot.generated_at))

    return seed
