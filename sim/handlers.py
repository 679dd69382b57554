"""Which function runs each verb."""
from __future__ import annotations

from . import dial, gather, queues, record, verbs
from .session import Handler

HANDLERS: dict[str, Handler] = {
    "Say": verbs.say,
    "Play": verbs.play,
    "Pause": verbs.pause,
    "Redirect": verbs.redirect,
    "Hangup": verbs.hangup,
    "Reject": verbs.reject,
    "Leave": verbs.leave,
    "Gather": gather.gather,
    "Record": record.record,
    "Dial": dial.dial,
    "Enqueue": queues.enqueue,
}
