"""The schema exactly as migration ``0001_initial`` created it. Never edit.

Later migrations start from this, so a database made by the first release can be
brought to the current schema (:mod:`eventwire.store.schema`); a test checks that
both paths end in the same tables, columns and indexes.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

initial = MetaData()


_schema_migrations = Table(
    "schema_migrations",
    initial,
    Column("name", String(100), primary_key=True),
    Column("applied_at", String(40), nullable=False),
)

_articles = Table(
    "articles",
    initial,
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
    Index("ix_articles_published", "published"),
)

_sentences = Table(
    "sentences",
    initial,
    Column(
        "article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("idx", Integer, primary_key=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

_events = Table(
    "events",
    initial,
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
    Index("ix_events_article", "article_id"),
    Index("ix_events_type_date", "type", "date_value"),
    Index("ix_events_date", "date_value"),
    Index("ix_events_status", "status"),
)

_event_actors = Table(
    "event_actors",
    initial,
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
    Index("ix_event_actors_code_role", "code", "role"),
)

_mentions = Table(
    "mentions",
    initial,
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

_places = Table(
    "places",
    initial,
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
