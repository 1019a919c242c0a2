"""Typed application state shared by the API's handlers."""

from __future__ import annotations

from aiohttp import web

from harness.api.ratelimit import RateLimiter
from harness.clock import Clock
from harness.config import HarnessConfig
from harness.delivery.dispatcher import Dispatcher
from harness.delivery.webhooks import WebhookRegistry
from harness.domain.events import EventSink
from harness.store.memory import Store
from harness.store.world import World

CONFIG = web.AppKey("config", HarnessConfig)
STORE = web.AppKey("store", Store)
CLOCK = web.AppKey("clock", Clock)
SINK = web.AppKey("sink", EventSink)
LIMITER = web.AppKey("limiter", RateLimiter)
WORLD = web.AppKey("world", World)
#: The body :func:`harness.api.body.read_body` read, for the request journal.
READ_BODY = web.RequestKey("read_body", bytes)
WEBHOOKS = web.AppKey("webhooks", WebhookRegistry)
DISPATCHER = web.AppKey("dispatcher", Dispatcher)
