"""Is this article in English? A cheap function-word test, with py3langid to name others.

The function-word ratio decides for almost every news article in microseconds;
py3langid (slow to load) is consulted only when that ratio is low, to say which
language the article is in.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ENGLISH_FUNCTION_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "with",
        "as",
        "was",
        "by",
        "at",
        "from",
        "it",
        "his",
        "her",
        "its",
        "their",
        "be",
        "has",
        "have",
        "had",
        "are",
        "were",
        "said",
        "not",
        "this",
        "which",
        "or",
        "an",
        "but",
        "will",
        "would",
        "who",
        "after",
        "they",
        "he",
        "she",
    ]
)
_CLEARLY_ENGLISH = 0.20
_SAMPLE_WORDS = 400
_SHORT_TEXT_WORDS = 40
_SHORT_TEXT_MARGIN = 25.0  # log-probability points


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language ("en" for English)."""
    words = _WORD.findall(text[:20_000])[:_SAMPLE_WORDS]
    if not words:
        return "und"
    ratio = sum(1 for w in words if w.lower() in _ENGLISH_FUNCTION_WORDS) / len(words)
    if ratio >= _CLEARLY_ENGLISH:
        return "en"
    import py3langid  # imported here: loading its model takes most of a second

    ranked = py3langid.rank(" ".join(words))
    language, score = ranked[0]
    if len(words) < _SHORT_TEXT_WORDS and language != "en":
        # A sentence or two of names ("Mohammed bin Salman hosted Trump in Riyadh")
        # says little; only a clear margin over English counts as another language.
        english = next((s for lang, s in ranked if lang == "en"), None)
        if english is not None and score - english < _SHORT_TEXT_MARGIN:
            return "en"
    return str(language)
