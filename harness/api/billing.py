"""``GET /billing/usage``: minutes and interviews of the key's company; tests never count."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from aiohttp import web

from harness.domain.enums import InterviewStatus
from harness.domain.requests import DATE_TIME_PATTERN
from harness.errors import ValidationFailed

from .auth import authenticate
from .body import query_text
from .envelope import ok
from .routing import add_route
from .state import CLOCK, STORE

DEFAULT_WINDOW = timedelta(days=30)
_DATE_TIME = re.compile(DATE_TIME_PATTERN)


def _when(request: web.Request, name: str, default: datetime) -> datetime:
    raw = query_text(request, name)
    if raw is None:
        return default
    if _DATE_TIME.fullmatch(raw) is None:  # what defs.json#/$defs/dateTime accepts
        raise ValidationFailed.one(
            name, f"{raw!r} is not an RFC 3339 date-time with seconds and a UTC offset"
        )
    return datetime.fromisoformat(raw.upper().replace("Z", "+00:00"))


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
    # Deleted interviews still used their minutes, so they count; evicted ones too (retention
    # keeps what they billed: harness.store.memory).
    store = request.app[STORE]
    billed = [
        (i.finished_date, i.duration_minutes or 0)
        for i in store.interviews.values()
        if i.company_id == company.id
        and not i.is_test
        and i.status is InterviewStatus.COMPLETED
        and i.finished_date is not None
        and start <= i.finished_date <= end
    ] + [
        (b.finished_date, b.duration_minutes)
        for b in store.billed_evicted
        if b.company_id == company.id and start <= b.finished_date <= end
    ]
    minutes = sum(used for _, used in billed)
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
