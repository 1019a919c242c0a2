"""harness.strict_json: what it reads out of odd JSON, and that what it writes is always strict."""

from __future__ import annotations

import json
import math

import pytest

from harness import strict_json


@pytest.mark.parametrize(
    ("body", "value", "found"),
    [
        (b'{"a":"\\ud800"}', {"a": "\ufffd"}, {"lone_surrogate"}),
        (b'{"\\udc00":1}', {"\ufffd": 1}, {"lone_surrogate"}),
        (b'"\\ud83d\\ude00"', "\U0001f600", set()),
        (b"[1e400,-1e400,1e-400]", ["1e400", "-1e400", 0.0], {"number_out_of_range"}),
        (b"[" + b"7" * 5000 + b"]", ["7" * 5000], {"number_out_of_range"}),
        (b'{"k":1,"k":2}', {"k": 2}, {"duplicate_key"}),
        (b'\xef\xbb\xbf{"a":1}', {"a": 1}, {"byte_order_mark"}),
        (b'{"a":"\\\\ud800"}', {"a": "\\ud800"}, set()),  # an escaped backslash, not an escape
    ],
)
def test_examine_reads_odd_json_as_a_handler_could_and_names_what_was_odd(
    body: bytes, value: object, found: set[str]
) -> None:
    assert strict_json.examine(body) == (value, found)


@pytest.mark.parametrize(
    "body", [b"NaN", b"[Infinity]", '{"a":1}'.encode("utf-16"), b'"\xed\xa0\x80"', b"\xff"]
)
def test_examine_refuses_what_is_not_json_text(body: bytes) -> None:
    with pytest.raises(ValueError):
        strict_json.examine(body)


def test_dumps_writes_strict_utf8_json_whatever_the_value_holds() -> None:
    text = strict_json.dumps({"s": "a\ud800b", "\udcff": [math.inf, -math.nan, 1.5]})
    assert json.loads(text) == {"s": "a\ufffdb", "\ufffd": [None, None, 1.5]}
    text.encode("utf-8")


def test_view_shows_a_too_deep_document_as_text() -> None:
    deep = b"[" * 300 + b"]" * 300
    assert strict_json.view(deep, True) == deep.decode()
    assert strict_json.view(b"[[1]]", True) == [[1]]
    assert strict_json.view(b"\xff", False) == "\ufffd"


def test_header_bytes_come_back_exactly() -> None:
    value = b"caf\xe9".decode("utf-8", "surrogateescape")
    assert strict_json.header_bytes(value) == b"caf\xe9"
    assert strict_json.header_text(value) == "caf\ufffd"
    assert strict_json.headers_view({"X": value, "Y": "ok"}) == (
        {"X": "caf\ufffd", "Y": "ok"},
        {"X": "Y2Fm6Q=="},
    )


def test_view_tells_deep_nesting_from_many_brackets() -> None:
    deep_objects = b'{"a":' * 300 + b"1" + b"}" * 300
    assert strict_json.view(deep_objects, True) == deep_objects.decode()
    wide = b"[" + b",".join([b"[1]"] * 300) + b"]"
    assert strict_json.view(wide, True) == [[1]] * 300


def test_dumps_cuts_what_is_nested_too_deep_to_clean() -> None:
    value: object = "\ud800"
    for _ in range(300):
        value = [value]
    text = strict_json.dumps({"t": ("\ud800",), "deep": value})
    assert json.loads(text)["t"] == ["\ufffd"]
    assert '"(nested too deep to show)"' in text
