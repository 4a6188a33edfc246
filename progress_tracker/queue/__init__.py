"""The durable queue between ingestion and the sinks: a Redis Stream with consumer groups."""
