"""Who an insight is for, who is expected to back-brief it, and where they stand.

Pure: the insight, the audiences from the insights file and a user name in, answers out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import msgspec

from pullboard.model import ANSWERS, ASK, EVERYONE, STANCES, Audience, Insight

SHOWN_MISSING = 3
"""Names a spread spells out before `+N`: the line must fit under a list at 80 columns."""


class Spread(msgspec.Struct, frozen=True):
    """The back-briefs on an insight's current revision, against who was expected."""

    expected: tuple[str, ...]
    """People in its audiences (and, for an ask, the people asked), not its author."""
    briefed: tuple[str, ...]
    """Everyone who back-briefed the current revision, expected or not."""
    missing: tuple[str, ...]
    """Expected, and no back-brief on the current revision yet."""
    stances: dict[str, int]
    """Stance -> how many current back-briefs take it, in `STANCES` order."""


def for_everyone(insight: Insight) -> bool:
    """True for an insight addressed to everyone: no audience, or `all` / `everyone`."""
    return not insight.audience or any(tag in EVERYONE for tag in insight.audience)


def expected(insight: Insight, audiences: Mapping[str, Audience]) -> tuple[str, ...]:
    """Who should back-brief it: members of the audiences it names (of every audience, when
    it is for everyone) and the people an ask is addressed to (only them, for an ask with no
    audience of its own); never its author."""
    names = list(insight.to)
    if insight.kind == ASK and not insight.audience:
        return tuple(sorted(set(names) - {insight.author}))
    groups = audiences.values() if for_everyone(insight) else _named(insight, audiences)
    names += [m for group in groups for m in group.members]
    return tuple(sorted(set(names) - {insight.author}))


def spread(insight: Insight, audiences: Mapping[str, Audience]) -> Spread:
    """Where the readers of `insight` stand on its current revision."""
    want = expected(insight, audiences)
    briefed = tuple(sorted(u for u in insight.acks if insight.acked_by(u)))
    counts = Counter(insight.acks[u].stance for u in briefed)
    return Spread(
        want,
        briefed,
        tuple(u for u in want if u not in briefed),
        {s: counts[s] for s in STANCES if counts[s]},
    )


def spread_text(s: Spread) -> str:
    """`2 of 3 · 1 concern · missing: lee`; without expectations `3 back-briefs · 1 agree`."""
    if s.expected:
        done = sum(1 for u in s.expected if u in s.briefed)
        parts = [f"{done} of {len(s.expected)}"]
    else:
        parts = [f"{len(s.briefed)} back-brief{'' if len(s.briefed) == 1 else 's'}"]
    parts += [f"{n} {stance}" for stance, n in s.stances.items() if stance != "read"]
    if s.missing:
        names = ", ".join(s.missing[:SHOWN_MISSING])
        more = len(s.missing) - SHOWN_MISSING
        parts.append(f"missing: {names}" + (f" +{more}" if more > 0 else ""))
    return " · ".join(parts)


def visible(
    insight: Insight, me: str, audiences: Mapping[str, Audience], audience: str | None = None
) -> bool:
    """Whether an insight shows: with `audience`, what that audience should see (addressed to
    it or to everyone); without, what is addressed to `me` and to everyone. A tag that names
    no audience in the file hides nothing (files without audiences show everything)."""
    if audience is not None:
        return (
            for_everyone(insight)
            or audience in insight.audience
            or bool(set(insight.to) & set(audiences[audience].members))
        )
    if for_everyone(insight) or me == insight.author or me in insight.to:
        return True
    return any(tag not in audiences or me in audiences[tag].members for tag in insight.audience)


def answers(insight: Insight) -> dict[str, str]:
    """Who answered an ask and how (`accept`, `decline`), and `?` for who hasn't yet."""
    got = {u: a.stance for u, a in insight.acks.items() if a.stance in ANSWERS}
    return {u: got.get(u, "?") for u in insight.to}


def _named(insight: Insight, audiences: Mapping[str, Audience]) -> Iterable[Audience]:
    return (audiences[tag] for tag in insight.audience if tag in audiences)
