"""Near-duplicate articles: syndicated and lightly edited copies of one story.

Signature ``minhash.v1``: MinHash over the set of word 3-grams of the lower-cased text, 128
permutations (datasketch, scheme affine32, seed 1), CRC-32 as the base hash (the
permutations do the mixing; SHA-1 per 3-gram cost more than all the rest).
Signatures are stored in ``article_signatures``, and the LSH bands of the originals'
signatures in ``article_bands`` (``eventwire.store.bands``): a new ingest finds
originals stored long ago through the database's index, with nothing held in memory.

A copy stays stored as a report of its own and points to its original through
``articles.duplicate_of``. The original of a group is its earliest-published
article (ties: the smaller id), so the answer does not depend on which copy was
ingested first; copies point straight at the original, never at another copy.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

# datasketch ships no type information (and pyproject's mypy overrides are not ours to edit)
from datasketch import MinHash
from sqlalchemy import Connection, delete, or_, select, update

from eventwire.store.bands import band_values
from eventwire.store.bulk import bulk_insert
from eventwire.store.schema import article_bands, article_signatures, articles

NUM_PERM = 128
# Estimated Jaccard similarity of 3-gram sets. A short wire story rerun with its own
# dateline, sign-off and two edited phrases scores 0.56-0.81 against the other copies;
# distinct reports of one event, written separately, score below 0.2.
THRESHOLD = 0.5
# LSH only proposes candidates, each then checked against THRESHOLD; tuned lower, so
# that copies near the threshold are not missed by chance (its false negatives). The
# band split of eventwire.store.bands is the one datasketch chooses for it.
LSH_THRESHOLD = 0.3
SHINGLE = 3
# Estimated Jaccard = the share of the NUM_PERM hash values that agree.
_AGREEING = THRESHOLD * NUM_PERM
MIN_SHINGLES = 5  # shorter texts are never called copies: too little to compare
_WORD = re.compile(r"\w+")


@cache
def _permutations() -> Any:
    # Computing the permutations costs more than hashing a whole article: do it once.
    return MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32", hashfunc=zlib.crc32).permutations


def _minhash() -> MinHash:
    return MinHash(
        num_perm=NUM_PERM,
        seed=1,
        scheme="affine32",
        permutations=_permutations(),
        hashfunc=zlib.crc32,
    )


def signature(text: str) -> MinHash | None:
    """MinHash of ``text``'s word 3-grams, or None when the text is too short."""
    words = _WORD.findall(text.lower())
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    if len(shingles) < MIN_SHINGLES:
        return None
    minhash = _minhash()
    # The minimum over a set does not depend on its order: no sort needed.
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return minhash


def to_bytes(minhash: MinHash) -> bytes:
    data: bytes = minhash.hashvalues.astype("<u4").tobytes()
    return data


def _values(minhash: MinHash) -> Any:
    return minhash.hashvalues.astype("<u4")


def _order(published: str | None, article_id: str) -> tuple[str, str]:
    return (published or "9999", article_id)  # undated articles are never older than dated ones


@dataclass(slots=True)
class DuplicateIndex:
    """Near-duplicate candidates of an article: the originals that share an LSH band
    with it, read from ``article_bands`` through its index. Nothing is kept in memory,
    however large the corpus (an in-memory LSH index grew by 11 MB per 1,000
    articles); one instance per run is kept for the callers that pass it around."""

    def candidates(self, connection: Connection, minhash: MinHash) -> list[str]:
        values = band_values(to_bytes(minhash))
        query = select(article_bands.c.article_id).where(article_bands.c.value.in_(values))
        query = query.distinct()
        return sorted(connection.execute(query).scalars())

    def add(self, connection: Connection, article_id: str, minhash: MinHash) -> None:
        values = band_values(to_bytes(minhash))
        rows = [{"article_id": article_id, "band": b, "value": v} for b, v in enumerate(values)]
        bulk_insert(connection, article_bands, rows)

    def forget(self, connection: Connection, article_id: str) -> None:
        connection.execute(delete(article_bands).where(article_bands.c.article_id == article_id))


def _originals(
    connection: Connection,
    candidates: Sequence[str],
    minhash: MinHash,
    fresh: Mapping[str, tuple[str | None, MinHash]],
) -> list[Mapping[Any, Any]]:
    """Candidates that are still originals and really similar (LSH only proposes).

    ``fresh`` holds the originals found in this call, not yet written."""
    if not candidates:
        return []
    found: list[Mapping[Any, Any]] = [
        {"id": c, "published": fresh[c][0]}
        for c in candidates
        if c in fresh and fresh[c][1].jaccard(minhash) >= THRESHOLD
    ]
    # Signatures first, articles only for the few that are similar: an article row
    # holds its text, and reading past it for every candidate cost more than the rest.
    query = select(article_signatures.c.article_id, article_signatures.c.signature).where(
        article_signatures.c.article_id.in_(candidates),
        article_signatures.c.signature.is_not(None),
    )
    rows = connection.execute(query).all()
    if not rows:
        return found
    # Compared as stored, all candidates in one array operation: a MinHash object per
    # candidate (datasketch parses its permutations each time) cost more than the
    # comparison itself.
    stored = np.frombuffer(b"".join(signature for _, signature in rows), dtype="<u4")
    equal = np.count_nonzero(stored.reshape(len(rows), NUM_PERM) == _values(minhash), axis=1)
    similar = [article_id for (article_id, _), same in zip(rows, equal, strict=True)
               if same >= _AGREEING]  # fmt: skip
    if not similar:
        return found
    still_originals = select(articles.c.id, articles.c.published).where(
        articles.c.id.in_(similar), articles.c.duplicate_of.is_(None)
    )
    return found + list(connection.execute(still_originals).mappings())


def mark_near_duplicates(
    connection: Connection, index: DuplicateIndex, only: Sequence[str] | None = None
) -> int:
    """Check the articles not yet checked (of ``only``, when given: finding them all
    reads every article id); returns how many are copies of another."""
    unchecked = (
        select(articles.c.id, articles.c.published, articles.c.text)
        .outerjoin(article_signatures, article_signatures.c.article_id == articles.c.id)
        .where(article_signatures.c.article_id.is_(None))
    )
    if only is not None:
        unchecked = unchecked.where(articles.c.id.in_(only))
    rows = sorted(
        connection.execute(unchecked).mappings(),
        key=lambda r: _order(r["published"], r["id"]),
    )
    copies = 0
    checked = []
    fresh: dict[str, tuple[str | None, MinHash]] = {}
    for row in rows:
        minhash = signature(row["text"])
        checked.append(
            {"article_id": row["id"], "signature": None if minhash is None else to_bytes(minhash)}
        )
        if minhash is None:
            continue
        candidates = [c for c in index.candidates(connection, minhash) if c != row["id"]]
        found = _originals(connection, candidates, minhash, fresh)
        if not found:
            index.add(connection, row["id"], minhash)
            fresh[row["id"]] = (row["published"], minhash)
            continue
        copies += 1
        original = min(found, key=lambda r: _order(r["published"], r["id"]))
        if _order(row["published"], row["id"]) < _order(original["published"], original["id"]):
            # The newcomer is older than the original: it takes the original's place.
            connection.execute(
                update(articles)
                .where(
                    or_(articles.c.id == original["id"], articles.c.duplicate_of == original["id"])
                )
                .values(duplicate_of=row["id"])
            )
            index.forget(connection, original["id"])
            fresh.pop(original["id"], None)
            index.add(connection, row["id"], minhash)
            fresh[row["id"]] = (row["published"], minhash)
        else:
            connection.execute(
                update(articles)
                .where(articles.c.id == row["id"])
                .values(duplicate_of=original["id"])
            )
    bulk_insert(connection, article_signatures, checked)  # one statement, not one per article
    return copies
