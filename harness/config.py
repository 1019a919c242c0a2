"""Settings for one harness run: ports, envelope style, signing scheme, retry policy, paths."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from harness._data import fixtures_dir
from harness.delivery.log import DEFAULT_MAX_ATTEMPTS
from harness.delivery.modes import DeliveryModes
from harness.guard import allowed_host_names
from harness.store.captures import DEFAULT_MAX_DISK_CAPTURES, DEFAULT_MAX_MEMORY_CAPTURES
from harness.store.memory import DEFAULT_MAX_INTERVIEWS

SigningScheme = Literal["standard", "hex", "none"]

#: Delays (seconds) before each retry of a failed delivery: realistic by default.
DEFAULT_RETRY_SCHEDULE: tuple[float, ...] = (5.0, 30.0, 120.0)
#: Fast retries for tests: a failing handler is retried within a fraction of a second.
TEST_RETRY_SCHEDULE: tuple[float, ...] = (0.05, 0.1, 0.2)
#: What :meth:`HarnessConfig.for_tests` changes from the defaults of ``serve``: free ports,
#: captures in memory (nothing written to ``.harness/``), retries in milliseconds, a short
#: shutdown grace.
TEST_DEFAULTS: dict[str, object] = {
    "port": 0,
    "receiver_port": 0,
    "db_path": ":memory:",
    "retry_schedule": TEST_RETRY_SCHEDULE,
    "shutdown_grace_s": 0.5,
}

FIXTURES_DIR = fixtures_dir()
DEFAULT_WORLD = FIXTURES_DIR / "world.json"


class HarnessConfig(BaseModel):
    """Everything ``serve`` needs; the CLI parses flags into one of these and nothing else."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(default=0, ge=0, le=65535)
    receiver_port: int = Field(default=0, ge=0, le=65535)
    #: ``wrapped`` answers ``{success, data, error, timestamp}``; ``bare`` returns the data alone
    #: for successes (errors keep the envelope).
    envelope: Literal["wrapped", "bare"] = "wrapped"
    #: 201 (default) or the legacy 200 for creates.
    create_status: Literal[200, 201] = 201
    signing_scheme: SigningScheme = "standard"
    retry_schedule: tuple[float, ...] = DEFAULT_RETRY_SCHEDULE
    allow_remote_webhooks: bool = False
    #: Extra names both servers answer to (``--allow-host``, for a proxy in front): a ``Host``
    #: or ``Origin`` naming one is the harness's own (see :mod:`harness.guard`).
    allow_hosts: tuple[str, ...] = ()
    enforce_rate_limits: bool = False
    max_body_bytes: int = 1024 * 1024
    #: Seconds a request may take to send its headers, and again its body, on both servers:
    #: past that it is answered 408 (aiohttp alone would wait for ever).
    read_timeout_s: float = Field(default=10.0, gt=0, le=3600)
    #: Receiver long-polls (``GET /events/wait``) and streams open at once; more are a 503.
    max_waits: int = Field(default=1000, ge=1)
    world_path: Path = DEFAULT_WORLD
    db_path: str = ".harness/harness.sqlite3"
    #: Consecutive failures that open a webhook's circuit.
    circuit_threshold: int = 10
    #: Delivery failure injection for every webhook (duplicate, out-of-order, delayed).
    delivery_modes: DeliveryModes = DeliveryModes()
    #: Seconds the dispatcher waits at shutdown for attempts in flight before it abandons (and
    #: logs) every pending delivery.
    shutdown_grace_s: float = Field(default=5.0, ge=0, le=600)
    #: Retention (docs/decisions.md, "Retention limits"): the newest this many are kept, the
    #: oldest evicted beyond, and counted; None keeps every one. Interviews in the mock's world
    #: (only finished ones with no pending delivery are evicted, with what their create wrote).
    max_interviews: int | None = Field(default=DEFAULT_MAX_INTERVIEWS, ge=1)
    #: Attempts in the delivery log (``/_harness/deliveries``).
    max_delivery_attempts: int | None = Field(default=DEFAULT_MAX_ATTEMPTS, ge=1)
    #: Captures the receiver keeps in an in-memory database (``db_path=":memory:"``).
    max_memory_captures: int | None = Field(default=DEFAULT_MAX_MEMORY_CAPTURES, ge=1)
    #: Captures the receiver keeps in a database file.
    max_disk_captures: int | None = Field(default=DEFAULT_MAX_DISK_CAPTURES, ge=1)
    #: The receiver's schema verdict: False checks what the vendor documents (real captures
    #: pass), True also the harness's own emissions exactly (``schemas/strict/``).
    strict_schemas: bool = False

    @classmethod
    def for_tests(cls, **overrides: object) -> HarnessConfig:
        """The settings a test suite wants (:data:`TEST_DEFAULTS`: free ports, captures in
        memory, fast retries, a short shutdown grace) with ``overrides`` on top, so that
        changing one field keeps the others fast. The plugin's ``instaview_config`` is
        ``HarnessConfig.for_tests()``."""
        return cls.model_validate({**TEST_DEFAULTS, **overrides})

    def max_captures(self) -> int | None:
        """The capture cap that applies to ``db_path`` (memory or file)."""
        memory = self.db_path == ":memory:"
        return self.max_memory_captures if memory else self.max_disk_captures

    @field_validator("retry_schedule")
    @classmethod
    def _non_negative(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if any(v < 0 for v in value):
            raise ValueError("retry delays must be >= 0")
        return value

    @field_validator("allow_hosts")
    @classmethod
    def _host_names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return allowed_host_names(value)


def parse_retry_schedule(text: str) -> tuple[float, ...]:
    """``"0.05,0.1,0.2"`` → ``(0.05, 0.1, 0.2)``."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    try:
        return tuple(float(p) for p in parts)
    except ValueError as exc:
        raise ValueError(f"retry schedule must be comma-separated seconds, got {text!r}") from exc
