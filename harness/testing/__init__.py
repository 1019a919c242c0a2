"""Helpers for test suites: the harness in a background thread and the pytest plugin's API."""
