"""Marks ``schemas/`` as the data package ``harness._data.schemas`` (mapped by setup.py)."""
