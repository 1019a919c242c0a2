"""Create, get, list, patch and soft-delete for the resources around an interview.

One :class:`Resource` per type says its models, scopes and the checks that need the store;
the routes are the same for all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from aiohttp import web
from pydantic import BaseModel

from harness.domain.ids import new_id
from harness.domain.models import Company, Record
from harness.errors import FieldError, ValidationFailed
from harness.store.memory import Store, Table

from .auth import authenticate
from .body import camel, path_uuid, read_model
from .envelope import created, ok
from .pagination import page_of
from .routing import add_route
from .state import CLOCK, STORE

R = TypeVar("R", bound=Record)

#: Checks a create or patch body against the store before anything is written;
#: gets the store, the company, the body, the record a patch applies to, and the time.
Check = Callable[[Store, Company, BaseModel, Any, datetime], None]
#: Builds a list filter from the query string.
Filter = Callable[[web.Request], Callable[[Any], bool] | None]
#: Renders a record for the wire; the store gives what the record does not hold itself.
Render = Callable[[Store, Any], dict[str, Any]]


def own_wire(store: Store, record: Record) -> dict[str, Any]:
    """A record as it renders itself (the default :data:`Render`)."""
    return record.wire()


@dataclass
class Resource(Generic[R]):
    path: str  # "candidates"
    table: Callable[[Store], Table[R]]
    record: type[R]
    create_model: type[BaseModel]
    patch_model: type[BaseModel]
    #: Fields the record requires: a patch may not set them to null.
    required: frozenset[str]
    check: Check
    list_filter: Filter
    #: Turns a body into record fields (folds aliases such as a deprecated ``jobId``).
    to_fields: Callable[[BaseModel, R | None], dict[str, Any]]
    render: Render = own_wire
    scope_suffix: str = field(init=False)

    def __post_init__(self) -> None:
        self.scope_suffix = self.path

    def register(self, app: web.Application) -> None:
        add_route(app, "POST", f"/{self.path}", self.create)
        add_route(app, "GET", f"/{self.path}", self.list)
        add_route(app, "GET", f"/{self.path}/{{id}}", self.get)
        add_route(app, "PATCH", f"/{self.path}/{{id}}", self.patch)
        add_route(app, "DELETE", f"/{self.path}/{{id}}", self.delete)

    async def create(self, request: web.Request) -> web.Response:
        company = authenticate(request, f"write:{self.scope_suffix}")
        body = await read_model(request, self.create_model)
        store = request.app[STORE]
        now = request.app[CLOCK].now()
        self.check(store, company, body, None, now)
        stamp = {"id": new_id(), "company_id": company.id, "created_at": now, "updated_at": now}
        # On create, null for a field the record requires means "not sent": its default.
        fields = {
            k: v
            for k, v in self.to_fields(body, None).items()
            if v is not None or k not in self.required
        }
        record = self.record.model_validate({**stamp, **fields})
        self.table(store)[record.id] = record
        return created(request, self.render(store, record))

    async def get(self, request: web.Request) -> web.Response:
        company = authenticate(request, f"read:{self.scope_suffix}")
        store = request.app[STORE]
        record = self.table(store).owned(path_uuid(request), company)
        return ok(request, self.render(store, record))

    async def list(self, request: web.Request) -> web.Response:
        company = authenticate(request, f"read:{self.scope_suffix}")
        keep = self.list_filter(request)
        store = request.app[STORE]
        items = self.table(store).visible(company, keep)
        return ok(request, page_of(request, items, lambda r: self.render(store, r)))

    async def patch(self, request: web.Request) -> web.Response:
        company = authenticate(request, f"write:{self.scope_suffix}")
        resource_id = path_uuid(request)
        store = request.app[STORE]
        record = self.table(store).owned(resource_id, company)
        body = await read_model(request, self.patch_model)
        nulled = [
            n for n in body.model_fields_set if n in self.required and getattr(body, n) is None
        ]
        if nulled:
            raise ValidationFailed([FieldError(camel(n), "cannot be null") for n in nulled])
        now = request.app[CLOCK].now()
        self.check(store, company, body, record, now)
        changes = self.to_fields(body, record)
        merged = self.record.model_validate({**record.model_dump(), **changes, "updated_at": now})
        self.table(store)[resource_id] = merged
        return ok(request, self.render(store, merged))

    async def delete(self, request: web.Request) -> web.Response:
        company = authenticate(request, f"delete:{self.scope_suffix}")
        store = request.app[STORE]
        record = self.table(store).owned(path_uuid(request), company)
        record.deleted_at = request.app[CLOCK].now()
        return ok(request, True)


def set_fields(body: BaseModel) -> dict[str, Any]:
    """The fields the caller actually sent, by attribute name."""
    return {name: getattr(body, name) for name in body.model_fields_set}
