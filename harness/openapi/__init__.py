"""The OpenAPI document the mock serves, built from ``schemas/`` so the two cannot drift.

- :mod:`harness.openapi.bundle` turns ``schemas/openapi.yaml`` plus the JSON Schemas it
  references by ``$id`` into one self-contained document: every schema (and every ``$defs``
  entry) under ``components/schemas``, every ``$ref`` local.
- :mod:`harness.openapi.describe` tailors that document to one running server: its envelope
  style, its create status, its signing scheme, the statuses every operation can return, the
  request examples and the links between operations.
"""

from harness.openapi.bundle import bundle, component_name, load_openapi
from harness.openapi.describe import describe

__all__ = ["bundle", "component_name", "describe", "load_openapi"]
