"""The mock's resources in memory, with company scoping on every read.

Retention (docs/decisions.md, "Retention limits"): the store keeps at most ``max_interviews``
interviews; past that, each create evicts the oldest *finished* ones (``COMPLETED``,
``FAILED``, ``CANCELLED``, or deleted while not in progress) that no pending delivery still
needs (``busy``), never the one it creates, and counts them (``interview_retention.evicted``).
An interview that is not finished, or busy, is work, not history: it stays, and goes to the
back of the eviction queue to be looked at again later. With the interview go the job,
candidate and agent its create wrote inline, unless a kept interview uses them. An evicted id
answers 404 like one that never was. A billed interview (not a test, completed) leaves its
minutes in :attr:`Store.billed_evicted`, so ``GET /billing/usage`` still counts them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar
from uuid import UUID

from harness.domain.enums import InterviewStatus
from harness.domain.models import Agent, ApiKey, Candidate, Company, Interview, Job, Record
from harness.errors import AccessDenied, NotFound
from harness.paging import Retention

R = TypeVar("R", bound=Record)

#: Interviews the store keeps by default (see docs/decisions.md, "Retention limits").
DEFAULT_MAX_INTERVIEWS = 5_000
#: Interviews one eviction pass looks at, at most (a busy or unfinished one is skipped).
EVICTION_LOOKS = 32
_FINISHED = frozenset(
    {InterviewStatus.COMPLETED, InterviewStatus.FAILED, InterviewStatus.CANCELLED}
)


#: The (job, candidate, agent) ids a create wrote inline, None for each it did not.
Wrote = tuple[UUID | None, UUID | None, UUID | None]


@dataclass(frozen=True)
class Billed:
    """What an evicted billed interview leaves for ``GET /billing/usage``."""

    company_id: UUID
    finished_date: datetime
    duration_minutes: int


def _finished(interview: Interview) -> bool:
    if interview.status in _FINISHED:
        return True
    return interview.deleted and interview.status is not InterviewStatus.IN_PROGRESS


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

    def __init__(self, max_interviews: int | None = DEFAULT_MAX_INTERVIEWS) -> None:
        self.companies: dict[UUID, Company] = {}
        self.keys: dict[str, tuple[Company, ApiKey]] = {}
        self.candidates: Table[Candidate] = Table("Candidate")
        self.jobs: Table[Job] = Table("Job")
        self.agents: Table[Agent] = Table("Agent")
        self.interviews: Table[Interview] = Table("Interview")
        self.interview_retention = Retention(max_interviews)
        self.billed_evicted: list[Billed] = []
        #: Interviews added by :meth:`add_interview`, oldest first: the eviction queue.
        self._queue: deque[UUID] = deque()
        #: Per interview, what its create wrote inline: (job, candidate, agent) ids or None.
        self._wrote: dict[UUID, Wrote] = {}
        #: Per job, candidate or agent id: how many kept interviews use it.
        self._uses: dict[UUID, int] = {}

    def clear(self) -> None:
        self.companies.clear()
        self.keys.clear()
        for table in self.tables():
            table.clear()
        self.billed_evicted.clear()
        self._queue.clear()
        self._wrote.clear()
        self._uses.clear()

    def add_interview(self, interview: Interview, wrote: Wrote = (None, None, None)) -> None:
        """Stores a new interview; ``wrote``: the (job, candidate, agent) its create wrote
        inline, None for each it did not (they leave with it, unless a kept interview uses
        them; the job only if it came with its candidate, which alone lists it)."""
        self.interviews[interview.id] = interview
        self._queue.append(interview.id)
        self._wrote[interview.id] = wrote
        for used in _used_by(interview):
            self._uses[used] = self._uses.get(used, 0) + 1

    def evict_interviews(
        self, busy: Callable[[UUID], bool] = lambda _: False, keep: UUID | None = None
    ) -> int:
        """Evicts the oldest finished interviews past the limit that are not ``busy`` (nor
        ``keep``, the one a create just returned); returns how many went."""
        gone = 0
        looks = min(EVICTION_LOOKS, len(self._queue))
        while self.interview_retention.over(len(self.interviews)) and looks > 0:
            interview_id = self._queue.popleft()
            interview = self.interviews.get(interview_id)
            if interview is None:  # removed some other way: nothing to evict
                continue
            looks -= 1
            if interview_id == keep or not _finished(interview) or busy(interview_id):
                self._queue.append(interview_id)  # still at work: looked at again later
                continue
            self._evict(interview)
            gone += 1
        self.interview_retention.evicted += gone
        return gone

    def _evict(self, interview: Interview) -> None:
        del self.interviews[interview.id]
        if (
            not interview.is_test
            and interview.status is InterviewStatus.COMPLETED
            and interview.finished_date is not None
        ):
            minutes = interview.duration_minutes or 0
            billed = Billed(interview.company_id, interview.finished_date, minutes)
            self.billed_evicted.append(billed)
        for used in _used_by(interview):
            left = self._uses.get(used, 1) - 1
            if left:
                self._uses[used] = left
            else:
                self._uses.pop(used, None)
        job, candidate, agent = self._wrote.pop(interview.id, (None, None, None))
        if candidate is not None and candidate not in self._uses:
            self.candidates.pop(candidate, None)
            if job is not None and job not in self._uses:  # the job only its candidate lists
                self.jobs.pop(job, None)
        if agent is not None and agent not in self._uses:
            self.agents.pop(agent, None)

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


def _used_by(interview: Interview) -> list[UUID]:
    used = [interview.candidate_id, interview.agent_id]
    return used if interview.job_id is None else [*used, interview.job_id]
