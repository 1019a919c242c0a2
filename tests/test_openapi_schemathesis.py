"""schemathesis v4 against the document exactly as served and the live harness.

Every operation runs through the examples, coverage, fuzzing and stateful (links) phases with
positive and negative data. The response checks must find nothing. The request-side checks
(``positive_data_acceptance``: a schema-valid request rejected; ``negative_data_rejection``: a
schema-violating one accepted) may only find the rules JSON Schema cannot state, each named in
:data:`BEYOND_JSON_SCHEMA` and recognised by the error the harness answers with.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.served import serve
from tests.support import ACME_KEY

BIN = Path(sys.executable).parent
RESPONSE_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
)
REQUEST_CHECKS = ("positive_data_acceptance", "negative_data_rejection")
#: schemathesis's codes for the request-side checks (everything else is a response finding).
VALID_REJECTED, INVALID_ACCEPTED = "ST202", "ST201"

#: Rules the harness enforces that JSON Schema cannot state: (field, message) of the 400 the
#: harness answers a schema-valid request with: time-relative, cross-field, state and config.
BEYOND_JSON_SCHEMA: dict[str, tuple[str, str]] = {
    "gdprExpiryDate in the future (time-relative)": (
        r"(candidate\.)?gdprExpiryDate",
        r"must be in the future",
    ),
    "scheduledAt within 30 days from now (time-relative)": (
        r"scheduledAt",
        r"must (be at most 30 days in the future|not be in the past)",
    ),
    "salary.min at most salary.max (cross-field)": (
        r"(job\.)?salary",
        r"salary\.min must not exceed salary\.max",
    ),
    "a PHONE agent names a phone number (cross-field)": (
        r"(agent\.)?companyPhoneNumberId",
        r"required when type is PHONE",
    ),
    "exactly one of candidateId/candidate and agentId/agent, jobId XOR job (cross-field)": (
        r"candidateId|candidate|agentId|agent|jobId|job|candidate\.jobId",
        r"exactly one of|mutually exclusive|combined with",
    ),
    "billing usage start not after end (cross-field)": (r"start", r"must not be after end"),
    "webhook URLs on loopback unless --allow-remote-webhooks (config)": (
        r"url",
        r"is not loopback; the harness delivers to localhost only",
    ),
    "a paging cursor is one the list gave out, not past its end (state)": (
        r"cursor",
        r"is not a cursor this list gave out|points past the end of the list",
    ),
    "a webhook is tested only when it subscribes to ping (state)": (
        r"events",
        r"does not subscribe to ping",
    ),
}

#: Injected faults make the API answer 5xx and wait up to a minute by design: they get a
#: harness of their own. schemathesis leaves out the document's own operation unless asked.
ISOLATED = ("harnessSetFault", "harnessListFaults", "harnessClearFaults", "openapi")

_BODY = re.compile(r"^\[400\] Bad Request:\s*`(?P<body>\{.*\})`", re.MULTILINE)


def _explained(text: str) -> list[str]:
    """The named rules a ST202 failure's 400 body matches ([] when it matches none)."""
    found = _BODY.search(text)
    if found is None:
        return []
    errors = json.loads(found["body"])["error"].get("details", {}).get("errors", [])
    return [
        name
        for name, (field, message) in BEYOND_JSON_SCHEMA.items()
        for error in errors
        if re.fullmatch(field, error["field"]) and re.search(message, error["message"])
    ]


def _schemathesis(api: str, report_dir: Path, *options: str) -> str:
    run = subprocess.run(
        [
            str(BIN / "schemathesis"),
            "run",
            f"{api}/openapi.json",
            f"--header=Authorization: Bearer {ACME_KEY}",
            "--checks=" + ",".join(RESPONSE_CHECKS + REQUEST_CHECKS),
            "--mode=all",
            "--max-examples=25",
            "--seed=20261202",
            "--continue-on-failure",
            "--workers=1",
            "--report=junit",
            f"--report-dir={report_dir}",
            "--no-color",
            *options,
        ],
        capture_output=True,
        text=True,
        timeout=500,
        check=False,
        cwd=report_dir,
    )
    return run.stdout


def _operations(api: str) -> dict[str, str]:
    """``{operationId: "METHOD /path"}`` of the document as served."""
    with urllib.request.urlopen(f"{api}/openapi.json", timeout=10) as answer:
        document = json.loads(answer.read())
    return {
        op["operationId"]: f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "patch", "put", "delete")
    }


#: What a client sees of a ``drop`` fault (schemathesis may inject one on any route): the
#: connection closed with no answer, by design (docs/decisions.md, faults after the work).
DROPPED = re.compile(r"Network Error.*Remote end closed connection without response", re.S)


def _findings(report_dir: Path, faults: bool = False) -> tuple[set[str], list[str]]:
    """The operations the report lists, and every finding no named rule explains (with
    ``faults``, a connection an injected ``drop`` fault closed is explained too)."""
    report = ET.parse(next(report_dir.glob("junit*.xml"))).getroot()
    tested = {case.get("name", "") for case in report.iter("testcase")}
    unexplained = []
    for case in report.iter("testcase"):
        for failure in case:
            for finding in re.split(r"\n(?=\d+\. Test Case ID:)", failure.text or ""):
                codes = set(re.findall(r"^- (ST\d+)\b", finding, re.MULTILINE))
                if codes == {VALID_REJECTED} and _explained(finding):
                    continue
                if faults and not codes and DROPPED.search(finding):
                    continue
                unexplained.append(f"{case.get('name')}:\n{finding[:1500]}")
    return tested, unexplained


@pytest.mark.timeout(600)
def test_every_operation_but_fault_injection_answers_as_documented(tmp_path: Path) -> None:
    with serve() as served:
        operations = _operations(served.api)
        excluded = [f"--exclude-operation-id={name}" for name in ISOLATED]
        stdout = _schemathesis(served.api, tmp_path, *excluded)
    tested, unexplained = _findings(tmp_path)
    expected = {route for name, route in operations.items() if name not in ISOLATED}
    assert expected <= tested, (expected - tested, stdout[-3000:])
    assert "Stateful tests" in tested
    assert not unexplained, "\n\n".join(unexplained) + "\n\n" + stdout[-2000:]


@pytest.mark.timeout(300)
def test_fault_injection_and_the_document_answer_as_documented(tmp_path: Path) -> None:
    with serve() as served:
        operations = _operations(served.api)
        included = [f"--include-operation-id={name}" for name in ISOLATED]
        stdout = _schemathesis(
            served.api, tmp_path, "--phases=examples,coverage,fuzzing", *included
        )
    tested, unexplained = _findings(tmp_path, faults=True)
    assert {operations[name] for name in ISOLATED} <= tested, stdout[-3000:]
    assert not unexplained, "\n\n".join(unexplained) + "\n\n" + stdout[-2000:]
