"""``POST /jobs/url``: a job from a posting's URL, derived offline (the URL is never fetched)."""

from __future__ import annotations

from typing import Any

import pytest

from harness.api.job_url import derived_title
from harness.config import HarnessConfig
from harness.openapi import bundle, describe, load_openapi
from harness.schemas import default_schemas
from tests.api_helpers import counts
from tests.support import ACME_ID, ACME_READONLY_KEY, Api

URL = "https://example.com/careers/senior-developer"


async def test_it_creates_the_job_the_url_names_and_answers_the_vendors_shape(api: Api) -> None:
    reply = await api.post("/jobs/url", {"jobUrl": URL, "createJob": True})
    assert reply.status == 201
    assert set(reply.data) == {"data", "sourceUrl"}
    job = reply.data["data"]
    assert reply.data["sourceUrl"] == URL
    assert (job["title"], job["jobUrl"], job["status"]) == ("Senior Developer", URL, "OPEN")
    assert job["companyId"] == ACME_ID
    assert URL in job["description"] and "does not fetch" in job["description"]
    assert (await api.get(f"/jobs/{job['id']}")).data == job


async def test_create_job_defaults_to_true(api: Api) -> None:
    before = counts(api)["jobs"]
    reply = await api.post("/jobs/url", {"jobUrl": URL})
    assert reply.status == 201
    assert counts(api)["jobs"] == before + 1


async def test_create_job_false_only_extracts(api: Api) -> None:
    before = counts(api)["jobs"]
    reply = await api.post("/jobs/url", {"jobUrl": URL, "createJob": False})
    assert reply.status == 200
    job = reply.data["data"]
    assert not {"id", "companyId", "createdAt", "updatedAt"} & set(job)
    assert job["title"] == "Senior Developer"
    assert counts(api)["jobs"] == before


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("https://example.com/careers/senior-developer", "Senior Developer"),
        ("https://example.com/jobs/backend_engineer/", "Backend Engineer"),
        ("https://jobs.example.com/Data%20Scientist?ref=x#top", "Data Scientist"),
        ("https://example.com/jobs/42", "Job posting at example.com"),
        ("https://example.com", "Job posting at example.com"),
        ("https://user@Example.COM:8443/x", "Job posting at example.com"),
        ("https://[::1]:8080/jobs/site-reliability", "Site Reliability"),
        ("https://\u023eM[8q", "Job posting at " + "\u023eM[8q".lower()),  # urlsplit raises
        ("https://[::1", "Job posting at [::1"),
        ("https://example.com/" + "a-" * 150 + "z", ("A " * 100).rstrip()),
    ],
)
def test_the_title_comes_from_the_urls_last_segment(url: str, title: str) -> None:
    assert derived_title(url) == title


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "jobUrl"),
        ({"jobUrl": "example.com/x"}, "jobUrl"),
        ({"jobUrl": 7}, "jobUrl"),
        ({"jobUrl": URL, "createJob": "yes"}, "createJob"),
        ({"jobUrl": URL, "title": "Mine"}, "title"),
    ],
)
async def test_bad_bodies_are_400_naming_the_field(
    api: Api, body: dict[str, Any], field: str
) -> None:
    reply = await api.post("/jobs/url", body)
    assert (reply.status, reply.fields) == (400, [field]), reply.body


async def test_it_needs_write_jobs(api: Api) -> None:
    reply = await api.as_key(ACME_READONLY_KEY).post("/jobs/url", {"jobUrl": URL})
    assert (reply.status, reply.error["details"]) == (403, {"requiredScope": "write:jobs"})


async def test_the_v1_alias_serves_it_and_other_methods_are_refused(api: Api) -> None:
    assert (await api.post("/v1/jobs/url", {"jobUrl": URL})).status == 201
    assert (await api.get("/jobs/url")).fields == ["id"]  # /jobs/{id}: not a UUID


@pytest.mark.parametrize(
    ("envelope", "pointer"),
    [("wrapped", "$response.body#/data/data/id"), ("bare", "$response.body#/data/id")],
)
def test_the_document_links_the_new_job_to_the_job_operations(envelope: str, pointer: str) -> None:
    schemas = default_schemas()
    doc = describe(bundle(load_openapi(), schemas), HarnessConfig(envelope=envelope), schemas.names)
    op = doc["paths"]["/jobs/url"]["post"]
    assert not [k for k in op if k.startswith("x-")], "the hints are not served"
    links = op["responses"]["201"]["links"]
    assert links["getJob"] == {"operationId": "getJob", "parameters": {"id": pointer}}
    assert links["listJobs"] == {"operationId": "listJobs"}


async def test_the_linked_pointer_finds_the_job(api: Api) -> None:
    reply = await api.post("/jobs/url", {"jobUrl": URL})
    job_id = reply.body["data"]["data"]["id"]  # $response.body#/data/data/id
    assert (await api.get(f"/jobs/{job_id}")).status == 200


async def test_an_odd_url_the_schema_allows_still_gets_a_job(api: Api) -> None:
    reply = await api.post("/jobs/url", {"jobUrl": "https://\u023eM\u008dc[8\u00f0q"})
    assert reply.status == 201, reply.body
    assert reply.data["data"]["title"].startswith("Job posting at ")
