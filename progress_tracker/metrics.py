"""Prometheus metrics, served on jupyter_server's /metrics."""

from prometheus_client import Counter, Gauge, Histogram

EVENTS_ACCEPTED = Counter(
    "progress_tracker_events_accepted_total", "Events answered with 202 (durable)."
)
EVENTS_REJECTED = Counter(
    "progress_tracker_events_rejected_total", "Events or batches refused, by status.", ["status"]
)
EVENTS_PERSISTED = Counter(
    "progress_tracker_events_persisted_total", "Events committed by a sink.", ["sink"]
)
EVENTS_DEAD_LETTERED = Counter(
    "progress_tracker_events_dead_lettered_total", "Entries moved to the dead letters.", ["sink"]
)
SINK_BATCH_SECONDS = Histogram(
    "progress_tracker_sink_batch_seconds",
    "Time a sink takes to commit one batch.",
    ["sink"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
QUEUE_DEPTH = Gauge(
    "progress_tracker_queue_depth", "Entries in the event stream not yet consumed.", ["group"]
)
