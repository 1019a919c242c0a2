"""The QA commands from the wheel, on its shipped fixture corpus, against a handler on loopback."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from smoke_support import CLI, SECRET, MakeHandler, run_cli

from harness._data import fixtures_dir

WEBHOOKS = fixtures_dir() / "webhooks"


async def test_validate_passes_the_shipped_payloads_and_reports_the_invalid_ones(
    tmp_path: Path,
) -> None:
    valid = sorted(str(p) for p in WEBHOOKS.glob("*.json"))
    assert valid
    code, out, err = await run_cli("validate", *valid, cwd=tmp_path)
    assert (code, out) == (0, f"{len(valid)} payload(s) checked: all valid\n"), err
    invalid = sorted((WEBHOOKS / "invalid").glob("*.json"))
    code, out, _ = await run_cli("validate", "--strict", str(WEBHOOKS / "invalid"), cwd=tmp_path)
    assert code == 1
    assert out.splitlines()[-1].startswith(f"{len(invalid)} payload(s) checked: {len(invalid)} ")
    code, out, _ = await run_cli("validate", str(WEBHOOKS / "invalid"), cwd=tmp_path)
    assert code == 1  # the vendor level finds fewer: the strict-only labels pass it
    assert not out.splitlines()[-1].startswith(
        f"{len(invalid)} payload(s) checked: {len(invalid)} "
    )


async def test_validate_passes_the_shipped_vendor_examples(tmp_path: Path) -> None:
    code, out, err = await run_cli("validate", str(fixtures_dir() / "vendor"), cwd=tmp_path)
    assert code == 0, out + err
    assert out.endswith("payload(s) checked: all valid\n")


async def test_trigger_sends_one_signed_event_the_handler_accepts(
    tmp_path: Path, make_handler: MakeHandler
) -> None:
    handler = await make_handler()
    code, out, err = await run_cli(
        "trigger", "analysis.completed", "--to", handler.url, "--secret", SECRET, cwd=tmp_path
    )
    assert code == 0, err
    assert out.startswith("sent analysis.completed deliveryId=")
    assert handler.answers == [204]


async def test_replay_resends_the_shipped_corpus_signed_and_writes_a_junit_report(
    tmp_path: Path, make_handler: MakeHandler
) -> None:
    handler = await make_handler()
    report = tmp_path / "replay.xml"
    code, out, err = await run_cli(
        *("replay", str(WEBHOOKS), "--to", handler.url, "--secret", SECRET),
        *("--report", str(report)),
        cwd=tmp_path,
    )
    assert code == 0, err
    sent = len(list(WEBHOOKS.glob("*.json")))  # invalid/ is left out of a directory walk
    assert "left out" in err
    assert len(out.splitlines()) == sent and handler.answers == [204] * sent
    suite = ET.parse(report).getroot()
    assert (suite.get("tests"), suite.get("failures")) == (str(sent), "0")


async def test_matrix_passes_a_verifying_handler_and_catches_one_that_accepts_everything(
    tmp_path: Path, make_handler: MakeHandler
) -> None:
    good, broken = await make_handler(), await make_handler(broken=True)
    code, out, err = await run_cli("matrix", "--to", good.url, "--secret", SECRET, cwd=tmp_path)
    assert code == 0, out + err
    assert "all 8 cases answered as expected" in out
    code, out, _ = await run_cli("matrix", "--to", broken.url, "--secret", SECRET, cwd=tmp_path)
    assert code == 1
    assert "wrongly accepted (forged, got 2xx): expired-timestamp" in out


async def test_load_drives_the_handler_at_a_fixed_rate_and_reports_every_delivery(
    tmp_path: Path, make_handler: MakeHandler
) -> None:
    handler = await make_handler()
    report = tmp_path / "load.json"
    code, out, err = await run_cli(
        *("load", "--to", handler.url, "--secret", SECRET, "--rate", "40", "--duration", "1"),
        *("--report", str(report)),
        cwd=tmp_path,
    )
    assert code == 0, out + err
    assert "sent 40  ok 40  failed 0" in out and err.startswith("load ")
    assert handler.answers == [204] * 40
    assert json.loads(report.read_text())["byStatus"] == {"204": 40}


def test_locustfile_names_the_user_class_file_in_the_installed_package(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(CLI), "locustfile"], cwd=tmp_path, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    path = Path(done.stdout.strip())
    assert path.is_file() and "site-packages" in path.parts
    assert "class WebhookDeliveries(FastHttpUser)" in path.read_text()
