"""The `pullboard` command: parse arguments, load config, hand over. No business logic here.

Exit codes: 0 fine; 1 some source failed (or a check failed); 2 bad usage or config.
stdout belongs to `export` and friends; every diagnostic goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import os
import socket
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from pullboard import __version__, auth, config, export
from pullboard.board import Board
from pullboard.cli import align as cli_align
from pullboard.cli import collector
from pullboard.cli import insights as cli_insights
from pullboard.cli.common import add_common, add_since, load_config, say, start_feed
from pullboard.errors import ConfigError, PullboardError, UsageError
from pullboard.paths import config_path, state_dir
from pullboard.text import redact

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (the README's command reference follows it)."""
    parser = argparse.ArgumentParser(
        prog="pullboard",
        description="A terminal status board: milestones, pressing issues and pinned insights.",
    )
    parser.add_argument("--version", action="version", version=f"pullboard {__version__}")
    add_common(parser)
    _session_flag(parser)
    cli_align.add_audience(parser)
    parser.set_defaults(handler=cmd_board)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    p = sub.add_parser("board", help="show the board (the default)")
    add_common(p)
    _session_flag(p)
    cli_align.add_audience(p)
    p.set_defaults(handler=cmd_board)
    p = sub.add_parser("export", help="print the snapshot as JSON or Markdown")
    add_common(p)
    cli_align.add_audience(p)
    p.add_argument("--format", choices=("json", "markdown"), default="json")
    add_since(p)
    p.set_defaults(handler=cmd_export)
    cli_insights.add_commands(sub)
    cli_align.add_commands(sub)
    _setup_commands(sub)
    p = sub.add_parser("serve", help="the team board over SSH, for the people [[person]] lists")
    add_common(p)
    p.add_argument("--listen", metavar="HOST:PORT", help="default: [serve] listen, else :2222")
    p.add_argument("--host-key", metavar="PATH", help="default: [serve] host_key, else state dir")
    p.set_defaults(handler=cmd_serve)
    return parser


def _session_flag(parser: argparse.ArgumentParser) -> None:
    """`--session`: the board as `pullboard serve` starts it for one SSH session (not for
    people to type: it paints from the server's cache and asks the server to refresh)."""
    parser.add_argument(
        "--session", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )


def cmd_board(args: argparse.Namespace) -> int:
    """Run the TUI."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(_no_terminal())
    collector.loading()
    from pullboard.tui.app import create_app

    collector.settle()  # Textual's modules, too, live as long as the board

    loaded = load_config(args)
    if getattr(args, "session", False):
        from pullboard.serve.follower import session_board

        board = session_board(loaded)
        app = create_app(board.config, board=board)
    else:
        app = create_app(loaded, offline=getattr(args, "offline", False))
    app.details = cli_align.use_audience(app.board, args)
    app.run()
    return app.return_code or 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the board over SSH until SIGTERM."""
    try:
        from pullboard import serve
    except ImportError as err:  # asyncssh is the `serve` extra
        raise UsageError(
            f"serve needs {err.name or 'asyncssh'}: pip install 'pullboard[serve]'."
        ) from None
    return serve.run(load_config(args), args.listen, args.host_key)


def _no_terminal() -> str:
    """Why the board can't start here; `ssh host pullboard` runs it without a terminal."""
    if os.environ.get("SSH_CONNECTION"):
        return (
            "The board needs a terminal, and ssh gave this session none: connect with "
            f"`ssh -t {socket.gethostname()} pullboard`, or use `pullboard export` for scripts."
        )
    return (
        "The board needs a terminal (stdin and stdout); for scripts and pipes use "
        "`pullboard export`."
    )


def cmd_export(args: argparse.Namespace) -> int:
    """Print the board without a UI; progress goes to stderr only when it is a terminal."""
    board = Board(load_config(args))
    start_feed(board, args.since)
    cli_align.use_audience(board, args)

    def progress(source: str, message: str) -> None:
        say(f"{source}: {message}")

    async def run() -> int:
        try:
            if getattr(args, "offline", False) and not board.config.demo:
                snapshot = board.cached()
                if snapshot is None:
                    raise PullboardError("Nothing cached yet: run once without --offline.")
            else:
                tty = sys.stderr.isatty()
                snapshot = await board.refresh(progress if tty else _silent, full=True)
        finally:
            await board.aclose()
        for warning in snapshot.warnings:
            print(f"pullboard: warning: {warning}", file=sys.stderr)
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
    add_common(p)
    actions = p.add_subparsers(title="actions", metavar="ACTION", required=True)
    for name, text, handler in (
        ("set", "store a token in the keyring (prompts, or reads stdin)", cmd_auth_set),
        ("status", "where each token comes from, and whether it works", cmd_auth_status),
        ("clear", "remove a token from the keyring", cmd_auth_clear),
    ):
        a = actions.add_parser(name, help=text)
        add_common(a)
        a.add_argument("source", metavar="SOURCE", nargs="?" if name == "status" else None)
        a.set_defaults(handler=handler)
    p = sub.add_parser("init", help="write a starter config (asks, or takes flags)")
    add_common(p, me=False)
    p.add_argument("--non-interactive", action="store_true", help="ask nothing; use the flags")
    p.add_argument("--force", action="store_true", help="replace an existing config (kept as .bak)")
    p.add_argument("--title", default="pullboard", help="board title")
    p.add_argument("--me", action="append", default=[], metavar="NAME", help="your user name")
    p.add_argument("--github", action="append", default=[], metavar="OWNER/NAME")
    p.add_argument("--github-url", default=config.GITHUB_API, metavar="URL", help="API base")
    p.add_argument(
        "--insights-repo",
        default="",
        metavar="OWNER/NAME",
        help="keep the team's insights in this GitHub repository (pullboard/insights.toml)",
    )
    p.add_argument("--jira-url", default="", metavar="URL", help="Jira site base URL")
    p.add_argument("--jira-project", action="append", default=[], metavar="KEY")
    p.add_argument("--jira-email", default="", metavar="EMAIL", help="Jira Cloud account e-mail")
    p.add_argument(
        "--jira-flavor",
        choices=("cloud", "server"),
        default="",
        help="Jira Cloud or Server / Data Center (default: cloud for *.atlassian.net)",
    )
    p.add_argument("--jira-board", type=int, metavar="ID", help="follow this board's sprints")
    p.set_defaults(handler=cmd_init)
    p = sub.add_parser("doctor", help="check config, tokens, access, files and terminal")
    add_common(p)
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
    from pullboard.cli import doctor  # checks go online: httpx only for the commands that do

    return doctor.report(asyncio.run(doctor.status(sources)), sys.stdout)


def cmd_auth_clear(args: argparse.Namespace) -> int:
    """Remove a token from the keyring."""
    source = config.load(getattr(args, "config", None)).source(args.source)
    print(auth.clear(source))
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    """Write a starter config: interactive by default, from flags with --non-interactive."""
    path = config_path(getattr(args, "config", None))
    from pullboard.cli import init

    init.refuse_existing(path, force=args.force)
    answers = init.Answers(
        title=args.title,
        me=tuple(args.me),
        github=tuple(args.github),
        github_url=args.github_url,
        jira_url=args.jira_url,
        jira_projects=tuple(args.jira_project),
        jira_email=args.jira_email,
        jira_board=args.jira_board,
        jira_flavor=args.jira_flavor,
        insights_repo=args.insights_repo,
    )
    if not args.non_interactive:
        answers = init.ask(input, answers)
    print(init.next_steps(init.write(path, answers, force=args.force)))
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    """Run every check; exit 1 when any failed."""
    from pullboard.cli import doctor

    return doctor.report(asyncio.run(doctor.run(getattr(args, "config", None))), sys.stdout)


def run() -> int:
    """The process's entry point (the `pullboard` script, `python -m pullboard`): `main`, with
    the garbage collector set for a process (`collector`; tests call `main` in their own)."""
    collector.settle()
    return main()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: every failure becomes a sentence on stderr and an exit code, no traceback.

    A reader that stops early (`pullboard export | head -c 10`) closes the pipe under us: that
    ends the run quietly with exit 1, as the Python docs advise, whichever command it was.
    """
    # Started with stdout or stderr closed (`2>&-`): Python gives None; write to nowhere.
    sys.stdout = sys.stdout or open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    sys.stderr = sys.stderr or open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    try:
        try:
            return _run(argv)
        finally:
            sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
    except BrokenPipeError:
        # Python would flush stdout once more on exit and complain; send that to nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as err:  # stdout itself failed (a full disk behind `> file`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        say(f"couldn't write the output: {err.strerror or type(err).__name__}.")
        return 1


def _run(argv: Sequence[str] | None) -> int:
    """Parse, dispatch, and turn each kind of failure into its exit code."""
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except ConfigError as err:
        for problem in err.problems:
            say(problem)
        return 2
    except UsageError as err:
        say(str(err))
        return 2
    except PullboardError as err:
        say(str(err))
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise  # for `main`: not a crash, the reader has all it wanted
    except Exception as err:  # the last line of defence: log it, tell the user where
        if isinstance(err, OSError) and err.errno in _OUTPUT_ERRORS:
            raise  # for `main`: the output can't be written, and that is no bug
        # Only the type: the text of an exception nobody anticipated may quote anything.
        say(f"internal error ({type(err).__name__}). Details in {_crash_log(err)}")
        return 1


_OUTPUT_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG})
"""Errors writing stdout raises (`> /dev/full`): the output is lost, the run is no crash."""


def _crash_log(err: BaseException) -> Path:
    """Write the traceback to the state dir, where a bug report can pick it up."""
    path = state_dir() / "crash.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = redact("".join(traceback.format_exception(err)))  # a file, not the terminal
        path.write_text(text, encoding="utf-8", errors="backslashreplace")
    except OSError:
        pass
    return path
