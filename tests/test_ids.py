"""Resource ids are canonical random version-4 UUIDs, as the vendor's are."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from harness.domain.ids import id_from_bytes, new_id


def test_new_ids_are_version_4_rfc_4122_uuids_that_round_trip_through_text() -> None:
    for _ in range(2000):
        value = new_id()
        assert value.version == 4
        assert value.variant == uuid.RFC_4122
        assert uuid.UUID(str(value)) == value
        assert hash(value) == hash(uuid.UUID(str(value)))
        assert value.is_safe is uuid.SafeUUID.unknown


def test_new_ids_differ_and_vary_in_every_random_bit() -> None:
    values = [new_id().int for _ in range(2000)]
    assert len(set(values)) == len(values)
    fixed = (0xF000 << 64) | (0xC000 << 48)
    varying = 0
    for value in values:
        varying |= value ^ values[0]
    assert varying == ((1 << 128) - 1) & ~fixed


def test_an_id_from_bytes_is_what_uuid_makes_of_them_as_version_4() -> None:
    for seed in range(500):
        raw = hashlib.blake2b(seed.to_bytes(4), digest_size=16).digest()
        value = id_from_bytes(raw)
        expected = uuid.UUID(bytes=raw, version=4)
        assert value == expected
        assert str(value) == str(expected)
        assert hash(value) == hash(expected)
        assert value.is_safe is uuid.SafeUUID.unknown


def test_an_id_from_bytes_refuses_anything_but_16_bytes() -> None:
    for size in (0, 15, 17):
        with pytest.raises(ValueError, match=f"not {size}"):
            id_from_bytes(bytes(size))
