"""The `pullboard` command: parse arguments, load config, hand over. No business logic here.

Exit codes: 0 fine; 1 some source failed (or a check failed); 2 bad usage or config.
stdout belongs to `export` and friends; every diagnostic goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from pullboard import (
    __version__,
    auth,
    config,
    doctor,
    export,
    insights,
    insights_listing,
    setup,
)
from pullboard.board import Board
from pullboard.errors import ConfigError, PullboardError
from pullboard.model import Insight
from pullboard.paths import config_path, state_dir

Handler = Callable[[argparse.Namespace], int]


def _common(parser: argparse.ArgumentParser) -> None:
    """Options every subcommand accepts, so `--config` works wherever it is written."""
    parser.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="config file (default: $PULLBOARD_CONFIG or $XDG_CONFIG_HOME/pullboard/config.toml)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="use the embedded demo data: no network, no config",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the cached board only; never touch the network",
    )


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (the README's command reference follows it)."""
    parser = argparse.ArgumentParser(
        prog="pullboard",
        description="A terminal status board: milestones, pressing issues and pinned insights.",
    )
    parser.add_argument("--version", action="version", version=f"pullboard {__version__}")
    _common(parser)
    parser.set_defaults(handler=cmd_board)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    p = sub.add_parser("board", help="show the board (the default)")
    _common(p)
    p.set_defaults(handler=cmd_board)
    p = sub.add_parser("export", help="print the snapshot as JSON or Markdown")
    _common(p)
    p.add_argument("--format", choices=("json", "markdown"), default="json")
    p.set_defaults(handler=cmd_export)
    _insight_commands(sub)
    _setup_commands(sub)
    return parser


def load_config(args: argparse.Namespace) -> config.Config:
    """The demo config with `--demo`, else the config file (raises ConfigError)."""
    if getattr(args, "demo", False):
        from pullboard.sources.demo import demo_config

        return demo_config()
    return config.load(getattr(args, "config", None))


def cmd_board(args: argparse.Namespace) -> int:
    """Run the TUI."""
    from pullboard.tui.app import create_app

    app = create_app(load_config(args), offline=getattr(args, "offline", False))
    app.run()
    return app.return_code or 0


def cmd_export(args: argparse.Namespace) -> int:
    """Print the board without a UI; progress goes to stderr only when it is a terminal."""
    board = Board(load_config(args))

    def progress(source: str, message: str) -> None:
        print(f"pullboard: {source}: {message}", file=sys.stderr, flush=True)

    async def run() -> int:
        try:
            if getattr(args, "offline", False):
                snapshot = board.cached()
                if snapshot is None:
                    raise PullboardError("Nothing cached yet: run once without --offline.")
            else:
                tty = sys.stderr.isatty()
                snapshot = await board.refresh(progress if tty else _silent, full=True)
        finally:
            await board.aclose()
        render = export.to_markdown if args.format == "markdown" else export.to_json
        sys.stdout.write(render(snapshot))
        return 0 if all(s.ok for s in snapshot.sources) else 1

    return asyncio.run(run())


def _silent(source: str, message: str) -> None:
    """Progress sink when stderr is not a terminal (scripts get clean output)."""


# -- auth, init, doctor (the work itself is in pullboard.auth, .setup and .doctor) ------------


def _setup_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`auth set|status|clear`, `init` and `doctor`: getting connected and checking it."""
    p = sub.add_parser("auth", help="store, check or clear a source's token")
    _common(p)
    actions = p.add_subparsers(title="actions", metavar="ACTION", required=True)
    for name, text, handler in (
        ("set", "store a token in the keyring (prompts, or reads stdin)", cmd_auth_set),
        ("status", "where each token comes from, and whether it works", cmd_auth_status),
        ("clear", "remove a token from the keyring", cmd_auth_clear),
    ):
        a = actions.add_parser(name, help=text)
        _common(a)
        a.add_argument("source", metavar="SOURCE", nargs="?" if name == "status" else None)
        a.set_defaults(handler=handler)
    p = sub.add_parser("init", help="write a starter config (asks, or takes flags)")
    _common(p)
    p.add_argument("--non-interactive", action="store_true", help="ask nothing; use the flags")
    p.add_argument("--force", action="store_true", help="replace an existing config (kept as .bak)")
    p.add_argument("--title", default="pullboard", help="board title")
    p.add_argument("--me", action="append", default=[], metavar="NAME", help="your user name")
    p.add_argument("--github", action="append", default=[], metavar="OWNER/NAME")
    p.add_argument("--github-url", default=config.GITHUB_API, metavar="URL", help="API base")
    p.add_argument("--jira-url", default="", metavar="URL", help="Jira site base URL")
    p.add_argument("--jira-project", action="append", default=[], metavar="KEY")
    p.add_argument("--jira-email", default="", metavar="EMAIL", help="Jira Cloud account e-mail")
    p.add_argument("--jira-board", type=int, metavar="ID", help="follow this board's sprints")
    p.set_defaults(handler=cmd_init)
    p = sub.add_parser("doctor", help="check config, tokens, access, files and terminal")
    _common(p)
    p.set_defaults(handler=cmd_doctor)


def cmd_auth_set(args: argparse.Namespace) -> int:
    """Store a token in the keyring; on a host without one, say so and show the env var."""
    source = config.load(getattr(args, "config", None)).source(args.source)
    auth.ensure_keyring(source)
    print(auth.store(source, auth.read_secret(source)))
    return 0


def cmd_auth_status(args: argparse.Namespace) -> int:
    """Where each token comes from and whom the tracker says it belongs to."""
    loaded = config.load(getattr(args, "config", None))
    sources = [loaded.source(args.source)] if args.source else list(loaded.sources)
    return doctor.report(asyncio.run(doctor.status(sources)), sys.stdout)


def cmd_auth_clear(args: argparse.Namespace) -> int:
    """Remove a token from the keyring."""
    source = config.load(getattr(args, "config", None)).source(args.source)
    print(auth.clear(source))
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    """Write a starter config: interactive by default, from flags with --non-interactive."""
    path = config_path(getattr(args, "config", None))
    setup.refuse_existing(path, force=args.force)
    answers = setup.Answers(
        title=args.title,
        me=tuple(args.me),
        github=tuple(args.github),
        github_url=args.github_url,
        jira_url=args.jira_url,
        jira_projects=tuple(args.jira_project),
        jira_email=args.jira_email,
        jira_board=args.jira_board,
    )
    if not args.non_interactive:
        answers = setup.ask(input, answers)
    print(setup.next_steps(setup.write(path, answers, force=args.force)))
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    """Run every check; exit 1 when any failed."""
    return doctor.report(asyncio.run(doctor.run(getattr(args, "config", None))), sys.stdout)


# -- insights: pin, edit, unpin, ack, insights (the work itself is in pullboard.insights) ------


def _insight_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`pin`, `edit`, `unpin`, `ack` and `insights`: the insights file without the TUI."""
    p = sub.add_parser("pin", help="pin a new insight on a milestone, an issue or the board")
    _common(p)
    p.add_argument(
        "url",
        metavar="TARGET",
        type=_target,
        help='milestone or issue URL, its ref (acme/shop#12, acme/shop@v1.4, PAY-7), or "board"',
    )
    p.add_argument("--title", required=True, help="what it is about, in a few words")
    _insight_fields(p)
    p.add_argument("--author", help="who pins it (default: [board] me, else the OS user)")
    p.add_argument("--unpinned", action="store_true", help="keep it off the overview strip")
    p.set_defaults(handler=cmd_pin)
    p = sub.add_parser("edit", help="change an insight (refused if someone else changed it)")
    _common(p)
    p.add_argument("id", metavar="ID")
    p.add_argument("--on", type=_target, metavar="URL", help="move it to another item")
    p.add_argument("--title")
    _insight_fields(p)
    p.add_argument("--no-expires", action="store_true", help="remove the expiry date")
    pinning = p.add_mutually_exclusive_group()
    pinning.add_argument("--pinned", dest="pinned", action="store_const", const=True)
    pinning.add_argument("--unpinned", dest="pinned", action="store_const", const=False)
    p.set_defaults(handler=cmd_edit)
    for name, text, handler in (
        ("unpin", "remove an insight from the board", cmd_unpin),
        ("ack", 'acknowledge an insight: "I have read this"', cmd_ack),
    ):
        p = sub.add_parser(name, help=text)
        _common(p)
        p.add_argument("id", metavar="ID")
        p.set_defaults(handler=handler)
    p = sub.add_parser("insights", help="list the insights, with expiry and acknowledgements")
    _common(p)
    p.add_argument("--json", action="store_true", help="JSON for scripts")
    p.set_defaults(handler=cmd_insights)


def _insight_fields(p: argparse.ArgumentParser) -> None:
    p.add_argument("--summary", help="one-line headline for people who only want that")
    p.add_argument("--detail", help="Markdown for the working team")
    p.add_argument("--why", help="why it matters now")
    p.add_argument("--expires", type=_day, metavar="YYYY-MM-DD", help="hide it after this day")
    p.add_argument("--audience", type=_tags, metavar="TAG,TAG", help="who it is for")


def _target(value: str) -> str:
    """A URL or "board" checked now; anything else is a ref, resolved once the config is read."""
    value = value.strip()
    if value.startswith(("http://", "https://")) and (problem := insights.check_target(value)):
        raise argparse.ArgumentTypeError(problem)
    return value


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date such as 2025-03-01, got {value!r}"
        ) from None


def _tags(value: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in value.split(",") if t.strip())


def _insights_file(args: argparse.Namespace) -> tuple[Path, str]:
    """The insights file and who "I" am; `--demo` uses (and first seeds) the demo's own file."""
    cfg = load_config(args)
    board = Board(cfg)
    if cfg.demo:
        board.reload_insights()
    return board.insights_path, cfg.board.user


def _resolve(args: argparse.Namespace, target: str) -> str:
    """`board`, a URL, or a ref such as `acme/shop#12` or `PAY-7` looked up on the board as
    last seen (its cache; the demo's own data), so no network is needed to pin."""
    if target == "board" or target.startswith(("http://", "https://")):
        return target
    board = Board(load_config(args))
    snapshot = asyncio.run(board.refresh(full=True)) if board.config.demo else board.cached()
    found = snapshot.by_ref(target) if snapshot else None
    if found is None:
        raise PullboardError(
            f"{target!r} is not a ref on this board as last seen (open the board once so it is "
            "cached), nor a URL; pass the item's web URL, or `board`."
        )
    return found.url


def cmd_pin(args: argparse.Namespace) -> int:
    """Pin a new insight and print its id (the only thing on stdout, for scripts)."""
    path, me = _insights_file(args)
    draft = Insight(
        id="",
        on=_resolve(args, args.url),
        title=args.title,
        summary=args.summary or "",
        detail=args.detail or "",
        why=args.why or "",
        author=args.author or me,
        expires=args.expires,
        audience=args.audience or (),
        pinned=not args.unpinned,
    )
    print(insights.pin(path, draft).id)
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
        print("pullboard: edit: nothing to change; give --title, --summary, ...", file=sys.stderr)
        return 2
    path, me = _insights_file(args)
    current = insights.get(path, args.id)
    new = insights.edit(
        path, args.id, changes, base_revision=current.revision, user=me, now=datetime.now(UTC)
    )
    print(f"pullboard: {new.id} is now at revision {new.revision}.", file=sys.stderr)
    return 0


def cmd_unpin(args: argparse.Namespace) -> int:
    """Remove an insight."""
    path, _ = _insights_file(args)
    gone = insights.unpin(path, args.id)
    print(f"pullboard: removed {gone.id} ({gone.title}).", file=sys.stderr)
    return 0


def cmd_ack(args: argparse.Namespace) -> int:
    """Record that I have read an insight."""
    path, me = _insights_file(args)
    done = insights.ack(path, args.id, me, datetime.now(UTC))
    print(f"pullboard: {me} acknowledged {done.id} ({done.title}).", file=sys.stderr)
    return 0


def cmd_insights(args: argparse.Namespace) -> int:
    """List the insights; exit 1 when the file is broken or some insights have problems."""
    path, _ = _insights_file(args)
    loaded = insights.load(path)
    today = datetime.now(UTC).date()
    if args.json:
        sys.stdout.write(insights_listing.to_json(loaded, path, today))
    elif loaded.error is None:
        sys.stdout.write(insights_listing.to_text(loaded, today))
    for problem in (loaded.error,) if loaded.error else loaded.problems:
        print(f"pullboard: {problem}", file=sys.stderr)
    return 1 if loaded.error or loaded.problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: every failure becomes a sentence on stderr and an exit code, no traceback."""
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except ConfigError as err:
        for problem in err.problems:
            print(f"pullboard: {problem}", file=sys.stderr)
        return 2
    except PullboardError as err:
        print(f"pullboard: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # the last line of defence: log it, tell the user where
        log = _crash_log(err)
        print(f"pullboard: internal error: {err!r}. Details in {log}", file=sys.stderr)
        return 1


def _crash_log(err: BaseException) -> Path:
    """Write the traceback to the state dir, where a bug report can pick it up."""
    path = state_dir() / "crash.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(traceback.format_exception(err)), encoding="utf-8")
    except OSError:
        pass
    return path
