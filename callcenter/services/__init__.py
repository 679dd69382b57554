"""Use cases: one function per thing the helpline does; the only place core meets store."""
from .helpline import Helpline, make_redis

__all__ = ["Helpline", "make_redis"]
