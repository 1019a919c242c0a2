"""``instaview-harness listen`` as a process, and the receiver inside ``serve``'s runtime."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path

import aiohttp
import pytest

from harness.cli import main
from harness.config import HarnessConfig
from harness.delivery.signing import whsec
from harness.receiver.listen import secret_file, stable_secret
from harness.runtime import running
from tests.receiver_support import SECRET, fixture_body, signed_headers
from tests.support import ACME_KEY, full_inline_body


async def test_listen_prints_ready_captures_and_stops_on_sigint(tmp_path: Path) -> None:
    db = tmp_path / "listen.sqlite3"
    args = ["listen", "--port", "0", "--db", str(db), "--secret", SECRET, "--scheme", "hex"]
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "harness",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 20)).decode().strip()
        assert line == f"secret={SECRET} whsec={whsec(SECRET)}"  # before the first delivery
        line = (await asyncio.wait_for(proc.stdout.readline(), 20)).decode().strip()
        assert line.startswith("ready receiver=http://127.0.0.1:"), line
        url = line.removeprefix("ready receiver=")
        body = fixture_body("ping")
        async with aiohttp.ClientSession() as session:
            posted = await session.post(
                f"{url}/hooks/cli", data=body, headers=signed_headers("hex", body)
            )
            assert posted.status == 204
            listing = await (await session.get(f"{url}/events")).json()
        [item] = listing["items"]
        assert (item["event"], item["signature"]) == ("ping", "valid")
        proc.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(proc.wait(), 20) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert db.is_file()


async def test_listen_secret_auto_prints_the_same_stable_secret_on_every_run(
    tmp_path: Path,
) -> None:
    db = tmp_path / "auto.sqlite3"
    printed = []
    for _ in range(2):
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "harness",
            *["listen", "--port", "0", "--db", str(db), "--secret", "auto"],
            stdout=asyncio.subprocess.PIPE,
        )
        try:
            assert proc.stdout is not None
            line = (await asyncio.wait_for(proc.stdout.readline(), 20)).decode().strip()
            ready = (await asyncio.wait_for(proc.stdout.readline(), 20)).decode()
            assert ready.startswith("ready receiver=")
            printed.append(line)
            proc.send_signal(signal.SIGINT)
            assert await asyncio.wait_for(proc.wait(), 20) == 0
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    assert printed[0] == printed[1]
    secret = printed[0].split()[0].removeprefix("secret=")
    assert len(secret) == 64 and int(secret, 16) >= 0
    assert (tmp_path / "auto.sqlite3.secret").read_text().strip() == secret
    assert (tmp_path / "auto.sqlite3.secret").stat().st_mode & 0o077 == 0  # owner only


def test_the_stable_secret_of_a_database_is_made_once(tmp_path: Path) -> None:
    db = str(tmp_path / "sub" / "x.sqlite3")
    first = stable_secret(db)
    assert stable_secret(db) == first
    assert secret_file(db) == tmp_path / "sub" / "x.sqlite3.secret"
    assert secret_file(":memory:") == Path(".harness/listen.secret")


def test_a_damaged_stable_secret_file_is_refused_not_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "x.sqlite3"
    (tmp_path / "x.sqlite3.secret").write_text("not a secret\n")
    assert main(["listen", "--port", "0", "--db", str(db), "--secret", "auto"]) == 2
    assert "does not hold a 64-hex secret" in capsys.readouterr().err
    assert (tmp_path / "x.sqlite3.secret").read_text() == "not a secret\n"


def test_listen_refuses_a_bad_secret(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "x.sqlite3")
    assert main(["listen", "--port", "0", "--db", db, "--secret", "not-hex"]) == 2
    assert "--secret must be hex" in capsys.readouterr().err


async def test_serve_runtime_captures_the_mocks_deliveries(tmp_path: Path) -> None:
    config = HarnessConfig(db_path=str(tmp_path / "serve.sqlite3"))
    async with running(config) as run, aiohttp.ClientSession() as session:
        created = await session.post(
            f"{run.api_url}/interviews",
            json=full_inline_body(isTest=True),
            headers={"Authorization": f"Bearer {ACME_KEY}"},
        )
        assert created.status == 201
        interview = (await created.json())["data"]["id"]
        wait = await session.get(
            f"{run.receiver_url}/events/wait",
            params={"event": "analysis.completed", "interviewId": interview, "timeout": "20"},
        )
        assert wait.status == 200
        found = await wait.json()
        assert found["schemaErrors"] == []
        assert found["body"]["data"]["isTest"] is True
        listing = await (
            await session.get(f"{run.receiver_url}/events", params={"interviewId": interview})
        ).json()
        assert [i["event"] for i in listing["items"]] == [
            "interview.completed",
            "analysis.completed",
        ]
        assert json.dumps(listing)  # all of it is JSON


async def test_listening_in_process(tmp_path: Path) -> None:
    from harness.receiver.listen import listening

    config = HarnessConfig(db_path=str(tmp_path / "l.sqlite3"), signing_scheme="standard")
    async with listening(config, [SECRET]) as url, aiohttp.ClientSession() as session:
        body = fixture_body("interview.started")
        posted = await session.post(
            f"{url}/hooks/x", data=body, headers=signed_headers("standard", body)
        )
        assert posted.status == 204
        found = await (await session.get(f"{url}/events/wait", params={"timeout": "5"})).json()
        assert (found["signature"], found["schemaErrors"]) == ("valid", [])


async def test_listening_strictly_flags_what_only_the_strict_profile_finds(tmp_path: Path) -> None:
    from harness.receiver.listen import listening

    config = HarnessConfig(db_path=str(tmp_path / "s.sqlite3"), strict_schemas=True)
    doc = json.loads(fixture_body("interview.started"))
    doc["timestamp"] = "2024-01-20T14:30:00Z"  # RFC 3339, but not the harness's own form
    async with listening(config) as url, aiohttp.ClientSession() as session:
        posted = await session.post(f"{url}/hooks/x", json=doc)
        assert posted.status == 204
        found = await (await session.get(f"{url}/events/wait", params={"timeout": "5"})).json()
    assert [(e["instancePath"], e["level"]) for e in found["schemaErrors"]] == [
        ("/timestamp", "strict")
    ]


def test_serve_and_listen_take_strict_schemas() -> None:
    from harness.cli import build_parser, serve_config

    parser = build_parser()
    assert serve_config(parser.parse_args(["serve", "--strict-schemas"])).strict_schemas
    assert not serve_config(parser.parse_args(["serve"])).strict_schemas
    assert parser.parse_args(["listen", "--strict-schemas"]).strict_schemas
