"""The supervisors' board: how long each staff member has been in their state."""
from __future__ import annotations

from callcenter.services import board, staff

from ..support.calls import InboundCall


def test_the_board_says_how_long_each_staff_member_has_been_in_their_state(helpline, webhooks, team) -> None:
    real_clock, start = helpline.clock, helpline.clock()

    def at(seconds: float) -> None:
        helpline.clock = lambda: start + seconds

    def time_in_state() -> dict[int, tuple[str, int | None]]:
        return {s["id"]: (s["activity"], s["seconds_in_state"]) for s in board.snapshot(helpline)["staff"]}

    try:
        at(0)
        ana = team.add(1)
        at(5)
        bo = team.add(2, available=False)
        staff.set_presence(helpline, bo, "away", "training")
        at(30)
        assert time_in_state() == {ana: ("free", 30), bo: ("away", 25)}

        at(40)
        call = InboundCall(webhooks)
        call.dial_in()
        at(50)
        call.choose("1")                      # offered to Ana: her phone rings from here
        at(60)
        assert time_in_state()[ana] == ("busy", 10)
        [leg] = call.legs()
        at(70)
        leg.pick_up()
        leg.press("1")                        # accepted: on the call from here
        at(100)
        assert time_in_state()[ana] == ("busy", 30)

        at(110)
        leg.status("completed", CallDuration="40")   # wrap-up begins
        activity, seconds = time_in_state()[ana]
        assert activity == "wrapup" and seconds is not None and seconds <= 1
        at(130)
        token = helpline.board.wrapup_token(ana)
        assert token and staff.end_wrapup(helpline, ana, token)   # saved early: free from now
        at(145)
        assert time_in_state() == {ana: ("free", 15), bo: ("away", 140)}
    finally:
        helpline.clock = real_clock
