"""What callers and staff hear: the default prompt texts per language.

The call-flow YAML may override any of them. No prompt ever contains caller data:
placeholders are limited to the organisation, a language name, a digit and times.
"""
from __future__ import annotations

from collections.abc import Mapping

CALLER_PROMPTS: tuple[str, ...] = (
    "welcome",
    "safety",
    "language_option",
    "language_retry",
    "connecting",
    "still_connecting",
    "voicemail",
    "voicemail_thanks",
    "voicemail_empty",
    "transferring",
    "blocked",
    "goodbye",
    "trouble",
    "call_again",
    "ring_all_wait",
)
STAFF_PROMPTS: tuple[str, ...] = (
    "screen",
    "screen_not_accepted",
    "screen_connecting",
    "screen_taken",
    "screen_gone",
)

DEFAULTS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "welcome": "Thank you for calling {organisation}.",
        "safety": (
            "If you or someone with you is in danger or needs medical help, hang up and dial 9 1 1. "
            "If you are thinking about suicide or are in crisis, call or text 9 8 8 at any time."
        ),
        "language_option": "For English, press {digit}.",
        "language_retry": "Sorry, that was not one of the choices.",
        "connecting": "Please stay on the line. We are connecting you with an admissions specialist.",
        "still_connecting": "Thank you for waiting. We are still reaching a specialist for you.",
        "voicemail": (
            "All of our specialists are helping other callers right now. After the tone, please "
            "leave your first name and a safe time and way to reach you. Then hang up, or press "
            "the pound key."
        ),
        "voicemail_thanks": (
            "Thank you. We received your message and will call you back as soon as we can. "
            "If this is an emergency, hang up and dial 9 1 1."
        ),
        "voicemail_empty": "We did not hear a message.",
        "transferring": "Please hold while we transfer your call.",
        "blocked": (
            "We are not able to take your call on this line. If you need help right away, "
            "hang up and dial 9 1 1, or call or text 9 8 8."
        ),
        "goodbye": "Thank you for calling. Take care of yourself.",
        "trouble": "We are having trouble connecting your call. Please stay on the line.",
        "call_again": (
            "No one could take your call right now. Please call again in a few minutes. "
            "If this is an emergency, hang up and dial 9 1 1, or call or text 9 8 8."
        ),
        "ring_all_wait": "Please stay on the line while we find a specialist for you.",
        "screen": "Helpline call, {language}. Press 1 to accept.",
        "screen_not_accepted": "Call not accepted. Goodbye.",
        "screen_connecting": "Connecting you now.",
        "screen_taken": "A colleague has already taken this call. Thank you.",
        "screen_gone": "The caller is no longer on the line. Thank you.",
    },
    "es": {
        "welcome": "Gracias por llamar a {organisation}.",
        "safety": (
            "Si usted o alguien con usted está en peligro o necesita ayuda médica, cuelgue y "
            "marque 9 1 1. Si está pensando en el suicidio o está en crisis, llame o envíe un "
            "mensaje al 9 8 8 a cualquier hora."
        ),
        "language_option": "Para español, oprima {digit}.",
        "language_retry": "Lo siento, esa no es una de las opciones.",
        "connecting": "Por favor, no cuelgue. Le estamos comunicando con un especialista de admisiones.",
        "still_connecting": "Gracias por esperar. Seguimos buscando un especialista para usted.",
        "voicemail": (
            "Todos nuestros especialistas están atendiendo otras llamadas. Después del tono, deje "
            "su nombre y un momento y una forma seguros para comunicarnos con usted. Luego cuelgue "
            "u oprima la tecla numeral."
        ),
        "voicemail_thanks": (
            "Gracias. Recibimos su mensaje y le devolveremos la llamada lo antes posible. "
            "Si es una emergencia, cuelgue y marque 9 1 1."
        ),
        "voicemail_empty": "No escuchamos ningún mensaje.",
        "transferring": "Por favor espere mientras transferimos su llamada.",
        "blocked": (
            "No podemos atender su llamada en esta línea. Si necesita ayuda de inmediato, "
            "cuelgue y marque 9 1 1, o llame o envíe un mensaje al 9 8 8."
        ),
        "goodbye": "Gracias por llamar. Cuídese mucho.",
        "trouble": "Tenemos problemas para comunicar su llamada. Por favor, no cuelgue.",
        "call_again": (
            "Nadie pudo atender su llamada en este momento. Por favor llame de nuevo en unos "
            "minutos. Si es una emergencia, cuelgue y marque 9 1 1, o llame al 9 8 8."
        ),
        "ring_all_wait": "Por favor, no cuelgue mientras buscamos un especialista para usted.",
        "screen": "Llamada de la línea de ayuda, {language}. Oprima 1 para aceptar.",
        "screen_not_accepted": "Llamada no aceptada. Adiós.",
        "screen_connecting": "Le comunicamos ahora.",
        "screen_taken": "Un colega ya atendió esta llamada. Gracias.",
        "screen_gone": "La persona que llamó ya no está en la línea. Gracias.",
    },
}


def missing_prompts(language: str, overrides: Mapping[str, str], staff_language: bool) -> list[str]:
    """Prompt names a language lacks once its defaults and overrides are combined."""
    have = set(DEFAULTS.get(language, {})) | set(overrides)
    needed = CALLER_PROMPTS + (STAFF_PROMPTS if staff_language else ())
    return [name for name in needed if name not in have]
