"""The peers ``make bench-peers`` adds, both pinned in tools/node (``make node-tools``):
Prism 5 as a static mock with request validation (its defaults) of the harness's own OpenAPI
document, and WireMock 3 standalone (the jar the ``wiremock`` npm package ships, on the
machine's Java) with one static stub for ``POST /interviews``."""

from __future__ import annotations

import re
import shutil
import urllib.request
from pathlib import Path

from benchmarks.targets import harness_command, started

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "tools/node/node_modules"
#: WireMock's root directory: ``mappings/`` holds the one stub.
WIREMOCK_ROOT = Path(__file__).with_name("wiremock")
PRISM_READY = re.compile(r"Prism is listening on (http://127\.0\.0\.1:\d+)")
WIREMOCK_READY = re.compile(r"^port:\s+(\d+)")


def openapi_document(folder: Path) -> Path:
    """The OpenAPI document ``serve`` serves, saved for Prism."""
    with (
        started(harness_command("api", folder)) as api,
        urllib.request.urlopen(api.url + "/openapi.json", timeout=30) as answer,
    ):
        raw = answer.read()
    path = folder / "openapi.json"
    path.write_bytes(raw)
    return path


def _installed(path: Path) -> Path:
    if not path.exists():
        raise RuntimeError(f"{path} is missing: run make node-tools")
    return path


def prism_command(document: Path) -> list[str]:
    prism = _installed(NODE_MODULES / ".bin/prism")
    return [str(prism), "mock", "-h", "127.0.0.1", "-p", "0", str(document)]


def wiremock_command() -> list[str]:
    jars = sorted((_installed(NODE_MODULES / "wiremock/build")).glob("wiremock-standalone-*.jar"))
    java = shutil.which("java")
    if not jars or java is None:
        raise RuntimeError("WireMock needs its jar (make node-tools) and Java 17 or newer")
    return [
        java, "-jar", str(jars[-1]), "--bind-address", "127.0.0.1", "--port", "0",
        "--root-dir", str(WIREMOCK_ROOT), "--no-request-journal", "--disable-request-logging",
    ]  # fmt: skip
