"""The staff CLI: add, list, update, deactivate, import, presence; bad input refused with a message."""
from __future__ import annotations

from pathlib import Path

import pytest

from callcenter.services import staffadmin


@pytest.fixture
def cli(app, any_database_url, helpline):  # type: ignore[no-untyped-def]
    from callcenter.store.db import Database

    helpline.__dict__["database"] = Database(any_database_url)
    runner = app.test_cli_runner()
    yield lambda *args: runner.invoke(args=list(args))
    helpline.database.dispose()


def test_staff_are_added_listed_updated_and_deactivated(cli, helpline) -> None:
    added = cli("staff", "add", "--name", "Ana Example", "--phone", "+1 202 555 0111", "--languages", "en,es")
    assert added.exit_code == 0, added.output
    assert "added staff 1: Ana Example" in added.output
    assert cli("staff", "presence", "1", "available").exit_code == 0
    listing = cli("staff", "list").output
    assert "Ana Example" in listing and "+12025550111" in listing and "free" in listing
    assert cli("staff", "update", "1", "--priority", "5", "--languages", "es").exit_code == 0
    [card] = helpline.board.cards([1]).values()
    assert card.languages == ("es",) and card.priority == 5
    assert cli("staff", "deactivate", "1").exit_code == 0
    assert helpline.board.known_ids() == set()
    assert "Ana Example" not in cli("staff", "list").output
    assert "inactive" in cli("staff", "list", "--all").output


@pytest.mark.parametrize("args,message", [
    (["--name", "Bo", "--phone", "555-0111"], "contact: must be a phone number in E.164"),
    (["--name", "Bo", "--phone", "+1 202 555 01"], "contact: is not a valid, dialable phone number"),
    (["--name", "Bo", "--phone", "+12025550112", "--languages", "en,klingon"], "languages: unknown language"),
    (["--name", "Bo", "--phone", "+12025550112", "--lines", "billing"], "lines: unknown line 'billing'"),
    (["--name", "", "--phone", "+12025550112"], "name: is required"),
    (["--name", "Bo"], "contact: "),    # staff take calls: they need a phone
])
def test_bad_staff_details_are_refused_with_the_field_named(cli, args, message) -> None:  # type: ignore[no-untyped-def]
    result = cli("staff", "add", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert cli("staff", "list", "--all").output.count("\n") == 1  # header only: nothing added


def test_staff_are_imported_from_csv_all_or_nothing(cli, helpline, tmp_path: Path) -> None:
    good = tmp_path / "staff.csv"
    good.write_text("name,contact,languages,lines,role,priority\n"
                    "Ana,+12025550111,en,admissions,staff,1\n"
                    "Bo,client:bo_browser,\"en,es\",,supervisor,\n")
    result = cli("staff", "import", str(good))
    assert result.exit_code == 0 and "2 added, 0 updated" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("name,contact\nCy,+12025550113\nDee,not-a-phone\n")
    refused = cli("staff", "import", str(bad))
    assert refused.exit_code != 0 and "row 3: contact" in refused.output
    assert len(staffadmin.list_staff(helpline)) == 2
    again = cli("staff", "import", str(good))
    assert "0 added, 2 updated" in again.output


def test_presence_for_unknown_staff_is_refused(cli) -> None:
    result = cli("staff", "presence", "77", "available")
    assert result.exit_code != 0 and "no active staff member 77" in result.output


def test_the_blocklist_never_prints_numbers(cli, helpline) -> None:
    assert "blocked" in cli("blocklist", "add", "+12025550166", "--reason", "prank calls").output
    assert "already blocked" in cli("blocklist", "add", "+1 (202) 555-0166").output
    assert cli("blocklist", "count").output.strip() == "1"
    assert "not a phone number" in cli("blocklist", "add", "hello").output
    assert "unblocked" in cli("blocklist", "remove", "+12025550166").output
    assert cli("blocklist", "count").output.strip() == "0"


def test_callback_requests_are_listed_masked_and_can_be_cancelled(cli, helpline) -> None:
    from callcenter.services import callbacks

    recorded = callbacks.record(helpline, source="web", number="+12025550147", consent_any_time=True)
    listing = cli("callbacks", "list").output
    assert "•••-•••-0147" in listing and "2025550147" not in listing and "pending" in listing
    assert cli("callbacks", "cancel", str(recorded.request_id), "--reason", "reached by email").exit_code == 0
    assert "cancelled" in cli("callbacks", "list", "--status", "cancelled").output
    again = cli("callbacks", "cancel", str(recorded.request_id), "--reason", "twice")
    assert again.exit_code != 0 and "no open callback request" in again.output


def test_a_supervisor_needs_no_phone_and_the_list_still_prints(cli) -> None:  # type: ignore[no-untyped-def]
    added = cli("staff", "add", "--name", "Sam Supervisor", "--role", "supervisor")
    assert added.exit_code == 0 and "added staff" in added.output, added.output
    assert cli("staff", "add", "--name", "Ana Example", "--phone", "+12025550111").exit_code == 0
    listed = cli("staff", "list")
    assert listed.exit_code == 0, listed.output
    rows = {line.split()[1]: line for line in listed.output.splitlines()[1:]}
    assert "+12025550111" in rows["Ana"] and " - " in rows["Sam"] and "supervisor" in rows["Sam"]
