"""`make run`'s demo staff, through the service's own CLI (`flask --app callcenter staff ...`), in one process.

    python scripts/demo_staff.py seed     var/demo-staff.json   # first run: import them; each run: available
    python scripts/demo_staff.py offline  var/demo-staff.json   # real Twilio: never route callers to them

Their phones are fictional numbers (+1 202 555 0111..0113) that only the local Twilio emulator
rings: the browser phone page answers them. The file lists them (id, name, phone, languages) so
later runs neither import them again nor need to look them up. Nothing here prints a number.
"""
from __future__ import annotations

import csv
import io
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

#: Obviously fictional people; the languages mix English and Spanish.
DEMO_STAFF = [
    {"name": "Ada Example", "address": "+12025550111", "languages": "en"},
    {"name": "Bruno Placeholder", "address": "+12025550112", "languages": "en,es"},
    {"name": "Carmen Ficticia", "address": "+12025550113", "languages": "es,en"},
]


def demo_csv(people: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "contact", "languages", "lines", "role", "priority"])
    for person in people:
        writer.writerow([person["name"], person["address"], person["languages"].replace(",", ";"), "", "staff",
                         DEMO_STAFF.index(person) + 1])
    return out.getvalue()


class Cli:
    """`flask --app callcenter …` invoked in this process (one start-up instead of one per command)."""

    def __init__(self) -> None:
        from callcenter import create_app

        self.app = create_app()
        self.runner = self.app.test_cli_runner()

    def __call__(self, *args: str) -> str:
        result = self.runner.invoke(args=list(args))
        if result.exit_code:
            raise SystemExit(f"flask {' '.join(args[:2])}: {result.output.strip() or result.exception}")
        return str(result.output)

    def staff(self, include_inactive: bool = False) -> dict[str, tuple[int, str]]:
        """(id, name) of staff by contact (read here, never printed)."""
        from callcenter.services import staffadmin

        with self.app.app_context():
            helpline = self.app.extensions["callcenter"]
            return {s.contact: (s.id, s.name) for s in staffadmin.list_staff(helpline, include_inactive)}


def seed(marker: Path) -> list[dict[str, Any]]:
    """Import the demo staff on the first run (or into a database made anew); set them available on every run."""
    cli = Cli()
    known = cli.staff(include_inactive=True)
    if not marker.exists() or any(person["address"] not in known for person in load(marker)):
        new = [person for person in DEMO_STAFF if person["address"] not in known]  # anyone there keeps their record
        if new:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "demo-staff.csv"
                path.write_text(demo_csv(new), encoding="utf-8")
                cli("staff", "import", str(path))
            print(f"demo staff added: {', '.join(person['name'] for person in new)}", flush=True)
        known = cli.staff(include_inactive=True)
        people = [dict(person, id=known[person["address"]][0], name=known[person["address"]][1])
                  for person in DEMO_STAFF]
        marker.write_text(json.dumps({"staff": people}, indent=2) + "\n", encoding="utf-8")
    active = cli.staff()
    ready = [person for person in load(marker) if active.get(person["address"], (None,))[0] == person["id"]]
    for person in ready:
        cli("staff", "presence", str(person["id"]), "available")
    demo_sign_ins(cli, ready, marker.parent / "demo-logins.txt")
    return ready


def demo_sign_ins(cli: Cli, people: list[dict[str, Any]], logins: Path) -> None:
    """Sign-ins for the demo: each demo staff member (first name) and a demo supervisor, one password.

    The password is made once per var folder and kept in ``logins`` (readable by its owner only);
    accounts that already have a username keep theirs.
    """
    import secrets

    from callcenter.services import accounts, staffadmin

    if not logins.exists():
        logins.write_text(f"password={secrets.token_urlsafe(12)}\n", encoding="utf-8")
        logins.chmod(0o600)
    password = logins.read_text(encoding="utf-8").split("=", 1)[1].strip()
    with cli.app.app_context():
        h = cli.app.extensions["callcenter"]
        staff = {s.id: s for s in staffadmin.list_staff(h, include_inactive=True)}
        wanted = [(person["id"], str(person["name"]).split()[0].lower()) for person in people]
        if not any(s.username == "supervisor" for s in staff.values()):
            supervisor = cli("staff", "add", "--name", "Demo Supervisor", "--role", "supervisor")
            wanted.append((int(supervisor.split()[2].rstrip(":")), "supervisor"))
        made = []
        for staff_id, username in wanted:
            if staff_id in staff and staff[staff_id].username:
                continue
            accounts.set_username(h, staff_id, username)
            accounts.set_password(h, staff_id, password)
            made.append(username)
    if made:
        print(f"demo sign-ins: {', '.join(made)} (password in {logins})", flush=True)


def offline(marker: Path) -> None:
    """With real Twilio, the fictional phones must not be offered callers."""
    if not marker.exists():
        return
    cli = Cli()
    active = cli.staff()
    for person in load(marker):
        if active.get(person["address"], (None,))[0] == person["id"]:
            cli("staff", "presence", str(person["id"]), "offline")


def load(marker: Path) -> list[dict[str, Any]]:
    return list(json.loads(marker.read_text(encoding="utf-8"))["staff"])


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("seed", "offline"):
        print(__doc__, file=sys.stderr)
        return 2
    marker = Path(argv[1])
    if argv[0] == "seed":
        ready = seed(marker)
        print(json.dumps(ready), flush=True)   # the last line: for make run (stdout is captured, never shown)
    else:
        offline(marker)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
