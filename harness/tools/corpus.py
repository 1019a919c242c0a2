"""The fixture corpus on disk: request cases, webhook payloads, the vendor's documented
examples (``fixtures/vendor/``), and loading payloads to check.

Request bodies may hold time placeholders, ``"{{now}}"`` or ``"{{now+1d}}"`` / ``"{{now-90s}}"``
(units ``s m h d``), that :func:`expand_placeholders` turns into ISO 8601 UTC instants, so the
corpus never goes stale.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from harness.clock import iso
from harness.tools.fixture_files import FIXTURES_DIR as FIXTURES_DIR  # re-exported, as are:
from harness.tools.fixture_files import WEBHOOK_FIXTURES as WEBHOOK_FIXTURES
from harness.tools.fixture_files import UnreadableInput as UnreadableInput
from harness.tools.fixture_files import read_json as read_json
from harness.tools.fixture_files import webhook_fixture as webhook_fixture

REQUEST_FIXTURES = FIXTURES_DIR / "requests"
VENDOR_FIXTURES = FIXTURES_DIR / "vendor"
VENDOR_KINDS = ("request", "response", "event", "error")
DB_SUFFIXES = (".sqlite3", ".sqlite", ".db")

_PLACEHOLDER = re.compile(r"^\{\{now(?:([+-])(\d+)([smhd]))?\}\}$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
#: The records below are named tuples, not dataclasses (``validate`` starts without
#: ``dataclasses`` and the ``inspect`` it imports); an absent mapping is this read-only one.
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def expand_placeholders(value: Any, now: datetime) -> Any:
    """A copy of ``value`` with every ``{{now±N<unit>}}`` string replaced by an instant."""
    if isinstance(value, dict):
        return {k: expand_placeholders(v, now) for k, v in value.items()}
    if isinstance(value, list):
        return [expand_placeholders(v, now) for v in value]
    if isinstance(value, str):
        match = _PLACEHOLDER.match(value)
        if match is not None:
            sign, amount, unit = match.groups()
            delta = timedelta(**{_UNITS[unit]: int(amount)}) if amount else timedelta()
            return iso(now - delta if sign == "-" else now + delta)
    return value


class RequestCase(NamedTuple):
    """One create-interview body and the answer it must get."""

    path: Path
    description: str
    key: str
    body: Any
    expect: dict[str, Any]


def load_request_cases(directory: Path = REQUEST_FIXTURES) -> list[RequestCase]:
    """Every ``*.json`` under ``directory`` (``valid/`` and ``invalid/``), sorted by path."""
    cases = []
    for path in sorted(directory.rglob("*.json")):
        doc = read_json(path)
        cases.append(RequestCase(path, doc["description"], doc["key"], doc["body"], doc["expect"]))
    return cases


class VendorExample(NamedTuple):
    """One JSON example of docs.instaview.sk (``fixtures/vendor/**/*.json``; fixtures/README.md
    describes the format). A request says the answer it gets (``expect``); the others the
    schema their ``body`` (at the JSON pointer ``at``) passes, None while ``pending``."""

    path: Path
    url: str
    section: str
    kind: str
    body: Any
    schema: str | None = None
    at: str = ""
    envelope: bool = False
    route: str | None = None
    params: Mapping[str, str] = _EMPTY
    key: str = "acme"
    config: Mapping[str, Any] = _EMPTY
    base: dict[str, Any] | None = None
    expect: Mapping[str, Any] = _EMPTY
    placeholders: Sequence[dict[str, Any]] = ()
    pending: str | None = None

    @property
    def checked(self) -> Any:
        """The part of ``body`` that ``schema`` checks."""
        return pointed(self.body, self.at)


def pointed(document: Any, pointer: str) -> Any:
    """The value at an RFC 6901 JSON pointer (``""`` is the document itself)."""
    for part in [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]:
        document = document[int(part)] if isinstance(document, list) else document[part]
    return document


def is_vendor_example(doc: Any) -> bool:
    return isinstance(doc, dict) and {"source", "kind", "body"} <= doc.keys()


def vendor_example(path: Path, doc: dict[str, Any]) -> VendorExample:
    if doc["kind"] not in VENDOR_KINDS:
        raise UnreadableInput(f"{path}: kind must be one of {', '.join(VENDOR_KINDS)}")
    fields = ("schema", "at", "envelope", "route", "params", "key", "config", "base", "expect")
    return VendorExample(
        path=path,
        url=doc["source"]["url"],
        section=doc["source"]["section"],
        kind=doc["kind"],
        body=doc["body"],
        placeholders=list(doc.get("placeholders", [])),
        pending=doc.get("pending"),
        **{k: doc[k] for k in fields if k in doc},
    )


def load_vendor_examples(directory: Path = VENDOR_FIXTURES) -> list[VendorExample]:
    """Every example under ``directory``, sorted by path."""
    return [vendor_example(p, read_json(p)) for p in sorted(directory.rglob("*.json"))]


class Payload(NamedTuple):
    """One webhook payload to check or send; ``label`` is the expected violation, if any;
    ``schema`` the schema it must follow when the file names one (a vendor example's)."""

    source: str
    body: Any
    raw: bytes | None = None
    label: dict[str, str] | None = None
    extra: Mapping[str, Any] = _EMPTY
    schema: str | None = None


def is_labelled(doc: Any) -> bool:
    """A fixture wrapper ``{"violation": {...}, "payload": {...}}`` rather than a raw payload."""
    return isinstance(doc, dict) and "payload" in doc and "violation" in doc


def vendor_payloads(example: VendorExample) -> list[Payload]:
    """What ``validate`` checks of a vendor example: its body (at ``at``) against its schema,
    and the whole body against the success envelope when it is one; nothing for a request or
    a pending example (a request's check is the mock's answer: tests/test_vendor_corpus.py)."""
    if example.kind == "request" or example.schema is None:
        return []
    source = str(example.path)
    where = f"{source} {example.at}" if example.at else source
    out = [Payload(where, example.checked, schema=example.schema)]
    if example.envelope:
        out.append(Payload(source, example.body, schema="envelope"))
    return out


def payloads_in_file(path: Path) -> list[Payload]:
    """A raw payload, a labelled wrapper, a vendor example, or a JSON array of the first two."""
    doc = read_json(path)
    if is_vendor_example(doc):
        return vendor_payloads(vendor_example(path, doc))
    items = doc if isinstance(doc, list) else [doc]
    out = []
    for index, item in enumerate(items):
        source = f"{path}#{index}" if isinstance(doc, list) else str(path)
        if is_labelled(item):
            out.append(Payload(source, item["payload"], label=item["violation"]))
        else:
            out.append(Payload(source, item))
    return out


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; directories as their ``*.json`` files, recursively, sorted."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(path.rglob("*.json")))
        elif path.exists():
            out.append(path)
        else:
            raise UnreadableInput(f"{path}: no such file or directory")
    return out


def load_payloads(paths: Iterable[Path]) -> list[Payload]:
    """Every payload in the given files, directories and capture databases, in order."""
    out: list[Payload] = []
    for path in expand_paths(paths):
        if path.suffix in DB_SUFFIXES:
            from harness.tools.captured import payloads_in_db

            out.extend(payloads_in_db(path))
        else:
            out.extend(payloads_in_file(path))
    return out
