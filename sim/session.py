"""Running a call's TwiML: fetch each document (signed), fall back on errors, execute verb by verb."""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from . import twiml
from .calls import Call, Goto
from .twiml import TwimlError, Verb

if TYPE_CHECKING:
    from .clock import Clock
    from .network import Network
    from .queues import Member
    from .webhooks import Delivery

log = logging.getLogger(__name__)
APPLICATION_ERROR = "We are sorry, an application error has occurred. Goodbye."
#: What a verb handler returns: None (next verb), a Goto (next document) or an ending word.
Outcome = Goto | str | None
HANGUP, LEAVE, ERROR, DONE, REDIRECTED = "hangup", "leave", "error", "done", "redirected"


@dataclass(frozen=True)
class Document:
    """A fetched TwiML document and the URL its relative URLs resolve against."""

    url: str
    verbs: list[Verb]

    def resolve(self, ref: str | None) -> str:
        """An absolute URL for ``ref`` (the document's own URL when ``ref`` is empty)."""
        return urljoin(self.url, ref) if ref else self.url


Handler = Callable[["Session", Document, Verb], Awaitable[Outcome]]


class Session:
    """Executes TwiML for one call, in a context (the call itself, a queue's wait URL, a screening URL)."""

    def __init__(self, net: Network, call: Call, *, allowed: set[str] | None = None,
                 member: Member | None = None, main: bool = True, fatal_errors: bool = True) -> None:
        self.net = net
        self.call = call
        self.allowed = allowed
        self.member = member
        self.main = main
        self.fatal_errors = fatal_errors   # False in a wait URL: an error ends the hold, not the call

    @property
    def clock(self) -> Clock:
        return self.net.clock

    async def run(self, goto: Goto) -> None:
        """The call's whole life from its first document; it hangs up when the TwiML runs out."""
        try:
            await self.follow(goto)
        finally:
            self.net.hang_up(self.call)

    async def follow(self, goto: Goto) -> str:
        """Fetch and execute documents from ``goto`` until done, hangup, leave, error or a redirect."""
        request: Goto | None = goto
        while request is not None:
            if self.call.final:
                return HANGUP
            document = await self.fetch(request)
            outcome: Outcome = ERROR if document is None else None
            if document is not None and not self.call.stop.is_set():
                outcome = await self.execute(document)
            if self.call.final:
                return HANGUP
            if self.call.redirect is not None:
                if not self.main:
                    return REDIRECTED
                request = self.call.take_redirect()
                continue
            if isinstance(outcome, Goto):
                request = outcome
                continue
            return outcome or DONE
        return DONE

    async def execute(self, document: Document) -> Outcome:
        """Run the verbs of one document; None when it ran out of verbs."""
        from .handlers import HANDLERS

        for verb in document.verbs:
            if self.call.stop.is_set():
                return None
            if self.allowed is not None and verb.name not in self.allowed:
                self.error(TwimlError(twiml.SCHEMA_ERROR, f"<{verb.name}> is not allowed here"), document.url)
                return ERROR
            if not self.call.answered and verb.name != "Reject" and not (
                    verb.name == "Dial" and verb.flag("answerOnBridge", False)):
                self.net.answer(self.call)
            outcome = await HANDLERS[verb.name](self, document, verb)
            if outcome is not None:
                return outcome
        return None

    # ------------------------------------------------------------------ fetching

    async def request(self, kind: str, goto: Goto, extra: dict[str, str] | None = None) -> Delivery:
        params = {**self.call.params(), **goto.params, **(extra or {})}
        return await self.net.webhooks.send(kind, goto.url, goto.method, params)

    async def fetch(self, goto: Goto) -> Document | None:
        """The document at ``goto``; on failure the Fallback URL's, else the application error."""
        try:
            if goto.twiml is not None:
                return Document(goto.url, twiml.parse(goto.twiml))
            delivery = await self.request("twiml", goto)
            return Document(goto.url, self.parse(delivery))
        except TwimlError as error:
            self.error(error, goto.url or "Twiml")
            failure = error
        if goto.fallback_ok and self.fatal_errors and self.call.fallback and not self.call.final:
            url, method = self.call.fallback
            extra = {"ErrorCode": str(failure.code), "ErrorUrl": goto.url}
            retry = await self.request("fallback", Goto(url, method, goto.params), extra)
            try:
                return Document(url, self.parse(retry))
            except TwimlError as error:
                self.error(error, url)
        if self.fatal_errors and not self.call.final and not self.call.stop.is_set():
            await self.application_error()
        return None

    async def notify(self, goto: Goto) -> None:
        """Request an action URL whose TwiML is ignored (the caller hung up, or a redirect wins)."""
        await self.request("twiml", goto)

    @staticmethod
    def parse(delivery: Delivery) -> list[Verb]:
        """The verbs of an answer, or TwimlError with Twilio's code for what went wrong."""
        if delivery.error is not None:
            raise TwimlError(twiml.HTTP_CONNECTION, f"no answer: {delivery.error}")
        if not delivery.ok:
            raise TwimlError(twiml.HTTP_RETRIEVAL, f"HTTP {delivery.status}")
        if len(delivery.body) > 64 * 1024:
            raise TwimlError(11750, "TwiML response body too large")
        kind = delivery.content_type.split(";")[0].strip().lower()
        if kind in ("text/xml", "application/xml", "text/html", ""):
            return twiml.parse(delivery.body)
        if kind.startswith("audio/"):
            return [Verb("Play", {}, delivery.url)]
        if kind == "text/plain":
            return [Verb("Say", {}, delivery.body.decode("utf-8", "replace").strip())]
        raise TwimlError(twiml.BAD_CONTENT_TYPE, f"invalid Content-Type {kind}")

    def error(self, error: TwimlError, url: str) -> None:
        self.call.errors.append((error.code, str(error)))
        self.net.flag("twiml-error", self.call.to if self.call.direction != "inbound" else self.call.from_,
                      self.call.sid, f"{error.code} {error} ({url.split('?')[0]})")
        log.info("call %s: error %s at %s: %s", self.call.sid, error.code, url.split("?")[0], error)

    async def application_error(self) -> None:
        """What a caller hears when TwiML fails and no fallback helps; then the call ends."""
        self.net.answer(self.call)   # Twilio answers to say it
        if self.call.line is not None:
            self.call.line.tell("app-error", APPLICATION_ERROR, 4)
        await self.call.wait(self.clock, 4)
        self.net.hang_up(self.call)
