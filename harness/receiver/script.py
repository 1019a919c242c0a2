"""Scripted answers per channel: "answer 503 to the first 2 attempts", "take 2 s to answer".

``PUT /channels/{channel}/script {status, delayMs, failFirst}``: while the script is in effect
the channel answers ``status`` after ``delayMs``; with ``failFirst: N`` only the first N requests
after the script was set get that answer, later ones the default (204 at once). Without
``failFirst`` every request gets the scripted answer until the script is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEFAULT_STATUS = 204
#: Longer than any webhook timeout (30 s) so a delay can always provoke one.
MAX_DELAY_MS = 600_000


class ScriptError(ValueError):
    """A script body the receiver cannot use; ``field`` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Answer:
    status: int = DEFAULT_STATUS
    delay_ms: int = 0
    scripted: bool = False


@dataclass
class Script:
    status: int = 500
    delay_ms: int = 0
    fail_first: int | None = None
    seen: int = 0

    @property
    def remaining(self) -> int | None:
        """How many more requests get the scripted answer (None: all of them)."""
        return None if self.fail_first is None else max(0, self.fail_first - self.seen)

    def next_answer(self) -> Answer:
        self.seen += 1
        if self.fail_first is not None and self.seen > self.fail_first:
            return Answer()
        return Answer(self.status, self.delay_ms, scripted=True)

    def wire(self, channel: str) -> dict[str, Any]:
        return {
            "channel": channel,
            "status": self.status,
            "delayMs": self.delay_ms,
            "failFirst": self.fail_first,
            "seen": self.seen,
            "remaining": self.remaining,
        }


def _int(body: dict[str, Any], name: str, default: int | None, low: int, high: int) -> int | None:
    value = body.get(name, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScriptError(name, "must be an integer")
    if not low <= value <= high:
        raise ScriptError(name, f"must be between {low} and {high}")
    return value


def parse_script(body: Any) -> Script:
    """A :class:`Script` from a request body; raises :class:`ScriptError`."""
    if not isinstance(body, dict):
        raise ScriptError("body", "must be a JSON object {status, delayMs, failFirst}")
    unknown = sorted(set(body) - {"status", "delayMs", "failFirst"})
    if unknown:
        raise ScriptError(unknown[0], "unknown field; expected status, delayMs, failFirst")
    status = _int(body, "status", 500, 200, 599)
    delay = _int(body, "delayMs", 0, 0, MAX_DELAY_MS)
    fail_first = _int(body, "failFirst", None, 0, 1_000_000)
    assert status is not None and delay is not None
    return Script(status=status, delay_ms=delay, fail_first=fail_first)


class Scripts:
    """The scripts of one receiver, by channel."""

    def __init__(self) -> None:
        self._by_channel: dict[str, Script] = {}

    def set(self, channel: str, script: Script) -> Script:
        self._by_channel[channel] = script
        return script

    def get(self, channel: str) -> Script | None:
        return self._by_channel.get(channel)

    def remove(self, channel: str) -> bool:
        return self._by_channel.pop(channel, None) is not None

    def clear(self) -> None:
        self._by_channel.clear()

    def all(self) -> dict[str, Script]:
        return dict(sorted(self._by_channel.items()))

    def answer(self, channel: str) -> Answer:
        """The answer for the next request on ``channel`` (counts it against the script)."""
        script = self._by_channel.get(channel)
        return Answer() if script is None else script.next_answer()
