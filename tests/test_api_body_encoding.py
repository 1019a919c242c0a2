"""The mock reads a body as its Content-Encoding says, or answers why not in the envelope: never
a 500 for a body that is not what its headers claim, never a wait for one that does not come."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from tests.raw_http import exchange, request
from tests.support import ACME_KEY, Api

MakeApi = Callable[..., Awaitable[Api]]
CANDIDATE = json.dumps(
    {"firstName": "Ada", "lastName": "L", "email": "a@example.com", "gdprExpiryDate": "2030-01-01"}
).encode()
AUTH = {"Authorization": f"Bearer {ACME_KEY}", "Content-Type": "application/json"}


async def _post(api: Api, body: bytes, **headers: str) -> tuple[int, Any]:
    response = await api.client.post("/candidates", data=body, headers={**AUTH, **headers})
    async with response:
        return response.status, await response.json()


@pytest.mark.parametrize(
    ("coding", "encode"),
    [("gzip", gzip.compress), ("deflate", zlib.compress), ("GZip", gzip.compress)],
)
async def test_a_compressed_body_is_decoded_and_accepted(
    api: Api, coding: str, encode: Callable[[bytes], bytes]
) -> None:
    status, answer = await _post(api, encode(CANDIDATE), **{"Content-Encoding": coding})
    assert status == 201
    assert answer["data"]["firstName"] == "Ada"


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
async def test_a_plain_body_labelled_compressed_is_a_400_bad_request(api: Api, coding: str) -> None:
    status, answer = await _post(api, CANDIDATE, **{"Content-Encoding": coding})
    assert status == 400
    assert answer["error"]["code"] == "BAD_REQUEST"
    assert coding in answer["error"]["message"]


@pytest.mark.parametrize("coding", ["x-gzip", "gzip, gzip", "compress", "rot13"])
async def test_a_coding_the_api_does_not_decode_is_a_415_naming_it(api: Api, coding: str) -> None:
    status, answer = await _post(api, gzip.compress(CANDIDATE), **{"Content-Encoding": coding})
    assert status == 415
    assert answer["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert answer["error"]["details"] == {"contentEncoding": coding}


async def test_a_compressed_body_over_the_limit_once_decoded_is_a_413(make_api: MakeApi) -> None:
    api = await make_api(max_body_bytes=10_000)
    bomb = gzip.compress(b'{"firstName": "' + b"a" * 1_000_000 + b'"}')
    assert len(bomb) < 10_000
    status, answer = await _post(api, bomb, **{"Content-Encoding": "gzip"})
    assert status == 413
    assert answer["error"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_a_compressed_body_one_byte_over_the_limit_once_decoded_is_a_413(
    make_api: MakeApi,
) -> None:
    """The whole body came with the headers, so it is taken without a wait: its decoded size
    is checked there too, to the byte."""
    api = await make_api(max_body_bytes=10_000)
    decoded = b'{"firstName": "' + b"a" * (10_001 - 17) + b'"}'
    assert len(decoded) == 10_001
    status, answer = await _post(api, gzip.compress(decoded), **{"Content-Encoding": "gzip"})
    assert status == 413
    assert answer["error"]["details"] == {"limit": 10_000}


async def test_a_body_shorter_than_its_content_length_is_a_408_after_the_read_timeout(
    make_api: MakeApi,
) -> None:
    api = await make_api(read_timeout_s=0.3)
    headers = [*AUTH.items(), ("Content-Length", str(len(CANDIDATE) + 10))]
    data = request("POST", "/candidates", CANDIDATE, headers)
    answer = await exchange(api.client.host, api.client.port, data)
    assert answer.status == 408
    error = answer.json()["error"]
    assert error["code"] == "REQUEST_TIMEOUT"
    assert error["details"] == {"timeoutSeconds": 0.3}


async def test_any_aiohttp_error_answer_is_enveloped_with_a_code_by_status(
    aiohttp_client: Any,
) -> None:
    from aiohttp import web

    from harness.api.app import create_api_app

    async def gone(request: web.Request) -> web.Response:
        raise web.HTTPGone()

    async def busy(request: web.Request) -> web.Response:
        raise web.HTTPTooManyRequests()

    app = create_api_app()
    app.router.add_get("/gone", gone)
    app.router.add_get("/busy", busy)
    client = await aiohttp_client(app)
    for path, status, code in [
        ("/gone", 410, "BAD_REQUEST"),
        ("/busy", 429, "RATE_LIMIT_EXCEEDED"),
    ]:
        response = await client.get(path)
        assert response.status == status
        assert (await response.json())["error"]["code"] == code
