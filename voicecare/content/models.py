"""Frozen, validated models of the content library (the schema lives in content/SCHEMA.md).

Validation is pydantic's (strict types, unknown fields forbidden); the loader turns its
errors into lines that name the file, the entry and the field.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
    model_validator,
)

Identifier = Annotated[StrictStr, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1)]
Seconds = Annotated[StrictInt | StrictFloat, Field(gt=0)]
Count = Annotated[StrictInt, Field(gt=0)]
Phrases = Annotated[tuple[Text, ...], Field(min_length=1)]

DEFAULT_TRANSITION_SECONDS = 5.0  # to put a massage ball on the other side, or turn over


class _Frozen(BaseModel):
    """Immutable; unknown fields are errors. Scalars are strict (no "30" for 30); lists
    become tuples."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class StepKind(str, Enum):
    SELF_MASSAGE = "self-massage"
    MASSAGE_BALL = "massage-ball"
    FOAM_ROLLER = "foam-roller"
    STRETCH = "stretch"
    BREATHING = "breathing"


class Step(_Frozen):
    text: Text
    kind: StepKind
    hold_seconds: Seconds | None = None
    reps: Count | None = None
    rep_seconds: Seconds = 3.0
    per_side: StrictBool = False
    # Seconds to change sides between the first side and the second (per_side steps only).
    transition_seconds: Seconds | None = None
    # How to go on more gently after "ouch" (a lighter pressure, a smaller range); without
    # it the coach uses the advice for the step's kind.
    gentler: Text | None = None

    @model_validator(mode="after")
    def _has_timing(self) -> Step:
        if self.hold_seconds is None and self.reps is None:
            raise ValueError("a step needs hold_seconds, reps, or both")
        if self.transition_seconds is not None and not self.per_side:
            raise ValueError("transition_seconds applies only to a step with per_side: true")
        return self

    @property
    def sides(self) -> tuple[str, ...]:
        return ("left", "right") if self.per_side else ("",)

    @property
    def switch_seconds(self) -> float:
        """Time given to change sides before the second side starts."""
        if self.transition_seconds is not None:
            return self.transition_seconds
        return DEFAULT_TRANSITION_SECONDS


class Routine(_Frozen):
    id: Identifier
    title: Text
    areas: Annotated[tuple[Text, ...], Field(min_length=1)]
    keywords: tuple[Text, ...] = ()
    phrases: Phrases
    safety_note: Text
    wrap_up: Text | None = None
    suggests: Identifier | None = None  # a routine the wrap-up offers next ("yes" starts it)
    steps: Annotated[tuple[Step, ...], Field(min_length=1)]


class Topic(_Frozen):
    id: Identifier
    title: Text
    answer: Text
    keywords: tuple[Text, ...] = ()
    phrases: Phrases


class Urgency(str, Enum):
    EMERGENCY = "emergency"  # call emergency services now
    MEDICAL = "medical"  # see a doctor or a physiotherapist


class PairedPatterns(_Frozen):
    """Patterns that are a red flag only together: one of ``patterns`` and one of ``with``
    ("stiff neck" is a routine; with "fever" it is a red flag)."""

    patterns: Phrases
    with_: Phrases = Field(alias="with")


class RedFlagSign(_Frozen):
    """One warning sign, as a concept: the patterns that express it (content/patterns.py),
    the pairs that make it together, what cancels it, and sentences that prove it works."""

    id: Identifier
    urgency: Urgency
    question: Text  # asked when the words were only close matches: "Did you say ...?"
    patterns: tuple[Text, ...] = ()  # each one alone is this sign
    paired: tuple[PairedPatterns, ...] = ()
    # A pattern here that overlaps the words that fired cancels them ("fell asleep").
    unless: tuple[Text, ...] = ()
    advice: Text | None = None  # instead of the general advice for its urgency
    examples: Annotated[tuple[Text, ...], Field(min_length=2)]  # must fire this sign
    counter_examples: tuple[Text, ...] = ()  # must fire no sign

    @model_validator(mode="after")
    def _has_patterns(self) -> RedFlagSign:
        if not self.patterns and not self.paired:
            raise ValueError("a sign needs patterns, paired patterns, or both")
        return self


class Advice(_Frozen):
    """What VoiceCare says when a red flag is heard, by urgency; ``stopped_routine`` comes
    first when a routine was running."""

    emergency: Text
    medical: Text
    stopped_routine: Text


class SomeoneElse(_Frozen):
    """A red flag told of someone else (``people``, named before it with no word of the
    speaker's own between) as theirs and not now (``not_now``: a habit, a time past)."""

    people: tuple[Text, ...] = ()
    not_now: tuple[Text, ...] = ()


class Negation(_Frozen):
    """A red-flag pattern does not fire when one of ``words`` comes up to ``window`` words
    before it ("no numbness", "it is not tingling"), unless a ``breaker`` comes between
    ("no fever but my arm is numb")."""

    words: Phrases
    window: Count = 3
    breakers: tuple[Text, ...] = ()
    # "can not" after these negates only the verb that follows ("I can not walk straight,
    # everything is spinning") ...
    modals: tuple[Text, ...] = ()
    # ... unless the verb is one of noticing ("I can not feel any numbness")
    noticing: tuple[Text, ...] = ()
    # A negator right before one of these says the sign goes on: "the room will not stop
    # spinning", "it never goes away"
    continuing: tuple[Text, ...] = ()


class RedFlags(_Frozen):
    advice: Advice
    negation: Negation
    lists: dict[Identifier, Annotated[tuple[Text, ...], Field(min_length=1)]] = Field(
        default_factory=dict
    )
    signs: Annotated[tuple[RedFlagSign, ...], Field(min_length=1)]
    # A red flag in a question about it ("can a knot cause numbness?") or one said to be
    # over ("pins and needles for a moment, gone now") is asked about, not acted on.
    asking: tuple[Text, ...] = ()  # patterns that, at the start of an utterance, ask
    # ... unless one of these follows ("I used to get numb hands, but now it is all day")
    still_now: tuple[Text, ...] = ()
    resolved: tuple[Text, ...] = ()  # patterns that, after the red flag, say it is over
    # patterns that, anywhere, say it is not about the speaker's body now: a game, a joke
    not_serious: tuple[Text, ...] = ()
    # someone else named before a red flag, theirs and not now: asked about (SomeoneElse)
    someone_else: SomeoneElse = Field(default_factory=SomeoneElse)
    first_person: tuple[Text, ...] = ()  # the speaker's own words: "my wife says my face ..."
    # how people say or spell a word the patterns know: "doon": down, "cannae": can not
    spellings: dict[Text, Text] = Field(default_factory=dict)

    def sign(self, sign_id: str | None) -> RedFlagSign | None:
        return next((s for s in self.signs if s.id == sign_id), None)

    def advice_for(self, sign_id: str | None, in_routine: bool = False) -> str:
        sign = self.sign(sign_id)
        if sign is not None and sign.advice:
            advice = sign.advice
        elif sign is not None and sign.urgency is Urgency.MEDICAL:
            advice = self.advice.medical
        else:
            advice = self.advice.emergency  # an unknown sign is treated as the worst
        return f"{self.advice.stopped_routine} {advice}" if in_routine else advice


class Safety(_Frozen):
    disclaimer: Text
    red_flags: RedFlags


class SafetyPhrasings(_Frozen):
    """How people said red flags, and everyday things that are not (safety_phrasings.yaml,
    optional): what the likeness model learns from. ``margin``: how much more like a red
    flag than like everyday speech an utterance must be for the coach to ask about it."""

    margin: StrictInt | StrictFloat = 0.2
    # A red flag a pattern found in an utterance that is not even this much more like a sign
    # than like everyday speech ("I fainted with laughter") is asked about, not acted on.
    doubt_below: StrictInt | StrictFloat | None = None
    # No pattern fired, but an utterance at least this much more like a sign than like
    # everyday speech is acted on at once, as a pattern's red flag is (None: always ask).
    act_above: StrictInt | StrictFloat | None = None
    red_flags: dict[Identifier, Annotated[tuple[Text, ...], Field(min_length=1)]] = Field(
        default_factory=dict
    )
    not_red_flags: tuple[Text, ...] = ()


class Command(_Frozen):
    id: Identifier
    phrases: Phrases
    keywords: tuple[Text, ...] = ()


class AmbiguousArea(_Frozen):
    """A body-area word that points to more than one routine ("back": upper or lower)."""

    id: Identifier
    words: Phrases  # how people name it ("back", "spine"); a routine's keyword wins over it
    routines: Annotated[tuple[Identifier, ...], Field(min_length=2)]
    question: Text  # "Upper back or lower back?"
    answers: dict[Text, Identifier] = Field(default_factory=dict)  # "upper": upper-back


class Areas(_Frozen):
    """How a complaint is routed by the body area it names (areas.yaml, optional): an area
    with one routine starts it, an ambiguous one asks which, none at all asks where."""

    complaint_words: tuple[Text, ...] = ()  # "knot", "sore": a complaint, wherever it is
    # What a complaint word is said of when it is not a muscle: things ("shoelace", "hinge"),
    # other parts ("throat"), sayings ("tie the knot"). With one of these and no area, the
    # coach does not ask where.
    not_muscles: tuple[Text, ...] = ()
    # Sayings that name a body part and mean no muscle ("a weight off my shoulders"): never
    # a routine, whatever else is said.
    sayings: tuple[Text, ...] = ()
    # Words that, right before a body part ("his shoulder", "my mum's neck"), make it someone
    # else's: a complaint only of others' body parts starts no routine.
    others: tuple[Text, ...] = ()
    # Things that have parts named like the body ("the chair arms", "the legs of the table",
    # "that piano has lovely carved legs"): a body word that is a thing's starts no routine.
    things: tuple[Text, ...] = ()
    where_question: Text = "Where is the knot?"
    ambiguous: tuple[AmbiguousArea, ...] = ()

    def area(self, area_id: str | None) -> AmbiguousArea | None:
        return next((a for a in self.ambiguous if a.id == area_id), None)


class Examples(_Frozen):
    """What people said, per intent, and what they said that is not for VoiceCare
    (examples.yaml, optional): what the intent classifier learns from, beside the phrases
    and keywords. Not part of the speech recognizer's language model."""

    intents: dict[StrictStr, Annotated[tuple[Text, ...], Field(min_length=1)]] = Field(
        default_factory=dict
    )  # "routine:neck": ["my neck is so stiff", ...]
    out_of_domain: tuple[Text, ...] = ()
    # What people say around a command ("hang on, the kettle's boiling"): the classifier
    # learns each command phrase with one of these after it and one before it.
    asides: tuple[Text, ...] = ()
    # What a command is said to when it is not for VoiceCare ("pause the telly", "next
    # track"): each short command phrase is learned with one of these as ``none``.
    other_things: tuple[Text, ...] = ()
    # Who else in the room a command is said to ("thanks mum", "bye love"): each short
    # command phrase is learned with one of these after it as ``none``.
    other_people: tuple[Text, ...] = ()


class Library(_Frozen):
    """Everything loaded from one content folder."""

    routines: tuple[Routine, ...]
    topics: tuple[Topic, ...]
    safety: Safety
    commands: tuple[Command, ...]
    areas: Areas = Field(default_factory=Areas)
    safety_phrasings: SafetyPhrasings = Field(default_factory=SafetyPhrasings)
    examples: Examples = Field(default_factory=Examples)

    def routine(self, routine_id: str) -> Routine | None:
        return next((r for r in self.routines if r.id == routine_id), None)

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)
