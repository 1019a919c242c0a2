"""Rules that need the store or the clock, shared by the resource endpoints and create-interview."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from harness.domain.models import Company
from harness.domain.requests import CandidateFields
from harness.errors import AccessDenied, NotFound, ValidationFailed
from harness.store.memory import Store


def check_phone_number(store: Store, company: Company, phone_id: UUID | None, field: str) -> None:
    """A PHONE agent needs ``companyPhoneNumberId``, and it must be one of the company's."""
    if phone_id is None:
        raise ValidationFailed.one(field, "required when type is PHONE")
    check_phone_owned(store, company, phone_id)


def check_phone_owned(store: Store, company: Company, phone_id: UUID) -> None:
    """Any agent that names a phone number must name one of its company's (404 / 403)."""
    owner = store.company_of_phone(phone_id)
    if owner is None:
        raise NotFound("PhoneNumber", str(phone_id))
    if owner.id != company.id:
        raise AccessDenied("PhoneNumber", str(phone_id))


def check_gdpr(expiry: date | datetime | None, now: datetime, field: str) -> None:
    """``gdprExpiryDate`` must lie in the future."""
    if expiry is None:
        return
    future = expiry > now if isinstance(expiry, datetime) else expiry > now.date()
    if not future:
        raise ValidationFailed.one(field, "must be in the future")


def candidate_jobs(store: Store, company: Company, body: CandidateFields) -> list[UUID]:
    """The jobs a candidate body names (``jobIds`` then the deprecated ``jobId``), each checked
    to exist in the company; deduplicated, in order."""
    ids = [*(body.job_ids or []), *([body.job_id] if body.job_id else [])]
    for job_id in ids:
        store.jobs.owned(job_id, company)
    return list(dict.fromkeys(ids))


MAX_JOB_IDS = 50


def check_job_count(job_ids: list[UUID], field: str) -> None:
    """A candidate has at most 50 job assignments, the deprecated ``jobId`` included."""
    if len(job_ids) > MAX_JOB_IDS:
        raise ValidationFailed.one(
            field, f"at most {MAX_JOB_IDS} job assignments (jobIds and jobId together)"
        )
