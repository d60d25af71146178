"""Claims across sentences, once actors have codes.

- A denial of earlier claims ("Both nations have denied these claims") becomes a
  REJECT against whoever made them, and the claimed event lists the deniers in
  ``denied_by``.
- "Russia denied shelling the town" after "Ukraine said Russia shelled the town":
  the earlier alleged shelling lists Russia in ``denied_by``; the denial's own
  sentence keeps its shelling, status ``denied``.
- Accepting or rejecting "the offer", "the invitation", "the proposal" is directed
  at whoever made it.
"""

from __future__ import annotations

from dataclasses import replace

from eventwire.events.lexicon import load_lexicon
from eventwire.events.sentence import threat_mode
from eventwire.model import Actor, Event

_OFFER_WORDS = frozenset(
    {
        "offer",
        "invitation",
        "proposal",
        "request",
        "demand",
        "plan",
        "appeal",
        "call",
        "initiative",
        "bid",
        "overture",
    }
)
_PRONOUNS = frozenset({"it", "this", "that", "them", "these", "those"})


def _head_word(mention: Actor) -> str:
    word = mention.text.split()[-1].lower().strip(".,;:’'\"")
    return word[:-1] if word.endswith("s") and len(word) > 4 else word


def _codes(actors: tuple[Actor, ...]) -> frozenset[str]:
    return frozenset(a.code for a in actors if a.code)


def _refers_to_claim(event: Event, claim_words: frozenset[str]) -> bool:
    """Whether a denial answers an earlier claim: "denied the accusation", "an
    allegation Iran denies", "denied it". Read from the words around the trigger
    as well as from the parse, which long sentences often get wrong."""
    if any(
        a.code is None and (_head_word(a) in claim_words or a.text.lower() in _PRONOUNS)
        for a in event.recipient
    ):
        return True
    sentence = event.sentence
    after = sentence.text[event.trigger.end - sentence.start :].lower().split()[:4]
    before = sentence.text[: event.trigger.start - sentence.start].lower().split()[-4:]
    words = {w.strip(".,;:“”\"'’").removesuffix("s") for w in after + before}
    return bool(words & claim_words)


def _accusers(claim: Event, by_id: dict[str, Event]) -> tuple[Actor, ...]:
    parties = tuple(a for a in claim.attributed_to if a.code)
    if parties:
        return parties
    governing = next((e for e in by_id.values() if e.about == claim.id), None)
    return governing.actor if governing is not None else ()


def _earlier(events: list[Event], event: Event) -> list[Event]:
    return [
        e
        for e in reversed(events)
        if (e.sentence.index, e.trigger.start) < (event.sentence.index, event.trigger.start)
    ]


# Nouns that name an outcome of talks: "welcomed the outcome", "hailed the agreement".
_OUTCOME_WORDS = frozenset(
    {
        "outcome",
        "agreement",
        "deal",
        "accord",
        "pact",
        "result",
        "talk",
        "meeting",
        "summit",
        "truce",
        "ceasefire",
    }
)
_ANSWERING_TYPES = frozenset({"ACCUSE", "SUPPORT", "REJECT"})


_SUFFIXES = ("ures", "ure", "ings", "ing", "ions", "ion", "ments", "ment", "ed", "es", "s", "e")


def _stem(word: str) -> str:
    """ "seizure" and "seized" → "seiz": enough to tie a noun to the verb it names."""
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _answered_event(event: Event, earlier: list[Event]) -> Event | None:
    """The earlier event an object noun refers to: "condemned the seizure" → the
    seizure, "welcomed the outcome" → the talks."""
    for mention in event.recipient:
        if mention.code is not None:
            continue
        word = _head_word(mention)
        for candidate in earlier:
            if candidate.type in _ANSWERING_TYPES:
                continue
            same_word = _stem(candidate.trigger.text) == _stem(word)
            outcome = word in _OUTCOME_WORDS and candidate.type in {"AGREE", "CONSULT", "RETREAT"}
            if same_word or outcome:
                return candidate
    return None


def _link_answers(current: list[Event]) -> list[Event]:
    for index, event in enumerate(current):
        if event.type not in _ANSWERING_TYPES or any(a.code for a in event.recipient):
            continue
        answered = _answered_event(event, _earlier(current, event))
        if answered is None:
            continue
        # Condemning an act targets whoever did it; praising an outcome, its parties.
        parties = answered.actor if event.type != "SUPPORT" else answered.actor + answered.recipient
        parties = tuple(a for a in parties if a.code and a.code not in _codes(event.actor))
        if parties:
            current[index] = replace(event, recipient=parties, about=event.about or answered.id)
    return current


_DEFINITE = frozenset({"the", "this", "that", "these", "those", "its", "their"})
_EVENT_REACH = 3  # sentences back that "the bombing" may point


def _refers_back(event: Event) -> bool:
    """ "claimed responsibility for the bombing": a definite noun for an act already told."""
    sentence = event.sentence
    before = sentence.text[: event.trigger.start - sentence.start].split()
    return bool(before) and before[-1].lower() in _DEFINITE


def _link_event_references(current: list[Event]) -> list[Event]:
    for index, event in enumerate(current):
        if any(r.code for r in event.recipient) or not _refers_back(event):
            continue
        earlier = next(
            (
                e
                for e in _earlier(current, event)
                if e.type == event.type
                and any(r.code for r in e.recipient)
                and event.sentence.index - e.sentence.index <= _EVENT_REACH
            ),
            None,
        )
        if earlier is None:
            continue
        targets = tuple(r for r in earlier.recipient if r.code)
        current[index] = replace(
            event,
            recipient=targets,
            mode=event.mode or earlier.mode,
            location=event.location if event.location.country else earlier.location,
        )
    return current


def link_claims(events: tuple[Event, ...]) -> tuple[Event, ...]:
    """Denials and acceptances linked to the claims and offers they answer."""
    claim_words = load_lexicon().cues.denial_objects
    current = list(events)
    for position, event in enumerate(events):
        event = current[position]
        if event.type == "REJECT" and (_refers_to_claim(event, claim_words) or event.about):
            current = _link_denial(current, position, claim_words)
        elif event.type in {"AGREE", "REJECT"} and any(
            a.code is None and _head_word(a) in _OFFER_WORDS for a in event.recipient
        ):
            offer = next(
                (e for e in _earlier(current, event) if e.type in {"REQUEST", "AGREE"} and e.actor),
                None,
            )
            if offer is not None:
                current[position] = replace(
                    event, recipient=offer.actor, about=event.about or offer.id
                )
            elif parties := _other_party(current, event):
                # "Hezbollah rejected the proposal": the offer was told, not coded as an
                # event; it came from the party the story last had acting.
                current[position] = replace(event, recipient=parties)
    current = _link_answers(current)
    current = _link_event_references(current)
    current = _threat_targets(current)
    return tuple(current)


def _threatened(event: Event, threat: Event) -> bool:
    """The act a threat announces: linked to it, or told after it in its sentence as
    something that would happen."""
    if event.about == threat.id:
        return True
    return (
        event.sentence.index == threat.sentence.index
        and event.trigger.start > threat.trigger.start
        and event.status in {"conditional", "planned", "speculative"}
    )


def _threat_targets(current: list[Event]) -> list[Event]:
    """ "warned that Iran would close the Strait": whoever would carry out the
    threatened act is the threatener's side, not the threat's target; the target is
    the act's own recipient, if it has one."""
    for index, threat in enumerate(current):
        if threat.type != "THREATEN" or not threat.recipient:
            continue
        contents = [e for e in current if _threatened(e, threat)]
        doers = {(a.start, a.end) for e in contents for a in e.actor}
        if not any((r.start, r.end) in doers for r in threat.recipient):
            continue
        kept = tuple(r for r in threat.recipient if (r.start, r.end) not in doers)
        targets = tuple(r for e in contents for r in e.recipient if r.code)
        mode = threat.mode or next(
            (m for e in contents if (m := threat_mode(e.type, e.mode))), None
        )
        current[index] = replace(threat, recipient=kept or targets, mode=mode)
    return current


_PARTY_REACH = 2  # sentences back where the other side of an answer may have acted


def _other_party(current: list[Event], event: Event) -> tuple[Actor, ...]:
    """The coded actors of the nearest earlier event by another party."""
    own = _codes(event.actor)
    for earlier in _earlier(current, event):
        if event.sentence.index - earlier.sentence.index > _PARTY_REACH:
            break
        parties = tuple(a for a in earlier.actor if a.code and a.code not in own)
        if parties:
            return parties
    return ()


def _answer_accuser(current: list[Event], position: int, names_claim: bool) -> list[Event]:
    """A denial with no earlier claim to match ("Beijing denies supplying weapons to
    Russia") still answers whoever accused the denier earlier in the story; one that
    names a claim ("dismissed the charge") with no accusation coded, whoever acted
    last before it."""
    denial = current[position]
    deniers = _codes(denial.actor)
    if not deniers or any(a.code for a in denial.recipient):
        return current
    accusation = next(
        (
            e
            for e in _earlier(current, denial)
            if e.type == "ACCUSE" and _codes(e.recipient) & deniers and _codes(e.actor) - deniers
        ),
        None,
    )
    if accusation is not None:
        accusers = tuple(a for a in accusation.actor if a.code and a.code not in deniers)
        current[position] = replace(denial, recipient=accusers, about=denial.about or accusation.id)
    elif names_claim and (parties := _other_party(current, denial)):
        current[position] = replace(denial, recipient=parties)
    return current


def _link_denial(current: list[Event], position: int, claim_words: frozenset[str]) -> list[Event]:
    denial = current[position]
    by_id = {e.id: e for e in current}
    content = by_id.get(denial.about) if denial.about else None
    if content is not None and content.status == "denied":
        # "Iran denied supplying drones": the denied act lists its denier.
        deniers = tuple(a for a in denial.actor if a.code)
        current = [
            replace(e, denied_by=e.denied_by + deniers) if e.id == content.id else e
            for e in current
        ]
    claim = None
    if content is not None and content.status == "denied":
        # "denied shelling the town": the same act as an earlier claim, if there is one.
        claim = next(
            (
                e
                for e in _earlier(current, denial)
                if e.status == "alleged"
                and e.type == content.type
                and _codes(e.actor) == _codes(content.actor)
            ),
            None,
        )
        # The denied act stays an event of its own (status denied, in the denial's
        # sentence); the earlier claim of it gets the deniers in denied_by.
    elif _refers_to_claim(denial, claim_words):
        claim = next(
            (e for e in _earlier(current, denial) if e.status == "alleged" or e.type == "ACCUSE"),
            None,
        )
    if claim is None:
        return _answer_accuser(current, position, _refers_to_claim(denial, claim_words))
    deniers = tuple(a for a in denial.actor if a.code)
    if claim.type == "ACCUSE":
        # "X accused Y of …; Y denied the accusation": the claim is what X alleged, if coded.
        accusers = claim.actor
        claim = by_id.get(claim.about or "", claim)
    else:
        accusers = _accusers(claim, by_id)
    for index, event in enumerate(current):
        if event.id == claim.id and claim.type != "ACCUSE":
            current[index] = replace(event, denied_by=event.denied_by + deniers)
        elif event.id == denial.id:
            kept = tuple(a for a in event.recipient if a.code)
            current[index] = replace(event, recipient=kept or accusers, about=claim.id)
    return current
