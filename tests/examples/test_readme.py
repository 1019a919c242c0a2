"""Every README example runs: each fenced ``python`` block preceded by a marker comment
``<!-- example: GROUP/FILE.py -->`` is written as FILE.py into a fresh directory per GROUP, and
each group runs in a pytest sub-session with the plugin loaded by its entry point."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.plugin_support import USER_INI

README = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLE = re.compile(
    r"<!-- example: (?P<group>[\w-]+)/(?P<file>[\w-]+\.py) -->\s*\n```python\n(?P<code>.*?)```",
    re.S,
)


def examples() -> dict[str, dict[str, str]]:
    groups: dict[str, dict[str, str]] = {}
    for match in EXAMPLE.finditer(README.read_text()):
        groups.setdefault(match["group"], {})[match["file"]] = match["code"]
    return groups


TEST = re.compile(r"^(?:async )?def test_", re.M)

GROUPS = examples()


def test_the_readme_has_its_examples_and_every_python_block_is_one() -> None:
    assert set(GROUPS) >= {"async", "sync", "handler", "faults"}
    text = README.read_text()
    section = text[text.index("## Using it from your test suite") :]
    assert section.count("```python") == sum(len(files) for files in GROUPS.values())


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_readme_example(pytester: pytest.Pytester, group: str) -> None:
    pytester.makeini(USER_INI)
    for name, code in GROUPS[group].items():
        pytester.path.joinpath(name).write_text(code)
    tests = sum(len(TEST.findall(code)) for code in GROUPS[group].values())
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(passed=tests)
