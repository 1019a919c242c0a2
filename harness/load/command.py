"""The ``load`` and ``locustfile`` subcommands of ``instaview-harness``: flags to a
:class:`~harness.load.run.LoadPlan` and a delivery factory; the report to stdout (and JSON)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from harness.delivery.schemes import SCHEMES
from harness.errors import ConfigError

COMMANDS = frozenset({"load", "locustfile"})
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def _positive_float(name: str) -> Callable[[str], float]:
    def parse(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a number, got {value!r}") from None
        if not number > 0 or number == float("inf"):
            raise argparse.ArgumentTypeError(f"{name} must be more than 0, got {value!r}")
        return number

    return parse


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("load", help="drive a webhook handler at a fixed rate of signed deliveries")
    p.add_argument("--to", required=True, metavar="URL", help="the handler's URL")
    p.add_argument("--secret", metavar="HEX", help="the 64-hex signingSecret (or whsec_…)")
    p.add_argument("--scheme", choices=SCHEMES, default="standard", help="signature scheme")
    p.add_argument(
        "--rate", required=True, type=_positive_float("--rate"), metavar="N", help="per second"
    )
    p.add_argument(
        "--duration",
        type=_positive_float("--duration"),
        default=10.0,
        metavar="S",
        help="seconds of arrivals (default 10)",
    )
    p.add_argument(
        "--events", default="", metavar="E,...", help="event types to send (default: all)"
    )
    p.add_argument(
        "--concurrency", type=int, default=256, metavar="C", help="most deliveries in flight"
    )
    p.add_argument(
        "--timeout",
        type=_positive_float("--timeout"),
        default=10.0,
        metavar="S",
        help="per delivery (default 10)",
    )
    p.add_argument("--report", type=Path, metavar="FILE.json", help="also write the report here")
    p.add_argument("--allow-remote", action="store_true", help="allow a non-loopback --to host")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")

    sub.add_parser("locustfile", help="print the path of the Locust user class file")


def run(args: argparse.Namespace) -> int:
    """Runs one command; raises ``ConfigError`` / ``ValueError`` on bad input (exit 2)."""
    if args.command == "locustfile":
        print(LOCUSTFILE)
        return 0
    # Imported here, not at the top: ``--help`` and the other commands start without aiohttp.
    import asyncio

    from harness.load.payloads import DeliveryFactory, load_templates
    from harness.load.report import check_report_path, write_report
    from harness.load.run import LoadPlan, run_load
    from harness.tools.send import Target, check_target

    check_target(Target(args.to, args.secret, args.scheme), args.allow_remote)
    check_report_path(args.report)
    plan = LoadPlan(args.to, args.rate, args.duration, args.concurrency, args.timeout)
    plan.check()
    events = [e.strip() for e in args.events.split(",") if e.strip()]
    if args.events and not events:
        raise ConfigError("--events names no event")
    factory = DeliveryFactory(load_templates(events), args.scheme, args.secret or "")
    report = asyncio.run(run_load(plan, factory.build, None if args.quiet else sys.stderr))
    print(report.summary())
    if args.report is not None:
        write_report(report, args.report)
    return 0 if report.failed == 0 else 1
