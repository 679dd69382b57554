"""Voicemail left when nobody could take the call."""
from __future__ import annotations

import logging
from datetime import UTC, datetime

from ..core.events import Kind
from . import callbacks
from .decisions import VoicemailTaken
from .events import emit
from .helpline import Helpline

log = logging.getLogger(__name__)


def voicemail_recorded(h: Helpline, call_sid: str, recording_sid: str | None, seconds: int) -> VoicemailTaken:
    """The caller finished recording (``<Record>`` action); an empty recording is no message.

    A message from a number we may call back becomes a callback request linked to the
    recording; only once that request is in the database does the caller hear the promise.
    """
    flow = h.flows.get(call_sid)
    language = flow.get("language") or h.callflow.default_language.code
    received = bool(recording_sid) and seconds > 0
    promised = False
    if received:
        emit(h, Kind.VOICEMAIL, f"{call_sid}:voicemail:{recording_sid}", call_sid=call_sid,
             recording_sid=recording_sid, seconds=seconds)
        log.info("voicemail left call=%s seconds=%s", call_sid, seconds)
        promised = _callback_for(h, call_sid, flow, str(recording_sid))
    return VoicemailTaken(language=language, received=received, promised=promised)


def _callback_for(h: Helpline, call_sid: str, flow: dict[str, str], recording_sid: str) -> bool:
    if not flow.get("caller_enc"):
        return False  # a withheld number: staff hear the message, nobody can be called back
    if flow.get("cb_declined_caller_id") == "1":
        return False  # they told us not to use the number they called from: staff hear the message
    try:
        number = callbacks.valid_number(h, h.identifiers.reveal(flow["caller_enc"]))
        callbacks.record(h, source="voicemail", number=number, call_sid=call_sid, line=flow.get("line"),
                         language=flow.get("language"), recording_sid=recording_sid,
                         original_call_at=datetime.fromtimestamp(float(flow.get("received_at") or h.clock()),
                                                                 UTC))
    except ValueError:
        return False
    except Exception as exc:  # noqa: BLE001 - the database is down: the message is kept, no promise
        log.error("voicemail callback request not saved call=%s: %s", call_sid, type(exc).__name__)
        return False
    return True


def recording_status(h: Helpline, call_sid: str, recording_sid: str, status: str, seconds: int) -> None:
    """Twilio's recording status callback: a finished recording is the caller's voicemail."""
    if status == "completed" and seconds > 0:
        emit(h, Kind.VOICEMAIL, f"{call_sid}:voicemail:{recording_sid}", call_sid=call_sid,
             recording_sid=recording_sid, seconds=seconds)
