"""The seeded world: companies, keys, phone numbers and starter resources, read from fixtures/."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid5

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from harness.domain.enums import ALL_SCOPES, Plan
from harness.domain.models import Agent, ApiKey, Candidate, Company, Job
from harness.errors import ConfigError
from harness.store.memory import Store


class _Spec(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


#: Where the ids of keys the world file gives none come from (``uuid5`` of the key).
KEY_ID_NAMESPACE = UUID("5b0e9d47-3c55-4a43-9a5e-9c2f0c1e7a11")


class KeySpec(_Spec):
    """A key: ``suspendedAt`` (and an optional ``suspendedReason``) or ``expiresAt`` make it
    refused from that instant on; ``id`` (the vendor's ``apiKeyId``) defaults to a UUID derived
    from the key, so it is the same in every run."""

    key: str = Field(pattern=r"^sk_(test|live)_[A-Za-z0-9_]+$")
    scopes: list[str]
    id: UUID | None = None
    suspended_at: AwareDatetime | None = None
    suspended_reason: str | None = Field(default=None, min_length=1, max_length=500)
    expires_at: AwareDatetime | None = None

    def api_key(self) -> ApiKey:
        return ApiKey(
            id=self.id or uuid5(KEY_ID_NAMESPACE, self.key),
            key=self.key,
            scopes=ALL_SCOPES if "*" in self.scopes else frozenset(self.scopes),
            suspended_at=self.suspended_at,
            suspended_reason=self.suspended_reason,
            expires_at=self.expires_at,
        )


class WebhookSpec(_Spec):
    """A webhook the world registers at start; ``channel`` points it at the harness's receiver."""

    name: str
    channel: str
    events: list[str]


class CompanySpec(_Spec):
    id: UUID
    name: str
    #: null (or left out): no subscription plan, the vendor's default rate limits.
    plan: Plan | None = None
    minutes_limit: int | None
    api_keys: list[KeySpec]
    phone_numbers: list[UUID] = Field(default_factory=list)
    webhooks: list[WebhookSpec] = Field(default_factory=list)
    jobs: list[dict[str, Any]] = Field(default_factory=list)
    agents: list[dict[str, Any]] = Field(default_factory=list)
    candidates: list[dict[str, Any]] = Field(default_factory=list)


class World(_Spec):
    companies: list[CompanySpec]

    @classmethod
    def load(cls, path: Path) -> World:
        try:
            return cls.model_validate(json.loads(path.read_text()))
        except (OSError, ValueError, ValidationError) as exc:
            raise ConfigError(f"cannot load world file {path}: {exc}") from exc

    def seed(self, store: Store, now: datetime) -> None:
        """Fill an empty store with this world."""
        for spec in self.companies:
            keys = [k.api_key() for k in spec.api_keys]
            company = Company(
                id=spec.id,
                name=spec.name,
                plan=spec.plan,
                minutes_limit=spec.minutes_limit,
                api_keys=keys,
                phone_numbers=list(spec.phone_numbers),
            )
            store.add_company(company)
            stamp = {"company_id": company.id, "created_at": now, "updated_at": now}
            for job in spec.jobs:
                record = Job.model_validate({**job, **stamp})
                store.jobs[record.id] = record
            for agent in spec.agents:
                a = Agent.model_validate({**agent, **stamp})
                store.agents[a.id] = a
            for candidate in spec.candidates:
                c = Candidate.model_validate({**candidate, **stamp})
                store.candidates[c.id] = c
