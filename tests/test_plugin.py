"""The pytest plugin as a user meets it: generated test files run in a pytester sub-session."""

from __future__ import annotations

import pytest

from tests.plugin_support import run_user_tests

BOTH_EVENTS = """
import pytest


@pytest.mark.asyncio
async def test_async_user(instaview):
    interview = await instaview.create_interview({**BODY, "isTest": True})
    done = await instaview.wait_for("interview.completed", interview_id=interview["id"])
    analysis = await instaview.wait_for(
        "analysis.completed", interview_id=interview["id"], timeout=5
    )
    assert done.data["status"] == "COMPLETED"
    assert analysis.data["isTest"] is True
    assert analysis.signature == "valid" and analysis.schema_errors == []
    instaview.assert_valid_event(analysis.body)


def test_sync_user(instaview_sync):
    interview = instaview_sync.create_interview({**BODY, "isTest": True})
    done = instaview_sync.wait_for("interview.completed", interview_id=interview["id"])
    analysis = instaview_sync.wait_for("analysis.completed", interview_id=interview["id"])
    assert done.id < analysis.id
    assert analysis.data["analysis"]["general"]["overallRating"] >= 0


BODY = {
    "candidate": {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com",
                  "gdprExpiryDate": "2030-01-01"},
    "agent": {"name": "Screening call", "focus": "SCREENING"},
    "job": {"title": "Backend Engineer", "description": "Builds the services."},
}
"""


def test_async_and_sync_users_wait_for_both_events(pytester: pytest.Pytester) -> None:
    result = run_user_tests(pytester, BOTH_EVENTS)
    result.assert_outcomes(passed=2)


TIMEOUT = """
def test_waits_for_an_event_that_never_comes(instaview_sync):
    interview = instaview_sync.create_interview()
    instaview_sync.wait_for("analysis.completed", interview_id=interview["id"])
    instaview_sync.wait_for("interview.failed", interview_id=interview["id"], timeout=0.2)
"""


def test_a_timed_out_wait_fails_listing_every_event_that_arrived(
    pytester: pytest.Pytester,
) -> None:
    result = run_user_tests(pytester, TIMEOUT)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*EventTimeout: no event matching event=interview.failed, interviewId=* "
            "arrived within 0.2s",
            "*2 event(s) did arrive:",
            "*#* interview.completed interviewId=* channel=acme signature=valid",
            "*#* analysis.completed interviewId=* channel=acme signature=valid",
        ]
    )


TIMEOUT_IS_ASSERTION = """
import pytest

@pytest.mark.asyncio
async def test_timeout_is_an_assertion_error(instaview):
    with pytest.raises(AssertionError) as info:
        await instaview.wait_for("ping", timeout=0)
    assert "no events arrived at all" in str(info.value)
"""


def test_the_timeout_is_an_assertion_error(pytester: pytest.Pytester) -> None:
    run_user_tests(pytester, TIMEOUT_IS_ASSERTION).assert_outcomes(passed=1)


INVALID_EVENT = """
from harness import assert_valid_event


def test_a_broken_payload(instaview_sync):
    interview = instaview_sync.create_interview()
    body = instaview_sync.wait_for("analysis.completed", interview_id=interview["id"]).body
    body["data"]["isTest"] = "yes"
    del body["data"]["interviewId"]
    body["data"]["analysis"]["general"]["overallRating"] = 101
    assert_valid_event(body)
"""


def test_assert_valid_event_lists_every_violation_with_both_paths(
    pytester: pytest.Pytester,
) -> None:
    result = run_user_tests(pytester, INVALID_EVENT)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*SchemaViolationError: 3 violation(s) of schema 'events/analysis.completed':",
            "*at /data: 'interviewId' is a required property (schema path */required*",
            "*at /data/analysis/general/overallRating: 101 is greater than the maximum of 100 "
            "(schema path */maximum, keyword maximum, level vendor)",
            "*at /data/isTest: 'yes' is not of type 'boolean' "
            "(schema path */type, keyword type, level vendor)",
        ]
    )


ISOLATION = """
import pytest

@pytest.mark.parametrize("round", [1, 2])
def test_each_test_starts_fresh(instaview_sync, round):
    assert instaview_sync.events() == []
    hook = instaview_sync.register_webhook(channel="mine", events=["ping"])
    assert [h["url"] for h in [] ] == []
    interview = instaview_sync.create_interview()
    instaview_sync.wait_for("analysis.completed", interview_id=interview["id"])
    listed = instaview_sync.request("GET", "/webhooks").data
    assert len(listed) == 2, listed  # the world's and this test's, never an earlier test's
"""


def test_each_test_gets_a_fresh_world_from_one_session_server(pytester: pytest.Pytester) -> None:
    run_user_tests(pytester, ISOLATION).assert_outcomes(passed=2)
