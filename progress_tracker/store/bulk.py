"""Inserting only new rows: a multi-row INSERT, or for large PostgreSQL batches COPY into a
staging table, then one INSERT."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Table
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
    key_list = ", ".join(f'"{c}"' for c in key)
    # Why the driver's own calls: thousands of rows go in and their ids come back, and
    # SQLAlchemy's per-row result handling cost more than the database's work.
    driver = (await conn.get_raw_connection()).driver_connection
    await driver.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {staging} ON COMMIT DELETE ROWS AS "
        f"SELECT {column_list} FROM {table.name} WITH NO DATA"
    )
    raw = _raw_values(table, columns)
    await driver.copy_records_to_table(staging, records=[raw(row) for row in rows], columns=columns)
    inserted = await driver.fetch(
        f"INSERT INTO {table.name} ({column_list}) SELECT {column_list} FROM {staging} "
        f"ORDER BY {key_list} ON CONFLICT ({key_list}) DO NOTHING RETURNING {key_list}, id"
    )
    await driver.execute(f"TRUNCATE {staging}")
    width = len(key)
    return {tuple(found[:width]): found[width] for found in inserted}


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
    key_of = _key_getter(key)
    rows = sorted(rows, key=key_of)
    if dialect == "postgresql" and len(rows) >= COPY_THRESHOLD:
        ids = await copy_insert_new(conn, table, rows, key)
    else:
        stmt = (
            insert_for(dialect, table)
            .on_conflict_do_nothing(index_elements=list(key))
            .returning(*(table.c[column] for column in key), table.c.id)
        )
        result = await conn.execute(stmt, rows)
        ids = {tuple(found): pk for *found, pk in result}
    new = {}
    for row in rows:  # the caller's fresh rows: given their id in place, not copied
        row_key = key_of(row)
        pk = ids.get(row_key)
        if pk is not None:
            row["id"] = pk
            new[row_key] = row
    return new


def _key_getter(key: Sequence[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A row's key as a tuple (`itemgetter` of one column returns the bare value)."""
    if len(key) == 1:
        [column] = key
        return lambda row: (row[column],)
    return itemgetter(*key)


def _raw_values(table: Table, columns: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A row's values in `columns` order as COPY sends them (JSON columns as JSON text)."""
    values = itemgetter(*columns)
    at = [i for i, c in enumerate(columns) if table.c[c].type.__class__.__name__ == "JSON"]
    if not at:
        return values if len(columns) > 1 else lambda row: (values(row),)

    def with_json(row: dict[str, Any]) -> tuple[Any, ...]:
        record = values(row) if len(columns) > 1 else (values(row),)
        for i in at:
            value = record[i]
            if value is not None:
                text = "{}" if value == {} else json.dumps(value)  # most metadata is empty
                record = (*record[:i], text, *record[i + 1 :])
        return record

    return with_json
