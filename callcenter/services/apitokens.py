"""Bearer tokens for the read-only JSON API: shown once, stored only as a hash."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from ..store.models import ApiToken
from . import audit, callbacks
from .audit import Actor
from .helpline import Helpline

PREFIX = "cc_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(h: Helpline, name: str, actor: Actor) -> str:
    """A new token (returned once; only its hash is kept)."""
    token = PREFIX + secrets.token_urlsafe(32)
    with h.database.session() as session:
        row = ApiToken(name=name.strip()[:80] or "api", token_hash=_hash(token), created_by=actor.id)
        session.add(row)
        session.flush()
        token_id = row.id
    audit.record(h, actor, "api_token_created", "api_token", token_id, name=name)
    return token


def check(h: Helpline, token: str) -> Actor | None:
    """Who a token belongs to (as an actor for the audit log), or None."""
    if not token.startswith(PREFIX):
        return None
    with h.database.session() as session:
        row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(token),
                                                    ApiToken.revoked_at.is_(None)))
        if row is None:
            return None
        row.last_used_at = callbacks.now(h)
        return Actor(None, f"api-token:{row.name}")


def revoke(h: Helpline, token_id: int, actor: Actor) -> None:
    with h.database.session() as session:
        row = session.get(ApiToken, token_id)
        if row is None or row.revoked_at is not None:
            raise ValueError(f"token_id: no live API token {token_id}")
        row.revoked_at = callbacks.now(h)
    audit.record(h, actor, "api_token_revoked", "api_token", token_id)
