"""Voicemail left when nobody could take the call."""
from __future__ import annotations

import logging

from ..core.events import Kind
from .decisions import VoicemailTaken
from .events import emit
from .helpline import Helpline

log = logging.getLogger(__name__)


def voicemail_recorded(h: Helpline, call_sid: str, recording_sid: str | None, seconds: int) -> VoicemailTaken:
    """The caller finished recording (``<Record>`` action); an empty recording is no message."""
    language = h.flows.get(call_sid).get("language") or h.callflow.default_language.code
    received = bool(recording_sid) and seconds > 0
    if received:
        emit(h, Kind.VOICEMAIL, f"{call_sid}:voicemail:{recording_sid}", call_sid=call_sid,
             recording_sid=recording_sid, seconds=seconds)
        log.info("voicemail left call=%s seconds=%s", call_sid, seconds)
    return VoicemailTaken(language=language, received=received)


def recording_status(h: Helpline, call_sid: str, recording_sid: str, status: str, seconds: int) -> None:
    """Twilio's recording status callback: a finished recording is the caller's voicemail."""
    if status == "completed" and seconds > 0:
        emit(h, Kind.VOICEMAIL, f"{call_sid}:voicemail:{recording_sid}", call_sid=call_sid,
             recording_sid=recording_sid, seconds=seconds)
