"""The columns of the grid: an assignment's published cells, or what the class runs."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any


def exercise_columns(
    is_assignment: bool, cells: list[Any], latest_runs: Iterable[tuple[Any, ...]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], set[int], set[int]]:
    """(cells, columns, own cell pks, shown cell pks) of an exercise's `cells` rows.

    An assignment's columns are its published cells in order, whether anybody ran them or not;
    the cells its students added are their own (summed up per student, never columns), and a
    cell a re-publication dropped is neither. An unpublished notebook's columns are the cells
    the class runs, placed as most of the class places them. `latest_runs` are (cell pk,
    position, type, how many students' latest runs say so), as the read model counts them.
    """
    if is_assignment:
        published = sorted((c for c in cells if c.published), key=lambda c: c.position or 0)
        columns = [
            {
                "cellId": c.cell_id,
                "label": c.label,
                "source": c.source,
                "cellType": c.cell_type,
                "position": c.position,
            }
            for c in published
        ]
        listed = [
            {"cellId": c.cell_id, "cellIndex": c.position, "cellType": c.cell_type}
            for c in published
        ]
        own = {c.id for c in cells if not c.published and c.label is None}
        return listed, columns, own, {c.id for c in published}
    listed = class_cells([(c.id, c.cell_id, c.cell_index, c.cell_type) for c in cells], latest_runs)
    columns = [
        {
            "cellId": c["cellId"],
            "label": None,
            "source": None,
            "cellType": c["cellType"],
            "position": c["cellIndex"],
        }
        for c in listed
    ]
    return listed, columns, set(), {c.id for c in cells}


def class_cells(cells: list[Any], latest_runs: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """The notebook's cells in the order and with the type most of the class reports.

    Each student's latest run says where the cell is in their copy; the median position (and the
    most common type) wins, so one student cannot reorder or retype everybody's columns. Cells
    nobody ran yet keep what their first event said.
    """
    positions: dict[int, list[int]] = defaultdict(list)
    types: dict[int, Counter[str]] = defaultdict(Counter)
    for pk, index, kind, count in latest_runs:
        if index is not None:
            positions[pk].extend([index] * count)
        if kind is not None:
            types[pk][kind] += count
    listed = []
    for order, (pk, cell_id, first_index, first_type) in enumerate(cells):
        index = statistics.median_low(sorted(positions[pk])) if positions[pk] else first_index
        kind = types[pk].most_common(1)[0][0] if types[pk] else first_type
        listed.append(((index is None, index or 0, order), cell_id, index, kind))
    listed.sort(key=lambda cell: cell[0])
    return [
        {"cellId": cell_id, "cellIndex": index, "cellType": kind}
        for _, cell_id, index, kind in listed
    ]
