"""Every enum the contract names, spelled as on the wire."""

from __future__ import annotations

from enum import StrEnum


class CandidateStatus(StrEnum):
    UNDEFINED = "UNDEFINED"
    APPLIED = "APPLIED"
    IN_PROCESS = "IN_PROCESS"
    REJECTED = "REJECTED"
    ACCEPTED = "ACCEPTED"


class JobStatus(StrEnum):
    UNDEFINED = "UNDEFINED"
    OPEN = "OPEN"
    CLOSED = "CLOSED"


class Proficiency(StrEnum):
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"


class Education(StrEnum):
    UNDEFINED = "UNDEFINED"
    PRIMARY_EDUCATION = "PRIMARY_EDUCATION"
    SECONDARY_SCHOOL_STUDENT = "SECONDARY_SCHOOL_STUDENT"
    SECONDARY_WITHOUT_DIPLOMA = "SECONDARY_WITHOUT_DIPLOMA"
    SECONDARY_WITH_DIPLOMA = "SECONDARY_WITH_DIPLOMA"
    POST_SECONDARY_VOCATIONAL = "POST_SECONDARY_VOCATIONAL"
    UNIVERSITY_STUDENT = "UNIVERSITY_STUDENT"
    BACHELOR_LEVEL = "BACHELOR_LEVEL"
    MASTER_LEVEL = "MASTER_LEVEL"
    POSTGRADUATE = "POSTGRADUATE"


class Experience(StrEnum):
    UNDEFINED = "UNDEFINED"
    NO_EXPERIENCE = "NO_EXPERIENCE"
    LESS_THAN_1_YEAR = "LESS_THAN_1_YEAR"
    ONE_TO_3_YEARS = "ONE_TO_3_YEARS"
    THREE_TO_5_YEARS = "THREE_TO_5_YEARS"
    FIVE_TO_10_YEARS = "FIVE_TO_10_YEARS"
    MORE_THAN_10_YEARS = "MORE_THAN_10_YEARS"


class ContractType(StrEnum):
    FULL_TIME = "FULL_TIME"
    PART_TIME = "PART_TIME"
    CONTRACT = "CONTRACT"
    INTERNSHIP = "INTERNSHIP"
    TEMPORARY = "TEMPORARY"
    FREELANCE = "FREELANCE"


class WorkMode(StrEnum):
    UNDEFINED = "UNDEFINED"
    ONSITE = "ONSITE"
    REMOTE = "REMOTE"
    HYBRID = "HYBRID"


class SalaryPeriod(StrEnum):
    HOURLY = "HOURLY"
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"
    YEARLY = "YEARLY"


class AgentType(StrEnum):
    UNDEFINED = "UNDEFINED"
    ONLINE = "ONLINE"
    PHONE = "PHONE"


class AgentFocus(StrEnum):
    GENERIC = "GENERIC"
    SCREENING = "SCREENING"
    OUTREACH = "OUTREACH"
    LANGUAGE_TEST = "LANGUAGE_TEST"


class Language(StrEnum):
    UNDEFINED = "UNDEFINED"
    EN = "EN"
    JA = "JA"
    ZH = "ZH"
    DE = "DE"
    HI = "HI"
    FR = "FR"
    KO = "KO"
    PT = "PT"
    IT = "IT"
    ES = "ES"
    ID = "ID"
    NL = "NL"
    TR = "TR"
    FIL = "FIL"
    PL = "PL"
    SV = "SV"
    BG = "BG"
    RO = "RO"
    AR = "AR"
    CS = "CS"
    EL = "EL"
    FI = "FI"
    HR = "HR"
    MS = "MS"
    SK = "SK"
    DA = "DA"
    TA = "TA"
    UK = "UK"
    RU = "RU"
    HU = "HU"
    NO = "NO"
    VI = "VI"


class Voice(StrEnum):
    ALEX = "ALEX"
    PETER = "PETER"
    MIRIAM = "MIRIAM"
    SUE = "SUE"
    VIERA = "VIERA"
    CASANDRA = "CASANDRA"
    SILVIA = "SILVIA"
    MICHAEL = "MICHAEL"
    LUKE = "LUKE"
    EMMA = "EMMA"
    SARAH = "SARAH"
    EVA = "EVA"


class BackgroundSound(StrEnum):
    OFFICE = "OFFICE"
    OFF = "OFF"


class InterviewStatus(StrEnum):
    UNDEFINED = "UNDEFINED"
    SCHEDULED = "SCHEDULED"
    CANCELLED = "CANCELLED"
    FAILED = "FAILED"
    COMPLETED = "COMPLETED"
    IN_PROGRESS = "IN_PROGRESS"


class CompanyFit(StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


class EventType(StrEnum):
    ANALYSIS_COMPLETED = "analysis.completed"
    ANALYSIS_FAILED = "analysis.failed"
    PING = "ping"
    INTERVIEW_COMPLETED = "interview.completed"
    INTERVIEW_FAILED = "interview.failed"
    INTERVIEW_STARTED = "interview.started"
    #: The sourcing and enrichment events (docs.instaview.sk, api-reference/webhooks/create-webhook
    #: lists them UPPER_SNAKE; guides/resources/sourcing names ``sourcing.failed`` dotted): a
    #: webhook may subscribe to them; the harness has no sourcing API and never sends them.
    SOURCING_COMPLETED = "sourcing.completed"
    SOURCING_FAILED = "sourcing.failed"
    ENRICH_COMPLETED = "enrich.completed"
    ENRICH_FAILED = "enrich.failed"


#: The events the harness emits (each has a payload builder, a schema and a fixture).
EMITTED_EVENTS: tuple[EventType, ...] = (
    EventType.ANALYSIS_COMPLETED,
    EventType.ANALYSIS_FAILED,
    EventType.PING,
    EventType.INTERVIEW_COMPLETED,
    EventType.INTERVIEW_FAILED,
    EventType.INTERVIEW_STARTED,
)


#: The vendor's numeric codes for events, in its order (the newer events have none).
EVENT_NUMBERS: tuple[EventType, ...] = (
    EventType.ANALYSIS_COMPLETED,
    EventType.ANALYSIS_FAILED,
    EventType.PING,
    EventType.INTERVIEW_COMPLETED,
    EventType.INTERVIEW_FAILED,
    EventType.INTERVIEW_STARTED,
)


class Plan(StrEnum):
    TRIAL = "TRIAL"
    STARTER = "STARTER"
    BUSINESS = "BUSINESS"
    SCALE = "SCALE"


#: Requests per minute and per hour, per key, for a company without a plan (the vendor's
#: default, docs.instaview.sk/guides/rate-limiting).
DEFAULT_RATE_LIMITS: tuple[int, int] = (60, 2000)

#: Requests per minute and per hour, per key, by plan.
PLAN_RATE_LIMITS: dict[Plan, tuple[int, int]] = {
    Plan.TRIAL: (30, 500),
    Plan.STARTER: (120, 5000),
    Plan.BUSINESS: (300, 15000),
    Plan.SCALE: (600, 30000),
}


#: Every scope a key can carry (contract section 1).
ALL_SCOPES: frozenset[str] = frozenset(
    [f"{p}:{r}" for p in ("read", "write", "delete") for r in ("jobs", "candidates", "interviews")]
    + ["read:agents", "write:agents", "delete:agents", "read:billing"]
    + ["read:webhooks", "write:webhooks"]
)
