"""The knowledge base schema (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Per-document layers keep the document's own local ids (e1, s1, r1, v1, t1); `doc_entities.kb_entity`
links each local actor to its cross-document identity in `kb_entities`. Every row carries its
document, so a document is stored whole in one transaction or not at all, and deleting a document
leaves no orphans.
"""
from __future__ import annotations

from sqlalchemy import (
    JSON, BigInteger, Boolean, Column, DateTime, Float, ForeignKey, ForeignKeyConstraint, Index, Integer,
    MetaData, String, Table, Text, func,
)

SCHEMA_VERSION = "1"

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", String(40), primary_key=True),
    Column("text", Text, nullable=False),
    Column("title", Text),
    Column("url", Text),
    Column("outlet", Text),
    Column("published", String(32)),
    Column("dateline", Text),
    Column("source", Text),
    Column("duplicate_of", String(40)),  # the original report this one republishes (syndication)
    Column("similarity", Float),
    Column("minhash", JSON),
    Column("versions", JSON),
    Column("warnings", JSON),
    Column("ingested_at", DateTime(timezone=True), server_default=func.now()),
)
Index("ix_documents_url", documents.c.url)
Index("ix_documents_published", documents.c.published)

kb_entities = Table(
    "kb_entities", metadata,
    Column("id", String(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("key", Text, nullable=False),  # names.name_key of the canonical name
    Column("type", String(32), nullable=False),
    Column("subtype", String(64)),
    Column("anonymous", Boolean, nullable=False, default=False),
    Column("country", String(8)),
    Column("merged_into", String(40)),  # set when an analyst (or the resolver) folds it into another
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
)
Index("ix_kb_entities_key", kb_entities.c.key)

kb_names = Table(  # every name a kb entity goes by, with the document it was learnt from
    "kb_names", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kb_entity", String(40), ForeignKey("kb_entities.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("key", Text, nullable=False),
    Column("how", String(64)),  # canonical, mention, also known as, acronym, ...
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE")),
)
Index("ix_kb_names_key", kb_names.c.key)
Index("ix_kb_names_entity", kb_names.c.kb_entity)

doc_entities = Table(
    "doc_entities", metadata,
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("local_id", String(16), primary_key=True),
    Column("kb_entity", String(40), ForeignKey("kb_entities.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("type", String(32), nullable=False),
    Column("subtype", String(64)),
    Column("anonymous", Boolean, nullable=False, default=False),
    Column("aliases", JSON),
    Column("descriptor", JSON),
    Column("country", String(8)),
    Column("geo", JSON),  # places stage: geonameid, lat, lon, country, admin1, feature
)
Index("ix_doc_entities_kb", doc_entities.c.kb_entity)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(40), nullable=False),
    Column("entity", String(16), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    ForeignKeyConstraint(["doc_id", "entity"], ["doc_entities.doc_id", "doc_entities.local_id"], ondelete="CASCADE"),
)
Index("ix_mentions_doc", mentions.c.doc_id)

statements = Table(
    "statements", metadata,
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("local_id", String(16), primary_key=True),
    Column("speaker", String(16)),
    Column("cue", Text),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("content", Text, nullable=False),
    Column("direct", Boolean, nullable=False),
    Column("via", String(16)),
    Column("parent", String(16)),
    Column("polarity", String(16), nullable=False),
    Column("modality", String(16), nullable=False),
    Column("kind", String(16)),
)

relations = Table(
    "relations", metadata,
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("local_id", String(16), primary_key=True),
    Column("subject", String(16), nullable=False),
    Column("type", String(32), nullable=False),
    Column("object", String(16), nullable=False),
    Column("subject_kb", String(40), nullable=False),
    Column("object_kb", String(40), nullable=False),
    Column("polarity", String(16), nullable=False),
    Column("modality", String(16), nullable=False),
    Column("statement", String(16)),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("trigger", Text),
    Column("time", String(64)),
)
Index("ix_relations_kb", relations.c.subject_kb, relations.c.type, relations.c.object_kb)

events = Table(
    "events", metadata,
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("local_id", String(16), primary_key=True),
    Column("type", String(16), nullable=False),
    Column("mode", String(64)),
    Column("trigger", Text, nullable=False),
    Column("source", String(16)),
    Column("target", String(16)),
    Column("location", String(16)),
    Column("source_kb", String(40)),
    Column("target_kb", String(40)),
    Column("location_kb", String(40)),
    Column("time", String(64)),
    Column("polarity", String(16), nullable=False),
    Column("statement", String(16)),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("evidence", Text, nullable=False),
)
Index("ix_events_time", events.c.time)

times = Table(
    "times", metadata,
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("local_id", String(16), primary_key=True),
    Column("text", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("value", String(64)),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    # an interval written as a range ("from 2009 to 2011"): the values of its two ends (issue 18;
    # additive: timeplace.add_columns adds them to a knowledge base made before)
    Column("begin_point", String(64)),
    Column("end_point", String(64)),
)

judgements = Table(  # entity resolution decisions, automatic or an analyst's; never deleted
    "judgements", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("left", String(40), nullable=False),
    Column("right", String(40), nullable=False),
    Column("decision", String(16), nullable=False),  # same | different | split
    Column("score", Float),
    Column("explanation", JSON),
    Column("author", String(64), nullable=False),  # "resolver" or an analyst's name
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
)

failures = Table(  # documents that could not be analysed or stored, with why
    "failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("code", String(8), nullable=False),
    Column("message", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
)

# ---- added for cross-document resolution, syndication and the read API (issue 6) -------------

resolve_keys = Table(  # blocking keys of kb entities beyond kb_names.key: variants, tokens, acronyms
    "resolve_keys", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kb_entity", String(40), ForeignKey("kb_entities.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # variant | token | acronym
    Column("value", Text, nullable=False),
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE")),
)
Index("ix_resolve_keys_value", resolve_keys.c.kind, resolve_keys.c.value)
Index("ix_resolve_keys_entity", resolve_keys.c.kb_entity)

minhash_bands = Table(  # LSH bands of each document's MinHash signature (syndication candidates)
    "minhash_bands", metadata,
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("band", Integer, primary_key=True),
    Column("hash", BigInteger, nullable=False),  # 63-bit hash of (band, the band's rows)
)
Index("ix_minhash_bands_hash", minhash_bands.c.hash)

Index("ix_kb_entities_merged_into", kb_entities.c.merged_into)
Index("ix_relations_object_kb", relations.c.object_kb)
Index("ix_events_source_kb", events.c.source_kb)
Index("ix_events_target_kb", events.c.target_kb)
Index("ix_events_location_kb", events.c.location_kb)
Index("ix_judgements_left", judgements.c.left)
Index("ix_judgements_right", judgements.c.right)
Index("ix_judgements_author", judgements.c.author, judgements.c.id)  # the analysts' judgements (read side)
Index("ix_documents_duplicate_of", documents.c.duplicate_of)

# ---- added for following feeds (issue 12) ------------------------------------------------------

seen_items = Table(  # what `wirescope watch` has seen, so that nothing is ingested twice across restarts
    "seen_items", metadata,
    Column("url", Text, primary_key=True),  # the item's address (normalised), or "guid:..." without one
    Column("feed", Text),  # the feed or list it came from; NULL for a page followed directly
    Column("content_hash", String(64)),  # sha256 of the document text
    Column("doc_id", String(40)),  # the document it became (stored, or the copy already there)
    Column("status", String(16), nullable=False),  # stored | duplicate | failed
    Column("attempts", Integer, nullable=False, default=1),
    Column("message", Text),  # why it failed
    Column("first_seen", DateTime(timezone=True), server_default=func.now()),
    Column("last_seen", DateTime(timezone=True), server_default=func.now()),
)
Index("ix_seen_items_hash", seen_items.c.content_hash)

# ---- added for the API's audit trail (additive: create_all adds it to older knowledge bases) ----

audit_log = Table(  # every write through the HTTP API, successful or refused after authentication
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),  # UTC
    Column("client", String(64)),  # the client's address as the server saw it
    Column("identity", String(64), nullable=False),  # who: "api-token" or the token's configured name
    Column("action", String(32), nullable=False),  # ingest | merge | split
    Column("ids", JSON),  # the documents or actors the write touched
    Column("result", String(16), nullable=False),  # "ok" or the error code it ended with
    Column("detail", JSON),
)
Index("ix_audit_log_at", audit_log.c.at)
Index("ix_audit_log_action", audit_log.c.action)

# ---- added for read speed as the knowledge base grows (additive: indexes only; the query layer's
# setup creates them on knowledge bases made before) ------------------------------------------------
# an actor's documents in order (first descriptor, document counts, profiles) without a sort
Index("ix_doc_entities_kb_doc", doc_entities.c.kb_entity, doc_entities.c.doc_id)
# the mentions of one document actor (mention counts of an actor)
Index("ix_mentions_doc_entity", mentions.c.doc_id, mentions.c.entity)
# the statements one document actor made (statements by an actor)
Index("ix_statements_speaker", statements.c.doc_id, statements.c.speaker)

# ---- added for a timeline that pages in SQL (issue 21; additive: the store fills it for events
# stored before, once, when it opens such a knowledge base) ----------------------------------------
event_times = Table(  # where each event sits on the timeline, written with the event
    "event_times", metadata,
    Column("doc_id", String(40), primary_key=True),
    Column("local_id", String(16), primary_key=True),
    Column("time", String(64)),  # the period as shown ("2019-03-15", "2019-W11", "2019-SU"); NULL: not placed
    Column("granularity", String(16)),  # day | week | weekend | month | quarter | half | season | year | ...
    Column("time_start", String(10)),  # first day of the period (ISO)
    Column("time_end", String(10)),  # last day
    Column("time_from", String(16)),  # "event" (its own time) | "published" (its report's date) | NULL
    Column("sort_start", String(10), nullable=False),  # time_start, "9999" when not placed
    Column("sort_end", String(10), nullable=False),
    Column("published", String(32), nullable=False),  # the report's publication date, "" when none
    Column("start", Integer, nullable=False),  # where its evidence starts in the text
    Column("twin", Boolean, nullable=False, default=False),  # an earlier event of its document says the same
    # an event over an interval ("mayor from 2009 to 2011"): the values of its two ends, NULL for an
    # event at one period (issue 18; additive, as the times' columns)
    Column("begin_point", String(64)),
    Column("end_point", String(64)),
    ForeignKeyConstraint(["doc_id", "local_id"], ["events.doc_id", "events.local_id"], ondelete="CASCADE"),
)
# the timeline's order: read in index order and stopped at the page's end
Index("ix_event_times_order", event_times.c.sort_start, event_times.c.sort_end, event_times.c.published,
      event_times.c.doc_id, event_times.c.start)

# ---- added for resolution with bounded work per mention (issue 21; additive) ----------------------
actor_context = Table(  # what the documents of a kb actor say around it, summed up when they are stored
    "actor_context", metadata,
    Column("kb_entity", String(40), nullable=False),
    Column("kind", String(8), nullable=False),  # actor (a co-occurring kb actor) | country (ISO code)
    Column("value", String(40), nullable=False),
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE")),  # the first to say it
)
Index("ix_actor_context", actor_context.c.kb_entity, actor_context.c.kind, actor_context.c.value, unique=True)
