"""Sign-in: Argon2id password hashes, server-side sessions with idle and absolute limits,
and throttled failures (per account and per address)."""
from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from ..store import keys
from ..store.models import Staff
from . import audit, callbacks
from .audit import Actor
from .helpline import Helpline

log = logging.getLogger(__name__)
#: Argon2id at OWASP's minimum: 19 MiB of memory, 2 passes, 1 lane.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
FAILURE_WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
MIN_PASSWORD_LENGTH = 12
#: Verified against when the username is unknown, so timing does not tell which accounts exist.
_DUMMY_HASH = HASHER.hash(secrets.token_hex(16))


@dataclass(frozen=True)
class User:
    """A signed-in staff member, supervisor or admin."""

    id: int
    name: str
    username: str
    role: str

    def actor(self, address: str | None = None) -> Actor:
        return Actor(self.id, self.username, address)


class SignInRefused(Exception):
    """Wrong username or password (the message never says which)."""


class SignInThrottled(Exception):
    """Too many failures: try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins; try again in {retry_after} s")
        self.retry_after = retry_after


def check_password(password: str) -> None:
    """ValueError naming the field when a new password is too short."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password: at least {MIN_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    """An Argon2id hash; refuses passwords shorter than MIN_PASSWORD_LENGTH."""
    check_password(password)
    return HASHER.hash(password)


def set_password(h: Helpline, staff_id: int, password: str, actor: Actor = audit.SYSTEM) -> None:
    """Give an account a (new) password; their other sessions keep running until they expire."""
    hashed = hash_password(password)
    with h.database.session() as session:
        staff = session.get(Staff, staff_id)
        if staff is None:
            raise ValueError(f"staff_id: no staff member {staff_id}")
        staff.password_hash, staff.password_changed_at = hashed, callbacks.now(h)
    audit.record(h, actor, "password_set", "staff", staff_id)


def check_username(username: str) -> str:
    """The sign-in name as stored (lower case), or ValueError naming the field."""
    name = username.strip().lower()
    if not name or len(name) > 60 or not all(ch.isalnum() or ch in "._-" for ch in name):
        raise ValueError("username: 1 to 60 letters, digits, '.', '_' or '-'")
    return name


def set_username(h: Helpline, staff_id: int, username: str) -> None:
    """Give an account its sign-in name (letters, digits, . _ -)."""
    name = check_username(username)
    with h.database.session() as session:
        taken = session.scalar(select(Staff.id).where(Staff.username == name, Staff.id != staff_id))
        if taken is not None:
            raise ValueError("username: already used by another account")
        staff = session.get(Staff, staff_id)
        if staff is None:
            raise ValueError(f"staff_id: no staff member {staff_id}")
        staff.username = name


def sign_in(h: Helpline, username: str, password: str, address: str) -> User:
    """Check a username and password; throttled per account and per address, every try audited."""
    name = username.strip().lower()[:60]
    account_key = keys.sign_in_failures("account", hashlib.sha256(name.encode()).hexdigest()[:32])
    address_key = keys.sign_in_failures("address", address[:64])
    for key, limit in ((account_key, MAX_FAILURES_PER_ACCOUNT), (address_key, MAX_FAILURES_PER_ADDRESS)):
        if int(h.redis.get(key) or 0) >= limit:
            raise SignInThrottled(max(1, int(h.redis.ttl(key))))
    with h.database.session() as session:
        staff = session.scalar(select(Staff).where(func.lower(Staff.username) == name, Staff.active.is_(True)))
        user = User(staff.id, staff.name, staff.username or name, staff.role) if staff else None
        stored = staff.password_hash if staff else None
    if not _verify(stored, password) or user is None:
        pipe = h.redis.pipeline(transaction=False)
        for key in (account_key, address_key):
            pipe.incr(key)
            pipe.expire(key, FAILURE_WINDOW_SECONDS, nx=True)
        pipe.execute()
        audit.record(h, Actor(user.id if user else None, name or "?", address), "sign_in_failed", "account",
                     name or "?")
        log.warning("failed sign-in for an account")
        raise SignInRefused("wrong username or password")
    h.redis.delete(account_key)
    audit.record(h, user.actor(address), "sign_in", "account", user.id)
    return user


def _verify(stored: str | None, password: str) -> bool:
    try:
        return HASHER.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def load_user(h: Helpline, staff_id: int) -> User | None:
    """The active account behind a session."""
    with h.database.session() as session:
        staff = session.get(Staff, staff_id)
        if staff is None or not staff.active or not staff.username:
            return None
        return User(staff.id, staff.name, staff.username, staff.role)


# ---------------------------------------------------------------------- server-side sessions


def start_session(h: Helpline, user: User, address: str) -> str:
    """A new session id; the session lives in Redis and ends after idle or absolute limits."""
    session_id = secrets.token_urlsafe(32)
    now = h.clock()
    key = keys.session(session_id)
    pipe = h.redis.pipeline(transaction=True)
    pipe.hset(key, mapping={"user": user.id, "started": now, "seen": now, "address": address[:64]})
    pipe.expire(key, h.settings.session_idle_minutes * 60)
    pipe.execute()
    return session_id


def resume_session(h: Helpline, session_id: str, *, activity: bool = True) -> int | None:
    """The user id of a live session; None when idle or too old.

    With ``activity`` (a person did something) the idle clock starts again; a page refreshing
    itself (the console's and the board's live updates) passes False, so an unattended screen
    still signs out after the idle limit.
    """
    key = keys.session(session_id)
    data = h.redis.hgetall(key)
    if not data:
        return None
    now = h.clock()
    settings = h.settings
    too_old = now - float(data["started"]) > timedelta(hours=settings.session_max_hours).total_seconds()
    idle = now - float(data["seen"]) > settings.session_idle_minutes * 60
    if too_old or idle:
        h.redis.delete(key)
        return None
    if not activity:
        return int(data["user"])
    pipe = h.redis.pipeline(transaction=False)
    pipe.hset(key, "seen", now)
    pipe.expire(key, settings.session_idle_minutes * 60)
    pipe.execute()
    return int(data["user"])


def end_session(h: Helpline, session_id: str) -> None:
    """Sign out: the session is gone on the server, whatever the browser still holds."""
    h.redis.delete(keys.session(session_id))
