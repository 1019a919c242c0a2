"""``/agents``: interview templates; a PHONE agent needs one of its company's phone numbers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiohttp import web
from pydantic import BaseModel

from harness.domain.checks import check_phone_number, check_phone_owned
from harness.domain.enums import AgentType
from harness.domain.models import Agent, Company
from harness.domain.requests import AgentCreate, AgentFields, AgentPatch
from harness.store.memory import Store

from .resources import Resource, set_fields


def _check(store: Store, company: Company, body: BaseModel, record: Any, now: datetime) -> None:
    assert isinstance(body, AgentFields)
    sent = body.model_fields_set
    kind = body.type if "type" in sent else (record.type if record else AgentType.ONLINE)
    phone = (
        body.company_phone_number_id
        if "company_phone_number_id" in sent or record is None
        else record.company_phone_number_id
    )
    if kind is AgentType.PHONE:
        check_phone_number(store, company, phone, "companyPhoneNumberId")
    elif body.company_phone_number_id is not None:  # any agent: only its company's numbers
        check_phone_owned(store, company, body.company_phone_number_id)


def _fields(body: BaseModel, record: Any) -> dict[str, Any]:
    fields = set_fields(body)
    if "questions" in fields and fields["questions"] is None:
        fields["questions"] = []
    if "metadata" in fields and fields["metadata"] is None:
        fields["metadata"] = {}
    return fields


def _no_filter(request: web.Request) -> Callable[[Any], bool] | None:
    return None


AGENTS: Resource[Agent] = Resource(
    path="agents",
    table=lambda s: s.agents,
    record=Agent,
    create_model=AgentCreate,
    patch_model=AgentPatch,
    # ``questions: null`` clears the list (see _fields), as list fields of jobs do.
    required=frozenset({"name", "type", "focus", "language", "duration", "background_sound"}),
    check=_check,
    list_filter=_no_filter,
    to_fields=_fields,
)
