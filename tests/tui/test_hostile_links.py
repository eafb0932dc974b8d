"""`o` on an item whose tracker sent escape sequences in its html_url: the link shown, copied
(OSC 52 carries it base64-encoded) or opened is percent-encoded, never raw."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fakes.github_server import TOKEN, FakeGitHub
from tui_helpers import NOW, settle, static_text

from pullboard.config import BoardConfig, Config, SourceConfig
from pullboard.tui.app import create_app
from pullboard.tui.screens.modals import UrlScreen

WEB = "https://github.com/\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\u202e"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    monkeypatch.setenv("FAKE_TOKEN", TOKEN)
    monkeypatch.setenv("PULLBOARD_NO_BROWSER", "1")
    with FakeGitHub(web=WEB, token=TOKEN) as server:
        server.add_repo("acme/app")
        server.add_milestone("acme/app", "v1", due_on=NOW + timedelta(days=10))
        yield server


async def test_open_link_shows_and_copies_only_a_percent_encoded_url(fake: FakeGitHub) -> None:
    source = SourceConfig(
        name="app", kind="github", url=fake.url, repos=("acme/app",), token_env="FAKE_TOKEN"
    )
    app = create_app(Config(None, BoardConfig(), (source,)), clock=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, UrlScreen)
        expected = (
            "https://github.com/%1B]0;pwned%07%1B]52;c;ZXZpbA==%07%E2%80%AE/acme/app/milestone/1"
        )
        assert app.screen.url == expected
        assert static_text(app, "#url").replace("\n", "") == expected
        assert app.clipboard == expected
