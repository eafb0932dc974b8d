"""Where a milestone lives, in a word: `shop v2.0` and `PAY 2.1` instead of `v2.0` and `2.1`.

Titles such as `3.0` or `v2.0` say little on a board that spans several repositories and
projects (two repositories may both have a `v2.0`), so the Milestone column puts the short
name of the repository or Jira project in front of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlsplit

from pullboard.model import Milestone


def place(milestone: Milestone) -> str:
    """`acme/shop` for a GitHub milestone, `PAY` for a Jira version or a Cloud sprint, else
    the source's name (a Server sprint's board page names no project)."""
    parts = urlsplit(milestone.url).path.strip("/").split("/")
    if len(parts) >= 4 and parts[-2] == "milestone":
        return f"{parts[-4]}/{parts[-3]}"
    if "projects" in parts[:-1]:
        return parts[parts.index("projects") + 1]
    return milestone.source


def short_places(milestones: Iterable[Milestone]) -> dict[str, str]:
    """Milestone URL -> the name to show before its title; empty when every milestone lives
    in one place. A repository goes by its name alone unless two owners share that name."""
    full = {m.url: place(m) for m in milestones}
    if len(set(full.values())) < 2:
        return {}
    names = Counter(_name(p) for p in set(full.values()))
    return {url: _name(p) if names[_name(p)] == 1 else p for url, p in full.items()}


def labelled(title: str, where: str) -> tuple[str, str]:
    """(prefix, title): no prefix when the title already starts with the place (`PAY 2.1`)."""
    if not where or title.casefold().split(" ")[0] == where.casefold():
        return "", title
    return where, title


def _name(place: str) -> str:
    return place.rpartition("/")[2]
