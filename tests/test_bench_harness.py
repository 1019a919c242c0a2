"""The pieces ``make bench`` is built from work (no timing is asserted): wrk's output is parsed,
the requests file round-trips through the Lua script wrk runs, targets start and answer, the
``serve`` end-to-end drain counts both deliveries of each create, the dispatcher driver
delivers, and the table judges each issue-12 target from the figures it is given."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from benchmarks import measure, wrk
from benchmarks.measure import Figure
from benchmarks.report import Target, table, verdict
from benchmarks.targets import (
    bare_command,
    harness_command,
    ready_fields,
    started,
    world_without_webhooks,
)

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:40887
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.52ms  366.30us   12.24ms   85.71%
    Req/Sec    21.2k     1.38k    24.00k    66.67%
  105623 requests in 5.01s, 19.64MB read
  Socket errors: connect 0, read 2, write 1, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:  21082.83
Transfer/sec:      3.92MB
"""


def _need_wrk() -> None:
    if shutil.which("wrk") is None:
        missing = "wrk is not installed (make bench installs it; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)


def test_wrk_output_is_parsed_into_counts_rate_and_errors() -> None:
    result = wrk.parse(WRK_OUTPUT)
    assert result.requests == 105623
    assert result.seconds == pytest.approx(5.01)
    assert result.rps == pytest.approx(21082.83)
    assert result.non_2xx == 7
    assert result.socket_errors == 6
    assert result.errors == 13
    assert result.latency_avg_ms == pytest.approx(1.52)


def test_wrk_output_without_errors_counts_none() -> None:
    clean = "\n".join(
        line for line in WRK_OUTPUT.splitlines() if "errors" not in line and "Non-2xx" not in line
    )
    assert wrk.parse(clean).errors == 0


def test_text_that_is_not_wrk_output_is_refused() -> None:
    with pytest.raises(ValueError, match="not wrk output"):
        wrk.parse("wrk: command not found")


def test_a_body_with_a_newline_cannot_go_in_a_requests_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="one line"):
        wrk.requests_file([wrk.Request("POST", "/x", {}, b"{\n}")], tmp_path / "r")


def test_the_load_generator_and_the_servers_get_different_cpus() -> None:
    assert wrk.SERVER_CPU != wrk.LOAD_CPU
    command = wrk.command("http://127.0.0.1:1", Path("r"), 1) if shutil.which("wrk") else []
    if command and len(os.sched_getaffinity(0)) > 1:
        assert command[:3] == [shutil.which("taskset"), "-c", str(wrk.LOAD_CPU)]
        assert "-t1" in command and f"-c{wrk.CONNECTIONS}" in command


def test_ready_lines_of_the_bare_targets_and_the_harness_give_their_urls() -> None:
    assert ready_fields("port=8123\n") == {"url": "http://127.0.0.1:8123"}
    fields = ready_fields("ready api=http://127.0.0.1:1 receiver=http://127.0.0.1:2\n")
    assert fields == {"api": "http://127.0.0.1:1", "receiver": "http://127.0.0.1:2"}
    with pytest.raises(RuntimeError, match="did not start"):
        ready_fields("Traceback (most recent call last):")


def test_the_api_alone_runs_on_the_default_world_without_its_webhooks(tmp_path: Path) -> None:
    world = json.loads(world_without_webhooks(tmp_path).read_text())
    assert world["companies"]
    assert all(company["webhooks"] == [] for company in world["companies"])
    command = harness_command("api", tmp_path)
    assert command[command.index("--world") + 1] == str(tmp_path / "world-no-webhooks.json")
    assert "--world" not in harness_command("serve", tmp_path)


def test_signed_captures_each_have_their_own_delivery_id() -> None:
    pool = measure.capture_requests(3)
    ids = {r.headers["webhook-id"] for r in pool}
    assert len(ids) == 3
    assert {json.loads(r.body)["deliveryId"] for r in pool} == ids


def _wrk_sends(tmp_path: Path, requests: list[wrk.Request], expect: int) -> None:
    """Every request in the file reaches the target (a bare sink answers each one)."""
    with started(bare_command("sink" if expect == 204 else "bare")) as target:
        measure.probe(target.url, requests[0], expect)
        result = wrk.run(target.url, wrk.requests_file(requests, tmp_path / "r"), 1)
    assert result.requests > 0
    assert result.errors == 0


@pytest.mark.timeout(120)
def test_wrk_sends_the_requests_file_through_the_lua_script(tmp_path: Path) -> None:
    _need_wrk()
    _wrk_sends(tmp_path, [measure.create_request()], 201)
    _wrk_sends(tmp_path, measure.capture_requests(5), 204)


@pytest.mark.timeout(120)
def test_wrong_paths_count_as_errors_under_wrk(tmp_path: Path) -> None:
    _need_wrk()
    wrong = wrk.Request("POST", "/nowhere", {}, b"{}")
    with started(bare_command("bare")) as target:
        result = wrk.run(target.url, wrk.requests_file([wrong], tmp_path / "r"), 1)
    assert result.requests > 0
    assert result.non_2xx == result.requests


@pytest.mark.timeout(180)
def test_serve_end_to_end_counts_two_checked_captures_per_create(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _need_wrk()
    monkeypatch.setattr(measure, "WARM_S", 1.0)
    monkeypatch.setattr(measure, "RUN_S", 1.0)
    with started(harness_command("serve", tmp_path)) as serve:
        figure = measure.end_to_end("serve", "serve", serve, tmp_path)
        total, good = measure.verdicts(serve.urls["receiver"])
    assert figure.requests > 0
    assert figure.errors == 0
    assert total == good
    assert total >= 2 * figure.requests


@pytest.mark.timeout(120)
def test_the_dispatcher_driver_delivers_every_event_to_the_sink() -> None:
    with started(bare_command("sink")) as sink:
        figure = measure.dispatcher(sink, 50)
    assert figure.requests == 50
    assert figure.errors == 0


def _figure(name: str, rps: float, errors: int = 0) -> Figure:
    return Figure(name, name, rps, int(rps), errors, 100.0)


def test_targets_pass_at_their_ratio_and_fail_below_it_or_with_errors() -> None:
    rows = {f.name: f for f in (_figure("bare", 1000), _figure("api", 250))}
    assert verdict(rows, Target("api", "bare", 0.25)) == ("0.25x", ">= 0.25x", "PASS")
    assert verdict(rows, Target("api", "bare", 0.3))[2] == "FAIL"
    rows["api"] = _figure("api", 900, errors=1)
    assert verdict(rows, Target("api", "bare", 0.25))[2] == "FAIL"


def test_a_baseline_that_answered_nothing_is_beaten_by_any_clean_rate() -> None:
    rows = {f.name: f for f in (_figure("serve", 50), _figure("prism", 0))}
    assert verdict(rows, Target("serve", "prism", 1.0)) == ("inf", ">= 1x", "PASS (prism: 0 req/s)")
    rows["serve"] = _figure("serve", 50, errors=2)
    assert verdict(rows, Target("serve", "prism", 1.0))[2].startswith("FAIL")


def test_a_target_whose_peer_was_not_run_says_how_to_run_it() -> None:
    rows = {"api": _figure("api", 250)}
    assert verdict(rows, Target("api", "wiremock", 1.0))[2] == "- (make bench-peers)"


def test_the_table_shows_every_figure_its_ratio_to_bare_and_every_target() -> None:
    text = table(
        [_figure("bare", 2000), _figure("api", 1000)],
        [Target("api", "bare", 0.25), Target("serve", "prism", 1.0)],
    )
    assert "| 0.50 |" in text.replace("  ", " ") or "0.50" in text
    assert "api / bare" in text and "PASS" in text
    assert "serve / prism" in text and "make bench-peers" in text
    assert "23,100" in text  # the figure for the bare handler, beside ours
