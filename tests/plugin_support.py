"""Running a user's test file in a pytest sub-session, as a user's suite would run it."""

from __future__ import annotations

import textwrap

import pytest

#: The user's pytest settings: strict, warnings are errors, pytest-asyncio in strict mode. The
#: one ignored warning comes from nesting: this process imported ``harness`` before the
#: sub-session registers the plugin, so pytest cannot rewrite its asserts (a user's own session
#: imports the plugin first and never sees it).
USER_INI = """
[pytest]
addopts = --strict-markers -p no:cacheprovider
asyncio_default_fixture_loop_scope = function
filterwarnings =
    error
    ignore:Module already imported so cannot be rewritten:pytest.PytestAssertRewriteWarning
"""


def run_user_tests(
    pytester: pytest.Pytester, source: str, *args: str, name: str = "test_user"
) -> pytest.RunResult:
    """Writes ``source`` as ``<name>.py`` and runs it in-process with the plugin loaded by its
    entry point (nothing registers it by hand)."""
    pytester.makeini(USER_INI)
    pytester.makepyfile(**{name: textwrap.dedent(source)})
    return pytester.runpytest_inprocess(*args)
