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
    "progress_tracker_events_dead_lettered_total", "Events moved to the dead letters.", ["sink"]
)
SINK_BATCH_SECONDS = Histogram(
    "progress_tracker_sink_batch_seconds",
    "Time a sink takes to commit one batch.",
    ["sink"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
SINK_FAILING = Gauge(
    "progress_tracker_sink_failing",
    "1 while a sink's consumer retries a failure (an outage, a refused batch), else 0.",
    ["sink"],
)
CONSUMER_RESTARTS = Counter(
    "progress_tracker_consumer_restarts_total",
    "Restarts of a consumer loop after an unexpected failure of its own code.",
    ["sink"],
)
TASK_RESTARTS = Counter(
    "progress_tracker_task_restarts_total", "Background tasks restarted after a crash.", ["task"]
)
QUEUE_DEPTH = Gauge(
    "progress_tracker_queue_depth", "Entries in the event stream not yet consumed.", ["group"]
)
QUEUE_OLDEST_AGE = Gauge(
    "progress_tracker_queue_oldest_waiting_seconds",
    "Age of the oldest entry a consumer group has not acknowledged yet (0 when none waits).",
    ["group"],
)
QUEUE_BYTES = Gauge("progress_tracker_queue_bytes", "Bytes of the entries in the event stream.")
QUEUE_DURABLE = Gauge(
    "progress_tracker_queue_durable", "1 when the queue's Redis was verified to persist (AOF)."
)
QUEUE_VOLATILE = Gauge(
    "progress_tracker_queue_volatile",
    "1 when the queue runs on a Redis that does not persist (EventQueue.allow_volatile).",
)
QUEUE_LOSSES = Counter(
    "progress_tracker_queue_losses_total",
    "Times the queue's data was found lost (Redis restarted without it, or flushed).",
)
GROUPS_RECREATED = Counter(
    "progress_tracker_queue_groups_recreated_total",
    "Consumer groups found missing and created again.",
    ["group"],
)
ENTRIES_RECLAIMED = Counter(
    "progress_tracker_queue_entries_reclaimed_total",
    "Entries taken over from dead (or stuck) consumers.",
    ["group"],
)
LIVE_PUBLISH_FAILURES = Counter(
    "progress_tracker_live_publish_failures_total",
    "Failed publications of stored events to the live feed (retried before acknowledging).",
)
