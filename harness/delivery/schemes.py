"""The names of the signing schemes, apart from :mod:`harness.delivery.signing` (which re-exports
them): the command line's ``--scheme`` choices need the names only, and ``--help`` starts
without hashlib, hmac or dataclasses."""

from __future__ import annotations

from typing import Literal

Scheme = Literal["standard", "hex", "none"]
SCHEMES: tuple[Scheme, ...] = ("standard", "hex", "none")
