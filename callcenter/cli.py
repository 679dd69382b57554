"""Command line: ``flask --app callcenter staff|blocklist|db ...``."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .services import blocklist as blocklist_service
from .services import staff as staff_service
from .services import staffadmin
from .services.helpline import Helpline
from .store.db import upgrade
from .store.staffboard import PRESENCES

staff_cli = AppGroup("staff", help="Add, list, change and deactivate staff; set presence.")
blocklist_cli = AppGroup("blocklist", help="Numbers that hear a polite refusal after the safety line.")
db_cli = AppGroup("db", help="The database schema.")
callbacks_cli = AppGroup("callbacks", help="Callback requests: list them, cancel one.")
users_cli = AppGroup("users", help="Sign-in accounts: the first admin, usernames, passwords.")
tokens_cli = AppGroup("api-tokens", help="Bearer tokens for the read-only JSON API.")


def register(app: Flask) -> None:
    """Attach the command groups to the app."""
    for group in (staff_cli, blocklist_cli, db_cli, callbacks_cli, users_cli, tokens_cli):
        app.cli.add_command(group)


def _helpline() -> Helpline:
    return current_app.extensions["callcenter"]  # type: ignore[no-any-return]


def _fail_on_error(action: Any, *args: Any) -> Any:
    try:
        return action(*args)
    except ValueError as exc:  # StaffError and friends name the field
        raise click.ClickException(str(exc)) from None


def _staff_options(required: bool) -> Any:
    def decorate(command: Any) -> Any:
        for option in reversed([
            click.option("--name", required=required, help="Full name."),
            click.option("--phone", "--contact", "contact",
                         help="Phone in E.164 (+12025550123) or a Twilio Client identity (client:name); "
                              "required for staff who take calls, optional for supervisors and admins."),
            click.option("--languages", help="Language codes, comma-separated (default: the first language)."),
            click.option("--lines", help="Line ids, comma-separated (default: every line)."),
            click.option("--role", type=click.Choice(["staff", "supervisor", "admin"]), help="Role."),
            click.option("--priority", type=int, help="For the priority strategy: lower rings first."),
        ]):
            command = option(command)
        return command
    return decorate


@staff_cli.command("add")
@_staff_options(required=True)
def staff_add(**fields: Any) -> None:
    """Add a staff member (offline until set available)."""
    staff = _fail_on_error(staffadmin.add_staff, _helpline(), fields)
    click.echo(f"added staff {staff.id}: {staff.name}")


@staff_cli.command("update")
@click.argument("staff_id", type=int)
@_staff_options(required=False)
def staff_update(staff_id: int, **fields: Any) -> None:
    """Change a staff member's details."""
    staff = _fail_on_error(staffadmin.update_staff, _helpline(), staff_id, fields)
    click.echo(f"updated staff {staff.id}: {staff.name}")


@staff_cli.command("deactivate")
@click.argument("staff_id", type=int)
def staff_deactivate(staff_id: int) -> None:
    """Stop routing calls to a staff member (their history stays)."""
    staff = _fail_on_error(staffadmin.deactivate_staff, _helpline(), staff_id)
    click.echo(f"deactivated staff {staff.id}: {staff.name}")


@staff_cli.command("list")
@click.option("--all", "include_inactive", is_flag=True, help="Include deactivated staff.")
def staff_list(include_inactive: bool) -> None:
    """Staff with their live state."""
    h = _helpline()
    people = staffadmin.list_staff(h, include_inactive)
    live = {item.card.id: item for item in h.board.live([s.id for s in people if s.active])}
    click.echo(f"{'id':>4}  {'name':<24} {'contact':<22} {'languages':<10} {'lines':<16} {'role':<10} state")
    for s in people:
        state = live[s.id].activity if s.id in live else ("inactive" if not s.active else "offline")
        phone = s.contact or "-"   # supervisors and admins may have none
        click.echo(f"{s.id:>4}  {s.name:<24} {phone:<22} {s.languages:<10} {s.lines:<16} {s.role:<10} {state}")


@staff_cli.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def staff_import(csv_file: Path) -> None:
    """Add or update staff from a CSV file (name,contact,languages,lines,role,priority)."""
    added, updated = _fail_on_error(staffadmin.import_csv, _helpline(), csv_file.read_text(encoding="utf-8"))
    click.echo(f"imported staff: {added} added, {updated} updated")


@staff_cli.command("presence")
@click.argument("staff_id", type=int)
@click.argument("presence", type=click.Choice(PRESENCES))
@click.option("--reason", default="", help="Why (for away).")
def staff_presence(staff_id: int, presence: str, reason: str) -> None:
    """Set a staff member available, away or offline."""
    h = _helpline()
    if staff_id not in h.board.known_ids():
        staffadmin.publish_all(h)
    if staff_id not in h.board.known_ids():
        raise click.ClickException(f"staff_id: no active staff member {staff_id}")
    previous = staff_service.set_presence(h, staff_id, presence, reason)
    click.echo(f"staff {staff_id}: {previous} -> {presence}")


@staff_cli.command("publish")
def staff_publish() -> None:
    """Rebuild the live staff directory in Redis from the database."""
    click.echo(f"published {staffadmin.publish_all(_helpline())} active staff")


@blocklist_cli.command("add")
@click.argument("number")
@click.option("--reason", default="")
def blocklist_add(number: str, reason: str) -> None:
    """Block a caller number."""
    added = _fail_on_error(blocklist_service.block, _helpline(), number, reason)
    click.echo("blocked" if added else "already blocked")


@blocklist_cli.command("remove")
@click.argument("number")
def blocklist_remove(number: str) -> None:
    """Unblock a caller number."""
    removed = _fail_on_error(blocklist_service.unblock, _helpline(), number)
    click.echo("unblocked" if removed else "was not blocked")


@blocklist_cli.command("count")
def blocklist_count() -> None:
    """How many numbers are blocked (numbers are never listed)."""
    click.echo(str(blocklist_service.count(_helpline())))


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the latest schema (creates it from empty)."""
    upgrade(_helpline().settings.database_url)
    click.echo("database is up to date")


@callbacks_cli.command("list")
@click.option("--status", type=click.Choice(["pending", "in_progress", "completed", "exhausted", "cancelled",
                                             "merged", "open"]), default="open", help="Which requests.")
def callbacks_list(status: str) -> None:
    """Callback requests (numbers masked), oldest place in line first."""
    from .services.callbackadmin import list_requests

    click.echo(f"{'id':>5}  {'status':<12} {'source':<9} {'number':<14} {'attempts':>8}  next attempt / closed")
    for item in list_requests(_helpline(), status):
        click.echo(f"{item.id:>5}  {item.status:<12} {item.source:<9} {item.masked:<14} {item.attempts:>8}  "
                   f"{item.when}")


@callbacks_cli.command("cancel")
@click.argument("request_id", type=int)
@click.option("--reason", required=True, help="Why (kept with the request).")
def callbacks_cancel(request_id: int, reason: str) -> None:
    """Cancel an open callback request."""
    from .services.audit import Actor
    from .services.callbackadmin import cancel

    _fail_on_error(cancel, _helpline(), request_id, reason, Actor(None, "cli"))
    click.echo(f"cancelled callback request {request_id}")


@users_cli.command("create-admin")
@click.option("--username", required=True, help="What they sign in with.")
@click.option("--name", required=True, help="Full name.")
@click.password_option(help="At least 12 characters (asked for when not given).")
def users_create_admin(username: str, name: str, password: str) -> None:
    """Create an admin account (the first one, or another)."""
    from .services import accounts
    from .services.audit import Actor

    h = _helpline()
    staff = _fail_on_error(staffadmin.add_staff, h, {"name": name, "role": "admin"})
    _fail_on_error(accounts.set_username, h, staff.id, username)
    _fail_on_error(accounts.set_password, h, staff.id, password, Actor(None, "cli"))
    click.echo(f"admin {username} created (staff {staff.id})")


@users_cli.command("set-login")
@click.argument("staff_id", type=int)
@click.argument("username")
def users_set_login(staff_id: int, username: str) -> None:
    """Give a staff member a username to sign in with."""
    from .services import accounts

    _fail_on_error(accounts.set_username, _helpline(), staff_id, username)
    click.echo(f"staff {staff_id} signs in as {username.strip().lower()}")


@users_cli.command("set-password")
@click.argument("staff_id", type=int)
@click.password_option(help="At least 12 characters (asked for when not given).")
def users_set_password(staff_id: int, password: str) -> None:
    """Set a staff member's password."""
    from .services import accounts
    from .services.audit import Actor

    _fail_on_error(accounts.set_password, _helpline(), staff_id, password, Actor(None, "cli"))
    click.echo(f"password set for staff {staff_id}")


@tokens_cli.command("create")
@click.argument("name")
def tokens_create(name: str) -> None:
    """Create a token (printed once; keep it secret)."""
    from .services import apitokens
    from .services.audit import Actor

    click.echo(apitokens.create(_helpline(), name, Actor(None, "cli")))


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
def tokens_revoke(token_id: int) -> None:
    """Revoke a token."""
    from .services import apitokens
    from .services.audit import Actor

    _fail_on_error(apitokens.revoke, _helpline(), token_id, Actor(None, "cli"))
    click.echo(f"token {token_id} revoked")
