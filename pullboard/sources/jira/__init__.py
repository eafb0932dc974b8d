"""Jira (Cloud and Server/Data Center): versions or sprints, and their issues.

- `tracker`: `JiraTracker`, the `Tracker` for one Jira source.
- `search`: JQL search paging (Cloud's token pages, Server's offsets).
- `sync`: full and incremental loads of a project's issues.
- `model`: Jira JSON to pullboard's model.
- `errors`: Jira's auth header, rate limits and error answers.
- `adf`, `wiki`: issue bodies (Cloud's document format, Server's wiki markup) to Markdown.
"""

from __future__ import annotations

from pullboard.sources.jira.tracker import JiraTracker

__all__ = ["JiraTracker"]
