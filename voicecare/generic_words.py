"""Everyday English words that say nothing about muscles, routines or the session.

They are not evidence that an utterance is meant for the coach: "how many calories are in
an apple" shares "how", "many", "are" and "in" with content phrases but none of its meaning.
A word unknown to content that is *not* in this list ("song", "flight", "coffee") is the
opposite: evidence that the utterance is about something else.
Words that steer the coach ("next", "back", "again", "stop") are deliberately absent.
On the bottom floor because two parts of the core read it: the matcher, and the safety
screen, whose likeness model guesses no red flag from these words alone ("and", "down").
"""

from __future__ import annotations

_FUNCTION_WORDS = """
    a an the this that these those there here it its itself
    i me my mine myself you your yours yourself we us our they them their he him his she her
    one ones someone something anything everything nothing thing things
    is am are was were be been being do does did doing have has had having
    can could will would shall should may might must
    what which who whom whose when where why how whether if then than
    and or but nor because as while though although
    of in on at to from by for with about into onto over under through between
    out off up down around near after before since until till during without within
    very really quite too also almost nearly still even only
"""

_WORDS = (
    _FUNCTION_WORDS
    + """
    not all any some many much more most less few lot lots bit little each every
    just instead first
    ever never always often sometimes
    now today tonight tomorrow yesterday soon ago
    get gets got getting make makes made making go goes going went gone
    want wants need needs know knows think thinks say says said tell tells told ask asks asked
    give gives gave take takes took let lets see sees saw seen use uses used using
    put try tries tried find come comes came look looks looked
    good bad best better great nice new old big small
    day days week weeks time times way ways kind kinds sort type
"""
)

GENERIC_WORDS = frozenset(_WORDS.split())
# The grammar among them: said alone ("you", "off"), such a word means nothing at all.
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
