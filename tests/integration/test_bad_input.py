"""Bad input gets valid, caller-safe TwiML and never a 500; replays change nothing."""
from __future__ import annotations

import dataclasses

import pytest

from callcenter.web.app import create_app

from ..conftest import build_helpline
from ..support import twiml
from ..support.calls import InboundCall, new_call_sid
from ..support.helpers import OVERFLOW_NUMBER, Webhooks, call_params
from ..support.redis_server import free_port
from .conftest import call_row, events


def assert_fallback(root) -> None:  # type: ignore[no-untyped-def]
    assert "9 1 1" in twiml.spoken(root)[0]
    assert root.find("Dial").text == OVERFLOW_NUMBER


def test_a_request_without_a_call_sid_gets_the_safety_line_and_the_overflow(webhooks: Webhooks) -> None:
    params = call_params("x")
    del params["CallSid"]
    for path in ("/voice/incoming", "/voice/route?s=1", "/voice/dial-result?s=1", "/voice/language?s=1"):
        assert_fallback(webhooks.twiml(path, params))
    assert_fallback(webhooks.twiml("/voice/incoming", call_params("CA-not-a-sid")))


#: Every route an inbound caller's own call reaches (the queue's wait URLs excepted: they loop by design).
CALLER_ROUTES = ["/voice/incoming", "/voice/language?s=1", "/voice/route?s=2", "/voice/dial-result?s=3",
                 "/voice/menu?s=4", "/voice/voicemail?s=5", "/voice/overflow-result?s=6", "/voice/ring-all/result?s=7",
                 "/voice/hold/result?s=8", "/voice/ask/enter?s=9", "/voice/ask/confirm?s=10",
                 "/voice/ask/window?s=11"]


@pytest.mark.parametrize("path", CALLER_ROUTES)
def test_a_well_formed_but_unknown_call_sid_gets_caller_safe_twiml_on_every_caller_route(webhooks, path) -> None:
    root = webhooks.twiml(path, call_params(new_call_sid(), Digits="1", DialCallStatus="no-answer",
                                            QueueResult="hangup", RecordingDuration="0"))
    assert twiml.verbs(root)  # webhooks.twiml checked it is valid TwiML and ends in something the caller hears


def test_garbage_digits_at_the_language_menu_ask_once_more_then_use_the_default(webhooks, helpline, team) -> None:
    team.add(1)
    call = InboundCall(webhooks)
    call.dial_in()
    again = call.choose("9*#abc")
    assert "not one of the choices" in twiml.spoken(again)[0] and again.find("Gather") is not None
    routed = call.choose("77")
    assert routed.find("Dial") is not None
    assert helpline.flows.get(call.sid)["language"] == "en"


def test_pressing_nothing_at_the_menu_routes_in_the_default_language(webhooks, team) -> None:
    team.add(1)
    call = InboundCall(webhooks)
    call.dial_in()
    assert call.choose("").find("Dial") is not None


def test_a_status_callback_for_an_unknown_call_is_acknowledged_and_changes_no_staff(webhooks, helpline, team) -> None:
    staff = team.add(1)
    unknown = call_params(new_call_sid(), CallStatus="completed", CallDuration="5")
    response = webhooks.post("/voice/status", unknown)
    assert response.status_code == 200 and twiml.verbs(twiml.parse(response.get_data())) == []
    leg = webhooks.post(f"/voice/status?staff={staff}&call={new_call_sid()}",
                        call_params(new_call_sid(), CallStatus="no-answer"))
    assert leg.status_code == 200
    [live] = helpline.board.live([staff])
    assert live.presence == "available" and live.busy_with is None


def test_unknown_statuses_and_junk_fields_are_ignored(webhooks) -> None:
    params = call_params(new_call_sid(), CallStatus="exploded", Timestamp="yesterday", CallDuration="-4",
                         SequenceNumber="x")
    assert webhooks.post("/voice/status", params).status_code == 200


def test_a_callback_dial_result_for_an_attempt_that_does_not_exist_changes_nothing(webhooks, helpline) -> None:
    root = webhooks.twiml("/voice/callback/dial-result?attempt=987", call_params(new_call_sid(),
                                                                               DialCallStatus="no-answer"))
    assert twiml.spoken(root) == ["This callback is no longer needed. Thank you."]
    assert twiml.verbs(root)[-1] == "Hangup"


def test_a_screening_request_for_a_call_that_is_not_waiting_is_told_so(webhooks) -> None:
    root = webhooks.twiml(f"/voice/screen?staff=3&call={new_call_sid()}", call_params(new_call_sid()))
    assert "no longer on the line" in twiml.spoken(root)[0] and twiml.verbs(root)[-1] == "Hangup"
    bad = webhooks.twiml("/voice/screen?staff=abc&call=nope", call_params(new_call_sid()))
    assert twiml.verbs(bad)[-1] == "Hangup"


def test_a_webhook_replayed_three_times_gets_the_same_answer_and_is_counted_once(webhooks, helpline, team) -> None:
    first, second = team.add(1), team.add(2)
    call = InboundCall(webhooks)
    params = call.params()
    answers = {webhooks.post("/voice/incoming", params).get_data() for _ in range(3)}
    assert len(answers) == 1
    call.last = twiml.parse(answers.pop())
    call.choose("1")
    dial_action = call.last.find("Dial").get("action")
    replies = [webhooks.post(dial_action, call.params(DialCallStatus="no-answer")).get_data() for _ in range(3)]
    assert len(set(replies)) == 1
    log = events(helpline, call.sid)
    assert [kind for kind, _ in log].count("call.received") == 1
    assert [kind for kind, _ in log].count("call.missed") == 1
    assert [kind for kind, _ in log].count("call.offered") == 2  # first, then second: not a third
    [a, b] = helpline.board.live([first, second])
    assert a.misses == 1 and a.busy_with is None and b.busy_with == call.sid


def test_a_replayed_acceptance_keeps_one_winner(webhooks, helpline, team) -> None:
    staff = team.add(1)
    call = InboundCall(webhooks)
    call.to_routing()
    [leg] = call.legs()
    leg.pick_up()
    action = leg.last.find("Gather").get("action")
    from ..support.helpers import staff_leg_params

    for _ in range(3):
        root = webhooks.twiml(action, staff_leg_params(leg.sid, call.sid, leg.contact, Digits="1"))
        assert twiml.spoken(root) == ["Connecting you now."]
    assert [kind for kind, _ in events(helpline, call.sid)].count("call.accepted") == 1
    assert helpline.board.winner(call.sid) == staff


@pytest.fixture
def redis_down(settings, fake_twilio):  # type: ignore[no-untyped-def]
    """The app pointed at a Redis that is not there."""
    broken = dataclasses.replace(settings, redis_url=f"redis://127.0.0.1:{free_port()}/0", redis_timeout=0.2)
    return Webhooks(create_app(broken, helpline=build_helpline(broken, fake_twilio)).test_client(), broken)


@pytest.mark.parametrize("path", [*CALLER_ROUTES, "/voice/fallback"])
def test_with_redis_down_the_caller_still_hears_the_safety_line_and_reaches_the_overflow(redis_down, path) -> None:
    assert_fallback(redis_down.twiml(path, call_params(new_call_sid(), Digits="1")))


@pytest.fixture
def everything_down(settings, fake_twilio):  # type: ignore[no-untyped-def]
    """The app pointed at a Redis and a database that are not there."""
    gone = dataclasses.replace(settings, redis_url=f"redis://127.0.0.1:{free_port()}/0", redis_timeout=0.2,
                               database_url=f"postgresql://nobody@127.0.0.1:{free_port()}/gone")
    return Webhooks(create_app(gone, helpline=build_helpline(gone, fake_twilio)).test_client(), gone)


#: Who hears the answer of each /voice route, and so what it must be when the service cannot work.
WHO_HEARS = {
    "caller": ["/voice/incoming", "/voice/language", "/voice/route", "/voice/dial-result", "/voice/menu",
               "/voice/voicemail", "/voice/overflow-result", "/voice/ring-all/result", "/voice/hold/result",
               "/voice/ask/<question>", "/voice/fallback"],
    "caller after the overflow": ["/voice/fallback/after"],
    "caller in a queue": ["/voice/hold/wait", "/voice/hold/key", "/voice/ring-all/wait"],
    "caller called back": ["/voice/callback/caller"],
    "staff": ["/voice/screen", "/voice/screen/answer", "/voice/screen/taken", "/voice/callback/staff",
              "/voice/callback/staff-answer", "/voice/callback/dial-result"],
    "nobody (a notification)": ["/voice/status", "/voice/recording", "/voice/callback/staff-status",
                                "/voice/callback/caller-status"],
}


def test_every_voice_route_says_who_hears_it(app) -> None:
    routes = sorted(rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/voice"))
    assert routes == sorted(route for group in WHO_HEARS.values() for route in group)


WHO_HEARS_ROUTES = [(who, route) for who, group in WHO_HEARS.items() for route in group]


@pytest.mark.parametrize("who,route", WHO_HEARS_ROUTES)
def test_with_redis_and_the_database_down_each_route_answers_whoever_hears_it(everything_down, who, route) -> None:
    assert_right_for(who, _post_route(everything_down, route, call_params(new_call_sid())))


@pytest.mark.parametrize("who,route", WHO_HEARS_ROUTES)
def test_without_a_call_sid_each_route_answers_whoever_hears_it(webhooks, who, route) -> None:
    params = call_params("x")
    del params["CallSid"]
    assert_right_for(who, _post_route(webhooks, route, params))


def _post_route(webhooks: Webhooks, route: str, params: dict[str, str]):  # type: ignore[no-untyped-def]
    path = route.replace("<question>", "enter") + "?s=1&staff=1&call=" + new_call_sid() + "&attempt=1"
    response = webhooks.post(path, {**params, "Digits": "1", "DialCallStatus": "no-answer",
                                    "CallStatus": "completed", "QueueTime": "3"})
    assert response.status_code == 200 and response.mimetype == "text/xml"
    return twiml.parse(response.get_data())


def assert_right_for(who: str, root) -> None:  # type: ignore[no-untyped-def]
    if who == "caller":
        twiml.assert_caller_safe(root)
        assert_fallback(root)  # the safety line, then the overflow line
    elif who == "caller after the overflow":
        assert root.find("Record") is not None  # a message, then goodbye
    elif who == "caller in a queue":
        assert twiml.verbs(root) == ["Leave"]  # out of the queue, to its action: the fallback
    elif who == "caller called back":
        assert twiml.verbs(root) == ["Hangup"]  # not bridged; the staff member hears why
    elif who == "staff":
        assert root.find(".//Dial") is None and "9 1 1" not in " ".join(twiml.spoken(root))
        assert twiml.verbs(root)[-1] == "Hangup"
    else:
        assert twiml.verbs(root) == []


def test_the_fallback_url_needs_neither_redis_nor_the_database(everything_down) -> None:
    webhooks = everything_down
    for path in ("/voice/fallback", "/voice/incoming"):
        assert_fallback(webhooks.twiml(path, call_params(new_call_sid())))
    after = webhooks.twiml("/voice/fallback/after", call_params(new_call_sid(), DialCallStatus="no-answer"))
    assert after.find("Record") is not None
    # A callback's dial result is heard by the staff member who called: no safety line or overflow for them.
    staff_side = webhooks.post("/voice/callback/dial-result?attempt=1", call_params(new_call_sid(),
                                                                                    DialCallStatus="completed"))
    assert staff_side.status_code == 200
    root = twiml.parse(staff_side.get_data())
    assert twiml.verbs(root)[-1] == "Hangup" and root.find("Dial") is None
    assert "no longer on the line" in twiml.spoken(root)[0]


def test_with_redis_down_staff_legs_and_callbacks_get_valid_answers(redis_down) -> None:
    screen = redis_down.twiml(f"/voice/screen?staff=1&call={new_call_sid()}", call_params(new_call_sid()))
    assert twiml.verbs(screen)[-1] == "Hangup"
    wait = redis_down.post("/voice/ring-all/wait?s=1", call_params(new_call_sid(), QueueTime="3"))
    assert twiml.verbs(twiml.parse(wait.get_data())) == ["Leave"]
    for path in ("/voice/status", "/voice/recording"):
        response = redis_down.post(path, call_params(new_call_sid(), CallStatus="completed"))
        assert response.status_code == 200
        twiml.parse(response.get_data())


def test_health_reports_redis_down(redis_down) -> None:
    response = redis_down.client.get("/healthz")
    assert response.status_code == 503 and response.json["status"] == "unavailable"


def test_the_fallback_after_the_overflow_takes_a_message_then_says_goodbye(webhooks, helpline) -> None:
    sid = new_call_sid()
    params = call_params(sid, DialCallStatus="no-answer")
    root = webhooks.twiml("/voice/fallback/after", params)
    record = root.find("Record")
    assert record is not None and record.get("recordingStatusCallback") == "/voice/recording"
    done = webhooks.twiml(record.get("action"), call_params(sid, RecordingDuration="10"))
    said = " ".join(twiml.spoken(done))
    assert "received your message" in said and "call again" in said
    assert "call you back" not in said  # the service was down: no promise it cannot keep
    # Once the service is back, the recording reaches the call log for staff to hear.
    status = webhooks.post(record.get("recordingStatusCallback"), {
        "AccountSid": webhooks.settings.twilio_account_sid, "CallSid": sid, "RecordingSid": "RE" + "5" * 32,
        "RecordingStatus": "completed", "RecordingDuration": "10", "RecordingUrl": "https://api.twilio.com/x"})
    assert status.status_code == 200
    assert call_row(helpline, sid).voicemail is True
    answered = webhooks.twiml("/voice/fallback/after", call_params(new_call_sid(), DialCallStatus="completed"))
    assert twiml.verbs(answered) == ["Hangup"]
