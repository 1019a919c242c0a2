"""``harness._data`` finds a data package's directory through its ``__path__`` (the command line
starts without ``importlib.resources``) and refuses what is not a directory on disk."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from harness import _data
from harness.errors import ConfigError


def test_the_data_directories_are_the_packages_directories() -> None:
    import harness._data.fixtures
    import harness._data.schemas

    import harness.receiver

    assert _data.schemas_dir() == Path(next(iter(harness._data.schemas.__path__)))
    assert _data.fixtures_dir() == Path(next(iter(harness._data.fixtures.__path__)))
    assert _data.static_dir() == Path(next(iter(harness.receiver.__path__)), "static")
    assert (_data.schemas_dir() / "events" / "event.json").is_file()


def test_a_package_that_is_not_installed_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"harness\._data\.nope is not installed"):
        _data._directory("harness._data.nope")


def test_a_module_that_is_no_package_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"harness\.errors is not a directory on disk"):
        _data._directory("harness.errors")


def test_a_missing_directory_below_a_package_is_refused() -> None:
    with pytest.raises(ConfigError, match="not a directory on disk"):
        _data._directory("harness.receiver", "nope")


def test_a_zipped_package_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "zipped.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("zipped_data/__init__.py", "")
        zipped.writestr("zipped_data/events/event.json", "{}")
    monkeypatch.syspath_prepend(str(archive))
    monkeypatch.delitem(sys.modules, "zipped_data", raising=False)
    with pytest.raises(ConfigError, match="zipped_data is not a directory on disk"):
        _data._directory("zipped_data")
