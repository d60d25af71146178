"""Small functions over a dependency parse, named for what they return.

They work on spaCy ``Token`` objects and follow the ClearNLP labels of the English
models (nsubj, nsubjpass, dobj, dative, agent, pobj, xcomp, ccomp, pcomp, conj…).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
NOMINAL_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
# Verbs whose object, not subject, performs the embedded action: "invited Putin to visit".
OBJECT_CONTROL = frozenset(
    {
        "invite",
        "ask",
        "urge",
        "call",
        "order",
        "allow",
        "force",
        "encourage",
        "tell",
        "persuade",
        "help",
        "press",
        "push",
        "permit",
        "authorize",
        "authorise",
        "instruct",
        "pressure",
        "compel",
        "enable",
        "request",
        "summon",
        "warn",
        "advise",
        "beg",
    }
)


def conjuncts(token: Token) -> list[Token]:
    """``token`` and the words coordinated with it ("Russia and North Korea")."""
    found = [token]
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ in NOMINAL_POS | {"ADJ"}:
            found.extend(conjuncts(child))
    return found


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in verb.children)


def children_with(token: Token, *deps: str) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


_COMPOUND_PREP_HEADS = frozenset({"out", "away", "back"})


def prep_objects(token: Token, preps: frozenset[str]) -> list[Token]:
    """Objects of the prepositions ``preps`` attached to ``token`` (with their conjuncts)."""
    found: list[Token] = []
    for child in token.children:
        # "sent aid to Syria": the parser labels that "to" dative, not prep.
        if child.dep_ in {"prep", "agent", "dative"} and child.lower_ in preps:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    found.extend(conjuncts(obj))
        elif child.lower_ in _COMPOUND_PREP_HEADS and child.dep_ in {"prep", "prt", "advmod"}:
            found.extend(prep_objects(child, preps))  # "pulled out of the OAS"
    return found


def agent_of(verb: Token) -> list[Token]:
    """The by-phrase of a passive verb: "was attacked by rebels" → rebels."""
    for child in verb.children:
        if child.dep_ == "agent":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return conjuncts(obj)
    return []


def own_subjects(verb: Token) -> list[Token]:
    """The logical subject written on the verb itself (the agent, for passives)."""
    if is_passive(verb):
        return agent_of(verb)
    # All subject children, not the first: the small model sometimes splits a
    # coordination ("the US, South Korea, and Japan discussed") into two subjects.
    found: list[Token] = []
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS and child.pos_ != "SCONJ":
            if child.tag_ in {"WDT", "WP"} and verb.dep_ == "relcl":
                found.extend(conjuncts(verb.head))  # "Hungary, which does not supply …"
            else:
                found.extend(conjuncts(child))
    return found


def surface_subject(verb: Token) -> list[Token]:
    """The grammatical subject, active or passive: "Lavrov is scheduled" → Lavrov."""
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS and child.pos_ != "SCONJ":
            return conjuncts(child)
    return []


def direct_objects(verb: Token) -> list[Token]:
    """What the verb acts on: the direct object, or the passive subject."""
    if is_passive(verb):
        found = children_with(verb, *PASSIVE_SUBJECT_DEPS)
    else:
        found = children_with(verb, "dobj") or _infinitive_subjects(verb)
    return [c for token in found for c in conjuncts(token)]


def _infinitive_subjects(verb: Token) -> list[Token]:
    """ "allowed three tankers to dock", "urged Tehran to stop": the parser makes the
    object the subject of a "to" clause; it is the verb's object all the same."""
    return [
        subject
        for clause in children_with(verb, "ccomp")
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)
        for subject in children_with(clause, "nsubj")
    ]


def inherited_subjects(verb: Token, depth: int = 0) -> list[Token]:
    """The subject of a verb that has none of its own, through control, raising,
    coordination, relative clauses and participle clauses."""
    own = own_subjects(verb)
    if own or depth > 6 or verb.dep_ == "ROOT":
        return own
    head = verb.head
    if verb.dep_ in {"xcomp", "ccomp"} and head.pos_ in {"VERB", "AUX", "ADJ"}:
        if head.lemma_ in OBJECT_CONTROL:
            objects = children_with(head, "dobj")
            if objects:
                return conjuncts(objects[0])
        surface = surface_subject(head)
        return surface or inherited_subjects(head, depth + 1)
    if verb.dep_ == "conj":
        surface = own_subjects(head) or surface_subject(head)
        return surface or inherited_subjects(head, depth + 1)
    if verb.dep_ == "dobj" and verb.tag_ == "VBG" and head.pos_ in {"VERB", "AUX"}:
        # "Tehran denies arming the group", "stopped shelling": the subject acts.
        return surface_subject(head) or inherited_subjects(head, depth + 1)
    if verb.dep_ in {"acomp", "attr", "oprd"} and head.pos_ in {"VERB", "AUX"}:
        # "Wang is due to meet": "due" holds the infinitive; "is" holds the subject.
        return surface_subject(head) or inherited_subjects(head, depth + 1)
    if verb.dep_ == "relcl" and head.pos_ in NOMINAL_POS:
        return [head]
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and head.pos_ in NOMINAL_POS:
        return [head]  # "the alliance aiding Russia": the noun does what the participle says
    if verb.dep_ == "acl" and head.pos_ == "NOUN":
        owners = children_with(head, "poss")  # "its intent to develop relations"
        if owners:
            return conjuncts(owners[0])
    if (
        verb.dep_ in {"advcl", "acl"}
        and verb.tag_ in {"VBG", "VBN"}
        and head.pos_ in {"VERB", "AUX"}
    ):
        return surface_subject(head) or inherited_subjects(head, depth + 1)
    return []


def clause_head(token: Token) -> Token:
    """The verb whose clause holds ``token`` (the token itself for verbs)."""
    current = token
    for _ in range(12):
        if current.pos_ in {"VERB", "AUX"} or current.dep_ == "ROOT":
            return current
        current = current.head
    return current


def ancestors_until(token: Token, stop: Token) -> Iterator[Token]:
    for ancestor in token.ancestors:
        yield ancestor
        if ancestor == stop:
            return


def noun_phrase_bounds(head: Token) -> tuple[int, int]:
    """Token bounds [start, end) of the noun phrase headed by ``head``.

    Keeps determiners, possessives, compounds, adjectives and an apposition
    ("Russia's ambassador to the US, Anatoly Antonov"); leaves out relative
    clauses and coordinated phrases, which are separate mentions.
    """
    start = head.i
    for child in head.lefts:
        if child.dep_ in {
            "det",
            "poss",
            "compound",
            "amod",
            "nmod",
            "nummod",
            "quantmod",
            "predet",
            "npadvmod",
        }:
            start = min(start, child.left_edge.i)
    end = head.i + 1
    for child in head.rights:
        if child.dep_ in {"compound", "flat"}:
            end = max(end, child.right_edge.i + 1)
        elif child.dep_ == "appos" and child.pos_ == "PROPN":
            end = max(end, _appos_end(child) + 1)
        elif child.dep_ == "prep" and child.lower_ in {"to", "of"} and _is_role_prep(head, child):
            end = max(end, child.right_edge.i + 1)
    doc = head.doc
    while start < head.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end - 1 > head.i and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return hyphenated_bounds(doc, start, end)


def hyphenated_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) over hyphen-joined words: "Komsomolsk" → "Komsomolsk-on-Amur"."""
    while (
        end < len(doc)
        and not doc[end - 1].whitespace_
        and (doc[end].text == "-" or doc[end - 1].text == "-")
    ):
        end += 1
    if end > start and doc[end - 1].text == "-":
        end -= 1
    while (
        start > 0
        and not doc[start - 1].whitespace_
        and (doc[start - 1].text == "-" or doc[start].text == "-")
    ):
        start -= 1
    if start < end and doc[start].text == "-":
        start += 1
    return start, end


def _appos_end(appos: Token) -> int:
    end = appos.i
    for child in appos.rights:
        if child.dep_ in {"compound", "flat"}:
            end = max(end, child.right_edge.i)
    return end


def _is_role_prep(head: Token, prep: Token) -> bool:
    """ "ambassador to the US", "officials of the US": a role noun's own qualifier."""
    return head.pos_ == "NOUN" and any(
        c.dep_ == "pobj" and c.ent_type_ in {"GPE", "ORG", "NORP"} for c in prep.children
    )


def span_text(doc_span: Span) -> str:
    return doc_span.text


_REFLEXIVE_PRONOUNS = frozenset({"it", "its", "they", "their", "them"})


def pronoun_antecedent(pronoun: Token) -> list[Token]:
    """The subject a possessive or subject pronoun most likely points to within its own
    sentence: "the Kremlin maintained … its intent", "the Kremlin denied that it …"."""
    if pronoun.lower_ not in _REFLEXIVE_PRONOUNS:
        return []
    for ancestor in pronoun.ancestors:
        if ancestor.pos_ not in {"VERB", "AUX"}:
            continue
        subjects = [
            s for s in (own_subjects(ancestor) or inherited_subjects(ancestor))
            if s.pos_ != "PRON" and s.i != pronoun.i and s.i not in {t.i for t in pronoun.ancestors}
        ]  # fmt: skip
        if subjects:
            plural = pronoun.lower_ in {"they", "their", "them"}
            if plural == (len(subjects) > 1 or subjects[0].tag_ in {"NNS", "NNPS"}):
                return subjects
    return []
