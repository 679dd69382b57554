"""Parsing and checking TwiML: every answer the service gives is a valid, caller-safe document."""
from __future__ import annotations

import xml.etree.ElementTree as ET

# Verbs and the nouns/attributes the service may use (a subset of Twilio's TwiML reference).
VERBS: dict[str, set[str]] = {
    "Say": {"voice", "language", "loop"},
    "Play": {"loop", "digits"},
    "Pause": {"length"},
    "Gather": {"action", "method", "timeout", "numDigits", "finishOnKey", "actionOnEmptyResult", "input"},
    "Dial": {"action", "method", "timeout", "callerId", "answerOnBridge", "timeLimit", "record"},
    "Enqueue": {"action", "method", "waitUrl", "waitUrlMethod"},
    "Leave": set(),
    "Redirect": {"method"},
    "Record": {"action", "method", "maxLength", "timeout", "playBeep", "finishOnKey",
               "recordingStatusCallback", "recordingStatusCallbackMethod", "recordingStatusCallbackEvent"},
    "Reject": {"reason"},
    "Hangup": set(),
}
NOUNS: dict[str, dict[str, set[str]]] = {
    "Dial": {
        "Number": {"url", "method", "statusCallback", "statusCallbackEvent", "statusCallbackMethod",
                   "machineDetection"},
        "Client": {"url", "method", "statusCallback", "statusCallbackEvent", "statusCallbackMethod"},
        "Queue": {"url", "method"},
    },
    "Gather": {"Say": {"voice", "language", "loop"}, "Play": {"loop"}, "Pause": {"length"}},
}
#: Verbs after which the caller is with a person, a recording, a queue or told goodbye.
TERMINAL = {"Dial", "Enqueue", "Redirect", "Hangup", "Reject", "Leave", "Record", "Gather"}


def parse(body: str | bytes) -> ET.Element:
    """Parse a TwiML document and check every verb, noun and attribute is one Twilio knows."""
    root = ET.fromstring(body)
    assert root.tag == "Response", f"root must be <Response>, got <{root.tag}>"
    for verb in root:
        assert verb.tag in VERBS, f"unknown verb <{verb.tag}>"
        unknown = set(verb.attrib) - VERBS[verb.tag]
        assert not unknown, f"<{verb.tag}> has unknown attributes {unknown}"
        for noun in verb:
            allowed = NOUNS.get(verb.tag, {})
            assert noun.tag in allowed, f"<{noun.tag}> is not allowed inside <{verb.tag}>"
            bad = set(noun.attrib) - allowed[noun.tag]
            assert not bad, f"<{noun.tag}> in <{verb.tag}> has unknown attributes {bad}"
        if verb.tag in ("Say",):
            assert (verb.text or "").strip(), "<Say> must say something"
        if verb.tag == "Redirect":
            assert (verb.text or "").strip().startswith(("/", "http")), "<Redirect> needs a URL"
    return root


def verbs(root: ET.Element) -> list[str]:
    return [child.tag for child in root]


def spoken(root: ET.Element) -> list[str]:
    """Every <Say> text, in order (including inside <Gather>)."""
    return [el.text or "" for el in root.iter("Say")]


def assert_caller_safe(root: ET.Element) -> None:
    """The caller hears something and the document does not end in silence.

    A lone ``<Hangup/>`` is allowed: it answers a request about a caller who already hung up.
    """
    assert len(root), "an empty document leaves the caller in silence"
    if verbs(root) == ["Hangup"]:
        return
    assert root[-1].tag in TERMINAL or root[-1].tag == "Say", f"document ends in <{root[-1].tag}>"
    assert any(el.tag in ("Say", "Play", "Dial", "Enqueue", "Redirect", "Record") for el in root.iter()), \
        "the caller hears nothing"
