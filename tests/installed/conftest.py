"""The smoke suite for the installed wheel. scripts/smoke-installed (``make smoke``) copies this
directory and README.md to a temporary directory outside the checkout, installs the wheel and
requirements.txt into a fresh venv, and runs pytest there with that venv's python; the main run
never collects it (tests/conftest.py). Nothing here imports from the checkout: ``harness`` and
its data files must come from site-packages. ``HARNESS_CHECKOUT`` names the checkout only so the
tests can prove it was not used (and compare the shipped data files with its tracked ones)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from smoke_support import README, SECRET, Handler, MakeHandler, whsec
from standardwebhooks import Webhook, WebhookVerificationError


def pytest_configure(config: pytest.Config) -> None:
    if "HARNESS_CHECKOUT" not in os.environ or not README.is_file():
        raise pytest.UsageError("tests/installed runs through scripts/smoke-installed only")


@pytest.fixture(scope="session")
def checkout() -> Path:
    return Path(os.environ["HARNESS_CHECKOUT"]).resolve()


@pytest.fixture
def make_handler(aiohttp_server: Any) -> MakeHandler:
    """Starts a :class:`Handler` on 127.0.0.1 (a free port)."""

    async def make(broken: bool = False) -> Handler:
        handler = Handler()

        async def hook(request: web.Request) -> web.Response:
            body = await request.read()
            try:
                Webhook(whsec(SECRET)).verify(body, dict(request.headers))
                status = 204
            except WebhookVerificationError:
                status = 204 if broken else 401
            handler.answers.append(status)
            return web.Response(status=status)

        app = web.Application()
        app.router.add_post("/hook", hook)
        server = await aiohttp_server(app, host="127.0.0.1")
        handler.url = str(server.make_url("/hook"))
        return handler

    return make
