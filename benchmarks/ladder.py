"""``make bench-ladder`` (``python -m benchmarks.ladder``): where a create's CPU goes, under wrk.

``make bench`` gives the API one figure: ``serve``'s whole create. The ladder takes that figure
apart into steps. Each step is a server of its own, started once, and the steps are measured
side by side in rounds, as ``make bench`` measures its targets (:mod:`benchmarks.rounds`):

- ``bare``: aiohttp answering a fixed 201, the framework's floor;
- ``stack``: ``serve`` whose ``POST /interviews`` reads the body and answers WireMock's stub
  body at once, so the harness's server, its four middlewares, its router and its guard, and
  nothing of the create;
- ``checked``: ``stack`` plus the key check (scopes, rate-limit headers) and the body
  validated against the contract (``CreateInterview``), answering the same fixed body;
- ``api``: ``serve`` itself, as ``make bench`` runs it (the twelve rules, four records, the
  test interview's analysis, rendering, retention);
- ``wiremock`` (``--peers``): WireMock 3's static stub, answering the same bytes.

Each row gives the CPU-µs a request costs the server and what the step adds over the one
before it. ``stack`` and ``checked`` are stand-ins no user runs: they show what a layer costs,
and are never judged (issue 12's targets are ``make bench``'s).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Handler

from benchmarks.measure import Figure, create_request, load, warm_up
from benchmarks.report import markdown
from benchmarks.rounds import combined, ratio
from benchmarks.targets import Running, bare_command, harness_command, scratch, started

#: The stub WireMock answers with (the harness's own 201 answer to the bench's create).
STUB = Path(__file__).parent / "wiremock" / "mappings" / "create-interview.json"
#: The steps in order, each with what it runs.
STEPS = {
    "bare": "bare aiohttp, fixed 201",
    "stack": "serve's server and middlewares, fixed 201",
    "checked": "+ key check, body validated, fixed 201",
    "api": "+ the create (serve, webhooks deleted)",
    "wiremock": "WireMock 3, one static stub",
}
#: The steps that are ``serve`` with its create cut down (:func:`handler`).
CUT = ("stack", "checked")


def stub_body() -> bytes:
    """The bytes WireMock's stub answers, so ``stack`` and ``checked`` answer the same."""
    mapping = json.loads(STUB.read_text())
    return json.dumps(mapping["response"]["jsonBody"]).encode()


def handler(step: str) -> Handler:
    """``POST /interviews`` for a cut-down step: ``stack`` reads the body and answers the stub;
    ``checked`` first authenticates (as a create does) and validates the body."""
    from harness.api.auth import authenticate
    from harness.api.body import read_model
    from harness.domain.requests import CreateInterview

    body = stub_body()

    async def stack(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(body=body, status=201, content_type="application/json")

    async def checked(request: web.Request) -> web.Response:
        authenticate(request, "write:interviews", "read:candidates", "read:agents")
        await read_model(request, CreateInterview)
        return web.Response(body=body, status=201, content_type="application/json")

    handlers = {"stack": stack, "checked": checked}
    if step not in handlers:
        raise ValueError(f"no cut-down step {step!r}; one of {', '.join(handlers)}")
    return handlers[step]


def step_command(step: str, folder: Path) -> list[str]:
    """``serve`` on the world without webhooks (as the ``api`` step), its create cut to
    ``step``: the same command line with ``--step`` in front."""
    serve = harness_command("api", folder)
    db = serve.index("--db")
    serve[db + 1] = str(folder / f"{step}.sqlite3")
    return [sys.executable, "-m", "benchmarks.ladder", "--step", step, *serve[3:]]


def _serve_cut(step: str, argv: Sequence[str]) -> int:
    """The child of a cut-down step: ``instaview-harness`` with ``POST /interviews`` replaced
    before the app is built (the route is registered from the module's ``create``)."""
    import harness.api.interviews
    from harness.cli import main

    harness.api.interviews.create = handler(step)  # type: ignore[assignment]
    return main(list(argv))


def run(with_peers: bool, rounds: int) -> list[Figure]:
    """Every step started once, then ``rounds`` rounds measuring each in turn."""
    folder = scratch()
    create = [create_request()]
    commands = {
        "bare": bare_command("bare"),
        **{step: step_command(step, folder) for step in CUT},
        "api": harness_command("api", folder),
    }
    runs: dict[str, list[Figure]] = {}
    with contextlib.ExitStack() as servers:
        running: dict[str, Running] = {
            name: servers.enter_context(started(command)) for name, command in commands.items()
        }
        if with_peers:
            from benchmarks import peers

            running["wiremock"] = servers.enter_context(
                started(peers.wiremock_command(), ready=peers.WIREMOCK_READY)
            )
        pids = [target.pid for target in running.values()]
        for index in range(rounds):
            for name, target in running.items():
                warm = warm_up(index, jit=name == "wiremock")
                others = [pid for pid in pids if pid != target.pid]
                figure = load(name, STEPS[name], target, create, 201, folder, warm, others)
                runs.setdefault(name, []).append(figure)
    return [combined(runs[name]) for name in STEPS if name in runs]


def table(figures: Sequence[Figure]) -> str:
    """Each step: req/s, CPU-µs per request, what it adds over the step before (the medians'
    difference), and its rate against bare's and WireMock's (round by round, median)."""
    found = {figure.name: figure for figure in figures}
    bare, wiremock = found.get("bare"), found.get("wiremock")
    rows: list[list[str]] = []
    before: Figure | None = None
    for figure in figures:
        adds = "-"
        if before is not None and figure.name != "wiremock":
            adds = f"{figure.cpu_us - before.cpu_us:+,.0f}"
        rows.append(
            [
                figure.name,
                figure.label,
                f"{figure.rps:,.0f}",
                f"{figure.cpu_us:,.0f}",
                adds,
                _times(figure, bare),
                _times(figure, wiremock),
                str(figure.errors),
            ]
        )
        if figure.name != "wiremock":
            before = figure
    head = ["step", "what runs", "req/s", "CPU-µs/req", "adds", "x bare", "x WireMock", "errors"]
    lines = markdown(head, rows, right=2)
    for figure in figures:
        lines += [f"- {figure.name}: {note}" for note in figure.notes]
    return "\n".join(lines)


def _times(figure: Figure, baseline: Figure | None) -> str:
    if baseline is None:
        return "-"
    found = ratio(figure, baseline)
    return "-" if found is None else f"{found:.2f}x"


def budget(figures: Sequence[Figure]) -> str | None:
    """Each step's CPU per request as a multiple of WireMock's: what a step spends of the
    whole budget a request may cost to match WireMock's rate (None without WireMock)."""
    found = {figure.name: figure for figure in figures}
    if "wiremock" not in found:
        return None
    spend = found["wiremock"].cpu_us
    over = [f"{n} {found[n].cpu_us / spend:.2f}x" for n in STEPS if n in found and n != "wiremock"]
    return f"CPU per request against WireMock's {spend:,.0f} µs: " + ", ".join(over)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--step"] and len(args) > 1:
        return _serve_cut(args[1], args[2:])
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ladder")
    parser.add_argument("--peers", action="store_true", help="also WireMock 3's static stub")
    parser.add_argument(
        "--rounds", type=int, default=3, choices=range(1, 11), metavar="1-10",
        help="rounds of every step (default 3)",
    )  # fmt: skip
    options = parser.parse_args(args)
    now = datetime.datetime.now(datetime.UTC)
    command = "make bench-ladder" if options.peers else "python -m benchmarks.ladder"
    print(f"{command}, {now:%Y-%m-%d %H:%M} UTC, {options.rounds} rounds", flush=True)
    figures = run(options.peers, options.rounds)
    print(table(figures))
    line = budget(figures)
    if line is not None:
        print(line)
    return 0 if all(figure.errors == 0 for figure in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
