"""``instaview-harness load`` and ``locustfile`` as users run them: flags, exit codes (0 all
2xx, 1 any failure, 2 bad options), the summary on stdout, progress on stderr, the JSON file."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.cli import main
from tests.load_support import ROOT, SECRET, counts, handler_process


@pytest.fixture(scope="module")
def handler() -> Iterator[str]:
    with handler_process() as base:
        yield base


def load(*args: str) -> int:
    return main(["load", *args])


def test_exit_0_and_a_json_report_when_every_delivery_is_2xx(
    handler: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = counts(handler)
    path = tmp_path / "load.json"
    code = load(
        "--to", f"{handler}/hook", "--secret", SECRET, "--rate", "100", "--duration", "0.5",
        "--report", str(path), "--events", "interview.completed, analysis.completed",
    )  # fmt: skip
    out, _ = capsys.readouterr()
    assert code == 0, out
    doc = json.loads(path.read_text())
    after = counts(handler)
    assert doc["sent"] == doc["ok"] == 50 and doc["failed"] == 0
    assert after["valid"] - before["valid"] == 50 == after["distinct"] - before["distinct"]
    assert set(doc["byEvent"]) == {"interview.completed", "analysis.completed"}
    assert "sent 50  ok 50  failed 0" in out


def test_exit_1_when_any_delivery_fails(handler: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = load("--to", f"{handler}/status/500", "--secret", SECRET, "--rate", "20",
                "--duration", "0.2", "--quiet")  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 1
    assert "errors  status: 4" in out and err == ""


def test_a_wrong_secret_fails_every_delivery(
    handler: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = load("--to", f"{handler}/hook", "--secret", "00" * 32, "--rate", "20",
                "--duration", "0.2", "--quiet")  # fmt: skip
    assert code == 1 and "status  401: 4" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--secret", "xyz"], "--secret must be 64 hex"),
        ([], "--secret is required"),
        (["--secret", SECRET, "--to", "http://example.com/hook"], "not loopback"),
        (["--secret", SECRET, "--to", "ftp://127.0.0.1/hook"], "absolute http"),
        (["--secret", SECRET, "--duration", "7200"], "--duration must be"),
        (["--secret", SECRET, "--rate", "100000", "--duration", "3600"], "deliveries; at most"),
        (["--secret", SECRET, "--concurrency", "0"], "--concurrency must be"),
        (["--secret", SECRET, "--events", "interview.exploded"], "unknown event"),
        (["--secret", SECRET, "--events", ","], "--events names no event"),
        (["--secret", SECRET, "--report", "out.xml"], "use a .json file name"),
    ],
)
def test_bad_options_exit_2_naming_the_option(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    defaults = {"--to": "http://127.0.0.1:9/hook", "--rate": "10", "--duration": "1"}
    for flag in args[::2]:
        defaults.pop(flag, None)
    given = [x for pair in defaults.items() for x in pair]
    assert load(*given, *args) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("flag", "value"), [("--rate", "0"), ("--rate", "many"), ("--duration", "-1"),
                        ("--timeout", "inf")]
)  # fmt: skip
def test_numbers_that_are_not_positive_are_refused_by_the_parser(
    flag: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--to", "http://127.0.0.1:9/", "--secret", SECRET, "--rate", "1", flag, value]
    with pytest.raises(SystemExit) as exited:
        load(*args)
    assert exited.value.code == 2
    assert f"{flag} must be" in capsys.readouterr().err


def test_the_scheme_none_needs_no_secret(handler: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = load("--to", f"{handler}/status/204", "--scheme", "none", "--rate", "10",
                "--duration", "0.2", "--quiet")  # fmt: skip
    assert code == 0 and "ok 2" in capsys.readouterr().out


def test_as_a_process_it_prints_progress_on_stderr_and_the_summary_on_stdout(
    handler: str,
) -> None:
    command = [sys.executable, "-m", "harness", "load", "--to", f"{handler}/hook",
               "--secret", SECRET, "--rate", "50", "--duration", "1.5"]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    progress = done.stderr.splitlines()
    assert len(progress) >= 2 and all(line.startswith("load ") for line in progress)
    assert done.stdout.startswith(f"load {handler}/hook: 50/s for 1.5 s")
    assert "sent 75  ok 75  failed 0" in done.stdout


def test_locustfile_prints_the_path_of_the_shipped_user_class(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["locustfile"]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.name == "locustfile.py" and path.is_file()
    assert "class WebhookDeliveries(FastHttpUser)" in path.read_text()
