"""The GitHub contents API in the fake (`FakeGitHub`): one file per (repo, branch, path).

Shapes follow the official description (tests/samples/specs: `content-file`, `file-commit`)
and GitHub's behaviour: base64 content wrapped at 60 columns, the blob sha as git computes
it, `PUT` refused with 409 when the `sha` sent is not the file's and 422 when a file exists
and no sha was sent, 201 for a new file, and 403 for a token that may only read. Every
commit is logged, so a test can count them.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    from fakes.github_server import FakeGitHub

DOCS = "https://docs.github.com/rest/repos/contents"


@dataclass(frozen=True)
class Commit:
    """One commit the fake made through `PUT`."""

    repo: str
    branch: str
    path: str
    message: str
    sha: str
    """The new blob sha."""
    token: str


def blob_sha(data: bytes) -> str:
    """The sha git gives a blob (what the contents API calls the file's `sha`)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def wrapped(data: bytes) -> str:
    """Base64 as GitHub sends it: a newline every 60 characters and at the end."""
    text = base64.b64encode(data).decode("ascii")
    return "".join(text[i : i + 60] + "\n" for i in range(0, len(text), 60))


def answer(
    fake: FakeGitHub, method: str, path: str, query: dict[str, str], token: str, raw: bytes
) -> tuple[int, Any, dict[str, str]] | None:
    """The answer to a contents or repository request, or None for any other path."""
    parts = [unquote(p) for p in path.strip("/").split("/")]
    if len(parts) < 3 or parts[0] != "repos" or f"{parts[1]}/{parts[2]}" not in fake.repos:
        return None
    repo, rest = f"{parts[1]}/{parts[2]}", parts[3:]
    if not rest and method == "GET":
        return 200, _repository(fake, repo, token), {}
    if len(rest) < 2 or rest[0] != "contents":
        return None
    file_path = "/".join(rest[1:])
    if method == "GET":
        return _get(fake, repo, file_path, query.get("ref", fake.default_branch))
    if method == "PUT":
        return _put(fake, repo, file_path, token, raw)
    return 405, {"message": "Not Found", "documentation_url": DOCS}, {}


def _get(fake: FakeGitHub, repo: str, path: str, branch: str) -> tuple[int, Any, dict[str, str]]:
    with fake._lock:
        data = fake.files.get((repo, branch, path))
    if data is None:
        return 404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"}, {}
    return 200, _content(fake, repo, branch, path, data, with_body=True), {}


def _put(
    fake: FakeGitHub, repo: str, path: str, token: str, raw: bytes
) -> tuple[int, Any, dict[str, str]]:
    if token in fake.readers:
        body = {"message": "Resource not accessible by personal access token",
                "documentation_url": DOCS, "status": "403"}  # fmt: skip
        return 403, body, {}
    try:
        sent = json.loads(raw)
        content = base64.b64decode(sent["content"], validate=True)
        message = sent["message"]
    except (ValueError, KeyError, TypeError):
        return 422, {"message": "Invalid request.", "documentation_url": DOCS, "status": "422"}, {}
    branch = sent.get("branch") or fake.default_branch
    with fake._lock:
        current = fake.files.get((repo, branch, path))
        if current is not None and "sha" not in sent:
            body = {"message": 'Invalid request.\n\n"sha" wasn\'t supplied.',
                    "documentation_url": DOCS, "status": "422"}  # fmt: skip
            return 422, body, {}
        if "sha" in sent and (current is None or blob_sha(current) != sent["sha"]):
            body = {"message": f"{path} does not match {sent['sha']}",
                    "documentation_url": DOCS, "status": "409"}  # fmt: skip
            return 409, body, {}
        fake.files[(repo, branch, path)] = content
        sha = blob_sha(content)
        fake.commits.append(Commit(repo, branch, path, message, sha, token))
        number = len(fake.commits)
    commit = hashlib.sha1(f"commit {number}".encode()).hexdigest()
    body = {
        "content": _content(fake, repo, branch, path, content, with_body=False),
        "commit": {
            "sha": commit,
            "node_id": f"C_{commit[:12]}",
            "url": f"{fake.url}/repos/{repo}/git/commits/{commit}",
            "html_url": f"{fake.web}/{repo}/commit/{commit}",
            "author": _person(),
            "committer": _person(),
            "message": message,
            "tree": {"url": f"{fake.url}/repos/{repo}/git/trees/{commit}", "sha": commit},
            "parents": [],
            "verification": {"verified": False, "reason": "unsigned", "signature": None,
                             "payload": None},
        },
    }  # fmt: skip
    return (201 if current is None else 200), body, {}


def _content(
    fake: FakeGitHub, repo: str, branch: str, path: str, data: bytes, *, with_body: bool
) -> dict[str, Any]:
    sha = blob_sha(data)
    api = f"{fake.url}/repos/{repo}/contents/{path}"
    html = f"{fake.web}/{repo}/blob/{branch}/{path}"
    git = f"{fake.url}/repos/{repo}/git/blobs/{sha}"
    out: dict[str, Any] = {
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": sha,
        "size": len(data),
        "url": f"{api}?ref={branch}",
        "html_url": html,
        "git_url": git,
        "download_url": f"https://raw.githubusercontent.com/{repo}/{branch}/{path}",
        "type": "file",
        "_links": {"self": f"{api}?ref={branch}", "git": git, "html": html},
    }
    if with_body:
        out |= {"content": wrapped(data), "encoding": "base64"}
    return out


def _repository(fake: FakeGitHub, repo: str, token: str) -> dict[str, Any]:
    """The fields of `GET /repos/{o}/{r}` that matter here (the full object is long)."""
    owner, name = repo.split("/")
    writer = token not in fake.readers
    return {
        "id": fake.repos[repo].id,
        "node_id": f"R_{fake.repos[repo].id}",
        "name": name,
        "full_name": repo,
        "private": True,
        "owner": fake.user(owner),
        "html_url": f"{fake.web}/{repo}",
        "url": f"{fake.url}/repos/{repo}",
        "default_branch": fake.default_branch,
        "permissions": {"admin": False, "maintain": False, "push": writer, "triage": writer,
                        "pull": True},
    }  # fmt: skip


def _person() -> dict[str, str]:
    return {"name": "octocat", "email": "octocat@github.com", "date": "2026-01-05T12:00:00Z"}
