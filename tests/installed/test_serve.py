"""``instaview-harness serve`` from the wheel: the README's quick start, end to end."""

from __future__ import annotations

import asyncio
import json
import re
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
from smoke_support import CLI, README, run_cli, whsec
from standardwebhooks import Webhook

READY = re.compile(r"^ready api=(http://127\.0\.0\.1:\d+) receiver=(http://127\.0\.0\.1:\d+)\n$")
#: The quick start's ``curl``: its key and its body.
CURL = re.compile(
    r"curl -s -X POST http://127\.0\.0\.1:\d+/interviews \\\n"
    r"\s*-H 'Authorization: Bearer (?P<key>\w+)'.*?-d '(?P<body>\{.*?\})'",
    re.S,
)
EVENTS = ("interview.completed", "analysis.completed")
WAIT_S = 10


def _quick_start() -> tuple[str, dict[str, Any]]:
    found = CURL.search(README.read_text())
    assert found, "the README's quick start curl"
    return found["key"], json.loads(found["body"])


async def _captures(http: aiohttp.ClientSession, receiver: str, interview_id: str) -> list[Any]:
    """Each of EVENTS for the interview, through the receiver's long-poll (no polling)."""
    captures = []
    for event in EVENTS:
        params = {"event": event, "interviewId": interview_id, "timeout": str(WAIT_S)}
        waited = await http.get(f"{receiver}/events/wait", params=params)
        assert waited.status == 200, await waited.text()
        captures.append(await waited.json())
    return captures


@asynccontextmanager
async def _serving(cwd: Path) -> AsyncIterator[tuple[str, str]]:
    """``serve --port 0 --receiver-port 0`` in ``cwd``: (api, receiver) from its ready line; on
    leaving, SIGTERM and a clean exit 0."""
    proc = await asyncio.create_subprocess_exec(
        CLI,
        *("serve", "--port", "0", "--receiver-port", "0"),
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 20)).decode()
        ready = READY.match(line)
        assert ready, line
        yield ready[1], ready[2]
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 20) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_serve_captures_both_signed_events_of_the_readme_test_interview(
    tmp_path: Path,
) -> None:
    key, body = _quick_start()
    assert key == "sk_test_acme_full_0000000000000000" and body["isTest"] is True
    timeout = aiohttp.ClientTimeout(total=WAIT_S + 5)
    async with (
        _serving(tmp_path) as (api, receiver),
        aiohttp.ClientSession(timeout=timeout) as http,
    ):
        created = await http.post(
            f"{api}/interviews", json=body, headers={"Authorization": f"Bearer {key}"}
        )
        assert created.status == 201, await created.text()
        interview = (await created.json())["data"]
        assert interview["status"] == "COMPLETED"
        captures = await _captures(http, receiver, interview["id"])
        hooks = (await (await http.get(f"{api}/_harness/webhooks")).json())["data"]["items"]
        secret = next(h["signingSecret"] for h in hooks if h["url"].endswith("/hooks/acme"))
        for capture in captures:
            assert capture["channel"] == "acme"
            assert (capture["signature"], capture["schemaErrors"]) == ("valid", [])
            raw = await (await http.get(f"{receiver}/events/{capture['id']}/raw")).read()
            # the official library agrees with the receiver's verdict
            Webhook(whsec(secret)).verify(raw, capture["headers"])
            assert json.loads(raw)["data"]["isTest"] is True
        inspector = await http.get(f"{receiver}/")  # the inspector's page is package data
        assert inspector.status == 200 and "<html" in (await inspector.text()).lower()
        openapi = await http.get(f"{api}/openapi.json")  # built from schemas/openapi.yaml
        assert openapi.status == 200
        await openapi.read()  # unread, the connection outlives the session: ResourceWarning
    database = tmp_path / ".harness" / "harness.sqlite3"  # the default --db, in the working dir
    code, out, err = await run_cli("validate", str(database), cwd=tmp_path)
    assert (code, out) == (0, "2 payload(s) checked: all valid\n"), err
