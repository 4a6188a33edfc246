"""The help queue on PostgreSQL: the same specification as on SQLite (tests/server)."""

from __future__ import annotations

import pytest

from tests.server.test_help_queue import (  # noqa: F401 (collected here, on PostgreSQL)
    jp_server_config,
    test_a_redelivered_hand_counts_once,
    test_a_ta_sees_only_their_section_and_the_queue_is_oldest_first,
    test_claim_and_resolve_by_the_courses_staff_only,
    test_raise_claim_resolve_and_lower_reach_staff_sockets_in_scope,
    test_raising_again_updates_the_entry_and_keeps_its_place,
)


@pytest.fixture
def database_url(postgres_url):
    """A private PostgreSQL database instead of the SQLite file."""
    return postgres_url
