"""The command line starts light: ``--help``, ``validate`` and ``trigger`` import only what they
use (the import graph is checked, not a time: CLI start time is measured in docs/decisions.md)."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from harness._data import fixtures_dir

HEAVY = ("aiohttp", "pydantic", "jsonschema", "jsonschema_rs", "referencing", "yaml")

#: Modules (exact names) that the light commands keep out, each for what it costs to import
#: (docs/decisions.md, "CLI start time"): the standard library's HTTP client (it imports the
#: email package and ssl), asyncio, importlib.resources (zipfile behind it).
LIGHT_OUT = ("http.client", "ssl", "asyncio", "importlib.resources", "zipfile")
#: ``--help`` builds the parsers only: no signing (hashlib, hmac), no dataclasses (inspect).
HELP_OUT = (
    *LIGHT_OUT,
    "email",
    "dataclasses",
    "inspect",
    "hashlib",
    "hmac",
    "uuid",
    "harness.delivery.signing",
    "harness.tools.send",
    "harness.schemas",
    "harness.domain.enums",
)
#: ``validate`` of valid payloads: the compiled engine alone, records that are named tuples,
#: nothing that sends.
VALIDATE_OUT = (
    *LIGHT_OUT,
    "dataclasses",
    "inspect",
    "harness.delivery.signing",
    "harness.tools.send",
    "sqlite3",
)
#: ``trigger``: one blocking request over a socket, records that are named tuples.
TRIGGER_OUT = (
    *LIGHT_OUT,
    "email",
    "dataclasses",
    "inspect",
    "harness.delivery.webhooks",
    "harness.tools.corpus",
    "harness.tools.replay",
    "harness.schemas",
    "sqlite3",
)

#: Runs ``harness.cli.main(argv)`` and prints, last, which heavy packages and which of the
#: watched modules got imported.
PROBE = """
import json, sys
from harness.cli import main
try:
    code = main(json.loads(sys.argv[1]))
except SystemExit as exc:
    code = exc.code
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(json.loads(sys.argv[2])))
watched = sorted(set(sys.modules) & set(json.loads(sys.argv[3])))
print(json.dumps({"code": code, "heavy": heavy, "watched": watched}))
"""


def probe(
    argv: list[str], heavy: tuple[str, ...] = HEAVY, watch: tuple[str, ...] = ()
) -> tuple[int, list[str], list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(heavy), json.dumps(watch)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    last = json.loads(done.stdout.strip().splitlines()[-1])
    return last["code"], last["heavy"], last["watched"]


def imported(argv: list[str], heavy: tuple[str, ...] = HEAVY) -> tuple[int, list[str]]:
    code, found, _ = probe(argv, heavy)
    return code, found


@contextmanager
def listener(answer: bytes = b"HTTP/1.1 204 No Content\r\n\r\n") -> Iterator[str]:
    """A loopback handler that reads one request and answers it; yields its URL."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(30)

    def serve() -> None:
        with contextlib.suppress(OSError), server.accept()[0] as conn:
            conn.settimeout(30)
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536) or b"\r\n\r\n"
            conn.sendall(answer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/hook"
    finally:
        thread.join(30)
        server.close()


@pytest.mark.parametrize("argv", [["--help"], ["serve", "--help"], ["trigger", "--help"]])
def test_help_imports_none_of_the_heavy_packages(argv: list[str]) -> None:
    assert imported(argv) == (0, [])


def test_help_leaves_out_signing_dataclasses_and_the_http_client() -> None:
    assert probe(["--help"], watch=HELP_OUT) == (0, [], [])
    assert probe(["trigger", "--help"], watch=HELP_OUT) == (0, [], [])


def test_validating_a_valid_payload_needs_the_compiled_engine_only() -> None:
    event = fixtures_dir() / "webhooks" / "ping.json"
    assert imported(["validate", str(event)]) == (0, ["jsonschema_rs"])


def test_validate_leaves_out_dataclasses_what_sends_and_importlib_resources() -> None:
    event = fixtures_dir() / "webhooks" / "ping.json"
    assert probe(["validate", str(event)], watch=VALIDATE_OUT) == (0, ["jsonschema_rs"], [])


def test_an_invalid_payload_loads_the_detailed_engine_for_its_report(tmp_path: Path) -> None:
    invalid = tmp_path / "bad.json"
    invalid.write_text('{"event": "ping"}')
    code, heavy = imported(["validate", str(invalid)])
    assert code == 1
    assert {"jsonschema", "referencing"} <= set(heavy) and "aiohttp" not in heavy


def test_trigger_sends_without_aiohttp_the_schema_engines_or_an_event_loop() -> None:
    # port 9 (discard) on loopback refuses: the command reports no answer, exit 1
    code, heavy = imported(
        ["trigger", "ping", "--to", "http://127.0.0.1:9/hook", "--scheme", "none"],
        (*HEAVY, "asyncio"),
    )
    assert (code, heavy) == (1, [])


def test_trigger_leaves_out_the_http_client_dataclasses_and_the_corpus() -> None:
    argv = ["trigger", "ping", "--to", "http://127.0.0.1:9/hook", "--scheme", "none"]
    assert probe(argv, watch=TRIGGER_OUT) == (1, [], [])


def test_a_delivered_trigger_imports_no_more() -> None:
    with listener() as url:
        argv = ["trigger", "ping", "--to", url, "--scheme", "none"]
        assert probe(argv, (*HEAVY, "asyncio"), TRIGGER_OUT) == (0, [], [])


def test_a_signed_trigger_adds_only_the_signing() -> None:
    secret = "ab" * 32
    with listener(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n") as url:
        argv = ["trigger", "analysis.completed", "--to", url, "--secret", secret]
        code, heavy, watched = probe(argv, HEAVY, (*TRIGGER_OUT, "hmac"))
    assert (code, heavy, watched) == (0, [], ["hmac"])


def test_an_https_target_is_where_the_http_client_loads() -> None:
    argv = ["trigger", "ping", "--to", "https://127.0.0.1:9/hook", "--scheme", "none"]
    assert probe(argv, watch=("http.client", "ssl", "dataclasses")) == (
        1,
        [],
        ["http.client", "ssl"],
    )


def test_import_harness_alone_loads_nothing_heavy() -> None:
    probe = "import sys, harness; print(sorted({m.split('.')[0] for m in sys.modules}))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert not set(json.loads(done.stdout.replace("'", '"'))) & set(HEAVY)


def test_the_public_names_still_import_from_the_package() -> None:
    import harness

    for name in harness.__all__:
        assert getattr(harness, name).__name__ == name
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = harness.nope  # type: ignore[attr-defined]
    assert set(harness.__all__) <= set(dir(harness))
