"""Phone numbers in and out: parsing caller IDs and staff contacts with ``phonenumbers``.

Error messages never repeat the number they refuse.
"""
from __future__ import annotations

import re

import phonenumbers

#: What carriers and Twilio send instead of a number when the caller ID is withheld.
_WITHHELD = {"", "anonymous", "unknown", "restricted", "private", "unavailable", "blocked",
             "+266696687", "266696687", "+7378742833", "+86282452253", "+2562533"}
_CLIENT = re.compile(r"^client:[A-Za-z0-9_]{1,120}$")


def caller_number(raw: str | None) -> str | None:
    """The caller's number in E.164, or None when withheld or not a real number."""
    text = (raw or "").strip()
    if text.lower() in _WITHHELD or text.startswith("client:"):
        return None
    try:
        number = phonenumbers.parse(text if text.startswith("+") else "+" + text, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def staff_contact(raw: str) -> str:
    """A staff phone in E.164 or a Twilio Client identity (``client:name``); else ValueError."""
    text = (raw or "").strip()
    if text.startswith("client:"):
        if not _CLIENT.match(text):
            raise ValueError("a Twilio Client identity is 'client:' then letters, digits or '_'")
        return text
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        raise ValueError("must be a phone number in E.164 form (like +12025550123) "
                         "or a Twilio Client identity (client:name)") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("is not a valid, dialable phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_client(contact: str) -> bool:
    """True for a Twilio Client identity (a browser or app phone)."""
    return contact.startswith("client:")
