"""Live delivery of stored events to dashboards: in-process listeners, and Redis fan-out."""
