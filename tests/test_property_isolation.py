"""Property: no sequence of requests by one company's key reads, references or changes the other
company's data. Every answer is a 403/404 for a foreign id, or holds only the caller's own ids."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.api.state import STORE
from tests.api_helpers import agent_body, candidate_body, job_body
from tests.support import ACME_KEY, GLOBEX_KEY, Api, inline_agent, inline_candidate, inline_job

KINDS = ("candidates", "jobs", "agents", "interviews")
POOLS = ("own", "foreign", "missing")


@dataclass
class Ids:
    """Ids the test has seen, by kind, for one company."""

    by_kind: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in KINDS})

    def pick(self, kind: str, index: int) -> str | None:
        ids = self.by_kind[kind]
        return ids[index % len(ids)] if ids else None


Step = tuple[str, str, str, int, bool]
STEPS = st.tuples(
    st.sampled_from(["create", "get", "list", "patch", "delete", "interview", "list_interviews"]),
    st.sampled_from(KINDS),
    st.sampled_from(POOLS),
    st.integers(0, 20),
    st.booleans(),
)


def _uuids(value: Any) -> set[str]:
    """Every UUID-shaped string anywhere in a JSON value (keys included)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            found |= _uuids(k) | _uuids(v)
    elif isinstance(value, list):
        for v in value:
            found |= _uuids(v)
    elif isinstance(value, str) and len(value) == 36:
        with contextlib.suppress(ValueError):
            found.add(str(UUID(value)))
    return found


def _foreign_state(api: Api, own_company: UUID) -> tuple[set[str], dict[str, Any]]:
    """Every id that is not the caller's (records, companies, phone numbers) and a snapshot of
    the other company's records."""
    store = api.client.app[STORE]
    ids: set[str] = set()
    snapshot: dict[str, Any] = {}
    for company in store.companies.values():
        if company.id != own_company:
            ids |= {str(company.id), *(str(p) for p in company.phone_numbers)}
    for table in store.tables():
        for record in table.values():
            if record.company_id != own_company:
                ids.add(str(record.id))
                snapshot[str(record.id)] = record.model_dump()
    return ids, snapshot


async def _seed(api: Api, key: str, ids: Ids) -> None:
    """Ids the company already has, plus one of each kind created now."""
    for kind in ("candidates", "jobs", "agents"):
        for item in (await api.as_key(key).get(f"/{kind}")).data["items"]:
            ids.by_kind[kind].append(item["id"])
    body = {"candidate": inline_candidate(), "agent": inline_agent(), "job": inline_job()}
    made = (await api.as_key(key).post("/interviews", {**body, "isTest": True})).data
    ids.by_kind["interviews"].append(made["id"])
    for kind, name in (("candidates", "candidateId"), ("jobs", "jobId"), ("agents", "agentId")):
        ids.by_kind[kind].append(made[name])


def _resolve(pool: str, kind: str, index: int, own: Ids, foreign: Ids) -> tuple[str, bool]:
    """An id of the pool, and whether it is foreign."""
    if pool == "foreign":
        picked = foreign.pick(kind, index)
        if picked is not None:
            return picked, True
    if pool == "own":
        picked = own.pick(kind, index)
        if picked is not None:
            return picked, False
    return str(uuid4()), False


async def _run(api: Api, step: Step, own: Ids, foreign: Ids) -> tuple[Any, bool]:
    """Sends one request; returns the reply and whether it referenced a foreign id."""
    op, kind, pool, index, flag = step
    rid, alien = _resolve(pool, kind, index, own, foreign)
    if op == "create" and kind != "interviews":
        bodies = {"candidates": candidate_body, "jobs": job_body, "agents": agent_body}
        body = bodies[kind]()
        alien = False
        if kind == "candidates" and flag:  # assign a job from the pool
            rid, alien = _resolve(pool, "jobs", index, own, foreign)
            body["jobIds"] = [rid]
        return await api.post(f"/{kind}", body), alien
    if op in {"get", "delete"} or (op == "create" and kind == "interviews"):
        method = "DELETE" if op == "delete" else "GET"
        return await api.call(method, f"/{kind}/{rid}"), alien
    if op == "patch":
        if kind == "interviews":
            return await api.get(f"/interviews/{rid}"), alien
        body = {"candidates": {"status": "REJECTED"}, "jobs": {"status": "CLOSED"}}
        return await api.patch(f"/{kind}/{rid}", body.get(kind, {"duration": 5})), alien
    if op == "list":
        if kind == "candidates" and flag:
            rid, alien = _resolve(pool, "jobs", index, own, foreign)
            return await api.get(f"/candidates?jobId={rid}"), False  # a filter, not a reference
        path = "interviews?candidateId=" + (own.pick("candidates", index) or rid)
        return await api.get(f"/{path if kind == 'interviews' else kind}"), False
    if op == "list_interviews":
        cid, alien = _resolve(pool, "candidates", index, own, foreign)
        return await api.get(f"/interviews?candidateId={cid}"), alien
    # op == "interview": reference a candidate, agent and (maybe) job from the pool
    cid, a1 = _resolve(pool, "candidates", index, own, foreign)
    aid, a2 = _resolve(pool if flag else "own", "agents", index + 1, own, foreign)
    body: dict[str, Any] = {"candidateId": cid, "agentId": aid, "isTest": index % 2 == 0}
    alien = a1 or a2
    if kind == "jobs":
        jid, a3 = _resolve(pool, "jobs", index + 2, own, foreign)
        body["jobId"] = jid
        alien = alien or a3
    reply = await api.post("/interviews", body)
    if reply.status == 201:
        own.by_kind["interviews"].append(reply.data["id"])
    return reply, alien


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(acting=st.sampled_from([ACME_KEY, GLOBEX_KEY]), steps=st.lists(STEPS, max_size=15))
async def test_a_key_never_touches_another_companys_data(
    api: Api, acting: str, steps: list[Step]
) -> None:
    assert (await api.post("/_harness/reset")).status == 200
    other = GLOBEX_KEY if acting == ACME_KEY else ACME_KEY
    own, foreign = Ids(), Ids()
    await _seed(api, acting, own)
    await _seed(api, other, foreign)
    company, _ = api.client.app[STORE].keys[acting]
    foreign_ids, before = _foreign_state(api, company.id)
    me = api.as_key(acting)
    for step in steps:
        reply, alien = await _run(me, step, own, foreign)
        assert reply.status < 500, (step, reply.body)
        if 200 <= reply.status < 300:
            assert not alien, (step, reply.body)
            leaked = _uuids(reply.body) & foreign_ids
            assert not leaked, (step, leaked)
            data = reply.data
            if step[0] == "create" and isinstance(data, dict) and "id" in data:
                own.by_kind[step[1]].append(data["id"])
        elif alien:
            assert reply.status in {400, 403, 404}, (step, reply.body)
            if reply.status == 403:
                assert reply.error["code"] == "RESOURCE_ACCESS_DENIED"
    _, after = _foreign_state(api, company.id)
    assert after == before  # the other company's records are exactly as they were
