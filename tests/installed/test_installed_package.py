"""The package under test is the installed wheel, and its data files shipped inside it."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

import harness
from harness import _data

SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"]).resolve()


def _files(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_harness_is_imported_from_the_wheel_venv_not_the_checkout(checkout: Path) -> None:
    assert sys.prefix != sys.base_prefix, "the smoke suite runs in a venv"
    assert Path(harness.__file__).resolve().is_relative_to(SITE_PACKAGES / "harness")
    assert not Path.cwd().resolve().is_relative_to(checkout)
    from_checkout = [
        name
        for name, module in list(sys.modules.items())
        if getattr(module, "__file__", None)
        and Path(module.__file__).resolve().is_relative_to(checkout)
    ]
    assert from_checkout == []
    distribution = metadata.distribution("instaview-harness")
    assert "editable" not in (distribution.read_text("direct_url.json") or "")


def test_the_data_files_are_found_inside_site_packages() -> None:
    schemas, fixtures, static = _data.schemas_dir(), _data.fixtures_dir(), _data.static_dir()
    for directory in (schemas, fixtures, static):
        assert directory.resolve().is_relative_to(SITE_PACKAGES / "harness")
    assert (schemas / "events" / "event.json").is_file()
    assert (schemas / "openapi.yaml").is_file()
    assert (fixtures / "world.json").is_file()
    assert (fixtures / "webhooks" / "analysis.completed.json").is_file()
    assert (static / "index.html").is_file()


def test_every_tracked_data_file_of_the_checkout_ships_in_the_wheel(checkout: Path) -> None:
    shipped = {
        "schemas": _data.schemas_dir(),
        "fixtures": _data.fixtures_dir(),
        "harness/receiver/static": _data.static_dir(),
    }
    for source, installed in shipped.items():
        tracked = subprocess.run(
            ["git", "ls-files", "--", source],
            cwd=checkout,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.split()
        expected = {Path(p).relative_to(source).as_posix() for p in tracked}
        assert expected, source
        assert expected <= _files(installed), f"{source}: {sorted(expected - _files(installed))}"
