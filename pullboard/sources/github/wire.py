"""The parts of GitHub's JSON that pullboard reads, as msgspec Structs.

A page of 100 issues is about 400 KB of JSON of which pullboard uses a few fields; decoding
straight into these types skips the rest (bodies, reactions, nested users and repos) without
building a dict for any of it, several times faster than generic JSON. Every field is
optional or loose where real answers vary (2012-era answers lack `html_url`, labels were once
plain strings); text is still cleaned where the tracker maps it, as before.

`gc=False`: decoded JSON holds no reference cycles, so the collector need not track the
thousands of these a refresh makes (it spent about a tenth of a cold export scanning them).
"""

from __future__ import annotations

from typing import Any

import msgspec


class User(msgspec.Struct, gc=False):
    login: str | None = None


class Label(msgspec.Struct, gc=False):
    name: str | None = None


class MilestoneRef(msgspec.Struct, gc=False):
    """The milestone an issue embeds: only what names its page."""

    number: int
    html_url: str | None = None


class GhMilestone(msgspec.Struct, gc=False):
    number: int
    title: str
    html_url: str | None = None
    state: str | None = None
    due_on: str | None = None
    open_issues: int | None = None
    closed_issues: int | None = None
    description: str | None = None
    created_at: str | None = None
    closed_at: str | None = None


class GhIssue(msgspec.Struct, gc=False):
    number: int
    created_at: str | None
    html_url: str | None = None
    title: str | None = None
    state: str | None = None
    updated_at: str | None = None
    closed_at: str | None = None
    labels: list[Label | str] | None = None
    assignees: list[User | None] | None = None
    assignee: User | None = None
    user: User | None = None
    milestone: MilestoneRef | None = None
    pull_request: Any = None
    """Kept as sent: only whether it holds a link matters (see `is_pull_request`)."""


MILESTONES = msgspec.json.Decoder(list[GhMilestone], strict=False)
ISSUES = msgspec.json.Decoder(list[GhIssue], strict=False)
