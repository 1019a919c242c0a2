"""``/jobs``: every field rule and enum of contract section 2, list, patch, soft delete."""

from __future__ import annotations

from typing import Any

import pytest

from harness.domain.enums import ContractType, Education, Experience, Proficiency, SalaryPeriod
from tests.api_helpers import job_body, new_job
from tests.support import ACME_JOB, ACME_READONLY_KEY, GLOBEX_JOB, GLOBEX_KEY, MISSING_ID, Api

FULL = job_body(
    jobUrl="https://jobs.example.com/42",
    benefits="Remote budget",
    requiredSkills=["Python", "x" * 128],
    niceToHaveSkills=["Rust"],
    languageRequirements=[{"language": "EN", "proficiency": "C1"}],
    education=["BACHELOR_LEVEL", "MASTER_LEVEL"],
    experience="MORE_THAN_10_YEARS",
    contractType="FREELANCE",
    location={
        "workMode": "HYBRID",
        "street": "Main 1",
        "city": "Bratislava",
        "postalCode": "81101",
        "countryCode": "SK",
    },
    salary={"min": 1000, "max": 2000.5, "currency": "EUR", "period": "YEARLY"},
    metadata={"team": "data"},
)


async def test_create_then_get(api: Api) -> None:
    made = await api.post("/jobs", FULL)
    assert made.status == 201, made.body
    for key, value in FULL.items():
        assert made.data[key] == value, key
    assert (await api.get(f"/jobs/{made.data['id']}")).data == made.data


async def test_defaults(api: Api) -> None:
    data = (await api.post("/jobs", job_body())).data
    assert data["experience"] == "UNDEFINED"
    for name in ("requiredSkills", "niceToHaveSkills", "languageRequirements", "education"):
        assert data[name] == [], name
    for name in ("jobUrl", "benefits", "contractType", "location", "salary"):
        assert data[name] is None, name
    assert data["metadata"] == {}
    located = await api.post(
        "/jobs", job_body(location={"city": "Kosice"}, salary={"currency": "USD"})
    )
    assert located.data["location"]["workMode"] == "UNDEFINED"
    assert located.data["salary"]["period"] == "MONTHLY"


@pytest.mark.parametrize("field", ["title", "description", "status"])
async def test_required_fields(api: Api, field: str) -> None:
    body = job_body()
    del body[field]
    reply = await api.post("/jobs", body)
    assert reply.status == 400
    assert reply.fields == [field]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"title": "Dev"}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": "too short"}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"status": "ARCHIVED"}, "status"),
        ({"jobUrl": "jobs.example.com"}, "jobUrl"),
        ({"benefits": "x" * 5001}, "benefits"),
        ({"requiredSkills": ["s"] * 11}, "requiredSkills"),
        ({"requiredSkills": [""]}, "requiredSkills.0"),
        ({"requiredSkills": ["x" * 129]}, "requiredSkills.0"),
        ({"niceToHaveSkills": ["s"] * 11}, "niceToHaveSkills"),
        (
            {"languageRequirements": [{"language": "EN", "proficiency": "B2"}] * 6},
            "languageRequirements",
        ),
        ({"languageRequirements": [{"language": "XX", "proficiency": "B2"}]},
         "languageRequirements.0.language"),
        ({"languageRequirements": [{"language": "EN", "proficiency": "D1"}]},
         "languageRequirements.0.proficiency"),
        ({"languageRequirements": [{"language": "EN"}]}, "languageRequirements.0.proficiency"),
        ({"education": ["PHD"]}, "education.0"),
        ({"experience": "TEN_YEARS"}, "experience"),
        ({"contractType": "SEASONAL"}, "contractType"),
        ({"location": {"workMode": "OFFICE"}}, "location.workMode"),
        ({"location": {"countryCode": "svk"}}, "location.countryCode"),
        ({"salary": {"currency": "euro"}}, "salary.currency"),
        ({"salary": {"min": 1}}, "salary.currency"),
        ({"salary": {"currency": "EUR", "period": "BIWEEKLY"}}, "salary.period"),
        ({"salary": {"currency": "EUR", "min": -1}}, "salary.min"),
        ({"salary": {"currency": "EUR", "min": 3, "max": 2}}, "salary"),
    ],
)  # fmt: skip
async def test_field_rules(api: Api, extra: dict[str, Any], field: str) -> None:
    reply = await api.post("/jobs", job_body(**extra))
    assert reply.status == 400, reply.body
    assert field in reply.fields


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("education", [[e.value] for e in Education]),
        ("experience", [e.value for e in Experience]),
        ("contractType", [c.value for c in ContractType]),
        ("status", ["UNDEFINED", "OPEN", "CLOSED"]),
        ("location", [{"workMode": m} for m in ("UNDEFINED", "ONSITE", "REMOTE", "HYBRID")]),
        ("salary", [{"currency": "EUR", "period": p.value} for p in SalaryPeriod]),
        (
            "languageRequirements",
            [[{"language": "DE", "proficiency": p.value}] for p in Proficiency],
        ),
    ],
)
async def test_every_enum_value_is_accepted(api: Api, name: str, values: list[Any]) -> None:
    for value in values:
        reply = await api.post("/jobs", job_body(**{name: value}))
        assert reply.status == 201, (value, reply.body)
        assert reply.data[name] == (
            {**value, **{k: v for k, v in reply.data[name].items() if k not in value}}
            if isinstance(value, dict)
            else value
        )


async def test_contract_enumerations_are_complete() -> None:
    assert {e.value for e in Experience} >= {
        "NO_EXPERIENCE",
        "FIVE_TO_10_YEARS",
        "MORE_THAN_10_YEARS",
    }
    assert len(Education) == 10
    assert len(ContractType) == 6


async def test_limits_at_the_edge_are_accepted(api: Api) -> None:
    edge = job_body(
        title="x" * 200,
        description="d" * 5000,
        requiredSkills=["s"] * 10,
        niceToHaveSkills=["n"] * 10,
        languageRequirements=[{"language": "EN", "proficiency": "A1"}] * 5,
        salary={"currency": "EUR", "min": 5, "max": 5},
    )
    assert (await api.post("/jobs", edge)).status == 201
    assert (await api.post("/jobs", job_body(title="Short"))).status == 201
    assert (await api.post("/jobs", job_body(description="0123456789"))).status == 201


async def test_company_scoping(api: Api) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        body = {"title": "Hijacked job"} if method == "PATCH" else None
        reply = await api.call(method, f"/jobs/{GLOBEX_JOB}", body)
        assert reply.status == 403, method
        assert reply.error["details"] == {"resourceType": "Job", "resourceId": GLOBEX_JOB}
    missing = await api.get(f"/jobs/{MISSING_ID}")
    assert missing.status == 404
    assert missing.error["details"] == {"resourceType": "Job", "resourceId": MISSING_ID}
    theirs = await api.as_key(GLOBEX_KEY).get(f"/jobs/{GLOBEX_JOB}")
    assert theirs.data["title"] == "Support Specialist"


async def test_list_status_filter_and_scoping(api: Api) -> None:
    closed = await new_job(api, status="CLOSED")
    items = (await api.get("/jobs")).data["items"]
    assert [j["id"] for j in items] == [ACME_JOB, closed]
    assert [j["id"] for j in (await api.get("/jobs?status=CLOSED")).data["items"]] == [closed]
    assert [j["id"] for j in (await api.get("/jobs?status=OPEN")).data["items"]] == [ACME_JOB]
    assert (await api.get("/jobs?status=closed")).fields == ["status"]
    theirs = (await api.as_key(GLOBEX_KEY).get("/jobs")).data
    assert [j["id"] for j in theirs["items"]] == [GLOBEX_JOB]
    assert theirs["pagination"]["total"] == 1


async def test_list_pagination(api: Api) -> None:
    for i in range(3):
        await new_job(api, title=f"Job number {i}")
    data = (await api.get("/jobs?limit=3&page=2")).data
    assert [j["title"] for j in data["items"]] == ["Job number 2"]
    assert data["pagination"] == {
        "total": 4,
        "page": 2,
        "limit": 3,
        "totalPages": 2,
        "hasNextPage": False,
        "hasPreviousPage": True,
    }
    assert (await api.get("/jobs?limit=101")).fields == ["limit"]


async def test_patch(api: Api) -> None:
    path = f"/jobs/{ACME_JOB}"
    reply = await api.patch(
        path,
        {"status": "CLOSED", "salary": {"currency": "EUR", "min": 1}, "education": ["UNDEFINED"]},
    )
    assert reply.status == 200, reply.body
    assert reply.data["status"] == "CLOSED"
    assert reply.data["salary"] == {"min": 1, "max": None, "currency": "EUR", "period": "MONTHLY"}
    assert reply.data["requiredSkills"] == ["Python", "SQL"]  # untouched
    assert (await api.get(path)).data == reply.data


async def test_patch_nulls(api: Api) -> None:
    path = f"/jobs/{ACME_JOB}"
    cleared = await api.patch(
        path,
        {
            "requiredSkills": None,
            "experience": None,
            "contractType": None,
            "location": None,
            "metadata": None,
        },
    )
    assert cleared.status == 200, cleared.body
    data = cleared.data
    assert (data["requiredSkills"], data["experience"], data["contractType"]) == (
        [],
        "UNDEFINED",
        None,
    )
    assert data["metadata"] == {}
    for field in ("title", "description", "status"):
        nulled = await api.patch(path, {field: None})
        assert nulled.status == 400
        assert nulled.fields == [field]


async def test_patch_rules(api: Api) -> None:
    path = f"/jobs/{ACME_JOB}"
    assert (await api.patch(path, {"title": "Dev"})).fields == ["title"]
    assert (
        await api.patch(path, {"salary": {"currency": "EUR", "min": 9, "max": 1}})
    ).status == 400
    assert (await api.get(path)).data["title"] == "Backend Engineer"


async def test_soft_delete(api: Api) -> None:
    job = await new_job(api)
    assert (await api.delete(f"/jobs/{job}")).data is True
    for method in ("GET", "PATCH", "DELETE"):
        body = {"title": "Revived job"} if method == "PATCH" else None
        gone = await api.call(method, f"/jobs/{job}", body)
        assert gone.status == 404, method
    assert job not in [j["id"] for j in (await api.get("/jobs")).data["items"]]


async def test_scopes(api: Api) -> None:
    ro = api.as_key(ACME_READONLY_KEY)
    assert (await ro.get(f"/jobs/{ACME_JOB}")).status == 200
    assert "write:jobs" in (await ro.post("/jobs", job_body())).error["message"]
    assert (
        "write:jobs" in (await ro.patch(f"/jobs/{ACME_JOB}", {"status": "CLOSED"})).error["message"]
    )
    assert "delete:jobs" in (await ro.delete(f"/jobs/{ACME_JOB}")).error["message"]


async def test_metadata_limits(api: Api) -> None:
    assert (
        await api.post("/jobs", job_body(metadata={f"k{i}": 1 for i in range(50)}))
    ).status == 201
    too_many = await api.post("/jobs", job_body(metadata={"a": {f"k{i}": 1 for i in range(50)}}))
    assert too_many.fields == ["metadata"]
    assert "51 keys" in too_many.error["message"]


@pytest.mark.parametrize("name", ["status", "page", "limit"])
async def test_an_empty_list_filter_is_a_400_naming_the_parameter(api: Api, name: str) -> None:
    reply = await api.get(f"/jobs?{name}=")
    assert (reply.status, reply.error["code"], reply.fields) == (400, "VALIDATION_ERROR", [name])
