"""``/jobs``: title, description and status required; the rest as the contract lists."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiohttp import web
from pydantic import BaseModel

from harness.domain.enums import Experience, JobStatus
from harness.domain.models import Company, Job
from harness.domain.requests import JobCreate, JobPatch
from harness.errors import ValidationFailed
from harness.store.memory import Store

from .body import query_text
from .resources import Resource, set_fields


def _check(store: Store, company: Company, body: BaseModel, record: Any, now: datetime) -> None:
    """Jobs need nothing from the store beyond what their model checks."""


def _fields(body: BaseModel, record: Any) -> dict[str, Any]:
    fields = set_fields(body)
    for name in ("required_skills", "nice_to_have_skills", "language_requirements", "education"):
        if name in fields and fields[name] is None:
            fields[name] = []
    if "metadata" in fields and fields["metadata"] is None:
        fields["metadata"] = {}
    if "experience" in fields and fields["experience"] is None:  # null clears it
        fields["experience"] = Experience.UNDEFINED
    return fields


def _filter(request: web.Request) -> Callable[[Any], bool] | None:
    status = query_text(request, "status")
    if status is None:
        return None
    if status not in JobStatus.__members__:
        raise ValidationFailed.one("status", f"must be one of {', '.join(JobStatus)}")
    return lambda job: bool(job.status == status)


JOBS: Resource[Job] = Resource(
    path="jobs",
    table=lambda s: s.jobs,
    record=Job,
    create_model=JobCreate,
    patch_model=JobPatch,
    required=frozenset({"title", "description", "status"}),
    check=_check,
    list_filter=_filter,
    to_fields=_fields,
)
