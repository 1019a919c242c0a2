"""``GET /billing/usage``: minutes and interviews of the key's company; tests never count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiohttp import web

from harness.domain.enums import InterviewStatus
from harness.errors import ValidationFailed

from .auth import authenticate
from .body import query_text
from .envelope import ok
from .routing import add_route
from .state import CLOCK, STORE

DEFAULT_WINDOW = timedelta(days=30)


def _when(request: web.Request, name: str, default: datetime) -> datetime:
    raw = query_text(request, name)
    if raw is None:
        return default
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValidationFailed.one(name, f"{raw!r} is not an ISO 8601 date-time") from exc
    if moment.tzinfo is None:
        raise ValidationFailed.one(name, "must carry a UTC offset, e.g. 2026-01-01T00:00:00Z")
    return moment


async def usage(request: web.Request) -> web.Response:
    company = authenticate(request, "read:billing")
    now = request.app[CLOCK].now()
    end = _when(request, "end", now)
    try:
        default_start = end - DEFAULT_WINDOW
    except OverflowError:  # an end in the first 30 days of year 1
        default_start = datetime.min.replace(tzinfo=UTC)
    start = _when(request, "start", default_start)
    if start > end:
        raise ValidationFailed.one("start", "must not be after end")
    # Deleted interviews still used their minutes, so they count.
    billed = [
        i
        for i in request.app[STORE].interviews.values()
        if i.company_id == company.id
        and not i.is_test
        and i.status is InterviewStatus.COMPLETED
        and i.finished_date is not None
        and start <= i.finished_date <= end
    ]
    minutes = sum(i.duration_minutes or 0 for i in billed)
    breakdown = [{"costKey": "interview_minutes", "events": len(billed), "minutesUsed": minutes}]
    body = {
        "companies": [
            {
                "companyId": str(company.id),
                "companyName": company.name,
                "billingSystem": "minutes",
                "totalMinutesUsed": minutes,
                "totalInterviews": len(billed),
                "breakdownByCostKey": breakdown,
            }
        ],
        "totalMinutesUsed": minutes,
        "totalInterviews": len(billed),
        "breakdownByCostKey": breakdown,
    }
    return ok(request, body)


def register(app: web.Application) -> None:
    add_route(app, "GET", "/billing/usage", usage)
