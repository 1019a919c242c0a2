"""``serve`` and ``listen`` flags for the retention limits and the receiver's read timeout and
long-poll cap: each lands in the config, 0 means no limit, a negative count is refused."""

from __future__ import annotations

import pytest

from harness.cli import build_parser, main, serve_config
from harness.config import HarnessConfig


def test_serve_flags_set_every_limit() -> None:
    args = build_parser().parse_args(
        [
            "serve",
            "--max-interviews",
            "10",
            "--max-deliveries",
            "20",
            "--max-captures",
            "30",
            "--read-timeout",
            "2.5",
            "--max-waits",
            "7",
        ]
    )
    config = serve_config(args)
    assert (config.max_interviews, config.max_delivery_attempts) == (10, 20)
    assert (config.max_memory_captures, config.max_disk_captures) == (30, 30)
    assert (config.read_timeout_s, config.max_waits) == (2.5, 7)


def test_zero_means_no_limit_and_no_flag_the_default() -> None:
    zero = ["--max-interviews", "0", "--max-deliveries", "0", "--max-captures", "0"]
    config = serve_config(build_parser().parse_args(["serve", *zero]))
    assert config.max_interviews is None and config.max_delivery_attempts is None
    assert config.max_captures() is None
    default = serve_config(build_parser().parse_args(["serve"]))
    assert default == serve_config(build_parser().parse_args(["serve"]))
    assert default.max_interviews == HarnessConfig().max_interviews
    assert default.read_timeout_s == HarnessConfig().read_timeout_s


def test_listen_takes_the_receiver_flags() -> None:
    args = build_parser().parse_args(
        ["listen", "--max-captures", "5", "--read-timeout", "1", "--max-waits", "3"]
    )
    assert (args.max_captures, args.read_timeout, args.max_waits) == (5, 1.0, 3)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["listen", "--max-interviews", "5"])


@pytest.mark.parametrize(
    "flags",
    [["--max-captures", "-1"], ["--read-timeout", "0"], ["--max-waits", "0"]],
)
def test_bad_limits_are_refused(flags: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(["listen", "--port", "0", *flags])
    except SystemExit as exc:
        code = int(exc.code or 0)
    assert code == 2
    assert capsys.readouterr().err
