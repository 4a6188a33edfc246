"""Relational storage of events: models, engine set-up, writes and dashboard queries."""
