"""A generated news corpus for the benchmarks: deterministic, varied, written from templates.

Every article is built from the sentence templates in ``data/templates.v1.toml``,
filled with actors and places from eventwire's own knowledge base and gazetteer
(``src/eventwire/resolve/data/``) and with random choices from a generator seeded
by ``(seed, article number)``: article 17 is the same text whatever the corpus
size, on every machine.

Each article has a theme (diplomacy, conflict, sanctions, protest, aid), three
countries, their office holders, a dateline most of the time, event sentences of
many types and statuses, background sentences, quotes with their speakers and
attributions, and a length drawn from a log-normal distribution clipped to
150–1,500 words. ``pages`` renders it as a JSONL record, as scraped text with
the site's chrome, or as an HTML page.

Run ``python -m benchmarks.corpus --count 2000 --out DIR`` to write the corpus
to a directory, e.g. to ingest it by hand with ``eventwire ingest DIR``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import re
import string
import tomllib
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

DEFAULT_SEED = 20240914
MIN_WORDS = 150
MAX_WORDS = 1500
_MEDIAN_WORDS = 520
_LENGTH_SIGMA = 0.55

Kind = Literal["record", "text", "html"]
KIND_SHARES: tuple[tuple[Kind, float], ...] = (("record", 0.4), ("text", 0.3), ("html", 0.3))

_TEMPLATES = Path(__file__).parent / "data" / "templates.v1.toml"
_TITLES = {
    "president": "President",
    "prime_minister": "Prime Minister",
    "foreign_minister": "Foreign Minister",
    "defence_minister": "Defence Minister",
}
_LEADER_OFFICES = ("president", "prime_minister", "head_of_state")
# Country names read with "the" in running text.
_NAMES_WITH_THE = frozenset(
    {
        "Netherlands",
        "Philippines",
        "Bahamas",
        "Gambia",
        "Maldives",
        "Comoros",
        "Seychelles",
        "Solomon Islands",
        "Marshall Islands",
        "Czech Republic",
        "Vatican",
    }
)
# Organisations as news writes them: acronyms said as words need no article.
_ORG_CODES = (
    "UN",
    "UNSC",
    "UNHCR",
    "UNICEF",
    "WFP",
    "WHO",
    "IAEA",
    "ICC",
    "ICJ",
    "IMF",
    "WTO",
    "EU",
    "NATO",
    "AU",
    "ASEAN",
    "ECOWAS",
    "OSCE",
    "OPEC",
)
_BARE_ACRONYMS = frozenset({"NATO", "ASEAN", "ECOWAS", "OPEC", "UNICEF"})
_INITIALISMS = frozenset({"UN", "EU", "IMF", "IAEA", "WHO", "ICC", "AU", "OSCE"})
_GROUP_THE_WORDS = ("Group", "Front", "Army", "Forces", "Movement", "Brigades", "State", "Units")
_AGENCIES = ("Reuters", "AFP", "the Associated Press", "state media", "the state news agency")
_DATELINE_AGENCIES = ("Reuters", "AFP", "AP")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine")
_WORD = r"[^\W\d_](?:[^\W\d_]|['’.-])*"
_NAME_CHARS = re.compile(
    rf"^{_WORD}(?: {_WORD})*$"
)  # words of letters, with . - and apostrophes inside


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    short: str  # what later mentions say: "Putin", "Kim"
    office: str
    title: str  # "President", "Foreign Minister"


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    adjective: str
    capital: str
    cities: tuple[str, ...]
    people: Mapping[str, tuple[Person, ...]]  # office → current holders
    weight: float

    @property
    def in_text(self) -> str:
        return f"the {self.name}" if _needs_article(self.name) else self.name


@dataclass(frozen=True, slots=True)
class World:
    countries: tuple[Country, ...]
    organisations: tuple[tuple[str, str], ...]  # (name, code)
    groups: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GeneratedArticle:
    """One article as written; ``pages`` turns it into the document ingest reads."""

    id: str
    kind: Kind
    theme: str
    title: str
    summary: str
    section: str
    author: str
    site: str
    published: str  # ISO date
    url: str
    paragraphs: tuple[str, ...]  # the story, the first one opening with the dateline if any
    related: tuple[str, ...]
    comments: int

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def words(self) -> int:
        return len(self.text.split())


def _needs_article(name: str) -> bool:
    return name in _NAMES_WITH_THE or name.startswith(
        ("United ", "Democratic ", "Republic ", "Central African", "Dominican")
    )


def _data_file(name: str) -> Any:
    return resources.files("eventwire.resolve").joinpath(f"data/{name}")


def _json(name: str) -> Any:
    return json.loads(_data_file(name).read_text("utf-8"))


def _cities_by_country(capitals: Mapping[str, str]) -> dict[str, list[str]]:
    """The most populous towns of each country in the packaged gazetteer."""
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    with _data_file("gazetteer.v1.places.tsv.gz").open("rb") as raw:
        lines = gzip.decompress(raw.read()).decode("utf-8").splitlines()
    for line in lines:
        _id, name, country, _lat, _lon, population, kind = line.split("\t")
        if kind == "country" or not _NAME_CHARS.match(name) or name == capitals.get(country):
            continue
        found[country].append((int(population or 0), name))
    return {code: [n for _, n in sorted(rows, reverse=True)[:8]] for code, rows in found.items()}


def _short_name(name: str, aliases: Sequence[str]) -> str:
    tokens = name.split()
    for alias in sorted(aliases, key=len):
        if " " not in alias and alias in (tokens[0], tokens[-1]):
            return alias
    return tokens[-1]


def _people_by_country() -> dict[str, dict[str, list[Person]]]:
    found: dict[str, dict[str, list[Person]]] = defaultdict(lambda: defaultdict(list))
    for item in _json("people.v1.json")["people"]:
        for role in item.get("roles", []):
            if role.get("end") is not None:
                continue
            office = role["office"]
            title = _TITLES.get(office)
            if office == "head_of_state":
                title = role["title"] if 1 <= len(role.get("title", "").split()) <= 2 else "leader"
            if title is None or not _NAME_CHARS.match(item["name"]):
                continue
            short = _short_name(item["name"], item.get("aliases", []))
            found[role["country"]][office].append(Person(item["name"], short, office, title))
    return found


@cache
def load_world() -> World:
    """Countries, office holders, organisations and groups from the knowledge base."""
    raw_countries = _json("countries.v1.json")["countries"]
    capitals = {c["code"]: c.get("capital") or "" for c in raw_countries}
    cities = _cities_by_country(capitals)
    people = _people_by_country()
    countries = []
    for item in sorted(raw_countries, key=lambda c: c["code"]):
        adjectives = item.get("adjectives") or []
        capital = item.get("capital")
        if not adjectives or not capital or not _NAME_CHARS.match(item["name"]):
            continue
        holders = {office: tuple(found) for office, found in people.get(item["code"], {}).items()}
        # Newsworthy states (many office holders known) come up more often.
        weight = 1.0 + 3.0 * sum(len(found) for found in holders.values())
        countries.append(
            Country(
                code=item["code"],
                name=item["name"],
                adjective=adjectives[0],
                capital=capital,
                cities=tuple(cities.get(item["code"], [])),
                people=holders,
                weight=weight,
            )
        )
    organisations = {
        o.get("code"): o["name"] for o in _json("organizations.v1.json")["organizations"]
    }
    groups = [
        g["name"]
        for g in _json("groups.v1.json")["groups"]
        if g.get("kind") == "armed" and _NAME_CHARS.match(g["name"])
    ]
    return World(
        countries=tuple(countries),
        organisations=tuple((organisations[c], c) for c in _ORG_CODES if c in organisations),
        groups=tuple(groups),
    )


@cache
def load_templates() -> dict[str, Any]:
    with _TEMPLATES.open("rb") as stream:
        return tomllib.load(stream)


@dataclass(slots=True)
class _Story:
    """The cast of one article and what has been said about them so far."""

    rng: random.Random
    world: World
    words: Mapping[str, Sequence[str]]
    published: date
    countries: dict[str, Country]
    people: dict[str, Person] = field(default_factory=dict)
    mentioned: set[str] = field(default_factory=set)
    recording: bool = True  # headlines and standfirsts do not count as first mentions
    invented: dict[str, str] = field(default_factory=dict)

    # People -----------------------------------------------------------------------

    def _invented_name(self) -> str:
        return (
            f"{self.rng.choice(self.words['first_name'])} {self.rng.choice(self.words['surname'])}"
        )

    def _person(self, side: str, role: str) -> Person:
        key = f"{side}_{role}"
        if key in self.people:
            return self.people[key]
        country = self.countries[side]
        offices = {"leader": _LEADER_OFFICES, "fm": ("foreign_minister",)}.get(
            role, ("defence_minister",)
        )
        holders = [p for office in offices for p in country.people.get(office, ())]
        if holders:
            person = self.rng.choice(holders)
        else:  # a state the knowledge base knows no office holder of
            name = self._invented_name()
            office = offices[0] if offices[0] != "head_of_state" else "president"
            person = Person(name, name.split()[-1], office, _TITLES[office])
        self.people[key] = person
        return person

    def _first_mention(self, key: str) -> bool:
        first = key not in self.mentioned
        if self.recording:
            self.mentioned.add(key)
        return first

    def person(self, side: str, role: str) -> str:
        person = self._person(side, role)
        country = self.countries[side]
        if not self._first_mention(f"{side}_{role}"):
            return person.short
        if self.rng.random() < 0.7:
            return f"{country.adjective} {person.title} {person.name}"
        return f"{country.in_text}'s {person.title.lower()} {person.name}"

    def reference(self, side: str) -> str:
        person = self._person(side, "leader")
        return f"the {self.countries[side].adjective} {person.title.lower()}"

    def named_once(self, key: str, first: str, later: str) -> str:
        return first if self._first_mention(key) else later

    def spokesperson(self, side: str) -> str:
        name = self.invented.setdefault(f"{side}_spokes", self._invented_name())
        adjective = self.countries[side].adjective
        ministry = self.rng.choice(("foreign ministry", "defence ministry", "government"))
        return self.named_once(
            f"{side}_spokes", f"{adjective} {ministry} spokesperson {name}", name.split()[-1]
        )

    def analyst(self) -> str:
        name = self.invented.setdefault("analyst", self._invented_name())
        institute = self.rng.choice(self.words["institute"])
        return self.named_once(
            "analyst", f"{name}, an analyst at the {institute},", name.split()[-1]
        )

    # Everything else -------------------------------------------------------------

    def organisation(self) -> str:
        name, code = self.rng.choice(self.world.organisations)
        if code in _BARE_ACRONYMS:
            return code
        if code in _INITIALISMS and self.rng.random() < 0.5:
            return f"the {code}"
        return f"the {name}"

    def group(self) -> str:
        name = self.rng.choice(self.world.groups)
        plural = name.endswith("s") and not name.endswith("ss")
        if plural or name == "Taliban" or name.endswith(_GROUP_THE_WORDS):
            return f"the {name}"
        return name

    def city(self, side: str) -> str:
        country = self.countries[side]
        return self.rng.choice(country.cities) if country.cities else country.capital

    def past_when(self) -> str:
        day = self.published - timedelta(days=self.rng.randint(1, 20))
        return self.rng.choice(
            (
                f"on {_WEEKDAYS[day.weekday()]}",
                "last week",
                "earlier this month",
                f"on {day.day} {_MONTHS[day.month - 1]}",
                "overnight",
                f"late on {_WEEKDAYS[day.weekday()]}",
                "this week",
            )
        )

    def future_when(self) -> str:
        month = _MONTHS[(self.published.month + self.rng.randint(0, 4)) % 12]
        return self.rng.choice(
            (
                "next month",
                f"in {month}",
                "later this year",
                "next week",
                f"on {self.rng.choice(_WEEKDAYS)}",
                "early next year",
            )
        )

    def fill(self, slot: str) -> str:
        rng = self.rng
        side, _, rest = slot.partition("_")
        if side in self.countries:
            country = self.countries[side]
            if not rest:
                return country.in_text
            if rest == "adj":
                return country.adjective
            if rest == "cap":
                return country.capital
            if rest == "city":
                return self.city(side)
            if rest in {"leader", "fm", "dm"}:
                return self.person(side, rest)
            if rest == "leader_ref":
                return self.reference(side)
            if rest == "spokes":
                return self.spokesperson(side)
            if rest == "gov":
                return rng.choice(
                    (
                        f"the {country.adjective} government",
                        country.capital,
                        f"the government in {country.capital}",
                    )
                )
            if rest == "troops":
                return f"{country.adjective} {rng.choice(('troops', 'forces', 'soldiers'))}"
            if rest == "officials":
                return rng.choice(
                    (f"{country.adjective} officials", f"officials in {country.capital}")
                )
            if rest == "diplomats":
                return f"{country.adjective} diplomats"
        if slot == "analyst":
            return self.analyst()
        if slot in {"org", "org2"}:
            return self.organisation()
        if slot == "group":
            return self.group()
        if slot == "agency":
            return rng.choice(_AGENCIES)
        if slot == "past_when":
            return self.past_when()
        if slot == "future_when":
            return self.future_when()
        if slot == "weekday":
            return rng.choice(_WEEKDAYS)
        if slot == "month":
            return rng.choice(_MONTHS)
        if slot == "past_year":
            return str(rng.randint(1992, self.published.year - 2))
        if slot == "num_word":
            return rng.choice(_NUMBER_WORDS)
        if slot == "num":
            return str(rng.randint(3, 95))
        if slot == "num_big":
            return f"{rng.randint(12, 900) * 100:,}"
        if slot == "money":
            if rng.random() < 0.7:
                return f"${rng.randint(5, 900)} million"
            return f"€{rng.randint(1, 9)}.{rng.randint(1, 9)} billion"
        if slot == "pct":
            return f"{rng.randint(1, 40)}.{rng.randint(0, 9)}"
        if slot == "km":
            return str(rng.randint(2, 40) * 10)
        if slot in self.words:
            return rng.choice(self.words[slot])
        raise KeyError(f"templates.v1.toml uses an unknown slot {{{slot}}}")

    def sentence(self, template: str) -> str:
        parts = []
        for literal, slot, _spec, _conv in string.Formatter().parse(template):
            parts.append(literal)
            if slot is not None:
                parts.append(self.fill(slot))
        text = re.sub(r",([.?!])", r"\1", "".join(parts))
        return _capitalised(text)


def _capitalised(text: str) -> str:
    for index, char in enumerate(text):
        if char.isalpha():
            return text[:index] + char.upper() + text[index + 1 :]
    return text


def _dateline(story: _Story) -> str:
    a, b = story.countries["a"], story.countries["b"]
    place = story.rng.choice((a.capital, a.capital, story.city("a")))
    form = story.rng.randrange(4)
    if form == 0:
        return f"{place.upper()} ({story.rng.choice(_DATELINE_AGENCIES)}) — "
    if form == 1:
        return f"{place.upper()}: "
    if form == 2:
        return f"{place.upper()}, {a.name} — "
    return f"{a.capital.upper()}/{b.capital.upper()}: "


def _length(rng: random.Random) -> int:
    drawn = rng.lognormvariate(math.log(_MEDIAN_WORDS), _LENGTH_SIGMA)
    return int(min(MAX_WORDS, max(MIN_WORDS, drawn)))


def _pick_countries(rng: random.Random, world: World) -> dict[str, Country]:
    weights = [c.weight for c in world.countries]
    chosen: list[Country] = []
    while len(chosen) < 3:
        country = rng.choices(world.countries, weights=weights)[0]
        if country not in chosen:
            chosen.append(country)
    return dict(zip("abc", chosen, strict=True))


class _Deck:
    """Templates drawn without repeats until all have been used."""

    def __init__(self, rng: random.Random, templates: Sequence[str]) -> None:
        self.rng = rng
        self.templates = list(templates)
        self.left: list[str] = []

    def draw(self) -> str:
        if not self.left:
            self.left = list(self.templates)
            self.rng.shuffle(self.left)
        return self.left.pop()


def _kind(rng: random.Random) -> Kind:
    point = rng.random()
    for kind, share in KIND_SHARES:
        if point < share:
            return kind
        point -= share
    return KIND_SHARES[-1][0]


def generate_article(index: int, seed: int = DEFAULT_SEED) -> GeneratedArticle:
    """Article number ``index`` of the corpus with this seed."""
    rng = random.Random(f"eventwire-bench:{seed}:{index}")
    world, templates = load_world(), load_templates()
    themes = sorted(templates["themes"])
    theme = rng.choice(themes)
    published = date(2019, 1, 1) + timedelta(days=rng.randrange(6 * 365))
    story = _Story(rng, world, templates["words"], published, _pick_countries(rng, world))
    own = templates["themes"][theme]
    common = templates["common"]
    decks = {
        "event": _Deck(rng, own["events"]),
        "other": _Deck(
            rng,
            [t for name in themes if name != theme for t in templates["themes"][name]["events"]],
        ),
        "background": _Deck(rng, common["background"]),
        "quote": _Deck(rng, common["quote"]),
        "reaction": _Deck(rng, common["reaction"]),
    }

    story.recording = False
    title = story.sentence(rng.choice(own["headline"]))
    summary = story.sentence(rng.choice(own["standfirst"]))
    story.recording = True

    target = _length(rng)
    lead = story.sentence(rng.choice(own["lead"]))
    if rng.random() < 0.75:
        lead = _dateline(story) + lead
    paragraphs = [lead]
    words = len(lead.split())
    shares = (
        ("event", 0.38),
        ("other", 0.08),
        ("background", 0.3),
        ("quote", 0.14),
        ("reaction", 0.1),
    )
    while words < target:
        deck = rng.choices([name for name, _ in shares], weights=[w for _, w in shares])[0]
        count = 1 if deck == "quote" else rng.choice((1, 1, 2, 2, 3))
        paragraph = " ".join(story.sentence(decks[deck].draw()) for _ in range(count))
        size = len(paragraph.split())
        if words + size > MAX_WORDS and words >= MIN_WORDS:
            break
        paragraphs.append(paragraph)
        words += size

    words_list = templates["words"]
    author = f"{rng.choice(words_list['first_name'])} {rng.choice(words_list['surname'])}"
    article_id = f"bench-{index:06d}"
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
    site = rng.choice(words_list["site"])
    domain = re.sub(r"[^a-z]", "", site.lower()) + ".example"
    return GeneratedArticle(
        id=article_id,
        kind=_kind(rng),
        theme=theme,
        title=title,
        summary=summary,
        section=rng.choice(words_list["section"]),
        author=author,
        site=site,
        published=published.isoformat(),
        url=f"https://www.{domain}/{published:%Y/%m/%d}/{slug}-{index}",
        paragraphs=tuple(paragraphs),
        related=tuple(rng.sample(words_list["related"], 3)),
        comments=rng.randint(0, 250),
    )


def generate(count: int, seed: int = DEFAULT_SEED, start: int = 0) -> Iterator[GeneratedArticle]:
    """Articles ``start`` … ``start + count - 1`` of the corpus with this seed."""
    for index in range(start, start + count):
        yield generate_article(index, seed)


def write_corpus(
    articles: Iterator[GeneratedArticle], directory: Path, chunks: int = 1
) -> list[Path]:
    """Write articles as files ingest reads (one ``records.jsonl`` per chunk, one file
    per page) into ``chunks`` sub-directories, dealing articles round-robin."""
    from benchmarks.pages import render

    folders = [directory / f"chunk-{n:02d}" for n in range(chunks)]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    records = [(folder / "records.jsonl").open("w", encoding="utf-8") for folder in folders]
    try:
        for number, article in enumerate(articles):
            folder, stream = folders[number % chunks], records[number % chunks]
            name, content = render(article)
            if name is None:
                stream.write(content + "\n")
            else:
                (folder / name).write_text(content, encoding="utf-8")
    finally:
        for stream in records:
            stream.close()
    return folders


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the generated benchmark corpus.")
    parser.add_argument("--count", type=int, default=2000, help="number of articles")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, required=True, help="directory to write")
    parser.add_argument("--show", type=int, default=0, help="print this many articles instead")
    options = parser.parse_args()
    if options.show:
        for article in generate(options.show, options.seed):
            print(f"# {article.id} [{article.kind}, {article.theme}, {article.words} words]")
            print(article.title, "\n")
            print(article.text, "\n")
        return
    write_corpus(generate(options.count, options.seed), options.out)
    print(f"wrote {options.count} articles to {options.out}")


if __name__ == "__main__":
    main()
