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


def as_searched(raw: str, default_region: str) -> str | None:
    """A number typed into a search box, in E.164 (national formats read in ``default_region``)."""
    try:
        number = phonenumbers.parse(raw.strip(), default_region)
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


#: Number types a person can be called back on.
_CALLABLE = {phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE,
             phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE, phonenumbers.PhoneNumberType.VOIP,
             phonenumbers.PhoneNumberType.PERSONAL_NUMBER}
_NEVER = {"911", "988", "112", "999", "000"}


def callback_number(raw: str | None, *, default_region: str, regions: tuple[str, ...],
                    own_numbers: frozenset[str]) -> str:
    """A number we may call a person back on, in E.164; else ValueError saying why (never echoing it).

    Valid and dialable, in an allowed region, a line or mobile (no premium-rate, toll-free,
    shared-cost or short codes), never an emergency or crisis line, never the helpline itself.
    """
    text = "".join(ch for ch in (raw or "") if ch.isdigit() or ch == "+")
    if not text:
        raise ValueError("enter a phone number")
    if text.lstrip("+") in _NEVER or _is_emergency(text, default_region):
        raise ValueError("emergency and crisis numbers cannot be called back")
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        raise ValueError("is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("is not a valid, dialable phone number")
    if phonenumbers.region_code_for_number(number) not in regions:
        raise ValueError("we can only call back numbers in " + ", ".join(regions))
    if phonenumbers.number_type(number) not in _CALLABLE:
        raise ValueError("premium-rate, toll-free, shared-cost and short numbers cannot be called back")
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if formatted in own_numbers:
        raise ValueError("that is the helpline's own number")
    return formatted


def _is_emergency(text: str, region: str) -> bool:
    from phonenumbers import shortnumberinfo

    try:
        return bool(shortnumberinfo.is_emergency_number(text, region))
    except Exception:  # noqa: BLE001 - a library quirk must not let an emergency number through
        return text.lstrip("+") in _NEVER


def time_zones(number: str, fallback: str) -> tuple[str, ...]:
    """The time zones a number may be in (the helpline's own zone when unknown)."""
    from phonenumbers import timezone as number_zones

    zones = number_zones.time_zones_for_number(phonenumbers.parse(number, None))
    known = tuple(zone for zone in zones if zone != "Etc/Unknown")
    return known or (fallback,)


def digits_of(number: str) -> list[str]:
    """The national digits of a number in reading groups (3-3-4 in North America)."""
    parsed = phonenumbers.parse(number, None)
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    groups = ["".join(ch for ch in part if ch.isdigit()) for part in national.replace("(", " ").replace(")", " ")
              .replace("-", " ").split()]
    return [group for group in groups if group]
