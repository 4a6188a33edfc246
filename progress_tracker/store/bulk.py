"""Inserting only new rows: a multi-row INSERT, or for large PostgreSQL batches COPY into a
staging table, then one INSERT."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncConnection

from .dialect import insert_for

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
            f"ORDER BY {key_list} ON CONFLICT ({key_list}) DO NOTHING RETURNING {key_list}, id"
        )
    )
    new_keys = {tuple(row[:-1]): row[-1] for row in inserted}
    await conn.execute(text(f"TRUNCATE {staging}"))
    return new_keys


async def insert_new(
    conn: AsyncConnection,
    dialect: str,
    table: Table,
    rows: list[dict[str, Any]],
    key: Sequence[str],
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Insert rows whose `key` is new; those rows by their key, each with its new `id`."""
    if not rows:
        return {}
    # Why sorted: two consumers storing overlapping batches (a redelivery) in different orders
    # would each wait for the other's uncommitted rows of the unique key: a deadlock. In key
    # order they queue behind each other instead.
    rows = sorted(rows, key=lambda row: tuple(row[column] for column in key))
    if dialect == "postgresql" and len(rows) >= COPY_THRESHOLD:
        ids = await copy_insert_new(conn, table, rows, key)
    else:
        stmt = (
            insert_for(dialect, table)
            .on_conflict_do_nothing(index_elements=list(key))
            .returning(*(table.c[column] for column in key), table.c.id)
        )
        result = await conn.execute(stmt, rows)
        ids = {tuple(found[:-1]): found[-1] for found in result}
    new = {}
    for row in rows:
        row_key = tuple(row[column] for column in key)
        pk = ids.get(row_key)
        if pk is not None:
            new[row_key] = {**row, "id": pk}
    return new
