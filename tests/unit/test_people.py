"""`[serve]`, `[[person]]` and roles: who may connect, and what each person may change,
from the CLI (`--me`, `$PULLBOARD_ME`) as from the board (`tests/tui/test_roles.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pullboard import config, insights
from pullboard.cli import main
from pullboard.errors import ConfigError
from pullboard.model import Insight

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIP7nBINTPV58cgzuT7HXnB87WYxuq7ZTokx/3p30WWz7 a@laptop"
OTHER = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBB5Cq2sOkNBbSXWkREVRYC1t1qn+1z39QVcG0SPDR5A"
SOURCE = '[[source]]\nname = "shop"\nkind = "github"\nrepo = "acme/shop"\n'
ISSUE = "https://github.com/acme/shop/issues/12"


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "shared").mkdir(exist_ok=True)
    path = tmp_path / "config.toml"
    path.write_text(
        f'[board]\nme = "lee"\ninsights = "shared/insights.toml"\n\n{SOURCE}\n{text}',
        encoding="utf-8",
    )
    return path


PEOPLE = f"""
[serve]
listen = "127.0.0.1:2299"
max_sessions = 3

[[person]]
name = "lee"
keys = ["{KEY}"]
role = "lead"

[[person]]
name = "sam"
keys = ["{OTHER}"]

[[person]]
name = "vic"
keys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFoH8BC1K8qJWM/Gw39jrb78i7K63kD2tnmVHj5Clyg/"]
role = "viewer"
"""


def test_serve_and_people_load(tmp_path: Path) -> None:
    loaded = config.load(write(tmp_path, PEOPLE))
    assert loaded.serve == config.ServeConfig(listen="127.0.0.1:2299", max_sessions=3)
    assert [(p.name, p.role) for p in loaded.people] == [
        ("lee", "lead"),
        ("sam", "member"),  # the role when none is given
        ("vic", "viewer"),
    ]
    assert loaded.people[0].keys == (" ".join(KEY.split()[:2]),), "the comment is dropped"
    assert loaded.role == "lead"
    assert config.listen_address(":2222") == ("", 2222)
    assert config.listen_address("[::1]:22") == ("::1", 22)
    assert config.listen_address("host:99999") is None


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ('[serve]\nlisten = "2222"\n', "serve.listen", ["HOST:PORT"]),
        ("[serve]\nidle_minutes = -1\n", "serve.idle_minutes", ["0 (never)"]),
        ("[serve]\nport = 2222\n", "serve.port", ["unknown key", "listen"]),
        ('[[person]]\nname = "x"\nkeys = ["ssh-ed25519 AAAA"]\n', "person[0].keys", ["cut short"]),
        ('[[person]]\nname = "x"\n', "person[0].keys", ["missing", "id_ed25519.pub"]),
        (
            '[[person]]\nname = "x"\nkeys = ["-----BEGIN OPENSSH PRIVATE KEY----- b3Blbn"]\n',
            "person[0].keys",
            ["private key"],
        ),
        (f'[[person]]\nname = "x"\nkeys = ["{KEY}"]\nrole = "boss"\n', "person[0].role", ["lead"]),
        (f'[[person]]\nkeys = ["{KEY}"]\n', "person[0].name", ["expected a name"]),
    ],
    ids=["listen", "idle", "unknown", "short-key", "no-keys", "private-key", "role", "no-name"],
)
def test_serve_and_people_mistakes_name_file_line_and_key(
    tmp_path: Path, text: str, key: str, words: list[str]
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        config.load(path)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{path}, line ") and f": {key}: " in problem, problem
    assert all(word in problem for word in words), problem
    assert "b3Blbn" not in problem, "a pasted private key is never echoed"


def test_one_key_names_one_person(tmp_path: Path) -> None:
    twice = f'[[person]]\nname = "a"\nkeys = ["{KEY}"]\n[[person]]\nname = "b"\nkeys = ["{KEY}"]\n'
    with pytest.raises(ConfigError, match=r"person\[1\]\.keys: this key is person\[0\]'s too"):
        config.load(write(tmp_path, twice))


def test_roles_decide_who_changes_what(tmp_path: Path) -> None:
    path = tmp_path / "insights.toml"
    lead = insights.Writer(path, "lee", "lead")
    draft = Insight(id="", on="board", title="Freeze Friday", author="lee")
    pinned = lead.pin(draft)
    member = insights.Writer(path, "sam", "member")
    member.ack(pinned.id, pinned.created)  # type: ignore[arg-type]
    viewer = insights.Writer(path, "vic", "viewer")
    for writer, action in ((member, "pin"), (member, "unpin"), (viewer, "ack"), (viewer, "pin")):
        reason = writer.refusal(action)  # type: ignore[arg-type]
        assert reason is not None and writer.role in reason and writer.user in reason
    with pytest.raises(insights.Refused, match="vic is a viewer on this board, so can't acknowl"):
        viewer.ack(pinned.id, pinned.created)  # type: ignore[arg-type]
    with pytest.raises(insights.Refused, match="members may acknowledge insights"):
        member.unpin(pinned.id)
    (stored,) = insights.load(path).insights
    assert set(stored.acks) == {"sam"}
    assert insights.Writer(path, "root").refusal("unpin") is None, "unlisted: not limited"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_me_and_pullboard_me_choose_the_person_and_so_the_role(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = str(write(tmp_path, PEOPLE))
    code, out, err = run(capsys, "pin", ISSUE, "--title", "Ship", "--config", cfg)
    assert code == 0, err
    new_id = out.strip()
    code, _, err = run(capsys, "ack", new_id, "--config", cfg, "--me", "vic")
    assert code == 1
    assert "vic is a viewer on this board, so can't acknowledge insights: viewers only read" in err
    monkeypatch.setenv("PULLBOARD_ME", "vic")
    code, _, err = run(capsys, "unpin", new_id, "--config", cfg)
    assert code == 1 and "vic is a viewer" in err
    code, _, err = run(capsys, "ack", new_id, "--config", cfg, "--me", "lee")
    assert code == 0 and "lee acknowledged" in err, "--me wins over $PULLBOARD_ME"
    monkeypatch.setenv("PULLBOARD_ME", "ghp_" + "a1" * 18)
    code, _, err = run(capsys, "ack", new_id, "--config", cfg)
    assert code == 2 and "$PULLBOARD_ME: expected a user name" in err and "ghp_" not in err
    (stored,) = insights.load(tmp_path / "shared" / "insights.toml").insights
    assert set(stored.acks) == {"lee"}
