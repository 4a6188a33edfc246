"""PostgreSQL's fast path for large batches: COPY into a staging table, then one INSERT."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncConnection

# Below this many rows a multi-row INSERT is as fast and needs no staging table.
COPY_THRESHOLD = 32


async def copy_insert_new(
    conn: AsyncConnection, table: Table, rows: list[dict[str, Any]], key: Sequence[str]
) -> dict[tuple[Any, ...], int]:
    """Insert `rows` skipping those whose `key` columns exist; the ids inserted, by key.

    Runs inside the caller's transaction: the staging table is temporary and emptied at commit.
    """
    columns = list(rows[0])
    staging = f"staging_{table.name}"
    column_list = ", ".join(f'"{c}"' for c in columns)
    await conn.execute(
        text(
            f"CREATE TEMP TABLE IF NOT EXISTS {staging} ON COMMIT DELETE ROWS AS "
            f"SELECT {column_list} FROM {table.name} WITH NO DATA"
        )
    )
    json_columns = {c for c in columns if table.c[c].type.__class__.__name__ == "JSON"}
    records = [
        tuple(
            json.dumps(row[c]) if c in json_columns and row[c] is not None else row[c]
            for c in columns
        )
        for row in rows
    ]
    raw = await conn.get_raw_connection()
    await raw.driver_connection.copy_records_to_table(staging, records=records, columns=columns)
    key_list = ", ".join(f'"{c}"' for c in key)
    inserted = await conn.execute(
        text(
            f"INSERT INTO {table.name} ({column_list}) SELECT {column_list} FROM {staging} "
            f"ON CONFLICT ({key_list}) DO NOTHING RETURNING {key_list}, id"
        )
    )
    new_keys = {tuple(row[:-1]): row[-1] for row in inserted}
    await conn.execute(text(f"TRUNCATE {staging}"))
    return new_keys
