"""Package layout the build maps: the repository's ``schemas/`` and ``fixtures/`` ship inside the
package as ``harness._data.schemas`` and ``harness._data.fixtures``.

They stay at the top level as the single source (no committed copies); everything else about the
project is in pyproject.toml. Every directory below them becomes a (data) package so its files
are package data and an editable install maps them to the checkout too.
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup

ROOT = Path(__file__).parent
DATA = {"schemas": "harness._data.schemas", "fixtures": "harness._data.fixtures"}


def _data_packages() -> dict[str, str]:
    """``{package name: directory}`` for each data directory and every directory below it."""
    found = {}
    for top, package in DATA.items():
        for directory in [ROOT / top, *sorted((ROOT / top).rglob("*"))]:
            if directory.is_dir() and directory.name != "__pycache__":
                relative = directory.relative_to(ROOT / top).parts
                found[".".join([package, *relative])] = directory.relative_to(ROOT).as_posix()
    return found


DATA_PACKAGES = _data_packages()
CODE_PACKAGES = find_namespace_packages(include=["harness", "harness.*"], exclude=["*.__pycache__"])

setup(
    packages=[*CODE_PACKAGES, *DATA_PACKAGES],
    package_dir=DATA_PACKAGES,
    package_data={
        "harness.receiver.static": ["*.html", "*.css", "*.js"],
        **{name: ["*.json", "*.yaml", "*.md"] for name in DATA_PACKAGES},
    },
)
