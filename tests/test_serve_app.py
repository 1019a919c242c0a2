"""``serve_app``: WSGI, ASGI and aiohttp apps detected and served on loopback, stopped fast."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import flask
import pytest
from aiohttp import web
from fastapi import FastAPI, Request

from harness.testing.apps import STOP_GRACE_S, AppServers, ServedApp, app_kind


def call(
    url: str,
    method: str = "GET",
    path: str = "/",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        connection.close()


@pytest.fixture
def servers() -> Iterator[AppServers]:
    served = AppServers()
    yield served
    served.close()


# -- WSGI ---------------------------------------------------------------------------------------


def echo_environ(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    body = environ["wsgi.input"].read()
    seen = {
        k: environ[k]
        for k in (
            "REQUEST_METHOD",
            "PATH_INFO",
            "QUERY_STRING",
            "CONTENT_TYPE",
            "CONTENT_LENGTH",
            "HTTP_X_TRACE",
            "SERVER_NAME",
            "wsgi.url_scheme",
        )
        if k in environ
    }
    start_response("201 Created", [("Content-Type", "application/json"), ("X-Seen", "1")])
    return [json.dumps({**seen, "body": body.decode()}).encode()]


def test_a_wsgi_app_gets_the_pep_3333_environ_and_its_answer_goes_back(
    servers: AppServers,
) -> None:
    url = servers.serve(echo_environ)
    status, headers, body = call(
        url,
        "POST",
        "/hooks/a%20b?x=1",
        b'{"a":1}',
        {"Content-Type": "application/json", "X-Trace": "t"},
    )
    assert (status, headers["X-Seen"]) == (201, "1")
    assert json.loads(body) == {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/hooks/a b",
        "QUERY_STRING": "x=1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": "7",
        "HTTP_X_TRACE": "t",
        "SERVER_NAME": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "body": '{"a":1}',
    }


def test_a_wsgi_app_may_write_and_its_iterable_is_closed(servers: AppServers) -> None:
    closed = []

    class Body(list[bytes]):
        def close(self) -> None:
            closed.append(True)

    def app(environ: dict[str, Any], start_response: Any) -> Body:
        write = start_response("200 OK", [])
        write(b"written ")
        return Body([b"returned"])

    assert call(servers.serve(app))[2] == b"written returned"
    assert closed == [True]


def test_a_failing_wsgi_app_is_a_500_not_a_dead_server(servers: AppServers) -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        if environ["PATH_INFO"] == "/boom":
            raise RuntimeError("boom")
        if environ["PATH_INFO"] == "/silent":
            return []
        start_response("200 OK", [])
        return [b"ok"]

    url = servers.serve(app)
    assert call(url, path="/boom")[0] == 500
    assert call(url, path="/silent")[0] == 500
    assert call(url)[0:3:2] == (200, b"ok")


def test_a_flask_app_is_served_as_wsgi(servers: AppServers) -> None:
    app = flask.Flask("hooks")

    @app.post("/hooks/<name>")
    def hook(name: str) -> tuple[dict[str, Any], int]:
        return {"name": name, "got": flask.request.get_json()}, 202

    assert app_kind(app) == "wsgi"
    status, _, body = call(
        servers.serve(app), "POST", "/hooks/x", b'{"a":1}', {"Content-Type": "application/json"}
    )
    assert (status, json.loads(body)) == (202, {"name": "x", "got": {"a": 1}})


# -- ASGI ---------------------------------------------------------------------------------------


def asgi_app(events: list[str]) -> Any:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    scope["state"]["db"] = "open"
                    events.append("startup")
                    await send({"type": "lifespan.startup.complete"})
                else:
                    events.append("shutdown")
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        first = await receive()
        if scope["path"] == "/boom":
            raise RuntimeError("boom")
        if scope["path"] == "/silent":
            return
        seen = {
            "method": scope["method"],
            "path": scope["path"],
            "raw_path": scope["raw_path"].decode(),
            "query": scope["query_string"].decode(),
            "trace": dict(scope["headers"]).get(b"x-trace", b"").decode(),
            "state": scope["state"]["db"],
            "body": first["body"].decode(),
            "more": first["more_body"],
        }
        await send({"type": "http.response.start", "status": 201, "headers": [(b"x-seen", b"1")]})
        await send(
            {"type": "http.response.body", "body": json.dumps(seen).encode()[:5], "more_body": True}
        )
        await send({"type": "http.response.body", "body": json.dumps(seen).encode()[5:]})
        assert (await receive())["type"] == "http.disconnect"

    return app


def test_an_asgi_app_gets_its_scope_a_streamed_answer_and_its_lifespan(
    servers: AppServers,
) -> None:
    events: list[str] = []
    url = servers.serve(asgi_app(events))
    assert events == ["startup"]
    status, headers, body = call(url, "POST", "/a%20b?q=1", b"hi", {"X-Trace": "t"})
    assert (status, headers["x-seen"]) == (201, "1")
    assert json.loads(body) == {
        "method": "POST",
        "path": "/a b",
        "raw_path": "/a%20b",
        "query": "q=1",
        "trace": "t",
        "state": "open",
        "body": "hi",
        "more": False,
    }
    servers.close()
    assert events == ["startup", "shutdown"]


def test_a_failing_asgi_app_is_a_500(servers: AppServers) -> None:
    url = servers.serve(asgi_app([]))
    assert call(url, path="/boom")[0] == 500
    assert call(url, path="/silent")[0] == 500


def test_an_asgi_app_without_lifespan_support_is_served_anyway(servers: AppServers) -> None:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError("only http")
        assert "state" not in scope
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"plain"})

    assert call(servers.serve(app))[2] == b"plain"


def test_an_asgi_app_that_ignores_lifespan_starts_at_once(servers: AppServers) -> None:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    started = time.perf_counter()
    url = servers.serve(app)
    assert time.perf_counter() - started < 5  # not the lifespan timeout
    assert call(url)[0] == 204


def test_a_failed_lifespan_startup_fails_serve_app() -> None:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "lifespan.startup.failed", "message": "no database"})

    with pytest.raises(RuntimeError, match="no database"):
        AppServers().serve(app)


def test_a_fastapi_app_is_served_as_asgi_with_its_lifespan(servers: AppServers) -> None:
    log: list[str] = []

    @asynccontextmanager
    async def lifespan(app: Any) -> Any:
        log.append("up")
        yield {"greeting": "hello"}
        log.append("down")

    app = FastAPI(lifespan=lifespan)

    @app.post("/hooks")
    async def hook(request: Request) -> dict[str, Any]:
        return {"got": await request.json(), "greeting": request.state.greeting}

    assert app_kind(app) == "asgi"
    status, _, body = call(servers.serve(app), "POST", "/hooks", b'{"a":1}')
    assert (status, json.loads(body)) == (200, {"got": {"a": 1}, "greeting": "hello"})
    servers.close()
    assert log == ["up", "down"]


# -- aiohttp, detection, stopping -----------------------------------------------------------------


def test_an_aiohttp_app_is_served_as_it_is(servers: AppServers) -> None:
    async def hello(request: web.Request) -> web.Response:
        return web.json_response({"path": request.path})

    app = web.Application()
    app.router.add_get("/x", hello)
    assert app_kind(app) == "aiohttp"
    assert json.loads(call(servers.serve(app), path="/x")[2]) == {"path": "/x"}


def test_what_is_no_app_is_refused_naming_its_type() -> None:
    with pytest.raises(TypeError, match="not int"):
        app_kind(42)
    with pytest.raises(TypeError, match="needs an aiohttp"):
        AppServers().serve(echo_environ, "aiohttp")
    with pytest.raises(ValueError, match="kind must be one of"):
        ServedApp(echo_environ, "cgi")  # type: ignore[arg-type]


def test_the_kind_can_be_forced(servers: AppServers) -> None:
    class Both:
        """Callable like a WSGI app; forced to WSGI although it also has an async method."""

        def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
            start_response("200 OK", [])
            return [b"wsgi"]

    assert call(servers.serve(Both(), "wsgi"))[2] == b"wsgi"


def test_stopping_with_an_idle_keep_alive_connection_open_is_fast() -> None:
    served = ServedApp(echo_environ)
    url = served.start()
    parts = urlsplit(url)
    idle = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    idle.request("GET", "/")
    idle.getresponse().read()  # the connection stays open, idle
    started = time.perf_counter()
    served.stop()
    took = time.perf_counter() - started
    idle.close()
    assert took < STOP_GRACE_S  # nothing waited for the idle connection or a poll interval
    with pytest.raises(OSError):
        call(url)


def test_every_served_app_stops_at_close() -> None:
    servers = AppServers()
    urls = [servers.serve(echo_environ) for _ in range(3)]
    servers.close()
    for url in urls:
        with pytest.raises(OSError):
            call(url)
    servers.close()  # a second close is harmless


def test_an_asgi_app_that_breaks_the_protocol_gets_a_500(servers: AppServers) -> None:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        if scope["path"] == "/body-first":
            await send({"type": "http.response.body", "body": b"x"})
        start = {"type": "http.response.start", "status": 200, "headers": []}
        await send(start)
        await send(start)

    url = servers.serve(app)
    assert call(url, path="/body-first")[0] == 500
    assert call(url, path="/twice")[0] == 500


def test_an_asgi_app_that_fails_mid_answer_has_its_connection_closed(
    servers: AppServers,
) -> None:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        if scope["path"] == "/unfinished":  # starts, never sends a body: an empty answer
            await send({"type": "http.response.start", "status": 202, "headers": []})
            return
        headers = [(b"content-length", b"10")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"half", "more_body": True})
        raise RuntimeError("gone")

    url = servers.serve(app)
    assert call(url, path="/unfinished")[0:3:2] == (202, b"")
    with pytest.raises(http.client.IncompleteRead):
        call(url)


def test_a_wsgi_app_may_restart_its_answer_with_exc_info(servers: AppServers) -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [])
        try:
            raise ValueError("late")
        except ValueError:
            import sys

            start_response("500 Internal Server Error", [], sys.exc_info())
        return [b"never"]

    assert call(servers.serve(app))[0] == 500  # the re-raised error is the adapter's 500


def test_repeated_request_headers_reach_a_wsgi_app_joined(servers: AppServers) -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [])
        return [environ["HTTP_X_TAG"].encode()]

    url = servers.serve(app)
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    connection.putrequest("GET", "/")
    connection.putheader("X-Tag", "a")
    connection.putheader("X-Tag", "b")
    connection.endheaders()
    assert connection.getresponse().read() == b"a,b"
    connection.close()
