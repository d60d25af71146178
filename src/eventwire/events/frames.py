"""How the article presents an event: claim status, attribution, and what frames it.

``frame_of`` climbs from an event's predicate to the root of its sentence. Each
step up crosses a relation (xcomp, ccomp, of-complement, conditional clause…) to a
governing word, which may change the event's status: "agreed to visit" makes the
visit planned, "accused North Korea of supplying" makes the supply alleged and
attributed to the accuser, "warned of sanctions" makes the sanctions conditional,
"denied attacking" makes the attack denied, "if they engage in arms deals" makes
the deals a hypothetical condition, not an event at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from eventwire.events.doc_facts import lower_words, sentence_of
from eventwire.events.lexicon import Cues
from eventwire.events.syntax import (
    children_with,
    conjuncts,
    direct_objects,
    inherited_subjects,
    surface_subject,
)
from eventwire.model import Status

# Strongest first. What the clause itself says about the event (not happened, would
# happen if, may happen, will happen) decides before who says it: "the RSF said it
# would allow civilians out" is a plan the RSF announced, not an allegation; a
# claim only makes a plain past or present statement ``alleged``.
STATUS_PRECEDENCE: tuple[Status, ...] = (
    "denied",
    "negated",
    "conditional",
    "speculative",
    "planned",
    "alleged",
    "reported",
)
_CLAUSAL_DEPS = frozenset(
    {
        "ccomp",
        "xcomp",
        "advcl",
        "conj",
        "pcomp",
        "pobj",
        "dobj",
        "prep",
        "acomp",
        "oprd",
        "attr",
        "nsubj",
        "nsubjpass",
        "appos",
        "amod",
        "compound",
    }
)


@dataclass(slots=True)
class Frame:
    """What the climb found; turned into Event fields by the caller."""

    cues: set[Status] = field(default_factory=set)
    speakers: list[Token] = field(default_factory=list)  # heads of "X said" / "according to X"
    media_only: bool = True  # every speaker is a news outlet: status stays reported
    about: Token | None = None  # the governing event's trigger (accuse, threaten, deny…)
    actor_from_frame: list[Token] = field(default_factory=list)  # "accused X of V-ing" → X
    suppressed: str | None = None  # why this is not an event ("request content", "condition")
    refusal: bool = False  # "will not negotiate", "would not abandon": negation + future modal
    framed_by: list[Token] = field(default_factory=list)  # framing verbs this event absorbs
    request_head: Token | None = None  # "invited Putin to visit": the request whose content it is

    def status(self) -> Status:
        for status in STATUS_PRECEDENCE:
            if status in self.cues:
                return status
        return "reported"


def is_media(head: Token, cues: Cues) -> bool:
    """Whether a speaker is a news outlet ("Reuters", "state media", "the newspaper")."""
    start = head.left_edge.i
    text = head.doc[start : head.i + 1].text
    if text in cues.media or head.text in cues.media:
        return True
    words = {t.lower_ for t in head.doc[start : head.i + 1]}
    return head.lemma_.lower() in cues.media_nouns or bool(words & {"media"})


def _modal_cues(predicate: Token, cues: Cues, frame: Frame, in_speech: bool) -> None:
    """Negation, modals, hedges and future markers written on one predicate."""
    children = list(predicate.children)
    has_condition = any(
        c.dep_ == "advcl"
        and any(m.dep_ == "mark" and m.lower_ in cues.condition_marks for m in c.children)
        for c in children
    )
    negated = any(c.dep_ == "neg" for c in children)
    if negated and any(
        c.dep_ == "aux" and c.tag_ == "MD" and c.lower_ in {"will", "would", "wo", "'ll"}
        for c in children
    ):
        frame.refusal = True
    for child in children:
        word = child.lower_
        if child.dep_ == "neg" or (child.dep_ == "det" and word in cues.negative_dets):
            frame.cues.add("negated")
        elif child.dep_ == "aux" and child.tag_ == "MD":
            if word in cues.future_modals:
                frame.cues.add("planned")
            elif word in cues.conditional_modals:
                frame.cues.add(
                    "conditional" if has_condition else ("planned" if in_speech else "speculative")
                )
            elif word in cues.hedge_modals:
                frame.cues.add("conditional" if has_condition else "speculative")
        elif child.dep_ in {"advmod", "amod"}:
            if word in cues.alleging_words:
                frame.cues.add("alleged")
            elif word in cues.speculative_words:
                frame.cues.add("speculative")
            elif child.dep_ == "amod" and word in cues.planned_words:
                frame.cues.add("planned")
    # "is to visit", "are due to meet", "is going to": be + infinitive is a plan.
    if predicate.dep_ == "xcomp" and predicate.head.lemma_ in {"be", "due", "go"}:
        frame.cues.add("planned")


def _in_speech(predicate: Token, cues: Cues) -> bool:
    """Whether the predicate's clause is reported speech ("said it would …")."""
    current = predicate
    for ancestor in predicate.ancestors:
        if current.dep_ == "ccomp" and ancestor.lemma_.lower() in cues.reporting:
            return True
        current = ancestor
    return False


def _has_condition_mark(clause: Token, cues: Cues) -> bool:
    return any(m.dep_ == "mark" and m.lower_ in cues.condition_marks for m in clause.children)


def _speech(governor: Token, cues: Cues, frame: Frame) -> None:
    speakers = surface_subject(governor) or inherited_subjects(governor)
    if governor.lemma_ in {"report", "say", "tell"} and any(
        c.dep_ == "auxpass" for c in governor.children
    ):
        speakers = []  # "was reported", "is said": no named source
        frame.cues.add("alleged")
        frame.media_only = False
    for speaker in speakers:
        frame.speakers.append(speaker)
        if not is_media(speaker, cues):
            frame.media_only = False


def _told_that(clause: Token, noun: Token, cues: Cues) -> bool:
    return (
        any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)
        and noun.dep_ in {"dobj", "dative"}
        and noun.head.lemma_.lower() in cues.reporting
    )


def _is_infinitive(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def frame_of(predicate: Token, cues: Cues, triggers: dict[int, str]) -> Frame:
    """Climb from ``predicate`` (the event's verb, or its noun) to the sentence root.

    ``triggers`` maps token index → event type for every trigger of the sentence,
    so a governing trigger (accuse, threaten, deny, agree…) can be recognised.
    """
    frame = Frame()
    _modal_cues(predicate, cues, frame, in_speech=_in_speech(predicate, cues))
    current = predicate
    for _ in range(16):
        if current.dep_ == "ROOT" or current.head == current:
            break
        relation, governor = current.dep_, current.head
        lemma = governor.lemma_.lower()
        preposition = ""
        if governor.dep_ == "prep" and relation in {"pobj", "pcomp"}:
            preposition, relation, governor = governor.lower_, "prep:" + relation, governor.head
            lemma = governor.lemma_.lower()

        if relation == "relcl" and _told_that(current, governor, cues):
            # "told the meeting that Chinese vessels had harassed …": the parser hangs
            # the complement on the listener; it is what the speaker said.
            relation, governor = "ccomp", governor.head
            lemma = governor.lemma_.lower()
        if relation == "advcl" and _has_condition_mark(current, cues):
            frame.suppressed = "hypothetical condition"
            return frame
        if relation == "advcl" and lemma in cues.planning and _is_infinitive(current):
            relation = "xcomp"  # "offered on Thursday to mediate": the parser's advcl
        if relation == "acl" and lemma in cues.planning_nouns:
            frame.cues.add("planned")  # "its intent to develop relations", "a plan to build"
            frame.framed_by.append(governor)
        elif relation in {"relcl", "acl"} and current.pos_ in {"VERB", "AUX"}:
            break  # a relative clause asserts on its own
        if relation in {"xcomp", "ccomp"} and lemma in cues.permitting:
            frame.suppressed = "content of a permission"
            return frame
        if relation == "xcomp":
            if lemma in cues.requesting:
                frame.suppressed = "content of a request"
                frame.request_head = governor
                return frame
            if lemma in cues.threatening:
                frame.cues.add("conditional")
                frame.about = frame.about or governor
            elif lemma in cues.planning and lemma not in cues.planning_keeps_reported:
                frame.cues.add("planned")
                frame.framed_by.append(governor)
            elif lemma in cues.planning:
                frame.framed_by.append(governor)
            elif lemma == "refuse":
                frame.cues.add("negated")  # "refused to withdraw": the withdrawal did not happen
            elif lemma in cues.denying:
                frame.cues.add("denied")  # "denied trying to seize the town"
                frame.about = frame.about or governor
        elif relation == "ccomp" or (relation == "dobj" and current.tag_ == "VBG"):
            if lemma in cues.requesting and lemma not in cues.reporting:
                # "demanded that Beijing release the sailors": what is asked for has
                # not happened; it is the request's content.
                frame.suppressed = "content of a request"
                frame.request_head = governor
                return frame
            if lemma in cues.denying and current.i > governor.i:
                frame.cues.add("denied")
                frame.about = frame.about or governor
            elif lemma in cues.threatening:
                frame.cues.add("conditional")
                frame.about = frame.about or governor
            elif lemma in cues.reporting:
                _speech(governor, cues, frame)
                if not frame.media_only:
                    frame.cues.add("alleged")
        elif relation.startswith("prep:"):
            accusing = cues.accusing.get(lemma)
            if accusing and preposition in accusing:
                frame.cues.add("alleged")
                frame.about = frame.about or governor
                frame.speakers.extend(surface_subject(governor) or inherited_subjects(governor))
                frame.media_only = False
                objects = direct_objects(governor)
                if objects and not frame.actor_from_frame:
                    frame.actor_from_frame = objects
            elif lemma in cues.threatening and preposition in {"of", "with"}:
                frame.cues.add("conditional")
                frame.about = frame.about or governor
            elif lemma in cues.denying:
                frame.cues.add("denied")
                frame.about = frame.about or governor
            elif lemma in cues.speculative_heads and preposition in cues.topic_preps | {"of"}:
                frame.cues.add("speculative")
            elif (
                lemma in {"ask", "question", "wonder", "inquire"}
                and preposition in cues.topic_preps
            ):
                frame.suppressed = "topic of a question"
                return frame
        elif relation in {"dobj", "nsubj"} and lemma in cues.topic_verbs and current.pos_ == "NOUN":
            # "discussed the Putin-Kim meeting", "the meeting signifies": a topic, not news.
            frame.suppressed = "topic"
            return frame
        elif relation == "dobj" and lemma in cues.planning_objects and current.pos_ == "NOUN":
            frame.cues.add("planned")  # "preparing an assault", "promised aid"
            frame.framed_by.append(governor)
        elif relation == "dobj" and lemma in cues.threatening:
            frame.cues.add("conditional")
            frame.about = frame.about or governor

        if relation not in _CLAUSAL_DEPS and not relation.startswith("prep:"):
            break
        if relation == "xcomp" or relation.startswith("prep:"):
            # Only a controlling verb passes its own negation and modality down ("did
            # not agree to visit", "could try to storm"); a clause merely attached to a
            # negated one ("it was not clear how many were hurt when missiles struck")
            # keeps its own.
            _modal_cues(governor, cues, frame, in_speech=bool(frame.speakers))
        current = governor
    _according_to(current, cues, frame)
    return frame


# "according to a copy of his remarks seen by Reuters": a document is no source; its
# author or the outlet that saw it is.
_DOCUMENTS = frozenset(
    {"copy", "document", "draft", "text", "transcript", "letter", "memo", "report",
     "statement", "record", "recording", "readout", "summary", "note", "filing"}
)  # fmt: skip


def _according_to(root: Token, cues: Cues, frame: Frame) -> None:
    """ "…, according to Reuters": the whole sentence is attributed."""
    sentence = sentence_of(root)
    if "according" not in lower_words(root.doc)[sentence.start : sentence.end]:
        return  # most sentences: no need to look at each token
    for token in sentence:
        if token.lower_ == "according" and token.dep_ == "prep":
            for to in children_with(token, "prep"):
                for obj in children_with(to, "pobj"):
                    for speaker in conjuncts(obj):
                        if speaker.lemma_.lower() in _DOCUMENTS:
                            if frame.speakers:
                                continue  # "X told the meeting …, according to a copy"
                            agents = [
                                a
                                for a in speaker.subtree
                                if a.dep_ == "pobj" and a.head.lower_ == "by"
                            ]
                            if not agents:
                                continue
                            speaker = agents[0]
                        frame.speakers.append(speaker)
                        if not is_media(speaker, cues):
                            frame.media_only = False
                            frame.cues.add("alleged")
