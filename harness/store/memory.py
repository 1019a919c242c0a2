"""The mock's resources in memory, with company scoping on every read."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar
from uuid import UUID

from harness.domain.models import Agent, ApiKey, Candidate, Company, Interview, Job, Record
from harness.errors import AccessDenied, NotFound

R = TypeVar("R", bound=Record)


class Table(dict[UUID, R]):
    """Resources of one type, keyed by id; ``resource_type`` names them in errors."""

    def __init__(self, resource_type: str) -> None:
        super().__init__()
        self.resource_type = resource_type

    def owned(self, resource_id: UUID, company: Company) -> R:
        """The live resource if ``company`` owns it: 404 if missing or deleted, 403 if foreign."""
        record = self.get(resource_id)
        if record is None or record.deleted:
            raise NotFound(self.resource_type, str(resource_id))
        if record.company_id != company.id:
            raise AccessDenied(self.resource_type, str(resource_id))
        return record

    def visible(self, company: Company, keep: Callable[[R], bool] | None = None) -> list[R]:
        """Live resources of ``company``, oldest first, optionally filtered."""
        return [
            r
            for r in self.values()
            if r.company_id == company.id and not r.deleted and (keep is None or keep(r))
        ]


class Store:
    """Everything the mock API knows. One per app; ``reset`` reloads the seeded world."""

    def __init__(self) -> None:
        self.companies: dict[UUID, Company] = {}
        self.keys: dict[str, tuple[Company, ApiKey]] = {}
        self.candidates: Table[Candidate] = Table("Candidate")
        self.jobs: Table[Job] = Table("Job")
        self.agents: Table[Agent] = Table("Agent")
        self.interviews: Table[Interview] = Table("Interview")

    def clear(self) -> None:
        self.companies.clear()
        self.keys.clear()
        for table in self.tables():
            table.clear()

    def tables(self) -> Iterable[Table[Record]]:
        return (self.candidates, self.jobs, self.agents, self.interviews)  # type: ignore[return-value]

    def add_company(self, company: Company) -> None:
        self.companies[company.id] = company
        for api_key in company.api_keys:
            self.keys[api_key.key] = (company, api_key)

    def company_of_phone(self, phone_id: UUID) -> Company | None:
        for company in self.companies.values():
            if phone_id in company.phone_numbers:
                return company
        return None
