"""The snapshot's compact wire form: cells as arrays, students in pages, one page per line.

The whole answer is one JSON document, so any client can read it at once; its lines let a
dashboard read it as it arrives (`docs/api.md`):

    {"form": "compact", "fields": [...], "cells": [...], ..., "studentCount": n, "pages": [
    [<student>, ...]
    ,[<student>, ...]
    ]}

A student is `{"userId", "lastActivity", "currentCellId", "cells": [[column, *values], ...]}`,
`column` the position of the cell in `cells` and `values` in the order of `fields`: no key is
repeated per cell. JSON text never holds a raw line break, so each line is a whole page.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from .snapshot import FIELDS, Snapshot

FORM = "compact"


def _student(state: Any, columns: dict[int, int], cell_ids: dict[int, str]) -> dict[str, Any]:
    return {
        "userId": state.user_id,
        "lastActivity": state.last_activity,
        "currentCellId": cell_ids.get(state.current_cell),
        "cells": [[columns[pk], *values] for pk, values in state.cells.items() if pk in columns],
    }


def compact_lines(snapshot: Snapshot, extra: dict[str, Any], *, page_size: int) -> Iterator[str]:
    """The compact form of `snapshot`, line by line (each ends with a line break)."""
    position = {cell["cellId"]: index for index, cell in enumerate(snapshot.cells)}
    columns = {
        pk: position[cell_id] for pk, cell_id in snapshot.cell_ids.items() if cell_id in position
    }
    head = {
        "form": FORM,
        "fields": list(FIELDS),
        **snapshot.head(),
        **extra,
        "studentCount": len(snapshot.students)
        if snapshot.rendered is None
        else len(snapshot.rendered),
        "pageSize": page_size,
    }
    yield json.dumps(head)[:-1] + ', "pages": [\n'
    if snapshot.rendered is None:
        students = [
            json.dumps(_student(state, columns, snapshot.cell_ids), separators=(",", ":"))
            for state in snapshot.students
        ]
    else:
        students = [
            f'{{"userId":{json.dumps(user)},"lastActivity":{json.dumps(last)},'
            f'"currentCellId":{json.dumps(snapshot.cell_ids.get(current))},"cells":{cells}}}'
            for user, last, current, cells in snapshot.rendered
        ]
    for start in range(0, len(students), page_size):
        page = ",".join(students[start : start + page_size])
        yield ("," if start else "") + f"[{page}]\n"
    yield "]}\n"
