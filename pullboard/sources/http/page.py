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
    """True when a 304 said the caller's copy (the one its `etag` names) is current; the
    text is then empty."""
    status: int = 200
    """The answer's status (`HttpClient.call` accepts 201 and 304 too)."""
    etag: str | None = None
    """The answer's ETag (on a 304, the one sent): what to send next time to get a 304."""

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

    def later_pages(self) -> list[str] | None:
        """Every later page's URL when the links number their pages (GitHub's `page=2` ...
        `rel="last"` `page=N`), so they can be fetched at once instead of one by one.

        Returns:
            The URLs of pages next..last, built from the `next` link (so everything else in it
            stays as the server gave it), or None when the links don't number pages that way
            (cursors, no `last`): then `next` is followed page by page.
        """
        links = parse_link(self.link)
        nxt, last = links.get("next"), links.get("last")
        first, final = _page_number(nxt), _page_number(last)
        if first is None or final is None or not first <= final < first + MAX_PAGES:
            return None
        assert nxt is not None
        if _with_page(nxt, final) != last:
            return None
        return [_with_page(nxt, n) for n in range(first, final + 1)]


_LINK = re.compile(r"<([^>]*)>([^<]*)")
_REL = re.compile(r"""rel\s*=\s*"?([^";,]+)"?""")


_PAGE = re.compile(r"([?&]page=)(\d{1,6})(?=&|$)")


def _page_number(url: str | None) -> int | None:
    found = _PAGE.findall(url or "")
    return int(found[0][1]) if len(found) == 1 else None


def _with_page(url: str, number: int) -> str:
    return _PAGE.sub(lambda m: f"{m.group(1)}{number}", url)


def parse_link(header: str | None) -> dict[str, str]:
    """`Link` header to {rel: url}. URLs are kept verbatim; commas inside `<...>` are safe."""
    links: dict[str, str] = {}
    for url, params in _LINK.findall(header or ""):
        rel = _REL.search(params)
        if rel:
            for name in rel.group(1).split():
                links.setdefault(name, url)
    return links
