"""Every README example passes as a user's own test file: each marked snippet
(``<!-- example: GROUP/FILE.py -->`` before a ``python`` block, as tests/examples extracts them)
is written into a directory per group and run by this venv's pytest in its own process, so the
plugin is the installed one, loaded by its entry point, under the user's strict settings."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from smoke_support import README

EXAMPLE = re.compile(
    r"<!-- example: (?P<group>[\w-]+)/(?P<file>[\w-]+\.py) -->\s*\n```python\n(?P<code>.*?)```",
    re.S,
)
TEST = re.compile(r"^(?:async )?def test_", re.M)
#: The user's pytest settings: strict, every warning an error.
USER_INI = """[pytest]
addopts = --strict-markers -p no:cacheprovider
asyncio_default_fixture_loop_scope = function
filterwarnings = error
"""


def _groups() -> dict[str, dict[str, str]]:
    groups: dict[str, dict[str, str]] = {}
    for match in EXAMPLE.finditer(README.read_text()):
        groups.setdefault(match["group"], {})[match["file"]] = match["code"]
    return groups


GROUPS = _groups()


def test_the_readme_examples_were_found() -> None:
    assert set(GROUPS) >= {"async", "sync", "handler", "faults"}


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_readme_example_passes_against_the_installed_plugin(tmp_path: Path, group: str) -> None:
    (tmp_path / "pytest.ini").write_text(USER_INI)
    for name, code in GROUPS[group].items():
        (tmp_path / name).write_text(code)
    report = tmp_path / "junit.xml"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", f"--junitxml={report}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=45,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None
    expected = sum(len(TEST.findall(code)) for code in GROUPS[group].values())
    outcomes = {key: suite.get(key) for key in ("tests", "failures", "errors", "skipped")}
    assert outcomes == {"tests": str(expected), "failures": "0", "errors": "0", "skipped": "0"}
