"""Resource ids: random version-4 UUIDs. Not secrets, so the fast PRNG serves (no syscall)."""

from __future__ import annotations

import random
from uuid import UUID


def new_id() -> UUID:
    return UUID(int=random.getrandbits(128), version=4)
