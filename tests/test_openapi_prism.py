"""Prism 5 (``prism proxy --errors``, installed by ``make node-tools``) relays the README's
requests to a live harness, checking every request and answer against the served OpenAPI
document: none violates it, and every answer is the harness's own."""

from __future__ import annotations

import json
import os
import re
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.served import serve, stop, wait_for_line

PRISM = Path(__file__).resolve().parents[1] / "tools/node/node_modules/.bin/prism"
KEY = "sk_test_acme_full_0000000000000000"
LISTENING = re.compile(r"Prism is listening on (http://127\.0\.0\.1:\d+)")
#: The body of the README's quick-start curl.
README_INTERVIEW = {
    "candidate": {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com",
                  "gdprExpiryDate": "2030-01-01"},
    "agent": {"name": "Screening call", "focus": "SCREENING"},
    "job": {"title": "Backend Engineer", "description": "Builds the services behind hiring."},
    "isTest": True,
}  # fmt: skip


def _call(base: str, method: str, path: str, body: Any = None) -> tuple[int, Any, Any]:
    headers = {} if path.startswith("/_harness") else {"Authorization": f"Bearer {KEY}"}
    data = None if body is None else json.dumps(body).encode()
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(base + path, data, headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, answer_headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            status, answer_headers, raw = error.code, error.headers, error.read()
    return status, answer_headers, json.loads(raw) if raw else None


@contextmanager
def prism_proxy(document: Path, upstream: str, log: Path) -> Iterator[str]:
    """``prism proxy --errors`` on a free loopback port (its log in a file, so a full pipe never
    blocks it) until the block ends."""
    command = [str(PRISM), "proxy", "--errors", "-h", "127.0.0.1", "-p", "0"]
    proc = subprocess.Popen(
        [*command, str(document), upstream],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield wait_for_line(proc, log, LISTENING)[1]
    finally:
        stop(proc)


class Relay:
    """Sends a request through Prism; checks Prism saw no violation and relayed the harness's
    answer (a GET outside the control API is also sent directly and must answer the same)."""

    def __init__(self, prism: str, api: str) -> None:
        self.prism, self.api = prism, api

    def __call__(self, method: str, path: str, body: Any = None, status: int = 200) -> Any:
        got, headers, answer = _call(self.prism, method, path, body)
        context = f"{method} {path} -> {got}, sl-violations: {headers.get('sl-violations')}"
        assert "sl-violations" not in headers, f"Prism saw a violation: {context} {answer}"
        assert got == status, f"{context} {answer}"
        if got != 204:
            assert headers["Content-Type"].startswith("application/json"), f"{context} {answer}"
        if method == "GET" and not path.startswith("/_harness"):
            direct = _call(self.api, method, path)[2]
            untimed = [{k: v for k, v in a.items() if k != "timestamp"} for a in (answer, direct)]
            assert untimed[0] == untimed[1], f"{context}: not what the harness answers directly"
        return answer.get("data", answer) if isinstance(answer, dict) else answer


@pytest.mark.timeout(180)
def test_prism_relays_the_readme_requests_without_a_violation(tmp_path: Path) -> None:
    if not PRISM.exists():
        missing = f"{PRISM} is missing: `make node-tools` installs it"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    with serve() as served:
        document = tmp_path / "openapi.json"
        with urllib.request.urlopen(served.api + "/openapi.json", timeout=30) as response:
            document.write_bytes(response.read())
        with prism_proxy(document, served.api, tmp_path / "prism.log") as prism:
            _readme_requests(Relay(prism, served.api), served.receiver)
            # Prism checks, not only relays: a body the document forbids never reaches the harness.
            got, _, problem = _call(prism, "POST", "/candidates", {"firstName": 5, "lastName": "L"})
            where = [violation["location"] for violation in problem["validation"]]
            assert got == 422 and ["body", "firstName"] in where, problem


def _readme_requests(relay: Relay, receiver: str) -> None:
    relay("GET", "/_harness/health")
    relay("GET", "/_harness/world")
    relay("GET", "/openapi.json")
    interview = relay("POST", "/interviews", README_INTERVIEW, status=201)
    assert interview["status"] == "COMPLETED" and interview["metadata"]["isTest"] is True
    assert relay("GET", f"/interviews/{interview['id']}") == interview
    relay("GET", f"/interviews?candidateId={interview['candidateId']}&status=COMPLETED")
    for path, body, patch in [
        ("/candidates", README_INTERVIEW["candidate"], {"status": "IN_PROCESS"}),
        ("/jobs", {**README_INTERVIEW["job"], "status": "OPEN"}, {"title": "Staff Engineer"}),
        ("/agents", README_INTERVIEW["agent"], {"name": "Second call"}),
    ]:
        made = relay("POST", path, body, status=201)
        assert relay("GET", f"{path}/{made['id']}") == made
        relay("GET", f"{path}?page=1&limit=5")
        relay("PATCH", f"{path}/{made['id']}", patch)
        relay("DELETE", f"{path}/{made['id']}")
    relay("GET", "/candidates?status=IN_PROCESS&search=ada")
    hook_body = {"url": f"{receiver}/hooks/prism", "events": ["interview.completed"]}
    hook = relay("POST", "/webhooks", hook_body, status=201)
    relay("GET", "/webhooks")
    relay("GET", f"/webhooks/{hook['id']}")
    relay("POST", f"/webhooks/{hook['id']}/reset-circuit")
    relay("DELETE", f"/webhooks/{hook['id']}", status=204)
    # Live interviews: one completed (the README's sync example), one scheduled, started, failed.
    live = relay("POST", "/interviews", {**README_INTERVIEW, "isTest": False}, status=201)
    relay("POST", f"/_harness/interviews/{live['id']}/complete", {"durationMinutes": 12})
    assert relay("GET", "/billing/usage")["totalMinutesUsed"] == 12
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    scheduled = {**README_INTERVIEW, "isTest": False, "scheduleTime": later}
    failing = relay("POST", "/interviews", scheduled, status=201)
    relay("POST", f"/_harness/interviews/{failing['id']}/start")
    fail = {"code": "CALL_FAILED", "message": "The candidate did not answer"}
    relay("POST", f"/_harness/interviews/{failing['id']}/fail", fail)
    relay("DELETE", f"/interviews/{failing['id']}")
    # The control API the README lists, and its fault example: two 503s, then the interview.
    relay("GET", "/_harness/deliveries")
    relay("GET", "/_harness/webhooks")
    harness_hook = relay("POST", "/_harness/webhooks", hook_body, status=201)
    modes = {"duplicate": True, "outOfOrder": True, "delayMs": 10}
    relay("POST", f"/_harness/webhooks/{harness_hook['id']}/modes", modes)
    relay("POST", "/_harness/modes", {"duplicate": False})
    fault = {"route": "POST /interviews", "burst": 2, "errorStatus": 503, "errorRate": 0, "seed": 7}
    relay("POST", "/_harness/faults", {**fault, "latencyMs": 0})
    for status in (503, 503, 201):
        relay("POST", "/interviews", README_INTERVIEW, status=status)
    relay("GET", "/_harness/faults")
    relay("DELETE", "/_harness/faults", status=204)
    relay("POST", "/_harness/reset")
