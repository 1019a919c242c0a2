"""A :class:`~harness.schemas.SchemaSet` reads schema files as validators need them: checking one
event reads the files its ``$ref``s reach (``validate`` starts without reading all of them),
while ``documents`` still loads, and checks, every file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema_rs
import pytest

from harness._data import fixtures_dir
from harness.errors import ConfigError
from harness.schemas import BASE_URI, SCHEMAS_DIR, SchemaSet
from harness.tools.corpus import read_json

PING = read_json(fixtures_dir() / "webhooks" / "ping.json")


def test_checking_an_event_reads_only_the_files_it_reaches() -> None:
    schemas = SchemaSet()
    assert schemas.verdict(PING, "events/event") == []
    read = set(schemas._loaded)
    assert {"events/event", "events/ping", "defs"} <= read
    every = {
        p.relative_to(SCHEMAS_DIR).with_suffix("").as_posix() for p in SCHEMAS_DIR.rglob("*.json")
    }
    assert len(read) < len(every) / 4, sorted(read)
    assert "documents" not in vars(schemas)  # the full load has not happened


def test_the_strict_level_reads_its_own_files_when_asked() -> None:
    schemas = SchemaSet()
    assert schemas.verdict(PING, "events/event", strict=True) == []
    assert "strict/events/event" in schemas._loaded
    assert "documents" not in vars(schemas)


def test_an_invalid_event_is_still_reported_in_detail() -> None:
    schemas = SchemaSet()
    found = schemas.verdict({**PING, "event": "nope"}, "events/event")
    assert found and all(v.level == "vendor" for v in found)


def test_documents_loads_every_file_once() -> None:
    schemas = SchemaSet()
    schemas.is_valid(PING, "events/event")
    first = schemas._loaded["defs"]
    every = {
        p.relative_to(SCHEMAS_DIR).with_suffix("").as_posix() for p in SCHEMAS_DIR.rglob("*.json")
    }
    assert set(schemas.documents) == every == set(schemas.names)
    assert schemas.documents["defs"] is first


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "schemas"
    shutil.copytree(SCHEMAS_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def test_a_file_without_its_id_is_refused_when_it_is_read(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    defs = directory / "defs.json"
    defs.write_text(json.dumps({**json.loads(defs.read_text()), "$id": "elsewhere"}))
    schemas = SchemaSet(directory)  # nothing is read yet
    with pytest.raises(ConfigError, match=f"must have \\$id {BASE_URI}defs.json"):
        schemas.is_valid(PING, "events/event")  # reaches defs
    with pytest.raises(ConfigError, match=r"defs\.json must have"):
        _ = SchemaSet(directory).documents


def test_a_file_that_is_not_json_is_refused_when_it_is_read(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    (directory / "events" / "ping.json").write_text("{nope")
    with pytest.raises(ConfigError, match=r"ping\.json is not JSON"):
        SchemaSet(directory).is_valid(PING, "events/event")


@pytest.mark.parametrize("name", ["nope", "../schemas/defs", "events//event", "./defs", "defs\\x"])
def test_a_name_that_is_no_file_below_the_directory_is_unknown(name: str) -> None:
    schemas = SchemaSet()
    with pytest.raises(KeyError, match="no schema named"):
        schemas.is_valid({}, name)
    assert schemas.level_name(name, strict=True) == name


def test_a_ref_to_a_file_that_is_not_there_names_the_file(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    (directory / "events" / "ping.json").unlink()
    with pytest.raises(KeyError, match="no schema named 'events/ping'"):
        SchemaSet(directory).is_valid(PING, "events/event")


def test_the_fast_engine_fetches_nothing_outside_the_harness_schemas() -> None:
    schemas = SchemaSet()
    with pytest.raises(ValueError, match="not a schema of the harness"):
        schemas._retrieve("https://example.com/schema.json")
    with pytest.raises(ValueError, match="not a schema of the harness"):
        schemas._retrieve(BASE_URI + "defs.yaml")
    assert schemas._retrieve(BASE_URI + "defs.json")["$id"] == BASE_URI + "defs.json"


def test_a_pointer_into_nothing_is_the_engines_own_error() -> None:
    with pytest.raises(jsonschema_rs.ValidationError, match="does not exist"):
        SchemaSet().is_valid({}, "defs#/$defs/nope")
