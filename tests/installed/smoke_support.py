"""What the smoke tests share (a plain module: conftest.py holds only hooks and fixtures)."""

from __future__ import annotations

import asyncio
import base64
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: scripts/smoke-installed copies the checkout's README.md here.
README = HERE / "README.md"
#: The console script the wheel installed next to this venv's python.
CLI = Path(sys.executable).with_name("instaview-harness")
SECRET = "ab" * 32
COMMAND_TIMEOUT_S = 30


def whsec(secret: str) -> str:
    """What the official library takes: ``whsec_`` + base64 of the bytes the hex secret encodes
    (computed here, not by the harness, so the two are checked against each other)."""
    return "whsec_" + base64.b64encode(bytes.fromhex(secret)).decode()


async def run_cli(*args: str, cwd: Path) -> tuple[int, str, str]:
    """``instaview-harness ARGS`` as a user runs it: (exit code, stdout, stderr)."""
    process = await asyncio.create_subprocess_exec(
        CLI, *args, cwd=cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), COMMAND_TIMEOUT_S)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@dataclass
class Handler:
    """A webhook handler on loopback: ``POST /hook`` verifies the Standard Webhooks signature
    with the official library (401 if it fails) unless ``broken``, which accepts anything.
    ``answers`` is the status it gave each request, in order."""

    url: str = ""
    answers: list[int] = field(default_factory=list)


#: ``make_handler(broken=False)``, the fixture that starts one.
MakeHandler = Callable[..., Awaitable[Handler]]
