"""The treatments the seed names and prevention by strengthening are answered: each question
lands on its topic, and a red flag in the same breath is still a red flag."""

from __future__ import annotations

import pytest

from voicecare.matching import RED_FLAGS

QUESTIONS = {
    "should i see a physio about this knot": "info:physical-therapy",
    "can physical therapy help with knots": "info:physical-therapy",
    "does acupuncture help with muscle knots": "info:acupuncture",
    "what is dry needling": "info:dry-needling",
    "is dry needling the same as acupuncture": "info:dry-needling",
    "should i use heat or ice on my knot": "info:heat-or-cold",
    "does a heating pad help": "info:heat-or-cold",
    "will strength training stop my knots": "info:strengthening",
    "should i see a massage therapist": "info:professional-massage",
}


@pytest.mark.parametrize(("text", "intent"), sorted(QUESTIONS.items()))
def test_each_treatment_question_lands_on_its_topic(understanding, text, intent):
    assert understanding.match(text).intent == intent


def test_a_hot_swollen_limb_is_a_red_flag_not_the_heat_topic(understanding):
    assert understanding.match("my calf is hot and swollen").intent == RED_FLAGS


def test_the_answers_send_to_a_doctor_where_they_should(library):
    assert "doctor" in library.topic("heat-or-cold").answer
    assert "doctor" in library.topic("acupuncture").answer
