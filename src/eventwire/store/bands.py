"""LSH bands of a MinHash signature, as stored in ``article_bands``.

A signature is 128 little-endian uint32 hash values (``cluster.duplicates``). LSH
splits them into 37 bands of 3 rows, the split datasketch chooses for a Jaccard
threshold of 0.3 with 128 permutations (``tests/test_cluster.py`` checks that it
still does). Two articles are candidates when any band is equal; each band is
stored as a 64-bit hash of its number and its rows, so that a value alone names a
band (one index on the value serves the lookup), and the rare collisions only add a
candidate that the Jaccard check then drops.
"""

from __future__ import annotations

import hashlib

BANDS = 37
ROWS = 3
_BAND_BYTES = 4 * ROWS


def band_values(signature: bytes) -> list[int]:
    """One signed 64-bit value per band (BIGINT in either database)."""
    return [
        int.from_bytes(
            hashlib.blake2b(
                bytes([band]) + signature[band * _BAND_BYTES : (band + 1) * _BAND_BYTES],
                digest_size=8,
            ).digest(),
            "little",
            signed=True,
        )
        for band in range(BANDS)
    ]
