"""One answer and the pagination it points to (`Link` headers)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pullboard.errors import SourceRejected
from pullboard.sources.http.errors import host_of
from pullboard.sources.http.limits import JsonRefused, load_json

MAX_PAGES = 1000
"""A guard against a server whose `next` links loop forever."""

Params = Mapping[str, str | int]


@dataclass(frozen=True)
class Page:
    """One successful answer, fresh (200) or revalidated from the cache (304)."""

    url: str
    text: str
    link: str | None = None
    cached: bool = False
    """True when a 304 let the cached body stand."""

    def json(self) -> Any:
        """The body as JSON.

        Raises:
            SourceRejected: when the body is not JSON, or JSON past `limits.load_json`'s bounds.
        """
        try:
            return load_json(self.text)
        except JsonRefused as err:
            raise SourceRejected(f"{host_of(self.url)} sent JSON {err}.") from err
        except ValueError as err:
            raise SourceRejected(
                f"{host_of(self.url)} sent something that is not JSON (a proxy or login page?)."
            ) from err

    @property
    def next_url(self) -> str | None:
        """The `rel="next"` link exactly as the server gave it, or None on the last page."""
        return parse_link(self.link).get("next")


_LINK = re.compile(r"<([^>]*)>([^<]*)")
_REL = re.compile(r"""rel\s*=\s*"?([^";,]+)"?""")


def parse_link(header: str | None) -> dict[str, str]:
    """`Link` header to {rel: url}. URLs are kept verbatim; commas inside `<...>` are safe."""
    links: dict[str, str] = {}
    for url, params in _LINK.findall(header or ""):
        rel = _REL.search(params)
        if rel:
            for name in rel.group(1).split():
                links.setdefault(name, url)
    return links
