"""The board pipeline against the fake GitHub: cache first, conditional refresh, a failing
source keeps its last data with its age, and the rest of the board stays."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cachefiles
import pytest
from fakes.github_server import TOKEN, FakeGitHub

from pullboard import cli
from pullboard.board import Board
from pullboard.config import BoardConfig, Config, SourceConfig
from pullboard.paths import cache_dir

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    monkeypatch.setenv("FAKE_TOKEN", TOKEN)
    with FakeGitHub(token=TOKEN) as server:
        for repo in ("acme/app", "acme/lib"):
            server.add_repo(repo)
            server.add_milestone(repo, "v1", due_on=NOW + timedelta(days=9))
            for n in range(6):
                closed = n < 2
                server.add_issue(
                    repo,
                    f"{repo} issue {n}",
                    milestone=1,
                    state="closed" if closed else "open",
                    closed_at=NOW - timedelta(days=3) if closed else None,
                    created_at=NOW - timedelta(days=20),
                )
        yield server


def config(fake: FakeGitHub) -> Config:
    sources = tuple(
        SourceConfig(
            name=repo.split("/")[1],
            kind="github",
            url=fake.url,
            repos=(repo,),
            milestones="open",
            token_env="FAKE_TOKEN",
        )
        for repo in ("acme/app", "acme/lib")
    )
    return Config(path=None, board=BoardConfig(title="t"), sources=sources)


async def run(board: Board, **options: bool) -> None:
    try:
        await board.refresh(**options)
    finally:
        await board.aclose()


async def test_second_run_paints_from_cache_then_revalidates_for_free(fake: FakeGitHub) -> None:
    first = Board(config(fake), clock=lambda: NOW)
    await run(first, full=True)
    later = Board(config(fake), clock=lambda: NOW + timedelta(minutes=5))
    cached = later.cached()
    assert cached is not None and len(cached.milestones) == 2
    assert all(s.from_cache for s in cached.sources)
    assert len(cached.issues) == 12, "the cache holds every fetched issue"
    fake.clear_log()
    await run(later, full=True)
    assert fake.statuses() and set(fake.statuses()) == {304}, "nothing changed: only 304s"


async def test_failing_source_keeps_last_data_and_the_rest_stays(fake: FakeGitHub) -> None:
    await run(Board(config(fake), clock=lambda: NOW), full=True)
    fake.fail("/repos/acme/lib/*", 404, times=None)
    later = Board(config(fake), clock=lambda: NOW + timedelta(hours=2))
    later.cached()
    snap = await later.refresh(full=True)
    await later.aclose()
    by_name = {s.name: s for s in snap.sources}
    assert by_name["app"].ok and not by_name["app"].from_cache
    lib = by_name["lib"]
    assert not lib.ok and lib.from_cache and lib.fetched_at == NOW
    assert "acme/lib" in (lib.error or "")
    assert {m.source for m in snap.milestones} == {"app", "lib"}, "lib still shows its cache"


async def test_failing_source_without_cache_is_reported_not_raised(fake: FakeGitHub) -> None:
    fake.fail("/repos/acme/lib/*", 401, times=None)
    board = Board(config(fake), clock=lambda: NOW)
    snap = await board.refresh()
    await board.aclose()
    lib = next(s for s in snap.sources if s.name == "lib")
    assert not lib.ok and not lib.from_cache and lib.fetched_at is None
    assert {m.source for m in snap.milestones} == {"app"}


async def test_a_full_refresh_asks_for_everything_in_one_round_per_repo(fake: FakeGitHub) -> None:
    fake.latency = 0.05
    board = Board(config(fake), clock=lambda: NOW)
    snap = await board.refresh(full=True)
    await board.aclose()

    # Per repo: the milestones, the recent closes and every milestone's issues, all three in
    # flight together (no per-milestone walk, nothing waiting for the milestone list).
    asked = sorted((h.path, h.query.get("milestone", h.query.get("state"))) for h in fake.hits())
    assert asked == sorted(
        (f"/repos/{repo}/{what}", arg)
        for repo in ("acme/app", "acme/lib")
        for what, arg in (("milestones", "open"), ("issues", "closed"), ("issues", "*"))
    )
    assert fake.max_in_flight == 6
    assert len(snap.issues) == 12 and all(board.has_issues(m.url) for m in snap.milestones)


async def test_offline_a_source_never_cached_is_reported_not_fine(fake: FakeGitHub) -> None:
    cfg = config(fake)
    only_app = Config(path=None, board=cfg.board, sources=cfg.sources[:1])
    await run(Board(only_app, clock=lambda: NOW), full=True)  # `lib` never fetched

    snap = Board(cfg, clock=lambda: NOW).cached()

    assert snap is not None
    by_name = {s.name: s for s in snap.sources}
    assert by_name["app"].ok and by_name["app"].from_cache
    assert not by_name["lib"].ok and by_name["lib"].fetched_at is None
    assert "nothing cached yet" in (by_name["lib"].error or "")


def _config_file(fake: FakeGitHub, tmp_path: Path) -> str:
    path = tmp_path / "config.toml"
    path.write_text(
        "".join(
            f'[[source]]\nname = "{name}"\nkind = "github"\nurl = "{fake.url}"\n'
            f'repo = "acme/{name}"\ntoken_env = "FAKE_TOKEN"\n'
            for name in ("app", "lib")
        ),
        encoding="utf-8",
    )
    return str(path)


def _snapshot_of(name: str) -> Path:
    """The cache file of source `name` (found by what it holds: file names are hashes)."""
    return cachefiles.of_source(cache_dir() / "snapshots", name)


@pytest.mark.parametrize("damaged", [["lib"], ["app", "lib"]])
def test_offline_a_damaged_cache_file_is_reported_as_unreadable_and_kept(
    fake: FakeGitHub, tmp_path: Path, damaged: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = _config_file(fake, tmp_path)
    assert cli.main(["export", "--config", path]) == 0
    files = {name: _snapshot_of(name) for name in damaged}
    cut = {file: file.read_bytes()[:40] for file in files.values()}  # cut short by a crash
    for file, part in cut.items():
        file.write_bytes(part)
    capsys.readouterr()

    assert cli.main(["export", "--offline", "--config", path]) == 1

    out = json.loads(capsys.readouterr().out)
    errors = {s["name"]: s["error"] for s in out["sources"]}
    for name, file in files.items():
        assert errors[name] == (
            f"this source's cache file {file} could not be read "
            "(it is not a cache file pullboard wrote whole); "
            "a refresh fetches the data again and rewrites the file"
        )
        assert file.read_bytes() == cut[file]  # left for a look
    assert all(errors[name] is None for name in ("app", "lib") if name not in damaged)

    assert cli.main(["export", "--config", path]) == 0  # a refresh rewrites them
    assert cli.main(["export", "--offline", "--config", path]) == 0


def test_offline_a_cache_file_of_the_wrong_shape_is_unreadable(
    fake: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _config_file(fake, tmp_path)
    assert cli.main(["export", "--config", path]) == 0
    file = _snapshot_of("lib")
    data = cachefiles.read(file)
    data["issues"] = "nonsense"
    cachefiles.write(file, data)
    capsys.readouterr()
    assert cli.main(["export", "--offline", "--config", path]) == 1
    lib = next(s for s in json.loads(capsys.readouterr().out)["sources"] if s["name"] == "lib")
    assert "could not be read (it is not what pullboard writes)" in lib["error"]
