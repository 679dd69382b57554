"""Roles and what each may do: one table, read by the web layer, the API and the CLI."""
from __future__ import annotations

ROLES: tuple[str, ...] = ("staff", "supervisor", "admin")

#: What a role may do. A role has its own rights and those of the roles before it.
_OWN: dict[str, frozenset[str]] = {
    "staff": frozenset({
        "console",            # the staff console: own presence, own current call, wrap-up
        "own_callbacks",      # callbacks assigned to or attempted by oneself
    }),
    "supervisor": frozenset({
        "board",              # the live board
        "call_log",           # the call log and each call's detail, numbers masked
        "unmask",             # "show number": the caller's full number (audited)
        "export",             # CSV export of the call log (audited)
        "manage_callbacks",   # reassign, retry now, cancel, mark done
        "metrics",
        "api",                # the read-only JSON API with a session
    }),
    "admin": frozenset({
        "manage_staff",       # staff accounts: add, change, deactivate, roles, passwords
        "audit_log",          # who viewed, unmasked, exported or changed what
        "api_tokens",
    }),
}


def permissions(role: str) -> frozenset[str]:
    """Everything a role may do (unknown roles: nothing)."""
    if role not in ROLES:
        return frozenset()
    granted: set[str] = set()
    for each in ROLES[: ROLES.index(role) + 1]:
        granted |= _OWN[each]
    return frozenset(granted)


def allowed(role: str | None, permission: str) -> bool:
    """Whether a role may do something."""
    return role is not None and permission in permissions(role)
