"""The database schema (SQLAlchemy Core), the same for SQLite and PostgreSQL.

This is the *current* schema. A new database is created from it directly and
stamped with every migration; an older one is brought here by the named
migrations in :mod:`eventwire.store.migrations`.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
    literal_column,
    text,
)

# Registers PostgreSQL's full-text functions (to_tsvector…) before func.to_tsvector is
# used below; without it SQLAlchemy refuses to compile them.
from sqlalchemy.dialects import postgresql  # noqa: F401

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("applied_at", String(40), nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("title", Text),
    Column("summary", Text),
    Column("section", Text),
    Column("author", Text),
    Column("published", String(10)),
    Column("dateline", Text, nullable=False),  # JSON list
    Column("agency", Text),
    Column("language", String(12), nullable=False),
    Column("comment_count", Integer),
    Column("site_name", Text),
    Column("extractor", String(100), nullable=False),
    Column("text", Text, nullable=False),
    Column("ingested_at", String(40), nullable=False),
    # A near-duplicate (syndicated or lightly edited copy) points to its original.
    Column("duplicate_of", String(200)),
    # Migration 0007 (it replaced ix_articles_published): lists by publication date read
    # the index, and a title search scans it instead of every article's row and text.
    Index("ix_articles_published_title", "published", "title"),
    Index("ix_articles_duplicate_of", "duplicate_of"),
)

# MinHash signature of each article's text; a row means "checked for near-duplicates".
# The signature is NULL for texts too short to compare.
article_signatures = Table(
    "article_signatures",
    metadata,
    Column(
        "article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("signature", LargeBinary),
)

# Migration 0008. The LSH bands of every original article's signature: near-duplicate
# candidates are the originals that share a band value with an article, found through
# the index, so that no process keeps an index of the whole corpus in memory.
article_bands = Table(
    "article_bands",
    metadata,
    Column(
        "article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("band", Integer, primary_key=True),
    Column("value", BigInteger, nullable=False),  # a 64-bit hash of the band and its rows
    Index("ix_article_bands_value", "value"),
)

sentences = Table(
    "sentences",
    metadata,
    Column(
        "article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("idx", Integer, primary_key=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)
# Text search over sentences: PostgreSQL answers from a full-text index; SQLite uses LIKE.
Index(
    "ix_sentences_fts",
    func.to_tsvector(literal_column("'simple'"), sentences.c.text),
    postgresql_using="gin",
    # An index on a function alone is not attached to its table by SQLAlchemy
    _table=sentences,
).ddl_if(dialect="postgresql")

events = Table(
    "events",
    metadata,
    Column("id", String(40), primary_key=True),
    Column(
        "article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
    ),
    Column("sentence_idx", Integer, nullable=False),
    Column("type", String(20), nullable=False),
    Column("mode", String(40)),
    Column("context", Text, nullable=False),  # JSON list
    Column("status", String(20), nullable=False),
    Column("reciprocal", Boolean, nullable=False),
    Column("about", String(40)),
    Column("trigger_text", Text, nullable=False),
    Column("trigger_start", Integer, nullable=False),
    Column("trigger_end", Integer, nullable=False),
    Column("date_value", String(10)),
    Column("date_precision", String(10)),
    Column("date_text", Text),
    Column("date_basis", String(20)),
    Column("place_text", Text),
    Column("place_start", Integer),
    Column("place_end", Integer),
    Column("place_name", Text),
    Column("place_country", String(3)),
    Column("geonameid", Integer),
    Column("lat", Float),
    Column("lon", Float),
    Column("place_precision", String(10)),
    Column("place_basis", String(20)),
    Column("confidence", Float, nullable=False),
    Column("rule", String(80), nullable=False),
    Column("extractor", String(80), nullable=False),
    Column("cluster_id", String(40)),
    # The clustering block (type and actor codes, see eventwire.cluster); NULL while the
    # event waits to be clustered, "-" when it is never clustered (rejected).
    Column("cluster_key", Text),
    Column("correction", String(10)),  # confirmed | edited | rejected, from corrections
    Index("ix_events_article", "article_id"),
    Index("ix_events_cluster_id", "cluster_id"),
    Index("ix_events_cluster_key_date", "cluster_key", "date_value"),
    Index("ix_events_type_date", "type", "date_value"),
    Index("ix_events_date", "date_value"),
    Index("ix_events_status", "status"),
    # Migration 0007. The newest located events (the map) without walking the others.
    Index(
        "ix_events_located_date",
        "date_value",
        sqlite_where=text("lat IS NOT NULL"),
        postgresql_where=text("lat IS NOT NULL"),
    ),
)

event_actors = Table(
    "event_actors",
    metadata,
    Column("event_id", String(40), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(16), primary_key=True),  # actor | recipient | attributed_to | denied_by
    Column("position", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("name", Text),
    Column("code", String(12)),
    Column("sector", String(8)),
    Column("kb_id", String(20)),
    Column("rule", String(60)),
    Column("antecedent", Text),
    # event_id last: dyad and actor queries read matching ids from the index alone.
    Index("ix_event_actors_code_role_event", "code", "role", "event_id"),
)

# One row per actor code of an event and per counterpart on the other side (NULL when
# there is none), with the event's date, type, mode and cluster copied in: actor
# summaries, dyad queries and trends read this one table through its index instead of
# joining events and actors row by row. Derived from events and event_actors (kept in
# step by the store); events an analyst rejected have no links.
event_links = Table(
    "event_links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(40), ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(12), nullable=False),
    Column("role", String(16), nullable=False),  # actor | recipient
    Column("other", String(12)),  # the code on the other side
    Column("date_value", String(10)),
    Column("type", String(20), nullable=False),
    Column("mode", String(40)),
    Column("cluster_id", String(40)),
    # Counting by summing flags instead of COUNT(DISTINCT …): "first" marks one row per
    # event, code and role (an event with two recipients has two rows); "anchor" marks
    # the rows of the earliest report of each cluster, so summing it counts real events.
    Column("first", Integer, nullable=False),
    Column("anchor", Integer, nullable=False),
    # Covering: summaries and dyad queries read the index alone, never the table.
    Index(
        "ix_event_links_code",
        "code",
        "role",
        "other",
        "date_value",
        "type",
        "mode",
        "first",
        "anchor",
        "event_id",
    ),
    Index("ix_event_links_event", "event_id"),
    # Migration 0007. An actor's links by role and day: actor summaries group them in
    # this order, so the groups stream off the index instead of being sorted.
    Index(
        "ix_event_links_code_date", "code", "role", "date_value", "type", "mode", "first", "anchor"
    ),
)

mentions = Table(
    "mentions",
    metadata,
    Column(
        "article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("position", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("name", Text),
    Column("code", String(12)),
    Column("sector", String(8)),
    Column("kb_id", String(20)),
    Column("rule", String(60)),
    Column("antecedent", Text),
    Index("ix_mentions_code", "code"),
)

places = Table(
    "places",
    metadata,
    Column(
        "article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("position", Integer, primary_key=True),
    Column("text", Text),
    Column("start", Integer),
    Column("end", Integer),
    Column("name", Text),
    Column("country", String(3)),
    Column("geonameid", Integer),
    Column("lat", Float),
    Column("lon", Float),
    Column("precision", String(10)),
    Column("basis", String(20)),
)

clusters = Table(
    "clusters",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("key", Text, nullable=False),
    Column("type", String(20), nullable=False),
    Column("actor_codes", Text, nullable=False),  # space-separated, sorted
    Column("recipient_codes", Text, nullable=False),
    Column("date_first", String(10)),
    Column("date_last", String(10)),
    Column("country", String(3)),
    Column("status", String(20), nullable=False),
    Column("status_counts", Text, nullable=False),  # JSON {"reported": 3, "alleged": 1}
    Column("n_events", Integer, nullable=False),
    Column("n_articles", Integer, nullable=False),
    Column("n_sources", Integer, nullable=False),
    Column("n_independent", Integer, nullable=False),
    Column("sources", Text, nullable=False),  # JSON list of outlets
    Column("first_seen", String(40)),
    Column("added_at", String(40)),  # when its first report was stored
    Column(
        "anchor_event", String(40), nullable=False
    ),  # the earliest report: it represents the cluster
    Index("ix_clusters_date", "date_first"),
    Index("ix_clusters_type_date", "type", "date_first"),
)

# An analyst's verdicts and edits, in the order given. They are kept apart from the
# extracted rows so that they survive re-extraction and are applied on top of it.
corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(40), nullable=False),
    Column("action", String(10), nullable=False),  # confirm | reject | set
    Column("changes", Text, nullable=False),  # JSON {"type": "AID", "actor": ["RUS"]}
    Column("note", Text),
    Column("created_at", String(40), nullable=False),
    Index("ix_corrections_event", "event_id"),
    Index("ix_corrections_created", "created_at"),
)

# Facts about the stored data, e.g. the cluster window the clusters were built with.
meta = Table(
    "meta",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

# --- watch mode (migration 0006): rules, alerts, feed state ---------------------------------

# Watch mode checks its rules on the clusters of articles stored since its last check.
Index("ix_articles_ingested_at", articles.c.ingested_at)

# Watchlist rules kept in the database (``eventwire watchlist add``); rules can also
# come from a TOML file. ``spec`` is the rule as JSON (filters and outputs), see
# :mod:`eventwire.watch.rules`.
watch_rules = Table(
    "watch_rules",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("spec", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
)

# One row per alert: the first one of a cluster for a rule ("new"), and one each time
# that cluster's combined status changes ("update", pointing to the first in
# ``first_alert``). ``payload`` is the alert JSON exactly as it is delivered.
alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rule", String(100), nullable=False),
    Column("kind", String(10), nullable=False),  # new | update
    Column("cluster_id", String(40), nullable=False),
    Column("first_alert", Integer),  # NULL on "new"
    Column("status", String(20), nullable=False),
    Column("n_sources", Integer, nullable=False),
    Column("payload", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
    Index("ix_alerts_rule_cluster", "rule", "cluster_id"),
    Index("ix_alerts_first_alert", "first_alert"),
)

# The reports each rule has alerted on, with the first alert of their cluster: a
# cluster is recognised by its reports, not its id, so a report that joins it later
# (and may change which report anchors it, hence its id) never makes a new alert.
alert_events = Table(
    "alert_events",
    metadata,
    Column("rule", String(100), primary_key=True),
    Column("event_id", String(40), primary_key=True),
    Column("alert_id", Integer, nullable=False),
)

# Where each alert goes (stdout, a JSONL file, a webhook) and how that went.
alert_deliveries = Table(
    "alert_deliveries",
    metadata,
    Column("alert_id", Integer, primary_key=True),
    Column("output", String(2000), primary_key=True),  # "stdout", "jsonl:PATH", "webhook:URL"
    Column("state", String(10), nullable=False),  # pending | delivered | failed
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("updated_at", String(40), nullable=False),
    Index("ix_alert_deliveries_state", "state"),
)

# What ``eventwire watch`` knows about each feed between polls and across restarts
# (eventwire.ingest.web.FeedState): validators for conditional GET, the entries
# already read, and the feed's error state.
feed_states = Table(
    "feed_states",
    metadata,
    Column("url", String(2000), primary_key=True),
    Column("polls", Integer, nullable=False),
    Column("consecutive_failures", Integer, nullable=False),
    Column("last_error", Text),
    Column("last_polled", String(40)),
    Column("last_success", String(40)),
    Column("page_failures", Integer, nullable=False),
    Column("etag", Text),
    Column("last_modified", String(100)),
    Column("seen", Text, nullable=False),  # JSON list of guids and normalised URLs, oldest first
)
