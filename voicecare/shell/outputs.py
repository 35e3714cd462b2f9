"""Pick the speech output the settings ask for, and the echo cancellation that goes with it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from voicecare.errors import AudioError
from voicecare.settings import SpeechSettings
from voicecare.speaking.speaker import SilentSpeaker, Speaker, Synthesizer

if TYPE_CHECKING:  # echo cancellation is loaded only when asked for
    from voicecare.audio import AudioSource
    from voicecare.clock import Clock
    from voicecare.echo import PlaybackReference


def make_speaker(
    settings: SpeechSettings,
    notify: Callable[[str], None],
    echo_reference: PlaybackReference | None = None,
) -> Speaker:
    """Silent when muted; otherwise interruptible speech (audio played in small, abandonable
    pieces), or captions only with one line saying why (no output device). The voice: Piper
    when one is installed or asked for (``--voice``), else the platform's through pyttsx3.
    With ``echo_reference`` every line played is noted there (on the monotonic clock). A
    voice asked for that is not installed is a ``UsageError``."""
    if settings.mute:
        return SilentSpeaker()
    try:
        from voicecare.speaking.playback import choose_player, output_device_problem
        from voicecare.speaking.speaker import InterruptibleSpeaker

        synthesizer = make_synthesizer(settings)
        problem = output_device_problem()
        if problem is not None:
            synthesizer.close()
            notify(f"{problem}; showing text only (--mute hides this)")
            return SilentSpeaker()
        return InterruptibleSpeaker(synthesizer, choose_player(echo_reference))
    except AudioError as error:
        notify(f"{error}; showing text only")
        return SilentSpeaker()


def microphone_speech(speech: SpeechSettings) -> tuple[SpeechSettings, str | None]:
    """The voice of a hands-free session on the microphone, and a line saying why when it is
    not the one a chat would use. Piper is the default voice of a chat; through loudspeakers,
    while Piper talks, VoiceCare hears its own voice as words (9 of 10 tries of
    ``benchmarks.stop_latency --voice en_US-joe-medium --echo``, against 0 for espeak-ng), so
    on the microphone it speaks with the system voice unless a voice is asked for (with
    headphones, ``--voice`` or the config file)."""
    if speech.mute or speech.voice is not None:
        return speech, None
    from voicecare.speaking.piper_voices import find_voice

    piper = find_voice(None)
    if piper is None:
        return speech, None
    note = (
        "speaking with the system voice: through loudspeakers VoiceCare would hear Piper's "
        f"voice as words; with headphones, choose it with --voice {piper.name}"
    )
    return replace(speech, voice="system"), note


def make_synthesizer(settings: SpeechSettings) -> Synthesizer:
    """Piper with the voice ``find_voice`` picks, else pyttsx3 (``--voice system[:ID]``, or
    no Piper voice installed)."""
    from voicecare.speaking.piper_voices import find_voice, system_voice_id

    voice = find_voice(settings.voice)
    if voice is not None:
        from voicecare.cache import user_cache_path
        from voicecare.speaking.piper_speaker import PiperSynthesizer

        cache = user_cache_path("piper-first-pieces")
        return PiperSynthesizer(voice, volume=settings.volume, cache_dir=cache)
    from voicecare.speaking.synthesis import Pyttsx3Synthesizer

    return Pyttsx3Synthesizer(voice=system_voice_id(settings.voice), volume=settings.volume)


def cancel_echo(
    source: AudioSource, clock: Clock, notify: Callable[[str], None]
) -> tuple[AudioSource, PlaybackReference | None]:
    """The microphone with VoiceCare's voice taken out, and the reference its speaker must
    fill; without a canceller, the microphone as it is and one line saying so. ``clock``
    must be the monotonic clock the player notes times on."""
    from voicecare.echo import EchoCancellingSource, PlaybackReference
    from voicecare.echo.webrtc import WebRtcEchoCanceller

    try:
        canceller = WebRtcEchoCanceller()
    except AudioError as error:
        notify(f"{error}; VoiceCare may hear itself without headphones")
        return source, None
    reference = PlaybackReference()
    return EchoCancellingSource(source, canceller, reference, clock), reference
