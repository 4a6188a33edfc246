"""Relational storage: models, engine, migrations, the writer, and the read side (`read/`)."""
