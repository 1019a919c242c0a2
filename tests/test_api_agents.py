"""``/agents``: every field rule and enum, PHONE numbers, list, patch, soft delete."""

from __future__ import annotations

from typing import Any

import pytest

from harness.domain.enums import Language, Voice
from tests.api_helpers import agent_body, new_agent
from tests.support import (
    ACME_AGENT_GENERIC,
    ACME_AGENT_PHONE,
    ACME_PHONE,
    ACME_READONLY_KEY,
    GLOBEX_AGENT_GENERIC,
    GLOBEX_KEY,
    GLOBEX_PHONE,
    MISSING_ID,
    Api,
)

# fmt: off
LANGUAGES = [
    "UNDEFINED", "EN", "JA", "ZH", "DE", "HI", "FR", "KO", "PT", "IT", "ES", "ID", "NL", "TR",
    "FIL", "PL", "SV", "BG", "RO", "AR", "CS", "EL", "FI", "HR", "MS", "SK", "DA", "TA", "UK",
    "RU", "HU", "NO", "VI",
]
VOICES = [
    "ALEX", "PETER", "MIRIAM", "SUE", "VIERA", "CASANDRA", "SILVIA", "MICHAEL", "LUKE", "EMMA",
    "SARAH", "EVA",
]
# fmt: on


async def test_create_then_get(api: Api) -> None:
    body = agent_body(
        type="PHONE",
        companyPhoneNumberId=ACME_PHONE,
        focus="LANGUAGE_TEST",
        language="SK",
        duration=180,
        questions=["Tell us about yourself", "Why us?"],
        instructions="Be friendly",
        voiceId="VIERA",
        cefrLevel="C2",
        backgroundSound="OFF",
        metadata={"v": 1},
    )
    made = await api.post("/agents", body)
    assert made.status == 201, made.body
    for key, value in body.items():
        assert made.data[key] == value, key
    assert (await api.get(f"/agents/{made.data['id']}")).data == made.data


async def test_defaults(api: Api) -> None:
    data = (await api.post("/agents", {"name": "Hi"})).data
    assert data["type"] == "ONLINE"
    assert data["focus"] == "GENERIC"
    assert data["language"] == "EN"
    assert data["backgroundSound"] == "OFFICE"
    assert data["questions"] == []
    assert data["metadata"] == {}
    assert 1 <= data["duration"] <= 180
    assert data["companyPhoneNumberId"] is None


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"name": "A"}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"type": "VIDEO"}, "type"),
        ({"focus": "TECHNICAL"}, "focus"),
        ({"language": "EO"}, "language"),
        ({"language": "en"}, "language"),
        ({"duration": 0}, "duration"),
        ({"duration": 181}, "duration"),
        ({"questions": [""]}, "questions.0"),
        ({"questions": "Why?"}, "questions"),
        ({"voiceId": "BOB"}, "voiceId"),
        ({"cefrLevel": "C3"}, "cefrLevel"),
        ({"backgroundSound": "CAFE"}, "backgroundSound"),
        ({"instructions": "x" * 5001}, "instructions"),
        ({"metadata": {"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}}}, "metadata"),
    ],
)
async def test_field_rules(api: Api, extra: dict[str, Any], field: str) -> None:
    reply = await api.post("/agents", agent_body(**extra))
    assert reply.status == 400, reply.body
    assert field in reply.fields


async def test_a_whole_number_written_with_a_fraction_is_an_integer(api: Api) -> None:
    created = await api.post("/agents", agent_body(duration=15.0))
    assert created.status == 201, created.body
    assert created.data["duration"] == 15
    assert isinstance(created.data["duration"], int)
    patched = await api.patch(f"/agents/{created.data['id']}", {"duration": 1.8e2})
    assert patched.data["duration"] == 180
    for value in (15.5, "15", True, 1e400):
        reply = await api.post("/agents", agent_body(duration=value))
        assert (reply.status, reply.fields) == (400, ["duration"]), value


async def test_name_is_required(api: Api) -> None:
    assert (await api.post("/agents", {"focus": "GENERIC"})).fields == ["name"]


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("language", LANGUAGES),
        ("voiceId", VOICES),
        ("focus", ["GENERIC", "SCREENING", "OUTREACH", "LANGUAGE_TEST"]),
        ("cefrLevel", ["A1", "A2", "B1", "B2", "C1", "C2"]),
        ("backgroundSound", ["OFFICE", "OFF"]),
        ("type", ["UNDEFINED", "ONLINE"]),
        ("duration", [1, 180]),
    ],
)
async def test_every_value_is_accepted(api: Api, name: str, values: list[Any]) -> None:
    for value in values:
        reply = await api.post("/agents", agent_body(**{name: value}))
        assert reply.status == 201, (value, reply.body)
        assert reply.data[name] == value


def test_enums_match_the_contract() -> None:
    assert [lang.value for lang in Language] == LANGUAGES
    assert [v.value for v in Voice] == VOICES


async def test_phone_agent_needs_a_phone_number(api: Api) -> None:
    missing = await api.post("/agents", agent_body(type="PHONE"))
    assert missing.status == 400
    assert missing.fields == ["companyPhoneNumberId"]
    foreign = await api.post("/agents", agent_body(type="PHONE", companyPhoneNumberId=GLOBEX_PHONE))
    assert foreign.status == 403
    assert foreign.error["code"] == "RESOURCE_ACCESS_DENIED"
    assert foreign.error["details"] == {"resourceType": "PhoneNumber", "resourceId": GLOBEX_PHONE}
    unknown = await api.post("/agents", agent_body(type="PHONE", companyPhoneNumberId=MISSING_ID))
    assert unknown.status == 404
    assert unknown.error["details"] == {"resourceType": "PhoneNumber", "resourceId": MISSING_ID}
    theirs = await api.as_key(GLOBEX_KEY).post(
        "/agents", agent_body(type="PHONE", companyPhoneNumberId=GLOBEX_PHONE)
    )
    assert theirs.status == 201


async def test_patch_keeps_the_phone_rule(api: Api) -> None:
    online = await new_agent(api)
    to_phone = await api.patch(f"/agents/{online}", {"type": "PHONE"})
    assert to_phone.fields == ["companyPhoneNumberId"]
    ok = await api.patch(f"/agents/{online}", {"type": "PHONE", "companyPhoneNumberId": ACME_PHONE})
    assert ok.data["type"] == "PHONE"
    drop = await api.patch(f"/agents/{ACME_AGENT_PHONE}", {"companyPhoneNumberId": None})
    assert drop.fields == ["companyPhoneNumberId"]
    steal = await api.patch(f"/agents/{ACME_AGENT_PHONE}", {"companyPhoneNumberId": GLOBEX_PHONE})
    assert steal.status == 403
    back = await api.patch(f"/agents/{ACME_AGENT_PHONE}", {"type": "ONLINE"})
    assert back.data["type"] == "ONLINE"


async def test_patch(api: Api) -> None:
    path = f"/agents/{ACME_AGENT_GENERIC}"
    reply = await api.patch(path, {"duration": 30, "questions": ["Why?"], "voiceId": "EVA"})
    assert reply.status == 200
    assert (reply.data["duration"], reply.data["questions"], reply.data["voiceId"]) == (
        30,
        ["Why?"],
        "EVA",
    )
    assert reply.data["name"] == "Generic online interview"
    assert (await api.patch(path, {"questions": None})).data["questions"] == []
    assert (await api.patch(path, {"voiceId": None})).data["voiceId"] is None
    for field in ("name", "type", "focus", "language", "duration", "backgroundSound"):
        nulled = await api.patch(path, {field: None})
        assert nulled.status == 400, field
        assert nulled.fields == [field]
    assert (await api.patch(path, {"duration": 0})).fields == ["duration"]
    assert (await api.get(path)).data["duration"] == 30


async def test_company_scoping(api: Api) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        body = {"name": "Stolen"} if method == "PATCH" else None
        reply = await api.call(method, f"/agents/{GLOBEX_AGENT_GENERIC}", body)
        assert reply.status == 403, method
        assert reply.error["details"] == {
            "resourceType": "Agent",
            "resourceId": GLOBEX_AGENT_GENERIC,
        }
    assert (await api.get(f"/agents/{MISSING_ID}")).status == 404
    ids = [a["id"] for a in (await api.get("/agents")).data["items"]]
    assert len(ids) == 4
    assert GLOBEX_AGENT_GENERIC not in ids
    assert (await api.as_key(GLOBEX_KEY).get("/agents")).data["pagination"]["total"] == 2


async def test_list_pagination(api: Api) -> None:
    data = (await api.get("/agents?limit=3")).data
    assert len(data["items"]) == 3
    assert data["pagination"]["totalPages"] == 2
    assert data["pagination"]["hasNextPage"] is True
    assert (await api.get("/agents?page=0")).fields == ["page"]


async def test_soft_delete(api: Api) -> None:
    agent = await new_agent(api)
    assert (await api.delete(f"/agents/{agent}")).data is True
    assert (await api.get(f"/agents/{agent}")).status == 404
    assert (await api.delete(f"/agents/{agent}")).status == 404
    assert agent not in [a["id"] for a in (await api.get("/agents")).data["items"]]


async def test_scopes(api: Api) -> None:
    ro = api.as_key(ACME_READONLY_KEY)
    assert (await ro.get("/agents")).status == 200
    assert "write:agents" in (await ro.post("/agents", agent_body())).error["message"]
    assert "delete:agents" in (await ro.delete(f"/agents/{ACME_AGENT_GENERIC}")).error["message"]


@pytest.mark.parametrize("name", ["page", "limit"])
async def test_an_empty_list_parameter_is_a_400_naming_it(api: Api, name: str) -> None:
    reply = await api.get(f"/v1/agents?{name}=")
    assert (reply.status, reply.error["code"], reply.fields) == (400, "VALIDATION_ERROR", [name])
