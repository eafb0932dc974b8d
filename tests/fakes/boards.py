"""Small GitHub boards that several tests start from, so each is written once."""

from __future__ import annotations

from datetime import datetime, timedelta

from fakes.github_server import FakeGitHub


def blocked_app(server: FakeGitHub, now: datetime) -> None:
    """acme/app: one milestone due in 9 days holding an overdue blocker assigned to `me`."""
    server.add_repo("acme/app")
    server.add_milestone("acme/app", "v1", due_on=now + timedelta(days=9))
    server.add_issue(
        "acme/app",
        "the blocker",
        milestone=1,
        labels=("blocker",),
        assignees=("me",),
        created_at=now - timedelta(days=20),
    )
