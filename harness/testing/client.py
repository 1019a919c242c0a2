"""The test helpers' operations, as coroutines that run on the harness's own loop.

:class:`HarnessClient` talks to the mock and the receiver over HTTP (the surfaces a user has)
with one session; only :meth:`HarnessClient.drain` reaches into the running app, because no
endpoint waits for the delivery queue. The public facades in :mod:`harness.testing.facades`
hand these coroutines to the loop from async or sync tests.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode, urlsplit

import aiohttp

from harness.api.webhooks import DISPATCHER
from harness.delivery.signing import Scheme
from harness.domain.enums import EventType
from harness.examples import example_interview_body
from harness.paging import MAX_LIMIT
from harness.runtime import Running
from harness.testing.types import (
    ApiResponse,
    CapturedEvent,
    DeliveryTimeout,
    EventTimeout,
    RecordedRequest,
    UnexpectedResponse,
    Webhook,
    check_chosen_secret,
)
from harness.tools.matrix import MatrixReport, run_matrix_async

#: Seconds a wait may take at most (the receiver's own limit).
MAX_WAIT_S = 600.0
#: Extra seconds the HTTP call of a wait gets beyond the wait itself.
WAIT_SLACK_S = 10.0


def _slug(name: str, taken: set[str]) -> str:
    words = re.findall(r"[a-z0-9]+", name.lower())
    base = words[0] if words else "company"
    slug = base
    for n in itertools.count(2):
        if slug not in taken:
            break
        slug = f"{base}{n}"
    return slug


class HarnessClient:
    """Use as an async context manager on the harness's loop."""

    def __init__(self, run: Running) -> None:
        self.run = run
        self.base_url = run.api_url
        self.receiver_url = run.receiver_url
        #: Company slug (first word of its name, lower case) → full-scope key; ``"readonly"``
        #: and ``"<slug>_readonly"`` → the keys with fewer scopes.
        self.keys: dict[str, str] = {}
        self.company_ids: dict[str, str] = {}
        #: The world's webhooks by receiver channel (ids and secrets survive a reset).
        self.webhooks: dict[str, Webhook] = {}
        self._session: aiohttp.ClientSession | None = None
        self._channels = itertools.count(1)

    async def __aenter__(self) -> HarnessClient:
        self._session = aiohttp.ClientSession()
        await self._load_world()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("HarnessClient is not open")
        return self._session

    async def _load_world(self) -> None:
        world = (await self._control("GET", "/_harness/world")).data
        for company in world["companies"]:
            slug = _slug(company["name"], set(self.company_ids))
            self.company_ids[slug] = company["id"]
            keys = [k for k in company["apiKeys"] if k.get("status", "ACTIVE") == "ACTIVE"]
            if not keys:
                continue
            most = max(len(k["scopes"]) for k in keys)
            full = [k["key"] for k in keys if len(k["scopes"]) == most]
            self.keys[slug] = full[0]
            for k in keys:
                if len(k["scopes"]) < most:
                    self.keys.setdefault(f"{slug}_readonly", k["key"])
                    self.keys.setdefault("readonly", k["key"])
        for hook in await self._control_items("/_harness/webhooks"):
            found = self._webhook(hook)
            if found.channel is not None:
                self.webhooks.setdefault(found.channel, found)

    def _webhook(self, wire: dict[str, Any]) -> Webhook:
        url = wire["url"]
        channel = None
        if url.startswith(self.receiver_url + "/hooks/"):
            channel = urlsplit(url).path.removeprefix("/hooks/")
        return Webhook(wire["id"], wire["signingSecret"], url, tuple(wire["events"]), channel)

    # -- plain HTTP ---------------------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        json: Any = None,
        *,
        key: str | None = None,
        company: str = "acme",
        headers: dict[str, str] | None = None,
    ) -> ApiResponse:
        """Calls the mock API with ``key`` (default: ``company``'s full-scope key)."""
        sent = {"Authorization": f"Bearer {key or self.keys[company]}", **(headers or {})}
        return await self._call(method, self.base_url + path, json, sent)

    async def _control(self, method: str, path: str, json: Any = None) -> ApiResponse:
        response = await self._call(method, self.base_url + path, json, {})
        if not response.ok:
            raise UnexpectedResponse(f"{method} {path}", response)
        return response

    async def _call(self, method: str, url: str, json: Any, headers: dict[str, str]) -> ApiResponse:
        async with self.session.request(method, url, json=json, headers=headers) as response:
            body: Any = None
            if response.content_type == "application/json":
                body = await response.json()
            else:
                body = await response.text()
            return ApiResponse(response.status, body, dict(response.headers))

    async def _expect(self, what: str, response: ApiResponse) -> Any:
        if not response.ok:
            raise UnexpectedResponse(what, response)
        return response.data

    # -- state --------------------------------------------------------------------------------

    async def reset(self) -> None:
        """Fresh world, no deliveries, no captures, no receiver scripts, no faults or modes."""
        await self._control("POST", "/_harness/reset")
        async with self.session.delete(f"{self.receiver_url}/events") as response:
            response.raise_for_status()
        for script in await self._receiver_items("/channels", {}):
            url = f"{self.receiver_url}/channels/{script['channel']}/script"
            async with self.session.delete(url) as response:
                response.raise_for_status()

    # -- the API and the control actions --------------------------------------------------------

    async def create_interview(
        self, body: dict[str, Any] | None = None, *, key: str | None = None, company: str = "acme"
    ) -> dict[str, Any]:
        body = example_interview_body() if body is None else body
        response = await self.request("POST", "/interviews", body, key=key, company=company)
        data: dict[str, Any] = await self._expect("POST /interviews", response)
        return data

    async def control(self, interview_id: str, action: str, body: Any = None) -> dict[str, Any]:
        path = f"/_harness/interviews/{interview_id}/{action}"
        data: dict[str, Any] = (await self._control("POST", path, body)).data
        return data

    async def register_webhook(
        self,
        url: str | None = None,
        events: Sequence[str] = ("*",),
        *,
        channel: str | None = None,
        company: str | None = "acme",
        name: str | None = None,
        secret: str | None = None,
    ) -> Webhook:
        """A new webhook of ``company`` (``None``: global, every company's events). Without a
        ``url`` it points at the harness's receiver on ``channel`` (a fresh one if None). With
        ``secret`` (64 lower-case hex, as the vendor issues) it signs with that secret from its
        first delivery on; a malformed one is a ValueError before anything is created."""
        if secret is not None:
            check_chosen_secret(secret)
        if url is None:
            channel = channel or f"hook{next(self._channels)}"
            url = f"{self.receiver_url}/hooks/{channel}"
        names = [e.value for e in EventType] if "*" in events else list(events)
        body: dict[str, Any] = {"url": url, "events": names}
        if name is not None:
            body["name"] = name
        if company is None:
            created = (await self._control("POST", "/_harness/webhooks", body)).data
        else:
            response = await self.request("POST", "/webhooks", body, company=company)
            created = await self._expect("POST /webhooks", response)
        if secret is not None:
            path = f"/_harness/webhooks/{created['id']}/secret"
            created = (await self._control("POST", path, {"signingSecret": secret})).data
        return self._webhook(created)

    async def deliveries(self, **filters: str) -> list[dict[str, Any]]:
        """``GET /_harness/deliveries`` items (filters: webhookId, event, interviewId, ...),
        every page of them."""
        return await self._control_items("/_harness/deliveries", filters)

    async def _control_items(
        self, path: str, filters: dict[str, str] | None = None
    ) -> list[dict[str, Any]]:
        """Every item of a paged control list, following ``next`` (:mod:`harness.paging`)."""
        params = {k: v for k, v in (filters or {}).items() if v}
        params.setdefault("limit", str(MAX_LIMIT))
        items: list[dict[str, Any]] = []
        while True:
            query = urlencode(params)
            data = (await self._control("GET", f"{path}?{query}")).data
            items.extend(data["items"])
            if not data.get("next"):
                return items
            params["cursor"] = data["next"]

    async def _receiver_items(self, path: str, params: dict[str, str]) -> list[Any]:
        """Every item of a paged receiver list, following ``next``."""
        params = {"limit": str(MAX_LIMIT), **params}
        items: list[Any] = []
        while True:
            async with self.session.get(self.receiver_url + path, params=params) as response:
                response.raise_for_status()
                data = await response.json()
            items.extend(data["items"])
            if not data.get("next"):
                return items
            params["cursor"] = data["next"]

    async def requests(self, filters: dict[str, str]) -> list[RecordedRequest]:
        """``GET /_harness/requests`` items for ``filters`` (method, path, route, status, ...)."""
        path = "/_harness/requests?" + urlencode(filters)
        items = (await self._control("GET", path)).data["items"]
        return [RecordedRequest.from_wire(i) for i in items]

    async def drain(self, seconds: float) -> None:
        """Waits until every queued delivery is finished (delivered, failed or skipped)."""
        dispatcher = self.run.api[DISPATCHER]
        try:
            async with asyncio.timeout(seconds):
                await dispatcher.drain()
        except TimeoutError:
            raise DeliveryTimeout(
                f"{dispatcher.pending} deliveries still pending after {seconds:g}s"
            ) from None

    async def set_modes(self, webhook_id: str | None, modes: dict[str, Any]) -> dict[str, Any]:
        path = f"/_harness/webhooks/{webhook_id}/modes" if webhook_id else "/_harness/modes"
        data: dict[str, Any] = (await self._control("POST", path, modes)).data
        return data

    async def inject_fault(self, fault: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = (await self._control("POST", "/_harness/faults", fault)).data
        return data

    async def clear_faults(self) -> None:
        await self._control("DELETE", "/_harness/faults")

    # -- the receiver -------------------------------------------------------------------------

    async def events(self, **filters: Any) -> list[CapturedEvent]:
        """Every matching capture the receiver keeps, following ``next`` page by page; a
        ``limit`` filter caps how many (the first ones)."""
        params = {k: str(v) for k, v in filters.items() if v is not None}
        wanted = int(params.pop("limit")) if "limit" in params else None
        params["limit"] = str(min(wanted or MAX_LIMIT, MAX_LIMIT))
        items: list[Any] = []
        while True:
            async with self.session.get(f"{self.receiver_url}/events", params=params) as response:
                response.raise_for_status()
                data = await response.json()
            items.extend(data["items"])
            if not data.get("next") or (wanted is not None and len(items) >= wanted):
                break
            params["cursor"] = data["next"]
        return [CapturedEvent.from_wire(i) for i in items[:wanted]]

    async def wait_for(
        self,
        event: str | None,
        *,
        interview_id: str | None,
        channel: str | None,
        delivery_id: str | None,
        after: int,
        seconds: float,
    ) -> CapturedEvent:
        __tracebackhide__ = True
        filters = {
            "event": event,
            "interviewId": interview_id,
            "channel": channel,
            "deliveryId": delivery_id,
        }
        params = {k: v for k, v in filters.items() if v is not None}
        if after:
            params["after"] = str(after)
        seconds = min(max(seconds, 0.0), MAX_WAIT_S)
        params["timeout"] = f"{seconds:g}"
        limit = aiohttp.ClientTimeout(total=seconds + WAIT_SLACK_S)
        url = f"{self.receiver_url}/events/wait"
        async with self.session.get(url, params=params, timeout=limit) as response:
            answer = await response.json()
            status = response.status
        if status == 200:
            return CapturedEvent.from_wire(answer)
        if status != 408:
            raise UnexpectedResponse("GET /events/wait", ApiResponse(status, answer))
        wanted = ", ".join(f"{k}={v}" for k, v in params.items() if k != "timeout") or "anything"
        raise EventTimeout(wanted, seconds, await self.events(after=after or None))

    async def signature_matrix(self, url: str, secret: str, scheme: Scheme) -> MatrixReport:
        return await run_matrix_async(url, secret, scheme)
