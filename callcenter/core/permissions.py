"""Roles and what each may do: one table, read by the web layer and the CLI."""
from __future__ import annotations

ROLES: tuple[str, ...] = ("staff", "supervisor", "admin")
