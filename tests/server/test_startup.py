"""Once the tracker has started, what exists is kept out of full garbage collections."""

from __future__ import annotations

import gc

from progress_tracker.startup import freeze_startup_objects


def test_startup_objects_are_frozen_once_per_process():
    freeze_startup_objects()
    frozen = gc.get_freeze_count()
    assert frozen > 0
    allocated_since = [[index] for index in range(1000)]
    freeze_startup_objects()  # a tracker restarted in the same server
    assert gc.get_freeze_count() == frozen, "what a running server allocates stays collectable"
    assert len(allocated_since) == 1000
