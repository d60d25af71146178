"""One mention → the actors it names, with codes, sectors and the rule that decided.

Order of evidence, most specific first:

1. a person's name (knowledge base, then the article's own earlier mentions, then
   a strict fuzzy match), with the office held at the article's date;
2. the whole phrase as a named body, organisation, group, state or metonym;
3. a role word with its country ("Russian diplomats", "South Korea's National
   Security Council", "officials of the US, South Korea and Japan");
4. references back into the article ("the Russian president", "Kim", "both
   nations", "they", "the leaders");
5. a place, which stands for its state when it is a party (a visit's destination,
   an attacked town).

Anything else stays unresolved, with its text and ``code: None``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process
from spacy.tokens import Span, Token

from eventwire.events.doc_facts import entity_of, sentence_of
from eventwire.events.syntax import conjuncts
from eventwire.model import Actor
from eventwire.resolve.discourse import PAIR_REACH, Discourse, Referent
from eventwire.resolve.kb import Entry, KnowledgeBase, Person, RoleWord, fold
from eventwire.resolve.places import Gazetteer

_STATE_KINDS = frozenset({"state"})
_PARTY_KINDS = frozenset({"state", "body", "group", "person"})
_PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})
_SINGULAR_PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her"})
_STATE_WORDS = frozenset(
    {
        "nation",
        "nations",
        "country",
        "countries",
        "state",
        "states",
        "side",
        "sides",
        "government",
        "governments",
        "capital",
        "capitals",
    }
)
_LEADER_WORDS = frozenset({"leader", "leaders", "president", "presidents", "head", "heads"})
_OFFICIAL_WORDS = frozenset(
    {"minister", "official", "diplomat", "negotiator", "envoy", "counterpart"}
)
_NUMBER_WORDS = {"two": 2, "both": 2, "three": 3, "all": 0}
_ENTRY_PREFERENCE = (
    "institution",
    "organization",
    "group",
    "person",
    "metonym",
    "country",
    "demonym",
    "adjective",
)
_FUZZY_MIN = 92
_REFERENT_KINDS = {
    "country": "state",
    "metonym": "state",
    "adjective": "state",
    "demonym": "group",
    "group": "group",
}
# Events and conditions are nobody's agents: "Sudan's war has killed thousands".
_NOT_OWNED = frozenset(
    {
        "war",
        "conflict",
        "fighting",
        "violence",
        "crisis",
        "clash",
        "attack",
        "strike",
        "bombing",
        "shelling",
        "offensive",
        "invasion",
        "unrest",
        "insurgency",
        "border",
        "territory",
    }
)
_PLACE_NOUNS = frozenset(
    {
        "town",
        "city",
        "village",
        "region",
        "province",
        "district",
        "capital",
        "port",
        "island",
        "area",
    }
)
# What may qualify a role word: "Russian diplomats", "M23 rebels", "NATO troops".
_QUALIFIER_KINDS = frozenset(
    {"country", "adjective", "metonym", "demonym", "group", "organization", "institution"}
)
# A bare name the tagger missed is read as a town only for towns this large.
_TOWN_POPULATION = 100_000
_OWNER_KINDS = frozenset(
    {"country", "adjective", "metonym", "organization", "group", "institution"}
)
_GROUP_WORDS = frozenset(
    {"group", "militia", "movement", "organisation", "organization", "faction", "alliance"}
)
_GOVERNMENT_WORDS = frozenset({"government", "country", "state", "administration", "regime"})


@dataclass(frozen=True, slots=True)
class Resolution:
    actors: tuple[Actor, ...]
    referent: Referent | None


def _actor(
    span: Span,
    *,
    name: str | None,
    code: str | None,
    sector: str | None,
    kb_id: str | None = None,
    rule: str,
    antecedent: str | None = None,
) -> Actor:
    return Actor(
        text=span.text,
        start=span.start_char,
        end=span.end_char,
        name=name,
        code=code,
        sector=sector,
        kb_id=kb_id,
        rule=rule,
        antecedent=antecedent,
    )


def _best(entries: tuple[Entry, ...]) -> Entry | None:
    if not entries:
        return None
    return min(entries, key=lambda e: _ENTRY_PREFERENCE.index(e.kind))


def _person_actor(
    span: Span, person: Person, discourse: Discourse, rule: str, antecedent: str | None = None
) -> Actor:
    role = person.role_at(discourse.day)
    return _actor(
        span,
        name=person.name,
        code=role.country if role else None,
        sector=role.sector if role else None,
        kb_id=person.kb_id,
        rule=rule,
        antecedent=antecedent,
    )


# The choices of the fuzzy match and its answers so far, per tuple of people (a
# knowledge base keeps its tuple): rebuilding the choices for every unknown name cost
# more than the match, and the same unknown names recur from article to article.
@dataclass(slots=True)
class _FuzzyPeople:
    people: tuple[Person, ...]
    by_name: dict[str, Person]
    names: list[str]
    answers: dict[str, Person | None]


_FUZZY: dict[int, _FuzzyPeople] = {}
_FUZZY_ANSWERS = 4096  # forgotten all at once when full: bounded memory on long runs


def _fuzzy_people(people: tuple[Person, ...]) -> _FuzzyPeople:
    cached = _FUZZY.get(id(people))
    if cached is None or cached.people is not people:
        if len(_FUZZY) >= 4:
            _FUZZY.clear()
        by_name = {p.name: p for p in people}
        cached = _FUZZY[id(people)] = _FuzzyPeople(people, by_name, list(by_name), {})
    return cached


def _fuzzy_person(name: str, kb: KnowledgeBase) -> Person | None:
    """A spelling variant of a known person ("Zelenskiy"); never a different person.

    Only names of two or more words, only above a high score, and only when the
    surnames themselves agree closely.
    """
    words = name.split()
    if len(words) < 2 or not kb.people:
        return None
    fuzzy = _fuzzy_people(kb.people)
    if name in fuzzy.answers:
        return fuzzy.answers[name]
    if len(fuzzy.answers) >= _FUZZY_ANSWERS:
        fuzzy.answers.clear()
    person = None
    match = process.extractOne(
        name, fuzzy.names, scorer=fuzz.token_sort_ratio, score_cutoff=_FUZZY_MIN
    )
    if match is not None:
        person = fuzzy.by_name[match[0]]
        if fuzz.ratio(fold(words[-1]), fold(person.name.split()[-1])) < 85:
            person = None
    fuzzy.answers[name] = person
    return person


def _entity_span(token: Token, labels: frozenset[str]) -> Span | None:
    ent = entity_of(token)
    return ent if ent is not None and ent.label_ in labels else None


def _name_chain(token: Token) -> Span:
    """The proper name ending at ``token``: "Min Aung Hlaing" in "junta leader Min Aung Hlaing"."""
    start = token.i
    while (
        start > 0
        and token.doc[start - 1].pos_ == "PROPN"
        and token.doc[start - 1].head.i in range(start, token.i + 1)
    ):
        start -= 1
    return token.doc[start : token.i + 1]


def _person_in(span: Span, kb: KnowledgeBase) -> Span | None:
    """The person the phrase is about: a PERSON entity at its head or in an apposition
    of its head, or a proper name there that the knowledge base knows as a person
    (the small model tags "Grossi" as a place, "Min Aung" without "Hlaing")."""
    head = span.root
    candidates = [head] + [c for c in head.children if c.dep_ == "appos"]
    for token in candidates:
        ent = _entity_span(token, frozenset({"PERSON"}))
        if (
            ent is not None
            and span.start <= ent.start
            and ent.end <= span.end
            and ent.root == token
        ):
            return ent
    for token in candidates:
        if token.pos_ != "PROPN":
            continue
        name = _name_chain(token)
        known = kb.lookup(name.text)
        if known and all(e.kind == "person" for e in known):
            return name
        if any(t.ent_type_ == "PERSON" for t in name):
            return name
    return None


def _title_role(titles: list[Token], kb: KnowledgeBase) -> RoleWord | None:
    """The role the words before a name give, from the longest known ending:
    "Presidential spokesman Bayo Adeyemi" is a spokesman."""
    for start in range(len(titles)):
        role = kb.role(" ".join(t.text for t in titles[start:]))
        if role is not None:
            return role
    return None


def _country_of_modifiers(tokens: list[Token], kb: KnowledgeBase) -> list[str]:
    codes: list[str] = []
    for token in tokens:
        ent = _entity_span(token, frozenset({"GPE", "NORP", "ORG", "LOC"}))
        text = ent.text if ent is not None else token.text
        entry = _best(tuple(e for e in kb.lookup(text) if e.kind in _QUALIFIER_KINDS))
        if entry is None and ent is not None and ent.root != token:
            entry = _best(
                tuple(e for e in kb.lookup(token.text) if e.kind in {"country", "adjective"})
            )
        if entry is not None and entry.code and entry.code not in codes:
            codes.append(entry.code)
    return codes


def _subject_starts(token: Token) -> frozenset[int]:
    """Where the subjects before ``token`` in its sentence start, when ``token`` heads a
    subject too: "its troops withdrew" is the earlier subject's, while in "imposed
    sanctions on its officials" the owner is the last party named."""
    if token.dep_ not in {"nsubj", "nsubjpass"}:
        return frozenset()
    return frozenset(
        t.left_edge.idx
        for t in sentence_of(token)
        if t.dep_ in {"nsubj", "nsubjpass"} and t.i < token.i
    )


def _role_context(
    head: Token, kb: KnowledgeBase, discourse: Discourse | None = None, sentence: int = 0
) -> tuple[RoleWord | None, list[str]]:
    """Role of a noun phrase's head and the states qualifying it."""
    compounds = [c for c in head.lefts if c.dep_ in {"compound", "amod"}]
    role = None
    for start in range(len(compounds) + 1):  # "national security council", then "security council"…
        words = [c.text for c in compounds[start:] if c.ent_type_ not in {"GPE", "NORP"}] + [
            head.text
        ]
        role = kb.role(" ".join(words)) or kb.role(" ".join([*words[:-1], head.lemma_]))
        if role is not None:
            break
    modifiers = [c for c in head.children if c.dep_ in {"poss", "compound", "amod", "nmod"}]
    # "Congolese and Rwandan foreign ministers": coordinated nationalities
    modifiers += [c for m in modifiers for c in m.children if c.dep_ == "conj"]
    codes = _country_of_modifiers(modifiers, kb)
    owner = next((m for m in modifiers if m.dep_ == "poss" and m.lower_ in {"its", "their"}), None)
    if not codes and owner is not None and discourse is not None:
        # "its troops", "their forces": the state or group last named.
        kinds = frozenset({"state", "body", "group"})
        found = (
            discourse.owner_of(kinds, sentence, head.idx, _subject_starts(head))
            if owner.lower_ == "its"
            else discourse.last_group(sentence, head.idx, kinds)
        )
        if found is not None:
            codes = [a.code for a in found.actors if a.code]
    if not codes:
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in {"of", "from"}:
                objs = [o for o in prep.children if o.dep_ == "pobj"]
                for obj in objs:
                    codes.extend(_country_of_modifiers(conjuncts(obj), kb))
    return role, codes


def _plural_reference(span: Span, discourse: Discourse, sentence: int) -> tuple[list[Actor], str]:
    """ "they", "the two leaders", "both nations", "the leaders" → the parties meant."""
    head = span.root
    words = {t.lower_ for t in span}
    position = span.start_char
    if (head.lower_ in _STATE_WORDS or head.lemma_ in _STATE_WORDS) and not (
        _is_plural(head) or words & {"both", "two"}
    ):
        # "the country", "the government", "the capital": the last state named.
        last = discourse.last_of(_STATE_KINDS, sentence, position)
        if last is None:
            return [], ""
        if head.lemma_.lower() in _GOVERNMENT_WORDS - {"country", "state"}:
            # "the government" after "Serbian police": Serbia's government
            return [replace(a, sector="GOV") for a in last.actors], "coref.state.v1"
        return [*last.actors], "coref.state.v1"
    if head.lower_ in _STATE_WORDS or head.lemma_ in _STATE_WORDS:
        group = discourse.last_group(sentence, position, _STATE_KINDS)
        if group is not None:
            return list(group.actors), "coref.group.v1"
        return discourse.last_distinct(2, sentence, position, _STATE_KINDS), "coref.states.v1"
    if (
        head.lower_ in _LEADER_WORDS
        or head.lemma_ in _LEADER_WORDS
        or head.lemma_ in _OFFICIAL_WORDS
    ):
        reach = PAIR_REACH if words & {"two", "both"} else 3
        group = discourse.last_group(sentence, position, frozenset({"person"}), reach)
        if group is not None:
            return list(group.actors), "coref.group.v1"
        return discourse.last_distinct(
            2, sentence, position, frozenset({"person"})
        ), "coref.leaders.v1"
    if head.lower_ in _PLURAL_PRONOUNS or words & {"both", "two"}:
        group = discourse.last_group(sentence, position, _PARTY_KINDS)
        if group is not None:
            return list(group.actors), "coref.group.v1"
        return discourse.last_distinct(
            2, sentence, position, frozenset({"person"})
        ), "coref.leaders.v1"
    return [], ""


def _as_references(span: Span, actors: list[Actor], rule: str) -> tuple[Actor, ...]:
    return tuple(
        _actor(
            span,
            name=a.name,
            code=a.code,
            sector=a.sector,
            kb_id=a.kb_id,
            rule=rule,
            antecedent=a.text,
        )
        for a in actors
    )


def _is_plural(head: Token) -> bool:
    return head.tag_ in {"NNS", "NNPS"} or head.lower_ in _PLURAL_PRONOUNS


class ActorResolver:
    """Resolves mention spans of one article, remembering them for coreference."""

    def __init__(self, kb: KnowledgeBase, gazetteer: Gazetteer, discourse: Discourse) -> None:
        self.kb = kb
        self.gazetteer = gazetteer
        self.discourse = discourse

    def resolve(self, span: Span, sentence: int) -> Resolution:
        steps = (self._person, self._named, self._role, self._reference, self._place, self._owner)
        for step in steps:
            resolution = step(span, sentence)
            if resolution is not None:
                if resolution.referent is not None:
                    self.discourse.remember(resolution.referent)
                return resolution
        unresolved = _actor(span, name=None, code=None, sector=None, rule="unresolved")
        return Resolution((unresolved,), None)

    def countries_in_view(self) -> tuple[str, ...]:
        """States the article has named so far: they disambiguate place names."""
        return self.discourse.codes()

    # Building results -------------------------------------------------------------

    def _from_referent(
        self, span: Span, sentence: int, referent: Referent, rule: str, office: str | None = None
    ) -> Resolution:
        """A back-reference: the antecedent's actors, with this mention's text."""
        actors = _as_references(span, list(referent.actors), rule)
        remembered = Referent(
            actors,
            sentence,
            span.start_char,
            referent.kind,
            referent.name_tokens,
            office or referent.office,
        )
        return Resolution(actors, remembered)

    def _from_person(self, span: Span, sentence: int, person: Person, rule: str) -> Resolution:
        actor = _person_actor(span, person, self.discourse, rule)
        role = person.role_at(self.discourse.day)
        remembered = Referent(
            (actor,),
            sentence,
            span.start_char,
            "person",
            tuple(person.name.split()),
            role.office if role else None,
        )
        return Resolution((actor,), remembered)

    # 1. people ------------------------------------------------------------------------

    def _person(self, span: Span, sentence: int) -> Resolution | None:
        name_span = _person_in(span, self.kb)
        if name_span is None:
            head = span.root
            if head.pos_ == "PROPN" and not self.kb.lookup(head.text):
                # "Wang is due to meet …" after "Wang Yi", tagged ORG by the small model
                referent = self.discourse.person_named(head.text, span.start_char)
                if referent is not None:
                    return self._from_referent(span, sentence, referent, "coref.name.v1")
            return None
        name = name_span.text
        if any(e.kind != "person" for e in self.kb.lookup(name)):
            return (
                None  # the model's PERSON label on "Kyiv", "Hamas": the knowledge base knows better
            )
        tokens = tuple(name.replace("’s", "").replace("'s", "").split())
        if len(tokens) == 1 and self._known_town(name) and not self.kb.lookup(name):
            return None  # "Kharkiv" tagged as a person: a town the small model does not know
        if len(tokens) == 1:
            referent = self.discourse.person_named(tokens[0], span.start_char)
            if referent is not None:
                return self._from_referent(span, sentence, referent, "coref.name.v1")
        entry = _best(tuple(e for e in self.kb.lookup(name) if e.kind == "person"))
        if entry is not None and entry.person is not None:
            return self._from_person(span, sentence, entry.person, "kb.person.v1")
        fuzzy = _fuzzy_person(name, self.kb)
        if fuzzy is not None:
            return self._from_person(span, sentence, fuzzy, "kb.person-fuzzy.v1")
        return self._unknown_person(span, sentence, name_span, tokens)

    def _unknown_person(
        self, span: Span, sentence: int, name_span: Span, tokens: tuple[str, ...]
    ) -> Resolution:
        """Title and country from the phrase: "Russia's ambassador to the US, Anatoly
        Antonov", "Foreign Minister Sergei Lavrov"; the name alone says nothing."""
        role_word, codes = _role_context(span.root, self.kb)
        if role_word is None:
            # "Alounkeo Kittikhoun, ASEAN's special envoy": the apposition says who he is
            for appos in (c for c in span.root.children if c.dep_ == "appos" and c.pos_ == "NOUN"):
                role_word, codes = _role_context(appos, self.kb)
                if role_word is not None:
                    break
        before_name = [t for t in span if t.i < name_span.start]
        if role_word is None:
            titles = [t for t in before_name if t.dep_ in {"compound", "amod"} and not t.ent_type_]
            role_word = _title_role(titles, self.kb)
            codes = codes or _country_of_modifiers(before_name, self.kb)
        code = codes[0] if codes else None
        sector = role_word.sector if role_word else None
        if code is not None and (role_word or sector is None):
            # an envoy or official of an international organisation acts for it
            sector = self.kb.body_sector(code) or sector
        actor = _actor(
            span,
            name=name_span.text,
            code=code,
            sector=sector,
            rule="title.v1" if role_word or code else "person.unknown.v1",
        )
        office = role_word.office if role_word else None
        return Resolution(
            (actor,), Referent((actor,), sentence, span.start_char, "person", tokens, office)
        )

    # 2. named states, bodies, organisations, groups, metonyms -------------------------

    def _named(self, span: Span, sentence: int) -> Resolution | None:
        head = span.root
        texts = [span.text]
        ent = _entity_span(head, frozenset({"GPE", "ORG", "NORP", "LOC", "FAC"}))
        if ent is not None:
            texts.append(ent.text)
        entry = None
        for text in texts:
            entry = _best(tuple(e for e in self.kb.lookup(text) if e.kind != "person"))
            if entry is not None:
                break
        if entry is None or entry.code is None:
            return None
        if entry.kind == "adjective" and head.pos_ == "NOUN" and self.kb.role(head.text):
            return None  # "Russian diplomats": a role with a nationality, step 3
        kind = _REFERENT_KINDS.get(entry.kind, "body")
        actor = _actor(
            span,
            name=entry.name,
            code=entry.code,
            sector=entry.sector,
            kb_id=entry.kb_id,
            rule=f"kb.{entry.kind}.v1",
        )
        return Resolution((actor,), Referent((actor,), sentence, span.start_char, kind))

    # 3. roles with their states ---------------------------------------------------------

    def _role(self, span: Span, sentence: int) -> Resolution | None:
        head = span.root
        role_word, codes = _role_context(head, self.kb, self.discourse, sentence)
        if role_word is None:
            return None
        if not codes:
            codes = self._town_of(head)  # "Lahore police": the town's state
        position = span.start_char
        office = role_word.office
        if codes:
            if office and not _is_plural(head) and len(codes) == 1:
                holder = self._office_holder(span, sentence, office, codes[0])
                if holder is not None:
                    return holder
            actors = tuple(
                _actor(
                    span,
                    name=None,
                    code=code,
                    # "EU ministers", "UN investigators" act for the organisation
                    sector=self.kb.body_sector(code) or role_word.sector,
                    rule="kb.role.v1",
                )
                for code in codes
            )
            return Resolution(actors, Referent(actors, sentence, position, "body"))
        pair = any(t.lower_ in {"two", "both"} for t in span)
        generic = head.lower_ in _STATE_WORDS or head.lemma_ in _STATE_WORDS | _LEADER_WORDS
        # "union leaders" names who they are; "the leaders" points back.
        qualified = role_word != (self.kb.role(head.text) or self.kb.role(head.lemma_))
        if (generic and not qualified) or pair:
            return None  # "the leaders", "the two countries", "both ministers": step 4
        if _is_plural(head):
            # "police", "protesters", "officials": a sector, and no state named
            actor = _actor(span, name=None, code=None, sector=role_word.sector, rule="kb.role.v1")
            return Resolution((actor,), None)
        if office:
            referent = self.discourse.person_with_office(office, None, position)
            if referent is not None:
                return self._from_referent(span, sentence, referent, "coref.title.v1", office)
        if role_word.sector == "GOV" and head.lemma_ in _GOVERNMENT_WORDS:
            last = self.discourse.last_of(_STATE_KINDS, sentence, position)
            if last is not None:
                return self._from_referent(span, sentence, last, "coref.state.v1")
        # "the interior ministry", "the army": a sector; the state comes from where the
        # event happens or the state the article is about (resolve_article).
        actor = _actor(span, name=None, code=None, sector=role_word.sector, rule="kb.role.v1")
        return Resolution((actor,), None)

    def _town_of(self, head: Token) -> list[str]:
        for modifier in head.lefts:
            if modifier.dep_ not in {"compound", "amod"} or not modifier.text[:1].isupper():
                continue
            ent = _entity_span(modifier, frozenset({"GPE", "LOC"}))
            if ent is None and not self._known_town(modifier.text):
                continue  # an unknown capitalised word is no town ("Riot police")
            name = ent.text if ent is not None else modifier.text
            place = self.gazetteer.find(name, self.countries_in_view())
            if place is not None and place.country:
                return [place.country]
        return []

    def _office_holder(
        self, span: Span, sentence: int, office: str, country: str
    ) -> Resolution | None:
        """ "the Russian president": the article's own holder of the office, else the
        knowledge base's holder at the article's date."""
        referent = self.discourse.person_with_office(office, country, span.start_char)
        if referent is not None:
            return self._from_referent(span, sentence, referent, "coref.title.v1", office)
        person = self.kb.holder(country, office, self.discourse.day)
        if person is None:
            return None
        return self._from_person(span, sentence, person, "kb.office-holder.v1")

    # 4. references back into the article -----------------------------------------------

    def _reference(self, span: Span, sentence: int) -> Resolution | None:
        head = span.root
        position = span.start_char
        if head.lemma_.lower() in _GROUP_WORDS and any(
            t.lower_ in {"the", "this", "that"} for t in head.lefts
        ):
            # "the group", "the militia", "the movement": the armed or political group last named
            last = self.discourse.last_of(frozenset({"group"}), sentence, position)
            if last is not None:
                return self._from_referent(span, sentence, last, "coref.group-noun.v1")
        if head.lemma_.lower() in _PLACE_NOUNS - {"capital"} and any(
            t.lower_ == "the" for t in head.lefts
        ):
            # "an assault on the city": the town or city last named
            last = self.discourse.last_of(frozenset({"place"}), sentence, position)
            if last is not None:
                return self._from_referent(span, sentence, last, "coref.place-noun.v1")
        if head.lower_ in {"it", "its"} and len(span) == 1:
            # "the Kremlin denied that it was preparing …": the state or body last named
            referent = self.discourse.last_of(
                frozenset({"state", "body", "group"}), sentence, position
            )
            if referent is None:
                return None
            return Resolution(_as_references(span, list(referent.actors), "coref.it.v1"), None)
        if head.lower_ in _SINGULAR_PERSON_PRONOUNS:
            referent = self.discourse.last_of(frozenset({"person"}), sentence, position)
            if referent is None:
                return None
            return Resolution(_as_references(span, list(referent.actors), "coref.pronoun.v1"), None)
        if not (_is_plural(head) or head.lower_ in _STATE_WORDS):
            return None
        found, rule = _plural_reference(span, self.discourse, sentence)
        if not found:
            return None
        actors = _as_references(span, found, rule)
        is_state = head.lower_ in _STATE_WORDS or head.lemma_ in _STATE_WORDS
        kind = "state" if is_state or any(a.name is None for a in actors) else "person"
        return Resolution(actors, Referent(actors, sentence, position, kind))

    # 5. places standing for their state -------------------------------------------------

    def _place(self, span: Span, sentence: int) -> Resolution | None:
        mention = span  # the actor keeps the mention's own bounds: events look it up by them
        ent = _entity_span(span.root, frozenset({"GPE", "LOC", "FAC"}))
        if ent is None and span.root.lemma_ in _PLACE_NOUNS:
            # "the town of Sake", "the city of Kharkiv"
            named = [
                o
                for p in span.root.children
                if p.lower_ == "of"
                for o in p.children
                if o.dep_ == "pobj"
            ]
            ent = _entity_span(named[0], frozenset({"GPE", "LOC", "FAC"})) if named else None
            span = ent if ent is not None else span
        if ent is None and span.root.pos_ == "PROPN" and self._known_town(span.root.text):
            ent = span.root.doc[span.root.i : span.root.i + 1]  # a town the tagger missed
        if ent is None:
            return None
        text = span.text if span.root == ent.root else ent.text
        place = self.gazetteer.find(text, self.countries_in_view())
        if place is None or place.country is None:
            return None
        actor = _actor(
            mention, name=place.name, code=place.country, sector=None, rule="gazetteer.place.v1"
        )
        return Resolution((actor,), Referent((actor,), sentence, span.start_char, "place"))

    def _known_town(self, name: str) -> bool:
        """A town big enough that a bare mention of its name means the town."""
        found = self.gazetteer.best(name, self.countries_in_view())
        return (
            found is not None and found.precision == "city" and found.population >= _TOWN_POPULATION
        )

    # 6. a thing named by its owner ----------------------------------------------------

    def _owner(self, span: Span, sentence: int) -> Resolution | None:
        """ "Russian drones", "Ukraine's second-largest city", "a Liberian-flagged ship":
        the head is no party, but the states named in front of it are, and the act is
        theirs."""
        head = span.root
        if head.pos_ not in {"NOUN", "PROPN"} or head.lemma_.lower() in _NOT_OWNED:
            return None
        if head.ent_type_ == "PERSON":
            return None  # "Jordan Peterson", "Chad Daybell": first names, not owners
        codes: dict[str, Entry] = {}
        for token in span:
            if token.i >= head.i or token.pos_ not in {"PROPN", "ADJ", "NOUN"}:
                continue
            ent = _entity_span(token, frozenset({"GPE", "NORP", "ORG"}))
            # An entity spanning the head too ("The Nigerian Bar Association") is the
            # unknown name itself; only the word in front is an owner.
            text = (
                ent.text if ent is not None and not (ent.start <= head.i < ent.end) else token.text
            )
            entry = _best(tuple(e for e in self.kb.lookup(text) if e.kind in _OWNER_KINDS))
            if entry is not None and entry.code and entry.code not in codes:
                codes[entry.code] = entry
        actors = tuple(
            _actor(
                span,
                name=e.name,
                code=code,
                sector=self.kb.body_sector(code),  # "UN monitors", "NATO members": IGO
                kb_id=e.kb_id,
                rule="kb.owner.v1",
            )
            for code, e in codes.items()
        )
        if not actors and any(c.dep_ == "poss" and c.lower_ == "its" for c in head.children):
            # "Beijing denied that its ships had rammed the boat": the ships are Beijing's.
            found = self.discourse.owner_of(
                frozenset({"state", "body", "group"}), sentence, head.idx, _subject_starts(head)
            )
            if found is not None:
                actors = tuple(
                    replace(a, text=span.text, start=span.start_char, end=span.end_char,
                            sector=None, rule="coref.owner.v1")
                    for a in found.actors if a.code
                )  # fmt: skip
        return Resolution(actors, None) if actors else None
