"""The parts of a Jira search answer that pullboard reads, as msgspec Structs.

Cloud v3 and Server v2 searches share these shapes. A page of 100 issues holds far more than
the fields pullboard asks for (`expand` data, avatars, self links); decoding straight into
these types skips the rest without building a dict for it. Timestamps stay as sent (a string,
or the epoch millis some examples show) for `model.when` to read; text is cleaned where
`model.issue` maps it; field names are spelled as Jira spells them. `gc=False`: decoded JSON
holds no reference cycles, so the collector need not track the thousands of these a load makes.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import msgspec

T = TypeVar("T")

Stamp = str | int | float | None
"""A Jira timestamp or date as sent: `2015-12-02T07:39:15.000-0800`, `2015-12-02`, or millis."""


class Category(msgspec.Struct, gc=False):
    key: str | None = None


class Named(msgspec.Struct, gc=False):
    name: str | None = None


class Status(msgspec.Struct, gc=False):
    name: str | None = None
    statusCategory: Category | None = None


class Person(msgspec.Struct, gc=False):
    """A user: Cloud names people by display name and account id, Server by name and key."""

    displayName: str | None = None
    name: str | None = None
    key: str | None = None
    accountId: str | None = None


class VersionRef(msgspec.Struct, gc=False):
    id: str | int


class Fields(msgspec.Struct, gc=False):
    """The fields `model.FIELDS` asks for."""

    created: Stamp
    summary: str | None = None
    status: Status | None = None
    priority: Named | None = None
    assignee: Person | None = None
    reporter: Person | None = None
    labels: list[str] | None = None
    fixVersions: list[VersionRef] | None = None
    duedate: Stamp = None
    resolutiondate: Stamp = None
    statuscategorychangedate: Stamp = None
    updated: Stamp = None


class JiraIssue(msgspec.Struct, gc=False):
    key: str
    fields: Fields


class KeyOnly(msgspec.Struct, gc=False):
    """An issue as a keys-only search returns it."""

    key: str


class SearchPage(msgspec.Struct, Generic[T], gc=False):
    """One page of either search: Cloud's token paging or Server's `startAt` and `total`."""

    issues: list[T]
    nextPageToken: str | None = None
    isLast: bool | None = None
    total: int | None = None


Decoder = msgspec.json.Decoder[SearchPage[Any]]

ISSUES: Decoder = msgspec.json.Decoder(SearchPage[JiraIssue], strict=False)
KEYS: Decoder = msgspec.json.Decoder(SearchPage[KeyOnly], strict=False)
