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
    "menu",
    "menu_busy",
    "menu_nobody",
    "menu_retry",
    "hold_intro",
    "hold_position",
    "hold_wait_minutes",
    "hold_wait_one_minute",
    "hold_wait_unknown",
    "hold_offer_callback",
    "hold_too_long",
    "callback_confirm_intro",
    "callback_confirm_question",
    "callback_enter_number",
    "callback_bad_number",
    "callback_voicemail_consent",
    "callback_name_consent",
    "callback_window",
    "callback_saved_asap",
    "callback_saved_evening",
    "callback_saved_tomorrow_evening",
    "callback_not_saved",
    "callback_greeting_named",
    "callback_greeting_neutral",
    "callback_message_named",
    "callback_message_neutral",
    "voicemail_received",
)
STAFF_PROMPTS: tuple[str, ...] = (
    "screen",
    "screen_not_accepted",
    "screen_connecting",
    "screen_taken",
    "screen_gone",
    "callback_offer",
    "callback_offer_no_message",
    "callback_offer_name_ok",
    "callback_offer_name_no",
    "callback_dialing",
    "callback_not_needed",
    "callback_not_reached",
    "callback_exhausted",
    "callback_done",
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
            "After the tone, please leave your first name and a safe time and way to reach you. "
            "Then hang up, or press the pound key."
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
        "menu": "To stay on the line, press 1. To get a call back, press 2. To leave a voicemail, press 3.",
        "menu_busy": "All of our specialists are helping other callers.",
        "menu_nobody": "No specialist can answer the phone right now.",
        "menu_retry": "Sorry, that was not one of the choices.",
        "hold_intro": "Please stay on the line. You will speak with the next available specialist.",
        "hold_position": "You are number {position} in line.",
        "hold_wait_minutes": "The expected wait is about {minutes} minutes.",
        "hold_wait_one_minute": "The expected wait is about one minute.",
        "hold_wait_unknown": "A specialist will be with you as soon as possible.",
        "hold_offer_callback": "To stop waiting and get a call back instead, press 2.",
        "hold_too_long": "We are sorry you have waited so long.",
        "callback_confirm_intro": "We will call you back at",
        "callback_confirm_question": "If that is right, press 1. To enter a different number, press 2.",
        "callback_enter_number": (
            "Please enter the number we should call, including the area code, then press the pound key."
        ),
        "callback_bad_number": "Sorry, we cannot call that number back.",
        "callback_voicemail_consent": (
            "If we reach voicemail, may we leave a short message? Press 1 for yes, or 2 for no."
        ),
        "callback_name_consent": (
            "When we call, may we say the name of our organisation? Press 1 for yes, or 2 for no."
        ),
        "callback_window": (
            "To be called as soon as possible, press 1. To be called this evening, press 2. "
            "If we may call at any hour, press 3."
        ),
        "callback_saved_asap": (
            "Thank you. We will call you back as soon as we can. "
            "If this is an emergency, hang up and dial 9 1 1."
        ),
        "callback_saved_evening": (
            "Thank you. We will call you back this evening. If this is an emergency, hang up and dial 9 1 1."
        ),
        "callback_saved_tomorrow_evening": (
            "Thank you. We will call you back tomorrow evening. If this is an emergency, hang up and dial 9 1 1."
        ),
        "callback_not_saved": "Sorry, we could not save your request.",
        "callback_greeting_named": "Hello, this is {organisation} returning your call. One moment, please.",
        "callback_greeting_neutral": "Hello, this is the return call you asked for. One moment, please.",
        "callback_message_named": (
            "Hello, this is {organisation} returning your call. Please call us back at {helpline}. Thank you."
        ),
        "callback_message_neutral": (
            "Hello, this message is for the person who asked us to call back. "
            "Please call back at {helpline}. Thank you."
        ),
        "voicemail_received": "Thank you. We received your message.",
        "callback_offer": "Callback in {language} for a caller who asked at {asked}.",
        "callback_offer_no_message": "If a voicemail answers, hang up without leaving a message.",
        "callback_offer_name_ok": "You may say our name. Press 1 to dial.",
        "callback_offer_name_no": "Do not say our name unless they do. Press 1 to dial.",
        "callback_dialing": "Dialing the caller now.",
        "callback_not_needed": "This callback is no longer needed. Thank you.",
        "callback_not_reached": "The caller did not answer. We will try again later. Thank you.",
        "callback_exhausted": (
            "The caller did not answer, and that was the last try. "
            "The request is now with the supervisors. Thank you."
        ),
        "callback_done": "Thank you. The callback is complete.",
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
            "Después del tono, deje su nombre y un momento y una forma seguros para comunicarnos con "
            "usted. Luego cuelgue u oprima la tecla numeral."
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
        "menu": (
            "Para esperar en la línea, oprima 1. Para que le devolvamos la llamada, oprima 2. "
            "Para dejar un mensaje, oprima 3."
        ),
        "menu_busy": "Todos nuestros especialistas están atendiendo otras llamadas.",
        "menu_nobody": "En este momento ningún especialista puede contestar.",
        "menu_retry": "Lo siento, esa no es una de las opciones.",
        "hold_intro": "Por favor, no cuelgue. Le atenderá el próximo especialista disponible.",
        "hold_position": "Usted es el número {position} en la fila.",
        "hold_wait_minutes": "La espera es de unos {minutes} minutos.",
        "hold_wait_one_minute": "La espera es de un minuto, más o menos.",
        "hold_wait_unknown": "Un especialista le atenderá lo antes posible.",
        "hold_offer_callback": "Para dejar de esperar y recibir una llamada, oprima 2.",
        "hold_too_long": "Lamentamos la larga espera.",
        "callback_confirm_intro": "Le llamaremos al",
        "callback_confirm_question": "Si es correcto, oprima 1. Para marcar otro número, oprima 2.",
        "callback_enter_number": (
            "Marque el número al que debemos llamar, con el código de área, y luego la tecla numeral."
        ),
        "callback_bad_number": "Lo siento, no podemos llamar a ese número.",
        "callback_voicemail_consent": (
            "Si contesta el buzón de voz, ¿podemos dejar un mensaje breve? Oprima 1 para sí, o 2 para no."
        ),
        "callback_name_consent": (
            "Cuando llamemos, ¿podemos decir el nombre de nuestra organización? Oprima 1 para sí, o 2 para no."
        ),
        "callback_window": (
            "Para recibir la llamada lo antes posible, oprima 1. Para esta noche, oprima 2. "
            "Si podemos llamar a cualquier hora, oprima 3."
        ),
        "callback_saved_asap": (
            "Gracias. Le llamaremos lo antes posible. Si es una emergencia, cuelgue y marque 9 1 1."
        ),
        "callback_saved_evening": "Gracias. Le llamaremos esta noche. Si es una emergencia, cuelgue y marque 9 1 1.",
        "callback_saved_tomorrow_evening": (
            "Gracias. Le llamaremos mañana por la noche. Si es una emergencia, cuelgue y marque 9 1 1."
        ),
        "callback_not_saved": "Lo siento, no pudimos guardar su solicitud.",
        "callback_greeting_named": "Hola, le llamamos de {organisation}. Un momento, por favor.",
        "callback_greeting_neutral": "Hola, le devolvemos la llamada que pidió. Un momento, por favor.",
        "callback_message_named": (
            "Hola, le llamamos de {organisation}. Por favor llámenos al {helpline}. Gracias."
        ),
        "callback_message_neutral": (
            "Hola, este mensaje es para la persona que pidió que le devolviéramos la llamada. "
            "Por favor llame al {helpline}. Gracias."
        ),
        "voicemail_received": "Gracias. Recibimos su mensaje.",
        "callback_offer": "Devolución de llamada en {language} para una persona que llamó a las {asked}.",
        "callback_offer_no_message": "Si contesta un buzón de voz, cuelgue sin dejar mensaje.",
        "callback_offer_name_ok": "Puede decir nuestro nombre. Oprima 1 para marcar.",
        "callback_offer_name_no": "No diga nuestro nombre a menos que lo digan. Oprima 1 para marcar.",
        "callback_dialing": "Marcando ahora.",
        "callback_not_needed": "Esta llamada ya no es necesaria. Gracias.",
        "callback_not_reached": "La persona no contestó. Lo intentaremos más tarde. Gracias.",
        "callback_exhausted": (
            "La persona no contestó, y era el último intento. "
            "La solicitud queda con los supervisores. Gracias."
        ),
        "callback_done": "Gracias. La devolución de llamada está completa.",
    },
}


def missing_prompts(language: str, overrides: Mapping[str, str], staff_language: bool) -> list[str]:
    """Prompt names a language lacks once its defaults and overrides are combined."""
    have = set(DEFAULTS.get(language, {})) | set(overrides)
    needed = CALLER_PROMPTS + (STAFF_PROMPTS if staff_language else ())
    return [name for name in needed if name not in have]
