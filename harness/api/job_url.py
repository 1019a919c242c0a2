"""``POST /jobs/url``: a job from a job posting's URL (docs.instaview.sk, api-reference/jobs/
create-job-from-url), offline.

The vendor fetches the page and extracts the job with AI; the harness never fetches anything.
It derives the job from the URL alone: the title from the URL's last path segment (``senior-
developer`` → ``Senior Developer``; ``Job posting at <host>`` when that gives fewer than 5
characters), a description saying where the job came from, ``jobUrl`` the URL, status OPEN and
every other field empty. ``createJob`` (default true) stores the job and answers 201 with it;
false answers 200 with the extracted fields alone (no ``id``, ``companyId`` or times) and stores
nothing. The answer is ``{data: <job>, sourceUrl}`` as the vendor shows it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from harness.domain.enums import JobStatus
from harness.domain.ids import new_id
from harness.domain.models import Job
from harness.domain.requests import Url, WireModel

from .auth import authenticate
from .body import read_model
from .envelope import created, ok
from .routing import add_route
from .state import CLOCK, STORE

#: The fields a created job has that an extracted one has not.
STORED_ONLY = ("id", "companyId", "createdAt", "updatedAt")
TITLE_MIN, TITLE_MAX = 5, 200


class JobFromUrl(WireModel):
    job_url: Url
    create_job: bool = True


def derived_title(url: str) -> str:
    """The title a URL gives: its last path segment, words split at ``-``, ``_``, ``+``, ``.``
    and spaces, each capitalized; ``Job posting at <host>`` when that is under 5 characters."""
    host, path = _host_and_path(url)
    segments = [s for s in path.split("/") if s]
    words = re.split(r"[-_+.\s]+", unquote(segments[-1])) if segments else []
    title = " ".join(w[:1].upper() + w[1:] for w in words if w)
    if len(title) < TITLE_MIN:
        title = f"Job posting at {host or 'an unknown host'}"
    return title[:TITLE_MAX].rstrip()


def _host_and_path(url: str) -> tuple[str, str]:
    """The host and path of an ``http(s)://`` URL, however odd (``urlsplit`` raises on some,
    such as a lone ``[``): the authority ends at the first ``/``, ``?`` or ``#``."""
    rest = url.split("://", 1)[-1]
    end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    authority, tail = rest[:end], rest[end:]
    path = re.split(r"[?#]", tail, maxsplit=1)[0]
    host = authority.rpartition("@")[2]
    if host.startswith("["):
        host = host[: host.find("]") + 1] if "]" in host else host
    else:
        host = host.partition(":")[0]
    return host.lower(), path


def derived_description(url: str) -> str:
    return (
        f"Imported from {url}. The Instaview harness does not fetch job postings: "
        "this job was derived from its URL alone."
    )


async def create_from_url(request: web.Request) -> web.Response:
    company = authenticate(request, "write:jobs")
    body = await read_model(request, JobFromUrl)
    now = request.app[CLOCK].now()
    job = Job(
        id=new_id(),
        company_id=company.id,
        created_at=now,
        updated_at=now,
        title=derived_title(body.job_url),
        description=derived_description(body.job_url),
        status=JobStatus.OPEN,
        job_url=body.job_url,
    )
    answer: dict[str, Any] = {"data": job.wire(), "sourceUrl": body.job_url}
    if not body.create_job:
        for name in STORED_ONLY:
            del answer["data"][name]
        return ok(request, answer)
    request.app[STORE].jobs[job.id] = job
    return created(request, answer)


def register(app: web.Application) -> None:
    add_route(app, "POST", "/jobs/url", create_from_url)
