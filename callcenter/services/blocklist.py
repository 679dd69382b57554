"""The caller blocklist: numbers that hear a polite refusal (after the safety line)."""
from __future__ import annotations

from sqlalchemy import delete, select

from ..numbers import caller_number
from ..store import keys
from ..store.models import BlockedNumber
from ..store.sql import insert_ignore
from .helpline import Helpline


def block(h: Helpline, raw_number: str, reason: str = "") -> bool:
    """Block a number; False if it was blocked already. ValueError for a non-number."""
    number = caller_number(raw_number)
    if number is None:
        raise ValueError("number: not a phone number")
    protected = h.identifiers.protect(number)
    with h.database.session() as session:
        added = insert_ignore(session, BlockedNumber, {
            "number_hash": protected.lookup, "number_enc": protected.ciphertext, "reason": reason[:200],
        }, conflict=["number_hash"])
    h.redis.sadd(keys.BLOCKLIST, protected.lookup)
    return added


def unblock(h: Helpline, raw_number: str) -> bool:
    """Remove a number from the blocklist; False if it was not on it."""
    number = caller_number(raw_number)
    if number is None:
        raise ValueError("number: not a phone number")
    lookup = h.identifiers.lookup(number)
    with h.database.session() as session:
        removed = session.execute(delete(BlockedNumber).where(BlockedNumber.number_hash == lookup)
                                  .returning(BlockedNumber.id)).first() is not None
    h.redis.srem(keys.BLOCKLIST, lookup)
    return bool(removed)


def count(h: Helpline) -> int:
    """How many numbers are blocked (the numbers themselves are not listed)."""
    with h.database.session() as session:
        return len(session.scalars(select(BlockedNumber.id)).all())


def publish(h: Helpline) -> int:
    """Rebuild the blocklist set in Redis from the database."""
    with h.database.session() as session:
        hashes = list(session.scalars(select(BlockedNumber.number_hash)))
    pipe = h.redis.pipeline(transaction=True)
    pipe.delete(keys.BLOCKLIST)
    if hashes:
        pipe.sadd(keys.BLOCKLIST, *hashes)
    pipe.execute()
    return len(hashes)
