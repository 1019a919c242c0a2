"""Strict JSON in and out for captured bytes: what a handler would parse, what anyone can read.

Reading (:func:`examine`, :func:`loads`) takes a body as RFC 8259 defines JSON text exchanged
between systems: UTF-8 (a leading byte order mark is skipped), no ``NaN``/``Infinity``. Three
things the grammar allows but no handler reads the same way are made readable, and named by
:func:`examine` (the receiver's capture flags of the same names):

- ``lone_surrogate``: a ``\\uD800``-style escape with no partner: the string holds U+FFFD there;
- ``number_out_of_range``: a number no double holds (``1e400``) or an integer of more digits
  than Python converts (4,300): the value is a string of the number as written;
- ``duplicate_key``: an object names a key twice: the last one counts (as ``JSON.parse``);
- ``byte_order_mark``: the body starts with a UTF-8 byte order mark (RFC 8259 forbids sending
  one), parsed after it.

Writing (:func:`dumps`) always gives strict JSON that encodes as UTF-8: no ``NaN``/``Infinity``
(written ``null``) and no lone surrogates (U+FFFD), whatever the value holds.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Mapping
from typing import Any

BOM = b"\xef\xbb\xbf"
#: Documents nested deeper than this are shown as text (they would not survive re-encoding
#: at every stack depth; the parser itself stops near Python's recursion limit).
MAX_SHOWN_DEPTH = 256
_REPLACEMENT = "\ufffd"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def clean_text(text: str) -> str:
    """``text`` with every lone surrogate (from a JSON escape, or a byte that was not UTF-8
    decoded with ``surrogateescape``) replaced by U+FFFD."""
    if text.isascii() or not _has_surrogate(text):
        return text
    return "".join(_REPLACEMENT if "\ud800" <= ch <= "\udfff" else ch for ch in text)


def _clean(value: Any, depth: int = 0) -> Any:
    """``value`` with lone surrogates replaced and non-finite floats as None, recursively."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if depth > MAX_SHOWN_DEPTH:
        return "(nested too deep to show)"
    if isinstance(value, Mapping):
        return {clean_text(str(k)): _clean(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v, depth + 1) for v in value]
    return value


class _Reader:
    """One parse's hooks and what they found (no state outside one call)."""

    def __init__(self, track_duplicates: bool) -> None:
        self.found: set[str] = set()
        self.track_duplicates = track_duplicates

    def number(self, literal: str) -> Any:
        value = float(literal)
        if math.isfinite(value):
            return value
        self.found.add("number_out_of_range")
        return literal

    def integer(self, literal: str) -> Any:
        try:
            return int(literal)
        except ValueError:  # more digits than int() converts
            self.found.add("number_out_of_range")
            return literal

    def object(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        made = dict(pairs)
        if len(made) != len(pairs):
            self.found.add("duplicate_key")
        return made

    def parse(self, text: str) -> Any:
        hooks: dict[str, Any] = {"parse_constant": _reject_constant, "parse_float": self.number}
        if self.track_duplicates:
            hooks["object_pairs_hook"] = self.object
        try:
            return json.loads(text, **hooks)
        except ValueError as exc:
            if "digits" not in str(exc):  # the only ValueError worth a second try
                raise
        return json.loads(text, parse_int=self.integer, **hooks)


def _surrogates_replaced(value: Any, found: list[bool]) -> Any:
    """``value`` with lone surrogates replaced; appends to ``found`` for each string changed."""
    if isinstance(value, str):
        cleaned = clean_text(value)
        if cleaned is not value:
            found.append(True)
        return cleaned
    if isinstance(value, dict):
        return {
            _surrogates_replaced(k, found): _surrogates_replaced(v, found) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_surrogates_replaced(v, found) for v in value]
    return value


def _too_deep(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:  # visits each node of a finite document once
        node, depth = stack.pop()
        if depth > MAX_SHOWN_DEPTH:
            return True
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return False


def examine(body: bytes, *, track_duplicates: bool = True) -> tuple[Any, set[str]]:
    """The body's JSON value (made readable, see the module docstring) and the names of what
    was odd about it; raises ValueError (or RecursionError) when it is not JSON."""
    reader = _Reader(track_duplicates)
    if body.startswith(BOM):
        reader.found.add("byte_order_mark")
        body = body[len(BOM) :]
    text = body.decode("utf-8")  # UnicodeDecodeError is a ValueError: not UTF-8, not JSON
    value = reader.parse(text)
    if "\\ud" in text or "\\uD" in text:  # only an escape can make a lone surrogate
        replaced: list[bool] = []
        value = _surrogates_replaced(value, replaced)
        if replaced:
            reader.found.add("lone_surrogate")
    return value, reader.found


def loads(body: bytes) -> Any:
    """The body's JSON value, as :func:`examine` reads it."""
    return examine(body, track_duplicates=False)[0]


def view(body: bytes, is_json: bool) -> Any:
    """How a captured body is shown: its JSON value when ``is_json`` and it reads as JSON (and
    nests at most :data:`MAX_SHOWN_DEPTH` deep), else its text (bad bytes as U+FFFD)."""
    if is_json:
        try:
            value = loads(body)
        except (ValueError, RecursionError):
            pass
        else:
            brackets = body.count(b"[") + body.count(b"{")
            if brackets <= MAX_SHOWN_DEPTH or not _too_deep(value):
                return value
    return body.decode("utf-8", "replace")


def is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def base64_unless_utf8(raw: bytes) -> str | None:
    """The bytes as base64 when they are not UTF-8 text (their text view lost something)."""
    return None if is_utf8(raw) else base64.b64encode(raw).decode("ascii")


def header_bytes(value: str) -> bytes:
    """A header value's bytes as they came (aiohttp decodes them with ``surrogateescape``)."""
    return value.encode("utf-8", "surrogateescape")


def header_text(value: str) -> str:
    """A header value as text: bytes that were not UTF-8 become U+FFFD."""
    if value.isascii():
        return value
    return header_bytes(value).decode("utf-8", "replace")


def is_utf8_header(value: str) -> bool:
    return value.isascii() or not _has_surrogate(value)


def headers_view(headers: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Headers as text (see :func:`header_text`), and the exact bytes, as base64, of those
    whose value was not UTF-8."""
    shown = {clean_text(k): header_text(v) for k, v in headers.items()}
    raw = {
        clean_text(k): base64.b64encode(header_bytes(v)).decode("ascii")
        for k, v in headers.items()
        if not is_utf8_header(v)
    }
    return shown, raw


def dumps(value: Any) -> str:
    """``value`` as strict JSON text that encodes as UTF-8 (see the module docstring)."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        text.encode("utf-8")
    except (ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
        return json.dumps(_clean(value), ensure_ascii=False, allow_nan=False)
    return text
