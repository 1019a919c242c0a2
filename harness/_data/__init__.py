"""Where the package finds the files it reads at run time: the directory of a data package.

The build (``setup.py``) maps the repository's top-level ``schemas/`` and ``fixtures/`` into the
package as ``harness._data.schemas`` and ``harness._data.fixtures``; an editable install maps the
same names to the checkout. The inspector's page ships as ``harness/receiver/static``. Nothing
here walks up from ``__file__``: an installed wheel, run from any directory, finds its own data.

A data package's directory is its ``__path__`` (what :mod:`importlib.resources` reads too, for a
package on disk), so the command line starts without importing ``importlib.resources`` and the
zipfile machinery behind it; a package that is not a directory on disk (a zipped install) is
refused as before.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from harness.errors import ConfigError

SCHEMAS_PACKAGE = "harness._data.schemas"
FIXTURES_PACKAGE = "harness._data.fixtures"
STATIC_PACKAGE = "harness.receiver"


def _directory(package: str, *parts: str) -> Path:
    try:
        module = importlib.import_module(package)
    except ModuleNotFoundError as exc:
        raise ConfigError(f"the package data {package} is not installed: {exc}") from exc
    locations = list(getattr(module, "__path__", ()))
    if len(locations) != 1:  # a plain module, or a namespace package spread over directories
        raise ConfigError(f"the package data {package} is not a directory on disk: {locations}")
    found = Path(locations[0], *parts)
    if not found.is_dir():
        raise ConfigError(f"the package data {package} is not a directory on disk: {found}")
    return found


def schemas_dir() -> Path:
    """The JSON Schemas and ``openapi.yaml`` (the repository's ``schemas/``)."""
    return _directory(SCHEMAS_PACKAGE)


def fixtures_dir() -> Path:
    """The default world, request bodies and webhook payloads (the repository's ``fixtures/``)."""
    return _directory(FIXTURES_PACKAGE)


def static_dir() -> Path:
    """The event inspector's HTML, CSS and JS."""
    return _directory(STATIC_PACKAGE, "static")
