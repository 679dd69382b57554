"""Callback requests and attempts in the database: create-or-merge, claim, finish.

Every state change is a conditional UPDATE (… WHERE status = the state we expect), so a
replayed webhook, a second worker or a late status callback cannot move a request twice:
each request ends in exactly one terminal state.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core import callbacks as policy
from .identifiers import Identifiers
from .models import CallbackAttempt, CallbackRequest


@dataclass(frozen=True)
class NewRequest:
    """What a caller asked for (numbers in the clear only until they are protected here)."""

    source: str
    number: str
    requested_at: datetime
    first_attempt_at: datetime
    time_zones: tuple[str, ...]
    original_call_at: datetime | None = None
    call_sid: str | None = None
    line: str | None = None
    language: str | None = None
    preferred: str = "asap"
    consent_voicemail: bool = False
    consent_name: bool = False
    consent_any_time: bool = False
    first_name: str | None = None
    insurance: str | None = None
    recording_sid: str | None = None


def open_request(session: Session, number_hash: str, lock: bool = False) -> CallbackRequest | None:
    """The open request for a number, if any."""
    query = select(CallbackRequest).where(CallbackRequest.number_hash == number_hash,
                                          CallbackRequest.status.in_(policy.OPEN))
    return session.scalars(query.with_for_update() if lock else query).first()


def create_or_merge(session: Session, ids: Identifiers, new: NewRequest) -> tuple[CallbackRequest, bool]:
    """Record a request; a second one for the same number merges into the open one.

    Returns (the request that will be called back, merged?). The merged request is kept
    as its own row in the terminal state ``merged``, pointing at the one that lives on.
    """
    lookup = ids.lookup(new.number)
    for _ in range(3):  # a concurrent first request for the same number: merge into it
        existing = open_request(session, lookup, lock=True)
        if existing is not None:
            _merge(session, ids, existing, new)
            return existing, True
        try:
            with session.begin_nested():
                row = _row(ids, new, policy.PENDING)
                session.add(row)
            return row, False
        except IntegrityError:
            continue
    raise RuntimeError("could not record the callback request")


def _row(ids: Identifiers, new: NewRequest, status: str) -> CallbackRequest:
    protected = ids.protect(new.number)
    return CallbackRequest(
        source=new.source, status=status, number_hash=protected.lookup, number_enc=protected.ciphertext,
        call_sid=new.call_sid, requested_at=new.requested_at,
        original_call_at=new.original_call_at or new.requested_at, line=new.line, language=new.language,
        time_zones=",".join(new.time_zones), preferred=new.preferred, consent_voicemail=new.consent_voicemail,
        consent_name=new.consent_name, consent_any_time=new.consent_any_time,
        first_name_enc=ids.protect(new.first_name).ciphertext if new.first_name else None,
        insurance_enc=ids.protect(new.insurance).ciphertext if new.insurance else None,
        recording_sid=new.recording_sid, attempts=0, next_attempt_at=new.first_attempt_at)


def _merge(session: Session, ids: Identifiers, existing: CallbackRequest, new: NewRequest) -> None:
    """Fold a second request into the open one: the earlier place in line, the latest wishes."""
    merged = _row(ids, new, policy.MERGED)
    merged.merged_into_id = existing.id
    merged.closed_at = new.requested_at
    merged.closed_reason = f"merged into request {existing.id}"
    merged.next_attempt_at = None
    session.add(merged)
    first = _aware(existing.original_call_at)
    candidate = new.original_call_at or new.requested_at
    existing.original_call_at = min(first, candidate) if first else candidate
    asked = new.source != "voicemail"  # a voicemail asks none of the questions: earlier answers stand
    if asked:
        existing.consent_voicemail, existing.consent_name = new.consent_voicemail, new.consent_name
        existing.consent_any_time, existing.preferred = new.consent_any_time, new.preferred
    existing.recording_sid = existing.recording_sid or new.recording_sid
    if new.first_name:
        existing.first_name_enc = ids.protect(new.first_name).ciphertext
    if new.insurance:
        existing.insurance_enc = ids.protect(new.insurance).ciphertext
    due = _aware(existing.next_attempt_at)
    if existing.status != policy.PENDING:
        return
    if asked and new.preferred != "asap":
        existing.next_attempt_at = new.first_attempt_at  # the latest wish names a time: that time
    elif existing.preferred == "asap" and (due is None or new.first_attempt_at < due):
        existing.next_attempt_at = new.first_attempt_at  # asking again: sooner, never later


def _aware(moment: datetime | None) -> datetime | None:
    from .sql import epoch, utc

    return utc(epoch(moment))


def due(session: Session, now: datetime, order: str, limit: int) -> list[CallbackRequest]:
    """Pending requests whose next attempt time has come, in line order."""
    key = CallbackRequest.original_call_at if order == "original_call" else CallbackRequest.requested_at
    query = (select(CallbackRequest)
             .where(CallbackRequest.status == policy.PENDING, CallbackRequest.next_attempt_at <= now)
             .order_by(key, CallbackRequest.id).limit(limit))
    return list(session.scalars(query))


def claim(session: Session, request_id: int, now: datetime, deadline: datetime) -> CallbackAttempt | None:
    """Start an attempt: the request moves to in_progress only if it is still pending and due."""
    request = session.get(CallbackRequest, request_id)
    if request is None:
        return None
    attempt = CallbackAttempt(request_id=request_id, number=request.attempts + 1, state="placing",
                              created_at=now, deadline_at=deadline, voicemail_left=False)
    session.add(attempt)
    session.flush()
    claimed = session.execute(
        update(CallbackRequest)
        .where(CallbackRequest.id == request_id, CallbackRequest.status == policy.PENDING,
               CallbackRequest.next_attempt_at <= now)
        .values(status=policy.IN_PROGRESS, current_attempt_id=attempt.id)
        .returning(CallbackRequest.id).execution_options(synchronize_session=False)).first()
    if claimed is None:
        session.delete(attempt)
        return None
    return attempt


def active_attempt(session: Session, attempt_id: int) -> tuple[CallbackAttempt, CallbackRequest] | None:
    """The attempt and its request, while the attempt is the request's live one."""
    attempt = session.get(CallbackAttempt, attempt_id)
    if attempt is None or attempt.ended_at is not None:
        return None
    request = session.get(CallbackRequest, attempt.request_id)
    if request is None or request.status != policy.IN_PROGRESS or request.current_attempt_id != attempt.id:
        return None
    return attempt, request


def move_attempt(session: Session, attempt_id: int, from_states: tuple[str, ...], to_state: str,
                 **values: object) -> bool:
    """Move an attempt between states (False if it was not in one of ``from_states``)."""
    return session.execute(
        update(CallbackAttempt)
        .where(CallbackAttempt.id == attempt_id, CallbackAttempt.state.in_(from_states),
               CallbackAttempt.ended_at.is_(None))
        .values(state=to_state, **values).returning(CallbackAttempt.id)
        .execution_options(synchronize_session=False)).first() is not None


def finish(session: Session, attempt_id: int, outcome: str, now: datetime, retry: policy.RetryPolicy,
           window: policy.Window) -> str | None:
    """End an attempt with its outcome and move its request on; returns the request's new status.

    Reached: completed. Caller not reached: the next attempt per the policy, or exhausted.
    Anything else (staff did not accept, the call was lost): pending again, not counted.
    None when the attempt had already ended (a replay or a late callback).
    """
    ended = session.execute(
        update(CallbackAttempt).where(CallbackAttempt.id == attempt_id, CallbackAttempt.ended_at.is_(None))
        .values(ended_at=now, outcome=outcome, state="ended").returning(CallbackAttempt.request_id)
        .execution_options(synchronize_session=False)).first()
    if ended is None:
        return None
    request = session.get(CallbackRequest, ended[0], with_for_update=True)
    if request is None or request.status != policy.IN_PROGRESS or request.current_attempt_id != attempt_id:
        return None  # closed meanwhile (reached on an inbound call, cancelled by a supervisor)
    request.current_attempt_id = None
    request.last_outcome = outcome
    zones = tuple(filter(None, request.time_zones.split(",")))
    if outcome == "reached":
        return _close(request, policy.COMPLETED, now, "reached by a callback")
    if outcome in policy.CALLER_NOT_REACHED:
        request.attempts += 1
        next_at = policy.after_unreached(now, request.attempts, retry, zones, window, request.consent_any_time,
                                         request.preferred)
        if next_at is None:
            return _close(request, policy.EXHAUSTED, now, f"not reached in {request.attempts} attempts")
        request.status, request.next_attempt_at = policy.PENDING, next_at
        return policy.PENDING
    request.status = policy.PENDING
    request.next_attempt_at = policy.first_attempt_at(now + timedelta(seconds=20), zones, window,
                                                      request.consent_any_time, request.preferred)
    return policy.PENDING


def _close(request: CallbackRequest, status: str, now: datetime, reason: str) -> str:
    request.status, request.closed_at, request.closed_reason = status, now, reason
    request.next_attempt_at = None
    return status


def close_open(session: Session, number_hash: str, status: str, now: datetime, reason: str) -> int | None:
    """Close a number's open request (the caller got through, or a supervisor cancelled it)."""
    request = open_request(session, number_hash, lock=True)
    if request is None:
        return None
    _close(request, status, now, reason)
    request.current_attempt_id = None
    return request.id


def reopen(session: Session, number_hash: str, reason: str, closed_since: datetime, now: datetime) -> int | None:
    """Open again the request ``close_open`` closed for ``reason`` since then (e.g. an inbound call
    that seemed to reach a person but never did); due now. None if there is none, or another is open."""
    if open_request(session, number_hash) is not None:
        return None
    request = session.scalars(select(CallbackRequest).where(
        CallbackRequest.number_hash == number_hash, CallbackRequest.status == policy.COMPLETED,
        CallbackRequest.closed_reason == reason, CallbackRequest.closed_at >= closed_since,
    ).order_by(CallbackRequest.closed_at.desc()).with_for_update()).first()
    if request is None:
        return None
    request.status, request.closed_at, request.closed_reason = policy.PENDING, None, None
    request.next_attempt_at = now
    return request.id


def overdue_attempts(session: Session, now: datetime, limit: int = 100) -> list[CallbackAttempt]:
    """Attempts nothing has reported on by their deadline (a lost call, a dead worker)."""
    return list(session.scalars(select(CallbackAttempt).where(
        CallbackAttempt.ended_at.is_(None), CallbackAttempt.deadline_at <= now).limit(limit)))
