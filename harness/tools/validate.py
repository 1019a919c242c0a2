"""``instaview-harness validate``: payload files, directories or a capture database against the
event schemas; every violation printed with its instance path, message and schema path.

By default payloads are checked at the vendor level (what docs.instaview.sk documents: real
captures from production pass); ``--strict`` checks the harness's own emissions exactly, and a
violation only the strict profile finds is marked ``[strict]``."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple, TextIO

from harness.schemas import SchemaSet, Violation, default_schemas
from harness.tools.corpus import Payload, UnreadableInput, load_payloads

EVENT_SCHEMA = "events/event"


class Finding(NamedTuple):
    source: str
    violation: Violation

    def __str__(self) -> str:
        return f"{self.source}: {self.violation}"


class ValidationReport:
    """What a validation found: payloads checked and every violation (a plain class, as the
    records here are named tuples: ``validate`` starts without ``dataclasses``)."""

    def __init__(self, checked: int = 0, findings: list[Finding] | None = None) -> None:
        self.checked = checked
        self.findings: list[Finding] = [] if findings is None else findings

    def __repr__(self) -> str:
        return f"ValidationReport(checked={self.checked}, findings={self.findings!r})"

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def invalid_sources(self) -> list[str]:
        return sorted({f.source for f in self.findings})

    def summary(self) -> str:
        if self.ok:
            return f"{self.checked} payload(s) checked: all valid"
        bad = len(self.invalid_sources)
        return (
            f"{self.checked} payload(s) checked: {bad} invalid, {len(self.findings)} violation(s)"
        )


def validate_payloads(
    payloads: Iterable[Payload],
    schemas: SchemaSet | None = None,
    schema: str = EVENT_SCHEMA,
    strict: bool = False,
) -> ValidationReport:
    """Every violation of every payload (labelled wrappers are checked like any payload), at the
    vendor level or, with ``strict``, at the strict level (:meth:`SchemaSet.verdict`)."""
    schemas = schemas or default_schemas()
    report = ValidationReport()
    for payload in payloads:
        report.checked += 1
        named = payload.schema or schema  # a vendor example names its own
        for violation in schemas.verdict(payload.body, named, strict=strict):
            report.findings.append(Finding(payload.source, violation))
    return report


def validate_paths(
    paths: Iterable[Path], schemas: SchemaSet | None = None, strict: bool = False
) -> ValidationReport:
    """Raises :class:`UnreadableInput` when a path cannot be read."""
    return validate_payloads(load_payloads(paths), schemas, strict=strict)


def run(
    paths: Iterable[Path],
    out: TextIO | None = None,
    err: TextIO | None = None,
    strict: bool = False,
) -> int:
    """The command: 0 when clean, 1 on any violation, 2 on unreadable input."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        report = validate_paths(paths, strict=strict)
    except UnreadableInput as exc:
        print(f"instaview-harness validate: {exc}", file=err)
        return 2
    for finding in report.findings:
        print(finding, file=out)
    print(report.summary(), file=out)
    return 0 if report.ok else 1
