"""A test interview's analysis is drawn from a hash of the interview id: its picks of options
and its own id, each checked against the formula it replaced (a modulo per option,
``UUID(bytes=, version=4)``)."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from harness.domain.lifecycle import _Draws


def _modular_pick(options: list[str], start: int, count: int) -> list[str]:
    return [options[(start + i) % len(options)] for i in range(count)]


@pytest.mark.parametrize("count", range(0, 12))
def test_a_pick_is_count_options_in_a_row_wrapping_round_the_end(count: int) -> None:
    options = ["a", "b", "c", "d", "e"]
    for seed in range(64):
        draws = _Draws(uuid.UUID(int=seed))
        start = draws._bytes[0] % len(options)
        assert draws.pick(options, count) == _modular_pick(options, start, count)


def test_a_pick_leaves_the_option_list_as_it_was() -> None:
    options = ["a", "b", "c"]
    for seed in range(16):
        _Draws(uuid.UUID(int=seed)).pick(options, 7)
    assert options == ["a", "b", "c"]


def test_the_analysis_id_is_the_version_4_form_of_the_hash_s_last_16_bytes() -> None:
    for seed in range(200):
        interview_id = uuid.UUID(int=seed * 7919)
        digest = hashlib.blake2b(interview_id.bytes, digest_size=64).digest()
        drawn = _Draws(interview_id).uuid()
        assert drawn == uuid.UUID(bytes=digest[48:64], version=4)
        assert drawn.version == 4
        assert drawn.variant == uuid.RFC_4122
