"""A token pasted with a line break or a zero-width space: the board's toast names where it
came from, and neither the toast nor the screen ever shows the token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakes.github_server import TOKEN, FakeGitHub
from tui_helpers import NOW, settle

from pullboard.config import BoardConfig, Config, SourceConfig
from pullboard.tui.app import create_app


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub(token=TOKEN) as server:
        server.add_repo("acme/app")
        server.add_milestone("acme/app", "v1")
        yield server


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        (TOKEN[:10] + "\n" + TOKEN[10:], "contains a line break"),
        (TOKEN[:5] + "\u200b" + TOKEN[5:], "contains a non-ASCII character (U+200B"),
    ],
    ids=["newline", "zero-width"],
)
async def test_the_toast_names_the_variable_never_the_token(
    bad: str, problem: str, fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_TOKEN", bad)
    source = SourceConfig(
        name="app", kind="github", url=fake.url, repos=("acme/app",), token_env="FAKE_TOKEN"
    )
    config = Config(path=None, board=BoardConfig(), sources=(source,))
    app = create_app(config, clock=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        await pilot.pause()
        toasts = [f"{n.title} {n.message}" for n in app._notifications]
        assert any(f"the token in $FAKE_TOKEN {problem}" in t for t in toasts), toasts
        shown = "\n".join(toasts) + app.export_screenshot()
        for part in (TOKEN[:12], TOKEN[12:24], TOKEN[-12:]):
            assert part not in shown


async def test_an_unexpected_worker_error_is_a_literal_toast_without_secrets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pullboard.sources.demo import demo_config

    app = create_app(demo_config(), clock=lambda: NOW)

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"header Authorization: Bearer {TOKEN} \x1b]0;pwned\x07 [bold]x[/bold]")

    monkeypatch.setattr(app.board, "refresh", broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        await pilot.pause()
        toasts = [str(n.message) for n in app._notifications if "Refreshing" in str(n.message)]
        assert len(toasts) == 1 and "RuntimeError" in toasts[0]
        assert "[bold]x[/bold]" in toasts[0], "shown literally, not as markup"
        assert TOKEN not in toasts[0] and "\x1b" not in toasts[0] and "\x07" not in toasts[0]
