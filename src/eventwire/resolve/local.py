"""Parties the place of an event tells about.

News leaves local actors unnamed: "police detained students", "thousands
marched", "were arrested in Minsk", "released 135 prisoners". Their state is the
state where the event happens (else the state the article is about).
"""

from __future__ import annotations

from dataclasses import replace

from eventwire.events.ontology import Ontology
from eventwire.model import Actor, Event, Place

_PRONOUNS = frozenset({"it", "they", "them", "he", "him", "she", "her", "we", "us", "this", "that"})


def _is_thing(actor: Actor) -> bool:
    return actor.text.lower() not in _PRONOUNS


# What a state acts on at home when no one is named: its people and its own rules.
_DOMESTIC_NOUNS = frozenset(
    {"prisoner", "detainee", "people", "person", "man", "woman", "citizen", "dissident",
     "inmate", "hostage", "curfew", "internet", "election", "vote", "law", "tax", "levy",
     "ban", "restriction", "emergency", "property", "citizenship", "service", "measure",
     "protest", "strike", "demonstration", "boycott", "blockade", "campaign", "quota", "policy",
     "reform", "rule", "decree", "programme", "program"}
)  # fmt: skip


def _is_domestic(actor: Actor) -> bool:
    word = actor.text.split()[-1].lower().strip(".,;:’'\"") if actor.text else ""
    return word in _DOMESTIC_NOUNS or word.removesuffix("s") in _DOMESTIC_NOUNS


def localised(actors: tuple[Actor, ...], country: str | None) -> tuple[Actor, ...]:
    """Sector-only actors ("students", "police") placed in ``country``."""
    if not country:
        return actors
    return tuple(
        replace(a, code=country, rule=f"{a.rule}+place.country.v1")
        if a.code is None and a.sector and a.rule != "media.v1"
        else a
        for a in actors
    )


def local_parties(
    event: Event,
    actors: tuple[Actor, ...],
    recipients: tuple[Actor, ...],
    location: Place,
    ontology: Ontology,
) -> tuple[tuple[Actor, ...], tuple[Actor, ...]]:
    """Parties the place of the event tells about.

    - "protesters", "students", "police" with no nationality are of the state where
      the event happens ("police detained students in Novi Sad" → SRB, SRB);
    - an arrest, deportation or conviction with no one named as doing it was done by
      that state's authorities ("were arrested in Minsk" → BLR).
    """
    country = location.country
    acting = {a.code for a in actors if a.code}
    if len(acting) == 1:
        # "Minsk freed 23 prisoners": the people and rules a state acts on are its own,
        # wherever the story is set.
        (state,) = acting
        recipients = tuple(
            replace(r, code=state, sector=r.sector or "UNK", rule=f"{r.rule}+actor.domestic.v1")
            if r.code is None and _is_thing(r) and _is_domestic(r)
            else r
            for r in recipients
        )

    actors, recipients = localised(actors, country), localised(recipients, country)
    if event.type == "PROTEST":
        # "Thousands marched on parliament": crowds are civilians of the place.
        actors = tuple(
            replace(a, code=country, sector="CVL", rule="place.crowd.v1")
            if a.rule == "unresolved" and _is_thing(a)
            else a
            for a in actors
        )
    domestic = bool(actors) and {a.code for a in actors if a.code} == {country}
    force = ontology.types[event.type].quad == 4
    if force or domestic:
        # Targets of force named only by what they are ("the hospital", "young men",
        # "a village") are where the force was used; so are the people and things a
        # state acts on at home ("released 135 prisoners", "lifted its curfew").
        recipients = tuple(
            replace(r, code=country, sector="UNK", rule="place.target.v1")
            if r.rule == "unresolved" and _is_thing(r) and (force or _is_domestic(r))
            else r
            for r in recipients
        )
    if event.type == "PROTEST" and not any(r.code for r in recipients):
        # A protest with no target named is addressed to the state where it happens.
        target = Actor(
            text="", start=event.trigger.start, end=event.trigger.start,
            name=f"Government ({country})", code=country, sector="GOV",
            rule="place.protest-target.v1",
        )  # fmt: skip
        recipients = (*recipients, target)
    if not any(a.code or a.sector for a in actors) and ontology.is_state_act(
        event.type, event.mode
    ):
        authorities = Actor(
            text=location.text or "",
            start=location.start or 0,
            end=location.end or 0,
            name=f"Authorities ({country})",
            code=country,
            sector="GOV",
            rule="place.authorities.v1",
        )
        actors = (authorities,)
    return actors, recipients


def aided_state(
    event: Event, actors: tuple[Actor, ...], recipients: tuple[Actor, ...], home: Place
) -> tuple[Actor, ...]:
    """Aid with no one named to receive it goes to the state the story is about:
    "The World Bank approved a $120 million grant" in a story on Sudan → SDN.
    Never to a donor itself."""
    if event.type != "AID" or any(r.code for r in recipients) or not home.country:
        return recipients
    if home.country in {a.code for a in actors} or not any(a.code for a in actors):
        return recipients
    receiver = Actor(
        text="", start=event.trigger.start, end=event.trigger.start,
        name=f"({home.country})", code=home.country, sector="UNK",
        rule="article.home-state.v1",
    )  # fmt: skip
    return (*recipients, receiver)
