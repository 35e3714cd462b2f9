"""Safety first: the red-flag screen every utterance passes before intent matching."""

from voicecare.safety.content_checks import content_problems
from voicecare.safety.screen import Finding, SafetyScreen

__all__ = ["Finding", "SafetyScreen", "content_problems"]
