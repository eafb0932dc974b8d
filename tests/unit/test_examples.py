"""The example files in config/ stay valid: people copy them."""

from __future__ import annotations

from pathlib import Path

from pullboard import config

CONFIG_DIR = Path(__file__).parents[2] / "config"


def test_example_config_loads() -> None:
    loaded = config.load(CONFIG_DIR / "config.example.toml")
    kinds = {(s.kind, s.flavor or s.milestones) for s in loaded.sources}
    assert ("jira", "cloud") in kinds and ("jira", "server") in kinds
    assert any(s.url.endswith("/api/v3") for s in loaded.sources), "an Enterprise example"
    assert loaded.board.insights == CONFIG_DIR / "insights.toml"
