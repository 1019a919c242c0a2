"""What ``make run`` prints after the ready line: keys and a copy-paste curl."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from harness.api.state import CLOCK, STORE
from harness.examples import example_interview_body

if TYPE_CHECKING:
    from harness.runtime import Running


def demo_banner(run: Running) -> str:
    lines = ["", "Instaview harness is running.", f"  API base URL: {run.api_url}"]
    lines.append(f"  Receiver:     {run.receiver_url}  (captures at {run.receiver_url}/events)")
    lines.append("  API keys:")
    first_key = ""
    for company in run.api[STORE].companies.values():
        for api_key in company.api_keys:
            kind = "full access" if len(api_key.scopes) > 10 else "read-only"
            plan = company.plan.value if company.plan is not None else "no plan"
            state = api_key.status(run.api[CLOCK].now())
            if state != "ACTIVE":
                kind = state.lower()
            lines.append(f"    {api_key.key}  {company.name} ({plan}, {kind})")
            if state == "ACTIVE":
                first_key = first_key or api_key.key
    body = json.dumps(example_interview_body())
    lines += [
        "",
        "Create a test interview:",
        f"  curl -s -X POST {run.api_url}/interviews \\",
        f"    -H 'Authorization: Bearer {first_key}' -H 'Content-Type: application/json' \\",
        f"    -d '{body}'",
        "",
        "Stop with Ctrl-C.",
    ]
    return "\n".join(lines)
