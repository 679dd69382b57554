"""TwiML documents parsed and checked the way Twilio checks them: unknown verbs or attributes are errors."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

PARSE_FAILURE = 12100      # Document parse failure
SCHEMA_ERROR = 12200       # Schema validation (unknown verb, noun or attribute)
BAD_CONTENT_TYPE = 12300   # Invalid Content-Type
HTTP_RETRIEVAL = 11200     # HTTP retrieval failure (a non-2xx answer)
HTTP_CONNECTION = 11205    # HTTP connection failure (refused, reset, timed out)

_SAY = {"voice", "language", "loop"}
_PLAY = {"loop", "digits"}
_CALLBACKS = {"statusCallbackEvent", "statusCallback", "statusCallbackMethod"}
_RECORDING = {"recordingStatusCallback", "recordingStatusCallbackMethod", "recordingStatusCallbackEvent"}
#: Attributes of each verb, from Twilio's TwiML reference.
VERBS: dict[str, set[str]] = {
    "Say": _SAY,
    "Play": _PLAY,
    "Pause": {"length"},
    "Gather": {"action", "method", "timeout", "finishOnKey", "numDigits", "input", "actionOnEmptyResult",
               "speechTimeout", "speechModel", "hints", "language", "profanityFilter", "partialResultCallback",
               "partialResultCallbackMethod", "enhanced", "bargeIn", "debug", "maxSpeechTime"},
    "Dial": {"action", "method", "timeout", "hangupOnStar", "timeLimit", "callerId", "record", "trim",
             "answerOnBridge", "ringTone", "recordingTrack", "sequential", "referUrl", "referMethod", "events",
             *_RECORDING},
    "Enqueue": {"action", "method", "waitUrl", "waitUrlMethod", "workflowSid"},
    "Leave": set(),
    "Redirect": {"method"},
    "Record": {"action", "method", "timeout", "finishOnKey", "maxLength", "playBeep", "trim", "transcribe",
               "transcribeCallback", "storageUrl", "storageUrlMethod", *_RECORDING},
    "Reject": {"reason"},
    "Hangup": set(),
}
#: Verbs Twilio knows that this emulator does not run (a document using one is refused, loudly).
UNSUPPORTED = {"Connect", "Pay", "Prompt", "Refer", "Sms", "Message", "Start", "Stop", "Stream", "Siprec"}
NOUNS: dict[str, dict[str, set[str]]] = {
    "Dial": {
        "Number": {"sendDigits", "url", "method", "byoc", "machineDetection", "machineDetectionTimeout",
                   "machineDetectionSpeechThreshold", "machineDetectionSpeechEndThreshold",
                   "machineDetectionSilenceTimeout", "amdStatusCallback", "amdStatusCallbackMethod", *_CALLBACKS},
        "Client": {"url", "method", *_CALLBACKS},
        "Queue": {"url", "method", "reservationSid", "postWorkActivitySid"},
    },
    "Gather": {"Say": _SAY, "Play": _PLAY, "Pause": {"length"}},
}
CLIENT_CHILDREN = {"Identity": set(), "Parameter": {"name", "value"}}
SSML = {"break", "emphasis", "lang", "p", "phoneme", "prosody", "s", "say-as", "sub", "w", "amazon:effect",
        "amazon:domain"}
INTEGERS = {"timeout", "numDigits", "length", "loop", "maxLength", "timeLimit"}
BOOLEANS = {"actionOnEmptyResult", "answerOnBridge", "playBeep", "hangupOnStar"}
METHODS = {"method", "waitUrlMethod", "statusCallbackMethod", "recordingStatusCallbackMethod"}


class TwimlError(Exception):
    """A document Twilio would refuse, with Twilio's error code."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Verb:
    """One element of a document: a verb, or a noun inside one."""

    name: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Verb] = field(default_factory=list)

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def number(self, name: str, default: float) -> float:
        value = self.attrs.get(name)
        return default if value in (None, "") else float(value)

    def flag(self, name: str, default: bool) -> bool:
        value = self.attrs.get(name)
        return default if value is None else value.strip().lower() == "true"


def parse(body: bytes | str) -> list[Verb]:
    """The verbs of a ``<Response>``; TwimlError when Twilio would refuse the document."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise TwimlError(PARSE_FAILURE, f"document does not parse: {exc}") from None
    if root.tag != "Response":
        raise TwimlError(PARSE_FAILURE, f"the root element must be <Response>, not <{root.tag}>")
    return [_verb(element) for element in root]


def _verb(element: ET.Element) -> Verb:
    if element.tag in UNSUPPORTED:
        raise TwimlError(SCHEMA_ERROR, f"<{element.tag}> is not supported by the emulator")
    if element.tag not in VERBS:
        raise TwimlError(SCHEMA_ERROR, f"unknown verb <{element.tag}>")
    _check_attrs(element, VERBS[element.tag], element.tag)
    verb = Verb(element.tag, dict(element.attrib), _text(element))
    allowed = NOUNS.get(element.tag, {})
    for child in element:
        if element.tag == "Say" and child.tag in SSML:
            continue
        if child.tag not in allowed:
            raise TwimlError(SCHEMA_ERROR, f"<{child.tag}> is not allowed inside <{element.tag}>")
        _check_attrs(child, allowed[child.tag], f"{element.tag}/{child.tag}")
        verb.children.append(_noun(child))
    return verb


def _noun(element: ET.Element) -> Verb:
    noun = Verb(element.tag, dict(element.attrib), (element.text or "").strip())
    for child in element:
        if element.tag != "Client" or child.tag not in CLIENT_CHILDREN:
            raise TwimlError(SCHEMA_ERROR, f"<{child.tag}> is not allowed inside <{element.tag}>")
        if child.tag == "Identity":
            noun.text = (child.text or "").strip()
    return noun


def _text(element: ET.Element) -> str:
    if element.tag == "Say":
        return " ".join("".join(element.itertext()).split())
    return (element.text or "").strip()


def _check_attrs(element: ET.Element, allowed: set[str], where: str) -> None:
    for name, value in element.attrib.items():
        if name not in allowed:
            raise TwimlError(SCHEMA_ERROR, f"<{where}> has an unknown attribute {name!r}")
        if name in INTEGERS and not value.strip().lstrip("-").isdigit():
            raise TwimlError(SCHEMA_ERROR, f"<{where}> {name} must be an integer")
        if name in BOOLEANS and value.strip().lower() not in ("true", "false"):
            raise TwimlError(SCHEMA_ERROR, f"<{where}> {name} must be true or false")
        if name in METHODS and value.strip().upper() not in ("GET", "POST"):
            raise TwimlError(SCHEMA_ERROR, f"<{where}> {name} must be GET or POST")
