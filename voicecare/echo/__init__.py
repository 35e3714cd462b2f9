"""Echo cancellation: VoiceCare's own voice taken out of what the microphone hears.

Without headphones the microphone hears VoiceCare speaking. The speaker notes every line it
plays and when (into a ``PlaybackReference``, see ``speaking.playback``); the microphone side
(``EchoCancellingSource``) lines the played samples up with each captured chunk and hands both
to an echo canceller (WebRTC's, ``WebRtcEchoCanceller``), which subtracts the voice as it
arrived through the room and leaves the person's.
"""

from voicecare.echo.reference import CaptureTimeline, PlaybackReference
from voicecare.echo.source import EchoCanceller, EchoCancellingSource

__all__ = [
    "CaptureTimeline",
    "EchoCanceller",
    "EchoCancellingSource",
    "PlaybackReference",
]
