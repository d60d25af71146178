"""watch: watchlist rules, alerts once per event cluster, and the feed-polling loop.

The library behind ``eventwire watch`` and ``eventwire watchlist``; the CLI and the
web pages call these functions and nothing else. Every function takes an open
:class:`~eventwire.store.Store`.

Rules (:mod:`eventwire.watch.rules`, :mod:`eventwire.watch.watchlist`):

- :func:`make_rule` builds a checked :class:`Rule` (ConfigError names the bad value);
- :func:`add_rule`, :func:`list_rules`, :func:`get_rule`, :func:`remove_rule` keep
  rules in the database; :func:`load_rules_file` reads a TOML file
  (``docs/watch.md``); :func:`active_rules` is what a watch runs (both, merged);
- :func:`rule_matches` says whether a cluster passes a rule's filters.

Alerts (:mod:`eventwire.watch.alerts`):

- :func:`check_clusters` runs rules over clusters and stores the alerts: one per
  cluster and rule, plus an ``update`` when the cluster's combined status changes;
- :func:`alerts_since` (after an id, oldest first), :func:`latest_alerts`,
  :func:`get_alerts`, :func:`last_alert_id` read them, each :class:`Alert` with
  its JSON ``payload`` and :class:`Delivery` states;
- :func:`wait_for_alerts` (a thread) and :func:`wait_for_alerts_async` (an event
  loop, e.g. an SSE stream) return new alerts as soon as there are some.

Delivery and the loop: :class:`Dispatcher` (stdout, JSONL files, webhooks with
retries in a background thread; :meth:`Dispatcher.resume` delivers whatever is
pending), :class:`Watcher` (one cycle: poll, ingest, check, deliver;
:meth:`Watcher.run` loops), :func:`read_feeds_file`, :class:`DatabaseFeedStates`
(feed state across restarts) and :func:`list_feed_states` (each feed's
:class:`FeedState`, for a status page).

The names in ``__all__`` are the stable API; the modules' other functions may change.
See ``docs/watch.md`` for the command, the rules file and the alert JSON.
"""

from __future__ import annotations

from eventwire.ingest.web import FeedState
from eventwire.watch.alerts import (
    Alert,
    Delivery,
    alerts_since,
    check_clusters,
    check_new_reports,
    get_alerts,
    last_alert_id,
    latest_alerts,
    wait_for_alerts,
    wait_for_alerts_async,
)
from eventwire.watch.delivery import Dispatcher
from eventwire.watch.feeds import DatabaseFeedStates, list_feed_states, read_feeds_file
from eventwire.watch.loop import CycleReport, Watcher
from eventwire.watch.rules import Output, Rule, load_rules_file, make_rule, rule_matches
from eventwire.watch.watchlist import active_rules, add_rule, get_rule, list_rules, remove_rule

__all__ = [
    "Alert",
    "CycleReport",
    "DatabaseFeedStates",
    "Delivery",
    "Dispatcher",
    "FeedState",
    "Output",
    "Rule",
    "Watcher",
    "active_rules",
    "add_rule",
    "alerts_since",
    "check_clusters",
    "check_new_reports",
    "get_alerts",
    "get_rule",
    "last_alert_id",
    "latest_alerts",
    "list_feed_states",
    "list_rules",
    "load_rules_file",
    "make_rule",
    "read_feeds_file",
    "remove_rule",
    "rule_matches",
    "wait_for_alerts",
    "wait_for_alerts_async",
]
