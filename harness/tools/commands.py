"""The QA subcommands of ``instaview-harness``: validate, replay, trigger, matrix.

:mod:`harness.cli` calls :func:`add_parsers` and, for these commands, :func:`run`; each command
turns its flags into arguments of a library function in :mod:`harness.tools`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, cast

from harness.delivery.schemes import SCHEMES, Scheme

if TYPE_CHECKING:
    from harness.tools.send import Target

COMMANDS = frozenset({"validate", "replay", "trigger", "matrix"})


def _target_flags(p: argparse.ArgumentParser, schemes: tuple[str, ...] = SCHEMES) -> None:
    p.add_argument("--to", required=True, metavar="URL", help="the handler's URL")
    p.add_argument("--secret", metavar="HEX", help="the 64-hex signingSecret (or whsec_…)")
    p.add_argument("--scheme", choices=schemes, default="standard", help="signature scheme")
    p.add_argument("--allow-remote", action="store_true", help="allow a non-loopback --to host")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("validate", help="check payload files or a capture database")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help=".json, dir or .sqlite3")
    p.add_argument(
        "--strict",
        action="store_true",
        help="check the harness's own emissions exactly, not only what the vendor documents",
    )

    p = sub.add_parser("replay", help="send payloads to a handler, re-signed now")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=".json files or dirs")
    _target_flags(p)
    p.add_argument("--from-db", type=Path, metavar="DB", help="also replay a capture database")
    p.add_argument("--report", type=Path, metavar="FILE", help="junit .xml or .json report")
    p.add_argument("--concurrency", type=int, default=4, metavar="N")
    p.add_argument(
        "--expect",
        default="accepted",
        metavar="WHAT",
        help="what each answer must be: accepted (2xx, the default), rejected (4xx), corpus "
        "(labelled invalid payloads 4xx, the others 2xx; also walks into invalid/) or a status",
    )

    p = sub.add_parser("trigger", help="send one realistic signed event")
    p.add_argument("event", metavar="EVENT", help="e.g. analysis.completed")
    _target_flags(p)
    p.add_argument("--set", action="append", default=[], dest="overrides", metavar="PATH=VALUE")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--is-test", action="store_const", const=True, dest="is_test")
    mode.add_argument("--live", action="store_const", const=False, dest="is_test")

    p = sub.add_parser("matrix", help="signature matrix: forged and genuine deliveries")
    _target_flags(p, (*SCHEMES[:2], "both"))


def _target(args: argparse.Namespace) -> Target:
    from harness.tools.send import Target

    scheme = "standard" if args.scheme == "both" else args.scheme
    return Target(args.to, args.secret, cast(Scheme, scheme))


def run(args: argparse.Namespace) -> int:
    """Runs one QA command; raises ``HarnessError`` / ``ValueError`` on bad input. Each
    imports what it needs here, so ``--help`` loads none of it."""
    if args.command == "validate":
        from harness.tools import validate

        return validate.run(args.paths, strict=args.strict)
    from harness.tools.send import check_target

    check_target(_target(args), args.allow_remote)  # before any event loop starts
    if args.command == "trigger":  # one blocking request: no event loop, no asyncio import
        from harness.delivery.event_names import parse_event
        from harness.tools import trigger

        parse_event(args.event)  # an unknown name fails here, before anything is built

        return trigger.run(
            args.event,
            _target(args),
            args.overrides,
            args.is_test,
            allow_remote=args.allow_remote,
        )
    import asyncio

    if args.command == "replay":
        from harness.tools import replay

        return asyncio.run(
            replay.run(
                args.paths,
                _target(args),
                from_db=args.from_db,
                report_path=args.report,
                concurrency=args.concurrency,
                allow_remote=args.allow_remote,
                expect=args.expect,
            )
        )
    from harness.tools import matrix

    schemes: tuple[Scheme, ...] = ("standard", "hex") if args.scheme == "both" else (args.scheme,)
    return asyncio.run(
        matrix.run(args.to, args.secret or "", schemes, allow_remote=args.allow_remote)
    )
