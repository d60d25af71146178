"""Scoring one result against one gold file, exactly as ``GOLD.md`` defines.

Counts are kept (not ratios) so that totals over many files are micro-averages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields

from eventwire.evaluate.gold import Gold, GoldEvent, GoldMention
from eventwire.model import Actor, Event, Result

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "′": "'", "`": "'"})


def fold_quote(text: str) -> str:
    """Curly quotes and apostrophes to ASCII, whitespace collapsed."""
    return " ".join(text.translate(_QUOTES).split())


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    type_tp: int = 0
    type_fp: int = 0
    type_fn: int = 0
    status_ok: int = 0
    status_n: int = 0
    attribution_ok: int = 0
    attribution_n: int = 0
    denial_ok: int = 0
    denial_n: int = 0
    mode_ok: int = 0
    mode_n: int = 0
    date_ok: int = 0
    date_n: int = 0
    place_ok: int = 0
    place_n: int = 0
    actor_ok: int = 0
    actor_n: int = 0
    gazetteer_ok: int = 0
    gazetteer_n: int = 0
    article_ok: int = 0
    article_n: int = 0
    notes: list[str] = field(default_factory=list)

    def __add__(self, other: Counts) -> Counts:
        total = Counts()
        for f in fields(Counts):
            if f.name != "notes":
                setattr(total, f.name, getattr(self, f.name) + getattr(other, f.name))
        total.notes = self.notes + other.notes
        return total

    def scores(self) -> dict[str, float | None]:
        def ratio(ok: int, n: int) -> float | None:
            return round(ok / n, 4) if n else None

        def f1(tp: int, fp: int, fn: int) -> tuple[float | None, float | None, float | None]:
            precision = tp / (tp + fp) if tp + fp else None
            recall = tp / (tp + fn) if tp + fn else None
            if precision is None or recall is None:
                return precision, recall, None
            score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            return round(precision, 4), round(recall, 4), round(score, 4)

        p, r, f = f1(self.tp, self.fp, self.fn)
        tp_, tr, tf = f1(self.type_tp, self.type_fp, self.type_fn)
        return {
            "event_precision": p,
            "event_recall": r,
            "event_f1": f,
            "type_precision": tp_,
            "type_recall": tr,
            "type_f1": tf,
            "status_accuracy": ratio(self.status_ok, self.status_n),
            "attribution_accuracy": ratio(self.attribution_ok, self.attribution_n),
            "denial_accuracy": ratio(self.denial_ok, self.denial_n),
            "mode_accuracy": ratio(self.mode_ok, self.mode_n),
            "date_accuracy": ratio(self.date_ok, self.date_n),
            "place_accuracy": ratio(self.place_ok, self.place_n),
            "actor_resolution": ratio(self.actor_ok, self.actor_n),
            "place_resolution": ratio(self.gazetteer_ok, self.gazetteer_n),
            "article_checks": ratio(self.article_ok, self.article_n),
        }


def _codes(actors: Iterable[Actor]) -> frozenset[str]:
    return frozenset(a.code for a in actors if a.code)


def _in_sentence(event: Event, quote: str) -> bool:
    return fold_quote(quote) in fold_quote(event.sentence.text)


def _parties_match(event: Event, gold: GoldEvent) -> bool:
    actors, recipients = _codes(event.actor), _codes(event.recipient)
    if gold.reciprocal:
        return actors | recipients == gold.actor | gold.recipient
    return actors == gold.actor and recipients == gold.recipient


def _match(
    events: list[Event], golds: list[GoldEvent], strict: bool
) -> list[tuple[GoldEvent, Event]]:
    """One-to-one matches; required gold events first, exact types before alternatives."""
    pairs: list[tuple[GoldEvent, Event]] = []
    used: set[int] = set()
    ordered = [g for g in golds if not g.optional] + [g for g in golds if g.optional]
    matched: set[int] = set()
    for exact in (True, False):
        for gold in ordered:
            if id(gold) in matched:
                continue
            allowed = {gold.type} if exact else set(gold.alt_types)
            for index, event in enumerate(events):
                if (
                    index in used
                    or event.type not in allowed
                    or not _in_sentence(event, gold.quote)
                ):
                    continue
                if strict and not _parties_match(event, gold):
                    continue
                pairs.append((gold, event))
                used.add(index)
                matched.add(id(gold))
                break
    return pairs


def _same_parties(extracted: Iterable[Actor], gold: frozenset[str]) -> bool:
    # Codes (RUS) and outlet names (Reuters, IRNA) compared without case: an outlet
    # written in capitals is still a name.
    found = {(a.code or a.name or a.text).lower() for a in extracted}
    return found == {g.lower() for g in gold}


def _mention_matches(text: str, mention: str) -> bool:
    def norm(value: str) -> str:
        value = fold_quote(value).lower()
        return re.sub(r"^(the|a|an) ", "", value)

    a, b = norm(text), norm(mention)
    if not a or not b:
        return False  # an actor with no text (authorities inferred from a place) names no mention
    return a == b or a.endswith(b) or b.endswith(a)


def _score_events(result: Result, gold: Gold, published: bool, counts: Counts) -> None:
    events = list(result.events)
    strict = _match(events, list(gold.events), strict=True)
    required = [g for g in gold.events if not g.optional]
    strict_required = [(g, e) for g, e in strict if not g.optional]
    matched_events = {id(e) for _, e in strict}
    counts.tp += len(strict_required)
    counts.fn += len(required) - len(strict_required)
    counts.fp += sum(1 for e in events if id(e) not in matched_events)
    for g in required:
        if all(g is not m for m, _ in strict_required):
            counts.notes.append(
                f"{gold.id}: missed {g.id} {g.type} {sorted(g.actor)}→{sorted(g.recipient)} "
                f"«{g.quote[:60]}»"
            )
    for e in events:
        if id(e) not in matched_events:
            counts.notes.append(
                f"{gold.id}: extra {e.type} "
                f"{sorted(_codes(e.actor))}→{sorted(_codes(e.recipient))} "
                f"({e.rule}, «{e.trigger.text}» in sentence {e.sentence.index})"
            )

    lenient = _match(events, list(gold.events), strict=False)
    lenient_required = [(g, e) for g, e in lenient if not g.optional]
    lenient_events = {id(e) for _, e in lenient}
    counts.type_tp += len(lenient_required)
    counts.type_fn += len(required) - len(lenient_required)
    counts.type_fp += sum(1 for e in events if id(e) not in lenient_events)

    for g, e in strict_required:
        if g.status is not None:
            counts.status_n += 1
            counts.status_ok += e.status == g.status
            if e.status != g.status:
                counts.notes.append(f"{gold.id}: {g.id} status {e.status}, gold {g.status}")
        if g.attributed_to:
            counts.attribution_n += 1
            same = _same_parties(e.attributed_to, g.attributed_to)
            counts.attribution_ok += same
            if not same:
                found = sorted(a.code or a.name or a.text for a in e.attributed_to)
                counts.notes.append(
                    f"{gold.id}: {g.id} attributed to {found}, gold {sorted(g.attributed_to)}"
                )
        if g.denied_by:
            counts.denial_n += 1
            same = _same_parties(e.denied_by, g.denied_by)
            counts.denial_ok += same
            if not same:
                found = sorted(a.code or a.name or a.text for a in e.denied_by)
                wanted = sorted(g.denied_by)
                counts.notes.append(f"{gold.id}: {g.id} denied by {found}, gold {wanted}")
        if g.mode is not None:
            counts.mode_n += 1
            counts.mode_ok += e.mode in {g.mode, *g.alt_modes}
            if e.mode not in {g.mode, *g.alt_modes}:
                counts.notes.append(f"{gold.id}: {g.id} mode {e.mode}, gold {g.mode}")
        _score_date(e, g, published, counts)
        if g.place_country is not None:
            counts.place_n += 1
            counts.place_ok += e.location.country == g.place_country
            if e.location.country != g.place_country:
                counts.notes.append(
                    f"{gold.id}: {g.id} place {e.location.country}, gold {g.place_country}"
                )


def _score_date(event: Event, gold: GoldEvent, published: bool, counts: Counts) -> None:
    value = event.date.value
    if published and gold.date_if_published:
        counts.date_n += 1
        counts.date_ok += bool(value and value.startswith(gold.date_if_published))
    elif gold.date:
        counts.date_n += 1
        counts.date_ok += bool(value and value.startswith(gold.date))
    elif gold.date_if_published and not published:
        counts.date_n += 1  # no publication date: the event must not invent one
        counts.date_ok += value is None


def _score_mentions(
    found: Iterable[tuple[str, str | None, str | None]],
    golds: tuple[GoldMention, ...],
    gold_id: str,
    with_sector: bool,
    record: Callable[[bool, GoldMention], None],
) -> None:
    found = list(found)
    for mention in golds:
        ok = any(
            _mention_matches(text, mention.mention)
            and code == mention.code
            and (not with_sector or sector == mention.sector)
            for text, code, sector in found
        )
        record(ok, mention)


def _score_article(result: Result, gold: Gold, counts: Counts) -> None:
    article = result.article
    checks: dict[str, bool] = {}
    expected = gold.article
    if "title" in expected:
        checks["title"] = fold_quote(article.title or "") == fold_quote(expected["title"] or "")
    if "section" in expected:
        checks["section"] = (article.section or None) == expected["section"]
    if "dateline" in expected:
        checks["dateline"] = list(article.dateline) == list(expected["dateline"] or [])
    if "published" in expected:
        checks["published"] = article.published == expected["published"]
    if "summary_starts" in expected:
        checks["summary"] = fold_quote(article.summary or "").startswith(
            fold_quote(expected["summary_starts"])
        )
    if "text_starts" in expected:
        checks["text_starts"] = fold_quote(article.text).startswith(
            fold_quote(expected["text_starts"])
        )
    if "text_ends" in expected:
        checks["text_ends"] = fold_quote(article.text).endswith(fold_quote(expected["text_ends"]))
    if "not_in_text" in expected:
        left = [s for s in expected["not_in_text"] if s in article.text]
        checks["not_in_text"] = not left
        if left:
            counts.notes.append(f"{gold.id}: chrome left in text: {left}")
    if "comment_count" in expected:
        checks["comment_count"] = article.comment_count == expected["comment_count"]
    for name, ok in checks.items():
        counts.article_n += 1
        counts.article_ok += ok
        if not ok and name != "not_in_text":
            counts.notes.append(f"{gold.id}: article check {name} failed")


def score(result: Result, gold: Gold, *, published: bool = False) -> Counts:
    """All GOLD.md scores of one result, as counts."""
    counts = Counts()
    _score_events(result, gold, published, counts)

    actors = [
        a for e in result.events for a in (*e.actor, *e.recipient, *e.attributed_to, *e.denied_by)
    ]
    actors.extend(result.mentions)

    def record_actor(ok: bool, mention: GoldMention) -> None:
        counts.actor_n += 1
        counts.actor_ok += ok
        if not ok:
            counts.notes.append(
                f"{gold.id}: actor «{mention.mention}» "
                f"not resolved to {mention.code}/{mention.sector}"
            )

    def record_place(ok: bool, mention: GoldMention) -> None:
        counts.gazetteer_n += 1
        counts.gazetteer_ok += ok
        if not ok:
            counts.notes.append(
                f"{gold.id}: place «{mention.mention}» not resolved to {mention.code}"
            )

    _score_mentions(
        ((a.text, a.code, a.sector) for a in actors), gold.actors, gold.id, True, record_actor
    )
    places = [(p.text or "", p.country, None) for p in result.places]
    places += [(e.location.text or "", e.location.country, None) for e in result.events]
    _score_mentions(places, gold.places, gold.id, False, record_place)
    _score_article(result, gold, counts)
    return counts
