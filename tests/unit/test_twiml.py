"""Every TwiML builder gives a valid document; the safety line always comes first."""
from __future__ import annotations

from callcenter.store.staffboard import StaffCard
from callcenter.web import twiml

from ..support import twiml as check
from ..support.helpers import callflow

CF = callflow()
EN, ES = CF.language("en"), CF.language("es")


def parsed(body: str):  # type: ignore[no-untyped-def]
    root = check.parse(body)
    check.assert_caller_safe(root)
    return root


def test_the_greeting_says_the_safety_line_before_any_menu() -> None:
    root = parsed(twiml.greeting(CF, menu=True, blocked=False, menu_url="/voice/language?s=1", route_url="/r"))
    first = root[0]
    assert first.tag == "Say" and "9 1 1" in first.text and "9 8 8" in first.text
    assert check.verbs(root) == ["Say", "Say", "Gather", "Redirect"]
    gather = root.find("Gather")
    assert gather.get("actionOnEmptyResult") == "true"
    assert [s.get("language") for s in gather.iter("Say")] == ["en-US", "es-US"]


def test_a_blocked_caller_hears_the_safety_line_then_a_polite_goodbye() -> None:
    root = parsed(twiml.greeting(CF, menu=True, blocked=True, menu_url="/m", route_url="/r"))
    assert check.verbs(root) == ["Say", "Say", "Hangup"]
    assert "9 1 1" in root[0].text and "not able to take your call" in root[1].text


def test_ringing_staff_screens_them_and_never_shows_the_callers_number() -> None:
    staff = (StaffCard(3, "Ana", "+12025550111", ("en",), ("admissions",)),
             StaffCard(4, "Bo", "client:bo", ("en",), ("admissions",)))
    body = twiml.ring(CF, ES, staff, timeout=20, first=True, action="/voice/dial-result?s=2",
                      caller_id="+12025550100", screen_url=lambda i: f"/voice/screen?staff={i}",
                      status_url=lambda i: f"/voice/status?staff={i}")
    root = parsed(body)
    dial = root.find("Dial")
    assert dial.get("callerId") == "+12025550100" and dial.get("answerOnBridge") == "true"
    assert dial.find("Number").text == "+12025550111" and dial.find("Client").text == "bo"
    assert dial.find("Number").get("url") == "/voice/screen?staff=3"
    assert root[0].get("language") == "es-US"


def test_the_screen_prompt_names_the_language_and_asks_for_1() -> None:
    root = parsed(twiml.screen(CF, language_name="Spanish", action="/voice/screen/answer", seconds=8))
    gather = root.find("Gather")
    assert gather.get("numDigits") == "1" and gather.get("actionOnEmptyResult") == "false"
    assert gather.find("Say").text == "Helpline call, Spanish. Press 1 to accept."
    assert check.verbs(root)[-1] == "Hangup"  # no key = not accepted


def test_accepting_a_ring_all_call_dequeues_the_caller() -> None:
    root = parsed(twiml.screen_answer(CF, result="accepted", queue="cc-CA1"))
    assert root.find("Dial/Queue").text == "cc-CA1"
    taken = parsed(twiml.screen_answer(CF, result="taken", queue=None))
    assert "colleague" in taken[0].text and taken[-1].tag == "Hangup"


def test_no_one_free_takes_a_voicemail_or_forwards_to_overflow() -> None:
    voicemail = parsed(twiml.no_one_free(CF, EN, mode="voicemail", overflow_number=None, caller_id=None,
                                         voicemail_url="/v", recording_url="/r", overflow_url="/o"))
    assert check.verbs(voicemail) == ["Say", "Say", "Record", "Say", "Say", "Hangup"]
    assert voicemail[0].text == "All of our specialists are helping other callers."
    overflow = parsed(twiml.no_one_free(CF, EN, mode="overflow", overflow_number="+12025550199",
                                        caller_id="+12025550100", voicemail_url="/v", recording_url="/r",
                                        overflow_url="/o"))
    assert overflow.find("Dial").text == "+12025550199"


def test_the_fallback_is_the_safety_line_and_the_overflow_line() -> None:
    root = parsed(twiml.fallback(CF, overflow_number="+12025550199", caller_id=None, after_url="/a"))
    assert "9 1 1" in root[0].text
    assert root.find("Dial").text == "+12025550199"
    without = parsed(twiml.fallback(CF, overflow_number=None, caller_id=None, after_url="/a"))
    assert check.verbs(without)[-1] == "Redirect"
    after = parsed(twiml.fallback_after(CF, answered=False, recorded=False, record_url="/a?recorded=1",
                                        recording_url="/r"))
    assert "Record" in check.verbs(after) and after.find("Record").get("recordingStatusCallback") == "/r"


def test_every_prompt_is_spoken_text_without_placeholders_left() -> None:
    for language in CF.languages:
        for name in CF.prompts[language.code]:
            text = CF.prompt(language.code, name, digit="1", language="Spanish", position="2", minutes="4",
                             asked="3:05 PM", helpline="2 0 2 5 5 5 0 1 0 0")
            assert text and "{" not in text
