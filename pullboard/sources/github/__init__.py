"""GitHub (github.com and Enterprise Server): milestones and issues over the REST API."""

from __future__ import annotations

from pullboard.sources.github.tracker import GitHubTracker

__all__ = ["GitHubTracker"]
