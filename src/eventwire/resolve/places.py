"""Place names → gazetteer entries with coordinates, country and precision.

The index (``data/gazetteer.v1.*.tsv.gz``, built by ``tools/build_gazetteer.py`` from
GeoNames) holds every country and every town of 5,000 people or more, with the
Latin-script names news uses; ``data/regions.v1.json`` adds regions that make news
(Donbas, Gaza Strip, Tigray…). It is read lazily, on the first place looked up.
A country-level match has no coordinates: eventwire never puts an event at a
country's centroid silently.
"""

from __future__ import annotations

import bisect
import gzip
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from eventwire.model import Place, PlacePrecision
from eventwire.resolve.kb import fold


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    geonameid: int | None
    name: str
    country: str
    lat: float | None
    lon: float | None
    population: int
    precision: PlacePrecision


class Gazetteer:
    """Sorted folded names (binary search) over place rows parsed on first use."""

    def __init__(self, rows: list[str], names: list[str], extra: list[GazetteerEntry]) -> None:
        self._rows = rows
        self._names = names
        self._extra = extra  # regions, addressed as rows len(rows)…
        self._parsed: dict[int, GazetteerEntry] = {}

    def __len__(self) -> int:
        return len(self._rows) + len(self._extra)

    def _entry(self, number: int) -> GazetteerEntry:
        if number >= len(self._rows):
            return self._extra[number - len(self._rows)]
        entry = self._parsed.get(number)
        if entry is None:
            geonameid, name, country, lat, lon, population, kind = self._rows[number].split("\t")
            entry = GazetteerEntry(
                int(geonameid),
                name,
                country,
                float(lat) if lat else None,
                float(lon) if lon else None,
                int(population or 0),
                "country" if kind == "country" else "city",
            )
            self._parsed[number] = entry
        return entry

    def candidates(self, text: str) -> list[GazetteerEntry]:
        key = fold(text) + "\t"
        found = []
        index = bisect.bisect_left(self._names, key)
        while index < len(self._names) and self._names[index].startswith(key):
            found.append(self._entry(int(self._names[index][len(key) :])))
            index += 1
        return found

    def best(self, text: str, countries_in_view: tuple[str, ...] = ()) -> GazetteerEntry | None:
        """The most plausible place called ``text``.

        Countries win over towns of the same name; then places in a country the
        article already mentions; then regions; then the most populous, where a
        place known by ``text`` only as an old or other name counts a tenth of its
        people ("Islamabad" is Pakistan's capital, not Chattogram's former name).
        """
        found = self.candidates(text)
        if not found:
            return None
        in_view = set(countries_in_view)
        key = fold(text)
        return min(
            found,
            key=lambda e: (
                e.precision != "country",
                e.country not in in_view,
                e.precision != "region",
                -(e.population if fold(e.name) == key else e.population / _OTHER_NAME_DISCOUNT),
            ),
        )

    def find(self, text: str, countries_in_view: tuple[str, ...] = ()) -> Place | None:
        best = self.best(text, countries_in_view)
        if best is None:
            return None
        return Place(
            text=text,
            name=best.name,
            country=best.country,
            geonameid=best.geonameid,
            lat=best.lat,
            lon=best.lon,
            precision=best.precision,
        )


# How much less a place counts when the name read is not its own (see Gazetteer.best).
_OTHER_NAME_DISCOUNT = 10


def _data(name: str) -> resources.abc.Traversable:
    return resources.files("eventwire.resolve").joinpath(f"data/{name}")


def _lines(name: str) -> list[str]:
    with _data(name).open("rb") as raw:
        return gzip.decompress(raw.read()).decode("utf-8").splitlines()


@cache
def load_gazetteer() -> Gazetteer:
    rows = _lines("gazetteer.v1.places.tsv.gz")
    names = _lines("gazetteer.v1.names.tsv.gz")
    extra: list[GazetteerEntry] = []
    regions = _data("regions.v1.json")
    if regions.is_file():
        added: list[str] = []
        for item in json.loads(regions.read_text("utf-8")).get("regions", []):
            number = len(rows) + len(extra)
            extra.append(
                GazetteerEntry(
                    item.get("geonameid"),
                    item["name"],
                    item["country"],
                    item.get("lat"),
                    item.get("lon"),
                    0,
                    "region",
                )
            )
            added.extend(f"{fold(n)}\t{number}" for n in {item["name"], *item.get("aliases", [])})
        # Plain string order equals name order here: names hold no tab, and a tab
        # sorts before every character a name may continue with.
        names = sorted(names + added) if added else names
    return Gazetteer(rows, names, extra)
