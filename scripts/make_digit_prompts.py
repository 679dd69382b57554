"""Regenerate callcenter/static/digits/<lang>/<d>.wav: the spoken digits used to read a
callback number back to the caller with <Play>, so that no caller data goes through <Say>
(a text-to-speech service). Needs espeak-ng (Debian: apt-get install espeak-ng).

    python scripts/make_digit_prompts.py
"""
from __future__ import annotations

import audioop
import subprocess
import tempfile
import wave
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "callcenter" / "static" / "digits"
WORDS = {
    "en": ("en-us", ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]),
    "es": ("es-419", ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"]),
}


def main() -> None:
    for language, (voice, words) in WORDS.items():
        (OUT / language).mkdir(parents=True, exist_ok=True)
        for digit, word in enumerate(words):
            with tempfile.NamedTemporaryFile(suffix=".wav") as raw:
                subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", raw.name, word], check=True)
                with wave.open(raw.name) as source:
                    frames = source.readframes(source.getnframes())
                    rate, width = source.getframerate(), source.getsampwidth()
            pcm, _ = audioop.ratecv(frames, width, 1, rate, 8000, None)  # telephone quality
            with wave.open(str(OUT / language / f"{digit}.wav"), "wb") as target:
                target.setnchannels(1)
                target.setsampwidth(width)
                target.setframerate(8000)
                target.writeframes(pcm)


if __name__ == "__main__":
    main()
