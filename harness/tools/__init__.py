"""QA tools over the fixture corpus: validate, replay, trigger and the signature matrix.

Each tool is a library module with an async entry point; :mod:`harness.tools.commands` wires them
into the ``instaview-harness`` command line.
"""
