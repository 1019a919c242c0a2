"""The JSON Schemas in ``schemas/``, loaded once into a registry; validation gives violations.

Every schema file carries an ``$id`` under :data:`BASE_URI`; a schema is named by its path below
``schemas/`` without ``.json`` (``interview``, ``events/analysis.completed``).

Two levels of verdict, one source: ``<name>`` is the **vendor** level (what docs.instaview.sk
documents: the fields it always shows required, others checked when present, extra fields
allowed); ``strict/<name>``, where it exists, ``$ref``s it and adds what the harness's own
emissions always are (every field present, no other, times in UTC with milliseconds).
:meth:`SchemaSet.verdict` checks either level; a violation says which level found it.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import jsonschema_rs

if TYPE_CHECKING:  # the detailed engine loads on the first invalid document (or registry use)
    from jsonschema import Draft202012Validator
    from referencing import Registry

from harness._data import schemas_dir
from harness.errors import ConfigError

SCHEMAS_DIR = schemas_dir()
BASE_URI = "https://instaview-harness.local/schemas/"
#: Where the strict profile's schemas live, below ``schemas/``.
STRICT = "strict/"
VENDOR_LEVEL = "vendor"
STRICT_LEVEL = "strict"


class Violation(NamedTuple):
    """One schema violation, as schemathesis reports them."""

    message: str
    instance_path: str
    schema_path: str
    keyword: str
    #: The level whose schema found it: ``vendor`` or ``strict``.
    level: str = VENDOR_LEVEL

    def as_dict(self) -> dict[str, str]:
        return {
            "message": self.message,
            "instancePath": self.instance_path,
            "schemaPath": self.schema_path,
            "keyword": self.keyword,
            "level": self.level,
        }

    def __str__(self) -> str:
        where = f"{self.instance_path or '/'}: {self.message} (schema {self.schema_path})"
        return where if self.level == VENDOR_LEVEL else f"{where} [{self.level}]"


def _pointer(parts: Any) -> str:
    return "".join(f"/{str(p).replace('~', '~0').replace('/', '~1')}" for p in parts)


class SchemaSet:
    """All schemas of one directory, with a validator per schema built on first use.

    Files are read as validators need them: the fast (Rust) validator of a schema fetches the
    files its ``$ref``s reach through a retriever, so ``validate`` of one event reads the ten
    files that checking an event needs, not all of them. :attr:`documents` (every file, each
    ``$id`` checked) loads the rest on first use."""

    def __init__(self, directory: Path = SCHEMAS_DIR) -> None:
        self.directory = directory
        self._loaded: dict[str, dict[str, Any]] = {}
        self._validators: dict[str, Draft202012Validator] = {}
        self._fast: dict[str, jsonschema_rs.Draft202012Validator] = {}

    def _read(self, name: str) -> dict[str, Any]:
        """The schema file ``name`` (read once); ``KeyError`` when there is none."""
        found = self._loaded.get(name)
        if found is not None:
            return found
        path = self._path(name)
        if path is None:
            raise KeyError(f"no schema named {name!r}; known: {', '.join(self.names)}")
        try:
            document = json.loads(path.read_text())
        except ValueError as exc:
            raise ConfigError(f"schema {path} is not JSON: {exc}") from exc
        if not isinstance(document, dict) or document.get("$id") != BASE_URI + name + ".json":
            raise ConfigError(f"schema {path} must have $id {BASE_URI}{name}.json")
        self._loaded[name] = document
        return document

    def _path(self, name: str) -> Path | None:
        """The file of the schema ``name``, if there is one (a name is a relative path)."""
        parts = name.split("/")
        if "" in parts or "." in parts or ".." in parts or "\\" in name:
            return None
        path = self.directory / f"{name}.json"
        return path if path.is_file() else None

    def _retrieve(self, uri: str) -> dict[str, Any]:
        """A ``$ref``'d file for the fast validator, by its ``$id``."""
        if not (uri.startswith(BASE_URI) and uri.endswith(".json")):
            raise ValueError(f"{uri} is not a schema of the harness (under {BASE_URI})")
        return self._read(uri.removeprefix(BASE_URI).removesuffix(".json"))

    def _compile(self, name: str) -> jsonschema_rs.Draft202012Validator:
        """The fast validator of ``name``; a file it reaches that is missing or broken raises
        what reading it raised (``KeyError``, :class:`ConfigError`), not the engine's wrapper."""
        failed: list[Exception] = []

        def retrieve(uri: str) -> dict[str, Any]:
            try:
                return self._retrieve(uri)
            except (KeyError, ValueError, ConfigError) as exc:
                failed.append(exc)
                raise

        try:
            return jsonschema_rs.Draft202012Validator(self._schema(name), retriever=retrieve)
        except jsonschema_rs.ValidationError:
            if failed:
                raise failed[0] from None
            raise

    @functools.cached_property
    def documents(self) -> dict[str, dict[str, Any]]:
        """Every schema of the directory by name, sorted (each file read once)."""
        names = [
            path.relative_to(self.directory).with_suffix("").as_posix()
            for path in sorted(self.directory.rglob("*.json"))
        ]
        return {name: self._read(name) for name in names}

    @functools.cached_property
    def registry(self) -> Registry[Any]:
        """The schemas as a ``referencing`` registry, for ``jsonschema`` (built on first use:
        valid documents never need it, so the CLI's ``validate`` starts without it)."""
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        resources = [
            (d["$id"], Resource.from_contents(d, DRAFT202012)) for d in self.documents.values()
        ]
        return Registry().with_resources(resources)

    @property
    def names(self) -> list[str]:
        return sorted(self.documents)

    def _schema(self, name: str) -> dict[str, Any]:
        """The schema ``name`` names: a file, or a part of one as ``<name>#<JSON pointer>``
        (``error#/$defs/error``), checked through a ``$ref`` to it."""
        base, hash_, fragment = name.partition("#")
        document = self._read(base)
        return {"$ref": f"{document['$id']}#{fragment}"} if hash_ else document

    def validator(self, name: str) -> Draft202012Validator:
        found = self._validators.get(name)
        if found is None:
            from jsonschema import Draft202012Validator

            found = Draft202012Validator(self._schema(name), registry=self.registry)
            self._validators[name] = found
        return found

    def is_valid(self, instance: Any, name: str) -> bool:
        """A fast yes/no from the compiled (Rust) validator of the same schema files.

        ``tests/test_schema_engines.py`` proves both engines agree on every fixture."""
        fast = self._fast.get(name)
        if fast is None:
            fast = self._compile(name)
            self._fast[name] = fast
        return bool(fast.is_valid(instance))

    def violations(self, instance: Any, name: str) -> list[Violation]:
        """Every violation of ``instance`` against schema ``name``, in a stable order.

        Valid documents (the common case) are settled by the fast validator; only invalid
        ones pay for ``jsonschema``'s detailed records."""
        if self.is_valid(instance, name):
            return []
        return self.detailed_violations(instance, name)

    def level_name(self, name: str, strict: bool) -> str:
        """The schema that checks ``name`` at a level: ``strict/<name>`` when ``strict`` and that
        schema exists, else ``name`` itself (a schema with one level, or a part of a schema
        named ``<name>#<pointer>``, is both)."""
        return STRICT + name if strict and self._exists(STRICT + name) else name

    def _exists(self, name: str) -> bool:
        return name in self._loaded or self._path(name) is not None

    def verdict(self, instance: Any, name: str, strict: bool = False) -> list[Violation]:
        """The violations of ``instance`` at the vendor level of ``name``, or at the strict level
        when ``strict``: a document that breaks the vendor level gets those violations (level
        ``vendor``: real breakage), one that only breaks the strict profile gets the strict
        ones (level ``strict``). The valid case costs one fast check at either level."""
        strict_name = self.level_name(name, strict)
        if strict_name == name or self.is_valid(instance, strict_name):
            return self.violations(instance, name) if strict_name == name else []
        return self.violations(instance, name) or self.detailed_violations(instance, strict_name)

    def detailed_violations(self, instance: Any, name: str) -> list[Violation]:
        """Every violation, always computed by ``jsonschema`` (no fast path)."""
        level = STRICT_LEVEL if name.startswith(STRICT) else VENDOR_LEVEL
        errors = sorted(
            self.validator(name).iter_errors(instance),
            key=lambda e: (list(map(str, e.absolute_path)), list(map(str, e.schema_path))),
        )
        return [
            Violation(
                message=e.message,
                instance_path=_pointer(e.absolute_path),
                schema_path=_pointer(e.absolute_schema_path),
                keyword=str(e.validator),
                level=level,
            )
            for e in errors
        ]


@functools.cache
def default_schemas() -> SchemaSet:
    """The project's own schemas, loaded once per process (read-only after loading)."""
    return SchemaSet()
