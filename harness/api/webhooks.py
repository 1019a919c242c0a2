"""``/webhooks``: configure where events go (contract section 4), and the dispatcher's wiring.

Events are accepted dotted, UPPER_SNAKE or by number and answered dotted. A key's webhooks
always belong to its company (an optional ``companyId`` must be that company, on create and as
the ``GET /webhooks?companyId=`` filter: another company's is 403, an unknown one 404) and name
the key that made them (``apiKeyId``); global webhooks come from the control API
(``POST /_harness/webhooks``) and are never listed to a key. Targets must be loopback unless the
server allows remote webhooks. ``maxRetries``, ``timeoutMs`` and ``isActive`` may be sent on
create and patch (harness extension).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Annotated, Literal
from uuid import UUID

from aiohttp import web
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)
from pydantic.alias_generators import to_camel

from harness.delivery.dispatcher import Dispatcher
from harness.delivery.signing import KnownSecret, SecretSource
from harness.delivery.webhooks import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT_MS,
    Webhook,
    WebhookRegistry,
    parse_event,
    parse_events,
    url_problem,
    url_syntax_problem,
)
from harness.domain.enums import EventType
from harness.domain.models import Company
from harness.domain.numbers import JsonInt
from harness.errors import AccessDenied, NotFound, ValidationFailed

from . import control
from .auth import API_KEY, authenticate
from .body import path_uuid, query_uuid, read_model
from .envelope import created, ok
from .pagination import page_of
from .routing import add_route
from .state import CLOCK, CONFIG, SINK, STORE, WORLD
from .state import DISPATCHER as DISPATCHER  # re-exported: handlers and tests import them here
from .state import WEBHOOKS as WEBHOOKS

#: Header names the harness sets itself; a webhook may not override them.
RESERVED_HEADERS = frozenset(
    {
        "content-type",
        "content-length",
        "host",
        "transfer-encoding",
        "connection",
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
        "x-instaview-signature",
        "x-instaview-timestamp",
    }
)


def reserved_header_pattern() -> str:
    """A JSON Schema pattern matching a reserved header name in any case: the ``not`` of a
    header ``name`` in ``schemas/webhook-create.json`` (a test keeps them equal)."""
    names = (
        "".join(f"[{c.upper()}{c}]" if c.isalpha() else c for c in n) for n in RESERVED_HEADERS
    )
    return "^(?:" + "|".join(sorted(names)) + ")$(?!\\n)"


#: A custom header value: no control character (U+0000-U+001F, U+007F; aiohttp refuses to send
#: most of them, so such a delivery could never go out). ``schemas/webhook-create.json#/$defs/
#: header`` states the same pattern (a test keeps the two equal).
HEADER_VALUE_PATTERN = r"[^\x00-\x1f\x7f]*"
_HEADER_VALUE = re.compile(HEADER_VALUE_PATTERN)


def _header_value(value: str) -> str:
    if not _HEADER_VALUE.fullmatch(value):
        bad = next(c for c in value if not _HEADER_VALUE.fullmatch(c))
        raise ValueError(
            f"must not contain control characters (U+0000-U+001F, U+007F); found U+{ord(bad):04X}"
        )
    return value


def _header_name(name: object) -> object:
    # Runs before the type check: a non-string is left for the string validator to refuse.
    if isinstance(name, str) and name.lower() in RESERVED_HEADERS:
        raise ValueError(f"header {name!r} is set by the harness and cannot be overridden")
    return name


class _Body(BaseModel):
    # Strict like every other request body (docs/decisions.md, "strict types").
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", strict=True
    )


class HeaderIn(_Body):
    name: Annotated[
        str,
        StringConstraints(min_length=1, max_length=256, pattern=r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$"),
        BeforeValidator(_header_name),
    ]
    value: Annotated[str, StringConstraints(max_length=4096), AfterValidator(_header_value)]


def _event_ref(value: object) -> object:
    """One ``events`` item: ``"*"`` (every event, expanded by ``parse_events``) or an event."""
    return value if value == "*" else parse_event(value)


Event = Annotated[EventType | Literal["*"], BeforeValidator(_event_ref)]


def _webhook_url(url: str) -> str:
    problem = url_syntax_problem(url)
    if problem is not None:
        raise ValueError(problem)
    return url


#: The syntax here (schemas/webhook-create.json#/$defs/webhookUrl); loopback in the handler.
Url = Annotated[str, StringConstraints(min_length=1, max_length=2048), AfterValidator(_webhook_url)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=255)]
Description = Annotated[str, StringConstraints(max_length=1000)]


class WebhookCreate(_Body):
    url: Url
    events: list[Event] = Field(min_length=1)
    name: Name | None = None
    description: Description | None = None
    company_id: UUID | None = None
    headers: list[HeaderIn] | None = Field(default=None, max_length=20)
    is_active: bool = True
    max_retries: JsonInt = Field(default=DEFAULT_MAX_RETRIES, ge=0, le=10)
    timeout_ms: JsonInt = Field(default=DEFAULT_TIMEOUT_MS, ge=100, le=30_000)


class WebhookPatch(_Body):
    url: Url | None = None
    events: list[Event] | None = Field(default=None, min_length=1)
    name: Name | None = None
    description: Description | None = None
    headers: list[HeaderIn] | None = Field(default=None, max_length=20)
    is_active: bool | None = None
    max_retries: JsonInt | None = Field(default=None, ge=0, le=10)
    timeout_ms: JsonInt | None = Field(default=None, ge=100, le=30_000)

    @field_validator("url", "events", "is_active", "max_retries", "timeout_ms", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Left out means "unchanged"; null would clear a field every webhook has.
        if value is None:
            raise ValueError("cannot be null")
        return value


def _check_url(request: web.Request, url: str) -> None:
    problem = url_problem(url, request.app[CONFIG].allow_remote_webhooks)
    if problem is not None:
        raise ValidationFailed.one("url", problem)


def new_webhook(
    request: web.Request,
    body: WebhookCreate,
    company_id: UUID | None,
    api_key_id: UUID | None = None,
) -> Webhook:
    """Validate and store a webhook from a create body (shared with the control API)."""
    _check_url(request, body.url)
    return request.app[WEBHOOKS].create(
        company_id,
        body.url,
        parse_events(body.events),
        request.app[CLOCK].now(),
        name=body.name,
        description=body.description,
        headers=[(h.name, h.value) for h in body.headers or []],
        is_active=body.is_active,
        max_retries=body.max_retries,
        timeout_ms=body.timeout_ms,
        api_key_id=api_key_id,
    )


def _company_query(request: web.Request, company: Company) -> None:
    """``?companyId=``: the key's own company (its webhooks are all of them), else 403 for
    another company's and 404 for an unknown one; a key never sees another company's."""
    wanted = query_uuid(request, "companyId")
    if wanted is None or wanted == company.id:
        return
    if wanted in request.app[STORE].companies:
        raise AccessDenied("Company", str(wanted))
    raise NotFound("Company", str(wanted))


def owned(request: web.Request, company: Company) -> Webhook:
    hook_id = path_uuid(request)
    hook = request.app[WEBHOOKS].get(hook_id)
    if hook is None:
        raise NotFound("Webhook", str(hook_id))
    if hook.company_id != company.id:
        raise AccessDenied("Webhook", str(hook_id))
    return hook


async def create(request: web.Request) -> web.Response:
    company = authenticate(request, "write:webhooks")
    body = await read_model(request, WebhookCreate)
    if body.company_id is not None and body.company_id != company.id:
        if body.company_id in request.app[STORE].companies:
            raise AccessDenied("Company", str(body.company_id))
        raise NotFound("Company", str(body.company_id))
    hook = new_webhook(request, body, company.id, request[API_KEY].id)
    return created(request, hook.wire(with_secret=True))


async def list_(request: web.Request) -> web.Response:
    company = authenticate(request, "read:webhooks")
    _company_query(request, company)
    hooks = request.app[WEBHOOKS].of_company(company.id)
    return ok(request, page_of(request, hooks, lambda h: h.wire()))


async def get(request: web.Request) -> web.Response:
    company = authenticate(request, "read:webhooks")
    return ok(request, owned(request, company).wire())


async def patch(request: web.Request) -> web.Response:
    company = authenticate(request, "write:webhooks")
    hook = owned(request, company)
    body = await read_model(request, WebhookPatch)
    sent = body.model_fields_set
    if body.url is not None:
        _check_url(request, body.url)
        hook.url = body.url
    if body.events is not None:
        hook.events = parse_events(body.events)
    if "name" in sent:
        hook.name = body.name
    if "description" in sent:
        hook.description = body.description
    if "headers" in sent:
        hook.headers = [(h.name, h.value) for h in body.headers or []]
    if body.max_retries is not None:
        hook.max_retries = body.max_retries
    if body.timeout_ms is not None:
        hook.timeout_ms = body.timeout_ms
    now = request.app[CLOCK].now()
    if body.is_active is True:
        hook.close_circuit(now)  # switching a webhook on closes its circuit too
    elif body.is_active is False:
        hook.is_active = False
    hook.updated_at = now
    return ok(request, hook.wire())


async def delete(request: web.Request) -> web.Response:
    company = authenticate(request, "write:webhooks")
    hook = owned(request, company)
    request.app[WEBHOOKS].remove(hook.id)
    return web.Response(status=204)


async def reset_circuit(request: web.Request) -> web.Response:
    company = authenticate(request, "write:webhooks")
    hook = owned(request, company)
    hook.close_circuit(request.app[CLOCK].now())
    return ok(request, hook.wire())


async def _dispatcher_ctx(app: web.Application) -> AsyncIterator[None]:
    await app[DISPATCHER].start()
    yield
    await app[DISPATCHER].close()


def register(app: web.Application) -> None:
    """The registry, the dispatcher (its HTTP session lives in ``cleanup_ctx``), the routes."""
    registry = WebhookRegistry()
    dispatcher = Dispatcher(app[CONFIG], app[CLOCK], registry)
    app[WEBHOOKS] = registry
    app[DISPATCHER] = dispatcher
    app.cleanup_ctx.append(_dispatcher_ctx)

    def on_reset() -> None:
        registry.reset()
        dispatcher.reset()

    app[control.RESET_HOOKS].append(on_reset)
    add_route(app, "POST", "/webhooks", create)
    add_route(app, "GET", "/webhooks", list_)
    add_route(app, "GET", "/webhooks/{id}", get)
    add_route(app, "PATCH", "/webhooks/{id}", patch)
    add_route(app, "DELETE", "/webhooks/{id}", delete)
    add_route(app, "POST", "/webhooks/{id}/reset-circuit", reset_circuit)


def webhook_secrets(app: web.Application) -> SecretSource:
    """The receiver's ``SecretSource``: channel → the secrets of the webhooks that POST to it,
    each with its webhook and company, and whether that company owns the channel
    (:meth:`WebhookRegistry.channel_owner`; a global webhook is the operator's, valid anywhere).
    Looked up per capture, so webhooks created later count."""
    registry = app[WEBHOOKS]

    def source(channel: str) -> list[KnownSecret]:
        owner = registry.channel_owner(channel)
        return [
            KnownSecret(
                hook.signing_secret,
                label=f"webhook {hook.id}",
                webhook_id=str(hook.id),
                company_id=None if hook.company_id is None else str(hook.company_id),
                owns_channel=hook.company_id in (None, owner),
            )
            for hook in registry.pointing_at(channel)
        ]

    return source


def enable_delivery(app: web.Application, receiver_url: str | None = None) -> Dispatcher:
    """Make the dispatcher the app's event sink (call before the app starts). With a receiver
    URL, each world webhook becomes a webhook to ``<receiver_url>/hooks/<channel>``, kept with
    the same id and secret across ``/_harness/reset``."""
    dispatcher = app[DISPATCHER]
    app[SINK] = dispatcher
    if receiver_url is not None:
        base = receiver_url.rstrip("/")
        now = app[CLOCK].now()
        registry = app[WEBHOOKS]
        for company in app[WORLD].companies:
            for spec in company.webhooks:
                url = f"{base}/hooks/{spec.channel}"
                events = parse_events(spec.events)
                registry.create(company.id, url, events, now, seeded=True, name=spec.name)
    return dispatcher
