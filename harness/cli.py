"""``instaview-harness``: parses flags into a config and calls library functions; nothing else.

Only the standard library is imported until a command runs (each command imports what it
needs), so ``--help``, ``validate`` and ``trigger`` start without aiohttp or pydantic.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from harness.errors import ConfigError
from harness.load.command import COMMANDS as LOAD_COMMANDS
from harness.load.command import add_parsers as add_load_parsers
from harness.load.command import run as run_load_command
from harness.tools.commands import COMMANDS as TOOL_COMMANDS
from harness.tools.commands import add_parsers as add_tool_parsers

if TYPE_CHECKING:
    from harness.config import HarnessConfig

DESCRIPTION = """\
A local, offline stand-in for the Instaview API and its signed webhooks: run the mock API and
a webhook receiver, check and replay payloads, send signed events to your own handler.
"""
EPILOG = """\
Run 'instaview-harness COMMAND --help' for a command's flags. Docs: README.md (usage),
docs/contract.md (what is emulated and how), docs/decisions.md."""


def _serve_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("serve", help="start the mock API and the receiver")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080, help="mock API port (0 = any free port)")
    p.add_argument("--receiver-port", type=int, default=8081, help="receiver port (0 = any)")
    p.add_argument("--envelope", choices=["wrapped", "bare"], default="wrapped")
    p.add_argument("--create-status", type=int, choices=[200, 201], default=201)
    p.add_argument("--signing-scheme", choices=["standard", "hex", "none"], default="standard")
    p.add_argument("--retry-schedule", default=None, help="seconds before each retry, e.g. 1,5,30")
    p.add_argument("--allow-remote-webhooks", action="store_true")
    _allow_host(p)
    p.add_argument("--enforce-rate-limits", action="store_true")
    p.add_argument(
        "--world", type=Path, default=None, help="world file (JSON; default: the seeded world)"
    )
    p.add_argument("--db", default=".harness/harness.sqlite3", help="capture database")
    p.add_argument("--demo", action="store_true", help="print keys and a curl after starting")
    p.add_argument(
        "--delivery-mode",
        default="",
        help="failure injection for every webhook: duplicate,out-of-order (comma-separated)",
    )
    p.add_argument("--delivery-delay-ms", type=int, default=0, help="delay every delivery")
    p.add_argument(
        "--shutdown-grace",
        type=float,
        default=None,
        metavar="SECONDS",
        help="at shutdown, wait this long for deliveries in flight (default 5)",
    )
    _strict_flag(p)
    _receiver_flags(p)
    _cap(p, "--max-interviews", "interviews the mock keeps (oldest finished evicted)", 5000)
    _cap(p, "--max-deliveries", "delivery attempts the log keeps", 20000)


def _cap(p: argparse.ArgumentParser, flag: str, what: str, default: int) -> None:
    p.add_argument(
        flag,
        type=_count,
        default=None,
        metavar="N",
        help=f"{what}; 0 = no limit (default {default})",
    )


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def _receiver_flags(p: argparse.ArgumentParser) -> None:
    """The receiver's limits, on ``serve`` and ``listen``."""
    p.add_argument(
        "--read-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="seconds a request may take to send its headers, and again its body (default 10)",
    )
    p.add_argument(
        "--max-waits",
        type=int,
        default=None,
        metavar="N",
        help="receiver long-polls and streams open at once; more are a 503 (default 1000)",
    )
    _cap(p, "--max-captures", "captures the receiver keeps (in memory: 10000)", 100000)


def _limits(args: argparse.Namespace) -> dict[str, object]:
    """The config values of the limit flags given (0 = no limit: None in the config)."""
    values: dict[str, object] = {}
    if args.read_timeout is not None:
        values["read_timeout_s"] = args.read_timeout
    if args.max_waits is not None:
        values["max_waits"] = args.max_waits
    if args.max_captures is not None:
        cap = args.max_captures or None
        values["max_memory_captures"] = values["max_disk_captures"] = cap
    for flag, field in (
        ("max_interviews", "max_interviews"),
        ("max_deliveries", "max_delivery_attempts"),
    ):
        given = getattr(args, flag, None)
        if given is not None:
            values[field] = given or None
    return values


def _allow_host(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer to this Host name (behind a proxy); repeat for several",
    )


def _strict_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--strict-schemas",
        action="store_true",
        help="the receiver's verdict also checks the harness's own emissions exactly",
    )


def _listen_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("listen", help="start the webhook receiver alone")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8081, help="receiver port (0 = any free port)")
    p.add_argument(
        "--secret",
        action="append",
        default=[],
        help="verify signatures with this secret (64 hex or whsec_...); 'auto': this database's "
        "stable secret, made on first use; repeat for several. Each is printed before 'ready'",
    )
    p.add_argument("--scheme", choices=["standard", "hex", "none"], default="standard")
    p.add_argument("--db", default=".harness/harness.sqlite3", help="capture database")
    _allow_host(p)
    p.add_argument(
        "--forward-to",
        default=None,
        metavar="URL",
        help="also POST each capture to this handler and answer with its status",
    )
    _strict_flag(p)
    _receiver_flags(p)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="instaview-harness",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title="commands")
    _serve_parser(sub)
    _listen_parser(sub)
    add_tool_parsers(sub)
    add_load_parsers(sub)
    return parser


def serve_config(args: argparse.Namespace) -> HarnessConfig:
    from harness.config import HarnessConfig, parse_retry_schedule
    from harness.delivery.modes import parse_delivery_modes

    values: dict[str, object] = {
        "host": args.host,
        "port": args.port,
        "receiver_port": args.receiver_port,
        "envelope": args.envelope,
        "create_status": args.create_status,
        "signing_scheme": args.signing_scheme,
        "allow_remote_webhooks": args.allow_remote_webhooks,
        "allow_hosts": tuple(args.allow_host),
        "enforce_rate_limits": args.enforce_rate_limits,
        "db_path": args.db,
        "strict_schemas": args.strict_schemas,
        **_limits(args),
    }
    if args.world is not None:
        values["world_path"] = args.world
    if args.retry_schedule is not None:
        values["retry_schedule"] = parse_retry_schedule(args.retry_schedule)
    if args.shutdown_grace is not None:
        values["shutdown_grace_s"] = args.shutdown_grace
    values["delivery_modes"] = parse_delivery_modes(args.delivery_mode, args.delivery_delay_ms)
    return HarnessConfig.model_validate(values)


def _listen(args: argparse.Namespace) -> None:
    import asyncio

    from harness.config import HarnessConfig
    from harness.receiver.forward import check_forward_url
    from harness.receiver.listen import listen_forever, resolve_secrets

    values = {
        "host": args.host,
        "receiver_port": args.port,
        "db_path": args.db,
        "allow_hosts": tuple(args.allow_host),
        "strict_schemas": args.strict_schemas,
        **_limits(args),
    }
    config = HarnessConfig.model_validate({**values, "signing_scheme": args.scheme})
    if args.forward_to is not None:
        check_forward_url(args.forward_to)
    secrets = resolve_secrets(args.secret, args.db)
    asyncio.run(listen_forever(config, secrets, args.forward_to))


def _serve(args: argparse.Namespace) -> None:
    import asyncio

    from harness.runtime import serve_forever

    asyncio.run(serve_forever(serve_config(args), banner=args.demo))


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command in TOOL_COMMANDS:
            from harness.tools.commands import run as run_tool

            return run_tool(args)
        if args.command in LOAD_COMMANDS:
            return run_load_command(args)
        if args.command == "serve":
            _serve(args)
        elif args.command == "listen":
            _listen(args)
    except (ConfigError, ValueError, OSError) as exc:  # pydantic's ValidationError too
        print(f"instaview-harness: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
