"""openapi-python-client, fed the document exactly as served, generates a client for every
operation that passes ``mypy --strict`` and creates and reads back an isTest interview."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.served import serve
from tests.support import ACME_KEY

BIN = Path(sys.executable).parent
METHODS = ("get", "post", "patch", "put", "delete")
#: YAML answers are handed to the caller as bytes (the generator cannot parse YAML).
CONFIG = "content_type_overrides:\n  application/yaml: application/octet-stream\npost_hooks: []\n"

USE = '''
"""A user's script: create an isTest interview with the generated client and read it back."""

import sys

from instaview_client import AuthenticatedClient
from instaview_client.api.interviews import create_interview, get_interview
from instaview_client.models import CreateInterview, InterviewResponse, InterviewStatus

client = AuthenticatedClient(base_url=sys.argv[1], token=sys.argv[2])
body = CreateInterview.from_dict(
    {
        "candidate": {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com",
                      "gdprExpiryDate": "2030-01-01"},
        "agent": {"name": "Screening call", "focus": "SCREENING"},
        "job": {"title": "Backend Engineer", "description": "Builds the services."},
        "isTest": True,
    }
)
created = create_interview.sync_detailed(client=client, body=body)
assert created.status_code == 201, created.content
assert isinstance(created.parsed, InterviewResponse), created.parsed
read = get_interview.sync(id=created.parsed.data.id, client=client)
assert isinstance(read, InterviewResponse), read
assert read.data.status == InterviewStatus.COMPLETED and read.data.is_test is True
print(read.data.id)
'''


def _run(*command: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.mark.timeout(300)
def test_a_generated_client_covers_every_operation_type_checks_and_creates_an_interview(
    tmp_path: Path,
) -> None:
    with serve() as served:
        with urllib.request.urlopen(f"{served.api}/openapi.json", timeout=10) as answer:
            document = answer.read()
        (tmp_path / "openapi.json").write_bytes(document)
        (tmp_path / "config.yaml").write_text(CONFIG)
        generated = _run(
            str(BIN / "openapi-python-client"),
            "generate",
            "--path=openapi.json",
            "--meta=none",
            "--config=config.yaml",
            "--output-path=instaview_client",
            cwd=tmp_path,
        )
        assert generated.returncode == 0, generated.stdout + generated.stderr
        assert "Warning" not in generated.stdout, generated.stdout

        operations = [
            op["operationId"]
            for item in json.loads(document)["paths"].values()
            for method, op in item.items()
            if method in METHODS
        ]
        modules = sorted((tmp_path / "instaview_client" / "api").glob("*/*.py"))
        endpoints = {p.stem for p in modules if p.stem != "__init__"}
        assert len(endpoints) == len(operations) > 40

        (tmp_path / "use_client.py").write_text(USE)
        checked = _run(
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "instaview_client",
            "use_client.py",
            cwd=tmp_path,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr

        used = _run(sys.executable, "use_client.py", served.api, ACME_KEY, cwd=tmp_path)
        assert used.returncode == 0, used.stdout + used.stderr
        assert len(used.stdout.strip()) == 36  # the interview's UUID
