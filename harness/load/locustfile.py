"""A Locust user class sending the same fresh, signed deliveries as ``instaview-harness load``,
so one Locust master and any number of workers drive a webhook handler beyond one machine.

Loaded by Locust only (``pip install 'instaview-harness[locust]'``)::

    locust -f "$(instaview-harness locustfile)" --host http://HANDLER/path --instaview-secret HEX

``--host`` is the handler's full URL (each delivery is POSTed to it). Options of this file
(given to the master; Locust passes them on to its workers): ``--instaview-secret`` (or
``INSTAVIEW_SECRET``), ``--instaview-scheme``, ``--instaview-events`` and
``--instaview-rate`` (deliveries per second per user: users x rate is the target rate).
Each request is named by its event type in Locust's statistics; any answer but a 2xx fails.
"""

from __future__ import annotations

import inspect
import sys
from typing import Any

from locust import FastHttpUser, constant_throughput, events, task
from locust.env import Environment
from locust.runners import WorkerRunner

from harness.delivery.signing import SCHEMES, key_bytes
from harness.load.payloads import DeliveryFactory, load_templates


def _options(parser: Any) -> None:
    group = parser.add_argument_group("instaview-harness")
    group.add_argument(
        "--instaview-secret",
        env_var="INSTAVIEW_SECRET",
        default="",
        help="the handler's 64-hex signingSecret (or whsec_…)",
    )
    group.add_argument("--instaview-scheme", choices=SCHEMES, default="standard")
    group.add_argument("--instaview-events", default="", help="event types (default: all)")
    group.add_argument(
        "--instaview-rate", type=float, default=10.0, help="deliveries per second per user"
    )


def problems(options: Any) -> list[str]:
    """What is wrong with this file's options (empty when they can be used)."""
    found = []
    if options.instaview_scheme != "none":
        try:
            key_bytes(options.instaview_secret)
            if not options.instaview_secret:
                raise ValueError("empty")
        except ValueError:
            found.append("--instaview-secret must be 64 hex characters or whsec_…")
    if not options.instaview_rate > 0:
        found.append("--instaview-rate must be more than 0")
    try:
        load_templates(_event_names(options))
    except ValueError as exc:
        found.append(f"--instaview-events: {exc}")
    return found


def _event_names(options: Any) -> list[str]:
    return [e.strip() for e in options.instaview_events.split(",") if e.strip()]


def _check(environment: Environment, **_: Any) -> None:
    """The master (or a lone Locust) refuses bad options before any user starts; workers get
    theirs from the master."""
    if isinstance(environment.runner, WorkerRunner) or environment.parsed_options is None:
        return
    found = problems(environment.parsed_options)
    if found:
        for line in found:
            print(f"instaview-harness locustfile: {line}", file=sys.stderr)
        sys.exit(2)


def _warm_stop(environment: Environment, **_: Any) -> None:
    """Makes a worker's final report reach the master in time.

    When ``--run-time`` ends, the master sends ``quit`` and waits only 0.5 s for each worker's
    last statistics (locustio/locust#1426); a worker first runs ``Runner.stop()``, whose
    ``inspect.stack()`` scans every loaded module the first time it runs (0.1-0.5 s on a busy
    machine), so the counts of a worker's last seconds could miss the window. The same call
    here, in the greenlet that later handles ``quit``, fills inspect's caches at test start."""
    if isinstance(environment.runner, WorkerRunner):
        inspect.stack()


events.init_command_line_parser.add_listener(_options)  # type: ignore[no-untyped-call]
events.init.add_listener(_check)  # type: ignore[no-untyped-call]
events.test_start.add_listener(_warm_stop)  # type: ignore[no-untyped-call]


class WebhookDeliveries(FastHttpUser):
    """POSTs one fresh signed delivery per task, paced to ``--instaview-rate`` per second."""

    def on_start(self) -> None:
        options = self.environment.parsed_options
        assert options is not None
        self._pace = constant_throughput(options.instaview_rate)
        templates = load_templates(_event_names(options))
        self._factory = DeliveryFactory(
            templates, options.instaview_scheme, options.instaview_secret
        )

    def wait_time(self) -> float:
        return float(self._pace(self))

    @task
    def deliver(self) -> None:
        delivery = self._factory.build()
        with self.client.post(
            "",
            data=delivery.body,  # type: ignore[arg-type]
            headers=delivery.headers,
            name=delivery.event,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if not 200 <= (response.status_code or 0) < 300:
                response.failure(f"HTTP {response.status_code}")
            else:
                response.success()
