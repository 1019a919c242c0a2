"""Request bodies as pydantic models: strict types, unknown fields rejected, camelCase on the wire.

``schemas/*.json`` is the source of truth for the wire; ``tests/test_schema_agreement.py`` proves
these models accept and reject the same documents as the request schemas.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import to_json

from harness.domain.enums import (
    AgentFocus,
    AgentType,
    BackgroundSound,
    CandidateStatus,
    ContractType,
    Education,
    Experience,
    JobStatus,
    Language,
    Proficiency,
    SalaryPeriod,
    Voice,
    WorkMode,
)
from harness.domain.numbers import JsonInt

METADATA_MAX_BYTES = 10 * 1024
METADATA_MAX_DEPTH = 5
METADATA_MAX_KEYS = 50

#: One character of an e-mail address: not ``@``, not whitespace (as Unicode counts it), not a
#: control character (C0, DEL, C1). ``schemas/defs.json#/$defs/email`` says the same.
_EMAIL_CHAR = r"[^@\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
EMAIL_PATTERN = rf"{_EMAIL_CHAR}+@{_EMAIL_CHAR}+\.{_EMAIL_CHAR}+"
E164_PATTERN = r"^\+[1-9][0-9]{1,14}$"
#: What ``schemas/defs.json`` accepts (and so the API): canonical UUIDs, RFC 3339 dates and
#: date-times with seconds and an offset, calendar-valid. pydantic alone also takes
#: ``{uuid}``, ``urn:uuid:``, 32 bare hex digits, ``10:00Z``, ``+0100`` and unix-second strings.
UUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
DATE_PATTERN = (
    r"(?!0000)(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    r"|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)"
)
DATE_TIME_PATTERN = (
    DATE_PATTERN + r"[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,9})?"
    r"(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)


def _depth_and_keys(value: Any, level: int) -> tuple[int, int]:
    """The deepest object level in ``value`` and the keys counted at every level.
    JSON has no NaN or Infinity (the parser lets them, and 1e400, through): rejected here."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("metadata numbers must be finite")
    if isinstance(value, dict):
        depth, keys = level, len(value)
        for child in value.values():
            d, k = _depth_and_keys(child, level + 1)
            depth, keys = max(depth, d), keys + k
        return depth, keys
    if isinstance(value, list):
        depth, keys = level - 1, 0
        for child in value:
            d, k = _depth_and_keys(child, level)
            depth, keys = max(depth, d), keys + k
        return depth, keys
    return level - 1, 0


def check_metadata(value: dict[str, Any]) -> dict[str, Any]:
    """Contract section 1: at most 10 KB serialized, 5 levels deep, 50 keys (every level)."""
    size = len(to_json(value))
    if size > METADATA_MAX_BYTES:
        raise ValueError(f"metadata is {size} bytes serialized; at most {METADATA_MAX_BYTES}")
    depth, keys = _depth_and_keys(value, 1)
    if depth > METADATA_MAX_DEPTH:
        raise ValueError(f"metadata is {depth} levels deep; at most {METADATA_MAX_DEPTH}")
    if keys > METADATA_MAX_KEYS:
        raise ValueError(f"metadata has {keys} keys; at most {METADATA_MAX_KEYS}")
    return value


Metadata = Annotated[dict[str, Any], AfterValidator(check_metadata)]


_DATE_OR_DATE_TIME = re.compile(f"{DATE_PATTERN}|{DATE_TIME_PATTERN}")


def _matching(pattern: str, what: str, convert: Callable[[str], Any]) -> Any:
    """A before-validator: a string must match ``pattern`` in full; it is then converted here
    (the strict validator after it takes no strings outside JSON mode)."""
    compiled = re.compile(pattern)

    def check(value: Any) -> Any:
        if isinstance(value, str):
            if compiled.fullmatch(value) is None:
                raise ValueError(f"{value!r} is not {what}")
            return convert(value)
        return value

    return check


Uuid = Annotated[
    UUID,
    BeforeValidator(_matching(UUID_PATTERN, "a UUID (8-4-4-4-12 hexadecimal digits)", UUID)),
]

_DATE = TypeAdapter(date, config=ConfigDict(strict=True))
_AWARE_DATETIME = TypeAdapter(AwareDatetime, config=ConfigDict(strict=True))

IsoDateTime = Annotated[
    AwareDatetime,
    BeforeValidator(
        _matching(
            DATE_TIME_PATTERN,
            "an ISO 8601 date-time with seconds and a UTC offset",
            _AWARE_DATETIME.validate_strings,
        )
    ),
]


def _date_or_aware_datetime(value: Any) -> date | datetime:
    """A date (``YYYY-MM-DD``) or a date-time with an offset, as one field: a plain union would
    report its members (``gdprExpiryDate.date``, ``gdprExpiryDate.datetime``) as fields."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("a date-time must carry a UTC offset")
        return value
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError("must be a date (YYYY-MM-DD) or a date-time with a UTC offset")
    if _DATE_OR_DATE_TIME.fullmatch(value) is None:
        raise ValueError(
            f"{value!r} is not a date (YYYY-MM-DD) or a date-time with seconds and a UTC offset"
        )
    adapter = _DATE if len(value) <= len("YYYY-MM-DD") else _AWARE_DATETIME
    try:
        parsed: date | datetime = adapter.validate_strings(value)
    except ValidationError as exc:
        reason = exc.errors(include_url=False)[0]["msg"]
        raise ValueError(
            f"{value!r} is not a date (YYYY-MM-DD) or a date-time with a UTC offset: {reason}"
        ) from exc
    if isinstance(parsed, datetime):
        try:  # responses render it in UTC: 9999-12-31T23:59:59-01:00 has no UTC form
            parsed.astimezone(UTC)
        except OverflowError as exc:
            raise ValueError(f"{value!r} is out of range once converted to UTC") from exc
    return parsed


DateOrDateTime = Annotated[
    date | datetime, PlainValidator(_date_or_aware_datetime, json_schema_input_type=str)
]
Name100 = Annotated[str, StringConstraints(min_length=1, max_length=100)]
_EMAIL = re.compile(EMAIL_PATTERN)


def _email(value: str) -> str:
    if _EMAIL.fullmatch(value) is None:
        raise ValueError(
            f"{value!r} is not an e-mail address local@domain.tld "
            "(no spaces, control characters or second @)"
        )
    return value


Email = Annotated[str, StringConstraints(max_length=254), AfterValidator(_email)]
Phone = Annotated[str, StringConstraints(pattern=E164_PATTERN)]
Skill = Annotated[str, StringConstraints(min_length=1, max_length=128)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2048)]
Text5000 = Annotated[str, StringConstraints(max_length=5000)]
Question = Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class WireModel(BaseModel):
    """Strict, camelCase, no unknown fields."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        alias_generator=to_camel,
        populate_by_name=True,
        frozen=True,
        allow_inf_nan=False,
    )


# --- candidates -------------------------------------------------------------------------------


class CandidateFields(WireModel):
    """Fields shared by candidate create and patch; all optional here."""

    email: Email | None = None
    phone_number: Phone | None = None
    gdpr_expiry_date: DateOrDateTime | None = None
    job_ids: Annotated[list[Uuid], Field(max_length=50)] | None = None
    job_id: Uuid | None = None
    status: CandidateStatus | None = None
    metadata: Metadata | None = None


class CandidateCreate(CandidateFields):
    first_name: Name100
    last_name: Name100

    @model_validator(mode="after")
    def _contact(self) -> CandidateCreate:
        if self.email is None and self.phone_number is None:
            raise ValueError("at least one of email or phoneNumber is required")
        return self


class CandidateInline(CandidateCreate):
    """An inline candidate in ``POST /interviews``: ``gdprExpiryDate`` is required there."""

    gdpr_expiry_date: DateOrDateTime


class CandidatePatch(CandidateFields):
    first_name: Name100 | None = None
    last_name: Name100 | None = None


# --- jobs -------------------------------------------------------------------------------------


class LanguageRequirement(WireModel):
    language: Language
    proficiency: Proficiency


class Location(WireModel):
    work_mode: WorkMode = WorkMode.UNDEFINED
    street: Annotated[str, StringConstraints(max_length=200)] | None = None
    city: Annotated[str, StringConstraints(max_length=100)] | None = None
    postal_code: Annotated[str, StringConstraints(max_length=20)] | None = None
    country_code: CountryCode | None = None


class Salary(WireModel):
    min: Annotated[float, Field(ge=0)] | None = None
    max: Annotated[float, Field(ge=0)] | None = None
    currency: Currency
    period: SalaryPeriod = SalaryPeriod.MONTHLY

    @model_validator(mode="after")
    def _ordered(self) -> Salary:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("salary.min must not exceed salary.max")
        return self


class JobFields(WireModel):
    job_url: Url | None = None
    #: Where the job's description is published (the vendor's update-job example sends it).
    description_url: Url | None = None
    benefits: Text5000 | None = None
    required_skills: Annotated[list[Skill], Field(max_length=10)] | None = None
    nice_to_have_skills: Annotated[list[Skill], Field(max_length=10)] | None = None
    language_requirements: Annotated[list[LanguageRequirement], Field(max_length=5)] | None = None
    education: list[Education] | None = None
    experience: Experience | None = None
    contract_type: ContractType | None = None
    location: Location | None = None
    salary: Salary | None = None
    metadata: Metadata | None = None


Title = Annotated[str, StringConstraints(min_length=5, max_length=200)]
Description = Annotated[str, StringConstraints(min_length=10, max_length=5000)]


class JobCreate(JobFields):
    title: Title
    description: Description
    status: JobStatus


class JobInline(JobFields):
    """An inline job in ``POST /interviews``: ``status`` defaults to OPEN there."""

    title: Title
    description: Description
    status: JobStatus = JobStatus.OPEN


class JobPatch(JobFields):
    title: Title | None = None
    description: Description | None = None
    status: JobStatus | None = None


# --- agents -----------------------------------------------------------------------------------


class AgentFields(WireModel):
    type: AgentType | None = None
    company_phone_number_id: Uuid | None = None
    focus: AgentFocus | None = None
    language: Language | None = None
    duration: Annotated[JsonInt, Field(ge=1, le=180)] | None = None
    questions: Annotated[list[Question], Field(max_length=50)] | None = None
    instructions: Text5000 | None = None
    voice_id: Voice | None = None
    cefr_level: Proficiency | None = None
    background_sound: BackgroundSound | None = None
    metadata: Metadata | None = None


AgentName = Annotated[str, StringConstraints(min_length=2, max_length=100)]


class AgentCreate(AgentFields):
    name: AgentName


class AgentPatch(AgentFields):
    name: AgentName | None = None


# --- interviews -------------------------------------------------------------------------------


class CreateInterview(WireModel):
    """``POST /interviews``. XOR and priority rules live in :mod:`harness.domain.interviews`."""

    candidate_id: Uuid | None = None
    candidate: CandidateInline | None = None
    agent_id: Uuid | None = None
    agent: AgentCreate | None = None
    job_id: Uuid | None = None
    job: JobInline | None = None
    schedule_time: IsoDateTime | None = None
    scheduled_at: IsoDateTime | None = None
    metadata: Metadata | None = None
    is_test: bool = False


class CompleteInterview(WireModel):
    """``POST /_harness/interviews/{id}/complete``."""

    duration_minutes: Annotated[JsonInt, Field(ge=0, le=600)] = 15
    analysis_fails: bool = False


class FailInterview(WireModel):
    """``POST /_harness/interviews/{id}/fail``."""

    code: Annotated[str, StringConstraints(min_length=1, max_length=100)] = "CALL_FAILED"
    message: Annotated[str, StringConstraints(min_length=1, max_length=1000)] = (
        "The candidate did not answer"
    )
