"""`goal add|edit|rm|list`, `digest`, and `--audience` for the board and export: alignment
from the command line. The work is in `insights`, `analysis` and `digest`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from pullboard import digest, insights
from pullboard.board import Board
from pullboard.cli.common import (
    add_common,
    add_since,
    day_arg,
    insights_board,
    last_seen,
    load_config,
    names_arg,
    say,
    start_feed,
    url_of,
)
from pullboard.errors import PullboardError
from pullboard.export import goal_dict
from pullboard.model import DETAIL, Goal, Milestone, Snapshot, utc_now
from pullboard.text import clean, json_inert
from pullboard.wiring import check_audience


def add_audience(parser: argparse.ArgumentParser) -> None:
    """`--audience NAME`: what that audience should see, at its depth."""
    parser.add_argument(
        "--audience",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="show what this audience ([audiences.NAME] in the insights file) should see; "
        "default: what is addressed to you and to everyone",
    )


def use_audience(board: Board, args: argparse.Namespace) -> bool:
    """Show the board for `--audience` (checked against the insights file: exit 2 on a typo).

    Returns:
        True when that audience sees insights in detail (`depth = "detail"`).
    """
    name = getattr(args, "audience", None)
    if not name:
        return False
    loaded = board.reload_insights()
    check_audience(loaded, name)
    board.audience = name
    return name in loaded.audiences and loaded.audiences[name].depth == DETAIL


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`goal add|edit|rm|list` and `digest`."""
    p = sub.add_parser("goal", help="goals that span milestones of any source")
    add_common(p)
    actions = p.add_subparsers(title="actions", metavar="ACTION", required=True)
    for name, text in (("add", "add a goal"), ("edit", "change a goal's fields")):
        a = actions.add_parser(name, help=text)
        add_common(a)
        a.add_argument("id", metavar="ID", help="short id such as holiday-launch")
        a.add_argument("--title", required=name == "add")
        for field, about in (
            ("outcome", "what the world looks like once it is reached"),
            ("done", 'what "done" means'),
            ("why", "why now"),
            ("owner", "who owns it"),
        ):
            a.add_argument(f"--{field}", help=about)
        a.add_argument("--due", type=day_arg, metavar="YYYY-MM-DD")
        a.add_argument(
            "--milestones",
            type=names_arg,
            metavar="URL|REF,...",
            help="its milestones, by URL or ref (acme/web@2.0, PAY@2.1), comma separated",
        )
        if name == "edit":
            a.add_argument("--no-due", action="store_true", help="remove the due date")
        a.set_defaults(handler=cmd_goal_add if name == "add" else cmd_goal_edit)
    a = actions.add_parser("rm", help="remove a goal (its milestones stay)")
    add_common(a)
    a.add_argument("id", metavar="ID")
    a.set_defaults(handler=cmd_goal_rm)
    a = actions.add_parser("list", help="goals with progress, forecast and chance")
    add_common(a)
    a.add_argument("--json", action="store_true", help="JSON for scripts")
    a.set_defaults(handler=cmd_goal_list)

    p = sub.add_parser("digest", help="what changed and what needs attention, for chat")
    add_common(p)
    add_audience(p)
    add_since(p)
    p.add_argument("--format", choices=("markdown", "json"), default="markdown")
    p.set_defaults(handler=cmd_digest)


def _store(args: argparse.Namespace, *, change: bool = True) -> tuple[Board, insights.Store, str]:
    """The board, its insights store and who "I" am; for a `change`, refused (exit 1) unless
    my role may change goals."""
    board = insights_board(args)
    cfg = board.config
    if change:
        insights.allow(cfg.board.user, cfg.role, "goals")
    return board, board.insights_store, cfg.board.user


def _seen(board: Board) -> Snapshot | None:
    """The board as last seen (the demo's own data), to roll goals up without the network."""
    if last_seen(board) is None:
        return None
    return board.snapshot()


def _named(board: Board, names: tuple[str, ...]) -> tuple[tuple[str, ...], list[str]]:
    """`names` as a goal saves them: each milestone the board as last seen shows as its URL
    (a ref would lose the milestone once it is renamed), the others as written.

    Returns:
        The names to save, and those the board as last seen doesn't show (none when it was
        never seen: then nothing is known either way).
    """
    snapshot = last_seen(board) if names else None
    if snapshot is None:
        return names, []
    urls = [url_of(n, snapshot, (Milestone,)) for n in names]
    missing = [n for n, url in zip(names, urls, strict=True) if url is None]
    return tuple(dict.fromkeys(url or n for n, url in zip(names, urls, strict=True))), missing


def _unknown(missing: list[str]) -> None:
    """Say which milestones the board as last seen doesn't show (saved all the same)."""
    if missing:
        say(f"not on the board as last seen (kept as written): {', '.join(missing)}")


def cmd_goal_add(args: argparse.Namespace) -> int:
    board, store, me = _store(args)
    try:
        milestones, missing = _named(board, args.milestones or ())
        goal = Goal(
            id=args.id,
            title=args.title,
            outcome=args.outcome or "",
            done=args.done or "",
            why=args.why or "",
            owner=args.owner or me,
            milestones=milestones,
            due=args.due,
        )
        insights.add_goal(store, goal, user=me, now=utc_now())
        _unknown(missing)
    finally:
        store.close()
    say(f"added goal {args.id}.")
    return 0


def cmd_goal_edit(args: argparse.Namespace) -> int:
    changes: insights.GoalChanges = {}
    for key in ("title", "outcome", "done", "why", "owner", "milestones", "due"):
        if getattr(args, key) is not None:
            changes[key] = getattr(args, key)
    if args.no_due:
        changes["due"] = None
    if not changes:
        say("goal edit: nothing to change; give --title, --milestones, ...")
        return 2
    board, store, me = _store(args)
    try:
        missing: list[str] = []
        if "milestones" in changes:
            changes["milestones"], missing = _named(board, changes["milestones"])
        insights.edit_goal(store, args.id, changes, user=me, now=utc_now())
        _unknown(missing)
    finally:
        store.close()
    say(f"changed goal {args.id}.")
    return 0


def cmd_goal_rm(args: argparse.Namespace) -> int:
    _, store, me = _store(args)
    try:
        gone = insights.remove_goal(store, args.id, user=me)
    finally:
        store.close()
    say(f"removed goal {gone.id} ({gone.title}).")
    return 0


def cmd_goal_list(args: argparse.Namespace) -> int:
    """Goals with their roll-up from the board as last seen (definitions only before that)."""
    board, store, _ = _store(args, change=False)
    try:
        loaded = insights.load(store)
        if loaded.error:
            raise PullboardError(loaded.error)
        snapshot = _seen(board)
    finally:
        store.close()
    rows = []
    for goal in loaded.goals:
        st = snapshot.goal_status.get(goal.id) if snapshot else None
        rows.append(goal_dict(goal, st))
    if args.json:
        sys.stdout.write(
            json_inert(json.dumps({"goals": rows}, indent=2, ensure_ascii=False)) + "\n"
        )
    else:
        sys.stdout.write(clean(digest.goal_text(rows)))
    for problem in loaded.problems:
        say(problem)
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    """Print the digest; exit 1 when a source failed (as export)."""
    board = Board(load_config(args))
    start_feed(board, args.since)
    use_audience(board, args)

    async def run() -> Snapshot:
        try:
            if getattr(args, "offline", False) and not board.config.demo:
                snapshot = board.cached()
                if snapshot is None:
                    raise PullboardError("Nothing cached yet: run once without --offline.")
                return snapshot
            return await board.refresh(full=True)
        finally:
            await board.aclose()

    snapshot = asyncio.run(run())
    render = digest.to_json if args.format == "json" else digest.to_markdown
    sys.stdout.write(render(snapshot))
    return 0 if all(s.ok for s in snapshot.sources) else 1
