"""Alembic environment: runs on the connection handed in by `progress_tracker.store.migrations`."""

from alembic import context

from progress_tracker.store.dialect import lock_for_migrations
from progress_tracker.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    lock_for_migrations(connection)
    context.run_migrations()
