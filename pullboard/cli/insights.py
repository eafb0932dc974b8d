"""`pin`, `edit`, `unpin`, `ack` and `insights`: the insights file without the TUI.

The work itself is in `pullboard.insights`; this module only turns arguments into calls.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pullboard import insights
from pullboard.board import Board
from pullboard.cache import SnapshotCache
from pullboard.cli.common import (
    add_common,
    day_arg,
    insights_board,
    last_seen,
    load_config,
    names_arg,
    say,
    url_of,
)
from pullboard.errors import InsightsError, PullboardError
from pullboard.insights import drafts
from pullboard.insights import listing as insights_listing
from pullboard.insights.schema import table_of
from pullboard.model import STANCES, Insight, utc_now
from pullboard.text import clean, json_inert


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`pin`, `edit`, `unpin`, `ack` and `insights`: the insights file without the TUI."""
    p = sub.add_parser("pin", help="pin a new insight on a milestone, an issue or the board")
    add_common(p)
    p.add_argument(
        "url",
        metavar="TARGET",
        type=_target,
        help="milestone or issue URL, its ref (acme/shop#12, acme/shop@v1.4, PAY-7), "
        'goal:ID, or "board"',
    )
    p.add_argument("--title", required=True, help="what it is about, in a few words")
    _insight_fields(p)
    p.add_argument("--author", help="who pins it (default: [board] me, else the OS user)")
    p.add_argument("--unpinned", action="store_true", help="keep it off the overview strip")
    p.add_argument(
        "--ask",
        type=names_arg,
        metavar="PERSON,...",
        help="make it an ask of these people: in their Mine view until they accept or decline",
    )
    p.set_defaults(handler=cmd_pin)
    p = sub.add_parser("edit", help="change an insight (refused if someone else changed it)")
    add_common(p)
    p.add_argument("id", metavar="ID")
    p.add_argument(
        "--on", type=_target, metavar="TARGET", help="move it to another item (URL, ref or board)"
    )
    p.add_argument("--title")
    _insight_fields(p)
    p.add_argument("--no-expires", action="store_true", help="remove the expiry date")
    pinning = p.add_mutually_exclusive_group()
    pinning.add_argument("--pinned", dest="pinned", action="store_const", const=True)
    pinning.add_argument("--unpinned", dest="pinned", action="store_const", const=False)
    p.set_defaults(handler=cmd_edit)
    p = sub.add_parser("unpin", help="remove an insight from the board")
    add_common(p)
    p.add_argument("id", metavar="ID")
    p.set_defaults(handler=cmd_unpin)
    p = sub.add_parser("ack", help="back-brief an insight: read it, where you stand, your words")
    add_common(p)
    p.add_argument("id", metavar="ID")
    p.add_argument(
        "--stance",
        choices=STANCES,
        default="read",
        help="read (default), agree, commit (disagree and commit), concern; "
        "accept or decline answer an ask",
    )
    p.add_argument("--note", default="", help="one line in your own words")
    p.set_defaults(handler=cmd_ack)
    p = sub.add_parser("insights", help="list the insights, with expiry and acknowledgements")
    add_common(p)
    p.add_argument("--json", action="store_true", help="JSON for scripts")
    p.set_defaults(handler=cmd_insights)


def _insight_fields(p: argparse.ArgumentParser) -> None:
    p.add_argument("--summary", help="one-line headline for people who only want that")
    p.add_argument("--detail", help="Markdown for the working team")
    p.add_argument("--why", help="why it matters now")
    p.add_argument("--expires", type=day_arg, metavar="YYYY-MM-DD", help="hide it after this day")
    p.add_argument("--audience", type=names_arg, metavar="TAG,TAG", help="who it is for")


def _target(value: str) -> str:
    """A URL or "board" checked now; anything else is a ref, resolved once the config is read."""
    value = value.strip()
    if value.startswith(("http://", "https://")) and (problem := insights.check_target(value)):
        raise argparse.ArgumentTypeError(problem)
    return value


@contextmanager
def _insights_store(args: argparse.Namespace) -> Iterator[tuple[insights.Store, insights.Writer]]:
    """The store the config names (a local file or a GitHub repository), and a writer on it as
    who "I" am with my role; `--demo` uses (and first seeds) the demo's own file. The store is
    closed afterwards."""
    board = insights_board(args)
    cfg = board.config
    try:
        store = board.insights_store
        yield store, insights.Writer(store, cfg.board.user, cfg.role)
    finally:
        board.insights_store.close()


def _kept(kind: str, table: dict[str, Any], err: InsightsError) -> InsightsError:
    """The failed write's reason, and where what was typed is kept."""
    plain = {k: list(v) if isinstance(v, tuple) else v for k, v in table.items()}
    path = drafts.save(kind, plain, utc_now())
    kept = f" What you typed is kept in {path}." if path else ""
    return InsightsError(f"{err}{kept}")


def _resolve(args: argparse.Namespace, target: str) -> str:
    """`board`, a URL, or a ref such as `acme/shop#12` or `PAY-7` looked up on the board as
    last seen (its cache; the demo's own data), so no network is needed to pin."""
    if target == "board" or target.startswith(("http://", "https://", "goal:")):
        return target
    cfg = load_config(args)
    if not cfg.demo and (url := SnapshotCache().find(cfg.sources, target)):
        return url  # the ref index beside the cache: no need to read the whole board
    url = url_of(target, last_seen(Board(cfg)))
    if url is None:
        raise PullboardError(
            f"{target!r} is not a ref on this board as last seen (open the board once so it is "
            "cached), nor a URL; pass the item's web URL, or `board`."
        )
    return url


def cmd_pin(args: argparse.Namespace) -> int:
    """Pin a new insight and print its id (the only thing on stdout, for scripts); a failed
    pin keeps the draft in the state folder and says where."""
    on = _resolve(args, args.url)
    with _insights_store(args) as (_, writer):
        draft = Insight(
            id="",
            on=on,
            title=args.title,
            summary=args.summary or "",
            detail=args.detail or "",
            why=args.why or "",
            author=args.author or writer.user,
            expires=args.expires,
            audience=args.audience or (),
            pinned=not args.unpinned,
            kind="ask" if args.ask else "note",
            to=args.ask or (),
        )
        try:
            stored = writer.pin(draft)
        except InsightsError as err:
            raise _kept("pin", table_of(draft), err) from None
    print(stored.id)
    if stored.expired(utc_now().date()):
        say(f"{stored.id} expired on {stored.expires}: the board shows it only among expired (x).")
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    """Change the given fields of the insight as it is now; a concurrent change is refused."""
    changes: insights.Changes = {}
    for key in ("on", "title", "summary", "detail", "why", "expires", "audience", "pinned"):
        if getattr(args, key) is not None:
            changes[key] = getattr(args, key)
    if args.no_expires:
        changes["expires"] = None
    if not changes:
        say("edit: nothing to change; give --title, --summary, ...")
        return 2
    if "on" in changes:
        changes["on"] = _resolve(args, changes["on"])
    with _insights_store(args) as (store, writer):
        current = insights.get(store, args.id)
        try:
            new = writer.edit(args.id, changes, base_revision=current.revision, now=utc_now())
        except InsightsError as err:
            draft = {"id": args.id, "base_revision": current.revision, **changes}
            raise _kept("edit", dict(draft), err) from None
    say(f"{new.id} is now at revision {new.revision}.")
    return 0


def cmd_unpin(args: argparse.Namespace) -> int:
    """Remove an insight."""
    with _insights_store(args) as (_, writer):
        gone = writer.unpin(args.id)
    say(f"removed {gone.id} ({gone.title}).")
    return 0


def cmd_ack(args: argparse.Namespace) -> int:
    """Record my back-brief on an insight: read, or a stance, and optionally a note."""
    with _insights_store(args) as (_, writer):
        done = writer.ack(args.id, utc_now(), stance=args.stance, note=args.note)
    what = "acknowledged" if args.stance == "read" else f"back-briefed ({args.stance})"
    say(f"{writer.user} {what} {done.id} ({done.title}).")
    return 0


def cmd_insights(args: argparse.Namespace) -> int:
    """List the insights; exit 1 when the file is broken or some insights have problems."""
    with _insights_store(args) as (store, _):
        loaded = insights.load(store)
    today = utc_now().date()
    if loaded.stale:
        say(f"{loaded.stale} Showing the copy kept here.")
    if args.json:
        sys.stdout.write(json_inert(insights_listing.to_json(loaded, store.where, today)))
    elif loaded.error is None:
        sys.stdout.write(clean(insights_listing.to_text(loaded, today)))
    for problem in (loaded.error,) if loaded.error else loaded.problems:
        say(problem)
    return 1 if loaded.error or loaded.problems else 0
