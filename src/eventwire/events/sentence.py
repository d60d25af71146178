"""The events of one sentence: triggers → arguments → frames → ``Event`` records.

Actors here are spans of text only (code ``None``); the resolve stage gives them
codes. Dates and places keep their expressions; resolve turns them into values.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from eventwire.events.arguments import (
    PLACE_ENTS,
    Arguments,
    arguments_of,
    claims_responsibility,
    partitive,
)
from eventwire.events.doc_facts import entities_in, entity_of, sentence_of
from eventwire.events.frames import Frame, frame_of
from eventwire.events.lexicon import Condition, Cues, Lexicon, TriggerSense
from eventwire.events.syntax import (
    direct_objects,
    hyphenated_bounds,
    noun_phrase_bounds,
    prep_objects,
)
from eventwire.model import Actor, Event, EventDate, Place, Sentence, Status
from eventwire.model import Span as TextSpan

_REQUEST_MODES = {"CONSULT": "meet", "AID": "assist", "RETREAT": "yield", "CONCEDE": "yield"}
_THREAT_MODES = {
    ("SANCTION", "expel"): "expel",
    ("SANCTION", "discontinue"): "relations",
    ("SANCTION", None): "restrict",
    ("SANCTION", "convict"): "arrest",
    ("COERCE", "arrest"): "arrest",
    ("COERCE", "deport"): "expel",
    ("COERCE", "restrict"): "restrict",  # "would close the Strait", "shut the border"
    ("ASSAULT", None): "violence",
    ("MOBILIZE", None): "violence",
}
_PERSONAL = frozenset({"he", "she", "they", "we"})
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod", "nummod"})


@dataclass(slots=True)
class Candidate:
    trigger: Token
    sense: TriggerSense
    args: Arguments
    frame: Frame
    mode: str | None
    id: str = ""
    about: str | None = None


def _holds(condition: Condition, token: Token) -> bool:
    if condition.kind == "obj":
        objects = direct_objects(token) + prep_objects(token, frozenset({"to", "on"}))
        objects += [partitive(o) for o in objects]  # "beating any of the traders"
        return any(o.lemma_.lower() in condition.lemmas for o in objects)
    if condition.kind == "pent":
        # "pent:from=ORG": the object of "from" is an organisation ("withdrew from the WHO")
        for wanted in condition.lemmas:
            prep, _, labels = wanted.partition("=")
            objects = prep_objects(token, frozenset({prep}))
            if any(o.ent_type_ in labels.split("+") for o in objects):
                return True
        return False
    if condition.kind == "prt":
        # "stepped down", "walked out": particles are often parsed as adverbs.
        return any(
            c.dep_ in {"prt", "advmod"} and c.lower_ in condition.lemmas for c in token.children
        )
    if condition.kind == "prep":
        return any(
            c.dep_ in {"prep", "agent"} and c.lower_ in condition.lemmas for c in token.children
        )
    modifiers = {c.lemma_.lower() for c in token.children if c.dep_ in _MODIFIER_DEPS}
    if condition.kind == "mod":
        return bool(modifiers & condition.lemmas)
    return not modifiers & condition.lemmas  # nomod


def _pos_key(token: Token) -> str | None:
    if token.pos_ == "VERB" or (token.pos_ == "AUX" and token.dep_ == "ROOT"):
        return "VERB"
    if (
        token.dep_ == "ROOT"
        and token.tag_ == "NNS"
        and any(c.dep_ == "nsubj" for c in token.children)
    ):
        return "VERB"  # "a charge Belarus rejects": a verb the tagger took for a plural noun
    if token.pos_ in {"NOUN", "PROPN"}:
        return "NOUN"
    return None


def find_triggers(sentence: Span, lexicon: Lexicon) -> list[tuple[Token, TriggerSense]]:
    found = []
    for token in sentence:
        key = _pos_key(token)
        if key is None:
            continue
        senses = lexicon.senses.get((token.lemma_.lower(), key))
        if not senses:
            continue
        for sense in senses:
            if all(_holds(condition, token) for condition in sense.when):
                found.append((token, sense))
                break
    return found


def _absorbed_tokens(triggers: list[tuple[Token, TriggerSense]]) -> set[int]:
    """Tokens in the object of an absorbing trigger ("lifted sanctions", "agreed to a truce")."""
    absorbed: set[int] = set()
    for token, sense in triggers:
        if not sense.has("absorbs"):
            continue
        for child in token.children:
            if child.dep_ in {"dobj", "prep", "dative", "nsubjpass"}:
                absorbed.update(t.i for t in child.subtree if t.pos_ != "VERB")
    return absorbed


def _evaluation(trigger: Token, args: Arguments, frame: Frame) -> tuple[Arguments, Frame] | None:
    """ "X argued that Y lacked the authority": X accuses Y. The verdict is the
    speaker's act, so it is reported; without a party as speaker it is no event."""
    speakers = [s for s in frame.speakers if s.pos_ in {"PROPN", "NOUN", "PRON"}]
    evaluated = [a for a in args.actors if a.ent_type_ or a.pos_ in {"PROPN", "PRON"}]
    if not speakers or frame.media_only or not evaluated:
        return None
    if frame.suppressed or "negated" in frame.cues:
        return None
    arguments = replace(args, actors=tuple(speakers), recipients=tuple(evaluated), inherited=True)
    return arguments, Frame()


def event_id(article_id: str, sentence_index: int, trigger: Token, event_type: str) -> str:
    key = f"{article_id}|{sentence_index}|{trigger.idx}|{event_type}"
    return "ev_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _actor_span(head: Token) -> Actor:
    start, end = noun_phrase_bounds(head)
    doc = head.doc
    first, last = doc[start], doc[end - 1]
    return Actor(text=doc[start:end].text, start=first.idx, end=last.idx + len(last.text))


_DURATION = re.compile(
    r"^\S*\d+-(?:day|week|month|year|hour)s?$|^(?:\S+ )?(?:days|weeks|months|years|hours)$"
)
_NOT_WHEN_PREPS = frozenset({"since", "until", "for", "over", "throughout", "within"})


def _not_when(ent: Span) -> bool:
    """Dates that do not say when the event happened: a length ("a 34-day war", "for
    two months") or a bound ("the first visit since 2017")."""
    head = ent.root.head
    return bool(_DURATION.match(ent.text)) or (
        head.dep_ == "prep" and head.lower_ in _NOT_WHEN_PREPS and ent.root.dep_ == "pobj"
    )


def _time_expression(predicate: Token, trigger: Token) -> EventDate:
    """The DATE entity attached to the event's own clause, if any."""
    sentence = sentence_of(predicate)
    anchors = {predicate.i, trigger.i}
    for ent in entities_in(sentence):
        if ent.label_ != "DATE" or _not_when(ent):
            continue
        root = ent.root
        path = [root, *root.ancestors]
        for node in path[1:]:
            if node.i in anchors:
                return EventDate(text=ent.text)
            if node.pos_ in {"VERB", "AUX"} and node.i not in anchors and node.dep_ != "conj":
                break
    return EventDate()


def _location(args: Arguments) -> Place:
    for head in args.place_heads:
        ent = entity_of(head)
        if ent is not None and ent.label_ in PLACE_ENTS:
            start, end = hyphenated_bounds(head.doc, ent.start, ent.end)
        elif head.pos_ == "PROPN":
            # A place name the tagger mislabelled: the name as written; resolution
            # keeps it only if the gazetteer knows it.
            start, end = (ent.start, ent.end) if ent is not None else (head.i, head.i + 1)
        else:
            continue
        span = head.doc[start:end]
        return Place(text=span.text, start=span.start_char, end=span.end_char, basis="sentence")
    return Place()


def _confidence(candidate: Candidate) -> float:
    score = 0.75 if candidate.sense.pos == "VERB" else 0.6
    if candidate.args.inherited:
        score -= 0.1
    if not candidate.args.recipients:
        score -= 0.05
    if candidate.frame.status() in {"speculative", "conditional"}:
        score -= 0.05
    return round(max(0.1, min(0.95, score)), 2)


def _is_question(sentence: Span) -> bool:
    # The last word, not sentence.text: spaCy builds a Span's text from all its tokens.
    for index in range(sentence.end - 1, sentence.start - 1, -1):
        token = sentence.doc[index]
        if not token.is_space:
            return token.text.endswith("?")
    return False


def sentence_candidates(sentence: Span, lexicon: Lexicon) -> list[Candidate]:
    """Trigger, arguments and frame of every event a sentence states."""
    if _is_question(sentence):
        return []  # "Will Iran retaliate?": a question states no event
    triggers = find_triggers(sentence, lexicon)
    if not triggers:
        return []
    types = {token.i: sense.type for token, sense in triggers}
    absorbed = _absorbed_tokens(triggers)
    candidates: list[Candidate] = []
    requests: dict[int, str] = {}
    for token, sense in triggers:
        if token.i in absorbed:
            continue
        args = arguments_of(token, sense, lexicon.cues)
        frame = frame_of(args.predicate, lexicon.cues, types)
        support = args.predicate.lemma_.lower()
        cues = lexicon.cues
        if (
            args.predicate.i != token.i
            and support in cues.planning_objects
            and support not in cues.threatening
        ):
            # "planning street protests", "preparing an assault": the support verb
            # makes its noun a plan.
            frame.cues.add("planned")
            frame.framed_by.append(args.predicate)
        if args.predicate.i != token.i and claims_responsibility(args.predicate):
            # "al-Shabaab claimed responsibility for the bombing": the claimant's word
            frame.cues.add("alleged")
            frame.speakers.extend(args.actors)
            frame.media_only = False
        if frame.speakers and args.actors and all(a.pos_ == "PRON" for a in args.actors):
            # "Hezbollah said it had fired rockets": the pronoun is the speaker.
            parties = [s for s in frame.speakers if s.pos_ != "PRON" or s.lower_ in _PERSONAL]
            if parties:
                args = replace(args, actors=tuple(parties))
        if sense.has("evaluative"):
            evaluated = _evaluation(token, args, frame)
            if evaluated is None:
                continue
            args, frame = evaluated
        if frame.suppressed:
            if frame.request_head is not None and frame.request_head.i in types:
                requests.setdefault(frame.request_head.i, _REQUEST_MODES.get(sense.type, "change"))
            continue
        candidates.append(Candidate(token, sense, args, frame, sense.mode))
    for candidate in candidates:
        if candidate.sense.type == "REQUEST" and candidate.sense.mode in {None, "change"}:
            mode = requests.get(candidate.trigger.i) or _asked_for(candidate.trigger, lexicon.cues)
            candidate.mode = mode or candidate.mode
        elif candidate.sense.type == "ASSAULT" and candidate.mode is None:
            candidate.mode = _weapon_mode(candidate, lexicon.cues)
    kept = [c for c in candidates if _has_parties(c)]
    # "agreed to visit": the visit carries the agreement as its status; but when the
    # framed event has no parties of its own ("agreed to talks with the opposition"),
    # the agreement stays.
    framing = {t.i for c in kept for t in c.frame.framed_by}
    kept = [c for c in kept if not (c.sense.has("framing") and c.trigger.i in framing)]
    return _offers_absorb_content(kept)


def _offers_absorb_content(kept: list[Candidate]) -> list[Candidate]:
    """ "Oman offered to mediate between Washington and Tehran": one offer of good
    offices, aimed at the two sides; the mediation is not an event of its own. An
    offer of anything else ("offered to send police to Haiti") frames its content,
    which is coded (planned) instead of the offer."""
    offers = {c.trigger.i: c for c in kept if c.sense.has("offers")}
    dropped = []
    for candidate in kept:
        offer = next((offers[t.i] for t in candidate.frame.framed_by if t.i in offers), None)
        if offer is None:
            continue
        if candidate.sense.type != "CONSULT":
            dropped.append(offer)
            continue
        dropped.append(candidate)
        if not offer.args.recipients:
            offer.args = replace(offer.args, recipients=candidate.args.recipients)
    return [c for c in kept if c not in dropped]


# "stop", "end": yielding only when what ends is force or its hold ("end its siege");
# "stop provocations", "end the violence" ask for a change of behaviour.
_ENDING_VERBS = frozenset({"stop", "end", "halt", "cease"})
_HOSTILITIES = frozenset(
    {"siege", "blockade", "offensive", "attack", "occupation", "war", "fighting", "hostility",
     "assault", "bombardment", "shelling", "operation", "incursion", "invasion", "strike"}
)  # fmt: skip


def _asked_for(request: Token, cues: Cues) -> str | None:
    """The mode of a request from what it asks: "demanded that troops leave" → yield."""
    for clause in request.children:
        lemma = clause.lemma_.lower()
        if clause.dep_ not in {"xcomp", "ccomp"} or lemma not in cues.yield_verbs:
            continue
        if lemma in _ENDING_VERBS and not any(
            o.lemma_.lower() in _HOSTILITIES for o in direct_objects(clause)
        ):
            return "change"
        return "yield"
    return None


def _weapon_mode(candidate: Candidate, cues: Cues) -> str | None:
    """How an attack was carried out, from the weapon named as its doer or object
    ("drones struck", "fired rockets", "hit by a guided aerial bomb")."""
    trigger = candidate.trigger
    words: list[Token] = [*candidate.args.actors, trigger]
    words += [c for c in trigger.children if c.dep_ in {"dobj", "compound", "nsubj", "nsubjpass"}]
    words += prep_objects(trigger, frozenset({"with", "by"}))
    for word in words:
        lemma = word.lemma_.lower()
        modifiers = [c.lemma_.lower() for c in word.children if c.dep_ in {"compound", "amod"}]
        for key in [f"{m} {lemma}" for m in modifiers] + [lemma, *modifiers]:
            if key in cues.weapon_modes:
                return cues.weapon_modes[key]
    return None


def _has_parties(candidate: Candidate) -> bool:
    """Whether the candidate has the parties its trigger needs, after taking its actor
    from the frame ("accused North Korea of supplying arms": the accused supplies)."""
    sense, args = candidate.sense, candidate.args
    if sense.has("converse"):
        # "accused the RSF of receiving weapons from the UAE": the accused receives.
        if candidate.frame.actor_from_frame and (args.inherited or not args.recipients):
            args = candidate.args = replace(
                args, recipients=tuple(candidate.frame.actor_from_frame), inherited=True
            )
    elif candidate.frame.actor_from_frame and (args.inherited or not args.actors):
        args = candidate.args = replace(
            args, actors=tuple(candidate.frame.actor_from_frame), inherited=True
        )
    if sense.has("needs_actor") and not args.actors:
        return False
    if sense.has("needs_recipient") and not args.recipients:
        return False
    return bool(args.actors or args.recipients)


def threat_mode(content_type: str, content_mode: str | None) -> str | None:
    """A threat's mode from the act it threatens (restrict for sanctions…)."""
    return _THREAT_MODES.get((content_type, content_mode)) or _THREAT_MODES.get(
        (content_type, None)
    )


def link_about(candidates: list[Candidate]) -> None:
    """Point each framing event (accuse, threaten, deny) at the event it is about."""
    by_trigger = {c.trigger.i: c for c in candidates}
    for candidate in candidates:
        about = candidate.frame.about
        governor = by_trigger.get(about.i) if about is not None else None
        if governor is None or governor.about is not None:
            continue
        governor.about = candidate.id
        if governor.sense.type == "THREATEN" and governor.mode is None:
            governor.mode = threat_mode(candidate.sense.type, candidate.mode)
        if governor.sense.type in {"THREATEN", "AGREE"} and not governor.args.recipients:
            # "warned of sanctions on Russia": the threat is aimed where its content is;
            # "offered to mediate between Washington and Tehran": so is the offer.
            governor.args = replace(governor.args, recipients=candidate.args.recipients)
        if governor.sense.type == "ACCUSE" and governor.mode is None:
            governor.mode = "allege"


# "will not negotiate", "would not abandon the shoal": a party refusing a cooperative
# act rejects it (PLOVER REJECT, its mode from what is refused); refusing force ("would
# not stop its attacks") stays that act, negated.
_REFUSED_MODES = {"CONSULT": "meet", "CONCEDE": "change", "AGREE": "change",
                  "RETREAT": "yield", "COOPERATE": "assist", "AID": "assist"}  # fmt: skip
REFUSAL_RULE = "+refusal.v1"


def _refusal(candidate: Candidate) -> tuple[str, str | None, Status, str] | None:
    """Type, mode, status and rule of a refusal, if the candidate is one."""
    sense = candidate.sense
    if not candidate.frame.refusal or sense.type not in _REFUSED_MODES:
        return None
    if sense.type == "RETREAT" and candidate.mode == "ceasefire":
        return None
    status: Status = "conditional" if "conditional" in candidate.frame.cues else "reported"
    return "REJECT", _REFUSED_MODES[sense.type], status, sense.rule + REFUSAL_RULE


def to_event(candidate: Candidate, sentence: Sentence, article_id: str, extractor: str) -> Event:
    trigger = candidate.trigger
    frame = candidate.frame
    speakers = tuple(_actor_span(s) for s in frame.speakers)
    date = _time_expression(candidate.args.predicate, trigger)
    refusal = _refusal(candidate)
    event_type, mode, status, rule = refusal or (
        candidate.sense.type,
        candidate.mode,
        frame.status(),
        candidate.sense.rule,
    )
    # a refusal is one side's act, even of talks
    symmetric = candidate.sense.has("reciprocal") or candidate.args.reciprocal
    reciprocal = refusal is None and symmetric
    return Event(
        id=candidate.id,
        article_id=article_id,
        type=event_type,
        mode=mode,
        context=candidate.sense.context,
        status=status,
        actor=tuple(_actor_span(h) for h in candidate.args.actors),
        recipient=tuple(_actor_span(h) for h in candidate.args.recipients),
        attributed_to=speakers,
        about=candidate.about,
        trigger=TextSpan(trigger.text, trigger.idx, trigger.idx + len(trigger.text)),
        sentence=sentence,
        date=date,
        location=_location(candidate.args),
        confidence=_confidence(candidate),
        rule=rule,
        extractor=extractor,
        reciprocal=reciprocal,
    )
