"""Who did it and to whom: actor and recipient heads of one trigger, from the parse."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from eventwire.events.lexicon import Cues, RecipientSlot, TriggerSense
from eventwire.events.syntax import (
    NOMINAL_POS,
    children_with,
    conjuncts,
    direct_objects,
    inherited_subjects,
    own_subjects,
    prep_objects,
    pronoun_antecedent,
)

# Entity labels that can be actors; places (GPE/LOC/FAC) can be too, as metonyms or
# as the target of a visit or an attack.
ACTOR_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
# Nouns that hold a party's name without being one: "US reactions", "Russia's efforts".
_RECIPROCAL_WORDS = frozenset({"each", "one another", "mutual", "bilateral", "joint"})


@dataclass(frozen=True, slots=True)
class Arguments:
    actors: tuple[Token, ...]
    recipients: tuple[Token, ...]
    predicate: Token  # the verb whose clause carries status (a support verb for nouns)
    inherited: bool  # the actor came through control, coordination or a frame
    reciprocal: bool
    place_heads: tuple[Token, ...]  # candidate places for the event's location


def _possessor(noun: Token) -> list[Token]:
    """ "Kyiv's proposal", "US reactions", "American involvement" → Kyiv, US, American."""
    for child in noun.children:
        if child.dep_ == "poss":
            return conjuncts(child)
    if noun.ent_type_:
        return []  # "the United States": "United" is part of the name, not an owner
    for child in noun.children:
        if child.dep_ in {"compound", "amod", "nmod"} and child.ent_type_ in ACTOR_ENTS:
            return [child]
    return []


def _owned(noun: Token) -> bool:
    """Whether a party is named in front of ``noun`` ("Russian positions", "a Liberian ship")."""
    return any(t.ent_type_ in ACTOR_ENTS for t in noun.subtree if t.i < noun.i)


_DOER_NOUNS = frozenset(
    {"troop", "force", "soldier", "army", "militia", "fighter", "rebel", "police", "navy",
     "warship", "jet", "unit", "battalion", "brigade", "division", "mercenary", "official"}
)  # fmt: skip


def _is_doer(token: Token) -> bool:
    """An "of" phrase that names who acts, not what is acted on: "the deployment of
    troops" (not "the shelling of Kharkiv")."""
    return token.lemma_.lower() in _DOER_NOUNS or token.ent_type_ in {"PERSON", "NORP"}


def _slot_heads(trigger: Token, slot: RecipientSlot, is_verb: bool) -> list[Token]:
    if slot.kind == "dobj":
        return direct_objects(trigger) if is_verb else []
    if slot.kind == "iobj":
        return [c for d in children_with(trigger, "dative", "iobj") for c in conjuncts(d)]
    if slot.kind == "prep":
        return prep_objects(trigger, slot.preps)
    if slot.kind == "ccobj":
        # "warned that Israel would push Hezbollah back": the threat is aimed at Hezbollah.
        for clause in children_with(trigger, "ccomp"):
            objects = [o for o in direct_objects(clause) if o.ent_type_ in ACTOR_ENTS]
            if objects:
                return objects
        return []
    if slot.kind == "ccsubj":
        for clause in children_with(trigger, "ccomp"):
            subject = own_subjects(clause) or [
                c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}
            ]
            if subject:
                return subject
        return []
    if slot.kind == "objposs":
        # "criticised Kyiv's decision", "accepted an invitation from Grossi"
        objects = direct_objects(trigger) if is_verb else []
        owners = [p for obj in objects for p in _possessor(obj)]
        return owners or [
            p for obj in objects for p in prep_objects(obj, frozenset({"from", "by"}))
        ]
    if slot.kind == "poss":
        return _possessor(trigger)
    return []


# Never parties; numbers stay, since they head partitives ("dozens of protesters").
_MEASURE_ENTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY"})


def _is_party(token: Token) -> bool:
    """Could this noun phrase head name a party (a state, body, person or group)?"""
    if token.ent_type_ in ACTOR_ENTS | PLACE_ENTS:
        return True
    if token.ent_type_ in _MEASURE_ENTS:  # "lifted the curfew on Sunday"
        return False
    if token.pos_ == "PRON":
        return token.lower_ in {"they", "he", "she", "it", "we", "them", "him", "her", "us"}
    return token.pos_ in {"NOUN", "PROPN"}


_BORDER_WORDS = frozenset({"border", "frontier", "boundary"})


def _across_border(head: Token) -> list[Token]:
    """ "moved a brigade to its border with Lebanon": the state across the border."""
    if head.lemma_.lower() in _BORDER_WORDS:
        return prep_objects(head, frozenset({"with"})) or [head]
    return [head]


_PARTITIVE_WORDS = frozenset(
    {"thousand", "hundred", "dozen", "million", "some", "many", "most", "all", "several",
     "part", "rest", "number", "group", "handful", "scores", "score", "any", "none", "each",
     "few", "both", "either", "neither"}
)  # fmt: skip


def partitive(head: Token) -> Token:
    """ "thousands of Ethiopian troops", "dozens of protesters": the people counted."""
    if head.ent_type_ == "CARDINAL" or head.lemma_.lower() in _PARTITIVE_WORDS:
        counted = prep_objects(head, frozenset({"of"}))
        if counted:
            return counted[0]
    return head


def recipient_heads(trigger: Token, sense: TriggerSense, is_verb: bool) -> list[Token]:
    for slot in sense.recipient:
        if slot.kind == "none":
            return []
        heads = [
            h
            for found in _slot_heads(trigger, slot, is_verb) for h in
            (partitive(b) for b in _across_border(found))
            if _is_party(h)
        ]  # fmt: skip
        if not heads and slot.kind == "prep" and is_verb:
            # "cut ties with Israel", "signed a deal with Iraq": the preposition hangs
            # on the object.
            heads = [
                h for obj in direct_objects(trigger) for h in prep_objects(obj, slot.preps)
                if _is_party(h)
            ]  # fmt: skip
        if heads:
            return heads
    return []


_CLAIMING = frozenset({"claim", "accept", "take", "admit", "acknowledge"})


def claims_responsibility(verb: Token) -> bool:
    """ "claimed responsibility for", "took credit for"."""
    return verb.lemma_.lower() in _CLAIMING and any(
        o.lemma_.lower() in {"responsibility", "credit"} for o in direct_objects(verb)
    )


def _claimed_by(noun: Token) -> Token | None:
    """The verb of "al-Shabaab claimed responsibility for the bombing": its subject did it."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "for" or prep.head.dep_ != "dobj":
        return None
    verb = prep.head.head
    return verb if claims_responsibility(verb) else None


def _nominal_actor(noun: Token, cues: Cues) -> tuple[list[Token], Token, bool]:
    """Actor of a noun trigger and the predicate that carries its status."""
    owners = _possessor(noun)
    anchor = noun
    while anchor.dep_ == "pobj" and anchor.head.lower_ == "of" and anchor.head.head.pos_ == "NOUN":
        anchor = anchor.head.head  # "held two hours of talks", "a round of strikes"
    head = anchor.head
    supported = (
        anchor.dep_ in {"dobj", "nsubjpass"}
        and head.pos_ in {"VERB", "AUX"}
        and head.lemma_.lower() in cues.support_verbs
    )
    if owners and not (supported and all(o.pos_ == "PRON" for o in owners)):
        return owners, noun, False
    agents = prep_objects(noun, frozenset({"by"}))
    if agents:
        return agents, noun, False
    doers = [o for o in prep_objects(noun, frozenset({"of"})) if _is_doer(o)]
    if doers:
        return doers, noun, False  # "the deployment of North Korean troops"
    claimant = _claimed_by(noun)
    if claimant is not None:
        return own_subjects(claimant) or inherited_subjects(claimant), claimant, True
    between = prep_objects(noun, frozenset({"between", "among"}))
    if len(between) >= 2 and not (supported and head.lemma_.lower() in _THIRD_PARTY_VERBS):
        return between, noun, False
    if supported:
        # "launched its invasion", "imposed sanctions": the supporting verb's subject acts.
        subjects = own_subjects(head) or inherited_subjects(head)
        return subjects or owners, head, True
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in {"VERB", "AUX"}:
        verb = head.head
        if verb.lemma_ in cues.threatening | cues.denying or verb.lemma_ in cues.accusing:
            return own_subjects(verb) or inherited_subjects(verb), noun, True
        if head.lower_ in {"to", "on", "in"} and verb.lemma_ in cues.planning | cues.support_verbs:
            return own_subjects(verb) or inherited_subjects(verb), verb, True
    return [], noun, False


# "Oman hosted talks between Saudi Arabia and the Houthis": the host acts, the two
# sides are the recipients.
_THIRD_PARTY_VERBS = frozenset(
    {
        "host",
        "mediate",
        "broker",
        "organise",
        "organize",
        "facilitate",
        "convene",
        "arrange",
        "chair",
        "sponsor",
    }
)
_PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "on", "across", "around", "to"})


# Words whose name in front is a place even when the tagger calls it something else
# ("its Belgorod region": NORP).
_AREA_WORDS = frozenset(
    {"region", "province", "state", "district", "governorate", "oblast", "county",
     "prefecture", "township", "village", "town", "city", "area", "territory"}
)  # fmt: skip


def _place_word(token: Token) -> Token | None:
    """The place a prepositional object names: itself, or its name ("the Sagaing region")."""
    if token.ent_type_ in PLACE_ENTS:
        return token
    area = token.lemma_.lower() in _AREA_WORDS
    return next(
        (
            c
            for c in token.children
            if c.dep_ == "compound" and (c.ent_type_ in PLACE_ENTS or (area and c.pos_ == "PROPN"))
        ),
        None,
    )


def _own_ground(place: Token) -> bool:
    """ "massed troops in its Belgorod region": the actor's own territory, not a target."""
    area = place.head if place.dep_ == "compound" else place
    return any(c.dep_ == "poss" and c.lower_ in {"its", "their"} for c in area.children)


def _maybe_place(token: Token) -> bool:
    """A name the tagger may have mislabelled ("in Kiryat Shmona": PERSON); resolution
    keeps it only if the gazetteer knows it."""
    return token.ent_type_ in PLACE_ENTS or (
        token.pos_ == "PROPN" and token.ent_type_ in {"", "PERSON", "NORP"}
    )


def _places(trigger: Token) -> list[Token]:
    found = []
    for obj in prep_objects(trigger, _PLACE_PREPS):
        for candidate in (obj, *prep_objects(obj, frozenset({"in", "of", "near"}))):
            place = _place_word(candidate)
            if place is not None:
                found.append(place)
    return found


def _clause_places(predicate: Token) -> list[Token]:
    """Places in "in/at/near X" phrases anywhere in the predicate's own clause: the
    parser often hangs "in London" on the nearest noun instead of the verb."""
    found = []
    for token in predicate.subtree:
        if token.dep_ != "pobj" or token.head.lower_ not in _PLACE_PREPS - {"to", "on"}:
            continue
        place = token if _maybe_place(token) else _place_word(token)
        if place is None:
            continue
        clause = next((a for a in token.ancestors if a.pos_ in {"VERB", "AUX"}), None)
        if clause is not None and clause.i == predicate.i:  # Tokens are views: compare .i
            found.append(place)
    return found


def _is_reciprocal(trigger: Token, predicate: Token) -> bool:
    for token in (trigger, predicate):
        for child in token.subtree:
            if child.lower_ in _RECIPROCAL_WORDS or (
                child.lower_ == "other" and child.nbor(-1).lower_ == "each"
            ):
                return True
    return False


def _domestic_objects(trigger: Token, cues: Cues) -> list[Token]:
    """ "Nicaragua released 135 political prisoners", "lifted its curfew": people and
    rules of no named party, which resolution places in the acting state."""
    return [
        o
        for o in direct_objects(trigger)
        if o.lemma_.lower() in cues.domestic_objects
        and not _owned(o)
        and all(p.pos_ == "PRON" for p in _possessor(o))  # "its curfew": the actor's own
    ]


def arguments_of(trigger: Token, sense: TriggerSense, cues: Cues) -> Arguments:
    is_verb = sense.pos == "VERB"
    if is_verb:
        actors = own_subjects(trigger)
        inherited = False
        if not actors:
            actors, inherited = inherited_subjects(trigger), True
        predicate = trigger
    else:
        actors, predicate, inherited = _nominal_actor(trigger, cues)
    recipients = recipient_heads(trigger, sense, is_verb)
    if not is_verb and not recipients and predicate.lemma_.lower() in _THIRD_PARTY_VERBS:
        recipients = [
            h for h in prep_objects(trigger, frozenset({"between", "among"})) if _is_party(h)
        ]
    if not is_verb and not recipients and predicate.i != trigger.i:
        # "imposed sanctions on Russia": the preposition may hang on the support verb.
        recipients = [h for h in prep_objects(predicate, sense.recipient_preps) if _is_party(h)]
    places = _places(trigger) + ([] if predicate.i == trigger.i else _places(predicate))
    places += [p for p in _clause_places(predicate) if p not in places]
    if predicate.dep_ == "relcl" and any(c.lower_ == "where" for c in predicate.children):
        # "a summit in eastern Russia, where they discussed …": where the noun is
        head_place = _place_word(predicate.head)
        nearby = [head_place] if head_place is not None else _places(predicate.head)
        places += [p for p in nearby if p not in places]
    if sense.has("visit") or sense.has("place"):
        for obj in direct_objects(trigger) if is_verb else []:
            places.extend(
                p
                for p in prep_objects(obj, frozenset({"in", "of", "near"}))
                if p.ent_type_ in PLACE_ENTS
            )
    actors = [partitive(a) for a in actors if a.pos_ in NOMINAL_POS | {"ADJ"} or a.ent_type_]
    if len(actors) == 1 and actors[0].pos_ == "PRON":
        actors = pronoun_antecedent(actors[0]) or actors  # "the Kremlin denied that it …"
    no_recipient = any(slot.kind == "none" for slot in sense.recipient)
    third_party = trigger.lemma_.lower() in _THIRD_PARTY_VERBS
    if not recipients and is_verb and (third_party or not no_recipient):
        # "mediate between Washington and Tehran", "brokered a ceasefire between the
        # army and the rebels", "host talks between Moscow and Kyiv": the two sides.
        between = frozenset({"between", "among"})
        recipients = [
            h
            for word in (trigger, *direct_objects(trigger))
            for h in prep_objects(word, between)
            if _is_party(h)
        ]
    if sense.type == "THREATEN" and not any(r.ent_type_ in ACTOR_ENTS for r in recipients):
        # "warned that it reserved the right to take steps against Ottawa"
        against = [
            t
            for t in trigger.subtree
            if t.dep_ == "pobj" and t.head.lower_ == "against" and t.ent_type_ in ACTOR_ENTS
        ]
        recipients = against[:1] or recipients
    own = all(r.pos_ == "PRON" and r.dep_ == "poss" for r in recipients)  # "lifted its curfew"
    if own and is_verb and not sense.has("reciprocal") and not no_recipient:
        recipients = _domestic_objects(trigger, cues) or recipients
    placed = sense.has("visit") or sense.has("place")
    named = any(r.ent_type_ in ACTOR_ENTS | PLACE_ENTS or _owned(r) for r in recipients)
    foreign = [p for p in places if not _own_ground(p)]
    if placed and foreign and not named:
        recipients = foreign[:1]  # "visited factories in Komsomolsk" → the place's state
    if sense.has("visit"):
        places = [r for r in recipients if r.ent_type_ in PLACE_ENTS] + places
    if sense.has("converse"):
        actors, recipients = recipients, actors  # "received drones from Iran": Iran gives
    return Arguments(
        actors=tuple(actors),
        recipients=tuple(recipients),
        predicate=predicate,
        inherited=inherited,
        reciprocal=sense.has("reciprocal") and _is_reciprocal(trigger, predicate),
        place_heads=tuple(dict.fromkeys(places)),
    )
