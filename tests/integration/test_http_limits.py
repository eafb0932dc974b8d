"""The limits on what one server may cost (issue 10, items 4-6), against real sockets: answer
size counted decompressed, a deadline per try, a request budget per refresh, one timeout for
a host that never answers, and a pool that survives cancelled requests."""

from __future__ import annotations

import asyncio
import gzip
import json
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from fakes.github_server import FakeGitHub
from fakes.hostile import Answer, Scripted, Silent, gzip_bomb
from fakes.waits import Waits

from pullboard.errors import SourceRejected, SourceUnreachable
from pullboard.sources.http import Backoff, HttpClient, Limits

GiB = 1 << 30
MiB = 1 << 20

MakeClient = Callable[..., HttpClient]


@pytest.fixture
async def make_client() -> AsyncIterator[MakeClient]:
    """`make_client(url, **options)`: clients that never really sleep, all closed after."""
    made: list[HttpClient] = []

    def make(url: str, **options: object) -> HttpClient:
        options.setdefault("backoff", Backoff(sleep=Waits().sleep, jitter=lambda: 1.0))
        made.append(HttpClient("src", url, **options))  # type: ignore[arg-type]
        return made[-1]

    yield make
    for http in made:
        await http.aclose()


async def test_a_gzip_bomb_stops_at_the_size_limit_in_bounded_memory(
    make_client: MakeClient,
) -> None:
    bomb = gzip_bomb(GiB)
    assert len(bomb) < 2 * MiB
    answer = Answer(bomb, headers={"Content-Encoding": "gzip"})
    with Scripted(lambda target: answer) as server:
        http = make_client(server.url)
        tracemalloc.start()
        try:
            with pytest.raises(SourceRejected) as caught:
                await http.get("/issues", subject="acme/shop")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    assert str(caught.value) == (
        f"src: {server.url.removeprefix('http://')} sent an answer for acme/shop larger than "
        "8 MiB (decompressed); pullboard stopped reading it there."
    )
    assert peak < 60 * MiB, f"peak {peak / MiB:.0f} MiB while refusing a 1 GiB bomb"
    assert server.requests == ["/issues"], "a refused answer is not fetched again"


async def test_a_plain_body_past_the_limit_is_refused(make_client: MakeClient) -> None:
    with Scripted(lambda target: Answer(b"[" + b"0," * MiB + b"0]")) as server:
        http = make_client(server.url, limits=Limits(body_bytes=MiB))

        with pytest.raises(SourceRejected, match=r"larger than 1 MiB \(decompressed\)"):
            await http.get("/big")


async def test_an_answer_just_under_the_limit_is_read(make_client: MakeClient) -> None:
    body = b"[" + b" " * (MiB - 3) + b"]"
    with Scripted(lambda target: Answer(body)) as server:
        http = make_client(server.url, limits=Limits(body_bytes=MiB))

        assert (await http.get("/fits")).json() == []


def trickle_on_slow(target: str) -> Answer:
    """`/slow` sends its body a byte every 20 ms (each read well inside the read timeout)."""
    if target.startswith("/slow"):
        return Answer(b"[" + b" " * 200 + b"]", chunk=1, pace=0.02)
    return Answer(b"[1]")


async def test_a_trickling_answer_fails_at_the_deadline_and_is_not_retried(
    make_client: MakeClient,
) -> None:
    with Scripted(trickle_on_slow) as server:
        http = make_client(server.url, timeout=httpx.Timeout(5.0), limits=Limits(deadline=0.3))
        await http.get("/fast")

        with pytest.raises(SourceUnreachable) as caught:
            await http.get("/slow", subject="acme/shop")

        assert str(caught.value) == (
            f"src: {server.url.removeprefix('http://')} took more than 0.3 s to send its answer "
            "for acme/shop; it may be overloaded or the connection very slow. Try again later."
        )
        assert server.requests == ["/fast", "/slow"]
        assert (await http.get("/fast")).json() == [1], "the client still works afterwards"


def endless(target: str) -> Answer:
    """Every page links to a fresh next page, for ever."""
    page = int(target.rpartition("=")[2]) if "page=" in target else 1
    link = f'</items?page={page + 1}>; rel="next"'
    return Answer(b"[1]", headers={"Link": link})


async def test_endless_fresh_next_links_stop_at_the_request_budget(
    make_client: MakeClient,
) -> None:
    with Scripted(endless) as server:
        http = make_client(server.url, limits=Limits(requests=40))

        with pytest.raises(SourceRejected) as caught:
            await http.get_all("/items", subject="acme/shop")

        assert str(caught.value) == (
            f"src: pullboard stopped after 40 requests to {server.url.removeprefix('http://')} "
            "in one refresh while fetching acme/shop, far more than a board needs "
            "(endless pages?)."
        )
        assert len(server.requests) == 40
        with pytest.raises(SourceRejected, match="stopped after 40 requests"):
            await http.get("/items")
        http.start_refresh()
        assert (await http.get("/items")).json() == [1], "the next refresh has a fresh budget"


async def test_a_host_that_never_answers_costs_one_timeout(make_client: MakeClient) -> None:
    with Silent() as silent:
        http = make_client(silent.url, timeout=httpx.Timeout(0.3))

        with pytest.raises(SourceUnreachable) as caught:
            await http.get("/repos/acme/shop/milestones")

    assert str(caught.value) == (
        f"src: {silent.url.removeprefix('http://')} accepted the connection but didn't answer "
        "within 0.3 s. It may be down or overloaded; try again later."
    )
    assert http.requests == 1


async def test_cancelled_requests_never_leave_the_pool_stuck(make_client: MakeClient) -> None:
    with FakeGitHub(latency=0.05) as fake:
        fake.add_repo("acme/shop")
        http = make_client(fake.url, timeout=httpx.Timeout(3.0), concurrency=4)
        for steps in range(12):  # cut the requests short at every point of their way out
            tasks = [asyncio.create_task(http.get("/repos/acme/shop/milestones")) for _ in range(6)]
            for _ in range(steps):
                await asyncio.sleep(0)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        fake.latency = 0.0

        answers = await asyncio.gather(*(http.get("/repos/acme/shop/milestones") for _ in range(6)))

    assert [page.json() for page in answers] == [[]] * 6


@pytest.mark.parametrize(
    ("encoding", "pack"),
    [("gzip", gzip.compress), ("deflate", zlib.compress), ("identity", lambda b: b)],
)
async def test_compressed_answers_are_inflated_here(
    make_client: MakeClient, encoding: str, pack: Callable[[bytes], bytes]
) -> None:
    body = json.dumps([{"n": n} for n in range(500)]).encode()
    answer = Answer(pack(body), headers={"Content-Encoding": encoding})
    with Scripted(lambda target: answer) as server:
        assert await make_client(server.url).get_all("/items") == [{"n": n} for n in range(500)]


async def test_a_compressed_answer_that_does_not_decompress_fails_with_a_sentence(
    make_client: MakeClient,
) -> None:
    answer = Answer(b"\x1f\x8bnot gzip", headers={"Content-Encoding": "gzip"})
    with (
        Scripted(lambda target: answer) as server,
        pytest.raises(SourceRejected, match="compressed answer for x that doesn't"),
    ):
        await make_client(server.url).get("/items", subject="x")
