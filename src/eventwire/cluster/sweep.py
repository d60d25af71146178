"""Reports of one block → groups, and each group's cluster row.

The sweep visits reports in (day, event id) order. A report joins the first open
group whose place is compatible (same country and city, or one of them unknown);
otherwise it opens a group anchored on its own day. A group closes once the sweep
is more than ``window`` days past its anchor, so a group never spans more than the
window: daily reports of a war do not chain into one endless "event".

Because the order depends only on the reports themselves, the same reports give
the same groups whatever order they were ingested in, and the cluster id (a hash
of the block key and the anchor report) does not depend on insertion order.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eventwire.cluster.reports import Report
from eventwire.model import STATUSES, Status
from eventwire.store.clusters import ArticleFacts


@dataclass(slots=True)
class _Open:
    anchor: Report
    country: str | None
    city: int | None
    members: list[Report] = field(default_factory=list)

    def accepts(self, report: Report) -> bool:
        return _same(self.country, report.country) and _same(self.city, report.city)

    def add(self, report: Report) -> None:
        self.members.append(report)
        self.country = self.country or report.country
        self.city = self.city or report.city


def _same(a: object, b: object) -> bool:
    return a is None or b is None or a == b


def sweep(reports: Iterable[Report], window: int) -> list[list[Report]]:
    """Groups of ``reports`` (one block), in anchor order."""
    done: list[_Open] = []
    open_groups: list[_Open] = []
    for report in sorted(reports, key=lambda r: r.order):
        still_open: list[_Open] = []
        for group in open_groups:
            (still_open if report.day - group.anchor.day <= window else done).append(group)
        open_groups = still_open
        target = next((g for g in open_groups if g.accepts(report)), None)
        if target is None:
            target = _Open(report, None, None)
            open_groups.append(target)
        target.add(report)
    done.extend(open_groups)
    done.sort(key=lambda g: g.anchor.order)
    return [g.members for g in done]


def cluster_id(key: str, anchor: Report) -> str:
    return "cl_" + hashlib.sha1(f"{key}|{anchor.event_id}".encode()).hexdigest()[:16]


def _combined_status(counts: Mapping[Status, int]) -> Status:
    # The status most sources give; on a tie the more certain one (STATUSES order).
    return min(counts, key=lambda s: (-counts[s], STATUSES.index(s)))


def cluster_row(members: Sequence[Report], facts: Mapping[str, ArticleFacts]) -> dict[str, Any]:
    """The clusters-table row of one group (``members`` in sweep order)."""
    anchor = members[0]
    articles = sorted({m.article_id for m in members})
    statuses: Counter[Status] = Counter()
    for _, status in {(m.article_id, m.status) for m in members}:
        statuses[status] += 1
    known = [facts[a] for a in articles if a in facts]
    dates = sorted(m.date for m in members if m.date)
    published = sorted(f.published for f in known if f.published)
    sources = sorted({f.outlet for f in known})
    ordered = {s: statuses[s] for s in STATUSES if statuses[s]}
    return {
        "id": cluster_id(anchor.key, anchor),
        "key": anchor.key,
        "type": anchor.type,
        "actor_codes": " ".join(anchor.actors),
        "recipient_codes": " ".join(anchor.recipients),
        "date_first": dates[0] if dates else None,
        "date_last": dates[-1] if dates else None,
        "country": next((m.country for m in members if m.country), None),
        "status": _combined_status(ordered),
        "status_counts": json.dumps(ordered),
        "n_events": len(members),
        "n_articles": len(articles),
        "n_sources": len(sources),
        "n_independent": len({f.original for f in known}),
        "sources": json.dumps(sources, ensure_ascii=False),
        "first_seen": published[0] if published else None,
        "added_at": min((f.ingested_at for f in known), default=None),
        "anchor_event": anchor.event_id,
    }
