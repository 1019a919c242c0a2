"""The command line starts light: ``--help``, ``validate`` and ``trigger`` import only what they
use (the import graph is checked, not a time: CLI start time is measured in docs/decisions.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness._data import fixtures_dir

HEAVY = ("aiohttp", "pydantic", "jsonschema", "jsonschema_rs", "referencing", "yaml")

#: Runs ``harness.cli.main(argv)`` and prints, last, which heavy packages got imported.
PROBE = """
import json, sys
from harness.cli import main
try:
    code = main(json.loads(sys.argv[1]))
except SystemExit as exc:
    code = exc.code
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(json.loads(sys.argv[2])))
print(json.dumps({"code": code, "heavy": heavy}))
"""


def imported(argv: list[str], heavy: tuple[str, ...] = HEAVY) -> tuple[int, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(heavy)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    last = json.loads(done.stdout.strip().splitlines()[-1])
    return last["code"], last["heavy"]


@pytest.mark.parametrize("argv", [["--help"], ["serve", "--help"], ["trigger", "--help"]])
def test_help_imports_none_of_the_heavy_packages(argv: list[str]) -> None:
    assert imported(argv) == (0, [])


def test_validating_a_valid_payload_needs_the_compiled_engine_only() -> None:
    event = fixtures_dir() / "webhooks" / "ping.json"
    assert imported(["validate", str(event)]) == (0, ["jsonschema_rs"])


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
