"""``instaview-harness replay``: sends fixture or captured payloads to a handler, re-signed at
send time (fresh timestamp; ``webhook-id`` = the payload's ``deliveryId`` when it has one, else
a new id per send), and reports each answer (status, latency); JUnit XML or JSON reports."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from xml.etree import ElementTree as ET

if TYPE_CHECKING:
    import aiohttp

from harness.errors import ConfigError
from harness.tools.captured import payloads_in_db
from harness.tools.corpus import Payload, load_payloads
from harness.tools.expect import (
    ACCEPTED,
    CORPUS,
    INVALID_DIR,
    expected_for,
    parse_expect,
    replay_files,
)
from harness.tools.progress import Progress
from harness.tools.send import (
    USER_AGENT,
    SendResult,
    Target,
    check_target,
    delivery_id_of,
    encode,
    post,
    signed_headers,
)


@dataclass
class ReplayReport:
    url: str
    results: list[SendResult] = field(default_factory=list)

    @property
    def failures(self) -> list[SendResult]:
        return [r for r in self.results if not r.ok]

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        good = len(self.results) - len(self.failures)
        if all(r.expected == "2xx" for r in self.results):
            counts = f"{good} 2xx, {len(self.failures)} not 2xx"
        else:
            counts = f"{good} as expected, {len(self.failures)} not as expected"
        return f"replayed {len(self.results)} payload(s) to {self.url}: {counts}"

    def as_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "total": len(self.results),
            "failed": len(self.failures),
            "results": [r._asdict() | {"ok": r.ok} for r in self.results],
        }

    def as_junit(self) -> bytes:
        suite = ET.Element(
            "testsuite",
            name="instaview-harness replay",
            tests=str(len(self.results)),
            failures=str(len(self.failures)),
            errors="0",
            time=f"{sum(r.latency_ms for r in self.results) / 1000:.3f}",
        )
        for r in self.results:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=r.event or "payload",
                name=r.source,
                time=f"{r.latency_ms / 1000:.3f}",
            )
            if not r.ok:
                failure = ET.SubElement(case, "failure", message=r.problem or "")
                failure.text = f"POST {self.url} deliveryId={r.delivery_id}: {r.problem}"
        xml: bytes = ET.tostring(suite, encoding="utf-8", xml_declaration=True)
        return xml


def write_report(report: ReplayReport, path: Path) -> None:
    """``.xml`` → JUnit XML, ``.json`` → JSON."""
    if path.suffix == ".xml":
        path.write_bytes(report.as_junit())
    elif path.suffix == ".json":
        path.write_text(json.dumps(report.as_json(), indent=2) + "\n")
    else:
        raise ConfigError(f"--report {path}: use a .xml (JUnit) or .json file name")


async def send_one(
    session: aiohttp.ClientSession, target: Target, payload: Payload, expected: str = "2xx"
) -> SendResult:
    body = payload.raw if payload.raw is not None else encode(payload.body)
    delivery_id = delivery_id_of(payload.body)
    headers = signed_headers(target, delivery_id, body)
    answer = await post(session, target.url, body, headers, target.timeout_s)
    event = payload.body.get("event") if isinstance(payload.body, dict) else None
    return SendResult(
        payload.source,
        event if isinstance(event, str) else None,
        delivery_id,
        answer.status,
        answer.latency_ms,
        answer.error,
        answer.truncated,
        expected,
    )


async def replay(
    payloads: Sequence[Payload],
    target: Target,
    *,
    concurrency: int = 4,
    progress: Progress | None = None,
    expect: str = ACCEPTED,
) -> ReplayReport:
    """Sends every payload (at most ``concurrency`` at once); results keep the input order;
    each answer is judged by ``expect`` (:mod:`harness.tools.expect`)."""
    if concurrency < 1:
        raise ConfigError("--concurrency must be at least 1")
    gate = asyncio.Semaphore(concurrency)

    async def one(session: aiohttp.ClientSession, payload: Payload) -> SendResult:
        async with gate:
            result = await send_one(session, target, payload, expected_for(expect, payload))
        if progress is not None:
            progress.advance(result.ok)
        return result

    import aiohttp

    async with aiohttp.ClientSession(headers={"User-Agent": USER_AGENT}) as session:
        results = await asyncio.gather(*(one(session, p) for p in payloads))
    return ReplayReport(target.url, list(results))


async def run(
    paths: Sequence[Path],
    target: Target,
    *,
    from_db: Path | None = None,
    report_path: Path | None = None,
    concurrency: int = 4,
    allow_remote: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
    expect: str = ACCEPTED,
) -> int:
    """The command: 0 when every answer was as ``expect`` says (2xx by default), 1
    otherwise; bad input raises."""
    out = out or sys.stdout
    err = err or sys.stderr
    check_target(target, allow_remote)
    if report_path is not None and report_path.suffix not in (".xml", ".json"):
        raise ConfigError(f"--report {report_path}: use a .xml (JUnit) or .json file name")
    # a vendor example of a response or an error is no webhook: only events are sent
    expect = parse_expect(expect)
    files, skipped = replay_files(paths, expect)
    if skipped:
        print(
            f"left out {skipped} file(s) below {INVALID_DIR}/ directories (made to be refused):"
            f" --expect {CORPUS} sends them expecting a 4xx",
            file=err,
        )
    payloads = [p for p in load_payloads(files) if (p.schema or "events/").startswith("events/")]
    if from_db is not None:
        payloads += payloads_in_db(from_db)
    if not payloads:
        raise ConfigError("nothing to replay: no payloads in the given paths")
    failing = "not 2xx" if expect == ACCEPTED else "not as expected"
    progress = Progress(len(payloads), err, failing=failing)
    report = await replay(
        payloads, target, concurrency=concurrency, progress=progress, expect=expect
    )
    for result in report.results:
        print(result.line(), file=out)
    progress.finish(report.summary())
    if report_path is not None:
        write_report(report, report_path)
    return 0 if report.ok else 1
