"""``/candidates``: at least one contact, GDPR expiry in the future, jobs of the same company."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from fractions import Fraction
from typing import Any

from aiohttp import web
from pydantic import BaseModel

from harness.domain.checks import candidate_jobs, check_gdpr, check_job_count
from harness.domain.enums import CandidateStatus
from harness.domain.models import Candidate, Company
from harness.domain.requests import CandidateCreate, CandidateFields, CandidatePatch
from harness.errors import ValidationFailed
from harness.store.memory import Store

from .body import query_text, query_uuid
from .resources import Resource, set_fields


def check_candidate(
    store: Store, company: Company, body: BaseModel, record: Any, now: datetime, prefix: str = ""
) -> None:
    """Store-aware checks for a candidate body (create, patch or inline)."""
    assert isinstance(body, CandidateFields)
    check_gdpr(body.gdpr_expiry_date, now, prefix + "gdprExpiryDate")
    candidate_jobs(store, company, body)
    jobs = to_fields(body, record).get("job_ids")  # what will be stored, jobId folded in
    if jobs is not None:
        check_job_count(jobs, prefix + "jobIds")
    if record is not None:
        sent = body.model_fields_set
        email = body.email if "email" in sent else record.email
        phone = body.phone_number if "phone_number" in sent else record.phone_number
        if email is None and phone is None:
            raise ValidationFailed.one("email", "at least one of email or phoneNumber is required")


def to_fields(body: BaseModel, record: Any) -> dict[str, Any]:
    """Sent fields; the deprecated single ``jobId`` is appended to ``jobIds``."""
    fields = set_fields(body)
    single = fields.pop("job_id", None)
    if single is not None:
        sent = fields.get("job_ids")  # an explicit [] replaces the list; only "not sent" keeps it
        base = sent if sent is not None else (record.job_ids if record is not None else [])
        fields["job_ids"] = [*base, single]
    if fields.get("job_ids") is not None:  # a set of assignments: [J, J] is one, not two
        fields["job_ids"] = list(dict.fromkeys(fields["job_ids"]))
    if "metadata" in fields and fields["metadata"] is None:
        fields["metadata"] = {}
    return fields


def _filter(request: web.Request) -> Callable[[Any], bool]:
    job_id = query_uuid(request, "jobId")
    status = query_text(request, "status")
    if status is not None and status not in CandidateStatus.__members__:
        raise ValidationFailed.one("status", f"must be one of {', '.join(CandidateStatus)}")
    search = (query_text(request, "search") or "").strip().lower()

    def keep(c: Candidate) -> bool:
        if job_id is not None and job_id not in c.job_ids:
            return False
        if status is not None and c.status != status:
            return False
        if search:
            hay = " ".join(filter(None, [c.first_name, c.last_name, c.email, c.phone_number]))
            return search in hay.lower()
        return True

    return keep


def render(store: Store, candidate: Candidate) -> dict[str, Any]:
    """The candidate with what its interviews say, counted when it is read (so always true):
    ``interviewCount`` its interviews that are not deleted (any status, tests included),
    ``analysisCount`` those with an analysis, ``overallRating`` the mean of their analyses'
    ``general.overallRating`` rounded half up, null while there is none."""
    body = candidate.wire()
    interviews = [
        i for i in store.interviews.values() if i.candidate_id == candidate.id and not i.deleted
    ]
    ratings = [i.analysis.general.overall_rating for i in interviews if i.analysis is not None]
    body["interviewCount"] = len(interviews)
    body["analysisCount"] = len(ratings)
    body["overallRating"] = (
        int(Fraction(sum(ratings), len(ratings)) + Fraction(1, 2)) if ratings else None
    )
    return body


CANDIDATES: Resource[Candidate] = Resource(
    path="candidates",
    table=lambda s: s.candidates,
    record=Candidate,
    create_model=CandidateCreate,
    patch_model=CandidatePatch,
    required=frozenset({"first_name", "last_name", "status", "job_ids"}),
    check=check_candidate,
    list_filter=_filter,
    to_fields=to_fields,
    render=render,
)
