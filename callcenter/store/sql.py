"""Small SQL helpers that work the same on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignore(session: Session, model: Any, values: dict[str, Any], conflict: list[str]) -> bool:
    """INSERT a row unless one with the same ``conflict`` columns exists; True if inserted."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    # RETURNING tells "inserted" from "skipped" on every driver (rowcount is -1 on some).
    key = model.__table__.c[conflict[0]]
    statement = (module.insert(model).values(**values).on_conflict_do_nothing(index_elements=conflict)
                 .returning(key))
    return session.execute(statement).first() is not None


def utc(epoch: float | None) -> datetime | None:
    """An aware UTC datetime from epoch seconds."""
    return None if epoch is None else datetime.fromtimestamp(epoch, tz=UTC)


def epoch(moment: datetime | None) -> float | None:
    """Epoch seconds of a datetime; naive ones (SQLite gives those back) are UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
