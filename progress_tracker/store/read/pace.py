"""The pace of a notebook: executions, errors and active students per time bucket."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, and_, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ...courses.scope import Scope
from ..dialect import epoch_bucket
from ..models import CellExecution, Notebook
from .scoping import EVERYTHING, NotebookKey, as_key, in_scope, notebook_is


async def pace(
    engine: AsyncEngine,
    notebook: str | NotebookKey,
    *,
    bucket_s: int = 60,
    scope: Scope = EVERYTHING,
) -> list[dict[str, Any]]:
    """Executions, errors and active students (in scope) per time bucket, and their progress."""
    bucket = epoch_bucket(engine.dialect.name, CellExecution.event_time, bucket_s).label("bucket")
    key = as_key(notebook)
    assert key is not None
    in_notebook = and_(
        CellExecution.notebook_id == select(Notebook.id).where(notebook_is(key)).scalar_subquery(),
        in_scope(scope, CellExecution.course_id, CellExecution.student_id),
    )
    activity = (
        select(
            bucket,
            func.count(),
            func.sum(CellExecution.has_error.cast(Integer)),
            func.count(func.distinct(CellExecution.student_id)),
        )
        .where(in_notebook)
        .group_by(bucket)
        .order_by(bucket)
    )
    first_success = (
        select(
            CellExecution.student_id,
            func.min(epoch_bucket(engine.dialect.name, CellExecution.event_time, bucket_s)),
        )
        .where(
            in_notebook,
            CellExecution.has_error.is_(False),
            CellExecution.interrupted.is_(False),  # stopped, not completed
        )
        .group_by(CellExecution.student_id, CellExecution.cell_pk)
    )
    async with engine.connect() as conn:
        buckets = (await conn.execute(activity)).all()
        completions = (await conn.execute(first_success)).all()
    return _pace_series(buckets, completions, bucket_s)


def _pace_series(buckets: list[Any], completions: list[Any], bucket_s: int) -> list[dict[str, Any]]:
    """Merge per-bucket activity with each student's cumulative count of cells completed."""
    completed_at: dict[int, list[int]] = defaultdict(list)
    for student, at in completions:
        completed_at[student].append(int(at))
    series = []
    for start, executions, errors, active in buckets:
        end = int(start) + bucket_s
        done = [sum(1 for at in times if at < end) for times in completed_at.values()]
        series.append(
            {
                "time": datetime.fromtimestamp(int(start), UTC).isoformat(),
                "executions": executions,
                "errors": int(errors or 0),
                "activeStudents": active,
                "cellsCompletedMedian": statistics.median(done) if done else 0,
                **_quartiles(done),
            }
        )
    return series


def _quartiles(done: list[int]) -> dict[str, float]:
    """The lower and upper quartiles of cells completed (inclusive method, as a box plot's)."""
    if len(done) < 2:
        value = float(done[0]) if done else 0.0
        return {"cellsCompletedQ1": value, "cellsCompletedQ3": value}
    q1, _, q3 = statistics.quantiles(done, n=4, method="inclusive")
    return {"cellsCompletedQ1": q1, "cellsCompletedQ3": q3}
