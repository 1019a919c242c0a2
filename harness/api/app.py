"""The mock API's app factory."""

from __future__ import annotations

from aiohttp import web

from harness.clock import Clock, RealClock
from harness.config import HarnessConfig
from harness.domain.events import EventSink, RecordingSink
from harness.errors import ForeignRequest
from harness.guard import Refusal, RequestGuard, guard_middleware
from harness.serving import PROTOCOL_ERROR
from harness.store.memory import Store
from harness.store.world import World

from . import (
    billing,
    call_attempts,
    control,
    deliveries,
    injection,
    interviews,
    job_url,
    journal,
    openapi,
    webhook_ping,
    webhooks,
)
from .agents import AGENTS
from .candidates import CANDIDATES
from .faults import fault_middleware
from .jobs import JOBS
from .middleware import envelope_middleware, protocol_error
from .ratelimit import RateLimiter
from .state import CLOCK, CONFIG, LIMITER, SINK, STORE, WORLD


def _refuse(request: web.Request, refusal: Refusal) -> web.StreamResponse:
    """A request the guard refuses: the error envelope (``FOREIGN_HOST``/``FOREIGN_ORIGIN``)."""
    raise ForeignRequest(refusal.code.upper(), refusal.message, refusal.details)


def create_api_app(
    config: HarnessConfig | None = None,
    *,
    clock: Clock | None = None,
    sink: EventSink | None = None,
    world: World | None = None,
) -> web.Application:
    """A fresh mock API with the world seeded. Events go to ``sink`` (a recording list if None)."""
    config = config or HarnessConfig()
    clock = clock or RealClock()
    guard = RequestGuard(config.host, config.allow_hosts)
    # Room above the limit so that oversized bodies reach our handler and get the envelope.
    app = web.Application(
        middlewares=[
            journal.journal_middleware,
            envelope_middleware,
            guard_middleware(guard, _refuse),
            fault_middleware,
        ],
        client_max_size=config.max_body_bytes + 1,
    )
    app[CONFIG] = config
    app[PROTOCOL_ERROR] = protocol_error
    app[CLOCK] = clock
    app[SINK] = sink if sink is not None else RecordingSink()
    app[STORE] = Store(config.max_interviews)
    app[WORLD] = world or World.load(config.world_path)
    app[LIMITER] = RateLimiter(clock, enforce=config.enforce_rate_limits)
    app[control.RESET_HOOKS] = [app[LIMITER].reset]
    control.reset_world(app)
    for resource in (CANDIDATES, JOBS, AGENTS):
        resource.register(app)
    job_url.register(app)
    interviews.register(app)
    call_attempts.register(app)
    billing.register(app)
    control.register(app)
    webhooks.register(app)
    webhook_ping.register(app)
    deliveries.register(app)
    injection.register(app)
    journal.register(app)
    openapi.register(app)
    return app
