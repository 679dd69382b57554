"""The system of record: SQLAlchemy 2 models (migrations under ``store/migrations``)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Integer on SQLite keeps AUTOINCREMENT row ids working; BIGINT elsewhere.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in time, always aware and in UTC (SQLite alone would hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (so migrations can refer to them)."""

    metadata = MetaData(naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


class Staff(Base):
    """An admissions staff member (or supervisor, or admin)."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # E.164 phone number, or "client:<identity>" for a Twilio Client (browser) phone; supervisors
    # and admins who never take calls may have none.
    contact: Mapped[str | None] = mapped_column(String(140))
    # Sign-in for the staff console and the supervisor pages (none: phone-only staff).
    username: Mapped[str | None] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    languages: Mapped[str] = mapped_column(String(100), default="en")
    lines: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20), default="staff")
    priority: Mapped[int] = mapped_column(Integer, default=100)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now(),
                                                 onupdate=func.now())


class Call(Base):
    """One inbound call, merged from its events (see ``core.records``)."""

    __tablename__ = "calls"
    __table_args__ = (
        # The call log's usual filters, each with the newest-first order it pages in.
        Index("ix_calls_outcome_received_at", "outcome", "received_at"),
        Index("ix_calls_staff_id_received_at", "staff_id", "received_at"),
        Index("ix_calls_caller_hash_received_at", "caller_hash", "received_at"),
    )

    sid: Mapped[str] = mapped_column(String(40), primary_key=True)
    direction: Mapped[str] = mapped_column(String(20), default="inbound")
    line: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(10))
    caller_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    caller_enc: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(20), default="in_progress", index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # When the caller entered the queue (first offered to staff, or no one was free): waits count from here.
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The latest acceptance that never reached the caller (their leg ended before the bridge).
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    wait_seconds: Mapped[float | None] = mapped_column(Float)
    talk_seconds: Mapped[int | None] = mapped_column(Integer)
    held_seconds: Mapped[int | None] = mapped_column(Integer)
    callback_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    # Wrap-up by the staff member who took the call.
    disposition: Mapped[str | None] = mapped_column(String(40), index=True)
    notes_enc: Mapped[str | None] = mapped_column(Text)
    wrapped_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    wrapped_up_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    voicemail: Mapped[bool] = mapped_column(Boolean, default=False)
    overflowed: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)


class CallLeg(Base):
    """A staff phone rung for a call (a ``<Dial>`` leg or a REST-placed ring-all leg)."""

    __tablename__ = "call_legs"

    sid: Mapped[str] = mapped_column(String(40), primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(40), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    status: Mapped[str | None] = mapped_column(String(20))
    first_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CallEvent(Base):
    """The append-only call-event log: who, what, when, which call (Asterisk's queue_log)."""

    __tablename__ = "call_events"
    __table_args__ = (Index("ix_call_events_call_sid_at", "call_sid", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    # The producer's idempotency key: a replayed webhook or re-read stream entry is stored once.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    call_sid: Mapped[str | None] = mapped_column(String(40))
    staff_id: Mapped[int | None] = mapped_column(Integer, index=True)
    event: Mapped[str] = mapped_column(String(40), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class BlockedNumber(Base):
    """A caller number that gets the polite refusal (stored like every caller number)."""

    __tablename__ = "blocked_numbers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number_hash: Mapped[str] = mapped_column(String(64), unique=True)
    number_enc: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())


class CallbackRequest(Base):
    """A caller's request to be called back (from the phone, the web form or a voicemail).

    One open request per number: a partial unique index on the number's lookup hash for
    the open states; a second request merges into the first and keeps its place in line.
    """

    __tablename__ = "callback_requests"
    __table_args__ = (
        Index("uq_callback_requests_open_number", "number_hash", unique=True,
              sqlite_where=text("status IN ('pending', 'in_progress')"),
              postgresql_where=text("status IN ('pending', 'in_progress')")),
        Index("ix_callback_requests_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(20))  # phone | web | voicemail
    status: Mapped[str] = mapped_column(String(20), index=True)
    number_hash: Mapped[str] = mapped_column(String(64), index=True)
    number_enc: Mapped[str] = mapped_column(Text)
    call_sid: Mapped[str | None] = mapped_column(String(40), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Its place in line: when the caller first called (a merged request keeps the earlier one).
    original_call_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    line: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(10))
    time_zones: Mapped[str] = mapped_column(String(400), default="")
    preferred: Mapped[str] = mapped_column(String(20), default="asap")
    consent_voicemail: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_name: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_any_time: Mapped[bool] = mapped_column(Boolean, default=False)
    first_name_enc: Mapped[str | None] = mapped_column(Text)
    insurance_enc: Mapped[str | None] = mapped_column(Text)
    recording_sid: Mapped[str | None] = mapped_column(String(40))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    current_attempt_id: Mapped[int | None] = mapped_column(Integer)
    last_outcome: Mapped[str | None] = mapped_column(String(20))
    assigned_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("callback_requests.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_reason: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now(),
                                                 onupdate=func.now())


class CallbackAttempt(Base):
    """One try at a callback: the staff member's call, then (if they accept) the caller's leg.

    The row exists before the REST request that places the staff call, so a call Twilio
    may or may not have placed (a 5xx, a timeout) is reconciled from its status callbacks.
    """

    __tablename__ = "callback_attempts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("callback_requests.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, 3 ... among the caller's attempts
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), index=True)
    staff_call_sid: Mapped[str | None] = mapped_column(String(40), index=True)
    caller_call_sid: Mapped[str | None] = mapped_column(String(40))
    outcome: Mapped[str | None] = mapped_column(String(20))
    answered_by: Mapped[str | None] = mapped_column(String(30))
    voicemail_left: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditEntry(Base):
    """Who viewed, unmasked, exported or changed what, when and from where."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now(), index=True)
    actor: Mapped[str] = mapped_column(String(120))
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(80))
    address: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ApiToken(Base):
    """A bearer token for the read-only JSON API (only its hash is kept)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
