"""The durable queue between ingestion and the sinks: a Redis Stream, its consumers, dead letters."""
