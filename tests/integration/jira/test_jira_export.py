"""End to end: a config with a Jira Cloud site and a Server site, through `pullboard export`."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fakes.jira_server import FakeJira

from pullboard.cli import main


def test_export_shows_cloud_versions_and_server_sprints_side_by_side(
    cloud: FakeJira, server: FakeJira, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cloud.add_project("PAY")
    v = cloud.add_version("PAY", "2.1", release_date=date(2099, 1, 1))
    cloud.add_issue("PAY", "Refunds", versions=(v.id,))
    cloud.add_issue("PAY", "Payouts", versions=(v.id,), category="done")
    server.add_project("OPS")
    now = datetime.now(UTC)
    sprint = server.add_sprint(
        42, "Sprint 7", start=now - timedelta(days=3), end=now + timedelta(days=11)
    )
    server.add_issue("OPS", "Rotate keys", sprints=(sprint.id,), category="indeterminate")
    config = tmp_path / "config.toml"
    config.write_text(
        f"""
[board]
insights = "insights.toml"

[[source]]
name = "payments"
kind = "jira"
url = "{cloud.url}"
flavor = "cloud"
email = "dana@example.com"
project = "PAY"

[[source]]
name = "legacy"
kind = "jira"
url = "{server.url}"
projects = ["OPS"]
milestones = "sprints"
board = 42
""",
        encoding="utf-8",
    )

    code = main(["export", "--config", str(config), "--format", "json"])

    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {s["name"]: s["ok"] for s in out["sources"]} == {"payments": True, "legacy": True}
    refs = {m["ref"]: m for m in out["milestones"]}
    assert set(refs) == {"PAY@2.1", "Sprint 7"}
    assert refs["Sprint 7"]["url"].startswith(f"{server.url}/secure/RapidBoard.jspa?rapidView=42")
    issues = {i["ref"]: i for i in out["issues"]}
    assert issues["PAY-2"]["url"] == f"{cloud.url}/browse/PAY-2"
    assert issues["OPS-1"]["milestone"] == refs["Sprint 7"]["url"]
