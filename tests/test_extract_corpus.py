"""extract on the sample corpus and the seed: every "article" check of every gold file passes.

The checks are scored by ``eventwire.evaluate.scoring.score`` exactly as
``eventwire eval`` scores them (GOLD.md), on the extracted article alone: no
spaCy, no events. One test per gold file, named by the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEED_DIR

# The input of a gold file (a whole file, or one record of a batch or feed) is found
# by the function ``eventwire eval`` uses, so both score the same document.
from eventwire.evaluate import _document as gold_document
from eventwire.evaluate import read_gold
from eventwire.evaluate.scoring import score
from eventwire.extract import extract_article
from eventwire.model import Result

CORPUS_DIR = Path(__file__).resolve().parents[1] / "src" / "eventwire" / "sample" / "corpus"
SEED_GOLD = SEED_DIR / "putin-north-korea.gold.json"
GOLD_FILES = [*sorted(CORPUS_DIR.glob("*.gold.json")), SEED_GOLD]


def test_the_corpus_is_there() -> None:
    assert len(GOLD_FILES) > 1
    assert SEED_GOLD.is_file()


@pytest.mark.parametrize("path", GOLD_FILES, ids=[p.name for p in GOLD_FILES])
def test_every_article_check_passes(path: Path) -> None:
    gold = read_gold(path)
    article = extract_article(gold_document(gold, None))

    counts = score(Result(article=article, sentences=(), events=()), gold)

    failures = [n for n in counts.notes if "article check" in n or "chrome left" in n]
    details = {
        "title": article.title,
        "section": article.section,
        "dateline": article.dateline,
        "published": article.published,
        "summary": (article.summary or "")[:120],
        "text_starts": article.text[:120],
        "text_ends": article.text[-120:],
        "comment_count": article.comment_count,
    }
    assert counts.article_n > 0, f"{path.name} has no article checks"
    assert counts.article_ok == counts.article_n, f"{failures}\nextracted: {details}"
