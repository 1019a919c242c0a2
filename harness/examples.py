"""The documented, fully inline create-interview body: one copy for the banner, the pytest
plugin's default interview and the benchmarks."""

from __future__ import annotations

from typing import Any


def example_interview_body(**extra: Any) -> dict[str, Any]:
    """An ``isTest`` interview with inline candidate, agent and job (override any field)."""
    return {
        "candidate": {
            "firstName": "Ada",
            "lastName": "Lovelace",
            "email": "ada@example.com",
            "gdprExpiryDate": "2030-01-01",
        },
        "agent": {"name": "Screening call", "focus": "SCREENING"},
        "job": {"title": "Backend Engineer", "description": "Builds the services behind hiring."},
        "isTest": True,
        **extra,
    }
